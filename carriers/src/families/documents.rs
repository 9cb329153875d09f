//! Documents besides the label: customs paperwork and proof of delivery.

use async_trait::async_trait;

use crate::schema::ShipmentRef;
use crate::{CarrierError, Transport};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    CommercialInvoice,
    /// A customs declaration (CN22/CN23 for posts, the carrier's own form otherwise).
    CustomsDeclaration,
    ProofOfDelivery,
    /// A pickup manifest (see [`super::Manifests`]).
    Manifest,
}

/// A document as the carrier produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub kind: DocumentKind,
    /// `application/pdf`, `image/png`…
    pub content_type: String,
    pub content: Vec<u8>,
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
}
