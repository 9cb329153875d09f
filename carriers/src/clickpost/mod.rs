//! ClickPost: an Indian shipping aggregator. One ClickPost account reaches every courier
//! account the enterprise has configured in its dashboard, each named by the courier's
//! `cp_id` (ClickPost's courier partner id: 4 Delhivery, 6 Xpressbees…) and the
//! account's `account_code`. So a ClickPost "service" is a courier account, written
//! `<cp_id>:<account_code>` (`4:Delhivery Express`): quotes carry it as the service code
//! and the account code (which names the courier) as the service name, and a booking keeps
//! `cp_id`, `account_code` and, where ClickPost states it, `courier_name` among its carrier
//! refs, as Shiprocket keeps its `courier_company_id`. A booking without a service takes
//! the first courier account ClickPost's serviceability API lists for the lane.
//!
//! Facts that shape the adapter:
//! - **Authentication**: the account's `username` and API `key` in the query string of
//!   every call (marked secret; the AWB register v2 takes the key in its body). No token,
//!   no session. A wrong key is ClickPost's `meta.status` 301 inside HTTP 200, read as
//!   `unauthorized`.
//! - **Errors inside HTTP 200**: every answer is `{"meta": {"status", "success",
//!   "message"}, "result"}` and `meta.status` is ClickPost's own code (see [`parse`]).
//! - **Create v3 is asynchronous for some couriers**: `102` ("We are processing your
//!   order") means ClickPost queued the order; asking again with the same
//!   `reference_number` (shipgate's shipment id) says what became of it: `200`/`323`
//!   placed, `319` the courier refused. The adapter asks at most [`PROCESSING_POLLS`]
//!   more times through the lookup call; an order still processing then is an outcome
//!   not yet known ([`CarrierError::BadResponse`], which may have happened), so the
//!   gateway leaves the shipment `pending_confirmation` and its reconciler's
//!   [`Carrier::lookup`] settles it later. `323` ("You have already placed this order")
//!   is the booking an earlier, lost call made: its AWB is taken, nothing is booked again.
//! - **Lookup**: `GET /api/v3/create-order/?reference_number=<shipment id>` (ClickPost's
//!   "fetch AWB for manifested order"), answered as create answers: placed is the
//!   booking, `102` an outcome still unknown (an error), `319` or not found `None`.
//! - **Labels**: ClickPost returns the courier's own label as a link (S3), downloaded
//!   through the same [`Transport`] without the credentials; never redrawn. A label that
//!   fails after the AWB exists is `label_error` in the carrier refs, and
//!   [`Carrier::label`] fetches it later (through the lookup when the link is unknown).
//! - **Tracking**: `GET /api/v2/track-order/?waybill=&cp_id=`; scans carry ClickPost's
//!   unified `clickpost_status_code` (mapped in `mappings/clickpost.toml`), its bucket, the
//!   courier's own text, and zone-less IST times (`2018-03-16 18:56:00`); the latest NDR
//!   reason comes as `additional.ndr.ndr_bucket_code`.
//! - **Pushes** (ClickPost "webhooks", all-events or selected-events): one JSON object per
//!   scan, posted with the header `webhook_key: <the key ClickPost issued when the
//!   webhook was registered>`, which the gateway's token-header check covers
//!   (`webhook_token_header` below); ClickPost does not sign pushes, so there is no HMAC.
//!   Failed deliveries carry `additional.ndr_status_code` (ClickPost's unified NDR table),
//!   read into the `delivery_failed` sub-statuses with the raw reason kept in
//!   `ndr_reason`. Push times are ISO, with `Z` or zone-less (then IST). The newer pushes
//!   repeat the order's `reference_number` in `additional.latest_status`. Commas that
//!   close nothing are forgiven (ClickPost's own published samples carry them); a push
//!   with no waybill (a Returns-platform "return order placed" before any AWB) names no
//!   shipment and is refused.
//! - **NDR actions**: the NDR Action Update API (`/api/v1/ndr_user_feedback/?cp_id=`)
//!   takes the courier's acts: `RE-ATTEMPT`, `DEFER_DLV` with a date, `EDIT_DETAILS` with a
//!   new address or phone, answered with the courier's reference (`cp_response`). ClickPost
//!   documents a v2 with `INITIATE_RTO` too, but no source gives its URL, so a return to
//!   origin is not offered.
//! - **Reverse pickups**: create v3 with `delivery_type: RVP`, picked up at the buyer; no
//!   doorstep QC (ClickPost passes QC only to some couriers, undocumented).
//! - **Pickups**: the Pickup Request API asks the courier of the shipments (`cp_id`) to
//!   collect at an address; ClickPost keeps no pickup-location registry (the pickup
//!   address goes with each order and each pickup request) and has no pickup cancel.
//! - **AWB register**: [`ClickPost::register_awb`] makes ClickPost track an AWB booked
//!   outside it (v2 `tracking/awb-register`), so its scans come back through the same
//!   tracking and pushes.
//! - **AWBs** come from the courier through ClickPost at create; no series is pre-fetched
//!   (create v3's `additional.awb_number`, for an enterprise holding its own series, is not
//!   used), so a lost create is found by reference, not by a pre-allocated AWB.
//! - **E-way bills** go in create v3's `gst_info.ewaybill_serial_number`; shipgate's
//!   request carries no e-way bill number yet, so none is sent.
//! - No manifest, COD remittance or weight API is documented: those families are absent.
//! - Units: create in grams and centimetres, serviceability in kilograms; money in rupees
//!   (INR) as JSON numbers. ClickPost publishes no rate limit; [`spec`] keeps 5/s.

