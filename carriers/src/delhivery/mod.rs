//! Delhivery B2C (one.delhivery.com / track.delhivery.com): rates, booking, cancellation
//! and tracking. Requests are built in [`requests`], answers read in [`parse`]; this
//! module only sequences the calls through the gateway's [`Transport`].
//!
//! Things about Delhivery that shape the adapter:
//! - **No idempotency key on create, but a client reference.** shipgate's shipment id is
//!   sent as `order`; when a booking's outcome is unknown the gateway calls
//!   [`Carrier::lookup`], which tracks by `ref_ids=<shipment id>`: a shipment in the
//!   answer is the booking, Delhivery's "Data does not exists" error means there is none.
//!   A retried create that Delhivery refuses as `duplicate_order_id` means a booking
//!   exists too, so even a lookup that missed it cannot lead to a second waybill.
//! - **Three levels of status** (StatusType, Status text, NSL code), mapped as data in
//!   `mappings/delhivery.toml` and resolved by [`resolve`].
//! - **Labels**: Delhivery's packing slip is JSON, not a document, so the gateway renders
//!   the label itself from the AWB and the `sort_code` returned as `routing_code`.
//! - **NDR instructions are asynchronous.** `/api/p/update` answers every request with an
//!   upload id (`UPL…`), refusals included ("allowed partial update"); what became of the
//!   instruction is read from `/api/cmu/get_bulk_upl/<id>`. So [`NdrActions::act`] makes
//!   both calls: the status read turns a refusal into [`CarrierError::Rejected`] in
//!   Delhivery's words, and a status still being processed into `accepted` with the
//!   upload id as `carrier_ref`. Delhivery's NDR API re-attempts, defers delivery to a date
//!   and edits name, phone and address, but cannot return a parcel to origin.

pub mod parse;
pub mod pickups;
pub mod requests;
pub mod returns;
pub mod simulator;
mod simulator_pickups;
pub mod wire;

use async_trait::async_trait;
use zeroize::Zeroizing;

use crate::CarrierError;
use crate::carrier::{
    AccountCheck, Capabilities, Carrier, CarrierId, CarrierSpec, Operation, SettingSpec, Settings,
    Transport, setting,
};
use crate::families::{NdrAction, NdrActionKind, NdrActions, NdrOutcome, Pickups, Returns};
use crate::kit::adapter::{Result, domestic_capabilities};
use crate::kit::lenient::trimmed;
use crate::kit::tracking::stored_awb;
use crate::mapping::Mapping;
use crate::schema::{
    CancelOutcome, CreatedShipment, Lane, PushedUpdate, RateQuote, RateRequest, Serviceability,
    ShipmentRef, ShipmentRequest, TrackingUpdate,
};

pub use crate::kit::http::{UNAUTHORIZED, WireError};
pub use parse::*;
pub use requests::*;
use wire::DelhiveryPincodeResponse;
pub use wire::Service;

pub const ID: CarrierId = "delhivery";

/// The pincode an account check asks about (New Delhi GPO): only whether Delhivery
/// answers with the token matters, not what it says about the pincode.
pub const CHECK_PINCODE: &str = "110001";

crate::embedded_mapping!("delhivery.toml");

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: ID,
        name: "Delhivery",
        // Delhivery's production host; its staging host is staging-express.delhivery.com.
        live_base_url: "https://track.delhivery.com",
        settings: &[
            SettingSpec {
                key: "api_token",
                secret: true,
                required: true,
                about: "The API token Delhivery issued to the account",
            },
            SettingSpec {
                key: "pickup_location",
                secret: false,
                required: true,
                about: "The registered warehouse parcels are picked up from, by its exact name",
            },
        ],
        // Tracking answers in well under a second; create occasionally takes several
        // seconds while Delhivery checks the wallet and allocates a waybill.
        default_timeout_ms: 10_000,
        // Delhivery publishes per-API limits (the charges API: 40 a minute; tracking: 750
        // per 5 minutes); 2.5/s keeps every call type within the tracking figure.
        default_quota_per_second: 2.5,
        // Delhivery's push sends whatever authorization header the client asks for when
        // the push is set up (its docs: "share … authorization header").
        webhook_token_header: "authorization",
        webhook_signature_header: None,
        domestic: &["IN"],
        sandbox_settings: simulator::sandbox_settings,
        build: |settings| {
            Delhivery::new(settings).map(|adapter| Box::new(adapter) as Box<dyn Carrier>)
        },
        simulator: || Box::new(simulator::DelhiverySimulator::new()),
    }
}

