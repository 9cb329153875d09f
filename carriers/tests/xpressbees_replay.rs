//! XpressBees adapter against the shared samples, the project's own fixtures and the
//! simulator.
//!
//! Samples come from `../shared/carrier-samples/xpressbees` (skipped outside CI when
//! absent, a failure in CI): the status code table (every code mapped, to the right
//! status) and XpressBees' pre-ship manifest document sample (the shape every forward
//! manifest the adapter builds must have). Fixtures from `fixtures/xpressbees`.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};

use carriers::families::{
    NdrAction, NdrActionKind, NdrActions, ReturnReason, ReturnRequest, Returns,
};
use carriers::schema::{
    Lane, Phone, RateRequest, RateRequestInput, Serviceability, ShipmentKind, ShipmentRequest,
    ShipmentRequestInput,
};
use carriers::simulator::Simulator;
use carriers::taxonomy::{Status, SubStatus};
use carriers::wire::{HttpRequest, HttpResponse};
use carriers::xpressbees::simulator::{
    SANDBOX_XB_KEY, UNSERVICEABLE_PIN, XpressBeesSimulator, sandbox_settings,
};
use carriers::xpressbees::wire::ForwardManifest;
use carriers::xpressbees::{self, Account, XpressBees};
use carriers::{AccountCheck, Carrier, CarrierError, Operation};
use common::{
    Fault, Scripted, SimTransport, block_on, body_json, cod, parse_csv, prepaid, shipment_ref, subs,
};

const CARRIER: &str = "xpressbees";
const SIM_ROOT: &str = "http://127.0.0.1:8080/sandbox/xpressbees";

fn adapter() -> XpressBees {
    XpressBees::new(&sandbox_settings()).expect("sandbox settings build the adapter")
}

fn mapping() -> &'static carriers::mapping::Mapping {
    xpressbees::mapping().expect("mappings/xpressbees.toml parses")
}

fn fixture(file: &str) -> HttpResponse {
    HttpResponse::new(200, common::fixture(CARRIER, file))
}

fn account() -> Account {
    Account {
        business_account_name: "SHIPGATE SANDBOX".into(),
        pickup_vendor_code: "SBXVENDOR01".into(),
        seller_gstin: Some("07AAACS1234A1Z5".into()),
        xb_key: zeroize::Zeroizing::new(SANDBOX_XB_KEY.into()),
        single_host: false,
    }
}

fn shipment_request(to_pin: &str, payment: Value, value_paise: i64) -> ShipmentRequest {
    let input: ShipmentRequestInput = serde_json::from_value(json!({
        "order_ref": "ORD-XB-1",
        "carrier": "xpressbees",
        "from": {"name": "Acme Traders", "phone": "+91 98765 43210", "line1": "12 MG Road",
                 "city": "New Delhi", "state": "Delhi", "postal_code": "110055"},
        "to": {"name": "Asha Rao", "phone": "09123456789", "line1": "Flat 5, Lake View", "line2": "HSR Layout",
               "city": "Bengaluru", "state": "Karnataka", "postal_code": to_pin},
        "parcels": [{"weight_g": 1200, "length_mm": 200, "width_mm": 100, "height_mm": 101,
                     "declared_value": {"amount": value_paise, "currency": "INR"}, "description": "Mobile phone"}],
        "payment": payment,
    }))
    .unwrap();
    ShipmentRequest::parse(&input).expect("valid shipment request")
}

