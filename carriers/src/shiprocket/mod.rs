//! Shiprocket: an Indian shipping aggregator. One account reaches some thirty couriers
//! (Delhivery, Blue Dart, Xpressbees, Ecom Express, Amazon Shipping…), so a Shiprocket
//! "service" is a courier: rate quotes carry Shiprocket's `courier_company_id` as the
//! service code, and booking with that code asks for that courier (no code lets the
//! account's courier-priority rules choose).
//!
//! Why this adapter looks the way it does:
//!
//! - **Bearer token with a life of its own.** Every call needs a token from
//!   `POST /v1/external/auth/login`. It lives ten days; the kit's [`Session`] reuses it for
//!   nine, logs in once for all concurrent calls, and on a 401 (Shiprocket did not execute
//!   the call) logs in again and repeats that one call once — safe even for bookings.
//! - **Booking is three calls.** `orders/create/adhoc` creates an order and a shipment,
//!   `courier/assign/awb` allocates the AWB, `courier/generate/label` renders the label to
//!   an S3 link that is then downloaded through the same [`Transport`] (without the
//!   token: it is a public link on another host). A failure between the calls must not
//!   lose what already exists at Shiprocket, see [`Shiprocket::create_shipment`] below.
//! - **Errors hide inside HTTP 200** (`label_created: 0`, `{"status": 404, …}`, `{}` for
//!   an unknown AWB) as often as they come as a 4xx with `message` / `errors` /
//!   `status_code`. All of them become [`CarrierError::Rejected`] with Shiprocket's code;
//!   a 5xx is [`CarrierError::Upstream`] whatever its body says.
//! - **Three overlapping status-id tables** (order, shipment, tracking) are kept apart in
//!   `mappings/shiprocket.toml`; each payload field is read against its own table.
//!
//! ## Partial bookings
//!
//! The order is shipgate's shipment id sent as Shiprocket's `order_id` (the "channel
//! order id"), so the order can always be found in the Shiprocket panel by the id the OMS
//! sees. After step 1 the adapter remembers the Shiprocket order per shipment id; when
//! step 2 fails, the error names the Shiprocket order and shipment, and calling
//! `create_shipment` again with the same shipment id continues at step 2 instead of
//! creating a second order. `cancel` of such a shipment (no AWB yet) cancels the order.
//! Once the AWB exists the booking has happened: a label that cannot be generated or
//! downloaded then no longer fails the create; the shipment comes back without labels and
//! with `label_error` in its carrier refs, and [`Shiprocket::label`] fetches it later.
//!
//! ## Lookup after an unknown outcome
//!
//! [`Carrier::lookup`] searches the orders by channel order id
//! (`GET /v1/external/orders?search=<shipment id>`), which any gateway process can do, and
//! falls back on this process's memory of partial bookings when the search does not (yet)
//! list the order. What it finds decides the answer:
//! - no order: `None`, nothing was booked;
//! - an order with an AWB: that booking (courier id from tracking by shipment id, label
//!   generated and downloaded as at create, except for a cancelled order);
//! - an order without an AWB, when the courier asked for is known (the gateway's
//!   `carrier_refs["courier_company_id"]`, or this process's memory of the create): the
//!   booking is *finished* — AWB assigned to that order's shipment with that courier,
//!   label fetched — and returned. Finishing the existing order cannot make a second one;
//! - an order without an AWB whose courier is unknown (step 1's answer was lost, so only
//!   the request knows it): `None`, and the order is remembered, so booking again
//!   (`create_shipment` with the same shipment id, which the gateway's reconciler does
//!   right after the lookup, on this adapter) continues it at step 2 with the request's
//!   courier instead of creating an order. Assigning blind would let the account's
//!   rules pick a courier the OMS may not have chosen. Should the re-booking run in
//!   another process, Shiprocket still keeps one order per channel order id (its docs:
//!   an existing `order_id` "does not change or affect the existing order");
//! - an order without an AWB whose AWB Shiprocket refuses while finishing (no courier
//!   serves it…): `None` too, remembered the same way; booking again meets the same
//!   refusal and reports it, where a lookup error would only be retried;
//! - a cancelled order without an AWB: `None`, it will never carry one (booking again
//!   is refused: Shiprocket takes no new order under a cancelled order's id).

mod simulator;
pub mod wire;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::Utc;
use serde::Deserialize;
use serde_json::Value;

use crate::carrier::{
    Capabilities, Carrier, CarrierId, CarrierSpec, Operation, Settings, Transport, setting,
};
use crate::error::CarrierError;
use crate::kit::session::{Login, Session, Token};
use crate::kit::time::IST_OFFSET;
use crate::mapping::{Mapping, MappingError};
use crate::schema::{
    CancelOutcome, CreatedShipment, LabelDocument, LabelFormat, Lane, PushedUpdate, RateQuote,
    RateRequest, Serviceability, ShipmentKind, ShipmentRef, ShipmentRequest, TrackingEvent,
    TrackingUpdate, read_pushes,
};
use crate::taxonomy::{Status, Unified};
use crate::wire::{HttpRequest, HttpResponse};

pub use simulator::{
    SANDBOX_EMAIL, SANDBOX_PASSWORD, SANDBOX_PICKUP_LOCATION, ShiprocketSimulator,
};
use wire::{
    AssignedAwb, CreatedOrder, IST, LabelLink, Loose, OrderDraft, ShiprocketAssignAwbRequest,
    ShiprocketAssignAwbResponse, ShiprocketCancelAwbsRequest, ShiprocketCancelOrdersRequest,
    ShiprocketErrorBody, ShiprocketLabelRequest, ShiprocketLabelResponse, ShiprocketLoginRequest,
    ShiprocketLoginResponse, ShiprocketOrderRequest, ShiprocketOrderResponse,
    ShiprocketOrdersResponse, ShiprocketServiceabilityRequest, ShiprocketServiceabilityResponse,
    ShiprocketTrackActivity, ShiprocketTrackingData, ShiprocketWebhook,
};

pub use wire::CARRIER_ID;

const MAPPING_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../mappings/shiprocket.toml"
));

