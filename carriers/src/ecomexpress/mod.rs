//! Ecom Express (client API, `api.ecomexpress.in` / `plapi.ecomexpress.in`): pincode
//! serviceability with COD, prepaid and reverse flags, booking under pre-fetched AWB
//! series, cancellation, tracking pulls (XML) and status pushes, NDR resolutions and
//! reverse pickups. Requests are built in [`requests`], answers read in [`parse`]; this
//! module only sequences the calls through the gateway's [`Transport`].
//!
//! ## Sources
//!
//! Ecom Express publishes its API documents only to contracted accounts (its
//! integration portal). What this adapter knows comes from public copies and public
//! integrations, listed field by field in `fixtures/ecomexpress/SOURCES.md`: Ecom's "API
//! Manual v0.6" (tracking XML), public clients in Python, TypeScript and JavaScript (the
//! endpoints, form fields, `json_input`, AWB types, NDR instructions), and the status and
//! NDR code tables public integrations keep. Where they differ, SOURCES.md says which
//! was followed.
//!
//! ## What Ecom Express has not, and where we looked
//!
//! - **No rate API** (`capabilities.rates = false`): no public client or document read
//!   calls one; the gateway quotes the account from the tenant's rate card.
//! - **No label in the booking answer**: the label is a second call, to Ecom's label
//!   service on its shipment host (`shipment.ecomexpress.in/services/expp/shipping_label`,
//!   a `GET` with the credentials and `awb_numbers` in the query), which answers the PDF
//!   itself. The adapter fetches it right after the manifest and keeps Ecom's bytes
//!   (`native_label_formats`: PDF); a label that fails leaves the booking standing, the
//!   reason in the `label_error` carrier ref. Ecom renders no ZPL.
//! - **No pickup registry, manifest-close or COD remittance API** in any source read: the
//!   pickup location is registered with Ecom once (`PICKUP_LOCATION_CODE`) and Ecom
//!   collects what is manifested; remittances come as statements.
//!
//! ## Things about Ecom Express that shape the adapter
//!
//! - **Credentials on every call.** No token: each call is a form-encoded POST with the
//!   account's `username` and `password` (marked secrets); documents travel as JSON text
//!   in the form field `json_input`. A wrong password is HTTP 401.
//! - **Pre-fetched AWBs.** A booking names its AWB. Numbers come in series per type
//!   (`PPD` prepaid, `COD`, `REV` reverse pickup; [`Lot`]) from `fetch_awb`, and a number
//!   of one type on a manifest of another is refused. They sit in the kit's [`AwbPool`];
//!   the number drawn for a shipment id is remembered ([`ASSIGNED_TTL`]), so a retried
//!   create manifests the same number.
//! - **Errors inside HTTP 200.** `fetch_awb` says `"success": "no"`; manifests, cancels and
//!   NDR resolutions answer one line per AWB with `success`/`status` false and a
//!   `reason` or `error` list. [`parse::refusal_code`] turns the words into stable codes.
//! - **XML tracking** with **zone-less IST times** (`02 May, 2022, 10:48`), pushes in
//!   `yyyy-mm-dd HH:MM:SS` IST: read through `kit::time`.
//! - **Status codes are reason codes**: `reason_code_number` (001 uploaded … 999
//!   delivered); a failed attempt's code is its NDR reason (`mappings/ecomexpress.toml`).
//!   A returning parcel keeps the forward codes with `rts_shipment`/`ref_awb` set and is
//!   read through the `[codes.rts]` table.
//! - **Units**: kilograms and whole centimetres, rounded up; volumetric divisor 5000;
//!   amounts in rupees.
//! - **References.** shipgate's shipment id is `ORDER_NUMBER` (at most 50 characters here: no source gives Ecom's limit, and shipgate's ids are 36);
//!   the OMS order reference is the invoice number.
//! - **E-way bills**: goods worth Rs 50,000 or more need one (`GST_ERN`); shipgate's
//!   request has no field for it yet, so such a booking is refused unsent.
//! - **Status pushes.** Ecom pushes each scan as JSON (`awb`, `datetime`, `status`,
//!   `reason_code`, `reason_code_number`, `location`, `order_number`, `ref_awb`, …), one
//!   object or a batch, to the URL set up with its integration team. It signs nothing;
//!   the header it sends is whatever was agreed at set-up, so the gateway's token-header
//!   check (`authorization`) covers it and the HMAC check cannot apply.
//! - **NDR.** `ndr_resolutions` takes `RAD` (re-attempt, with a date, and optionally a new
//!   mobile number or corrected address lines) and `RTO`, synchronously.
//! - **Limits**: Ecom publishes none; 5 requests a second is a conservative quota.
//!
//! ## Lookup after an unknown outcome
//!
//! Only a lost *manifest* answer leaves a booking unknown. After it, the AWB drawn for the
//! shipment is known (stored by the gateway, or remembered by this process) and
//! [`Carrier::lookup`] tracks it: an object for the AWB means Ecom holds the booking;
//! none means it does not, and booking again is safe (it manifests the same AWB).
//! Without a known AWB the lookup is an error and the booking waits for an operator.

