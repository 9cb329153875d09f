//! Every request shipgate sends to Shiprocket, one builder per operation. The bearer
//! token is added by the session in `mod.rs`, never here.

use chrono::NaiveDateTime;

use crate::CarrierError;
use crate::families::NdrAction;
use crate::kit::adapter::{Result, domestic_piece};
use crate::kit::lenient::trimmed;
use crate::kit::units;
use crate::schema::{Lane, Money, Payment, RateRequest, ShipmentRequest};
use crate::wire::HttpRequest;

use super::wire::{
    ShiprocketAssignAwbRequest, ShiprocketCancelAwbsRequest, ShiprocketCancelOrdersRequest,
    ShiprocketLabelRequest, ShiprocketLoginRequest, ShiprocketNdrActionRequest,
    ShiprocketOrderItem, ShiprocketOrderRequest, ShiprocketServiceabilityRequest,
};

pub const PATH_LOGIN: &str = "/v1/external/auth/login";
pub const PATH_SERVICEABILITY: &str = "/v1/external/courier/serviceability/";
pub const PATH_CREATE_ORDER: &str = "/v1/external/orders/create/adhoc";
pub const PATH_ASSIGN_AWB: &str = "/v1/external/courier/assign/awb";
pub const PATH_GENERATE_LABEL: &str = "/v1/external/courier/generate/label";
pub const PATH_CANCEL_AWBS: &str = "/v1/external/orders/cancel/shipment/awbs";
pub const PATH_CANCEL_ORDERS: &str = "/v1/external/orders/cancel";
pub const PATH_TRACK_AWB: &str = "/v1/external/courier/track/awb/";
pub const PATH_TRACK_SHIPMENT: &str = "/v1/external/courier/track/shipment/";
pub const PATH_ORDERS: &str = "/v1/external/orders";
/// `{PATH_NDR}{awb}/action`.
pub const PATH_NDR: &str = "/v1/external/ndr/";

/// Parcels without dimensions are declared as this cube (cm). Shiprocket refuses an order
/// without length, breadth and height; 10 cm sides weigh 0.2 kg volumetrically
/// (10·10·10 / 5000), below the 0.5 kg minimum slab, so the default never raises a price.
pub const DEFAULT_SIDE_CM: u32 = 10;

/// Weight asked for a lane check: the lightest slab the serviceability sample shows
/// (`min_weight: 0.5`). The API requires a weight; a lane served at 500 g is what
/// "serviceable" means here, and rates then price the real parcel.
pub const LANE_CHECK_WEIGHT_G: u32 = 500;

pub fn login_request(email: &str, password: &str) -> Result<HttpRequest> {
    Ok(HttpRequest::post(PATH_LOGIN)
        .json(&ShiprocketLoginRequest { email, password })?
        .secret(password))
}

impl TryFrom<&RateRequest> for ShiprocketServiceabilityRequest {
    type Error = CarrierError;

    fn try_from(req: &RateRequest) -> Result<Self> {
        if req.from.country != "IN" || req.to.country != "IN" {
            return Err(CarrierError::Unsupported("international shipping"));
        }
        let dimensions_cm = match req.parcels.as_slice() {
            [p] => sides_cm(p.length_mm, p.width_mm, p.height_mm),
            _ => None,
        };
        let declared_value = match req.payment.cod_amount() {
            Some(cod) => Some(cod.clone()),
            // Parsing keeps the total within the cap and in one currency; a request that
            // skipped it is refused rather than sent a wrapped or mixed sum.
            None => Money::checked_sum(
                req.parcels.iter().filter_map(|p| p.declared_value.as_ref()),
            )
            .map_err(|_| {
                CarrierError::Unsupported(
                    "declared values in more than one currency or over the largest amount in all",
                )
            })?,
        };
        Ok(ShiprocketServiceabilityRequest {
            pickup_postcode: req.from.postal_code.as_str().to_string(),
            delivery_postcode: req.to.postal_code.as_str().to_string(),
            weight_g: req.total_weight_g(),
            cod: matches!(req.payment, Payment::Cod { .. }),
            dimensions_cm,
            declared_value,
        })
    }
}

pub(super) fn sides_cm(l: Option<u32>, w: Option<u32>, h: Option<u32>) -> Option<(u32, u32, u32)> {
    Some((
        units::whole_cm(l?),
        units::whole_cm(w?),
        units::whole_cm(h?),
    ))
}

fn serviceability_query(q: &ShiprocketServiceabilityRequest) -> HttpRequest {
    let mut r = HttpRequest::get(PATH_SERVICEABILITY)
        .query("pickup_postcode", &q.pickup_postcode)
        .query("delivery_postcode", &q.delivery_postcode)
        .query("weight", units::kg_text(q.weight_g))
        .query("cod", if q.cod { "1" } else { "0" });
    if let Some((l, b, h)) = q.dimensions_cm {
        r = r
            .query("length", l.to_string())
            .query("breadth", b.to_string())
            .query("height", h.to_string());
    }
    match &q.declared_value {
        Some(v) => r.query("declared_value", v.to_major_string()),
        None => r,
    }
}

