//! A shipment's documents besides its label: the commercial invoice a carrier generated
//! with a cross-border booking (stored with the confirmation), and what its `Documents`
//! family hands out on request (proof of delivery), fetched once and then kept.
//!
//! Why kept: customs paperwork is printed with the parcel and shown again at a dispute
//! months later, when the carrier may no longer serve it; and a second download should
//! not cost a carrier call.

use carriers::Operation;
use carriers::families::DocumentUpload;
use carriers::schema::{Document, DocumentKind, FieldError};
use serde::Serialize;
use utoipa::ToSchema;

use super::shipments::{Shipments, call, confirmed};
use crate::error::ApiError;
use crate::store::{ShipmentRecord, Store};

/// One document of a shipment: stored, or one its carrier can produce on request.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentEntry {
    /// `commercial_invoice`, `customs_declaration`, `proof_of_delivery` or `manifest`.
    pub kind: &'static str,
    /// Whether shipgate holds it (else the first download asks the carrier).
    pub stored: bool,
    /// `application/pdf`, … (null until stored).
    #[schema(required = true)]
    pub content_type: Option<String>,
    /// Bytes (null until stored).
    #[schema(required = true)]
    pub size: Option<i64>,
    /// Where to download it.
    pub href: String,
}

/// The documents of a shipment: those stored, then those its carrier can produce.
pub async fn list(
    shipments: &Shipments,
    store: &Store,
    tenant_id: &str,
    id: &str,
) -> Result<Vec<DocumentEntry>, ApiError> {
    let shipment = shipments.get(tenant_id, id).await?;
    let href =
        |kind: DocumentKind| format!("/v1/shipments/{}/documents/{}", shipment.id, kind.as_str());
    let mut entries: Vec<DocumentEntry> = store
        .documents(&shipment.id)
        .await?
        .into_iter()
        .map(|d| DocumentEntry {
            kind: d.kind.as_str(),
            stored: true,
            content_type: Some(d.content_type),
            size: Some(d.size),
            href: href(d.kind),
        })
        .collect();
    let offered = shipments
        .carrier_of(&shipment)
        .ok()
        .and_then(|c| c.adapter.documents().map(|f| f.kinds()))
        .unwrap_or_default();
    for kind in offered {
        if !entries.iter().any(|e| e.kind == kind.as_str()) {
            entries.push(DocumentEntry {
                kind: kind.as_str(),
                stored: false,
                content_type: None,
                size: None,
                href: href(*kind),
            });
        }
    }
    Ok(entries)
}

/// One document: the stored copy, or the carrier's, fetched and kept.
pub async fn get(
    shipments: &Shipments,
    store: &Store,
    tenant_id: &str,
    id: &str,
    kind: DocumentKind,
) -> Result<Document, ApiError> {
    let shipment = shipments.get(tenant_id, id).await?;
    if let Some(stored) = store.document(&shipment.id, kind).await? {
        return Ok(stored);
    }
    let not_found = || {
        ApiError::NotFound(format!(
            "shipment {} has no {} and its carrier produces none on request",
            shipment.id,
            kind.as_str()
        ))
    };
    let carrier = shipments.carrier_of(&shipment).map_err(|_| not_found())?;
    let family = carrier.adapter.documents().ok_or_else(not_found)?;
    if !family.kinds().contains(&kind) {
        return Err(not_found());
    }
    confirmed(&shipment, "asked for documents")?;
    let document = call(
        &carrier,
        Operation::Document,
        family.document(&carrier.transport, &shipment.shipment_ref(), kind),
    )
    .await?;
    if document.kind != kind {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "{} answered a {} when asked for a {}",
            carrier.id,
            document.kind.as_str(),
            kind.as_str()
        )));
    }
    store.save_document(&shipment.id, &document).await?;
    tracing::info!(shipment_id = %shipment.id, kind = kind.as_str(), "document fetched from the carrier");
    Ok(document)
}

/// The shipper's trade document as kept after its carrier took it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadedView {
    /// `commercial_invoice` or `customs_declaration`.
    pub kind: &'static str,
    /// The id the carrier filed the document under (FedEx's ETD `docId`, UPS's Forms
    /// History document id).
    pub carrier_document_id: String,
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Where to download it back.
    pub href: String,
}

impl UploadedView {
    fn new(
        shipment_id: &str,
        kind: DocumentKind,
        size: i64,
        content_type: String,
        id: String,
    ) -> Self {
        UploadedView {
            kind: kind.as_str(),
            carrier_document_id: id,
            content_type,
            size,
            href: format!(
                "/v1/shipments/{shipment_id}/documents/{}?source=shipper",
                kind.as_str()
            ),
        }
    }
}

