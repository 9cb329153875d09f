//! Storefront checkout rates: Shopify's CarrierService callback (its documented rate
//! request, verbatim), WooCommerce's and Magento's plugins, priced through the sandbox
//! carriers, the tenant's selection rules, the deadline and the cart cache.

use crate::common;

use base64::Engine;
use common::{TestApp, pointers, problem, spawn_app_with};
use serde_json::{Value, json};
use shipgate::store::Role;

const SHOPIFY_SECRET: &str = "shpss_0123456789abcdef0123456789abcdef";
const EXAMPLE: &str = include_str!("../../fixtures/storefront/shopify_rate_request.json");

fn sign(secret: &str, body: &[u8]) -> String {
    let hex_signature = carriers::push_auth::sign(secret.as_bytes(), body);
    base64::engine::general_purpose::STANDARD.encode(hex::decode(hex_signature).unwrap())
}

async fn app_with(customise: impl FnOnce(&mut shipgate::Config)) -> TestApp {
    spawn_app_with(|c| {
        c.limits.enabled = false;
        customise(c);
    })
    .await
}

async fn connect(app: &TestApp, body: Value) -> Value {
    let r = app.post("/v1/storefronts", &body).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    r.json().await.unwrap()
}

async fn connect_shopify(app: &TestApp) -> Value {
    connect(
        app,
        json!({"platform": "shopify", "name": "Jamie D's Emporium",
               "shop_domain": "jamies.myshopify.com", "secret": SHOPIFY_SECRET}),
    )
    .await
}

/// Posts `body` to a callback URL with `headers`.
async fn call(
    app: &TestApp,
    url: &str,
    body: &[u8],
    headers: &[(&str, String)],
) -> reqwest::Response {
    let mut r = app
        .client
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_vec());
    for (k, v) in headers {
        r = r.header(*k, v);
    }
    r.send().await.unwrap()
}

async fn shopify(app: &TestApp, url: &str, body: &[u8]) -> reqwest::Response {
    call(
        app,
        url,
        body,
        &[
            ("x-shopify-hmac-sha256", sign(SHOPIFY_SECRET, body)),
            ("x-shopify-shop-domain", "jamies.myshopify.com".into()),
        ],
    )
    .await
}

/// Shopify's documented example with its addresses moved to India (where the sandbox's
/// Indian carriers serve) and its currency to rupees.
fn indian_example() -> Vec<u8> {
    let mut body: Value = serde_json::from_str(EXAMPLE).unwrap();
    let rate = &mut body["rate"];
    for (side, pin, province, city) in [
        ("origin", "110020", "DL", "New Delhi"),
        ("destination", "560001", "KA", "Bengaluru"),
    ] {
        rate[side]["country"] = json!("IN");
        rate[side]["postal_code"] = json!(pin);
        rate[side]["province"] = json!(province);
        rate[side]["city"] = json!(city);
    }
    rate["currency"] = json!("INR");
    rate["items"][0]["price"] = json!(49900);
    serde_json::to_vec(&body).unwrap()
}

/// Every field Shopify reads, typed as Shopify wants it.
fn assert_shopify_rates(answer: &Value) -> Vec<String> {
    let rates = answer["rates"].as_array().expect("rates");
    let date = regex::Regex::new(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$").unwrap();
    for rate in rates {
        for field in ["service_name", "service_code", "description"] {
            assert!(
                rate[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field}: {rate}"
            );
        }
        let total = rate["total_price"]
            .as_str()
            .expect("total_price is a string");
        assert!(
            !total.is_empty() && total.bytes().all(|b| b.is_ascii_digit()),
            "{rate}"
        );
        let currency = rate["currency"].as_str().unwrap();
        assert!(
            currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase()),
            "{rate}"
        );
        // Present with an estimate (the carrier's or the lane's history), absent without.
        assert_eq!(
            rate.get("min_delivery_date"),
            rate.get("max_delivery_date"),
            "{rate}"
        );
        if let Some(d) = rate.get("min_delivery_date") {
            assert!(date.is_match(d.as_str().unwrap()), "{rate}");
        }
    }
    rates
        .iter()
        .map(|r| r["service_code"].as_str().unwrap().to_string())
        .collect()
}

