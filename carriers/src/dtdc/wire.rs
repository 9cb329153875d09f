//! DTDC's request and answer shapes, as serde types. Requests are exact; answers are read
//! leniently (every field optional, numbers or text alike), because DTDC's answers vary
//! between its systems and deployments.
//!
//! Three DTDC systems answer an account: the Shipsy-run customer integration API
//! (`softdata`, `shippinglabel/stream`, `cancel`), the tracking API
//! (`authenticate`, `JSONCnTrk/getTrackDetails`) and the rate calculator's public
//! pincode lookup (`PincodeApiCall`). Field names are theirs, typos included
//! (`sTrRemarks`).

use serde::{Deserialize, Serialize};

use crate::kit::lenient::{Loose, Text};

// ---------------------------------------------------------------------------------------
// Shipsy: consignment upload (`softdata`)
// ---------------------------------------------------------------------------------------

/// `POST /api/customer/integration/consignment/softdata`: up to 20 consignments a call;
/// shipgate sends one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoftdataRequest {
    pub consignments: Vec<Consignment>,
}

/// A party of a consignment (origin, destination, return).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    pub phone: String,
    #[serde(default)]
    pub alternate_phone: String,
    pub address_line_1: String,
    #[serde(default)]
    pub address_line_2: String,
    pub pincode: String,
    pub city: String,
    pub state: String,
}

/// One piece of a consignment (shipgate books one piece per consignment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub description: String,
    pub declared_value: String,
    pub weight: String,
    pub height: String,
    pub length: String,
    pub width: String,
}

/// One consignment. Weights in kilograms and sides in centimetres, as text; amounts in
/// rupees as text. `reference_number` left blank asks DTDC to allocate the AWB;
/// `customer_reference_number` is shipgate's shipment id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consignment {
    pub customer_code: String,
    pub service_type_id: String,
    pub load_type: String,
    pub description: String,
    pub dimension_unit: String,
    pub length: String,
    pub width: String,
    pub height: String,
    pub weight_unit: String,
    pub weight: String,
    pub declared_value: String,
    pub num_pieces: String,
    pub customer_reference_number: String,
    /// `cash` for a COD consignment, blank for prepaid.
    pub cod_collection_mode: String,
    pub cod_amount: String,
    pub commodity_id: String,
    pub reference_number: String,
    /// `REVERSE` for a reverse pickup; absent for a forward consignment.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub consignment_type: Option<String>,
    pub is_risk_surcharge_applicable: bool,
    pub invoice_number: String,
    /// `25 Jul 2018`, as DTDC's document writes it.
    pub invoice_date: String,
    pub origin_details: Party,
    pub destination_details: Party,
    /// Where an undelivered parcel goes back to (the document's v2.0 addition).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub return_details: Option<Party>,
    pub pieces_detail: Vec<Piece>,
}

/// The softdata answer: one entry per consignment sent, each a success with the AWB
/// (`reference_number`) or a refusal in `message` / `reason`, inside HTTP 200.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SoftdataAnswer {
    pub status: Text,
    pub data: Vec<SoftdataResult>,
    pub error: Option<ShipsyError>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SoftdataResult {
    pub success: Loose,
    pub reference_number: Text,
    pub customer_reference_number: Text,
    pub message: Text,
    pub reason: Text,
}

/// Shipsy's error object (`{"error": {...}}`) for a refused key (401) or a request it
/// cannot read (400).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShipsyError {
    pub message: Text,
    pub reason: Text,
    pub code: Text,
    #[serde(rename = "statusCode")]
    pub status_code: Loose,
}

/// A body that is only Shipsy's error object.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ShipsyErrorBody {
    pub error: Option<ShipsyError>,
}

// ---------------------------------------------------------------------------------------
// Shipsy: cancellation
// ---------------------------------------------------------------------------------------

/// `POST /api/customer/integration/consignment/cancel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelRequest {
    #[serde(rename = "AWBNo")]
    pub awbs: Vec<String>,
    #[serde(rename = "customerCode")]
    pub customer_code: String,
}

/// `{"status": "OK", "success": true}`, or `success: false` with the consignments not
/// cancelled in `failures`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CancelAnswer {
    pub status: Text,
    pub success: Loose,
    pub failures: Vec<CancelFailure>,
    pub error: Option<ShipsyError>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CancelFailure {
    pub reference_number: Text,
    pub message: Text,
    pub reason: Text,
}

// ---------------------------------------------------------------------------------------
// Tracking API
// ---------------------------------------------------------------------------------------

/// `POST /dtdc-api/rest/JSONCnTrk/getTrackDetails`: by AWB (`trkType: cnno`) or by the
/// customer's reference (`trkType: reference`), every scan with `addtnlDtl: Y`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackRequest {
    #[serde(rename = "trkType")]
    pub trk_type: String,
    pub strcnno: String,
    #[serde(rename = "addtnlDtl")]
    pub addtnl_dtl: String,
}

