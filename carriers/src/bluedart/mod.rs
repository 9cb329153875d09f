//! Blue Dart (apigateway.bluedart.com, Blue Dart's REST API behind DHL's API gateway):
//! pincode serviceability, waybills (forward and reverse pickups), cancellation, XML
//! tracking, lookup by client reference and the three status push products. Requests are
//! built in [`requests`], answers read in [`parse`]; this module sequences the calls.
//!
//! Things about Blue Dart that shape the adapter:
//! - **Two sets of credentials.** The API gateway admits a caller by a JWT from
//!   `GET /token/v1/login` (headers `ClientID`, `clientSecret`), sent as the `JWTToken`
//!   header; Blue Dart itself identifies the customer by `LoginID` and `LicenceKey` in the
//!   `Profile` of every body (and `loginid`/`lickey` in the tracking query). The JWT is
//!   kept by [`kit::session`](crate::kit::session) for as long as its `exp` claim says
//!   (the login answer states no lifetime) and replaced on a 401.
//! - **Errors three ways**: the gateway's `error-response` list with a 4xx, `IsError` and
//!   a `Status` list inside HTTP 200 (waybill refused, pincode not served, wrong licence
//!   key), and `<Error>` in the XML tracking answer ([`parse`]).
//! - **References and lookup.** shipgate's shipment id goes as `CreditReferenceNo`, which
//!   Blue Dart keeps unique per account, and tracking takes `awb=ref` to search by it: a
//!   booking whose answer was lost is found by [`Carrier::lookup`] with one tracking call.
//!   Blue Dart allocates the AWB in the waybill call itself (no AWB series to pre-fetch in
//!   this API), so there is no AWB pool.
//! - **Rates: none.** Blue Dart publishes no rate API (its finder answers services and
//!   transit times, not prices): `capabilities.rates` is false and the gateway quotes a
//!   Blue Dart account from the tenant's rate card.
//! - **Serviceability** is `GetServicesforPincode`, one call per pincode: e-tail prepaid
//!   and COD flags, inbound (delivery) and outbound (pickup), by air and by ground, and
//!   `ApexEDLDist` > 0 for an extended delivery location (Blue Dart's ODA, served with
//!   added days, so not refused).
//! - **Labels**: the waybill answer carries Blue Dart's own label PDF (`AWBPrintContent`,
//!   base64 or a byte array); it is kept as sent. Blue Dart has no call to print a label
//!   again, so a booking found by lookup gets shipgate's label with Blue Dart's
//!   destination area as routing code (`native_label_formats` stays empty for that
//!   reason: the gateway must not ask Blue Dart for a label it cannot give).
//! - **Zones**: Blue Dart's API names three-letter areas (`DEL`, `BLR`: the account's
//!   `origin_area`, the waybill's `DestinationArea`), never price zones; those live in the
//!   tenant's rate card.
//! - **E-way bills** go to Blue Dart through a call of their own ("Update EwayBill" in the
//!   developer guide), which shipgate's shipment request gives no number for yet: not sent.
//! - **Units**: kilograms (text, three decimals, rounded up), centimetres, rupees; times
//!   are IST wall times without a zone (`29-Jul-2017 14:08` in tracking, `23-05-2019` +
//!   `1448` in pushes), read through [`kit::time`](crate::kit::time).
//! - **Status codes** come in groups whose digits overlap (`S/001` inscan, `T/001` future
//!   delivery asked): mapped as `group/code` in `mappings/bluedart.toml`, resolved by
//!   [`resolve`]. Failed attempts are `delivery_failed` reasons with Blue Dart's words
//!   kept as the event's carrier status, numbered as attempts.
//! - **Pushes** (Push API: Lite, Plus, Advance; the same endpoint reads all three): JSON
//!   `{"statustracking": [{"Shipment": …}]}` POSTed by Blue Dart with the headers the
//!   customer gives it when the push is set up, `client-id` and `token`. The gateway's
//!   token-header check covers `token` ([`spec`]'s `webhook_token_header`); `client-id`
//!   is not checked, and Blue Dart signs nothing (no HMAC), so the token is the only
//!   authentication besides Blue Dart's published source IPs. Advance's doorstep QC
//!   result becomes a `qc_failed` event with the QC Master's reasons.
//! - **Families.** Returns: reverse pickups are waybills with `IsReversePickup`, no QC
//!   fields in the waybill API (QC results only arrive in Advance pushes), so
//!   `offers_qc` is false. Not built, and why: NDR actions (Blue Dart's developer guide
//!   lists an "ALTInstruction Update", but no public source shows its request, so
//!   nothing would be sent that anyone could check), COD remittance (no API in Blue
//!   Dart's developer guide or in any public integration found) and manifests (none:
//!   the waybill call is the manifest, and pickups are registered with the waybill
//!   numbers). Pickups
//!   ([`pickups`]): `RegisterPickup` with the address, the waybills and a time window,
//!   answered with a token (the pickup's id), cancelled by token and date; Blue Dart keeps
//!   no registry of pickup locations, so shipgate keeps them.
//! - **Limits**: Blue Dart publishes no quota; the gateway's default is a conservative
//!   2 calls a second.

