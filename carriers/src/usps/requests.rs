//! Building USPS APIs v3 requests from unified ones. Pounds and inches at this edge only,
//! rounded up (USPS prices by the pound and by the inch, and an under-declared weight is
//! billed as a postage adjustment); ZIP and ZIP+4 split from the postal code.

use chrono::NaiveDate;

use crate::CarrierError;
use crate::families::PickupRequest;
use crate::kit::adapter::Result;
use crate::kit::units;
use crate::schema::{Address, LabelFormat, Parcel, RateRequest, ShipmentRef, ShipmentRequest};
use crate::wire::{HttpRequest, Method};

use super::wire::*;

pub const TOKEN_PATH: &str = "/oauth2/v3/token";
pub const OPTIONS_PATH: &str = "/shipments/v3/options/search";
pub const PAYMENT_PATH: &str = "/payments/v3/payment-authorization";
pub const LABEL_PATH: &str = "/labels/v3/label";
pub const INTL_LABEL_PATH: &str = "/international-labels/v3/international-label";
pub const RETURN_LABEL_PATH: &str = "/labels/v3/return-label";
pub const TRACK_PATH: &str = "/tracking/v3/tracking";
pub const PICKUP_PATH: &str = "/pickup/v3/carrier-pickup";
pub const SCAN_FORM_PATH: &str = "/scan-forms/v3/scan-form";
pub const ADDRESS_PATH: &str = "/addresses/v3/address";
/// The header the Labels API reads the payment authorization from.
pub const PAYMENT_HEADER: &str = "x-payment-authorization-token";

/// Carrier refs kept with a booking, for the calls that need more than the tracking
/// number later (the SCAN form's origin, a pickup's package types).
pub const REF_MAIL_CLASS: &str = "mail_class";
pub const REF_FROM_ZIP: &str = "from_zip";
pub const REF_FROM_STREET: &str = "from_street";
pub const REF_FROM_CITY: &str = "from_city";
pub const REF_FROM_STATE: &str = "from_state";
pub const REF_FROM_NAME: &str = "from_name";
/// Set (to the destination country) on a label booked with the International Labels
/// API: it is cancelled there, and USPS has no reprint for it.
pub const REF_INTL_COUNTRY: &str = "intl_country";

/// The customs declaration value above which US export rules (FTR 30.37(a)) want an AES
/// filing per Schedule B line; at or under it the exemption is declared.
pub const NOEEI_LIMIT_CENTS: i64 = 250_000;
/// The exemption declared for lines under the limit.
pub const NOEEI: &str = "NOEEI 30.37(a)";

/// The largest parcel USPS takes: 70 lb.
pub const MAX_WEIGHT_G: u32 = 31_751;
/// The heaviest parcel USPS sorts on machines (Ground Advantage, Priority Mail): 25 lb.
const MACHINABLE_MAX_G: u32 = 11_340;
/// Machinable parcels are at most 22 × 18 × 15 inches (in mm).
const MACHINABLE_MAX_MM: [u32; 3] = [558, 457, 381];
/// A parcel without dimensions is sent as this box, in mm (6 × 4 × 2 inches).
const DEFAULT_BOX_MM: [u32; 3] = [152, 102, 51];

/// The 5-digit ZIP Code and the ZIP+4 add-on of a US postal code (`10001`, `10001-1234`,
/// `100011234`); an error for anything else.
pub fn zip_parts(postal_code: &str) -> Result<(String, Option<String>)> {
    let digits: String = postal_code.chars().filter(|c| c.is_ascii_digit()).collect();
    let only_digits_and_dash = postal_code
        .trim()
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
    match digits.len() {
        5 if only_digits_and_dash => Ok((digits, None)),
        9 if only_digits_and_dash => Ok((digits[..5].to_string(), Some(digits[5..].to_string()))),
        _ => Err(CarrierError::NotSent(format!(
            "USPS needs a US ZIP Code (12345 or 12345-6789), not {postal_code:?}"
        ))),
    }
}

/// Ten digits, as USPS takes a phone number (no country code); `None` for a number that
/// is not a US one (USPS would refuse it, and the phone is optional).
pub fn us_phone(e164: &str) -> Option<String> {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        10 => Some(digits),
        11 if digits.starts_with('1') => Some(digits[1..].to_string()),
        _ => None,
    }
}