/// Mapping tables, one per kind of Shiprocket code (see the TOML's header).
pub const KIND_ORDER_STATUS: &str = "order_status";
pub const KIND_SHIPMENT_STATUS: &str = "shipment_status";
pub const KIND_SR_STATUS: &str = "sr_status";
pub const KIND_SR_STATUS_LABEL: &str = "sr_status_label";

pub const PATH_LOGIN: &str = "/v1/external/auth/login";
pub const PATH_SERVICEABILITY: &str = "/v1/external/courier/serviceability/";
pub const PATH_CREATE_ORDER: &str = "/v1/external/orders/create/adhoc";
pub const PATH_ASSIGN_AWB: &str = "/v1/external/courier/assign/awb";
pub const PATH_GENERATE_LABEL: &str = "/v1/external/courier/generate/label";
pub const PATH_CANCEL_AWBS: &str = "/v1/external/orders/cancel/shipment/awbs";
pub const PATH_CANCEL_ORDERS: &str = "/v1/external/orders/cancel";
pub const PATH_TRACK_AWB: &str = "/v1/external/courier/track/awb/";
pub const PATH_TRACK_SHIPMENT: &str = "/v1/external/courier/track/shipment/";
pub const PATH_ORDERS: &str = "/v1/external/orders";

/// Partial bookings are remembered this long, and at most this many (a process that keeps
/// failing between step 1 and 2 must not grow without bound).
const PENDING_TTL: Duration = Duration::from_secs(24 * 3600);
const PENDING_MAX: usize = 4096;

/// The embedded status mapping, parsed strictly.
pub fn mapping() -> Result<Mapping, MappingError> {
    Mapping::parse(CARRIER_ID, MAPPING_TOML)
}

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: CARRIER_ID,
        name: "Shiprocket",
        live_base_url: "https://apiv2.shiprocket.in",
        required_settings: &["email", "password", "pickup_location"],
        // Booking calls take seconds, not milliseconds; 15 s lets a slow create finish
        // without letting a hung one hold the caller for long.
        default_timeout_ms: 15_000,
        // Shiprocket publishes no limit for these APIs; 10/s is a conservative ceiling.
        default_quota_per_second: 10.0,
        // The panel's optional "security token" arrives as `x-api-key` (API docs,
        // Webhooks section).
        webhook_token_header: "x-api-key",
        sandbox_settings,
        build,
        simulator: || Box::new(ShiprocketSimulator::new()),
    }
}

fn sandbox_settings() -> Settings {
    Settings::from([
        ("email".to_string(), SANDBOX_EMAIL.to_string()),
        ("password".to_string(), SANDBOX_PASSWORD.to_string()),
        (
            "pickup_location".to_string(),
            SANDBOX_PICKUP_LOCATION.to_string(),
        ),
    ])
}

fn build(settings: &Settings) -> Result<Box<dyn Carrier>, String> {
    Ok(Box::new(Shiprocket::new(settings)?))
}

/// How long a Shiprocket token lives (its login answer does not say): 240 hours.
pub const TOKEN_LIFE: Duration = Duration::from_secs(10 * 24 * 3600);

/// The Shiprocket adapter. Holds credentials, the login session and the partial bookings.
pub struct Shiprocket {
    mapping: Mapping,
    email: String,
    pickup_location: String,
    session: Session,
    pending: Mutex<HashMap<String, Pending>>,
}

/// A booking that got past step 1: the order exists at Shiprocket.
#[derive(Debug, Clone)]
struct Pending {
    order: CreatedOrder,
    /// The courier asked for, so a lookup that finishes the booking assigns the same one.
    courier: Courier,
    since: Instant,
}

/// The courier a booking asked for, as far as this process knows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Courier {
    /// Asked for at create: a `courier_company_id`, or none for the account's rules.
    Asked(Option<String>),
    /// The order was found by a lookup, not created here: only the request knows.
    Unknown,
}

impl std::fmt::Debug for Shiprocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password, never the token.
        f.debug_struct("Shiprocket")
            .field("email", &self.email)
            .field("pickup_location", &self.pickup_location)
            .finish_non_exhaustive()
    }
}

impl Shiprocket {
    /// Builds the adapter from `email`, `password` and `pickup_location` (the nickname of
    /// a pickup address registered in the Shiprocket panel).
    pub fn new(settings: &Settings) -> Result<Self, String> {
        let mapping = mapping().map_err(|e| format!("mappings/shiprocket.toml: {e}"))?;
        Ok(Shiprocket {
            mapping,
            email: setting(settings, "email")?.trim().to_string(),
            pickup_location: setting(settings, "pickup_location")?.trim().to_string(),
            session: Session::new(
                ShiprocketLogin {
                    email: setting(settings, "email")?.trim().to_string(),
                    password: setting(settings, "password")?.to_string(),
                },
                TOKEN_LIFE,
            ),
            pending: Mutex::new(HashMap::new()),
        })
    }

    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// Translates a tracking push (`POST /v1/carriers/shiprocket/webhooks`).
    pub fn parse_webhook(&self, body: &[u8]) -> Result<TrackingUpdate, CarrierError> {
        parse_webhook(&self.mapping, body)
    }

