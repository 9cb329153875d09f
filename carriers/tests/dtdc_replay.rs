//! DTDC adapter against the shared samples, the project's own fixtures and the simulator.
//!
//! Samples come from `../shared/carrier-samples/dtdc` (skipped outside CI when absent, a
//! failure in CI): the status code table, DTDC's tracking request and its documented
//! delivered answer, the 206 "not authorized" answer inside HTTP 200, the tracking API's
//! 401, and a tracking push. Every one is replayed here. Fixtures from `fixtures/dtdc`.

mod common;

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use carriers::dtdc::simulator::{
    DtdcSimulator, SANDBOX_API_KEY, SANDBOX_CUSTOMER_CODE, UNSERVICEABLE_PIN, sandbox_settings,
};
use carriers::dtdc::{self, Account, Dtdc, TrackBy};
use carriers::families::{ReturnReason, ReturnRequest, Returns};
use carriers::schema::{
    LabelFormat, Lane, Serviceability, ShipmentKind, ShipmentRequest, ShipmentRequestInput,
    TrackingUpdate,
};
use carriers::simulator::Simulator;
use carriers::taxonomy::{Status, SubStatus};
use carriers::wire::{HttpRequest, HttpResponse};
use carriers::{AccountCheck, Carrier, CarrierError, Operation};
use common::{
    Fault, Scripted, SimTransport, block_on, body_json, cod, parse_csv, prepaid, shipment_ref, subs,
};

const CARRIER: &str = "dtdc";
const SIM_ROOT: &str = "http://127.0.0.1:8080/sandbox/dtdc";

fn adapter() -> Dtdc {
    Dtdc::new(&sandbox_settings()).expect("sandbox settings build the adapter")
}

fn mapping() -> &'static carriers::mapping::Mapping {
    dtdc::mapping().expect("mappings/dtdc.toml parses")
}

fn fixture(file: &str) -> HttpResponse {
    HttpResponse::new(200, common::fixture(CARRIER, file))
}

fn account(single_host: bool) -> Account {
    Account {
        customer_code: SANDBOX_CUSTOMER_CODE.into(),
        commodity_id: "99".into(),
        api_key: zeroize::Zeroizing::new(SANDBOX_API_KEY.into()),
        single_host,
    }
}

fn shipment_request(to_pin: &str, payment: Value, value_paise: i64) -> ShipmentRequest {
    let input: ShipmentRequestInput = serde_json::from_value(json!({
        "order_ref": "ORD-DTDC-1",
        "carrier": "dtdc",
        "from": {"name": "Acme Traders", "phone": "+91 98765 43210", "line1": "12 MG Road",
                 "line2": "Near Metro", "city": "Bengaluru", "state": "Karnataka", "postal_code": "560001"},
        "to": {"name": "Asha Rao", "phone": "09123456789", "line1": "Flat 5, Lake View", "line2": "Sector 4",
               "city": "New Delhi", "state": "Delhi", "postal_code": to_pin},
        "parcels": [{"weight_g": 1250, "length_mm": 200, "width_mm": 101, "height_mm": 100,
                     "declared_value": {"amount": value_paise, "currency": "INR"}, "description": "Cotton kurta"}],
        "payment": payment,
    }))
    .unwrap();
    ShipmentRequest::parse(&input).expect("valid shipment request")
}

