//! Every request shipgate sends to the MyDHL API, one builder per operation.

use base64::Engine;
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::CarrierError;
use crate::families::{PickupRequest, ReturnRequest};
use crate::kit::adapter::Result;
use crate::kit::units;
use crate::schema::{
    Address, Customs, DutiesPayer, ExportReason, LabelFormat, Parcel, Payment, RateRequest,
    SelectionHints, ShipmentKind, ShipmentRequest,
};
use crate::wire::{HttpRequest, Method};

use super::{DhlExpress, zone_of};

pub const RATES_PATH: &str = "/rates";
pub const SHIPMENTS_PATH: &str = "/shipments";
pub const TRACKING_PATH: &str = "/tracking";
pub const PICKUPS_PATH: &str = "/pickups";
pub const ADDRESS_PATH: &str = "/address-validate";

/// DHL's 4×6 inch label template, the one karrio's capture asks for.
pub const LABEL_TEMPLATE: &str = "ECOM26_84_001";
/// DHL's commercial invoice template for dutiable shipments.
pub const INVOICE_TEMPLATE: &str = "COMMERCIAL_INVOICE_P_10";
/// MyDHL's default product: EXPRESS WORLDWIDE (non-documents).
pub const DEFAULT_PRODUCT: &str = "P";
/// The type of every customer reference shipgate sends: `CU`, the customer's own
/// reference, the one `GET /tracking?shipmentReference=` searches by.
pub const REFERENCE_TYPE: &str = "CU";
/// MyDHL refuses address lines longer than this.
const MAX_LINE: usize = 45;
/// How far back a lookup by reference searches: a booking whose answer was lost is
/// retried within minutes, and DHL wants the window bounded.
const LOOKUP_DAYS: i64 = 30;

/// The shipment reference MyDHL takes is at most 35 characters.
pub const MAX_REFERENCE: usize = 35;

impl DhlExpress {
    /// HTTP Basic with the API key and secret on every request (MyDHL has no session),
    /// each marked secret, and a `Message-Reference` DHL quotes back in its logs.
    pub(super) fn authorised(&self, request: HttpRequest, reference_seed: &str) -> HttpRequest {
        let pair = format!("{}:{}", self.api_key.as_str(), self.api_secret.as_str());
        let token = base64::engine::general_purpose::STANDARD.encode(pair);
        request
            .secret(&self.api_key)
            .secret(&self.api_secret)
            .secret_header("authorization", format!("Basic {token}"))
            .header("message-reference", message_reference(reference_seed))
    }

    fn shipper_account(&self) -> Value {
        accounts(&self.account_number)
    }

    /// `POST /rates`: every product DHL offers for the parcels on the lane, priced for
    /// the shipper account, with customs value when the lane crosses a border.
    pub fn rate_request(&self, req: &RateRequest) -> Result<HttpRequest> {
        let international = req.from.country != req.to.country;
        let mut body = json!({
            "customerDetails": {
                "shipperDetails": rate_address(&req.from),
                "receiverDetails": rate_address(&req.to),
            },
            "accounts": self.shipper_account(),
            "plannedShippingDateAndTime": planned(Utc::now()),
            "unitOfMeasurement": "metric",
            "isCustomsDeclarable": international,
            "packages": req.parcels.iter().map(package).collect::<Vec<_>>(),
            "nextBusinessDay": true,
        });
        if let Some(customs) = req.customs.as_ref().filter(|_| international)
            && let Some(value) = customs.total_value()
        {
            body["monetaryAmount"] = json!([{
                "typeCode": "declaredValue",
                "value": value.to_major_f64(),
                "currency": value.currency.as_str(),
            }]);
        }
        let request = HttpRequest::post(RATES_PATH).json(&body)?;
        Ok(self.authorised(request, "rates"))
    }