/// The keys of every object in `value`, by path (array items share their array's path).
fn shape(value: &Value, path: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let here = format!("{path}/{key}");
                out.insert(here.clone());
                shape(inner, &here, out);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|i| shape(i, &format!("{path}[]"), out)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// The shared samples
// ---------------------------------------------------------------------------------------

/// Every code of status-codes.csv maps, to what its description says.
#[test]
fn every_code_of_the_status_table_is_mapped() {
    let Some(csv) = common::sample(CARRIER, "status-codes.csv") else {
        return;
    };
    let rows = parse_csv(&String::from_utf8(csv).unwrap());
    assert_eq!(rows[0][0], "carrier_code");
    let expected = [
        ("DLVD", SubStatus::Delivered),
        ("OFD", SubStatus::OutForDelivery),
        ("RAD", SubStatus::ReachedDestinationHub),
        ("IT", SubStatus::InTransit),
        ("PKD", SubStatus::ArrivedAtFacility),
        ("PUD", SubStatus::PickedUp),
        ("OFP", SubStatus::OutForPickup),
        ("DRC", SubStatus::Manifested),
    ];
    let mut seen = 0;
    for row in rows.iter().skip(1).filter(|r| !r[0].is_empty()) {
        let (code, description) = (&row[0], &row[1]);
        let unified = xpressbees::resolve(mapping(), code, description)
            .unwrap_or_else(|| panic!("{code} ({description}) is not mapped"));
        let want = expected.iter().find(|(c, _)| c == code).map(|(_, s)| *s);
        assert_eq!(Some(unified.sub_status), want, "{code}: {description}");
        seen += 1;
    }
    assert_eq!(seen, expected.len(), "every row of the table read");
}

/// XpressBees' pre-ship manifest sample: read by the adapter's wire type without losing a
/// field, every key of it present in the manifest the adapter builds (and no other), the
/// conventions the sample shows followed, and the simulator reading it as XpressBees does.
#[test]
fn the_preship_manifest_sample_is_the_shape_of_every_forward_manifest() {
    let Some(bytes) = common::sample(CARRIER, "preship_manifest_request_docs_sample.json") else {
        return;
    };
    let sample: Value = serde_json::from_slice(&bytes).unwrap();
    let read: ForwardManifest =
        serde_json::from_value(sample.clone()).expect("the wire type reads the sample");
    assert_eq!(
        serde_json::to_value(&read).unwrap(),
        sample,
        "nothing lost or added"
    );
    assert_eq!(
        read.gst[0].eway_bill_number.as_deref(),
        Some("191118070783")
    );
    assert_eq!(read.pickup.vendor_code, "ORUF1THL3Y0SJ");

    let date = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    let req = shipment_request("560017", prepaid(), 1_870_000);
    let built =
        xpressbees::forward_manifest(&account(), "shp_1", &req, "14000000000001", date).unwrap();
    let built = serde_json::to_value(&built).unwrap();
    let (mut want, mut got) = (BTreeSet::new(), BTreeSet::new());
    shape(&sample, "", &mut want);
    shape(&built, "", &mut got);
    assert_eq!(
        got, want,
        "the built manifest has the sample's keys, no more, no fewer"
    );
    for key in [
        "OrderType",
        "PickupType",
        "Quantity",
        "ServiceType",
        "IsEssential",
        "IsSecondaryPacking",
    ] {
        assert_eq!(built[key], sample[key], "{key}");
    }
    assert_eq!(built["DropDetails"]["Addresses"][0]["Type"], "Primary");
    assert_eq!(built["OrderNo"], "shp_1");
    assert_eq!(built["ManifestID"], "shp_1");
    assert_eq!(built["DeclaredValue"], "18700.00");
    assert_eq!(built["CollectibleAmount"], "0");
    assert_eq!(
        built["DropDetails"]["ContactDetails"][0]["PhoneNo"],
        "9123456789"
    );
    assert_eq!(
        built["PickupDetails"]["ContactDetails"][0]["PhoneNo"],
        "9876543210"
    );
    assert_eq!(built["PickupDetails"]["PickupVendorCode"], "SBXVENDOR01");
    assert_eq!(built["RTODetails"]["Addresses"][0]["PinCode"], "110055");
    // 20 × 10 × 11 cm (10.1 rounded up) is 0.44 kg volumetric; 1.2 kg billed.
    assert_eq!(
        built["PackageDetails"]["Dimensions"],
        json!({"Height": "11", "Length": "20", "Width": "10"})
    );
    assert_eq!(
        built["PackageDetails"]["Weight"],
        json!({"BillableWeight": "1.2", "PhyWeight": "1.2", "VolWeight": "0.44"})
    );
    let gst = &built["GSTMultiSellerInfo"][0];
    assert_eq!(
        gst["InvoiceDate"], "06-12-2026",
        "dd-mm-yyyy as in the sample"
    );
    assert_eq!(gst["InvoiceNumber"], "ORD-XB-1");
    assert_eq!(gst["SellerGSTRegNumber"], "07AAACS1234A1Z5");
    assert_eq!(gst["IsSellerRegUnderGST"], "Yes");
    assert_eq!(gst["HSNDetails"][0]["TaxableValue"], json!(18700.0));

    // The simulator reads the sample as XpressBees would: its AWB is no series it issued.
    let sim = XpressBeesSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let xb = adapter();
    block_on(xb.check_account(&t)).unwrap();
    let token = xpressbees_token(&sim);
    let request = HttpRequest::post("/shipmentmanifestation/forward")
        .header("token", token.as_str())
        .header("XBkey", SANDBOX_XB_KEY)
        .json(&sample)
        .unwrap();
    let answer = sim.handle(&t.sim_request(&request));
    let answer: Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(
        answer,
        json!({"ReturnCode": 101, "ReturnMessage": "Invalid AWB Prefix"})
    );
}

/// A token issued by the simulator's login, for raw calls.
fn xpressbees_token(sim: &XpressBeesSimulator) -> String {
    let body = json!({"username": carriers::xpressbees::simulator::SANDBOX_USERNAME,
        "password": carriers::xpressbees::simulator::SANDBOX_PASSWORD,
        "secretkey": carriers::xpressbees::simulator::SANDBOX_SECRET_KEY});
    let login = carriers::simulator::SimRequest::new(
        "POST",
        "/api/auth/generateToken",
        [],
        body.to_string().into_bytes(),
        "",
    );
    let answer: Value = serde_json::from_slice(&sim.handle(&login).body).unwrap();
    answer["token"].as_str().unwrap().to_string()
}

// ---------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------

#[test]
fn answers_read_into_unified_values() {
    let rejected = |e: CarrierError| match e {
        CarrierError::Rejected {
            code,
            message,
            http_status,
        } => (code, message, http_status),
        other => panic!("not a refusal: {other:?}"),
    };
    // Login, refusals inside HTTP 200.
    let token = xpressbees::parse_login(&fixture("login_ok.json")).unwrap();
    assert!(token.value.starts_with("eyJ") && token.expires_in.is_none());
    let (code, words, status) =
        rejected(xpressbees::parse_login(&fixture("login_refused.json")).unwrap_err());
    assert_eq!(
        (code.as_str(), words.as_str(), status),
        ("unauthorized", "Invalid Credentials", 200)
    );
    // AWB series.
    assert_eq!(
        xpressbees::parse_awb_batch(&fixture("awb_batch.json")).unwrap(),
        "XB90817"
    );
    let series = xpressbees::parse_awb_series(&fixture("awb_series.json")).unwrap();
    assert_eq!(
        series,
        ["13401926000101", "13401926000102", "13401926000103"]
    );
    let (code, words, _) =
        rejected(xpressbees::parse_awb_batch(&fixture("awb_invalid_key.json")).unwrap_err());
    assert_eq!(
        (code.as_str(), words.as_str()),
        ("unauthorized", "Invalid XBkey")
    );
    // Manifests.
    let done = xpressbees::parse_manifest(&fixture("manifest_ok.json"), "14000000000001").unwrap();
    assert_eq!(done.token_number.as_deref(), Some("255_M34_06122026"));
    let other =
        xpressbees::parse_manifest(&fixture("manifest_ok.json"), "14000000000002").unwrap_err();
    assert!(
        matches!(other, CarrierError::BadResponse(_)),
        "another AWB confirmed: {other:?}"
    );
    for (file, want) in [
        ("manifest_awb_exists.json", xpressbees::AWB_EXISTS),
        ("manifest_invalid_prefix.json", xpressbees::INVALID_AWB),
        ("manifest_not_serviceable.json", xpressbees::NOT_SERVICEABLE),
    ] {
        let (code, _, _) =
            rejected(xpressbees::parse_manifest(&fixture(file), "14000000000001").unwrap_err());
        assert_eq!(code, want, "{file}");
    }
    // Pincodes: found by number or text, "No Data Found" is "not served".
    let served = fixture("pincodes_served.json");
    assert_eq!(
        xpressbees::parse_pincodes(&served, "560001")
            .unwrap()
            .unwrap()
            .hub_name
            .get(),
        Some("BLR/KRM")
    );
    assert!(
        xpressbees::parse_pincodes(&served, "110001")
            .unwrap()
            .is_some()
    );
    assert!(
        xpressbees::parse_pincodes(&served, "400001")
            .unwrap()
            .is_none()
    );
    assert!(
        xpressbees::parse_pincodes(&fixture("pincodes_not_found.json"), "999999")
            .unwrap()
            .is_none()
    );
    // Cancel and NDR.
    let cancelled = xpressbees::parse_cancel(&fixture("cancel_ok.json")).unwrap();
    assert_eq!(cancelled.carrier_message, "Shipment Updated Successfully");
    let (code, _, _) =
        rejected(xpressbees::parse_cancel(&fixture("cancel_refused.json")).unwrap_err());
    assert_eq!(code, xpressbees::NOT_ALLOWED);
    let ndr = xpressbees::parse_ndr(&fixture("ndr_ok.json"), "13401926000101").unwrap();
    assert!(ndr.accepted && ndr.carrier_ref.is_none());
    let (code, words, _) =
        rejected(xpressbees::parse_ndr(&fixture("ndr_refused.json"), "1").unwrap_err());
    assert_eq!(
        (code.as_str(), words.as_str()),
        ("xpressbees_101", "Invalid DeferredDeliveryDate")
    );
    // A 5xx may have happened; a 401 is the token.
    let upstream =
        xpressbees::parse_cancel(&HttpResponse::new(502, "<html>Bad Gateway</html>")).unwrap_err();
    assert!(matches!(
        upstream,
        CarrierError::Upstream { status: 502, .. }
    ));
    let (code, words, status) = rejected(
        xpressbees::parse_track(
            mapping(),
            &HttpResponse::new(401, r#"{"code":401,"message":"Token Expired"}"#),
            "1",
        )
        .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), words.as_str(), status),
        ("unauthorized", "Token Expired", 401)
    );
}

