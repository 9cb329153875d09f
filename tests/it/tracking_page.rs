//! The buyer's tracking page over HTTP (issue 20), on SQLite and PostgreSQL: the token on
//! the shipment and in webhook payloads, the tenant's branding (and its validation), what
//! the page shows and what it must not, and the buyer's NDR choices turning into NDR
//! actions with their guards (form value, Origin, limits).

use crate::common;

use std::time::Duration;

use base64::Engine as _;
use common::receiver::Receiver;
use common::{TestApp, json_of, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::config::CarrierConfig;

/// A platform account of Delhivery under a name of its own, so the test can prove the
/// page never shows the account.
const ACCOUNT: &str = "dlv_acct_7731";

async fn app() -> TestApp {
    spawn_app_with(|c| {
        c.carriers.insert(
            ACCOUNT.into(),
            CarrierConfig {
                adapter: Some("delhivery".into()),
                ..Default::default()
            },
        );
        c.ndr.settle_every_ms = 50;
        // Tracking calls reveal the simulator's scans; polls would race them.
        c.polling.enabled = false;
    })
    .await
}

/// Books with the named account; a PIN code ending in 99 fails its first delivery.
async fn book(app: &TestApp, order_ref: &str, pin: &str) -> Value {
    let mut body = shipment_body(order_ref, ACCOUNT);
    body["to"]["postal_code"] = json!(pin);
    json_of(app.post_keyed("/v1/shipments", order_ref, &body).await, 201).await
}

async fn track_until(app: &TestApp, id: &str, status: &str) {
    for _ in 0..30 {
        let t = json_of(app.get(&format!("/v1/shipments/{id}/tracking")).await, 200).await;
        if t["status"] == status {
            return;
        }
    }
    panic!("shipment {id} never reached {status}");
}

/// A client that does not follow redirects, as a test of a 303 needs.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn page(app: &TestApp, token: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let r = browser()
        .get(app.url(&format!("/t/{token}")))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.unwrap())
}

/// The form value the page embeds.
fn form_value(html: &str) -> String {
    let start = html
        .find(r#"name="csrf" value=""#)
        .expect("a form on the page")
        + r#"name="csrf" value=""#.len();
    html[start..].split('"').next().unwrap().to_string()
}

async fn post_form(
    app: &TestApp,
    token: &str,
    fields: &[(&str, &str)],
    origin: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let mut request = browser()
        .post(app.url(&format!("/t/{token}/ndr")))
        .form(fields);
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.unwrap())
}

fn png() -> String {
    base64::engine::general_purpose::STANDARD
        .encode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89")
}

