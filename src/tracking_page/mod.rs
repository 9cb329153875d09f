//! The buyer's tracking page (issue 20): `GET /t/{token}`, a public page per shipment at an
//! unguessable link, and `POST /t/{token}/ndr`, where a buyer whose delivery failed asks
//! for a re-attempt, corrects the address or gives another phone.
//!
//! Why it is built this way:
//! - **The link is the credential.** The token (`store::tracking`) is 144 random bits on
//!   the shipment, found through a unique index; nothing on the page names another
//!   shipment, and a wrong token is the same plain 404 whether or not anything like it
//!   exists.
//! - **Server-rendered, no script.** A buyer opens it from an SMS on any phone; the HTML
//!   is `maud` templates that escape every value (`render`), the CSS one small file in
//!   the binary with the tenant's colours in its URL (`theme`), so the Content-Security-
//!   Policy can forbid every script and inline style.
//! - **Shows what a buyer should see, no more.** Status and timeline in plain words
//!   (`words`), never carrier codes; the courier's name and AWB; never costs, rates,
//!   accounts, ids, addresses or the seller's notes.
//! - **The buyer's choices are the API's NDR actions.** A form post becomes the same
//!   `service::ndr` request as `POST /v1/shipments/{id}/ndr-actions` (same validation,
//!   same one-instruction-per-attempt rule, same webhooks), with source `buyer`, audited
//!   with the buyer as actor. It is guarded by a signed form value and limits per link
//!   and address (`guard`), and checks `Origin` when the browser sends one.

mod guard;
mod render;
mod theme;
mod words;

use std::collections::BTreeMap;
use std::sync::RwLock;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use carriers::families::NdrActionKind;
use carriers::schema::{AddressInput, ShipmentKind};
use carriers::taxonomy::Status;
use chrono::{NaiveDate, Utc};
use maud::Markup;

use crate::app::AppState;
use crate::error::ApiError;
use crate::service::ndr::{MAX_DAYS_AHEAD, NdrActionInput, Source};
use crate::store::{Actor, AuditEntry, BookingState, NdrState, Store, TrackedShipment};
pub use guard::FormGuard;
use render::{Choice, FormState, Ndr, Page};

/// The page's Content-Security-Policy: no script at all, styles and images from the
/// gateway (and the logo as a `data:` URL), forms only to itself, never in a frame.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'";

static PUBLIC_URL: RwLock<Option<String>> = RwLock::new(None);

/// Sets the base of the links [`tracking_url`] gives (`http.public_url`), once at start-up.
/// Process-wide because links are made where no request is at hand (the webhook payloads
/// written with a booking); one gateway per process.
pub fn set_public_url(url: Option<&str>) {
    let mut held = PUBLIC_URL.write().unwrap_or_else(|e| e.into_inner());
    *held = url.map(|u| u.trim_end_matches('/').to_string());
}

/// The buyer's link for `token`: absolute under `http.public_url`, else the path.
pub fn tracking_url(token: &str) -> String {
    let held = PUBLIC_URL.read().unwrap_or_else(|e| e.into_inner());
    format!("{}/t/{token}", held.as_deref().unwrap_or(""))
}

/// The page's state in the gateway: the form guard, keyed by the shared secret.
pub struct TrackingPage {
    guard: FormGuard,
    /// The origin forms may come from when `http.public_url` is set.
    public_origin: Option<String>,
}

