//! FedEx (developer.fedex.com REST APIs): rates, booking with FedEx's own labels and
//! commercial invoice, cancellation, tracking, pickups and address validation. Requests
//! are built in [`requests`], answers read in [`parse`]; this module only sequences the
//! calls through the gateway's [`Transport`].
//!
//! Things about FedEx that shape the adapter:
//! - **OAuth2 client credentials.** `POST /oauth/token` with `client_id` and
//!   `client_secret` as form fields ([`ClientAuth::Form`]) answers a bearer token good
//!   for an hour (`expires_in: 3599`); the kit's [`Session`] keeps it, shares one login
//!   among concurrent calls and logs in again once on a 401. The account number goes in
//!   every body (`accountNumber.value`) and is kept secret like the credentials.
//! - **References and lookup.** shipgate's shipment id goes on every package as its
//!   `CUSTOMER_REFERENCE` and as the `x-customer-transaction-id` header. After a lost
//!   create answer, [`Carrier::lookup`] searches the Track API by reference
//!   (`/track/v1/referencenumbers`, type `CUSTOMER_REFERENCE`, this account, the last 30
//!   days): a shipment found is the booking; FedEx's `…NOTFOUND` means there is none, so
//!   booking again is safe. FedEx has no idempotency key on create, so the reference
//!   search is the only way back to a booking; FedEx indexes references within minutes,
//!   so a lookup right after a timeout can miss a booking (an accepted risk, as with
//!   every carrier that is searched by reference).
//! - **Labels** are FedEx's own, base64 per piece (`pieceResponses[].packageDocuments`),
//!   in the format asked at booking (`PDF` or `ZPLII`); multi-piece labels are joined
//!   into one file. FedEx's REST API re-issues no label after booking (no reprint call),
//!   so the adapter declares no formats it can fetch later: the booking's label is stored
//!   as FedEx sent it, and a label in the other format is rendered by shipgate.
//! - **International**: customs content goes in `customsClearanceDetail` (commodities with
//!   HS code, origin, value; the incoterm as `termsOfSale`; duties `SENDER` on the
//!   shipper's account, or `RECIPIENT`), and FedEx's commercial invoice comes back in
//!   `shipmentDocuments` as a PDF, kept as the booking's document.
//! - **Rates** are one call for every service on the lane, quoted in the origin's
//!   currency (`preferredCurrency`: INR from India, USD from the US); the account's
//!   negotiated (`ACCOUNT`) rate is taken over the list rate. Surcharges and taxes are
//!   breakdown lines; transit days and the committed date are read where FedEx gives them.
//! - **COD**: FedEx collects cash on delivery within a country (India, the US), with
//!   the shipment-level `COD` special service (`shipmentCODDetail`, collection type
//!   `CASH`), and per package too on Ground (so a Ground COD parcel is one package);
//!   rates ask for it so FedEx's COD surcharge comes back as its own line. Across a
//!   border there is no COD: no quote, and a booking is refused unsent.
//! - **Residential delivery**: FedEx bills residential surcharges by the recipient's
//!   `residential` flag; shipgate's request has no such field, so for a US recipient the
//!   adapter asks FedEx's own address resolution first (one extra call per rate and per
//!   booking) and sends `residential` when FedEx classes the address `RESIDENTIAL` or
//!   `BUSINESS`; FedEx's surcharge lines come back as they are. Best effort: without an
//!   answer the flag is left out.
//! - **Units**: pounds with one decimal and whole inches, both rounded up.
//! - **Times**: scan times carry the offset of the scan's place; one without is read in
//!   the zone of the scan's US state (daylight saving included).
//! - **Pickups**: FedEx keeps no registry of pickup locations; each pickup carries its
//!   address (`ON_CALL`, Express). Its id is `<location>|<confirmation code>`, the two
//!   things FedEx's cancel needs.
//! - **Returns**: a return label is a booking with FedEx's `RETURN_SHIPMENT` special
//!   service (printed return label), from the buyer to the warehouse; no doorstep checks.
//! - **Documents**: the commercial invoice comes with an international booking; the
//!   signature proof of delivery is fetched later from `/track/v1/trackingdocuments`.
//! - **Trade documents** (electronic trade documents, ETD): an international booking
//!   asks for `ELECTRONIC_TRADE_DOCUMENTS` with `POST_SHIPMENT_UPLOAD_REQUESTED`, so the
//!   shipper's own PDF (commercial invoice, or another customs paper as `OTHER`) can be
//!   uploaded after booking, linked to the tracking number (workflow `ETDPostshipment`),
//!   `multipart/form-data` (`document` JSON + `attachment`), up to 5 MB here. FedEx
//!   serves the upload from its own host (`documentapi.prod.fedex.com`; setting
//!   `document_api_url`), answers the document id (`output.meta.docId`), and has no
//!   idempotency key: the gateway never repeats an upload that may have reached it.
//! - **Address validation**: `/address/v1/addresses/resolve`, with FedEx's
//!   `BUSINESS`/`RESIDENTIAL`/`MIXED` classification.
//! - **Pushes**: FedEx's Tracking Webhook (Advanced Integrated Visibility) posts tracking
//!   events in the Track API's shape, signed with HMAC-SHA256 over the raw body keyed by
//!   the security token set up with the webhook, base64, in the `fdx-signature` header.
//!   The gateway's HMAC check covers it (base64 signatures are accepted) once an account
//!   sets `webhook_hmac_secret` to that token and `webhook_hmac_header` to
//!   `fdx-signature`; FedEx sends no token header.
//! - **Quota** (FedEx's "Quotas & rate limits" guide): 1,400 transactions per 10 seconds
//!   per project, a daily quota per organization, and per capability per project (Track:
//!   100,000 a day by default), each answered 429 when spent. shipgate keeps well below
//!   the rate with 20 a second; the daily quotas are the account's to size.

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
use crate::families::{
    AddressClass, AddressValidation, AddressVerdict, Document, DocumentKind, DocumentUpload,
    Documents, PickupLocation, PickupRequest, Pickups, RegisteredLocation, ReturnRequest, Returns,
    ScheduledPickup, UploadedDocument,
};
use crate::kit::adapter::Result;
use crate::kit::memory::Memory;
use crate::kit::session::{ClientAuth, ClientCredentials, Session};
use crate::kit::tracking::stored_awb;
use crate::mapping::Mapping;
use crate::schema::{
    Address, CancelOutcome, CreatedShipment, PushedUpdate, RateQuote, RateRequest, ShipmentRef,
    ShipmentRequest, TrackingUpdate,
};
use crate::wire::HttpRequest;

