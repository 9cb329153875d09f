//! Blue Dart's wire types: the API gateway's JSON bodies (login, location finder, waybill
//! generation and cancellation, pickup registration), the XML tracking answer and the
//! JSON status pushes. Only the fields the adapter sends or reads; every field read is
//! lenient (`Text`, `Loose`), since Blue Dart's .NET services send numbers as strings,
//! booleans as `"Yes"`/`"No"` and omit what is empty.

use serde::{Deserialize, Serialize};

use crate::kit::lenient::{Loose, Text};

// --- Requests -------------------------------------------------------------------------

/// The account's profile, sent with every call: Blue Dart identifies the customer by it,
/// while the JWT only admits the caller to the API gateway. `Api_type` is always `S`
/// (shipping API).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Profile {
    #[serde(rename = "LoginID")]
    pub login_id: String,
    #[serde(rename = "LicenceKey")]
    pub licence_key: String,
    #[serde(rename = "Api_type")]
    pub api_type: &'static str,
}

/// `POST /finder/v1/GetServicesforPincode`. Blue Dart spells these two keys in camel
/// case, unlike every other body.
#[derive(Debug, Clone, Serialize)]
pub struct PincodeRequest {
    #[serde(rename = "pinCode")]
    pub pin_code: String,
    pub profile: Profile,
}