pub mod parse;
pub mod pickups;
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
use crate::families::{Pickups, ReturnRequest, Returns};
use crate::kit::adapter::{Result, domestic_capabilities};
use crate::kit::lenient::trimmed;
use crate::kit::session::{Login, Session, Token};
use crate::kit::tracking::stored_awb;
use crate::mapping::Mapping;
use crate::schema::{
    CancelOutcome, CreatedShipment, Lane, PushedUpdate, RateQuote, RateRequest, Serviceability,
    ShipmentRef, ShipmentRequest, TrackingUpdate,
};
use crate::wire::{HttpRequest, HttpResponse};

pub use parse::*;
pub use requests::{Service, check_reference};

pub const ID: CarrierId = "bluedart";

/// The pincode an account check asks about (New Delhi GPO): only whether Blue Dart
/// answers with the account's JWT and licence key matters.
pub const CHECK_PINCODE: &str = "110001";

/// How long a JWT is reused when it carries no `exp` claim.
pub const DEFAULT_TOKEN_LIFE: Duration = Duration::from_secs(12 * 3600);

crate::embedded_mapping!("bluedart.toml");

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: ID,
        name: "Blue Dart",
        // Blue Dart's production gateway; its sandbox is apigateway-sandbox.bluedart.com.
        live_base_url: "https://apigateway.bluedart.com/in/transportation",
        settings: &[
            SettingSpec {
                key: "client_id",
                secret: true,
                required: true,
                about: "The API gateway's ClientID (DHL API developer portal app key)",
            },
            SettingSpec {
                key: "client_secret",
                secret: true,
                required: true,
                about: "The API gateway's clientSecret of the same app",
            },
            SettingSpec {
                key: "login_id",
                secret: true,
                required: true,
                about: "Blue Dart's LoginID for the account (the profile of every call)",
            },
            SettingSpec {
                key: "licence_key",
                secret: true,
                required: true,
                about: "Blue Dart's LicenceKey for the account",
            },
            SettingSpec {
                key: "customer_code",
                secret: false,
                required: true,
                about: "The account's Blue Dart customer code, the shipper of every waybill",
            },
            SettingSpec {
                key: "origin_area",
                secret: false,
                required: true,
                about: "The three-letter Blue Dart area code of the pickup location",
            },
        ],
        // The waybill call renders the label PDF before answering: several seconds.
        default_timeout_ms: 15_000,
        // Blue Dart publishes no limit; 2/s is a conservative figure.
        default_quota_per_second: 2.0,
        // The push carries the token the customer gave Blue Dart in a `token` header
        // (with `client-id`, unchecked; see the module docs).
        webhook_token_header: "token",
        webhook_signature_header: None,
        domestic: &["IN"],
        sandbox_settings: simulator::sandbox_settings,
        build: |settings| {
            BlueDart::new(settings).map(|adapter| Box::new(adapter) as Box<dyn Carrier>)
        },
        simulator: || Box::new(simulator::BlueDartSimulator::new()),
    }
}