fn carriers_of(codes: &[String]) -> Vec<String> {
    let mut c: Vec<String> = codes
        .iter()
        .map(|c| c.split(':').next().unwrap().to_string())
        .collect();
    c.sort();
    c.dedup();
    c
}

fn counter(metrics: &str, name: &str, labels: &[&str]) -> f64 {
    metrics
        .lines()
        .filter(|l| l.starts_with(name) && labels.iter().all(|x| l.contains(x)))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

#[tokio::test]
async fn shopifys_documented_rate_request_gets_a_valid_answer() {
    let app = app_with(|_| {}).await;
    let shop = connect_shopify(&app).await;
    let url = shop["callback_url"].as_str().unwrap().to_string();
    assert!(
        url.starts_with(&format!("{}/storefront/shopify/", app.address)),
        "{url}"
    );
    assert!(
        shop.get("secret").is_none(),
        "Shopify's secret is the app's: never echoed"
    );

    // The example verbatim: Ottawa to Ottawa. UPS books within Canada (the other global
    // carriers quote only the US domestically), so its Canadian services answer, in CAD
    // whatever the cart's currency (Shopify's rates carry theirs), with dates.
    let r = shopify(&app, &url, EXAMPLE.as_bytes()).await;
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().await.unwrap();
    let codes = assert_shopify_rates(&answer);
    assert_eq!(carriers_of(&codes), ["ups"], "{answer}");
    for service in ["11", "02", "13", "01", "14"] {
        assert!(
            codes.contains(&format!("ups:{service}")),
            "{service}: {answer}"
        );
    }
    let rates = answer["rates"].as_array().unwrap();
    assert!(
        rates
            .iter()
            .all(|r| r["currency"] == "CAD" && r.get("min_delivery_date").is_some()),
        "{answer}"
    );
    assert!(
        rates
            .iter()
            .any(|r| r["service_name"].as_str().unwrap().contains("UPS Standard")),
        "{answer}"
    );

    // The example with the buyer in New York: UPS and DHL Express quote from Ottawa, each
    // in its own currency (Shopify's rates carry theirs).
    let mut cross: Value = serde_json::from_str(EXAMPLE).unwrap();
    cross["rate"]["destination"]["country"] = json!("US");
    cross["rate"]["destination"]["province"] = json!("NY");
    cross["rate"]["destination"]["city"] = json!("New York");
    cross["rate"]["destination"]["postal_code"] = json!("10001");
    let r = shopify(&app, &url, &serde_json::to_vec(&cross).unwrap()).await;
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().await.unwrap();
    let codes = assert_shopify_rates(&answer);
    assert_eq!(carriers_of(&codes), ["dhl_express", "ups"], "{answer}");
    let rates = answer["rates"].as_array().unwrap();
    assert!(
        rates.iter().all(|r| r.get("min_delivery_date").is_some()),
        "UPS and DHL give dates: {answer}"
    );

    // The example in India: the Indian carriers, in rupees.
    let r = shopify(&app, &url, &indian_example()).await;
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().await.unwrap();
    let codes = assert_shopify_rates(&answer);
    assert!(
        codes.iter().any(|c| c.starts_with("delhivery:")),
        "{answer}"
    );
    assert!(
        answer["rates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r.get("min_delivery_date").is_some()),
        "Shiprocket gives dates: {answer}"
    );
    assert!(
        answer["rates"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["currency"] == "INR")
    );
    assert!(
        answer["rates"][0]["description"]
            .as_str()
            .unwrap()
            .starts_with("Recommended"),
        "{answer}"
    );
}

#[tokio::test]
async fn a_slow_carrier_is_left_out_and_the_rest_answered_by_the_deadline() {
    let app = app_with(|c| {
        c.storefront.deadline_ms = 800;
        c.rates.cache_ttl_ms = 0;
        common::only_carriers(c, &["delhivery", "shiprocket"]);
    })
    .await;
    let url = connect_shopify(&app).await["callback_url"]
        .as_str()
        .unwrap()
        .to_string();
    app.arm_fault("shiprocket", json!({"delay_ms": 5_000, "times": 20}))
        .await;
    let r = shopify(&app, &url, &indian_example()).await;
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().await.unwrap();
    let codes = assert_shopify_rates(&answer);
    assert_eq!(carriers_of(&codes), ["delhivery"], "{answer}");
    let metrics = app.metrics().await;
    assert_eq!(
        counter(
            &metrics,
            "shipgate_storefront_requests_total",
            &["platform=\"shopify\"", "outcome=\"rated\""]
        ),
        1.0
    );
    assert!(
        metrics.contains("shipgate_storefront_seconds"),
        "the histogram is exported"
    );
}

#[tokio::test]
async fn bad_signatures_unknown_tokens_and_bad_fields_are_refused() {
    let app = app_with(|_| {}).await;
    let url = connect_shopify(&app).await["callback_url"]
        .as_str()
        .unwrap()
        .to_string();
    let body = EXAMPLE.as_bytes();

    let wrong = call(
        &app,
        &url,
        body,
        &[("x-shopify-hmac-sha256", sign("another secret!!", body))],
    )
    .await;
    assert_eq!(problem(wrong).await.0, 401);
    let unsigned = call(&app, &url, body, &[]).await;
    assert_eq!(problem(unsigned).await.0, 401);
    let other_shop = call(
        &app,
        &url,
        body,
        &[
            ("x-shopify-hmac-sha256", sign(SHOPIFY_SECRET, body)),
            ("x-shopify-shop-domain", "someone-else.myshopify.com".into()),
        ],
    )
    .await;
    assert_eq!(problem(other_shop).await.0, 401);

    let unknown = url
        .replace("/shopify/", "/shopify/x")
        .replace("/rates", "y/rates");
    assert_eq!(problem(shopify(&app, &unknown, body).await).await.0, 404);
    let other_platform = url.replace("/shopify/", "/magento/");
    assert_eq!(
        problem(shopify(&app, &other_platform, body).await).await.0,
        404
    );

    let mut bad: Value = serde_json::from_str(EXAMPLE).unwrap();
    bad["rate"]["destination"]["postal_code"] = json!("K1M");
    bad["rate"]["items"][0]["grams"] = json!("heavy");
    let (status, p) = problem(shopify(&app, &url, &serde_json::to_vec(&bad).unwrap()).await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&p), ["/rate/items/0/grams"], "{p}");
    bad["rate"]["items"][0]["grams"] = json!(1000);
    let (status, p) = problem(shopify(&app, &url, &serde_json::to_vec(&bad).unwrap()).await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&p), ["/rate/destination/postal_code"], "{p}");

    let metrics = app.metrics().await;
    assert_eq!(
        counter(
            &metrics,
            "shipgate_storefront_requests_total",
            &["outcome=\"unauthorized\""]
        ),
        3.0
    );
    assert_eq!(
        counter(
            &metrics,
            "shipgate_storefront_requests_total",
            &["outcome=\"unknown_token\""]
        ),
        2.0
    );
}

