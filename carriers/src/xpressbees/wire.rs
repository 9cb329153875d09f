//! XpressBees' B2C API in serde types: what the adapter sends and the fields it reads.
//!
//! XpressBees' JSON wobbles the usual way (numbers as strings, `ReturnCode` as a number
//! or a string, nulls everywhere), so answers use the kit's lenient field types in
//! `#[serde(default)]` structs. The forward manifest is written out field for field, nulls
//! included, because XpressBees' document ("Push Pre-Ship Manifest API v1.1") lists the
//! whole object and the replay test holds the request to that shape.

use serde::{Deserialize, Serialize};

use crate::kit::lenient::{Loose, Text};

/// `ReturnCode` of an answer XpressBees carried out.
pub const RETURN_OK: i64 = 100;

// ---------------------------------------------------------------------------------------
// Login
// ---------------------------------------------------------------------------------------

/// `POST /api/auth/generateToken` (userauthapis.xbees.in).
#[derive(Debug, Clone, Serialize)]
pub struct LoginRequest<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub secretkey: &'a str,
}

/// `{"token": "…", "code": 200}`, or a refusal inside HTTP 200 (`code` other than 200,
/// `message` saying why).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LoginAnswer {
    pub token: Text,
    pub code: Loose,
    pub message: Text,
}

// ---------------------------------------------------------------------------------------
// AWB series
// ---------------------------------------------------------------------------------------

/// `POST /POSTShipmentService.svc/AWBNumberSeriesGeneration`: a batch of numbers for one
/// direction (`FORWARD`, `REVERSE`) and payment mode (`COD`, `PREPAID`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AwbBatchRequest {
    pub business_unit: String,
    pub service_type: String,
    pub delivery_type: String,
}

/// `POST /TrackingService.svc/GetAWBNumberGeneratedSeries`: the numbers of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwbSeriesRequest {
    #[serde(rename = "BusinessUnit")]
    pub business_unit: String,
    #[serde(rename = "ServiceType")]
    pub service_type: String,
    #[serde(rename = "BatchID")]
    pub batch_id: String,
}

/// The answer to either AWB call: `ReturnCode` 100 with the batch id, or with the series.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AwbAnswer {
    #[serde(rename = "ReturnCode")]
    pub return_code: Loose,
    #[serde(rename = "ReturnMessage")]
    pub return_message: Text,
    #[serde(rename = "BatchID")]
    pub batch_id: Text,
    #[serde(rename = "AWBNoSeries")]
    pub series: Vec<Loose>,
}

// ---------------------------------------------------------------------------------------
// Forward and reverse manifests
// ---------------------------------------------------------------------------------------

