//! One function per UPS call, building its [`HttpRequest`] from the unified request.
//! Units and money are converted here and nowhere else: pounds and inches from the US
//! (and Puerto Rico), kilograms and centimetres from everywhere else (UPS wants the
//! origin country's units, Canada's metric), weights to one decimal and dimensions to one decimal,
//! rounded up (UPS bills whole pounds or half kilos from them; an under-declared figure
//! comes back as an adjustment).

use chrono::{NaiveDate, Utc};
use serde_json::{Value, json};

use crate::CarrierError;
use crate::families::{DocumentKind, DocumentUpload, PickupRequest, ReturnRequest};
use crate::kit::adapter::Result;
use crate::kit::units;
use crate::schema::{
    Address, Customs, DutiesPayer, ExportReason, LabelFormat, Parcel, RateRequest, ShipmentRequest,
};
use crate::wire::{HttpRequest, Method};

/// The API versions the adapter speaks (UPS keeps old versions answering).
pub const SHIPPING_VERSION: &str = "v2409";
pub const RATING_VERSION: &str = "v2409";
pub const PICKUP_VERSION: &str = "v2409";
pub const TOKEN_PATH: &str = "/security/v1/oauth/token";
/// The Paperless Documents API's version.
pub const PAPERLESS_VERSION: &str = "v2";
/// The largest file UPS's Paperless Documents API takes (10 MB; 1 MB on its test host).
pub const PAPERLESS_LIMIT_BYTES: usize = 10 * 1024 * 1024;
/// Who UPS's `transactionSrc` header names.
pub const TRANSACTION_SOURCE: &str = "shipgate";

/// UPS's packaging code for the shipper's own box.
const CUSTOMER_PACKAGING: &str = "02";

/// Countries whose UPS accounts ship in pounds and inches.
pub fn imperial(country: &str) -> bool {
    matches!(country, "US" | "PR")
}

/// `(weight unit, dimension unit)` as UPS names them, for an origin country.
pub fn unit_codes(country: &str) -> (&'static str, &'static str) {
    if imperial(country) {
        ("LBS", "IN")
    } else {
        ("KGS", "CM")
    }
}

/// A weight in the origin's unit, one decimal, rounded up (at least 0.1).
pub fn weight_text(grams: u32, country: &str) -> String {
    let value = if imperial(country) {
        units::lb(grams, 1)
    } else {
        (f64::from(grams) / 100.0).ceil() / 10.0
    };
    format!("{:.1}", value.max(0.1))
}

/// A length in the origin's unit, one decimal, rounded up.
pub fn length_text(mm: u32, country: &str) -> String {
    let value = if imperial(country) {
        units::inches(mm, 1)
    } else {
        f64::from(mm.div_ceil(10)).max(1.0)
    };
    format!("{value:.1}")
}

/// A transaction id for UPS's `transId` header: unique per request, 32 characters at
/// most; UPS quotes it back to its support.
fn trans_id(hint: &str) -> String {
    let stamp = Utc::now().format("%H%M%S%f").to_string();
    let hint: String = hint.chars().filter(char::is_ascii_alphanumeric).collect();
    let mut id = format!("sg{hint}{stamp}");
    id.truncate(32);
    id
}

/// A UPS call with its transaction headers.
fn call(method: Method, path: String, hint: &str) -> HttpRequest {
    HttpRequest::new(method, path)
        .header("transId", trans_id(hint))
        .header("transactionSrc", TRANSACTION_SOURCE)
}

/// An address in UPS's shape (`AddressLine` up to three lines of 35 characters).
pub fn address(a: &Address) -> Value {
    let mut lines: Vec<String> = [Some(&a.line1), a.line2.as_ref(), a.landmark.as_ref()]
        .into_iter()
        .flatten()
        .map(|l| l.chars().take(35).collect())
        .collect();
    lines.truncate(3);
    let mut out = json!({
        "AddressLine": lines,
        "City": a.city,
        "PostalCode": postal_code(a),
        "CountryCode": a.country,
    });
    if let Some(state) = a.state_code().or(a.state.as_deref()) {
        out["StateProvinceCode"] = json!(state);
    }
    out
}