fn ist(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<Utc> {
    // IST is UTC+05:30.
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap() - chrono::Duration::minutes(330)
}

fn rejected_code(err: &CarrierError) -> &str {
    match err {
        CarrierError::Rejected { code, .. } => code,
        other => panic!("not a refusal: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// The shared samples: every one replayed
// ---------------------------------------------------------------------------------------

#[test]
fn every_shared_sample_replays_into_unified_values() {
    let Some(dir) = common::samples_dir(CARRIER) else {
        return;
    };
    let mut replayed = Vec::new();

    // status-codes.csv: every code maps, to what its description says, pulled or pushed.
    let csv = common::sample(CARRIER, "status-codes.csv").unwrap();
    let rows = parse_csv(&String::from_utf8(csv).unwrap());
    assert_eq!(rows[0][0], "carrier_code");
    let expected = |code: &str| match code {
        "BKD" => SubStatus::PickedUp,
        "OBMD" | "OPMF" | "CDOUT" => SubStatus::DepartedFacility,
        "IBMD" | "CDIN" | "IPMF" => SubStatus::ArrivedAtFacility,
        "OUTDLV" => SubStatus::OutForDelivery,
        "DLV" => SubStatus::Delivered,
        other => panic!("{other} is not in the expected table"),
    };
    for row in rows.iter().skip(1) {
        let (code, words) = (&row[0], &row[1]);
        let unified = dtdc::resolve(mapping(), code, "")
            .unwrap_or_else(|| panic!("{code} ({words}) is not mapped"));
        assert_eq!(unified.sub_status, expected(code), "{code}: {words}");
        // The description says the same family of status.
        let family = match unified.status {
            Status::InTransit if words == "Booked" => "Booked",
            Status::InTransit => "In Transit",
            Status::OutForDelivery => "Out For Delivery",
            Status::Delivered => "Delivered",
            other => panic!("{code}: {other:?}"),
        };
        assert_eq!(family, words, "{code}");
    }
    assert_eq!(rows.len(), 11, "every row of the table read");
    replayed.push("status-codes.csv");

    // The tracking request DTDC documents: the adapter builds exactly it.
    let sample: Value =
        serde_json::from_slice(&common::sample(CARRIER, "track_request.json").unwrap()).unwrap();
    let built = dtdc::track_request(&account(false), TrackBy::Awb, "B32242001").unwrap();
    assert_eq!(body_json(&built), sample);
    assert_eq!(
        built.path,
        "https://blktracksvc.dtdc.com/dtdc-api/rest/JSONCnTrk/getTrackDetails"
    );
    replayed.push("track_request.json");

    // The documented delivered answer: every scan, in order, at IST wall times.
    let resp = HttpResponse::new(
        200,
        common::sample(CARRIER, "track_response_docs_sample_delivered.json").unwrap(),
    );
    let update = dtdc::parse_track(mapping(), &resp, "B32242001").unwrap();
    assert_eq!(update.awb, "B32242001");
    assert_eq!(update.events.len(), 11);
    let first = &update.events[0];
    assert_eq!(
        (first.carrier_code.as_str(), first.sub_status),
        ("BKD", SubStatus::PickedUp)
    );
    assert_eq!(first.event_time, ist(2017, 6, 21, 15, 30));
    assert_eq!(first.location.as_deref(), Some("BANGALORE SURFACE APEX"));
    let last = update.events.last().unwrap();
    assert_eq!(
        (last.carrier_code.as_str(), last.sub_status, last.terminal),
        ("DLV", SubStatus::Delivered, true)
    );
    assert_eq!(last.event_time, ist(2017, 6, 21, 16, 14));
    assert_eq!(last.description.as_deref(), Some("SIGN"));
    assert!(
        update
            .events
            .windows(2)
            .all(|w| w[0].event_time <= w[1].event_time)
    );
    // Scans of the same minute keep DTDC's order (OBMD, OPMF, IBMD at 15:33).
    let codes: Vec<&str> = update
        .events
        .iter()
        .map(|e| e.carrier_code.as_str())
        .collect();
    assert_eq!(&codes[1..4], ["OBMD", "OPMF", "IBMD"]);
    assert_eq!(
        subs(&update)
            .iter()
            .filter(|s| **s == SubStatus::Unmapped)
            .count(),
        0
    );
    assert_eq!(dtdc::tracked_reference(&resp), None, "strRefNo is blank");
    assert_eq!(dtdc::tracked_product(&resp).as_deref(), Some("LITE"));
    replayed.push("track_response_docs_sample_delivered.json");

    // 206 inside HTTP 200: the number is DTDC's, not this account's.
    let resp = HttpResponse::new(
        200,
        common::sample(CARRIER, "track_response_206_not_authorized.json").unwrap(),
    );
    let err = dtdc::parse_track(mapping(), &resp, "D1005560078").unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected(
            dtdc::NOT_AUTHORIZED,
            "Not Authorized to view the information",
            200
        )
    );
    assert!(!err.may_have_happened());
    replayed.push("track_response_206_not_authorized.json");

    // The tracking API's 401: the token refused; the session logs in again once.
    let unauthorized = common::sample(CARRIER, "track_response_401_unauthorized.json").unwrap();
    let err = dtdc::parse_track(
        mapping(),
        &HttpResponse::new(401, unauthorized.clone()),
        "X",
    )
    .unwrap_err();
    assert_eq!(rejected_code(&err), "unauthorized");
    let delivered = common::sample(CARRIER, "track_response_docs_sample_delivered.json").unwrap();
    let t = Scripted::new([
        HttpResponse::new(200, "tok-1"),
        HttpResponse::new(401, unauthorized),
        HttpResponse::new(200, "tok-2"),
        HttpResponse::new(200, delivered),
    ]);
    let update = block_on(adapter().track(&t, &shipment_ref("s", Some("B32242001")))).unwrap();
    assert_eq!(update.events.len(), 11);
    let sent = t.sent();
    let ops: Vec<Operation> = sent.iter().map(|(op, _)| *op).collect();
    assert_eq!(
        ops,
        [
            Operation::Login,
            Operation::Track,
            Operation::Login,
            Operation::Track
        ]
    );
    assert_eq!(sent[1].1.header_value("x-access-token"), Some("tok-1"));
    assert_eq!(sent[3].1.header_value("x-access-token"), Some("tok-2"));
    replayed.push("track_response_401_unauthorized.json");

    // The push sample: the push names the code strAction and its words strActionDesc.
    let push = common::sample(CARRIER, "webhook_push_tracking_status_sample.json").unwrap();
    let update = dtdc::parse_push(mapping(), &push).unwrap();
    assert_eq!(update.awb, "B32242001");
    assert_eq!(update.events.len(), 1);
    let e = &update.events[0];
    assert_eq!(
        (
            e.carrier_code.as_str(),
            e.carrier_status.as_str(),
            e.sub_status
        ),
        ("BKD", "Booked", SubStatus::PickedUp)
    );
    assert_eq!(e.event_time, ist(2017, 6, 21, 15, 30));
    let pushed = adapter().parse_webhook(&[], &push).unwrap();
    assert_eq!(pushed[0].reference, None, "strRefNo is blank");
    replayed.push("webhook_push_tracking_status_sample.json");

    // Every file of the folder was replayed above.
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    replayed.sort();
    assert_eq!(files, replayed);
}

// ---------------------------------------------------------------------------------------
// The project's fixtures
// ---------------------------------------------------------------------------------------

#[test]
fn answers_read_into_unified_values() {
    // Login: a bare token; words are a refusal (HTTP 200 too).
    let token = dtdc::parse_login(&fixture("login_token.txt")).unwrap();
    assert!(token.value.starts_with("eyJ") && !token.value.contains('\n'));
    let json_token = dtdc::parse_login(&HttpResponse::new(200, r#"{"token":"abc"}"#)).unwrap();
    assert_eq!(json_token.value, "abc");
    let err = dtdc::parse_login(&fixture("login_refused.txt")).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected("unauthorized", "Not Authorized", 200)
    );

    // Softdata: the AWB DTDC allocated, or its refusal inside HTTP 200.
    let booked = dtdc::parse_softdata(&fixture("softdata_ok.json")).unwrap();
    assert_eq!(booked.awb, "D1005560078");
    assert_eq!(
        booked.reference.as_deref(),
        Some("sg_01JDTDC0000000000000001")
    );
    let err = dtdc::parse_softdata(&fixture("softdata_refused.json")).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected(
            dtdc::NOT_SERVICEABLE,
            "Pincode 999999 is not serviceable",
            200
        )
    );
    // Shipsy's error object: a wrong key is unauthorized, a bad request its reason.
    let wrong = common::fixture(CARRIER, "shipsy_wrong_key.json");
    let err = dtdc::parse_softdata(&HttpResponse::new(401, wrong.clone())).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected("unauthorized", "Wrong api key", 401)
    );
    let err = dtdc::parse_cancel(&HttpResponse::new(401, wrong)).unwrap_err();
    assert_eq!(rejected_code(&err), "unauthorized");
    let bad = common::fixture(CARRIER, "shipsy_bad_input.json");
    let err = dtdc::parse_cancel(&HttpResponse::new(400, bad)).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected("dtdc_wrong_input", "customerCode is required", 400)
    );
    // A 5xx may have happened.
    let err = dtdc::parse_softdata(&HttpResponse::new(502, "Bad Gateway")).unwrap_err();
    assert!(err.may_have_happened());

    // Cancel.
    let done = dtdc::parse_cancel(&fixture("cancel_ok.json")).unwrap();
    assert_eq!(done.carrier_message, "Cancelled (OK)");
    let err = dtdc::parse_cancel(&fixture("cancel_refused.json")).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected(
            "dtdc_consignment_does_not_belong_to_client",
            "Consignment does not belong to the client",
            200
        )
    );

    // Label: PDF bytes kept as sent, or base64 in JSON decoded; never anything else.
    let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
    let label = dtdc::parse_label(&HttpResponse::new(200, pdf.clone()), "D1").unwrap();
    assert_eq!((label.format, label.content), (LabelFormat::Pdf, pdf));
    let wrapped = dtdc::parse_label(&fixture("label_base64.json"), "D1").unwrap();
    assert!(wrapped.content.starts_with(b"%PDF-1.4\n% shipgate fixture"));
    let err = dtdc::parse_label(&fixture("cancel_ok.json"), "D1").unwrap_err();
    assert!(matches!(err, CarrierError::BadResponse(_)), "{err:?}");

    // Pincodes: served with COD, prepaid only, a pincode DTDC does not know.
    let served = dtdc::parse_pincodes(&fixture("pincodes_served.json")).unwrap();
    assert_eq!((served.served, served.cod), (true, true));
    let prepaid = dtdc::parse_pincodes(&fixture("pincodes_prepaid_only.json")).unwrap();
    assert_eq!((prepaid.served, prepaid.cod), (true, false));
    let invalid = dtdc::parse_pincodes(&fixture("pincodes_invalid.json")).unwrap();
    assert_eq!(
        (invalid.served, invalid.message.as_deref()),
        (false, Some("DESTPIN is not valid"))
    );

    // Tracking refusals.
    let err =
        dtdc::parse_track(mapping(), &fixture("track_not_found.json"), "D9999999999").unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected(dtdc::NOT_FOUND, "No Data Found", 200)
    );
}