/// The Delhivery adapter: the API token and the registered warehouse name, plus the
/// mapping checked at build time. The token is wiped from memory when the adapter goes
/// (a tenant's account replaced or removed).
pub struct Delhivery {
    api_token: Zeroizing<String>,
    pickup_location: String,
    mapping: &'static Mapping,
}

impl std::fmt::Debug for Delhivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token never appears in logs.
        f.debug_struct("Delhivery")
            .field("pickup_location", &self.pickup_location)
            .finish_non_exhaustive()
    }
}

impl Delhivery {
    /// Builds from settings `api_token` and `pickup_location`; fails with the reason when
    /// one is missing or the embedded mapping is invalid.
    pub fn new(settings: &Settings) -> Result<Self, String> {
        Ok(Delhivery {
            api_token: Zeroizing::new(setting(settings, "api_token")?.trim().to_string()),
            pickup_location: setting(settings, "pickup_location")?.trim().to_string(),
            mapping: mapping()?,
        })
    }

    pub fn mapping(&self) -> &'static Mapping {
        self.mapping
    }

    /// The label routing code for a destination pincode. Create returns it as
    /// `sort_code`, and the pincode API lists the same code for the destination (both
    /// `CHA/RAM` for 135001 in the 2026 captures), so a shipment whose create answer was
    /// lost and later found by reference can still get its label.
    pub async fn routing_code(
        &self,
        t: &dyn Transport,
        destination_pin: &str,
    ) -> Result<Option<String>> {
        let op = Operation::Serviceability;
        let pins = self.pins(t, op, &[destination_pin]).await?;
        Ok(pins
            .find(destination_pin)
            .and_then(|p| p.sort_code.0.clone()))
    }

    /// The pincode API's entries for several pincodes, in one call sent as `op`.
    async fn pins(
        &self,
        t: &dyn Transport,
        op: Operation,
        pins: &[&str],
    ) -> Result<DelhiveryPincodeResponse> {
        let request = self.serviceability_request(pins);
        parse_serviceability_response(&t.send(op, request).await?)
    }

    /// Tracks the stored AWB, or by shipgate's reference when there is none (a booking
    /// found again by lookup).
    async fn track_any(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let (op, request) = match stored_awb(shipment) {
            Some(awb) => (Operation::Track, self.track_request(awb)),
            None => (
                Operation::Lookup,
                self.lookup_request(&shipment.shipment_id),
            ),
        };
        parse_track_response(self.mapping, &t.send(op, request).await?)
    }
}

#[async_trait]
impl Carrier for Delhivery {
    fn id(&self) -> CarrierId {
        ID
    }

    fn capabilities(&self) -> Capabilities {
        domestic_capabilities(Vec::new())
    }