pub fn rate_request(req: &RateRequest) -> Result<HttpRequest> {
    Ok(serviceability_query(&req.try_into()?))
}

pub fn serviceability_request(lane: &Lane) -> HttpRequest {
    serviceability_query(&ShiprocketServiceabilityRequest {
        pickup_postcode: lane.pickup_pincode.clone(),
        delivery_postcode: lane.delivery_pincode.clone(),
        weight_g: LANE_CHECK_WEIGHT_G,
        cod: lane.cod,
        dimensions_cm: None,
        declared_value: None,
    })
}

/// Everything `POST /v1/external/orders/create/adhoc` needs besides the unified request.
#[derive(Debug, Clone)]
pub struct OrderDraft<'a> {
    /// shipgate's shipment id, sent as Shiprocket's `order_id` (the channel order id):
    /// unique per booking and stable across retries, so the order can be found by it.
    pub shipment_id: &'a str,
    pub request: &'a ShipmentRequest,
    /// The nickname of a pickup location registered in the Shiprocket panel.
    pub pickup_location: &'a str,
    /// Order date in IST.
    pub order_date: NaiveDateTime,
}

impl TryFrom<OrderDraft<'_>> for ShiprocketOrderRequest {
    type Error = CarrierError;

    fn try_from(d: OrderDraft<'_>) -> Result<Self> {
        let r = d.request;
        let parcel = domestic_piece(r, "IN")?;
        let (length, breadth, height) = sides_cm(
            parcel.length_mm,
            parcel.width_mm,
            parcel.height_mm,
        )
        .unwrap_or((DEFAULT_SIDE_CM, DEFAULT_SIDE_CM, DEFAULT_SIDE_CM));
        // For COD the order value is what the courier collects; for prepaid it is the
        // declared value (invoice value, used for insurance and e-way bills).
        let (payment_method, value) = match &r.payment {
            Payment::Cod { cod_amount } => ("COD", cod_amount.amount),
            Payment::Prepaid => ("Prepaid", r.declared_value().map_or(0, |m| m.amount)),
        };
        let description = r.description();
        let to = &r.to;
        let address_2 = [to.line2.as_deref(), to.landmark.as_deref()];
        Ok(ShiprocketOrderRequest {
            order_id: d.shipment_id.to_string(),
            order_date: d.order_date.format("%Y-%m-%d %H:%M").to_string(),
            pickup_location: d.pickup_location.to_string(),
            comment: format!("shipgate order {}", r.order_ref),
            billing_customer_name: to.name.clone(),
            billing_last_name: String::new(),
            billing_address: to.line1.clone(),
            billing_address_2: address_2
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
            billing_city: to.city.clone(),
            billing_pincode: to.postal_code.as_str().to_string(),
            billing_state: to.state.clone().unwrap_or_default(),
            billing_country: "India".into(),
            billing_email: to.email.clone().unwrap_or_default(),
            billing_phone: to.phone.national().to_string(),
            shipping_is_billing: true,
            order_items: vec![ShiprocketOrderItem {
                name: if description.is_empty() {
                    format!("Order {}", r.order_ref)
                } else {
                    description
                },
                sku: r.order_ref.clone(),
                units: 1,
                selling_price: value,
            }],
            payment_method: payment_method.into(),
            shipping_charges: 0,
            giftwrap_charges: 0,
            transaction_charges: 0,
            total_discount: 0,
            sub_total: value,
            length,
            breadth,
            height,
            weight: r.total_weight_g(),
        })
    }
}

pub fn create_order_request(draft: OrderDraft<'_>) -> Result<HttpRequest> {
    HttpRequest::post(PATH_CREATE_ORDER).json(&ShiprocketOrderRequest::try_from(draft)?)
}

/// The service code of a booking: a Shiprocket courier_company_id, or none to let the
/// account's rules choose. No retry makes another code one: refused for good.
pub fn courier_id(req: &ShipmentRequest) -> Result<Option<String>> {
    courier_id_of(req.service.as_deref())
}

/// [`courier_id`] of a service code.
pub fn courier_id_of(service: Option<&str>) -> Result<Option<String>> {
    match trimmed(service) {
        None => Ok(None),
        Some(id) if id.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(id.to_string())),
        Some(other) => {
            tracing::debug!(service = other, "not a Shiprocket courier_company_id");
            Err(CarrierError::Unsupported(
                "a service that is not a Shiprocket courier_company_id (take one from a rate \
                 quote)",
            ))
        }
    }
}

