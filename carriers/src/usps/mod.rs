//! USPS (APIs v3, apis.usps.com): domestic rates with delivery commitments, labels drawn
//! by USPS (PDF and ZPL), label cancellation (refund), tracking, carrier pickups, SCAN
//! forms as manifests, and address standardisation. Requests are built in [`requests`],
//! answers read in [`parse`]; this module only sequences the calls through the gateway's
//! [`Transport`].
//!
//! Things about USPS that shape the adapter:
//! - **Two tokens.** Every call carries an OAuth2 bearer token (client credentials, form
//!   fields, `POST /oauth2/v3/token`, about 8 hours; the kit's [`Session`] caches it and
//!   logs in again on a 401). Labels and their cancellation also carry a *payment
//!   authorization token* in `X-Payment-Authorization-Token`, from
//!   `POST /payments/v3/payment-authorization` naming the account that pays (`PAYER`) and
//!   owns the labels (`LABEL_OWNER`: CRID, MID, manifest MID, EPS or permit account). It
//!   is cached for [`PAYMENT_TOKEN_LIFE`] and fetched again when a label call is refused
//!   with 401/403.
//! - **Rates** come from the shipping options search (`/shipments/v3/options/search`),
//!   which prices every eligible mail class at once with its delivery commitment
//!   (`"2 Days"`, a scheduled date): one quote per mail class, its cheapest single-piece
//!   option that is not flat-rate packaging. Commercial prices for the EPS account when
//!   one is set, retail otherwise. USD.
//! - **Labels** are one mail piece each: a multi-piece shipment is refused (book each piece
//!   as its own shipment). USPS draws one format per call (`imageType` `PDF` or
//!   `ZPL203DPI`, 4×6) and answers `multipart/form-data`: a JSON `labelMetadata` part
//!   (tracking number, postage, routing, commitment) and the base64 `labelImage`. The
//!   format not asked at booking is fetched with the label reprint call
//!   (`POST /labels/v3/label/{trackingNumber}/reprint` — the path is an assumption: it
//!   could not be verified from the public material at hand). shipgate's shipment id is
//!   printed on the label as `customerReference`.
//! - **No lookup.** USPS has no search of labels by customer reference (none in the
//!   Labels, Tracking or any other v3 API found), so a booking whose answer was lost
//!   cannot be found: [`Carrier::lookup`] returns an error saying so, the gateway keeps the
//!   booking `pending_confirmation` for an operator, and it is never booked again on its
//!   own (a second label would be paid twice).
//! - **Cancel** is the label refund (`DELETE /labels/v3/label/{trackingNumber}`), answered
//!   `{"status": "CANCELED"}`; anything else is USPS's refusal.
//! - **Tracking times** (`eventTimestamp`) are local wall times without an offset; USPS adds
//!   `GMTTimestamp` (UTC) and `GMTOffset` to most scans. The rule ([`parse::event_time`]):
//!   the GMT timestamp wins, then the wall time at the GMT offset, then the wall time in
//!   the time zone of the scan's state (or the destination's), daylight saving included.
//!   Codes are `eventCode`s, mapped in `mappings/usps.toml`; scans after a return to
//!   sender are resolved as the return's ([`parse::resolve`]).
//! - **Returns** are return labels (`POST /labels/v3/return-label`, parts
//!   `returnLabelMetadata` and `returnLabelImage`): a PDF the buyer prints, from the buyer
//!   to the seller, paid by the account; no doorstep quality check.
//! - **Pickups**: USPS keeps no pickup locations, so registering one calls nothing
//!   ([`location_kept_by_shipgate`]) and each carrier pickup
//!   (`POST /pickup/v3/carrier-pickup`) carries the address; cancelled with
//!   `DELETE /pickup/v3/carrier-pickup/{confirmationNumber}`.
//! - **SCAN forms** (`POST /scan-forms/v3/scan-form`, PS Form 5630) are the manifests: one
//!   form for the labels from one origin ZIP, which USPS scans at acceptance. The origin is
//!   kept in the booking's carrier refs (`from_*`) so the form can be made later.
//! - **Address validation** (`GET /addresses/v3/address`): the standardised address with
//!   ZIP+4, deliverable when Delivery Point Validation says `Y`, business or residential
//!   from `additionalInfo.business`.
//! - **International** from the US only. Rates are the same options search with
//!   `destinationCountryCode` and `foreignPostalCode` instead of a ZIP. Labels come from
//!   the International Labels API (`POST /international-labels/v3/international-label`,
//!   the same payment token and multipart answer, `internationalTrackingNumber`) with the
//!   customs form printed on them: each line in USD and pounds with its HS tariff number
//!   and origin, USPS's content type (`MERCHANDISE`, `GIFT`, …), the invoice number, and
//!   the AES exemption `NOEEI 30.37(a)` (shipgate files no AES, so a declaration over
//!   USD 2,500 is refused unsent). USPS collects duties from the addressee: a shipment
//!   whose sender pays duties is refused. Refunds go to
//!   `DELETE /international-labels/v3/international-label/{n}`; no reprint call for
//!   international labels was found, so the other label format is refused.
//! - **No tracking push** is implemented: USPS's Subscriptions – Tracking API (v3/v3.2,
//!   OAuth scope `subscriptions-tracking`: `POST /subscriptions` with a `listenerURL`,
//!   `filterProperties` by tracking number or MID and an optional 32-character `secret`)
//!   exists, but USPS's reference pages for it could not be read here: third-party
//!   integrations describe an `X-HMAC` header carrying base64(HMAC-SHA256(timestamp +
//!   raw body, secret)), a verification call to the listener when a subscription is
//!   made, and subscriptions deleted after 25 days without events, while disagreeing on
//!   the timestamp header's name and showing no notification body. Without the body's
//!   shape there is nothing true to parse, so `webhooks` is off and tracking is polled.
//! - **Units**: pounds (two decimals) and inches (one decimal), rounded up.
//! - **Limits**: USPS grants new apps 60 calls an hour (more on request); the default
//!   quota (one a second) assumes the account's `quota_per_second` is set to the grant.
//!   70 lb and one mail piece per label.

