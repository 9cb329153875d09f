//! UPS (onlinetools.ups.com REST APIs): rates, booking with UPS's own labels, returns,
//! customs, void, tracking pulls and Track Alert pushes, pickups and address validation.
//! Requests are built in [`requests`], answers read in [`parse`]; this module sequences.
//!
//! Things about UPS that shape the adapter:
//! - **OAuth2 client credentials** at `/security/v1/oauth/token`, the client id and
//!   secret in an HTTP Basic header ([`ClientAuth::Basic`]); the token lives
//!   `expires_in` seconds (14399 in UPS's example), reused through the kit's
//!   [`Session`], replaced once on a 401. `check_account` is a fresh login.
//! - **Account number** (the shipper number) on every rating, shipping and pickup
//!   request; bills transportation (charge type 01) and, for DDP or a sender-pays
//!   declaration, duties (type 02).
//! - **Client reference**: shipgate's shipment id goes as the shipment's
//!   `ReferenceNumber`; after a lost answer [`Carrier::lookup`] tracks by reference
//!   (`/api/track/v1/reference/details/{ref}`): a package under it is the booking, UPS's
//!   "Tracking Information Not Found" (`TW0001`) means none. UPS indexes references from
//!   the shipment's billing data, which exists as soon as the label does; should a live
//!   lookup ever race that indexing, the gateway books again under the same reference,
//!   so at worst two labels for one parcel, one of which is never scanned and can be voided.
//! - **Labels**: UPS renders GIF, PNG, ZPL, EPL and SPL, never PDF. The PDF label is UPS's
//!   own GIF wrapped unchanged in a 4×6 in page ([`crate::kit::label_image`]), its
//!   `/Title` naming the tracking number; ZPL is kept as UPS sends it. One label per
//!   package, joined per format. Either format is recovered later through UPS's label
//!   recovery (`/api/labels/v1/recovery`), for a booking found by lookup.
//! - **Customs**: a parcel crossing a border carries `InternationalForms` (form type 01,
//!   the commercial invoice: items with HS code, value, origin; incoterm as
//!   `TermsOfShipment`; reason for export); UPS returns the invoice as a PDF
//!   (`ShipmentResults.Form`), kept as the booking's commercial invoice. Duties billed to
//!   a third party are refused (no third-party account to bill).
//! - **Lanes**: domestic parcels within the US (with Puerto Rico) and within Canada
//!   ([`books_domestic_in`]); across borders from anywhere. Canada has its own service
//!   names for the shared codes (01 UPS Express, not Next Day Air: [`service_name_from`])
//!   and its own default service (11 UPS Standard, where the US's is 03 Ground).
//! - **Units**: pounds and inches from the US and Puerto Rico, kilograms and centimetres
//!   elsewhere, Canada included (UPS wants the origin's units), one decimal, rounded up.
//! - **Money**: quotes in the currency UPS answers in (USD from the US, CAD from Canada,
//!   INR from India);
//!   negotiated (account) rates where UPS gives them, published rates otherwise;
//!   surcharges itemized by UPS's rating-appendix codes (375 fuel, 270 residential…).
//! - **Times**: scans carry a local date and time, and GMT ones where UPS gives them; the
//!   GMT time (or the local time with its GMT offset) wins, else the local time is read in
//!   the zone of the scan's place (US states by their main zone, daylight saving
//!   included).
//! - **Track Alert** (UPS's push product): a subscription
//!   (`POST /api/track/v1/subscription/standard/package`, up to 100 1Z numbers, 14 days
//!   each) names shipgate's webhook URL and a `credential` (with a free-text
//!   `credentialType`) that UPS sends back verbatim in the `credential` header of every
//!   push (User-Agent `UPSPubSubTrackingService`); no signature. So the gateway's
//!   token-header check covers it (`webhook_token_header` = `credential`). Pushes are one
//!   event each (`trackingNumber`, `activityStatus` type and code, local and GMT activity
//!   times). With `track_alert_url` set, every booking subscribes its packages right after
//!   UPS books it, the credential being `track_alert_credential` or else the account's
//!   `webhook_token` (so the gateway's token check of the `credential` header covers the
//!   pushes); best effort: a failed subscription is logged and named in the booking's
//!   refs (`track_alert`), never fails or repeats the booking, and polling still tracks
//!   it. UPS keeps a subscription 14 days: a parcel longer on the way is polled after.
//! - **Documents**: the commercial invoice comes with a cross-border booking; the proof
//!   of delivery is the Track API's letter (`returnPOD=true`,
//!   `deliveryInformation.pod.content`), an HTML page in base64 (UPS-API
//!   api-documentation issues 76 and 154), kept as UPS sends it (`text/html`), not
//!   redrawn as a PDF.
//! - **Paperless documents**: the shipper's own PDF (commercial invoice `002`, declaration
//!   `013`) goes to Forms History (`/api/paperlessdocuments/v2/upload`, base64, up to
//!   10 MB; the account needs "Upload Forms Created Offline", else UPS's `9590018`), then
//!   is pushed to the image repository with the shipment number, its packages and the
//!   booking time (`/v2/image`). Neither call has an idempotency key: neither is repeated.
//! - **Address validation**: street level with classification (request option 3), US and
//!   Puerto Rico only; other countries (Canada too, though UPS books within it) are
//!   refused unsent.
//! - **Pickups**: UPS keeps no pickup locations: each pickup request carries the address
//!   ([`location_kept_by_shipgate`]); cancelled by its PRN.
//! - **Quota**: UPS publishes no per-second limit for these APIs; 10/s is conservative.

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
    AddressValidation, AddressVerdict, Document, DocumentKind, DocumentUpload, Documents,
    PickupLocation, PickupRequest, Pickups, RegisteredLocation, ReturnRequest, Returns,
    ScheduledPickup, UploadedDocument,
};
use crate::kit::adapter::{Result, location_kept_by_shipgate};
use crate::kit::labels;
use crate::kit::lenient::trimmed;
use crate::kit::session::{ClientAuth, ClientCredentials, Login, Session, Token};
use crate::kit::tracking::stored_awb;
use crate::mapping::Mapping;
use crate::schema::{
    Address, CancelOutcome, CreatedShipment, LabelDocument, LabelFormat, PushedUpdate, RateQuote,
    RateRequest, ShipmentRef, ShipmentRequest, TrackingUpdate,
};
use crate::wire::{HttpRequest, HttpResponse};