#[test]
fn tracking_and_pushes_read_dtdc_codes_and_reasons() {
    // Three failed attempts, each read by its reason code, the remarks kept.
    let update = dtdc::parse_track(mapping(), &fixture("track_ndr_delivered.json"), "x").unwrap();
    assert_eq!(update.awb, "D1005560078");
    let failed: Vec<(SubStatus, Option<u32>, Option<&str>)> = update
        .events
        .iter()
        .filter(|e| e.carrier_code == "NONDLV")
        .map(|e| (e.sub_status, e.attempt, e.ndr_reason.as_deref()))
        .collect();
    assert_eq!(
        failed,
        [
            (
                SubStatus::CustomerUnavailable,
                Some(1),
                Some("PNA|RECEIVER NOT AVAILABLE-(CIR)")
            ),
            (
                SubStatus::CodNotReady,
                Some(2),
                Some("CAN|COLLECTION AMOUNT NOT READY-(CIR)")
            ),
            // A reason code nobody mapped keeps NONDLV's meaning, its words kept.
            (SubStatus::Other, Some(3), Some("UAT|COULD NOT ATTEMPT")),
        ]
    );
    assert!(
        update
            .events
            .iter()
            .all(|e| e.ndr_reason.is_none() || e.status == Status::DeliveryFailed)
    );
    assert_eq!(
        subs(&update),
        [
            SubStatus::Manifested,
            SubStatus::PickedUp,
            SubStatus::DepartedFacility,
            SubStatus::ArrivedAtFacility,
            SubStatus::OutForDelivery,
            SubStatus::CustomerUnavailable,
            SubStatus::OutForDelivery,
            SubStatus::CodNotReady,
            SubStatus::Other,
            SubStatus::Delivered,
        ]
    );
    assert_eq!(update.events[0].event_time, ist(2026, 11, 8, 11, 4));

    let rto = dtdc::parse_track(mapping(), &fixture("track_rto.json"), "x").unwrap();
    assert_eq!(
        subs(&rto),
        [
            SubStatus::PickedUp,
            SubStatus::ArrivedAtFacility,
            SubStatus::OutForDelivery,
            SubStatus::Refused,
            SubStatus::AddressIssue,
            SubStatus::RtoInitiated,
            SubStatus::RtoInTransit,
            SubStatus::RtoOutForDelivery,
            SubStatus::RtoDeliveryFailed,
            SubStatus::RtoDelivered,
        ]
    );
    // A reason on an RTO attempt does not make it a forward failure.
    let rto_failed = &rto.events[8];
    assert_eq!(rto_failed.status, Status::Rto);

    let odd = dtdc::parse_track(mapping(), &fixture("track_exceptions.json"), "x").unwrap();
    assert_eq!(
        subs(&odd),
        [
            SubStatus::PickedUp,
            SubStatus::Misrouted,
            SubStatus::Stuck,
            SubStatus::Stuck,
            SubStatus::Lost,
        ]
    );
    assert!(odd.events.last().unwrap().terminal);

    let unmapped = dtdc::parse_track(mapping(), &fixture("track_unmapped_code.json"), "x").unwrap();
    let last = unmapped.events.last().unwrap();
    assert_eq!(
        (last.status, last.sub_status, last.carrier_code.as_str()),
        (Status::Unknown, SubStatus::Unmapped, "ZZQX")
    );

    // Pushes: one consignment, a reason read; a batch with a status list and an object.
    let dtdc = adapter();
    let ndr = dtdc
        .parse_webhook(&[], &common::fixture(CARRIER, "webhook_ndr.json"))
        .unwrap();
    assert_eq!(ndr.len(), 1);
    assert_eq!(ndr[0].awb, "D1005560127");
    assert_eq!(
        ndr[0].reference.as_deref(),
        Some("sg_01JDTDC0000000000000004")
    );
    let e = &ndr[0].events[0];
    assert_eq!(
        (e.sub_status, e.ndr_reason.as_deref(), e.event_time),
        (
            SubStatus::PremisesClosed,
            Some("DLK|OFFICE CLOSED OR DOOR LOCK-(CIR)"),
            ist(2026, 11, 10, 13, 5)
        )
    );
    let batch = dtdc
        .parse_webhook(&[], &common::fixture(CARRIER, "webhook_batch.json"))
        .unwrap();
    assert_eq!(batch.len(), 2);
    assert_eq!(
        subs(&TrackingUpdate {
            awb: batch[0].awb.clone(),
            events: batch[0].events.clone()
        }),
        [SubStatus::OutForDelivery, SubStatus::Delivered]
    );
    assert_eq!(batch[1].events[0].sub_status, SubStatus::RtoDelivered);
    // Unreadable: refused.
    for body in [&b"nope"[..], br#"{"shipment": {}}"#, b"[]"] {
        assert!(dtdc.parse_webhook(&[], body).is_err(), "{body:?}");
    }
}