pub mod parse;
pub mod requests;
pub mod simulator;
pub mod wire;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{NaiveDate, Utc};
use zeroize::Zeroizing;

use crate::CarrierError;
use crate::carrier::{
    AccountCheck, Capabilities, Carrier, CarrierId, CarrierSpec, Operation, SettingSpec, Settings,
    Transport, setting,
};
use crate::families::{
    AddressValidation, AddressVerdict, Manifest, Manifests, PickupLocation, PickupRequest, Pickups,
    RegisteredLocation, ReturnRequest, Returns, ScheduledPickup,
};
use crate::kit::adapter::{Result, location_kept_by_shipgate};
use crate::kit::session::{ClientAuth, ClientCredentials, Session};
use crate::kit::tracking::stored_awb;
use crate::mapping::Mapping;
use crate::schema::{
    Address, CancelOutcome, CreatedShipment, LabelDocument, LabelFormat, RateQuote, RateRequest,
    ShipmentRef, ShipmentRequest, TrackingUpdate,
};
use crate::wire::{HttpRequest, HttpResponse};

pub use parse::*;
pub use requests::*;
pub use simulator::UspsSimulator;

pub const ID: CarrierId = "usps";

/// The mail class booked when a shipment names none: the ground parcel service.
pub const DEFAULT_MAIL_CLASS: &str = "USPS_GROUND_ADVANTAGE";
/// The mail class booked abroad when a shipment names none.
pub const DEFAULT_INTL_MAIL_CLASS: &str = "PRIORITY_MAIL_INTERNATIONAL";

/// How long a payment authorization token is reused. USPS does not say in its answer;
/// under an hour keeps well inside what integrators observe (karrio reuses it 50 minutes).
pub const PAYMENT_TOKEN_LIFE: Duration = Duration::from_secs(45 * 60);

/// How long an OAuth token lives when the answer does not say (USPS says 8 hours).
const TOKEN_LIFE: Duration = Duration::from_secs(8 * 3600);

crate::embedded_mapping!("usps.toml");

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: ID,
        name: "USPS",
        live_base_url: "https://apis.usps.com",
        settings: &[
            SettingSpec {
                key: "client_id",
                secret: true,
                required: true,
                about: "The consumer key of the app registered on the USPS developer portal",
            },
            SettingSpec {
                key: "client_secret",
                secret: true,
                required: true,
                about: "The consumer secret of that app",
            },
            SettingSpec {
                key: "crid",
                secret: false,
                required: true,
                about: "The Customer Registration ID (CRID) the labels are owned by",
            },
            SettingSpec {
                key: "mid",
                secret: false,
                required: true,
                about: "The Mailer ID (MID) printed in the labels' barcodes",
            },
            SettingSpec {
                key: "manifest_mid",
                secret: false,
                required: false,
                about: "The Mailer ID SCAN forms are made under (the MID when absent)",
            },
            SettingSpec {
                key: "account_type",
                secret: false,
                required: false,
                about: "How postage is paid: EPS (the default), PERMIT or METER",
            },
            SettingSpec {
                key: "account_number",
                secret: true,
                required: true,
                about: "The Enterprise Payment System (or permit) account postage is paid from",
            },
        ],
        // Labels take a few seconds at USPS; tracking and prices well under.
        default_timeout_ms: 15_000,
        // USPS grants new apps a small quota (60 calls an hour, by the developer portal's
        // account of it; raised on request). shipgate's pacing allows no burst, so that
        // figure would space a booking's token, payment and label calls a minute apart
        // and time them out: one a second, to be set per account to what USPS granted.
        default_quota_per_second: 1.0,
        webhook_token_header: "authorization",
        webhook_signature_header: None,
        domestic: &["US"],
        sandbox_settings: simulator::sandbox_settings,
        build: |settings| Usps::new(settings).map(|adapter| Box::new(adapter) as Box<dyn Carrier>),
        simulator: || Box::new(simulator::UspsSimulator::new()),
    }
}

