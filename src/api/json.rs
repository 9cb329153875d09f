//! The JSON body extractor: enforces the content type and the size limit, and turns
//! serde's errors into problem documents with the failing field's JSON pointer.
//!
//! axum's own `Json` answers plain-text rejections and loses the path of a type error;
//! an integrator needs `/parcels/0/weight_g: expected an integer`, not "invalid body".

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use carriers::schema::FieldError;
use serde::de::DeserializeOwned;

use crate::app::AppState;
use crate::error::ApiError;

pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let json_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let essence = v
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            })
            .unwrap_or(false);
        if !json_type {
            return Err(ApiError::UnsupportedMediaType);
        }
        let limit = state.config.body_limit_bytes;
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::PayloadTooLarge { limit })?;
        parse(&bytes).map(ApiJson)
    }
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let pointer = pointer(e.path());
        let inner = e.into_inner();
        if inner.is_data() {
            ApiError::Validation(vec![FieldError {
                pointer,
                code: "invalid_type".into(),
                detail: strip_position(&inner.to_string()),
            }])
        } else {
            ApiError::MalformedJson {
                detail: inner.to_string(),
            }
        }
    })?;
    de.end().map_err(|e| ApiError::MalformedJson {
        detail: e.to_string(),
    })?;
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
    use carriers::schema::ShipmentRequestInput;

    #[test]
    fn type_errors_carry_the_pointer() {
        let err = parse::<ShipmentRequestInput>(br#"{"parcels":[{"weight_g":"heavy"}]}"#)
            .err()
            .unwrap();
        match err {
            ApiError::Validation(list) => {
                assert_eq!(list[0].pointer, "/parcels/0/weight_g");
                assert!(!list[0].detail.contains("line"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse::<ShipmentRequestInput>(b"{\"order_ref\": "),
            Err(ApiError::MalformedJson { .. })
        ));
        assert!(matches!(
            parse::<ShipmentRequestInput>(b"{} trailing"),
            Err(ApiError::MalformedJson { .. })
        ));
    }
}