// ---------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------

#[test]
fn requests_are_built_as_dtdc_documents_them() {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    let req = shipment_request("110001", cod(149_950), 149_950);
    let c = dtdc::forward_consignment(&account(false), "shp_1", &req, date).unwrap();
    let request = dtdc::softdata_request(&account(false), &c).unwrap();
    assert_eq!(
        request.path,
        "https://dtdcapi.shipsy.io/api/customer/integration/consignment/softdata"
    );
    assert_eq!(request.header_value("api-key"), Some(SANDBOX_API_KEY));
    assert!(request.secrets().iter().any(|s| s == SANDBOX_API_KEY));
    let body = body_json(&request);
    let one = &body["consignments"][0];
    assert_eq!(body["consignments"].as_array().unwrap().len(), 1);
    for (key, want) in [
        ("customer_code", SANDBOX_CUSTOMER_CODE),
        ("service_type_id", "B2C PRIORITY"),
        ("load_type", "NON-DOCUMENT"),
        ("dimension_unit", "cm"),
        ("weight_unit", "kg"),
        ("weight", "1.25"),
        ("length", "20"),
        ("width", "11"),
        ("height", "10"),
        ("num_pieces", "1"),
        ("declared_value", "1499.50"),
        ("cod_collection_mode", "cash"),
        ("cod_amount", "1499.50"),
        ("customer_reference_number", "shp_1"),
        ("reference_number", ""),
        ("commodity_id", "99"),
        ("invoice_number", "ORD-DTDC-1"),
        ("invoice_date", "06 Dec 2026"),
        ("description", "Cotton kurta"),
    ] {
        assert_eq!(one[key], want, "{key}");
    }
    assert!(one.get("consignment_type").is_none(), "forward: no type");
    assert_eq!(one["is_risk_surcharge_applicable"], false);
    let to = &one["destination_details"];
    assert_eq!(
        (
            &to["phone"],
            &to["pincode"],
            &to["address_line_1"],
            &to["address_line_2"],
            &to["state"]
        ),
        (
            &json!("9123456789"),
            &json!("110001"),
            &json!("Flat 5, Lake View"),
            &json!("Sector 4"),
            &json!("Delhi")
        )
    );
    assert_eq!(one["origin_details"]["phone"], "9876543210");
    assert_eq!(one["return_details"], one["origin_details"]);
    assert_eq!(one["pieces_detail"][0]["weight"], "1.25");

    // Prepaid: nothing to collect.
    let paid = dtdc::forward_consignment(
        &account(false),
        "shp_2",
        &shipment_request("110001", prepaid(), 10_000),
        date,
    )
    .unwrap();
    assert_eq!(
        (paid.cod_collection_mode.as_str(), paid.cod_amount.as_str()),
        ("", "0")
    );
    // Refused unsent: an e-way bill value, an unknown service, a reference too long.
    let err = dtdc::forward_consignment(
        &account(false),
        "shp_3",
        &shipment_request("110001", prepaid(), 5_000_000),
        date,
    )
    .unwrap_err();
    assert!(matches!(err, CarrierError::Unsupported(_)), "{err:?}");
    let mut other = shipment_request("110001", prepaid(), 10_000);
    other.service = Some("LITE".into());
    assert!(matches!(
        dtdc::forward_consignment(&account(false), "s", &other, date),
        Err(CarrierError::Unsupported(_))
    ));
    let long = "x".repeat(51);
    assert!(matches!(
        dtdc::forward_consignment(
            &account(false),
            &long,
            &shipment_request("110001", prepaid(), 100),
            date
        ),
        Err(CarrierError::NotSent(_))
    ));

    // A reverse pickup: typed REVERSE, prepaid, no return address.
    let ret = ReturnRequest {
        reason: ReturnReason::Damaged,
        ..ReturnRequest::of("ret_1", &shipment_request("110001", prepaid(), 10_000))
    };
    let r = dtdc::reverse_consignment(&account(false), &ret, date).unwrap();
    let r = serde_json::to_value(&r).unwrap();
    assert_eq!(r["consignment_type"], "REVERSE");
    assert_eq!(r["cod_amount"], "0");
    assert!(r.get("return_details").is_none());
    assert_eq!(r["origin_details"]["name"], "Acme Traders");

    // Label, cancel, login, pincodes.
    let label = dtdc::label_request(&account(false), "D1", LabelFormat::Pdf).unwrap();
    assert_eq!(
        label.query,
        [
            ("reference_number".to_string(), "D1".to_string()),
            ("label_code".into(), "SHIP_LABEL_4X6".into()),
            ("label_format".into(), "pdf".into()),
        ]
    );
    assert!(dtdc::label_request(&account(false), "D1", LabelFormat::Zpl).is_err());
    let cancel = dtdc::cancel_request(&account(true), " D1 ").unwrap();
    assert_eq!(cancel.path, "/api/customer/integration/consignment/cancel");
    assert_eq!(
        body_json(&cancel),
        json!({"AWBNo": ["D1"], "customerCode": SANDBOX_CUSTOMER_CODE})
    );
    let login = dtdc::login_request("/dtdc-api/api/dtdc/authenticate", "user", "pass");
    assert_eq!(login.query.len(), 2);
    assert!(
        login.secrets().iter().any(|s| s == "pass") && login.secrets().iter().any(|s| s == "user")
    );
    let pins = dtdc::pincode_request(&account(false), "560001", "110001").unwrap();
    assert_eq!(
        pins.path,
        "http://smarttrack.ctbsplus.dtdc.com/ratecalapi/PincodeApiCall"
    );
    assert_eq!(
        body_json(&pins),
        json!({"orgPincode": "560001", "desPincode": "110001"})
    );
    assert!(
        pins.header_value("api-key").is_none(),
        "the lookup takes no credentials"
    );
    let by_ref = dtdc::track_request(&account(false), TrackBy::Reference, "shp_1").unwrap();
    assert_eq!(body_json(&by_ref)["trkType"], "reference");
}

