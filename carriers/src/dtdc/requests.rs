//! One function per DTDC call, building its [`HttpRequest`] from unified values. Pure:
//! the adapter sends what these build.
//!
//! Shipsy's calls carry the account's `api-key` header (a marked secret); the tracking
//! calls carry the token of the tracking login as `x-access-token` (the session adds it,
//! see [`super::DtdcLogin`]); the pincode lookup carries nothing.

use chrono::NaiveDate;

use crate::CarrierError;
use crate::families::ReturnRequest;
use crate::kit::adapter::{Result, domestic_piece, return_piece};
use crate::kit::india::{declared_value, mobile};
use crate::kit::units::{kg_text, whole_cm};
use crate::schema::{Address, LabelFormat, Money, Parcel, Payment, ShipmentRequest};
use crate::wire::HttpRequest;

use super::wire::{
    CancelRequest, Consignment, Party, Piece, PincodeRequest, SoftdataRequest, TrackRequest,
};
use super::{Account, Endpoint, Service};

/// Declared value from which goods need an e-way bill (Indian GST rules: Rs 50,000 per
/// consignment). shipgate's request carries no e-way bill number yet.
pub use crate::kit::india::EWAY_BILL_FROM_PAISE;

/// The label DTDC draws: its 4×6 inch thermal layout, as a PDF.
pub const LABEL_CODE: &str = "SHIP_LABEL_4X6";

/// The longest customer reference DTDC's sources show it taking.
pub const MAX_REFERENCE: usize = 50;

/// `GET /dtdc-api/api/dtdc/authenticate?username=…&password=…` at `url`: both marked
/// secret (they travel in the query string, as DTDC's document has it).
pub fn login_request(url: &str, username: &str, password: &str) -> HttpRequest {
    HttpRequest::get(url)
        .secret_query("username", username)
        .secret_query("password", password)
}

/// A Shipsy call with the account's `api-key`.
fn keyed(account: &Account, request: HttpRequest) -> HttpRequest {
    request.secret_header("api-key", account.api_key.as_str())
}