/// The postal code as UPS keys it: a Canadian one without its space (`K2P1L4`; UPS
/// reads both, but its examples and the six-character form are unambiguous).
fn postal_code(a: &Address) -> String {
    let code = a.postal_code.as_str();
    if a.country == "CA" {
        code.split_whitespace().collect()
    } else {
        code.to_string()
    }
}

/// A party (shipper, ship-to, ship-from): name, phone, e-mail, address.
fn party(a: &Address) -> Value {
    let name: String = a.name.chars().take(35).collect();
    let mut out = json!({
        "Name": name,
        "AttentionName": name,
        "Phone": { "Number": a.phone.national() },
        "Address": address(a),
    });
    if let Some(email) = &a.email {
        out["EMailAddress"] = json!(email);
    }
    out
}

fn package(p: &Parcel, country: &str, reference: Option<&str>) -> Value {
    let (weight_unit, length_unit) = unit_codes(country);
    let mut out = json!({
        "Packaging": { "Code": CUSTOMER_PACKAGING },
        "PackageWeight": {
            "UnitOfMeasurement": { "Code": weight_unit },
            "Weight": weight_text(p.weight_g, country),
        },
    });
    if let (Some(l), Some(w), Some(h)) = (p.length_mm, p.width_mm, p.height_mm) {
        out["Dimensions"] = json!({
            "UnitOfMeasurement": { "Code": length_unit },
            "Length": length_text(l, country),
            "Width": length_text(w, country),
            "Height": length_text(h, country),
        });
    }
    if let Some(d) = &p.description {
        out["Description"] = json!(d.chars().take(35).collect::<String>());
    }
    if let Some(reference) = reference {
        out["ReferenceNumber"] = json!([{ "Value": reference }]);
    }
    out
}

/// The weight of every parcel together, in the origin's unit.
fn total_weight(parcels: &[Parcel], country: &str) -> Value {
    let grams = parcels.iter().map(|p| p.weight_g).sum();
    json!({
        "UnitOfMeasurement": { "Code": unit_codes(country).0 },
        "Weight": weight_text(grams, country),
    })
}

impl super::Ups {
    /// Rating in Shop mode with time in transit: every service UPS offers for the lane,
    /// each with its transit time.
    pub fn rate_request(&self, req: &RateRequest) -> Result<HttpRequest> {
        let country = req.from.country.as_str();
        let packages: Vec<Value> = req
            .parcels
            .iter()
            .map(|p| package(p, country, None))
            .collect();
        let mut shipper =
            json!({ "Address": address(&req.from), "ShipperNumber": self.account_number.as_str() });
        shipper["Name"] = json!(req.from.name.chars().take(35).collect::<String>());
        let mut shipment = json!({
            "Shipper": shipper,
            "ShipFrom": { "Address": address(&req.from) },
            "ShipTo": { "Address": address(&req.to) },
            "PaymentDetails": { "ShipmentCharge": [{
                "Type": "01",
                "BillShipper": { "AccountNumber": self.account_number.as_str() },
            }]},
            "Package": packages,
            "ShipmentRatingOptions": { "NegotiatedRatesIndicator": "Y" },
            "ShipmentTotalWeight": total_weight(&req.parcels, country),
            "DeliveryTimeInformation": {
                "PackageBillType": "03",
                "Pickup": { "Date": Utc::now().format("%Y%m%d").to_string() },
            },
            "TaxInformationIndicator": "Y",
        });
        // Time in transit across a border needs the declared value.
        let value = req
            .customs
            .as_ref()
            .and_then(Customs::total_value)
            .or_else(|| {
                Money::checked_sum(req.parcels.iter().filter_map(|p| p.declared_value.as_ref()))
                    .ok()
                    .flatten()
            });
        if let Some(value) = value {
            shipment["InvoiceLineTotal"] = json!({
                "CurrencyCode": value.currency.as_str(),
                "MonetaryValue": value.to_major_string(),
            });
        }
        let body = json!({ "RateRequest": {
            "Request": { "RequestOption": "Shoptimeintransit", "SubVersion": RATING_VERSION.trim_start_matches('v') },
            "Shipment": shipment,
        }});
        let path = format!("/api/rating/{RATING_VERSION}/Shoptimeintransit");
        call(Method::Post, path, "rate").json(&body)
    }