#[tokio::test]
async fn an_identical_cart_is_answered_from_the_cart_cache() {
    let app = app_with(|c| {
        // The rate shop's own cache off: the cart cache alone spares the carriers.
        c.rates.cache_ttl_ms = 0;
        common::only_carriers(c, &["delhivery", "shiprocket"]);
    })
    .await;
    let url = connect_shopify(&app).await["callback_url"]
        .as_str()
        .unwrap()
        .to_string();
    let body = indian_example();
    let first: Value = shopify(&app, &url, &body).await.json().await.unwrap();
    let calls = counter(
        &app.metrics().await,
        "shipgate_carrier_operations_total",
        &[],
    );
    assert!(calls > 0.0);
    let second: Value = shopify(&app, &url, &body).await.json().await.unwrap();
    assert_eq!(first, second);
    let metrics = app.metrics().await;
    assert_eq!(
        counter(&metrics, "shipgate_carrier_operations_total", &[]),
        calls,
        "no carrier was asked again"
    );
    assert_eq!(
        counter(
            &metrics,
            "shipgate_storefront_cache_total",
            &["result=\"hit\""]
        ),
        1.0
    );
    assert_eq!(
        counter(
            &metrics,
            "shipgate_storefront_requests_total",
            &["outcome=\"cached\""]
        ),
        1.0
    );
}

