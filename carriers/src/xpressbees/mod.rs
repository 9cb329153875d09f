//! XpressBees (B2C / eComm client API, `*.xbees.in`): pincode serviceability, booking
//! under pre-fetched AWBs, cancellation, tracking pulls and pushes, NDR instructions and
//! reverse pickups. Requests are built in [`requests`], answers read in [`parse`]; this
//! module only sequences the calls through the gateway's [`Transport`].
//!
//! ## Which XpressBees API, and why
//!
//! XpressBees has two public API generations. The *shipping panel* API
//! (`shipment.xpressbees.com/api`: email/password login, `courier/serviceability` with
//! charges, `shipments2` returning an AWB and a label link, NDR list and actions) is the
//! self-serve panel small sellers sign up to, which picks among its courier options
//! (`courier_id`) like an aggregator. The *client* API (`*.xbees.in`: a token from
//! `generateToken`, the `XBkey` account key, AWB series, the pre-ship forward and reverse
//! manifests, the pincode master, the shipment audit log, forward cancellation, NDR
//! deferred delivery, status pushes) is what XpressBees gives contracted B2C accounts,
//! and what the shared sample (`preship_manifest_request_docs_sample.json`, from
//! XpressBees' "Push Pre-Ship Manifest API v1.1") belongs to. This adapter builds on the
//! client API because it covers more of what issue 19 asks at depth: AWB pre-allocation
//! (which also makes a lost booking findable), COD with declared value and the GST /
//! e-way bill block, pincode serviceability per direction and flow, status pushes,
//! reverse manifests and NDR instructions with date, phone and address. What it lacks,
//! shipgate supplies: it has **no rate API** (`capabilities.rates = false`: the gateway
//! quotes the account from the tenant's rate card) and **returns no label** (shipgate
//! draws it from the AWB).
//!
//! ## Things about XpressBees that shape the adapter
//!
//! - **Several hosts, one account.** Login at `userauthapis.xbees.in`, AWB series at
//!   `xbclientapi.xbees.in`, manifests at `apishipmentmanifestation.xbees.in`, pincodes at
//!   `xbmasterapi.xbees.in`, tracking at `apishipmenttracking.xbees.in`, cancellation and
//!   NDR at `clientshipupdatesapi.xbees.in` ([`Endpoint`]). Setting `hosts = base` sends
//!   every call to the account's base URL instead (the sandbox, or a proxy).
//! - **Token and key.** `generateToken` takes username, password and secret key and
//!   answers `{"token", "code": 200}` (a refusal inside HTTP 200); the token goes on every
//!   call as the `token` header with `versionnumber: v1`, the account's `XBkey` beside it.
//!   The answer gives no lifetime: the [`Session`] reuses a token for 12 hours less a
//!   tenth ([`TOKEN_LIFE`]), and on a 401 logs in again and repeats the call once.
//! - **Pre-fetched AWBs.** A booking names its AWB. Numbers come in series per direction
//!   and payment mode ([`Lot`]: an XpressBees COD number on a prepaid manifest is refused
//!   as "Invalid AWB Prefix"), fetched in two calls (`AWBNumberSeriesGeneration` for a
//!   `BatchID`, `GetAWBNumberGeneratedSeries` for its numbers) and kept in the kit's
//!   [`AwbPool`]. The AWB drawn for a shipment id is remembered ([`ASSIGNED_TTL`]), so a
//!   retried create manifests the same number.
//! - **Errors inside HTTP 200.** Every answer carries `ReturnCode` (100 is success) and
//!   `ReturnMessage`; [`parse::refusal_code`] turns the words into stable codes.
//! - **Zone-less IST times**, `dd-mm-yyyy HH:MM:SS`, read through `kit::time`.
//! - **Units**: kilograms (three decimals) and whole centimetres, rounded up; a
//!   volumetric divisor of 5000; amounts in rupees as text.
//! - **References.** shipgate's shipment id is the manifest's `OrderNo`, `SubOrderNo` and
//!   `ManifestID`; the OMS order reference is the GST invoice number.
//! - **E-way bills**: goods worth Rs 50,000 or more need one; shipgate's request has no
//!   field for it yet, so such a booking is refused unsent (`Unsupported`).
//! - **Status pushes.** XpressBees pushes each scan (the audit log's fields with
//!   `AWBNumber` and `OrderNo`), one object or a batch, to the URL set up with it; it
//!   sends back whatever header it was given at set-up, so the gateway's token-header
//!   check covers it (`authorization` by default); it signs nothing, so the HMAC check
//!   cannot apply.
//! - **NDR.** Failed attempts are `UD` scans whose Description is the reason
//!   (`mappings/xpressbees.toml`, `[codes.ndr_reason]`); `UpdateNDRDeferredDeliveryDate`
//!   takes a new attempt date with, optionally, a new phone and a corrected address, and
//!   answers synchronously. There is no return-to-origin NDR action.
//! - **Limits**: XpressBees publishes none; 5 requests a second is a conservative quota.
//!
//! ## Lookup after an unknown outcome
//!
//! Only a lost *manifest* answer leaves a booking unknown: a lost login or AWB-series
//! answer cannot have booked anything and is reported as not sent. After a lost manifest
//! answer the AWB drawn for the shipment is known (stored by the gateway, or remembered by
//! this process), and [`Carrier::lookup`] tracks it: scans mean XpressBees holds the
//! booking; "Details not found" means it does not, and booking again is safe (it
//! manifests the same AWB, which XpressBees would refuse as existing). XpressBees cannot
//! be searched by order number, so without a known AWB (another process drew it) the
//! lookup is an error and the booking waits for an operator.