pub use parse::*;
pub use requests::*;

pub const ID: CarrierId = "fedex";

crate::embedded_mapping!("fedex.toml");

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: ID,
        name: "FedEx",
        // FedEx's production host; its sandbox is apis-sandbox.fedex.com.
        live_base_url: "https://apis.fedex.com",
        settings: &[
            SettingSpec {
                key: "client_id",
                secret: true,
                required: true,
                about: "The API key of the FedEx Developer Portal project",
            },
            SettingSpec {
                key: "client_secret",
                secret: true,
                required: true,
                about: "The secret key of the FedEx Developer Portal project",
            },
            SettingSpec {
                key: "account_number",
                secret: true,
                required: true,
                about: "The FedEx shipping account number bookings are billed to",
            },
            SettingSpec {
                key: "document_api_url",
                secret: false,
                required: false,
                about: "FedEx's Trade Documents host (default https://documentapi.prod.fedex.com; \
                        sandbox https://documentapitest.prod.fedex.com/sandbox); a value starting \
                        with / is a path on the account's base URL",
            },
        ],
        // Ship answers with labels and a commercial invoice take several seconds.
        default_timeout_ms: 20_000,
        default_quota_per_second: 20.0,
        // FedEx sends no token header: its pushes are signed (`fdx-signature`, see the
        // module doc); this is only the gateway's default for an operator-set token.
        webhook_token_header: "authorization",
        webhook_signature_header: Some("fdx-signature"),
        domestic: &["US"],
        sandbox_settings: simulator::sandbox_settings,
        build: |settings| Fedex::new(settings).map(|adapter| Box::new(adapter) as Box<dyn Carrier>),
        simulator: || Box::new(simulator::FedexSimulator::new()),
    }
}

