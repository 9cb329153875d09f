//! One function per FedEx call, building its [`HttpRequest`] from the unified request.
//! Weights go out in pounds (one decimal, rounded up) and dimensions in whole inches
//! (rounded up): FedEx takes integer dimensions, and an under-declared parcel is billed
//! as an adjustment. Amounts go out in their currency's major unit.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::CarrierError;
use crate::families::{DocumentKind, DocumentUpload, PickupRequest, ReturnRequest};
use crate::kit::multipart::{Part, form_data};
use crate::kit::units::{inches, lb};
use crate::schema::{
    Address, Customs, DutiesPayer, ExportReason, LabelFormat, Money, Parcel, RateRequest,
    ShipmentRequest,
};
use crate::wire::{HttpRequest, Method};

pub const TOKEN_PATH: &str = "/oauth/token";
pub const RATE_PATH: &str = "/rate/v1/rates/quotes";
pub const SHIP_PATH: &str = "/ship/v1/shipments";
pub const CANCEL_PATH: &str = "/ship/v1/shipments/cancel";
pub const TRACK_PATH: &str = "/track/v1/trackingnumbers";
pub const REFERENCE_PATH: &str = "/track/v1/referencenumbers";
pub const PICKUP_PATH: &str = "/pickup/v1/pickups";
pub const PICKUP_CANCEL_PATH: &str = "/pickup/v1/pickups/cancel";
pub const ADDRESS_PATH: &str = "/address/v1/addresses/resolve";
pub const DOCUMENTS_PATH: &str = "/track/v1/trackingdocuments";
/// The Trade Documents Upload API's path, on its own host ([`DOCUMENT_API_URL`]).
pub const ETD_UPLOAD_PATH: &str = "/documents/v1/etds/upload";
/// FedEx serves document uploads from a host of their own, not `apis.fedex.com` (its
/// sandbox: `https://documentapitest.prod.fedex.com/sandbox`).
pub const DOCUMENT_API_URL: &str = "https://documentapi.prod.fedex.com";
/// The largest trade document the adapter sends FedEx (5 MB).
pub const ETD_LIMIT_BYTES: usize = 5 * 1024 * 1024;

/// The header FedEx echoes back as `customerTransactionId`, for support and logs.
pub const TRANSACTION_HEADER: &str = "x-customer-transaction-id";

/// Pounds with one decimal, rounded up, at least 0.1 (FedEx refuses a zero weight).
pub fn pounds(grams: u32) -> f64 {
    lb(grams, 1).max(0.1)
}

/// Whole inches, rounded up, at least 1.
pub fn whole_inches(mm: u32) -> u32 {
    (inches(mm, 0) as u32).max(1)
}

/// FedEx's address block. State codes are sent where the country has them (US, CA, IN…).
pub fn address(a: &Address) -> Value {
    let mut lines = vec![a.line1.clone()];
    lines.extend(a.line2.clone().filter(|l| !l.trim().is_empty()));
    let mut value = json!({
        "streetLines": lines,
        "city": a.city,
        "postalCode": a.postal_code.as_str(),
        "countryCode": a.country,
    });
    if let Some(state) = a.state_code() {
        value["stateOrProvinceCode"] = json!(state);
    }
    value
}

/// A party: contact and address.
pub fn party(a: &Address) -> Value {
    let mut contact = json!({"personName": a.name, "phoneNumber": a.phone.e164()});
    if let Some(email) = &a.email {
        contact["emailAddress"] = json!(email);
    }
    json!({"contact": contact, "address": address(a)})
}

fn account(number: &str) -> Value {
    json!({"value": number})
}

fn package(parcel: &Parcel, sequence: usize, reference: Option<&str>) -> Value {
    let mut item = json!({
        "sequenceNumber": sequence,
        "groupPackageCount": 1,
        "weight": {"units": "LB", "value": pounds(parcel.weight_g)},
    });
    if let (Some(l), Some(w), Some(h)) = (parcel.length_mm, parcel.width_mm, parcel.height_mm) {
        item["dimensions"] = json!({
            "length": whole_inches(l), "width": whole_inches(w), "height": whole_inches(h),
            "units": "IN",
        });
    }
    if let Some(value) = &parcel.declared_value {
        item["declaredValue"] =
            json!({"amount": value.to_major_f64(), "currency": value.currency.as_str()});
    }
    if let Some(reference) = reference {
        item["customerReferences"] =
            json!([{"customerReferenceType": "CUSTOMER_REFERENCE", "value": reference}]);
    }
    item
}