    /// `POST /shipments`: the booking, its label in `label_format` (one per piece), and
    /// for a dutiable shipment the export declaration and DHL's commercial invoice.
    /// shipgate's shipment id is the shipment's `CU` reference (what a lookup searches).
    pub fn create_request(&self, shipment_id: &str, req: &ShipmentRequest) -> Result<HttpRequest> {
        let body = self.create_body(shipment_id, req)?;
        let request = HttpRequest::post(SHIPMENTS_PATH).json(&body)?;
        Ok(self.authorised(request, &format!("create {shipment_id}")))
    }

    /// The JSON of [`DhlExpress::create_request`].
    pub fn create_body(&self, shipment_id: &str, req: &ShipmentRequest) -> Result<Value> {
        self.booking_body(shipment_id, req, &self.account_number)
    }

    /// `POST /shipments` for a return: an import shipment. The buyer abroad is the
    /// shipper, the seller's warehouse the receiver, and the booking is billed to the
    /// seller's DHL import account (`accounts` typeCode `shipper` set to it: MyDHL has
    /// no return flag; the account decides who pays), with the declaration of the goods
    /// coming back (`exportReasonType: return`). Refused unsent without an import
    /// account configured, a return within one country, or a return without customs.
    pub fn return_request(&self, request: &ReturnRequest) -> Result<HttpRequest> {
        let body = self.return_body(request)?;
        let http = HttpRequest::post(SHIPMENTS_PATH).json(&body)?;
        Ok(self.authorised(http, &format!("return {}", request.shipment_id)))
    }

    /// The JSON of [`DhlExpress::return_request`].
    pub fn return_body(&self, request: &ReturnRequest) -> Result<Value> {
        let import_account = self.import_account.as_deref().ok_or(CarrierError::Unsupported(
            "a DHL Express return without an import account: set the carrier account's `import_account_number` to the DHL import account returns are billed to",
        ))?;
        if request.pickup.country == request.deliver_to.country {
            return Err(CarrierError::Unsupported(
                "a DHL Express return within one country (shipgate books DHL Express across borders only)",
            ));
        }
        let customs = request.customs.clone().ok_or(CarrierError::Unsupported(
            "a DHL Express return without the customs declaration of the goods coming back",
        ))?;
        // The return as the booking MyDHL sees: from the buyer to the warehouse, its
        // parcels referenced by shipgate's return id (a return carries no order line).
        let as_booking = ShipmentRequest {
            items: Vec::new(),
            order_ref: reference(&request.shipment_id)?,
            carrier: super::ID.into(),
            service: request.service.clone(),
            from: request.pickup.clone(),
            to: request.deliver_to.clone(),
            parcels: request.parcels.clone(),
            payment: Payment::Prepaid,
            label_format: LabelFormat::Pdf,
            kind: ShipmentKind::Reverse,
            selection: SelectionHints::default(),
            customs: Some(customs),
            returning: None,
        };
        self.booking_body(&request.shipment_id, &as_booking, import_account)
    }

