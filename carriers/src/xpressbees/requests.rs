//! One function per XpressBees call, building its [`HttpRequest`] from unified values.
//! Pure: the adapter sends what these build.
//!
//! Every call but the login carries the account's `XBkey` (a marked secret); the login's
//! token goes on as the `token` header with `versionnumber: v1` (the session adds it,
//! see [`super::XpressBeesLogin`]).

use chrono::{Duration, NaiveDate};

use crate::CarrierError;
use crate::families::{NdrAction, ReturnRequest};
use crate::kit::adapter::{Result, domestic_piece, return_piece};
use crate::kit::india::{declared_value, mobile, national_digits};
use crate::kit::units::{kg_text, whole_cm};
use crate::schema::{Address, Money, Parcel, Payment, ShipmentRequest};
use crate::wire::HttpRequest;

use super::wire::{
    AwbBatchRequest, AwbSeriesRequest, CancelRequest, Contact, Dimensions, DropContact,
    DropDetails, ForwardManifest, GeoOptions, GstSellerInfo, HsnDetail, LoginRequest,
    ManifestAddress, NdrRequest, PackageDetails, PickupDetails, PincodeRequest, ReverseManifest,
    RtoDetails, TrackRequest, Weight,
};
use super::{Account, Endpoint, Lot, Service};

/// Declared value from which goods need an e-way bill (Indian GST rules: Rs 50,000 per
/// consignment); XpressBees takes its number in `EWayBillSrNumber`.
pub use crate::kit::india::EWAY_BILL_FROM_PAISE;

/// XpressBees' volumetric divisor: cm³ per kg (5000, as Indian surface carriers use).
pub const VOLUMETRIC_DIVISOR: u64 = 5_000;

/// The cancellation reason sent: XpressBees asks for one, shipgate's cancel has none.
pub const CANCEL_REASON: &str = "Cancelled by seller";

/// `POST /api/auth/generateToken` at `url`: the three credentials, each marked secret.
pub fn login_request(
    url: &str,
    username: &str,
    password: &str,
    secret_key: &str,
) -> Result<HttpRequest> {
    let body = LoginRequest {
        username,
        password,
        secretkey: secret_key,
    };
    HttpRequest::post(url)
        .secret(username)
        .secret(password)
        .secret(secret_key)
        .json(&body)
}

/// A call with the account's `XBkey`.
fn keyed(account: &Account, endpoint: Endpoint) -> HttpRequest {
    HttpRequest::post(account.url(endpoint)).secret_header("XBkey", account.xb_key.as_str())
}

/// A new batch of AWBs for `lot`.
pub fn awb_batch_request(account: &Account, lot: Lot) -> Result<HttpRequest> {
    let body = AwbBatchRequest {
        business_unit: "ECOM".into(),
        service_type: lot.service_type().into(),
        delivery_type: lot.delivery_type().into(),
    };
    keyed(account, Endpoint::AwbBatch).json(&body)
}

/// The numbers of batch `batch_id`.
pub fn awb_series_request(account: &Account, lot: Lot, batch_id: &str) -> Result<HttpRequest> {
    let body = AwbSeriesRequest {
        business_unit: "ECOM".into(),
        service_type: lot.service_type().into(),
        batch_id: batch_id.trim().to_string(),
    };
    keyed(account, Endpoint::AwbSeries).json(&body)
}

fn one_line(address: &Address) -> String {
    address.street()
}

fn manifest_address(address: &Address) -> ManifestAddress {
    ManifestAddress {
        address: Some(one_line(address)),
        city: Some(address.city.clone()),
        email_id: address.email.clone().unwrap_or_default(),
        name: Some(address.name.clone()),
        pin_code: address.postal_code.as_str().to_string(),
        state: Some(
            address
                .state_name()
                .map_or_else(|| address.state.clone().unwrap_or_default(), str::to_string),
        ),
        kind: "Primary".into(),
    }
}

fn contact(address: &Address) -> Contact {
    Contact {
        phone_no: Some(mobile(address)),
        kind: "Primary".into(),
    }
}

/// Kilograms and centimetres, rounded up; billable is the greater of the parcel's weight
/// and its volumetric weight.
fn package(parcel: &Parcel) -> PackageDetails {
    let side = |mm: Option<u32>| mm.map_or(0, whole_cm);
    let (l, w, h) = (
        side(parcel.length_mm),
        side(parcel.width_mm),
        side(parcel.height_mm),
    );
    let volume_cm3 = u64::from(l) * u64::from(w) * u64::from(h);
    // Grams, rounded up, within u32 (a side is at most a few metres after parsing).
    let vol_g = u32::try_from((volume_cm3 * 1000).div_ceil(VOLUMETRIC_DIVISOR)).unwrap_or(u32::MAX);
    let billable = parcel.weight_g.max(vol_g);
    PackageDetails {
        dimensions: Dimensions {
            height: h.to_string(),
            length: l.to_string(),
            width: w.to_string(),
        },
        weight: Weight {
            billable_weight: kg_text(billable),
            phy_weight: kg_text(parcel.weight_g),
            vol_weight: kg_text(vol_g),
        },
    }
}