/// The currency FedEx is asked to quote in: the origin's (INR from India, USD from the
/// US), falling back to USD where shipgate knows no single currency for the country.
pub fn origin_currency(country: &str) -> &'static str {
    match country {
        "IN" => "INR",
        "CA" => "CAD",
        "GB" => "GBP",
        "AE" => "AED",
        "SG" => "SGD",
        "AU" => "AUD",
        "JP" => "JPY",
        "CN" => "CNY",
        "DE" | "FR" | "NL" | "IT" | "ES" | "BE" | "IE" | "AT" | "PT" | "FI" => "EUR",
        _ => "USD",
    }
}

/// FedEx's purpose of shipment for the commercial invoice.
fn purpose(reason: ExportReason) -> &'static str {
    match reason {
        ExportReason::Sale => "SOLD",
        ExportReason::Gift => "GIFT",
        ExportReason::Sample => "SAMPLE",
        ExportReason::Return => "RETURN_AND_REPAIR",
        ExportReason::Repair => "REPAIR_AND_RETURN",
        ExportReason::Documents => "NOT_SOLD",
        ExportReason::Other => "NOT_SOLD",
    }
}

/// The customs block: commodities with HS code, origin and value, the incoterm as terms
/// of sale, and who pays duties (the shipper's account when the sender pays).
pub fn customs(c: &Customs, account_number: &str) -> Value {
    let commodities: Vec<Value> = c
        .items
        .iter()
        .map(|item| {
            json!({
                "description": item.description,
                "name": item.description,
                "harmonizedCode": item.hs_code,
                "countryOfManufacture": item.origin_country,
                "quantity": item.quantity,
                "quantityUnits": "PCS",
                "numberOfPieces": 1,
                "unitPrice": {"amount": item.unit_value.to_major_f64(), "currency": item.unit_value.currency.as_str()},
                "customsValue": {
                    "amount": item.total_value().map_or(0.0, |m| m.to_major_f64()),
                    "currency": item.unit_value.currency.as_str(),
                },
                "weight": {"units": "LB", "value": pounds(u32::try_from(item.total_weight_g()).unwrap_or(u32::MAX))},
            })
        })
        .collect();
    let duties = match c.duties_payer {
        DutiesPayer::Sender => json!({
            "paymentType": "SENDER",
            "payor": {"responsibleParty": {"accountNumber": account(account_number)}},
        }),
        DutiesPayer::Recipient => json!({"paymentType": "RECIPIENT"}),
        DutiesPayer::ThirdParty => json!({"paymentType": "THIRD_PARTY"}),
    };
    let mut invoice = json!({
        "shipmentPurpose": purpose(c.contents),
        "termsOfSale": c.incoterm.as_str(),
    });
    if let Some(number) = &c.invoice_number {
        invoice["customerReferences"] =
            json!([{"customerReferenceType": "INVOICE_NUMBER", "value": number}]);
    }
    let mut block = json!({
        "dutiesPayment": duties,
        "commercialInvoice": invoice,
        "commodities": commodities,
        "isDocumentOnly": c.contents == ExportReason::Documents,
    });
    if let Some(total) = c.total_value() {
        block["totalCustomsValue"] =
            json!({"amount": total.to_major_f64(), "currency": total.currency.as_str()});
    }
    block
}

fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn post_json(path: &str, body: &Value, transaction: &str) -> Result<HttpRequest, CarrierError> {
    HttpRequest::post(path)
        .header(TRANSACTION_HEADER, transaction)
        .json(body)
}

/// FedEx Ground services, whose COD is given per package as well.
fn ground(service: &str) -> bool {
    matches!(service, "FEDEX_GROUND" | "GROUND_HOME_DELIVERY")
}

