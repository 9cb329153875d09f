//! `POST /v1/carriers/{carrier}/webhooks` (platform accounts) and
//! `POST /v1/carriers/{carrier}/webhooks/{push_token}` (a tenant's own account): where
//! carriers push tracking scans.
//!
//! Not a tenant route (no API key, no tenant rate limit): the carrier authenticates as
//! configured for it (`crate::webhooks::auth`). The handler does only what must happen
//! before answering — authenticate, check the body can be read, store it — and leaves
//! the events to the background processor, so carriers get a fast answer and an answered
//! push is never lost.

use actix_web::http::header::HeaderMap;
use actix_web::web::{self, Json};
use actix_web::{HttpRequest, post};
use serde::Serialize;
use utoipa::ToSchema;

use super::guard::read_body;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::registry::RegisteredCarrier;
use crate::store::{InboxState, Inserted, NewPush};
use crate::webhooks::KEPT_HEADERS;
use crate::webhooks::auth::{PushAuth, Refusal};

/// The answer to an accepted push.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushAccepted {
    /// `accepted` for a new push, `duplicate` for a redelivery of one already stored.
    pub status: &'static str,
    /// The push's inbox id (new pushes only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Delhivery's integration guide asks for a 200 with "success".
    pub success: bool,
}

fn count(carrier: &str, outcome: &'static str) {
    metrics::counter!("shipgate_webhook_pushes_total", "carrier" => carrier.to_string(), "outcome" => outcome)
        .increment(1);
}

fn kept_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    KEPT_HEADERS
        .iter()
        .filter_map(|name| {
            let value = headers.get(*name)?.to_str().ok()?;
            Some((name.to_string(), value.to_string()))
        })
        .collect()
}