#[test]
fn tracking_and_pushes_read_xpressbees_codes_and_reasons() {
    let delivered =
        xpressbees::parse_track(mapping(), &fixture("track_delivered.json"), "x").unwrap();
    assert_eq!(delivered.awb, "13401926000101");
    use SubStatus::*;
    assert_eq!(
        subs(&delivered),
        [
            Manifested,
            PickupScheduled,
            OutForPickup,
            PickupFailed,
            OutForPickup,
            PickedUp,
            ArrivedAtFacility,
            InTransit,
            ReachedDestinationHub,
            OutForDelivery,
            CustomerUnreachable,
            OutForDelivery,
            CodNotReady,
            OutForDelivery,
            Delivered
        ],
        "oldest first, failed attempts by their reason"
    );
    // Zone-less IST: 04-12-2026 10:02:11 is 04:32:11 UTC.
    assert_eq!(
        delivered.events[0].event_time,
        Utc.with_ymd_and_hms(2026, 12, 4, 4, 32, 11).unwrap()
    );
    let failed: Vec<_> = delivered
        .events
        .iter()
        .filter(|e| e.status == Status::DeliveryFailed)
        .collect();
    assert_eq!(failed.len(), 2);
    assert_eq!(failed[0].attempt, Some(1));
    assert_eq!(failed[1].attempt, Some(2));
    assert_eq!(
        failed[1].ndr_reason.as_deref(),
        Some("Customer Refused To Pay COD Amount"),
        "raw reason kept"
    );
    assert_eq!(failed[1].carrier_code, "UD");
    assert!(failed[1].action_required);
    assert_eq!(
        delivered.events[14].location.as_deref(),
        Some("BLR/KRM, BENGALURU, KARNATAKA")
    );
    assert_eq!(
        delivered.events[14].description.as_deref(),
        Some("Shipment Delivered")
    );
    assert!(delivered.events[14].terminal);

    let rto = xpressbees::parse_track(mapping(), &fixture("track_rto.json"), "x").unwrap();
    let tail = &subs(&rto)[10..];
    assert_eq!(
        tail,
        [
            Refused,
            OutForDelivery,
            AddressIssue,
            OutOfDeliveryArea,
            RtoInitiated,
            RtoInitiated,
            RtoInTransit,
            RtoInTransit,
            RtoOutForDelivery,
            RtoDeliveryFailed,
            RtoOutForDelivery,
            RtoDelivered
        ]
    );
    let exceptions =
        xpressbees::parse_track(mapping(), &fixture("track_exceptions.json"), "x").unwrap();
    assert_eq!(subs(&exceptions)[8..], [Stuck, Damaged, Stuck, Lost]);

    let unmapped =
        xpressbees::parse_track(mapping(), &fixture("track_unmapped_code.json"), "x").unwrap();
    assert_eq!(
        subs(&unmapped),
        [Manifested, Unmapped],
        "kept, never guessed"
    );
    assert_eq!(unmapped.events[1].carrier_code, "ZZX");
    let missing =
        xpressbees::parse_track(mapping(), &fixture("track_not_found.json"), "x").unwrap_err();
    assert!(
        matches!(missing, CarrierError::Rejected { ref code, .. } if code == xpressbees::NOT_FOUND)
    );

    // Pushes: one scan, or a batch.
    let one =
        xpressbees::parse_pushes(mapping(), &common::fixture(CARRIER, "push_one.json")).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].awb, "13401926000101");
    assert_eq!(
        one[0].reference.as_deref(),
        Some("shp_01JEXAMPLE0000000000000001")
    );
    assert_eq!(one[0].events[0].sub_status, CustomerUnavailable);
    assert_eq!(
        one[0].events[0].ndr_reason.as_deref(),
        Some("Customer Not Available")
    );
    let batch =
        xpressbees::parse_pushes(mapping(), &common::fixture(CARRIER, "push_batch.json")).unwrap();
    let got: Vec<SubStatus> = batch
        .iter()
        .flat_map(|u| u.events.iter().map(|e| e.sub_status))
        .collect();
    assert_eq!(got, [OutForDelivery, Delivered]);
    let xb = adapter();
    let via_trait = xb
        .parse_webhook(&[], &common::fixture(CARRIER, "push_batch.json"))
        .unwrap();
    assert_eq!(via_trait, batch);
    assert!(
        xpressbees::parse_pushes(mapping(), br#"{"ShipmentStatus":"DLVD"}"#).is_err(),
        "no AWB"
    );
}

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