/// Logging in to the API gateway: the client id and secret as headers, the JWT back, on
/// every call as the `JWTToken` header.
struct GatewayLogin {
    client_id: Zeroizing<String>,
    client_secret: Zeroizing<String>,
}

impl Login for GatewayLogin {
    fn request(&self) -> Result<HttpRequest> {
        Ok(HttpRequest::get(requests::LOGIN_PATH)
            .secret_header("ClientID", self.client_id.to_string())
            .secret_header("clientSecret", self.client_secret.to_string()))
    }

    fn parse(&self, resp: &HttpResponse) -> Result<Token> {
        parse_login(resp)
    }

    fn authorize(&self, request: HttpRequest, token: &str) -> HttpRequest {
        request.secret(token).header("JWTToken", token)
    }
}

/// The Blue Dart adapter: the gateway session (holding the client id and secret), the account's profile credentials and
/// shipper details, and the mapping checked at build time. Credentials are wiped from
/// memory when the adapter goes.
pub struct BlueDart {
    pub(crate) login_id: Zeroizing<String>,
    pub(crate) licence_key: Zeroizing<String>,
    pub(crate) customer_code: String,
    pub(crate) origin_area: String,
    session: Session,
    mapping: &'static Mapping,
}

impl std::fmt::Debug for BlueDart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No credential ever appears in logs.
        f.debug_struct("BlueDart")
            .field("customer_code", &self.customer_code)
            .field("origin_area", &self.origin_area)
            .finish_non_exhaustive()
    }
}

impl BlueDart {
    /// Builds from the settings [`spec`] lists; fails with the reason when one is missing
    /// or the embedded mapping is invalid.
    pub fn new(settings: &Settings) -> Result<Self, String> {
        let read = |key| setting(settings, key).map(|v| v.trim().to_string());
        let secret = |key| read(key).map(Zeroizing::new);
        let origin_area = read("origin_area")?.to_ascii_uppercase();
        if origin_area.len() != 3 || !origin_area.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(format!(
                "origin_area: a three-letter Blue Dart area code, not {origin_area:?}"
            ));
        }
        let (client_id, client_secret) = (secret("client_id")?, secret("client_secret")?);
        let login = GatewayLogin {
            client_id,
            client_secret,
        };
        Ok(BlueDart {
            login_id: secret("login_id")?,
            licence_key: secret("licence_key")?,
            customer_code: read("customer_code")?,
            origin_area,
            session: Session::new(login, DEFAULT_TOKEN_LIFE),
            mapping: mapping()?,
        })
    }

    pub fn mapping(&self) -> &'static Mapping {
        self.mapping
    }

    /// A call through the gateway session (the JWT on it, a 401 answered by one fresh
    /// login and one more try).
    async fn send(
        &self,
        t: &dyn Transport,
        op: Operation,
        request: HttpRequest,
    ) -> Result<HttpResponse> {
        self.session.send(t, op, request).await
    }

    /// One pincode's services (`None`: not served), sent as `op`.
    async fn pincode(
        &self,
        t: &dyn Transport,
        op: Operation,
        pin: &str,
    ) -> Result<Option<wire::PincodeResult>> {
        let resp = self.send(t, op, self.pincode_request(pin)?).await?;
        parse_pincode(&resp)
    }

    /// Tracks the stored AWB, or by shipgate's reference when there is none (a booking
    /// found again by lookup).
    async fn track_any(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        if let Some(awb) = stored_awb(shipment) {
            let resp = self
                .send(t, Operation::Track, self.track_request(awb, false))
                .await?;
            return parse_track(self.mapping, &resp, awb);
        }
        let Some(found) = self.lookup(t, shipment).await? else {
            return Err(CarrierError::rejected(
                "awb_not_found",
                "Blue Dart has no waybill under this shipment's reference",
                200,
            ));
        };
        let resp = self
            .send(t, Operation::Track, self.track_request(&found.awb, false))
            .await?;
        parse_track(self.mapping, &resp, &found.awb)
    }
}

