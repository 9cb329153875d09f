//! Pickups: Blue Dart's pickup registration (`POST /pickup/v1/RegisterPickup`, answered
//! with a pickup token) and its cancellation (`POST /cancel-pickup/v1/CancelPickup` by
//! token and date). Blue Dart keeps no registry of pickup locations: the address goes with
//! every registration, so a location is kept by shipgate.

use async_trait::async_trait;
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::BlueDart;
use super::parse::{refused, snake};
use super::requests::{address_lines, clean, dotnet_date};
use super::wire::{Profile, StatusLine};
use crate::CarrierError;
use crate::carrier::{Operation, Transport};
use crate::families::{
    PickupLocation, PickupRequest, Pickups, RegisteredLocation, ScheduledPickup,
};
use crate::kit::adapter::{Result, location_kept_by_shipgate};
use crate::kit::lenient::{Loose, Text};
use crate::kit::time::IST;
use crate::kit::tracking::stored_awb;
use crate::schema::CancelOutcome;
use crate::wire::{HttpRequest, HttpResponse};

pub const PICKUP_PATH: &str = "/pickup/v1/RegisterPickup";
pub const CANCEL_PICKUP_PATH: &str = "/cancel-pickup/v1/CancelPickup";

/// When the parcels are ready and when the office closes, unless the request says: Blue
/// Dart wants both.
const DEFAULT_READY: (u32, u32) = (11, 0);
const DEFAULT_CLOSE: (u32, u32) = (18, 0);

