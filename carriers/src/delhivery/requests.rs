//! Every request shipgate sends to Delhivery, one builder per operation.

use crate::CarrierError;
use crate::families::NdrAction;
use crate::kit::adapter::{Result, domestic_piece};
use crate::kit::units;
use crate::schema::{Payment, RateRequest, ShipmentRequest};
use crate::wire::HttpRequest;

use super::Delhivery;
use super::wire::{
    DelhiveryCancelRequest, DelhiveryCreateRequest, DelhiveryNdrData, DelhiveryNdrItem,
    DelhiveryNdrRequest, DelhiveryPickupLocation, DelhiveryShipment, Service,
};

/// Longest `order` Delhivery accepts ("oid does not pass the validator", error-remarks.csv).
const MAX_ORDER_LEN: usize = 50;

/// Volumetric divisor (cm³ per kg) used to compute the chargeable weight sent as `cgm`.
const VOLUMETRIC_DIVISOR_CM3_PER_KG: u64 = 5000;

pub const CREATE_PATH: &str = "/api/cmu/create.json";
pub const TRACK_PATH: &str = "/api/v1/packages/json/";
pub const CANCEL_PATH: &str = "/api/p/edit";
pub const PINCODE_PATH: &str = "/c/api/pin-codes/json/";
pub const CHARGES_PATH: &str = "/api/kinko/v1/invoice/charges/.json";
pub const NDR_PATH: &str = "/api/p/update";
/// Below it, the upload id: `/api/cmu/get_bulk_upl/UPL…`.
pub const NDR_STATUS_PATH: &str = "/api/cmu/get_bulk_upl/";

impl Delhivery {
    pub(super) fn authorised(&self, request: HttpRequest) -> HttpRequest {
        request.secret(&self.api_token).header(
            "authorization",
            format!("Token {}", self.api_token.as_str()),
        )
    }

    /// `POST /api/cmu/create.json` with `format=json&data=<shipment JSON>` (the field
    /// order of the real capture).
    pub fn create_request(&self, shipment_id: &str, req: &ShipmentRequest) -> Result<HttpRequest> {
        let body = create_body(shipment_id, req, &self.pickup_location)?;
        let data = serde_json::to_string(&body)
            .map_err(|e| CarrierError::NotSent(format!("could not encode shipment: {e}")))?;
        self.authorised(HttpRequest::post(CREATE_PATH))
            .form(&[("format", "json".to_string()), ("data", data)])
    }

    /// Tracking by AWB. `verbose=1` is the smallest answer with the scan history
    /// (`verbose=2` only adds the consignee's personal data).
    pub fn track_request(&self, awb: &str) -> HttpRequest {
        self.authorised(HttpRequest::get(TRACK_PATH))
            .query("waybill", awb.trim())
            .query("verbose", "1")
    }

    /// Tracking by the client reference sent as `order` at booking: how a booking whose
    /// answer was lost is found again.
    pub fn lookup_request(&self, reference: &str) -> HttpRequest {
        self.authorised(HttpRequest::get(TRACK_PATH))
            .query("ref_ids", reference.trim())
            .query("verbose", "1")
    }

    /// `POST /api/p/edit` with `{"waybill": …, "cancellation": "true"}`.
    pub fn cancel_request(&self, awb: &str) -> Result<HttpRequest> {
        self.authorised(HttpRequest::post(CANCEL_PATH))
            .header("accept", "application/xml, application/json")
            .json(&DelhiveryCancelRequest {
                waybill: awb.trim().to_string(),
                cancellation: "true".to_string(),
            })
    }

    /// `POST /api/p/update` with one instruction for `awb`, in Delhivery's words:
    /// `RE-ATTEMPT`; `DEFER_DLV` with `deferred_date` (a re-attempt with a date, or a
    /// reschedule); `EDIT_DETAILS` with the consignee's `name` and `add`, or `phone`.
    /// Delhivery's NDR API has no return instruction: that is refused here, unsent.
    pub fn ndr_request(&self, awb: &str, action: &NdrAction) -> Result<HttpRequest> {
        let item = ndr_item(awb.trim(), action)?;
        let body = DelhiveryNdrRequest { data: vec![item] };
        self.authorised(HttpRequest::post(NDR_PATH)).json(&body)
    }