pub mod parse;
pub mod requests;
pub mod simulator;

use std::time::Duration;

use async_trait::async_trait;
use zeroize::Zeroizing;

use crate::CarrierError;
use crate::carrier::{
    AccountCheck, Capabilities, Carrier, CarrierId, CarrierSpec, Operation, SettingSpec, Settings,
    Transport, setting,
};
use crate::families::{NdrAction, NdrActionKind, NdrActions, NdrOutcome, ReturnRequest, Returns};
use crate::kit::adapter::{Result, domestic_capabilities};
use crate::kit::awb_pool::{AssignedAwbs, AwbPool};
use crate::kit::india::today;
use crate::kit::settings::{optional, single_host};
use crate::kit::tracking::found_by_tracking;
use crate::mapping::Mapping;
use crate::schema::{
    CancelOutcome, CreatedShipment, LabelDocument, LabelFormat, Lane, Payment, PushedUpdate,
    RateQuote, RateRequest, Serviceability, ShipmentKind, ShipmentRef, ShipmentRequest,
    TrackingUpdate,
};
use crate::wire::{HttpRequest, HttpResponse};

pub use parse::*;
pub use requests::*;
pub use simulator::EcomExpressSimulator;

pub const ID: CarrierId = "ecomexpress";

crate::embedded_mapping!("ecomexpress.toml");

/// How long the AWB drawn for a shipment id is remembered (a retried create, a lookup).
pub const ASSIGNED_TTL: Duration = Duration::from_secs(48 * 3600);
const ASSIGNED_MAX: usize = 100_000;
/// Unused AWBs kept per lot.
pub const POOL_PER_LOT: usize = 5_000;
/// The pincode an account check asks about (New Delhi GPO).
pub const CHECK_PINCODE: &str = "110001";
/// The carrier ref holding why Ecom's label could not be fetched after a booking.
pub const REF_LABEL_ERROR: &str = "label_error";

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: ID,
        name: "Ecom Express",
        live_base_url: "https://api.ecomexpress.in",
        settings: &[
            SettingSpec {
                key: "username",
                secret: true,
                required: true,
                about: "The Ecom Express API username",
            },
            SettingSpec {
                key: "password",
                secret: true,
                required: true,
                about: "The API user's password",
            },
            SettingSpec {
                key: "pickup_location_code",
                secret: false,
                required: true,
                about: "The code of the pickup location registered with Ecom Express (PICKUP_LOCATION_CODE)",
            },
            SettingSpec {
                key: "seller_gstin",
                secret: false,
                required: false,
                about: "The seller's GSTIN, sent with each manifest",
            },
            SettingSpec {
                key: "hosts",
                secret: false,
                required: false,
                about: "`base` to send every call to the account's base URL (the sandbox, a proxy) instead of Ecom Express' hosts",
            },
        ],
        default_timeout_ms: 15_000,
        // Ecom Express publishes no API limit.
        default_quota_per_second: 5.0,
        webhook_token_header: "authorization",
        webhook_signature_header: None,
        domestic: &["IN"],
        sandbox_settings: simulator::sandbox_settings,
        build: |settings| Ok(Box::new(EcomExpress::new(settings)?)),
        simulator: || Box::new(EcomExpressSimulator::new()),
    }
}

/// Ecom Express' one B2C service in the sources read: standard surface/express
/// e-commerce delivery, booked as `PPD` or `COD` by payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Standard,
}

