//! The operations console's sign-in and its files over HTTP (issue 20), on SQLite and
//! PostgreSQL: an API key becomes an HttpOnly cookie that `/v1` accepts in place of
//! `Authorization`, changes made with it need the session's CSRF token, the session acts
//! with its key's role and dies with the key, and every embedded file is served under the
//! console's Content-Security-Policy and names nothing off-site.

use crate::common;

use common::{TestApp, json_of, problem, shipment_body, spawn_app};
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use serde_json::Value;
use shipgate::console::{CSP, assets, session};
use shipgate::store::Role;

/// A client that shows redirects instead of following them and keeps no cookies: each
/// test says which cookie it sends.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Signs in with `key` as the console's script does; the answer as is.
async fn sign_in(app: &TestApp, key: &str, json: bool) -> reqwest::Response {
    let mut r = client()
        .post(app.url("/console/session"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("api_key={key}"));
    if json {
        r = r.header("accept", "application/json");
    }
    r.send().await.unwrap()
}

/// The session cookie's `Set-Cookie` line.
fn set_cookie(headers: &HeaderMap) -> String {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("sg_session="))
        .expect("an sg_session cookie is set")
}

/// `sg_session=<token>` from a `Set-Cookie` line.
fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().to_string()
}

/// Signs in with `key`; the `Cookie` header value and the session's JSON.
async fn session_for(app: &TestApp, key: &str) -> (String, Value) {
    let r = sign_in(app, key, true).await;
    assert_eq!(r.status(), 303);
    let cookie = cookie_pair(&set_cookie(r.headers()));
    let s = json_of(
        client()
            .get(app.url("/console/session"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    (cookie, s)
}

async fn get_with(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    client()
        .get(app.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

/// Books a shipment with the cookie, with `csrf` as `X-CSRF-Token` when given.
async fn book_with(
    app: &TestApp,
    cookie: &str,
    csrf: Option<&str>,
    order_ref: &str,
) -> reqwest::Response {
    let mut r = client()
        .post(app.url("/v1/shipments"))
        .header("cookie", cookie)
        .header("idempotency-key", order_ref)
        .json(&shipment_body(order_ref, "delhivery"));
    if let Some(csrf) = csrf {
        r = r.header("x-csrf-token", csrf);
    }
    r.send().await.unwrap()
}

fn token_hash(cookie: &str) -> String {
    shipgate::auth::hash_key(cookie.trim_start_matches("sg_session="))
}

#[tokio::test]
async fn console_session_signs_in_guards_changes_and_ends() {
    let app = spawn_app().await;

    // Refusals: no key, a wrong key (at its field), a page of another origin.
    let (status, p) = problem(sign_in(&app, "", true).await).await;
    assert_eq!(
        (status, p["errors"][0]["pointer"].as_str()),
        (422, Some("/api_key"))
    );
    let (status, p) = problem(sign_in(&app, "sg_wrong", true).await).await;
    assert_eq!(status, 422);
    assert_eq!(p["errors"][0]["pointer"], "/api_key");
    assert_eq!(p["errors"][0]["code"], "invalid_api_key");
    // A plain form post (no script) is sent back to the sign-in page with the reason.
    let r = sign_in(&app, "sg_wrong", false).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()[LOCATION],
        "/console/sign-in?error=invalid_api_key"
    );
    assert!(r.headers().get(SET_COOKIE).is_none());
    let r = client()
        .post(app.url("/console/session"))
        .header("origin", "https://evil.example")
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("api_key={}", app.api_key))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 403);
    let mut failures = 3;

    // The right key: 303 to the console with the cookie's attributes (no Secure in the
    // sandbox), from this same origin too.
    let r = client()
        .post(app.url("/console/session"))
        .header("origin", &app.address)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("api_key={}", app.api_key))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[LOCATION], "/console");
    let line = set_cookie(r.headers());
    let attributes: Vec<&str> = line.split(';').map(str::trim).collect();
    for a in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(attributes.contains(&a), "{a} missing from {line}");
    }
    assert!(!attributes.contains(&"Secure"), "{line}");
    let cookie = cookie_pair(&line);
    // Only a hash of the token is stored.
    let token = cookie.trim_start_matches("sg_session=");
    assert!(token.len() >= 40, "{token}");

    let s = json_of(get_with(&app, "/console/session", &cookie).await, 200).await;
    assert_eq!(s["role"], "admin");
    assert_eq!(s["mode"], "sandbox");
    assert!(s["tenant"].is_string());
    let csrf = s["csrf_token"].as_str().unwrap().to_string();
    assert!(csrf.len() >= 40);
    assert_ne!(csrf, token);

    // The cookie reads /v1; a change needs the session's CSRF token.
    json_of(get_with(&app, "/v1/shipments", &cookie).await, 200).await;
    for sent in [None, Some("not-the-token"), Some("")] {
        let (status, p) = problem(book_with(&app, &cookie, sent, "C-1").await).await;
        assert_eq!(
            (status, p["code"].as_str()),
            (403, Some("csrf_token_invalid"))
        );
    }
    assert_eq!(app.bookings("delhivery"), 0);
    let booked = json_of(book_with(&app, &cookie, Some(&csrf), "C-1").await, 201).await;
    assert_eq!(booked["order_ref"], "C-1");
    // A refused cookie says so (401), whatever the method.
    let (status, _) = problem(get_with(&app, "/v1/shipments", "sg_session=forged").await).await;
    assert_eq!(status, 401);

    // A read key's session sees, cannot act (403 from its role, with the right token).
    let read_key = app.key_for_tenant("viewers", Role::Read).await;
    let (read_cookie, rs) = session_for(&app, &read_key).await;
    assert_eq!(rs["role"], "read");
    json_of(get_with(&app, "/v1/shipments", &read_cookie).await, 200).await;
    let (status, p) =
        problem(book_with(&app, &read_cookie, rs["csrf_token"].as_str(), "R-1").await).await;
    assert_eq!((status, p["code"].as_str()), (403, Some("forbidden")));

    // Sign-out needs the token too; then the cookie opens nothing.
    let r = client()
        .post(app.url("/console/sign-out"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.1["code"], "csrf_token_invalid");
    let r = client()
        .post(app.url("/console/sign-out"))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf_token={csrf}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[LOCATION], "/console/sign-in");
    assert!(set_cookie(r.headers()).contains("Max-Age=0"));
    assert_eq!(
        problem(get_with(&app, "/v1/shipments", &cookie).await)
            .await
            .0,
        401
    );
    assert_eq!(
        problem(get_with(&app, "/console/session", &cookie).await)
            .await
            .0,
        401
    );

    // An expired session is refused.
    let (cookie, _) = session_for(&app, &app.api_key).await;
    json_of(get_with(&app, "/v1/shipments", &cookie).await, 200).await;
    app.state
        .store
        .expire_console_session(
            &token_hash(&cookie),
            chrono::Utc::now().timestamp_millis() - 1,
        )
        .await
        .unwrap();
    assert_eq!(
        problem(get_with(&app, "/v1/shipments", &cookie).await)
            .await
            .0,
        401
    );

    // Revoking the key ends its sessions at once (no key cache on the session's path).
    let write_key = app.key_for_tenant("writers", Role::Write).await;
    let (cookie, _) = session_for(&app, &write_key).await;
    json_of(get_with(&app, "/v1/shipments", &cookie).await, 200).await;
    assert!(
        app.state
            .store
            .revoke_api_key(&shipgate::auth::hash_key(&write_key))
            .await
            .unwrap()
    );
    assert_eq!(
        problem(get_with(&app, "/v1/shipments", &cookie).await)
            .await
            .0,
        401
    );

    // Failed sign-ins are limited per client address; the limit holds the right key too.
    while failures < session::MAX_FAILURES {
        assert_eq!(problem(sign_in(&app, "sg_guess", true).await).await.0, 422);
        failures += 1;
    }
    for key in ["sg_guess", app.api_key.as_str()] {
        let r = sign_in(&app, key, true).await;
        assert!(r.headers().contains_key("retry-after"));
        assert_eq!(problem(r).await.0, 429);
    }
}

