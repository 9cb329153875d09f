//! Document routes (issue 18): `GET /v1/shipments/{id}/documents` lists a shipment's
//! documents besides its label, `GET /v1/shipments/{id}/documents/{kind}` serves one
//! (`service::documents` has the why of keeping them).

use actix_web::get;
use actix_web::web::{self, Json};
use carriers::schema::DocumentKind;
use serde::Serialize;
use utoipa::ToSchema;

use super::guard::{Key, Read};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::documents::{self, DocumentEntry};

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentList {
    /// Stored documents first (by kind), then the kinds the carrier produces on request.
    pub data: Vec<DocumentEntry>,
    /// Always null: a shipment's documents fit on one page.
    pub next_cursor: Option<String>,
}

/// A shipment's documents besides the label: the carrier's commercial invoice for a
/// cross-border booking, and what its carrier hands out on request (proof of delivery).
#[utoipa::path(
    operation_id = "listShipmentDocuments",
    tag = "shipments",
    params(("id" = String, Path, description = "Shipment id")),
    responses(
        (status = 200, body = DocumentList),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments/{id}/documents")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<DocumentList>, ApiError> {
    let data = documents::list(&state.shipments, &state.store, &caller.tenant.id, &id).await?;
    Ok(Json(DocumentList {
        data,
        next_cursor: None,
    }))
}

/// One document as the carrier produced it (PDF), kept by shipgate after the first
/// download.
#[utoipa::path(
    operation_id = "getShipmentDocument",
    tag = "shipments",
    params(
        ("id" = String, Path, description = "Shipment id"),
        ("kind" = String, Path, description = "`commercial_invoice`, `customs_declaration`, `proof_of_delivery` or `manifest`"),
    ),
    responses(
        (status = 200, description = "The document as the carrier produced it", content((super::shipments::LabelFile = "application/pdf"))),
        (status = 404, description = "No such shipment, document kind, or document the carrier produces", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not booked yet", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The carrier failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments/{id}/documents/{kind}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    path: web::Path<(String, String)>,
) -> Result<Reply, ApiError> {
    let (id, kind) = path.into_inner();
    let kind = DocumentKind::parse(&kind).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no document kind `{kind}`: commercial_invoice, customs_declaration, \
             proof_of_delivery or manifest"
        ))
    })?;
    let document =
        documents::get(&state.shipments, &state.store, &caller.tenant.id, &id, kind).await?;
    let extension = if document.content_type == "application/pdf" {
        "pdf"
    } else {
        "bin"
    };
    Ok(
        Reply::new(200, &document.content_type, document.content).with_header(
            "content-disposition",
            format!("inline; filename=\"{id}-{}.{extension}\"", kind.as_str()),
        ),
    )
}
