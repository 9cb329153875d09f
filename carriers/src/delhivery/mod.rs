//! Delhivery B2C (one.delhivery.com / track.delhivery.com): rates, booking, cancellation
//! and tracking.
//!
//! Each operation is a request builder and a response parser (both public, so tests and
//! the gateway can replay recorded payloads through them) tied together by the
//! [`Carrier`] impl, which only sequences calls through the gateway's [`Transport`].
//!
//! Things about Delhivery that shape this module:
//! - **Errors inside HTTP 200.** Create answers `success:false` with remarks, tracking
//!   answers `Success:false` with `Error`; both become [`CarrierError::Rejected`] with a
//!   stable code (Delhivery has no error codes, only sentences).
//! - **No idempotency key on create, but a client reference.** shipgate's shipment id is
//!   sent as `order`; when a booking's outcome is unknown the gateway calls
//!   [`Carrier::lookup`], which tracks by `ref_ids=<shipment id>`: a shipment in the
//!   answer is the booking, Delhivery's "Data does not exists" error means there is none.
//!   A retried create that Delhivery refuses as `duplicate_order_id` means a booking
//!   exists too, so even a lookup that missed it cannot lead to a second waybill.
//! - **Three levels of status** (StatusType, Status text, NSL code), mapped as data in
//!   `mappings/delhivery.toml` and resolved by [`resolve`].
//! - **Zone-less IST timestamps**, read with [`crate::kit::time::IST`].
//! - **Labels**: Delhivery's packing slip is JSON, not a document, so the gateway renders
//!   the label itself from the AWB and the `sort_code` returned here as `routing_code`.

pub mod simulator;
pub mod wire;

use std::sync::OnceLock;

use async_trait::async_trait;

use crate::CarrierError;
use crate::carrier::{
    Capabilities, Carrier, CarrierId, CarrierSpec, Operation, Settings, Transport, setting,
};
use crate::mapping::Mapping;
use crate::schema::{
    CancelOutcome, CreatedShipment, Lane, PushedUpdate, RateQuote, RateRequest, Serviceability,
    ShipmentRef, ShipmentRequest, TrackingEvent, TrackingUpdate, read_pushes,
};
use crate::taxonomy::{Status, Unified};
use crate::wire::{HttpRequest, HttpResponse};

use wire::{
    CreateInput, DelhiveryCancelRequest, DelhiveryCancelResponse, DelhiveryChargesRequest,
    DelhiveryChargesResponse, DelhiveryCreateRequest, DelhiveryCreateResponse,
    DelhiveryPincodeResponse, DelhiveryTrackResponse, DelhiveryTrackedShipment, DelhiveryWebhook,
    RawScan,
};
pub use wire::{Service, WireError};

pub const ID: CarrierId = "delhivery";

pub const CREATE_PATH: &str = "/api/cmu/create.json";
pub const TRACK_PATH: &str = "/api/v1/packages/json/";
pub const CANCEL_PATH: &str = "/api/p/edit";
pub const PINCODE_PATH: &str = "/c/api/pin-codes/json/";
pub const CHARGES_PATH: &str = "/api/kinko/v1/invoice/charges/.json";

/// Code of the rejection for a 401/403: the API token is wrong, expired, or from the
/// other environment.
pub const UNAUTHORIZED: &str = "unauthorized";
pub use wire::{CANCEL_REFUSED, TRACK_ERROR, TRACK_NOT_FOUND};

/// The status mapping file, embedded so the binary cannot start with a different one.
pub const MAPPING_TOML: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../mappings/delhivery.toml"
));

