//! The `Carrier` trait: one per carrier, with a capability struct instead of a marker
//! trait per feature, so the gateway can ask "can this carrier do X?" at run time and a
//! new capability is one field, not a new trait every adapter must consider.

use std::collections::BTreeMap;

use async_trait::async_trait;

use crate::CarrierError;
use crate::families::{
    AddressValidation, CodRemittance, Documents, Family, Manifests, NdrActions, Pickups, Returns,
    WeightDisputes,
};
use crate::schema::{
    CancelOutcome, CreatedShipment, LabelDocument, LabelFormat, Lane, PushedUpdate, RateQuote,
    RateRequest, Serviceability, ShipmentRef, ShipmentRequest, TrackingUpdate,
};
use crate::wire::{HttpRequest, HttpResponse};

/// A carrier id as used in the API (`delhivery`, `shiprocket`, …).
pub type CarrierId = &'static str;

/// What an adapter is doing, for metrics, spans and outbound quotas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    Login,
    Serviceability,
    Rates,
    CreateShipment,
    Label,
    Cancel,
    Track,
    Lookup,
    /// [`Carrier::check_account`].
    CheckAccount,
    /// An NDR instruction ([`crate::families::NdrActions::act`]), and the status reads
    /// that go with it.
    NdrAction,
    /// Registering a pickup location, scheduling or cancelling a pickup.
    Pickup,
    /// A carrier manifest, and reading its document link.
    Manifest,
    /// Fetching a document besides the label ([`crate::families::Documents`]).
    Document,
    /// The carrier's opinion of an address ([`crate::families::AddressValidation`]).
    AddressValidation,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Login => "login",
            Operation::Serviceability => "serviceability",
            Operation::Rates => "rates",
            Operation::CreateShipment => "create_shipment",
            Operation::Label => "label",
            Operation::Cancel => "cancel",
            Operation::Track => "track",
            Operation::Lookup => "lookup",
            Operation::CheckAccount => "check_account",
            Operation::NdrAction => "ndr_action",
            Operation::Pickup => "pickup",
            Operation::Manifest => "manifest",
            Operation::Document => "document",
            Operation::AddressValidation => "address_validation",
        }
    }

    /// Whether sending the same request twice cannot do harm. The executor retries only
    /// these, and only on failures where the request may not have arrived. An account
    /// check is one: it reads (Delhivery's pincode serviceability) or logs in (Shiprocket:
    /// one more token), and changes nothing at the carrier either way. An NDR instruction
    /// is not: sent twice, the second may be refused or taken for the next attempt.
    pub fn is_idempotent(self) -> bool {
        matches!(
            self,
            Operation::Serviceability
                | Operation::Rates
                | Operation::Track
                | Operation::Lookup
                | Operation::Label
                | Operation::CheckAccount
                | Operation::Document
                | Operation::AddressValidation
        )
    }
}

/// What a carrier can do. The gateway checks this before calling an operation, so an
/// unsupported call is a clear 4xx, not a carrier error. Read it with
/// [`Capabilities::of`], which adds the families the adapter implements.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Capabilities {
    pub rates: bool,
    pub create_shipment: bool,
    pub cancel: bool,
    pub track: bool,
    pub cod: bool,
    pub international: bool,
    /// Label formats the carrier itself produces; shipgate renders the others.
    pub native_label_formats: Vec<LabelFormat>,
    /// The carrier's labels carry barcodes and routing only it can make (FedEx, UPS, DHL
    /// Express, USPS: a parcel under a label drawn by anyone else is not carried), so
    /// shipgate never draws one: a format the carrier neither gave at booking nor
    /// produces on request is refused, not rendered.
    pub own_labels_only: bool,
    /// Whether the carrier pushes tracking scans, so shipgate accepts them at
    /// `POST /v1/carriers/<id>/webhooks` ([`Carrier::parse_webhook`]).
    pub webhooks: bool,
    /// Whether the carrier answers pincode serviceability ([`Carrier::serviceability`]),
    /// so the gateway can skip it for lanes it does not serve before asking for rates.
    pub serviceability: bool,
    /// The service codes the adapter books, for a carrier with no rate API to name them
    /// in quotes: a tenant's rate card pricing such a carrier names one of these as its
    /// `service` (`service::rate_cards` in the gateway). Empty where rates name services.
    pub services: Vec<&'static str>,
    /// The operation families the adapter implements ([`crate::families`]), filled in by
    /// [`Capabilities::of`] from the adapter itself: an adapter never lists them.
    pub families: Vec<Family>,
}

impl Capabilities {
    /// What `carrier` declares, with the families read from what it implements.
    pub fn of(carrier: &dyn Carrier) -> Capabilities {
        Capabilities {
            families: Family::of(carrier),
            ..carrier.capabilities()
        }
    }
}