    /// Generates (or re-generates) the Shiprocket label of a booked shipment and downloads
    /// the PDF: for a booking whose label failed at create time (`label_error`).
    pub async fn label(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<LabelDocument, CarrierError> {
        let shipment_id = shipment.carrier_refs.get("shipment_id").ok_or_else(|| {
            CarrierError::NotSent("no Shiprocket shipment_id among the carrier refs".into())
        })?;
        let (_, pdf) = self.fetch_label(t, shipment_id).await?;
        Ok(LabelDocument {
            format: LabelFormat::Pdf,
            content: pdf,
        })
    }

    /// Sends `request` through the session (see the module docs); a token refused twice
    /// is Shiprocket's refusal.
    async fn send_authed(
        &self,
        t: &dyn Transport,
        op: Operation,
        request: HttpRequest,
    ) -> Result<HttpResponse, CarrierError> {
        let resp = self.session.send(t, op, request).await?;
        if resp.status == 401 {
            return Err(error_from_status(&resp));
        }
        Ok(resp)
    }

    async fn fetch_label(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
    ) -> Result<(String, Vec<u8>), CarrierError> {
        let resp = self
            .send_authed(t, Operation::Label, label_request(shipment_id)?)
            .await?;
        let LabelLink(url) = parse_label_link(&resp)?;
        let pdf = t
            .send(Operation::Label, label_download_request(&url))
            .await?;
        Ok((url, parse_label_pdf(&pdf)?))
    }

    /// Step 2 with its one recovery: "cannot reassign" means an earlier attempt did get an
    /// AWB (its answer was lost); the shipment's tracking names it.
    async fn assign_awb(
        &self,
        t: &dyn Transport,
        order: &CreatedOrder,
        courier_id: Option<&str>,
    ) -> Result<AssignedAwb, CarrierError> {
        let resp = self
            .send_authed(
                t,
                Operation::CreateShipment,
                assign_awb_request(&order.shipment_id, courier_id)?,
            )
            .await?;
        match parse_awb_assigned(&resp) {
            Err(CarrierError::Rejected {
                code,
                message,
                http_status,
            }) if http_status == 400 && message.to_ascii_lowercase().contains("reassign") => {
                match self.recover_awb(t, &order.shipment_id).await {
                    Some(awb) => {
                        tracing::info!(shipment_id = %order.shipment_id, awb = %awb.awb, "recovered the AWB of an earlier assign attempt");
                        Ok(awb)
                    }
                    None => Err(CarrierError::Rejected {
                        code,
                        message,
                        http_status,
                    }),
                }
            }
            other => other,
        }
    }

    async fn recover_awb(&self, t: &dyn Transport, shipment_id: &str) -> Option<AssignedAwb> {
        let req = track_shipment_request(shipment_id).ok()?;
        let resp = self.send_authed(t, Operation::Lookup, req).await.ok()?;
        let data = tracking_data(&resp, None).ok()??;
        let track = data.first_track()?;
        Some(AssignedAwb {
            awb: track.awb_code.as_ref()?.known()?.to_string(),
            courier_company_id: track
                .courier_company_id
                .as_ref()
                .and_then(Loose::known)
                .map(str::to_string),
            courier_name: None,
            routing_code: None,
        })
    }

    /// Steps 2 and 3 for an order that exists: the AWB unless the order has one, then the
    /// label (skipped with `with_label` false). Shared by create and by a lookup that
    /// finds a half-made booking, so both finish it the same way.
    async fn finish_booking(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        mut order: CreatedOrder,
        courier_id: Option<String>,
        with_label: bool,
    ) -> Result<CreatedShipment, CarrierError> {
        // Step 2: the AWB. From here on a failure leaves an order behind at Shiprocket, so
        // the error says which one.
        let awb = match order.awb.clone() {
            Some(awb) => awb,
            None => {
                let awb = self
                    .assign_awb(t, &order, courier_id.as_deref())
                    .await
                    .map_err(|e| annotate(e, &partial_booking_note(shipment_id, &order)))?;
                order.awb = Some(awb.clone());
                self.remember(shipment_id, &order, Courier::Asked(courier_id.clone()));
                awb
            }
        };

        // Step 3: the label. The AWB is booked whatever happens here.
        let mut carrier_refs = BTreeMap::from([
            ("order_id".to_string(), order.order_id.clone()),
            ("shipment_id".to_string(), order.shipment_id.clone()),
            ("channel_order_id".to_string(), shipment_id.to_string()),
        ]);
        if let Some(id) = &awb.courier_company_id {
            carrier_refs.insert("courier_company_id".into(), id.clone());
        }
        if let Some(name) = &awb.courier_name {
            carrier_refs.insert("courier_name".into(), name.clone());
        }
        let labels = if !with_label {
            Vec::new()
        } else {
            match self.fetch_label(t, &order.shipment_id).await {
                Ok((url, pdf)) => {
                    carrier_refs.insert("label_url".into(), url);
                    vec![LabelDocument {
                        format: LabelFormat::Pdf,
                        content: pdf,
                    }]
                }
                Err(e) => {
                    tracing::warn!(shipment_id, awb = %awb.awb, error = %e, "Shiprocket label failed after the AWB was booked");
                    carrier_refs.insert("label_error".into(), e.to_string());
                    Vec::new()
                }
            }
        };
        self.forget(shipment_id);
        Ok(CreatedShipment {
            service: awb
                .courier_company_id
                .clone()
                .or(courier_id)
                .unwrap_or_default(),
            awb: awb.awb,
            carrier_refs,
            routing_code: awb.routing_code,
            labels,
            charged: None,
        })
    }

    /// The order Shiprocket holds for `channel_order_id`, by the orders search, merged with
    /// what this process remembers of it: the search may not list an order created a
    /// moment ago, and the memory holds the courier id and routing code the list lacks.
    async fn find_order(
        &self,
        t: &dyn Transport,
        channel_order_id: &str,
    ) -> Result<Option<(CreatedOrder, Courier)>, CarrierError> {
        let resp = self
            .send_authed(
                t,
                Operation::Lookup,
                orders_search_request(channel_order_id)?,
            )
            .await?;
        let listed = parse_orders_search(&resp, channel_order_id)?;
        let remembered = self.pending(channel_order_id);
        Ok(match (listed, remembered) {
            (Some(mut listed), Some(pending)) if listed.order_id == pending.order.order_id => {
                match (&listed.awb, pending.order.awb) {
                    (Some(seen), Some(known)) if seen.awb == known.awb => listed.awb = Some(known),
                    (None, Some(known)) => listed.awb = Some(known),
                    _ => {}
                }
                Some((listed, pending.courier))
            }
            (Some(listed), _) => Some((listed, Courier::Unknown)),
            (None, Some(pending)) => {
                tracing::info!(
                    channel_order_id,
                    sr_order_id = %pending.order.order_id,
                    "Shiprocket's search does not list the order yet; using the one this process created"
                );
                Some((pending.order, pending.courier))
            }
            (None, None) => None,
        })
    }

    /// Whether an order status id means the order is cancelled (by the mapping, so that
    /// "Canceled" and "Cancellation Requested" both count).
    fn is_cancelled(&self, order: &CreatedOrder) -> bool {
        order.status_code.as_deref().is_some_and(|code| {
            self.mapping
                .lookup(KIND_ORDER_STATUS, code)
                .is_some_and(|u| u.status == Status::Cancelled)
        })
    }

    fn pending(&self, shipment_id: &str) -> Option<Pending> {
        let pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        pending
            .get(shipment_id)
            .filter(|p| p.since.elapsed() < PENDING_TTL)
            .cloned()
    }

    fn remember(&self, shipment_id: &str, order: &CreatedOrder, courier: Courier) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        if pending.len() >= PENDING_MAX {
            pending.retain(|_, p| p.since.elapsed() < PENDING_TTL);
            if pending.len() >= PENDING_MAX
                && let Some(oldest) = pending
                    .iter()
                    .min_by_key(|(_, p)| p.since)
                    .map(|(k, _)| k.clone())
            {
                pending.remove(&oldest);
            }
        }
        let since = pending
            .get(shipment_id)
            .map_or_else(Instant::now, |p| p.since);
        pending.insert(
            shipment_id.to_string(),
            Pending {
                order: order.clone(),
                courier,
                since,
            },
        );
    }

