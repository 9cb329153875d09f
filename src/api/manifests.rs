//! Manifest routes (issue 17): `POST /v1/manifests` closes the day for a carrier account
//! and pickup location (`service::manifests` has the why), `GET /v1/manifests/{id}/document`
//! is shipgate's handover sheet (PDF), and the list and one manifest.

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use actix_web::{get, post};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::guard::{CreatingRequest, Key, RawQuery, Read, Write, run_creating};
use super::json::parse_json;
use super::ops::{cursor, encode_cursor, limit, read_query, unknown_params};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::manifests::{self, ManifestInput};
use crate::store::{ManifestRow, ManifestView, PageKey};

const DEFAULT_LIMIT: u32 = 50;

#[derive(Debug, Serialize, ToSchema)]
pub struct ManifestList {
    /// Newest first.
    pub data: Vec<ManifestView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A pickup location id.
    pickup_location: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

async fn view(state: &AppState, row: &ManifestRow) -> Result<ManifestView, ApiError> {
    Ok(row.view(state.store.manifest_lines(&row.id).await?))
}

/// Close the day: manifest a carrier account's shipments from a pickup location.
///
/// The carrier's own manifest where its API has one (Shiprocket; Delhivery has none:
/// `carrier_state` `none`), and always shipgate's handover sheet at `document`. A shipment
/// is in one manifest only (409 `shipment_in_manifest` names the other).
#[utoipa::path(
    operation_id = "createManifest",
    tag = "pickups",
    request_body = ManifestInput,
    responses(
        (status = 201, body = ManifestView),
        (status = 409, description = "A shipment is in another manifest (`shipment_in_manifest`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields at their pointers; no shipment to manifest (`nothing_to_manifest`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/manifests")]
pub async fn create(state: web::Data<AppState>, request: CreatingRequest<Write>) -> Reply {
    run_creating(state, request, |state, request| async move {
        let input: ManifestInput = parse_json(request.json, &request.body)?;
        let row = manifests::create(
            &state.store,
            &state.registry,
            &request.caller.tenant.id,
            &input,
        )
        .await?;
        let view = view(&state, &row).await?;
        super::audit::record(
            &state,
            &request.caller,
            "manifest.created",
            ("manifest", &row.id),
            None,
            serde_json::to_value(&view).ok(),
        )
        .await;
        Ok(Reply::json(201, &view).with_header("location", format!("/v1/manifests/{}", row.id)))
    })
    .await
}

/// The tenant's manifests, newest first.
#[utoipa::path(
    operation_id = "listManifests",
    tag = "pickups",
    params(ListQuery),
    responses(
        (status = 200, body = ManifestList),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/manifests")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ManifestList>, ApiError> {
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
        .manifests(
            &caller.tenant.id,
            q.pickup_location.as_deref(),
            i64::from(limit) + 1,
            after.as_ref().map(|k| k.id.as_str()),
        )
        .await?;
    let more = rows.len() > limit as usize;
    let mut data = Vec::new();
    for row in rows.iter().take(limit as usize) {
        data.push(view(&state, row).await?);
    }
    let next_cursor = more
        .then(|| {
            data.last().map(|m| {
                encode_cursor(&PageKey {
                    created_at_ms: 0,
                    id: m.id.clone(),
                })
            })
        })
        .flatten();
    Ok(Json(ManifestList { data, next_cursor }))
}

async fn row(state: &AppState, tenant_id: &str, id: &str) -> Result<ManifestRow, ApiError> {
    state
        .store
        .manifest(tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no manifest `{id}`")))
}

/// One manifest with its shipments.
#[utoipa::path(
    operation_id = "getManifest",
    tag = "pickups",
    params(("id" = String, Path, description = "Manifest id")),
    responses(
        (status = 200, body = ManifestView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/manifests/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<ManifestView>, ApiError> {
    let row = row(&state, &caller.tenant.id, &id).await?;
    Ok(Json(view(&state, &row).await?))
}

/// The handover sheet (PDF, A4): each AWB with its Code 128 barcode, order reference, COD
/// amount and pieces; totals (shipments, pieces, COD) and signature boxes for the seller
/// and the courier. Several pages for a long manifest.
#[utoipa::path(
    operation_id = "getManifestDocument",
    tag = "pickups",
    params(("id" = String, Path, description = "Manifest id")),
    responses(
        (status = 200, description = "The handover sheet (PDF)", content((super::shipments::LabelFile = "application/pdf"))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/manifests/{id}/document")]
pub async fn document(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Reply, ApiError> {
    let row = row(&state, &caller.tenant.id, &id).await?;
    let pdf = manifests::document(&state.store, &state.registry, &row).await?;
    Ok(Reply::new(200, "application/pdf", pdf).with_header(
        "content-disposition",
        format!("inline; filename=\"{}.pdf\"", row.id),
    ))
}
