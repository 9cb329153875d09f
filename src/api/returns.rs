//! Return routes (issue 17): `POST`/`GET /v1/shipments/{id}/returns` to book and list the
//! returns of a forward shipment, and `POST /v1/returns` for a return without one
//! (`service::returns` has the why of both shapes). A return is a shipment of kind
//! `reverse`: its tracking, label and cancellation are the shipment routes'.

use actix_web::web::{self, Json};
use actix_web::{get, post};
use serde::Serialize;
use utoipa::ToSchema;

use super::guard::{CreatingRequest, Key, Read, Write, run_creating};
use super::json::parse_json;
use super::views::ShipmentView;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::idempotency::Creating;
use crate::reply::Reply;
use crate::service::returns::{Booked, ReturnInput, StandaloneReturnInput};

/// A forward shipment's returns, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnList {
    pub data: Vec<ShipmentView>,
    /// Always null: a shipment's returns fit on one page.
    pub next_cursor: Option<String>,
}

/// Book the return of a delivered shipment: a reverse pickup from its buyer back to its
/// warehouse, with the same carrier account.
///
/// The answer is the return, a shipment of kind `reverse` linked to this one
/// (`forward_shipment_id`); track, label and cancel it like any shipment. `pickup_from`,
/// `deliver_to` and `parcels` default to the forward shipment's `to`, `from` and
/// `parcels`. One open return per order: another is refused (409 `return_exists`) until
/// the first is delivered back or cancelled.
#[utoipa::path(
    operation_id = "createReturn",
    tag = "returns",
    params(("id" = String, Path, description = "The forward shipment's id")),
    request_body = ReturnInput,
    responses(
        (status = 201, description = "Booked", body = ShipmentView),
        (status = 202, description = "The carrier may have booked it but did not answer in time: reconciled like any booking", body = ShipmentView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order has an open return (`return_exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields; a shipment not delivered (`not_returnable`) or itself a return (`forward_is_return`); a quality check the carrier does not offer (`qc_not_offered`); the carrier refused", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The carrier failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/shipments/{id}/returns")]
pub async fn create(
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: CreatingRequest<Write>,
) -> Reply {
    let id = id.into_inner();
    run_creating(state, request, |state, request| async move {
        let input: ReturnInput = parse_json(request.json, &request.body)?;
        let forward = state.shipments.get(&request.caller.tenant.id, &id).await?;
        let booked = state.returns.of_forward(&forward, &input).await?;
        answer(&state, &request, booked).await
    })
    .await
}

/// Book a return that has no forward shipment in shipgate (an order shipped otherwise).
#[utoipa::path(
    operation_id = "createStandaloneReturn",
    tag = "returns",
    request_body = StandaloneReturnInput,
    responses(
        (status = 201, description = "Booked", body = ShipmentView),
        (status = 202, description = "The carrier may have booked it but did not answer in time: reconciled like any booking", body = ShipmentView),
        (status = 409, description = "The order has an open return (`return_exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields; a carrier without returns (`returns_not_offered`) or without quality checks (`qc_not_offered`); the carrier refused", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The carrier failed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The tenant's own account for that carrier cannot be used", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/returns")]
pub async fn create_standalone(
    state: web::Data<AppState>,
    request: CreatingRequest<Write>,
) -> Reply {
    run_creating(state, request, |state, request| async move {
        let input: StandaloneReturnInput = parse_json(request.json, &request.body)?;
        let booked = state
            .returns
            .standalone(&request.caller.tenant.id, &input)
            .await?;
        answer(&state, &request, booked).await
    })
    .await
}

/// The return as booked, recorded in the audit trail.
async fn answer(state: &AppState, request: &Creating, booked: Booked) -> Result<Reply, ApiError> {
    let (status, shipment) = booked.status_and_record();
    let location = format!("/v1/shipments/{}", shipment.id);
    let view = ShipmentView::new(shipment, None);
    super::audit::record(
        state,
        &request.caller,
        "return.created",
        ("shipment", &view.id),
        None,
        serde_json::to_value(&view).ok(),
    )
    .await;
    Ok(Reply::json(status, &view).with_header("location", location))
}

/// A forward shipment's returns, oldest first.
#[utoipa::path(
    operation_id = "listReturns",
    tag = "returns",
    params(("id" = String, Path, description = "The forward shipment's id")),
    responses(
        (status = 200, body = ReturnList),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments/{id}/returns")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<ReturnList>, ApiError> {
    let forward = state.shipments.get(&caller.tenant.id, &id).await?;
    let returns = state.returns.of(&forward).await?;
    Ok(Json(ReturnList {
        data: returns
            .into_iter()
            .map(|r| ShipmentView::new(r, None))
            .collect(),
        next_cursor: None,
    }))
}