pub mod parse;
pub mod requests;
mod simulator;
mod simulator_ops;
pub mod wire;

use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use zeroize::Zeroizing;

use crate::carrier::{
    AccountCheck, Capabilities, Carrier, CarrierId, CarrierSpec, Operation, SettingSpec, Settings,
    Transport, setting,
};
use crate::error::CarrierError;
use crate::families::{
    NdrAction, NdrActionKind, NdrActions, NdrOutcome, PickupLocation, PickupRequest, Pickups,
    RegisteredLocation, ReturnRequest, Returns, ScheduledPickup,
};
use crate::kit::adapter::{Result, domestic_capabilities, location_kept_by_shipgate};
use crate::kit::lenient::trimmed;
use crate::kit::memory::Memory;
use crate::kit::tracking::stored_awb;
use crate::schema::{
    CancelOutcome, CreatedShipment, LabelDocument, LabelFormat, Lane, PushedUpdate, RateQuote,
    RateRequest, Serviceability, ShipmentKind, ShipmentRef, ShipmentRequest, TrackingUpdate,
};
use crate::wire::HttpResponse;

pub use parse::*;
pub use requests::*;
pub use simulator::{ClickPostSimulator, SANDBOX_KEY, SANDBOX_USERNAME};

pub const ID: CarrierId = "clickpost";

crate::embedded_mapping!("clickpost.toml");

/// How many more times an order ClickPost answered `102` is asked after at create.
pub const PROCESSING_POLLS: usize = 2;

/// The courier account each booking in this process asked for, so a lookup after a lost
/// answer can name it (ClickPost's answer names the courier at best, never the account).
const ASKED_TTL: Duration = Duration::from_secs(24 * 3600);
const ASKED_MAX: usize = 8192;