    /// The status of an NDR upload, by the `UPL…` id its request was answered with
    /// (`verbose=true`, as a public client sends it; the answer's shape is unpublished).
    pub fn ndr_status_request(&self, upload_id: &str) -> HttpRequest {
        let path = format!("{NDR_STATUS_PATH}{}", upload_id.trim());
        self.authorised(HttpRequest::get(path))
            .query("verbose", "true")
    }

    /// Serviceability of several pincodes in one call.
    pub fn serviceability_request(&self, pincodes: &[&str]) -> HttpRequest {
        self.authorised(HttpRequest::get(PINCODE_PATH))
            .query("filter_codes", pincodes.join(","))
    }

    /// The price of a delivered parcel (`ss=Delivered`; the alternatives price an RTO or
    /// a DTO) for `cgm` chargeable grams.
    pub fn rate_request(&self, req: &RateRequest, service: Service) -> HttpRequest {
        let (pt, cod) = match &req.payment {
            Payment::Prepaid => ("Pre-paid", "0".to_string()),
            Payment::Cod { cod_amount } => ("COD", cod_amount.to_major_string()),
        };
        self.authorised(HttpRequest::get(CHARGES_PATH))
            .query("md", service.billing_mode())
            .query("ss", "Delivered")
            .query("d_pin", req.to.postal_code.as_str())
            .query("o_pin", req.from.postal_code.as_str())
            .query("cgm", chargeable_weight_g(req).to_string())
            .query("pt", pt)
            .query("cod", cod)
    }
}

/// One waybill's NDR instruction (see [`Delhivery::ndr_request`]).
pub fn ndr_item(awb: &str, action: &NdrAction) -> Result<DelhiveryNdrItem> {
    let (act, data) = match action {
        NdrAction::Reattempt { date: None } => ("RE-ATTEMPT", None),
        NdrAction::Reattempt { date: Some(date) } | NdrAction::Reschedule { date } => {
            let deferred_date = Some(date.format("%Y-%m-%d").to_string());
            let data = DelhiveryNdrData {
                deferred_date,
                ..DelhiveryNdrData::default()
            };
            ("DEFER_DLV", Some(data))
        }
        NdrAction::ChangeAddress { address } => {
            let data = DelhiveryNdrData {
                name: Some(clean_text(&address.name)),
                add: Some(clean_text(&address.street())),
                ..DelhiveryNdrData::default()
            };
            ("EDIT_DETAILS", Some(data))
        }
        NdrAction::ChangePhone { phone } => {
            let data = DelhiveryNdrData {
                phone: Some(phone.national().to_string()),
                ..DelhiveryNdrData::default()
            };
            ("EDIT_DETAILS", Some(data))
        }
        NdrAction::ReturnToOrigin => {
            return Err(CarrierError::Unsupported(
                "return to origin: Delhivery's NDR API has no such instruction",
            ));
        }
    };
    Ok(DelhiveryNdrItem {
        waybill: awb.to_string(),
        act: act.to_string(),
        action_data: data,
    })
}

/// Dead weight or volumetric weight, whichever is larger, per parcel. With the divisor in
/// cm³/kg, volumetric grams are simply mm³ / divisor.
pub fn chargeable_weight_g(req: &RateRequest) -> u64 {
    req.parcels
        .iter()
        .map(|p| {
            let volumetric = p.volume_mm3().unwrap_or(0) / VOLUMETRIC_DIVISOR_CM3_PER_KG;
            u64::from(p.weight_g).max(volumetric)
        })
        .sum()
}

/// Delhivery's create endpoint chokes on `& % # ; \` in values ("Unterminated string…",
/// error-remarks.csv) even when they are properly form-encoded, so free text is cleaned
/// before it is sent rather than rejected after a round trip.
///
/// `&` becomes ` and `, the others and control characters a space, and runs of
/// whitespace one space, trimmed: in one pass into one string (it runs on a dozen
/// fields of every booking).
pub fn clean_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    let mut push = |c: char| {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    };
    for c in text.chars() {
        match c {
            '&' => " and ".chars().for_each(&mut push),
            '%' | '#' | ';' | '\\' => push(' '),
            c if c.is_control() => push(' '),
            c => push(c),
        }
    }
    out
}