/// A person's name as USPS's first and last name (the last word is the last name).
pub fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((first, last)) => (first.trim().to_string(), last.trim().to_string()),
        None => (name.to_string(), String::new()),
    }
}

/// An address in USPS's shape; US addresses only (USPS's domestic APIs take nothing else).
pub fn usps_address(address: &Address, for_label: bool) -> Result<UspsAddress> {
    if address.country != "US" {
        return Err(CarrierError::Unsupported("international shipping"));
    }
    let (zip, plus4) = zip_parts(address.postal_code.as_str())?;
    let state = address.state_code().map(str::to_string).ok_or_else(|| {
        CarrierError::NotSent(format!(
            "USPS needs a US state code, not {:?}",
            address.state.as_deref().unwrap_or_default()
        ))
    })?;
    let (first, last) = split_name(&address.name);
    let secondary = [address.line2.as_deref(), address.landmark.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    Ok(UspsAddress {
        first_name: Some(first).filter(|s| !s.is_empty()),
        last_name: Some(last).filter(|s| !s.is_empty()),
        firm: None,
        street_address: address.line1.trim().to_string(),
        secondary_address: Some(secondary).filter(|s| !s.is_empty()),
        city: address.city.trim().to_string(),
        state: Some(state),
        zip_code: zip,
        zip_plus4: plus4,
        phone: us_phone(address.phone.e164()),
        email: address.email.clone(),
        ignore_bad_address: for_label.then_some(false),
    })
}

/// A parcel's dimensions in mm, the default box where it gives none, longest first.
fn dimensions_mm(parcel: &Parcel) -> [u32; 3] {
    let given = [parcel.length_mm, parcel.width_mm, parcel.height_mm];
    let mut mm = match given {
        [Some(l), Some(w), Some(h)] if l > 0 && w > 0 && h > 0 => [l, w, h],
        _ => DEFAULT_BOX_MM,
    };
    mm.sort_unstable_by(|a, b| b.cmp(a));
    mm
}

/// Pounds with two decimals and inches with one, rounded up.
fn package_units(parcel: &Parcel) -> Result<(f64, [f64; 3])> {
    if parcel.weight_g == 0 {
        return Err(CarrierError::NotSent("a parcel without weight".into()));
    }
    if parcel.weight_g > MAX_WEIGHT_G {
        return Err(CarrierError::Unsupported(
            "a parcel over 70 lb (USPS's limit)",
        ));
    }
    let mm = dimensions_mm(parcel);
    Ok((
        units::lb(parcel.weight_g, 2),
        mm.map(|d| units::inches(d, 1)),
    ))
}

/// Whether USPS sorts the parcel on machines (its weight and size).
pub fn processing_category(parcel: &Parcel) -> &'static str {
    let mm = dimensions_mm(parcel);
    let fits = mm.iter().zip(MACHINABLE_MAX_MM).all(|(d, max)| *d <= max);
    match parcel.weight_g <= MACHINABLE_MAX_G && fits {
        true => "MACHINABLE",
        false => "NON_MACHINABLE",
    }
}

/// The one parcel of a USPS booking or quote: USPS prices and labels one mail piece
/// per call, each with its own tracking number.
pub fn one_parcel(parcels: &[Parcel]) -> Result<&Parcel> {
    match parcels {
        [one] => Ok(one),
        [] => Err(CarrierError::Unsupported("a shipment without a parcel")),
        _ => Err(CarrierError::Unsupported(
            "a multi-piece shipment (USPS labels each piece as its own mail piece: book each as its own shipment)",
        )),
    }
}