/// The lane an account check asks about: only whether ClickPost answers the key matters.
const CHECK_PINCODE: &str = "110001";

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: ID,
        name: "ClickPost",
        live_base_url: "https://www.clickpost.in",
        settings: &[
            // Secret too: with the key it is the login, and it names the account.
            SettingSpec {
                key: "username",
                secret: true,
                required: true,
                about: "The ClickPost username given with the API key",
            },
            SettingSpec {
                key: "api_key",
                secret: true,
                required: true,
                about: "The ClickPost API (licence) key",
            },
        ],
        // Create waits for the courier's own API behind ClickPost: seconds, not
        // milliseconds.
        default_timeout_ms: 15_000,
        // ClickPost publishes no limit; 5/s is a conservative ceiling.
        default_quota_per_second: 5.0,
        // ClickPost's webhook posts carry the key it issued at webhook registration in
        // this header (Slate docs, "Webhook Payload Header").
        webhook_token_header: "webhook_key",
        webhook_signature_header: None,
        domestic: &["IN"],
        sandbox_settings: || {
            Settings::from([
                ("username".to_string(), SANDBOX_USERNAME.to_string()),
                ("api_key".to_string(), SANDBOX_KEY.to_string()),
            ])
        },
        build: |settings| Ok(Box::new(ClickPost::new(settings)?)),
        simulator: || Box::new(ClickPostSimulator::new()),
    }
}

/// The ClickPost adapter: the credentials (wiped from memory when the adapter goes) and
/// the courier account each booking of this process asked for.
pub struct ClickPost {
    username: Zeroizing<String>,
    key: Zeroizing<String>,
    mapping: &'static crate::mapping::Mapping,
    asked: Memory<CourierAccount>,
}

impl std::fmt::Debug for ClickPost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the username or key.
        f.debug_struct("ClickPost").finish_non_exhaustive()
    }
}

impl ClickPost {
    /// Builds from settings `username` and `api_key`.
    pub fn new(settings: &Settings) -> Result<Self, String> {
        Ok(ClickPost {
            username: Zeroizing::new(setting(settings, "username")?.trim().to_string()),
            key: Zeroizing::new(setting(settings, "api_key")?.trim().to_string()),
            mapping: mapping()?,
            asked: Memory::new(ASKED_TTL, ASKED_MAX),
        })
    }

