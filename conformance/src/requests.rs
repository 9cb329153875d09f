//! The public request decoder and the validation of rate and shipment requests (and of
//! uploaded rate cards): exactly what the API runs on a request body, from bytes to a
//! domain value or field errors.

use carriers::address_quality::{Band, penalty};
use carriers::ratecard::{RateCard, RateCardInput};
use carriers::schema::{
    AddressInput, DecodeError, MAX_DECODE_ERRORS, Parcel, RateRequest, RateRequestInput,
    ShipmentRequest, ShipmentRequestInput, decode,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::check;

/// Decodes `data`; on success hands the document (when `serde_json::Value` can hold it:
/// a number beyond `f64` in an ignored field is valid JSON it cannot) and the input on,
/// else checks the error: type errors are between one and `MAX_DECODE_ERRORS`, each at
/// its own pointer into the document sent (the field, or the object that lacks it).
fn decoded<T: DeserializeOwned>(data: &[u8]) -> Option<(Option<serde_json::Value>, T)> {
    match decode::<T>(data) {
        Ok(input) => Some((serde_json::from_slice(data).ok(), input)),
        Err(DecodeError::Invalid(errors)) => {
            assert!(errors.len() <= MAX_DECODE_ERRORS, "{errors:?}");
            for e in &errors {
                assert_eq!(e.code, "invalid_type", "{e:?}");
                assert!(!ends_with_position(&e.detail), "{e:?}");
            }
            let pointers: std::collections::BTreeSet<_> =
                errors.iter().map(|e| e.pointer.as_str()).collect();
            assert_eq!(
                pointers.len(),
                errors.len(),
                "one error a pointer: {errors:?}"
            );
            let document: Option<serde_json::Value> = serde_json::from_slice(data).ok();
            check::field_errors(document.as_ref(), &errors);
            None
        }
        Err(DecodeError::Malformed(detail)) => {
            assert!(!detail.is_empty());
            None
        }
    }
}

/// Whether serde's ` at line N column M` is still on a detail (the body's own text may
/// say "at line": a string echoed in a type error).
fn ends_with_position(detail: &str) -> bool {
    let Some(i) = detail.rfind(" at line ") else {
        return false;
    };
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    matches!(
        detail[i + " at line ".len()..].split_once(" column "),
        Some((line, column)) if number(line) && number(column)
    )
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
            // Customs exactly when the shipment crosses a border, within their bounds.
            assert_eq!(req.customs.is_some(), req.is_international());
            if let Some(customs) = &req.customs {
                let total = customs.total_value().expect("within the cap, one currency");
                check::money(&total);
                assert!(customs.total_weight_g() <= u64::from(req.total_weight_g()));
                assert!(
                    customs
                        .items
                        .iter()
                        .all(|i| (6..=10).contains(&i.hs_code.len()))
                );
            }
        }
        Err(errors) => check::field_errors(document.as_ref(), &errors),
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
        Err(errors) => check::field_errors(document.as_ref(), &errors),
    }
}

/// A rate card as uploaded, as JSON or as CSV: a valid card reads back from the JSON it
/// is stored as (and serves quotes from later), and field errors point into the upload.
pub fn rate_card(data: &[u8]) {
    if let Some((document, input)) = decoded::<RateCardInput>(data) {
        match RateCard::parse(&input) {
            Ok(card) => stored_card_reads_back(&card),
            Err(errors) => check::field_errors(document.as_ref(), &errors),
        }
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(card) = carriers::ratecard::csv::parse(text)
    {
        stored_card_reads_back(&card);
    }
}

fn stored_card_reads_back(card: &RateCard) {
    let json = serde_json::to_string(card).expect("a card serialises");
    assert_eq!(RateCard::from_json(&json).as_ref(), Ok(card), "{json}");
}

/// An address sent to `POST /v1/addresses/check` (and, as a booking's `to`, scored at
/// every booking): a valid one gets a score within 0–100 that is 100 less its reasons'
/// points, the band of that score, reasons each at a pointer to a field of the address
/// with its listed cost; an invalid one field errors that point into the document.
pub fn address(data: &[u8]) {
    let Some((document, input)) = decoded::<AddressInput>(data) else {
        return;
    };
    match carriers::address_quality::check(&input) {
        Ok(a) => {
            let q = &a.quality;
            assert!(q.score <= 100);
            assert_eq!(q.band, Band::of(q.score));
            let lost: u32 = q.reasons.iter().map(|r| u32::from(r.penalty)).sum();
            assert_eq!(u32::from(q.score), 100u32.saturating_sub(lost), "{q:?}");
            for r in &q.reasons {
                let field = r.pointer.strip_prefix('/').expect("a pointer");
                assert!(
                    [
                        "name",
                        "phone",
                        "line1",
                        "line2",
                        "landmark",
                        "city",
                        "state",
                        "postal_code",
                        "country"
                    ]
                    .contains(&field),
                    "{r:?}"
                );
                assert!(!r.detail.is_empty());
                // Only a missing house number costs less with a landmark beside it.
                assert!(
                    r.penalty == penalty(&r.code) || r.code == "house_number_missing",
                    "{r:?}"
                );
            }
            let json = serde_json::to_string(&a).expect("an assessment serialises");
            assert!(json.contains("\"band\""));
        }
        Err(errors) => check::field_errors(document.as_ref(), &errors),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_body_that_says_at_line_is_not_a_position() {
        // Found by the address_check target: a string body echoed in its type error.
        let body = b"\"[9tester99999999999999 at line p99999999\"";
        super::shipment(body);
        super::address(body);
        assert!(super::ends_with_position(
            "expected a string at line 1 column 9"
        ));
        assert!(!super::ends_with_position(
            "`x at line p` is not an address"
        ));
    }
}
