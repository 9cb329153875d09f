//! DTDC (domestic express and B2C parcels): pincode serviceability, booking through the
//! consignment upload (`softdata`), DTDC's own label, cancellation, tracking pulls and
//! pushes, reverse pickups and the lookup of a booking whose answer was lost. Requests are
//! built in [`requests`], answers read in [`parse`]; this module only sequences the calls
//! through the gateway's [`Transport`].
//!
//! ## Which DTDC APIs, and why
//!
//! DTDC gives a contracted account three systems, each with its own credentials:
//! - the **customer integration API**, which DTDC runs on Shipsy's platform
//!   (`dtdcapi.shipsy.io`, demo `demodashboardapi.shipsy.in`): the consignment upload
//!   (`/api/customer/integration/consignment/softdata`, "DTDC First Mile API Order Upload
//!   WS" v2.0), the label stream (`…/consignment/shippinglabel/stream`) and the
//!   cancellation (`…/consignment/cancel`, "DTDC Customer Level Cancellation API"), all
//!   with the account's fixed `api-key` header;
//! - the **tracking API** (`blktracksvc.dtdc.com`, "DTDC REST Tracking API" v2.2 /
//!   "TLS DTDC Rest Tracking API V4"): `authenticate` with a username and password issues
//!   a token, sent as `x-access-token` to `JSONCnTrk/getTrackDetails`;
//! - the rate calculator's **pincode lookup** (`smarttrack.ctbsplus.dtdc.com`,
//!   `ratecalapi/PincodeApiCall`), which takes no credentials and says per lane whether
//!   B2C parcels and B2C COD are served.
//!
//! What DTDC does not publish, shipgate supplies or lacks (searched: the `pages` corpus
//! for "DTDC API", "dtdc shipsy api", "dtdc customer api softdata", "dtdc tracking api",
//! "dtdc pincode serviceability", "dtdc ndr", "dtdc pickup", "dtdc cod remittance"; the
//! `code` corpus for public DTDC integrations):
//! - **no rate API** (`capabilities.rates = false`: the gateway quotes the account from
//!   the tenant's rate card, booking the card's service; the public "rate calculator"
//!   is a consumer web page, not an account's contract rates);
//! - **no NDR action API** in any source read: failed attempts are read (`NONDLV` with
//!   DTDC's reason code) but instructions go through DTDC's panel;
//! - **no pickup, manifest or COD remittance API**: a Shipsy consignment upload is itself
//!   the pickup request (the document calls it "pickup & booking details"), DTDC hands
//!   no manifest document over an API, and remittance statements come by e-mail / panel;
//! - **no ODA flag**: the pincode lookup says served or not, B2C and COD; an
//!   out-of-delivery-area pincode reads as not served.
//!
//! ## Things about DTDC that shape the adapter
//!
//! - **Hosts.** Shipsy's host for bookings ([`Endpoint`]), DTDC's tracking host, the rate
//!   calculator's host (which answers only over plain HTTP in the sources read; nothing
//!   secret goes to it). Setting `hosts = base` sends every call to the account's base
//!   URL instead (the sandbox, or a proxy).
//! - **Auth.** Shipsy: the fixed `api-key` header (a marked secret); a wrong key is HTTP
//!   401 `{"error": {"message": "Wrong api key", "reason": "WRONG_API_KEY"}}`. Tracking:
//!   the token of `authenticate` (username and password in the query string, both marked
//!   secret), answered as bare text. Its lifetime is undocumented: the [`Session`] reuses
//!   it for [`TOKEN_LIFE`] less a tenth, and on a 401 logs in again and repeats the call
//!   once.
//! - **AWBs are DTDC's.** The upload leaves `reference_number` blank and DTDC allocates
//!   the consignment number; shipgate's shipment id is the `customer_reference_number`.
//!   DTDC also issues pre-printed AWB series to accounts, but no public API fetches them,
//!   so no AWB pool is kept.
//! - **Lookup** tracks the customer reference (`trkType: reference`), which only one
//!   source shows; every integrator found tracks by AWB. A consignment found that way
//!   settles a lost answer; "no data" does not prove there is none, so it is not taken
//!   as "not booked": the booking waits for an operator rather than being booked again.
//! - **Errors inside HTTP 200.** A consignment refused comes back `success: false` with
//!   `message` and `reason` beside HTTP 200; a cancellation refused is `success: false`
//!   with `failures`; tracking answers `statusCode: 206` / `status: FAILED` with
//!   `errorDetails` ("Not Authorized to view the information" for a number not this
//!   account's).
//! - **Zone-less IST times**, `DDMMYYYY` with `HHMM`, read through `kit::time`.
//! - **Units**: kilograms (to the gram) and whole centimetres, rounded up; amounts in
//!   rupees as text; one piece per consignment.
//! - **Labels**: DTDC's own 4×6 PDF ([`requests::LABEL_CODE`]), fetched after the upload
//!   and kept as sent. A label call that fails does not undo the booking: the gateway
//!   asks [`Carrier::label`] again later. DTDC draws no ZPL; shipgate renders that.
//! - **Services** (`service_type_id`): [`Service`]; `B2C PRIORITY` is the usual one,
//!   named `B2C_PRIORITY` in shipgate (service codes take no spaces).
//! - **E-way bills**: goods worth Rs 50,000 or more need one; shipgate's request has no
//!   field for it yet, so such a booking is refused unsent (`Unsupported`).
//! - **NDR.** A failed attempt is `NONDLV` ("Not Delivered") whose remarks are
//!   `CODE|WORDS` (`PNA|RECEIVER NOT AVAILABLE-(CIR)`); the code is read into a
//!   `delivery_failed` sub-status (`mappings/dtdc.toml`, `[codes.ndr_reason]`), the
//!   remarks kept as the event's `ndr_reason`.
//! - **Status pushes** ("Push API Document: Tracking Status"): DTDC posts each scan as
//!   `{"shipment": {…}, "shipmentStatus": {…}}` (the status one object or a list) to the
//!   URL registered with DTDC. The push names the code `strAction` and its words
//!   `strActionDesc`, where the pull API says `strCode` and `strAction`. No source says
//!   how DTDC authenticates a push: it is set up by DTDC's integration team, who can add
//!   a fixed header, so the gateway's token-header check covers it (`authorization` by
//!   default); DTDC signs nothing, so the HMAC check cannot apply.
//! - **Limits**: the upload takes at most 20 consignments a call (shipgate sends one);
//!   DTDC publishes no rate limit; 5 requests a second is a conservative quota.
//!
//! ## Lookup after an unknown outcome
//!
//! A lost upload answer leaves the booking unknown, and DTDC chose the AWB.
//! [`Carrier::lookup`] tracks shipgate's shipment id, the customer reference the upload
//! carried, as `trkType: reference` (the tracking API's other tracking type beside
//! `cnno`; no public source shows an answer to it, see `fixtures/dtdc/SOURCES.md`). Scans
//! mean DTDC holds the booking (the header names its AWB); "No Data Found" means it does
//! not, and booking again is safe. Any other answer (DTDC refusing the tracking type) is
//! an error: the booking waits for an operator, never booked twice.

