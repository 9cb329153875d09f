//! One function per Ecom Express call, building its [`HttpRequest`] from unified values.
//! Pure: the adapter sends what these build.
//!
//! Every call is a form-encoded POST carrying the account's `username` and `password`
//! (both marked secret); calls that send a document put it, as JSON text, in the form's
//! `json_input` field.

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use serde_json::{Value, json};

use crate::CarrierError;
use crate::families::{NdrAction, ReturnRequest};
use crate::kit::adapter::{Result, domestic_piece, return_piece};
use crate::kit::india::{declared_value, mobile, national_digits};
use crate::kit::units::{kg, whole_cm};
use crate::schema::{Address, Money, Parcel, Payment, ShipmentRequest};
use crate::wire::HttpRequest;

use super::{Account, Endpoint, Lot};

/// Declared value from which goods need an e-way bill (GST rules: Rs 50,000 per
/// consignment); Ecom takes its number in `ADDITIONAL_INFORMATION.GST_ERN`.
pub use crate::kit::india::EWAY_BILL_FROM_PAISE;
/// Ecom's volumetric divisor: cm³ per kg.
pub const VOLUMETRIC_DIVISOR: u64 = 5_000;
/// AWBs asked for per `fetch_awb` call.
pub const SERIES_COUNT: u32 = 50;

#[derive(Serialize)]
struct Form<'a> {
    username: &'a str,
    password: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    json_input: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<u32>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    awb: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    awbs: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pincode: Option<&'a str>,
}

impl<'a> Form<'a> {
    fn of(account: &'a Account) -> Self {
        Form {
            username: account.username.as_str(),
            password: account.password.as_str(),
            json_input: None,
            count: None,
            kind: None,
            awb: None,
            awbs: None,
            pincode: None,
        }
    }
}

fn post(account: &Account, endpoint: Endpoint, form: &Form<'_>) -> Result<HttpRequest> {
    HttpRequest::post(account.url(endpoint))
        .secret(account.username.as_str())
        .secret(account.password.as_str())
        .form(form)
}

/// `fetch_awb`: a new series of [`SERIES_COUNT`] numbers of `lot` (`PPD`, `COD`, `REV`).
pub fn fetch_awb_request(account: &Account, lot: Lot) -> Result<HttpRequest> {
    let form = Form {
        count: Some(SERIES_COUNT),
        kind: Some(lot.code()),
        ..Form::of(account)
    };
    post(account, Endpoint::FetchAwb, &form)
}

fn state(address: &Address) -> String {
    address
        .state_name()
        .map_or_else(|| address.state.clone().unwrap_or_default(), str::to_string)
}