/// The parsed mapping, shared by every adapter instance and by [`parse_webhook`]
/// callers. Parsed once; an invalid file is an error every time it is asked for.
pub fn mapping() -> Result<&'static Mapping, String> {
    static MAPPING: OnceLock<Result<Mapping, String>> = OnceLock::new();
    MAPPING
        .get_or_init(|| {
            Mapping::parse(ID, MAPPING_TOML).map_err(|e| format!("mappings/delhivery.toml: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: ID,
        name: "Delhivery",
        // Delhivery's production host; its staging host is staging-express.delhivery.com.
        live_base_url: "https://track.delhivery.com",
        required_settings: &["api_token", "pickup_location"],
        // Tracking answers in well under a second; create occasionally takes several
        // seconds while Delhivery checks the wallet and allocates a waybill.
        default_timeout_ms: 10_000,
        // Delhivery publishes per-API limits (the charges API: 40 a minute; tracking: 750
        // per 5 minutes); 2.5/s keeps every call type within the tracking figure.
        default_quota_per_second: 2.5,
        // Delhivery's push sends whatever authorization header the client asks for when
        // the push is set up (its docs: "share … authorization header").
        webhook_token_header: "authorization",
        sandbox_settings: simulator::sandbox_settings,
        build: |settings| {
            Delhivery::new(settings).map(|adapter| Box::new(adapter) as Box<dyn Carrier>)
        },
        simulator: || Box::new(simulator::DelhiverySimulator::new()),
    }
}

/// Finds the unified status of one scan.
///
/// Order: the NSL code, then `"<StatusType>/<Status>"`, then the StatusType alone; `None`
/// when nothing maps, so the caller keeps the raw code as `unknown/unmapped` rather than
/// guessing.
///
/// NSL codes are shared between legs (the same `DLYLH-109 Vehicle Breakdown` arrives on
/// the forward and the return leg; `RD-AC1` is "RTO/DTO Delivered"), while the
/// StatusType/Status pair names the leg. So when the pair says the parcel is returning
/// (`rto`) or has been handed over (`delivered`) and the NSL row names another status,
/// the pair wins; an exception (lost, damaged) keeps the NSL meaning. With no known pair,
/// StatusType `RT` alone still settles that the parcel is on its way back (`DL` alone
/// does not: it ends both the forward and the return leg).
pub fn resolve(
    mapping: &Mapping,
    status_type: &str,
    status: &str,
    nsl_code: &str,
) -> Option<Unified> {
    let (status_type, status, nsl_code) = (status_type.trim(), status.trim(), nsl_code.trim());
    let by_code = (!nsl_code.is_empty())
        .then(|| mapping.lookup("nsl", nsl_code))
        .flatten();
    let by_pair = (!status_type.is_empty() && !status.is_empty())
        .then(|| mapping.lookup("status", &format!("{status_type}/{status}")))
        .flatten();
    let by_type = (!status_type.is_empty())
        .then(|| mapping.lookup("status_type", status_type))
        .flatten();
    let leg = by_pair.or(by_type.filter(|u| u.status == Status::Rto));
    if let (Some(code), Some(leg)) = (by_code, leg)
        && matches!(leg.status, Status::Rto | Status::Delivered)
        && code.status != leg.status
        && code.status != Status::Exception
    {
        return Some(leg);
    }
    by_code.or(by_pair).or(by_type)
}

/// One scan as a unified event; an unparseable time makes the whole answer unreadable.
fn event(mapping: &Mapping, awb: &str, scan: RawScan) -> Result<TrackingEvent, WireError> {
    let time = wire::IST.parse(&scan.time).ok_or_else(|| {
        WireError::Malformed(format!(
            "scan {:?} on {awb} has an unreadable time {:?}",
            scan.nsl_code, scan.time
        ))
    })?;
    let unified =
        resolve(mapping, &scan.status_type, &scan.status, &scan.nsl_code).unwrap_or_else(|| {
            tracing::warn!(
                carrier = ID,
                awb,
                status_type = %scan.status_type,
                status = %scan.status,
                nsl_code = %scan.nsl_code,
                "unmapped Delhivery status; kept as unknown/unmapped"
            );
            Unified::UNMAPPED
        });
    // The NSL code is the most specific raw code; scans without one keep the StatusType.
    let code = if scan.nsl_code.is_empty() {
        scan.status_type.clone()
    } else {
        scan.nsl_code.clone()
    };
    Ok(TrackingEvent::new(unified, code, scan.status, time)
        .with_location(scan.location)
        .with_description(scan.instructions))
}

fn tracking_update(
    mapping: &Mapping,
    shipment: &DelhiveryTrackedShipment,
) -> Result<TrackingUpdate, WireError> {
    let awb = shipment
        .awb
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| WireError::Malformed("tracked shipment has no AWB".into()))?
        .to_string();
    let mut events = shipment
        .raw_scans()
        .into_iter()
        .map(|scan| event(mapping, &awb, scan))
        .collect::<Result<Vec<_>, _>>()?;
    // Delhivery lists scans oldest first; a stable sort keeps that order for equal times.
    events.sort_by_key(|e| e.event_time);
    Ok(TrackingUpdate { awb, events })
}

/// Turns a non-2xx answer into an error: 5xx may have happened (`Upstream`); 401/403
/// is a token problem; other 4xx are refusals carrying whatever message the body has
/// (`{"detail": …}` from the API, or the `<h1>` of an HTML error page).
fn check_http(resp: &HttpResponse) -> Result<(), CarrierError> {
    resp.fail_on_server_error()?;
    if resp.is_success() || resp.status < 400 {
        return Ok(());
    }
    let message = crate::kit::error_body::message(resp);
    let code = match resp.status {
        401 | 403 => UNAUTHORIZED.to_string(),
        429 => "rate_limited".to_string(),
        other => format!("http_{other}"),
    };
    Err(CarrierError::rejected(code, message, resp.status))
}

// ---------------------------------------------------------------------------------------
// Parsers: pure functions from a carrier answer to unified values
// ---------------------------------------------------------------------------------------

/// Reads a create answer (`/api/cmu/create.json`).
pub fn parse_create_response(
    resp: &HttpResponse,
    service: Service,
) -> Result<CreatedShipment, CarrierError> {
    check_http(resp)?;
    let answer: DelhiveryCreateResponse = resp.json()?;
    CreatedShipment::try_from((answer, service)).map_err(|e| e.into_carrier_error(resp.status))
}

/// Reads a tracking answer; with several shipments (a `ref_ids` lookup that matched
/// more than one booking) the first is returned and the rest logged.
pub fn parse_track_response(
    mapping: &Mapping,
    resp: &HttpResponse,
) -> Result<TrackingUpdate, CarrierError> {
    let mut updates = parse_track_response_all(mapping, resp)?;
    if updates.len() > 1 {
        tracing::warn!(
            carrier = ID,
            awbs = ?updates.iter().map(|u| u.awb.as_str()).collect::<Vec<_>>(),
            "Delhivery returned several shipments for one query; using the first"
        );
    }
    Ok(updates.swap_remove(0))
}

/// Every shipment in a tracking answer (never empty on success).
pub fn parse_track_response_all(
    mapping: &Mapping,
    resp: &HttpResponse,
) -> Result<Vec<TrackingUpdate>, CarrierError> {
    check_http(resp)?;
    let answer: DelhiveryTrackResponse = resp.json()?;
    let shipments = answer
        .into_shipments()
        .map_err(|e| e.into_carrier_error(resp.status))?;
    shipments
        .iter()
        .map(|s| tracking_update(mapping, s))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.into_carrier_error(resp.status))
}