/// The FedEx adapter: the account number, the OAuth2 session holding the client
/// credentials, and the mapping checked at build time.
pub struct Fedex {
    account_number: Zeroizing<String>,
    /// Where trade documents are uploaded ([`DOCUMENT_API_URL`] unless set).
    document_api: String,
    session: Session,
    mapping: &'static Mapping,
    /// Residential (`true`) or business, by the address as sent to FedEx's resolution:
    /// a quote and the booking that follows it, or a repeat buyer, cost one resolution
    /// call, not one each in series before the call that matters.
    classes: Memory<bool>,
}

/// How long an address's class is trusted: a home rarely becomes an office, and FedEx
/// bills a wrong flag as an adjustment anyway.
const CLASS_TTL: Duration = Duration::from_secs(24 * 3600);
/// Addresses remembered per account.
const CLASS_MAX: usize = 4_096;

impl std::fmt::Debug for Fedex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Credentials and the account number never appear in logs.
        f.debug_struct("Fedex").finish_non_exhaustive()
    }
}

impl Fedex {
    /// Builds from settings `client_id`, `client_secret` and `account_number`.
    pub fn new(settings: &Settings) -> Result<Self, String> {
        let login = ClientCredentials {
            token_path: TOKEN_PATH.into(),
            client_id: setting(settings, "client_id")?.trim().to_string(),
            client_secret: setting(settings, "client_secret")?.trim().to_string(),
            scope: None,
            auth: ClientAuth::Form,
        };
        Ok(Fedex {
            account_number: Zeroizing::new(setting(settings, "account_number")?.trim().to_string()),
            document_api: match settings.get("document_api_url").map(|u| u.trim()) {
                None | Some("") => DOCUMENT_API_URL.to_string(),
                Some(url) if url.starts_with('/') || url.starts_with("https://") => url.to_string(),
                Some(url) => {
                    return Err(format!(
                        "document_api_url {url:?} is neither an https:// URL nor a /path"
                    ));
                }
            },
            // FedEx tokens live an hour; its answer says so, this is the fallback.
            session: Session::new(login, Duration::from_secs(3600)),
            mapping: mapping()?,
            classes: Memory::new(CLASS_TTL, CLASS_MAX),
        })
    }

    pub fn mapping(&self) -> &'static Mapping {
        self.mapping
    }

    fn account(&self) -> &str {
        &self.account_number
    }

    /// Sends with the session's token, the account number marked secret.
    async fn send(
        &self,
        t: &dyn Transport,
        op: Operation,
        request: HttpRequest,
    ) -> Result<crate::wire::HttpResponse> {
        let request = request.secret(&self.account_number);
        self.session.send(t, op, request).await
    }

    /// Whether a US recipient's address is residential, by FedEx's address resolution
    /// (`RESIDENTIAL` or `BUSINESS`; `MIXED` and unknown say nothing). Best effort: the
    /// rate or booking goes ahead without the flag when the resolution fails, and FedEx
    /// then bills a residential surcharge as an adjustment if it finds one.
    async fn residential(&self, t: &dyn Transport, to: &Address) -> Option<bool> {
        if to.country != "US" {
            return None;
        }
        let key = address(to).to_string();
        if let Some(residential) = self.classes.get(&key) {
            return Some(residential);
        }
        let request = address_request(to).ok()?;
        let verdict = match self.send(t, Operation::AddressValidation, request).await {
            Ok(resp) => parse_address_response(&resp, to),
            Err(e) => Err(e),
        };
        // Only a definite class is remembered: `MIXED`, unknown and failures are asked again.
        let residential = match verdict.map(|v| v.classification) {
            Ok(AddressClass::Residential) => true,
            Ok(AddressClass::Commercial) => false,
            Ok(_) => return None,
            Err(error) => {
                tracing::debug!(%error, "FedEx address class unknown; rated without the residential flag");
                return None;
            }
        };
        self.classes.put(&key, residential);
        Some(residential)
    }

    /// The booking found under shipgate's shipment id.
    async fn find(&self, t: &dyn Transport, reference: &str) -> Result<Option<CreatedShipment>> {
        let request = lookup_request(self.account(), reference)?;
        let resp = self.send(t, Operation::Lookup, request).await?;
        parse_lookup_response(&resp, reference)
    }

    /// The stored AWB, or the one found by reference (a booking found by lookup).
    async fn awb(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<String> {
        if let Some(awb) = stored_awb(shipment) {
            return Ok(awb.to_string());
        }
        match self.find(t, &shipment.shipment_id).await? {
            Some(found) => Ok(found.awb),
            None => Err(CarrierError::rejected(
                "not_found",
                "FedEx has no shipment under this reference",
                404,
            )),
        }
    }
}