/// A party: the first line alone, the rest (second line, landmark) on the second.
fn party(address: &Address) -> Party {
    let rest = [address.line2.as_deref(), address.landmark.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    Party {
        name: address.name.clone(),
        phone: mobile(address),
        alternate_phone: String::new(),
        address_line_1: address.line1.clone(),
        address_line_2: rest,
        pincode: address.postal_code.as_str().to_string(),
        city: address.city.clone(),
        state: address
            .state_name()
            .map_or_else(|| address.state.clone().unwrap_or_default(), str::to_string),
    }
}

/// The value declared for the goods (see [`declared_value`]): one rupee for a prepaid
/// booking without one (DTDC requires a value for non-documents).
fn declared(value: Option<Money>, payment: &Payment) -> Result<Money> {
    declared_value(value, payment, Money::inr(100))
}

/// shipgate's id as DTDC's customer reference: 1 to [`MAX_REFERENCE`] characters.
fn reference(id: &str) -> Result<String> {
    let id = id.trim();
    if id.is_empty() || id.len() > MAX_REFERENCE {
        return Err(CarrierError::NotSent(format!(
            "DTDC needs a customer reference of 1 to {MAX_REFERENCE} characters"
        )));
    }
    Ok(id.to_string())
}

/// What the parcel weighs and measures: kilograms (to the gram) and whole
/// centimetres, rounded up; a side not given is 1 cm (DTDC requires the three).
fn measures(parcel: &Parcel) -> (String, [String; 3]) {
    let side = |mm: Option<u32>| mm.map_or(1, whole_cm).max(1).to_string();
    (
        kg_text(parcel.weight_g),
        [
            side(parcel.length_mm),
            side(parcel.width_mm),
            side(parcel.height_mm),
        ],
    )
}

/// The consignment both directions share.
#[allow(clippy::too_many_arguments)]
fn consignment(
    account: &Account,
    id: &str,
    service: Service,
    parcel: &Parcel,
    value: &Money,
    payment: &Payment,
    description: String,
    invoice: (String, NaiveDate),
    from: &Address,
    to: &Address,
    reverse: bool,
) -> Result<Consignment> {
    let reference = reference(id)?;
    let (weight, [length, width, height]) = measures(parcel);
    let (mode, cod) = match payment {
        Payment::Prepaid => (String::new(), "0".to_string()),
        Payment::Cod { cod_amount } => {
            if cod_amount.currency.as_str() != "INR" || cod_amount.amount <= 0 {
                return Err(CarrierError::NotSent(
                    "DTDC collects a positive amount in INR".into(),
                ));
            }
            ("cash".to_string(), cod_amount.to_major_string())
        }
    };
    let description = Some(description)
        .filter(|d| !d.trim().is_empty())
        .unwrap_or_else(|| "Goods".into());
    let piece = Piece {
        description: description.clone(),
        declared_value: value.to_major_string(),
        weight: weight.clone(),
        height: height.clone(),
        length: length.clone(),
        width: width.clone(),
    };
    Ok(Consignment {
        customer_code: account.customer_code.clone(),
        service_type_id: service.wire().into(),
        load_type: "NON-DOCUMENT".into(),
        description,
        dimension_unit: "cm".into(),
        length,
        width,
        height,
        weight_unit: "kg".into(),
        weight,
        declared_value: value.to_major_string(),
        num_pieces: "1".into(),
        customer_reference_number: reference,
        cod_collection_mode: mode,
        cod_amount: cod,
        commodity_id: account.commodity_id.clone(),
        // Blank: DTDC allocates the AWB.
        reference_number: String::new(),
        consignment_type: reverse.then(|| "REVERSE".to_string()),
        is_risk_surcharge_applicable: false,
        invoice_number: invoice.0,
        invoice_date: invoice.1.format("%d %b %Y").to_string(),
        origin_details: party(from),
        destination_details: party(to),
        // An undelivered forward parcel goes back where it came from.
        return_details: (!reverse).then(|| party(from)),
        pieces_detail: vec![piece],
    })
}

/// The forward consignment of `req`, booked under shipgate's shipment id; `today` is the
/// invoice date.
pub fn forward_consignment(
    account: &Account,
    shipment_id: &str,
    req: &ShipmentRequest,
    today: NaiveDate,
) -> Result<Consignment> {
    let parcel = domestic_piece(req, "IN")?;
    let service = Service::from_code(req.service.as_deref())?;
    let value = declared(req.declared_value(), &req.payment)?;
    consignment(
        account,
        shipment_id,
        service,
        parcel,
        &value,
        &req.payment,
        req.description(),
        (req.order_ref.clone(), today),
        &req.from,
        &req.to,
        false,
    )
}

/// A reverse pickup (`consignment_type: REVERSE`): collected from the buyer, delivered to
/// the seller, prepaid.
pub fn reverse_consignment(
    account: &Account,
    request: &ReturnRequest,
    today: NaiveDate,
) -> Result<Consignment> {
    if request.qc.is_some() {
        return Err(CarrierError::Unsupported(
            "a doorstep quality check (DTDC's reverse consignment takes none)",
        ));
    }
    if request.parcels.is_empty() {
        return Err(CarrierError::Unsupported("a return without a parcel"));
    }
    let parcel = return_piece(request)?;
    if request.pickup.country != "IN" || request.deliver_to.country != "IN" {
        return Err(CarrierError::Unsupported("international returns"));
    }
    let service = Service::from_code(request.service.as_deref())?;
    let value = declared(request.declared_value(), &Payment::Prepaid)?;
    let description = parcel
        .description
        .clone()
        .unwrap_or_else(|| format!("Return: {}", request.reason.as_str()));
    consignment(
        account,
        &request.shipment_id,
        service,
        parcel,
        &value,
        &Payment::Prepaid,
        description,
        (request.shipment_id.trim().to_string(), today),
        &request.pickup,
        &request.deliver_to,
        true,
    )
}

/// The softdata call for one consignment.
pub fn softdata_request(account: &Account, consignment: &Consignment) -> Result<HttpRequest> {
    let body = SoftdataRequest {
        consignments: vec![consignment.clone()],
    };
    keyed(account, HttpRequest::post(account.url(Endpoint::Softdata))).json(&body)
}

/// The label of `awb` in DTDC's 4×6 layout, streamed as a PDF; DTDC draws no ZPL.
pub fn label_request(account: &Account, awb: &str, format: LabelFormat) -> Result<HttpRequest> {
    if format != LabelFormat::Pdf {
        return Err(CarrierError::Unsupported(
            "a DTDC label in another format than PDF",
        ));
    }
    let request = HttpRequest::get(account.url(Endpoint::Label))
        .query("reference_number", awb.trim())
        .query("label_code", LABEL_CODE)
        .query("label_format", "pdf");
    Ok(keyed(account, request))
}

pub fn cancel_request(account: &Account, awb: &str) -> Result<HttpRequest> {
    let body = CancelRequest {
        awbs: vec![awb.trim().to_string()],
        customer_code: account.customer_code.clone(),
    };
    keyed(account, HttpRequest::post(account.url(Endpoint::Cancel))).json(&body)
}

/// How a tracking call names the consignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackBy {
    /// The AWB (`cnno`).
    Awb,
    /// The customer reference the consignment was uploaded with (`reference`).
    Reference,
}

/// A tracking call (the session adds the token).
pub fn track_request(account: &Account, by: TrackBy, number: &str) -> Result<HttpRequest> {
    let body = TrackRequest {
        trk_type: match by {
            TrackBy::Awb => "cnno",
            TrackBy::Reference => "reference",
        }
        .into(),
        strcnno: number.trim().to_string(),
        addtnl_dtl: "Y".into(),
    };
    HttpRequest::post(account.url(Endpoint::Track)).json(&body)
}

/// The pincode lookup for a lane: DTDC's rate calculator answers it without credentials.
pub fn pincode_request(account: &Account, from: &str, to: &str) -> Result<HttpRequest> {
    let body = PincodeRequest {
        org_pincode: from.trim().to_string(),
        des_pincode: to.trim().to_string(),
    };
    HttpRequest::post(account.url(Endpoint::Pincodes)).json(&body)
}
