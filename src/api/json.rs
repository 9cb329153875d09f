//! The JSON body extractor: enforces the content type and the size limit, and turns
//! serde's errors into problem documents with the failing field's JSON pointer.
//!
//! axum's own `Json` answers plain-text rejections and loses the path of a type error;
//! an integrator needs `/parcels/0/weight_g: expected an integer`, not "invalid body".

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use carriers::schema::{DecodeError, decode};
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

/// Decodes a body with [`carriers::schema::decode`] (where the fuzz targets drive it) and
/// says its failure the API's way.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    decode(bytes).map_err(|e| match e {
        DecodeError::Invalid(list) => ApiError::Validation(list),
        DecodeError::Malformed(detail) => ApiError::MalformedJson { detail },
    })
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