    fn credentials(&self) -> Credentials<'_> {
        Credentials {
            username: &self.username,
            key: &self.key,
        }
    }

    pub fn mapping(&self) -> &'static crate::mapping::Mapping {
        self.mapping
    }

    /// The courier accounts serving `lane`, in ClickPost's order.
    async fn lane(
        &self,
        t: &dyn Transport,
        op: Operation,
        lane: &Lane,
    ) -> Result<(Serviceability, Vec<CourierAccount>)> {
        let request = serviceability_request(self.credentials(), lane)?;
        parse_serviceability_response(&t.send(op, request).await?, lane)
    }

    /// The courier account a booking goes to: the service asked for, else the first
    /// account ClickPost lists for its lane.
    async fn account_for(
        &self,
        t: &dyn Transport,
        req: &ShipmentRequest,
    ) -> Result<CourierAccount> {
        if let Some(service) = trimmed(req.service.as_deref()) {
            return CourierAccount::parse(service);
        }
        let (verdict, accounts) = self
            .lane(t, Operation::CreateShipment, &lane_of(req))
            .await?;
        match (verdict, accounts.into_iter().next()) {
            (_, Some(first)) => Ok(first),
            (Serviceability::NotServiceable { reason }, None) => {
                Err(CarrierError::rejected("not_serviceable", reason, 200))
            }
            (Serviceability::Serviceable, None) => Err(CarrierError::bad_response(
                "ClickPost called the lane serviceable but listed no account",
            )),
        }
    }

    /// Books `req` under `shipment_id` with `account`: create v3, then the processing
    /// polls, then the label.
    async fn book(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
        account: CourierAccount,
    ) -> Result<CreatedShipment> {
        self.asked.put(shipment_id, account.clone());
        let draft = OrderDraft {
            shipment_id,
            request: req,
            account: &account,
            now: Utc::now(),
        };
        let request = create_request(self.credentials(), draft)?;
        let mut placed = parse_create_response(&t.send(Operation::CreateShipment, request).await?)?;
        for _ in 0..PROCESSING_POLLS {
            if !matches!(placed, Placed::Processing { .. }) {
                break;
            }
            // The order is known to ClickPost now: its answer is create's (319 with the
            // courier's reason when the courier refused it meanwhile).
            let request = lookup_request(self.credentials(), shipment_id);
            placed = parse_create_response(&t.send(Operation::CreateShipment, request).await?)?;
        }
        match placed {
            Placed::Booked(booking) => Ok(self.finish(t, &booking, Some(&account)).await),
            Placed::Processing { order_id } => Err(still_processing(shipment_id, order_id)),
        }
    }

    /// A placed order as shipgate keeps it, with the courier's label downloaded. The AWB
    /// is booked whatever happens to the label.
    async fn finish(
        &self,
        t: &dyn Transport,
        booking: &Booking,
        account: Option<&CourierAccount>,
    ) -> CreatedShipment {
        let mut created = booking.created(account);
        if let Some(url) = &booking.label_url {
            match self.download(t, url).await {
                Ok(label) => created.labels.push(label),
                Err(e) => {
                    tracing::warn!(awb = %booking.awb, error = %e, "ClickPost label failed after the AWB was booked");
                    created
                        .carrier_refs
                        .insert("label_error".into(), e.to_string());
                }
            }
        } else {
            let missing = "ClickPost named no label link";
            created
                .carrier_refs
                .insert("label_error".into(), missing.into());
        }
        created
    }

    async fn download(&self, t: &dyn Transport, url: &str) -> Result<LabelDocument> {
        let pdf = t
            .send(Operation::Label, label_download_request(url))
            .await?;
        Ok(LabelDocument {
            format: LabelFormat::Pdf,
            content: parse_label_download(&pdf)?,
        })
    }

    /// The courier account a booked shipment is with: its refs, else what this process
    /// asked for.
    fn account_of(&self, shipment: &ShipmentRef) -> Option<CourierAccount> {
        CourierAccount::of_refs(&shipment.carrier_refs)
            .or_else(|| self.asked.get(&shipment.shipment_id))
    }

    /// The courier (`cp_id`) of a booked shipment: its account, else the `cp_id` alone
    /// (a booking found by lookup in another process: ClickPost names the courier only).
    fn cp_id_of(&self, shipment: &ShipmentRef) -> Option<u32> {
        let account = self.account_of(shipment).map(|a| a.cp_id);
        account.or_else(|| shipment.carrier_refs.get("cp_id")?.trim().parse().ok())
    }

    /// The AWB and courier to act on.
    fn booked(&self, shipment: &ShipmentRef) -> Result<(String, u32)> {
        let awb =
            stored_awb(shipment).ok_or_else(|| CarrierError::NotSent("no AWB to act on".into()))?;
        let cp_id = self.cp_id_of(shipment).ok_or_else(|| {
            CarrierError::NotSent("the courier of this ClickPost booking (cp_id) is unknown".into())
        })?;
        Ok((awb.to_string(), cp_id))
    }

    /// Makes ClickPost track `awb`, booked with `account` outside ClickPost, under
    /// `reference`: its scans then come back through tracking and pushes like a booking's.
    pub async fn register_awb(
        &self,
        t: &dyn Transport,
        awb: &str,
        account: &CourierAccount,
        reference: &str,
        lane: &Lane,
    ) -> Result<AwbRegistered> {
        let request = awb_register_request(&self.key, awb, account, reference, lane)?;
        parse_awb_register_response(&t.send(Operation::Track, request).await?)
    }
}

/// An order ClickPost is still processing: the outcome is not known yet, so the error is
/// one that may have happened (the gateway reconciles by lookup, never books again).
fn still_processing(shipment_id: &str, order_id: Option<String>) -> CarrierError {
    CarrierError::bad_response(format!(
        "ClickPost is still processing order {} (reference {shipment_id}, meta.status 102): \
         the courier has not answered yet",
        order_id.as_deref().unwrap_or("?")
    ))
}