#[test]
fn requests_are_built_as_xpressbees_documents_them() {
    let a = account();
    let date = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    // Per-service hosts, the XBkey a marked secret.
    let track = xpressbees::track_request(&a, " 13401926000101 ").unwrap();
    assert_eq!(
        track.path,
        "https://apishipmenttracking.xbees.in/GetShipmentAuditLog"
    );
    assert_eq!(body_json(&track), json!({"AWBNumber": "13401926000101"}));
    assert_eq!(track.header_value("xbkey"), Some(SANDBOX_XB_KEY));
    assert!(track.secrets().iter().any(|s| s == SANDBOX_XB_KEY));
    let lot = xpressbees::Lot {
        reverse: false,
        cod: true,
    };
    let batch = xpressbees::awb_batch_request(&a, lot).unwrap();
    assert_eq!(
        batch.path,
        "https://xbclientapi.xbees.in/POSTShipmentService.svc/AWBNumberSeriesGeneration"
    );
    assert_eq!(
        body_json(&batch),
        json!({"BusinessUnit": "ECOM", "ServiceType": "FORWARD", "DeliveryType": "COD"})
    );
    let series = xpressbees::awb_series_request(&a, lot, "XB1").unwrap();
    assert_eq!(
        body_json(&series),
        json!({"BusinessUnit": "ECOM", "ServiceType": "FORWARD", "BatchID": "XB1"})
    );
    let pins = xpressbees::pincode_request(&a, true, true, "560001").unwrap();
    assert_eq!(
        body_json(&pins),
        json!({"BusinessUnit": "eComm", "BusinessFlow": "Reverse", "BusinessService": "PickUp", "Pincode": "560001"})
    );
    let cancel = xpressbees::cancel_request(&a, "14000000000001").unwrap();
    assert_eq!(
        cancel.path,
        "https://clientshipupdatesapi.xbees.in/forwardcancellation"
    );
    assert_eq!(
        body_json(&cancel),
        json!({"ShippingID": "14000000000001", "CancellationReason": "Cancelled by seller"})
    );
    // NDR: the next day unless dated; phone and address ride along.
    let ndr =
        |action: &NdrAction| body_json(&xpressbees::ndr_request(&a, "1", action, date).unwrap());
    assert_eq!(
        ndr(&NdrAction::Reattempt { date: None })["DeferredDeliveryDate"],
        "07-12-2026 12:00:00"
    );
    let later = NaiveDate::from_ymd_opt(2026, 12, 9).unwrap();
    assert_eq!(
        ndr(&NdrAction::Reschedule { date: later })["DeferredDeliveryDate"],
        "09-12-2026 12:00:00"
    );
    let phone = Phone::parse("+91 91234 56780", "IN").unwrap();
    assert_eq!(
        ndr(&NdrAction::ChangePhone { phone })["PrimaryCustomerMobileNumber"],
        "9123456780"
    );
    let moved = shipment_request("560102", prepaid(), 1000).to;
    let changed = ndr(&NdrAction::ChangeAddress {
        address: Box::new(moved),
    });
    assert_eq!(
        changed["PrimaryCustomerAddress"],
        "Flat 5, Lake View, HSR Layout"
    );
    assert_eq!(changed["CustomerPincode"], "560102");
    let past = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let refused =
        xpressbees::ndr_request(&a, "1", &NdrAction::Reschedule { date: past }, date).unwrap_err();
    assert!(matches!(refused, CarrierError::NotSent(_)));
    let rto = xpressbees::ndr_request(&a, "1", &NdrAction::ReturnToOrigin, date).unwrap_err();
    assert!(matches!(rto, CarrierError::Unsupported(_)));
    // COD: the amount to collect, the lot's payment mode.
    let cod_req = shipment_request("560001", cod(129_950), 129_950);
    let manifest =
        xpressbees::forward_manifest(&a, "shp_2", &cod_req, "13000000000001", date).unwrap();
    assert_eq!(
        (
            manifest.order_type.as_str(),
            manifest.collectible_amount.as_str()
        ),
        ("COD", "1299.50")
    );
    // Refused unsent: an e-way bill shipgate cannot carry, several pieces, another service.
    let dear = shipment_request("560001", prepaid(), 5_000_000);
    let err = xpressbees::forward_manifest(&a, "shp_3", &dear, "1", date).unwrap_err();
    assert!(matches!(err, CarrierError::Unsupported(m) if m.contains("e-way bill")));
    let mut two = shipment_request("560001", prepaid(), 1000);
    two.parcels.push(two.parcels[0].clone());
    assert!(matches!(
        xpressbees::forward_manifest(&a, "s", &two, "1", date),
        Err(CarrierError::Unsupported(_))
    ));
    let mut express = shipment_request("560001", prepaid(), 1000);
    express.service = Some("NDD".into());
    assert!(matches!(
        xpressbees::forward_manifest(&a, "s", &express, "1", date),
        Err(CarrierError::Unsupported(_))
    ));
    // A return: prepaid, from the buyer to the seller, no QC.
    let ret_req = shipment_request("560001", prepaid(), 1000);
    let mut ret = ReturnRequest {
        shipment_id: "shp_ret".into(),
        pickup: ret_req.to.clone(),
        deliver_to: ret_req.from.clone(),
        parcels: ret_req.parcels.clone(),
        service: None,
        reason: ReturnReason::Damaged,
        qc: None,
        customs: None,
    };
    let reverse =
        xpressbees::reverse_manifest(&a, &ret, Some("14000000000001"), "15000000000001").unwrap();
    let reverse = serde_json::to_value(reverse).unwrap();
    assert_eq!(
        reverse["PickupDetails"]["Addresses"][0]["PinCode"],
        "560001"
    );
    assert_eq!(reverse["DropDetails"]["Addresses"][0]["PinCode"], "110055");
    assert_eq!(
        (
            reverse["ForwardAirWayBillNO"].as_str(),
            reverse["ReturnReason"].as_str()
        ),
        (Some("14000000000001"), Some("damaged"))
    );
    ret.qc = Some(serde_json::from_value(json!({"product_name": "Phone"})).unwrap());
    assert!(matches!(
        xpressbees::reverse_manifest(&a, &ret, None, "1"),
        Err(CarrierError::Unsupported(_))
    ));
}