/// Refuses a client reference Delhivery would not take as `order`.
pub(super) fn check_order(order: &str) -> Result<()> {
    let valid = |c: char| c.is_ascii_alphanumeric() || "-_/.:".contains(c);
    if order.is_empty() || order.len() > MAX_ORDER_LEN || !order.chars().all(valid) {
        tracing::warn!(
            shipment_id = order,
            "shipment id cannot be Delhivery's order reference"
        );
        return Err(CarrierError::Unsupported(
            "an order reference (the shipment id) other than 1 to 50 letters, digits \
             and - _ / . :",
        ));
    }
    Ok(())
}

/// The `data` document of a create. What Delhivery can never book is refused for good
/// (422 carrier_unsupported at the API, and the next carrier for `carrier: auto`), not
/// as a call to retry.
fn create_body(
    order: &str,
    req: &ShipmentRequest,
    pickup_location: &str,
) -> Result<DelhiveryCreateRequest> {
    // Delhivery B2C ships within India only; a multi-piece (MPS) booking needs waybills
    // fetched beforehand, which this adapter does not do yet.
    let parcel = domestic_piece(req, "IN")?;
    check_order(order)?;
    let service = Service::from_code(req.service.as_deref())?;
    let (payment_mode, cod_amount) = match &req.payment {
        Payment::Prepaid => ("Prepaid", "0".to_string()),
        Payment::Cod { cod_amount } => ("COD", cod_amount.to_major_string()),
    };
    let total_amount = req
        .declared_value()
        .or_else(|| req.payment.cod_amount().cloned())
        .map(|m| m.to_major_string())
        .unwrap_or_else(|| "0".to_string());
    let (to, from) = (&req.to, &req.from);
    let shipment = DelhiveryShipment {
        name: clean_text(&to.name),
        add: clean_text(&to.street()),
        pin: to.postal_code.as_str().to_string(),
        city: clean_text(&to.city),
        state: clean_text(to.state.as_deref().unwrap_or_default()),
        country: "India".to_string(),
        phone: to.phone.national().to_string(),
        order: order.to_string(),
        payment_mode: payment_mode.to_string(),
        products_desc: clean_text(&req.description()),
        cod_amount,
        total_amount,
        quantity: 1,
        weight: req.total_weight_g(),
        shipment_length: parcel.length_mm.map(units::cm),
        shipment_width: parcel.width_mm.map(units::cm),
        shipment_height: parcel.height_mm.map(units::cm),
        shipping_mode: service.shipping_mode().to_string(),
        waybill: String::new(),
        // RTOs go back to the shipper the OMS named, not only to the warehouse's
        // registered return address.
        return_name: clean_text(&from.name),
        return_add: clean_text(&from.street()),
        return_city: clean_text(&from.city),
        return_state: clean_text(from.state.as_deref().unwrap_or_default()),
        return_pin: from.postal_code.as_str().to_string(),
        return_phone: from.phone.national().to_string(),
        return_country: "India".to_string(),
    };
    Ok(DelhiveryCreateRequest {
        shipments: vec![shipment],
        pickup_location: DelhiveryPickupLocation {
            name: pickup_location.to_string(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cleaned_of_characters_delhivery_rejects() {
        assert_eq!(clean_text("A&B; #12 \\ 50%"), "A and B 12 50");
        assert_eq!(clean_text("  line\none "), "line one");
    }

    // The cleaning as first written, step by step: the one-pass version must agree.
    fn clean_text_as_specified(text: &str) -> String {
        let replaced = text.replace('&', " and ");
        let mapped: String = replaced
            .chars()
            .map(|c| match c {
                '%' | '#' | ';' | '\\' => ' ',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect();
        mapped.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn text_is_cleaned_as_the_steps_specify() {
        let pieces = [
            "a", "&", "%", "#", ";", "\\", " ", "  ", "\n", "\t", "\u{0}", "\u{85}", "\u{a0}",
            "\u{3000}", "é", "12",
        ];
        let texts = crate::kit::text_cases::every_joining(&pieces, &[], 4);
        for text in &texts {
            assert_eq!(clean_text(text), clean_text_as_specified(text), "{text:?}");
        }
        let checked = texts.len();
        assert!(checked > 60_000, "{checked}");
    }
}