/// `POST /shipmentmanifestation/forward`: one shipment under a pre-fetched AWB.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForwardManifest {
    #[serde(rename = "AirWayBillNO")]
    pub awb: String,
    #[serde(rename = "BusinessAccountName")]
    pub business_account_name: String,
    #[serde(rename = "OrderNo")]
    pub order_no: String,
    #[serde(rename = "SubOrderNo")]
    pub sub_order_no: String,
    /// `PrePaid` or `COD`.
    #[serde(rename = "OrderType")]
    pub order_type: String,
    #[serde(rename = "CollectibleAmount")]
    pub collectible_amount: String,
    #[serde(rename = "DeclaredValue")]
    pub declared_value: String,
    /// `Vendor`: picked up from a registered pickup vendor (`PickupVendorCode`).
    #[serde(rename = "PickupType")]
    pub pickup_type: String,
    #[serde(rename = "Quantity")]
    pub quantity: String,
    #[serde(rename = "ServiceType")]
    pub service_type: String,
    #[serde(rename = "DropDetails")]
    pub drop: DropDetails,
    #[serde(rename = "PickupDetails")]
    pub pickup: PickupDetails,
    #[serde(rename = "RTODetails")]
    pub rto: RtoDetails,
    #[serde(rename = "Instruction")]
    pub instruction: String,
    #[serde(rename = "CustomerPromiseDate")]
    pub customer_promise_date: Option<String>,
    #[serde(rename = "IsCommercialProperty")]
    pub is_commercial_property: Option<String>,
    #[serde(rename = "IsDGShipmentType")]
    pub is_dg_shipment_type: Option<String>,
    #[serde(rename = "IsOpenDelivery")]
    pub is_open_delivery: Option<String>,
    #[serde(rename = "IsSameDayDelivery")]
    pub is_same_day_delivery: Option<String>,
    #[serde(rename = "ManifestID")]
    pub manifest_id: String,
    #[serde(rename = "MultiShipmentGroupID")]
    pub multi_shipment_group_id: Option<String>,
    #[serde(rename = "SenderName")]
    pub sender_name: Option<String>,
    #[serde(rename = "IsEssential")]
    pub is_essential: String,
    #[serde(rename = "IsSecondaryPacking")]
    pub is_secondary_packing: String,
    #[serde(rename = "PackageDetails")]
    pub package: PackageDetails,
    #[serde(rename = "GSTMultiSellerInfo")]
    pub gst: Vec<GstSellerInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManifestAddress {
    pub address: Option<String>,
    pub city: Option<String>,
    #[serde(rename = "EmailID")]
    pub email_id: String,
    pub name: Option<String>,
    pub pin_code: String,
    pub state: Option<String>,
    /// `Primary`.
    #[serde(rename = "Type")]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DropContact {
    pub phone_no: String,
    #[serde(rename = "Type")]
    pub kind: String,
    pub virtual_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Contact {
    pub phone_no: Option<String>,
    #[serde(rename = "Type")]
    pub kind: String,
}

/// The geofencing and security-code options of the drop and pickup details; shipgate
/// uses none of them (all null, as in XpressBees' own sample).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GeoOptions {
    pub is_gen_security_code: Option<String>,
    pub security_code: Option<String>,
    pub is_geo_fencing_enabled: Option<String>,
    pub latitude: Option<String>,
    pub longitude: Option<String>,
    pub max_threshold_radius: Option<String>,
    pub mid_point: Option<String>,
    pub min_threshold_radius: Option<String>,
    /// Spelt so by XpressBees.
    pub redius_location: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DropDetails {
    #[serde(rename = "Addresses")]
    pub addresses: Vec<ManifestAddress>,
    #[serde(rename = "ContactDetails")]
    pub contacts: Vec<DropContact>,
    #[serde(flatten)]
    pub geo: GeoOptions,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickupDetails {
    #[serde(rename = "Addresses")]
    pub addresses: Vec<ManifestAddress>,
    #[serde(rename = "ContactDetails")]
    pub contacts: Vec<Contact>,
    /// The pickup location registered with XpressBees (its vendor code).
    #[serde(rename = "PickupVendorCode")]
    pub vendor_code: String,
    #[serde(flatten)]
    pub geo: GeoOptions,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RtoDetails {
    #[serde(rename = "Addresses")]
    pub addresses: Vec<ManifestAddress>,
    #[serde(rename = "ContactDetails")]
    pub contacts: Vec<Contact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PackageDetails {
    pub dimensions: Dimensions,
    pub weight: Weight,
}

/// Centimetres, as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Dimensions {
    pub height: String,
    pub length: String,
    pub width: String,
}

/// Kilograms, as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Weight {
    pub billable_weight: String,
    pub phy_weight: String,
    pub vol_weight: String,
}

/// One seller's GST invoice: where the e-way bill number goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GstSellerInfo {
    #[serde(rename = "BuyerGSTRegNumber")]
    pub buyer_gstin: Option<String>,
    #[serde(rename = "EBNExpiryDate")]
    pub ebn_expiry_date: Option<String>,
    #[serde(rename = "EWayBillSrNumber")]
    pub eway_bill_number: Option<String>,
    /// `dd-mm-yyyy`.
    #[serde(rename = "InvoiceDate")]
    pub invoice_date: String,
    #[serde(rename = "InvoiceNumber")]
    pub invoice_number: String,
    #[serde(rename = "InvoiceValue")]
    pub invoice_value: Option<String>,
    /// `Yes` or `No`.
    #[serde(rename = "IsSellerRegUnderGST")]
    pub seller_registered: String,
    #[serde(rename = "ProductUniqueID")]
    pub product_unique_id: Option<String>,
    #[serde(rename = "SellerAddress")]
    pub seller_address: String,
    #[serde(rename = "SellerGSTRegNumber")]
    pub seller_gstin: Option<String>,
    #[serde(rename = "SellerName")]
    pub seller_name: String,
    #[serde(rename = "SellerPincode")]
    pub seller_pincode: String,
    #[serde(rename = "SupplySellerStatePlace")]
    pub supply_state: String,
    #[serde(rename = "HSNDetails")]
    pub hsn: Vec<HsnDetail>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HsnDetail {
    #[serde(rename = "ProductCategory")]
    pub product_category: String,
    #[serde(rename = "ProductDesc")]
    pub product_desc: String,
    #[serde(rename = "CGSTAmount")]
    pub cgst_amount: Option<String>,
    #[serde(rename = "Discount")]
    pub discount: Option<String>,
    #[serde(rename = "GSTTAXRateIGSTN")]
    pub igst_rate: Option<String>,
    #[serde(rename = "GSTTaxRateCGSTN")]
    pub cgst_rate: Option<String>,
    #[serde(rename = "GSTTaxRateSGSTN")]
    pub sgst_rate: Option<String>,
    #[serde(rename = "GSTTaxTotal")]
    pub tax_total: Option<String>,
    #[serde(rename = "HSNCode")]
    pub hsn_code: Option<String>,
    #[serde(rename = "IGSTAmount")]
    pub igst_amount: Option<String>,
    #[serde(rename = "ProductQuantity")]
    pub quantity: Option<String>,
    #[serde(rename = "SGSTAmount")]
    pub sgst_amount: Option<String>,
    /// A number in XpressBees' sample, rupees.
    #[serde(rename = "TaxableValue")]
    pub taxable_value: f64,
}

/// `POST /shipmentmanifestation/reverse`: a pickup from the buyer, back to the seller.
/// XpressBees' reverse manifest takes the same parties under other names (`PickupDetails`
/// is the buyer, `DropDetails` the seller's return address).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReverseManifest {
    #[serde(rename = "AirWayBillNO")]
    pub awb: String,
    #[serde(rename = "BusinessAccountName")]
    pub business_account_name: String,
    #[serde(rename = "OrderNo")]
    pub order_no: String,
    /// The forward AWB this return undoes, where shipgate knows it.
    #[serde(rename = "ForwardAirWayBillNO")]
    pub forward_awb: Option<String>,
    #[serde(rename = "ReturnReason")]
    pub return_reason: String,
    #[serde(rename = "DeclaredValue")]
    pub declared_value: String,
    #[serde(rename = "Quantity")]
    pub quantity: String,
    #[serde(rename = "ServiceType")]
    pub service_type: String,
    #[serde(rename = "PickupDetails")]
    pub pickup: RtoDetails,
    #[serde(rename = "DropDetails")]
    pub drop: RtoDetails,
    #[serde(rename = "PackageDetails")]
    pub package: PackageDetails,
}

/// The manifest answer: `{"AWBNo", "ReturnCode": 100, "ReturnMessage": "successful",
/// "TokenNumber"}`, or a refusal inside HTTP 200 (`ReturnCode` other than 100).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ManifestAnswer {
    #[serde(rename = "AWBNo")]
    pub awb: Text,
    #[serde(rename = "ReturnCode")]
    pub return_code: Loose,
    #[serde(rename = "ReturnMessage")]
    pub return_message: Text,
    #[serde(rename = "TokenNumber")]
    pub token_number: Text,
}