impl Service {
    pub fn from_code(code: Option<&str>) -> Result<Service> {
        match code.map(|c| c.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("standard") | Some("express") | Some("surface") => {
                Ok(Service::Standard)
            }
            Some(_) => Err(CarrierError::Unsupported(
                "an Ecom Express service other than standard",
            )),
        }
    }

    pub fn code(self) -> &'static str {
        "standard"
    }
}

/// An Ecom Express host and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    FetchAwb,
    Manifest,
    Reverse,
    Pincode,
    Track,
    Cancel,
    Ndr,
    Label,
}

impl Endpoint {
    pub fn host(self) -> &'static str {
        match self {
            Endpoint::Track => "https://plapi.ecomexpress.in",
            Endpoint::Label => "https://shipment.ecomexpress.in",
            _ => "https://api.ecomexpress.in",
        }
    }

    pub fn path(self) -> &'static str {
        match self {
            Endpoint::FetchAwb => "/apiv2/fetch_awb/",
            Endpoint::Manifest => "/apiv2/manifest_awb/",
            Endpoint::Reverse => "/apiv2/manifest_awb_rev_v2/",
            Endpoint::Pincode => "/apiv2/pincode/",
            Endpoint::Track => "/track_me/api/mawbd/",
            Endpoint::Cancel => "/apiv2/cancel_awb/",
            Endpoint::Ndr => "/apiv2/ndr_resolutions/",
            Endpoint::Label => "/services/expp/shipping_label",
        }
    }
}

/// A series of AWBs: Ecom's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lot {
    Prepaid,
    Cod,
    Reverse,
}

impl Lot {
    pub fn code(self) -> &'static str {
        match self {
            Lot::Prepaid => "PPD",
            Lot::Cod => "COD",
            Lot::Reverse => "REV",
        }
    }
}

/// What every request of the account carries.
pub struct Account {
    pub username: Zeroizing<String>,
    pub password: Zeroizing<String>,
    pub pickup_location_code: String,
    pub seller_gstin: Option<String>,
    pub single_host: bool,
}

impl Account {
    pub fn url(&self, endpoint: Endpoint) -> String {
        crate::kit::settings::url(self.single_host, endpoint.host(), endpoint.path())
    }
}

/// The Ecom Express adapter: the account, its pool of unused AWBs and the AWB drawn per
/// shipment id.
pub struct EcomExpress {
    mapping: &'static Mapping,
    account: Account,
    pool: AwbPool,
    assigned: AssignedAwbs,
}

impl std::fmt::Debug for EcomExpress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EcomExpress")
            .field("pickup_location_code", &self.account.pickup_location_code)
            .finish_non_exhaustive()
    }
}

