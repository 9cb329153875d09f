//! Shiprocket: an Indian shipping aggregator. One account reaches some thirty couriers
//! (Delhivery, Blue Dart, Xpressbees…), so a Shiprocket "service" is a courier: quotes
//! carry Shiprocket's `courier_company_id` as the service code, and booking with that code
//! asks for that courier (no code lets the account's courier-priority rules choose).
//!
//! - **Bearer token with a life of its own**, from `POST /v1/external/auth/login`: it
//!   lives ten days; the kit's [`Session`] reuses it for nine, and on a 401 (Shiprocket did
//!   not execute the call) logs in again and repeats that one call once — safe even for
//!   bookings.
//! - **NDR instructions** (`POST /v1/external/ndr/{awb}/action`): `re-attempt` (with a
//!   preferred date, phone or address where asked) or `return`; answered 202 in words,
//!   with no request id.
//! - **Booking is three calls**: `orders/create/adhoc` (order and shipment),
//!   `courier/assign/awb` (the AWB), `courier/generate/label` (an S3 link, downloaded
//!   through the same [`Transport`] without the token: a public link on another host).
//!
//! ## Partial bookings
//!
//! The order carries shipgate's shipment id as Shiprocket's `order_id` (the "channel order
//! id"). After step 1 the adapter remembers the order per shipment id; when step 2 fails,
//! the error names the order and shipment, and creating again with the same shipment id
//! continues at step 2 instead of creating a second order. `cancel` of such a shipment
//! (no AWB yet) cancels the order. Once the AWB exists the booking has happened: a label
//! that fails then comes back as `label_error` in the carrier refs, not as a failed
//! create, and [`Shiprocket::label`] fetches it later.
//!
//! ## Lookup after an unknown outcome
//!
//! [`Carrier::lookup`] searches the orders by channel order id (any gateway process can),
//! falling back on this process's memory when the search does not list the order yet:
//! - no order: `None`, nothing was booked;
//! - an order with an AWB: that booking (courier id from tracking by shipment id, label
//!   fetched as at create, except for a cancelled order);
//! - an order without an AWB whose courier is known (`carrier_refs["courier_company_id"]`
//!   or this process's memory): the booking is *finished* with that courier and returned;
//! - an order without an AWB whose courier is unknown: `None`, and the order is
//!   remembered, so booking again (the gateway's reconciler does next) continues it with
//!   the request's courier; assigning blind would let the account's rules pick one the OMS
//!   did not choose. Shiprocket itself keeps one order per channel order id (an existing
//!   `order_id` "does not change or affect the existing order");
//! - an order whose AWB Shiprocket refuses while finishing, or cancelled before an AWB:
//!   `None` (booking again meets the same refusal and reports it).

mod couriers;
pub mod parse;
pub mod pickups;
pub mod requests;
pub mod returns;
mod simulator;
mod simulator_pickups;
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
    Manifests, NdrAction, NdrActionKind, NdrActions, NdrOutcome, Pickups, Returns,
};
use crate::kit::adapter::{Result, domestic_capabilities, refs};
use crate::kit::http::reworded;
use crate::kit::lenient::trimmed;
use crate::kit::memory::Memory;
use crate::kit::session::{Login, Session, Token};
use crate::kit::time::IST_OFFSET;
use crate::kit::tracking::stored_awb;
use crate::mapping::{Mapping, MappingError};
use crate::schema::{
    CancelOutcome, CreatedShipment, LabelDocument, LabelFormat, Lane, PushedUpdate, RateQuote,
    RateRequest, Serviceability, ShipmentKind, ShipmentRef, ShipmentRequest, TrackingUpdate,
};
use crate::taxonomy::Status;
use crate::wire::{HttpRequest, HttpResponse};

pub use parse::*;
pub use requests::*;
pub use simulator::{
    SANDBOX_EMAIL, SANDBOX_PASSWORD, SANDBOX_PICKUP_LOCATION, ShiprocketSimulator,
};