    fn forget(&self, shipment_id: &str) {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        pending.remove(shipment_id);
    }
}

#[async_trait]
impl Carrier for Shiprocket {
    fn id(&self) -> CarrierId {
        CARRIER_ID
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            rates: true,
            create_shipment: true,
            cancel: true,
            track: true,
            cod: true,
            international: false,
            native_label_formats: vec![LabelFormat::Pdf],
            webhooks: true,
            serviceability: true,
            ..Capabilities::default()
        }
    }

    /// Shiprocket's tracking push (JSON; the content type is not relied on).
    fn parse_webhook(
        &self,
        _headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<PushedUpdate>, CarrierError> {
        parse_pushes(&self.mapping, body)
    }

    /// The courier's PDF, generated again: for a booking whose label call failed.
    async fn label(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        format: LabelFormat,
    ) -> Result<LabelDocument, CarrierError> {
        if format != LabelFormat::Pdf {
            return Err(CarrierError::Unsupported(
                "a Shiprocket label other than PDF",
            ));
        }
        Shiprocket::label(self, t, shipment).await
    }

    async fn rates(
        &self,
        t: &dyn Transport,
        req: &RateRequest,
    ) -> Result<Vec<RateQuote>, CarrierError> {
        let resp = self
            .send_authed(t, Operation::Rates, rates_request(req)?)
            .await?;
        parse_rates(&resp)
    }

    /// The courier serviceability API for the lane at the lightest slab: serviceable when
    /// at least one courier is offered (one collecting cash, for COD). Reverse pickups are
    /// not asked: no sample shows how Shiprocket answers them.
    async fn serviceability(
        &self,
        t: &dyn Transport,
        lane: &Lane,
    ) -> Result<Serviceability, CarrierError> {
        if lane.kind == ShipmentKind::Reverse {
            return Err(CarrierError::Unsupported("reverse pickup serviceability"));
        }
        let resp = self
            .send_authed(t, Operation::Serviceability, lane_request(lane))
            .await?;
        parse_lane_serviceability(&resp, lane)
    }

    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment, CarrierError> {
        let courier_id = courier_id(req)?;

        // Step 1, unless an earlier attempt for this shipment already created the order.
        let order = match self.pending(shipment_id) {
            Some(pending) => {
                tracing::info!(shipment_id, sr_order_id = %pending.order.order_id, "continuing a partial Shiprocket booking");
                pending.order
            }
            None => {
                let draft = OrderDraft {
                    shipment_id,
                    request: req,
                    pickup_location: &self.pickup_location,
                    order_date: Utc::now().with_timezone(&IST_OFFSET).naive_local(),
                };
                let resp = self
                    .send_authed(t, Operation::CreateShipment, order_request(draft)?)
                    .await?;
                let order = parse_order_created(&resp)?;
                self.remember(shipment_id, &order, Courier::Asked(courier_id.clone()));
                order
            }
        };
        self.finish_booking(t, shipment_id, order, courier_id, true)
            .await
    }

    async fn cancel(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<CancelOutcome, CarrierError> {
        let request = match &shipment.awb {
            Some(awb) => cancel_awb_request(awb)?,
            None => {
                // No AWB: a booking that stopped after step 1. Cancel its order.
                let order_id = shipment
                    .carrier_refs
                    .get("order_id")
                    .cloned()
                    .or_else(|| {
                        self.pending(&shipment.shipment_id)
                            .map(|p| p.order.order_id)
                    })
                    .ok_or_else(|| {
                        CarrierError::NotSent(
                            "neither an AWB nor a Shiprocket order id to cancel".into(),
                        )
                    })?;
                cancel_order_request(&order_id)?
            }
        };
        let resp = self.send_authed(t, Operation::Cancel, request).await?;
        let outcome = parse_cancelled(&resp)?;
        self.forget(&shipment.shipment_id);
        Ok(outcome)
    }

    /// See the module docs, "Lookup after an unknown outcome".
    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>, CarrierError> {
        let channel_order_id = shipment.shipment_id.trim();
        let Some((order, remembered)) = self.find_order(t, channel_order_id).await? else {
            return Ok(None);
        };
        let courier = match shipment
            .carrier_refs
            .get("courier_company_id")
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            Some(id) => Courier::Asked(Some(id.to_string())),
            None => remembered,
        };
        let cancelled = self.is_cancelled(&order);
        let sr_order_id = order.order_id.clone();
        let Some(mut awb) = order.awb.clone() else {
            if cancelled {
                tracing::info!(channel_order_id, %sr_order_id, "Shiprocket order cancelled before an AWB: no booking");
                self.forget(channel_order_id);
                return Ok(None);
            }
            // From here on, a create in this process continues this order.
            self.remember(channel_order_id, &order, courier.clone());
            let Courier::Asked(courier_id) = courier else {
                tracing::info!(channel_order_id, %sr_order_id, "Shiprocket order without AWB, courier unknown: left for booking again to continue");
                return Ok(None);
            };
            tracing::info!(channel_order_id, %sr_order_id, "Shiprocket order without AWB found; finishing its booking");
            return match self
                .finish_booking(t, channel_order_id, order, courier_id, true)
                .await
            {
                Ok(booked) => Ok(Some(booked)),
                Err(e) if refused_for_good(&e) => {
                    tracing::info!(channel_order_id, %sr_order_id, error = %e, "Shiprocket refused the AWB: no booking");
                    Ok(None)
                }
                Err(e) => Err(e),
            };
        };
        if awb.courier_company_id.is_none() {
            // The orders list names the courier but not its id, which is the service
            // code; tracking by shipment id has it. Best effort: the AWB is the answer,
            // the id only completes it.
            match self.recover_awb(t, &order.shipment_id).await {
                Some(tracked) if tracked.awb == awb.awb => {
                    awb.courier_company_id = tracked.courier_company_id;
                }
                _ => {
                    tracing::debug!(channel_order_id, awb = %awb.awb, "courier id of a found Shiprocket booking unknown")
                }
            }
        }
        let asked = match courier {
            Courier::Asked(id) => id,
            Courier::Unknown => None,
        };
        let order = CreatedOrder {
            awb: Some(awb),
            ..order
        };
        // A cancelled order's label is refused; the gateway sees the cancellation by
        // tracking.
        self.finish_booking(t, channel_order_id, order, asked, !cancelled)
            .await
            .map(Some)
    }

    async fn track(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<TrackingUpdate, CarrierError> {
        match (&shipment.awb, shipment.carrier_refs.get("shipment_id")) {
            (Some(awb), _) => {
                let resp = self
                    .send_authed(t, Operation::Track, track_awb_request(awb)?)
                    .await?;
                parse_tracking(&self.mapping, awb, &resp)
            }
            (None, Some(id)) => {
                let resp = self
                    .send_authed(t, Operation::Track, track_shipment_request(id)?)
                    .await?;
                parse_tracking(&self.mapping, "", &resp)
            }
            (None, None) => Err(CarrierError::NotSent(
                "neither an AWB nor a Shiprocket shipment id to track".into(),
            )),
        }
    }
}

/// The service code of a booking: a Shiprocket courier_company_id, or none to let the
/// account's rules choose.
fn courier_id(req: &ShipmentRequest) -> Result<Option<String>, CarrierError> {
    match req
        .service
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(id) if id.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(id.to_string())),
        // No retry makes it one: refused for good, not as a call to try again.
        Some(other) => {
            tracing::debug!(service = other, "not a Shiprocket courier_company_id");
            Err(CarrierError::Unsupported(
                "a service that is not a Shiprocket courier_company_id (take one from a rate \
                 quote)",
            ))
        }
    }
}

