//! Documents besides the label: customs paperwork and proof of delivery.

use async_trait::async_trait;

use crate::schema::ShipmentRef;
pub use crate::schema::{Document, DocumentKind};
use crate::{CarrierError, Transport};

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
