//! The public request decoder and the validation of rate and shipment requests: exactly
//! what the API runs on a request body, from bytes to a domain request or field errors.

use carriers::schema::{
    DecodeError, Parcel, RateRequest, RateRequestInput, ShipmentRequest, ShipmentRequestInput,
    decode,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::check;

/// Decodes `data`; on success hands the document and the input on, else checks the error.
fn decoded<T: DeserializeOwned>(data: &[u8]) -> Option<(serde_json::Value, T)> {
    match decode::<T>(data) {
        Ok(input) => {
            let document = serde_json::from_slice(data).expect("decoded bytes are JSON");
            Some((document, input))
        }
        Err(DecodeError::Invalid(errors)) => {
            assert_eq!(errors.len(), 1, "{errors:?}");
            let e = &errors[0];
            assert!(e.pointer.is_empty() || e.pointer.starts_with('/'), "{e:?}");
            assert!(!e.detail.contains(" at line "), "{e:?}");
            None
        }
        Err(DecodeError::Malformed(detail)) => {
            assert!(!detail.is_empty());
            None
        }
    }
}

/// A parsed request reads back as itself (it is stored with a booking and compared on
/// retries), and its parcels' figures are within bounds.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
    let json = serde_json::to_string(value).expect("a request serialises");
    let back: T = serde_json::from_str(&json).expect("a request reads back");
    assert_eq!(&back, value, "{json}");
}

fn parcels(parcels: &[Parcel]) {
    assert!(!parcels.is_empty());
    for p in parcels {
        assert!(p.weight_g > 0);
        if let Some(v) = &p.declared_value {
            check::money(v);
            assert!(v.amount >= 0);
        }
    }
}

pub fn shipment(data: &[u8]) {
    let Some((document, input)) = decoded::<ShipmentRequestInput>(data) else {
        return;
    };
    match ShipmentRequest::parse(&input) {
        Ok(req) => {
            round_trip(&req);
            parcels(&req.parcels);
            if let Some(cod) = req.payment.cod_amount() {
                check::money(cod);
                assert!(cod.amount > 0);
            }
            if let Some(total) = req.declared_value() {
                check::money(&total);
            }
            assert!(req.total_weight_g() > 0);
        }
        Err(errors) => check::field_errors(&document, &errors),
    }
}

pub fn rate(data: &[u8]) {
    let Some((document, input)) = decoded::<RateRequestInput>(data) else {
        return;
    };
    match RateRequest::parse(&input) {
        Ok(req) => {
            round_trip(&req);
            parcels(&req.parcels);
            let _ = req.total_weight_g();
        }
        Err(errors) => check::field_errors(&document, &errors),
    }
}