pub fn assign_awb_request(shipment_id: &str, courier_id: Option<&str>) -> Result<HttpRequest> {
    HttpRequest::post(PATH_ASSIGN_AWB).json(&ShiprocketAssignAwbRequest {
        shipment_id: shipment_id.to_string(),
        courier_id: courier_id.map(str::to_string),
    })
}

pub fn label_request(shipment_id: &str) -> Result<HttpRequest> {
    HttpRequest::post(PATH_GENERATE_LABEL).json(&ShiprocketLabelRequest {
        shipment_id: vec![shipment_id.to_string()],
    })
}

/// The label link is a public S3 URL: fetched without the bearer token, which must never
/// travel to another host.
pub fn label_download_request(url: &str) -> HttpRequest {
    HttpRequest::get(url).header("accept", "application/pdf")
}

pub fn cancel_awb_request(awb: &str) -> Result<HttpRequest> {
    HttpRequest::post(PATH_CANCEL_AWBS).json(&ShiprocketCancelAwbsRequest {
        awbs: vec![path_segment(awb)?.to_string()],
    })
}

pub fn cancel_order_request(order_id: &str) -> Result<HttpRequest> {
    HttpRequest::post(PATH_CANCEL_ORDERS).json(&ShiprocketCancelOrdersRequest {
        ids: vec![order_id.to_string()],
    })
}

pub fn track_awb_request(awb: &str) -> Result<HttpRequest> {
    Ok(HttpRequest::get(format!(
        "{PATH_TRACK_AWB}{}",
        path_segment(awb)?
    )))
}

pub fn track_shipment_request(shipment_id: &str) -> Result<HttpRequest> {
    let id = path_segment(shipment_id)?;
    Ok(HttpRequest::get(format!("{PATH_TRACK_SHIPMENT}{id}")))
}

/// `GET /v1/external/orders?search=<channel order id>`: the orders search, by the id
/// shipgate gave the order (Shiprocket's docs: "Search for AWB or by Channel order_id").
pub fn lookup_request(channel_order_id: &str) -> Result<HttpRequest> {
    let id = trimmed(Some(channel_order_id)).ok_or_else(|| {
        CarrierError::NotSent("no channel order id to search Shiprocket's orders by".into())
    })?;
    Ok(HttpRequest::get(PATH_ORDERS).query("search", id))
}

/// AWBs and ids go into URL paths: anything but letters, digits, `-` and `_` would change
/// the path, so it is refused before sending, for good (no retry changes the id).
/// `POST /v1/external/ndr/{awb}/action`. Shiprocket has two instructions: `return`, and
/// `re-attempt`, which also carries a new phone, address or preferred date, so every
/// delivery instruction is a re-attempt. `comments` is required; shipgate's says what
/// was asked, as the docs' sample does.
pub fn ndr_action_request(awb: &str, action: &NdrAction) -> Result<HttpRequest> {
    let path = format!("{PATH_NDR}{}/action", path_segment(awb)?);
    HttpRequest::post(path).json(&ndr_action_body(action))
}

/// The body of [`ndr_action_request`].
pub fn ndr_action_body(action: &NdrAction) -> ShiprocketNdrActionRequest {
    let deferred_date = action.date().map(|d| d.format("%Y-%m-%d").to_string());
    let mut body = ShiprocketNdrActionRequest {
        action: "re-attempt".into(),
        comments: String::new(),
        phone: None,
        address1: None,
        address2: None,
        deferred_date,
    };
    body.comments = match action {
        NdrAction::Reattempt { date: None } => "Please re-attempt delivery".into(),
        NdrAction::Reattempt { date: Some(d) } | NdrAction::Reschedule { date: d } => {
            format!("Please deliver on {d}")
        }
        NdrAction::ChangeAddress { address } => {
            body.address1 = Some(address.line1.trim().to_string());
            let rest = [address.line2.as_deref(), address.landmark.as_deref()];
            let rest: Vec<&str> = rest
                .into_iter()
                .flatten()
                .filter_map(|s| trimmed(Some(s)))
                .collect();
            body.address2 = Some(rest.join(", ")).filter(|s| !s.is_empty());
            "Please re-attempt at the corrected address".into()
        }
        NdrAction::ChangePhone { phone } => {
            body.phone = Some(phone.national().to_string());
            "Please re-attempt and call the buyer on the new number".into()
        }
        NdrAction::ReturnToOrigin => {
            body.action = "return".into();
            "Please return the shipment to origin".into()
        }
    };
    body
}

fn path_segment(id: &str) -> Result<&str> {
    let id = id.trim();
    let valid = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    if !id.is_empty() && id.bytes().all(valid) {
        return Ok(id);
    }
    tracing::debug!(id, "not a valid Shiprocket AWB or id");
    Err(CarrierError::Unsupported(
        "an AWB or id other than letters, digits, - and _",
    ))
}
