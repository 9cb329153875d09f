//! Blue Dart's requests, one function per call, built from the unified requests. Every
//! credential is marked secret: the client secret on the login, the JWT on every call,
//! the login id and licence key in each body's profile and in the tracking query.

use chrono::{DateTime, TimeDelta, Utc};

use super::BlueDart;
use super::wire::{
    CancelAwb, CancelRequest, Commodity, Consignee, Dimension, PincodeRequest, Profile,
    ReturnAddress, Services, Shipper, Waybill, WaybillRequest,
};
use crate::CarrierError;
use crate::families::ReturnRequest;
use crate::kit::adapter::{Result, domestic_piece, return_piece};
use crate::kit::time::IST;
use crate::kit::units;
use crate::schema::{Address, Money, Parcel, Payment, ShipmentRequest};
use crate::wire::HttpRequest;

pub const LOGIN_PATH: &str = "/token/v1/login";
pub const PINCODE_PATH: &str = "/finder/v1/GetServicesforPincode";
pub const WAYBILL_PATH: &str = "/waybill/v1/GenerateWayBill";
pub const CANCEL_PATH: &str = "/waybill/v1/CancelWaybill";
pub const TRACK_PATH: &str = "/tracking/v1/shipment";

/// Blue Dart's address lines hold 30 characters each, three lines per address.
pub const LINE_CHARS: usize = 30;
/// The longest client reference Blue Dart keeps (`CreditReferenceNo`).
pub const REFERENCE_CHARS: usize = 40;

/// The products shipgate books: shipgate's code (quoted by the tenant's rate card and
/// accepted back on booking), its name, Blue Dart's `ProductCode`.
const SERVICES: [(&str, &str, &str); 3] = [
    ("apex", "Blue Dart Apex", "A"),
    ("ground", "Blue Dart Ground", "E"),
    ("priority", "Blue Dart Domestic Priority", "D"),
];

/// A Blue Dart product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service(usize);

impl Service {
    pub const APEX: Service = Service(0);
    pub const GROUND: Service = Service(1);
    pub const PRIORITY: Service = Service(2);
    pub const ALL: [Service; 3] = [Service::APEX, Service::GROUND, Service::PRIORITY];

    pub fn code(self) -> &'static str {
        SERVICES[self.0].0
    }

    pub fn name(self) -> &'static str {
        SERVICES[self.0].1
    }

    pub fn product_code(self) -> &'static str {
        SERVICES[self.0].2
    }

    /// A requested service by shipgate's code or Blue Dart's product letter (and the
    /// generic `express`/`air` and `surface` a tenant's rate card may name them by); none
    /// is Apex, Blue Dart's e-commerce default. Anything else is refused for good.
    pub fn from_code(code: Option<&str>) -> Result<Service> {
        let code = code.map(str::trim).unwrap_or_default();
        if code.is_empty() {
            return Ok(Service::APEX);
        }
        match code.to_ascii_lowercase().as_str() {
            "express" | "air" => return Ok(Service::APEX),
            "surface" => return Ok(Service::GROUND),
            _ => {}
        }
        let named = |s: &Service| {
            s.code().eq_ignore_ascii_case(code) || s.product_code().eq_ignore_ascii_case(code)
        };
        Service::ALL.into_iter().find(named).ok_or_else(|| {
            tracing::debug!(service = code, "not a Blue Dart product");
            CarrierError::Unsupported("a service other than `apex`, `ground` or `priority`")
        })
    }

    /// The product a `ProductCode` letter names, for answers that carry one.
    pub fn of_product(letter: &str) -> Option<Service> {
        let letter = letter.trim();
        Service::ALL
            .into_iter()
            .find(|s| s.product_code().eq_ignore_ascii_case(letter))
    }
}

/// Splits an address into Blue Dart's three lines of [`LINE_CHARS`], breaking between
/// words; an address that does not fit is refused rather than cut (a cut address is a
/// failed delivery).
pub fn address_lines(address: &Address) -> Result<[String; 3]> {
    let text = clean(&address.street());
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let word: String = word.chars().collect();
        if word.chars().count() > LINE_CHARS {
            return Err(CarrierError::Unsupported(
                "an address word longer than Blue Dart's 30-character line",
            ));
        }
        let last = lines.last_mut().expect("one line at least");
        let needed = last.chars().count() + usize::from(!last.is_empty()) + word.chars().count();
        if needed <= LINE_CHARS {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(&word);
        } else {
            lines.push(word);
        }
    }
    match lines.as_slice() {
        [a] => Ok([a.clone(), String::new(), String::new()]),
        [a, b] => Ok([a.clone(), b.clone(), String::new()]),
        [a, b, c] => Ok([a.clone(), b.clone(), c.clone()]),
        _ => Err(CarrierError::Unsupported(
            "an address longer than Blue Dart's three lines of 30 characters",
        )),
    }
}