pub mod parse;
pub mod requests;
pub mod simulator;
mod simulator_tracking;
pub mod wire;

use std::time::Duration;

use async_trait::async_trait;
use zeroize::Zeroizing;

use crate::CarrierError;
use crate::carrier::{
    AccountCheck, Capabilities, Carrier, CarrierId, CarrierSpec, Operation, SettingSpec, Settings,
    Transport, setting,
};
use crate::families::{ReturnRequest, Returns};
use crate::kit::adapter::{Result, domestic_capabilities, refs};
use crate::kit::http;
use crate::kit::india::today;
use crate::kit::lenient::trimmed;
use crate::kit::session::{Login, Session, Token};
use crate::kit::settings::{optional, single_host};
use crate::kit::tracking::{found_by_tracking, stored_awb};
use crate::mapping::Mapping;
use crate::schema::{
    CancelOutcome, CreatedShipment, LabelDocument, LabelFormat, Lane, Payment, PushedUpdate,
    RateQuote, RateRequest, Serviceability, ShipmentKind, ShipmentRef, ShipmentRequest,
    TrackingUpdate,
};
use crate::wire::{HttpRequest, HttpResponse};

pub use parse::*;
pub use requests::*;
pub use simulator::DtdcSimulator;

pub const ID: CarrierId = "dtdc";

