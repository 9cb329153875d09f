//! Operation families: what a carrier offers beyond rates, booking, cancelling and
//! tracking, each an optional trait.
//!
//! Carriers differ most after the label: Delhivery takes NDR instructions and schedules
//! pickups, Shiprocket also manifests, remits COD and settles weight disputes, FedEx and
//! DHL produce customs documents, USPS validates addresses. A family is a small trait an
//! adapter implements only where its carrier offers it, reached from the carrier
//! ([`crate::Carrier::pickups`] and its siblings, `None` by default). So a new operation
//! never means editing every adapter, and what a carrier can do is read from what it
//! implements ([`Family::of`]), never from a hand-kept list that can drift.

mod address;
mod cod;
mod documents;
mod manifests;
mod ndr;
mod pickups;
mod returns;
mod weight;

pub use address::{AddressClass, AddressValidation, AddressVerdict};
pub use cod::{CodRemittance, Remittance, RemittedShipment};
pub use documents::{Document, DocumentKind, DocumentUpload, Documents, UploadedDocument};
pub use manifests::{Manifest, Manifests};
pub use ndr::{NdrAction, NdrActionKind, NdrActions, NdrOutcome};
pub use pickups::{PickupLocation, PickupRequest, Pickups, RegisteredLocation, ScheduledPickup};
pub use returns::{
    QcCheck, ReturnDetails, ReturnReason, ReturnRequest, Returns, returning_customs,
};
pub use weight::{ChargedWeight, DisputeOutcome, WeightDispute, WeightDisputes};

use crate::Carrier;

/// An operation family, as `GET /v1/carriers` names it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    utoipa::ToSchema,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Family {
    Pickups,
    Manifests,
    NdrActions,
    Returns,
    CodRemittance,
    WeightDisputes,
    Documents,
    AddressValidation,
}

impl Family {
    /// The families `carrier` implements, in this enum's order.
    pub fn of(carrier: &dyn Carrier) -> Vec<Family> {
        use strum::IntoEnumIterator;
        Family::iter().filter(|f| f.offered_by(carrier)).collect()
    }

    /// Whether `carrier` implements this family.
    pub fn offered_by(self, carrier: &dyn Carrier) -> bool {
        match self {
            Family::Pickups => carrier.pickups().is_some(),
            Family::Manifests => carrier.manifests().is_some(),
            Family::NdrActions => carrier.ndr_actions().is_some(),
            Family::Returns => carrier.returns().is_some(),
            Family::CodRemittance => carrier.cod_remittance().is_some(),
            Family::WeightDisputes => carrier.weight_disputes().is_some(),
            Family::Documents => carrier.documents().is_some(),
            Family::AddressValidation => carrier.address_validation().is_some(),
        }
    }

    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use async_trait::async_trait;

    use super::*;
    use crate::schema::{
        CancelOutcome, CreatedShipment, RateQuote, RateRequest, ShipmentRef, ShipmentRequest,
        TrackingUpdate,
    };
    use crate::{Capabilities, CarrierError, CarrierId, Transport};

    /// A carrier that offers pickups and nothing else beyond the required operations.
    struct PickupsOnly;

    fn unsupported<T>() -> Result<T, CarrierError> {
        Err(CarrierError::Unsupported("test"))
    }

    #[async_trait]
    impl Carrier for PickupsOnly {
        fn id(&self) -> CarrierId {
            "pickups-only"
        }
        fn capabilities(&self) -> Capabilities {
            Capabilities::default()
        }
        async fn rates(
            &self,
            _: &dyn Transport,
            _: &RateRequest,
        ) -> Result<Vec<RateQuote>, CarrierError> {
            unsupported()
        }
        async fn create_shipment(
            &self,
            _: &dyn Transport,
            _: &str,
            _: &ShipmentRequest,
        ) -> Result<CreatedShipment, CarrierError> {
            unsupported()
        }
        async fn cancel(
            &self,
            _: &dyn Transport,
            _: &ShipmentRef,
        ) -> Result<CancelOutcome, CarrierError> {
            unsupported()
        }
        async fn lookup(
            &self,
            _: &dyn Transport,
            _: &ShipmentRef,
        ) -> Result<Option<CreatedShipment>, CarrierError> {
            unsupported()
        }
        async fn track(
            &self,
            _: &dyn Transport,
            _: &ShipmentRef,
        ) -> Result<TrackingUpdate, CarrierError> {
            unsupported()
        }
        fn pickups(&self) -> Option<&dyn Pickups> {
            Some(self)
        }
    }

    #[async_trait]
    impl Pickups for PickupsOnly {
        async fn register_location(
            &self,
            _: &dyn Transport,
            _: &PickupLocation,
        ) -> Result<RegisteredLocation, CarrierError> {
            unsupported()
        }
        async fn schedule(
            &self,
            _: &dyn Transport,
            request: &PickupRequest,
        ) -> Result<ScheduledPickup, CarrierError> {
            Ok(ScheduledPickup {
                pickup_id: "P1".into(),
                date: request.date,
                carrier_message: String::new(),
            })
        }
        async fn cancel(
            &self,
            _: &dyn Transport,
            _: &ScheduledPickup,
        ) -> Result<CancelOutcome, CarrierError> {
            unsupported()
        }
    }

    #[test]
    fn families_are_read_from_what_is_implemented() {
        assert_eq!(Family::of(&PickupsOnly), [Family::Pickups]);
        assert_eq!(Capabilities::of(&PickupsOnly).families, [Family::Pickups]);
        assert_eq!(Family::Pickups.as_str(), "pickups");
        assert_eq!(Family::CodRemittance.as_str(), "cod_remittance");
        assert_eq!(
            serde_json::to_value(Family::NdrActions).unwrap(),
            serde_json::json!("ndr_actions")
        );
    }

    #[test]
    fn registered_carriers_declare_only_what_they_implement() {
        for spec in crate::registry() {
            let adapter = (spec.build)(&(spec.sandbox_settings)()).unwrap();
            let caps = Capabilities::of(adapter.as_ref());
            for family in <Family as strum::IntoEnumIterator>::iter() {
                assert_eq!(
                    caps.families.contains(&family),
                    family.offered_by(adapter.as_ref()),
                    "{} {family:?}",
                    spec.id
                );
            }
        }
    }

    #[test]
    fn indian_carriers_with_a_published_ndr_api_take_ndr_actions() {
        // The Indian carriers' NDR APIs; the global carriers have none (USPS redelivery is
        // the addressee's own request). Blue Dart's ("ALTInstruction Update") is unpublished,
        // so its adapter takes none (carriers/src/bluedart/mod.rs); DTDC publishes none
        // (carriers/src/dtdc/mod.rs).
        for spec in crate::registry().into_iter().filter(|s| {
            s.domestic == ["IN"] && ![crate::bluedart::ID, crate::dtdc::ID].contains(&s.id)
        }) {
            let adapter = (spec.build)(&(spec.sandbox_settings)()).unwrap();
            let families = Capabilities::of(adapter.as_ref()).families;
            assert!(families.contains(&Family::NdrActions), "{}", spec.id);
        }
    }
}