/// The login and the token on every call: `token` and `versionnumber` headers, all three
/// credentials marked secret, a refused login in XpressBees' words.
#[test]
fn the_session_logs_in_once_and_sends_the_token_as_xpressbees_wants() {
    let mut settings = sandbox_settings();
    settings.remove("hosts");
    let xb = XpressBees::new(&settings).unwrap();
    let t = Scripted::new([
        fixture("login_ok.json"),
        fixture("track_delivered.json"),
        fixture("track_delivered.json"),
    ]);
    let awb = Some("13401926000101");
    block_on(xb.track(&t, &shipment_ref("s", awb))).unwrap();
    block_on(xb.track(&t, &shipment_ref("s", awb))).unwrap();
    let sent = t.sent();
    assert_eq!(sent.len(), 3, "one login for both calls");
    let (op, login) = &sent[0];
    assert_eq!(*op, Operation::Login);
    assert_eq!(
        login.path,
        "https://userauthapis.xbees.in/api/auth/generateToken"
    );
    let body = body_json(login);
    assert_eq!(
        body.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["password", "secretkey", "username"]
    );
    for key in ["username", "password", "secretkey"] {
        let value = body[key].as_str().unwrap();
        assert!(
            login.secrets().iter().any(|s| s == value),
            "{key} is a marked secret"
        );
    }
    let (_, track) = &sent[1];
    assert!(track.header_value("token").unwrap().starts_with("eyJ"));
    assert_eq!(track.header_value("versionnumber"), Some("v1"));
    assert_eq!(
        track.header_value("authorization"),
        None,
        "XpressBees takes the token as `token`"
    );
    let refused = Scripted::new([fixture("login_refused.json")]);
    let err = block_on(xb.check_account(&refused)).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected("unauthorized", "Invalid Credentials", 200)
    );
    let wrong_key = Scripted::new([fixture("login_ok.json"), fixture("awb_invalid_key.json")]);
    let err = block_on(xb.check_account(&wrong_key)).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected("unauthorized", "Invalid XBkey", 200)
    );
    let sent = wrong_key.sent();
    assert_eq!(
        (sent[0].0, sent[1].0),
        (Operation::CheckAccount, Operation::CheckAccount)
    );
    assert_eq!(body_json(&sent[1].1)["Pincode"], "110001");
    assert!(matches!(
        block_on(xb.rates(&refused, &rate_request())),
        Err(CarrierError::Unsupported(_))
    ));
    assert!(
        !xb.capabilities().rates && xb.capabilities().serviceability && xb.capabilities().webhooks
    );
    assert!(
        xb.capabilities().native_label_formats.is_empty(),
        "shipgate draws the label"
    );
}