crate::embedded_mapping!("dtdc.toml");

/// How long a tracking token is taken to live: DTDC's document does not say; public
/// integrations cache it for 12 to 24 hours and log in again on a 401.
pub const TOKEN_LIFE: Duration = Duration::from_secs(12 * 3600);
/// The carrier ref naming the customer reference DTDC holds the booking under.
pub const REF_CUSTOMER_REFERENCE: &str = "customer_reference_number";
/// The number an account check asks a label for: no consignment has it, so only whether
/// Shipsy takes the `api-key` matters.
pub const CHECK_NUMBER: &str = "SHIPGATECHECK";

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: ID,
        name: "DTDC",
        // Shipsy's host for bookings; tracking and pincodes are per endpoint.
        live_base_url: "https://dtdcapi.shipsy.io",
        settings: &[
            SettingSpec {
                key: "api_key",
                secret: true,
                required: true,
                about: "The api-key DTDC issued for its customer integration API (bookings, labels, cancellation)",
            },
            SettingSpec {
                key: "customer_code",
                secret: false,
                required: true,
                about: "The account's DTDC customer code (customer_code / customerCode)",
            },
            SettingSpec {
                key: "tracking_username",
                secret: true,
                required: true,
                about: "The user of DTDC's tracking API (authenticate)",
            },
            SettingSpec {
                key: "tracking_password",
                secret: true,
                required: true,
                about: "The tracking user's password",
            },
            SettingSpec {
                key: "commodity_id",
                secret: false,
                required: false,
                about: "The commodity id DTDC assigned the account's goods, sent with each consignment",
            },
            SettingSpec {
                key: "hosts",
                secret: false,
                required: false,
                about: "`base` to send every call to the account's base URL (the sandbox, a proxy) instead of DTDC's per-service hosts",
            },
        ],
        // The upload validates the consignment and allocates its number: seconds.
        default_timeout_ms: 15_000,
        // DTDC publishes no API limit.
        default_quota_per_second: 5.0,
        // Set up by DTDC's integration team with a fixed header of the client's choice.
        webhook_token_header: "authorization",
        webhook_signature_header: None,
        domestic: &["IN"],
        sandbox_settings: simulator::sandbox_settings,
        build: |settings| Ok(Box::new(Dtdc::new(settings)?)),
        simulator: || Box::new(DtdcSimulator::new()),
    }
}

/// A DTDC service (`service_type_id`), first the usual one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    B2cPriority,
    B2cSmartExpress,
    B2cPremium,
    B2cGroundEconomy,
}

impl Service {
    pub const ALL: [Service; 4] = [
        Service::B2cPriority,
        Service::B2cSmartExpress,
        Service::B2cPremium,
        Service::B2cGroundEconomy,
    ];

    /// The service a request names (shipgate's code or DTDC's name, any case, `_`, `-`
    /// or spaces between the words), or the default.
    pub fn from_code(code: Option<&str>) -> Result<Service> {
        let Some(code) = trimmed(code) else {
            return Ok(Service::B2cPriority);
        };
        let words = |c: &str| {
            c.split([' ', '_', '-'])
                .filter(|w| !w.is_empty())
                .map(str::to_ascii_uppercase)
                .collect::<Vec<_>>()
        };
        Service::ALL
            .into_iter()
            .find(|s| words(s.wire()) == words(code))
            .ok_or(CarrierError::Unsupported(
                "a DTDC service other than B2C_PRIORITY, B2C_SMART_EXPRESS, B2C_PREMIUM or B2C_GROUND_ECONOMY",
            ))
    }