/// The value declared for the goods (see [`declared_value`]): zero for a prepaid booking
/// without one (XpressBees requires the field).
fn declared(value: Option<Money>, payment: &Payment) -> Result<Money> {
    declared_value(value, payment, Money::inr(0))
}

/// The forward manifest of `req` under `awb` (XpressBees' pre-ship manifest): shipgate's
/// shipment id as `OrderNo`, `ManifestID` and the invoice number, so every XpressBees
/// view of the booking names it. `today` is the invoice date.
pub fn forward_manifest(
    account: &Account,
    shipment_id: &str,
    req: &ShipmentRequest,
    awb: &str,
    today: NaiveDate,
) -> Result<ForwardManifest> {
    let parcel = domestic_piece(req, "IN")?;
    let service = Service::from_code(req.service.as_deref())?;
    let value = declared(req.declared_value(), &req.payment)?;
    let (order_type, collectible) = match &req.payment {
        Payment::Prepaid => ("PrePaid", "0".to_string()),
        Payment::Cod { cod_amount } => ("COD", cod_amount.to_major_string()),
    };
    let reference = shipment_id.trim();
    if reference.is_empty() || reference.len() > 50 {
        return Err(CarrierError::NotSent(
            "XpressBees needs an order number of 1 to 50 characters".into(),
        ));
    }
    let description = Some(req.description()).filter(|d| !d.trim().is_empty());
    let from = &req.from;
    Ok(ForwardManifest {
        awb: awb.to_string(),
        business_account_name: account.business_account_name.clone(),
        order_no: reference.to_string(),
        sub_order_no: reference.to_string(),
        order_type: order_type.into(),
        collectible_amount: collectible,
        declared_value: value.to_major_string(),
        pickup_type: "Vendor".into(),
        quantity: "1".into(),
        service_type: service.code().into(),
        drop: DropDetails {
            addresses: vec![manifest_address(&req.to)],
            contacts: vec![DropContact {
                phone_no: mobile(&req.to),
                kind: "Primary".into(),
                virtual_number: None,
            }],
            geo: GeoOptions::default(),
        },
        pickup: PickupDetails {
            addresses: vec![manifest_address(from)],
            contacts: vec![contact(from)],
            vendor_code: account.pickup_vendor_code.clone(),
            geo: GeoOptions::default(),
        },
        // Returns go back where the parcel came from.
        rto: RtoDetails {
            addresses: vec![manifest_address(from)],
            contacts: vec![contact(from)],
        },
        instruction: String::new(),
        customer_promise_date: None,
        is_commercial_property: None,
        is_dg_shipment_type: None,
        is_open_delivery: None,
        is_same_day_delivery: None,
        manifest_id: reference.to_string(),
        multi_shipment_group_id: None,
        sender_name: None,
        is_essential: "false".into(),
        is_secondary_packing: "false".into(),
        package: package(parcel),
        gst: vec![GstSellerInfo {
            buyer_gstin: None,
            ebn_expiry_date: None,
            eway_bill_number: None,
            invoice_date: today.format("%d-%m-%Y").to_string(),
            invoice_number: req.order_ref.clone(),
            invoice_value: Some(value.to_major_string()),
            seller_registered: if account.seller_gstin.is_some() {
                "Yes"
            } else {
                "No"
            }
            .into(),
            product_unique_id: None,
            seller_address: one_line(from),
            seller_gstin: account.seller_gstin.clone(),
            seller_name: from.name.clone(),
            seller_pincode: from.postal_code.as_str().to_string(),
            supply_state: from
                .state_name()
                .map_or_else(|| from.state.clone().unwrap_or_default(), str::to_string),
            hsn: vec![HsnDetail {
                product_category: "E-commerce".into(),
                product_desc: description.unwrap_or_else(|| "Goods".into()),
                cgst_amount: None,
                discount: None,
                igst_rate: None,
                cgst_rate: None,
                sgst_rate: None,
                tax_total: None,
                hsn_code: None,
                igst_amount: None,
                quantity: Some("1".into()),
                sgst_amount: None,
                taxable_value: value.to_major_f64(),
            }],
        }],
    })
}