/// Address lines as Ecom takes them: up to three of at most 100 characters.
fn lines(address: &Address) -> [String; 3] {
    let mut out = [String::new(), String::new(), String::new()];
    let parts: Vec<&str> = [
        Some(address.line1.as_str()),
        address.line2.as_deref(),
        address.landmark.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .filter(|l| !l.is_empty())
    .collect();
    for (i, part) in parts.iter().enumerate() {
        let slot = i.min(2);
        if !out[slot].is_empty() {
            out[slot].push_str(", ");
        }
        out[slot].push_str(part);
    }
    out.map(|l| l.chars().take(100).collect())
}

/// Weights and sides: kilograms, whole centimetres rounded up.
struct Measured {
    actual_kg: f64,
    volumetric_kg: f64,
    cm: [u32; 3],
}

fn measure(parcel: &Parcel) -> Measured {
    let side = |mm: Option<u32>| mm.map_or(0, whole_cm);
    let cm = [
        side(parcel.length_mm),
        side(parcel.width_mm),
        side(parcel.height_mm),
    ];
    let volume: u64 = cm.iter().map(|&c| u64::from(c)).product();
    let vol_g = u32::try_from((volume * 1000).div_ceil(VOLUMETRIC_DIVISOR)).unwrap_or(u32::MAX);
    Measured {
        actual_kg: kg(parcel.weight_g),
        volumetric_kg: kg(vol_g),
        cm,
    }
}

/// The value declared for the goods (see [`declared_value`]): zero for a prepaid booking
/// without one.
fn declared(value: Option<Money>, payment: &Payment) -> Result<Money> {
    declared_value(value, payment, Money::inr(0))
}

fn reference(id: &str) -> Result<&str> {
    let id = id.trim();
    match id.is_empty() || id.len() > 50 {
        true => Err(CarrierError::NotSent(
            "Ecom Express needs an order number of 1 to 50 characters".into(),
        )),
        false => Ok(id),
    }
}

/// The forward manifest's shipment object for `req` under `awb`: shipgate's shipment id
/// as `ORDER_NUMBER`, the OMS order reference as the invoice number.
pub fn forward_shipment(
    account: &Account,
    shipment_id: &str,
    req: &ShipmentRequest,
    awb: &str,
    today: NaiveDate,
) -> Result<Value> {
    let parcel = domestic_piece(req, "IN")?;
    super::Service::from_code(req.service.as_deref())?;
    let order = reference(shipment_id)?;
    let value = declared(req.declared_value(), &req.payment)?;
    let (product, collectable) = match &req.payment {
        Payment::Prepaid => ("PPD", "0".to_string()),
        Payment::Cod { cod_amount } => ("COD", cod_amount.to_major_string()),
    };
    let m = measure(parcel);
    let (to, from) = (&req.to, &req.from);
    let [c1, c2, c3] = lines(to);
    let [p1, p2, _] = lines(from);
    let description = Some(req.description())
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| "Goods".into());
    Ok(json!({
        "AWB_NUMBER": awb,
        "ORDER_NUMBER": order,
        "PRODUCT": product,
        "CONSIGNEE": to.name,
        "CONSIGNEE_ADDRESS1": c1,
        "CONSIGNEE_ADDRESS2": c2,
        "CONSIGNEE_ADDRESS3": c3,
        "DESTINATION_CITY": to.city,
        "PINCODE": to.postal_code.as_str(),
        "STATE": state(to),
        "MOBILE": mobile(to),
        "TELEPHONE": "",
        "ITEM_DESCRIPTION": description,
        "PIECES": 1,
        "COLLECTABLE_VALUE": collectable,
        "DECLARED_VALUE": value.to_major_string(),
        "ACTUAL_WEIGHT": m.actual_kg,
        "VOLUMETRIC_WEIGHT": m.volumetric_kg,
        "LENGTH": m.cm[0],
        "BREADTH": m.cm[1],
        "HEIGHT": m.cm[2],
        "PICKUP_NAME": from.name,
        "PICKUP_ADDRESS_LINE1": p1,
        "PICKUP_ADDRESS_LINE2": p2,
        "PICKUP_PINCODE": from.postal_code.as_str(),
        "PICKUP_PHONE": "",
        "PICKUP_MOBILE": mobile(from),
        // Returns go back where the parcel came from.
        "RETURN_NAME": from.name,
        "RETURN_ADDRESS_LINE1": p1,
        "RETURN_ADDRESS_LINE2": p2,
        "RETURN_PINCODE": from.postal_code.as_str(),
        "RETURN_PHONE": "",
        "RETURN_MOBILE": mobile(from),
        "DG_SHIPMENT": "false",
        "ADDITIONAL_INFORMATION": {
            "INVOICE_NUMBER": Some(req.order_ref.trim()).filter(|r| !r.is_empty()).unwrap_or(order),
            "INVOICE_DATE": today.format("%d-%m-%Y").to_string(),
            "SELLER_GSTIN": account.seller_gstin.clone().unwrap_or_default(),
            "GST_ERN": "",
            "PICKUP_LOCATION_CODE": account.pickup_location_code,
        },
    }))
}

/// The forward manifest as a call: a list of one shipment in `json_input`.
pub fn manifest_request(account: &Account, shipment: &Value) -> Result<HttpRequest> {
    let form = Form {
        json_input: Some(json!([shipment]).to_string()),
        ..Form::of(account)
    };
    post(account, Endpoint::Manifest, &form)
}