pub mod parse;
pub mod requests;
pub mod simulator;
pub mod wire;

use std::time::Duration;

use async_trait::async_trait;
use zeroize::Zeroizing;

use crate::CarrierError;
use crate::carrier::{
    AccountCheck, Capabilities, Carrier, CarrierId, CarrierSpec, Operation, SettingSpec, Settings,
    Transport, setting,
};
use crate::families::{NdrAction, NdrActionKind, NdrActions, NdrOutcome, ReturnRequest, Returns};
use crate::kit::adapter::{Result, domestic_capabilities, not_booked, refs};
use crate::kit::awb_pool::{AssignedAwbs, AwbPool};
use crate::kit::india::today;
use crate::kit::session::{Login, Session, Token};
use crate::kit::settings::{optional, single_host};
use crate::kit::tracking::{found_by_tracking, stored_awb};
use crate::mapping::Mapping;
use crate::schema::{
    CancelOutcome, CreatedShipment, Lane, Payment, PushedUpdate, RateQuote, RateRequest,
    Serviceability, ShipmentKind, ShipmentRef, ShipmentRequest, TrackingUpdate,
};
use crate::wire::{HttpRequest, HttpResponse};

pub use parse::*;
pub use requests::*;
pub use simulator::XpressBeesSimulator;

pub const ID: CarrierId = "xpressbees";

crate::embedded_mapping!("xpressbees.toml");

/// How long a token is taken to live: XpressBees' answer does not say; public
/// integrations cache it for 12 to 24 hours.
pub const TOKEN_LIFE: Duration = Duration::from_secs(12 * 3600);
/// How long the AWB drawn for a shipment id is remembered (a retried create, a lookup).
pub const ASSIGNED_TTL: Duration = Duration::from_secs(48 * 3600);
const ASSIGNED_MAX: usize = 100_000;
/// Unused AWBs kept per lot.
pub const POOL_PER_LOT: usize = 5_000;
/// The pincode an account check asks about (New Delhi GPO): only whether XpressBees
/// answers with the token and key matters.
pub const CHECK_PINCODE: &str = "110001";
/// The carrier ref naming XpressBees' token number for a manifest.
pub const REF_TOKEN_NUMBER: &str = "token_number";

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: ID,
        name: "XpressBees",
        // The AWB-series host; the other hosts are per endpoint ([`Endpoint`]).
        live_base_url: "https://xbclientapi.xbees.in",
        settings: &[
            SettingSpec {
                key: "username",
                secret: true,
                required: true,
                about: "The XpressBees API user (generateToken's username)",
            },
            SettingSpec {
                key: "password",
                secret: true,
                required: true,
                about: "The API user's password",
            },
            SettingSpec {
                key: "secret_key",
                secret: true,
                required: true,
                about: "The secret key XpressBees issued with the API user",
            },
            SettingSpec {
                key: "xb_key",
                secret: true,
                required: true,
                about: "The account's XBkey (AWB series, manifests, tracking)",
            },
            SettingSpec {
                key: "business_account_name",
                secret: false,
                required: true,
                about: "The business account name XpressBees registered (manifests' BusinessAccountName)",
            },
            SettingSpec {
                key: "pickup_vendor_code",
                secret: false,
                required: true,
                about: "The code of the pickup location registered with XpressBees (PickupVendorCode)",
            },
            SettingSpec {
                key: "seller_gstin",
                secret: false,
                required: false,
                about: "The seller's GSTIN, sent in the manifest's GST block",
            },
            SettingSpec {
                key: "hosts",
                secret: false,
                required: false,
                about: "`base` to send every call to the account's base URL (the sandbox, a proxy) instead of XpressBees' per-service hosts",
            },
        ],
        // The manifest call checks the AWB series and serviceability: seconds, not
        // milliseconds.
        default_timeout_ms: 15_000,
        // XpressBees publishes no API limit.
        default_quota_per_second: 5.0,
        // XpressBees sends back whatever header it is given when the push is set up.
        webhook_token_header: "authorization",
        webhook_signature_header: None,
        domestic: &["IN"],
        sandbox_settings: simulator::sandbox_settings,
        build: |settings| Ok(Box::new(XpressBees::new(settings)?)),
        simulator: || Box::new(XpressBeesSimulator::new()),
    }
}