/// `POST /shipments/v3/options/search` for every mail class eligible for the parcel,
/// priced for the account (commercial prices) when an EPS account is set.
pub fn options_request(
    req: &RateRequest,
    account: Option<UspsPaymentAccount>,
    mailing_date: NaiveDate,
) -> Result<HttpRequest> {
    if req.from.country != "US" {
        return Err(CarrierError::Unsupported("a parcel mailed outside the US"));
    }
    let parcel = one_parcel(&req.parcels)?;
    let (weight, [length, width, height]) = package_units(parcel)?;
    let price_type = if account.is_some() {
        "COMMERCIAL"
    } else {
        "RETAIL"
    };
    // Abroad: the country and its postal code instead of a ZIP (USPS's international
    // answer echoes `destinationCountryCode` and `foreignPostalCode`).
    let (destination_zip, country, foreign) = match req.to.country.as_str() {
        "US" => (Some(zip_parts(req.to.postal_code.as_str())?.0), None, None),
        other => (
            None,
            Some(other.to_string()),
            Some(req.to.postal_code.as_str().to_string()),
        ),
    };
    let body = UspsOptionsRequest {
        origin_zip: zip_parts(req.from.postal_code.as_str())?.0,
        destination_zip,
        destination_country_code: country,
        foreign_postal_code: foreign,
        destination_entry_facility_type: "NONE",
        package_description: UspsPackage {
            weight,
            length,
            width,
            height,
            mailing_date: mailing_date.to_string(),
        },
        pricing_options: vec![UspsPricingOption {
            price_type,
            payment_account: account,
        }],
    };
    HttpRequest::post(OPTIONS_PATH).json(&body)
}

/// The label image USPS renders for a format.
pub fn image_type(format: LabelFormat) -> &'static str {
    match format {
        LabelFormat::Pdf => "PDF",
        LabelFormat::Zpl => "ZPL203DPI",
    }
}

/// `POST /labels/v3/label` for one domestic parcel, shipgate's shipment id printed on the
/// label as the customer reference. `mail_class` is USPS's (`USPS_GROUND_ADVANTAGE`).
pub fn label_request(
    shipment_id: &str,
    req: &ShipmentRequest,
    mail_class: &str,
    payment_token: &str,
    mailing_date: NaiveDate,
) -> Result<HttpRequest> {
    if req.is_international() {
        return Err(CarrierError::Unsupported("international shipping"));
    }
    let parcel = one_parcel(&req.parcels)?;
    let (weight, [length, width, height]) = package_units(parcel)?;
    let body = UspsLabelRequest {
        image_info: UspsImageInfo {
            image_type: image_type(req.label_format),
            label_type: "4X6LABEL",
            receipt_option: "NONE",
        },
        to_address: usps_address(&req.to, true)?,
        from_address: usps_address(&req.from, true)?,
        package_description: UspsLabelPackage {
            mail_class: mail_class.to_string(),
            rate_indicator: "SP",
            weight_u_o_m: "lb",
            weight,
            dimensions_u_o_m: "in",
            length,
            width,
            height,
            processing_category: processing_category(parcel),
            mailing_date: mailing_date.to_string(),
            destination_entry_facility_type: "NONE",
            customer_reference: vec![UspsCustomerReference {
                reference_number: shipment_id.to_string(),
                print_reference_number: true,
            }],
        },
    };
    Ok(HttpRequest::post(LABEL_PATH)
        .json(&body)?
        .secret_header(PAYMENT_HEADER, payment_token))
}

/// A few destination countries' names as USPS prints them; the ISO code for others
/// (the API reads `countryISOAlpha2Code`, the name is printed).
fn country_name(code: &str) -> &str {
    match code {
        "IN" => "India",
        "CA" => "Canada",
        "MX" => "Mexico",
        "GB" => "United Kingdom",
        "DE" => "Germany",
        "FR" => "France",
        "AU" => "Australia",
        "JP" => "Japan",
        "CN" => "China",
        "BR" => "Brazil",
        "AE" => "United Arab Emirates",
        "SG" => "Singapore",
        other => other,
    }
}

