//! The public request decoder: JSON bytes to an `*Input` type, with every failure told as
//! either "not JSON" or "these fields have the wrong type, here are their JSON pointers".
//!
//! It lives here rather than next to the gateway's body extractor so that it is a pure
//! function of the bytes: the fuzz targets (`fuzz/`) drive exactly what the API runs on
//! every request body without building the HTTP stack.
//!
//! serde stops at the first error, but an integrator fixing a payload wants every wrong
//! field in one round trip. So a body that fails with a type error is read again as a
//! [`serde_json::Value`]: the field that failed is recorded and taken out of the document
//! (an object member removed; an array element removed, with later indices mapped back to
//! the body's), and the document is decoded again, until it decodes or the bounds stop
//! it ([`MAX_DECODE_ERRORS`] errors; a fixed amount of re-decoding work). Every error
//! found is one that decoding the body as sent would hit in that field, never one the
//! removals caused (a required field removed is not reported as missing). The list comes
//! in document order.

use std::collections::HashMap;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;
use thiserror::Error;

use super::FieldError;

/// The most type errors one body is answered with; a body with more gets the first ones.
pub const MAX_DECODE_ERRORS: usize = 50;

/// How much re-decoding a body with type errors may cost, as bytes of body decoded again:
/// a 256 KiB body (the gateway's default limit) gets 32 passes, a typical few-KiB body
/// as many as it needs.
const REDECODE_BUDGET_BYTES: usize = 8 << 20;

/// The most passes whatever the size: each error takes one, plus one per level climbed
/// when a removal leaves its parent undecodable.
const MAX_PASSES: usize = 4 * MAX_DECODE_ERRORS;

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// Not JSON at all, cut short, or followed by trailing data.
    #[error("malformed JSON: {0}")]
    Malformed(String),
    /// JSON, but fields have the wrong type: one entry per field, each at its pointer, in
    /// document order (at most [`MAX_DECODE_ERRORS`]).
    #[error("invalid fields: {0:?}")]
    Invalid(Vec<FieldError>),
}

/// Decodes `bytes` as a `T`, reporting every type error at its field's pointer.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    // JSON is UTF-8 (RFC 8259), but serde_json reading bytes skips the check inside keys
    // and strings it ignores, so a body with invalid UTF-8 in an unknown field would be
    // accepted (found by the `shipment_request` fuzz target). Checked here, once.
    let text = std::str::from_utf8(bytes)
        .map_err(|e| DecodeError::Malformed(format!("the body is not UTF-8: {e}")))?;
    // The body as sent, straight into `T`: what succeeds here is exactly what succeeded
    // before errors were collected (a number beyond f64 in an ignored field, say). Without
    // tracking the path: that copies every key passed (some thirty allocations for a
    // booking, heaptrack in issue 22), and nearly every body decodes. One that fails is
    // read again with the path tracked, and fails at the same place.
    let mut de = serde_json::Deserializer::from_str(text);
    if let Ok(value) = T::deserialize(&mut de) {
        de.end()
            .map_err(|e| DecodeError::Malformed(e.to_string()))?;
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let first = match serde_path_to_error::deserialize(&mut de) {
        Ok(value) => {
            de.end()
                .map_err(|e| DecodeError::Malformed(e.to_string()))?;
            return Ok(value);
        }
        Err(e) => e,
    };
    let path = segments(first.path());
    let inner = first.into_inner();
    if !inner.is_data() {
        return Err(DecodeError::Malformed(inner.to_string()));
    }
    // A type error came first, but the rest of the body may still not be JSON (cut short,
    // trailing data): that is the answer then.
    serde_json::from_str::<IgnoredAny>(text).map_err(|e| DecodeError::Malformed(e.to_string()))?;
    let shape = serde_json::from_str::<Shape>(text).ok();
    let detail = strip_position(&inner.to_string());
    let first = match shape.as_ref().and_then(|s| s.written_twice(&path)) {
        // serde reading the text failed inside the first copy of a member written twice,
        // before it met the second. The pointer would name a value `Value` (and most JSON
        // readers) do not keep, so the error is the one serde gives for the second copy.
        Some(member) => Found {
            detail: format!("duplicate field `{}`", member.last().map_or("", Seg::key)),
            path: member,
        },
        None => match detail
            .strip_prefix("duplicate field `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            // serde names the object; the member written twice is where the error is.
            Some(key) => Found {
                path: path.into_iter().chain([Seg::Key(key.into())]).collect(),
                detail,
            },
            None => Found { path, detail },
        },
    };
    Err(DecodeError::Invalid(collect::<T>(text, shape, first)))
}