pub use parse::*;
pub use requests::*;
pub use simulator::{SANDBOX_ACCOUNT, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, UpsSimulator};

pub const ID: CarrierId = "ups";

crate::embedded_mapping!("ups.toml");

/// How long a token lives when UPS's answer does not say (its example: 14399 s).
pub const TOKEN_LIFE: Duration = Duration::from_secs(14_399);

/// UPS's service codes and names (Rating and Shipping appendices).
pub const SERVICES: &[(&str, &str)] = &[
    ("01", "UPS Next Day Air"),
    ("02", "UPS 2nd Day Air"),
    ("03", "UPS Ground"),
    ("07", "UPS Worldwide Express"),
    ("08", "UPS Worldwide Expedited"),
    ("11", "UPS Standard"),
    ("12", "UPS 3 Day Select"),
    ("13", "UPS Next Day Air Saver"),
    ("14", "UPS Next Day Air Early"),
    ("54", "UPS Worldwide Express Plus"),
    ("59", "UPS 2nd Day Air A.M."),
    ("65", "UPS Worldwide Saver"),
    ("70", "UPS Access Point Economy"),
    ("71", "UPS Worldwide Express Freight Midday"),
    ("74", "UPS Express 12:00"),
    ("96", "UPS Worldwide Express Freight"),
];

/// The names UPS gives the shared codes on shipments from Canada (Rating and Shipping
/// appendices, "Shipments Originating in Canada"); within Canada these five are all
/// UPS offers.
pub const CANADA_SERVICES: &[(&str, &str)] = &[
    ("01", "UPS Express"),
    ("02", "UPS Expedited"),
    ("11", "UPS Standard"),
    ("13", "UPS Express Saver"),
    ("14", "UPS Express Early"),
];

/// The countries UPS books domestic parcels within, home first (the spec's `domestic`).
pub const DOMESTIC: &[&str] = &["US", "CA"];

/// Whether UPS books a parcel from `country` to the same country: the US (with Puerto
/// Rico, which UPS serves as US domestic) and Canada.
pub fn books_domestic_in(country: &str) -> bool {
    imperial(country) || DOMESTIC.contains(&country)
}

/// A service's name by its code (the code itself for one UPS has added since).
pub fn service_name(code: &str) -> &str {
    SERVICES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, name)| name)
}