/// The COD a request asks FedEx to collect, where FedEx can: within one country (FedEx
/// collects on domestic Express and Ground services, in India and the US; not across a
/// border), and on one package for Ground (whose COD is per package).
pub fn cod_to_collect<'a>(
    cod: Option<&'a Money>,
    from: &Address,
    to: &Address,
    service: Option<&str>,
    packages: usize,
) -> Result<Option<&'a Money>, CarrierError> {
    let Some(cod) = cod else {
        return Ok(None);
    };
    if from.country != to.country {
        return Err(CarrierError::Unsupported(
            "cash on delivery across a border with FedEx",
        ));
    }
    if service.is_some_and(ground) && packages > 1 {
        return Err(CarrierError::NotSent(
            "FedEx Ground collects COD per package: book a COD parcel of several packages \
             with an Express service"
                .into(),
        ));
    }
    Ok(Some(cod))
}

/// The shipment-level COD special service: FedEx collects `cod` in cash.
fn cod_services(cod: &Money) -> Value {
    json!({
        "specialServiceTypes": ["COD"],
        "shipmentCODDetail": {
            "codCollectionType": "CASH",
            "codCollectionAmount": {"amount": cod.to_major_f64(), "currency": cod.currency.as_str()},
        },
    })
}

/// `POST /rate/v1/rates/quotes` for every service FedEx offers on the lane (no
/// `serviceType`), with transit times, in the origin's currency.
pub fn rate_request(account_number: &str, req: &RateRequest) -> Result<HttpRequest, CarrierError> {
    rate_request_for(account_number, req, None)
}

/// The recipient's address with FedEx's `residential` flag where the class is known
/// (FedEx bills its residential surcharges by it).
fn recipient_address(a: &Address, residential: Option<bool>) -> Value {
    let mut value = address(a);
    if let Some(residential) = residential {
        value["residential"] = json!(residential);
    }
    value
}

/// [`rate_request`] with the recipient's class (FedEx's address resolution) when known.
pub fn rate_request_for(
    account_number: &str,
    req: &RateRequest,
    residential: Option<bool>,
) -> Result<HttpRequest, CarrierError> {
    let packages: Vec<Value> = (req.parcels.iter().enumerate())
        .map(|(i, p)| package(p, i + 1, None))
        .collect();
    let mut shipment = json!({
        "shipper": {"address": address(&req.from)},
        "recipient": {"address": recipient_address(&req.to, residential)},
        "pickupType": "USE_SCHEDULED_PICKUP",
        "packagingType": "YOUR_PACKAGING",
        "rateRequestType": ["ACCOUNT", "LIST"],
        "preferredCurrency": origin_currency(&req.from.country),
        "shipDateStamp": today().to_string(),
        "totalPackageCount": packages.len(),
        "requestedPackageLineItems": packages,
    });
    if let Some(c) = req
        .customs
        .as_ref()
        .filter(|_| req.from.country != req.to.country)
    {
        shipment["customsClearanceDetail"] = customs(c, account_number);
    }
    // A COD parcel is quoted with FedEx's COD surcharge (domestic lanes only, checked by
    // the adapter before asking).
    if let Some(cod) = req.payment.cod_amount() {
        shipment["shipmentSpecialServices"] = cod_services(cod);
    }
    let body = json!({
        "accountNumber": account(account_number),
        "rateRequestControlParameters": {"returnTransitTimes": true},
        "requestedShipment": shipment,
    });
    post_json(RATE_PATH, &body, "shipgate-rates")
}

/// FedEx's label image type for a label format.
pub fn image_type(format: LabelFormat) -> &'static str {
    match format {
        LabelFormat::Pdf => "PDF",
        LabelFormat::Zpl => "ZPLII",
    }
}

/// The default service on a lane when the request names none.
pub fn default_service(from: &str, to: &str) -> &'static str {
    if from != to {
        "FEDEX_INTERNATIONAL_PRIORITY"
    } else if from == "US" {
        "FEDEX_GROUND"
    } else {
        "STANDARD_OVERNIGHT"
    }
}

struct Booking<'a> {
    shipper: &'a Address,
    recipient: &'a Address,
    parcels: &'a [Parcel],
    service: &'a str,
    format: LabelFormat,
    customs: Option<&'a Customs>,
    returned: bool,
    cod: Option<&'a Money>,
    residential: Option<bool>,
}

