//! DHL Express through the MyDHL API (REST JSON, `express.api.dhl.com/mydhlapi`): rates,
//! booking with DHL's own labels and commercial invoice, tracking, lookup by reference,
//! pickups, address validation and documents. Requests are built in [`requests`],
//! answers read in [`parse`]; this module only sequences the calls.
//!
//! Things about DHL Express that shape the adapter:
//! - **Authentication**: HTTP Basic with the API key and secret DHL issues per
//!   application, on every call (no session, no token): the header is marked secret, and
//!   each call carries its own `Message-Reference` (32 hex characters; MyDHL takes 28–36)
//!   for DHL's support. Bookings and prices belong to the shipper `account_number`.
//! - **Cross-border only in shipgate** (`domestic: &[]`): rates for a domestic lane are
//!   an empty list without a call and a domestic booking is refused (`Unsupported`), so
//!   DHL Express quotes beside the domestic carriers only where a parcel leaves the
//!   country. Every booking is dutiable: it carries the export declaration (HS code,
//!   origin, quantity, unit price, weight per line; invoice number and date; export
//!   reason), the incoterm, and `DD` (duties paid) when the sender pays duties; a third
//!   party paying duties needs a `duties-taxes` account shipgate does not hold, so it is
//!   refused.
//! - **Prices** come in the account's billing currency (`BILLC`: INR for an Indian
//!   account, USD for a US one), with DHL's detailed lines by name (freight, `FF` fuel
//!   surcharge, other services as surcharges, taxes per line), the estimated delivery
//!   date and total transit days. DHL's 404 for rates is "no product on this lane": not
//!   serviceable.
//! - **Labels are DHL's**: `POST /shipments` answers one base64 label per piece in the
//!   encoding asked for (`pdf` or `zpl`), decoded and joined into one file per format;
//!   the other format is fetched later with `GET /shipments/{awb}/get-image` ([`Carrier::label`]).
//!   A dutiable booking also answers DHL's commercial invoice (PDF), kept with the
//!   shipment; the [`Documents`] family fetches it again (`get-image`, `typeCode=invoice`)
//!   and the proof of delivery (`GET /shipments/{awb}/proof-of-delivery`, DHL's ePOD).
//! - **Lookup after a lost answer**: shipgate's shipment id is the shipment's `CU`
//!   customer reference (MyDHL takes 35 characters: shipgate's 36-character `shp_…` ids go
//!   without their prefix, see [`requests::reference`]), and MyDHL tracks by reference: `GET /tracking?shipmentReference=
//!   <id>&shipmentReferenceType=CU&shipperAccountNumber=…` within a date range (DHL
//!   requires one; the last 30 days). A shipment found is the booking (its labels are
//!   then fetched with `get-image`); DHL's 404 means none, so booking again is safe.
//! - **Cancel makes no call**: MyDHL has no shipment void or cancel operation (its API
//!   reference lists create, get-image, upload-image, upload-invoice-data and
//!   proof-of-delivery under shipments; karrio's MyDHL connector sends nothing either).
//!   DHL Express bills only shipments it collects and scans, so an AWB never handed over
//!   costs nothing: [`Carrier::cancel`] succeeds without a call and its message says
//!   so; the parcel must simply not be given to DHL (and a pickup booked for it should
//!   be cancelled).
//! - **Times**: checkpoints carry a local `date` and `time` at the service area and, in
//!   MyDHL's schema, a `GMTOffset`; the offset is applied. An event without one (the
//!   karrio capture) is read as UTC: DHL's answer gives no other zone, and the service
//!   area's country would be a guess. Requests say UTC (`… GMT+00:00`) except pickups,
//!   whose ready time is local to the pickup address (IST, US and Canadian zones by
//!   state or province with daylight saving, a few single-zone countries, UTC elsewhere:
//!   see [`zone_of`]).
//! - **Units**: metric at the edge, kilograms with DHL's three decimals (nothing lost)
//!   and whole centimetres rounded up.
//! - **Pickups**: DHL keeps no pickup locations; a pickup sends the address
//!   (`POST /pickups`), is moved to another date or window by its dispatch confirmation
//!   number (`PATCH /pickups/{number}`, the whole pickup again plus
//!   `originalShipperAccountNumber`; DHL may answer another number) and cancelled by it
//!   (`DELETE /pickups/{number}`). MyDHL takes pickup dates up to 10 days ahead.
//! - **Address validation** (`GET /address-validate`) checks the country, postal code and
//!   city against DHL's service areas; it does not check the street or say whether the
//!   address is residential.
//! - **Limits**: no per-second limit for MyDHL was found in DHL's public material (its
//!   quotas are set per application when DHL approves it); shipgate sends at most 5 a
//!   second unless configured otherwise. Address lines are cut to 45 characters, the
//!   shipment reference to 35, product codes are one character.
//! - **Returns are import shipments**: MyDHL has no return call or flag; a return is an
//!   ordinary `POST /shipments` from the buyer abroad (shipper) to the seller's warehouse
//!   (receiver), billed to the seller's DHL *import* account (`accounts` typeCode
//!   `shipper` set to it: the account decides who pays, and an export account cannot
//!   ship from another country), with the declaration of the goods coming back
//!   (`exportReasonType: return`, `DAP`, duties on re-entry the seller's, see
//!   [`crate::families::returns::returning_customs`]). The import account is the optional
//!   `import_account_number` setting; without it a return is refused unsent saying so.
//!   A return is recorded under that account ([`SHIPPER_ACCOUNT_REF`]), which its label
//!   archive and proof of delivery are then asked for; a lost return answer is looked
//!   up under the import account too. DHL offers no doorstep check (`offers_qc` false),
//!   and the return label is a PDF (a return request names no format; the ZPL comes
//!   from `get-image`).
//! - **XML-PI** (DHL's legacy XML Services) is not spoken: DHL is retiring it for MyDHL.
//!   Its public captures are replayed in `tests/it/dhl_express_xmlpi.rs` through this
//!   module's MyDHL code, field by field, for what they prove (codes, clocks, refusals,
//!   prices, bookings, pickups).
//! - **No push product** is implemented: DHL's tracking pushes belong to its separate
//!   Shipment Tracking – Unified API, whose subscriptions and authentication shipgate does
//!   not handle, so the webhook route refuses DHL.