/// The address abroad, in the International Labels API's shape.
fn foreign_address(address: &Address) -> UspsForeignAddress {
    let (first, last) = split_name(&address.name);
    let secondary = [address.line2.as_deref(), address.landmark.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    UspsForeignAddress {
        first_name: Some(first).filter(|s| !s.is_empty()),
        last_name: Some(last).filter(|s| !s.is_empty()),
        street_address: address.line1.trim().to_string(),
        secondary_address: Some(secondary).filter(|s| !s.is_empty()),
        city: address.city.trim().to_string(),
        province: address
            .state_name()
            .map(str::to_string)
            .or_else(|| address.state.clone()),
        postal_code: address.postal_code.as_str().to_string(),
        country: country_name(&address.country).to_string(),
        country_iso_alpha2_code: address.country.clone(),
        phone: Some(address.phone.e164().trim_start_matches('+').to_string()),
    }
}

/// The customs form of an export: each line in USD and pounds, USPS's content type, the
/// AES exemption (shipgate files no AES: a declaration over [`NOEEI_LIMIT_CENTS`] is
/// refused unsent). USPS collects duties from the addressee: a shipment whose sender
/// pays duties (DDP) is refused.
pub fn customs_form(req: &ShipmentRequest) -> Result<UspsCustomsForm> {
    use crate::schema::{DutiesPayer, ExportReason};
    let customs = req.customs.as_ref().ok_or_else(|| {
        CarrierError::NotSent("an international USPS label needs its customs content".into())
    })?;
    if customs.duties_payer != DutiesPayer::Recipient {
        return Err(CarrierError::Unsupported(
            "duties paid by anyone but the addressee (USPS collects them on delivery)",
        ));
    }
    let content_type = match customs.contents {
        ExportReason::Sale => "MERCHANDISE",
        ExportReason::Gift => "GIFT",
        ExportReason::Sample => "SAMPLE",
        ExportReason::Return => "RETURN",
        ExportReason::Documents => "DOCUMENTS",
        ExportReason::Repair | ExportReason::Other => "OTHER",
    };
    let mut total_cents = 0i64;
    let mut contents = Vec::new();
    for item in &customs.items {
        if item.unit_value.currency.as_str() != "USD" {
            return Err(CarrierError::NotSent(format!(
                "USPS customs values are in USD, not {}",
                item.unit_value.currency.as_str()
            )));
        }
        let line_cents = item.unit_value.amount * i64::from(item.quantity);
        total_cents += line_cents;
        let weight = units::lb(item.weight_g.max(1), 2);
        contents.push(UspsCustomsItem {
            item_description: item.description.chars().take(30).collect(),
            item_quantity: item.quantity,
            item_value: item.unit_value.to_major_f64(),
            item_total_value: line_cents as f64 / 100.0,
            weight_uom: "lb",
            item_weight: weight,
            item_total_weight: units::lb(item.weight_g.max(1) * item.quantity, 2),
            hs_tariff_number: item.hs_code.chars().filter(char::is_ascii_digit).collect(),
            country_of_origin: item.origin_country.clone(),
        });
    }
    if contents.is_empty() {
        return Err(CarrierError::NotSent(
            "a customs declaration without items".into(),
        ));
    }
    if total_cents > NOEEI_LIMIT_CENTS {
        return Err(CarrierError::Unsupported(
            "an export over USD 2,500 (it needs an AES filing and its ITN, which shipgate does not make)",
        ));
    }
    Ok(UspsCustomsForm {
        content_comments: (content_type == "OTHER").then(|| {
            customs
                .items
                .first()
                .map(|i| i.description.chars().take(25).collect())
                .unwrap_or_default()
        }),
        aes_itn: NOEEI.to_string(),
        invoice_number: customs.invoice_number.clone(),
        customs_content_type: content_type,
        contents,
    })
}

/// `POST /international-labels/v3/international-label` for one parcel from the US to
/// another country, with its customs form and shipgate's shipment id as the reference.
pub fn intl_label_request(
    shipment_id: &str,
    req: &ShipmentRequest,
    mail_class: &str,
    payment_token: &str,
    mailing_date: NaiveDate,
) -> Result<HttpRequest> {
    if req.from.country != "US" {
        return Err(CarrierError::Unsupported("a parcel mailed outside the US"));
    }
    let parcel = one_parcel(&req.parcels)?;
    let (weight, [length, width, height]) = package_units(parcel)?;
    let from = usps_address(&req.from, true)?;
    let body = UspsIntlLabelRequest {
        image_info: UspsImageInfo {
            image_type: image_type(req.label_format),
            label_type: "4X6LABEL",
            receipt_option: "NONE",
        },
        to_address: foreign_address(&req.to),
        sender_address: from.clone(),
        from_address: from,
        package_description: UspsLabelPackage {
            mail_class: mail_class.to_string(),
            rate_indicator: "SP",
            weight_u_o_m: "lb",
            weight,
            dimensions_u_o_m: "in",
            length,
            width,
            height,
            processing_category: "NON_MACHINABLE",
            mailing_date: mailing_date.to_string(),
            destination_entry_facility_type: "NONE",
            customer_reference: vec![UspsCustomerReference {
                reference_number: shipment_id.to_string(),
                print_reference_number: true,
            }],
        },
        customs_form: customs_form(req)?,
    };
    Ok(HttpRequest::post(INTL_LABEL_PATH)
        .json(&body)?
        .secret_header(PAYMENT_HEADER, payment_token))
}

/// `DELETE /international-labels/v3/international-label/{number}`: an international
/// label's refund.
pub fn intl_cancel_request(tracking_number: &str, payment_token: &str) -> Result<HttpRequest> {
    let number = path_number(tracking_number)?;
    Ok(
        HttpRequest::new(Method::Delete, format!("{INTL_LABEL_PATH}/{number}"))
            .secret_header(PAYMENT_HEADER, payment_token),
    )
}

/// `POST /labels/v3/return-label`: a prepaid label the buyer (`fromAddress`) sends the
/// parcel back on to the seller (`toAddress`), shipgate's return id printed on it. PDF:
/// the buyer prints it.
pub fn return_label_request(
    request: &crate::families::ReturnRequest,
    mail_class: &str,
    payment_token: &str,
    mailing_date: NaiveDate,
) -> Result<HttpRequest> {
    let parcel = one_parcel(&request.parcels)?;
    let (weight, [length, width, height]) = package_units(parcel)?;
    let body = UspsLabelRequest {
        image_info: UspsImageInfo {
            image_type: image_type(LabelFormat::Pdf),
            label_type: "4X6LABEL",
            receipt_option: "NONE",
        },
        to_address: usps_address(&request.deliver_to, true)?,
        from_address: usps_address(&request.pickup, true)?,
        package_description: UspsLabelPackage {
            mail_class: mail_class.to_string(),
            rate_indicator: "SP",
            weight_u_o_m: "lb",
            weight,
            dimensions_u_o_m: "in",
            length,
            width,
            height,
            processing_category: processing_category(parcel),
            mailing_date: mailing_date.to_string(),
            destination_entry_facility_type: "NONE",
            customer_reference: vec![UspsCustomerReference {
                reference_number: request.shipment_id.clone(),
                print_reference_number: true,
            }],
        },
    };
    Ok(HttpRequest::post(RETURN_LABEL_PATH)
        .json(&body)?
        .secret_header(PAYMENT_HEADER, payment_token))
}

/// `POST /payments/v3/payment-authorization`: the account pays (`PAYER`) and owns the
/// labels (`LABEL_OWNER`, with the manifest MID SCAN forms are made under).
pub fn payment_request(account: &PaymentAccount) -> Result<HttpRequest> {
    let role = |role_name, manifest_mid: Option<String>| UspsRole {
        role_name,
        crid: account.crid.clone(),
        mid: account.mid.clone(),
        manifest_mid,
        account_type: account.account_type.clone(),
        account_number: account.account_number.to_string(),
    };
    let body = UspsPaymentAuthorizationRequest {
        roles: vec![
            role("PAYER", None),
            role("LABEL_OWNER", account.manifest_mid.clone()),
        ],
    };
    Ok(HttpRequest::post(PAYMENT_PATH)
        .json(&body)?
        .secret(&account.account_number))
}

/// The account the labels are paid from and owned by.
#[derive(Clone)]
pub struct PaymentAccount {
    pub crid: String,
    pub mid: String,
    pub manifest_mid: Option<String>,
    pub account_type: String,
    pub account_number: zeroize::Zeroizing<String>,
}

impl PaymentAccount {
    /// The account as the shipping options search names it, for the account's prices.
    pub fn for_prices(&self) -> UspsPaymentAccount {
        UspsPaymentAccount {
            account_type: self.account_type.clone(),
            account_number: self.account_number.to_string(),
        }
    }
}

/// A tracking number as it may go in a path: USPS's are digits and capital letters.
pub fn path_number(number: &str) -> Result<&str> {
    let number = number.trim();
    let fits = !number.is_empty()
        && number.len() <= 40
        && number.bytes().all(|b| b.is_ascii_alphanumeric());
    match fits {
        true => Ok(number),
        false => Err(CarrierError::NotSent(format!(
            "not a USPS tracking or confirmation number: {number:?}"
        ))),
    }
}

/// `DELETE /labels/v3/label/{trackingNumber}`: the label cancelled and its postage
/// refunded.
pub fn cancel_request(tracking_number: &str, payment_token: &str) -> Result<HttpRequest> {
    let number = path_number(tracking_number)?;
    Ok(
        HttpRequest::new(Method::Delete, format!("{LABEL_PATH}/{number}"))
            .secret_header(PAYMENT_HEADER, payment_token),
    )
}

/// The label of a booked mail piece drawn again in `format`:
/// `POST /labels/v3/label/{trackingNumber}/reprint` with the image wanted (an assumed
/// path, see the module docs), answered like a new label.
pub fn reprint_request(
    tracking_number: &str,
    format: LabelFormat,
    payment_token: &str,
) -> Result<HttpRequest> {
    let number = path_number(tracking_number)?;
    let body = serde_json::json!({
        "imageInfo": UspsImageInfo {
            image_type: image_type(format),
            label_type: "4X6LABEL",
            receipt_option: "NONE",
        }
    });
    Ok(HttpRequest::post(format!("{LABEL_PATH}/{number}/reprint"))
        .json(&body)?
        .secret_header(PAYMENT_HEADER, payment_token))
}

/// `GET /tracking/v3/tracking/{trackingNumber}?expand=DETAIL`: every scan.
pub fn track_request(tracking_number: &str) -> Result<HttpRequest> {
    let number = path_number(tracking_number)?;
    Ok(HttpRequest::get(format!("{TRACK_PATH}/{number}")).query("expand", "DETAIL"))
}

/// The package type a carrier pickup lists a mail class under.
fn pickup_package_type(mail_class: Option<&str>) -> &'static str {
    match mail_class {
        Some("PRIORITY_MAIL_EXPRESS") => "PRIORITY_MAIL_EXPRESS",
        Some("PRIORITY_MAIL") => "PRIORITY_MAIL",
        Some("USPS_GROUND_ADVANTAGE") => "GROUND_ADVANTAGE",
        _ => "OTHER",
    }
}

