//! The Indian carriers side by side (issue 19): one COD rate request from Delhi to a
//! Bengaluru pincode quotes every carrier that books within India — from its rate API, or
//! for a carrier without one from the tenant's rate card under its account — beside the
//! tenant's other cards, and `carrier: "auto"` can book any of them. What each carrier
//! does on its own (labels, tracking to delivered, NDR actions, reverse pickups) is the
//! conformance suite's.

use crate::common;

use carriers::carrier::CarrierSpec;
use common::{json_of, put_rate_card, shipment_body, spawn_app};
use serde_json::{Value, json};

/// The carriers that book parcels within India, in registry order.
fn indian() -> Vec<CarrierSpec> {
    carriers::registry()
        .into_iter()
        .filter(|s| s.domestic.contains(&"IN"))
        .collect()
}

fn capabilities(spec: &CarrierSpec) -> carriers::carrier::Capabilities {
    common::sandbox_adapter(spec).capabilities()
}

/// Delhi 110020 to Bengaluru 560001, cash on delivery.
fn cod_parcel(order_ref: &str, carrier: &str) -> Value {
    let mut body = shipment_body(order_ref, carrier);
    body["payment"] = json!({"mode": "cod", "cod_amount": {"amount": 49900, "currency": "INR"}});
    body
}

#[tokio::test]
async fn a_cod_parcel_from_delhi_to_bengaluru_is_quoted_by_every_indian_carrier_and_auto_books_each()
 {
    let app = spawn_app().await;
    let carriers = indian();
    let ids: Vec<&str> = carriers.iter().map(|s| s.id).collect();
    assert_eq!(
        ids,
        [
            "delhivery",
            "shiprocket",
            "bluedart",
            "xpressbees",
            "ecomexpress",
            "dtdc",
            "clickpost"
        ],
        "the Indian carriers issue 19 names"
    );
    // The tenant's contracts: a card for each carrier without a rate API, and one more
    // contract quoted as `ratecard`.
    for spec in &carriers {
        let caps = capabilities(spec);
        if !caps.rates {
            let name = format!("{} 2026", spec.name);
            put_rate_card(&app, spec.id, &name, Some(caps.services[0])).await;
        }
    }
    put_rate_card(&app, "regional-courier", "Regional courier 2026", None).await;

    let mut rate = cod_parcel("unused", "x");
    let object = rate.as_object_mut().unwrap();
    object.remove("order_ref");
    object.remove("carrier");
    let rates = json_of(app.post("/v1/rates", &rate).await, 200).await;
    let mut quoted: Vec<&str> = rates["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["carrier"].as_str().unwrap())
        .collect();
    quoted.sort();
    quoted.dedup();
    let mut want = ids.clone();
    want.push("ratecard");
    want.sort();
    assert_eq!(quoted, want, "{rates}");
    for q in rates["quotes"].as_array().unwrap() {
        assert_eq!(q["total"]["currency"], "INR", "{q}");
        let cod = q["breakdown"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "cod");
        let carded = q["carrier"] == "ratecard" || !capabilities_of(&carriers, q).rates;
        // A card prices cash on delivery as its own line.
        assert!(!carded || cod, "{q}");
    }

    // `auto` books whichever carrier the tenant's rules pick: each in turn.
    for (i, spec) in carriers.iter().enumerate() {
        let rules = json!({"rules": [{"then": {"action": "force", "carrier": spec.id}}]});
        let r = app
            .client
            .put(app.url("/v1/selection-rules"))
            .bearer_auth(&app.api_key)
            .json(&rules)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let order = format!("ORD-IN-AUTO-{i}");
        let booked = json_of(
            app.post("/v1/shipments", &cod_parcel(&order, "auto")).await,
            201,
        )
        .await;
        assert_eq!(booked["carrier"], spec.id, "{booked}");
        assert!(
            !booked["awb"].as_str().unwrap_or_default().is_empty(),
            "{booked}"
        );
        assert_eq!(booked["payment"]["mode"], "cod", "{booked}");
    }
}

fn capabilities_of(carriers: &[CarrierSpec], quote: &Value) -> carriers::carrier::Capabilities {
    let spec = carriers
        .iter()
        .find(|s| quote["carrier"] == s.id)
        .unwrap_or_else(|| panic!("a quote from an unknown carrier: {quote}"));
    capabilities(spec)
}