/// An XpressBees service (`ServiceType`). XpressBees' sample books `SD`, its standard
/// surface service; no other service is documented in the sources read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Standard,
}

impl Service {
    /// The service a request names: `SD` (or `standard` / `surface`), or the default.
    pub fn from_code(code: Option<&str>) -> Result<Service> {
        match code.map(|c| c.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("sd") | Some("standard") | Some("surface") => {
                Ok(Service::Standard)
            }
            Some(_) => Err(CarrierError::Unsupported(
                "an XpressBees service other than SD (standard surface)",
            )),
        }
    }

    pub fn code(self) -> &'static str {
        "SD"
    }
}

/// An XpressBees host and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Login,
    AwbBatch,
    AwbSeries,
    Forward,
    Reverse,
    Pincodes,
    Track,
    Cancel,
    Ndr,
}

impl Endpoint {
    pub fn host(self) -> &'static str {
        match self {
            Endpoint::Login => "https://userauthapis.xbees.in",
            Endpoint::AwbBatch | Endpoint::AwbSeries => "https://xbclientapi.xbees.in",
            Endpoint::Forward | Endpoint::Reverse => "https://apishipmentmanifestation.xbees.in",
            Endpoint::Pincodes => "https://xbmasterapi.xbees.in",
            Endpoint::Track => "https://apishipmenttracking.xbees.in",
            Endpoint::Cancel | Endpoint::Ndr => "https://clientshipupdatesapi.xbees.in",
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Login => "/api/auth/generateToken",
            Endpoint::AwbBatch => "/POSTShipmentService.svc/AWBNumberSeriesGeneration",
            Endpoint::AwbSeries => "/TrackingService.svc/GetAWBNumberGeneratedSeries",
            Endpoint::Forward => "/shipmentmanifestation/forward",
            Endpoint::Reverse => "/shipmentmanifestation/reverse",
            Endpoint::Pincodes => "/expose/get/serviceabilitypincode/details",
            Endpoint::Track => "/GetShipmentAuditLog",
            Endpoint::Cancel => "/forwardcancellation",
            Endpoint::Ndr => "/client/UpdateNDRDeferredDeliveryDate",
        }
    }
}

/// A series of AWBs: direction and payment mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lot {
    pub reverse: bool,
    pub cod: bool,
}

impl Lot {
    pub fn service_type(self) -> &'static str {
        if self.reverse { "REVERSE" } else { "FORWARD" }
    }

    pub fn delivery_type(self) -> &'static str {
        if self.cod { "COD" } else { "PREPAID" }
    }

    /// The pool's name for the lot.
    pub fn key(self) -> String {
        format!("{}/{}", self.service_type(), self.delivery_type())
    }
}

/// What every request of the account carries.
pub struct Account {
    pub business_account_name: String,
    pub pickup_vendor_code: String,
    pub seller_gstin: Option<String>,
    pub xb_key: Zeroizing<String>,
    /// Every call to the base URL (`hosts = base`), or to XpressBees' hosts.
    pub single_host: bool,
}

impl Account {
    /// Where `endpoint` is called: its path below the base URL, or its XpressBees host.
    pub fn url(&self, endpoint: Endpoint) -> String {
        crate::kit::settings::url(self.single_host, endpoint.host(), endpoint.path())
    }
}

