//! Delhivery's wire format as serde types.
//!
//! Shapes follow real captures (`../shared/carrier-samples/delhivery`), not only the
//! published docs, because the two disagree: create is a form body whose `data` field is
//! a JSON document; errors arrive inside HTTP 200 (`success:false`, `Success:false`);
//! cancel answers in XML; timestamps carry no zone and are IST; the same field is a
//! number in one response and a string in the next (`pin`, `ReferenceNo`), hence the
//! kit's lenient [`Text`] and [`Flag`] fields; and some keys are misspelt by Delhivery
//! itself (`RecievedBy`, `DestRecieveDate`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::CarrierError;
use crate::kit::lenient::{Flag, Loose, Text};
use crate::schema::Currency;

/// Delhivery writes timestamps in India Standard Time, without a zone.
pub use crate::kit::time::IST;

/// The currency of every Delhivery amount: Delhivery B2C bills Indian accounts in rupees.
pub fn currency() -> Currency {
    Currency::inr()
}

/// Writes a UTC instant the way Delhivery does: IST wall time, no zone, milliseconds with
/// trailing zeros dropped (`…:25.57`, and no fraction at all on a whole second).
pub fn format_ist(time: DateTime<Utc>) -> String {
    let text = IST.format(time, "%Y-%m-%dT%H:%M:%S%.3f");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The two Delhivery B2C products shipgate offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Surface,
    Express,
}

/// Per [`Service`], in its order: shipgate's code (as quoted and accepted back on
/// booking), its name, `shipping_mode` on create and `md` (billing mode) on charges.
const SERVICES: [(&str, &str, &str, &str); 2] = [
    ("surface", "Delhivery Surface", "Surface", "S"),
    ("express", "Delhivery Express", "Express", "E"),
];

impl Service {
    pub const ALL: [Service; 2] = [Service::Surface, Service::Express];

    pub fn code(self) -> &'static str {
        SERVICES[self as usize].0
    }

    pub fn name(self) -> &'static str {
        SERVICES[self as usize].1
    }

    pub fn shipping_mode(self) -> &'static str {
        SERVICES[self as usize].2
    }

    pub fn billing_mode(self) -> &'static str {
        SERVICES[self as usize].3
    }

    /// Reads a requested service; none means Surface, Delhivery's default product. Any
    /// other service is one Delhivery never offers: a permanent refusal
    /// ([`CarrierError::Unsupported`]), not a call to try again.
    pub fn from_code(code: Option<&str>) -> Result<Service, CarrierError> {
        let code = code
            .map(|c| c.trim().to_ascii_lowercase())
            .unwrap_or_default();
        if code.is_empty() {
            return Ok(Service::Surface);
        }
        Service::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| {
                tracing::debug!(service = code, "not a Delhivery service");
                CarrierError::Unsupported("a service other than `surface` or `express`")
            })
    }
}

// Create: POST /api/cmu/create.json, form body `format=json&data=<DelhiveryCreateRequest>`

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelhiveryCreateRequest {
    pub shipments: Vec<DelhiveryShipment>,
    pub pickup_location: DelhiveryPickupLocation,
}

/// The registered warehouse the parcel is picked up from. Only `name` is the join key:
/// Delhivery looks the rest up from its own warehouse record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelhiveryPickupLocation {
    pub name: String,
}