#[tokio::test]
async fn the_page_shows_the_branded_timeline_and_nothing_a_buyer_should_not_see() {
    let app = app().await;

    // Branding: every bad field at its pointer, nothing stored.
    let bad = json!({
        "display_name": "x".repeat(101),
        "logo": base64::engine::general_purpose::STANDARD.encode("<svg onload='alert(1)'/>"),
        "primary_color": "gold",
        "accent_color": "#12345g",
        "support_email": "not-an-address",
        "support_phone": "call us",
    });
    let r = app
        .client
        .put(app.url("/v1/branding"))
        .bearer_auth(&app.api_key)
        .json(&bad)
        .send()
        .await
        .unwrap();
    let (status, body) = problem(r).await;
    assert_eq!(status, 422, "{body}");
    let mut pointers: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    pointers.sort_unstable();
    assert_eq!(
        pointers,
        [
            "/accent_color",
            "/display_name",
            "/logo",
            "/primary_color",
            "/support_email",
            "/support_phone"
        ],
        "{body}"
    );
    let logo_error = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["pointer"] == "/logo")
        .unwrap();
    assert_eq!(logo_error["code"], "unsupported_image");
    // A read key cannot set it.
    let reader = app
        .key_for_tenant("demo", shipgate::store::Role::Read)
        .await;
    let r = app
        .client
        .put(app.url("/v1/branding"))
        .bearer_auth(&reader)
        .json(&json!({"display_name": "Nope"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let branding = json!({
        "display_name": "Acme <Store>",
        "logo": png(),
        "primary_color": "#FFD700",
        "accent_color": "#0b5fff",
        "support_email": "help@acme.example",
        "support_phone": "+91 80 4000 1234",
    });
    let r = app
        .client
        .put(app.url("/v1/branding"))
        .bearer_auth(&app.api_key)
        .json(&branding)
        .send()
        .await
        .unwrap();
    let stored = json_of(r, 200).await;
    assert_eq!(stored["primary_color"], "#ffd700");
    assert_eq!(stored["logo_content_type"], "image/png");
    let read = json_of(
        app.client
            .get(app.url("/v1/branding"))
            .bearer_auth(&reader)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(read["display_name"], "Acme <Store>");
    assert_eq!(read["logo"], png().as_str());
    let trail = json_of(
        app.get("/v1/audit-events?action=branding.updated").await,
        200,
    )
    .await;
    assert_eq!(trail["data"].as_array().unwrap().len(), 1, "{trail}");
    assert_eq!(
        trail["data"][0]["after"]["logo"]["content_type"],
        "image/png"
    );

    // The token on the shipment and in the `shipment.created` payload.
    let receiver = Receiver::subscribed(&app, &["shipment.created"]).await;
    let a = book(&app, "TRK-A", "560001").await;
    let b = book(&app, "TRK-B", "560002").await;
    let token = a["tracking_token"]
        .as_str()
        .expect("a tracking token")
        .to_string();
    assert!(token.len() >= 22, "{token}");
    assert_ne!(a["tracking_token"], b["tracking_token"]);
    assert_eq!(a["tracking_url"], format!("/t/{token}"));
    let id = a["id"].as_str().unwrap();
    let read = json_of(app.get(&format!("/v1/shipments/{id}")).await, 200).await;
    assert_eq!(read["tracking_token"], token.as_str());
    let got = receiver
        .wait_for(Duration::from_secs(15), "shipment.created for A", |r| {
            r.iter().any(|m| m.body["data"]["shipment"]["id"] == id)
        })
        .await;
    let message = got
        .iter()
        .find(|m| m.body["data"]["shipment"]["id"] == id)
        .unwrap();
    assert_eq!(
        message.body["data"]["shipment"]["tracking_token"],
        token.as_str()
    );
    assert_eq!(
        message.body["data"]["shipment"]["tracking_url"],
        format!("/t/{token}")
    );

    track_until(&app, id, "in_transit").await;
    let (status, headers, html) = page(&app, &token).await;
    assert_eq!(status, 200, "{html}");
    let header = |name: &str| headers.get(name).unwrap().to_str().unwrap().to_string();
    assert_eq!(header("content-type"), "text/html; charset=utf-8");
    assert_eq!(
        header("content-security-policy"),
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"
    );
    assert_eq!(header("referrer-policy"), "no-referrer");
    assert_eq!(header("x-robots-tag"), "noindex");
    assert_eq!(header("cache-control"), "no-store");
    assert!(html.contains(r#"<html lang="en">"#), "{html}");
    assert!(html.contains("<main"), "{html}");
    // The name escaped, the logo inline, the courier and AWB, the status in words.
    assert!(html.contains("Acme &lt;Store&gt;"), "{html}");
    assert!(!html.contains("Acme <Store>"), "{html}");
    assert!(html.contains("data:image/png;base64,"), "{html}");
    assert!(html.contains("Delhivery"), "{html}");
    assert!(html.contains(a["awb"].as_str().unwrap()), "{html}");
    assert!(html.contains("On its way"), "{html}");
    assert!(html.contains("help@acme.example"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    // The timeline, newest first and in words.
    let lines: Vec<&str> = html
        .split(r#"<span class="what">"#)
        .skip(1)
        .map(|l| l.split('<').next().unwrap())
        .collect();
    // The shipment as stored (its tracking route would reveal a further scan).
    let timeline = json_of(app.get(&format!("/v1/shipments/{id}")).await, 200).await;
    let events = timeline["events"].as_array().unwrap();
    assert_eq!(lines.len(), events.len(), "{lines:?}");
    // The API lists oldest first; the page newest first.
    assert_eq!(
        events.last().unwrap()["sub_status"],
        "picked_up",
        "{timeline}"
    );
    assert_eq!(lines[0], "Picked up", "newest first: {lines:?}");
    assert!(lines.contains(&"Shipping label created"), "{lines:?}");
    assert!(!html.contains("label_created"), "{html}");
    // The tenant's colours, with text that reads on them, from the stylesheet it links.
    let start = html.find("/t/style/").expect("a stylesheet link");
    let href = html[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    assert!(href.starts_with("/t/style/ffd7000b5fff.css"), "{href}");
    let css = app.client.get(app.url(&href)).send().await.unwrap();
    assert_eq!(css.status(), 200);
    let css = css.text().await.unwrap();
    assert!(
        css.starts_with(
            ":root{--brand:#ffd700;--on-brand:#000000;--accent:#0b5fff;--on-accent:#ffffff}"
        ),
        "{css}"
    );

    // Nothing a buyer should not see: the seller's cost, the account, ids, the address,
    // another shipment.
    let mut secrets = vec![
        ACCOUNT.to_string(),
        id.to_string(),
        "TRK-A".to_string(),
        b["awb"].as_str().unwrap().to_string(),
        b["tracking_token"].as_str().unwrap().to_string(),
        "12 MG Road".to_string(),
        "9876543210".to_string(),
        "98765 43210".to_string(),
        "Shipgate Warehouse".to_string(),
        app.api_key.clone(),
    ];
    if let Some(cost) = read["charged"]["amount"].as_i64() {
        secrets.push(cost.to_string());
        secrets.push(format!("{:.2}", cost as f64 / 100.0));
    }
    for secret in &secrets {
        assert!(
            !html.contains(secret.as_str()),
            "the page shows {secret}: {html}"
        );
    }

    // An unknown token and junk are the same plain 404.
    let (status, headers, unknown) = page(&app, &"A".repeat(24)).await;
    assert_eq!(status, 404);
    assert_eq!(
        headers.get("content-type").unwrap(),
        "text/html; charset=utf-8"
    );
    let (status, _, junk) = page(&app, "nope").await;
    assert_eq!(status, 404);
    assert_eq!(unknown, junk);
    assert!(!unknown.contains("Acme"), "{unknown}");
    let (status, _, _) = post_form(&app, &"A".repeat(24), &[("action", "reattempt")], None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_buyers_choices_become_ndr_actions_behind_their_guards() {
    let app = app().await;
    let c = book(&app, "TRK-C", "560099").await;
    let d = book(&app, "TRK-D", "560099").await;
    let (c_id, d_id) = (c["id"].as_str().unwrap(), d["id"].as_str().unwrap());
    let (c_token, d_token) = (
        c["tracking_token"].as_str().unwrap(),
        d["tracking_token"].as_str().unwrap(),
    );

    // No failed delivery yet: no forms.
    let (_, _, html) = page(&app, c_token).await;
    assert!(!html.contains("Request re-attempt"), "{html}");

    track_until(&app, c_id, "delivery_failed").await;
    let (status, _, html) = page(&app, c_token).await;
    assert_eq!(status, 200);
    assert!(html.contains("Delivery attempt failed"), "{html}");
    for button in ["Request re-attempt", "Update address", "Update phone"] {
        assert!(html.contains(button), "{button}: {html}");
    }
    assert!(html.contains(r#"<label for="f-date">"#), "{html}");
    let value = form_value(&html);

    // Without the form value, or from another site: refused, nothing sent.
    let tomorrow = (shipgate::selection::today() + chrono::Duration::days(1)).to_string();
    let (status, _, _) = post_form(
        &app,
        c_token,
        &[("action", "reattempt"), ("date", tomorrow.as_str())],
        None,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _, _) = post_form(
        &app,
        c_token,
        &[
            ("action", "reattempt"),
            ("date", tomorrow.as_str()),
            ("csrf", value.as_str()),
        ],
        Some("https://evil.example"),
    )
    .await;
    assert_eq!(status, 403);
    // A value altered (here its time) does not verify.
    let forged = value.replacen('.', ".0", 1);
    let (status, _, _) = post_form(
        &app,
        c_token,
        &[("action", "reattempt"), ("csrf", forged.as_str())],
        None,
    )
    .await;
    assert_eq!(status, 403);

    // A date in the past: the page again, the error beside the date field.
    let (status, _, html) = post_form(
        &app,
        c_token,
        &[
            ("action", "reattempt"),
            ("date", "2020-01-01"),
            ("csrf", value.as_str()),
        ],
        None,
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("Choose today or a later date."), "{html}");
    assert!(html.contains(r#"aria-invalid="true""#), "{html}");
    assert!(html.contains(r#"value="2020-01-01""#), "{html}");
    assert!(
        json_of(
            app.get(&format!("/v1/shipments/{c_id}/ndr-actions")).await,
            200
        )
        .await["data"]
            == json!([])
    );

    // A good date: an NDR action from the buyer, then the page says so.
    let (status, headers, _) = post_form(
        &app,
        c_token,
        &[
            ("action", "reattempt"),
            ("date", tomorrow.as_str()),
            ("csrf", value.as_str()),
        ],
        Some(&app.address),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        headers.get("location").unwrap(),
        &format!("/t/{c_token}?sent=reattempt")
    );
    let list = json_of(
        app.get(&format!("/v1/shipments/{c_id}/ndr-actions")).await,
        200,
    )
    .await;
    let action = &list["data"][0];
    assert_eq!(action["action"], "reattempt", "{list}");
    assert_eq!(action["source"], "buyer");
    assert_eq!(action["params"]["date"], tomorrow.as_str());
    let trail = json_of(
        app.get(&format!(
            "/v1/audit-events?action=ndr_action.requested&target_id={c_id}"
        ))
        .await,
        200,
    )
    .await;
    assert_eq!(trail["data"][0]["actor"]["kind"], "buyer", "{trail}");
    assert!(trail["data"][0]["actor"].get("key_id").is_none(), "{trail}");
    assert_eq!(trail["data"][0]["after"]["id"], action["id"]);
    let r = browser()
        .get(app.url(&format!("/t/{c_token}?sent=reattempt")))
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(html.contains("Thank you."), "{html}");
    assert!(
        !html.contains("Request re-attempt"),
        "the forms are gone: {html}"
    );

    // A corrected address: a bad PIN code beside its field, then the action.
    track_until(&app, d_id, "delivery_failed").await;
    let (_, _, html) = page(&app, d_token).await;
    let value = form_value(&html);
    let address = |pin: &'static str| {
        vec![
            ("action", "change_address"),
            ("line1", "14 Brigade Road"),
            ("landmark", "Opposite the park"),
            ("city", "Bengaluru"),
            ("state", "Karnataka"),
            ("postal_code", pin),
        ]
    };
    let mut fields = address("12");
    fields.push(("csrf", value.as_str()));
    let (status, _, html) = post_form(&app, d_token, &fields, None).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains(r#"id="err-postal_code""#), "{html}");
    assert!(html.contains(r#"value="14 Brigade Road""#), "{html}");
    let mut fields = address("560025");
    fields.push(("csrf", value.as_str()));
    let (status, _, _) = post_form(&app, d_token, &fields, None).await;
    assert_eq!(status, 303);
    let list = json_of(
        app.get(&format!("/v1/shipments/{d_id}/ndr-actions")).await,
        200,
    )
    .await;
    assert_eq!(list["data"][0]["action"], "change_address", "{list}");
    assert_eq!(list["data"][0]["source"], "buyer");
    assert_eq!(
        list["data"][0]["params"]["address"]["line1"],
        "14 Brigade Road"
    );
    assert_eq!(
        list["data"][0]["params"]["address"]["postal_code"],
        "560025"
    );
    // The name and phone stay the booking's.
    assert_eq!(list["data"][0]["params"]["address"]["name"], "Asha Rao");

    // Five requests an hour per link: two so far on D; two more answer (the attempt
    // already has its instruction), the fifth too, the sixth is refused.
    let phone = [
        ("action", "change_phone"),
        ("phone", "9876501234"),
        ("csrf", value.as_str()),
    ];
    for _ in 0..3 {
        let (status, _, html) = post_form(&app, d_token, &phone, None).await;
        assert_eq!(status, 409, "{html}");
        assert!(html.contains("already sent"), "{html}");
    }
    let (status, headers, html) = post_form(&app, d_token, &phone, None).await;
    assert_eq!(status, 429, "{html}");
    assert!(headers.get("retry-after").is_some());
    assert!(html.contains("Too many requests"), "{html}");
    // Another link is still served.
    let (status, _, _) = page(&app, c_token).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_public_url_makes_links_absolute() {
    let app = spawn_app_with(|c| {
        c.http.public_url = Some("https://track.example.com/".into());
        c.polling.enabled = false;
    })
    .await;
    let s = json_of(
        app.post_keyed(
            "/v1/shipments",
            "PUB-1",
            &shipment_body("PUB-1", "delhivery"),
        )
        .await,
        201,
    )
    .await;
    let token = s["tracking_token"].as_str().unwrap();
    assert_eq!(
        s["tracking_url"],
        format!("https://track.example.com/t/{token}")
    );
    // Forms from that origin are this gateway's.
    let (_, _, html) = page(&app, token).await;
    assert!(
        html.contains("Order packed") || html.contains("On its way"),
        "{html}"
    );

    // A URL that is not an http(s) origin stops start-up.
    let dir = tempfile::tempdir().unwrap();
    let config = shipgate::config::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: common::database_url(&dir).await,
        http: shipgate::config::HttpConfig {
            public_url: Some("ftp://track.example.com".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let err = shipgate::Application::build(config)
        .await
        .err()
        .expect("refused");
    assert!(
        err.to_string().contains("SHIPGATE_HTTP__PUBLIC_URL"),
        "{err}"
    );
}