impl EcomExpress {
    pub fn new(settings: &Settings) -> Result<Self, String> {
        let single_host = single_host(settings, "ecomexpress")?;
        Ok(EcomExpress {
            mapping: mapping()?,
            account: Account {
                username: Zeroizing::new(setting(settings, "username")?.trim().to_string()),
                password: Zeroizing::new(setting(settings, "password")?.to_string()),
                pickup_location_code: setting(settings, "pickup_location_code")?
                    .trim()
                    .to_string(),
                seller_gstin: optional(settings, "seller_gstin"),
                single_host,
            },
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
        t.send(op, request).await
    }

    async fn fetch_series(&self, t: &dyn Transport, lot: Lot) -> Result<Vec<String>> {
        let request = fetch_awb_request(&self.account, lot)?;
        parse_fetch_awb(&self.send(t, Operation::CreateShipment, request).await?)
    }

    /// The AWB for shipment id `key`: drawn before, or the pool's next (fetching a
    /// series when the lot is empty), remembered.
    async fn awb_for(&self, t: &dyn Transport, key: &str, lot: Lot) -> Result<String> {
        self.assigned
            .draw(&self.pool, key, lot.code(), || self.fetch_series(t, lot))
            .await
    }

    fn awb_or(&self, shipment: &ShipmentRef, what: &str) -> Result<String> {
        self.assigned.known_or(shipment, "Ecom Express", what)
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

    async fn pincode(
        &self,
        t: &dyn Transport,
        op: Operation,
        pincode: &str,
    ) -> Result<Option<Pincode>> {
        let resp = self
            .send(t, op, pincode_request(&self.account, pincode)?)
            .await?;
        parse_pincode(&resp, pincode)
    }

    /// An earlier attempt's manifest for this shipment's own AWB means it is booked.
    /// Then Ecom's label: the booking stands without it (its failure is kept in
    /// `label_error` and logged; the label can be fetched again later by the AWB).
    async fn booked(
        &self,
        t: &dyn Transport,
        result: Result<()>,
        awb: &str,
    ) -> Result<CreatedShipment> {
        match result {
            Ok(()) => {}
            Err(CarrierError::Rejected { code, .. }) if code == AWB_IN_USE => {}
            Err(e) => return Err(e),
        }
        let mut created = CreatedShipment::new(awb, Service::Standard.code(), Default::default());
        let label = self
            .send(t, Operation::Label, label_request(&self.account, awb))
            .await;
        match label.and_then(|resp| parse_label(&resp)) {
            Ok(label) => created.labels.push(label),
            Err(e) => {
                tracing::warn!(carrier = ID, awb, error = %e, "Ecom Express label failed after the AWB was booked");
                created
                    .carrier_refs
                    .insert(REF_LABEL_ERROR.into(), e.to_string());
            }
        }
        Ok(created)
    }
}

#[async_trait]
impl Carrier for EcomExpress {
    fn id(&self) -> CarrierId {
        ID
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            rates: false,
            services: vec![Service::Standard.code()],
            ..domestic_capabilities(vec![LabelFormat::Pdf])
        }
    }

    /// One pincode read with the credentials: changes nothing; a wrong password is 401.
    async fn check_account(&self, t: &dyn Transport) -> Result<AccountCheck> {
        self.pincode(t, Operation::CheckAccount, CHECK_PINCODE)
            .await?;
        Ok(AccountCheck::Verified)
    }

    async fn rates(&self, _t: &dyn Transport, _req: &RateRequest) -> Result<Vec<RateQuote>> {
        Err(CarrierError::Unsupported(
            "rates (Ecom Express publishes no rate API: the tenant's rate card quotes it)",
        ))
    }

    /// Both ends through the pincode API: active, and for the payment mode (forward) or
    /// reverse pickups (a return's collection end).
    async fn serviceability(&self, t: &dyn Transport, lane: &Lane) -> Result<Serviceability> {
        let op = Operation::Serviceability;
        let reverse = lane.kind == ShipmentKind::Reverse;
        let (from, to) = (lane.pickup_pincode.as_str(), lane.delivery_pincode.as_str());
        let Some(pickup) = self.pincode(t, op, from).await?.filter(Pincode::active) else {
            return Ok(Serviceability::not(format!(
                "Ecom Express does not serve {from}"
            )));
        };
        if reverse && !pickup.reverse() {
            return Ok(Serviceability::not(format!(
                "Ecom Express does not collect reverse pickups at {from}"
            )));
        }
        let Some(drop) = self.pincode(t, op, to).await?.filter(Pincode::active) else {
            return Ok(Serviceability::not(format!(
                "Ecom Express does not deliver to {to}"
            )));
        };
        if !reverse && lane.cod && !drop.cod() {
            return Ok(Serviceability::not(format!(
                "Ecom Express does not collect cash on delivery at {to}"
            )));
        }
        if !reverse && !lane.cod && !drop.prepaid() {
            return Ok(Serviceability::not(format!(
                "Ecom Express does not deliver prepaid parcels to {to}"
            )));
        }
        Ok(Serviceability::Serviceable)
    }

    /// The manifest is built first, so a request Ecom could never take is refused before
    /// an AWB is spent; then the AWB, then the manifest.
    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment> {
        let date = today();
        forward_shipment(&self.account, shipment_id, req, "", date)?;
        let lot = match req.payment {
            Payment::Cod { .. } => Lot::Cod,
            Payment::Prepaid => Lot::Prepaid,
        };
        let awb = self.awb_for(t, shipment_id.trim(), lot).await?;
        let shipment = forward_shipment(&self.account, shipment_id, req, &awb, date)?;
        let request = manifest_request(&self.account, &shipment)?;
        let resp = self.send(t, Operation::CreateShipment, request).await?;
        self.booked(t, parse_manifest(&resp, &awb), &awb).await
    }

    async fn cancel(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<CancelOutcome> {
        let awb = self.awb_or(shipment, "cancel")?;
        let resp = self
            .send(t, Operation::Cancel, cancel_request(&self.account, &awb)?)
            .await?;
        parse_cancel(&resp, &awb)
    }

    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>> {
        let Some(awb) = self.assigned.known(shipment) else {
            return Err(CarrierError::NotSent(format!(
                "no AWB is known for shipment {}: an operator must settle it",
                shipment.shipment_id
            )));
        };
        let tracked = self.track_awb(t, Operation::Lookup, &awb).await;
        found_by_tracking(tracked, NOT_FOUND, |update| {
            CreatedShipment::new(update.awb, Service::Standard.code(), Default::default())
        })
    }

    async fn track(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let awb = self.awb_or(shipment, "track")?;
        self.track_awb(t, Operation::Track, &awb).await
    }

    /// Ecom's own PDF again, by the AWB (a label that failed at create, a booking found
    /// by lookup). Ecom renders no ZPL.
    async fn label(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        format: LabelFormat,
    ) -> Result<LabelDocument> {
        if format != LabelFormat::Pdf {
            return Err(CarrierError::Unsupported(
                "Ecom Express labels other than PDF",
            ));
        }
        let awb = self.awb_or(shipment, "label")?;
        let resp = self
            .send(t, Operation::Label, label_request(&self.account, &awb))
            .await?;
        parse_label(&resp)
    }

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
impl NdrActions for EcomExpress {
    /// Re-attempt (on a date), a new phone, a corrected address, and return to origin;
    /// every one through `ndr_resolutions`.
    fn offers(&self, _action: NdrActionKind) -> bool {
        true
    }

    async fn act(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        action: &NdrAction,
    ) -> Result<NdrOutcome> {
        let awb = self.awb_or(shipment, "instruct")?;
        let request = ndr_request(&self.account, &awb, action, today())?;
        parse_ndr(&self.send(t, Operation::NdrAction, request).await?, &awb)
    }
}

#[async_trait]
impl Returns for EcomExpress {
    fn offers_qc(&self) -> bool {
        false
    }

    /// A reverse pickup under an AWB of the `REV` series.
    async fn create_return(
        &self,
        t: &dyn Transport,
        _forward: Option<&ShipmentRef>,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment> {
        let date = today();
        reverse_document(&self.account, request, "", date)?;
        let awb = self
            .awb_for(t, request.shipment_id.trim(), Lot::Reverse)
            .await?;
        let document = reverse_document(&self.account, request, &awb, date)?;
        let http = reverse_request(&self.account, &document)?;
        let resp = self.send(t, Operation::CreateShipment, http).await?;
        self.booked(t, parse_reverse(&resp, &awb), &awb).await
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
    fn codes_and_returning_parcels() {
        assert_eq!(m().carrier(), ID);
        let delivered = resolve(m(), "999", false).unwrap();
        assert_eq!(delivered.sub_status, SubStatus::Delivered);
        let back = resolve(m(), "999", true).unwrap();
        assert_eq!(back.sub_status, SubStatus::RtoDelivered);
        // A code with no rts row keeps its own meaning on the way back.
        let lost = resolve(m(), "333", true).unwrap();
        assert_eq!(lost.sub_status, SubStatus::Lost);
        let refused = resolve(m(), "210", false).unwrap();
        assert_eq!(refused.sub_status, SubStatus::Refused);
        let cod = resolve(m(), "209", false).unwrap();
        assert_eq!(cod.sub_status, SubStatus::CodNotReady);
        assert!(resolve(m(), "12345678", false).is_none());
    }

    #[test]
    fn hosts() {
        let mut account = Account {
            username: Zeroizing::new("u".into()),
            password: Zeroizing::new("p".into()),
            pickup_location_code: "WH".into(),
            seller_gstin: None,
            single_host: false,
        };
        assert_eq!(
            account.url(Endpoint::Track),
            "https://plapi.ecomexpress.in/track_me/api/mawbd/"
        );
        account.single_host = true;
        assert_eq!(account.url(Endpoint::Cancel), "/apiv2/cancel_awb/");
    }
}