pub mod parse;
pub mod requests;
pub mod simulator;
pub mod wire;

use async_trait::async_trait;
use chrono::Utc;
use zeroize::Zeroizing;

use crate::CarrierError;
use crate::carrier::{
    AccountCheck, Capabilities, Carrier, CarrierId, CarrierSpec, Operation, SettingSpec, Settings,
    Transport, setting,
};
use crate::families::{
    AddressValidation, AddressVerdict, Document, DocumentKind, Documents, PickupLocation,
    PickupRequest, Pickups, RegisteredLocation, ReturnRequest, Returns, ScheduledPickup,
};
use crate::kit::adapter::{Result, location_kept_by_shipgate};
use crate::kit::lenient::trimmed;
use crate::kit::time::{IST, UTC, Zone};
use crate::kit::tracking::stored_awb;
use crate::mapping::Mapping;
use crate::schema::{
    Address, CancelOutcome, CreatedShipment, LabelDocument, LabelFormat, RateQuote, RateRequest,
    ShipmentRef, ShipmentRequest, TrackingUpdate,
};

pub use parse::*;
pub use requests::*;

pub const ID: CarrierId = "dhl_express";

/// What [`Carrier::cancel`] tells the shipper, since no call is made.
pub const CANCEL_MESSAGE: &str = "MyDHL has no cancel call: nothing was sent to DHL. DHL Express bills only shipments it collects and scans, so this AWB costs nothing as long as the parcel is not handed to DHL";

crate::embedded_mapping!("dhl_express.toml");

