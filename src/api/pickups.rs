//! Pickup routes (issue 17): `POST /v1/pickups` asks a carrier account to collect from a
//! pickup location (`service::pickups` has the why), `PATCH /v1/pickups/{id}` moves it
//! where the carrier can, `POST /v1/pickups/{id}/cancel`, and
//! the list and one pickup with what tracking showed of its shipments.

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use actix_web::{get, patch, post};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::guard::{CreatingRequest, Key, RawQuery, Read, Write, run_creating};
use super::json::{ApiJson, parse_json};
use super::ops::{cursor, encode_cursor, limit, param_error, read_query, unknown_params};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::pickups::{self, PickupInput, RescheduleInput};
use crate::store::{PageKey, PickupFilter, PickupState, PickupView};

const DEFAULT_LIMIT: u32 = 50;

#[derive(Debug, Serialize, ToSchema)]
pub struct PickupList {
    /// Newest first.
    pub data: Vec<PickupView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `requested`, `scheduled`, `rejected`, `completed`, `partially_failed`, `failed`
    /// or `cancelled`.
    state: Option<String>,
    /// A pickup location id.
    pickup_location: Option<String>,
    /// A carrier account id.
    carrier_account: Option<String>,
    /// The pickup date (`YYYY-MM-DD`).
    date: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// Schedule a carrier pickup.
///
/// Stored before the carrier is called, and never sent twice: one live pickup per
/// account, location and date (409 `pickup_exists`) and per shipment (409
/// `shipment_in_pickup`). The answer is the pickup: `scheduled` with the carrier's id and
/// date, `rejected` with its words, or `requested` when the carrier's answer was lost.
/// Tracking then shows each shipment `picked_up` or `not_picked`, and the pickup
/// `completed`, `partially_failed` or `failed`.
#[utoipa::path(
    operation_id = "createPickup",
    tag = "pickups",
    request_body = PickupInput,
    responses(
        (status = 201, body = PickupView),
        (status = 409, description = "A live pickup exists for the day (`pickup_exists`) or a shipment (`shipment_in_pickup`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields at their pointers: a date in the past, an inverted window, an unknown location, shipments of another account or location, picked up already", body = Problem, content_type = "application/problem+json"),
        (status = 502, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/pickups")]
pub async fn create(state: web::Data<AppState>, request: CreatingRequest<Write>) -> Reply {
    run_creating(state, request, |state, request| async move {
        let input: PickupInput = parse_json(request.json, &request.body)?;
        let row = pickups::schedule(
            &state.store,
            &state.registry,
            &request.caller.tenant.id,
            &input,
        )
        .await?;
        let view = state.store.pickup_view(&row).await?;
        super::audit::record(
            &state,
            &request.caller,
            "pickup.requested",
            ("pickup", &row.id),
            None,
            serde_json::to_value(&view).ok(),
        )
        .await;
        Ok(Reply::json(201, &view).with_header("location", format!("/v1/pickups/{}", row.id)))
    })
    .await
}

/// Cancel a pickup that is `requested` or `scheduled`.
///
/// Neither Delhivery nor Shiprocket has an API for it: the pickup is cancelled in
/// shipgate, its shipments are free for another pickup, and `carrier_message` says to
/// ask the carrier's support.
#[utoipa::path(
    operation_id = "cancelPickup",
    tag = "pickups",
    params(("id" = String, Path, description = "Pickup id")),
    responses(
        (status = 200, body = PickupView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not live any more (`pickup_not_cancellable`)", body = Problem, content_type = "application/problem+json"),
        (status = 502, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/pickups/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: CreatingRequest<Write>,
) -> Reply {
    let id = id.into_inner();
    run_creating(state, request, |state, request| async move {
        let row = pickups::cancel(
            &state.store,
            &state.registry,
            &request.caller.tenant.id,
            &id,
        )
        .await?;
        let view = state.store.pickup_view(&row).await?;
        super::audit::record(
            &state,
            &request.caller,
            "pickup.cancelled",
            ("pickup", &row.id),
            None,
            serde_json::to_value(&view).ok(),
        )
        .await;
        Ok(Reply::json(200, &view))
    })
    .await
}

/// Move a pickup to another date or window.
///
/// Only where the carrier has a call for it (DHL Express); other carriers' pickups are
/// refused (422 `reschedule_not_offered`: cancel and schedule another). The pickup must
/// be `scheduled`, or `requested` after a move whose answer was lost (sending the same
/// change again asks the carrier once more). The answer is the pickup: `scheduled` at the
/// date the carrier confirms (`pickup.scheduled` is sent again), as it was with the
/// carrier's words when it refused, or `requested` when its answer was lost.
#[utoipa::path(
    operation_id = "reschedulePickup",
    tag = "pickups",
    params(("id" = String, Path, description = "Pickup id")),
    request_body = RescheduleInput,
    responses(
        (status = 200, body = PickupView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not movable (`pickup_not_reschedulable`: settled, cancelled, or never confirmed by the carrier) or the account already has a live pickup there that day (`pickup_exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields at their pointers: a date in the past or too far ahead, an inverted window or one outside working hours, a carrier that cannot move pickups (`reschedule_not_offered` at `/date`)", body = Problem, content_type = "application/problem+json"),
        (status = 502, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[patch("/v1/pickups/{id}")]
pub async fn reschedule(
    state: web::Data<AppState>,
    caller: Key<Write>,
    id: web::Path<String>,
    ApiJson(input): ApiJson<RescheduleInput>,
) -> Result<Json<PickupView>, ApiError> {
    let tenant_id = &caller.tenant.id;
    let before = match state.store.pickup(tenant_id, &id).await? {
        Some(row) => serde_json::to_value(state.store.pickup_view(&row).await?).ok(),
        None => None,
    };
    let row = pickups::reschedule(&state.store, &state.registry, tenant_id, &id, &input).await?;
    let view = state.store.pickup_view(&row).await?;
    super::audit::record(
        &state,
        &caller,
        "pickup.rescheduled",
        ("pickup", &row.id),
        before,
        serde_json::to_value(&view).ok(),
    )
    .await;
    Ok(Json(view))
}

/// The tenant's pickups, newest first, filtered.
#[utoipa::path(
    operation_id = "listPickups",
    tag = "pickups",
    params(ListQuery),
    responses(
        (status = 200, body = PickupList),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/pickups")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<PickupList>, ApiError> {
    let mut errors = Vec::new();
    let q: ListQuery = read_query(raw.as_deref(), &mut errors)?;
    let limit = limit(&mut errors, q.limit.as_deref(), DEFAULT_LIMIT);
    let after = cursor(&mut errors, q.cursor.as_deref());
    unknown_params(&q.unknown, &mut errors);
    let state_filter = q.state.as_deref().and_then(|s| {
        let parsed = PickupState::parse(s);
        if parsed.is_none() {
            errors.push(param_error(
                "state",
                "invalid_value",
                format!("`{s}` is not a pickup state"),
            ));
        }
        parsed
    });
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let filter = PickupFilter {
        state: state_filter,
        location_id: q.pickup_location,
        carrier_account: q.carrier_account,
        date: q.date,
    };
    let rows = state
        .store
        .pickups(
            &caller.tenant.id,
            &filter,
            i64::from(limit) + 1,
            after.as_ref().map(|k| k.id.as_str()),
        )
        .await?;
    let more = rows.len() > limit as usize;
    let mut data = Vec::new();
    for row in rows.iter().take(limit as usize) {
        data.push(state.store.pickup_view(row).await?);
    }
    let next_cursor = more
        .then(|| {
            data.last().map(|p| {
                encode_cursor(&PageKey {
                    created_at_ms: 0,
                    id: p.id.clone(),
                })
            })
        })
        .flatten();
    Ok(Json(PickupList { data, next_cursor }))
}

/// One pickup, with each shipment's outcome.
#[utoipa::path(
    operation_id = "getPickup",
    tag = "pickups",
    params(("id" = String, Path, description = "Pickup id")),
    responses(
        (status = 200, body = PickupView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/pickups/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<PickupView>, ApiError> {
    let row = state
        .store
        .pickup(&caller.tenant.id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no pickup `{id}`")))?;
    Ok(Json(state.store.pickup_view(&row).await?))
}