    /// shipgate's code for the service (a service code takes no spaces).
    pub fn code(self) -> &'static str {
        match self {
            Service::B2cPriority => "B2C_PRIORITY",
            Service::B2cSmartExpress => "B2C_SMART_EXPRESS",
            Service::B2cPremium => "B2C_PREMIUM",
            Service::B2cGroundEconomy => "B2C_GROUND_ECONOMY",
        }
    }

    /// DTDC's name for it, as `service_type_id` takes it.
    pub fn wire(self) -> &'static str {
        match self {
            Service::B2cPriority => "B2C PRIORITY",
            Service::B2cSmartExpress => "B2C SMART EXPRESS",
            Service::B2cPremium => "B2C PREMIUM",
            Service::B2cGroundEconomy => "B2C GROUND ECONOMY",
        }
    }
}

/// A DTDC host and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Softdata,
    Label,
    Cancel,
    Login,
    Track,
    Pincodes,
}

impl Endpoint {
    pub fn host(self) -> &'static str {
        match self {
            Endpoint::Softdata | Endpoint::Label | Endpoint::Cancel => "https://dtdcapi.shipsy.io",
            Endpoint::Login | Endpoint::Track => "https://blktracksvc.dtdc.com",
            Endpoint::Pincodes => "http://smarttrack.ctbsplus.dtdc.com",
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Softdata => "/api/customer/integration/consignment/softdata",
            Endpoint::Label => "/api/customer/integration/consignment/shippinglabel/stream",
            Endpoint::Cancel => "/api/customer/integration/consignment/cancel",
            Endpoint::Login => "/dtdc-api/api/dtdc/authenticate",
            Endpoint::Track => "/dtdc-api/rest/JSONCnTrk/getTrackDetails",
            Endpoint::Pincodes => "/ratecalapi/PincodeApiCall",
        }
    }
}

/// What every request of the account carries.
pub struct Account {
    pub customer_code: String,
    pub commodity_id: String,
    pub api_key: Zeroizing<String>,
    /// Every call to the base URL (`hosts = base`), or to DTDC's hosts.
    pub single_host: bool,
}

impl Account {
    /// Where `endpoint` is called: its path below the base URL, or its DTDC host.
    pub fn url(&self, endpoint: Endpoint) -> String {
        crate::kit::settings::url(self.single_host, endpoint.host(), endpoint.path())
    }
}

/// DTDC's tracking login, for the kit's [`Session`].
pub struct DtdcLogin {
    username: Zeroizing<String>,
    password: Zeroizing<String>,
    url: String,
}

impl Login for DtdcLogin {
    fn request(&self) -> Result<HttpRequest> {
        Ok(login_request(&self.url, &self.username, &self.password))
    }

    fn parse(&self, resp: &HttpResponse) -> Result<Token> {
        parse_login(resp)
    }

    /// The `x-access-token` header, as DTDC's tracking API takes it.
    fn authorize(&self, request: HttpRequest, token: &str) -> HttpRequest {
        request.secret(token).header("x-access-token", token)
    }
}

/// The DTDC adapter: the account and its tracking session.
pub struct Dtdc {
    mapping: &'static Mapping,
    account: Account,
    session: Session,
}

impl std::fmt::Debug for Dtdc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never a credential or the token.
        f.debug_struct("Dtdc")
            .field("customer_code", &self.account.customer_code)
            .finish_non_exhaustive()
    }
}

