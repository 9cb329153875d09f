//! Documents besides the label: customs paperwork and proof of delivery, and the
//! shipper's own trade documents handed to the carrier for customs (paperless trade:
//! FedEx's electronic trade documents, UPS Paperless Documents).

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::schema::ShipmentRef;
pub use crate::schema::{Document, DocumentKind};
use crate::{CarrierError, Transport};

/// A trade document the shipper made (its own commercial invoice), to be handed to the
/// carrier for a booked shipment's customs clearance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentUpload {
    pub kind: DocumentKind,
    /// The file's name as the carrier keeps it (`<shipment>-commercial_invoice.pdf`).
    pub file_name: String,
    /// `application/pdf`: the one format every carrier here takes.
    pub content_type: String,
    pub content: Vec<u8>,
    /// ISO 3166 alpha-2 codes of the booking's origin and destination.
    pub origin_country: String,
    pub destination_country: String,
    /// When the shipment was booked (carriers file the document under its date).
    pub booked_at: DateTime<Utc>,
}

/// What the carrier answered to an upload: the id it keeps the document under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedDocument {
    pub carrier_document_id: String,
}

#[async_trait]
pub trait Documents: Send + Sync {
    /// The kinds this carrier produces.
    fn kinds(&self) -> &'static [DocumentKind];

    async fn document(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        kind: DocumentKind,
    ) -> Result<Document, CarrierError>;

    /// The kinds of the shipper's own documents the carrier takes for a booked shipment
    /// ([`Documents::upload`]); none by default.
    fn upload_kinds(&self) -> &'static [DocumentKind] {
        &[]
    }

    /// The largest file the carrier takes, in bytes (0 when it takes none).
    fn upload_limit_bytes(&self) -> usize {
        0
    }

    /// Hands the shipper's document to the carrier, linked to the booked shipment. Not
    /// idempotent at any carrier here: the caller must not repeat a call that may have
    /// reached it.
    async fn upload(
        &self,
        _t: &dyn Transport,
        _shipment: &ShipmentRef,
        _document: &DocumentUpload,
    ) -> Result<UploadedDocument, CarrierError> {
        Err(CarrierError::Unsupported("uploading trade documents"))
    }
}