/// The USPS adapter: the OAuth session, the payment account and its cached payment
/// authorization token, and the mapping.
pub struct Usps {
    session: Session,
    account: PaymentAccount,
    payment_token: tokio::sync::Mutex<Option<(Zeroizing<String>, Instant)>>,
    mapping: &'static Mapping,
}

impl std::fmt::Debug for Usps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Credentials and tokens never appear in logs.
        f.debug_struct("Usps")
            .field("crid", &self.account.crid)
            .field("mid", &self.account.mid)
            .finish_non_exhaustive()
    }
}

impl Usps {
    /// Builds from settings; fails with the reason when one is missing or invalid.
    pub fn new(settings: &Settings) -> Result<Self, String> {
        let get = |key| setting(settings, key).map(|v| v.trim().to_string());
        let optional = |key: &str| {
            settings
                .get(key)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let account_type = optional("account_type")
            .unwrap_or_else(|| "EPS".into())
            .to_ascii_uppercase();
        if !matches!(account_type.as_str(), "EPS" | "PERMIT" | "METER") {
            return Err(format!(
                "setting `account_type` must be EPS, PERMIT or METER, not {account_type:?}"
            ));
        }
        let login = ClientCredentials {
            token_path: TOKEN_PATH.into(),
            client_id: get("client_id")?,
            client_secret: get("client_secret")?,
            scope: None,
            auth: ClientAuth::Form,
        };
        Ok(Usps {
            session: Session::new(login, TOKEN_LIFE),
            account: PaymentAccount {
                crid: get("crid")?,
                mid: get("mid")?,
                manifest_mid: optional("manifest_mid"),
                account_type,
                account_number: Zeroizing::new(get("account_number")?),
            },
            payment_token: tokio::sync::Mutex::new(None),
            mapping: mapping()?,
        })
    }

    pub fn mapping(&self) -> &'static Mapping {
        self.mapping
    }

    /// The day labels are mailed: today in US Eastern time (USPS's business day).
    fn mailing_date() -> NaiveDate {
        Utc::now()
            .with_timezone(&chrono_tz::America::New_York)
            .date_naive()
    }

    /// The payment authorization token, fetched when none is held or `refused` is the one
    /// held (one fetch at a time).
    async fn payment_token(&self, t: &dyn Transport, refused: Option<&str>) -> Result<String> {
        let mut slot = self.payment_token.lock().await;
        if let Some((token, good_until)) = slot.as_ref()
            && *good_until > Instant::now()
            && Some(token.as_str()) != refused
        {
            return Ok(token.to_string());
        }
        *slot = None;
        let request = payment_request(&self.account)?;
        let resp = self.session.send(t, Operation::Login, request).await?;
        let token = parse_payment_response(&resp)?;
        *slot = Some((
            Zeroizing::new(token.clone()),
            Instant::now() + PAYMENT_TOKEN_LIFE,
        ));
        Ok(token)
    }

    /// Sends a call that needs the payment token; a 401/403 (the call was not executed)
    /// gets a fresh payment token and the call once more.
    async fn send_paid(
        &self,
        t: &dyn Transport,
        op: Operation,
        build: impl Fn(&str) -> Result<HttpRequest> + Send + Sync,
    ) -> Result<HttpResponse> {
        let token = self.payment_token(t, None).await?;
        let resp = self.session.send(t, op, build(&token)?).await?;
        if !matches!(resp.status, 401 | 403) {
            return Ok(resp);
        }
        let fresh = self.payment_token(t, Some(&token)).await?;
        self.session.send(t, op, build(&fresh)?).await
    }

    async fn send(
        &self,
        t: &dyn Transport,
        op: Operation,
        request: HttpRequest,
    ) -> Result<HttpResponse> {
        self.session.send(t, op, request).await
    }

