//! Rate cards over real HTTP: upload (JSON and CSV), versions, validation, tenant
//! isolation, and `POST /v1/rates` answering with card quotes that match the engine.

use crate::common;

use carriers::ratecard::{self, RateCard};
use carriers::schema::{Money, Parcel};
use common::{TestApp, address, pointers, problem, shipment_body, spawn_app};
use serde_json::{Value, json};
use shipgate::store::Role;

fn card(first_slab_rest_of_india: i64) -> Value {
    json!({
        "name": "Delhivery Surface 2026",
        "volumetric_divisor": 5000,
        "first_slab_g": 500,
        "additional_slab_g": 500,
        "zones": {
            "within_city":    {"first_slab": 3000, "additional_slab": 2500, "transit_days": 1},
            "within_state":   {"first_slab": 3500, "additional_slab": 3000, "transit_days": 2},
            "metro_to_metro": {"first_slab": 4200, "additional_slab": 4000, "transit_days": 3},
            "rest_of_india":  {"first_slab": first_slab_rest_of_india, "additional_slab": 4500, "transit_days": 4},
            "special":        {"first_slab": 6500, "additional_slab": 6000, "transit_days": 7}
        },
        "cod": {"percent": "2", "minimum": 4000},
        "fuel_surcharge_percent": "10",
        "gst_percent": "18"
    })
}

const CSV_CARD: &str = "setting,value
name,Blue Dart Air
volumetric_divisor,5000
first_slab_g,500
additional_slab_g,500
fuel_surcharge_percent,12.5
gst_percent,18

zone,first_slab,additional_slab,transit_days
metro_to_metro,6000,5500,2
rest_of_india,7000,6500,3
";

async fn put_json(app: &TestApp, key: &str, account: &str, body: &Value) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/v1/rate-cards/{account}")))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn put_raw(
    app: &TestApp,
    account: &str,
    content_type: &str,
    body: &str,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/v1/rate-cards/{account}")))
        .bearer_auth(&app.api_key)
        .header("content-type", content_type)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

async fn get_as(app: &TestApp, key: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
}

/// A rate request from Delhi (110020) to Bengaluru (560001), ratecard only.
fn rate_request() -> Value {
    let mut body = shipment_body("unused", "x");
    body["carriers"] = json!(["ratecard"]);
    body
}

#[tokio::test]
async fn uploads_are_versioned_and_readable() {
    let app = spawn_app().await;
    let key = app.api_key.clone();

    let r = put_json(&app, &key, "delhivery-surface", &card(4800)).await;
    assert_eq!(r.status(), 201);
    let v1: Value = r.json().await.unwrap();
    assert_eq!(v1["carrier_account"], "delhivery-surface");
    assert_eq!(
        (v1["version"].as_i64(), v1["active"].as_bool()),
        (Some(1), Some(true))
    );
    assert_eq!(v1["source_format"], "json");
    assert_eq!(v1["card"]["fuel_surcharge_percent"], "10");
    assert_eq!(v1["card"]["zones"]["rest_of_india"]["first_slab"], 4800);

    // The same card again changes nothing.
    let r = put_json(&app, &key, "delhivery-surface", &card(4800)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["version"], 1);

    // A new card replaces it; the old version stays readable.
    let r = put_json(&app, &key, "delhivery-surface", &card(5200)).await;
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["version"], 2);

    let got: Value = app
        .get("/v1/rate-cards/delhivery-surface")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (got["version"].as_i64(), got["active"].as_bool()),
        (Some(2), Some(true))
    );
    assert_eq!(got["card"]["zones"]["rest_of_india"]["first_slab"], 5200);
    let versions: Vec<i64> = got["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, vec![2, 1]);
    let old: Value = app
        .get("/v1/rate-cards/delhivery-surface?version=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (old["version"].as_i64(), old["active"].as_bool()),
        (Some(1), Some(false))
    );
    assert_eq!(old["card"]["zones"]["rest_of_india"]["first_slab"], 4800);

    // CSV, for a second account.
    let r = put_raw(&app, "bluedart-air", "text/csv; charset=utf-8", CSV_CARD).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let list: Value = app.get("/v1/rate-cards").await.json().await.unwrap();
    let listed: Vec<(String, i64, String)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["carrier_account"].as_str().unwrap().to_string(),
                c["version"].as_i64().unwrap(),
                c["source_format"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            ("bluedart-air".to_string(), 1, "csv".to_string()),
            ("delhivery-surface".to_string(), 2, "json".to_string()),
        ]
    );
    let csv_card = &list["data"][0]["card"];
    assert_eq!(csv_card["fuel_surcharge_percent"], "12.5");
    assert_eq!(csv_card["zones"]["metro_to_metro"]["additional_slab"], 5500);
    assert!(csv_card["zones"].get("special").is_none());

    // Missing things are 404s and bad versions 422s.
    let (status, _) = problem(app.get("/v1/rate-cards/nobody").await).await;
    assert_eq!(status, 404);
    let (status, _) = problem(app.get("/v1/rate-cards/delhivery-surface?version=9").await).await;
    assert_eq!(status, 404);
    let (status, body) = problem(
        app.get("/v1/rate-cards/delhivery-surface?version=0&x=1")
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), vec!["/version", "/x"]);
}