    /// A booking's JSON, billed to the shipper account `account`.
    fn booking_body(
        &self,
        shipment_id: &str,
        req: &ShipmentRequest,
        account: &str,
    ) -> Result<Value> {
        let reference = reference(shipment_id)?;
        if req.parcels.is_empty() {
            return Err(CarrierError::Unsupported("a shipment without a parcel"));
        }
        if !req.is_international() {
            return Err(CarrierError::Unsupported(
                "a domestic DHL Express shipment (shipgate books DHL Express across borders only)",
            ));
        }
        let customs = req.customs.as_ref().ok_or(CarrierError::Unsupported(
            "an international shipment without customs content",
        ))?;
        let product = product_code(req.service.as_deref())?;
        let encoding = match req.label_format {
            LabelFormat::Pdf => "pdf",
            LabelFormat::Zpl => "zpl",
        };
        let packages: Vec<Value> = req
            .parcels
            .iter()
            .map(|p| {
                let mut piece = package(p);
                piece["customerReferences"] =
                    json!([{ "value": clip(&req.order_ref, MAX_REFERENCE), "typeCode": REFERENCE_TYPE }]);
                piece
            })
            .collect();
        let mut content = json!({
            "packages": packages,
            "isCustomsDeclarable": true,
            "description": clip(&description(req, customs), 70),
            "incoterm": customs.incoterm.as_str(),
            "unitOfMeasurement": "metric",
            "exportDeclaration": export_declaration(shipment_id, customs)?,
        });
        let value = customs.total_value().ok_or_else(|| {
            CarrierError::NotSent("customs items in several currencies cannot be declared".into())
        })?;
        content["declaredValue"] = json!(value.to_major_f64());
        content["declaredValueCurrency"] = json!(value.currency.as_str());
        let mut body = json!({
            "plannedShippingDateAndTime": planned(Utc::now()),
            "pickup": { "isRequested": false },
            "productCode": product,
            "localProductCode": product,
            "getRateEstimates": false,
            "accounts": accounts(account),
            "customerReferences": [{ "value": reference, "typeCode": REFERENCE_TYPE }],
            "outputImageProperties": {
                "printerDPI": 300,
                "encodingFormat": encoding,
                "imageOptions": [
                    { "typeCode": "label", "templateName": LABEL_TEMPLATE, "isRequested": true },
                    { "typeCode": "invoice", "templateName": INVOICE_TEMPLATE, "isRequested": true, "invoiceType": "commercial" },
                ],
                "splitTransportAndWaybillDocLabels": true,
                "allDocumentsInOneImage": false,
                "splitDocumentsByPages": false,
                "splitInvoiceAndReceipt": true,
            },
            "customerDetails": {
                "shipperDetails": party(&req.from),
                "receiverDetails": party(&req.to),
            },
            "content": content,
        });
        match customs.duties_payer {
            // DHL bills duties and taxes to the shipper account: "DD", Duties Paid.
            DutiesPayer::Sender => body["valueAddedServices"] = json!([{ "serviceCode": "DD" }]),
            DutiesPayer::Recipient => {}
            DutiesPayer::ThirdParty => {
                return Err(CarrierError::Unsupported(
                    "duties billed to a third party (no duties-taxes DHL account is configured)",
                ));
            }
        }
        Ok(body)
    }

    /// `GET /shipments/{awb}/tracking`, every checkpoint.
    pub fn track_request(&self, awb: &str) -> HttpRequest {
        let request = HttpRequest::get(format!("{SHIPMENTS_PATH}/{awb}/tracking"))
            .query("trackingView", "all-checkpoints")
            .query("levelOfDetail", "shipment");
        self.authorised(request, &format!("track {awb}"))
    }

    /// `GET /tracking` by the shipment's `CU` reference (shipgate's shipment id) for the
    /// shipper account, within the last [`LOOKUP_DAYS`] days, as MyDHL requires when it
    /// tracks by reference.
    pub fn lookup_request(&self, shipment_id: &str, today: NaiveDate) -> Result<HttpRequest> {
        self.lookup_request_under(&self.account_number, shipment_id, today)
    }

    /// [`DhlExpress::lookup_request`] among the bookings of the shipper account
    /// `account` (the import account for a return).
    pub fn lookup_request_under(
        &self,
        account: &str,
        shipment_id: &str,
        today: NaiveDate,
    ) -> Result<HttpRequest> {
        let reference = reference(shipment_id)?;
        let from = today - Duration::days(LOOKUP_DAYS);
        let to = today + Duration::days(1);
        let request = HttpRequest::get(TRACKING_PATH)
            .query("shipmentReference", reference)
            .query("shipmentReferenceType", REFERENCE_TYPE)
            .query("shipperAccountNumber", account)
            .query("dateRangeFrom", from.to_string())
            .query("dateRangeTo", to.to_string())
            .query("trackingView", "all-checkpoints")
            .query("levelOfDetail", "shipment");
        Ok(self.authorised(request, &format!("lookup {shipment_id}")))
    }