    /// One booking: every parcel a package with shipgate's shipment id as the shipment's
    /// reference, the label in GIF (wrapped in a PDF by the adapter) or ZPL, and for a
    /// parcel crossing a border the international forms, whose commercial invoice UPS
    /// returns as a PDF.
    pub fn create_request(&self, shipment_id: &str, req: &ShipmentRequest) -> Result<HttpRequest> {
        let service = service_code(
            req.service.as_deref(),
            &req.from.country,
            req.is_international(),
        )?;
        let body = self.ship_body(
            shipment_id,
            (&req.from, &req.from, &req.to),
            &req.parcels,
            service,
            req.label_format,
            if req.is_international() {
                req.customs.as_ref()
            } else {
                None
            },
            None,
            &req.description(),
        )?;
        let path = format!("/api/shipments/{SHIPPING_VERSION}/ship");
        call(Method::Post, path, shipment_id).json(&body)
    }

    /// A return: UPS's Print Return Label (`ReturnService` 9), the buyer as ship-from,
    /// the warehouse as ship-to, billed to the account.
    pub fn return_request(&self, req: &ReturnRequest) -> Result<HttpRequest> {
        let international = req.pickup.crosses_border_to(&req.deliver_to);
        if international {
            return Err(CarrierError::Unsupported("an international return"));
        }
        let service = service_code(req.service.as_deref(), &req.pickup.country, false)?;
        let description = match req.description() {
            d if d.trim().is_empty() => format!("Return: {}", req.reason.as_str()),
            d => d,
        };
        let body = self.ship_body(
            &req.shipment_id,
            (&req.deliver_to, &req.pickup, &req.deliver_to),
            &req.parcels,
            service,
            LabelFormat::Pdf,
            None,
            Some("9"),
            &description,
        )?;
        let path = format!("/api/shipments/{SHIPPING_VERSION}/ship");
        call(Method::Post, path, &req.shipment_id).json(&body)
    }