/// A service's name on a shipment from `origin`: Canada's names first from Canada.
pub fn service_name_from<'a>(origin: &str, code: &'a str) -> &'a str {
    let canadian = (origin == "CA")
        .then(|| CANADA_SERVICES.iter().find(|(c, _)| *c == code))
        .flatten();
    canadian.map_or_else(|| service_name(code), |(_, name)| name)
}

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: ID,
        name: "UPS",
        // Production; UPS's test host is wwwcie.ups.com.
        live_base_url: "https://onlinetools.ups.com",
        settings: &[
            SettingSpec {
                key: "client_id",
                secret: true,
                required: true,
                about: "The client id of the account's UPS developer app",
            },
            SettingSpec {
                key: "client_secret",
                secret: true,
                required: true,
                about: "The client secret of that app",
            },
            SettingSpec {
                key: "account_number",
                secret: false,
                required: true,
                about: "The UPS shipper (account) number shipments are billed to",
            },
            SettingSpec {
                key: "track_alert_url",
                secret: false,
                required: false,
                about: "Where UPS Track Alert pushes this account's events: the gateway's push \
                        URL for it (https); each booking's packages are subscribed when set",
            },
            SettingSpec {
                key: "track_alert_credential",
                secret: true,
                required: false,
                about: "The credential UPS sends back with every Track Alert push (header \
                        `credential`); defaults to webhook_token, which the gateway checks",
            },
        ],
        // Shipping with international forms takes seconds; rating Shop several.
        default_timeout_ms: 15_000,
        default_quota_per_second: 10.0,
        // Track Alert sends the subscription's credential back in this header.
        webhook_token_header: "credential",
        webhook_signature_header: None,
        domestic: DOMESTIC,
        sandbox_settings: simulator::sandbox_settings,
        build: |settings| Ups::new(settings).map(|a| Box::new(a) as Box<dyn Carrier>),
        simulator: || Box::new(UpsSimulator::new()),
    }
}

/// The UPS adapter: the login session (client id and secret, wiped with it) and the
/// account number.
pub struct Ups {
    pub(crate) account_number: String,
    session: Session,
    mapping: &'static Mapping,
    /// Where and with what credential bookings are subscribed to Track Alert.
    track_alert: Option<TrackAlert>,
}

/// A Track Alert destination: the push URL and the credential UPS sends back.
pub struct TrackAlert {
    pub url: String,
    pub credential: Zeroizing<String>,
}

impl TrackAlert {
    /// From `track_alert_url` and `track_alert_credential` (or `webhook_token`); none
    /// without a URL. UPS pushes to HTTPS only; plain HTTP is taken for a loopback host
    /// (the sandbox and tests).
    pub fn from_settings(settings: &Settings) -> Result<Option<TrackAlert>, String> {
        let Some(url) = settings
            .get("track_alert_url")
            .map(|u| u.trim())
            .filter(|u| !u.is_empty())
        else {
            return Ok(None);
        };
        let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
            .iter()
            .any(|p| url.starts_with(p));
        if !url.starts_with("https://") && !loopback {
            return Err(format!("track_alert_url {url:?} is not an https:// URL"));
        }
        let credential = ["track_alert_credential", "webhook_token"]
            .iter()
            .find_map(|k| settings.get(*k).map(|c| c.trim()).filter(|c| !c.is_empty()))
            .ok_or("track_alert_url needs track_alert_credential or webhook_token")?;
        Ok(Some(TrackAlert {
            url: url.to_string(),
            credential: Zeroizing::new(credential.to_string()),
        }))
    }
}

impl std::fmt::Debug for Ups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ups")
            .field("account_number", &self.account_number)
            .finish_non_exhaustive()
    }
}

impl Ups {
    /// Builds from `client_id`, `client_secret` and `account_number`.
    pub fn new(settings: &Settings) -> Result<Self, String> {
        let login = UpsLogin::new(
            setting(settings, "client_id")?.trim(),
            setting(settings, "client_secret")?.trim(),
        );
        let account_number = setting(settings, "account_number")?.trim().to_string();
        if account_number.is_empty() {
            return Err("account_number is empty".into());
        }
        Ok(Ups {
            account_number,
            session: Session::new(login, TOKEN_LIFE),
            mapping: mapping()?,
            track_alert: TrackAlert::from_settings(settings)?,
        })
    }