impl Dtdc {
    pub fn new(settings: &Settings) -> Result<Self, String> {
        let single_host = single_host(settings, "dtdc")?;
        let account = Account {
            customer_code: setting(settings, "customer_code")?.trim().to_string(),
            commodity_id: optional(settings, "commodity_id").unwrap_or_default(),
            api_key: Zeroizing::new(setting(settings, "api_key")?.trim().to_string()),
            single_host,
        };
        if account.customer_code.is_empty() || account.api_key.is_empty() {
            return Err("settings `customer_code` and `api_key` must not be blank".into());
        }
        let login = DtdcLogin {
            username: Zeroizing::new(setting(settings, "tracking_username")?.trim().to_string()),
            password: Zeroizing::new(setting(settings, "tracking_password")?.to_string()),
            url: account.url(Endpoint::Login),
        };
        Ok(Dtdc {
            mapping: mapping()?,
            account,
            session: Session::new(login, TOKEN_LIFE),
        })
    }

    pub fn mapping(&self) -> &'static Mapping {
        self.mapping
    }

    /// A tracking call, by AWB or by reference, with the session's token.
    async fn track_by(
        &self,
        t: &dyn Transport,
        op: Operation,
        by: TrackBy,
        number: &str,
    ) -> Result<TrackingUpdate> {
        let request = track_request(&self.account, by, number)?;
        let resp = self.session.send(t, op, request).await?;
        parse_track(self.mapping, &resp, number)
    }

    /// DTDC's label for `awb`.
    async fn fetch_label(
        &self,
        t: &dyn Transport,
        awb: &str,
        format: LabelFormat,
    ) -> Result<LabelDocument> {
        let request = label_request(&self.account, awb, format)?;
        parse_label(&t.send(Operation::Label, request).await?, awb)
    }

    /// Uploads one consignment, then fetches its label. The label is best effort: the
    /// booking stands without it, and the gateway asks for it again.
    async fn upload(
        &self,
        t: &dyn Transport,
        consignment: &wire::Consignment,
    ) -> Result<CreatedShipment> {
        let request = softdata_request(&self.account, consignment)?;
        let resp = t.send(Operation::CreateShipment, request).await?;
        let booked = parse_softdata(&resp)?;
        let reference = booked
            .reference
            .unwrap_or_else(|| consignment.customer_reference_number.clone());
        let refs = refs([(REF_CUSTOMER_REFERENCE, Some(reference.as_str()))]);
        let service = Service::from_code(Some(&consignment.service_type_id))?;
        let mut created = CreatedShipment::new(&booked.awb, service.code(), refs);
        match self.fetch_label(t, &booked.awb, LabelFormat::Pdf).await {
            Ok(label) => created.labels.push(label),
            Err(e) => {
                tracing::warn!(carrier = ID, awb = %booked.awb, error = %e, "DTDC label not fetched with the booking; the gateway asks again");
            }
        }
        Ok(created)
    }

    /// The AWB a shipment is known by, else its customer reference (shipgate's id).
    fn tracked_as<'a>(&self, shipment: &'a ShipmentRef) -> (TrackBy, &'a str) {
        match stored_awb(shipment) {
            Some(awb) => (TrackBy::Awb, awb),
            None => (TrackBy::Reference, shipment.shipment_id.trim()),
        }
    }
}

#[async_trait]
impl Carrier for Dtdc {
    fn id(&self) -> CarrierId {
        ID
    }