/// XpressBees' login, for the kit's [`Session`].
pub struct XpressBeesLogin {
    username: Zeroizing<String>,
    password: Zeroizing<String>,
    secret_key: Zeroizing<String>,
    url: String,
}

impl Login for XpressBeesLogin {
    fn request(&self) -> Result<HttpRequest> {
        login_request(&self.url, &self.username, &self.password, &self.secret_key)
    }

    fn parse(&self, resp: &HttpResponse) -> Result<Token> {
        parse_login(resp)
    }

    /// The `token` header, with the API version XpressBees' services ask for.
    fn authorize(&self, request: HttpRequest, token: &str) -> HttpRequest {
        request
            .secret(token)
            .header("token", token)
            .header("versionnumber", "v1")
    }
}

/// The XpressBees adapter: the account, its login session, its pool of unused AWBs and
/// the AWB drawn per shipment id.
pub struct XpressBees {
    mapping: &'static Mapping,
    account: Account,
    session: Session,
    pool: AwbPool,
    assigned: AssignedAwbs,
}

impl std::fmt::Debug for XpressBees {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never a credential or the token.
        f.debug_struct("XpressBees")
            .field("business_account_name", &self.account.business_account_name)
            .field("pickup_vendor_code", &self.account.pickup_vendor_code)
            .finish_non_exhaustive()
    }
}

impl XpressBees {
    pub fn new(settings: &Settings) -> Result<Self, String> {
        let single_host = single_host(settings, "xpressbees")?;
        let account = Account {
            business_account_name: setting(settings, "business_account_name")?
                .trim()
                .to_string(),
            pickup_vendor_code: setting(settings, "pickup_vendor_code")?.trim().to_string(),
            seller_gstin: optional(settings, "seller_gstin"),
            xb_key: Zeroizing::new(setting(settings, "xb_key")?.trim().to_string()),
            single_host,
        };
        let login = XpressBeesLogin {
            username: Zeroizing::new(setting(settings, "username")?.trim().to_string()),
            password: Zeroizing::new(setting(settings, "password")?.to_string()),
            secret_key: Zeroizing::new(setting(settings, "secret_key")?.trim().to_string()),
            url: account.url(Endpoint::Login),
        };
        Ok(XpressBees {
            mapping: mapping()?,
            account,
            session: Session::new(login, TOKEN_LIFE),
            pool: AwbPool::new(POOL_PER_LOT),
            assigned: AssignedAwbs::new(ASSIGNED_TTL, ASSIGNED_MAX),
        })
    }

    pub fn mapping(&self) -> &'static Mapping {
        self.mapping
    }

    async fn send(
        &self,
        t: &dyn Transport,
        op: Operation,
        request: HttpRequest,
    ) -> Result<HttpResponse> {
        self.session.send(t, op, request).await
    }

    /// A series for `lot`: the batch, then its numbers.
    async fn fetch_series(&self, t: &dyn Transport, lot: Lot) -> Result<Vec<String>> {
        let op = Operation::CreateShipment;
        let batch = parse_awb_batch(
            &self
                .send(t, op, awb_batch_request(&self.account, lot)?)
                .await?,
        )?;
        let series = awb_series_request(&self.account, lot, &batch)?;
        parse_awb_series(&self.send(t, op, series).await?)
    }

    /// The AWB for shipment id `key`: the one drawn for it before, or the pool's next
    /// (fetching a series when the lot is empty), remembered. A failure here cannot have
    /// booked anything.
    async fn awb_for(&self, t: &dyn Transport, key: &str, lot: Lot) -> Result<String> {
        if let Some(awb) = self.assigned.get(key) {
            return Ok(awb);
        }
        self.session.token(t, None).await.map_err(not_booked)?;
        self.assigned
            .draw(&self.pool, key, &lot.key(), || self.fetch_series(t, lot))
            .await
    }

    async fn track_awb(
        &self,
        t: &dyn Transport,
        op: Operation,
        awb: &str,
    ) -> Result<TrackingUpdate> {
        let resp = self.send(t, op, track_request(&self.account, awb)?).await?;
        parse_track(self.mapping, &resp, awb)
    }

    /// Sends a manifest for `awb`; XpressBees already holding the AWB (this shipment's,
    /// drawn for it alone) means an earlier attempt booked it.
    async fn manifest(
        &self,
        t: &dyn Transport,
        request: HttpRequest,
        awb: &str,
    ) -> Result<CreatedShipment> {
        let resp = self.send(t, Operation::CreateShipment, request).await?;
        let token_number = match parse_manifest(&resp, awb) {
            Ok(done) => done.token_number,
            Err(CarrierError::Rejected { code, .. }) if code == AWB_EXISTS => None,
            Err(e) => return Err(e),
        };
        let refs = refs([(REF_TOKEN_NUMBER, token_number.as_deref())]);
        Ok(CreatedShipment::new(awb, Service::Standard.code(), refs))
    }

    /// Whether XpressBees lists `pincode` for pickup or delivery on a flow.
    async fn serves(
        &self,
        t: &dyn Transport,
        op: Operation,
        reverse: bool,
        pickup: bool,
        pincode: &str,
    ) -> Result<bool> {
        let request = pincode_request(&self.account, reverse, pickup, pincode)?;
        let resp = self.send(t, op, request).await?;
        Ok(parse_pincodes(&resp, pincode)?.is_some())
    }
}