fn rate_request() -> RateRequest {
    let input: RateRequestInput = serde_json::from_value(json!({
        "from": {"name": "Acme", "phone": "9876543210", "line1": "1 Road", "city": "Delhi", "postal_code": "110055"},
        "to": {"name": "Asha", "phone": "9123456789", "line1": "2 Lane", "city": "Bengaluru", "postal_code": "560001"},
        "parcels": [{"weight_g": 900}],
        "payment": {"mode": "prepaid"},
    }))
    .unwrap();
    RateRequest::parse(&input).unwrap()
}

// ---------------------------------------------------------------------------------------
// Against the simulator
// ---------------------------------------------------------------------------------------

fn track_subs(
    xb: &XpressBees,
    t: &SimTransport<&XpressBeesSimulator>,
    awb: &str,
) -> Vec<SubStatus> {
    subs(&block_on(xb.track(t, &shipment_ref("any", Some(awb)))).unwrap())
}

/// Tracks until the latest event is `wanted` (at most 30 calls); what was seen.
fn track_to(
    xb: &XpressBees,
    t: &SimTransport<&XpressBeesSimulator>,
    awb: &str,
    wanted: SubStatus,
) -> Vec<SubStatus> {
    common::track_until(30, || track_subs(xb, t, awb), |s| s == wanted).1
}