    /// No rate API (the gateway quotes from the tenant's rate card); DTDC's own PDF label.
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            rates: false,
            services: Service::ALL.iter().map(|s| s.code()).collect(),
            ..domestic_capabilities(vec![LabelFormat::Pdf])
        }
    }

    /// A fresh tracking login, then one label read on Shipsy for a number no consignment
    /// has ([`CHECK_NUMBER`]): both change nothing. A wrong key is Shipsy's 401; any
    /// other refusal of the label means the key was taken.
    async fn check_account(&self, t: &dyn Transport) -> Result<AccountCheck> {
        let op = Operation::CheckAccount;
        self.session.log_in(t, op).await?;
        let request = label_request(&self.account, CHECK_NUMBER, LabelFormat::Pdf)?;
        match parse_label(&t.send(op, request).await?, CHECK_NUMBER) {
            Ok(_) => Ok(AccountCheck::Verified),
            Err(CarrierError::Rejected { code, .. }) if code != http::UNAUTHORIZED => {
                Ok(AccountCheck::Verified)
            }
            Err(e) => Err(e),
        }
    }

    /// DTDC publishes no rate API; unsent.
    async fn rates(&self, _t: &dyn Transport, _req: &RateRequest) -> Result<Vec<RateQuote>> {
        Err(CarrierError::Unsupported(
            "rates (DTDC publishes no rate API: the tenant's rate card quotes it)",
        ))
    }

    /// The pincode lookup for the lane (picked up at one end, delivered at the other),
    /// COD where the lane asks for it.
    async fn serviceability(&self, t: &dyn Transport, lane: &Lane) -> Result<Serviceability> {
        let (from, to) = (lane.pickup_pincode.as_str(), lane.delivery_pincode.as_str());
        let request = pincode_request(&self.account, from, to)?;
        let found = parse_pincodes(&t.send(Operation::Serviceability, request).await?)?;
        let cod = lane.cod && lane.kind == ShipmentKind::Forward;
        Ok(match found {
            Lookup {
                served: false,
                message,
                ..
            } => Serviceability::not(format!(
                "DTDC does not serve {from} to {to}{}",
                message.map(|m| format!(": {m}")).unwrap_or_default()
            )),
            Lookup { cod: false, .. } if cod => {
                Serviceability::not(format!("DTDC collects no cash on delivery at {to}"))
            }
            _ => Serviceability::Serviceable,
        })
    }

    /// The consignment is built first, so a request DTDC could never take is refused
    /// unsent; then the upload, then the label.
    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment> {
        if let Payment::Cod { .. } = req.payment
            && req.kind == ShipmentKind::Reverse
        {
            return Err(CarrierError::Unsupported("cash on delivery on a return"));
        }
        let consignment = match req.kind {
            ShipmentKind::Forward => forward_consignment(&self.account, shipment_id, req, today())?,
            ShipmentKind::Reverse => {
                let request = ReturnRequest::of(shipment_id, req);
                reverse_consignment(&self.account, &request, today())?
            }
        };
        self.upload(t, &consignment).await
    }

    async fn cancel(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<CancelOutcome> {
        let awb = stored_awb(shipment).ok_or_else(|| {
            CarrierError::NotSent(format!(
                "shipment {} has no DTDC AWB to cancel",
                shipment.shipment_id
            ))
        })?;
        let resp = t
            .send(Operation::Cancel, cancel_request(&self.account, awb)?)
            .await?;
        parse_cancel(&resp)
    }

    /// Tracks the shipment id, the reference the upload carried (see the module docs).
    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>> {
        let (by, number) = self.tracked_as(shipment);
        if number.is_empty() {
            return Err(CarrierError::NotSent(
                "no DTDC AWB or reference to look up".into(),
            ));
        }
        let request = track_request(&self.account, by, number)?;
        let resp = self.session.send(t, Operation::Lookup, request).await?;
        let tracked = parse_track(self.mapping, &resp, number);
        // Tracking by customer reference is the one source's word (every integrator found
        // tracks by AWB): "no data" for a reference is not proof DTDC holds no such
        // consignment, and booking again on it could make two. So it is not an answer:
        // the booking waits for an operator (`POST /v1/shipments/{id}/resolve`).
        if by == TrackBy::Reference
            && matches!(&tracked, Err(CarrierError::Rejected { code, .. }) if code == NOT_FOUND)
        {
            return Err(CarrierError::Unsupported(
                "finding a DTDC consignment it does not know by reference (an operator settles it)",
            ));
        }
        found_by_tracking(tracked, NOT_FOUND, |update| {
            let reference = shipment.shipment_id.trim();
            let refs = refs([(REF_CUSTOMER_REFERENCE, Some(reference))]);
            // The product DTDC booked, else the usual one.
            let service = Service::from_code(tracked_product(&resp).as_deref())
                .unwrap_or(Service::B2cPriority);
            CreatedShipment::new(update.awb, service.code(), refs)
        })
    }

    async fn track(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let (by, number) = self.tracked_as(shipment);
        if number.is_empty() {
            return Err(CarrierError::NotSent(format!(
                "shipment {} has no DTDC AWB to track",
                shipment.shipment_id
            )));
        }
        self.track_by(t, Operation::Track, by, number).await
    }

    async fn label(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        format: LabelFormat,
    ) -> Result<LabelDocument> {
        let awb = stored_awb(shipment).ok_or_else(|| {
            CarrierError::NotSent(format!(
                "shipment {} has no DTDC AWB to print",
                shipment.shipment_id
            ))
        })?;
        self.fetch_label(t, awb, format).await
    }

    /// DTDC's tracking push; the body alone says everything.
    fn parse_webhook(
        &self,
        _headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<PushedUpdate>> {
        parse_pushes(self.mapping, body)
    }

    fn returns(&self) -> Option<&dyn Returns> {
        Some(self)
    }
}

#[async_trait]
impl Returns for Dtdc {
    /// DTDC's reverse consignment takes no doorstep quality check in the sources read.
    fn offers_qc(&self) -> bool {
        false
    }

    /// A reverse consignment (`consignment_type: REVERSE`), prepaid, with DTDC's label.
    async fn create_return(
        &self,
        t: &dyn Transport,
        _forward: Option<&ShipmentRef>,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment> {
        let consignment = reverse_consignment(&self.account, request, today())?;
        self.upload(t, &consignment).await
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
    fn failed_attempts_read_their_reason_code() {
        let refused = resolve(m(), "NONDLV", "PRF|RECEIVER REFUSED DELIVERY(CIR)").unwrap();
        assert_eq!(refused.sub_status, SubStatus::Refused);
        let cod = resolve(m(), "NONDLV", "CAN|COLLECTION AMOUNT NOT READY-(CIR)").unwrap();
        assert_eq!(cod.sub_status, SubStatus::CodNotReady);
        // A reason nobody mapped keeps the code's meaning.
        let other = resolve(m(), "NONDLV", "ZZZ|SOMETHING NEW").unwrap();
        assert_eq!(other.sub_status, SubStatus::Other);
        // A reason on another code does not change it.
        let ofd = resolve(m(), "OUTDLV", "PRF|RECEIVER REFUSED DELIVERY(CIR)").unwrap();
        assert_eq!(ofd.sub_status, SubStatus::OutForDelivery);
        assert!(resolve(m(), "ZZZ", "").is_none());
    }

    #[test]
    fn services_and_hosts() {
        assert_eq!(Service::from_code(None).unwrap(), Service::B2cPriority);
        assert_eq!(
            Service::from_code(Some(" b2c premium ")).unwrap(),
            Service::B2cPremium
        );
        assert_eq!(
            Service::from_code(Some("B2C_SMART_EXPRESS")).unwrap(),
            Service::B2cSmartExpress
        );
        assert!(
            Service::ALL
                .iter()
                .all(|s| Service::from_code(Some(s.code())) == Ok(*s))
        );
        assert!(Service::from_code(Some("LITE")).is_err());
        let mut account = Account {
            customer_code: "c".into(),
            commodity_id: String::new(),
            api_key: Zeroizing::new("k".into()),
            single_host: false,
        };
        assert_eq!(
            account.url(Endpoint::Track),
            "https://blktracksvc.dtdc.com/dtdc-api/rest/JSONCnTrk/getTrackDetails"
        );
        account.single_host = true;
        assert_eq!(
            account.url(Endpoint::Cancel),
            "/api/customer/integration/consignment/cancel"
        );
    }
}