#[tokio::test]
async fn carriers_the_selection_rules_exclude_are_not_offered() {
    let app = app_with(|c| common::only_carriers(c, &["delhivery", "shiprocket"])).await;
    let url = connect_shopify(&app).await["callback_url"]
        .as_str()
        .unwrap()
        .to_string();
    let before: Value = shopify(&app, &url, &indian_example())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        carriers_of(&assert_shopify_rates(&before)),
        ["delhivery", "shiprocket"]
    );
    let rules = json!({"rules": [{"then": {"action": "exclude", "carriers": ["delhivery"]}}]});
    let r = app
        .client
        .put(app.url("/v1/selection-rules"))
        .bearer_auth(&app.api_key)
        .json(&rules)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    // Another cart (the first is cached with the old rules).
    let mut body: Value = serde_json::from_slice(&indian_example()).unwrap();
    body["rate"]["items"][0]["quantity"] = json!(2);
    let after: Value = shopify(&app, &url, &serde_json::to_vec(&body).unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        carriers_of(&assert_shopify_rates(&after)),
        ["shiprocket"],
        "{after}"
    );
}

fn woo_package() -> Value {
    json!({
        "currency": "INR", "weight_unit": "kg", "dimension_unit": "cm",
        "origin": {"country": "IN", "state": "DL", "postcode": "110020", "city": "New Delhi",
                   "address_1": "Plot 4, Industrial Area"},
        "package": {
            "contents": [
                {"quantity": 2, "weight": "0.25", "length": "", "width": "", "height": "",
                 "price": "499.00", "sku": "KURTA-M", "needs_shipping": true},
                {"quantity": 1, "weight": "", "price": "99", "sku": "EBOOK", "needs_shipping": false}
            ],
            "contents_cost": 998.0,
            "destination": {"country": "IN", "state": "KA", "postcode": "560001",
                            "city": "Bengaluru", "address": "12 MG Road", "address_1": "12 MG Road",
                            "address_2": ""}
        }
    })
}

