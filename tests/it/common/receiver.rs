//! A webhook receiver for tests: an HTTP server that verifies every message's Standard
//! Webhooks signature with the `standardwebhooks` crate (an implementation independent
//! of the gateway's), records what arrived, and answers as a test scripts it (success,
//! an error status, `Retry-After`, a slow answer).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

/// How the receiver answers one request.
#[derive(Debug, Clone)]
pub enum Reply {
    Ok,
    Status(u16),
    /// The status with `Retry-After: <seconds>`.
    RetryAfter(u16, u64),
    /// Answers 200, after this long.
    Slow(Duration),
}

#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: Value,
    /// Per secret the receiver knew (in order): whether the message verified with it.
    pub verified: Vec<bool>,
    pub at: Instant,
    /// How the receiver answered.
    pub reply: Reply,
}

impl Received {
    pub fn event_type(&self) -> &str {
        self.body["type"].as_str().unwrap_or("")
    }
}

#[derive(Default)]
struct Inner {
    secrets: Vec<String>,
    received: Vec<Received>,
    script: VecDeque<Reply>,
    otherwise: Option<Reply>,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl Receiver {
    /// A receiver subscribed to `event_types` of `app`'s tenant (a webhook endpoint
    /// made for it, its signing secret set).
    pub async fn subscribed(app: &super::TestApp, event_types: &[&str]) -> Receiver {
        let receiver = Receiver::start().await;
        let body = serde_json::json!({"url": receiver.url, "event_types": event_types});
        let endpoint = super::json_of(app.post("/v1/webhook-endpoints", &body).await, 201).await;
        receiver.set_secrets(&[endpoint["secret"].as_str().unwrap()]);
        receiver
    }

    /// Starts a receiver on a free port; it answers 200 until scripted otherwise.
    pub async fn start() -> Receiver {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let state = web::Data::from(inner.clone());
        let base = super::fake_delhivery::serve(move |cfg: &mut web::ServiceConfig| {
            cfg.app_data(state.clone())
                // Bodies up to 2 MB, not just the 256 kB actix-web reads by default.
                .app_data(web::PayloadConfig::new(2 * 1024 * 1024))
                .default_service(web::to(receive));
        })
        .await;
        let url = format!("{base}/hooks");
        Receiver { url, inner }
    }

    /// The secrets to verify with (each is tried on every message).
    pub fn set_secrets(&self, secrets: &[&str]) {
        self.inner.lock().unwrap().secrets = secrets.iter().map(|s| s.to_string()).collect();
    }

    /// Answers the next requests with `replies`, in order, then as before.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.inner.lock().unwrap().script.extend(replies);
    }

    /// Answers every request (once the script is used up) with `reply`.
    pub fn otherwise(&self, reply: Reply) {
        self.inner.lock().unwrap().otherwise = Some(reply);
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }

    /// Waits until `done` holds for what arrived (or panics after `within`).
    pub async fn wait_for(
        &self,
        within: Duration,
        what: &str,
        done: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let received = self.received();
            if done(&received) {
                return received;
            }
            assert!(
                Instant::now() < deadline,
                "receiver: {what} not seen within {within:?}; got {:#?}",
                received
                    .iter()
                    .map(|r| (r.id.clone(), r.event_type().to_string(), r.reply.clone()))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// The request's headers as the `http` crate's map, which `standardwebhooks` verifies.
fn http_headers(request: &HttpRequest) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    for (name, value) in request.headers() {
        headers.append(
            http::HeaderName::from_bytes(name.as_str().as_bytes()).unwrap(),
            http::HeaderValue::from_bytes(value.as_bytes()).unwrap(),
        );
    }
    headers
}

async fn receive(
    inner: web::Data<Mutex<Inner>>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let headers = http_headers(&request);
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let reply = {
        let mut inner = inner.lock().unwrap();
        let verified = inner
            .secrets
            .iter()
            .map(|s| {
                standardwebhooks::Webhook::new(s)
                    .map(|w| w.verify(&body, &headers).is_ok())
                    .unwrap_or(false)
            })
            .collect();
        let reply = inner
            .script
            .pop_front()
            .or_else(|| inner.otherwise.clone())
            .unwrap_or(Reply::Ok);
        inner.received.push(Received {
            id: header("webhook-id"),
            timestamp: header("webhook-timestamp"),
            signature: header("webhook-signature"),
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
            verified,
            at: Instant::now(),
            reply: reply.clone(),
        });
        reply
    };
    let text = "text/plain; charset=utf-8";
    match reply {
        Reply::Ok => HttpResponse::NoContent().finish(),
        Reply::Status(code) => HttpResponse::build(StatusCode::from_u16(code).unwrap())
            .content_type(text)
            .body(format!("receiver says {code}")),
        Reply::RetryAfter(code, secs) => HttpResponse::build(StatusCode::from_u16(code).unwrap())
            .content_type(text)
            .insert_header(("retry-after", secs.to_string()))
            .body("slow down"),
        Reply::Slow(wait) => {
            tokio::time::sleep(wait).await;
            HttpResponse::Ok().content_type(text).body("late")
        }
    }
}
