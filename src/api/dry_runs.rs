//! Dry runs kept for a parallel run: `GET /v1/dry-runs` (by order), one dry run, and its
//! label specimen. A dry run is made by `POST /v1/shipments` with `"dry_run": true`
//! (`service::dry_runs` has the why).

use std::collections::BTreeMap;

use actix_web::get;
use actix_web::web::{self, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::guard::{Key, RawQuery, Read};
use super::ops::{cursor, encode_cursor, limit, read_query, unknown_params};
use super::shipments::{LabelFile, LabelQuery};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::dry_runs::{DryRunView, specimen_awb, view_of};
use crate::store::PageKey;

const DEFAULT_LIMIT: u32 = 50;

#[derive(Debug, Serialize, ToSchema)]
pub struct DryRunList {
    /// Newest first.
    pub data: Vec<DryRunView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this order's dry runs.
    order_ref: Option<String>,
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// The tenant's dry runs, newest first (kept for the retention period, 30 days by default).
#[utoipa::path(
    operation_id = "listDryRuns",
    tag = "parallel run",
    params(ListQuery),
    responses(
        (status = 200, body = DryRunList),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/dry-runs")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<DryRunList>, ApiError> {
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
        .dry_runs(
            &caller.tenant.id,
            q.order_ref.as_deref().map(str::trim),
            i64::from(limit) + 1,
            after.as_ref().map(|k| k.id.as_str()),
        )
        .await?;
    let more = rows.len() > limit as usize;
    let data = rows
        .iter()
        .take(limit as usize)
        .map(view_of)
        .collect::<Result<Vec<_>, _>>()?;
    let next_cursor = more
        .then(|| {
            data.last().map(|d| {
                encode_cursor(&PageKey {
                    created_at_ms: 0,
                    id: d.id.clone(),
                })
            })
        })
        .flatten();
    Ok(Json(DryRunList { data, next_cursor }))
}

/// One dry run, as it was answered.
#[utoipa::path(
    operation_id = "getDryRun",
    tag = "parallel run",
    params(("id" = String, Path, description = "Dry run id")),
    responses(
        (status = 200, body = DryRunView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/dry-runs/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<DryRunView>, ApiError> {
    Ok(Json(state.dry_runs.get(&caller.tenant.id, &id).await?))
}

/// A dry run's label specimen: shipgate's own label layout, AWB `DRYRUN…`, marked
/// "SPECIMEN - DRY RUN - NOT A SHIPPING LABEL". Not for shipping: no carrier knows it.
#[utoipa::path(
    operation_id = "getDryRunLabel",
    tag = "parallel run",
    params(("id" = String, Path, description = "Dry run id"), LabelQuery),
    responses(
        (status = 200, description = "The specimen: PDF (`format=pdf`) or ZPL (`format=zpl`)",
            content((LabelFile = "application/pdf"), (LabelFile = "application/zpl"))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/dry-runs/{id}/label")]
pub async fn label(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
    query: web::Query<LabelQuery>,
) -> Result<Reply, ApiError> {
    let (format, content) = state
        .dry_runs
        .label(&caller.tenant.id, &id, query.format)
        .await?;
    let filename = format!("{}.{}", specimen_awb(&id), format.as_str());
    Ok(Reply::new(200, format.content_type(), content).with_header(
        "content-disposition",
        format!("inline; filename=\"{filename}\""),
    ))
}
