//! A shipment's documents besides its label: the commercial invoice a carrier generated
//! with a cross-border booking (stored with the confirmation), and what its `Documents`
//! family hands out on request (proof of delivery), fetched once and then kept.
//!
//! Why kept: customs paperwork is printed with the parcel and shown again at a dispute
//! months later, when the carrier may no longer serve it; and a second download should
//! not cost a carrier call.

use carriers::Operation;
use carriers::schema::{Document, DocumentKind};
use serde::Serialize;
use utoipa::ToSchema;

use super::shipments::{Shipments, call, confirmed};
use crate::error::ApiError;
use crate::store::Store;

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
