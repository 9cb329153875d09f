//! The public request decoder: JSON bytes to an `*Input` type, with every failure told as
//! either "not JSON" or "this field has the wrong type, here is its JSON pointer".
//!
//! It lives here rather than next to the gateway's body extractor so that it is a pure
//! function of the bytes: the fuzz targets (`fuzz/`) drive exactly what the API runs on
//! every request body without building the HTTP stack.

use serde::de::DeserializeOwned;
use thiserror::Error;

use super::FieldError;

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// Not JSON at all, cut short, or followed by trailing data.
    #[error("malformed JSON: {0}")]
    Malformed(String),
    /// JSON, but a field has the wrong type (one entry, at the field's pointer).
    #[error("invalid field: {0:?}")]
    Invalid(Vec<FieldError>),
}

/// Decodes `bytes` as a `T`, reporting a type error at the failing field's pointer.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    // JSON is UTF-8 (RFC 8259), but serde_json reading bytes skips the check inside keys
    // and strings it ignores, so a body with invalid UTF-8 in an unknown field would be
    // accepted (found by the `shipment_request` fuzz target). Checked here, once.
    let text = std::str::from_utf8(bytes)
        .map_err(|e| DecodeError::Malformed(format!("the body is not UTF-8: {e}")))?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let pointer = pointer(e.path());
        let inner = e.into_inner();
        if inner.is_data() {
            DecodeError::Invalid(vec![FieldError {
                pointer,
                code: "invalid_type".into(),
                detail: strip_position(&inner.to_string()),
            }])
        } else {
            DecodeError::Malformed(inner.to_string())
        }
    })?;
    de.end()
        .map_err(|e| DecodeError::Malformed(e.to_string()))?;
    Ok(value)
}

/// RFC 6901 pointer for a serde path.
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('-'),
        }
    }
    out
}

/// serde_json appends "at line 1 column 57", which means nothing next to a pointer.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ShipmentRequestInput;

    #[test]
    fn type_errors_carry_the_pointer() {
        let err =
            decode::<ShipmentRequestInput>(br#"{"parcels":[{"weight_g":"heavy"}]}"#).unwrap_err();
        match err {
            DecodeError::Invalid(list) => {
                assert_eq!(list[0].pointer, "/parcels/0/weight_g");
                assert!(!list[0].detail.contains("line"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            decode::<ShipmentRequestInput>(b"{\"order_ref\": "),
            Err(DecodeError::Malformed(_))
        ));
        assert!(matches!(
            decode::<ShipmentRequestInput>(b"{} trailing"),
            Err(DecodeError::Malformed(_))
        ));
    }

    /// Regression (fuzzing): invalid UTF-8 inside an unknown key was accepted.
    #[test]
    fn invalid_utf8_is_malformed_even_where_ignored() {
        let body = b"{\"parc%ls\":[{\"wei\xffht_g\":\"heavy\"}]}";
        assert!(matches!(
            decode::<ShipmentRequestInput>(body),
            Err(DecodeError::Malformed(detail)) if detail.contains("UTF-8")
        ));
        assert!(matches!(
            decode::<ShipmentRequestInput>(b"{\"order_ref\": \"\xc3\x28\"}"),
            Err(DecodeError::Malformed(_))
        ));
    }

    #[test]
    fn keys_with_slashes_and_tildes_are_escaped() {
        let err =
            decode::<std::collections::BTreeMap<String, u8>>(br#"{"a/b~c": "x"}"#).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Invalid(vec![FieldError {
                pointer: "/a~1b~0c".into(),
                code: "invalid_type".into(),
                detail: "invalid type: string \"x\", expected u8".into(),
            }])
        );
    }
}