    pub fn mapping(&self) -> &'static Mapping {
        self.mapping
    }

    /// Sends through the session; a 401 that survives a fresh token is UPS's refusal.
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

    /// The packages' tracking numbers of a booking, the shipment number alone when the
    /// refs do not list them.
    fn packages(shipment: &ShipmentRef, awb: &str) -> Vec<String> {
        let listed = shipment.carrier_refs.get("tracking_numbers");
        let listed: Vec<String> = listed
            .map(|l| {
                l.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        if listed.is_empty() {
            vec![awb.to_string()]
        } else {
            listed
        }
    }

    /// Subscribes a booking's packages to Track Alert, best effort: the booking is made
    /// whatever happens here (polling still tracks it), so a failure is logged and named
    /// in the booking's refs (`track_alert`: `subscribed`, `partial` or `failed`), never
    /// returned, and never a reason to book again.
    async fn subscribe(
        &self,
        t: &dyn Transport,
        alert: &TrackAlert,
        created: &CreatedShipment,
    ) -> &'static str {
        let shipment = ShipmentRef {
            shipment_id: String::new(),
            order_ref: String::new(),
            awb: Some(created.awb.clone()),
            carrier_refs: created.carrier_refs.clone(),
        };
        let numbers = Self::packages(&shipment, &created.awb);
        let request = track_alert_request(&numbers, &alert.url, &alert.credential);
        match self
            .call(t, Operation::Track, request, parse_track_alert_response)
            .await
        {
            Ok((_, invalid)) if invalid.is_empty() => "subscribed",
            Ok((valid, invalid)) => {
                tracing::warn!(awb = %created.awb, ?invalid, subscribed = valid.len(), "UPS Track Alert refused some packages; polling tracks them");
                "partial"
            }
            Err(error) => {
                tracing::warn!(awb = %created.awb, %error, "UPS Track Alert subscription failed; polling tracks the booking");
                "failed"
            }
        }
    }

    /// The booking's shipment number: stored, or found by reference.
    async fn awb_of(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<String> {
        if let Some(awb) = stored_awb(shipment) {
            return Ok(awb.to_string());
        }
        match self.lookup(t, shipment).await? {
            Some(found) => Ok(found.awb),
            None => Err(CarrierError::NotSent(
                "UPS has no shipment under this reference".into(),
            )),
        }
    }
}

/// OAuth2 client credentials as the kit does them, a refusal read in UPS's words (its
/// error document nests them under `response.errors`).
pub struct UpsLogin(pub ClientCredentials);

impl UpsLogin {
    /// UPS's token call: the client id and secret in a Basic header.
    pub fn new(client_id: &str, client_secret: &str) -> UpsLogin {
        UpsLogin(ClientCredentials {
            token_path: TOKEN_PATH.into(),
            client_id: client_id.to_string(),
            client_secret: client_secret.to_string(),
            scope: None,
            auth: ClientAuth::Basic,
        })
    }
}

impl Login for UpsLogin {
    fn request(&self) -> Result<HttpRequest> {
        self.0.request()
    }

    fn parse(&self, resp: &HttpResponse) -> Result<Token> {
        if resp.is_success() {
            return self.0.parse(resp);
        }
        resp.fail_on_server_error()?;
        let message = match refusal(resp) {
            CarrierError::Rejected { message, .. } => message,
            other => other.to_string(),
        };
        Err(CarrierError::rejected(
            "login_failed",
            format!("the carrier refused the client credentials: {message}"),
            resp.status,
        ))
    }
}

#[async_trait]
impl Carrier for Ups {
    fn id(&self) -> CarrierId {
        ID
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            rates: true,
            create_shipment: true,
            cancel: true,
            track: true,
            cod: false,
            international: true,
            native_label_formats: vec![LabelFormat::Pdf, LabelFormat::Zpl],
            own_labels_only: true,
            webhooks: true,
            serviceability: false,
            ..Capabilities::default()
        }
    }

    /// A fresh login: UPS refusing the client credentials is the check failing.
    async fn check_account(&self, t: &dyn Transport) -> Result<AccountCheck> {
        self.session.log_in(t, Operation::CheckAccount).await?;
        Ok(AccountCheck::Verified)
    }

    /// Track Alert pushes (see the module docs); the body alone says everything.
    fn parse_webhook(
        &self,
        _headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Vec<PushedUpdate>> {
        parse_pushes(self.mapping, body)
    }

    /// Every service UPS rates for the lane in one Shop call. UPS books domestic parcels
    /// only within the US (and Puerto Rico) and Canada here: another domestic lane
    /// (within India, say) is not serviceable, an empty list.
    async fn rates(&self, t: &dyn Transport, req: &RateRequest) -> Result<Vec<RateQuote>> {
        if req.from.country == req.to.country && !books_domestic_in(&req.from.country) {
            return Ok(Vec::new());
        }
        self.call(
            t,
            Operation::Rates,
            self.rate_request(req),
            parse_rate_response,
        )
        .await
    }

    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment> {
        if !req.is_international() && !books_domestic_in(&req.from.country) {
            return Err(CarrierError::Unsupported(
                "UPS domestic shipping outside the US and Canada",
            ));
        }
        let service = service_code(
            req.service.as_deref(),
            &req.from.country,
            req.is_international(),
        )?;
        let request = self.create_request(shipment_id, req);
        let mut created = self
            .call(t, Operation::CreateShipment, request, |r| {
                parse_create_response(r, service)
            })
            .await?;
        if let Some(alert) = &self.track_alert {
            let outcome = self.subscribe(t, alert, &created).await;
            created
                .carrier_refs
                .insert("track_alert".into(), outcome.into());
        }
        Ok(created)
    }

    /// Void of the whole shipment.
    async fn cancel(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<CancelOutcome> {
        let awb = match shipment.carrier_refs.get("shipment_identification_number") {
            Some(number) => number.clone(),
            None => self.awb_of(t, shipment).await?,
        };
        self.call(
            t,
            Operation::Cancel,
            self.void_request(&awb),
            parse_void_response,
        )
        .await
    }

    /// Tracking by reference (see the module docs).
    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>> {
        let Some(reference) = trimmed(Some(&shipment.shipment_id)) else {
            return Err(CarrierError::NotSent(
                "no shipment id to look the UPS booking up by".into(),
            ));
        };
        let request = self.lookup_request(reference);
        self.call(t, Operation::Lookup, request, |r| {
            parse_lookup_response(r, reference)
        })
        .await
    }

    async fn track(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let awb = self.awb_of(t, shipment).await?;
        let mapping = self.mapping;
        self.call(t, Operation::Track, self.track_request(&awb), |r| {
            parse_track_response(mapping, r, &awb)
        })
        .await
    }

    /// Each package's label again through label recovery, joined in package order.
    async fn label(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        format: LabelFormat,
    ) -> Result<LabelDocument> {
        let awb = self.awb_of(t, shipment).await?;
        let mut pieces = Vec::new();
        for tracking in Self::packages(shipment, &awb) {
            let request = self.label_request(&tracking, format);
            let piece = self
                .call(t, Operation::Label, request, |r| {
                    parse_label_response(r, &tracking)
                })
                .await?;
            pieces.push(piece);
        }
        labels::merge(format, &pieces)
    }

    fn pickups(&self) -> Option<&dyn Pickups> {
        Some(self)
    }

    fn returns(&self) -> Option<&dyn Returns> {
        Some(self)
    }

    fn address_validation(&self) -> Option<&dyn AddressValidation> {
        Some(self)
    }

    fn documents(&self) -> Option<&dyn Documents> {
        Some(self)
    }
}

#[async_trait]
impl Documents for Ups {
    /// The commercial invoice comes with an international booking (stored by the
    /// gateway); later, UPS's proof of delivery letter.
    fn kinds(&self) -> &'static [DocumentKind] {
        &[DocumentKind::ProofOfDelivery]
    }

    /// The proof of delivery of the shipment's first package (UPS writes one letter per
    /// package; the first stands for the shipment, as its tracking number does).
    async fn document(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        kind: DocumentKind,
    ) -> Result<Document> {
        if kind != DocumentKind::ProofOfDelivery {
            return Err(CarrierError::Unsupported(
                "UPS documents other than the proof of delivery",
            ));
        }
        let awb = self.awb_of(t, shipment).await?;
        let first = Self::packages(shipment, &awb).remove(0);
        let request = self.proof_of_delivery_request(&first);
        self.call(t, Operation::Document, request, |r| {
            parse_proof_of_delivery_response(r, &first)
        })
        .await
    }

    fn upload_kinds(&self) -> &'static [DocumentKind] {
        &[
            DocumentKind::CommercialInvoice,
            DocumentKind::CustomsDeclaration,
        ]
    }

    fn upload_limit_bytes(&self) -> usize {
        PAPERLESS_LIMIT_BYTES
    }

    /// Upload to Forms History, then push to the image repository with the shipment's
    /// identification number and packages. A refused push leaves the upload in Forms
    /// History, its id named in the refusal; neither call is repeated.
    async fn upload(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        document: &DocumentUpload,
    ) -> Result<UploadedDocument> {
        let awb = stored_awb(shipment).ok_or_else(|| {
            CarrierError::NotSent(
                "a UPS paperless document needs the booked shipment number".into(),
            )
        })?;
        let shipment_number = (shipment.carrier_refs.get("shipment_identification_number"))
            .map(|n| n.trim())
            .filter(|n| !n.is_empty())
            .unwrap_or(awb)
            .to_string();
        let packages = Self::packages(shipment, awb);
        let request = paperless_upload_request(&self.account_number, document);
        let uploaded = self
            .call(
                t,
                Operation::Document,
                request,
                parse_paperless_upload_response,
            )
            .await?;
        let push = paperless_push_request(
            &self.account_number,
            &uploaded.carrier_document_id,
            &shipment_number,
            &packages,
            document,
        );
        let pushed = self
            .call(t, Operation::Document, push, parse_paperless_push_response)
            .await;
        match pushed {
            Ok(_) => Ok(uploaded),
            Err(CarrierError::Rejected {
                code,
                message,
                http_status,
            }) => Err(CarrierError::rejected(
                code,
                format!(
                    "UPS kept document {} in Forms History but did not file it with shipment \
                     {shipment_number}: {message}",
                    uploaded.carrier_document_id
                ),
                http_status,
            )),
            Err(other) => Err(other),
        }
    }
}

