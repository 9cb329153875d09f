//! What every adapter's own code shares: the result type of its calls, the capabilities
//! of a domestic parcel carrier, what a domestic one-piece booking accepts, and carrier
//! refs from optional fields.

use std::collections::BTreeMap;

use crate::CarrierError;
use crate::carrier::Capabilities;
use crate::families::{PickupLocation, RegisteredLocation, ReturnRequest};
use crate::schema::{LabelFormat, Parcel, ShipmentRequest};

/// The result of an adapter call.
pub type Result<T, E = CarrierError> = std::result::Result<T, E>;

/// A domestic parcel carrier with every core operation, COD, pushed tracking and
/// serviceability, producing `native_label_formats` itself (none: shipgate renders).
pub fn domestic_capabilities(native_label_formats: Vec<LabelFormat>) -> Capabilities {
    Capabilities {
        rates: true,
        create_shipment: true,
        cancel: true,
        track: true,
        cod: true,
        international: false,
        native_label_formats,
        webhooks: true,
        serviceability: true,
        ..Capabilities::default()
    }
}

/// The one parcel of a booking within `country`, for a carrier that ships only there and
/// books one AWB per shipment: anything else is refused for good (`Unsupported`, a 422
/// at the API and the next carrier for `carrier: auto`), never booked as something else.
pub fn domestic_piece<'a>(req: &'a ShipmentRequest, country: &str) -> Result<&'a Parcel> {
    if req.to.country != country || req.from.country != country {
        return Err(CarrierError::Unsupported("international shipping"));
    }
    match req.parcels.as_slice() {
        [one] => Ok(one),
        [] => Err(CarrierError::Unsupported("a shipment without a parcel")),
        _ => Err(CarrierError::Unsupported(
            "a multi-piece shipment (book each piece as its own shipment)",
        )),
    }
}

/// The one parcel of a return, for a carrier that books one waybill per return: several
/// are refused for good (`Unsupported`), never booked as one.
pub fn return_piece(request: &ReturnRequest) -> Result<&Parcel> {
    match request.parcels.as_slice() {
        [one] => Ok(one),
        _ => Err(CarrierError::Unsupported(
            "a multi-piece return (book each piece as its own return)",
        )),
    }
}

/// Carrier refs under shipgate's names, for the values that are there.
pub fn refs<'a>(
    fields: impl IntoIterator<Item = (&'a str, Option<&'a str>)>,
) -> BTreeMap<String, String> {
    fields
        .into_iter()
        .filter_map(|(name, value)| Some((name.to_string(), value?.to_string())))
        .collect()
}

/// Registering a pickup location with a carrier that keeps no registry of its own and
/// takes the address with each pickup request (FedEx, UPS, DHL Express, USPS): nothing to
/// call, shipgate keeps the address and sends it with every pickup.
pub fn location_kept_by_shipgate(location: &PickupLocation) -> RegisteredLocation {
    RegisteredLocation {
        carrier_name: location.name.clone(),
        carrier_id: None,
        active: true,
        carrier_message: "the carrier keeps no pickup locations: its address goes with each pickup"
            .into(),
    }
}

/// A failure on the way to a manifest (a login, an AWB fetch) cannot have booked
/// anything: reported as not sent, so the gateway books again rather than waiting for an
/// operator. A failure that says so already is kept.
pub fn not_booked(e: CarrierError) -> CarrierError {
    match e.may_have_happened() {
        true => CarrierError::NotSent(format!("no manifest was sent: {e}")),
        false => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_return_is_one_piece() {
        let parcel: Parcel = serde_json::from_value(serde_json::json!({
            "weight_g": 500, "length_mm": 100, "width_mm": 100, "height_mm": 100,
            "declared_value": null, "description": null
        }))
        .unwrap();
        let address: crate::schema::Address = serde_json::from_value(serde_json::json!({
            "name": "A", "phone": "+919876543210", "line1": "1 Rd", "city": "Pune",
            "postal_code": "411001", "country": "IN"
        }))
        .unwrap();
        let mut request = ReturnRequest {
            shipment_id: "r1".into(),
            pickup: address.clone(),
            deliver_to: address,
            parcels: Vec::new(),
            service: None,
            reason: crate::families::ReturnReason::Damaged,
            qc: None,
            customs: None,
        };
        request.parcels = vec![parcel.clone()];
        assert_eq!(return_piece(&request).unwrap().weight_g, 500);
        request.parcels.push(parcel);
        let err = return_piece(&request).unwrap_err();
        assert!(err.to_string().contains("multi-piece return"), "{err}");
    }

    #[test]
    fn a_failure_before_the_manifest_is_not_sent() {
        let bad = CarrierError::BadResponse("garbled".into());
        assert!(bad.may_have_happened());
        match not_booked(bad) {
            CarrierError::NotSent(why) => {
                assert!(why.starts_with("no manifest was sent: "), "{why}")
            }
            other => panic!("{other:?}"),
        }
        let refused = CarrierError::Unsupported("no");
        assert!(matches!(
            not_booked(refused),
            CarrierError::Unsupported("no")
        ));
    }

    #[test]
    fn refs_skip_what_is_missing() {
        let refs = refs([("a", Some("1")), ("b", None)]);
        assert_eq!(refs, BTreeMap::from([("a".to_string(), "1".to_string())]));
        let caps = domestic_capabilities(Vec::new());
        assert!(caps.rates && caps.cod && !caps.international);
    }
}
