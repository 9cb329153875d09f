//! `spawn_app`: a real gateway on a free port, on SQLite by default or on PostgreSQL when
//! the test script exports `SG_TEST_POSTGRES_URL` (an admin URL; every app gets a fresh
//! database, copied from one the migrations ran on, so tests never see each other's rows).

#![allow(dead_code)]

pub mod fake_delhivery;
pub mod fake_rates;
pub mod fault_carrier;
pub mod gateway;
pub mod postgres;
pub mod receiver;
pub mod redis;
pub mod scripted_delhivery;

use std::time::Duration;

use serde_json::{Value, json};
use shipgate::config::{Config, Mode};
use shipgate::store::{Role, Store};
use shipgate::{AppState, Application};
use tempfile::TempDir;
use tokio::sync::oneshot;

pub struct TestApp {
    pub address: String,
    /// So a second gateway process can share this one's database.
    pub database_url: String,
    pub api_key: String,
    pub client: reqwest::Client,
    pub state: AppState,
    _dir: TempDir,
    _shutdown: oneshot::Sender<()>,
}

pub async fn database_url(dir: &TempDir) -> String {
    match std::env::var("SG_TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => {
            use sqlx::Connection;
            let name = format!("sg_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .expect("connect to the test PostgreSQL");
            let template = migrated_template(&admin, &mut conn).await;
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "CREATE DATABASE {name} TEMPLATE {template}"
            )))
            .execute(&mut conn)
            .await
            .expect("create test database");
            with_database(&admin, &name)
        }
        _ => format!("sqlite://{}", dir.path().join("shipgate.db").display()),
    }
}

/// `admin` with its database replaced by `name`.
fn with_database(admin: &str, name: &str) -> String {
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
    format!("{base}/{name}")
}

/// A database the gateway's PostgreSQL migrations have run on, made once per set of
/// migrations by whichever test process asks first (an advisory lock orders them), to
/// copy each test's database from. Copying it takes a tenth of a second; migrating an
/// empty database took about 0.3 s of PostgreSQL's CPU, for each of some 350 gateways the
/// PostgreSQL phase starts. The gateway still runs its migrations at start-up and finds
/// them applied, so a changed migration makes a new template rather than a stale one.
async fn migrated_template(admin: &str, conn: &mut sqlx::PgConnection) -> String {
    use sha2::{Digest, Sha256};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("the PostgreSQL migrations")
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    let mut digest = Sha256::new();
    for file in &files {
        digest.update(file.file_name().unwrap().as_encoded_bytes());
        digest.update(std::fs::read(file).unwrap());
    }
    let template = format!("sg_template_{}", hex::encode(&digest.finalize()[..8]));
    // Session-level: released below, or by the server if this process dies holding it.
    sqlx::query("SELECT pg_advisory_lock(hashtext('shipgate test template'))")
        .execute(&mut *conn)
        .await
        .expect("lock the template");
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&template)
            .fetch_one(&mut *conn)
            .await
            .expect("look for the template");
    if !exists {
        // Built under another name and renamed when complete: a process killed halfway
        // leaves a partial database nobody copies.
        let building = format!("{template}_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {building}")))
            .execute(&mut *conn)
            .await
            .expect("create the template");
        let store = Store::connect(&with_database(admin, &building))
            .await
            .expect("connect to the template");
        store.migrate().await.expect("migrate the template");
        store.close().await;
        // Waits (up to 5 s, PostgreSQL's own) for the closed connections' backends to end.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "ALTER DATABASE {building} RENAME TO {template}"
        )))
        .execute(&mut *conn)
        .await
        .expect("name the template");
    }
    sqlx::query("SELECT pg_advisory_unlock(hashtext('shipgate test template'))")
        .execute(&mut *conn)
        .await
        .expect("unlock the template");
    template
}