    #[allow(clippy::too_many_arguments)]
    fn ship_body(
        &self,
        reference: &str,
        (shipper, from, to): (&Address, &Address, &Address),
        parcels: &[Parcel],
        service: &str,
        format: LabelFormat,
        customs: Option<&Customs>,
        return_service: Option<&str>,
        description: &str,
    ) -> Result<Value> {
        if parcels.is_empty() {
            return Err(CarrierError::Unsupported("a shipment without a parcel"));
        }
        if parcels.len() > MAX_PACKAGES {
            return Err(CarrierError::Unsupported(
                "more than 200 packages in one UPS shipment",
            ));
        }
        let country = from.country.as_str();
        let mut shipper_party = party(shipper);
        shipper_party["ShipperNumber"] = json!(self.account_number.as_str());
        let mut charges = vec![json!({
            "Type": "01",
            "BillShipper": { "AccountNumber": self.account_number.as_str() },
        })];
        let mut shipment = json!({
            "Description": description.chars().take(50).collect::<String>(),
            "Shipper": shipper_party,
            "ShipFrom": party(from),
            "ShipTo": party(to),
            "Service": { "Code": service },
            "Package": parcels.iter().map(|p| package(p, country, None)).collect::<Vec<_>>(),
            "ReferenceNumber": { "Value": reference },
            "ShipmentRatingOptions": { "NegotiatedRatesIndicator": "Y" },
        });
        if let Some(code) = return_service {
            shipment["ReturnService"] = json!({ "Code": code });
        }
        if let Some(customs) = customs {
            // Duties and taxes (shipment charge type 02): the shipper's account for DDP
            // or a sender-pays declaration, the receiver otherwise.
            match customs.duties_payer {
                DutiesPayer::Sender => charges.push(json!({
                    "Type": "02",
                    "BillShipper": { "AccountNumber": self.account_number.as_str() },
                })),
                DutiesPayer::Recipient => charges.push(json!({
                    "Type": "02",
                    "BillReceiver": { "AccountNumber": "", "Address": { "PostalCode": to.postal_code.as_str(), "CountryCode": to.country } },
                })),
                DutiesPayer::ThirdParty => {
                    return Err(CarrierError::Unsupported(
                        "duties billed to a third party's UPS account",
                    ));
                }
            }
            shipment["ShipmentServiceOptions"] =
                json!({ "InternationalForms": forms(customs, to, reference)? });
            if let Some(value) = customs.total_value() {
                shipment["InvoiceLineTotal"] = json!({
                    "CurrencyCode": value.currency.as_str(),
                    "MonetaryValue": value.to_major_string(),
                });
            }
        }
        shipment["PaymentInformation"] = json!({ "ShipmentCharge": charges });
        let label = match format {
            LabelFormat::Pdf => "GIF",
            LabelFormat::Zpl => "ZPL",
        };
        Ok(json!({ "ShipmentRequest": {
            "Request": { "RequestOption": "nonvalidate", "SubVersion": SHIPPING_VERSION.trim_start_matches('v'), "TransactionReference": { "CustomerContext": reference } },
            "Shipment": shipment,
            "LabelSpecification": {
                "LabelImageFormat": { "Code": label },
                "LabelStockSize": { "Height": "6", "Width": "4" },
            },
        }}))
    }

    /// The label of a booked package again, in `format` (UPS's label recovery).
    pub fn label_request(&self, tracking_number: &str, format: LabelFormat) -> Result<HttpRequest> {
        let code = match format {
            LabelFormat::Pdf => "GIF",
            LabelFormat::Zpl => "ZPL",
        };
        let body = json!({ "LabelRecoveryRequest": {
            "LabelSpecification": {
                "LabelImageFormat": { "Code": code },
                "LabelStockSize": { "Height": "6", "Width": "4" },
            },
            "TrackingNumber": tracking_number,
        }});
        call(
            Method::Post,
            "/api/labels/v1/recovery".into(),
            tracking_number,
        )
        .json(&body)
    }

    /// Void: the whole shipment by its identification number.
    pub fn void_request(&self, shipment_number: &str) -> Result<HttpRequest> {
        let number = path_segment(shipment_number, "shipment identification number")?;
        let path = format!("/api/shipments/{SHIPPING_VERSION}/void/cancel/{number}");
        Ok(call(Method::Delete, path, number))
    }

    /// Tracking of one package or shipment, every activity.
    pub fn track_request(&self, inquiry: &str) -> Result<HttpRequest> {
        let number = path_segment(inquiry, "tracking number")?;
        let path = format!("/api/track/v1/details/{number}");
        Ok(call(Method::Get, path, number)
            .query("locale", "en_US")
            .query("returnSignature", "false"))
    }

    /// Tracking of one package with UPS's proof of delivery letter (`returnPOD`).
    pub fn proof_of_delivery_request(&self, number: &str) -> Result<HttpRequest> {
        let number = path_segment(number, "tracking number")?;
        let path = format!("/api/track/v1/details/{number}");
        Ok(call(Method::Get, path, number)
            .query("locale", "en_US")
            .query("returnSignature", "false")
            .query("returnPOD", "true"))
    }