pub fn spec() -> CarrierSpec {
    CarrierSpec {
        id: ID,
        name: "DHL Express",
        // MyDHL's production root; its test environment is …/mydhlapi/test.
        live_base_url: "https://express.api.dhl.com/mydhlapi",
        settings: &[
            SettingSpec {
                key: "api_key",
                secret: true,
                required: true,
                about: "The MyDHL API key (the Basic user name) of the application",
            },
            SettingSpec {
                key: "api_secret",
                secret: true,
                required: true,
                about: "The MyDHL API secret (the Basic password) of the application",
            },
            SettingSpec {
                key: "account_number",
                secret: false,
                required: true,
                about: "The DHL Express shipper account bookings and prices are for",
            },
            SettingSpec {
                key: "import_account_number",
                secret: false,
                required: false,
                about: "The DHL Express import account returns from abroad are billed to (returns are refused without it)",
            },
        ],
        // Booking renders labels and the invoice at DHL: several seconds are common.
        default_timeout_ms: 15_000,
        // No published per-second limit; a conservative figure.
        default_quota_per_second: 5.0,
        // Unused: no DHL push is taken (see the module doc).
        webhook_token_header: "authorization",
        webhook_signature_header: None,
        domestic: &[],
        sandbox_settings: simulator::sandbox_settings,
        build: |settings| {
            DhlExpress::new(settings).map(|adapter| Box::new(adapter) as Box<dyn Carrier>)
        },
        simulator: || Box::new(simulator::DhlExpressSimulator::new()),
    }
}

/// Carrier ref: the month DHL booked the shipment in (`2026-12`), which its image archive
/// (`get-image`) is searched by.
pub const BOOKED_MONTH_REF: &str = "booked_month";

/// Carrier ref: the shipper account a booking was made under when it is not the export
/// `account_number` (a return, under the import account); DHL files its images, proof
/// of delivery and references under that account.
pub const SHIPPER_ACCOUNT_REF: &str = "shipper_account";

fn booked_month(day: chrono::NaiveDate) -> String {
    day.format("%Y-%m").to_string()
}

/// The first day of the month the shipment was booked in, this month when unknown.
fn booked_on(shipment: &ShipmentRef) -> chrono::NaiveDate {
    shipment
        .carrier_refs
        .get(BOOKED_MONTH_REF)
        .and_then(|m| chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        .unwrap_or_else(|| Utc::now().date_naive())
}

/// The zone a pickup address keeps its clocks in: IST in India, the US and Canadian zones
/// by state or province (with daylight saving), the one zone of a few single-zone
/// countries DHL Express picks up in often, UTC elsewhere (an approximation the module
/// doc names). The legacy XML-PI pickup capture (Montreal, `ReadyByTime` with no offset)
/// shows DHL reads the ready time on the pickup place's own clock.
pub fn zone_of(address: &Address) -> Zone {
    use chrono_tz::{America, Asia, Europe};
    let state = address.state_code().unwrap_or_default();
    let named = match address.country.as_str() {
        "IN" => return IST,
        "US" => match state {
            "CA" | "WA" | "OR" | "NV" => America::Los_Angeles,
            "AZ" => America::Phoenix,
            "CO" | "UT" | "NM" | "MT" | "WY" | "ID" => America::Denver,
            "TX" | "IL" | "MN" | "WI" | "MO" | "IA" | "LA" | "OK" | "KS" | "NE" | "AR" | "AL"
            | "MS" | "TN" | "SD" | "ND" => America::Chicago,
            "AK" => America::Anchorage,
            "HI" => chrono_tz::Pacific::Honolulu,
            _ => America::New_York,
        },
        "CA" => match state {
            "BC" => America::Vancouver,
            "AB" | "NT" => America::Edmonton,
            "SK" => America::Regina,
            "MB" => America::Winnipeg,
            "NB" | "NS" | "PE" => America::Halifax,
            "NL" => America::St_Johns,
            "YT" => America::Whitehorse,
            _ => America::Toronto,
        },
        "GB" => Europe::London,
        "IE" => Europe::Dublin,
        "DE" => Europe::Berlin,
        "FR" => Europe::Paris,
        "NL" => Europe::Amsterdam,
        "BE" => Europe::Brussels,
        "IT" => Europe::Rome,
        "CZ" => Europe::Prague,
        "TR" => Europe::Istanbul,
        "AE" => Asia::Dubai,
        "SG" => Asia::Singapore,
        "HK" => Asia::Hong_Kong,
        "JP" => Asia::Tokyo,
        _ => return UTC,
    };
    Zone::Named(named)
}

/// The DHL Express adapter: the API key and secret (wiped from memory when the adapter
/// goes), the shipper account, the mapping.
pub struct DhlExpress {
    api_key: Zeroizing<String>,
    api_secret: Zeroizing<String>,
    account_number: String,
    /// The import account returns are billed to, when configured.
    import_account: Option<String>,
    mapping: &'static Mapping,
}

impl std::fmt::Debug for DhlExpress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DhlExpress")
            .field("account_number", &self.account_number)
            .field("import_account", &self.import_account)
            .finish_non_exhaustive()
    }
}