pub fn is_postgres() -> bool {
    std::env::var("SG_TEST_POSTGRES_URL").is_ok_and(|v| !v.is_empty())
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A gateway in live mode with no carrier credentials: Delhivery and Shiprocket, whose
/// live settings would be demanded at start-up, are disabled.
pub async fn spawn_live_app() -> TestApp {
    spawn_app_with(|c| {
        c.mode = Mode::Live;
        for carrier in ["delhivery", "shiprocket"] {
            c.carriers.insert(
                carrier.into(),
                shipgate::config::CarrierConfig {
                    enabled: Some(false),
                    ..Default::default()
                },
            );
        }
    })
    .await
}

pub async fn spawn_app_with(customise: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let api_key = format!("sg_test_{}", uuid::Uuid::new_v4().simple());
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        mode: Mode::Sandbox,
        database_url: database_url(&dir).await,
        bootstrap_api_key: Some(api_key.clone()),
        ..Config::default()
    };
    customise(&mut config);
    let database_url = config.database_url.clone();
    let app = Application::build(config)
        .await
        .expect("application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    TestApp {
        address,
        database_url,
        api_key,
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap(),
        state,
        _dir: dir,
        _shutdown: tx,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The OpenAPI document at `/openapi.json`.
    pub async fn openapi(&self) -> Value {
        let r = self
            .client
            .get(self.url("/openapi.json"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    /// The Prometheus exposition at `/metrics`.
    pub async fn metrics(&self) -> String {
        let r = self.client.get(self.url("/metrics")).send().await.unwrap();
        r.text().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(&self.api_key)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// POST with an `Idempotency-Key`.
    pub async fn post_keyed(&self, path: &str, key: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(&self.api_key)
            .header("idempotency-key", key)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(&self.api_key)
            .send()
            .await
            .expect("request")
    }

    /// Arms a sandbox fault for `carrier` (`POST /sandbox/<carrier>/_faults`).
    #[allow(dead_code)]
    pub async fn arm_fault(&self, carrier: &str, fault: Value) {
        let r = self
            .client
            .post(self.url(&format!("/sandbox/{carrier}/_faults")))
            .json(&fault)
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    }

    /// How many armed sandbox faults for `carrier` still wait for a request.
    #[allow(dead_code)]
    pub async fn faults_waiting(&self, carrier: &str) -> u64 {
        let r = self.get(&format!("/sandbox/{carrier}/_faults")).await;
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.expect("JSON");
        body["armed"].as_u64().expect("a count")
    }

    /// A key for another tenant, to prove isolation.
    pub async fn key_for_tenant(&self, tenant: &str, role: Role) -> String {
        let store: &Store = &self.state.store;
        let t = store.ensure_tenant(tenant).await.unwrap();
        let key = shipgate::auth::generate_key();
        store
            .add_api_key(&t.id, role, &shipgate::auth::hash_key(&key), "sg_", None)
            .await
            .unwrap();
        key
    }

    pub fn bookings(&self, carrier: &str) -> usize {
        self.state
            .registry
            .simulator(carrier)
            .map(|s| s.bookings())
            .unwrap_or(0)
    }
}

pub fn address(pin: &str) -> Value {
    json!({
        "name": "Asha Rao",
        "phone": "+91 98765 43210",
        "line1": "12 MG Road",
        "city": "Bengaluru",
        "state": "Karnataka",
        "postal_code": pin,
    })
}

pub fn shipment_body(order_ref: &str, carrier: &str) -> Value {
    json!({
        "order_ref": order_ref,
        "carrier": carrier,
        "from": {
            "name": "Shipgate Warehouse",
            "phone": "9000000001",
            "line1": "Plot 4, Industrial Area",
            "city": "New Delhi",
            "state": "Delhi",
            "postal_code": "110020"
        },
        "to": address("560001"),
        "parcels": [{"weight_g": 500, "length_mm": 200, "width_mm": 150, "height_mm": 100,
                     "declared_value": {"amount": 49900, "currency": "INR"},
                     "description": "Cotton kurta"}],
        "payment": {"mode": "prepaid"}
    })
}

/// A warehouse and a buyer in `country` (`IN` or `US`), as a booking's `from` and `to`.
#[allow(dead_code)]
pub fn people_in(country: &str) -> (Value, Value) {
    match country {
        "IN" => (shipment_body("x", "x")["from"].clone(), address("560001")),
        "US" => (
            json!({"name": "Shipgate US Warehouse", "phone": "+1 212 555 0100",
                   "line1": "350 5th Ave", "city": "New York", "state": "NY",
                   "postal_code": "10118", "country": "US"}),
            json!({"name": "Test Buyer", "phone": "+1 512 555 0123",
                   "line1": "100 Congress Ave", "city": "Austin", "state": "TX",
                   "postal_code": "78701", "country": "US"}),
        ),
        other => panic!("no test addresses in {other}"),
    }
}

/// [`shipment_body`] from a warehouse in `from` to a buyer in `to` (`IN` or `US`),
/// valued in the origin's currency; across a border with customs for the one item.
#[allow(dead_code)]
/// The carrier's adapter built from its sandbox settings, as sandbox mode builds it.
pub fn sandbox_adapter(spec: &carriers::carrier::CarrierSpec) -> Box<dyn carriers::Carrier> {
    (spec.build)(&(spec.sandbox_settings)())
        .unwrap_or_else(|e| panic!("{} does not build from its sandbox settings: {e}", spec.id))
}

/// Uploads a rate card under `account` pricing every zone alike (40 rupees the first
/// 500 g, 35 each further 500 g, 2 % COD, 18 % GST), naming `service` when given: what a
/// tenant uploads for a carrier without a rate API.
pub async fn put_rate_card(app: &TestApp, account: &str, name: &str, service: Option<&str>) {
    let rate = json!({"first_slab": 4000, "additional_slab": 3500, "transit_days": 3});
    let zones: serde_json::Map<String, Value> = carriers::ratecard::Zone::ALL
        .iter()
        .map(|z| (z.as_str().to_string(), rate.clone()))
        .collect();
    let mut card = json!({
        "name": name, "volumetric_divisor": 5000, "first_slab_g": 500, "additional_slab_g": 500,
        "zones": zones, "cod": {"percent": "2", "minimum": 4000}, "gst_percent": "18"
    });
    if let Some(service) = service {
        card["service"] = json!(service);
    }
    let r = app
        .client
        .put(app.url(&format!("/v1/rate-cards/{account}")))
        .bearer_auth(&app.api_key)
        .json(&card)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        201,
        "card for {account}: {}",
        r.text().await.unwrap()
    );
}

/// Leaves every registered carrier but `ids` out of the gateway (`enabled = false`), for
/// tests whose expectations name which carriers quote: a carrier added later must not
/// change what they see.
pub fn only_carriers(c: &mut Config, ids: &[&str]) {
    for spec in carriers::registry() {
        if !ids.contains(&spec.id) {
            c.carriers.entry(spec.id.to_string()).or_default().enabled = Some(false);
        }
    }
}

/// The lane a carrier's tests book: within its home country (the first it books domestic
/// parcels in), or, for a carrier that books none, the export lane shipgate's users book
/// most, India to the United States.
pub fn home_lane(spec: &carriers::carrier::CarrierSpec) -> (&'static str, &'static str) {
    match spec.domestic.first() {
        Some(home) => (home, home),
        None => ("IN", "US"),
    }
}

/// A cross-border lane from the carrier's home: to the United States, or from there to
/// India.
pub fn export_lane(spec: &carriers::carrier::CarrierSpec) -> (&'static str, &'static str) {
    let home = spec.domestic.first().copied().unwrap_or("IN");
    (home, if home == "US" { "IN" } else { "US" })
}

/// A booking of one parcel with the carrier on its home lane.
pub fn home_shipment_body(order_ref: &str, spec: &carriers::carrier::CarrierSpec) -> Value {
    let (from, to) = home_lane(spec);
    shipment_body_between(order_ref, spec.id, from, to)
}

pub fn shipment_body_between(order_ref: &str, carrier: &str, from: &str, to: &str) -> Value {
    let currency = if from == "US" { "USD" } else { "INR" };
    let value = if from == "US" { 2500 } else { 49900 };
    let mut body = shipment_body(order_ref, carrier);
    body["from"] = people_in(from).0;
    body["to"] = people_in(to).1;
    body["parcels"][0]["declared_value"] = json!({"amount": value, "currency": currency});
    if from != to {
        body["customs"] = json!({"contents": "sale", "incoterm": "DAP", "items": [{
            "description": "Men's cotton kurta", "hs_code": "6211.42", "origin_country": from,
            "quantity": 1, "unit_value": {"amount": value, "currency": currency},
            "weight_g": 400}]});
    }
    body
}

/// The rate request for [`shipment_body`]'s parcel: the same body without `order_ref`
/// and `carrier`.
#[allow(dead_code)]
pub fn rate_body() -> Value {
    let mut body = shipment_body("unused", "unused");
    let object = body.as_object_mut().unwrap();
    object.remove("order_ref");
    object.remove("carrier");
    body
}

/// The answer's JSON body, after checking its status (the body is in the failure).
pub async fn json_of(response: reqwest::Response, status: u16) -> Value {
    let got = response.status().as_u16();
    let text = response.text().await.expect("a body");
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).expect("a JSON body")
}

pub async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let ct = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert_eq!(ct, "application/problem+json", "status {status}");
    let body: Value = response.json().await.expect("problem body is JSON");
    for field in ["type", "title", "status", "detail", "code", "request_id"] {
        assert!(body.get(field).is_some(), "problem lacks {field}: {body}");
    }
    assert_eq!(
        body["status"].as_u64(),
        Some(u64::from(status)),
        "the problem's status is the answer's: {body}"
    );
    (status, body)
}

pub fn pointers(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["pointer"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Every byte the database holds, as text: the SQLite files, or a `pg_dump` of the
/// PostgreSQL database (for tests that prove a secret is not stored in plain text).
pub fn raw_database(database_url: &str) -> String {
    if is_postgres() {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .and_then(|versions| {
                versions
                    .filter_map(Result::ok)
                    .map(|v| v.path().join("bin/pg_dump"))
                    .filter(|p| p.exists())
                    .max()
            })
            .expect("pg_dump is installed with PostgreSQL");
        let out = std::process::Command::new(bin)
            .arg("--data-only")
            .arg(database_url)
            .output()
            .expect("pg_dump runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    } else {
        let path = database_url.trim_start_matches("sqlite://");
        let mut bytes = std::fs::read(path).unwrap();
        for suffix in ["-wal", "-journal"] {
            if let Ok(more) = std::fs::read(format!("{path}{suffix}")) {
                bytes.extend(more);
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }
}