pub const ID: CarrierId = "shiprocket";

const MAPPING_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../mappings/shiprocket.toml"
));

/// Partial bookings are remembered this long, and at most this many (a process that keeps
/// failing between step 1 and 2 must not grow without bound).
const PENDING_TTL: Duration = Duration::from_secs(24 * 3600);
const PENDING_MAX: usize = 4096;

/// How long a Shiprocket token lives (its login answer does not say): 240 hours.
pub const TOKEN_LIFE: Duration = Duration::from_secs(10 * 24 * 3600);

/// The embedded status mapping, parsed strictly.
pub fn mapping() -> Result<Mapping, MappingError> {
    Mapping::parse(ID, MAPPING_TOML)
}

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: ID,
        name: "Shiprocket",
        live_base_url: "https://apiv2.shiprocket.in",
        settings: &[
            // Secret too: with the password it is the login, and it names the account.
            SettingSpec {
                key: "email",
                secret: true,
                required: true,
                about: "The email of the account's Shiprocket API user",
            },
            SettingSpec {
                key: "password",
                secret: true,
                required: true,
                about: "The API user's password",
            },
            SettingSpec {
                key: "pickup_location",
                secret: false,
                required: true,
                about: "The nickname of a pickup address registered in the Shiprocket panel",
            },
        ],
        // Booking calls take seconds, not milliseconds; 15 s lets a slow create finish
        // without letting a hung one hold the caller for long.
        default_timeout_ms: 15_000,
        // Shiprocket publishes no limit for these APIs; 10/s is a conservative ceiling.
        default_quota_per_second: 10.0,
        // The panel's optional "security token" arrives as `x-api-key` (API docs,
        // Webhooks section).
        webhook_token_header: "x-api-key",
        webhook_signature_header: None,
        domestic: &["IN"],
        sandbox_settings: || {
            Settings::from([
                ("email".to_string(), SANDBOX_EMAIL.to_string()),
                ("password".to_string(), SANDBOX_PASSWORD.to_string()),
                ("pickup_location".into(), SANDBOX_PICKUP_LOCATION.into()),
            ])
        },
        build: |settings| Ok(Box::new(Shiprocket::new(settings)?)),
        simulator: || Box::new(ShiprocketSimulator::new()),
    }
}

/// The Shiprocket adapter. Holds the login session (the credentials, wiped from memory
/// when the adapter goes) and the partial bookings.
pub struct Shiprocket {
    mapping: Mapping,
    pickup_location: String,
    session: Session,
    pending: Memory<Pending>,
}

/// A booking that got past step 1: the order exists at Shiprocket.
#[derive(Debug, Clone)]
struct Pending {
    order: CreatedOrder,
    /// The courier asked for, so a lookup that finishes the booking assigns the same one.
    courier: Courier,
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
        // Never the login (the email is a credential too), never the token.
        f.debug_struct("Shiprocket")
            .field("pickup_location", &self.pickup_location)
            .finish_non_exhaustive()
    }
}