/// Whether finishing a half-made booking met Shiprocket's final word (no courier for the
/// shipment, a cancelled shipment…) rather than a passing failure (credentials, rate
/// limit) or "cannot reassign", which means an AWB exists that could not be read back.
fn refused_for_good(err: &CarrierError) -> bool {
    match err {
        CarrierError::Rejected {
            http_status,
            message,
            ..
        } => {
            !matches!(http_status, 401 | 403 | 429)
                && !message.to_ascii_lowercase().contains("reassign")
        }
        _ => false,
    }
}

fn partial_booking_note(shipment_id: &str, order: &CreatedOrder) -> String {
    format!(
        "Shiprocket order {} / shipment {} (channel order id {shipment_id}) exists without an AWB: \
         creating again with the same shipment id continues it, cancelling the shipment cancels the order",
        order.order_id, order.shipment_id
    )
}

/// Appends context to an error without changing its class: the class is what tells the
/// gateway whether the call may have happened.
fn annotate(err: CarrierError, note: &str) -> CarrierError {
    match err {
        CarrierError::Rejected {
            code,
            message,
            http_status,
        } => CarrierError::Rejected {
            code,
            message: format!("{message} [{note}]"),
            http_status,
        },
        CarrierError::Upstream { status, detail } => CarrierError::Upstream {
            status,
            detail: format!("{detail} [{note}]"),
        },
        CarrierError::BadResponse(m) => CarrierError::BadResponse(format!("{m} [{note}]")),
        CarrierError::NotSent(m) => CarrierError::NotSent(format!("{m} [{note}]")),
        CarrierError::Connect(m) => CarrierError::Connect(format!("{m} [{note}]")),
        other => {
            tracing::warn!(error = %other, "{note}");
            other
        }
    }
}

// ---------------------------------------------------------------------------------------
// Requests, as data

/// Shiprocket's login, for the kit's [`Session`].
struct ShiprocketLogin {
    email: String,
    password: String,
}

impl Login for ShiprocketLogin {
    fn request(&self) -> Result<HttpRequest, CarrierError> {
        login_request(&self.email, &self.password)
    }

    fn parse(&self, resp: &HttpResponse) -> Result<Token, CarrierError> {
        parse_login(resp).map(|value| Token {
            value,
            expires_in: None,
        })
    }
}

pub fn login_request(email: &str, password: &str) -> Result<HttpRequest, CarrierError> {
    Ok(HttpRequest::post(PATH_LOGIN)
        .json(&ShiprocketLoginRequest { email, password })?
        .secret(password))
}

pub fn rates_request(req: &RateRequest) -> Result<HttpRequest, CarrierError> {
    let query = ShiprocketServiceabilityRequest::try_from(req)?;
    Ok(query
        .query_pairs()
        .into_iter()
        .fold(HttpRequest::get(PATH_SERVICEABILITY), |r, (k, v)| {
            r.query(k, v)
        }))
}