/// `POST /pickup/v3/carrier-pickup` at the location's address: the parcels counted by
/// package type from the shipments' mail classes (all `OTHER` when none are known).
pub fn pickup_request(request: &PickupRequest) -> Result<HttpRequest> {
    let address = usps_address(&request.address, false)?;
    let (first, last) = split_name(&request.address.name);
    let mut packages: Vec<UspsPickupPackage> = Vec::new();
    for shipment in &request.shipments {
        let kind = pickup_package_type(
            shipment
                .carrier_refs
                .get(REF_MAIL_CLASS)
                .map(String::as_str),
        );
        match packages.iter_mut().find(|p| p.package_type == kind) {
            Some(p) => p.package_count += 1,
            None => packages.push(UspsPickupPackage {
                package_type: kind,
                package_count: 1,
            }),
        }
    }
    let counted: u32 = packages.iter().map(|p| p.package_count).sum();
    if counted < request.packages {
        let more = request.packages - counted;
        match packages.iter_mut().find(|p| p.package_type == "OTHER") {
            Some(p) => p.package_count += more,
            None => packages.push(UspsPickupPackage {
                package_type: "OTHER",
                package_count: more,
            }),
        }
    }
    if packages.is_empty() {
        return Err(CarrierError::NotSent(
            "a USPS carrier pickup needs at least one parcel".into(),
        ));
    }
    let parcels: u32 = packages.iter().map(|p| p.package_count).sum();
    let body = UspsPickupRequest {
        pickup_date: request.date.to_string(),
        pickup_address: UspsPickupAddress {
            first_name: first,
            last_name: last,
            firm: None,
            // USPS's pickup contact is an email; the phone has no place in the request.
            contact: address
                .email
                .clone()
                .map(|email| UspsContact { email: Some(email) })
                .into_iter()
                .collect(),
            address: UspsAddress {
                phone: None,
                email: None,
                first_name: None,
                last_name: None,
                ..address
            },
        },
        packages,
        // USPS sizes the vehicle by it; 1 lb a parcel when shipgate has no weights.
        estimated_weight: f64::from(parcels),
        pickup_location: UspsPickupLocation {
            package_location: "OTHER",
            special_instructions: Some(format!("shipgate location {}", request.location)),
        },
    };
    HttpRequest::post(PICKUP_PATH).json(&body)
}