#[async_trait]
impl Carrier for Fedex {
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
            international: true,
            native_label_formats: Vec::new(),
            own_labels_only: true,
            webhooks: true,
            serviceability: false,
            ..Capabilities::default()
        }
    }

    /// A logged-in token, fresh: FedEx refuses wrong client credentials at the token
    /// endpoint (401 `NOT.AUTHORIZED.ERROR`), which changes nothing at FedEx.
    async fn check_account(&self, t: &dyn Transport) -> Result<AccountCheck> {
        self.session.log_in(t, Operation::CheckAccount).await?;
        Ok(AccountCheck::Verified)
    }

    /// One rate call for every service on the lane.
    async fn rates(&self, t: &dyn Transport, req: &RateRequest) -> Result<Vec<RateQuote>> {
        // FedEx collects COD within a country only: no service for it across a border.
        if cod_to_collect(req.payment.cod_amount(), &req.from, &req.to, None, 1).is_err() {
            return Ok(Vec::new());
        }
        let residential = self.residential(t, &req.to).await;
        let request = rate_request_for(self.account(), req, residential)?;
        let resp = self.send(t, Operation::Rates, request).await?;
        parse_rate_response(&resp)
    }

    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment> {
        // Checked before any call: a request FedEx cannot take is refused unsent.
        create_request(self.account(), shipment_id, req)?;
        let residential = self.residential(t, &req.to).await;
        let request = create_request_for(self.account(), shipment_id, req, residential)?;
        let resp = self.send(t, Operation::CreateShipment, request).await?;
        parse_create_response(&resp)
    }

    async fn cancel(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<CancelOutcome> {
        let awb = self.awb(t, shipment).await?;
        let request = cancel_request(self.account(), &awb)?;
        parse_cancel_response(&self.send(t, Operation::Cancel, request).await?)
    }

    /// One reference search (see the module doc).
    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>> {
        let reference = shipment.shipment_id.trim();
        if reference.is_empty() {
            return Err(CarrierError::NotSent(
                "no shipment id to look the FedEx booking up by".into(),
            ));
        }
        self.find(t, reference).await
    }

    async fn track(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let awb = self.awb(t, shipment).await?;
        let resp = self.send(t, Operation::Track, track_request(&awb)?).await?;
        parse_track_response(self.mapping, &resp, &awb)
    }

    /// FedEx's tracking webhook: the Track API's result shape (see [`parse_pushes`]).
    fn parse_webhook(
        &self,
        _headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<PushedUpdate>> {
        parse_pushes(self.mapping, body)
    }

    fn pickups(&self) -> Option<&dyn Pickups> {
        Some(self)
    }

    fn address_validation(&self) -> Option<&dyn AddressValidation> {
        Some(self)
    }

    fn returns(&self) -> Option<&dyn Returns> {
        Some(self)
    }

    fn documents(&self) -> Option<&dyn Documents> {
        Some(self)
    }
}

#[async_trait]
impl Returns for Fedex {
    /// FedEx's couriers check nothing at the door.
    fn offers_qc(&self) -> bool {
        false
    }

    /// A FedEx return label (`RETURN_SHIPMENT`, printed): the buyer ships back to the
    /// warehouse, shipgate's return id as the package reference, like any booking.
    async fn create_return(
        &self,
        t: &dyn Transport,
        _forward: Option<&ShipmentRef>,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment> {
        if request.qc.is_some() {
            return Err(CarrierError::Unsupported(
                "doorstep quality checks with FedEx",
            ));
        }
        let sent = return_request(self.account(), request)?;
        parse_create_response(&self.send(t, Operation::CreateShipment, sent).await?)
    }
}

#[async_trait]
impl Documents for Fedex {
    /// The commercial invoice comes with the booking (stored by the gateway); later,
    /// FedEx gives the signature proof of delivery.
    fn kinds(&self) -> &'static [DocumentKind] {
        &[DocumentKind::ProofOfDelivery]
    }

    async fn document(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        kind: DocumentKind,
    ) -> Result<Document> {
        if kind != DocumentKind::ProofOfDelivery {
            return Err(CarrierError::Unsupported(
                "FedEx documents other than the proof of delivery",
            ));
        }
        let awb = self.awb(t, shipment).await?;
        let request = proof_of_delivery_request(&awb)?;
        parse_proof_of_delivery_response(&self.send(t, Operation::Document, request).await?)
    }

    fn upload_kinds(&self) -> &'static [DocumentKind] {
        &[
            DocumentKind::CommercialInvoice,
            DocumentKind::CustomsDeclaration,
        ]
    }

    fn upload_limit_bytes(&self) -> usize {
        ETD_LIMIT_BYTES
    }

    /// Post-shipment ETD upload, linked to the booked tracking number.
    async fn upload(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        document: &DocumentUpload,
    ) -> Result<UploadedDocument> {
        let awb = stored_awb(shipment).ok_or_else(|| {
            CarrierError::NotSent("a FedEx trade document needs the booked tracking number".into())
        })?;
        let request = etd_upload_request(&self.document_api, awb, document)?;
        parse_etd_upload_response(&self.send(t, Operation::Document, request).await?)
    }
}