/// `{"request": {...}, "profile": {...}}` (these two keys in lower case, unlike the
/// waybill's).
#[derive(Debug, Clone, Serialize)]
pub struct RegisterPickup {
    pub request: PickupRegistration,
    pub profile: Profile,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PickupRegistration {
    pub area_code: String,
    pub contact_person_name: String,
    pub customer_address1: String,
    pub customer_address2: String,
    pub customer_address3: String,
    pub customer_code: String,
    pub customer_name: String,
    pub customer_pincode: String,
    pub customer_telephone_number: String,
    pub mobile_tel_no: String,
    #[serde(rename = "EmailID")]
    pub email_id: String,
    pub numberof_pieces: u32,
    /// `HHMM`, IST.
    pub office_close_time: String,
    pub product_code: String,
    pub reference_no: String,
    /// `/Date(<ms>)/`.
    pub shipment_pickup_date: String,
    /// `HHMM`, IST.
    pub shipment_pickup_time: String,
    /// Kilograms.
    pub weightof_shipment: f64,
    pub is_reverse_pickup: bool,
    /// The waybills to collect.
    #[serde(rename = "AWBNo")]
    pub awb_no: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CancelPickup {
    pub request: CancelPickupRequest,
    pub profile: Profile,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CancelPickupRequest {
    pub token_number: String,
    /// `/Date(<ms>)/` of the pickup day.
    pub pickup_registration_date: String,
    pub remarks: String,
}

/// `{"RegisterPickupResult": {...}}` and `{"CancelPickupResult": {...}}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PickupAnswer {
    #[serde(rename = "RegisterPickupResult", alias = "CancelPickupResult")]
    pub result: Option<PickupResult>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PickupResult {
    #[serde(rename = "IsError")]
    pub is_error: Loose,
    #[serde(rename = "Status")]
    pub status: Vec<StatusLine>,
    #[serde(rename = "TokenNumber")]
    pub token_number: Text,
}

/// The day's start in IST as Blue Dart's .NET date.
fn day(date: NaiveDate) -> String {
    let midnight = date.and_time(NaiveTime::MIN);
    let at = IST.local(midnight).unwrap_or_else(|| midnight.and_utc());
    dotnet_date(at)
}

fn hhmm(time: NaiveTime) -> String {
    time.format("%H%M").to_string()
}

impl BlueDart {
    /// The registration of a pickup at the request's address, for its waybills.
    pub fn pickup_request(&self, request: &PickupRequest) -> Result<HttpRequest> {
        let address = &request.address;
        if address.country != "IN" {
            return Err(CarrierError::Unsupported("pickups outside India"));
        }
        let [a1, a2, a3] = address_lines(address)?;
        let at = |(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN);
        let (ready, close) = request
            .window
            .unwrap_or((at(DEFAULT_READY), at(DEFAULT_CLOSE)));
        let awbs: Vec<String> = request
            .shipments
            .iter()
            .filter_map(stored_awb)
            .map(str::to_string)
            .collect();
        let body = RegisterPickup {
            request: PickupRegistration {
                area_code: self.origin_area.clone(),
                contact_person_name: clean(&address.name),
                customer_address1: a1,
                customer_address2: a2,
                customer_address3: a3,
                customer_code: self.customer_code.clone(),
                customer_name: clean(&request.location),
                customer_pincode: address.postal_code.as_str().to_string(),
                customer_telephone_number: String::new(),
                mobile_tel_no: address.phone.national().to_string(),
                email_id: address.email.clone().unwrap_or_default(),
                numberof_pieces: request.packages.max(1),
                office_close_time: hhmm(close),
                product_code: "A".to_string(),
                reference_no: request
                    .shipments
                    .first()
                    .map_or_else(String::new, |s| s.shipment_id.chars().take(40).collect()),
                shipment_pickup_date: day(request.date),
                shipment_pickup_time: hhmm(ready),
                // Blue Dart plans the vehicle by it; half a kilo a piece when unknown.
                weightof_shipment: f64::from(request.packages.max(1)) * 0.5,
                is_reverse_pickup: false,
                awb_no: awbs,
            },
            profile: self.profile(),
        };
        HttpRequest::post(PICKUP_PATH)
            .secret(&self.login_id)
            .secret(&self.licence_key)
            .json(&body)
    }

    pub fn cancel_pickup_request(&self, pickup: &ScheduledPickup) -> Result<HttpRequest> {
        let body = CancelPickup {
            request: CancelPickupRequest {
                token_number: pickup.pickup_id.trim().to_string(),
                pickup_registration_date: day(pickup.date),
                remarks: "Cancelled by the shipper".to_string(),
            },
            profile: self.profile(),
        };
        HttpRequest::post(CANCEL_PICKUP_PATH)
            .secret(&self.login_id)
            .secret(&self.licence_key)
            .json(&body)
    }
}

/// The pickup result, its refusal (inside HTTP 200) as an error.
fn pickup_result(resp: &HttpResponse, what: &str) -> Result<PickupResult> {
    if !resp.is_success() {
        return Err(refused(resp));
    }
    let answer: PickupAnswer = resp.json()?;
    let Some(result) = answer.result else {
        return Err(CarrierError::bad_response(format!(
            "Blue Dart answered no {what}Result"
        )));
    };
    if result.is_error.is_set() {
        let line = result
            .status
            .iter()
            .find(|l| l.status_information.get().is_some());
        let code = line.and_then(|l| l.status_code.get()).map(snake);
        let words = line.and_then(|l| l.status_information.get());
        return Err(CarrierError::rejected(
            code.unwrap_or_else(|| "pickup_refused".into()),
            words.unwrap_or("Blue Dart refused the pickup").to_string(),
            resp.status,
        ));
    }
    Ok(result)
}

fn words(result: &PickupResult, default: &str) -> String {
    let line = result
        .status
        .iter()
        .find_map(|l| l.status_information.get());
    line.unwrap_or(default).to_string()
}

/// The pickup registered: Blue Dart's token is the pickup's id.
pub fn parse_pickup(resp: &HttpResponse, date: NaiveDate) -> Result<ScheduledPickup> {
    let result = pickup_result(resp, "RegisterPickup")?;
    let Some(token) = result.token_number.get() else {
        return Err(CarrierError::bad_response(
            "Blue Dart registered a pickup without a token",
        ));
    };
    Ok(ScheduledPickup {
        pickup_id: token.to_string(),
        date,
        carrier_message: words(&result, "Pickup registered"),
    })
}

pub fn parse_pickup_cancel(resp: &HttpResponse) -> Result<CancelOutcome> {
    let result = pickup_result(resp, "CancelPickup")?;
    Ok(CancelOutcome {
        carrier_message: words(&result, "Pickup cancelled"),
    })
}

#[async_trait]
impl Pickups for BlueDart {
    /// Nothing to call: Blue Dart takes the address with every registration.
    async fn register_location(
        &self,
        _t: &dyn Transport,
        location: &PickupLocation,
    ) -> Result<RegisteredLocation> {
        address_lines(&location.address)?;
        Ok(location_kept_by_shipgate(location))
    }

    async fn schedule(
        &self,
        t: &dyn Transport,
        request: &PickupRequest,
    ) -> Result<ScheduledPickup> {
        let http = self.pickup_request(request)?;
        let resp = self.send(t, Operation::Pickup, http).await?;
        parse_pickup(&resp, request.date)
    }

    async fn cancel(&self, t: &dyn Transport, pickup: &ScheduledPickup) -> Result<CancelOutcome> {
        let http = self.cancel_pickup_request(pickup)?;
        let resp = self.send(t, Operation::Pickup, http).await?;
        parse_pickup_cancel(&resp)
    }
}
