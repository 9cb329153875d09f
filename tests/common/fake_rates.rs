//! A programmable Delhivery stand-in for rate shopping tests: the pincode and charges
//! endpoints in Delhivery's wire format, with a latency per charges call, a switch that
//! makes every endpoint fail with a 503 page (and back), and hit counters, so a test can
//! prove which calls reached the "carrier" and which were skipped.
//!
//! PIN code `999999` is served by nobody, like in the simulators.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::{HttpResponse, web};
use serde_json::json;

pub const UNSERVED_PIN: &str = "999999";

/// Charges calls in flight across several fakes, and the most seen at once: proof that
/// accounts were asked concurrently that does not depend on timing.
#[derive(Default)]
pub struct Overlap {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl Overlap {
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

#[derive(Default)]
struct Inner {
    overlap: Option<Arc<Overlap>>,
    /// Milliseconds each charges call waits before answering.
    delay_ms: AtomicU64,
    failing: AtomicBool,
    /// Surface price in paise (express costs twice as much).
    price_paise: AtomicU64,
    pincode_hits: AtomicUsize,
    charges_hits: AtomicUsize,
}

#[derive(Clone)]
pub struct FakeRates {
    pub url: String,
    inner: Arc<Inner>,
}

impl FakeRates {
    /// A server quoting `price_paise` for surface, whose rate answer takes `latency_ms`
    /// in all (two charges calls, one per service, each half of it).
    pub async fn start(price_paise: u64, latency_ms: u64) -> FakeRates {
        Self::start_with(price_paise, latency_ms, None).await
    }

    /// As [`FakeRates::start`], counting its charges calls into `overlap`.
    pub async fn start_with(
        price_paise: u64,
        latency_ms: u64,
        overlap: Option<Arc<Overlap>>,
    ) -> FakeRates {
        let inner = Arc::new(Inner {
            overlap,
            ..Inner::default()
        });
        inner.price_paise.store(price_paise, Ordering::SeqCst);
        inner.delay_ms.store(latency_ms / 2, Ordering::SeqCst);
        let state = web::Data::from(inner.clone());
        let url = super::fake_delhivery::serve(move |cfg: &mut web::ServiceConfig| {
            cfg.app_data(state.clone())
                .service(web::resource("/c/api/pin-codes/json/").route(web::get().to(pincodes)))
                .service(
                    web::resource("/api/kinko/v1/invoice/charges/.json")
                        .route(web::get().to(charges)),
                );
        })
        .await;
        FakeRates { url, inner }
    }

    /// Every endpoint answers 503 (true) or works again (false).
    pub fn set_failing(&self, failing: bool) {
        self.inner.failing.store(failing, Ordering::SeqCst);
    }

    pub fn pincode_hits(&self) -> usize {
        self.inner.pincode_hits.load(Ordering::SeqCst)
    }

    pub fn charges_hits(&self) -> usize {
        self.inner.charges_hits.load(Ordering::SeqCst)
    }

    pub fn hits(&self) -> usize {
        self.pincode_hits() + self.charges_hits()
    }
}

fn unavailable() -> HttpResponse {
    HttpResponse::ServiceUnavailable()
        .content_type("text/html")
        .body("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>")
}

async fn pincodes(inner: web::Data<Inner>, q: web::Query<HashMap<String, String>>) -> HttpResponse {
    inner.pincode_hits.fetch_add(1, Ordering::SeqCst);
    if inner.failing.load(Ordering::SeqCst) {
        return unavailable();
    }
    let codes: Vec<_> = q
        .get("filter_codes")
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
        .filter(|pin| !pin.is_empty() && *pin != UNSERVED_PIN)
        .map(|pin| {
            json!({"postal_code": {"pin": pin.parse::<u64>().unwrap_or(0), "pre_paid": "Y",
                   "cod": "Y", "pickup": "Y", "repl": "Y", "is_oda": "N", "country_code": "IN"}})
        })
        .collect();
    HttpResponse::Ok().json(json!({ "delivery_codes": codes }))
}

async fn charges(inner: web::Data<Inner>, q: web::Query<HashMap<String, String>>) -> HttpResponse {
    inner.charges_hits.fetch_add(1, Ordering::SeqCst);
    if let Some(o) = &inner.overlap {
        let now = o.now.fetch_add(1, Ordering::SeqCst) + 1;
        o.peak.fetch_max(now, Ordering::SeqCst);
    }
    tokio::time::sleep(Duration::from_millis(inner.delay_ms.load(Ordering::SeqCst))).await;
    if let Some(o) = &inner.overlap {
        o.now.fetch_sub(1, Ordering::SeqCst);
    }
    if inner.failing.load(Ordering::SeqCst) {
        return unavailable();
    }
    let surface = inner.price_paise.load(Ordering::SeqCst) as f64 / 100.0;
    let price = if q.get("md").map(String::as_str) == Some("E") {
        surface * 2.0
    } else {
        surface
    };
    HttpResponse::Ok().json(json!([{
        "charge_DL": price, "gross_amount": price, "total_amount": price,
        "tax_data": {"IGST": 0.0}, "zone": "D", "charged_weight": 500, "status": "Delivered"
    }]))
}