/// `POST /waybill/v1/GenerateWayBill`.
#[derive(Debug, Clone, Serialize)]
pub struct WaybillRequest {
    #[serde(rename = "Request")]
    pub request: Waybill,
    #[serde(rename = "Profile")]
    pub profile: Profile,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Waybill {
    pub consignee: Consignee,
    pub shipper: Shipper,
    pub services: Services,
    /// Where an undeliverable parcel goes back to (Blue Dart's spelling).
    #[serde(rename = "Returnadds")]
    pub returnadds: ReturnAddress,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Consignee {
    pub consignee_name: String,
    pub consignee_address1: String,
    pub consignee_address2: String,
    pub consignee_address3: String,
    pub consignee_pincode: String,
    pub consignee_mobile: String,
    pub consignee_telephone: String,
    pub consignee_email_id: String,
    pub consignee_attention: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Shipper {
    pub customer_code: String,
    pub customer_name: String,
    pub customer_address1: String,
    pub customer_address2: String,
    pub customer_address3: String,
    pub customer_pincode: String,
    pub customer_mobile: String,
    pub customer_telephone: String,
    pub customer_email_id: String,
    /// The three-letter Blue Dart area of the pickup location.
    pub origin_area: String,
    pub sender: String,
    pub is_to_pay_customer: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReturnAddress {
    pub return_address1: String,
    pub return_address2: String,
    pub return_address3: String,
    pub return_pincode: String,
    pub return_mobile: String,
    pub return_contact: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Services {
    /// `A` Apex (air), `E` Ground (surface), `D` Domestic Priority.
    pub product_code: String,
    /// `P` prepaid, `C` COD.
    pub sub_product_code: String,
    /// 1: non-documents (Blue Dart's "Dutiables"), the only kind shipgate books.
    pub product_type: u8,
    pub piece_count: u32,
    /// Kilograms, as text (up to three decimals, rounded up).
    pub actual_weight: String,
    /// Rupees.
    pub declared_value: String,
    /// Rupees to collect on delivery; `0` for prepaid.
    pub collectable_amount: String,
    /// The client's reference, unique per account: shipgate's shipment id, which is what
    /// tracking by reference (`awb=ref`) finds a lost booking by.
    pub credit_reference_no: String,
    /// `/Date(<ms since epoch>)/`, the .NET JSON date Blue Dart's gateway takes.
    pub pickup_date: String,
    /// `HHMM`, IST.
    pub pickup_time: String,
    /// False: Blue Dart returns its label as `AWBPrintContent`.
    #[serde(rename = "PDFOutputNotRequired")]
    pub pdf_output_not_required: bool,
    pub is_reverse_pickup: bool,
    /// False: pickups are registered on their own ([`super::pickups`]).
    pub register_pickup: bool,
    pub dimensions: Vec<Dimension>,
    pub commodity: Commodity,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Dimension {
    pub length: f64,
    pub breadth: f64,
    pub height: f64,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Commodity {
    pub commodity_detail1: String,
}

/// `POST /waybill/v1/CancelWaybill`.
#[derive(Debug, Clone, Serialize)]
pub struct CancelRequest {
    #[serde(rename = "Request")]
    pub request: CancelAwb,
    #[serde(rename = "Profile")]
    pub profile: Profile,
}

#[derive(Debug, Clone, Serialize)]
pub struct CancelAwb {
    #[serde(rename = "AWBNo")]
    pub awb_no: String,
}

// --- Answers ----------------------------------------------------------------------------

/// The login answer: `{"JWTToken": "…"}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginAnswer {
    #[serde(rename = "JWTToken")]
    pub jwt_token: Text,
}

/// One line of a `Status` list: Blue Dart's code and words.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct StatusLine {
    #[serde(rename = "StatusCode")]
    pub status_code: Text,
    #[serde(rename = "StatusInformation")]
    pub status_information: Text,
}

/// The gateway's refusal of a request it could not take (HTTP 4xx):
/// `{"error-response": [{"IsError": true, "Status": [...]}]}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ErrorAnswer {
    #[serde(rename = "error-response")]
    pub error_response: Vec<ErrorEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ErrorEntry {
    #[serde(rename = "Status")]
    pub status: Vec<StatusLine>,
}

/// `{"GetServicesforPincodeResult": {...}}`: one flag per product, direction and payment
/// (`Yes`/`No`), plus the area codes and extended-delivery (ODA) data.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PincodeAnswer {
    #[serde(rename = "GetServicesforPincodeResult")]
    pub result: Option<PincodeResult>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PincodeResult {
    #[serde(rename = "IsError")]
    pub is_error: Loose,
    #[serde(rename = "ErrorMessage")]
    pub error_message: Text,
    #[serde(rename = "AreaCode")]
    pub area_code: Text,
    #[serde(rename = "ServiceCenterCode")]
    pub service_center_code: Text,
    #[serde(rename = "PinDescription")]
    pub pin_description: Text,
    /// Deliveries (inbound) and pickups (outbound) for e-commerce parcels by air and by
    /// ground, prepaid and COD.
    #[serde(rename = "eTailPrePaidAirInbound")]
    pub prepaid_air_inbound: Text,
    #[serde(rename = "eTailPrePaidAirOutbound")]
    pub prepaid_air_outbound: Text,
    #[serde(rename = "eTailCODAirInbound")]
    pub cod_air_inbound: Text,
    #[serde(rename = "eTailCODAirOutbound")]
    pub cod_air_outbound: Text,
    #[serde(rename = "eTailPrePaidGroundInbound")]
    pub prepaid_ground_inbound: Text,
    #[serde(rename = "eTailPrePaidGroundOutbound")]
    pub prepaid_ground_outbound: Text,
    #[serde(rename = "eTailCODGroundInbound")]
    pub cod_ground_inbound: Text,
    #[serde(rename = "eTailCODGroundOutbound")]
    pub cod_ground_outbound: Text,
    /// Extended delivery location: kilometres beyond the service centre's area (`0` for a
    /// regular pincode) and the days it adds.
    #[serde(rename = "ApexEDLDist")]
    pub edl_distance: Loose,
    #[serde(rename = "ApexEDLAddDays")]
    pub edl_add_days: Loose,
}

/// `{"GenerateWayBillResult": {...}}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WaybillAnswer {
    #[serde(rename = "GenerateWayBillResult")]
    pub result: Option<WaybillResult>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WaybillResult {
    #[serde(rename = "AWBNo")]
    pub awb_no: Text,
    /// The label PDF: base64 text, or the bytes as a JSON array of numbers (how .NET's
    /// JSON serializer writes a `byte[]`); both are read.
    #[serde(rename = "AWBPrintContent")]
    pub awb_print_content: Option<serde_json::Value>,
    #[serde(rename = "CCRCRDREF")]
    pub credit_reference: Text,
    #[serde(rename = "DestinationArea")]
    pub destination_area: Text,
    #[serde(rename = "DestinationLocation")]
    pub destination_location: Text,
    #[serde(rename = "IsError")]
    pub is_error: Loose,
    #[serde(rename = "Status")]
    pub status: Vec<StatusLine>,
    #[serde(rename = "TokenNumber")]
    pub token_number: Text,
}

/// `{"CancelWaybillResult": {...}}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CancelAnswer {
    #[serde(rename = "CancelWaybillResult")]
    pub result: Option<CancelResult>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CancelResult {
    #[serde(rename = "AWBNo")]
    pub awb_no: Text,
    #[serde(rename = "IsError")]
    pub is_error: Loose,
    #[serde(rename = "Status")]
    pub status: Vec<StatusLine>,
}

/// The XML tracking answer, `<ShipmentData><Shipment WaybillNo=".." RefNo="..">…`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrackAnswer {
    #[serde(rename = "Shipment")]
    pub shipments: Vec<TrackedShipment>,
    /// A refused query (a wrong licence key), in HTTP 200.
    #[serde(rename = "Error")]
    pub error: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrackedShipment {
    #[serde(rename = "@WaybillNo")]
    pub waybill_no: Option<String>,
    #[serde(rename = "@RefNo")]
    pub ref_no: Option<String>,
    #[serde(rename = "Prodcode")]
    pub prodcode: Option<String>,
    #[serde(rename = "PickUpDate")]
    pub pickup_date: Option<String>,
    #[serde(rename = "PickUpTime")]
    pub pickup_time: Option<String>,
    #[serde(rename = "Status")]
    pub status: Option<String>,
    #[serde(rename = "StatusType")]
    pub status_type: Option<String>,
    #[serde(rename = "ShipmentMode")]
    pub shipment_mode: Option<String>,
    #[serde(rename = "DestinationAreaCode")]
    pub destination_area: Option<String>,
    #[serde(rename = "Scans")]
    pub scans: Option<TrackScans>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrackScans {
    #[serde(rename = "ScanDetail")]
    pub details: Vec<XmlScan>,
}

/// One scan of the XML tracking answer: the push's names, as XML elements.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct XmlScan {
    #[serde(rename = "Scan")]
    pub scan: Option<String>,
    #[serde(rename = "ScanCode")]
    pub scan_code: Option<String>,
    #[serde(rename = "ScanType")]
    pub scan_type: Option<String>,
    #[serde(rename = "ScanGroupType")]
    pub scan_group_type: Option<String>,
    #[serde(rename = "ScanDate")]
    pub scan_date: Option<String>,
    #[serde(rename = "ScanTime")]
    pub scan_time: Option<String>,
    #[serde(rename = "ScannedLocation")]
    pub scanned_location: Option<String>,
}

/// One scan of a push: inline in Lite, in `Scans.ScanDetail[]` in Plus and Advance.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ScanDetail {
    #[serde(rename = "Scan")]
    pub scan: Text,
    #[serde(rename = "ScanCode")]
    pub scan_code: Text,
    #[serde(rename = "ScanType")]
    pub scan_type: Text,
    #[serde(rename = "ScanGroupType")]
    pub scan_group_type: Text,
    #[serde(rename = "ScanDate")]
    pub scan_date: Text,
    #[serde(rename = "ScanTime")]
    pub scan_time: Text,
    #[serde(rename = "ScannedLocation")]
    pub scanned_location: Text,
    #[serde(rename = "ScannedLocationCode")]
    pub scanned_location_code: Text,
    #[serde(rename = "Comments")]
    pub comments: Text,
}

/// A status push: `{"statustracking": [{"Shipment": {...}}, …]}`, in any of Blue Dart's
/// three products (Lite: one scan inline per entry; Plus and Advance: the shipment with
/// `Scans.ScanDetail[]`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PushBody {
    pub statustracking: Option<Vec<PushEntry>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PushEntry {
    #[serde(rename = "Shipment")]
    pub shipment: Option<PushShipment>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PushShipment {
    #[serde(rename = "WaybillNo")]
    pub waybill_no: Text,
    #[serde(rename = "RefNo")]
    pub ref_no: Text,
    /// `F` forward, `R` reverse (a reverse pickup).
    #[serde(rename = "ShipmentMode")]
    pub shipment_mode: Text,
    #[serde(rename = "PickUpDate")]
    pub pickup_date: Text,
    #[serde(rename = "PickUpTime")]
    pub pickup_time: Text,
    /// Lite: the one scan, inline.
    #[serde(flatten)]
    pub inline: ScanDetail,
    /// Plus and Advance.
    #[serde(rename = "Scans")]
    pub scans: Option<PushScans>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PushScans {
    #[serde(rename = "ScanDetail")]
    pub details: Vec<ScanDetail>,
    /// Advance: the doorstep quality check of a reverse pickup.
    #[serde(rename = "QCFailed")]
    pub qc_failed: Option<QcBlock>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QcBlock {
    /// `P` passed, `F` failed.
    #[serde(rename = "Type")]
    pub kind: Text,
    /// Comma-separated QC Master reason codes (101–105).
    #[serde(rename = "Reason")]
    pub reason: Text,
}