#[tokio::test]
async fn bad_cards_are_refused_at_their_pointers() {
    let app = spawn_app().await;
    let key = app.api_key.clone();

    let mut bad = card(4800);
    bad["zones"]["rest_of_india"]["first_slab"] = json!(0);
    bad["zones"]["moon"] = json!({"first_slab": 1, "additional_slab": 1});
    bad["gst_percent"] = json!(18.5);
    bad["cod"] = json!({"percent": "2.345"});
    let (status, body) = problem(put_json(&app, &key, "acct", &bad).await).await;
    assert_eq!(status, 422);
    let mut p = pointers(&body);
    p.sort();
    assert_eq!(
        p,
        vec![
            "/cod/percent",
            "/gst_percent",
            "/zones/moon",
            "/zones/rest_of_india/first_slab"
        ]
    );

    // A misspelt field is refused, not ignored; a wrong type names its field.
    let mut typo = card(4800);
    typo["fuel_surcharge_percnt"] = json!("10");
    let (status, body) = problem(put_json(&app, &key, "acct", &typo).await).await;
    assert_eq!(
        (status, pointers(&body)),
        (422, vec!["/fuel_surcharge_percnt".to_string()])
    );
    assert!(
        body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("unknown field"),
        "{body}"
    );
    let mut wrong = card(4800);
    wrong["zones"]["special"]["first_slab"] = json!("sixty");
    let (_, body) = problem(put_json(&app, &key, "acct", &wrong).await).await;
    assert_eq!(pointers(&body), vec!["/zones/special/first_slab"]);

    // CSV: a card field keeps its pointer and the detail names the cell; a problem with
    // the file points at its line and column.
    let csv = CSV_CARD.replace("rest_of_india,7000", "rest_of_india,-7");
    let (status, body) = problem(put_raw(&app, "acct", "text/csv", &csv).await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), vec!["/zones/rest_of_india/first_slab"]);
    assert!(
        body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .ends_with("(line 11, column 2 `first_slab`)"),
        "{body}"
    );
    let csv = CSV_CARD.replace("gst_percent,18", "gst,18");
    let (_, body) = problem(put_raw(&app, "acct", "text/csv", &csv).await).await;
    assert_eq!(pointers(&body), vec!["/csv/7/1"]);
    assert_eq!(body["errors"][0]["code"], "unknown_setting");

    // Wrong media type, bad account name, too weak a role.
    let (status, body) = problem(put_raw(&app, "acct", "text/plain", CSV_CARD).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );
    assert!(body["detail"].as_str().unwrap().contains("text/csv"));
    let (status, body) = problem(put_json(&app, &key, "Bad%20Name", &card(4800)).await).await;
    assert_eq!(
        (status, pointers(&body)),
        (422, vec!["/carrier_account".to_string()])
    );
    let writer = app.key_for_tenant("demo", Role::Write).await;
    let (status, _) = problem(put_json(&app, &writer, "acct", &card(4800)).await).await;
    assert_eq!(status, 403);
    // A reader may read.
    assert_eq!(get_as(&app, &writer, "/v1/rate-cards").await.status(), 200);

    // Nothing was stored by any of it.
    let list: Value = app.get("/v1/rate-cards").await.json().await.unwrap();
    assert_eq!(list["data"], json!([]));
}

