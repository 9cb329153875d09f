//! `POST /v1/parallel-run/compare`: the OMS's actual bookings (JSON or CSV) against what
//! shipgate would have booked (`service::parallel_run` has the why). Reads only, so a
//! read key is enough and there is nothing to make idempotent.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::guard::{Key, RawQuery, Read, is_json, media_type, read_body};
use super::ops::{limit, param_error, read_query, unknown_params};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::parallel_run::{CompareInput, CompareReport, Page, csv_rows, json_rows};

const DEFAULT_LIMIT: u32 = 100;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// Orders listed per page, 1–200 (default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page (send the same body).
    cursor: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// Compares the OMS's own bookings with what shipgate would have booked, per lane and
/// overall: orders, how many shipgate would have booked differently, both costs and the
/// savings per currency, the OMS's outcomes next to shipgate's scorecard on the lane, and
/// the orders that differ. Each booking is matched with its order's latest dry run, else
/// priced now from its lane fields (`quoted_now`), else `unmatched`. Rows that do not
/// parse are listed in `errors` at their pointers (`/bookings/<i>/<field>`, or
/// `/csv/<line>/<column>`) and the rest is compared. CSV: `Content-Type: text/csv`, a
/// header row naming the columns (`order_ref,carrier,service,cost_amount,cost_currency,
/// outcome,booked_at,from_postal_code,to_postal_code,weight_g,payment_mode,cod_amount`).
#[utoipa::path(
    operation_id = "compareParallelRun",
    tag = "parallel run",
    params(CompareQuery),
    request_body(content(
        (CompareInput = "application/json"),
        (String = "text/csv", example = "order_ref,carrier,service,cost_amount,cost_currency,outcome,from_postal_code,to_postal_code,weight_g\nORD-1,bluedart,,9900,INR,delivered,110020,560001,500\n"),
    )),
    responses(
        (status = 200, body = CompareReport),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON nor `text/csv`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No `bookings` array, a CSV without its required columns, too many rows, or a bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/parallel-run/compare")]
pub async fn compare(
    state: web::Data<AppState>,
    caller: Key<Read>,
    req: HttpRequest,
    payload: web::Payload,
    RawQuery(raw): RawQuery,
) -> Result<Reply, ApiError> {
    let mut errors = Vec::new();
    let q: CompareQuery = read_query(raw.as_deref(), &mut errors)?;
    let limit = limit(&mut errors, q.limit.as_deref(), DEFAULT_LIMIT);
    let offset = match q.cursor.as_deref() {
        None => 0,
        Some(c) => c.parse::<usize>().unwrap_or_else(|_| {
            errors.push(param_error(
                "cursor",
                "invalid_cursor",
                "not a `next_cursor` of this report".to_string(),
            ));
            0
        }),
    };
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let csv = media_type(&req).as_deref() == Some("text/csv");
    if !csv && !is_json(&req) {
        return Err(ApiError::UnsupportedContentType(
            "application/json or text/csv",
        ));
    }
    let body = read_body(&req, payload.into_inner(), &state).await?;
    let (source, rows) = if csv {
        csv_rows(&body)?
    } else {
        json_rows(&body)?
    };
    let report = state
        .dry_runs
        .compare(
            &caller.tenant.id,
            &state.selection.scores,
            source,
            rows,
            Page {
                offset,
                limit: limit as usize,
            },
        )
        .await?;
    Ok(Reply::json(200, &report))
}