/// Receive a carrier's tracking push.
///
/// The body is the carrier's own push format (Delhivery's scan push, Shiprocket's
/// tracking webhook). Authentication is per carrier, as configured: a shared token header,
/// an HMAC-SHA256 signature of the body, a source address allow-list. The push is stored
/// before the answer; its events appear on the shipment's timeline shortly after. Sending
/// the same body again is harmless.
#[utoipa::path(
    operation_id = "receiveCarrierPush",
    tag = "tracking",
    params(("carrier" = String, Path, description = "Carrier id (`delhivery`, `shiprocket`) or the carrier's configured webhook alias")),
    request_body(content = Object, description = "The carrier's push, in its own format", content_type = "application/json"),
    responses(
        (status = 200, description = "Stored (or already stored); processed in the background", body = PushAccepted),
        (status = 400, description = "The body is not a push this carrier sends", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong token or signature, or (live mode) no push authentication configured for this carrier", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The source address is not in the carrier's allow-list", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No enabled carrier by that name takes pushes", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The push could not be stored; send it again", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/v1/carriers/{carrier}/webhooks")]
pub async fn receive(
    state: web::Data<AppState>,
    segment: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<Json<PushAccepted>, ApiError> {
    let Some(carrier) = state.webhooks.resolve(&segment) else {
        return Err(ApiError::NotFound(format!(
            "`{segment}` is not an enabled carrier that pushes tracking"
        )));
    };
    let auth = state
        .webhooks
        .auth(carrier)
        .ok_or_else(|| ApiError::NotFound(format!("{carrier} does not push tracking")))?;
    let adapter = state
        .registry
        .platform_carrier(carrier)
        .cloned()
        .ok_or_else(|| ApiError::NotFound(format!("{carrier} is not enabled")))?;
    take(&state, &adapter, auth, None, req, payload).await
}

/// Receive a tracking push for one of a tenant's own carrier accounts.
///
/// Each tenant carrier account has its own push URL (its `push_url` in
/// `/v1/carrier-accounts`) and push secret, sent by the carrier in the header it uses for
/// a token (Delhivery: `Authorization`, Shiprocket: `x-api-key`). A push here updates
/// only that account's shipments.
#[utoipa::path(
    operation_id = "receiveCarrierAccountPush",
    tag = "tracking",
    params(
        ("carrier" = String, Path, description = "Carrier id (`delhivery`, `shiprocket`)"),
        ("push_token" = String, Path, description = "The account's push token, from its `push_url`"),
    ),
    request_body(content = Object, description = "The carrier's push, in its own format", content_type = "application/json"),
    responses(
        (status = 200, description = "Stored (or already stored); processed in the background", body = PushAccepted),
        (status = 400, description = "The body is not a push this carrier sends", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or wrong push secret", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No carrier account has this push URL", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The push could not be stored; send it again", body = Problem, content_type = "application/problem+json"),
    ),
    security(())
)]
#[post("/v1/carriers/{carrier}/webhooks/{push_token}")]
pub async fn receive_for_account(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<Json<PushAccepted>, ApiError> {
    let (segment, token) = path.into_inner();
    // One answer for an unknown token and a token of another carrier: a prober learns
    // nothing about which tokens exist.
    let account = state
        .registry
        .by_push_token(&token)
        .filter(|a| a.id == segment && a.capabilities.webhooks)
        .ok_or_else(|| ApiError::NotFound("no carrier account has this push URL".into()))?;
    let owner = account
        .owner
        .as_ref()
        .expect("push tokens belong to tenant accounts");
    let auth = PushAuth::for_account(account.id, owner.push_header, owner.push_digest);
    take(&state, &account, &auth, Some(account.account), req, payload).await
}

/// Authenticates, reads and stores one push for `carrier` (`account`: the tenant
/// account whose URL it came to).
async fn take(
    state: &AppState,
    adapter: &RegisteredCarrier,
    auth: &PushAuth,
    account: Option<&'static str>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<Json<PushAccepted>, ApiError> {
    let carrier = adapter.id;
    let peer = req.peer_addr().map(|a| a.ip());
    let refused = |refusal: Refusal| match refusal {
        Refusal::Forbidden(detail) => {
            count(carrier, "forbidden");
            tracing::warn!(carrier, account, peer = ?peer, "carrier push refused: source address not allowed");
            ApiError::Forbidden(detail)
        }
        Refusal::Unauthenticated(detail) => {
            count(carrier, "unauthorized");
            tracing::warn!(carrier, account, peer = ?peer, reason = %detail, "carrier push refused: not authenticated");
            ApiError::Unauthorized(detail)
        }
    };
    // Address and token before the body: an unauthenticated sender gets nothing buffered.
    auth.verify_before_body(peer, req.headers())
        .map_err(refused)?;
    let body = read_body(&req, payload.into_inner(), state).await?;
    auth.verify_body(req.headers(), &body).map_err(refused)?;

    let headers = kept_headers(req.headers());
    let parsed = match adapter.adapter.parse_webhook(&headers, &body) {
        Ok(parsed) => parsed,
        Err(e) => {
            return Err(
                refuse_unreadable(state, carrier, account, body.to_vec(), headers, e).await,
            );
        }
    };
    let push = NewPush {
        carrier: carrier.to_string(),
        account: account.map(String::from),
        body: body.to_vec(),
        headers,
        state: InboxState::Pending,
        error: None,
        parsed: Some(parsed),
    };
    let answer = match state.webhooks.intake().store(push).await {
        Ok(Inserted::New(id)) => {
            count(carrier, "accepted");
            PushAccepted {
                status: "accepted",
                id: Some(id),
                success: true,
            }
        }
        Ok(Inserted::Duplicate) => {
            count(carrier, "duplicate");
            PushAccepted {
                status: "duplicate",
                id: None,
                success: true,
            }
        }
        Err(e) => {
            count(carrier, "unavailable");
            tracing::error!(carrier, account, error = %e, "carrier push not stored; refused so the carrier sends it again");
            return Err(ApiError::Unavailable(
                "the push could not be stored; send it again".into(),
            ));
        }
    };
    // 200, not 202: Shiprocket's webhook rules ask for "only code 200", and Delhivery's
    // integration guide for "200 OK".
    Ok(Json(answer))
}

/// Keeps an unreadable push for inspection (a carrier changing its format shows up in the
/// inbox, not only in the carrier's delivery log) and says why it is refused.
async fn refuse_unreadable(
    state: &AppState,
    carrier: &'static str,
    account: Option<&'static str>,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
    error: carriers::CarrierError,
) -> ApiError {
    count(carrier, "unreadable");
    let reason = match error {
        carriers::CarrierError::BadResponse(reason) => reason,
        other => other.to_string(),
    };
    tracing::warn!(carrier, %reason, "unreadable carrier push refused");
    let rejected = NewPush {
        carrier: carrier.to_string(),
        account: account.map(String::from),
        body,
        headers,
        state: InboxState::Rejected,
        error: Some(reason.clone()),
        parsed: None,
    };
    if let Err(e) = state.webhooks.intake().store(rejected).await {
        tracing::warn!(carrier, error = %e, "cannot keep the unreadable push");
    }
    ApiError::BadRequest(format!("this is not a {carrier} tracking push: {reason}"))
}