/// The forward manifest as a call.
pub fn forward_request(account: &Account, manifest: &ForwardManifest) -> Result<HttpRequest> {
    keyed(account, Endpoint::Forward).json(manifest)
}

/// The reverse manifest of a return under `awb`: picked up from the buyer
/// (`request.pickup`), delivered to the seller (`request.deliver_to`).
pub fn reverse_manifest(
    account: &Account,
    request: &ReturnRequest,
    forward_awb: Option<&str>,
    awb: &str,
) -> Result<ReverseManifest> {
    if request.qc.is_some() {
        return Err(CarrierError::Unsupported(
            "a doorstep quality check (XpressBees' reverse manifest takes none)",
        ));
    }
    let parcel = return_piece(request)?;
    let service = Service::from_code(request.service.as_deref())?;
    let value = declared(request.declared_value(), &Payment::Prepaid)?;
    let reference = request.shipment_id.trim();
    if reference.is_empty() || reference.len() > 50 {
        return Err(CarrierError::NotSent(
            "XpressBees needs an order number of 1 to 50 characters".into(),
        ));
    }
    let party = |a: &Address| RtoDetails {
        addresses: vec![manifest_address(a)],
        contacts: vec![contact(a)],
    };
    Ok(ReverseManifest {
        awb: awb.to_string(),
        business_account_name: account.business_account_name.clone(),
        order_no: reference.to_string(),
        forward_awb: forward_awb.map(str::to_string),
        return_reason: request.reason.as_str().to_string(),
        declared_value: value.to_major_string(),
        quantity: "1".into(),
        service_type: service.code().into(),
        pickup: party(&request.pickup),
        drop: party(&request.deliver_to),
        package: package(parcel),
    })
}

pub fn reverse_request(account: &Account, manifest: &ReverseManifest) -> Result<HttpRequest> {
    keyed(account, Endpoint::Reverse).json(manifest)
}

/// Whether XpressBees picks up (`PickUp`) or delivers (`Delivery`) at `pincode`, on the
/// forward or the reverse flow.
pub fn pincode_request(
    account: &Account,
    reverse: bool,
    pickup: bool,
    pincode: &str,
) -> Result<HttpRequest> {
    let body = PincodeRequest {
        business_unit: "eComm".into(),
        business_flow: if reverse { "Reverse" } else { "Forward" }.into(),
        business_service: if pickup { "PickUp" } else { "Delivery" }.into(),
        pincode: pincode.trim().to_string(),
    };
    keyed(account, Endpoint::Pincodes).json(&body)
}

/// Every scan of `awb`.
pub fn track_request(account: &Account, awb: &str) -> Result<HttpRequest> {
    let body = TrackRequest {
        awb: awb.trim().to_string(),
    };
    keyed(account, Endpoint::Track).json(&body)
}

/// Cancels `awb` (before pickup a cancellation, after it a return to origin).
pub fn cancel_request(account: &Account, awb: &str) -> Result<HttpRequest> {
    let body = CancelRequest {
        awb: awb.trim().to_string(),
        reason: CANCEL_REASON.into(),
    };
    keyed(account, Endpoint::Cancel).json(&body)
}

/// An NDR instruction for `awb`: XpressBees' one call takes the next attempt's date (the
/// next day unless one is given), and a new phone or a corrected address with it. A
/// return to origin is another call XpressBees documents for forward cancellation,
/// not an NDR action ([`super::XpressBees`] does not offer it).
pub fn ndr_request(
    account: &Account,
    awb: &str,
    action: &NdrAction,
    today: NaiveDate,
) -> Result<HttpRequest> {
    let tomorrow = today + Duration::days(1);
    let date = action.date().unwrap_or(tomorrow);
    if date < today {
        return Err(CarrierError::NotSent(format!(
            "a re-attempt date in the past ({date})"
        )));
    }
    let (phone, address, pincode) = match action {
        NdrAction::Reattempt { .. } | NdrAction::Reschedule { .. } => (None, None, None),
        NdrAction::ChangePhone { phone } => (Some(national_digits(phone)), None, None),
        NdrAction::ChangeAddress { address } => (
            Some(mobile(address)),
            Some(one_line(address)),
            Some(address.postal_code.as_str().to_string()),
        ),
        NdrAction::ReturnToOrigin => {
            return Err(CarrierError::Unsupported(
                "a return to origin as an NDR action (XpressBees' NDR call defers delivery)",
            ));
        }
    };
    let body = NdrRequest {
        awb: awb.trim().to_string(),
        deferred_date: format!("{} 12:00:00", date.format("%d-%m-%Y")),
        phone,
        address,
        pincode,
    };
    keyed(account, Endpoint::Ndr).json(&body)
}