    fn tracking_number(shipment: &ShipmentRef) -> Result<&str> {
        stored_awb(shipment).ok_or_else(|| {
            CarrierError::NotSent(format!(
                "shipment {} has no USPS tracking number (USPS cannot be searched by reference)",
                shipment.shipment_id
            ))
        })
    }

    /// The refs kept with a booking: its mail class and origin (see [`REF_FROM_ZIP`]).
    fn booking_refs(req: &ShipmentRequest, mail_class: &str) -> BTreeMap<String, String> {
        let zip = zip_parts(req.from.postal_code.as_str()).map(|z| z.0).ok();
        let state = req.from.state_code().map(str::to_string);
        let fields = [
            (REF_MAIL_CLASS, Some(mail_class.to_string())),
            (REF_FROM_ZIP, zip),
            (REF_FROM_STREET, Some(req.from.line1.trim().to_string())),
            (REF_FROM_CITY, Some(req.from.city.trim().to_string())),
            (REF_FROM_STATE, state),
            (REF_FROM_NAME, Some(req.from.name.trim().to_string())),
        ];
        fields
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), v.filter(|v| !v.is_empty())?)))
            .collect()
    }
}

/// A USPS mail class code as shipgate's service names it: USPS's own, upper case.
pub fn mail_class(service: Option<&str>) -> Result<String> {
    let service = service.map(str::trim).filter(|s| !s.is_empty());
    let class = service.unwrap_or(DEFAULT_MAIL_CLASS).to_ascii_uppercase();
    let fits = class.len() <= 60
        && class
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b'_' || b == b'-');
    match fits {
        true => Ok(class),
        false => Err(CarrierError::Unsupported(
            "a service that is not a USPS mail class",
        )),
    }
}

#[async_trait]
impl Carrier for Usps {
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
            webhooks: false,
            serviceability: false,
            ..Capabilities::default()
        }
    }

    /// A fresh OAuth login (USPS refuses bad client credentials at the token endpoint),
    /// then a payment authorization (USPS refuses a CRID, MID or account that do not go
    /// together). Neither books or charges anything.
    async fn check_account(&self, t: &dyn Transport) -> Result<AccountCheck> {
        self.session.log_in(t, Operation::CheckAccount).await?;
        let request = payment_request(&self.account)?;
        let resp = self
            .session
            .send(t, Operation::CheckAccount, request)
            .await?;
        let token = parse_payment_response(&resp)?;
        *self.payment_token.lock().await =
            Some((Zeroizing::new(token), Instant::now() + PAYMENT_TOKEN_LIFE));
        Ok(AccountCheck::Verified)
    }

    /// One shipping options search for every mail class, domestic or (from the US)
    /// international. A parcel mailed outside the US is not USPS's: no quotes.
    async fn rates(&self, t: &dyn Transport, req: &RateRequest) -> Result<Vec<RateQuote>> {
        if req.from.country != "US" {
            return Ok(Vec::new());
        }
        let account = self.account.for_prices();
        let request = options_request(req, Some(account), Self::mailing_date())?;
        let resp = self.send(t, Operation::Rates, request).await?;
        parse_options_response(&resp)
    }

    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment> {
        let international = req.is_international();
        let class = match (international, req.service.as_deref()) {
            (true, None) => DEFAULT_INTL_MAIL_CLASS.to_string(),
            (_, service) => mail_class(service)?,
        };
        let build = |token: &str| match international {
            true => intl_label_request(shipment_id, req, &class, token, Self::mailing_date()),
            false => label_request(shipment_id, req, &class, token, Self::mailing_date()),
        };
        // Built once before any call, so a request USPS could never take is refused
        // without spending a payment authorization.
        build("")?;
        // The tokens first: a lost answer to either call cannot have booked a label, so it
        // is reported as not sent (safe to book again), not as an unknown outcome that
        // would park the booking for an operator (USPS has no lookup).
        let not_booked = |e: CarrierError| match e.may_have_happened() {
            true => CarrierError::NotSent(format!("no label was requested: {e}")),
            false => e,
        };
        self.session.token(t, None).await.map_err(not_booked)?;
        self.payment_token(t, None).await.map_err(not_booked)?;
        let resp = self.send_paid(t, Operation::CreateShipment, build).await?;
        let mut refs = Self::booking_refs(req, &class);
        if international {
            refs.insert(REF_INTL_COUNTRY.into(), req.to.country.clone());
        }
        parse_label_response(&resp, req.label_format, &class, refs)
    }

    /// The label refund, from the API that issued the label.
    async fn cancel(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<CancelOutcome> {
        let number = Self::tracking_number(shipment)?;
        let international = shipment.carrier_refs.contains_key(REF_INTL_COUNTRY);
        let resp = self
            .send_paid(t, Operation::Cancel, |token| match international {
                true => intl_cancel_request(number, token),
                false => cancel_request(number, token),
            })
            .await?;
        parse_cancel_response(&resp)
    }

    /// USPS cannot be searched by customer reference (see the module docs): an error, so
    /// the booking stays `pending_confirmation` and is never booked again on its own.
    async fn lookup(
        &self,
        _t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>> {
        tracing::warn!(
            carrier = ID,
            shipment = %shipment.shipment_id,
            "USPS cannot be searched by reference: the booking's outcome is left to an operator"
        );
        Err(CarrierError::Unsupported(
            "finding a USPS label by reference (USPS has no search by customer reference: an operator must check the account's labels)",
        ))
    }

    async fn track(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let number = Self::tracking_number(shipment)?;
        let resp = self
            .send(t, Operation::Track, track_request(number)?)
            .await?;
        parse_track_response(self.mapping, &resp, number)
    }

    /// The label in another format, by the reprint call (see the module docs).
    async fn label(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        format: LabelFormat,
    ) -> Result<LabelDocument> {
        let number = Self::tracking_number(shipment)?;
        if shipment.carrier_refs.contains_key(REF_INTL_COUNTRY) {
            return Err(CarrierError::Unsupported(
                "another format of an international USPS label (no reprint call for them was found)",
            ));
        }
        let resp = self
            .send_paid(t, Operation::Label, |token| {
                reprint_request(number, format, token)
            })
            .await?;
        parse_reprint_response(&resp, format)
    }

    fn pickups(&self) -> Option<&dyn Pickups> {
        Some(self)
    }

    fn returns(&self) -> Option<&dyn Returns> {
        Some(self)
    }

    fn manifests(&self) -> Option<&dyn Manifests> {
        Some(self)
    }

    fn address_validation(&self) -> Option<&dyn AddressValidation> {
        Some(self)
    }
}

#[async_trait]
impl Pickups for Usps {
    /// USPS keeps no pickup locations: nothing to call.
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
        let resp = self
            .send(t, Operation::Pickup, pickup_request(request)?)
            .await?;
        parse_pickup_response(&resp, Some(request.date))
    }

    async fn cancel(&self, t: &dyn Transport, pickup: &ScheduledPickup) -> Result<CancelOutcome> {
        let request = cancel_pickup_request(&pickup.pickup_id)?;
        let resp = self.send(t, Operation::Pickup, request).await?;
        parse_cancel_pickup_response(&resp)
    }
}