/// Text without the characters Blue Dart's .NET services choke on in names and
/// addresses (quotes, angle brackets, ampersands, control characters), spaces squeezed.
pub fn clean(text: &str) -> String {
    let kept: String = text
        .chars()
        .map(|c| match c {
            '"' | '\'' | '<' | '>' | '&' | '\\' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The client reference checked: Blue Dart keeps [`REFERENCE_CHARS`] characters.
pub fn check_reference(reference: &str) -> Result<&str> {
    let reference = reference.trim();
    if reference.is_empty() || reference.chars().count() > REFERENCE_CHARS {
        return Err(CarrierError::NotSent(format!(
            "a Blue Dart reference has 1 to {REFERENCE_CHARS} characters: {reference:?}"
        )));
    }
    Ok(reference)
}

/// A .NET JSON date, `/Date(<ms>)/`, as Blue Dart's gateway reads `PickupDate`.
pub fn dotnet_date(time: DateTime<Utc>) -> String {
    format!("/Date({})/", time.timestamp_millis())
}

/// The pickup slot a waybill names: tomorrow, 11:00 IST (the waybill's pickup is
/// registered on its own, [`super::pickups`], so this is Blue Dart's planning date only).
pub fn pickup_slot(now: DateTime<Utc>) -> (String, String) {
    let tomorrow = IST.wall(now).date() + TimeDelta::days(1);
    let at = tomorrow.and_hms_opt(11, 0, 0).and_then(|t| IST.local(t));
    (dotnet_date(at.unwrap_or(now)), "1100".to_string())
}

fn rupees(money: &Money) -> Result<String> {
    if money.currency.as_str() != "INR" {
        return Err(CarrierError::Unsupported(
            "amounts in a currency other than INR",
        ));
    }
    Ok(money.to_major_string())
}

fn dimensions(parcel: &Parcel) -> Vec<Dimension> {
    match (parcel.length_mm, parcel.width_mm, parcel.height_mm) {
        (Some(l), Some(w), Some(h)) => vec![Dimension {
            length: units::cm(l),
            breadth: units::cm(w),
            height: units::cm(h),
            count: 1,
        }],
        _ => Vec::new(),
    }
}

impl BlueDart {
    pub fn profile(&self) -> Profile {
        Profile {
            login_id: self.login_id.to_string(),
            licence_key: self.licence_key.to_string(),
            api_type: "S",
        }
    }

    /// A JSON call with the profile's credentials marked secret.
    fn with_profile(&self, request: HttpRequest) -> HttpRequest {
        request.secret(&self.login_id).secret(&self.licence_key)
    }

    pub fn pincode_request(&self, pincode: &str) -> Result<HttpRequest> {
        let body = PincodeRequest {
            pin_code: pincode.trim().to_string(),
            profile: self.profile(),
        };
        self.with_profile(HttpRequest::post(PINCODE_PATH))
            .json(&body)
    }

    /// `POST /waybill/v1/GenerateWayBill` for a forward shipment, shipgate's shipment id
    /// as `CreditReferenceNo`.
    pub fn create_request(&self, shipment_id: &str, req: &ShipmentRequest) -> Result<HttpRequest> {
        let parcel = domestic_piece(req, "IN")?;
        let service = Service::from_code(req.service.as_deref())?;
        let reference = check_reference(shipment_id)?;
        let (sub_product, collect) = match &req.payment {
            Payment::Prepaid => ("P", "0".to_string()),
            Payment::Cod { cod_amount } => ("C", rupees(cod_amount)?),
        };
        let declared = match req.declared_value() {
            Some(value) => rupees(&value)?,
            None => collect.clone(),
        };
        let (pickup_date, pickup_time) = pickup_slot(Utc::now());
        let waybill = Waybill {
            consignee: self.consignee(&req.to)?,
            shipper: self.shipper(&req.from)?,
            services: Services {
                product_code: service.product_code().to_string(),
                sub_product_code: sub_product.to_string(),
                product_type: 1,
                piece_count: 1,
                actual_weight: units::kg_text(parcel.weight_g),
                declared_value: declared,
                collectable_amount: collect,
                credit_reference_no: reference.to_string(),
                pickup_date,
                pickup_time,
                pdf_output_not_required: false,
                is_reverse_pickup: false,
                register_pickup: false,
                dimensions: dimensions(parcel),
                commodity: Commodity {
                    commodity_detail1: clean(&req.description()).chars().take(30).collect(),
                },
            },
            returnadds: return_address(&req.from)?,
        };
        self.waybill_request(waybill)
    }

    /// A reverse pickup: a waybill with `IsReversePickup`, collected from the buyer (the
    /// shipper) and delivered to the warehouse (the consignee, and the return address).
    pub fn return_request(&self, request: &ReturnRequest) -> Result<HttpRequest> {
        let (buyer, warehouse) = (&request.pickup, &request.deliver_to);
        if buyer.country != "IN" || warehouse.country != "IN" {
            return Err(CarrierError::Unsupported("international returns"));
        }
        let parcel = return_piece(request)?;
        if request.qc.is_some() {
            return Err(CarrierError::Unsupported(
                "doorstep quality checks: Blue Dart's waybill API takes no QC fields",
            ));
        }
        let service = Service::from_code(request.service.as_deref())?;
        let reference = check_reference(&request.shipment_id)?;
        let declared = match request.declared_value() {
            Some(value) => rupees(&value)?,
            None => "0".to_string(),
        };
        let description = match request.description() {
            d if d.is_empty() => format!("Return {}", request.reason.as_str()),
            d => d,
        };
        let (pickup_date, pickup_time) = pickup_slot(Utc::now());
        let mut shipper = self.shipper(buyer)?;
        // The buyer is no Blue Dart customer: the account's code pays, the buyer's area is
        // Blue Dart's to find from the pincode.
        shipper.origin_area = String::new();
        let waybill = Waybill {
            consignee: self.consignee(warehouse)?,
            shipper,
            services: Services {
                product_code: service.product_code().to_string(),
                sub_product_code: "P".to_string(),
                product_type: 1,
                piece_count: 1,
                actual_weight: units::kg_text(parcel.weight_g),
                declared_value: declared,
                collectable_amount: "0".to_string(),
                credit_reference_no: reference.to_string(),
                pickup_date,
                pickup_time,
                pdf_output_not_required: false,
                is_reverse_pickup: true,
                register_pickup: false,
                dimensions: dimensions(parcel),
                commodity: Commodity {
                    commodity_detail1: clean(&description).chars().take(30).collect(),
                },
            },
            returnadds: return_address(warehouse)?,
        };
        self.waybill_request(waybill)
    }

    fn waybill_request(&self, waybill: Waybill) -> Result<HttpRequest> {
        let body = WaybillRequest {
            request: waybill,
            profile: self.profile(),
        };
        self.with_profile(HttpRequest::post(WAYBILL_PATH))
            .json(&body)
    }

    fn consignee(&self, to: &Address) -> Result<Consignee> {
        let [a1, a2, a3] = address_lines(to)?;
        Ok(Consignee {
            consignee_name: clean(&to.name),
            consignee_address1: a1,
            consignee_address2: a2,
            consignee_address3: a3,
            consignee_pincode: to.postal_code.as_str().to_string(),
            consignee_mobile: to.phone.national().to_string(),
            consignee_telephone: String::new(),
            consignee_email_id: to.email.clone().unwrap_or_default(),
            consignee_attention: clean(&to.name),
        })
    }

    fn shipper(&self, from: &Address) -> Result<Shipper> {
        let [a1, a2, a3] = address_lines(from)?;
        Ok(Shipper {
            customer_code: self.customer_code.clone(),
            customer_name: clean(&from.name),
            customer_address1: a1,
            customer_address2: a2,
            customer_address3: a3,
            customer_pincode: from.postal_code.as_str().to_string(),
            customer_mobile: from.phone.national().to_string(),
            customer_telephone: String::new(),
            customer_email_id: from.email.clone().unwrap_or_default(),
            origin_area: self.origin_area.clone(),
            sender: clean(&from.name),
            is_to_pay_customer: false,
        })
    }

    pub fn cancel_request(&self, awb: &str) -> Result<HttpRequest> {
        let body = CancelRequest {
            request: CancelAwb {
                awb_no: awb.trim().to_string(),
            },
            profile: self.profile(),
        };
        self.with_profile(HttpRequest::post(CANCEL_PATH))
            .json(&body)
    }

    /// The XML tracking query for waybills (`awb=awb`) or for client references
    /// (`awb=ref`, how a lost booking is found), scans included.
    pub fn track_request(&self, numbers: &str, by_reference: bool) -> HttpRequest {
        HttpRequest::get(TRACK_PATH)
            .query("handler", "tnt")
            .query("action", "custawbquery")
            .secret_query("loginid", self.login_id.to_string())
            .query("awb", if by_reference { "ref" } else { "awb" })
            .query("numbers", numbers.trim())
            .query("format", "xml")
            .secret_query("lickey", self.licence_key.to_string())
            .query("verno", "1")
            .query("scan", "1")
    }
}

/// The return address of a waybill: the shipper's own for a forward parcel.
fn return_address(address: &Address) -> Result<ReturnAddress> {
    let [a1, a2, a3] = address_lines(address)?;
    Ok(ReturnAddress {
        return_address1: a1,
        return_address2: a2,
        return_address3: a3,
        return_pincode: address.postal_code.as_str().to_string(),
        return_mobile: address.phone.national().to_string(),
        return_contact: clean(&address.name),
    })
}