impl TrackingPage {
    pub async fn new(store: &Store, public_url: Option<&str>) -> anyhow::Result<TrackingPage> {
        let secret = store.gateway_secret("tracking_form").await?;
        Ok(TrackingPage {
            guard: FormGuard::new(&secret),
            public_origin: public_url
                .and_then(|u| url::Url::parse(u).ok())
                .map(|u| u.origin().ascii_serialization()),
        })
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/t/style/{name}", web::get().to(stylesheet))
        .route("/t/{token}", web::get().to(show))
        .route("/t/{token}/ndr", web::post().to(act));
}

/// An HTML answer with the page's security headers.
fn html(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header(("x-robots-tag", "noindex"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(markup.into_string())
}

fn not_found() -> HttpResponse {
    html(
        StatusCode::NOT_FOUND,
        render::message(
            "Page not found",
            "This tracking link is not valid. Check the link in your message, or contact the seller.",
        ),
    )
}

fn unavailable() -> HttpResponse {
    html(
        StatusCode::SERVICE_UNAVAILABLE,
        render::message(
            "Tracking is unavailable",
            "We cannot show this page right now. Please try again in a few minutes.",
        ),
    )
}

async fn stylesheet(name: web::Path<String>) -> HttpResponse {
    let Some((primary, accent)) = theme::parse_name(&name) else {
        return HttpResponse::NotFound()
            .content_type("text/css; charset=utf-8")
            .body("");
    };
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        // The URL names the colours and the CSS version: its content never changes.
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(theme::stylesheet(primary, accent))
}

/// The shipment behind `token`, if the token could be one and names a shipment that was
/// booked (a failed booking has nothing to track).
async fn find(state: &AppState, token: &str) -> Result<Option<TrackedShipment>, ApiError> {
    if !crate::store::plausible_token(token) {
        return Ok(None);
    }
    Ok(state
        .store
        .shipment_by_tracking_token(token)
        .await?
        .filter(|t| t.shipment.booking_state != BookingState::Failed))
}

fn carrier_name(id: &str) -> String {
    carriers::registry()
        .into_iter()
        .find(|s| s.id == id)
        .map_or_else(|| id.to_string(), |s| s.name.to_string())
}

/// The date promised at booking (the carrier's, or the lane's history), when there was one.
fn estimated_delivery(t: &TrackedShipment) -> Option<NaiveDate> {
    t.shipment.estimated_delivery
}

/// Where the shipment's failed delivery stands for the buyer: which choices the carrier
/// takes, or what was already asked for this attempt.
async fn ndr_state(state: &AppState, t: &TrackedShipment) -> Result<Ndr, ApiError> {
    let s = &t.shipment;
    if s.sub_status.status() != Status::DeliveryFailed
        || s.is_terminal()
        || s.kind == ShipmentKind::Reverse
    {
        return Ok(Ndr::None);
    }
    let actions = state.store.ndr_actions(std::slice::from_ref(&s.id)).await?;
    if let Some(sent) = actions
        .iter()
        .rev()
        .find(|a| a.attempt == s.ndr_attempts && a.state != NdrState::Rejected)
    {
        return Ok(Ndr::Sent {
            action: sent.action.clone(),
        });
    }
    let offered = |kind: NdrActionKind| {
        state
            .registry
            .booked_with(&s.tenant_id, &s.carrier_account)
            .and_then(|c| c.adapter.ndr_actions().map(|f| f.offers(kind)))
            .unwrap_or(false)
    };
    let choices = [
        (Choice::Reattempt, NdrActionKind::Reattempt),
        (Choice::ChangeAddress, NdrActionKind::ChangeAddress),
        (Choice::ChangePhone, NdrActionKind::ChangePhone),
    ]
    .into_iter()
    .filter(|(_, kind)| offered(*kind))
    .map(|(choice, _)| choice)
    .collect();
    let today = crate::selection::today();
    Ok(Ndr::Open {
        choices,
        dates: (today, today + chrono::Duration::days(MAX_DAYS_AHEAD)),
    })
}

/// Renders the page for `t` with `status`.
async fn respond(
    state: &AppState,
    t: &TrackedShipment,
    status: StatusCode,
    form: FormState,
    notice: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let mut events = state.store.events(&t.shipment.id).await?;
    events.reverse();
    let ndr = ndr_state(state, t).await?;
    let token = t.shipment.tracking_token.as_deref().unwrap_or_default();
    let page = Page {
        tracked: t,
        carrier_name: &carrier_name(&t.shipment.carrier),
        events: &events,
        estimated_delivery: estimated_delivery(t),
        ndr,
        form_value: state
            .tracking_page
            .guard
            .sign(token, Utc::now().timestamp()),
        form,
        notice,
    };
    Ok(html(status, render::page(&page)))
}

/// `GET /t/{token}`.
async fn show(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
) -> HttpResponse {
    let sent = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "sent")
        .map(|(_, v)| v.into_owned());
    let result = async {
        let Some(t) = find(&state, &token).await? else {
            return Ok(not_found());
        };
        // After a request was sent (the 303 of a POST): say so.
        let notice = sent.as_deref().and_then(Choice::parse).map(|c| {
            format!(
                "Thank you. We have asked the courier for {}.",
                words::request(c.action())
            )
        });
        respond(&state, &t, StatusCode::OK, FormState::default(), notice).await
    }
    .await;
    result.unwrap_or_else(|e: ApiError| {
        tracing::warn!(error = %e, "tracking page not shown");
        unavailable()
    })
}

/// Whether the browser's `Origin`, when it sent one, is this gateway's.
fn same_origin(req: &HttpRequest, public_origin: Option<&str>) -> bool {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    if public_origin == Some(origin) {
        return true;
    }
    let info = req.connection_info();
    origin == format!("{}://{}", info.scheme(), info.host())
}

/// `POST /t/{token}/ndr`: the buyer's choice, as an NDR action.
async fn act(
    state: web::Data<AppState>,
    token: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let result = async {
        let Some(t) = find(&state, &token).await? else {
            return Ok(not_found());
        };
        let page = &state.tracking_page;
        if let Err(wait) = page
            .guard
            .charge(&token, req.peer_addr().map(|a| a.ip()))
        {
            let mut r = html(
                StatusCode::TOO_MANY_REQUESTS,
                render::message(
                    "Too many requests",
                    "This page has sent too many requests. Please wait a while and try again, or contact the seller.",
                ),
            );
            let secs = wait.as_secs().max(1).to_string();
            if let Ok(v) = HeaderValue::from_str(&secs) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return Ok(r);
        }
        let fields: BTreeMap<String, String> = url::form_urlencoded::parse(&body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let form_ok = fields
            .get("csrf")
            .is_some_and(|v| page.guard.verify(&token, v, Utc::now().timestamp()));
        if !form_ok || !same_origin(&req, page.public_origin.as_deref()) {
            return Ok(html(
                StatusCode::FORBIDDEN,
                render::message(
                    "This form has expired",
                    "Please open your tracking link again and send the form from there.",
                ),
            ));
        }
        let Some(choice) = fields.get("action").and_then(|a| Choice::parse(a)) else {
            let mut form = FormState::default();
            form.errors.insert(
                String::new(),
                vec!["Choose one of the options below.".to_string()],
            );
            return respond(&state, &t, StatusCode::UNPROCESSABLE_ENTITY, form, None).await;
        };
        let input = ndr_input(&t, choice, &fields);
        let mut form = FormState {
            choice: Some(choice),
            values: fields
                .into_iter()
                .filter(|(k, _)| k != "csrf" && k != "action")
                .collect(),
            errors: BTreeMap::new(),
        };
        match state.ndr.request(&t.shipment, &input, Source::Buyer).await {
            Ok(action) => {
                let request_id = crate::error::REQUEST_ID.try_with(Clone::clone).ok();
                let entry = AuditEntry {
                    tenant_id: &t.shipment.tenant_id,
                    actor: Actor::Buyer,
                    action: "ndr_action.requested",
                    target_type: "shipment",
                    target_id: &t.shipment.id,
                    before: None,
                    after: serde_json::to_value(action.summary()).ok(),
                    request_id: request_id.as_deref(),
                };
                if let Err(e) = state.store.audit(entry).await {
                    tracing::error!(error = %e, "audit event not recorded");
                }
                tracing::info!(shipment_id = %t.shipment.id, action = %action.action, "buyer asked on the tracking page");
                Ok(HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, format!("/t/{}?sent={}", token.as_str(), choice.action())))
                    .insert_header((header::CACHE_CONTROL, "no-store"))
                    .insert_header((header::REFERRER_POLICY, "no-referrer"))
                    .finish())
            }
            Err(ApiError::Validation(list)) => {
                for e in list {
                    let (field, words) = buyer_words(&e.pointer, &e.code, &e.detail);
                    form.errors.entry(field).or_default().push(words);
                }
                respond(&state, &t, StatusCode::UNPROCESSABLE_ENTITY, form, None).await
            }
            Err(ApiError::Conflict { .. }) => {
                form.errors.insert(
                    String::new(),
                    vec!["A request for this delivery was already sent; the tracking history shows what happens next.".into()],
                );
                respond(&state, &t, StatusCode::CONFLICT, form, None).await
            }
            Err(e @ (ApiError::Carrier { .. } | ApiError::Unavailable(_))) => {
                tracing::warn!(shipment_id = %t.shipment.id, error = %e, "buyer's NDR request not taken by the carrier");
                form.errors.insert(
                    String::new(),
                    vec!["The courier could not take your request just now. Please try again in a few minutes.".into()],
                );
                respond(&state, &t, StatusCode::BAD_GATEWAY, form, None).await
            }
            Err(e) => Err(e),
        }
    }
    .await;
    result.unwrap_or_else(|e: ApiError| {
        tracing::warn!(error = %e, "tracking page form not handled");
        unavailable()
    })
}

/// The API's NDR request for the buyer's form. The corrected address keeps the
/// recipient's name, phone and country from the booking: the page neither shows nor
/// takes them.
fn ndr_input(t: &TrackedShipment, choice: Choice, f: &BTreeMap<String, String>) -> NdrActionInput {
    let get = |k: &str| {
        f.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let to = &t.shipment.request.to;
    let mut input = NdrActionInput {
        action: Some(choice.action().to_string()),
        ..NdrActionInput::default()
    };
    match choice {
        Choice::Reattempt => input.date = get("date"),
        Choice::ChangePhone => input.phone = Some(get("phone").unwrap_or_default()),
        Choice::ChangeAddress => {
            input.address = Some(AddressInput {
                name: Some(to.name.clone()),
                phone: Some(to.phone.e164().to_string()),
                email: None,
                line1: get("line1"),
                line2: get("line2"),
                landmark: get("landmark"),
                city: get("city"),
                state: get("state"),
                postal_code: get("postal_code"),
                country: Some(to.country.clone()),
            })
        }
    }
    input
}

/// The form field an API error belongs to, and what to tell the buyer.
fn buyer_words(pointer: &str, code: &str, detail: &str) -> (String, String) {
    let field = pointer
        .strip_prefix("/address/")
        .or_else(|| pointer.strip_prefix('/'))
        .unwrap_or("");
    let field = match field {
        "date" | "phone" | "line1" | "line2" | "landmark" | "city" | "state" | "postal_code" => {
            field.to_string()
        }
        // Errors about the whole request (or a field the page does not show).
        _ => String::new(),
    };
    let words = match code {
        "action_not_offered" => {
            "The courier does not take this request online. Please choose another option or contact the seller.".to_string()
        }
        "not_awaiting_ndr_action" => {
            "This delivery is no longer waiting for your answer.".to_string()
        }
        "required" if field == "phone" => "Enter a phone number.".to_string(),
        "required" if field == "line1" => "Enter the first line of the address.".to_string(),
        "required" if field == "city" => "Enter the city.".to_string(),
        "required" if field == "postal_code" => "Enter the PIN code.".to_string(),
        "invalid_date" => "Enter the date as YYYY-MM-DD.".to_string(),
        "date_in_past" => "Choose today or a later date.".to_string(),
        "date_too_far" => {
            format!("Choose a date within {MAX_DAYS_AHEAD} days; the courier returns the parcel after that.")
        }
        _ => {
            let mut d = detail.to_string();
            if let Some(first) = d.get(..1) {
                d.replace_range(..1, &first.to_uppercase());
            }
            if !d.ends_with('.') {
                d.push('.');
            }
            d
        }
    };
    (field, words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_land_beside_the_page_fields() {
        assert_eq!(
            buyer_words(
                "/address/postal_code",
                "invalid_postal_code",
                "not a PIN code"
            )
            .0,
            "postal_code"
        );
        assert_eq!(buyer_words("/date", "date_in_past", "").0, "date");
        let (field, words) = buyer_words("/action", "action_not_offered", "x");
        assert_eq!(field, "");
        assert!(words.contains("does not take"));
        // A field the page does not show goes to the top of the form.
        assert_eq!(buyer_words("/address/name", "required", "name").0, "");
    }

    #[test]
    fn links_are_paths_until_a_public_url_is_set() {
        // One test touches the process-wide base, so tests cannot race on it.
        set_public_url(None);
        assert_eq!(tracking_url("abc"), "/t/abc");
        set_public_url(Some("https://track.example.com/"));
        assert_eq!(tracking_url("abc"), "https://track.example.com/t/abc");
        set_public_url(None);
    }
}
