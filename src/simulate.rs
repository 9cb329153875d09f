//! `shipgate simulate`: the carrier simulators as a process of their own.
//!
//! The sandbox serves the simulators inside the gateway, which is right for trying the
//! API but wrong for measuring it: the carrier's work would be billed to the gateway and
//! there would be no network hop, no carrier latency and no carrier outages. This process
//! stands in for the carriers during benchmarks and load tests: every carrier's simulator
//! under `/<carrier>/…` (point `SHIPGATE_CARRIERS__<ID>__BASE_URL` at
//! `http://HOST:PORT/<carrier>`), answering after a configured latency and failing a
//! configured share of calls the way a carrier outage looks (an HTML 503 page, before the
//! simulator acts, so nothing is booked). `GET /_stats` tells what it saw, including
//! bookings per carrier, so a load test can check that no order was booked twice.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::http::header;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use bytes::Bytes;
use carriers::Simulator;
use carriers::simulator::faults::error_page;
use rand::Rng;
use serde_json::json;

use crate::api::sandbox::{reply, sim_request};
use crate::reply::Reply;

#[derive(Debug, Clone)]
pub struct SimulateOptions {
    pub listen: SocketAddr,
    /// Added to every answer.
    pub latency_ms: u64,
    /// A uniformly random extra delay of up to this much.
    pub jitter_ms: u64,
    /// Share of calls (0 to 1) answered with a 503 page instead.
    pub failure_rate: f64,
}

#[derive(Clone)]
struct SimState {
    simulators: Arc<BTreeMap<&'static str, Arc<dyn Simulator>>>,
    options: Arc<SimulateOptions>,
    requests: Arc<AtomicU64>,
    failures: Arc<AtomicU64>,
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    options: SimulateOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&options.failure_rate) {
        anyhow::bail!("--failure-rate must be between 0 and 1");
    }
    let simulators = carriers::registry()
        .into_iter()
        .map(|spec| (spec.id, Arc::from((spec.simulator)())))
        .collect::<BTreeMap<_, _>>();
    let listener = std::net::TcpListener::bind(options.listen)
        .map_err(|e| anyhow::anyhow!("cannot listen on {} ({e})", options.listen))?;
    let addr = listener.local_addr()?;
    // Scripts (bench/run, the tests) wait for this line and read the address from it.
    eprintln!(
        "shipgate simulate listening on http://{addr} (carriers under /<carrier>: {}; latency {} ms + up to {} ms, failure rate {})",
        simulators.keys().copied().collect::<Vec<_>>().join(", "),
        options.latency_ms,
        options.jitter_ms,
        options.failure_rate
    );
    let state = SimState {
        simulators: Arc::new(simulators),
        options: Arc::new(options),
        requests: Arc::default(),
        failures: Arc::default(),
    };
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(state.clone()))
            .route("/healthz", web::get().to(|| async { "ok" }))
            .route("/_stats", web::get().to(stats))
            .route("/{carrier}/{path:.*}", web::route().to(handle))
    })
    .disable_signals()
    .shutdown_timeout(5)
    .listen(listener)?
    .run();
    let handle = server.handle();
    let server = tokio::spawn(server);
    shutdown.await;
    handle.stop(true).await;
    server.await??;
    Ok(())
}

async fn stats(state: web::Data<SimState>) -> HttpResponse {
    let bookings: BTreeMap<_, _> = state
        .simulators
        .iter()
        .map(|(id, s)| (*id, s.bookings()))
        .collect();
    HttpResponse::Ok().json(json!({
        "requests": state.requests.load(Ordering::Relaxed),
        "failures": state.failures.load(Ordering::Relaxed),
        "bookings": bookings,
    }))
}

async fn handle(
    state: web::Data<SimState>,
    params: web::Path<(String, String)>,
    req: HttpRequest,
    body: Bytes,
) -> Reply {
    let (carrier, path) = params.into_inner();
    let Some(simulator) = state.simulators.get(carrier.as_str()).cloned() else {
        return Reply::new(404, "text/plain", "no simulator for this carrier");
    };
    let headers = req.headers();
    let query = Some(req.query_string()).filter(|q| !q.is_empty());
    state.requests.fetch_add(1, Ordering::Relaxed);
    let options = &state.options;
    let (delay, fail) = {
        let mut rng = rand::rng();
        let jitter = if options.jitter_ms > 0 {
            rng.random_range(0..=options.jitter_ms)
        } else {
            0
        };
        (
            Duration::from_millis(options.latency_ms + jitter),
            options.failure_rate > 0.0 && rng.random_bool(options.failure_rate),
        )
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if fail {
        state.failures.fetch_add(1, Ordering::Relaxed);
        return reply(error_page(503));
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let request = sim_request(
        req.method(),
        &path,
        query,
        headers,
        &body,
        format!("http://{host}/{carrier}"),
    );
    // Simulators answer in microseconds (labels in a millisecond or two): not worth a
    // blocking-pool hop, which would cost this process more than the work itself.
    let response = simulator.handle(&request);
    reply(response)
}
