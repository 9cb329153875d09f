//! Document routes (issue 18): `GET /v1/shipments/{id}/documents` lists a shipment's
//! documents besides its label, `GET /v1/shipments/{id}/documents/{kind}` serves one
//! (`service::documents` has the why of keeping them), and
//! `POST /v1/shipments/{id}/documents?kind=` hands the shipper's own trade document (a
//! PDF) to the carrier.
//!
//! The upload is the raw PDF (`Content-Type: application/pdf`) with the kind as a query
//! parameter, rather than JSON with base64 or a multipart form: the idempotency layer
//! fingerprints the body as sent (a multipart boundary changes on every retry), base64
//! costs a third more bytes, and it is what `curl --data-binary @invoice.pdf` sends.

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use actix_web::{HttpRequest, get, post};
use carriers::schema::DocumentKind;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::cod::refuse;
use super::guard::{CreatingRequest, Key, RawQuery, Read, Write, media_type, run_creating};
use super::ops::{param_error, read_query, unknown_params};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::documents::{self, DocumentEntry, UploadedView};

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentList {
    /// Stored documents first (by kind), then the kinds the carrier produces on request.
    pub data: Vec<DocumentEntry>,
    /// The shipper's own documents handed to the carrier (`POST .../documents`).
    pub uploaded: Vec<UploadedView>,
    /// Always null: a shipment's documents fit on one page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// `commercial_invoice` or `customs_declaration`, as the shipment's carrier takes them.
    kind: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GetQuery {
    /// `shipper` for the document the shipper uploaded; the carrier's by default.
    source: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
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
    let uploaded =
        documents::uploads(&state.shipments, &state.store, &caller.tenant.id, &id).await?;
    Ok(Json(DocumentList {
        data,
        uploaded,
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
        GetQuery,
    ),
    responses(
        (status = 200, description = "The document as the carrier produced it", content((super::shipments::LabelFile = "application/pdf"))),
        (status = 404, description = "No such shipment, document kind, or document the carrier produces", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not booked yet", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The carrier failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments/{id}/documents/{kind}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    path: web::Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Reply, ApiError> {
    let (id, kind) = path.into_inner();
    let mut errors = Vec::new();
    let q: GetQuery = read_query(raw.as_deref(), &mut errors)?;
    unknown_params(&q.unknown, &mut errors);
    let shipper = match q.source.as_deref() {
        None | Some("carrier") => false,
        Some("shipper") => true,
        Some(_) => {
            errors.push(param_error(
                "source",
                "invalid_value",
                "`carrier` or `shipper`",
            ));
            false
        }
    };
    refuse(errors)?;
    let kind = DocumentKind::parse(&kind).ok_or_else(|| {
        ApiError::NotFound(format!(
            "no document kind `{kind}`: commercial_invoice, customs_declaration, \
             proof_of_delivery or manifest"
        ))
    })?;
    let (shipments, store, tenant) = (&state.shipments, &state.store, &caller.tenant.id);
    let document = if shipper {
        documents::uploaded(shipments, store, tenant, &id, kind).await?
    } else {
        documents::get(shipments, store, tenant, &id, kind).await?
    };
    let extension = match document.content_type.as_str() {
        "application/pdf" => "pdf",
        // UPS's proof of delivery letter is an HTML page.
        "text/html" => "html",
        _ => "bin",
    };
    Ok(
        Reply::new(200, &document.content_type, document.content).with_header(
            "content-disposition",
            format!("inline; filename=\"{id}-{}.{extension}\"", kind.as_str()),
        ),
    )
}

/// Hand the shipper's own trade document to the carrier.
///
/// The body is the PDF itself (`Content-Type: application/pdf`), `kind` a query
/// parameter: what the shipment's carrier takes (FedEx electronic trade documents and
/// UPS Paperless Documents take `commercial_invoice` and `customs_declaration`). The
/// carrier files it with the booked shipment (FedEx by tracking number, post-shipment;
/// UPS in Forms History, then pushed to the shipment) and answers its id, kept with the
/// document. Up to the carrier's limit (FedEx 5 MB, UPS 10 MB) and the gateway's file
/// limit. One upload per kind: the carriers have no idempotency key, so a repeat is
/// refused (409 `document_uploaded`), and a retry with the same `Idempotency-Key`
/// replays the first answer without calling the carrier again.
#[utoipa::path(
    operation_id = "uploadShipmentDocument",
    tag = "shipments",
    params(("id" = String, Path, description = "Shipment id"), UploadQuery),
    request_body(content = super::shipments::LabelFile, content_type = "application/pdf", description = "The document, a PDF"),
    responses(
        (status = 201, description = "The carrier took it", body = UploadedView),
        (status = 404, description = "No such shipment", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not booked yet (`not_booked`), or a document of this kind was uploaded before (`document_uploaded`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than the carrier or the gateway takes", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not `application/pdf`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad or missing `kind` (`/kind`), a body that is not a PDF (pointer ``), or the carrier refused", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The carrier failed", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/shipments/{id}/documents")]
pub async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
    RawQuery(raw): RawQuery,
    request: CreatingRequest<Write>,
) -> Reply {
    let id = id.into_inner();
    let pdf = media_type(&req).is_some_and(|m| m == "application/pdf");
    run_creating(state, request, move |state, request| async move {
        let mut errors = Vec::new();
        let q: UploadQuery = read_query(raw.as_deref(), &mut errors)?;
        unknown_params(&q.unknown, &mut errors);
        let kind = match q.kind.as_deref() {
            None => {
                errors.push(param_error(
                    "kind",
                    "required",
                    "`commercial_invoice` or `customs_declaration`",
                ));
                None
            }
            Some(name) => {
                let kind = DocumentKind::parse(name).filter(|k| {
                    matches!(
                        k,
                        DocumentKind::CommercialInvoice | DocumentKind::CustomsDeclaration
                    )
                });
                if kind.is_none() {
                    errors.push(param_error(
                        "kind",
                        "invalid_value",
                        "`commercial_invoice` or `customs_declaration`",
                    ));
                }
                kind
            }
        };
        refuse(errors)?;
        let kind = kind.expect("refused above when missing");
        if !pdf {
            return Err(ApiError::UnsupportedContentType("application/pdf"));
        }
        let (view, shipment) = documents::upload(
            &state.shipments,
            &state.store,
            &request.caller.tenant.id,
            &id,
            kind,
            request.body.to_vec(),
        )
        .await?;
        super::audit::record(
            &state,
            &request.caller,
            "shipment.document_uploaded",
            ("shipment", &shipment.id),
            None,
            serde_json::to_value(&view).ok(),
        )
        .await;
        let location = view.href.clone();
        Ok(Reply::json(201, &view).with_header("location", location))
    })
    .await
}