// ---------------------------------------------------------------------------------------
// Pincodes, tracking, cancel, NDR
// ---------------------------------------------------------------------------------------

/// `POST /expose/get/serviceabilitypincode/details` (xbmasterapi.xbees.in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PincodeRequest {
    /// `eComm`.
    pub business_unit: String,
    /// `Forward` or `Reverse`.
    pub business_flow: String,
    /// `PickUp` or `Delivery`.
    pub business_service: String,
    pub pincode: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PincodeAnswer {
    #[serde(rename = "ReturnCode")]
    pub return_code: Loose,
    #[serde(rename = "ReturnMessage")]
    pub return_message: Text,
    #[serde(rename = "ServicablePincodeDetails")]
    pub pincodes: Vec<PincodeDetail>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PincodeDetail {
    pub pincode: Loose,
    #[serde(rename = "HubName")]
    pub hub_name: Text,
    pub cityname: Text,
    pub statename: Text,
}

/// `POST /GetShipmentAuditLog` (apishipmenttracking.xbees.in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackRequest {
    #[serde(rename = "AWBNumber")]
    pub awb: String,
}

/// Every scan of one AWB, newest first; `ReturnCode` other than 100 inside HTTP 200 for
/// an AWB XpressBees does not know ("Details not found").
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TrackAnswer {
    #[serde(rename = "ReturnCode")]
    pub return_code: Loose,
    #[serde(rename = "ReturnMessage")]
    pub return_message: Text,
    #[serde(rename = "AWBNumber")]
    pub awb: Text,
    #[serde(rename = "ShipmentLogDetails")]
    pub scans: Vec<Scan>,
}