/// How adapters reach the network: the gateway's executor implements this for one carrier
/// (base URL, timeout, quotas, logging and metrics are its business, not the adapter's).
#[async_trait]
pub trait Transport: Send + Sync {
    /// Sends one request. Every HTTP status comes back as `Ok`; only failures to get a
    /// response at all (connect, timeout, not sent) are errors.
    async fn send(&self, op: Operation, request: HttpRequest)
    -> Result<HttpResponse, CarrierError>;
}

/// What [`Carrier::check_account`] found out about an account's credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountCheck {
    /// The carrier accepted them in an authenticated call.
    Verified,
    /// The adapter has no cheap call to check them with; the first real call will.
    NotOffered,
}

/// Carrier settings (credentials and account options) from configuration, by key.
pub type Settings = BTreeMap<String, String>;

#[async_trait]
pub trait Carrier: Send + Sync + 'static {
    fn id(&self) -> CarrierId;
    fn capabilities(&self) -> Capabilities;

    /// Checks the account's credentials with one cheap authenticated call that changes
    /// nothing at the carrier, so that credentials a tenant posts are refused before they
    /// are stored, not at its first booking. The carrier refusing them is
    /// `Err(CarrierError::Rejected)` with its HTTP status and words (Delhivery: 401
    /// "Invalid token."; Shiprocket refuses a login with 400); any other error means the
    /// check could not be made. Carriers without such a call keep the default.
    async fn check_account(&self, t: &dyn Transport) -> Result<AccountCheck, CarrierError> {
        let _ = t;
        Ok(AccountCheck::NotOffered)
    }

    /// Priced options for a parcel; an empty list means "not serviceable".
    async fn rates(
        &self,
        t: &dyn Transport,
        req: &RateRequest,
    ) -> Result<Vec<RateQuote>, CarrierError>;

    /// [`rates`](Carrier::rates) for a request whose lane this account's
    /// [`serviceability`](Carrier::serviceability) has just answered as served (the
    /// gateway's cached pre-check). A carrier whose rate call prices lanes it does not
    /// serve checks the lane first in `rates`, and skips that check here: otherwise every
    /// quote pays a second, uncached lane call in series with the pricing.
    async fn rates_on_served_lane(
        &self,
        t: &dyn Transport,
        req: &RateRequest,
    ) -> Result<Vec<RateQuote>, CarrierError> {
        self.rates(t, req).await
    }

    /// Whether the carrier serves `lane` (pickup, delivery, payment mode, direction).
    /// `Err` means the question could not be answered (the gateway then asks for rates
    /// anyway); a lane the carrier does not serve is `Ok(NotServiceable)`. Carriers without
    /// a serviceability API keep the default.
    async fn serviceability(
        &self,
        t: &dyn Transport,
        lane: &Lane,
    ) -> Result<Serviceability, CarrierError> {
        let _ = (t, lane);
        Err(CarrierError::Unsupported("pincode serviceability"))
    }

    /// Books the shipment: on success the AWB is allocated at the carrier. `shipment_id` is
    /// shipgate's id, sent as the client reference where the carrier keeps one, so an
    /// unknown outcome can be looked up later.
    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment, CarrierError>;

    async fn cancel(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<CancelOutcome, CarrierError>;

    /// Finds the booking made under shipgate's `shipment.shipment_id` after a create whose
    /// outcome is unknown (timeout, 5xx, unreadable answer). `Ok(None)` means the carrier has
    /// no such booking, so booking again is safe; `Ok(Some(_))` is the booking, AWB
    /// included, also when it has since been cancelled at the carrier (tracking shows
    /// that). An error leaves the outcome unknown, as before the call: never book again
    /// on an error.
    ///
    /// Required of every adapter: a carrier whose create can time out after booking must
    /// be reconcilable, or a retry books a second AWB (docs/idempotency-and-limits.md). A lookup
    /// never creates a second booking, but it may *finish* one: where booking takes several
    /// calls (Shiprocket's order, then AWB, then label), the steps an interrupted create
    /// left undone are completed for the order found, never for a new one.
    ///
    /// What the carrier's lookup answer does not say is left empty or at the carrier's
    /// default (no labels, no routing code, `service` possibly the default product); the
    /// gateway keeps what it already knows from the request.
    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>, CarrierError>;

    /// The carrier's full known scan history for the shipment.
    async fn track(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<TrackingUpdate, CarrierError>;

    /// The carrier's own label of a booked shipment in `format`, one of
    /// [`Capabilities::native_label_formats`]: for a booking whose label did not come with
    /// create (its label call failed, or a lookup found the booking). Carriers whose labels
    /// shipgate renders keep the default.
    async fn label(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        format: LabelFormat,
    ) -> Result<LabelDocument, CarrierError> {
        let _ = (t, shipment, format);
        Err(CarrierError::Unsupported("carrier labels"))
    }

    /// Reads a tracking push the carrier sent to `POST /v1/carriers/<id>/webhooks`:
    /// every shipment it names with its events. `headers` are the request's headers
    /// (lower-case names), for carriers whose body format depends on them; the gateway
    /// has authenticated the push before this is called.
    ///
    /// Pure and cheap: the gateway calls it once to refuse unreadable bodies before
    /// storing them, and again when it processes the stored push. Real pushes are
    /// sloppy, so fields that carry no meaning for tracking may be missing or mistyped;
    /// only a body from which no shipment can be read is an error
    /// ([`CarrierError::BadResponse`]). Carriers that do not push keep the default.
    fn parse_webhook(
        &self,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<PushedUpdate>, CarrierError> {
        let _ = (headers, body);
        Err(CarrierError::Unsupported("tracking pushes"))
    }

    // Operation families ([`crate::families`]): an adapter whose carrier offers one
    // implements its trait and returns `Some(self)`; the rest stay `None`.

    fn pickups(&self) -> Option<&dyn Pickups> {
        None
    }
    fn manifests(&self) -> Option<&dyn Manifests> {
        None
    }
    fn ndr_actions(&self) -> Option<&dyn NdrActions> {
        None
    }
    fn returns(&self) -> Option<&dyn Returns> {
        None
    }
    fn cod_remittance(&self) -> Option<&dyn CodRemittance> {
        None
    }
    fn weight_disputes(&self) -> Option<&dyn WeightDisputes> {
        None
    }
    fn documents(&self) -> Option<&dyn Documents> {
        None
    }
    fn address_validation(&self) -> Option<&dyn AddressValidation> {
        None
    }
}

/// A registry entry: everything the gateway needs to build and sandbox one carrier.
pub struct CarrierSpec {
    pub id: CarrierId,
    pub name: &'static str,
    /// The carrier's production API root, used in live mode unless configured otherwise.
    pub live_base_url: &'static str,
    /// Every setting the adapter reads, each read from `SHIPGATE_CARRIERS__<ID>__<KEY>`
    /// (or stored per tenant): which are credentials, which live mode requires.
    pub settings: &'static [SettingSpec],
    /// Timeout the carrier gets unless configured otherwise, from its observed latency.
    pub default_timeout_ms: u64,
    /// Requests per second shipgate may send the carrier unless configured otherwise:
    /// its published API limit, or a conservative figure where none is published.
    pub default_quota_per_second: f64,
    /// The request header that carries the shared secret of the carrier's tracking
    /// pushes, where the carrier documents one (the gateway's default for its
    /// `webhook_token_header` setting).
    pub webhook_token_header: &'static str,
    /// The request header that carries the HMAC-SHA256 signature of the body, where the
    /// carrier signs its pushes (FedEx: `fdx-signature`); the gateway's default for its
    /// `webhook_hmac_header` setting, `x-webhook-signature` when `None`.
    pub webhook_signature_header: Option<&'static str>,
    /// The countries (ISO 3166-1 alpha-2) within which the carrier books domestic parcels,
    /// its home first: the sandbox's sample parcels and the conformance suite's round trip
    /// go within the first. Whether it also crosses borders is `capabilities().international`.
    pub domestic: &'static [&'static str],
    /// Settings that the carrier's simulator accepts, used in sandbox mode.
    pub sandbox_settings: fn() -> Settings,
    pub build: fn(&Settings) -> Result<Box<dyn Carrier>, String>,
    pub simulator: fn() -> Box<dyn crate::Simulator>,
}

/// One setting an adapter reads, so the gateway can tell credentials (stored sealed,
/// never echoed) from account options, and refuse an account missing a required one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingSpec {
    pub key: &'static str,
    /// A credential: whoever holds it acts as the account.
    pub secret: bool,
    /// The adapter cannot be built without it.
    pub required: bool,
    /// One line saying what it is, for docs and the API.
    pub about: &'static str,
}

impl CarrierSpec {
    /// The keys of the settings the adapter cannot be built without.
    pub fn required_settings(&self) -> impl Iterator<Item = &'static str> {
        let settings = self.settings.iter();
        settings.filter(|s| s.required).map(|s| s.key)
    }

    /// The setting under `key`, if the adapter reads one.
    pub fn setting(&self, key: &str) -> Option<&SettingSpec> {
        self.settings.iter().find(|s| s.key == key)
    }
}

/// Reads a required setting, naming the key when it is missing.
pub fn setting<'a>(settings: &'a Settings, key: &str) -> Result<&'a str, String> {
    settings
        .get(key)
        .map(String::as_str)
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| format!("missing setting `{key}`"))
}