#[async_trait]
impl Carrier for ClickPost {
    fn id(&self) -> CarrierId {
        ID
    }

    fn capabilities(&self) -> Capabilities {
        domestic_capabilities(vec![LabelFormat::Pdf])
    }

    /// ClickPost's webhook (JSON; the content type is not relied on).
    fn parse_webhook(
        &self,
        _headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<PushedUpdate>> {
        parse_pushes(self.mapping, body)
    }

    /// The courier's PDF: the link kept at booking, else the one the lookup names.
    async fn label(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        format: LabelFormat,
    ) -> Result<LabelDocument> {
        if format != LabelFormat::Pdf {
            return Err(CarrierError::Unsupported(
                "a ClickPost label other than PDF",
            ));
        }
        let url = match shipment.carrier_refs.get("label_url") {
            Some(url) => url.clone(),
            None => {
                let request = lookup_request(self.credentials(), &shipment.shipment_id);
                match parse_lookup_response(&t.send(Operation::Label, request).await?)? {
                    Some(Placed::Booked(Booking {
                        label_url: Some(url),
                        ..
                    })) => url,
                    _ => {
                        return Err(CarrierError::rejected(
                            "label_unavailable",
                            "ClickPost names no label for this order",
                            200,
                        ));
                    }
                }
            }
        };
        self.download(t, &url).await
    }

    /// One serviceability read (no booking, no charge): answered, the key is good; a wrong
    /// one is ClickPost's 301 "Authentication Failed".
    async fn check_account(&self, t: &dyn Transport) -> Result<AccountCheck> {
        let lane = Lane {
            pickup_pincode: CHECK_PINCODE.into(),
            delivery_pincode: CHECK_PINCODE.into(),
            cod: false,
            kind: ShipmentKind::Forward,
        };
        self.lane(t, Operation::CheckAccount, &lane).await?;
        Ok(AccountCheck::Verified)
    }

    async fn rates(&self, t: &dyn Transport, req: &RateRequest) -> Result<Vec<RateQuote>> {
        if req.from.country != "IN" || req.to.country != "IN" {
            return Ok(Vec::new());
        }
        let request = rate_request(self.credentials(), req)?;
        let cod = matches!(req.payment, crate::schema::Payment::Cod { .. });
        parse_rate_response(&t.send(Operation::Rates, request).await?, cod)
    }

    async fn serviceability(&self, t: &dyn Transport, lane: &Lane) -> Result<Serviceability> {
        Ok(self.lane(t, Operation::Serviceability, lane).await?.0)
    }

    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment> {
        crate::kit::adapter::domestic_piece(req, "IN")?;
        let account = self.account_for(t, req).await?;
        self.book(t, shipment_id, req, account).await
    }

    async fn cancel(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<CancelOutcome> {
        let (awb, cp_id) = self.booked(shipment)?;
        let account = self.account_of(shipment);
        let code = account.as_ref().map(|a| a.account_code.as_str());
        let request = cancel_request(self.credentials(), &awb, cp_id, code);
        parse_cancel_response(&t.send(Operation::Cancel, request).await?)
    }

    /// See the module docs, "Lookup".
    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>> {
        let Some(reference) = trimmed(Some(&shipment.shipment_id)) else {
            return Err(CarrierError::NotSent(
                "no shipment id to look the ClickPost order up by".into(),
            ));
        };
        let request = lookup_request(self.credentials(), reference);
        let found = parse_lookup_response(&t.send(Operation::Lookup, request).await?)?;
        match found {
            None => Ok(None),
            Some(Placed::Processing { order_id }) => Err(still_processing(reference, order_id)),
            Some(Placed::Booked(booking)) => {
                let account = self.account_of(shipment);
                if account.is_none() {
                    tracing::warn!(reference, awb = %booking.awb, "the found ClickPost order's account_code is unknown: its cancel names the courier only");
                }
                Ok(Some(self.finish(t, &booking, account.as_ref()).await))
            }
        }
    }

    async fn track(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let (awb, cp_id) = self.booked(shipment)?;
        let request = track_request(self.credentials(), &awb, cp_id);
        let resp: HttpResponse = t.send(Operation::Track, request).await?;
        parse_track_response(self.mapping, &awb, &resp)
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
impl NdrActions for ClickPost {
    /// Re-attempt (on a date too), new phone or address; no return to origin.
    fn offers(&self, action: NdrActionKind) -> bool {
        action != NdrActionKind::Rto
    }

    async fn act(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        action: &NdrAction,
    ) -> Result<NdrOutcome> {
        let (awb, cp_id) = self.booked(shipment)?;
        let request = ndr_request(self.credentials(), &awb, cp_id, action)?;
        parse_ndr_response(&t.send(Operation::NdrAction, request).await?)
    }
}

#[async_trait]
impl Returns for ClickPost {
    fn offers_qc(&self) -> bool {
        false
    }

    /// Create v3 as `RVP` with the return's service, else the forward shipment's courier
    /// account when it picks up reverse parcels on the lane, else the first account that
    /// does.
    async fn create_return(
        &self,
        t: &dyn Transport,
        forward: Option<&ShipmentRef>,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment> {
        if request.qc.is_some() {
            return Err(CarrierError::Unsupported(
                "a doorstep quality check through ClickPost",
            ));
        }
        let order_ref = forward.map_or(request.shipment_id.as_str(), |f| f.order_ref.as_str());
        let shipment = return_as_shipment(request, order_ref);
        let account = match trimmed(request.service.as_deref()) {
            Some(service) => CourierAccount::parse(service)?,
            None => {
                let (verdict, accounts) = self
                    .lane(t, Operation::CreateShipment, &lane_of(&shipment))
                    .await?;
                let same = forward.and_then(|f| self.account_of(f));
                match same
                    .filter(|a| accounts.contains(a))
                    .or_else(|| accounts.into_iter().next())
                {
                    Some(account) => account,
                    None => {
                        let reason = match verdict {
                            Serviceability::NotServiceable { reason } => reason,
                            Serviceability::Serviceable => {
                                "no ClickPost account picks up returns here".into()
                            }
                        };
                        return Err(CarrierError::rejected("not_serviceable", reason, 200));
                    }
                }
            }
        };
        self.book(t, &request.shipment_id, &shipment, account).await
    }
}

#[async_trait]
impl Pickups for ClickPost {
    /// ClickPost keeps no pickup locations: the address goes with each request.
    async fn register_location(
        &self,
        _: &dyn Transport,
        location: &PickupLocation,
    ) -> Result<RegisteredLocation> {
        Ok(location_kept_by_shipgate(location))
    }

    /// The Pickup Request API for the courier of the shipments (one courier per request:
    /// ClickPost asks one courier partner to come).
    async fn schedule(
        &self,
        t: &dyn Transport,
        request: &PickupRequest,
    ) -> Result<ScheduledPickup> {
        let mut couriers = request
            .shipments
            .iter()
            .map(|s| self.account_of(s).map(|a| a.cp_id));
        let first = couriers
            .next()
            .ok_or(CarrierError::Unsupported(
                "a ClickPost pickup without shipments (it names the courier)",
            ))?
            .ok_or_else(|| {
                CarrierError::NotSent("the courier of a shipment to collect is unknown".into())
            })?;
        if couriers.any(|c| c != Some(first)) {
            return Err(CarrierError::Unsupported(
                "one ClickPost pickup for parcels of different couriers (schedule one per courier)",
            ));
        }
        let http = pickup_request(self.credentials(), request, first)?;
        parse_pickup_response(&t.send(Operation::Pickup, http).await?, request.date)
    }

    async fn cancel(&self, _: &dyn Transport, _: &ScheduledPickup) -> Result<CancelOutcome> {
        Err(CarrierError::Unsupported(
            "cancelling a ClickPost pickup request",
        ))
    }
}