/// One step of a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seg {
    Key(String),
    Index(usize),
    /// A step serde could not name (written `-`): nothing is taken out below it.
    Unknown,
}

impl Seg {
    fn key(&self) -> &str {
        match self {
            Seg::Key(key) => key,
            _ => "",
        }
    }
}

/// A type error: where (in the body as sent) and serde's sentence.
#[derive(Debug, Clone)]
struct Found {
    path: Vec<Seg>,
    detail: String,
}

/// Every type error of `text` after the `first`, by decoding it again with each failing
/// field taken out.
fn collect<T: DeserializeOwned>(text: &str, shape: Option<Shape>, first: Found) -> Vec<FieldError> {
    let mut at = (first.path.clone(), first.path.clone());
    let mut found = vec![first];
    // The body is JSON (checked), but `Value` cannot hold a number beyond f64 that `T`
    // ignored: the first error is then all there is to say.
    if let Ok(mut doc) = serde_json::from_str::<Value>(text) {
        let passes = (REDECODE_BUDGET_BYTES / text.len().max(1)).clamp(1, MAX_PASSES);
        let mut edits = Edits::default();
        for _ in 0..passes {
            // Where the last error is in `doc` as edited, and in the body as sent.
            let (current, original) = at;
            // Take the failing value out (the document itself cannot be) and decode again.
            if current.is_empty() || !edits.remove(&mut doc, &current, &original) {
                break;
            }
            let error = match serde_path_to_error::deserialize::<_, T>(&doc) {
                Ok(_) => break,
                Err(e) => e,
            };
            let current = segments(error.path());
            let Some(original) = edits.original(&doc, &current) else {
                break;
            };
            let detail = strip_position(&error.into_inner().to_string());
            if !edits.caused(&original, &detail) {
                found.push(Found {
                    path: original.clone(),
                    detail,
                });
                if found.len() >= MAX_DECODE_ERRORS {
                    break;
                }
            }
            at = (current, original);
        }
    }
    if let Some(shape) = shape {
        found.sort_by_cached_key(|f| shape.position(&f.path));
    }
    found
        .into_iter()
        .map(|f| FieldError {
            pointer: pointer(&f.path),
            code: "invalid_type".into(),
            detail: f.detail,
        })
        .collect()
}

/// What was taken out of the document, in the body's terms.
#[derive(Debug, Default)]
struct Edits {
    /// The paths (in the body as sent) of the values removed.
    removed: Vec<Vec<Seg>>,
    /// Per array (its path in the body), the indices (in the body) of removed elements,
    /// sorted: how an index in the edited array maps back.
    gaps: HashMap<Vec<Seg>, Vec<usize>>,
}