#[async_trait]
impl Pickups for Ups {
    /// UPS keeps no pickup locations: nothing to call.
    async fn register_location(
        &self,
        _t: &dyn Transport,
        location: &PickupLocation,
    ) -> Result<RegisteredLocation> {
        Ok(location_kept_by_shipgate(location))
    }

    async fn schedule(
        &self,
        t: &dyn Transport,
        request: &PickupRequest,
    ) -> Result<ScheduledPickup> {
        let date = request.date;
        self.call(t, Operation::Pickup, self.pickup_request(request), |r| {
            parse_pickup_response(r, date)
        })
        .await
    }

    async fn cancel(&self, t: &dyn Transport, pickup: &ScheduledPickup) -> Result<CancelOutcome> {
        let request = self.pickup_cancel_request(&pickup.pickup_id);
        self.call(t, Operation::Pickup, request, parse_pickup_cancel_response)
            .await
    }
}

#[async_trait]
impl Returns for Ups {
    /// UPS's return labels carry no doorstep quality check.
    fn offers_qc(&self) -> bool {
        false
    }

    async fn create_return(
        &self,
        t: &dyn Transport,
        _forward: Option<&ShipmentRef>,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment> {
        if request.qc.is_some() {
            return Err(CarrierError::Unsupported(
                "a doorstep quality check on a UPS return",
            ));
        }
        let service = service_code(request.service.as_deref(), &request.pickup.country, false)?;
        let call = self.return_request(request);
        self.call(t, Operation::CreateShipment, call, |r| {
            parse_create_response(r, service)
        })
        .await
    }
}

#[async_trait]
impl AddressValidation for Ups {
    async fn validate(&self, t: &dyn Transport, address: &Address) -> Result<AddressVerdict> {
        let request = self.address_request(address);
        self.call(t, Operation::AddressValidation, request, |r| {
            parse_address_response(r, address)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_mapping_parses_and_resolves_pairs_before_types() {
        let m = mapping().unwrap();
        assert_eq!(m.carrier(), ID);
        use crate::taxonomy::SubStatus;
        assert_eq!(
            resolve(m, "X", "SR").unwrap().sub_status,
            SubStatus::CustomsCleared
        );
        assert_eq!(
            resolve(m, "D", "KB").unwrap().sub_status,
            SubStatus::AtPickupPoint
        );
        assert_eq!(
            resolve(m, "D", "ZZ").unwrap().sub_status,
            SubStatus::Delivered
        );
        assert!(
            resolve(m, "X", "ZZ").is_none(),
            "an unknown exception is never guessed"
        );
        assert!(resolve(m, "", "").is_none());
    }

    #[test]
    fn services_are_named() {
        assert_eq!(service_name("03"), "UPS Ground");
        assert_eq!(service_name("99"), "99");
        assert_eq!(service_name_from("CA", "01"), "UPS Express");
        assert_eq!(service_name_from("CA", "65"), "UPS Worldwide Saver");
        assert_eq!(service_name_from("US", "01"), "UPS Next Day Air");
    }

    #[test]
    fn ups_books_within_the_us_and_canada_only() {
        assert_eq!(spec().domestic, ["US", "CA"]);
        for c in ["US", "PR", "CA"] {
            assert!(books_domestic_in(c), "{c}");
        }
        for c in ["IN", "GB", "MX"] {
            assert!(!books_domestic_in(c), "{c}");
        }
    }
}
