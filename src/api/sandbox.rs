//! `/sandbox/<carrier>/…`: the carrier simulators over real HTTP (sandbox mode only).
//!
//! `POST /sandbox/<carrier>/_faults` arms faults for the next matching requests: the
//! simulator still handles the request (the booking happens), then the answer is delayed
//! or replaced by an error page. That is exactly the failure that makes retries dangerous
//! — "it worked, but you never heard back" — and lets anyone rehearse it against the
//! sandbox. With `before_simulator`, the fault answers instead of the simulator: with a
//! 4xx `status` that is a carrier refusing a request it never acted on. `GET` on the
//! same path says how many armed faults still wait (`{"armed": n}`). The faults are
//! the simulator kit's ([`carriers::simulator::faults`]); this route arms them and waits
//! out their delays.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use serde::Deserialize;

use actix_web::http::Method;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, web};
use carriers::simulator::faults::{Armed, Fault, Spoil};
use carriers::simulator::{SimRequest, SimResponse};

use super::guard::read_body;
use crate::app::AppState;
use crate::error::ApiError;
use crate::reply::Reply;

/// Armed faults per carrier.
#[derive(Default)]
pub struct SandboxFaults(Mutex<HashMap<String, Armed>>);

/// The body of `POST /sandbox/<carrier>/_faults`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRequest {
    /// Applies to requests whose path contains this text (all requests when empty).
    #[serde(default)]
    pub path_contains: String,
    /// Answer this much later (after the simulator has acted).
    #[serde(default)]
    pub delay_ms: u64,
    /// Answer with this HTTP status and an HTML error page instead of the real answer.
    #[serde(default)]
    pub status: Option<u16>,
    /// How many matching requests the fault applies to.
    #[serde(default = "one")]
    pub times: u32,
    /// How many matching requests pass untouched before it applies (0: the next one).
    #[serde(default)]
    pub after: u32,
    /// Answer without letting the simulator act (nothing is booked).
    #[serde(default)]
    pub before_simulator: bool,
}

fn one() -> u32 {
    1
}

impl FaultRequest {
    fn fault(&self) -> Fault {
        Fault {
            acts: !self.before_simulator,
            delay: Duration::from_millis(self.delay_ms),
            spoil: self.status.map(Spoil::Page),
        }
    }
}

impl SandboxFaults {
    fn arm(&self, carrier: &str, request: &FaultRequest) {
        let mut all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let armed = all.entry(carrier.to_string()).or_default();
        armed.arm_after(
            &request.path_contains,
            request.after,
            request.times,
            request.fault(),
        );
    }

    /// How many faults still wait for requests to `carrier`.
    fn waiting(&self, carrier: &str) -> usize {
        let all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        all.get(carrier).map_or(0, Armed::len)
    }

    fn take(&self, carrier: &str, path: &str) -> Option<Fault> {
        let mut all = self.0.lock().unwrap_or_else(|p| p.into_inner());
        all.get_mut(carrier)?.take(path)
    }
}

pub async fn serve(
    state: web::Data<AppState>,
    params: web::Path<(String, String)>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<Reply, ApiError> {
    let (carrier, path) = params.into_inner();
    let method = req.method().clone();
    let headers = req.headers();
    let query = Some(req.query_string()).filter(|q| !q.is_empty());
    let body = read_body(&req, payload.into_inner(), &state).await?;
    if path == "_faults" && method == Method::POST {
        let request: FaultRequest = crate::api::json::parse(&body)?;
        state.sandbox_faults.arm(&carrier, &request);
        return Ok(Reply::no_content());
    }
    if path == "_faults" && method == Method::GET {
        let armed = state.sandbox_faults.waiting(&carrier);
        return Ok(Reply::json(200, &serde_json::json!({ "armed": armed })));
    }
    let simulator = state
        .registry
        .simulator(&carrier)
        .ok_or_else(|| ApiError::NotFound(format!("no sandbox for carrier `{carrier}`")))?
        .clone();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| format!("http://{h}"))
        .unwrap_or_else(|| state.public_url.clone());
    let request = sim_request(
        &method,
        &path,
        query,
        headers,
        &body,
        format!("{host}/sandbox/{carrier}"),
    );
    let fault = state.sandbox_faults.take(&carrier, &format!("/{path}"));
    if let Some(fault) = fault.filter(|f| !f.acts) {
        tracing::info!(
            carrier,
            path,
            ?fault,
            "sandbox fault injected before the simulator"
        );
        tokio::time::sleep(fault.delay).await;
        if let Some(answer) = fault.answer(None) {
            return Ok(reply(answer));
        }
    }
    // Simulators are pure and fast, but keep them off the async workers all the same.
    let response = tokio::task::spawn_blocking(move || simulator.handle(&request))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("simulator panicked: {e}")))?;
    if let Some(fault) = fault.filter(|f| f.acts) {
        tracing::info!(carrier, path, ?fault, "sandbox fault injected");
        tokio::time::sleep(fault.delay).await;
        if let Some(answer) = fault.answer(Some(&response)) {
            return Ok(reply(answer));
        }
    }
    Ok(reply(response))
}

pub(crate) fn reply(response: SimResponse) -> Reply {
    Reply::new(response.status, response.content_type, response.body)
}

/// The simulator's view of an HTTP request; `path` is below the carrier's root.
pub(crate) fn sim_request(
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: &[u8],
    base_url: String,
) -> SimRequest {
    let target = match query {
        Some(query) => format!("/{path}?{query}"),
        None => format!("/{path}"),
    };
    let headers = headers
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())));
    SimRequest::new(method.as_str(), &target, headers, body.to_vec(), &base_url)
}