/// `DELETE /pickup/v3/carrier-pickup/{confirmationNumber}`.
pub fn cancel_pickup_request(confirmation_number: &str) -> Result<HttpRequest> {
    let number = path_number(confirmation_number)?;
    Ok(HttpRequest::new(
        Method::Delete,
        format!("{PICKUP_PATH}/{number}"),
    ))
}

/// The origin a booking kept in its refs (see [`REF_FROM_ZIP`]), as the SCAN form's
/// `fromAddress`.
pub fn origin_of(shipment: &ShipmentRef) -> Option<UspsAddress> {
    let r = |key: &str| {
        shipment
            .carrier_refs
            .get(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let (first, last) = split_name(&r(REF_FROM_NAME).unwrap_or_default());
    Some(UspsAddress {
        first_name: Some(first).filter(|s| !s.is_empty()),
        last_name: Some(last).filter(|s| !s.is_empty()),
        street_address: r(REF_FROM_STREET)?,
        city: r(REF_FROM_CITY)?,
        state: r(REF_FROM_STATE),
        zip_code: r(REF_FROM_ZIP)?,
        ignore_bad_address: Some(false),
        ..UspsAddress::default()
    })
}

/// `POST /scan-forms/v3/scan-form` (PS Form 5630) for labels printed from one origin:
/// the first shipment's origin is the form's, and every shipment must share its ZIP.
pub fn scan_form_request(
    shipments: &[ShipmentRef],
    mailing_date: NaiveDate,
) -> Result<HttpRequest> {
    let first = shipments
        .first()
        .ok_or_else(|| CarrierError::NotSent("a SCAN form needs at least one label".into()))?;
    let from = origin_of(first).ok_or_else(|| {
        CarrierError::NotSent(format!(
            "shipment {} has no USPS origin kept with its booking (booked before shipgate kept it, or found by lookup)",
            first.shipment_id
        ))
    })?;
    let mut numbers = Vec::new();
    for shipment in shipments {
        let awb = crate::kit::tracking::stored_awb(shipment).ok_or_else(|| {
            CarrierError::NotSent(format!(
                "shipment {} has no tracking number",
                shipment.shipment_id
            ))
        })?;
        let zip = shipment.carrier_refs.get(REF_FROM_ZIP).map(|z| z.trim());
        if zip != Some(from.zip_code.as_str()) {
            return Err(CarrierError::NotSent(format!(
                "a SCAN form covers labels from one origin ZIP ({}); shipment {} ships from another",
                from.zip_code, shipment.shipment_id
            )));
        }
        numbers.push(path_number(awb)?.to_string());
    }
    let body = UspsScanFormRequest {
        form: "5630",
        image_type: "PDF",
        label_type: "8.5x11LABEL",
        mailing_date: mailing_date.to_string(),
        overwrite_mailing_date: false,
        entry_facility_zip: from.zip_code.clone(),
        destination_entry_facility_type: "NONE",
        shipment: UspsScanShipment {
            tracking_numbers: numbers,
        },
        from_address: from,
    };
    HttpRequest::post(SCAN_FORM_PATH).json(&body)
}

/// `GET /addresses/v3/address?…`: USPS's standardised form of a US address.
pub fn address_request(address: &Address) -> Result<HttpRequest> {
    let a = usps_address(address, false)?;
    let mut request = HttpRequest::get(ADDRESS_PATH)
        .query("streetAddress", a.street_address)
        .query("city", a.city)
        .query("state", a.state.unwrap_or_default())
        .query("ZIPCode", a.zip_code);
    if let Some(secondary) = a.secondary_address {
        request = request.query("secondaryAddress", secondary);
    }
    if let Some(plus4) = a.zip_plus4 {
        request = request.query("ZIPPlus4", plus4);
    }
    Ok(request)
}