#[tokio::test]
async fn woocommerce_and_magento_get_their_own_answers_with_their_own_auth() {
    let app = app_with(|c| common::only_carriers(c, &["delhivery", "shiprocket"])).await;

    // WooCommerce: shipgate makes the secret and shows it once.
    let woo = connect(
        &app,
        json!({"platform": "woocommerce", "name": "Woo shop",
        "default_parcel": {"length_mm": 300, "width_mm": 200, "height_mm": 100}}),
    )
    .await;
    let secret = woo["secret"]
        .as_str()
        .expect("the secret, once")
        .to_string();
    let id = woo["id"].as_str().unwrap();
    assert!(
        app.get(&format!("/v1/storefronts/{id}"))
            .await
            .json::<Value>()
            .await
            .unwrap()
            .get("secret")
            .is_none()
    );
    let url = woo["callback_url"].as_str().unwrap();
    let body = serde_json::to_vec(&woo_package()).unwrap();
    let r = call(
        &app,
        url,
        &body,
        &[("x-shipgate-signature", sign(&secret, &body))],
    )
    .await;
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().await.unwrap();
    let rates = answer["rates"].as_array().unwrap();
    assert!(!rates.is_empty(), "{answer}");
    let cost = regex::Regex::new(r"^\d+\.\d{2}$").unwrap();
    for rate in rates {
        assert!(
            rate["id"].as_str().unwrap().starts_with("shipgate:"),
            "{rate}"
        );
        assert!(!rate["label"].as_str().unwrap().is_empty());
        assert!(cost.is_match(rate["cost"].as_str().unwrap()), "{rate}");
        assert!(rate["meta_data"]["carrier_account"].is_string(), "{rate}");
    }
    let wrong = call(
        &app,
        url,
        &body,
        &[("x-shipgate-signature", sign("not the secret at all", &body))],
    )
    .await;
    assert_eq!(problem(wrong).await.0, 401);
    let mut bad = woo_package();
    bad["package"]["destination"]["postcode"] = json!("56");
    let bad = serde_json::to_vec(&bad).unwrap();
    let (status, p) = problem(
        call(
            &app,
            url,
            &bad,
            &[("x-shipgate-signature", sign(&secret, &bad))],
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, pointers(&p)),
        (422, vec!["/package/destination/postcode".to_string()]),
        "{p}"
    );

    // Magento: a bearer token, and a markup that shows as price over cost.
    let magento = connect(
        &app,
        json!({"platform": "magento", "name": "Shipgate",
        "markup": {"percent": "10", "amount": 500}}),
    )
    .await;
    let token = magento["secret"].as_str().unwrap().to_string();
    let url = magento["callback_url"].as_str().unwrap();
    let body = serde_json::to_vec(&json!({
        "dest_country_id": "IN", "dest_region_code": "KA", "dest_postcode": "560001",
        "dest_city": "Bengaluru", "dest_street": "12 MG Road",
        "orig_country_id": "IN", "orig_region_code": "DL", "orig_postcode": "110020", "orig_city": "New Delhi",
        "package_weight": 0.5, "weight_unit": "kgs", "package_value": 998, "package_qty": 2,
        "base_currency": "INR",
        "all_items": [{"sku": "KURTA-M", "qty": 2, "weight": 0.25, "price": 499}]
    }))
    .unwrap();
    let r = call(
        &app,
        url,
        &body,
        &[("authorization", format!("Bearer {token}"))],
    )
    .await;
    assert_eq!(r.status(), 200);
    let answer: Value = r.json().await.unwrap();
    let rates = answer["rates"].as_array().unwrap();
    assert!(!rates.is_empty(), "{answer}");
    let method = regex::Regex::new(r"^[a-z0-9_]+$").unwrap();
    for rate in rates {
        assert_eq!(rate["carrier"], "shipgate");
        assert_eq!(rate["carrier_title"], "Shipgate");
        assert!(method.is_match(rate["method"].as_str().unwrap()), "{rate}");
        let price: f64 = rate["price"].as_str().unwrap().parse().unwrap();
        let cost: f64 = rate["cost"].as_str().unwrap().parse().unwrap();
        assert!(price >= cost * 1.1 + 5.0 - 0.001, "{rate}");
    }
    let wrong = call(&app, url, &body, &[("authorization", "Bearer nope".into())]).await;
    assert_eq!(problem(wrong).await.0, 401);
}

#[tokio::test]
async fn connections_are_the_tenants_own_and_a_deleted_one_stops_answering() {
    let app = app_with(|_| {}).await;
    let (status, p) = problem(
        app.post(
            "/v1/storefronts",
            &json!({"platform": "shopify", "name": "", "markup": {"percent": "1.234"}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&p), ["/name", "/secret", "/markup/percent"], "{p}");

    let shop = connect_shopify(&app).await;
    let id = shop["id"].as_str().unwrap();
    let list: Value = app.get("/v1/storefronts").await.json().await.unwrap();
    assert_eq!(list["data"][0]["id"], *id);
    assert_eq!(list["data"][0]["callback_url"], shop["callback_url"]);

    let other = app.key_for_tenant("other", Role::Admin).await;
    let r = app
        .client
        .get(app.url(&format!("/v1/storefronts/{id}")))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = app
        .client
        .get(app.url("/v1/storefronts"))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["data"], json!([]));

    let r = app
        .client
        .delete(app.url(&format!("/v1/storefronts/{id}")))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let url = shop["callback_url"].as_str().unwrap();
    assert_eq!(
        problem(shopify(&app, url, EXAMPLE.as_bytes()).await)
            .await
            .0,
        404
    );
}
