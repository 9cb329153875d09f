//! Manifests: the list of shipments handed over at a pickup, as the carrier records it.

use async_trait::async_trait;

use crate::schema::ShipmentRef;
use crate::{CarrierError, Transport};

/// A manifest the carrier made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The carrier's id for it, or its document link where it gives no id.
    pub manifest_id: String,
    pub awbs: Vec<String>,
    /// Where the carrier's own manifest document can be downloaded, if anywhere.
    pub document_url: Option<String>,
}

#[async_trait]
pub trait Manifests: Send + Sync {
    /// Manifests booked shipments: the carrier's record of the day's handover.
    async fn create(
        &self,
        t: &dyn Transport,
        shipments: &[ShipmentRef],
    ) -> Result<Manifest, CarrierError>;
}