#[tokio::test]
async fn tenants_never_see_each_others_cards() {
    let app = spawn_app().await;
    let key = app.api_key.clone();
    assert_eq!(
        put_json(&app, &key, "shared-name", &card(4800))
            .await
            .status(),
        201
    );

    let other = app.key_for_tenant("acme", Role::Admin).await;
    let list: Value = get_as(&app, &other, "/v1/rate-cards")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"], json!([]));
    let (status, _) = problem(get_as(&app, &other, "/v1/rate-cards/shared-name").await).await;
    assert_eq!(status, 404);
    let rates: Value = app
        .client
        .post(app.url("/v1/rates"))
        .bearer_auth(&other)
        .json(&rate_request())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rates["quotes"], json!([]));
    assert_eq!(rates["errors"][0]["code"], "no_rate_cards");

    // The other tenant's own card under the same name is its own version 1.
    let r = put_json(&app, &other, "shared-name", &card(9900)).await;
    assert_eq!(r.json::<Value>().await.unwrap()["version"], 1);
    let mine: Value = app
        .get("/v1/rate-cards/shared-name")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["card"]["zones"]["rest_of_india"]["first_slab"], 4800);
}

fn engine_total(
    card_json: &Value,
    from: &str,
    to: &str,
    parcels: &[Parcel],
    cod: Option<i64>,
) -> i64 {
    let card = RateCard::parse(&serde_json::from_value(card_json.clone()).unwrap()).unwrap();
    let t = ratecard::india();
    let cod = cod.map(Money::inr);
    ratecard::price(
        &card,
        &t.lookup(from).unwrap(),
        &t.lookup(to).unwrap(),
        parcels,
        cod.as_ref(),
    )
    .unwrap()
    .total
}