    /// Delhivery's scan push; the body alone says everything (JSON whatever the
    /// content type claims).
    fn parse_webhook(
        &self,
        _headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<PushedUpdate>> {
        parse_pushes(self.mapping, body)
    }

    /// Serviceability first (one call for both pincodes), then one charges call per
    /// service. Not serviceable (destination not delivered for this payment mode, or
    /// origin not picked up) is an empty list, not an error.
    async fn rates(&self, t: &dyn Transport, req: &RateRequest) -> Result<Vec<RateQuote>> {
        if req.from.country != "IN" || req.to.country != "IN" {
            return Ok(Vec::new());
        }
        // The charges API prices any pair of PIN codes, served or not.
        if !self
            .serviceability(t, &Lane::of_rate_request(req))
            .await?
            .is_serviceable()
        {
            return Ok(Vec::new());
        }
        self.rates_on_served_lane(t, req).await
    }

    /// One charges call per mode, both at once: the quote waits for one carrier round trip,
    /// not two.
    async fn rates_on_served_lane(
        &self,
        t: &dyn Transport,
        req: &RateRequest,
    ) -> Result<Vec<RateQuote>> {
        if req.from.country != "IN" || req.to.country != "IN" {
            return Ok(Vec::new());
        }
        let price = |service: Service| async move {
            let resp = t
                .send(Operation::Rates, self.rate_request(req, service))
                .await?;
            parse_rate_response(&resp, service)
        };
        let [surface, express] = Service::ALL;
        let (surface, express) = tokio::try_join!(price(surface), price(express))?;
        Ok(surface.into_iter().chain(express).collect())
    }

    /// The pincode API for both ends of the lane in one call.
    async fn serviceability(&self, t: &dyn Transport, lane: &Lane) -> Result<Serviceability> {
        let pins = [lane.delivery_pincode.as_str(), lane.pickup_pincode.as_str()];
        let answer = self.pins(t, Operation::Serviceability, &pins).await?;
        Ok(lane_serviceability(&answer, lane))
    }

    /// One pincode read ([`CHECK_PINCODE`]), the cheapest call that needs the token:
    /// answered, the token is good; a wrong one is Delhivery's 401 "Invalid token.".
    async fn check_account(&self, t: &dyn Transport) -> Result<AccountCheck> {
        self.pins(t, Operation::CheckAccount, &[CHECK_PINCODE])
            .await?;
        Ok(AccountCheck::Verified)
    }

    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment> {
        let service = Service::from_code(req.service.as_deref())?;
        let request = self.create_request(shipment_id, req)?;
        let resp = t.send(Operation::CreateShipment, request).await?;
        parse_create_response(&resp, service)
    }

    async fn cancel(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<CancelOutcome> {
        let awb = match stored_awb(shipment) {
            Some(awb) => awb.to_string(),
            None => self.track_any(t, shipment).await?.awb,
        };
        let resp = t
            .send(Operation::Cancel, self.cancel_request(&awb)?)
            .await?;
        parse_cancel_response(&resp)
    }

    /// One tracking call by `ref_ids=<shipment id>` (see [`parse_lookup_response`]).
    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>> {
        let Some(reference) = trimmed(Some(&shipment.shipment_id)) else {
            return Err(CarrierError::NotSent(
                "no shipment id to look the Delhivery booking up by".into(),
            ));
        };
        let resp = t
            .send(Operation::Lookup, self.lookup_request(reference))
            .await?;
        parse_lookup_response(&resp, reference)
    }

    async fn track(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        self.track_any(t, shipment).await
    }

    fn ndr_actions(&self) -> Option<&dyn NdrActions> {
        Some(self)
    }

    fn returns(&self) -> Option<&dyn Returns> {
        Some(self)
    }

    fn pickups(&self) -> Option<&dyn Pickups> {
        Some(self)
    }
}

#[async_trait]
impl NdrActions for Delhivery {
    /// Everything but a return to origin, which Delhivery's NDR API does not take.
    fn offers(&self, action: NdrActionKind) -> bool {
        action != NdrActionKind::Rto
    }

    /// The instruction, then one read of its upload's status (see the module docs).
    async fn act(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        action: &NdrAction,
    ) -> Result<NdrOutcome> {
        let Some(awb) = stored_awb(shipment) else {
            return Err(CarrierError::NotSent("no waybill to instruct".into()));
        };
        let request = self.ndr_request(awb, action)?;
        let upload = parse_ndr_response(&t.send(Operation::NdrAction, request).await?)?;
        let status = self.ndr_status_request(&upload);
        let resp = t.send(Operation::NdrAction, status).await?;
        parse_ndr_status_response(&resp, awb, &upload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::SubStatus;

    fn m() -> &'static Mapping {
        mapping().expect("mapping parses")
    }

    #[test]
    fn embedded_mapping_parses() {
        assert_eq!(m().carrier(), ID);
    }

    #[test]
    fn resolution_order() {
        // NSL first.
        let u = resolve(m(), "UD", "Not Picked", "DTUP-210").unwrap();
        assert_eq!(u.sub_status, SubStatus::Cancelled);
        // Unknown NSL: the pair.
        let u = resolve(m(), "UD", "Dispatched", "X-NEW-999").unwrap();
        assert_eq!(u.sub_status, SubStatus::OutForDelivery);
        // Unknown pair: the type.
        let u = resolve(m(), "RT", "Something New", "").unwrap();
        assert_eq!(u.sub_status, SubStatus::RtoInTransit);
        // Nothing: None, never a guess.
        assert!(resolve(m(), "ZZ", "Whatever", "Q-1").is_none());
        assert!(resolve(m(), "", "", "").is_none());
    }

    #[test]
    fn return_leg_outranks_forward_nsl_codes() {
        // The same delay code on the forward and on the return leg.
        let fwd = resolve(m(), "UD", "In Transit", "DLYLH-109").unwrap();
        assert_eq!(fwd.sub_status, SubStatus::Delayed);
        let rto = resolve(m(), "RT", "In Transit", "DLYLH-109").unwrap();
        assert_eq!(rto.sub_status, SubStatus::RtoInTransit);
        // A "delivered" code on an RTO-delivered scan is the seller receiving it back.
        let back = resolve(m(), "DL", "RTO", "EOD-38").unwrap();
        assert_eq!(back.sub_status, SubStatus::RtoDelivered);
        // Exceptions keep their meaning on the return leg.
        let lost = resolve(m(), "RT", "In Transit", "LT-100").unwrap();
        assert_eq!(lost.sub_status, SubStatus::Lost);
        // "RTO/DTO Delivered": the pair tells a reverse pickup's delivery from an RTO.
        let dto = resolve(m(), "DL", "DTO", "RD-AC1").unwrap();
        assert_eq!(dto.sub_status, SubStatus::Delivered);
        let rto = resolve(m(), "DL", "RTO", "RD-AC1").unwrap();
        assert_eq!(rto.sub_status, SubStatus::RtoDelivered);
        // DL alone is ambiguous, so the NSL code decides.
        let rto = resolve(m(), "DL", "", "RD-AC").unwrap();
        assert_eq!(rto.sub_status, SubStatus::RtoDelivered);
        // Forward legs do not override: a cancel arrives as UD/Not Picked/DTUP-210.
        let cancelled = resolve(m(), "UD", "Not Picked", "DTUP-210").unwrap();
        assert_eq!(cancelled.sub_status, SubStatus::Cancelled);
    }

    #[test]
    fn http_errors_are_classified() {
        use crate::kit::http::check as check_http;
        use crate::wire::HttpResponse;
        let e = check_http(&HttpResponse::new(401, r#"{"detail":"Invalid token."}"#)).unwrap_err();
        assert_eq!(
            e,
            CarrierError::rejected(UNAUTHORIZED, "Invalid token.", 401)
        );
        let e = check_http(&HttpResponse::new(502, "<html>bad gateway</html>")).unwrap_err();
        assert!(matches!(e, CarrierError::Upstream { status: 502, .. }));
        let e = check_http(&HttpResponse::new(
            404,
            "<html><h1>Page not found</h1></html>",
        ))
        .unwrap_err();
        assert_eq!(e, CarrierError::rejected("http_404", "Page not found", 404));
        assert!(check_http(&HttpResponse::new(200, "{}")).is_ok());
    }
}