    /// Tracking by reference number: the shipments sent under shipgate's shipment id
    /// (sent as the shipment's reference) in the last 14 days, UPS's default window.
    pub fn lookup_request(&self, reference: &str) -> Result<HttpRequest> {
        let reference = path_segment(reference, "reference")?;
        let path = format!("/api/track/v1/reference/details/{reference}");
        Ok(call(Method::Get, path, reference)
            .query("locale", "en_US")
            .query("refNumType", "SmallPackage"))
    }

    /// A pickup at the address the request carries (UPS keeps no pickup locations).
    pub fn pickup_request(&self, req: &PickupRequest) -> Result<HttpRequest> {
        let a = &req.address;
        let (ready, close) = req.window.map_or(("0900".into(), "1700".into()), |(r, c)| {
            (r.format("%H%M").to_string(), c.format("%H%M").to_string())
        });
        let line: String = a.street().chars().take(73).collect();
        let mut pickup_address = json!({
            "CompanyName": a.name.chars().take(27).collect::<String>(),
            "ContactName": a.name.chars().take(22).collect::<String>(),
            "AddressLine": line,
            "City": a.city,
            "PostalCode": a.postal_code.as_str(),
            "CountryCode": a.country,
            "ResidentialIndicator": "N",
            "Phone": { "Number": a.phone.national() },
        });
        if let Some(state) = a.state_code().or(a.state.as_deref()) {
            pickup_address["StateProvince"] = json!(state);
        }
        let pieces = req.packages.max(1);
        let body = json!({ "PickupCreationRequest": {
            "Request": { "SubVersion": PICKUP_VERSION.trim_start_matches('v'), "TransactionReference": { "CustomerContext": req.location } },
            "RatePickupIndicator": "N",
            "Shipper": { "Account": { "AccountNumber": self.account_number.as_str(), "AccountCountryCode": a.country } },
            "PickupDateInfo": {
                "CloseTime": close,
                "ReadyTime": ready,
                "PickupDate": req.date.format("%Y%m%d").to_string(),
            },
            "PickupAddress": pickup_address,
            "AlternateAddressIndicator": "Y",
            "PickupPiece": [{
                "ServiceCode": "001",
                "Quantity": pieces.to_string(),
                "DestinationCountryCode": a.country,
                "ContainerCode": "01",
            }],
            "OverweightIndicator": "N",
            "PaymentMethod": "01",
        }});
        let path = format!("/api/pickupcreation/{PICKUP_VERSION}/pickup");
        call(Method::Post, path, "pickup").json(&body)
    }

    /// Cancel a pickup by its PRN (`CancelBy` 02, the PRN in a header).
    pub fn pickup_cancel_request(&self, prn: &str) -> Result<HttpRequest> {
        let prn = path_segment(prn, "pickup request number")?;
        let path = format!("/api/shipments/{PICKUP_VERSION}/pickup/02");
        Ok(call(Method::Delete, path, prn).header("Prn", prn))
    }

    /// Street-level validation with classification (request option 3), US and Puerto
    /// Rico only.
    pub fn address_request(&self, a: &Address) -> Result<HttpRequest> {
        if !imperial(&a.country) {
            return Err(CarrierError::Unsupported(
                "UPS address validation outside the US and Puerto Rico (Canada included)",
            ));
        }
        let mut key = address(a);
        let lines = key["AddressLine"].clone();
        key = json!({
            "AddressLine": lines,
            "PoliticalDivision2": a.city,
            "PoliticalDivision1": a.state_code().or(a.state.as_deref()).unwrap_or_default(),
            "PostcodePrimaryLow": a.postal_code.as_str().chars().take(5).collect::<String>(),
            "CountryCode": a.country,
        });
        let body = json!({ "XAVRequest": { "AddressKeyFormat": key } });
        call(Method::Post, "/api/addressvalidation/v2/3".into(), "xav")
            .query("regionalrequestindicator", "False")
            .query("maximumcandidatelistsize", "3")
            .json(&body)
    }
}