#[test]
fn the_sandbox_books_from_its_awb_pool_tracks_cancels_and_takes_ndr_instructions() {
    let sim = XpressBeesSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let xb = adapter();
    assert_eq!(
        block_on(xb.check_account(&t)).unwrap(),
        AccountCheck::Verified
    );

    // Serviceability per end and flow.
    let lane = |from: &str, to: &str, kind| Lane {
        pickup_pincode: from.into(),
        delivery_pincode: to.into(),
        cod: true,
        kind,
    };
    let served =
        block_on(xb.serviceability(&t, &lane("110055", "560001", ShipmentKind::Forward))).unwrap();
    assert_eq!(served, Serviceability::Serviceable);
    let not = block_on(xb.serviceability(
        &t,
        &lane("110055", UNSERVICEABLE_PIN, ShipmentKind::Forward),
    ))
    .unwrap();
    assert_eq!(
        not,
        Serviceability::not(format!(
            "XpressBees does not deliver to {UNSERVICEABLE_PIN}"
        ))
    );
    let back = block_on(xb.serviceability(
        &t,
        &lane(UNSERVICEABLE_PIN, "110055", ShipmentKind::Reverse),
    ))
    .unwrap();
    assert!(!back.is_serviceable());

    // The first COD booking fetches a series (batch, then numbers); the next draws from it.
    let before = t.ops().len();
    let first = block_on(xb.create_shipment(
        &t,
        "shp_a",
        &shipment_request("560001", cod(49_900), 49_900),
    ))
    .unwrap();
    let creates = |from: usize| {
        t.ops()[from..]
            .iter()
            .filter(|o| **o == Operation::CreateShipment)
            .count()
    };
    assert_eq!(creates(before), 3, "batch, series, manifest");
    assert!(
        first.awb.starts_with("13") && first.awb.len() == 14,
        "{}",
        first.awb
    );
    assert!(
        first.labels.is_empty()
            && first
                .carrier_refs
                .contains_key(xpressbees::REF_TOKEN_NUMBER)
    );
    let before = t.ops().len();
    let second = block_on(xb.create_shipment(
        &t,
        "shp_b",
        &shipment_request("560001", cod(49_900), 49_900),
    ))
    .unwrap();
    assert_eq!(creates(before), 1, "drawn from the pool");
    assert_ne!(first.awb, second.awb);
    let prepaid_one =
        block_on(xb.create_shipment(&t, "shp_c", &shipment_request("560001", prepaid(), 49_900)))
            .unwrap();
    assert!(
        prepaid_one.awb.starts_with("14"),
        "a prepaid lot of its own: {}",
        prepaid_one.awb
    );
    // The same shipment id again: the same AWB, XpressBees' "already exists", one booking.
    let again = block_on(xb.create_shipment(
        &t,
        "shp_a",
        &shipment_request("560001", cod(49_900), 49_900),
    ))
    .unwrap();
    assert_eq!(again.awb, first.awb);
    assert_eq!(sim.bookings(), 3);
    // Not served: XpressBees' words, nothing booked.
    let err = block_on(xb.create_shipment(
        &t,
        "shp_d",
        &shipment_request(UNSERVICEABLE_PIN, prepaid(), 1000),
    ))
    .unwrap_err();
    assert!(
        matches!(err, CarrierError::Rejected { ref code, .. } if code == xpressbees::NOT_SERVICEABLE),
        "{err:?}"
    );
    assert_eq!(sim.bookings(), 3);

    // Tracking to delivered, in XpressBees' codes; a push of the same scan reads the same.
    let seen = track_to(&xb, &t, &first.awb, SubStatus::Delivered);
    assert_eq!(seen.first(), Some(&SubStatus::Manifested));
    assert!(
        seen.contains(&SubStatus::PickedUp) && seen.contains(&SubStatus::ReachedDestinationHub)
    );
    let push = sim.push_of(&first.awb).unwrap().to_string();
    let pushed = xb.parse_webhook(&[], push.as_bytes()).unwrap();
    assert_eq!(
        (pushed[0].awb.as_str(), pushed[0].reference.as_deref()),
        (first.awb.as_str(), Some("shp_a"))
    );
    assert_eq!(pushed[0].events[0].sub_status, SubStatus::Delivered);
    // Cancel: before pickup it is taken, delivered it is refused.
    block_on(xb.cancel(&t, &shipment_ref("shp_b", Some(&second.awb)))).unwrap();
    let late = block_on(xb.cancel(&t, &shipment_ref("shp_a", Some(&first.awb)))).unwrap_err();
    assert!(
        matches!(late, CarrierError::Rejected { ref code, .. } if code == xpressbees::NOT_ALLOWED),
        "{late:?}"
    );

    // NDR on a …99 pincode: refused before the failed attempt, taken after it.
    let ndr =
        block_on(xb.create_shipment(&t, "shp_ndr", &shipment_request("560099", prepaid(), 1000)))
            .unwrap();
    let at = shipment_ref("shp_ndr", Some(&ndr.awb));
    let early = block_on(xb.act(&t, &at, &NdrAction::Reattempt { date: None })).unwrap_err();
    assert!(matches!(early, CarrierError::Rejected { .. }), "{early:?}");
    let seen = track_to(&xb, &t, &ndr.awb, SubStatus::CustomerUnavailable);
    assert!(!seen.contains(&SubStatus::Delivered));
    assert!(xb.offers(NdrActionKind::ChangePhone) && !xb.offers(NdrActionKind::Rto));
    let phone = Phone::parse("9123456780", "IN").unwrap();
    let taken = block_on(xb.act(&t, &at, &NdrAction::ChangePhone { phone })).unwrap();
    assert!(taken.accepted);
    let seen = track_to(&xb, &t, &ndr.awb, SubStatus::Delivered);
    assert_eq!(
        seen.iter()
            .filter(|s| **s == SubStatus::CustomerUnavailable)
            .count(),
        1
    );

    // The other detours: two refusals then RTO (…98), lost (…97).
    let rto =
        block_on(xb.create_shipment(&t, "shp_rto", &shipment_request("560098", prepaid(), 1000)))
            .unwrap();
    let seen = track_to(&xb, &t, &rto.awb, SubStatus::RtoDelivered);
    assert_eq!(seen.iter().filter(|s| **s == SubStatus::Refused).count(), 2);
    assert!(!seen.contains(&SubStatus::Delivered));
    let lost =
        block_on(xb.create_shipment(&t, "shp_lost", &shipment_request("560097", prepaid(), 1000)))
            .unwrap();
    let seen = track_to(&xb, &t, &lost.awb, SubStatus::Lost);
    assert!(!seen.contains(&SubStatus::OutForDelivery));

    // A return: its own series and journey.
    let req = shipment_request("560001", prepaid(), 1000);
    let ret = ReturnRequest {
        shipment_id: "shp_ret".into(),
        pickup: req.to.clone(),
        deliver_to: req.from.clone(),
        parcels: req.parcels.clone(),
        service: None,
        reason: ReturnReason::SizeIssue,
        qc: None,
        customs: None,
    };
    assert!(!xb.offers_qc());
    let forward = shipment_ref("shp_a", Some(&first.awb));
    let booked = block_on(xb.create_return(&t, Some(&forward), &ret)).unwrap();
    assert!(booked.awb.starts_with("15"), "{}", booked.awb);
    let seen = track_to(&xb, &t, &booked.awb, SubStatus::Delivered);
    assert!(seen.contains(&SubStatus::PickedUp) && !seen.iter().any(|s| s.status() == Status::Rto));
}