impl DhlExpress {
    pub fn new(settings: &Settings) -> Result<Self, String> {
        Ok(DhlExpress {
            api_key: Zeroizing::new(setting(settings, "api_key")?.trim().to_string()),
            api_secret: Zeroizing::new(setting(settings, "api_secret")?.trim().to_string()),
            account_number: setting(settings, "account_number")?.trim().to_string(),
            import_account: trimmed(settings.get("import_account_number").map(String::as_str))
                .map(str::to_string),
            mapping: mapping()?,
        })
    }

    /// The shipper account `shipment` was booked under: the one recorded with it (a
    /// return's import account), else the export account.
    fn account_of<'a>(&'a self, shipment: &'a ShipmentRef) -> &'a str {
        shipment
            .carrier_refs
            .get(SHIPPER_ACCOUNT_REF)
            .map(String::as_str)
            .unwrap_or(&self.account_number)
    }

    pub fn mapping(&self) -> &'static Mapping {
        self.mapping
    }

    /// The AWB to act on: the stored one, else the booking found by reference.
    async fn awb_of(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<String> {
        if let Some(awb) = stored_awb(shipment) {
            return Ok(awb.to_string());
        }
        match self.lookup(t, shipment).await? {
            Some(found) => Ok(found.awb),
            None => Err(CarrierError::rejected(
                NOT_FOUND,
                format!(
                    "DHL has no shipment under reference {}",
                    shipment.shipment_id
                ),
                404,
            )),
        }
    }
}

#[async_trait]
impl Carrier for DhlExpress {
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

    /// One `POST /rates` for a cross-border lane; a domestic lane is no DHL lane in
    /// shipgate (see the module doc).
    async fn rates(&self, t: &dyn Transport, req: &RateRequest) -> Result<Vec<RateQuote>> {
        if req.from.country == req.to.country {
            return Ok(Vec::new());
        }
        let resp = t.send(Operation::Rates, self.rate_request(req)?).await?;
        parse_rate_response(&resp)
    }

    /// One address validation of the DHL head office's place (Bonn 53113): the cheapest
    /// authenticated call, changing nothing; a wrong key or secret is DHL's 401.
    async fn check_account(&self, t: &dyn Transport) -> Result<AccountCheck> {
        let probe = Address {
            name: "DHL".into(),
            phone: crate::schema::Phone::parse("+492281820", "DE")
                .map_err(CarrierError::NotSent)?,
            email: None,
            line1: "Charles-de-Gaulle-Str. 20".into(),
            line2: None,
            landmark: None,
            city: "Bonn".into(),
            state: None,
            postal_code: crate::schema::PostalCode::parse("53113", "DE")
                .map_err(CarrierError::NotSent)?,
            country: "DE".into(),
        };
        let resp = t
            .send(
                Operation::CheckAccount,
                self.address_request(&probe, "pickup"),
            )
            .await?;
        if !resp.is_success() && resp.status != 404 {
            return Err(refusal(&resp));
        }
        Ok(AccountCheck::Verified)
    }