#[async_trait]
impl Returns for Usps {
    /// USPS checks nothing at the door: the buyer drops the parcel off or has it picked up.
    fn offers_qc(&self) -> bool {
        false
    }

    /// A return label (`/labels/v3/return-label`) from the buyer to the seller, paid by
    /// the account; a QC check is refused unsent.
    async fn create_return(
        &self,
        t: &dyn Transport,
        _forward: Option<&ShipmentRef>,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment> {
        if request.qc.is_some() {
            return Err(CarrierError::Unsupported("a doorstep quality check"));
        }
        if request.pickup.country != "US" || request.deliver_to.country != "US" {
            return Err(CarrierError::Unsupported("international shipping"));
        }
        let class = mail_class(request.service.as_deref())?;
        let date = Self::mailing_date();
        return_label_request(request, &class, "", date)?;
        let resp = self
            .send_paid(t, Operation::CreateShipment, |token| {
                return_label_request(request, &class, token, date)
            })
            .await?;
        let refs = BTreeMap::from([(REF_MAIL_CLASS.to_string(), class.clone())]);
        parse_label_response(&resp, LabelFormat::Pdf, &class, refs)
    }
}

#[async_trait]
impl Manifests for Usps {
    /// One SCAN form for the labels (one origin ZIP).
    async fn create(&self, t: &dyn Transport, shipments: &[ShipmentRef]) -> Result<Manifest> {
        let request = scan_form_request(shipments, Self::mailing_date())?;
        let resp = self.send(t, Operation::Manifest, request).await?;
        parse_scan_form_response(&resp)
    }
}

#[async_trait]
impl AddressValidation for Usps {
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
    fn mail_classes_are_usps_codes() {
        assert_eq!(mail_class(None).unwrap(), DEFAULT_MAIL_CLASS);
        assert_eq!(
            mail_class(Some(" priority_mail ")).unwrap(),
            "PRIORITY_MAIL"
        );
        assert!(mail_class(Some("2-day air!")).is_err());
    }
}