#[tokio::test]
async fn rates_answer_with_card_quotes_that_match_the_engine() {
    let app = spawn_app().await;
    let key = app.api_key.clone();
    put_json(&app, &key, "delhivery-surface", &card(4800)).await;
    put_raw(&app, "bluedart-air", "text/csv", CSV_CARD).await;

    // Delhi 110020 → Bengaluru 560001 is metro to metro. The request's parcel is 500 g in
    // 200 × 150 × 100 mm: volumetric 3,000,000 / 5000 = 600 g beats 500 g, so 1000 g
    // billed. Delhivery card: freight 4200 + 4000 = 8200, fuel 10 % 820,
    // GST 18 % of 9020 = 1623.6 → 1624, total 10644.
    // Blue Dart card: freight 6000 + 5500 = 11500, fuel 12.5 % 1437.5 → 1438,
    // GST 18 % of 12938 = 2328.84 → 2329, total 15267.
    let r = app.post("/v1/rates", &rate_request()).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["errors"], json!([]), "{body}");
    let quotes = body["quotes"].as_array().unwrap();
    let got: Vec<(&str, &str, i64)> = quotes
        .iter()
        .map(|q| {
            (
                q["carrier"].as_str().unwrap(),
                q["service"].as_str().unwrap(),
                q["total"]["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("ratecard", "delhivery-surface", 10644),
            ("ratecard", "bluedart-air", 15267)
        ]
    );
    let parcel = Parcel {
        weight_g: 500,
        length_mm: Some(200),
        width_mm: Some(150),
        height_mm: Some(100),
        declared_value: None,
        description: None,
    };
    assert_eq!(
        engine_total(
            &card(4800),
            "110020",
            "560001",
            std::slice::from_ref(&parcel),
            None
        ),
        10644
    );
    let d = &quotes[0];
    assert_eq!(d["service_name"], "Delhivery Surface 2026");
    assert_eq!(d["transit_days"], 3);
    let kinds: Vec<&str> = d["breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["freight", "fuel_surcharge", "tax"]);
    let freight = d["breakdown"][0]["label"].as_str().unwrap();
    assert!(freight.contains("zone metro_to_metro"), "{freight}");
    assert!(
        freight.contains(
            "chargeable 600 g (volumetric 600 g (divisor 5000) over dead 500 g), billed 1000 g"
        ),
        "{freight}"
    );

    // COD to a special zone: the Blue Dart card has no COD and no special zone.
    // Delhivery: Delhi → Guwahati 781001, 1000 g billed: freight 6500 + 6000 = 12500,
    // fuel 1250, COD 2 % of 49900 = 998 → minimum 4000, GST 18 % of 17750 = 3195,
    // total 20945.
    let mut cod = rate_request();
    cod["to"] = address("781001");
    cod["payment"] = json!({"mode": "cod", "cod_amount": {"amount": 49900, "currency": "INR"}});
    let body: Value = app.post("/v1/rates", &cod).await.json().await.unwrap();
    assert_eq!(body["quotes"].as_array().unwrap().len(), 1, "{body}");
    assert_eq!(body["quotes"][0]["total"]["amount"], 20945);
    assert_eq!(
        engine_total(&card(4800), "110020", "781001", &[parcel], Some(49900)),
        20945
    );
    assert_eq!(body["errors"][0]["carrier"], "ratecard");
    assert_eq!(body["errors"][0]["code"], "not_serviceable");
    assert!(
        body["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .starts_with("card `bluedart-air` v1")
    );

    // An upload is quoted from the very next request (the cache is invalidated).
    put_json(
        &app,
        &key,
        "delhivery-surface",
        &card(4800)
            .as_object()
            .map(|o| {
                let mut o = o.clone();
                o["zones"]["metro_to_metro"]["first_slab"] = json!(5200);
                Value::Object(o)
            })
            .unwrap(),
    )
    .await;
    let body: Value = app
        .post("/v1/rates", &rate_request())
        .await
        .json()
        .await
        .unwrap();
    // Freight 5200 + 4000 = 9200, fuel 920, GST 18 % of 10120 = 1821.6 → 1822, total 11942.
    assert_eq!(body["quotes"][0]["total"]["amount"], 11942, "{body}");
}

/// A quote over `Money::MAX_AMOUNT` (here 1.25 × 10^17 paise, beyond even 2^53) is not
/// answered: the card's account is listed in `errors` with `amount_out_of_range`.
#[tokio::test]
async fn a_quote_over_the_largest_amount_is_an_error_not_a_figure() {
    let app = spawn_app().await;
    let key = app.api_key.clone();
    let mut dear = card(4800);
    dear["additional_slab_g"] = json!(1);
    for zone in dear["zones"].as_object_mut().unwrap().values_mut() {
        zone["first_slab"] = json!(100_000_000);
        zone["additional_slab"] = json!(100_000_000);
    }
    assert_eq!(put_json(&app, &key, "dear", &dear).await.status(), 201);
    put_json(&app, &key, "delhivery-surface", &card(4800)).await;

    // The most validation allows: 50 parcels of 5 m cubes.
    let mut request = rate_request();
    request["parcels"] = json!(vec![
        json!({"weight_g": 1_000_000, "length_mm": 5000, "width_mm": 5000, "height_mm": 5000});
        50
    ]);
    let r = app.post("/v1/rates", &request).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let quotes = body["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 1, "{body}");
    assert_eq!(quotes[0]["service"], "delhivery-surface");
    assert!(quotes[0]["total"]["amount"].as_i64().unwrap() <= Money::MAX_AMOUNT);
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(errors[0]["code"], "amount_out_of_range", "{body}");
    let detail = errors[0]["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("card `dear` v1: the freight comes to 124999950100000000 minor units")
            && detail.contains("over the limit of 1000000000000000 minor units"),
        "{detail}"
    );
}

#[tokio::test]
async fn unknown_pin_codes_are_the_requests_fault_only_when_cards_are_asked_for() {
    let app = spawn_app().await;
    put_json(&app, &app.api_key.clone(), "delhivery-surface", &card(4800)).await;

    // 999999 is well-formed but no post office has it.
    let mut req = rate_request();
    req["to"] = address("999999");
    let (status, body) = problem(app.post("/v1/rates", &req).await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), vec!["/to/postal_code"]);
    assert_eq!(body["errors"][0]["code"], "unknown_pincode");
    req["from"]["postal_code"] = json!("100000");
    let (_, body) = problem(app.post("/v1/rates", &req).await).await;
    assert_eq!(
        pointers(&body),
        vec!["/from/postal_code", "/to/postal_code"]
    );

    // Asking every carrier: the carriers answer, the cards report the PIN code.
    let mut all = shipment_body("unused", "x");
    all["to"] = address("999999");
    let r = app.post("/v1/rates", &all).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let card_errors: Vec<&Value> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["carrier"] == "ratecard")
        .collect();
    assert_eq!(card_errors.len(), 1, "{body}");
    assert_eq!(card_errors[0]["code"], "unknown_pincode");

    // Asking every carrier on a known lane: card quotes sit among the carriers', in price order.
    let body: Value = app
        .post("/v1/rates", &shipment_body("unused", "x"))
        .await
        .json()
        .await
        .unwrap();
    let quotes = body["quotes"].as_array().unwrap();
    assert!(quotes.iter().any(|q| q["carrier"] == "ratecard"), "{body}");
    assert!(quotes.iter().any(|q| q["carrier"] != "ratecard"), "{body}");
    let totals: Vec<i64> = quotes
        .iter()
        .map(|q| q["total"]["amount"].as_i64().unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "{totals:?}");

    // Naming only other carriers leaves the cards out.
    let mut delhivery = shipment_body("unused", "x");
    delhivery["carriers"] = json!(["delhivery"]);
    let body: Value = app
        .post("/v1/rates", &delhivery)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        body["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["carrier"] == "delhivery"),
        "{body}"
    );
}

#[tokio::test]
async fn the_rate_card_routes_are_in_the_openapi_document() {
    let app = spawn_app().await;
    let spec: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let paths = &spec["paths"];
    assert!(paths["/v1/rate-cards"]["get"].is_object());
    let one = &paths["/v1/rate-cards/{carrier_account}"];
    assert!(one["get"].is_object());
    let content = &one["put"]["requestBody"]["content"];
    assert!(content["application/json"].is_object(), "{content}");
    assert!(content["text/csv"].is_object(), "{content}");
    let schemas = &spec["components"]["schemas"];
    for name in [
        "RateCardInput",
        "RateCard",
        "RateCardView",
        "RateCardDetail",
    ] {
        assert!(schemas[name].is_object(), "{name} missing");
    }
    // Required, and a percentage as the parser takes it: a decimal string or a whole number.
    let input = &schemas["RateCardInput"];
    assert!(
        input["required"]
            .as_array()
            .unwrap()
            .contains(&json!("gst_percent"))
    );
    assert_eq!(
        input["properties"]["gst_percent"]["$ref"],
        "#/components/schemas/PercentInput"
    );
    let forms: Vec<&Value> = schemas["PercentInput"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|form| &form["type"])
        .collect();
    assert_eq!(forms, [&json!("string"), &json!("integer")]);
}

/// A multi-piece consignment is quoted as one: each parcel's chargeable weight (dead or
/// volumetric, whichever is more) added up, as the engine prices it. A card in a currency
/// without minor units (JPY) explains its lines in whole yen.
#[tokio::test]
async fn several_parcels_are_quoted_together_and_amounts_keep_their_currency_s_decimals() {
    let app = spawn_app().await;
    let key = app.api_key.clone();
    put_json(&app, &key, "delhivery-surface", &card(4800)).await;
    let mut request = rate_request();
    request["parcels"] = json!([
        {"weight_g": 500, "length_mm": 200, "width_mm": 150, "height_mm": 100},
        {"weight_g": 700},
        {"weight_g": 300, "declared_value": {"amount": 100, "currency": "INR"}}
    ]);
    let body: Value = app.post("/v1/rates", &request).await.json().await.unwrap();
    let parcel = |weight_g, dims: Option<(u32, u32, u32)>| Parcel {
        weight_g,
        length_mm: dims.map(|d| d.0),
        width_mm: dims.map(|d| d.1),
        height_mm: dims.map(|d| d.2),
        declared_value: None,
        description: None,
    };
    let parcels = [
        parcel(500, Some((200, 150, 100))),
        parcel(700, None),
        parcel(300, None),
    ];
    // Chargeable 600 + 700 + 300 = 1600 g, billed 2000 g: freight 4200 + 3 × 4000.
    let total = engine_total(&card(4800), "110020", "560001", &parcels, None);
    assert_eq!(body["quotes"][0]["total"]["amount"], total, "{body}");
    let freight = body["quotes"][0]["breakdown"][0]["label"].as_str().unwrap();
    assert!(freight.contains("chargeable 1600 g"), "{freight}");
    assert!(freight.contains("billed 2000 g"), "{freight}");

    let mut yen = card(4800);
    yen["currency"] = json!("JPY");
    yen["name"] = json!("Yen card");
    put_json(&app, &key, "yen-card", &yen).await;
    let body: Value = app
        .post("/v1/rates", &rate_request())
        .await
        .json()
        .await
        .unwrap();
    let quote = body["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["service"] == "yen-card")
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(quote["total"]["currency"], "JPY");
    let freight = quote["breakdown"][0]["label"].as_str().unwrap();
    assert!(
        freight.contains("first 500 g JPY 4200 + 1 × 500 g at JPY 4000"),
        "{freight}"
    );
}

/// A carrier that publishes no rate API (XpressBees) is quoted from the tenant's card
/// under its account, as itself and bookable: the card must name one of its services,
/// the quote books that service, and `carrier: auto` can pick it like any live quote.
#[tokio::test]
async fn a_carrier_without_a_rate_api_quotes_from_its_card_as_itself_and_books_with_auto() {
    let app = spawn_app().await;
    let key = app.api_key.clone();
    let mut asked = shipment_body("unused", "x");
    asked["carriers"] = json!(["xpressbees"]);

    // No card yet: the answer says how to get one.
    let body: Value = app.post("/v1/rates", &asked).await.json().await.unwrap();
    assert_eq!(body["quotes"], json!([]), "{body}");
    assert_eq!(body["errors"][0]["carrier"], "xpressbees", "{body}");
    assert_eq!(body["errors"][0]["code"], "no_rate_card", "{body}");

    // Its card must name a service XpressBees books.
    let r = put_json(&app, &key, "xpressbees", &card(4800)).await;
    let (status, refused) = problem(r).await;
    assert_eq!(
        (status, pointers(&refused)),
        (422, vec!["/service".to_string()])
    );
    let mut named = card(4800);
    named["service"] = json!("apex");
    let r = put_json(&app, &key, "xpressbees", &named).await;
    let (status, refused) = problem(r).await;
    assert_eq!(
        (status, pointers(&refused)),
        (422, vec!["/service".to_string()])
    );
    named["service"] = json!("SD");
    named["name"] = json!("XpressBees Surface 2026");
    assert_eq!(
        put_json(&app, &key, "xpressbees", &named).await.status(),
        201
    );

    // Quoted as XpressBees (the card's arithmetic: 10644, as above), asked by name or not.
    let body: Value = app.post("/v1/rates", &asked).await.json().await.unwrap();
    assert_eq!(body["errors"], json!([]), "{body}");
    let q = &body["quotes"][0];
    assert_eq!(
        (&q["carrier"], &q["carrier_account"], &q["service"]),
        (&json!("xpressbees"), &json!("xpressbees"), &json!("SD")),
        "{body}"
    );
    assert_eq!(q["total"]["amount"], 10644, "{q}");
    assert_eq!(q["service_name"], "XpressBees Surface 2026");
    let mut everyone = shipment_body("unused", "x");
    everyone.as_object_mut().unwrap().remove("carrier");
    let body: Value = app.post("/v1/rates", &everyone).await.json().await.unwrap();
    let carded: Vec<&Value> = body["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["service"] == "SD" || q["carrier"] == "ratecard")
        .collect();
    assert_eq!(
        carded.len(),
        1,
        "one quote from the card, as XpressBees: {body}"
    );
    assert_eq!(carded[0]["carrier"], "xpressbees");

    // A card cheaper than every live quote: `auto` books XpressBees with the card's service.
    named["zones"]["metro_to_metro"] = json!({"first_slab": 100, "additional_slab": 100});
    assert_eq!(
        put_json(&app, &key, "xpressbees", &named).await.status(),
        201
    );
    let r = app
        .post("/v1/shipments", &shipment_body("ORD-CARD-AUTO", "auto"))
        .await;
    assert_eq!(r.status(), 201);
    let booked: Value = r.json().await.unwrap();
    assert_eq!(booked["carrier"], "xpressbees", "{booked}");
    assert_eq!(booked["service"], "SD", "{booked}");
    assert!(!booked["awb"].as_str().unwrap().is_empty(), "{booked}");
}