    /// `GET /shipments/{awb}/get-image`: a document DHL archived for the shipment (its
    /// label in another encoding, its commercial invoice), for the month it was booked,
    /// under the shipper account it was booked with.
    pub fn image_request(
        &self,
        account: &str,
        awb: &str,
        type_code: &str,
        encoding: &str,
        booked: NaiveDate,
    ) -> HttpRequest {
        let request = HttpRequest::get(format!("{SHIPMENTS_PATH}/{awb}/get-image"))
            .query("shipperAccountNumber", account)
            .query("typeCode", type_code)
            .query("pickupYearAndMonth", booked.format("%Y-%m").to_string())
            .query("encodingFormat", encoding)
            .query("allInOnePDF", "true")
            .query("compressedPackage", "false");
        self.authorised(request, &format!("image {awb}"))
    }

    /// `GET /shipments/{awb}/proof-of-delivery`: DHL's ePOD, a PDF once delivered.
    pub fn pod_request(&self, account: &str, awb: &str) -> HttpRequest {
        let request = HttpRequest::get(format!("{SHIPMENTS_PATH}/{awb}/proof-of-delivery"))
            .query("shipperAccountNumber", account)
            .query("content", "epod-summary");
        self.authorised(request, &format!("pod {awb}"))
    }

    /// `POST /pickups`: a courier to the location's address (DHL keeps no pickup
    /// locations), in the location's local time with its GMT offset, for the parcels of
    /// the shipments named (one package of `packages` parcels when none are named).
    pub fn pickup_request(&self, pickup: &PickupRequest) -> Result<HttpRequest> {
        let body = self.pickup_body(pickup)?;
        let request = HttpRequest::post(PICKUPS_PATH).json(&body)?;
        Ok(self.authorised(request, &format!("pickup {}", pickup.location)))
    }

    /// `PATCH /pickups/{dispatchConfirmationNumber}`: the booked pickup moved to the
    /// request's date and window. MyDHL's update takes the whole pickup again, plus the
    /// number and the account that booked it (`originalShipperAccountNumber`).
    pub fn pickup_update_request(
        &self,
        dispatch: &str,
        pickup: &PickupRequest,
    ) -> Result<HttpRequest> {
        let mut body = self.pickup_body(pickup)?;
        body["dispatchConfirmationNumber"] = json!(dispatch);
        body["originalShipperAccountNumber"] = json!(self.account_number);
        let request =
            HttpRequest::new(Method::Patch, format!("{PICKUPS_PATH}/{dispatch}")).json(&body)?;
        Ok(self.authorised(request, &format!("pickup update {dispatch}")))
    }

    /// What `POST /pickups` and its `PATCH` share: when (local time with its offset),
    /// where, and how many pieces.
    fn pickup_body(&self, pickup: &PickupRequest) -> Result<Value> {
        let (ready, close) = pickup.window.unwrap_or((
            NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
            NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
        ));
        let zone = zone_of(&pickup.address);
        let at = zone.local(pickup.date.and_time(ready)).ok_or_else(|| {
            CarrierError::NotSent("the pickup time does not exist locally".into())
        })?;
        let pieces = usize::try_from(pickup.packages.max(1)).unwrap_or(1);
        let packages: Vec<Value> = (0..pieces.max(pickup.shipments.len()))
            .map(|_| json!({ "weight": 0.5 }))
            .collect();
        Ok(json!({
            "plannedPickupDateAndTime": format!("{} GMT{}", zone.format(at, "%Y-%m-%dT%H:%M:%S"), zone.format(at, "%:z")),
            "closeTime": close.format("%H:%M").to_string(),
            "location": "reception",
            "locationType": "business",
            "accounts": self.shipper_account(),
            "customerDetails": { "shipperDetails": party(&pickup.address) },
            "shipmentDetails": [{
                "productCode": DEFAULT_PRODUCT,
                "isCustomsDeclarable": true,
                "unitOfMeasurement": "metric",
                "packages": packages,
            }],
        }))
    }