/// One package. Amounts are decimal rupee strings (exact, and accepted by Delhivery as
/// in the 2017 capture); weight is grams, the unit of the docs' MPS sample and of the
/// charges API's `cgm`; dimensions are centimetres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DelhiveryShipment {
    pub name: String,
    pub add: String,
    pub pin: String,
    pub city: String,
    pub state: String,
    pub country: String,
    pub phone: String,
    /// The client reference: shipgate's shipment id, so a booking whose answer was lost
    /// can be found again with `ref_ids=`.
    pub order: String,
    /// `Prepaid` or `COD`.
    pub payment_mode: String,
    pub products_desc: String,
    pub cod_amount: String,
    pub total_amount: String,
    pub quantity: u32,
    pub weight: u32,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shipment_length: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shipment_width: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shipment_height: Option<f64>,
    /// `Surface` or `Express`.
    pub shipping_mode: String,
    /// Empty: Delhivery allocates the waybill.
    pub waybill: String,
    pub return_name: String,
    pub return_add: String,
    pub return_city: String,
    pub return_state: String,
    pub return_pin: String,
    pub return_phone: String,
    pub return_country: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DelhiveryCreateResponse {
    pub success: Flag,
    pub upload_wbn: Text,
    pub packages: Vec<DelhiveryPackage>,
    /// Account-level remark on failure ("ClientWarehouse matching query does not exist.").
    pub rmk: Text,
    pub error: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DelhiveryPackage {
    pub waybill: Text,
    pub refnum: Text,
    pub client: Text,
    /// `Success` or `Fail`.
    pub status: Text,
    pub sort_code: Text,
    /// A list of strings in every capture; a bare string is accepted too.
    pub remarks: Value,
}

// Track: GET /api/v1/packages/json/?waybill=…|ref_ids=…&verbose=1, and the push webhook

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DelhiveryTrackResponse {
    pub shipment_data: Option<Vec<DelhiveryShipmentData>>,
    pub error: Text,
    #[serde(rename = "rmk")]
    pub rmk: Text,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DelhiveryShipmentData {
    #[serde(rename = "Shipment")]
    pub shipment: DelhiveryTrackedShipment,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DelhiveryTrackedShipment {
    #[serde(rename = "AWB")]
    pub awb: Text,
    pub reference_no: Text,
    /// The client account that booked it: the create answer's `client`
    /// (`c00000-EXAMPLECLIENT-do` in both 2026 captures).
    pub sender_name: Text,
    pub status: Option<DelhiveryScan>,
    /// Absent at `verbose=0`; the full history at `verbose=1` and `2`.
    pub scans: Option<Vec<DelhiveryScanEntry>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DelhiveryScanEntry {
    #[serde(rename = "ScanDetail")]
    pub scan_detail: DelhiveryScan,
}

/// One scan: a `ScanDetail` of the history, or `Shipment.Status` (the latest scan, also
/// the whole of a push), whose keys differ only in name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DelhiveryScan {
    #[serde(alias = "Scan")]
    pub status: Text,
    #[serde(alias = "ScanType")]
    pub status_type: Text,
    /// The NSL code.
    pub status_code: Text,
    /// When the status took effect; `ScanDateTime` is when it was scanned (equal in every
    /// capture).
    pub status_date_time: Text,
    pub scan_date_time: Text,
    #[serde(alias = "ScannedLocation")]
    pub status_location: Text,
    pub instructions: Text,
}

/// A scan push (`POST /v1/carriers/delhivery/webhooks`): one `Shipment` with the new
/// `Status`, the NSL code beside it as `NSLCode`.
#[derive(Debug, Clone, Deserialize)]
pub struct DelhiveryWebhook {
    #[serde(rename = "Shipment")]
    pub shipment: DelhiveryWebhookShipment,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DelhiveryWebhookShipment {
    #[serde(rename = "AWB")]
    pub awb: Text,
    pub reference_no: Text,
    #[serde(rename = "NSLCode")]
    pub nsl_code: Text,
    pub status: Option<DelhiveryScan>,
}

// Cancel: POST /api/p/edit, JSON in, XML out

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelhiveryCancelRequest {
    pub waybill: String,
    /// The string `"true"`, as in the 2026 production capture.
    pub cancellation: String,
}

/// `<root><status>True</status><waybill>…</waybill><order_id>…</order_id><remark>…</remark></root>`
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct DelhiveryCancelResponse {
    pub status: Option<String>,
    pub remark: Option<String>,
    pub error: Option<String>,
}

// NDR instructions: POST /api/p/update, then GET /api/cmu/get_bulk_upl/<UPL id>
//
// The request is Delhivery's documented shape (its NDR API page and the curl sample).
// Neither answer is in the samples or the searchable docs, beyond "a UPL id in response
// always" and a relayed id `UPL10575891229462827496`: both are read leniently (see
// `parse::parse_ndr_response`), and the simulator's answers are of our own making.

/// `{"data": [{"waybill": …, "act": …, "action_data": {…}}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelhiveryNdrRequest {
    pub data: Vec<DelhiveryNdrItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelhiveryNdrItem {
    pub waybill: String,
    /// `RE-ATTEMPT`, `DEFER_DLV` or `EDIT_DETAILS`.
    pub act: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_data: Option<DelhiveryNdrData>,
}

/// `DEFER_DLV` takes `deferred_date` (`YYYY-MM-DD`); `EDIT_DETAILS` any of `name`,
/// `phone`, `add`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DelhiveryNdrData {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deferred_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub add: Option<String>,
}

/// One waybill's line in an upload's status (`get_bulk_upl`): whether its instruction
/// was applied, and why not.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DelhiveryNdrResult {
    pub waybill: Text,
    pub status: Loose,
    pub remark: Option<String>,
    pub error: Option<String>,
}

// Pincode serviceability: GET /c/api/pin-codes/json/?filter_codes=PIN[,PIN]

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DelhiveryPincodeResponse {
    pub delivery_codes: Vec<DelhiveryDeliveryCode>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DelhiveryDeliveryCode {
    pub postal_code: DelhiveryPostalCode,
}

/// One serviceable pincode; flags are `"Y"`/`"N"`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DelhiveryPostalCode {
    pub pin: Text,
    pub pre_paid: Flag,
    pub cod: Flag,
    pub pickup: Flag,
    pub sort_code: Text,
    pub district: Text,
}

impl DelhiveryPincodeResponse {
    /// The entry for a pincode; none means Delhivery does not serve it at all (it lists
    /// only serviceable pincodes, so an unknown one simply is not in the answer).
    pub fn find(&self, pin: &str) -> Option<&DelhiveryPostalCode> {
        self.delivery_codes
            .iter()
            .map(|c| &c.postal_code)
            .find(|p| p.pin.get() == Some(pin.trim()))
    }
}

// Charges: GET /api/kinko/v1/invoice/charges/.json (the query is built in requests.rs)

/// One priced option (the charges API answers a list of them, or `{"error": "NSZ"}`,
/// non serviceable zone, in HTTP 200: staging 2017 capture): `total_amount` (gross plus
/// taxes), `gross_amount`, one `charge_<X>` field per component, and `tax_data` with the
/// GST split. Amounts stay JSON values so their decimal text is read exactly. Taken apart
/// from the parsed object, not deserialized: the open set of `charge_*` fields would make
/// serde buffer the whole object a second time.
#[derive(Debug, Clone, Default)]
pub struct DelhiveryCharges {
    pub total_amount: Value,
    pub tax_data: Option<Map<String, Value>>,
    /// Every other field; the `charge_*` ones are the breakdown.
    pub other: Map<String, Value>,
}

impl DelhiveryCharges {
    /// Refused when `tax_data` is neither an object nor null.
    pub fn from_object(mut other: Map<String, Value>) -> Result<DelhiveryCharges, String> {
        let total_amount = other.remove("total_amount").unwrap_or_default();
        let tax_data = match other.remove("tax_data") {
            None | Some(Value::Null) => None,
            Some(Value::Object(taxes)) => Some(taxes),
            Some(other) => return Err(format!("tax_data is not an object: {other}")),
        };
        Ok(DelhiveryCharges {
            total_amount,
            tax_data,
            other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ist_formatting_matches_delhivery() {
        let t = Utc.with_ymd_and_hms(2024, 9, 21, 9, 6, 53).unwrap();
        assert_eq!(format_ist(t), "2024-09-21T14:36:53");
        let t = t + chrono::Duration::milliseconds(570);
        assert_eq!(format_ist(t), "2024-09-21T14:36:53.57");
        assert_eq!(IST.parse(&format_ist(t)), Some(t));
    }

    #[test]
    fn services_read_from_their_table() {
        assert_eq!(Service::from_code(None), Ok(Service::Surface));
        assert_eq!(Service::from_code(Some(" EXPRESS ")), Ok(Service::Express));
        assert!(Service::from_code(Some("air")).is_err());
        assert_eq!(
            (
                Service::Express.shipping_mode(),
                Service::Express.billing_mode()
            ),
            ("Express", "E")
        );
        assert_eq!(Service::Surface.name(), "Delhivery Surface");
    }
}