fn ship_body(account_number: &str, reference: &str, b: &Booking<'_>) -> Value {
    let mut recipient = party(b.recipient);
    recipient["address"] = recipient_address(b.recipient, b.residential);
    let packages: Vec<Value> = (b.parcels.iter().enumerate())
        .map(|(i, p)| package(p, i + 1, Some(reference)))
        .collect();
    let total_lb: f64 = b.parcels.iter().map(|p| pounds(p.weight_g)).sum();
    let mut shipment = json!({
        "shipper": party(b.shipper),
        "recipients": [recipient],
        "shipDatestamp": today().to_string(),
        "serviceType": b.service,
        "packagingType": "YOUR_PACKAGING",
        "pickupType": "USE_SCHEDULED_PICKUP",
        "blockInsightVisibility": false,
        "shippingChargesPayment": {
            "paymentType": "SENDER",
            "payor": {"responsibleParty": {"accountNumber": account(account_number)}},
        },
        "labelSpecification": {
            "imageType": image_type(b.format),
            "labelStockType": match b.format {
                LabelFormat::Pdf => "PAPER_4X6",
                LabelFormat::Zpl => "STOCK_4X6",
            },
            "labelFormatType": "COMMON2D",
        },
        "rateRequestType": ["ACCOUNT"],
        "totalPackageCount": packages.len(),
        "totalWeight": (total_lb * 10.0).round() / 10.0,
        "requestedPackageLineItems": packages,
    });
    if let Some(c) = b.customs {
        shipment["customsClearanceDetail"] = customs(c, account_number);
        // FedEx generates the commercial invoice and returns it with the labels.
        shipment["shippingDocumentSpecification"] = json!({
            "shippingDocumentTypes": ["COMMERCIAL_INVOICE"],
            "commercialInvoiceDetail": {"documentFormat": {"docType": "PDF", "stockType": "PAPER_LETTER"}},
        });
    }
    if b.customs.is_some() && !b.returned {
        // Electronic trade documents with post-shipment upload: the shipper's own
        // documents can be sent after booking ([`etd_upload_request`]).
        shipment["shipmentSpecialServices"] = json!({
            "specialServiceTypes": ["ELECTRONIC_TRADE_DOCUMENTS"],
            "etdDetail": {"attributes": ["POST_SHIPMENT_UPLOAD_REQUESTED"]},
        });
    }
    if let Some(cod) = b.cod {
        shipment["shipmentSpecialServices"] = cod_services(cod);
        if ground(b.service) {
            // Ground's COD is per package too (one package: checked before).
            for item in shipment["requestedPackageLineItems"]
                .as_array_mut()
                .into_iter()
                .flatten()
            {
                item["packageSpecialServices"] = json!({
                    "specialServiceTypes": ["COD"],
                    "packageCODDetail": {"codCollectionAmount": {"amount": cod.to_major_f64(), "currency": cod.currency.as_str()}},
                });
            }
        }
    }
    if b.returned {
        shipment["shipmentSpecialServices"] = json!({
            "specialServiceTypes": ["RETURN_SHIPMENT"],
            "returnShipmentDetail": {"returnType": "PRINT_RETURN_LABEL"},
        });
    }
    json!({
        "labelResponseOptions": "LABEL",
        "accountNumber": account(account_number),
        "shipAction": "CONFIRM",
        "requestedShipment": shipment,
    })
}

/// `POST /ship/v1/shipments`: the booking, labels in the requested format (one per
/// piece), shipgate's shipment id as each package's customer reference (what
/// [`lookup_request`] searches) and as the transaction id.
pub fn create_request(
    account_number: &str,
    shipment_id: &str,
    req: &ShipmentRequest,
) -> Result<HttpRequest, CarrierError> {
    create_request_for(account_number, shipment_id, req, None)
}