#[async_trait]
impl Carrier for BlueDart {
    fn id(&self) -> CarrierId {
        ID
    }

    /// A domestic COD carrier without a rate API, whose labels come with the waybill only
    /// (see the module docs).
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            rates: false,
            services: requests::Service::ALL.map(requests::Service::code).to_vec(),
            ..domestic_capabilities(Vec::new())
        }
    }

    /// Any of Blue Dart's three push products; the body alone says which.
    fn parse_webhook(
        &self,
        _headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<PushedUpdate>> {
        parse_pushes(self.mapping, body)
    }

    /// Blue Dart publishes no rate API: nothing is sent, and the gateway quotes the
    /// tenant's rate card for the account instead.
    async fn rates(&self, _t: &dyn Transport, _req: &RateRequest) -> Result<Vec<RateQuote>> {
        Err(CarrierError::Unsupported(
            "rates: Blue Dart publishes no rate API (quote it from a rate card)",
        ))
    }

    /// The finder for the delivery pincode, then for the pickup pincode (skipped when
    /// the delivery end already fails).
    async fn serviceability(&self, t: &dyn Transport, lane: &Lane) -> Result<Serviceability> {
        let op = Operation::Serviceability;
        let delivery = self.pincode(t, op, &lane.delivery_pincode).await?;
        if delivery.as_ref().is_none_or(|d| !d.delivers(lane.cod)) {
            return Ok(lane_serviceability(None, delivery.as_ref(), lane));
        }
        let pickup = self.pincode(t, op, &lane.pickup_pincode).await?;
        Ok(lane_serviceability(
            pickup.as_ref(),
            delivery.as_ref(),
            lane,
        ))
    }

    /// A fresh login (never the cached JWT: it proves nothing about the credentials), then
    /// one pincode read, which checks the login id and licence key too.
    async fn check_account(&self, t: &dyn Transport) -> Result<AccountCheck> {
        self.session.log_in(t, Operation::CheckAccount).await?;
        let request = self.pincode_request(CHECK_PINCODE)?;
        let resp = self.send(t, Operation::CheckAccount, request).await?;
        parse_pincode(&resp)?;
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
        let resp = self.send(t, Operation::CreateShipment, request).await?;
        parse_create(&resp, service)
    }

    async fn cancel(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<CancelOutcome> {
        let awb = match stored_awb(shipment) {
            Some(awb) => awb.to_string(),
            None => self.track_any(t, shipment).await?.awb,
        };
        let resp = self
            .send(t, Operation::Cancel, self.cancel_request(&awb)?)
            .await?;
        parse_cancel(&resp)
    }

    /// One tracking call by `awb=ref` with shipgate's shipment id (see [`parse_lookup`]).
    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>> {
        let Some(reference) = trimmed(Some(&shipment.shipment_id)) else {
            return Err(CarrierError::NotSent(
                "no shipment id to look the Blue Dart waybill up by".into(),
            ));
        };
        let reference = check_reference(reference)?;
        let resp = self
            .send(t, Operation::Lookup, self.track_request(reference, true))
            .await?;
        parse_lookup(&resp, reference)
    }

    async fn track(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        self.track_any(t, shipment).await
    }

    fn returns(&self) -> Option<&dyn Returns> {
        Some(self)
    }

    fn pickups(&self) -> Option<&dyn Pickups> {
        Some(self)
    }
}

#[async_trait]
impl Returns for BlueDart {
    /// Blue Dart's waybill API takes no QC fields (see the module docs).
    fn offers_qc(&self) -> bool {
        false
    }

    /// A reverse-pickup waybill under the return's own shipment id.
    async fn create_return(
        &self,
        t: &dyn Transport,
        _forward: Option<&ShipmentRef>,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment> {
        let service = Service::from_code(request.service.as_deref())?;
        let http = self.return_request(request)?;
        let resp = self.send(t, Operation::CreateShipment, http).await?;
        parse_create(&resp, service)
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
    fn codes_resolve_by_group_then_closing_type() {
        assert_eq!(m().carrier(), ID);
        let sub = |t, g, c, r| resolve(m(), t, g, c, r).map(|u| u.sub_status);
        // The same digits, two meanings.
        assert_eq!(
            sub("UD", "S", "001", false),
            Some(SubStatus::ArrivedAtFacility)
        );
        assert_eq!(
            sub("UD", "T", "001", false),
            Some(SubStatus::FutureDeliveryRequested)
        );
        // An unknown code of a closing type: the type; of UD: nothing, never a guess.
        assert_eq!(sub("DL", "T", "999", false), Some(SubStatus::Delivered));
        assert_eq!(sub("UD", "T", "999", false), None);
        assert_eq!(sub("", "", "", false), None);
        // On the way back: a delivery is the shipper's, an attempt an RTO attempt.
        assert_eq!(sub("RT", "T", "000", false), Some(SubStatus::RtoDelivered));
        assert_eq!(
            sub("UD", "RT", "013", false),
            Some(SubStatus::RtoDeliveryFailed)
        );
        assert_eq!(
            sub("UD", "RS", "002", false),
            Some(SubStatus::RtoOutForDelivery)
        );
        // Exceptions keep their meaning; a reverse pickup is never an RTO.
        assert_eq!(sub("RT", "T", "021", false), Some(SubStatus::Lost));
        assert_eq!(sub("RT", "T", "000", true), Some(SubStatus::Delivered));
    }

    #[test]
    fn status_codes_become_snake_case() {
        for (code, snake) in [
            ("InvalidConsigneePincode", "invalid_consignee_pincode"),
            ("InvalidAWB", "invalid_awb"),
            ("AWBNoMissing", "awb_no_missing"),
            ("Valid", "valid"),
            (" 404 ", "404"),
            ("--", "refused"),
        ] {
            assert_eq!(parse::snake(code), snake, "{code}");
        }
    }

    #[test]
    fn services_by_code_letter_or_generic_name() {
        let code = |c: Option<&str>| Service::from_code(c).map(Service::code);
        assert_eq!(code(None).unwrap(), "apex");
        assert_eq!(code(Some(" E ")).unwrap(), "ground");
        assert_eq!(code(Some("Surface")).unwrap(), "ground");
        assert_eq!(code(Some("express")).unwrap(), "apex");
        assert_eq!(code(Some("priority")).unwrap(), "priority");
        assert!(matches!(
            code(Some("overnight")),
            Err(CarrierError::Unsupported(_))
        ));
        assert_eq!(Service::of_product("d"), Some(Service::PRIORITY));
    }

    #[test]
    fn settings_are_checked() {
        let mut settings = simulator::sandbox_settings();
        assert!(BlueDart::new(&settings).is_ok());
        settings.insert("origin_area".into(), "DELHI".into());
        let err = BlueDart::new(&settings).unwrap_err();
        assert!(err.contains("origin_area"), "{err}");
        settings.insert("origin_area".into(), "bom".into());
        assert_eq!(BlueDart::new(&settings).unwrap().origin_area, "BOM");
        settings.remove("licence_key");
        assert!(
            BlueDart::new(&settings)
                .unwrap_err()
                .contains("licence_key")
        );
    }
}