/// The reverse pickup's document under `awb`: collected from the buyer
/// (`REVPICKUP_*`), delivered to the seller (`DROP_*`).
pub fn reverse_document(
    account: &Account,
    request: &ReturnRequest,
    awb: &str,
    today: NaiveDate,
) -> Result<Value> {
    if request.qc.is_some() {
        return Err(CarrierError::Unsupported(
            "a doorstep quality check (Ecom Express' reverse pickup API takes none in the sources read)",
        ));
    }
    let parcel = return_piece(request)?;
    super::Service::from_code(request.service.as_deref())?;
    let order = reference(&request.shipment_id)?;
    let value = declared(request.declared_value(), &Payment::Prepaid)?;
    let m = measure(parcel);
    let (buyer, seller) = (&request.pickup, &request.deliver_to);
    let [b1, b2, b3] = lines(buyer);
    let [s1, s2, _] = lines(seller);
    Ok(json!({ "ECOMEXPRESS-OBJECTS": { "SHIPMENT": {
        "AWB_NUMBER": awb,
        "ORDER_NUMBER": order,
        "PRODUCT": "REV",
        "REVPICKUP_NAME": buyer.name,
        "REVPICKUP_ADDRESS1": b1,
        "REVPICKUP_ADDRESS2": b2,
        "REVPICKUP_ADDRESS3": b3,
        "REVPICKUP_CITY": buyer.city,
        "REVPICKUP_PINCODE": buyer.postal_code.as_str(),
        "REVPICKUP_STATE": state(buyer),
        "REVPICKUP_MOBILE": mobile(buyer),
        "REVPICKUP_TELEPHONE": "",
        "PIECES": 1,
        "COLLECTABLE_VALUE": "0",
        "DECLARED_VALUE": value.to_major_string(),
        "ACTUAL_WEIGHT": m.actual_kg,
        "VOLUMETRIC_WEIGHT": m.volumetric_kg,
        "LENGTH": m.cm[0],
        "BREADTH": m.cm[1],
        "HEIGHT": m.cm[2],
        "VENDOR_ID": "",
        "DROP_NAME": seller.name,
        "DROP_ADDRESS_LINE1": s1,
        "DROP_ADDRESS_LINE2": s2,
        "DROP_PINCODE": seller.postal_code.as_str(),
        "DROP_MOBILE": mobile(seller),
        "DROP_PHONE": "",
        "ITEM_DESCRIPTION": request.description(),
        "EXTRA_INFORMATION": request.reason.as_str(),
        "DG_SHIPMENT": "False",
        "ADDITIONAL_INFORMATION": {
            "INVOICE_NUMBER": order,
            "INVOICE_DATE": today.format("%d-%m-%Y").to_string(),
            "SELLER_GSTIN": account.seller_gstin.clone().unwrap_or_default(),
            "PICKUP_LOCATION_CODE": account.pickup_location_code,
        },
    }}}))
}

pub fn reverse_request(account: &Account, document: &Value) -> Result<HttpRequest> {
    let form = Form {
        json_input: Some(document.to_string()),
        ..Form::of(account)
    };
    post(account, Endpoint::Reverse, &form)
}

/// Whether Ecom serves `pincode`, and for what.
pub fn pincode_request(account: &Account, pincode: &str) -> Result<HttpRequest> {
    let pin = pincode.trim();
    let form = Form {
        pincode: Some(pin),
        ..Form::of(account)
    };
    post(account, Endpoint::Pincode, &form)
}

/// Every scan of `awb` (the API takes a comma-separated list; the adapter asks for one).
pub fn track_request(account: &Account, awb: &str) -> Result<HttpRequest> {
    let form = Form {
        awb: Some(awb.trim()),
        ..Form::of(account)
    };
    post(account, Endpoint::Track, &form)
}

/// Cancels `awb`.
pub fn cancel_request(account: &Account, awb: &str) -> Result<HttpRequest> {
    let form = Form {
        awbs: Some(awb.trim()),
        ..Form::of(account)
    };
    post(account, Endpoint::Cancel, &form)
}

/// An NDR resolution for `awb`: `RAD` (re-attempt delivery) on a date, with a new phone
/// or a corrected address where given; `RTO` to return it.
pub fn ndr_request(
    account: &Account,
    awb: &str,
    action: &NdrAction,
    today: NaiveDate,
) -> Result<HttpRequest> {
    let mut line = json!({ "awb": awb.trim() });
    match action {
        NdrAction::ReturnToOrigin => {
            line["instruction"] = json!("RTO");
            line["comments"] = json!("Return to origin requested by the seller");
        }
        _ => {
            let date = action.date().unwrap_or(today + Duration::days(1));
            if date <= today {
                return Err(CarrierError::NotSent(format!(
                    "a re-attempt date that is not after today ({date})"
                )));
            }
            line["instruction"] = json!("RAD");
            line["comments"] = json!("Re-attempt requested by the seller");
            line["scheduled_delivery_date"] = json!(date.format("%Y-%m-%d").to_string());
            line["scheduled_delivery_slot"] = json!("1");
            match action {
                NdrAction::ChangePhone { phone } => {
                    line["mobile"] = json!(national_digits(phone));
                }
                NdrAction::ChangeAddress { address } => {
                    let [a1, a2, a3] = lines(address);
                    line["mobile"] = json!(mobile(address));
                    line["consignee_address"] = json!({
                        "CA1": a1, "CA2": a2, "CA3": a3,
                        "CA4": format!("{} {}", address.city, address.postal_code.as_str()),
                    });
                }
                _ => {}
            }
        }
    }
    let form = Form {
        json_input: Some(json!([line]).to_string()),
        ..Form::of(account)
    };
    post(account, Endpoint::Ndr, &form)
}

/// The label of `awb`: Ecom's label service on its shipment host, a `GET` with the
/// credentials and `awb_numbers` in the query; it answers the PDF itself.
pub fn label_request(account: &Account, awb: &str) -> HttpRequest {
    HttpRequest::get(account.url(Endpoint::Label))
        .secret_query("username", account.username.as_str())
        .secret_query("password", account.password.as_str())
        .query("awb_numbers", awb.trim())
}