/// Reads a `ref_ids=` lookup answer: the booking made under `reference`, or `None` when
/// Delhivery has no data for it (its "Data does not exists …" error inside HTTP 200, or an
/// empty `ShipmentData`). Every other refusal stays an error, since it says nothing about
/// whether the booking exists. A booking cancelled since is still the booking.
pub fn parse_lookup_response(
    resp: &HttpResponse,
    reference: &str,
) -> Result<Option<CreatedShipment>, CarrierError> {
    check_http(resp)?;
    let answer: DelhiveryTrackResponse = resp.json()?;
    let shipments = match answer.into_shipments() {
        Ok(shipments) => shipments,
        Err(WireError::Refused { code, .. }) if code == TRACK_NOT_FOUND => return Ok(None),
        Err(e) => return Err(e.into_carrier_error(resp.status)),
    };
    let mut ours = shipments.iter().filter(|s| s.has_reference(reference));
    let Some(found) = ours.next() else {
        // Not "no booking": Delhivery matched the reference to something, just not in a
        // way shipgate can confirm, and guessing "none" would invite a second booking.
        return Err(CarrierError::bad_response(format!(
            "Delhivery answered ref_ids={reference} with other references only: {:?}",
            shipments
                .iter()
                .map(|s| s.reference_no.as_deref().unwrap_or_default())
                .collect::<Vec<_>>()
        )));
    };
    let others: Vec<&str> = ours.filter_map(|s| s.awb.as_deref()).collect();
    if !others.is_empty() {
        // Delhivery refuses a reused `order`, so this should not happen; the first one is
        // the one a cancel or a track by reference would act on as well.
        tracing::warn!(carrier = ID, reference, awb = ?found.awb, ?others, "several Delhivery bookings under one reference; using the first");
    }
    CreatedShipment::try_from(found)
        .map(Some)
        .map_err(|e| e.into_carrier_error(resp.status))
}

