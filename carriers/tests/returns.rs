//! Returns (reverse pickups) through the `Returns` family, for Delhivery and Shiprocket:
//! the requests against the carriers' real payloads (`../shared/carrier-samples`, which
//! these tests need: they fail without them), the answers parsed, and each simulator's
//! reverse journey tracked from booking to delivery at the warehouse.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::Value;

use carriers::delhivery::simulator::{DelhiverySimulator, sandbox_settings as delhivery_settings};
use carriers::delhivery::{Delhivery, returns::return_body};
use carriers::families::{QcCheck, ReturnReason, ReturnRequest, Returns};
use carriers::schema::{Address, Money, Parcel, Phone, PostalCode, ShipmentRef};
use carriers::shiprocket::returns::{reason_text, return_order_body};
use carriers::shiprocket::{self, Shiprocket, ShiprocketSimulator};
use carriers::taxonomy::SubStatus;
use carriers::wire::HttpResponse;
use carriers::{Carrier, CarrierError, CarrierSpec};
use common::{SimTransport, block_on, parse_csv, track_until};

const DELHIVERY_ROOT: &str = "http://sandbox.test/sandbox/delhivery";
const SHIPROCKET_ROOT: &str = "http://sandbox.test/sandbox/shiprocket";

/// A real sample; these tests fail, never skip, without it.
fn sample(carrier: &str, file: &str) -> Vec<u8> {
    let dir = common::samples_dir(carrier)
        .unwrap_or_else(|| panic!("../shared/carrier-samples/{carrier} is needed"));
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn address(name: &str, pin: &str, city: &str) -> Address {
    Address {
        name: name.into(),
        phone: Phone::parse("+91 98765 43210", "IN").unwrap(),
        email: Some("someone@example.com".into()),
        line1: "4 Temple Street".into(),
        line2: Some("Flat 2B".into()),
        landmark: None,
        city: city.into(),
        state: Some("Karnataka".into()),
        postal_code: PostalCode::parse(pin, "IN").unwrap(),
        country: "IN".into(),
    }
}

fn request(id: &str, qc: Option<QcCheck>) -> ReturnRequest {
    ReturnRequest {
        shipment_id: id.into(),
        pickup: address("Asha Rao", "411038", "Pune"),
        deliver_to: address("Warehouse", "560025", "Bengaluru"),
        parcels: vec![Parcel {
            weight_g: 700,
            length_mm: Some(200),
            width_mm: Some(150),
            height_mm: Some(100),
            declared_value: Some(Money::inr(149_900)),
            description: Some("Cotton kurta".into()),
        }],
        service: None,
        reason: ReturnReason::SizeIssue,
        qc,
        customs: None,
    }
}

fn qc() -> QcCheck {
    QcCheck {
        product_name: "Cotton kurta".into(),
        brand: Some("Shipgate".into()),
        image_url: Some("https://example.com/kurta.jpg".into()),
        color: Some("blue".into()),
        size: None,
    }
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

fn shipment_ref(
    id: &str,
    awb: &str,
    refs: &std::collections::BTreeMap<String, String>,
) -> ShipmentRef {
    ShipmentRef {
        shipment_id: id.into(),
        order_ref: "ORD-1".into(),
        awb: Some(awb.into()),
        carrier_refs: refs.clone(),
    }
}

fn sub_statuses(
    carrier: &dyn Carrier,
    t: &dyn carriers::Transport,
    r: &ShipmentRef,
) -> Vec<SubStatus> {
    let update = block_on(carrier.track(t, r)).unwrap();
    update.events.iter().map(|e| e.sub_status).collect()
}

fn spec(id: &str) -> CarrierSpec {
    carriers::registry()
        .into_iter()
        .find(|s| s.id == id)
        .unwrap()
}

// ---------------------------------------------------------------------------------------
// Delhivery

#[test]
fn delhivery_books_a_reverse_pickup_as_a_pickup_mode_create() {
    let body = return_body(&request("shp_r1", None), "SHIPGATE SANDBOX WAREHOUSE").unwrap();
    let shipment = serde_json::to_value(&body.shipments[0]).unwrap();
    assert_eq!(shipment["payment_mode"], "Pickup");
    assert_eq!(shipment["order"], "shp_r1");
    // The consignee is the buyer to collect from; the return address the warehouse.
    assert_eq!(
        (shipment["pin"].as_str(), shipment["city"].as_str()),
        (Some("411038"), Some("Pune"))
    );
    assert_eq!(shipment["return_pin"], "560025");
    assert_eq!(shipment["return_name"], "Warehouse");
    assert_eq!(shipment["cod_amount"], "0");
    assert_eq!(shipment["total_amount"], "1499.00");

    // Every field is one Delhivery's real create capture has (the same call, forward).
    let theirs: Value = serde_json::from_slice(&sample(
        "delhivery",
        "prod2026_create_package_request_decoded.json",
    ))
    .unwrap();
    let extra: Vec<String> = keys(&shipment)
        .difference(&keys(&theirs["shipments"][0]))
        .filter(|k| !k.starts_with("shipment_") && *k != "waybill")
        .cloned()
        .collect();
    assert!(extra.is_empty(), "fields the capture lacks: {extra:?}");
}

#[test]
fn delhivery_refuses_a_quality_check_unsent() {
    let a = Delhivery::new(&delhivery_settings()).unwrap();
    assert!(!a.offers_qc());
    let sim = Arc::new(DelhiverySimulator::new());
    let t = SimTransport::new(sim, DELHIVERY_ROOT);
    let err = block_on(a.create_return(&t, None, &request("shp_qc", Some(qc())))).unwrap_err();
    assert!(matches!(err, CarrierError::Unsupported(_)), "{err:?}");
    assert!(t.ops().is_empty(), "nothing sent");
}

#[test]
fn delhivery_reverse_pickup_is_picked_up_and_delivered_back() {
    let sim = Arc::new(DelhiverySimulator::new());
    let t = SimTransport::new(sim, DELHIVERY_ROOT);
    let a = Delhivery::new(&delhivery_settings()).unwrap();
    let created = block_on(a.create_return(&t, None, &request("shp_rvp_1", None))).unwrap();
    assert_eq!(created.awb.len(), 14);
    let r = shipment_ref("shp_rvp_1", &created.awb, &created.carrier_refs);
    let (_, seen) = track_until(
        12,
        || sub_statuses(&a, &t, &r),
        |s| s == SubStatus::Delivered,
    );
    for wanted in [
        SubStatus::PickupScheduled,
        SubStatus::OutForPickup,
        SubStatus::PickedUp,
        SubStatus::Delivered,
    ] {
        assert!(seen.contains(&wanted), "{wanted:?} in {seen:?}");
    }
    assert!(
        !seen
            .iter()
            .any(|s| s.status() == carriers::taxonomy::Status::Rto),
        "a return is not an RTO: {seen:?}"
    );

    // A reused reference is Delhivery's duplicate: never a second waybill.
    let again = block_on(a.create_return(&t, None, &request("shp_rvp_1", None)));
    assert!(
        matches!(again, Err(CarrierError::Rejected { .. })),
        "{again:?}"
    );
}

#[test]
fn delhivery_reverse_pickup_cancelled_before_pickup() {
    let sim = Arc::new(DelhiverySimulator::new());
    let t = SimTransport::new(sim, DELHIVERY_ROOT);
    let a = Delhivery::new(&delhivery_settings()).unwrap();
    let created = block_on(a.create_return(&t, None, &request("shp_rvp_2", None))).unwrap();
    let r = shipment_ref("shp_rvp_2", &created.awb, &created.carrier_refs);
    block_on(a.cancel(&t, &r)).unwrap();
    let (_, seen) = track_until(
        3,
        || sub_statuses(&a, &t, &r),
        |s| s == SubStatus::Cancelled,
    );
    assert!(!seen.contains(&SubStatus::PickedUp), "{seen:?}");
}

#[test]
fn delhivery_simulator_refuses_a_pickup_without_a_return_address() {
    let sim = Arc::new(DelhiverySimulator::new());
    let t = SimTransport::new(sim, DELHIVERY_ROOT);
    let a = Delhivery::new(&delhivery_settings()).unwrap();
    let mut req = request("shp_rvp_3", None);
    req.deliver_to.line1 = String::new();
    req.deliver_to.line2 = None;
    let err = block_on(a.create_return(&t, None, &req)).unwrap_err();
    let CarrierError::Rejected { message, .. } = err else {
        panic!("{err:?}")
    };
    assert!(message.contains("return_add"), "{message}");
}

// ---------------------------------------------------------------------------------------
// Shiprocket

fn order_date() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 6)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

#[test]
fn shiprocket_return_order_has_the_documented_fields() {
    let ours = serde_json::to_value(
        return_order_body(&request("shp_r1", Some(qc())), order_date()).unwrap(),
    )
    .unwrap();
    let theirs: Value =
        serde_json::from_slice(&sample("shiprocket", "create_return_order_request.json")).unwrap();
    // Not in the documented example: company_name and channel_id are optional there.
    let extra: Vec<String> = keys(&ours).difference(&keys(&theirs)).cloned().collect();
    assert!(
        extra.is_empty(),
        "order fields the example lacks: {extra:?}"
    );
    // Items: the example's QC fields, plus the reason and the two QC fields assumed.
    let assumed = ["return_reason", "qc_color", "qc_size"];
    let item_extra: Vec<String> = keys(&ours["order_items"][0])
        .difference(&keys(&theirs["order_items"][0]))
        .filter(|k| !assumed.contains(&k.as_str()))
        .cloned()
        .collect();
    assert!(
        item_extra.is_empty(),
        "item fields the example lacks: {item_extra:?}"
    );
    assert_eq!(ours["pickup_pincode"], "411038");
    assert_eq!(ours["shipping_pincode"], "560025");
    assert_eq!(ours["payment_method"], "PREPAID");
    assert_eq!(ours["weight"], 0.7);
    assert_eq!(ours["order_items"][0]["qc_enable"], true);
    assert_eq!(ours["order_items"][0]["qc_product_name"], "Cotton kurta");
    assert_eq!(
        ours["order_items"][0]["return_reason"],
        "Size not as expected"
    );
    let plain =
        serde_json::to_value(return_order_body(&request("shp_r2", None), order_date()).unwrap())
            .unwrap();
    assert_eq!(plain["order_items"][0]["qc_enable"], false);
    assert!(plain["order_items"][0].get("qc_product_name").is_none());
}

#[test]
fn shiprocket_reason_texts_are_its_published_ones() {
    use strum::VariantArray;
    let csv = String::from_utf8(sample("shiprocket", "return-reasons.csv")).unwrap();
    let published: BTreeSet<String> = parse_csv(&csv)
        .into_iter()
        .skip(1)
        .map(|row| row[1].clone())
        .collect();
    for reason in ReturnReason::VARIANTS {
        let text = reason_text(*reason);
        assert!(
            published.contains(text),
            "{reason:?}: `{text}` is not in return-reasons.csv"
        );
    }
}

#[test]
fn shiprocket_return_answers_are_read() {
    let ok = HttpResponse::new(
        200,
        sample("shiprocket", "create_return_order_response.json"),
    );
    let order = shiprocket::parse_create_order_response(&ok).unwrap();
    assert_eq!(
        (order.order_id.as_str(), order.shipment_id.as_str()),
        ("170872392", "170411259")
    );
    let refused = HttpResponse::new(
        422,
        sample("shiprocket", "create_return_order_response_422.json"),
    );
    let err = shiprocket::parse_create_order_response(&refused).unwrap_err();
    let CarrierError::Rejected {
        message,
        http_status,
        ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(http_status, 422);
    assert!(
        message.contains("order id has already been taken"),
        "{message}"
    );
}

fn shiprocket_adapter() -> Shiprocket {
    Shiprocket::new(&(spec("shiprocket").sandbox_settings)()).unwrap()
}

#[test]
fn shiprocket_return_is_picked_up_and_delivered_back() {
    let sim = Arc::new(ShiprocketSimulator::default());
    let t = SimTransport::new(sim, SHIPROCKET_ROOT);
    let a = shiprocket_adapter();
    assert!(a.offers_qc());
    let created = block_on(a.create_return(&t, None, &request("shp_sr_1", Some(qc())))).unwrap();
    assert_eq!(
        created.carrier_refs.get("is_return").map(String::as_str),
        Some("1")
    );
    assert_eq!(
        created.labels.len(),
        1,
        "label fetched: {:?}",
        created.carrier_refs
    );
    assert!(created.labels[0].content.starts_with(b"%PDF"));
    let r = shipment_ref("shp_sr_1", &created.awb, &created.carrier_refs);
    let (_, seen) = track_until(
        12,
        || sub_statuses(&a, &t, &r),
        |s| s == SubStatus::Delivered,
    );
    for wanted in [
        SubStatus::PickupScheduled,
        SubStatus::OutForPickup,
        SubStatus::PickedUp,
    ] {
        assert!(seen.contains(&wanted), "{wanted:?} in {seen:?}");
    }

    // The same reference again: the documented 422, in Shiprocket's words.
    let err = block_on(a.create_return(&t, None, &request("shp_sr_1", None))).unwrap_err();
    let CarrierError::Rejected {
        message,
        http_status,
        ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(http_status, 422);
    assert!(
        message.contains("order id has already been taken"),
        "{message}"
    );
}

#[test]
fn shiprocket_return_cancelled_before_pickup() {
    let sim = Arc::new(ShiprocketSimulator::default());
    let t = SimTransport::new(sim, SHIPROCKET_ROOT);
    let a = shiprocket_adapter();
    let created = block_on(a.create_return(&t, None, &request("shp_sr_2", None))).unwrap();
    let r = shipment_ref("shp_sr_2", &created.awb, &created.carrier_refs);
    block_on(a.cancel(&t, &r)).unwrap();
    let (_, seen) = track_until(
        3,
        || sub_statuses(&a, &t, &r),
        |s| s == SubStatus::Cancelled,
    );
    assert!(!seen.contains(&SubStatus::PickedUp), "{seen:?}");
}

#[test]
fn shiprocket_simulator_validates_return_orders_as_documented() {
    let sim = Arc::new(ShiprocketSimulator::default());
    let t = SimTransport::new(sim, SHIPROCKET_ROOT);
    let a = shiprocket_adapter();
    // A buyer without an email: `pickup_email` is required.
    let mut req = request("shp_sr_3", None);
    req.pickup.email = None;
    let err = block_on(a.create_return(&t, None, &req)).unwrap_err();
    let CarrierError::Rejected {
        message,
        http_status,
        ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(http_status, 422);
    assert!(message.contains("pickup email"), "{message}");
}

/// The AWB call of a return fails in a way that may hide a booking: a lookup (what the
/// gateway's reconciler does next) finishes the same return order, as a return, and
/// booking again continues it; Shiprocket is never asked for a second order.
#[test]
fn shiprocket_return_interrupted_before_its_awb_is_finished_not_rebooked() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let sim = Arc::new(ShiprocketSimulator::default());
    let failed_once = Arc::new(AtomicBool::new(false));
    let flag = failed_once.clone();
    let t = SimTransport::new(sim.clone(), SHIPROCKET_ROOT).with_fault(Box::new(move |_, req| {
        if req.path.ends_with("/courier/assign/awb") && !flag.swap(true, Ordering::SeqCst) {
            return common::Fault::Answer(HttpResponse::new(502, "<html>bad gateway</html>"));
        }
        common::Fault::Pass
    }));
    let a = shiprocket_adapter();
    let err = block_on(a.create_return(&t, None, &request("shp_sr_lost", None))).unwrap_err();
    assert!(err.may_have_happened(), "{err:?}");
    assert!(failed_once.load(Ordering::SeqCst));
    let r = ShipmentRef {
        shipment_id: "shp_sr_lost".into(),
        ..ShipmentRef::default()
    };
    let found = block_on(a.lookup(&t, &r))
        .unwrap()
        .expect("the return order is found and finished");
    assert_eq!(
        found.carrier_refs.get("is_return").map(String::as_str),
        Some("1")
    );
    assert_eq!(carriers::Simulator::bookings(&*sim), 1);
    let creates = t
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, p)| p.ends_with("/create/return"))
        .count();
    assert_eq!(creates, 1, "one return order");
}