    async fn create_shipment(
        &self,
        t: &dyn Transport,
        shipment_id: &str,
        req: &ShipmentRequest,
    ) -> Result<CreatedShipment> {
        let service = product_code(req.service.as_deref())?;
        let request = self.create_request(shipment_id, req)?;
        let resp = t.send(Operation::CreateShipment, request).await?;
        let mut created = parse_create_response(&resp, &service)?;
        created.carrier_refs.insert(
            BOOKED_MONTH_REF.into(),
            booked_month(Utc::now().date_naive()),
        );
        Ok(created)
    }

    /// No call: MyDHL cannot void a shipment (see the module doc and [`CANCEL_MESSAGE`]).
    async fn cancel(&self, _t: &dyn Transport, shipment: &ShipmentRef) -> Result<CancelOutcome> {
        let awb = stored_awb(shipment).unwrap_or("the booking");
        Ok(CancelOutcome {
            carrier_message: format!("{CANCEL_MESSAGE} (AWB {awb})."),
        })
    }

    /// `GET /tracking` by the `CU` reference shipgate booked under.
    async fn lookup(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
    ) -> Result<Option<CreatedShipment>> {
        let Some(reference) = trimmed(Some(&shipment.shipment_id)) else {
            return Err(CarrierError::NotSent(
                "no shipment id to look the DHL booking up by".into(),
            ));
        };
        let today = Utc::now().date_naive();
        let request = self.lookup_request(reference, today)?;
        let resp = t.send(Operation::Lookup, request).await?;
        let mut found = parse_lookup_response(&resp, reference)?;
        // A return is booked under the import account: looked up there too, and
        // recorded under it when found there.
        if found.is_none()
            && let Some(import) = self.import_account.as_deref()
        {
            let request = self.lookup_request_under(import, reference, today)?;
            let resp = t.send(Operation::Lookup, request).await?;
            found = parse_lookup_response(&resp, reference)?;
            if let Some(created) = found.as_mut() {
                created
                    .carrier_refs
                    .insert(SHIPPER_ACCOUNT_REF.into(), import.to_string());
            }
        }
        if let Some(created) = found.as_mut() {
            // Found within minutes of the lost answer: booked this month (or, past
            // midnight on the 1st, the last; get-image then answers 404 and can be retried).
            let month = booked_month(Utc::now().date_naive());
            created.carrier_refs.insert(BOOKED_MONTH_REF.into(), month);
        }
        Ok(found)
    }

    async fn track(&self, t: &dyn Transport, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        match stored_awb(shipment) {
            Some(awb) => {
                let resp = t.send(Operation::Track, self.track_request(awb)).await?;
                parse_track_response(self.mapping, &resp)
            }
            None => {
                let request = self.lookup_request_under(
                    self.account_of(shipment),
                    &shipment.shipment_id,
                    Utc::now().date_naive(),
                )?;
                let resp = t.send(Operation::Lookup, request).await?;
                parse_track_response(self.mapping, &resp)
            }
        }
    }

    /// DHL's label in the other encoding, from its image archive (`get-image`).
    async fn label(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        format: LabelFormat,
    ) -> Result<LabelDocument> {
        let awb = self.awb_of(t, shipment).await?;
        let account = self.account_of(shipment);
        let request =
            self.image_request(account, &awb, "label", format.as_str(), booked_on(shipment));
        let resp = t.send(Operation::Label, request).await?;
        parse_label_image_response(&resp, format)
    }

    fn pickups(&self) -> Option<&dyn Pickups> {
        Some(self)
    }