/// Reads a scan push from Delhivery (the body of `POST /v1/carriers/delhivery/webhooks`).
/// The answer holds the one new event; the gateway merges it by event time.
pub fn parse_webhook(mapping: &Mapping, body: &[u8]) -> Result<TrackingUpdate, CarrierError> {
    let push: DelhiveryWebhook = serde_json::from_slice(body)
        .map_err(|e| CarrierError::bad_response(format!("unreadable Delhivery push: {e}")))?;
    let pushed = pushed_update(mapping, push)?;
    Ok(TrackingUpdate {
        awb: pushed.awb,
        events: pushed.events,
    })
}

/// Reads a push body as the gateway receives it: one `{"Shipment": …}` object, as
/// documented, or an array of them (Delhivery batches scans for some accounts). In an
/// array, an entry that cannot be read is logged and skipped so that one bad scan does
/// not cost the others; the push is an error only when nothing in it can be read.
pub fn parse_pushes(mapping: &Mapping, body: &[u8]) -> Result<Vec<PushedUpdate>, CarrierError> {
    read_pushes(ID, body, |push: DelhiveryWebhook| {
        pushed_update(mapping, push)
    })
}

fn pushed_update(mapping: &Mapping, push: DelhiveryWebhook) -> Result<PushedUpdate, CarrierError> {
    let awb = push
        .shipment
        .awb
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| CarrierError::bad_response("Delhivery push without an AWB"))?
        .to_string();
    let scan = push
        .shipment
        .raw_scan()
        .ok_or_else(|| CarrierError::bad_response("Delhivery push without a Status"))?;
    let event = event(mapping, &awb, scan).map_err(|e| e.into_carrier_error(200))?;
    let reference = push
        .shipment
        .reference_no
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    Ok(PushedUpdate {
        awb,
        reference,
        events: vec![event],
    })
}

/// Reads a cancel answer (XML, even though the request is JSON).
pub fn parse_cancel_response(resp: &HttpResponse) -> Result<CancelOutcome, CarrierError> {
    check_http(resp)?;
    let reply = DelhiveryCancelResponse::from_xml(&resp.text())
        .map_err(|e| e.into_carrier_error(resp.status))?;
    CancelOutcome::try_from(reply).map_err(|e| e.into_carrier_error(resp.status))
}

/// Reads a pincode serviceability answer.
pub fn parse_serviceability_response(
    resp: &HttpResponse,
) -> Result<DelhiveryPincodeResponse, CarrierError> {
    check_http(resp)?;
    resp.json()
}

/// Whether Delhivery serves `lane`, from its pincode answer. Delhivery lists only the PIN
/// codes it serves, with `Y`/`N` flags: delivery by payment mode (`pre_paid`, `cod`) and
/// `pickup`. A reverse pickup is a pickup at the customer's PIN code, so it reads the same
/// `pickup` flag there (the captures show no separate reverse flag; `repl` is not read).
pub fn lane_serviceability(pins: &DelhiveryPincodeResponse, lane: &Lane) -> Serviceability {
    let (pickup, delivery) = (lane.pickup_pincode.as_str(), lane.delivery_pincode.as_str());
    let Some(to) = pins.find(delivery) else {
        return Serviceability::not(format!("Delhivery does not serve PIN {delivery}"));
    };
    let delivers = if lane.cod { to.cod } else { to.pre_paid };
    if delivers != Some(true) {
        return Serviceability::not(format!(
            "Delhivery does not deliver {} parcels to PIN {delivery}",
            lane.payment_label()
        ));
    }
    match pins.find(pickup) {
        Some(from) if from.picks_up() => Serviceability::Serviceable,
        Some(_) => Serviceability::not(format!("Delhivery does not pick up at PIN {pickup}")),
        None => Serviceability::not(format!("Delhivery does not serve PIN {pickup}")),
    }
}

