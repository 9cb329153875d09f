//! `/v1/shipments` routes.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use carriers::schema::{LabelFormat, ShipmentRequest, ShipmentRequestInput};
use serde::Deserialize;
use utoipa::IntoParams;

use super::json::ApiJson;
use super::views::{ShipmentView, TrackingView};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::service::shipments as service;
use crate::store::{BookingState, Role};

/// Book a shipment: allocates the AWB at the carrier and stores the label.
#[utoipa::path(
    post, path = "/v1/shipments", tag = "shipments",
    request_body = ShipmentRequestInput,
    responses(
        (status = 201, description = "Booked", body = ShipmentView),
        (status = 202, description = "The carrier may have booked it but did not answer in time: \
the shipment is `pending_confirmation` and is reconciled (looked up at the carrier) before any \
second booking; follow `links.self` for the final state", body = ShipmentView),
        (status = 200, description = "The same request was booked before; this is that shipment", body = ShipmentView),
        (status = 409, description = "This order reference is already booked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the carrier rejected it", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The carrier failed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Idempotency store unreachable (keyed request not executed), or carrier quota exhausted", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ShipmentRequestInput>,
) -> Result<Response, ApiError> {
    caller.require(Role::Write)?;
    let req = ShipmentRequest::parse(&input).map_err(ApiError::Validation)?;
    if req.carrier != "auto" && state.registry.resolve(&req.carrier).is_none() {
        return Err(service::unknown_carrier(&state, &req.carrier));
    }
    let (status, shipment) = match service::create(&state, &caller.tenant.id, req).await? {
        service::Created::Booked(s) => (StatusCode::CREATED, s),
        service::Created::Pending(s) => (StatusCode::ACCEPTED, s),
        service::Created::Existing(s) => (StatusCode::OK, s),
    };
    let location = format!("/v1/shipments/{}", shipment.id);
    let selection = crate::selection::booking::record_of(&state, &shipment.id).await?;
    let view = ShipmentView::new(shipment, None).with_selection(selection);
    let mut response = (status, Json(view)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

/// A shipment with its stored timeline.
#[utoipa::path(
    get, path = "/v1/shipments/{id}", tag = "shipments",
    params(("id" = String, Path, description = "Shipment id")),
    responses(
        (status = 200, body = ShipmentView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ShipmentView>, ApiError> {
    caller.require(Role::Read)?;
    let mut shipment = service::get(&state, &caller.tenant.id, &id).await?;
    if shipment.booking_state == BookingState::PendingConfirmation {
        // Someone is waiting for the final state: try to settle it now.
        if let Ok(settled) = service::reconcile(&state, &caller.tenant.id, &id).await {
            shipment = settled;
        }
    }
    let events = state.store.events(&shipment.id).await?;
    let selection = crate::selection::booking::record_of(&state, &shipment.id).await?;
    Ok(Json(
        ShipmentView::new(shipment, Some(events)).with_selection(selection),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct LabelQuery {
    /// `pdf` or `zpl`; the format chosen at booking when absent.
    format: Option<String>,
}

/// The shipping label as PDF (4×6 in) or ZPL.
#[utoipa::path(
    get, path = "/v1/shipments/{id}/label", tag = "shipments",
    params(("id" = String, Path, description = "Shipment id"), LabelQuery),
    responses(
        (status = 200, description = "The label: PDF (`format=pdf`) or ZPL (`format=zpl`)",
            content((String = "application/pdf"), (String = "application/zpl"))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not booked yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub async fn label(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Query(query): Query<LabelQuery>,
) -> Result<Response, ApiError> {
    caller.require(Role::Read)?;
    let format = match query.format.as_deref() {
        None => None,
        Some("pdf") => Some(LabelFormat::Pdf),
        Some("zpl") => Some(LabelFormat::Zpl),
        Some(other) => {
            return Err(ApiError::BadRequest(format!(
                "label format `{other}` is not supported; use pdf or zpl"
            )));
        }
    };
    let (shipment, format, content) =
        service::label(&state, &caller.tenant.id, &id, format).await?;
    let filename = format!(
        "{}.{}",
        shipment.awb.as_deref().unwrap_or(&shipment.id),
        format.as_str()
    );
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
        ],
        content,
    )
        .into_response())
}

/// Cancel at the carrier. Repeating it on a cancelled shipment is harmless.
#[utoipa::path(
    post, path = "/v1/shipments/{id}/cancel", tag = "shipments",
    params(("id" = String, Path, description = "Shipment id")),
    responses(
        (status = 200, body = ShipmentView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Delivered, returned or not booked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The carrier refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ShipmentView>, ApiError> {
    caller.require(Role::Write)?;
    let shipment = service::cancel(&state, &caller.tenant.id, &id).await?;
    let events = state.store.events(&shipment.id).await?;
    Ok(Json(ShipmentView::new(shipment, Some(events))))
}

/// Refreshes tracking from the carrier and returns the unified timeline.
#[utoipa::path(
    get, path = "/v1/shipments/{id}/tracking", tag = "tracking",
    params(("id" = String, Path, description = "Shipment id")),
    responses(
        (status = 200, body = TrackingView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 502, body = Problem, content_type = "application/problem+json"),
        (status = 504, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
pub async fn tracking(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<TrackingView>, ApiError> {
    caller.require(Role::Read)?;
    let (shipment, events) = service::refresh_tracking(&state, &caller.tenant.id, &id).await?;
    Ok(Json(TrackingView::new(shipment, events)))
}
