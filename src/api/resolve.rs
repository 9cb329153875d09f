//! `POST /v1/shipments/{id}/resolve`: an operator settles a booking the gateway cannot
//! settle itself (issue 18). A booking whose carrier answer was lost stays
//! `pending_confirmation` until the carrier is asked for it by shipgate's id; a carrier with
//! no such lookup (USPS) leaves that to someone who can read the carrier's own records.

use actix_web::post;
use actix_web::web;
use carriers::schema::Violations;
use serde::Deserialize;
use utoipa::ToSchema;

use super::guard::{Key, Write};
use super::json::ApiJson;
use super::views::ShipmentView;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::shipments::Resolution;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveInput {
    /// `booked` (the carrier's records show the booking: give its `awb`) or `not_booked`
    /// (they do not: the order may be booked again).
    #[schema(value_type = String, pattern = "^(booked|not_booked)$")]
    pub outcome: Option<String>,
    /// The AWB (tracking number) the carrier booked it under; `booked` only.
    #[schema(value_type = String, min_length = 1, max_length = 64)]
    pub awb: Option<String>,
    /// The service the carrier booked, when not the one the request named.
    #[schema(value_type = String)]
    pub service: Option<String>,
}

/// Settle a booking pending confirmation by hand: booked under an AWB, or not booked.
///
/// For bookings whose carrier answer was lost and whose carrier cannot be asked for them
/// (see docs/carriers.md: USPS has no lookup by reference). `booked` confirms it as the
/// carrier's records show (its label is then fetched from the carrier); `not_booked`
/// marks it failed, which frees the order reference for a new booking. Recorded in the
/// audit trail.
#[utoipa::path(
    operation_id = "resolveShipment",
    tag = "shipments",
    params(("id" = String, Path, description = "Shipment id")),
    request_body = ResolveInput,
    responses(
        (status = 200, body = ShipmentView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not pending confirmation (`not_pending`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/shipments/{id}/resolve")]
pub async fn resolve(
    state: web::Data<AppState>,
    caller: Key<Write>,
    id: web::Path<String>,
    ApiJson(input): ApiJson<ResolveInput>,
) -> Result<Reply, ApiError> {
    let resolution = parse(input).map_err(ApiError::Validation)?;
    let before = state.shipments.get(&caller.tenant.id, &id).await?;
    let shipment = state
        .shipments
        .resolve(&caller.tenant.id, &id, resolution)
        .await?;
    let state_of = |s: &crate::store::ShipmentRecord| serde_json::json!({"booking_state": s.booking_state.as_str(), "awb": s.awb});
    super::audit::record(
        &state,
        &caller,
        "shipment.resolved",
        ("shipment", &shipment.id),
        Some(state_of(&before)),
        Some(state_of(&shipment)),
    )
    .await;
    let events = state.store.events(&shipment.id).await?;
    Ok(Reply::json(200, &ShipmentView::new(shipment, Some(events))))
}

fn parse(input: ResolveInput) -> Result<Resolution, Vec<carriers::schema::FieldError>> {
    let mut v = Violations::default();
    let awb = input
        .awb
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    let service = input
        .service
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let resolution = match input.outcome.as_deref().map(str::trim) {
        None => {
            v.add("/outcome", "required", "`booked` or `not_booked`");
            None
        }
        Some("booked") => match awb {
            None => {
                v.add("/awb", "required", "the AWB the carrier booked it under");
                None
            }
            Some(a)
                if a.len() > 64 || !a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
            {
                v.add("/awb", "invalid_awb", "1–64 letters, digits and -");
                None
            }
            Some(a) => Some(Resolution::Booked {
                awb: a.to_string(),
                service,
            }),
        },
        Some("not_booked") => {
            if awb.is_some() {
                v.add("/awb", "unexpected", "an AWB only goes with `booked`");
            }
            Some(Resolution::NotBooked)
        }
        Some(other) => {
            v.add(
                "/outcome",
                "invalid_outcome",
                format!("`{other}` is neither `booked` nor `not_booked`"),
            );
            None
        }
    };
    v.finish(|| resolution.expect("no violation: a resolution"))
}
