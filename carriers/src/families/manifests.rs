//! Manifests: the list of shipments handed over at a pickup, as the carrier records it.

use async_trait::async_trait;

use super::Document;
use crate::{CarrierError, Transport};

/// A manifest the carrier made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub manifest_id: String,
    pub awbs: Vec<String>,
}

#[async_trait]
pub trait Manifests: Send + Sync {
    /// Manifests booked shipments (by AWB).
    async fn create(&self, t: &dyn Transport, awbs: &[String]) -> Result<Manifest, CarrierError>;

    /// The manifest as the document a driver signs.
    async fn document(
        &self,
        t: &dyn Transport,
        manifest: &Manifest,
    ) -> Result<Document, CarrierError>;
}