impl Edits {
    /// Whether an error at `path` is the doing of a removal rather than the body's: a
    /// required field reported missing because it was removed, or a value failing as a
    /// whole because part of it was.
    fn caused(&self, path: &[Seg], detail: &str) -> bool {
        let missing = detail
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split_once('`'));
        match missing {
            Some((field, _)) => {
                let mut field_path = path.to_vec();
                field_path.push(Seg::Key(field.to_string()));
                self.removed.contains(&field_path)
            }
            None => self.removed.iter().any(|r| r.starts_with(path)),
        }
    }

    /// `current` (a path in the edited document) as a path in the body as sent; `None`
    /// when it does not lead to a value there.
    fn original(&self, doc: &Value, current: &[Seg]) -> Option<Vec<Seg>> {
        let mut node = doc;
        let mut original = Vec::with_capacity(current.len());
        for seg in current {
            match (seg, node) {
                (Seg::Key(k), Value::Object(map)) => {
                    node = map.get(k)?;
                    original.push(seg.clone());
                }
                (Seg::Index(i), Value::Array(items)) => {
                    node = items.get(*i)?;
                    let mut index = *i;
                    for gap in self.gaps.get(&original).into_iter().flatten() {
                        if *gap <= index {
                            index += 1;
                        }
                    }
                    original.push(Seg::Index(index));
                }
                _ => return None,
            }
        }
        Some(original)
    }

    /// Removes the value at `current` from `doc`; false when there is none.
    fn remove(&mut self, doc: &mut Value, current: &[Seg], original: &[Seg]) -> bool {
        let Some((last, parent)) = current.split_last() else {
            return false;
        };
        let mut node = doc;
        for seg in parent {
            node = match (seg, node) {
                (Seg::Key(k), Value::Object(map)) => match map.get_mut(k) {
                    Some(next) => next,
                    None => return false,
                },
                (Seg::Index(i), Value::Array(items)) => match items.get_mut(*i) {
                    Some(next) => next,
                    None => return false,
                },
                _ => return false,
            };
        }
        let removed = match (last, node) {
            (Seg::Key(k), Value::Object(map)) => map.remove(k).is_some(),
            (Seg::Index(i), Value::Array(items)) if *i < items.len() => {
                items.remove(*i);
                if let Some(Seg::Index(index)) = original.last() {
                    let gaps = self
                        .gaps
                        .entry(original[..original.len() - 1].to_vec())
                        .or_default();
                    let at = gaps.partition_point(|g| g < index);
                    gaps.insert(at, *index);
                }
                true
            }
            _ => false,
        };
        if removed {
            self.removed.push(original.to_vec());
        }
        removed
    }
}

/// The body's layout, members in the order written, for putting errors in document
/// order (`Value` keeps object members sorted by key).
enum Shape {
    Leaf,
    Object(Vec<(String, Shape)>),
    Array(Vec<Shape>),
}