/// Weight asked for a lane check: the lightest slab the serviceability sample shows
/// (`min_weight: 0.5`). The API requires a weight; a lane served at 500 g is what
/// "serviceable" means here, and rates then price the real parcel.
pub const LANE_CHECK_WEIGHT_G: u32 = 500;

pub fn lane_request(lane: &Lane) -> HttpRequest {
    let query = ShiprocketServiceabilityRequest {
        pickup_postcode: lane.pickup_pincode.clone(),
        delivery_postcode: lane.delivery_pincode.clone(),
        weight_g: LANE_CHECK_WEIGHT_G,
        cod: lane.cod,
        dimensions_cm: None,
        declared_value: None,
    };
    query
        .query_pairs()
        .into_iter()
        .fold(HttpRequest::get(PATH_SERVICEABILITY), |r, (k, v)| {
            r.query(k, v)
        })
}

pub fn order_request(draft: OrderDraft<'_>) -> Result<HttpRequest, CarrierError> {
    HttpRequest::post(PATH_CREATE_ORDER).json(&ShiprocketOrderRequest::try_from(draft)?)
}

pub fn assign_awb_request(
    shipment_id: &str,
    courier_id: Option<&str>,
) -> Result<HttpRequest, CarrierError> {
    HttpRequest::post(PATH_ASSIGN_AWB).json(&ShiprocketAssignAwbRequest {
        shipment_id: shipment_id.to_string(),
        courier_id: courier_id.map(str::to_string),
    })
}

pub fn label_request(shipment_id: &str) -> Result<HttpRequest, CarrierError> {
    HttpRequest::post(PATH_GENERATE_LABEL).json(&ShiprocketLabelRequest {
        shipment_id: vec![shipment_id.to_string()],
    })
}

/// The label link is a public S3 URL: fetched without the bearer token, which must never
/// travel to another host.
pub fn label_download_request(url: &str) -> HttpRequest {
    HttpRequest::get(url).header("accept", "application/pdf")
}

pub fn cancel_awb_request(awb: &str) -> Result<HttpRequest, CarrierError> {
    HttpRequest::post(PATH_CANCEL_AWBS).json(&ShiprocketCancelAwbsRequest {
        awbs: vec![path_segment(awb)?.to_string()],
    })
}

pub fn cancel_order_request(order_id: &str) -> Result<HttpRequest, CarrierError> {
    HttpRequest::post(PATH_CANCEL_ORDERS).json(&ShiprocketCancelOrdersRequest {
        ids: vec![order_id.to_string()],
    })
}

pub fn track_awb_request(awb: &str) -> Result<HttpRequest, CarrierError> {
    Ok(HttpRequest::get(format!(
        "{PATH_TRACK_AWB}{}",
        path_segment(awb)?
    )))
}

pub fn track_shipment_request(shipment_id: &str) -> Result<HttpRequest, CarrierError> {
    Ok(HttpRequest::get(format!(
        "{PATH_TRACK_SHIPMENT}{}",
        path_segment(shipment_id)?
    )))
}

/// `GET /v1/external/orders?search=<channel order id>`: the orders search, by the id
/// shipgate gave the order (Shiprocket's docs: "Search for AWB or by Channel order_id").
pub fn orders_search_request(channel_order_id: &str) -> Result<HttpRequest, CarrierError> {
    let id = channel_order_id.trim();
    if id.is_empty() {
        return Err(CarrierError::NotSent(
            "no channel order id to search Shiprocket's orders by".into(),
        ));
    }
    Ok(HttpRequest::get(PATH_ORDERS).query("search", id))
}

/// AWBs and ids go into URL paths: anything but letters, digits, `-` and `_` would change
/// the path, so it is refused before sending, for good (no retry changes the id).
fn path_segment(id: &str) -> Result<&str, CarrierError> {
    let id = id.trim();
    if !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(id)
    } else {
        tracing::debug!(id, "not a valid Shiprocket AWB or id");
        Err(CarrierError::Unsupported(
            "an AWB or id other than letters, digits, - and _",
        ))
    }
}

// ---------------------------------------------------------------------------------------
// Responses, parsed

/// The error a non-2xx reply stands for: 5xx is [`CarrierError::Upstream`] (it may have
/// happened), anything else Shiprocket's refusal with its `status_code` and message.
pub fn error_from_status(resp: &HttpResponse) -> CarrierError {
    if let Err(e) = resp.fail_on_server_error() {
        return e;
    }
    let body: Option<ShiprocketErrorBody> = serde_json::from_slice(&resp.body).ok();
    let code = body
        .as_ref()
        .and_then(ShiprocketErrorBody::code)
        .unwrap_or_else(|| resp.status.to_string());
    let message = body
        .as_ref()
        .and_then(ShiprocketErrorBody::describe)
        .unwrap_or_else(|| format!("HTTP {}: {}", resp.status, resp.snippet()));
    CarrierError::rejected(code, message, resp.status)
}

fn ok_json<T: serde::de::DeserializeOwned>(resp: &HttpResponse) -> Result<T, CarrierError> {
    if !resp.is_success() {
        return Err(error_from_status(resp));
    }
    resp.json()
}

pub fn parse_login(resp: &HttpResponse) -> Result<String, CarrierError> {
    if !resp.is_success() {
        return Err(match error_from_status(resp) {
            CarrierError::Rejected {
                code,
                message,
                http_status,
            } => CarrierError::Rejected {
                code,
                message: format!("Shiprocket login failed: {message}"),
                http_status,
            },
            other => other,
        });
    }
    let body: ShiprocketLoginResponse = resp.json()?;
    body.token
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| CarrierError::bad_response("login answered without a token"))
}

pub fn parse_rates(resp: &HttpResponse) -> Result<Vec<RateQuote>, CarrierError> {
    ok_json::<ShiprocketServiceabilityResponse>(resp)?.try_into()
}