/// Reads a charges answer: `None` when Delhivery does not serve the lane (`NSZ`, or no
/// priced option), a quote otherwise.
pub fn parse_charges_response(
    resp: &HttpResponse,
    service: Service,
) -> Result<Option<RateQuote>, CarrierError> {
    check_http(resp)?;
    let value: serde_json::Value = resp.json()?;
    let answer = DelhiveryChargesResponse::from_value(value)
        .map_err(|e| e.into_carrier_error(resp.status))?;
    match answer {
        DelhiveryChargesResponse::Error(code)
            if code.eq_ignore_ascii_case(wire::CHARGES_NOT_SERVICEABLE) =>
        {
            Ok(None)
        }
        // A blank `error` (found by fuzzing) would be a refusal without a code.
        DelhiveryChargesResponse::Error(code) if code.is_empty() => Err(CarrierError::rejected(
            wire::CHARGES_ERROR,
            "Delhivery could not price the shipment and gave no reason",
            resp.status,
        )),
        DelhiveryChargesResponse::Error(code) => Err(CarrierError::rejected(
            code.clone(),
            format!("Delhivery could not price the shipment: {code}"),
            resp.status,
        )),
        DelhiveryChargesResponse::Priced(items) => {
            let Some(first) = items.into_iter().next() else {
                return Ok(None);
            };
            let quote = RateQuote::try_from((first, service))
                .map_err(|e| e.into_carrier_error(resp.status))?;
            // A zero price is how an unpriced lane looks, not a free shipment.
            Ok((quote.total.amount > 0).then_some(quote))
        }
    }
}

// ---------------------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------------------

/// The Delhivery adapter: the API token and the registered warehouse name, plus the
/// mapping checked at build time.
pub struct Delhivery {
    api_token: String,
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
            api_token: setting(settings, "api_token")?.trim().to_string(),
            pickup_location: setting(settings, "pickup_location")?.trim().to_string(),
            mapping: mapping()?,
        })
    }

    pub fn mapping(&self) -> &'static Mapping {
        self.mapping
    }

    fn authorised(&self, request: HttpRequest) -> HttpRequest {
        request
            .secret(&self.api_token)
            .header("authorization", format!("Token {}", self.api_token))
    }

    /// `POST /api/cmu/create.json` with `format=json&data=<shipment JSON>`.
    pub fn create_request(
        &self,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<HttpRequest, CarrierError> {
        let body = DelhiveryCreateRequest::try_from(CreateInput {
            shipment_id,
            request: req,
            pickup_location: &self.pickup_location,
        })?;
        self.authorised(HttpRequest::post(CREATE_PATH))
            .form(&body.form_fields()?)
    }

    /// Tracking by AWB. `verbose=1` is the smallest answer with the scan history
    /// (`verbose=2` only adds the consignee's personal data).
    pub fn track_request(&self, awb: &str) -> HttpRequest {
        self.authorised(HttpRequest::get(TRACK_PATH))
            .query("waybill", awb.trim())
            .query("verbose", "1")
    }

    /// Tracking by the client reference sent as `order` at booking: how a booking whose
    /// answer was lost is found again.
    pub fn lookup_request(&self, reference: &str) -> HttpRequest {
        self.authorised(HttpRequest::get(TRACK_PATH))
            .query("ref_ids", reference.trim())
            .query("verbose", "1")
    }

    /// `POST /api/p/edit` with `{"waybill": …, "cancellation": "true"}`.
    pub fn cancel_request(&self, awb: &str) -> Result<HttpRequest, CarrierError> {
        self.authorised(HttpRequest::post(CANCEL_PATH))
            .header("accept", "application/xml, application/json")
            .json(&DelhiveryCancelRequest::new(awb.trim()))
    }

    /// Serviceability of several pincodes in one call.
    pub fn serviceability_request(&self, pincodes: &[&str]) -> HttpRequest {
        self.authorised(HttpRequest::get(PINCODE_PATH))
            .query("filter_codes", pincodes.join(","))
    }

    pub fn charges_request(
        &self,
        req: &RateRequest,
        service: Service,
    ) -> Result<HttpRequest, CarrierError> {
        let query = DelhiveryChargesRequest::try_from((req, service))?;
        Ok(query.query_pairs().into_iter().fold(
            self.authorised(HttpRequest::get(CHARGES_PATH)),
            |r, (k, v)| r.query(k, v),
        ))
    }

    /// The label routing code for a destination pincode. Create returns it as
    /// `sort_code`, and the pincode API lists the same code for the destination (both
    /// `CHA/RAM` for 135001 in the 2026 captures), so a shipment whose create answer was
    /// lost and later found by reference can still get its label.
    pub async fn routing_code(
        &self,
        t: &dyn Transport,
        destination_pin: &str,
    ) -> Result<Option<String>, CarrierError> {
        let resp = t
            .send(
                Operation::Serviceability,
                self.serviceability_request(&[destination_pin]),
            )
            .await?;
        let pins = parse_serviceability_response(&resp)?;
        Ok(pins
            .find(destination_pin)
            .and_then(|p| p.sort_code.as_deref())
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string))
    }

    /// The AWB of a shipment: the stored one, or looked up by shipgate's reference.
    async fn awb_of(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<String, CarrierError> {
        if let Some(awb) = shipment.awb.as_deref().filter(|a| !a.trim().is_empty()) {
            return Ok(awb.trim().to_string());
        }
        let resp = t
            .send(
                Operation::Lookup,
                self.lookup_request(&shipment.shipment_id),
            )
            .await?;
        Ok(parse_track_response(self.mapping, &resp)?.awb)
    }
}