/// The shipper's uploaded documents of a shipment.
pub async fn uploads(
    shipments: &Shipments,
    store: &Store,
    tenant_id: &str,
    id: &str,
) -> Result<Vec<UploadedView>, ApiError> {
    let shipment = shipments.get(tenant_id, id).await?;
    Ok(store
        .uploads(&shipment.id)
        .await?
        .into_iter()
        .map(|u| {
            UploadedView::new(
                &shipment.id,
                u.kind,
                u.size,
                u.content_type,
                u.carrier_document_id,
            )
        })
        .collect())
}

/// One uploaded document, as the shipper sent it.
pub async fn uploaded(
    shipments: &Shipments,
    store: &Store,
    tenant_id: &str,
    id: &str,
    kind: DocumentKind,
) -> Result<Document, ApiError> {
    let shipment = shipments.get(tenant_id, id).await?;
    store
        .upload(&shipment.id, kind)
        .await?
        .map(|(document, _)| document)
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "shipment {} has no {} uploaded by the shipper",
                shipment.id,
                kind.as_str()
            ))
        })
}

/// Hands the shipper's PDF to the shipment's carrier and keeps it with the carrier's id.
///
/// Checked before the carrier is asked: the shipment is booked, its carrier takes
/// uploads of this kind, the file is a PDF within the carrier's size limit, and no
/// document of this kind was uploaded before (the carriers have no idempotency key, so a
/// second upload would be a second document there). The caller's `Idempotency-Key`
/// makes a retry a replay; without one, the kept upload refuses the repeat.
pub async fn upload(
    shipments: &Shipments,
    store: &Store,
    tenant_id: &str,
    id: &str,
    kind: DocumentKind,
    content: Vec<u8>,
) -> Result<(UploadedView, ShipmentRecord), ApiError> {
    let shipment = shipments.get(tenant_id, id).await?;
    let carrier = shipments.carrier_of(&shipment)?;
    let family = carrier.adapter.documents();
    let accepted = family.map(|f| f.upload_kinds()).unwrap_or_default();
    if !accepted.contains(&kind) {
        let offered: Vec<&str> = accepted.iter().map(|k| k.as_str()).collect();
        return Err(ApiError::Validation(vec![FieldError {
            pointer: "/kind".into(),
            code: "unsupported_kind".into(),
            detail: if offered.is_empty() {
                format!(
                    "query parameter `kind`: {} takes no documents from the shipper",
                    carrier.id
                )
            } else {
                format!(
                    "query parameter `kind`: {} takes {} from the shipper",
                    carrier.id,
                    offered.join(", ")
                )
            },
        }]));
    }
    let family = family.expect("a carrier taking uploads has the documents family");
    let limit = family.upload_limit_bytes();
    if content.len() > limit {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    if !content.starts_with(b"%PDF-") {
        return Err(ApiError::Validation(vec![FieldError {
            pointer: String::new(),
            code: "not_pdf".into(),
            detail: "the body is not a PDF (it must start with `%PDF-`)".into(),
        }]));
    }
    confirmed(&shipment, "given documents")?;
    if let Some((_, carrier_id)) = store.upload(&shipment.id, kind).await? {
        return Err(ApiError::Conflict {
            code: "document_uploaded",
            detail: format!(
                "a {} was uploaded for shipment {} before (carrier document {carrier_id}); \
                 the carrier keeps it",
                kind.as_str(),
                shipment.id
            ),
            shipment_id: Some(shipment.id.clone()),
        });
    }
    let request = &shipment.request;
    let upload = DocumentUpload {
        kind,
        file_name: format!("{}-{}.pdf", shipment.id, kind.as_str()),
        content_type: "application/pdf".into(),
        content,
        origin_country: request.from.country.clone(),
        destination_country: request.to.country.clone(),
        booked_at: shipment.created_at,
    };
    let uploaded = call(
        &carrier,
        Operation::Document,
        family.upload(&carrier.transport, &shipment.shipment_ref(), &upload),
    )
    .await?;
    let document = Document {
        kind,
        content_type: upload.content_type,
        content: upload.content,
    };
    let size = document.content.len() as i64;
    if !store
        .save_upload(&shipment.id, &document, &uploaded.carrier_document_id)
        .await?
    {
        // A concurrent upload of the same kind got there first: both reached the carrier.
        tracing::warn!(shipment_id = %shipment.id, kind = kind.as_str(), carrier_document_id = %uploaded.carrier_document_id, "a second upload of this kind reached the carrier; the first is kept");
    }
    tracing::info!(shipment_id = %shipment.id, kind = kind.as_str(), carrier_document_id = %uploaded.carrier_document_id, "trade document uploaded to the carrier");
    let view = UploadedView::new(
        &shipment.id,
        kind,
        size,
        document.content_type,
        uploaded.carrier_document_id,
    );
    Ok((view, shipment))
}
