//! What the console's operations pages needed from `/v1` and the API did not have yet:
//! each carrier account's circuit breaker and quota use (`GET /v1/carriers`,
//! `GET /v1/carrier-accounts`), and checking a rate card without storing it
//! (`POST /v1/rate-cards/{carrier_account}/validate`). On SQLite and PostgreSQL.

use crate::common;

use common::{TestApp, json_of, pointers, problem, rate_body, spawn_app, spawn_app_with};
use serde_json::{Value, json};
use shipgate::store::Role;

fn account<'a>(list: &'a Value, id: &str) -> &'a Value {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["account"] == id || a["id"] == id)
        .unwrap_or_else(|| panic!("no account `{id}` in {list}"))
}

async fn get(app: &TestApp, key: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn carrier_accounts_show_their_circuit_and_quota_use() {
    let app = spawn_app_with(|c| {
        c.carriers
            .entry("delhivery".into())
            .or_default()
            .quota_per_second = Some(5.0);
    })
    .await;
    let reader = app.key_for_tenant("demo", Role::Read).await;

    // At rest: closed circuits, a paced account used nothing, an unpaced one has no quota.
    let list = json_of(get(&app, &reader, "/v1/carriers").await, 200).await;
    let delhivery = account(&list, "delhivery");
    assert_eq!(delhivery["circuit"]["state"], "closed", "{delhivery}");
    assert_eq!(delhivery["circuit"]["retry_in_ms"], Value::Null);
    assert!(delhivery["circuit"]["failure_threshold"].as_u64().unwrap() >= 1);
    assert_eq!(delhivery["quota"]["per_second"], 5.0);
    assert_eq!(delhivery["quota"]["limit_per_minute"], 300.0);
    assert_eq!(delhivery["quota"]["used_last_minute"], 0);
    assert_eq!(delhivery["quota"]["used_pct"], 0.0);
    assert!(
        delhivery["families"].is_array(),
        "families stay: {delhivery}"
    );
    assert_eq!(account(&list, "shiprocket")["quota"], Value::Null);

    // Quoting with Delhivery takes slots from its quota.
    let mut body = rate_body();
    body["carriers"] = json!(["delhivery"]);
    let quotes = json_of(app.post("/v1/rates", &body).await, 200).await;
    assert!(!quotes["quotes"].as_array().unwrap().is_empty(), "{quotes}");
    let list = json_of(get(&app, &reader, "/v1/carriers").await, 200).await;
    let quota = &account(&list, "delhivery")["quota"];
    let used = quota["used_last_minute"].as_u64().unwrap();
    assert!(used >= 1, "{quota}");
    assert_eq!(
        quota["used_pct"].as_f64().unwrap(),
        (used as f64 * 1000.0 / 300.0).round() / 10.0
    );
    assert_eq!(quota["refused_last_minute"], 0);

    // Transport failures open the circuit: the list says so, and for how long.
    let carrier = app.state.registry.platform_carrier("delhivery").unwrap();
    let breaker = carrier.transport.breaker();
    for _ in 0..breaker.threshold() {
        breaker.admit().unwrap();
        breaker.record(true);
    }
    let list = json_of(get(&app, &reader, "/v1/carriers").await, 200).await;
    let circuit = &account(&list, "delhivery")["circuit"];
    assert_eq!(circuit["state"], "open", "{circuit}");
    let retry = circuit["retry_in_ms"].as_u64().unwrap();
    assert!(
        retry > 0 && retry <= circuit["cool_down_ms"].as_u64().unwrap(),
        "{circuit}"
    );
    assert_eq!(account(&list, "shiprocket")["circuit"]["state"], "closed");

    // A tenant's own account carries the same two fields on `/v1/carrier-accounts`.
    let token = "CONSOLE-DELHIVERY-TOKEN-1";
    let r = app
        .client
        .post(app.url("/sandbox/delhivery/_accounts"))
        .json(&json!({"account": "console", "api_token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created = json_of(
        app.post_keyed(
            "/v1/carrier-accounts",
            "console-account-1",
            &json!({
                "carrier": "delhivery", "name": "own",
                "credentials": {"api_token": token},
                "settings": {"pickup_location": carriers::delhivery::simulator::SANDBOX_PICKUP_LOCATION},
                "options": {"quota_per_second": 2},
            }),
        )
        .await,
        201,
    )
    .await;
    let id = created["id"].as_str().unwrap();
    assert_eq!(created["circuit"]["state"], "closed", "{created}");
    let own = json_of(get(&app, &reader, "/v1/carrier-accounts").await, 200).await;
    let own = account(&own, id);
    assert_eq!(own["circuit"]["state"], "closed", "{own}");
    assert_eq!(own["quota"]["per_second"], 2.0);
    assert_eq!(own["quota"]["limit_per_minute"], 120.0);
    // Its own circuit, not the platform account's (which is still open).
    let list = json_of(get(&app, &reader, "/v1/carriers").await, 200).await;
    assert_eq!(account(&list, id)["circuit"]["state"], "closed");

    // Both fields are documented.
    let doc = app.openapi().await;
    for list in ["CarrierList", "AccountList"] {
        let item = resolve(
            &doc,
            &doc["components"]["schemas"][list]["properties"]["data"]["items"],
        );
        let text = item.to_string();
        for field in ["circuit", "quota"] {
            assert!(text.contains(&format!("\"{field}\"")), "{list}: {text}");
        }
        assert!(
            text.contains("CircuitView") && text.contains("QuotaUse"),
            "{text}"
        );
    }
}

/// A schema with its `$ref` followed.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => &doc["components"]["schemas"][r.rsplit('/').next().unwrap()],
        None => schema,
    }
}

const CSV_CARD: &str = "setting,value
name,Blue Dart Air
volumetric_divisor,5000
first_slab_g,500
additional_slab_g,500
gst_percent,18

zone,first_slab,additional_slab,transit_days
metro_to_metro,6000,5500,2
rest_of_india,7000,6500,3
";

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    key: &str,
    path: &str,
    content_type: &str,
    body: String,
) -> reqwest::Response {
    app.client
        .request(method, app.url(path))
        .bearer_auth(key)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_rate_card_validates_as_it_would_upload_and_nothing_is_stored() {
    let app = spawn_app().await;
    let admin = app.api_key.clone();
    let reader = app.key_for_tenant("demo", Role::Read).await;
    let validate = |key: &str, account: &str, ct: &str, body: String| {
        let path = format!("/v1/rate-cards/{account}/validate");
        let key = key.to_string();
        let ct = ct.to_string();
        let app = &app;
        async move { send(app, reqwest::Method::POST, &key, &path, &ct, body).await }
    };
    let upload = |account: &str, ct: &str, body: String| {
        let path = format!("/v1/rate-cards/{account}");
        let ct = ct.to_string();
        let app = &app;
        let admin = admin.clone();
        async move { send(app, reqwest::Method::PUT, &admin, &path, &ct, body).await }
    };

    // A good CSV card: valid, normalised, and any key may ask.
    let ok = json_of(
        validate(&reader, "bluedart-air", "text/csv", CSV_CARD.into()).await,
        200,
    )
    .await;
    assert_eq!(ok["valid"], true);
    assert_eq!(ok["carrier_account"], "bluedart-air");
    assert_eq!(ok["source_format"], "csv");
    assert_eq!(ok["card"]["zones"]["rest_of_india"]["first_slab"], 7000);
    let list = json_of(get(&app, &reader, "/v1/rate-cards").await, 200).await;
    assert_eq!(list["data"], json!([]), "validating stores nothing");
    assert_eq!(
        get(&app, &reader, "/v1/rate-cards/bluedart-air")
            .await
            .status(),
        404
    );

    // Bad cards: the same status and pointers as the upload, JSON and CSV alike.
    let bad_csv = CSV_CARD.replace("rest_of_india,7000", "rest_of_india,-7");
    let bad_setting = CSV_CARD.replace("gst_percent,18", "gst,18");
    let bad_json = json!({"name": "x", "volumetric_divisor": 0, "first_slab_g": 500,
        "additional_slab_g": 500, "zones": {"moon": {"first_slab": 1, "additional_slab": 1}},
        "gst_percent": "18"})
    .to_string();
    for (ct, body) in [
        ("text/csv", bad_csv),
        ("text/csv", bad_setting),
        ("application/json", bad_json),
        ("application/json", "{not json".to_string()),
    ] {
        let (vs, vp) = problem(validate(&admin, "acct", ct, body.clone()).await).await;
        let (us, up) = problem(upload("acct", ct, body.clone()).await).await;
        assert_eq!(vs, us, "{body}");
        assert!(matches!(vs, 400 | 422), "{vs}: {vp}");
        assert_eq!(pointers(&vp), pointers(&up), "{body}");
        assert_eq!(vp["code"], up["code"]);
    }
    let (status, p) =
        problem(validate(&admin, "acct", "text/csv", bad_setting_again()).await).await;
    assert_eq!((status, pointers(&p)), (422, vec!["/csv/6/1".to_string()]));

    // A card under a carrier with no rate API must name a service it books, as on upload.
    let (status, p) =
        problem(validate(&admin, "xpressbees", "text/csv", CSV_CARD.into()).await).await;
    assert_eq!((status, pointers(&p)), (422, vec!["/service".to_string()]));
    let (ustatus, up) = problem(upload("xpressbees", "text/csv", CSV_CARD.into()).await).await;
    assert_eq!((status, pointers(&p)), (ustatus, pointers(&up)));

    // Wrong media type, bad account name.
    let (status, p) = problem(validate(&admin, "acct", "text/plain", CSV_CARD.into()).await).await;
    assert_eq!(
        (status, p["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );
    let (status, p) =
        problem(validate(&admin, "Bad%20Name", "text/csv", CSV_CARD.into()).await).await;
    assert_eq!(
        (status, pointers(&p)),
        (422, vec!["/carrier_account".to_string()])
    );

    // Still nothing stored; the valid card then uploads as validated.
    let list = json_of(get(&app, &reader, "/v1/rate-cards").await, 200).await;
    assert_eq!(list["data"], json!([]));
    let stored = json_of(
        upload("bluedart-air", "text/csv", CSV_CARD.into()).await,
        201,
    )
    .await;
    assert_eq!(stored["card"], ok["card"]);
    assert_eq!(stored["version"], 1);
    // Validating again makes no version.
    json_of(
        validate(&admin, "bluedart-air", "text/csv", CSV_CARD.into()).await,
        200,
    )
    .await;
    let detail = json_of(get(&app, &reader, "/v1/rate-cards/bluedart-air").await, 200).await;
    assert_eq!(detail["versions"].as_array().unwrap().len(), 1);

    // Documented with its errors.
    let doc = app.openapi().await;
    let op = &doc["paths"]["/v1/rate-cards/{carrier_account}/validate"]["post"];
    assert_eq!(op["operationId"], "validateRateCard");
    for status in ["200", "415", "422"] {
        assert!(op["responses"][status].is_object(), "{status}: {op}");
    }
}

fn bad_setting_again() -> String {
    CSV_CARD.replace("gst_percent,18", "gst,18")
}