// ---------------------------------------------------------------------------------------
// Against the simulator
// ---------------------------------------------------------------------------------------

fn track_subs(d: &Dtdc, t: &SimTransport<&DtdcSimulator>, awb: &str) -> Vec<SubStatus> {
    subs(&block_on(d.track(t, &shipment_ref("any", Some(awb)))).unwrap())
}

#[test]
fn the_sandbox_books_labels_tracks_cancels_and_returns() {
    let sim = DtdcSimulator::new();
    let t = SimTransport::new(&sim, SIM_ROOT);
    let d = adapter();
    assert_eq!(
        block_on(d.check_account(&t)).unwrap(),
        AccountCheck::Verified
    );

    // Serviceability: served, not served, COD not collected.
    let lane = |to: &str, cod: bool| Lane {
        pickup_pincode: "560001".into(),
        delivery_pincode: to.into(),
        cod,
        kind: ShipmentKind::Forward,
    };
    let ask = |l: Lane| block_on(d.serviceability(&t, &l)).unwrap();
    assert_eq!(ask(lane("110001", true)), Serviceability::Serviceable);
    assert!(!ask(lane(UNSERVICEABLE_PIN, false)).is_serviceable());
    assert_eq!(
        ask(lane("912345", true)),
        Serviceability::not("DTDC collects no cash on delivery at 912345")
    );
    assert_eq!(ask(lane("912345", false)), Serviceability::Serviceable);
    let bad = ask(lane("000001", false));
    assert_eq!(
        bad,
        Serviceability::not("DTDC does not serve 560001 to 000001: DESTPIN is not valid")
    );

    // Booked: DTDC's AWB, its label PDF carrying it, the reference kept.
    let created = block_on(d.create_shipment(
        &t,
        "shp_a",
        &shipment_request("110038", cod(49_900), 49_900),
    ))
    .unwrap();
    assert!(
        created.awb.starts_with('D') && created.awb.len() == 11,
        "{}",
        created.awb
    );
    assert_eq!(created.service, "B2C_PRIORITY");
    assert_eq!(created.carrier_refs["customer_reference_number"], "shp_a");
    assert_eq!(created.labels.len(), 1);
    let pdf = String::from_utf8_lossy(&created.labels[0].content).into_owned();
    assert!(pdf.starts_with("%PDF") && pdf.contains(&created.awb));
    let label = block_on(d.label(
        &t,
        &shipment_ref("shp_a", Some(&created.awb)),
        LabelFormat::Pdf,
    ))
    .unwrap();
    assert!(label.content.starts_with(b"%PDF"));
    // The same reference again: DTDC's refusal, nothing booked twice.
    let again =
        block_on(d.create_shipment(&t, "shp_a", &shipment_request("110038", prepaid(), 100)))
            .unwrap_err();
    assert_eq!(rejected_code(&again), dtdc::ALREADY_EXISTS);
    assert_eq!(sim.bookings(), 1);
    // Refusals inside HTTP 200: COD where DTDC collects none; a pincode not served.
    let err =
        block_on(d.create_shipment(&t, "shp_b", &shipment_request("912345", cod(1000), 1000)))
            .unwrap_err();
    assert_eq!(rejected_code(&err), dtdc::NOT_SERVICEABLE);
    let err = block_on(d.create_shipment(
        &t,
        "shp_c",
        &shipment_request(UNSERVICEABLE_PIN, prepaid(), 1000),
    ))
    .unwrap_err();
    assert_eq!(rejected_code(&err), dtdc::NOT_SERVICEABLE);

    // Tracking moves one scan per call, DTDC's codes all mapped; by reference too.
    let first = track_subs(&d, &t, &created.awb);
    assert_eq!(first, [SubStatus::Manifested, SubStatus::PickedUp]);
    let by_ref = block_on(d.track(&t, &shipment_ref("shp_a", None))).unwrap();
    assert_eq!(by_ref.awb, created.awb);
    assert_eq!(by_ref.events.len(), 3);
    // Cancel after pickup sends it back; a second cancel is harmless.
    let done = block_on(d.cancel(&t, &shipment_ref("shp_a", Some(&created.awb)))).unwrap();
    assert_eq!(done.carrier_message, "Cancelled (OK)");
    block_on(d.cancel(&t, &shipment_ref("shp_a", Some(&created.awb)))).unwrap();
    let (_, back) = common::track_until(
        20,
        || track_subs(&d, &t, &created.awb),
        |s| s == SubStatus::RtoDelivered,
    );
    assert!(!back.contains(&SubStatus::Delivered), "{back:?}");
    // Cancel before pickup: the journey stops.
    let early =
        block_on(d.create_shipment(&t, "shp_e", &shipment_request("110038", prepaid(), 1000)))
            .unwrap();
    block_on(d.cancel(&t, &shipment_ref("shp_e", Some(&early.awb)))).unwrap();
    assert_eq!(track_subs(&d, &t, &early.awb), [SubStatus::Manifested]);
    assert_eq!(track_subs(&d, &t, &early.awb), [SubStatus::Manifested]);
    // Unknown AWBs.
    let err = block_on(d.track(&t, &shipment_ref("x", Some("D0000000000")))).unwrap_err();
    assert_eq!(rejected_code(&err), dtdc::NOT_FOUND);
    let err = block_on(d.cancel(&t, &shipment_ref("x", Some("D0000000000")))).unwrap_err();
    assert_eq!(
        rejected_code(&err),
        "dtdc_consignment_does_not_belong_to_client"
    );

    // The sandbox's push for a booking reads back as the adapter reads DTDC's pushes.
    let push = sim.push_of(&early.awb).unwrap();
    let read = d.parse_webhook(&[], push.to_string().as_bytes()).unwrap();
    assert_eq!(
        (read[0].awb.as_str(), read[0].reference.as_deref()),
        (early.awb.as_str(), Some("shp_e"))
    );
    assert_eq!(read[0].events[0].sub_status, SubStatus::Manifested);

    // A reverse pickup: picked up from the buyer, delivered to the seller, no RTO; no QC.
    let ret = ReturnRequest {
        reason: ReturnReason::Damaged,
        ..ReturnRequest::of("ret_a", &shipment_request("110038", prepaid(), 10_000))
    };
    assert!(!d.offers_qc());
    let back = block_on(d.create_return(&t, None, &ret)).unwrap();
    assert_eq!(back.labels.len(), 1);
    let (_, seen) = common::track_until(
        20,
        || track_subs(&d, &t, &back.awb),
        |s| s == SubStatus::Delivered,
    );
    assert!(seen.contains(&SubStatus::PickedUp), "{seen:?}");
    assert!(!seen.iter().any(|s| s.status() == Status::Rto), "{seen:?}");
    // Delivered: too late to cancel, DTDC's refusal inside HTTP 200.
    let err = block_on(d.cancel(&t, &shipment_ref("ret_a", Some(&back.awb)))).unwrap_err();
    assert_eq!(rejected_code(&err), dtdc::NOT_ALLOWED);
    let with_qc = ReturnRequest {
        qc: Some(serde_json::from_value(json!({"product_name": "Kurta"})).unwrap()),
        ..ret
    };
    assert!(matches!(
        block_on(d.create_return(&t, None, &with_qc)),
        Err(CarrierError::Unsupported(_))
    ));

    // The kit's detours, through DTDC's codes.
    common::assert_detours("1100", |order, pin| {
        let created =
            block_on(d.create_shipment(&t, order, &shipment_request(pin, prepaid(), 1000)))
                .unwrap();
        let mut seen = Vec::new();
        for _ in 0..30 {
            seen = track_subs(&d, &t, &created.awb);
            if seen.last().is_some_and(|s| s.is_terminal()) {
                break;
            }
        }
        seen
    });
}