/// [`create_request`] with the recipient's class (FedEx's address resolution) when known.
pub fn create_request_for(
    account_number: &str,
    shipment_id: &str,
    req: &ShipmentRequest,
    residential: Option<bool>,
) -> Result<HttpRequest, CarrierError> {
    let service = req
        .service
        .as_deref()
        .unwrap_or_else(|| default_service(&req.from.country, &req.to.country));
    let cod = cod_to_collect(
        req.payment.cod_amount(),
        &req.from,
        &req.to,
        Some(service),
        req.parcels.len(),
    )?;
    let booking = Booking {
        shipper: &req.from,
        recipient: &req.to,
        parcels: &req.parcels,
        service,
        format: req.label_format,
        customs: req.customs.as_ref().filter(|_| req.is_international()),
        returned: false,
        cod,
        residential,
    };
    if req.is_international() && booking.customs.is_none() {
        return Err(CarrierError::NotSent(
            "an international FedEx shipment needs its customs content".into(),
        ));
    }
    let body = ship_body(account_number, shipment_id, &booking);
    post_json(SHIP_PATH, &body, shipment_id)
}

/// A return label: the buyer ships back to the warehouse, FedEx's `RETURN_SHIPMENT`
/// special service with a printed return label.
pub fn return_request(
    account_number: &str,
    req: &ReturnRequest,
) -> Result<HttpRequest, CarrierError> {
    let service = req
        .service
        .as_deref()
        .unwrap_or_else(|| default_service(&req.pickup.country, &req.deliver_to.country));
    if req.pickup.country != req.deliver_to.country {
        return Err(CarrierError::Unsupported("international FedEx returns"));
    }
    let booking = Booking {
        shipper: &req.pickup,
        recipient: &req.deliver_to,
        parcels: &req.parcels,
        service,
        format: LabelFormat::Pdf,
        customs: None,
        returned: true,
        cod: None,
        residential: None,
    };
    let body = ship_body(account_number, &req.shipment_id, &booking);
    post_json(SHIP_PATH, &body, &req.shipment_id)
}

/// `PUT /ship/v1/shipments/cancel` by tracking number, every package of it.
pub fn cancel_request(account_number: &str, awb: &str) -> Result<HttpRequest, CarrierError> {
    let body = json!({
        "accountNumber": account(account_number),
        "deletionControl": "DELETE_ALL_PACKAGES",
        "trackingNumber": awb,
    });
    HttpRequest::new(Method::Put, CANCEL_PATH)
        .header(TRANSACTION_HEADER, awb)
        .json(&body)
}

/// `POST /track/v1/trackingnumbers` with detailed scans.
pub fn track_request(awb: &str) -> Result<HttpRequest, CarrierError> {
    let body = json!({
        "includeDetailedScans": true,
        "trackingInfo": [{"trackingNumberInfo": {"trackingNumber": awb}}],
    });
    post_json(TRACK_PATH, &body, awb)
}

/// `POST /track/v1/referencenumbers`: the shipments whose customer reference is
/// shipgate's shipment id, shipped from this account in the last days.
pub fn lookup_request(account_number: &str, reference: &str) -> Result<HttpRequest, CarrierError> {
    let today = today();
    let body = json!({
        "referencesInformation": {
            "type": "CUSTOMER_REFERENCE",
            "value": reference,
            "accountNumber": account_number,
            "shipDateBegin": (today - chrono::Duration::days(30)).to_string(),
            "shipDateEndDate": (today + chrono::Duration::days(1)).to_string(),
        },
        "includeDetailedScans": true,
    });
    post_json(REFERENCE_PATH, &body, reference)
}

/// `POST /pickup/v1/pickups`: an on-call pickup at the request's address. FedEx Express
/// (`FDXE`) collects every service but Ground; shipgate books Express pickups.
pub fn pickup_request(
    account_number: &str,
    req: &PickupRequest,
) -> Result<HttpRequest, CarrierError> {
    let (ready, close) = match req.window {
        Some((from, to)) => (from, to),
        None => (
            chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
            chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default(),
        ),
    };
    let body = json!({
        "associatedAccountNumber": account(account_number),
        "carrierCode": "FDXE",
        "originDetail": {
            "pickupLocation": party(&req.address),
            "readyDateTimestamp": format!("{}T{}Z", req.date, ready.format("%H:%M:%S")),
            "customerCloseTime": close.format("%H:%M:%S").to_string(),
            "packageLocation": "FRONT",
            "pickupAddressType": "OTHER",
        },
        "packageCount": req.packages.max(1),
        "pickupType": "ON_CALL",
        "remarks": format!("shipgate pickup at {}", req.location),
    });
    post_json(PICKUP_PATH, &body, &req.location)
}

