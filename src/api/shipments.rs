//! `/v1/shipments` routes.

use actix_web::web::{self, Json};
use actix_web::{get, post};
use carriers::schema::{LabelFormat, ShipmentRequest, ShipmentRequestInput};
use serde::Deserialize;
use utoipa::IntoParams;

use super::guard::{CreatingRequest, Key, Read, Write, run_creating};
use super::json::parse_json;
use super::views::{ShipmentView, TrackingView};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::idempotency::Creating;
use crate::reply::Reply;
use crate::service::dry_runs::DryRunView;
use crate::service::shipments as service;
use crate::store::BookingState;

/// The 200 answer of `POST /v1/shipments`: a repeat's shipment, or a dry run.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum RepeatOrDryRun {
    Shipment(Box<ShipmentView>),
    DryRun(Box<DryRunView>),
}

/// Book a shipment: allocates the AWB at the carrier and stores the label. With
/// `"dry_run": true`, books nothing and answers 200 with what it would book
/// (docs/parallel-run.md).
#[utoipa::path(
    operation_id = "createShipment",
    tag = "shipments",
    request_body = ShipmentRequestInput,
    responses(
        (status = 201, description = "Booked", body = ShipmentView),
        (status = 202, description = "The carrier may have booked it but did not answer in time: \
the shipment is `pending_confirmation` and is reconciled (looked up at the carrier) before any \
second booking; follow `links.self` for the final state", body = ShipmentView),
        (status = 200, description = "The same request was booked before; this is that shipment. \
With `dry_run: true`: what would be booked (a `DryRunView`), nothing booked", body = RepeatOrDryRun),
        (status = 409, description = "This order reference is already booked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the carrier rejected it", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The carrier failed", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "Idempotency store unreachable (keyed request not executed), or carrier quota exhausted", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/shipments")]
pub async fn create(state: web::Data<AppState>, request: CreatingRequest<Write>) -> Reply {
    run_creating(state, request, |state, request| async move {
        book(&state, request).await
    })
    .await
}

async fn book(state: &AppState, request: Creating) -> Result<Reply, ApiError> {
    let input: ShipmentRequestInput = parse_json(request.json, &request.body)?;
    let req = ShipmentRequest::parse(&input).map_err(ApiError::Validation)?;
    if input.dry_run == Some(true) {
        let view = state.dry_runs.run(&request.caller.tenant.id, &req).await?;
        return Ok(Reply::json(200, &view));
    }
    // Only an `auto` booking, or one made before this request, can have a selection
    // record: the others skip a database round trip (a few per cent of a create's CPU).
    let auto = req.carrier == "auto";
    // An unknown carrier is refused by `create`, before anything is reserved.
    let (status, shipment, may_have_selection) = match state
        .shipments
        .create(&request.caller.tenant.id, req)
        .await?
    {
        service::Created::Booked(s) => (201, s, auto),
        service::Created::Pending(s) => (202, s, auto),
        service::Created::Existing(s) => (200, s, true),
    };
    let location = format!("/v1/shipments/{}", shipment.id);
    let selection = if may_have_selection {
        crate::selection::booking::record_of(&state.store, &shipment.id).await?
    } else {
        None
    };
    let view = ShipmentView::new(shipment, None).with_selection(selection);
    Ok(Reply::json(status, &view).with_header("location", location))
}

/// A shipment with its stored timeline.
#[utoipa::path(
    operation_id = "getShipment",
    tag = "shipments",
    params(("id" = String, Path, description = "Shipment id")),
    responses(
        (status = 200, body = ShipmentView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<ShipmentView>, ApiError> {
    let mut shipment = state.shipments.get(&caller.tenant.id, &id).await?;
    if shipment.booking_state == BookingState::PendingConfirmation {
        // Someone is waiting for the final state: try to settle it now.
        if let Ok(settled) = state.shipments.reconcile(&caller.tenant.id, &id).await {
            shipment = settled;
        }
    }
    let events = state.store.events(&shipment.id).await?;
    let selection = crate::selection::booking::record_of(&state.store, &shipment.id).await?;
    let weight = state
        .store
        .weight_charges(std::slice::from_ref(&shipment.id))
        .await?
        .into_iter()
        .next();
    let returns = match shipment.kind {
        carriers::schema::ShipmentKind::Forward => Some(state.returns.of(&shipment).await?),
        carriers::schema::ShipmentKind::Reverse => None,
    };
    let view = ShipmentView::new(shipment, Some(events))
        .with_selection(selection)
        .with_weight(weight);
    Ok(Json(match returns {
        Some(returns) => view.with_returns(&returns),
        None => view,
    }))
}

/// A label file: PDF or ZPL bytes.
pub struct LabelFile;

impl utoipa::PartialSchema for LabelFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some("The label file (PDF 4×6 in, or ZPL)"))
            .into()
    }
}

impl utoipa::ToSchema for LabelFile {}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LabelQuery {
    /// `pdf` or `zpl`; the format chosen at booking when absent.
    pub format: Option<LabelFormat>,
}

/// The shipping label as PDF (4×6 in) or ZPL.
#[utoipa::path(
    operation_id = "getShipmentLabel",
    tag = "shipments",
    params(("id" = String, Path, description = "Shipment id"), LabelQuery),
    responses(
        (status = 200, description = "The label: PDF (`format=pdf`) or ZPL (`format=zpl`)",
            content((LabelFile = "application/pdf"), (LabelFile = "application/zpl"))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not booked yet", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments/{id}/label")]
pub async fn label(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
    query: web::Query<LabelQuery>,
) -> Result<Reply, ApiError> {
    let (shipment, format, content) = state
        .shipments
        .label(&caller.tenant.id, &id, query.format)
        .await?;
    let filename = format!(
        "{}.{}",
        shipment.awb.as_deref().unwrap_or(&shipment.id),
        format.as_str()
    );
    Ok(Reply::new(200, format.content_type(), content).with_header(
        "content-disposition",
        format!("inline; filename=\"{filename}\""),
    ))
}

/// Cancel at the carrier. Repeating it on a cancelled shipment is harmless.
#[utoipa::path(
    operation_id = "cancelShipment",
    tag = "shipments",
    params(("id" = String, Path, description = "Shipment id")),
    responses(
        (status = 200, body = ShipmentView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Delivered, returned or not booked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The carrier refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/shipments/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    id: web::Path<String>,
    request: CreatingRequest<Write>,
) -> Reply {
    let id = id.into_inner();
    run_creating(state, request, |state, request| async move {
        let shipment = state
            .shipments
            .cancel(&request.caller.tenant.id, &id)
            .await?;
        let events = state.store.events(&shipment.id).await?;
        Ok(Reply::json(200, &ShipmentView::new(shipment, Some(events))))
    })
    .await
}

/// Refreshes tracking from the carrier and returns the unified timeline.
#[utoipa::path(
    operation_id = "refreshTracking",
    tag = "tracking",
    params(("id" = String, Path, description = "Shipment id")),
    responses(
        (status = 200, body = TrackingView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 502, body = Problem, content_type = "application/problem+json"),
        (status = 504, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments/{id}/tracking")]
pub async fn tracking(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<TrackingView>, ApiError> {
    let (shipment, events) = state
        .shipments
        .refresh_tracking(&caller.tenant.id, &id)
        .await?;
    Ok(Json(TrackingView::new(shipment, events)))
}