use crate::schema::Money;

/// The most packages one UPS shipment takes.
pub const MAX_PACKAGES: usize = 200;

/// The commercial invoice UPS prints from the declaration (form type 01).
fn forms(customs: &Customs, to: &Address, reference: &str) -> Result<Value> {
    let currency = customs
        .currency()
        .ok_or(CarrierError::Unsupported("customs without items"))?;
    let products: Vec<Value> = customs
        .items
        .iter()
        .map(|item| {
            json!({
                "Description": item.description.chars().take(35).collect::<String>(),
                "CommodityCode": item.hs_code,
                "OriginCountryCode": item.origin_country,
                "Unit": {
                    "Number": item.quantity.to_string(),
                    "Value": item.unit_value.to_major_string(),
                    "UnitOfMeasurement": { "Code": "PCS" },
                },
                "ProductWeight": {
                    "UnitOfMeasurement": { "Code": "KGS" },
                    "Weight": format!("{:.1}", ((f64::from(item.weight_g) * f64::from(item.quantity)) / 100.0).ceil() / 10.0),
                },
            })
        })
        .collect();
    Ok(json!({
        "FormType": "01",
        "InvoiceNumber": customs.invoice_number.clone().unwrap_or_else(|| reference.to_string()),
        "InvoiceDate": Utc::now().format("%Y%m%d").to_string(),
        "ReasonForExport": export_reason(customs.contents),
        "TermsOfShipment": customs.incoterm.as_str().to_ascii_uppercase(),
        "CurrencyCode": currency.as_str(),
        "Product": products,
        "Contacts": { "SoldTo": party(to) },
        "DeclarationStatement": "I hereby certify that the information on this invoice is true and correct and the contents and value of this shipment is as stated above.",
    }))
}

/// UPS's reasons for export.
fn export_reason(reason: ExportReason) -> &'static str {
    match reason {
        ExportReason::Sale => "SALE",
        ExportReason::Gift => "GIFT",
        ExportReason::Sample => "SAMPLE",
        ExportReason::Return => "RETURN",
        ExportReason::Repair => "REPAIR",
        ExportReason::Documents | ExportReason::Other => "OTHER",
    }
}

/// The service asked for, or by default Worldwide Saver abroad, UPS Standard within
/// Canada and UPS Ground within the US; a code UPS does not have, or one it does not
/// offer within Canada (Ground, 3 Day Select...), is refused unsent.
pub fn service_code(
    asked: Option<&str>,
    origin: &str,
    international: bool,
) -> Result<&'static str> {
    let within_canada = origin == "CA" && !international;
    match asked.map(str::trim).filter(|s| !s.is_empty()) {
        None if international => Ok("65"),
        None if within_canada => Ok("11"),
        None => Ok("03"),
        Some(code) if within_canada => super::CANADA_SERVICES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(c, _)| *c)
            .ok_or(CarrierError::Unsupported(
                "a UPS service not offered within Canada (01, 02, 11, 13, 14 are)",
            )),
        Some(code) => super::SERVICES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(c, _)| *c)
            .ok_or(CarrierError::Unsupported("a service UPS does not offer")),
    }
}

/// A value put in a URL path: refused when it could change the path.
fn path_segment<'a>(value: &'a str, what: &'static str) -> Result<&'a str> {
    let value = value.trim();
    if value.is_empty()
        || !value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(CarrierError::NotSent(format!(
            "a {what} UPS cannot take: {value:?}"
        )));
    }
    Ok(value)
}

/// The pickup date a pickup request names, for parsing UPS's answer (which repeats none).
pub fn pickup_date(req: &PickupRequest) -> NaiveDate {
    req.date
}