/// Lost answers: before the manifest nothing can have been booked (not sent); after it,
/// the AWB drawn for the shipment finds the booking; XpressBees' 401 logs in again.
#[test]
fn lost_answers_are_settled_by_the_awb_drawn_and_expired_tokens_replaced() {
    let sim = Arc::new(XpressBeesSimulator::new());
    let lose = |path: &'static str| -> common::FaultHook {
        let armed = std::sync::atomic::AtomicBool::new(true);
        Box::new(move |_, request: &HttpRequest| {
            if request.path.ends_with(path)
                && armed.swap(false, std::sync::atomic::Ordering::SeqCst)
            {
                Fault::LoseAnswer(CarrierError::Timeout { timeout_ms: 15_000 })
            } else {
                Fault::Pass
            }
        })
    };
    let xb = adapter();
    let req = shipment_request("560001", prepaid(), 1000);

    // The series answer lost: not sent, and booking again works.
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(lose("AWBNumberSeriesGeneration"));
    let err = block_on(xb.create_shipment(&t, "shp_l1", &req)).unwrap_err();
    assert!(matches!(err, CarrierError::NotSent(_)), "{err:?}");
    assert!(!err.may_have_happened());
    let booked = block_on(xb.create_shipment(&t, "shp_l1", &req)).unwrap();

    // The manifest answer lost: the lookup tracks the AWB drawn and finds the booking.
    let t =
        SimTransport::new(sim.clone(), SIM_ROOT).with_fault(lose("shipmentmanifestation/forward"));
    let err = block_on(xb.create_shipment(&t, "shp_l2", &req)).unwrap_err();
    assert!(err.may_have_happened());
    assert_eq!(sim.bookings(), 2, "XpressBees booked it");
    let found = block_on(xb.lookup(&t, &shipment_ref("shp_l2", None)))
        .unwrap()
        .expect("found by its AWB");
    assert_ne!(found.awb, booked.awb);
    // A retried create manifests the same AWB: still two bookings.
    let retried = block_on(xb.create_shipment(&t, "shp_l2", &req)).unwrap();
    assert_eq!(retried.awb, found.awb);
    assert_eq!(sim.bookings(), 2);
    // An AWB drawn but never manifested: none, booking again is safe.
    let t =
        SimTransport::new(sim.clone(), SIM_ROOT).with_fault(Box::new(|_, r: &HttpRequest| match r
            .path
            .ends_with("forward")
        {
            true => Fault::Answer(HttpResponse::new(503, "Service Unavailable")),
            false => Fault::Pass,
        }));
    assert!(
        block_on(xb.create_shipment(&t, "shp_l3", &req))
            .unwrap_err()
            .may_have_happened()
    );
    assert_eq!(
        block_on(xb.lookup(&t, &shipment_ref("shp_l3", None))).unwrap(),
        None
    );
    // No AWB known (another process drew it): an error, never "not booked".
    let unknown = block_on(xb.lookup(&t, &shipment_ref("shp_elsewhere", None))).unwrap_err();
    assert!(matches!(unknown, CarrierError::NotSent(_)));

    // An expired token: XpressBees' 401, one login more, the call repeated once.
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    block_on(xb.track(&t, &shipment_ref("x", Some(&booked.awb)))).unwrap();
    assert!(sim.expire_tokens() > 0);
    let before = t.ops().len();
    block_on(xb.track(&t, &shipment_ref("x", Some(&booked.awb)))).unwrap();
    assert_eq!(
        t.ops()[before..],
        [Operation::Track, Operation::Login, Operation::Track]
    );

    // A wrong XBkey: XpressBees' refusal inside HTTP 200.
    let mut settings = sandbox_settings();
    settings.insert("xb_key".into(), "nope".into());
    let wrong = XpressBees::new(&settings).unwrap();
    let err = block_on(wrong.track(&t, &shipment_ref("x", Some(&booked.awb)))).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected("unauthorized", "Invalid XBkey", 200)
    );
    let mut settings = sandbox_settings();
    settings.insert("hosts".into(), "elsewhere".into());
    assert!(XpressBees::new(&settings).unwrap_err().contains("hosts"));
}