    fn documents(&self) -> Option<&dyn Documents> {
        Some(self)
    }

    fn returns(&self) -> Option<&dyn Returns> {
        Some(self)
    }

    fn address_validation(&self) -> Option<&dyn AddressValidation> {
        Some(self)
    }
}

#[async_trait]
impl Pickups for DhlExpress {
    /// DHL keeps no pickup locations: nothing to call.
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
        let resp = t
            .send(Operation::Pickup, self.pickup_request(request)?)
            .await?;
        parse_pickup_response(&resp, request.date)
    }

    async fn cancel(&self, t: &dyn Transport, pickup: &ScheduledPickup) -> Result<CancelOutcome> {
        let number = trimmed(Some(&pickup.pickup_id))
            .ok_or_else(|| CarrierError::NotSent("no dispatch confirmation number".into()))?;
        let resp = t
            .send(Operation::Pickup, self.pickup_cancel_request(number))
            .await?;
        parse_pickup_cancel_response(&resp)
    }

    fn reschedules(&self) -> bool {
        true
    }

    /// `PATCH /pickups/{dispatchConfirmationNumber}` with the whole pickup at its new
    /// date and window.
    async fn reschedule(
        &self,
        t: &dyn Transport,
        pickup: &ScheduledPickup,
        request: &PickupRequest,
    ) -> Result<ScheduledPickup> {
        let number = trimmed(Some(&pickup.pickup_id))
            .ok_or_else(|| CarrierError::NotSent("no dispatch confirmation number".into()))?;
        let resp = t
            .send(
                Operation::Pickup,
                self.pickup_update_request(number, request)?,
            )
            .await?;
        parse_pickup_update_response(&resp, number, request.date)
    }
}

#[async_trait]
impl Returns for DhlExpress {
    /// DHL's couriers check nothing at the door.
    fn offers_qc(&self) -> bool {
        false
    }

    /// The return as an import shipment under the import account (see the module doc):
    /// DHL's label and AWB, tracked, labelled and documented like any booking.
    async fn create_return(
        &self,
        t: &dyn Transport,
        _forward: Option<&ShipmentRef>,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment> {
        if request.qc.is_some() {
            return Err(CarrierError::Unsupported(
                "a doorstep quality check on a DHL Express return",
            ));
        }
        let service = product_code(request.service.as_deref())?;
        let http = self.return_request(request)?;
        let resp = t.send(Operation::CreateShipment, http).await?;
        let mut created = parse_create_response(&resp, &service)?;
        created.carrier_refs.insert(
            BOOKED_MONTH_REF.into(),
            booked_month(Utc::now().date_naive()),
        );
        if let Some(import) = &self.import_account {
            created
                .carrier_refs
                .insert(SHIPPER_ACCOUNT_REF.into(), import.clone());
        }
        Ok(created)
    }
}

#[async_trait]
impl Documents for DhlExpress {
    fn kinds(&self) -> &'static [DocumentKind] {
        &[
            DocumentKind::CommercialInvoice,
            DocumentKind::ProofOfDelivery,
        ]
    }

    async fn document(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        kind: DocumentKind,
    ) -> Result<Document> {
        let awb = self.awb_of(t, shipment).await?;
        let account = self.account_of(shipment);
        let request = match kind {
            DocumentKind::CommercialInvoice => {
                self.image_request(account, &awb, "invoice", "pdf", booked_on(shipment))
            }
            DocumentKind::ProofOfDelivery => self.pod_request(account, &awb),
            _ => return Err(CarrierError::Unsupported("that document from DHL Express")),
        };
        let resp = t.send(Operation::Document, request).await?;
        parse_document_response(&resp, kind)
    }
}

#[async_trait]
impl AddressValidation for DhlExpress {
    async fn validate(&self, t: &dyn Transport, address: &Address) -> Result<AddressVerdict> {
        let request = self.address_request(address, "delivery");
        let resp = t.send(Operation::AddressValidation, request).await?;
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
}