/// Reads a serviceability answer as a lane check.
pub fn parse_lane_serviceability(
    resp: &HttpResponse,
    lane: &Lane,
) -> Result<Serviceability, CarrierError> {
    let (_, couriers) = ok_json::<ShiprocketServiceabilityResponse>(resp)?.couriers()?;
    let offered = couriers
        .iter()
        .filter(|c| !lane.cod || c.collects_cod())
        .count();
    Ok(if offered > 0 {
        Serviceability::Serviceable
    } else {
        Serviceability::not(format!(
            "no Shiprocket courier picks up at {} and delivers {} parcels to {}",
            lane.pickup_pincode,
            lane.payment_label(),
            lane.delivery_pincode
        ))
    })
}

pub fn parse_order_created(resp: &HttpResponse) -> Result<CreatedOrder, CarrierError> {
    ok_json::<ShiprocketOrderResponse>(resp)?.try_into()
}

/// The order carrying exactly `channel_order_id`, `None` when the search lists none.
pub fn parse_orders_search(
    resp: &HttpResponse,
    channel_order_id: &str,
) -> Result<Option<CreatedOrder>, CarrierError> {
    ok_json::<ShiprocketOrdersResponse>(resp)?.find(channel_order_id)
}

pub fn parse_awb_assigned(resp: &HttpResponse) -> Result<AssignedAwb, CarrierError> {
    ok_json::<ShiprocketAssignAwbResponse>(resp)?.try_into()
}

pub fn parse_label_link(resp: &HttpResponse) -> Result<LabelLink, CarrierError> {
    ok_json::<ShiprocketLabelResponse>(resp)?.try_into()
}

/// The downloaded label: it must be a PDF, not an S3 error page that happened to be 200.
pub fn parse_label_pdf(resp: &HttpResponse) -> Result<Vec<u8>, CarrierError> {
    if !resp.is_success() {
        return Err(error_from_status(resp));
    }
    if !resp.body.starts_with(b"%PDF-") {
        return Err(CarrierError::bad_response(format!(
            "label link did not return a PDF; body starts with {:?}",
            resp.snippet()
        )));
    }
    Ok(resp.body.clone())
}

/// Cancel answers 200 with `{"message": …}` or, as documented, 204 — with or without a
/// body. A `status_code` of 400 or more inside a 2xx is still a refusal.
/// Shiprocket's cancel is asynchronous ("cancellation is in progress"): success means
/// accepted, and tracking later shows CANCELED (or RTO for a parcel already picked up).
pub fn parse_cancelled(resp: &HttpResponse) -> Result<CancelOutcome, CarrierError> {
    if !resp.is_success() {
        return Err(error_from_status(resp));
    }
    // An empty body is the documented 204; any other body must be Shiprocket's JSON, or
    // the cancellation's fate is unknown (a proxy page is not a confirmation).
    let body: Option<ShiprocketErrorBody> = if resp.body.trim_ascii().is_empty() {
        None
    } else {
        Some(resp.json()?)
    };
    let message = body.as_ref().and_then(ShiprocketErrorBody::describe);
    if let Some(code) = body.as_ref().and_then(ShiprocketErrorBody::code)
        && code.parse::<u16>().is_ok_and(|c| c >= 400)
    {
        return Err(CarrierError::rejected(
            code,
            message.unwrap_or_default(),
            resp.status,
        ));
    }
    Ok(CancelOutcome {
        carrier_message: message
            .unwrap_or_else(|| format!("cancellation accepted (HTTP {})", resp.status)),
    })
}

/// Picks the tracking object out of the shapes Shiprocket uses: `{tracking_data}` (by AWB
/// or shipment), `[{tracking_data}]` (by order), `{"<awb>": {tracking_data}}` (several
/// AWBs). `Ok(None)` means Shiprocket knows no such shipment (`{}`, `[]`).
fn tracking_data(
    resp: &HttpResponse,
    awb: Option<&str>,
) -> Result<Option<ShiprocketTrackingData>, CarrierError> {
    let value: Value = ok_json(resp)?;
    let value = match value {
        Value::Array(items) => match items.into_iter().next() {
            Some(first) => first,
            None => return Ok(None),
        },
        other => other,
    };
    let Value::Object(mut map) = value else {
        return Err(CarrierError::bad_response(format!(
            "tracking answered neither an object nor an array: {:?}",
            resp.snippet()
        )));
    };
    let entry = match map.remove("tracking_data") {
        Some(data) => data,
        None => match awb.and_then(|a| map.remove(a)) {
            Some(Value::Object(mut inner)) => inner.remove("tracking_data").unwrap_or(Value::Null),
            _ => {
                let error: ShiprocketErrorBody =
                    serde_json::from_value(Value::Object(map)).unwrap_or_default();
                return match error.describe() {
                    Some(message) => Err(CarrierError::rejected(
                        error.code().unwrap_or_else(|| "track_error".into()),
                        message,
                        resp.status,
                    )),
                    None => Ok(None),
                };
            }
        },
    };
    if entry.is_null() {
        return Ok(None);
    }
    ShiprocketTrackingData::deserialize(entry)
        .map(Some)
        .map_err(|e| CarrierError::bad_response(format!("tracking_data: {e}")))
}

/// Tracking for one AWB (`awb` may be empty when tracking by shipment id).
pub fn parse_tracking(
    mapping: &Mapping,
    awb: &str,
    resp: &HttpResponse,
) -> Result<TrackingUpdate, CarrierError> {
    let requested = (!awb.is_empty()).then_some(awb);
    let Some(data) = tracking_data(resp, requested)? else {
        return Err(CarrierError::rejected(
            "awb_not_found",
            format!("Shiprocket has no shipment with AWB {awb}"),
            resp.status,
        ));
    };
    let awb = data.awb().unwrap_or(awb).to_string();
    if !data.is_tracked() {
        // "There is no activities found in our DB": booked, not scanned yet.
        tracing::debug!(%awb, message = data.error.as_deref().unwrap_or(""), "no Shiprocket scans yet");
    }
    let current = current_status(mapping, data.shipment_status(), None, data.current_status());
    let activities = data.shipment_track_activities.unwrap_or_default();
    Ok(TrackingUpdate {
        awb,
        events: scans_to_events(mapping, &activities, current),
    })
}