impl Shiprocket {
    /// Builds the adapter from `email`, `password` and `pickup_location` (the nickname of
    /// a pickup address registered in the Shiprocket panel).
    pub fn new(settings: &Settings) -> Result<Self, String> {
        let login = ShiprocketLogin {
            email: Zeroizing::new(setting(settings, "email")?.trim().to_string()),
            password: Zeroizing::new(setting(settings, "password")?.to_string()),
        };
        Ok(Shiprocket {
            mapping: mapping().map_err(|e| format!("mappings/shiprocket.toml: {e}"))?,
            pickup_location: setting(settings, "pickup_location")?.trim().to_string(),
            session: Session::new(login, TOKEN_LIFE),
            pending: Memory::new(PENDING_TTL, PENDING_MAX),
        })
    }

    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// Generates (or re-generates) the Shiprocket label of a booked shipment and downloads
    /// the PDF: for a booking whose label failed at create time (`label_error`).
    pub async fn label(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<LabelDocument> {
        let shipment_id = shipment.carrier_refs.get("shipment_id").ok_or_else(|| {
            CarrierError::NotSent("no Shiprocket shipment_id among the carrier refs".into())
        })?;
        Ok(self.fetch_label(t, shipment_id).await?.1)
    }

    /// Sends `request` through the session (see the module docs) and reads the answer
    /// with `parse`; a token refused twice is Shiprocket's refusal.
    async fn call<T>(
        &self,
        t: &dyn Transport,
        op: Operation,
        request: Result<HttpRequest>,
        parse: impl FnOnce(&HttpResponse) -> Result<T> + Send,
    ) -> Result<T> {
        let resp = self.session.send(t, op, request?).await?;
        if resp.status == 401 {
            return Err(refusal(&resp));
        }
        parse(&resp)
    }

    /// The label's link and the PDF downloaded from it.
    async fn fetch_label(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
    ) -> Result<(String, LabelDocument)> {
        let request = label_request(shipment_id);
        let LabelLink(url) = self
            .call(t, Operation::Label, request, parse_label_response)
            .await?;
        let pdf = t.send(Operation::Label, label_download_request(&url));
        let content = parse_label_download(&pdf.await?)?;
        let format = LabelFormat::Pdf;
        Ok((url, LabelDocument { format, content }))
    }

    /// Step 2 with its one recovery: "cannot reassign" means an earlier attempt did get an
    /// AWB (its answer was lost); the shipment's tracking names it.
    async fn assign_awb(
        &self,
        t: &dyn Transport,
        order: &CreatedOrder,
        courier_id: Option<&str>,
    ) -> Result<AssignedAwb> {
        // A return order's AWB is asked for as a return's.
        let request = match returns::is_return_order(order) {
            true => returns::assign_return_awb_request(&order.shipment_id, courier_id),
            false => assign_awb_request(&order.shipment_id, courier_id),
        };
        let op = Operation::CreateShipment;
        let assigned = self.call(t, op, request, parse_assign_awb_response).await;
        if let Err(CarrierError::Rejected {
            message,
            http_status: 400,
            ..
        }) = &assigned
            && message.to_ascii_lowercase().contains("reassign")
            && let Some(awb) = self.recover_awb(t, &order.shipment_id).await
        {
            tracing::info!(shipment_id = %order.shipment_id, awb = %awb.awb, "recovered the AWB of an earlier assign attempt");
            return Ok(awb);
        }
        assigned
    }

    async fn recover_awb(&self, t: &dyn Transport, shipment_id: &str) -> Option<AssignedAwb> {
        let request = track_shipment_request(shipment_id);
        let read = |resp: &HttpResponse| Ok(parse_tracked_awb(resp));
        self.call(t, Operation::Lookup, request, read).await.ok()?
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
    ) -> Result<CreatedShipment> {
        // Step 2: the AWB. From here on a failure leaves an order behind at Shiprocket, so
        // the error says which one.
        let awb = match order.awb.clone() {
            Some(awb) => awb,
            None => {
                let awb = self
                    .assign_awb(t, &order, courier_id.as_deref())
                    .await
                    .map_err(|e| reworded(e, |m| partial_booking(m, shipment_id, &order)))?;
                order.awb = Some(awb.clone());
                self.remember(shipment_id, &order, Courier::Asked(courier_id.clone()));
                awb
            }
        };

        // Step 3: the label. The AWB is booked whatever happens here.
        let mut carrier_refs = refs([
            ("order_id", Some(order.order_id.as_str())),
            ("shipment_id", Some(&order.shipment_id)),
            ("channel_order_id", Some(shipment_id)),
            ("courier_company_id", awb.courier_company_id.as_deref()),
            ("courier_name", awb.courier_name.as_deref()),
            ("is_return", returns::is_return_order(&order).then_some("1")),
        ]);
        let labels = if !with_label {
            Vec::new()
        } else {
            match self.fetch_label(t, &order.shipment_id).await {
                Ok((url, label)) => {
                    carrier_refs.insert("label_url".into(), url);
                    vec![label]
                }
                Err(e) => {
                    tracing::warn!(shipment_id, awb = %awb.awb, error = %e, "Shiprocket label failed after the AWB was booked");
                    carrier_refs.insert("label_error".into(), e.to_string());
                    Vec::new()
                }
            }
        };
        self.pending.forget(shipment_id);
        let service = awb.courier_company_id.or(courier_id).unwrap_or_default();
        Ok(CreatedShipment {
            labels,
            ..CreatedShipment::new(awb.awb, service, carrier_refs)
                .with_routing_code(awb.routing_code)
        })
    }

    /// The order Shiprocket holds for `channel_order_id`, by the orders search, merged with
    /// what this process remembers of it: the search may not list an order created a
    /// moment ago, and the memory holds the courier id and routing code the list lacks.
    async fn find_order(
        &self,
        t: &dyn Transport,
        channel_order_id: &str,
    ) -> Result<Option<(CreatedOrder, Courier)>> {
        let request = lookup_request(channel_order_id);
        let read = |resp: &HttpResponse| parse_lookup_response(resp, channel_order_id);
        let listed = self.call(t, Operation::Lookup, request, read).await?;
        let remembered = self.pending.get(channel_order_id);
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

    fn remember(&self, shipment_id: &str, order: &CreatedOrder, courier: Courier) {
        let order = order.clone();
        self.pending.put(shipment_id, Pending { order, courier });
    }
}

#[async_trait]
impl Carrier for Shiprocket {
    fn id(&self) -> CarrierId {
        ID
    }

    fn capabilities(&self) -> Capabilities {
        domestic_capabilities(vec![LabelFormat::Pdf])
    }

    /// Shiprocket's tracking push (JSON; the content type is not relied on).
    fn parse_webhook(
        &self,
        _headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<PushedUpdate>> {
        parse_pushes(&self.mapping, body)
    }

    /// The courier's PDF, generated again: for a booking whose label call failed.
    async fn label(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        format: LabelFormat,
    ) -> Result<LabelDocument> {
        if format != LabelFormat::Pdf {
            return Err(CarrierError::Unsupported(
                "a Shiprocket label other than PDF",
            ));
        }
        Shiprocket::label(self, t, shipment).await
    }

    /// A fresh login, never the cached token (which would prove nothing about the email
    /// and password); its token is kept for the calls that follow. Shiprocket refuses a
    /// wrong email or password with its 400 "Invalid email and password combination".
    async fn check_account(&self, t: &dyn Transport) -> Result<AccountCheck> {
        self.session.log_in(t, Operation::CheckAccount).await?;
        Ok(AccountCheck::Verified)
    }

    async fn rates(&self, t: &dyn Transport, req: &RateRequest) -> Result<Vec<RateQuote>> {
        let request = rate_request(req);
        self.call(t, Operation::Rates, request, parse_rate_response)
            .await
    }

    /// The courier serviceability API for the lane at the lightest slab: serviceable when
    /// at least one courier is offered (one collecting cash, for COD). Reverse pickups are
    /// not asked: no sample shows how Shiprocket answers them.
    async fn serviceability(&self, t: &dyn Transport, lane: &Lane) -> Result<Serviceability> {
        if lane.kind == ShipmentKind::Reverse {
            return Err(CarrierError::Unsupported("reverse pickup serviceability"));
        }
        let request = Ok(serviceability_request(lane));
        let read = |resp: &HttpResponse| parse_serviceability_response(resp, lane);
        self.call(t, Operation::Serviceability, request, read).await
    }

    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment> {
        let courier_id = courier_id(req)?;

        // Step 1, unless an earlier attempt for this shipment already created the order.
        let order = match self.pending.get(shipment_id) {
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
                let request = create_order_request(draft);
                let read = parse_create_order_response;
                let order = self
                    .call(t, Operation::CreateShipment, request, read)
                    .await?;
                self.remember(shipment_id, &order, Courier::Asked(courier_id.clone()));
                order
            }
        };
        self.finish_booking(t, shipment_id, order, courier_id, true)
            .await
    }

    async fn cancel(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<CancelOutcome> {
        let refs = shipment.carrier_refs.get("order_id").cloned();
        let pending = || self.pending.get(&shipment.shipment_id);
        let request = match (
            stored_awb(shipment),
            refs.or_else(|| Some(pending()?.order.order_id)),
        ) {
            (Some(awb), _) => cancel_awb_request(awb),
            // No AWB: a booking that stopped after step 1. Cancel its order.
            (None, Some(order_id)) => cancel_order_request(&order_id),
            (None, None) => Err(CarrierError::NotSent(
                "neither an AWB nor a Shiprocket order id to cancel".into(),
            )),
        };
        let outcome = self
            .call(t, Operation::Cancel, request, parse_cancel_response)
            .await?;
        self.pending.forget(&shipment.shipment_id);
        Ok(outcome)
    }

    /// See the module docs, "Lookup after an unknown outcome".
    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>> {
        let channel_order_id = shipment.shipment_id.trim();
        let Some((order, remembered)) = self.find_order(t, channel_order_id).await? else {
            return Ok(None);
        };
        let asked = shipment.carrier_refs.get("courier_company_id");
        let courier = match trimmed(asked.map(String::as_str)) {
            Some(id) => Courier::Asked(Some(id.to_string())),
            None => remembered,
        };
        let cancelled = self.is_cancelled(&order);
        let sr_order_id = order.order_id.clone();
        let Some(mut awb) = order.awb.clone() else {
            if cancelled {
                tracing::info!(channel_order_id, %sr_order_id, "Shiprocket order cancelled before an AWB: no booking");
                self.pending.forget(channel_order_id);
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

    async fn track(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let (request, awb) = match (
            stored_awb(shipment),
            shipment.carrier_refs.get("shipment_id"),
        ) {
            (Some(awb), _) => (track_awb_request(awb)?, awb),
            (None, Some(id)) => (track_shipment_request(id)?, ""),
            (None, None) => {
                return Err(CarrierError::NotSent(
                    "neither an AWB nor a Shiprocket shipment id to track".into(),
                ));
            }
        };
        let read = |resp: &HttpResponse| parse_track_response(&self.mapping, awb, resp);
        self.call(t, Operation::Track, Ok(request), read).await
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

    fn manifests(&self) -> Option<&dyn Manifests> {
        Some(self)
    }
}

#[async_trait]
impl NdrActions for Shiprocket {
    /// Every kind: a new date, phone or address rides on a re-attempt.
    fn offers(&self, _: NdrActionKind) -> bool {
        true
    }

    async fn act(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        action: &NdrAction,
    ) -> Result<NdrOutcome> {
        let Some(awb) = stored_awb(shipment) else {
            return Err(CarrierError::NotSent("no AWB to instruct".into()));
        };
        let request = ndr_action_request(awb, action);
        self.call(t, Operation::NdrAction, request, parse_ndr_action_response)
            .await
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

/// `message` with the order a failed step 2 leaves behind.
fn partial_booking(message: &str, shipment_id: &str, order: &CreatedOrder) -> String {
    format!(
        "{message} [Shiprocket order {} / shipment {} (channel order id {shipment_id}) exists \
         without an AWB: creating again with the same shipment id continues it, cancelling the \
         shipment cancels the order]",
        order.order_id, order.shipment_id
    )
}

/// Shiprocket's login, for the kit's [`Session`].
struct ShiprocketLogin {
    email: Zeroizing<String>,
    password: Zeroizing<String>,
}

impl Login for ShiprocketLogin {
    fn request(&self) -> Result<HttpRequest> {
        login_request(&self.email, &self.password)
    }

    fn parse(&self, resp: &HttpResponse) -> Result<Token> {
        parse_login_response(resp).map(|value| Token {
            value,
            expires_in: None,
        })
    }
}