impl Shape {
    /// The first step of `path` through a member written more than once in its object:
    /// the path to that member.
    fn written_twice(&self, path: &[Seg]) -> Option<Vec<Seg>> {
        let mut node = self;
        for (depth, seg) in path.iter().enumerate() {
            node = match (seg, node) {
                (Seg::Key(k), Shape::Object(members)) => {
                    let mut copies = members.iter().filter(|(key, _)| key == k);
                    let (_, child) = copies.next()?;
                    if copies.next().is_some() {
                        return Some(path[..=depth].to_vec());
                    }
                    child
                }
                (Seg::Index(i), Shape::Array(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        None
    }

    /// Where `path` is in the body: the index of each step, in order.
    fn position(&self, path: &[Seg]) -> Vec<usize> {
        let mut node = self;
        let mut out = Vec::with_capacity(path.len());
        for seg in path {
            let next = match (seg, node) {
                // A key written twice is the last one (as serde_json keeps it).
                (Seg::Key(k), Shape::Object(members)) => members
                    .iter()
                    .rposition(|(key, _)| key == k)
                    .map(|i| (i, &members[i].1)),
                (Seg::Index(i), Shape::Array(items)) => items.get(*i).map(|item| (*i, item)),
                _ => None,
            };
            match next {
                Some((i, child)) => {
                    out.push(i);
                    node = child;
                }
                None => {
                    out.push(usize::MAX);
                    break;
                }
            }
        }
        out
    }
}

impl<'de> serde::Deserialize<'de> for Shape {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Shape, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Shape;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
                Ok(Shape::Leaf)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
                Ok(Shape::Leaf)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
                Ok(Shape::Leaf)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
                Ok(Shape::Leaf)
            }
            fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
                Ok(Shape::Leaf)
            }
            fn visit_unit<E>(self) -> Result<Shape, E> {
                Ok(Shape::Leaf)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Shape, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Shape::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Shape, A::Error> {
                let mut members = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Shape>()? {
                    members.push((key, value));
                }
                Ok(Shape::Object(members))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// The steps of a serde path.
fn segments(path: &serde_path_to_error::Path) -> Vec<Seg> {
    use serde_path_to_error::Segment;
    path.iter()
        .map(|segment| match segment {
            Segment::Seq { index } => Seg::Index(*index),
            Segment::Map { key } => Seg::Key(key.clone()),
            Segment::Enum { variant } => Seg::Key(variant.clone()),
            Segment::Unknown => Seg::Unknown,
        })
        .collect()
}

/// RFC 6901 pointer for a path.
fn pointer(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        out.push('/');
        match seg {
            Seg::Index(index) => out.push_str(&index.to_string()),
            Seg::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Seg::Unknown => out.push('-'),
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

    /// Asserts a body's errors, `(pointer, detail)` in order.
    fn assert_errors(body: &str, want: &[(&str, &str)]) {
        let err = decode::<ShipmentRequestInput>(body.as_bytes());
        let Err(DecodeError::Invalid(list)) = err else {
            panic!("{err:?}")
        };
        let got: Vec<_> = list
            .iter()
            .map(|e| (e.pointer.as_str(), e.detail.as_str()))
            .collect();
        assert_eq!(got, want);
    }

    fn pointers<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> Vec<String> {
        match decode::<T>(body.as_bytes()) {
            Err(DecodeError::Invalid(list)) => {
                assert!(list.iter().all(|e| e.code == "invalid_type"), "{list:?}");
                assert!(
                    list.iter().all(|e| !e.detail.contains(" at line ")),
                    "{list:?}"
                );
                list.into_iter().map(|e| e.pointer).collect()
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_type_error_is_reported_at_its_pointer_in_document_order() {
        let body = r#"{"order_ref": 5, "carrier": "delhivery",
                       "to": {"name": "Asha", "postal_code": 560001},
                       "parcels": [{"weight_g": "heavy", "length_mm": 200}],
                       "from": {"name": ["Acme"]}}"#;
        assert_errors(
            body,
            &[
                ("/order_ref", "invalid type: integer `5`, expected a string"),
                (
                    "/to/postal_code",
                    "invalid type: integer `560001`, expected a string",
                ),
                (
                    "/parcels/0/weight_g",
                    "invalid type: string \"heavy\", expected i64",
                ),
                ("/from/name", "invalid type: sequence, expected a string"),
            ],
        );
    }

    #[test]
    fn array_elements_keep_their_indices_as_sent() {
        let body = r#"{"parcels": [{"weight_g": "a"}, {"weight_g": 1}, {"weight_g": "c"},
                                   "not a parcel", {"weight_g": "e"}],
                       "tags": [1, "ok", 3, "ok", [5]]}"#;
        assert_eq!(
            pointers::<ShipmentRequestInput>(body),
            [
                "/parcels/0/weight_g",
                "/parcels/2/weight_g",
                "/parcels/3",
                "/parcels/4/weight_g",
                "/tags/0",
                "/tags/2",
                "/tags/4"
            ]
        );
    }

    #[test]
    fn a_required_field_taken_out_is_not_reported_missing_but_a_missing_one_is() {
        // `amount` has the wrong type: reported once, not again as missing. The COD
        // amount lacks `amount` altogether (and its currency has the wrong type): both.
        let body = r#"{"parcels": [{"declared_value": {"amount": "x", "currency": "INR"}}],
                       "payment": {"mode": "cod", "cod_amount": {"currency": 5}}}"#;
        assert_errors(
            body,
            &[
                (
                    "/parcels/0/declared_value/amount",
                    "invalid type: string \"x\", expected i64",
                ),
                ("/payment/cod_amount", "missing field `amount`"),
                (
                    "/payment/cod_amount/currency",
                    "invalid type: integer `5`, expected a string",
                ),
            ],
        );
    }

    #[test]
    fn unknown_fields_and_type_errors_together() {
        let body = r#"{"name": 5, "fuel_surcharge_percnt": "10",
                       "zones": {"special": {"first_slab": "sixty", "transit": 3}}}"#;
        assert_eq!(
            pointers::<crate::ratecard::RateCardInput>(body),
            [
                "/name",
                "/fuel_surcharge_percnt",
                "/zones/special/first_slab",
                "/zones/special/transit"
            ]
        );
    }

    #[test]
    fn errors_are_bounded() {
        // Sixty wrong tags: the first fifty are reported.
        let tags: Vec<_> = (0..60).collect();
        let body = serde_json::json!({ "tags": tags }).to_string();
        let got = pointers::<ShipmentRequestInput>(&body);
        assert_eq!(got.len(), MAX_DECODE_ERRORS);
        assert_eq!(got[0], "/tags/0");
        assert_eq!(got[49], "/tags/49");

        // A big body is decoded again only so often: fewer errors, never none.
        let tags: Vec<_> = (0..40_000).collect();
        let body = serde_json::json!({ "tags": tags, "order_ref": 1 }).to_string();
        assert!(body.len() > 200_000);
        let got = pointers::<ShipmentRequestInput>(&body);
        assert!((2..MAX_DECODE_ERRORS).contains(&got.len()), "{}", got.len());
        assert_eq!(got[0], "/order_ref");
    }

    #[test]
    fn what_cannot_be_taken_out_is_reported_once() {
        // The document itself has the wrong type.
        for body in [r#""a string""#, "true", "7"] {
            assert_eq!(pointers::<ShipmentRequestInput>(body), [""], "{body}");
        }
        // A field written twice is refused as serde refuses it, at the member, which is
        // then taken out like any failing value, and the rest is still read.
        assert_errors(
            r#"{"order_ref": "a", "order_ref": "b", "carrier": 5}"#,
            &[
                ("/order_ref", "duplicate field `order_ref`"),
                ("/carrier", "invalid type: integer `5`, expected a string"),
            ],
        );
        // Regression (fuzzing): an error inside the first copy of a member written twice
        // was reported at a pointer only that copy has; it is the duplicate.
        assert_errors(
            r#"{"payment": {"cod_amount": {"amount": -0.5}}, "to": 1,
                 "payment": {"codamount": 3, "mode": 7}}"#,
            &[
                (
                    "/to",
                    "invalid type: integer `1`, expected struct AddressInput",
                ),
                // In document order, as the copy kept (the last) stands.
                ("/payment", "duplicate field `payment`"),
            ],
        );
        // Regression (fuzzing): a duplicate inside an object that also lacks a field was
        // told twice at one pointer (the object).
        assert_errors(
            r#"{"payment": {"mode": "cod", "cod_amount": {"currency": "INR", "currency": "INR"}}}"#,
            &[
                ("/payment/cod_amount", "missing field `amount`"),
                ("/payment/cod_amount/currency", "duplicate field `currency`"),
            ],
        );
        // A number beyond f64 is valid JSON `Value` cannot hold: the first error only.
        assert_eq!(
            pointers::<ShipmentRequestInput>(r#"{"order_ref": 5, "carrier": 6, "x": 1e400}"#),
            ["/order_ref"]
        );
        assert!(decode::<ShipmentRequestInput>(br#"{"x": 1e400}"#).is_ok());
    }

    #[test]
    fn syntax_errors_after_a_type_error_are_still_malformed() {
        for body in [
            r#"{"order_ref": 5, "carrier": "#,
            r#"{"order_ref": 5} trailing"#,
            r#"{"order_ref": 5, "carrier": "x",}"#,
        ] {
            assert!(
                matches!(
                    decode::<ShipmentRequestInput>(body.as_bytes()),
                    Err(DecodeError::Malformed(_))
                ),
                "{body}"
            );
        }
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
