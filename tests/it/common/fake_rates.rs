//! A programmable Delhivery for rate shopping tests: the Delhivery simulator's pincode and
//! charges endpoints, configured through the simulator kit to quote one flat price per
//! service (express twice surface) and to serve every pincode but [`UNSERVED_PIN`], with a
//! latency per charges call, a switch that makes every endpoint fail with a 503 page (and
//! back), and hit counters, so a test can prove which calls reached the "carrier" and
//! which were skipped.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use carriers::Simulator;
use carriers::delhivery::simulator::DelhiverySimulator;
use carriers::simulator::SimRequest;
use carriers::simulator::faults::Fault;
use carriers::simulator::pricing::{Pricing, Rate, Tariff, Zone};
use carriers::simulator::rules::{Pins, Serviceability};

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

struct Inner {
    sim: DelhiverySimulator,
    overlap: Option<Arc<Overlap>>,
    /// Milliseconds each charges call waits before answering.
    delay_ms: AtomicU64,
    failing: AtomicBool,
    pincode_hits: AtomicUsize,
    charges_hits: AtomicUsize,
}

#[derive(Clone)]
pub struct FakeRates {
    pub url: String,
    inner: Arc<Inner>,
}

/// One price per service, whatever the weight and the lane: surface `surface_paise`,
/// express twice that; no fuel, COD fee or tax.
fn flat(surface_paise: i64) -> Pricing {
    let rate = |service, first_slab| {
        Rate::everywhere(
            service,
            Tariff {
                first_slab,
                further_slab: 0,
            },
        )
    };
    let rates = vec![rate("S", surface_paise), rate("E", 2 * surface_paise)];
    Pricing::new(500, vec![Zone::new("D", 0)], rates)
}

const SERVED: Serviceability = Serviceability {
    unserved: &[Pins::Exactly(UNSERVED_PIN)],
    prepaid_only: &[],
};

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
        let price = i64::try_from(price_paise).expect("a price in paise fits an i64");
        let inner = Arc::new(Inner {
            sim: DelhiverySimulator::new()
                .with_serviceability(SERVED)
                .with_pricing(flat(price)),
            overlap,
            delay_ms: AtomicU64::new(latency_ms / 2),
            failing: AtomicBool::new(false),
            pincode_hits: AtomicUsize::new(0),
            charges_hits: AtomicUsize::new(0),
        });
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

impl Inner {
    /// The simulator's answer, or a 503 page before it acts while failing.
    fn answer(&self, req: &HttpRequest) -> HttpResponse {
        let fault = self
            .failing
            .load(Ordering::SeqCst)
            .then(|| Fault::page(503));
        let answer = match fault.and_then(|f| f.answer(None)) {
            Some(page) => page,
            None => self.sim.handle(&sim_request(req)),
        };
        HttpResponse::build(StatusCode::from_u16(answer.status).unwrap())
            .content_type(answer.content_type)
            .body(answer.body)
    }
}

/// The simulator's view of a GET (these endpoints have no body).
fn sim_request(req: &HttpRequest) -> SimRequest {
    let headers = req
        .headers()
        .iter()
        .filter_map(|(n, v)| Some((n.to_string(), v.to_str().ok()?.to_string())));
    let target = req.uri().path_and_query().map_or("/", |t| t.as_str());
    SimRequest::new(req.method().as_str(), target, headers, Vec::new(), "")
}

async fn pincodes(inner: web::Data<Inner>, req: HttpRequest) -> HttpResponse {
    inner.pincode_hits.fetch_add(1, Ordering::SeqCst);
    inner.answer(&req)
}

async fn charges(inner: web::Data<Inner>, req: HttpRequest) -> HttpResponse {
    inner.charges_hits.fetch_add(1, Ordering::SeqCst);
    if let Some(o) = &inner.overlap {
        let now = o.now.fetch_add(1, Ordering::SeqCst) + 1;
        o.peak.fetch_max(now, Ordering::SeqCst);
    }
    tokio::time::sleep(Duration::from_millis(inner.delay_ms.load(Ordering::SeqCst))).await;
    if let Some(o) = &inner.overlap {
        o.now.fetch_sub(1, Ordering::SeqCst);
    }
    inner.answer(&req)
}
