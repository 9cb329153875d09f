//! Pickup location routes (issue 17): `POST /v1/pickup-locations` registers a warehouse
//! once, and shipgate registers it with each carrier account of the tenant that takes
//! pickups (`service::pickup_locations` has the why).
//!
//! Role: `admin`. A location is configuration that shipgate copies to the tenant's
//! carrier accounts (like the accounts themselves, which `admin` keys manage); `write`
//! keys use locations (pickups, manifests), `read` keys see them.

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use actix_web::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::guard::{Admin, CreatingRequest, Key, RawQuery, Read, run_creating};
use super::json::parse_json;
use super::ops::{cursor, encode_cursor, limit, read_query, unknown_params};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::pickup_locations::{self as locations, PickupLocationInput};
use crate::store::{PageKey, PickupLocationView};

const DEFAULT_LIMIT: u32 = 50;

#[derive(Debug, Serialize, ToSchema)]
pub struct PickupLocationList {
    /// Newest first.
    pub data: Vec<PickupLocationView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// Register a warehouse as a pickup location.
///
/// Stored once, then registered with each of the tenant's carrier accounts that takes
/// pickups (Delhivery's client warehouse, Shiprocket's pickup location); each account's
/// outcome is in `registrations` (`registered` with the carrier's name and id, or
/// `failed` with the carrier's words: try again with `POST …/register`).
#[utoipa::path(
    operation_id = "createPickupLocation",
    tag = "pickups",
    request_body = PickupLocationInput,
    responses(
        (status = 201, body = PickupLocationView),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An active location has this name (`pickup_location_exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each at its JSON pointer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/pickup-locations")]
pub async fn create(state: web::Data<AppState>, request: CreatingRequest<Admin>) -> Reply {
    run_creating(state, request, |state, request| async move {
        let input: PickupLocationInput = parse_json(request.json, &request.body)?;
        let tenant = &request.caller.tenant.id;
        let location = locations::create(&state.store, &state.registry, tenant, &input).await?;
        super::audit::record(
            &state,
            &request.caller,
            "pickup_location.created",
            ("pickup_location", &location.id),
            None,
            serde_json::to_value(&location).ok(),
        )
        .await;
        let path = format!("/v1/pickup-locations/{}", location.id);
        Ok(Reply::json(201, &location).with_header("location", path))
    })
    .await
}

/// The tenant's pickup locations, newest first.
#[utoipa::path(
    operation_id = "listPickupLocations",
    tag = "pickups",
    params(ListQuery),
    responses(
        (status = 200, body = PickupLocationList),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/pickup-locations")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<PickupLocationList>, ApiError> {
    let mut errors = Vec::new();
    let q: ListQuery = read_query(raw.as_deref(), &mut errors)?;
    let limit = limit(&mut errors, q.limit.as_deref(), DEFAULT_LIMIT);
    let after = cursor(&mut errors, q.cursor.as_deref());
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let rows = state
        .store
        .locations(
            &caller.tenant.id,
            i64::from(limit) + 1,
            after.as_ref().map(|k| k.id.as_str()),
        )
        .await?;
    let more = rows.len() > limit as usize;
    let mut data = Vec::new();
    for row in rows.iter().take(limit as usize) {
        data.push(locations::view(&state.store, row).await?);
    }
    let next_cursor = more
        .then(|| {
            data.last().map(|l| {
                encode_cursor(&PageKey {
                    created_at_ms: 0,
                    id: l.id.clone(),
                })
            })
        })
        .flatten();
    Ok(Json(PickupLocationList { data, next_cursor }))
}

/// One pickup location with its registrations.
#[utoipa::path(
    operation_id = "getPickupLocation",
    tag = "pickups",
    params(("id" = String, Path, description = "Pickup location id")),
    responses(
        (status = 200, body = PickupLocationView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/pickup-locations/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<PickupLocationView>, ApiError> {
    let row = locations::get(&state.store, &caller.tenant.id, &id).await?;
    Ok(Json(locations::view(&state.store, &row).await?))
}

/// Register the location again with the accounts where it failed (and with accounts
/// added since).
#[utoipa::path(
    operation_id = "registerPickupLocation",
    tag = "pickups",
    params(("id" = String, Path, description = "Pickup location id")),
    responses(
        (status = 200, body = PickupLocationView),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The location is deactivated (`pickup_location_inactive`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/pickup-locations/{id}/register")]
pub async fn register(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    id: web::Path<String>,
) -> Result<Json<PickupLocationView>, ApiError> {
    let row = locations::get(&state.store, &caller.tenant.id, &id).await?;
    let before = locations::view(&state.store, &row).await?;
    let after = locations::register(&state.store, &state.registry, &row).await?;
    super::audit::record(
        &state,
        &caller,
        "pickup_location.registered",
        ("pickup_location", &row.id),
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&after).ok(),
    )
    .await;
    Ok(Json(after))
}

/// Deactivate a pickup location: no new pickups or manifests name it; what exists keeps
/// it. Its name is free for a new location.
#[utoipa::path(
    operation_id = "deactivatePickupLocation",
    tag = "pickups",
    params(("id" = String, Path, description = "Pickup location id")),
    responses(
        (status = 200, body = PickupLocationView),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/pickup-locations/{id}/deactivate")]
pub async fn deactivate(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    id: web::Path<String>,
) -> Result<Json<PickupLocationView>, ApiError> {
    let before = locations::get(&state.store, &caller.tenant.id, &id).await?;
    let row = state
        .store
        .location_deactivate(&caller.tenant.id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no pickup location `{id}`")))?;
    let view = locations::view(&state.store, &row).await?;
    if before.active {
        super::audit::record(
            &state,
            &caller,
            "pickup_location.deactivated",
            ("pickup_location", &row.id),
            Some(serde_json::json!({"active": true})),
            Some(serde_json::json!({"active": false})),
        )
        .await;
    }
    Ok(Json(view))
}