/// UPS's `UserCreatedFormDocumentType` for a document the shipper uploads.
pub fn paperless_document_type(kind: DocumentKind) -> Option<&'static str> {
    match kind {
        DocumentKind::CommercialInvoice => Some("002"),
        DocumentKind::CustomsDeclaration => Some("013"),
        DocumentKind::ProofOfDelivery | DocumentKind::Manifest => None,
    }
}

/// `POST /api/paperlessdocuments/v2/upload`: the shipper's PDF, base64, into the
/// account's Forms History (the account must have "Upload Forms Created Offline").
pub fn paperless_upload_request(account_number: &str, doc: &DocumentUpload) -> Result<HttpRequest> {
    use base64::Engine;
    let doc_type = paperless_document_type(doc.kind).ok_or(CarrierError::Unsupported(
        "this document kind as a UPS paperless document",
    ))?;
    if doc.content_type != "application/pdf" {
        return Err(CarrierError::NotSent(
            "UPS paperless documents are sent as PDF here".into(),
        ));
    }
    if doc.content.is_empty() || doc.content.len() > PAPERLESS_LIMIT_BYTES {
        return Err(CarrierError::NotSent(format!(
            "a UPS paperless document is 1 byte to {PAPERLESS_LIMIT_BYTES} bytes"
        )));
    }
    let name: String = doc.file_name.chars().take(300).collect();
    let body = json!({ "UploadRequest": {
        "Request": { "TransactionReference": { "CustomerContext": name } },
        "ShipperNumber": account_number,
        "UserCreatedForm": [{
            "UserCreatedFormFileName": name,
            "UserCreatedFormFile": base64::engine::general_purpose::STANDARD.encode(&doc.content),
            "UserCreatedFormFileFormat": "pdf",
            "UserCreatedFormDocumentType": doc_type,
        }],
    }});
    call(
        Method::Post,
        format!("/api/paperlessdocuments/{PAPERLESS_VERSION}/upload"),
        account_number,
    )
    .header("ShipperNumber", account_number)
    .json(&body)
}

/// `POST /api/paperlessdocuments/v2/image`: files uploaded Forms History documents with
/// a booked small-package shipment (type 1), by its identification number, packages and
/// booking time.
pub fn paperless_push_request(
    account_number: &str,
    document_id: &str,
    shipment_number: &str,
    packages: &[String],
    doc: &DocumentUpload,
) -> Result<HttpRequest> {
    let body = json!({ "PushToImageRepositoryRequest": {
        "Request": { "TransactionReference": { "CustomerContext": shipment_number } },
        "ShipperNumber": account_number,
        "FormsHistoryDocumentID": { "DocumentID": [document_id] },
        "ShipmentIdentifier": shipment_number,
        "ShipmentDateAndTime": doc.booked_at.format("%Y-%m-%d-%H.%M.%S").to_string(),
        "ShipmentType": "1",
        "TrackingNumber": packages,
    }});
    call(
        Method::Post,
        format!("/api/paperlessdocuments/{PAPERLESS_VERSION}/image"),
        shipment_number,
    )
    .header("ShipperNumber", account_number)
    .json(&body)
}

/// `POST /api/track/v1/subscription/standard/package`: Track Alert for up to 100
/// packages, 14 days each, pushing to `url` with `credential` sent back (marked secret).
pub fn track_alert_request(numbers: &[String], url: &str, credential: &str) -> Result<HttpRequest> {
    if numbers.is_empty() || numbers.len() > 100 {
        return Err(CarrierError::NotSent(
            "a Track Alert subscription names 1 to 100 packages".into(),
        ));
    }
    let body = json!({
        "locale": "en_US",
        "countryCode": "US",
        "trackingNumberList": numbers,
        "destination": {
            "url": url,
            // A free-text label UPS passes on; what it checks is nothing.
            "credentialType": "shipgate-push-token",
            "credential": credential,
        },
    });
    Ok(call(
        Method::Post,
        "/api/track/v1/subscription/standard/package".into(),
        &numbers[0],
    )
    .json(&body)?
    .secret(credential))
}
