//! The JSON body extractor: waits for the caller's key to be authorised, enforces the
//! content type, the size limit and the body timeout, and turns serde's errors into one
//! problem document listing every type error at its JSON pointer.
//!
//! The framework's own `Json` answers plain-text rejections and loses the path of a type
//! error; an integrator needs `/parcels/0/weight_g: expected an integer` (and every other
//! wrong field of the body at once), not "invalid body".

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use carriers::schema::{DecodeError, decode};
use serde::de::DeserializeOwned;

use super::guard::{is_json, read_body, state};
use crate::error::ApiError;

pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        let authorised = super::guard::authorised(&req);
        Box::pin(async move {
            authorised.await;
            if !is_json(&req) {
                return Err(ApiError::UnsupportedMediaType);
            }
            let bytes = read_body(&req, payload, &state(&req)).await?;
            parse(&bytes).map(ApiJson)
        })
    }
}

/// A body read before it could be parsed (a creating request's): refused unless it said it
/// was JSON, then parsed.
pub fn parse_json<T: DeserializeOwned>(json: bool, bytes: &[u8]) -> Result<T, ApiError> {
    if !json {
        return Err(ApiError::UnsupportedMediaType);
    }
    parse(bytes)
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