/// The tracking answer: `statusFlag` true with the header and scans, or `statusCode` 206
/// / `status: FAILED` with `errorDetails`, inside HTTP 200.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TrackAnswer {
    #[serde(rename = "statusCode")]
    pub status_code: Loose,
    #[serde(rename = "statusFlag")]
    pub status_flag: Loose,
    pub status: Text,
    #[serde(rename = "errorDetails")]
    pub error_details: Option<Vec<NameValue>>,
    #[serde(rename = "trackHeader")]
    pub header: Option<TrackHeader>,
    #[serde(rename = "trackDetails")]
    pub details: Option<Vec<TrackScan>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NameValue {
    pub name: Text,
    pub value: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TrackHeader {
    #[serde(rename = "strShipmentNo")]
    pub shipment_no: Text,
    #[serde(rename = "strRefNo")]
    pub ref_no: Text,
    #[serde(rename = "strCNProduct")]
    pub product: Text,
    #[serde(rename = "strStatus")]
    pub status: Text,
    #[serde(rename = "strNoOfAttempts")]
    pub attempts: Loose,
    #[serde(rename = "strRtoNumber")]
    pub rto_number: Text,
}

/// One scan: `strCode` is the code, `strAction` its words; `DDMMYYYY` and `HHMM`, IST.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TrackScan {
    #[serde(rename = "strCode")]
    pub code: Text,
    #[serde(rename = "strAction")]
    pub action: Text,
    #[serde(rename = "strManifestNo")]
    pub manifest_no: Text,
    #[serde(rename = "strOrigin")]
    pub origin: Text,
    #[serde(rename = "strDestination")]
    pub destination: Text,
    #[serde(rename = "strActionDate")]
    pub date: Text,
    #[serde(rename = "strActionTime")]
    pub time: Text,
    /// `sTrRemarks`, DTDC's spelling; a failed attempt's reason as `CODE|WORDS`.
    #[serde(rename = "sTrRemarks", alias = "strRemarks")]
    pub remarks: Text,
}

// ---------------------------------------------------------------------------------------
// Pushes
// ---------------------------------------------------------------------------------------

/// DTDC's tracking push: the consignment, and its status (one object, or a list). The
/// push names the code `strAction` and its words `strActionDesc`, where the pull API
/// says `strCode` and `strAction`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Push {
    pub shipment: PushShipment,
    #[serde(rename = "shipmentStatus")]
    pub status: OneOrMany<PushStatus>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PushShipment {
    #[serde(rename = "strShipmentNo")]
    pub shipment_no: Text,
    #[serde(rename = "strRefNo")]
    pub ref_no: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PushStatus {
    #[serde(rename = "strAction")]
    pub code: Text,
    #[serde(rename = "strActionDesc")]
    pub words: Text,
    #[serde(rename = "strOrigin")]
    pub origin: Text,
    #[serde(rename = "strActionDate")]
    pub date: Text,
    #[serde(rename = "strActionTime")]
    pub time: Text,
    #[serde(rename = "strRemarks", alias = "sTrRemarks")]
    pub remarks: Text,
}

/// One value or a list of them.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    // A list first: a derived struct would also read a list, field by field.
    Many(Vec<T>),
    One(T),
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    pub fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Pincode lookup
// ---------------------------------------------------------------------------------------

/// `POST /ratecalapi/PincodeApiCall`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PincodeRequest {
    #[serde(rename = "orgPincode")]
    pub org_pincode: String,
    #[serde(rename = "desPincode")]
    pub des_pincode: String,
}

/// `ZIPCODE_RESP[0].MESSAGE` is `SUCCESS` or why not; `SERV_LIST` flags B2C delivery and
/// B2C COD `YES`/`NO`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PincodeAnswer {
    #[serde(rename = "ZIPCODE_RESP")]
    pub zipcode: Vec<ZipcodeResp>,
    #[serde(rename = "SERV_LIST")]
    pub services: Vec<ServiceFlags>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ZipcodeResp {
    #[serde(rename = "MESSAGE")]
    pub message: Text,
    #[serde(rename = "ORGPIN")]
    pub org_pin: Loose,
    #[serde(rename = "DESTPIN")]
    pub dest_pin: Loose,
    #[serde(rename = "SERVFLAG")]
    pub serv_flag: Text,
    #[serde(rename = "DESTCITY")]
    pub dest_city: Text,
    #[serde(rename = "DESTSTATE")]
    pub dest_state: Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ServiceFlags {
    #[serde(rename = "NAME")]
    pub name: Text,
    #[serde(rename = "b2C_SERVICEABLE")]
    pub b2c_serviceable: Text,
    #[serde(rename = "b2C_COD_Serviceable")]
    pub b2c_cod_serviceable: Text,
}