#[async_trait]
impl Carrier for Delhivery {
    fn id(&self) -> CarrierId {
        ID
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            rates: true,
            create_shipment: true,
            cancel: true,
            track: true,
            cod: true,
            international: false,
            native_label_formats: Vec::new(),
            webhooks: true,
            serviceability: true,
            ..Capabilities::default()
        }
    }

    /// Delhivery's scan push; the body alone says everything (JSON whatever the
    /// content type claims).
    fn parse_webhook(
        &self,
        _headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<PushedUpdate>, CarrierError> {
        parse_pushes(self.mapping, body)
    }

    /// Serviceability first (one call for both pincodes), then one charges call per
    /// service. Not serviceable (destination not delivered for this payment mode, or
    /// origin not picked up) is an empty list, not an error.
    async fn rates(
        &self,
        t: &dyn Transport,
        req: &RateRequest,
    ) -> Result<Vec<RateQuote>, CarrierError> {
        if req.from.country != "IN" || req.to.country != "IN" {
            return Ok(Vec::new());
        }
        let (from, to) = (req.from.postal_code.as_str(), req.to.postal_code.as_str());
        let resp = t
            .send(
                Operation::Serviceability,
                self.serviceability_request(&[to, from]),
            )
            .await?;
        let pins = parse_serviceability_response(&resp)?;
        if !lane_serviceability(&pins, &Lane::of_rate_request(req)).is_serviceable() {
            return Ok(Vec::new());
        }
        let mut quotes = Vec::new();
        for service in Service::ALL {
            let resp = t
                .send(Operation::Rates, self.charges_request(req, service)?)
                .await?;
            if let Some(quote) = parse_charges_response(&resp, service)? {
                quotes.push(quote);
            }
        }
        Ok(quotes)
    }

    /// The pincode API for both ends of the lane in one call.
    async fn serviceability(
        &self,
        t: &dyn Transport,
        lane: &Lane,
    ) -> Result<Serviceability, CarrierError> {
        let resp = t
            .send(
                Operation::Serviceability,
                self.serviceability_request(&[&lane.delivery_pincode, &lane.pickup_pincode]),
            )
            .await?;
        Ok(lane_serviceability(
            &parse_serviceability_response(&resp)?,
            lane,
        ))
    }

    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment, CarrierError> {
        let service = Service::from_code(req.service.as_deref())?;
        let request = self.create_request(shipment_id, req)?;
        let resp = t.send(Operation::CreateShipment, request).await?;
        parse_create_response(&resp, service)
    }

    async fn cancel(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<CancelOutcome, CarrierError> {
        let awb = self.awb_of(t, shipment).await?;
        let resp = t
            .send(Operation::Cancel, self.cancel_request(&awb)?)
            .await?;
        parse_cancel_response(&resp)
    }

    /// One tracking call by `ref_ids=<shipment id>`. The answer has neither the shipping
    /// mode nor the destination pincode, so `service` is Surface and `routing_code` is
    /// empty; the gateway has both from the request (and [`Delhivery::routing_code`] for
    /// the label).
    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>, CarrierError> {
        let reference = shipment.shipment_id.trim();
        if reference.is_empty() {
            return Err(CarrierError::NotSent(
                "no shipment id to look the Delhivery booking up by".into(),
            ));
        }
        let resp = t
            .send(Operation::Lookup, self.lookup_request(reference))
            .await?;
        parse_lookup_response(&resp, reference)
    }

    async fn track(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<TrackingUpdate, CarrierError> {
        let (op, request) = match shipment.awb.as_deref().filter(|a| !a.trim().is_empty()) {
            Some(awb) => (Operation::Track, self.track_request(awb)),
            None => (
                Operation::Lookup,
                self.lookup_request(&shipment.shipment_id),
            ),
        };
        let resp = t.send(op, request).await?;
        parse_track_response(self.mapping, &resp)
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