    /// `DELETE /pickups/{dispatchConfirmationNumber}` with who asks and why, as MyDHL
    /// requires.
    pub fn pickup_cancel_request(&self, dispatch: &str) -> HttpRequest {
        let request = HttpRequest::new(Method::Delete, format!("{PICKUPS_PATH}/{dispatch}"))
            .query("requestorName", "shipgate")
            .query("reason", "not needed");
        self.authorised(request, &format!("pickup cancel {dispatch}"))
    }

    /// `GET /address-validate`: whether DHL serves the postal code and city, for delivery
    /// (or pickup) there.
    pub fn address_request(&self, address: &Address, kind: &str) -> HttpRequest {
        let mut request = HttpRequest::get(ADDRESS_PATH)
            .query("type", kind)
            .query("countryCode", address.country.as_str())
            .query("postalCode", address.postal_code.as_str())
            .query("cityName", address.city.as_str())
            .query("strictValidation", "true");
        if let Some(state) = address.state_code() {
            request = request.query("countyName", state);
        }
        self.authorised(request, "address")
    }
}

/// MyDHL's `accounts`: the one billed, as `shipper`.
fn accounts(number: &str) -> Value {
    json!([{ "typeCode": "shipper", "number": number }])
}

/// A Message-Reference: 32 hex characters (MyDHL takes 28 to 36), from the call's seed
/// and the clock, so every call has its own and DHL's support can find it.
fn message_reference(seed: &str) -> String {
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
    let digest = Sha256::digest(format!("{seed} {nanos}").as_bytes());
    hex::encode(digest)[..32].to_string()
}

/// shipgate's shipment id as DHL's `CU` reference, which MyDHL caps at 35 characters:
/// the id itself when it fits; shipgate's own ids (`shp_` and 32 hex digits, 36 in all)
/// without their `shp_` prefix; any other longer id as the first 32 hex digits of its
/// SHA-256. Booking and lookup both go through here, so a lookup searches exactly what
/// the booking sent.
pub fn reference(shipment_id: &str) -> Result<String> {
    let id = shipment_id.trim();
    if id.is_empty() {
        return Err(CarrierError::NotSent(
            "no shipment id to send as DHL's reference".into(),
        ));
    }
    if id.chars().count() <= MAX_REFERENCE {
        return Ok(id.to_string());
    }
    if let Some(rest) = id.strip_prefix("shp_")
        && rest.chars().count() <= MAX_REFERENCE
    {
        return Ok(rest.to_string());
    }
    Ok(hex::encode(Sha256::digest(id.as_bytes()))[..32].to_string())
}

/// The product to book: the quoted `service`, else EXPRESS WORLDWIDE. MyDHL product codes
/// are one letter or digit.
pub fn product_code(service: Option<&str>) -> Result<String> {
    let code = service.map(str::trim).filter(|s| !s.is_empty());
    match code {
        None => Ok(DEFAULT_PRODUCT.into()),
        Some(c) if c.len() == 1 && c.chars().all(|ch| ch.is_ascii_alphanumeric()) => {
            Ok(c.to_ascii_uppercase())
        }
        Some(_) => Err(CarrierError::Unsupported(
            "a service that is no DHL Express product code (P, Y, K…)",
        )),
    }
}

/// MyDHL's date-time: local wall time and `GMT+HH:MM`; shipgate says UTC.
pub fn planned(now: DateTime<Utc>) -> String {
    let at = now + Duration::hours(1);
    format!("{} GMT+00:00", at.format("%Y-%m-%dT%H:%M:%S"))
}