/// One scan, in the audit log and in a push. Times are IST wall times without a zone,
/// `dd-mm-yyyy HH:MM:SS`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Scan {
    #[serde(rename = "ShipmentStatus")]
    pub status: Text,
    #[serde(rename = "ShipmentStatusDateTime")]
    pub time: Text,
    #[serde(rename = "Description")]
    pub description: Text,
    #[serde(rename = "HubLocation")]
    pub hub: Text,
    #[serde(rename = "City")]
    pub city: Text,
    #[serde(rename = "State")]
    pub state: Text,
    #[serde(rename = "Process")]
    pub process: Text,
}

/// A status push: the scan's fields with the AWB and the order number it was booked
/// under (shipgate's shipment id).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Push {
    #[serde(rename = "AWBNumber")]
    pub awb: Text,
    #[serde(rename = "OrderNo")]
    pub order_no: Text,
    #[serde(flatten)]
    pub scan: Scan,
}

/// `POST /forwardcancellation` (clientshipupdatesapi.xbees.in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancelRequest {
    #[serde(rename = "ShippingID")]
    pub awb: String,
    #[serde(rename = "CancellationReason")]
    pub reason: String,
}

/// The answer of the shipment-update calls (cancel, NDR): `ReturnCode` 100 or a refusal
/// inside HTTP 200.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UpdateAnswer {
    #[serde(rename = "ShippingID")]
    pub awb: Text,
    #[serde(rename = "ReturnCode")]
    pub return_code: Loose,
    #[serde(rename = "ReturnMessage")]
    pub return_message: Text,
}

/// `POST /client/UpdateNDRDeferredDeliveryDate`: one call carries a new attempt date, a
/// new phone and a corrected address, whichever are given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NdrRequest {
    #[serde(rename = "ShippingID")]
    pub awb: String,
    /// `dd-mm-yyyy HH:MM:SS`, IST.
    #[serde(rename = "DeferredDeliveryDate")]
    pub deferred_date: String,
    #[serde(rename = "PrimaryCustomerMobileNumber")]
    pub phone: Option<String>,
    #[serde(rename = "PrimaryCustomerAddress")]
    pub address: Option<String>,
    #[serde(rename = "CustomerPincode")]
    pub pincode: Option<String>,
}