/// Translates a webhook push into the events it carries.
pub fn parse_webhook(mapping: &Mapping, body: &[u8]) -> Result<TrackingUpdate, CarrierError> {
    let push: ShiprocketWebhook = serde_json::from_slice(body).map_err(|e| {
        CarrierError::bad_response(format!("webhook is not Shiprocket's JSON: {e}"))
    })?;
    let pushed = pushed_update(mapping, push)?;
    Ok(TrackingUpdate {
        awb: pushed.awb,
        events: pushed.events,
    })
}

/// Reads a push body as the gateway receives it: one object as documented, or an array
/// of them. In an array, unreadable entries are logged and skipped; the push is an error
/// only when nothing in it can be read.
pub fn parse_pushes(mapping: &Mapping, body: &[u8]) -> Result<Vec<PushedUpdate>, CarrierError> {
    read_pushes(CARRIER_ID, body, |push: ShiprocketWebhook| {
        pushed_update(mapping, push)
    })
}

fn pushed_update(mapping: &Mapping, push: ShiprocketWebhook) -> Result<PushedUpdate, CarrierError> {
    let awb = push
        .awb()
        .ok_or_else(|| CarrierError::bad_response("webhook without awb"))?
        .to_string();
    let current = current_status(
        mapping,
        push.shipment_status_id(),
        push.current_status_id(),
        push.shipment_status
            .as_deref()
            .or(push.current_status.as_deref()),
    );
    let mut events = scans_to_events(mapping, &push.scans, current.clone());
    if events.is_empty()
        && let (Some((code, text, unified)), Some(time)) = (
            current,
            push.current_timestamp.as_deref().and_then(|t| IST.parse(t)),
        )
    {
        events.push(TrackingEvent::new(unified, code, text, time));
    }
    // `order_id` is the channel order id: shipgate's shipment id, sent at booking.
    let reference = push.refs().remove("channel_order_id");
    Ok(PushedUpdate {
        awb,
        reference,
        events,
    })
}

/// The shipment-level status of a payload: (raw code, text, unified). Tracking status id
/// first, then the order status id, then the status text.
fn current_status(
    mapping: &Mapping,
    sr_status: Option<&str>,
    order_status: Option<&str>,
    label: Option<&str>,
) -> Option<(String, String, Unified)> {
    let text = label.unwrap_or_default().to_string();
    if let Some(code) = sr_status {
        return Some((code.into(), text, unify(mapping, KIND_SR_STATUS, code)));
    }
    if let Some(code) = order_status {
        return Some((code.into(), text, unify(mapping, KIND_ORDER_STATUS, code)));
    }
    let label = label?;
    Some((
        label.into(),
        text,
        unify(mapping, KIND_SR_STATUS_LABEL, label),
    ))
}

/// The unified status for a raw code of one kind; unmapped codes are kept raw, logged,
/// and never guessed.
fn unify(mapping: &Mapping, kind: &str, code: &str) -> Unified {
    mapping.lookup(kind, code).unwrap_or_else(|| {
        tracing::warn!(
            carrier = CARRIER_ID,
            kind,
            code,
            "unmapped Shiprocket status code"
        );
        Unified::UNMAPPED
    })
}

/// Scans to events, oldest first, in UTC.
///
/// Shiprocket classifies a scan with `sr-status` (and `sr-status-label`), or writes "NA"
/// when the courier's scan did not change the shipment's state (bagging, weighing, a
/// pickup note). Such a scan keeps the status the shipment had — that of the previous
/// classified scan — rather than being guessed from its words. The newest scan, when
/// unclassified, takes the payload's shipment-level status instead, since that *is* the
/// state after it. Only an unclassified scan with neither is `unknown/unmapped`.
fn scans_to_events(
    mapping: &Mapping,
    scans: &[ShiprocketTrackActivity],
    current: Option<(String, String, Unified)>,
) -> Vec<TrackingEvent> {
    let mut timed: Vec<(chrono::DateTime<Utc>, &ShiprocketTrackActivity)> = scans
        .iter()
        .filter_map(|scan| match scan.date().and_then(|t| IST.parse(t)) {
            Some(time) => Some((time, scan)),
            None => {
                tracing::warn!(
                    date = scan.date().unwrap_or(""),
                    "Shiprocket scan without a readable date skipped"
                );
                None
            }
        })
        .collect();
    // Tracking lists newest first, webhooks oldest first; equal times keep their order.
    if timed.first().map(|f| f.0) > timed.last().map(|l| l.0) {
        timed.reverse();
    }
    timed.sort_by_key(|(time, _)| *time);

    let last = timed.len().saturating_sub(1);
    let mut previous: Option<Unified> = None;
    let mut events = Vec::with_capacity(timed.len());
    for (i, (time, scan)) in timed.into_iter().enumerate() {
        let description = scan.activity().map(str::to_string);
        let (code, status_text, unified) = if let Some(code) = scan.sr_status() {
            let unified = mapping
                .lookup(KIND_SR_STATUS, code)
                .or_else(|| {
                    scan.sr_status_label()
                        .and_then(|l| mapping.lookup(KIND_SR_STATUS_LABEL, l))
                })
                .unwrap_or_else(|| unify(mapping, KIND_SR_STATUS, code));
            let text = scan.sr_status_label().or(scan.activity()).unwrap_or(code);
            (code.to_string(), text.to_string(), unified)
        } else if let Some(label) = scan.sr_status_label() {
            (
                label.to_string(),
                label.to_string(),
                unify(mapping, KIND_SR_STATUS_LABEL, label),
            )
        } else {
            let code = scan.courier_code().unwrap_or("NA").to_string();
            let text = scan.activity().unwrap_or(&code).to_string();
            let inherited = match (&current, previous) {
                (Some((_, _, now)), _) if i == last => *now,
                (_, Some(before)) => before,
                _ => {
                    tracing::debug!(code, "unclassified Shiprocket scan with nothing to inherit");
                    Unified::UNMAPPED
                }
            };
            (code, text, inherited)
        };
        previous = Some(unified);
        events.push(
            TrackingEvent::new(unified, code, status_text, time)
                .with_location(scan.location().map(str::to_string))
                .with_description(description),
        );
    }
    events
}