/// A package: kilograms to the gram (DHL takes three decimals, so nothing is rounded),
/// whole centimetres rounded up.
fn package(parcel: &Parcel) -> Value {
    let mut piece = json!({ "weight": units::kg(parcel.weight_g) });
    if let (Some(l), Some(w), Some(h)) = (parcel.length_mm, parcel.width_mm, parcel.height_mm) {
        piece["dimensions"] = json!({
            "length": units::whole_cm(l),
            "width": units::whole_cm(w),
            "height": units::whole_cm(h),
        });
    }
    piece
}

fn clip(text: &str, max: usize) -> String {
    text.trim().chars().take(max).collect()
}

fn rate_address(address: &Address) -> Value {
    let mut out = json!({
        "postalCode": address.postal_code.as_str(),
        "cityName": clip(&address.city, MAX_LINE),
        "countryCode": address.country,
        "addressLine1": clip(&address.line1, MAX_LINE),
    });
    if let Some(state) = address.state_code() {
        out["provinceCode"] = json!(state);
    }
    out
}

/// A shipper, receiver or pickup party: its postal address and contact.
fn party(address: &Address) -> Value {
    let mut postal = rate_address(address);
    if let Some(line2) = address.line2.as_deref().filter(|l| !l.trim().is_empty()) {
        postal["addressLine2"] = json!(clip(line2, MAX_LINE));
    }
    if let Some(landmark) = address.landmark.as_deref().filter(|l| !l.trim().is_empty()) {
        postal["addressLine3"] = json!(clip(landmark, MAX_LINE));
    }
    let mut contact = json!({
        "fullName": clip(&address.name, 255),
        "companyName": clip(&address.name, 100),
        "phone": address.phone.e164(),
    });
    if let Some(email) = address.email.as_deref() {
        contact["email"] = json!(email);
    }
    json!({ "postalAddress": postal, "contactInformation": contact, "typeCode": "business" })
}

fn description(req: &ShipmentRequest, customs: &Customs) -> String {
    let given = req.description();
    if !given.trim().is_empty() {
        return given;
    }
    customs
        .items
        .iter()
        .map(|i| i.description.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Permanent export, temporary (sent for repair and coming back) or a return.
fn export_reason_type(reason: ExportReason) -> &'static str {
    match reason {
        ExportReason::Repair => "temporary",
        ExportReason::Return => "return",
        _ => "permanent",
    }
}

/// The export declaration DHL prints its commercial invoice from: one line per item
/// with its HS code, origin, quantity, unit price and weight (the line's, in kg).
fn export_declaration(shipment_id: &str, customs: &Customs) -> Result<Value> {
    if customs.items.is_empty() {
        return Err(CarrierError::Unsupported("customs content without items"));
    }
    let reason_type = export_reason_type(customs.contents);
    let lines: Vec<Value> = customs
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let line_g = item.weight_g.saturating_mul(item.quantity.max(1));
            json!({
                "number": i + 1,
                "description": clip(&item.description, 512),
                "price": item.unit_value.to_major_f64(),
                "quantity": { "value": item.quantity, "unitOfMeasurement": "PCS" },
                "commodityCodes": [{ "typeCode": "outbound", "value": item.hs_code }],
                "exportReasonType": reason_type,
                "manufacturerCountry": item.origin_country,
                "weight": { "netValue": units::kg(line_g), "grossValue": units::kg(line_g) },
            })
        })
        .collect();
    let invoice_number = customs
        .invoice_number
        .clone()
        .unwrap_or_else(|| shipment_id.to_string());
    Ok(json!({
        "lineItems": lines,
        "invoice": { "number": clip(&invoice_number, 35), "date": Utc::now().date_naive().to_string() },
        "exportReason": customs.contents.as_str(),
        "exportReasonType": reason_type,
        "shipmentType": if customs.contents == ExportReason::Sale { "commercial" } else { "personal" },
    }))
}