#[async_trait]
impl Carrier for XpressBees {
    fn id(&self) -> CarrierId {
        ID
    }

    /// No rate API (the gateway quotes from the tenant's rate card); labels drawn by
    /// shipgate.
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            rates: false,
            services: vec![Service::Standard.code()],
            ..domestic_capabilities(Vec::new())
        }
    }

    /// A fresh login (username, password, secret key), then one pincode read with the
    /// new token and the `XBkey` ([`CHECK_PINCODE`]): both change nothing, and a wrong
    /// key is XpressBees' "Invalid XBkey".
    async fn check_account(&self, t: &dyn Transport) -> Result<AccountCheck> {
        let op = Operation::CheckAccount;
        self.session.log_in(t, op).await?;
        self.serves(t, op, false, false, CHECK_PINCODE).await?;
        Ok(AccountCheck::Verified)
    }

    /// XpressBees publishes no rate API; unsent.
    async fn rates(&self, _t: &dyn Transport, _req: &RateRequest) -> Result<Vec<RateQuote>> {
        Err(CarrierError::Unsupported(
            "rates (XpressBees publishes no rate API: the tenant's rate card quotes it)",
        ))
    }

    /// The pincode master for both ends of the lane, on its flow: picked up at one,
    /// delivered at the other. XpressBees' pincode master names no COD or ODA flag, so a
    /// pincode it delivers to is served for both payment modes.
    async fn serviceability(&self, t: &dyn Transport, lane: &Lane) -> Result<Serviceability> {
        let reverse = lane.kind == ShipmentKind::Reverse;
        let op = Operation::Serviceability;
        let (from, to) = (lane.pickup_pincode.as_str(), lane.delivery_pincode.as_str());
        if !self.serves(t, op, reverse, true, from).await? {
            return Ok(Serviceability::not(format!(
                "XpressBees does not pick up at {from}"
            )));
        }
        if !self.serves(t, op, reverse, false, to).await? {
            return Ok(Serviceability::not(format!(
                "XpressBees does not deliver to {to}"
            )));
        }
        Ok(Serviceability::Serviceable)
    }

    /// The manifest is built first, so a request XpressBees could never take is refused
    /// before an AWB is spent; then the AWB (see the module docs), then the manifest.
    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment> {
        let date = today();
        forward_manifest(&self.account, shipment_id, req, "", date)?;
        let lot = Lot {
            reverse: false,
            cod: matches!(req.payment, Payment::Cod { .. }),
        };
        let awb = self.awb_for(t, shipment_id.trim(), lot).await?;
        let manifest = forward_manifest(&self.account, shipment_id, req, &awb, date)?;
        let request = forward_request(&self.account, &manifest)?;
        self.manifest(t, request, &awb).await
    }

    async fn cancel(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<CancelOutcome> {
        let awb = self.assigned.known_or(shipment, "XpressBees", "cancel")?;
        let resp = self
            .send(t, Operation::Cancel, cancel_request(&self.account, &awb)?)
            .await?;
        parse_cancel(&resp)
    }

    /// Tracks the AWB drawn for the shipment (see the module docs).
    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>> {
        let Some(awb) = self.assigned.known(shipment) else {
            return Err(CarrierError::NotSent(format!(
                "no AWB is known for shipment {}: XpressBees cannot be searched by order number, so an operator must settle it",
                shipment.shipment_id
            )));
        };
        let tracked = self.track_awb(t, Operation::Lookup, &awb).await;
        found_by_tracking(tracked, NOT_FOUND, |update| {
            CreatedShipment::new(update.awb, Service::Standard.code(), Default::default())
        })
    }

    async fn track(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let awb = self.assigned.known_or(shipment, "XpressBees", "track")?;
        self.track_awb(t, Operation::Track, &awb).await
    }

    /// XpressBees' status push; the body alone says everything.
    fn parse_webhook(
        &self,
        _headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<PushedUpdate>> {
        parse_pushes(self.mapping, body)
    }

    fn ndr_actions(&self) -> Option<&dyn NdrActions> {
        Some(self)
    }

    fn returns(&self) -> Option<&dyn Returns> {
        Some(self)
    }
}

#[async_trait]
impl NdrActions for XpressBees {
    /// A new attempt (on a date), a new phone, a corrected address; no return to origin.
    fn offers(&self, action: NdrActionKind) -> bool {
        action != NdrActionKind::Rto
    }

    async fn act(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        action: &NdrAction,
    ) -> Result<NdrOutcome> {
        let Some(awb) = self.assigned.known(shipment) else {
            return Err(CarrierError::NotSent(
                "no XpressBees AWB to instruct".into(),
            ));
        };
        let request = ndr_request(&self.account, &awb, action, today())?;
        parse_ndr(&self.send(t, Operation::NdrAction, request).await?, &awb)
    }
}

#[async_trait]
impl Returns for XpressBees {
    /// XpressBees' reverse manifest takes no doorstep quality check in the sources read.
    fn offers_qc(&self) -> bool {
        false
    }

    /// A reverse manifest under an AWB of the reverse series (prepaid: nothing is
    /// collected on a return).
    async fn create_return(
        &self,
        t: &dyn Transport,
        forward: Option<&ShipmentRef>,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment> {
        let forward_awb = forward.and_then(stored_awb);
        reverse_manifest(&self.account, request, forward_awb, "")?;
        let lot = Lot {
            reverse: true,
            cod: false,
        };
        let awb = self.awb_for(t, request.shipment_id.trim(), lot).await?;
        let manifest = reverse_manifest(&self.account, request, forward_awb, &awb)?;
        let http = reverse_request(&self.account, &manifest)?;
        self.manifest(t, http, &awb).await
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

    /// Shiprocket relays XpressBees' own codes for its XpressBees couriers: its table of
    /// them must say what this one says (until it reads this one).
    #[test]
    fn shiprocket_reads_xpressbees_codes_as_xpressbees_does() {
        let shiprocket = crate::shiprocket::mapping().expect("shiprocket mapping");
        let mut compared = 0;
        for code in ["DRC", "OFP", "PUD", "PKD", "IT", "RAD", "OFD", "DLVD"] {
            let theirs = shiprocket.lookup("courier_xpressbees", code);
            assert_eq!(theirs, m().lookup("status", code), "{code}");
            compared += usize::from(theirs.is_some());
        }
        assert_eq!(compared, 8);
    }

    #[test]
    fn failed_attempts_read_their_reason() {
        let refused = resolve(m(), "UD", "Customer Refused To Accept").unwrap();
        assert_eq!(refused.sub_status, SubStatus::Refused);
        let cod = resolve(m(), "UD", "customer refused to pay cod amount").unwrap();
        assert_eq!(cod.sub_status, SubStatus::CodNotReady);
        // A reason nobody mapped keeps the code's meaning.
        let other = resolve(m(), "UD", "Rider ran out of fuel").unwrap();
        assert_eq!(other.sub_status, SubStatus::Other);
        // A reason on another code does not change it.
        let ofd = resolve(m(), "OFD", "Customer Refused To Accept").unwrap();
        assert_eq!(ofd.sub_status, SubStatus::OutForDelivery);
        assert!(resolve(m(), "ZZZ", "").is_none());
    }

    #[test]
    fn lots_and_hosts() {
        let lot = Lot {
            reverse: true,
            cod: false,
        };
        assert_eq!(lot.key(), "REVERSE/PREPAID");
        let mut account = Account {
            business_account_name: "b".into(),
            pickup_vendor_code: "v".into(),
            seller_gstin: None,
            xb_key: Zeroizing::new("k".into()),
            single_host: false,
        };
        assert_eq!(
            account.url(Endpoint::Track),
            "https://apishipmenttracking.xbees.in/GetShipmentAuditLog"
        );
        account.single_host = true;
        assert_eq!(account.url(Endpoint::Track), "/GetShipmentAuditLog");
    }
}