#[test]
fn lost_answers_are_found_by_reference_and_tokens_replaced() {
    let sim = Arc::new(DtdcSimulator::new());
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
    let d = adapter();
    let req = shipment_request("110038", prepaid(), 1000);

    // The upload's answer lost: it may have happened; the lookup tracks the reference.
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(lose("softdata"));
    let premium = ShipmentRequest {
        service: Some("B2C_PREMIUM".into()),
        ..req.clone()
    };
    let err = block_on(d.create_shipment(&t, "shp_l1", &premium)).unwrap_err();
    assert!(err.may_have_happened());
    assert_eq!(sim.bookings(), 1);
    let found = block_on(d.lookup(&t, &shipment_ref("shp_l1", None)))
        .unwrap()
        .expect("found by reference");
    assert!(found.awb.starts_with('D'));
    assert_eq!(found.carrier_refs["customer_reference_number"], "shp_l1");
    assert_eq!(
        found.service, "B2C_PREMIUM",
        "the product DTDC tracks it under"
    );
    // Never uploaded: DTDC's "no data" for a reference is no proof of that (reference
    // tracking is unconfirmed), so it is not an answer: an operator settles the booking.
    assert!(matches!(
        block_on(d.lookup(&t, &shipment_ref("shp_never", None))),
        Err(CarrierError::Unsupported(_))
    ));

    // The label's answer lost: the booking stands without it; the label is asked again.
    let t = SimTransport::new(sim.clone(), SIM_ROOT).with_fault(lose("shippinglabel/stream"));
    let created = block_on(d.create_shipment(&t, "shp_l2", &req)).unwrap();
    assert!(created.labels.is_empty());
    let label = block_on(d.label(
        &t,
        &shipment_ref("shp_l2", Some(&created.awb)),
        LabelFormat::Pdf,
    ))
    .unwrap();
    assert!(String::from_utf8_lossy(&label.content).contains(&created.awb));

    // An expired token: DTDC's 401, one login more, the call repeated once.
    let t = SimTransport::new(sim.clone(), SIM_ROOT);
    block_on(d.track(&t, &shipment_ref("x", Some(&created.awb)))).unwrap();
    assert!(sim.expire_tokens() > 0);
    let before = t.ops().len();
    block_on(d.track(&t, &shipment_ref("x", Some(&created.awb)))).unwrap();
    assert_eq!(
        t.ops()[before..],
        [Operation::Track, Operation::Login, Operation::Track]
    );

    // Wrong credentials: Shipsy's 401; the tracking login's words inside HTTP 200.
    let mut settings = sandbox_settings();
    settings.insert("api_key".into(), "nope".into());
    let wrong = Dtdc::new(&settings).unwrap();
    let err = block_on(wrong.create_shipment(&t, "shp_w", &req)).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected("unauthorized", "Wrong api key", 401)
    );
    assert_eq!(
        rejected_code(&block_on(wrong.check_account(&t)).unwrap_err()),
        "unauthorized"
    );
    let mut settings = sandbox_settings();
    settings.insert("tracking_password".into(), "nope".into());
    let wrong = Dtdc::new(&settings).unwrap();
    let err = block_on(wrong.track(&t, &shipment_ref("x", Some(&created.awb)))).unwrap_err();
    assert_eq!(
        err,
        CarrierError::rejected("unauthorized", "Not Authorized", 200)
    );

    // Another account's consignment: DTDC's 206 "Not Authorized" to tracking.
    common::add_account(
        &*sim,
        json!({
            "account": "other", "api_key": "other-key", "customer_code": "GL0002",
            "tracking_username": "other_trk", "tracking_password": "other-pass",
        }),
    );
    let mut settings = sandbox_settings();
    for (k, v) in [
        ("api_key", "other-key"),
        ("customer_code", "GL0002"),
        ("tracking_username", "other_trk"),
        ("tracking_password", "other-pass"),
    ] {
        settings.insert(k.into(), v.into());
    }
    let other = Dtdc::new(&settings).unwrap();
    let err = block_on(other.track(&t, &shipment_ref("x", Some(&created.awb)))).unwrap_err();
    assert_eq!(rejected_code(&err), dtdc::NOT_AUTHORIZED);
    let err = block_on(other.label(&t, &shipment_ref("x", Some(&created.awb)), LabelFormat::Pdf))
        .unwrap_err();
    assert_eq!(rejected_code(&err), dtdc::NOT_FOUND);
    let counts = common::account_requests(&*sim);
    assert!(
        counts.iter().any(|(a, n)| a == "other" && *n >= 3),
        "{counts:?}"
    );

    // Settings checked.
    let mut settings = sandbox_settings();
    settings.insert("hosts".into(), "elsewhere".into());
    assert!(Dtdc::new(&settings).unwrap_err().contains("hosts"));
    let mut settings = sandbox_settings();
    settings.remove("api_key");
    assert!(Dtdc::new(&settings).is_err());
}