/// `PUT /pickup/v1/pickups/cancel`: by confirmation code, date and FedEx's location code
/// (kept as `location|code` in the pickup id, since the cancel needs both).
pub fn pickup_cancel_request(
    account_number: &str,
    code: &str,
    location: &str,
    date: NaiveDate,
) -> Result<HttpRequest, CarrierError> {
    let body = json!({
        "associatedAccountNumber": account(account_number),
        "pickupConfirmationCode": code,
        "carrierCode": "FDXE",
        "scheduledDate": date.to_string(),
        "location": location,
    });
    HttpRequest::new(Method::Put, PICKUP_CANCEL_PATH)
        .header(TRANSACTION_HEADER, code)
        .json(&body)
}

/// `POST /address/v1/addresses/resolve` for one address.
pub fn address_request(a: &Address) -> Result<HttpRequest, CarrierError> {
    let body = json!({"addressesToValidate": [{"address": address(a)}]});
    post_json(ADDRESS_PATH, &body, "shipgate-address")
}

/// FedEx's `shipDocumentType` for a document the shipper uploads.
pub fn etd_document_type(kind: DocumentKind) -> Option<&'static str> {
    match kind {
        DocumentKind::CommercialInvoice => Some("COMMERCIAL_INVOICE"),
        // FedEx has no type for a customs declaration of the shipper's own.
        DocumentKind::CustomsDeclaration => Some("OTHER"),
        DocumentKind::ProofOfDelivery | DocumentKind::Manifest => None,
    }
}

/// `POST <document host>/documents/v1/etds/upload`, workflow `ETDPostshipment`: the
/// shipper's document linked to the booked tracking number, as `multipart/form-data`
/// with the `document` JSON part and the file as `attachment`. `document_api` is the
/// host ([`DOCUMENT_API_URL`]) or, starting with `/`, a path on the account's base URL.
pub fn etd_upload_request(
    document_api: &str,
    awb: &str,
    doc: &DocumentUpload,
) -> Result<HttpRequest, CarrierError> {
    let doc_type = etd_document_type(doc.kind).ok_or(CarrierError::Unsupported(
        "this document kind as a FedEx trade document",
    ))?;
    if doc.content_type != "application/pdf" {
        return Err(CarrierError::NotSent(
            "FedEx trade documents are sent as PDF here".into(),
        ));
    }
    if doc.content.is_empty() || doc.content.len() > ETD_LIMIT_BYTES {
        return Err(CarrierError::NotSent(format!(
            "a FedEx trade document is 1 byte to {ETD_LIMIT_BYTES} bytes"
        )));
    }
    let document = json!({
        "workflowName": "ETDPostshipment",
        "carrierCode": "FDXE",
        "name": doc.file_name,
        "contentType": "application/pdf",
        "meta": {
            "shipDocumentType": doc_type,
            "trackingNumber": awb,
            "shipmentDate": doc.booked_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "originCountryCode": doc.origin_country,
            "destinationCountryCode": doc.destination_country,
        },
    });
    let parts = [
        Part::field("document", "application/json", document.to_string()),
        Part {
            name: "attachment".into(),
            file_name: Some(doc.file_name.clone()),
            content_type: Some("application/pdf".into()),
            content: doc.content.clone(),
        },
    ];
    let (content_type, body) = form_data(&parts);
    let mut request = HttpRequest::post(format!(
        "{}{ETD_UPLOAD_PATH}",
        document_api.trim_end_matches('/')
    ))
    .header(TRANSACTION_HEADER, awb)
    .header("content-type", content_type);
    request.body = Some(body);
    Ok(request)
}

/// `POST /track/v1/trackingdocuments`: the signature proof of delivery of a delivered
/// package, as a PDF.
pub fn proof_of_delivery_request(awb: &str) -> Result<HttpRequest, CarrierError> {
    let body = json!({
        "trackDocumentDetail": {"documentType": "SIGNATURE_PROOF_OF_DELIVERY", "documentFormat": "PDF"},
        "trackDocumentSpecification": [{"trackingNumberInfo": {"trackingNumber": awb}}],
    });
    post_json(DOCUMENTS_PATH, &body, awb)
}