#[async_trait]
impl Pickups for Fedex {
    /// FedEx keeps no location registry: each pickup carries its address.
    async fn register_location(
        &self,
        _t: &dyn Transport,
        location: &PickupLocation,
    ) -> Result<RegisteredLocation> {
        Ok(crate::kit::adapter::location_kept_by_shipgate(location))
    }

    async fn schedule(
        &self,
        t: &dyn Transport,
        request: &PickupRequest,
    ) -> Result<ScheduledPickup> {
        let sent = pickup_request(self.account(), request)?;
        let resp = self.send(t, Operation::Pickup, sent).await?;
        let (pickup_id, carrier_message) = parse_pickup_response(&resp)?;
        Ok(ScheduledPickup {
            pickup_id,
            date: request.date,
            carrier_message,
        })
    }

    /// By the `<location>|<code>` id [`parse_pickup_response`] made.
    async fn cancel(&self, t: &dyn Transport, pickup: &ScheduledPickup) -> Result<CancelOutcome> {
        let Some((location, code)) = pickup.pickup_id.split_once('|') else {
            return Err(CarrierError::NotSent(format!(
                "pickup id {:?} lacks FedEx's location code",
                pickup.pickup_id
            )));
        };
        let request = pickup_cancel_request(self.account(), code, location, pickup.date)?;
        parse_pickup_cancel_response(&self.send(t, Operation::Pickup, request).await?)
    }
}

#[async_trait]
impl AddressValidation for Fedex {
    async fn validate(&self, t: &dyn Transport, address: &Address) -> Result<AddressVerdict> {
        let request = address_request(address)?;
        let resp = self.send(t, Operation::AddressValidation, request).await?;
        parse_address_response(&resp, address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_mapping_parses() {
        assert_eq!(mapping().unwrap().carrier(), ID);
    }

    #[test]
    fn transit_words_are_days() {
        assert_eq!(transit_days("FOUR_DAYS"), Some(4));
        assert_eq!(transit_days("ONE_DAY"), Some(1));
        assert_eq!(transit_days("TWENTY_DAYS"), Some(20));
        assert_eq!(transit_days("UNKNOWN"), None);
    }
}