#[tokio::test]
async fn console_cookie_is_secure_in_live_mode() {
    let app = common::spawn_live_app().await;
    let r = sign_in(&app, &app.api_key, true).await;
    assert_eq!(r.status(), 303);
    let line = set_cookie(r.headers());
    assert!(line.split(';').any(|a| a.trim() == "Secure"), "{line}");
    let s = json_of(
        get_with(&app, "/console/session", &cookie_pair(&line)).await,
        200,
    )
    .await;
    assert_eq!(s["mode"], "live");
}

/// The SVG namespace names a vocabulary, not a place anything is fetched from.
const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";

#[tokio::test]
async fn console_files_are_embedded_served_with_csp_and_name_nothing_off_site() {
    // Every file on disk is embedded (a page added without its line in `FILES` fails).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/console/assets");
    let embedded: Vec<&str> = assets::all().iter().map(|(p, _)| *p).collect();
    let mut on_disk = Vec::new();
    let mut stack = vec![dir.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                on_disk.push(
                    path.strip_prefix(&dir)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    for file in &on_disk {
        assert!(
            embedded.contains(&file.as_str()),
            "{file} is not in console::assets::FILES"
        );
    }

    // Every page the router names is embedded and keeps the page-module contract.
    let files: std::collections::BTreeMap<&str, &[u8]> = assets::all().into_iter().collect();
    let app_js = String::from_utf8_lossy(files["app.js"]).to_string();
    let pages: Vec<&str> = app_js
        .split("page: \"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert!(
        pages.contains(&"overview") && pages.contains(&"sign-in"),
        "{pages:?}"
    );
    for page in pages {
        let path = format!("pages/{page}.js");
        let module = String::from_utf8_lossy(
            files
                .get(path.as_str())
                .unwrap_or_else(|| panic!("app.js routes to {path}, which is not embedded")),
        );
        assert!(
            module.contains("export const title"),
            "{path} exports no title"
        );
        assert!(
            module.contains("export async function render(main"),
            "{path} exports no render(main, ctx)"
        );
    }

    let app = spawn_app().await;
    let version = assets::VERSION.as_str();
    let security = |r: &reqwest::Response, what: &str| {
        let h = r.headers();
        assert_eq!(h["content-security-policy"], CSP, "{what}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
        assert_eq!(h["referrer-policy"], "same-origin", "{what}");
    };
    for (path, bytes) in assets::all() {
        let text = String::from_utf8_lossy(bytes);
        let scrubbed = text.replace(SVG_NAMESPACE, "");
        for scheme in ["http://", "https://", "//cdn", "url("] {
            assert!(!scrubbed.contains(scheme), "{path} names `{scheme}`");
        }
        if path.ends_with(".html") {
            assert!(
                !text.contains("<script>") && !text.contains("style="),
                "{path} has inline code"
            );
            continue;
        }
        let url = format!("/console/assets/{version}/{path}");
        let r = client().get(app.url(&url)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{url}");
        security(&r, &url);
        assert_eq!(
            r.headers()["cache-control"],
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            r.headers()["content-type"],
            assets::content_type(path),
            "{url}"
        );
        let etag = r.headers()["etag"].to_str().unwrap().to_string();
        assert_eq!(r.bytes().await.unwrap().as_ref(), bytes, "{url}");
        let r = client()
            .get(app.url(&url))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 304, "{url}");
        // An old version's URL still answers, but not as immutable.
        let r = client()
            .get(app.url(&format!("/console/assets/0000/{path}")))
            .send()
            .await
            .unwrap();
        assert_eq!(
            (r.status().as_u16(), &r.headers()["cache-control"]),
            (200, &"no-cache".parse().unwrap())
        );
    }

    // The shell answers the console's root and every deep link, naming this version.
    for path in [
        "/console",
        "/console/",
        "/console/ndr",
        "/console/shipments/shp_123",
        "/console/sign-in",
    ] {
        let r = client().get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        security(&r, path);
        assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
        assert_eq!(r.headers()["cache-control"], "no-cache");
        let html = r.text().await.unwrap();
        assert!(
            html.contains(&format!("/console/assets/{version}/app.js")),
            "{path}"
        );
        assert!(html.contains("<html lang=\"en\">"));
    }
    // A method the console does not take: 405 problem naming those it does.
    let r = client().post(app.url("/console/ndr")).send().await.unwrap();
    assert_eq!(r.headers()["allow"], "GET, HEAD");
    assert_eq!(problem(r).await.0, 405);
    let r = client()
        .delete(app.url("/console/session"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["allow"], "GET, POST");
    assert_eq!(problem(r).await.0, 405);
    // Not a file: 404 problem, with the console's headers too.
    let r = client()
        .get(app.url(&format!("/console/assets/{version}/nope.js")))
        .send()
        .await
        .unwrap();
    security(&r, "missing file");
    assert_eq!(problem(r).await.0, 404);
}

/// The console's search by buyer phone: `GET /v1/shipments?buyer_phone=` matches the last
/// ten digits however the number was written, in the caller's tenant only, and refuses
/// what is not a phone number at its parameter.
#[tokio::test]
async fn shipments_are_found_by_buyer_phone_however_it_is_written() {
    let app = spawn_app().await;
    let book = |order_ref: &'static str, phone: &'static str| {
        let app = &app;
        async move {
            let mut body = shipment_body(order_ref, "delhivery");
            body["to"]["phone"] = phone.into();
            let s = json_of(app.post_keyed("/v1/shipments", order_ref, &body).await, 201).await;
            s["id"].as_str().unwrap().to_string()
        }
    };
    let asha = book("P-1", "+91 98765 43210").await;
    let asha_again = book("P-2", "09876543210").await;
    let other = book("P-3", "(080) 2345-6789").await;
    let found = |query: &'static str| {
        let app = &app;
        async move {
            let list = json_of(app.get(&format!("/v1/shipments?{query}")).await, 200).await;
            let mut ids: Vec<String> = list["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["id"].as_str().unwrap().to_string())
                .collect();
            ids.sort();
            ids
        }
    };
    let mut both = vec![asha.clone(), asha_again.clone()];
    both.sort();
    for query in [
        "buyer_phone=9876543210",
        "buyer_phone=%2B919876543210",
        "buyer_phone=098765-43210",
        "buyer_phone=(98765)%2043210",
    ] {
        assert_eq!(found(query).await, both, "{query}");
    }
    assert_eq!(
        found("buyer_phone=080.2345.6789").await,
        vec![other.clone()]
    );
    assert_eq!(
        found("buyer_phone=8023456789&order_ref=P-3").await,
        vec![other]
    );
    assert!(found("buyer_phone=1111111111").await.is_empty());
    // Another tenant's buyer with the same number is not this tenant's.
    let key = app.key_for_tenant("elsewhere", Role::Admin).await;
    let r = client()
        .get(app.url("/v1/shipments?buyer_phone=9876543210"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(json_of(r, 200).await["data"], serde_json::json!([]));
    for bad in [
        "buyer_phone=98765abc10",
        "buyer_phone=12345",
        "buyer_phone=1234567890123456",
        "buyer_phone=",
    ] {
        let (status, p) = problem(app.get(&format!("/v1/shipments?{bad}")).await).await;
        assert_eq!(status, 422, "{bad}");
        assert_eq!(p["errors"][0]["pointer"], "/buyer_phone", "{bad}");
        assert_eq!(p["errors"][0]["code"], "invalid_phone", "{bad}");
    }
}

/// The shipment page's webhook deliveries: `GET /v1/shipments/{id}/webhook-messages` shows
/// what the OMS was told about the shipment and how each delivery went, to its own tenant
/// only.
#[tokio::test]
async fn a_shipments_webhook_messages_show_their_deliveries() {
    let receiver = common::receiver::Receiver::start().await;
    let app = spawn_app().await;
    let r = app
        .post(
            "/v1/webhook-endpoints",
            &serde_json::json!({"url": receiver.url}),
        )
        .await;
    let endpoint = json_of(r, 201).await["id"].as_str().unwrap().to_string();
    let booked = json_of(
        app.post_keyed("/v1/shipments", "W-1", &shipment_body("W-1", "delhivery"))
            .await,
        201,
    )
    .await;
    let id = booked["id"].as_str().unwrap();
    let path = format!("/v1/shipments/{id}/webhook-messages");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let list = loop {
        let list = json_of(app.get(&path).await, 200).await;
        let done = list["data"].as_array().unwrap().iter().any(|m| {
            m["deliveries"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["status"] == "succeeded")
        });
        if done {
            break list;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never delivered: {list}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(list["truncated"], false);
    for m in list["data"].as_array().unwrap() {
        assert_eq!(m["shipment_id"], id.to_string());
        let d = &m["deliveries"][0];
        assert_eq!(d["endpoint_id"], endpoint.as_str());
        if d["status"] == "succeeded" {
            assert!(!d["attempt_log"].as_array().unwrap().is_empty());
        }
    }
    // Another shipment's list is its own; another tenant sees no such shipment.
    let other = json_of(
        app.post_keyed("/v1/shipments", "W-2", &shipment_body("W-2", "delhivery"))
            .await,
        201,
    )
    .await;
    let theirs = json_of(
        app.get(&format!(
            "/v1/shipments/{}/webhook-messages",
            other["id"].as_str().unwrap()
        ))
        .await,
        200,
    )
    .await;
    assert!(
        theirs["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["shipment_id"] == other["id"])
    );
    let key = app.key_for_tenant("elsewhere", Role::Read).await;
    let r = client()
        .get(app.url(&path))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 404);
    assert_eq!(
        problem(app.get("/v1/shipments/shp_nope/webhook-messages").await)
            .await
            .0,
        404
    );
}
