//! [`Reply`]: an HTTP answer as plain data (status, headers, body).
//!
//! Why not the framework's response type: a creating request runs as a task of its own on
//! the gateway's multi-threaded runtime (so a client that hangs up cannot cut a booking
//! short, see `idempotency`), its answer is stored and replayed for a day, and errors
//! render the same way everywhere. All of that wants a `Send` value that serialises, and
//! the HTTP framework meets it only at the edge ([`Reply::into_response`]).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use bytes::Bytes;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    /// A top-level JSON field that carries a secret shown once (a signing secret): the
    /// idempotency layer stores the answer without it, so a replay never shows it again.
    pub secret_field: Option<&'static str>,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
            secret_field: None,
        }
    }

    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Reply {
        // Written into this thread's scratch buffer, then copied out at its exact size:
        // one allocation per answer instead of a doubling series of them (a quote list is
        // a few kilobytes), and no spare capacity held while the answer is in flight.
        thread_local! {
            static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        const KEEP_AT_MOST: usize = 64 * 1024;
        let body = SCRATCH.with_borrow_mut(|buf| {
            buf.clear();
            // Serialising our own view types cannot fail (no maps with non-string keys).
            let body = match serde_json::to_writer(&mut *buf, value) {
                Ok(()) => Bytes::copy_from_slice(buf),
                Err(e) => {
                    tracing::error!(error = %e, "a response body did not serialise");
                    Bytes::from_static(b"{}")
                }
            };
            if buf.capacity() > KEEP_AT_MOST {
                *buf = Vec::new();
            }
            body
        });
        Reply::new(status, "application/json", body)
    }

    pub fn no_content() -> Reply {
        Reply {
            status: 204,
            headers: Vec::new(),
            body: Bytes::new(),
            secret_field: None,
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Reply {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.into()));
        self
    }

    /// Marks `field` as a secret the answer shows once (see [`Reply::secret_field`]).
    pub fn with_secret(mut self, field: &'static str) -> Reply {
        self.secret_field = Some(field);
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body without its secret field, for storing.
    pub fn body_without_secret(&self) -> Bytes {
        let Some(field) = self.secret_field else {
            return self.body.clone();
        };
        match serde_json::from_slice::<serde_json::Value>(&self.body) {
            Ok(serde_json::Value::Object(mut map)) => {
                map.remove(field);
                Bytes::from(serde_json::to_vec(&map).unwrap_or_default())
            }
            // Not the JSON object it claims to be: store nothing of it.
            _ => Bytes::new(),
        }
    }

    pub fn into_response(self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = HttpResponse::with_body(status, self.body);
        let headers = response.headers_mut();
        for (name, value) in self.headers {
            if let (Ok(n), Ok(v)) = (
                HeaderName::try_from(name.as_str()),
                HeaderValue::try_from(value.as_str()),
            ) {
                headers.append(n, v);
            }
        }
        response.map_into_boxed_body()
    }
}

impl std::fmt::Display for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HTTP {}", self.status)
    }
}

/// A refusal made before a handler runs (a 429 with its fields) is a finished answer.
impl actix_web::ResponseError for Reply {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        self.clone().into_response()
    }
}

impl actix_web::Responder for Reply {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _req: &actix_web::HttpRequest) -> HttpResponse {
        self.into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_bodies_written_one_after_another_on_a_thread_are_each_exact() {
        let big = "x".repeat(100 * 1024);
        let first = Reply::json(200, &serde_json::json!({"a": big}));
        let second = Reply::json(201, &serde_json::json!({"b": 1}));
        let third = Reply::json(200, &serde_json::json!({"c": [1, 2]}));
        assert_eq!(first.body.len(), big.len() + 8);
        assert!(first.body.starts_with(b"{\"a\":\"xxx"));
        assert_eq!(&second.body[..], br#"{"b":1}"#);
        assert_eq!(&third.body[..], br#"{"c":[1,2]}"#);
        assert_eq!(second.status, 201);
    }
}
