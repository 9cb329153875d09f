//! The `shipgate` binary as operators run it: configuration from the environment,
//! start-up failures that name the variable to set, and data that survives a restart.

use crate::common;

use common::fake_delhivery::{AWB, fake_delhivery, serve};
use common::gateway::{KEY, command, start};
use common::shipment_body;
use serde_json::Value;

async fn post(url: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .post(url)
        .bearer_auth(KEY)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn get(url: &str) -> Value {
    reqwest::Client::new()
        .get(url)
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn base_url_from_the_environment_and_data_survives_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::database_url(&dir).await;
    let fake = serve(fake_delhivery()).await;

    let mut cmd = command(&db);
    cmd.env("SHIPGATE_CARRIERS__DELHIVERY__BASE_URL", &fake);
    let gw = start(cmd);
    let r = post(
        &format!("{}/v1/shipments", gw.url),
        &shipment_body("ORD-BIN", "delhivery"),
    )
    .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let tracking = get(&format!("{}/v1/shipments/{id}/tracking", gw.url)).await;
    assert_eq!(tracking["awb"], AWB);
    assert_eq!(tracking["status"], "out_for_delivery", "{tracking}");
    let codes: Vec<&str> = tracking["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["carrier_code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"X-UCI") && codes.contains(&"X-DDD3FD"),
        "{codes:?}"
    );
    drop(gw);

    // Restarted with the default (sandbox) carriers: the shipment and its timeline remain.
    let gw = start(command(&db));
    let shipment = get(&format!("{}/v1/shipments/{id}", gw.url)).await;
    assert_eq!(shipment["awb"], AWB);
    assert_eq!(shipment["status"], "out_for_delivery");
    assert_eq!(
        shipment["events"].as_array().unwrap().len(),
        4,
        "{shipment}"
    );
}

#[test]
fn live_mode_names_the_missing_credential() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("live.db").display());
    let out = command(&db)
        .env("SHIPGATE_MODE", "live")
        .env(
            "SHIPGATE_CARRIERS__DELHIVERY__BASE_URL",
            "https://track.example.test",
        )
        .env("SHIPGATE_CARRIERS__SHIPROCKET__ENABLED", "false")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("SHIPGATE_CARRIERS__DELHIVERY__API_TOKEN"),
        "{stderr}"
    );
}

#[test]
fn unknown_configuration_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("x.db").display());
    let out = command(&db).env("SHIPGATE_LISTN", "1").output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("listn"));
    let out = command(&db)
        .env("SHIPGATE_CARRIERS__PIGEON__BASE_URL", "http://x")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown carrier `pigeon`"));
}

/// `shipgate check-config` (what scripts/check-deploy.sh runs on the deploy manifests):
/// the start-up checks without the start-up, so it needs no database.
#[test]
fn check_config_refuses_what_start_up_refuses_and_names_ignored_carrier_settings() {
    let nowhere = "sqlite:///nonexistent-directory/shipgate.db";
    let check = |vars: &[(&str, &str)]| {
        let mut cmd = command(nowhere);
        cmd.arg("check-config");
        for (name, value) in vars {
            cmd.env(name, value);
        }
        let out = cmd.output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, stderr) = check(&[]);
    assert!(ok, "{stderr}");
    let (ok, stderr) = check(&[("SHIPGATE_REDIS_ULR", "redis://x")]);
    assert!(!ok && stderr.contains("redis_ulr"), "{stderr}");
    let (ok, stderr) = check(&[
        ("SHIPGATE_MODE", "live"),
        ("SHIPGATE_CARRIERS__DELHIVERY__API_TOKEN", "t"),
    ]);
    assert!(
        !ok && stderr.contains("SHIPGATE_CARRIERS__DELHIVERY__PICKUP_LOCATION"),
        "{stderr}"
    );
    let (ok, stderr) = check(&[
        ("SHIPGATE_CARRIERS__DELHIVERY__API_TOKN", "t"),
        ("SHIPGATE_CARRIERS__DELHIVERY__WEBHOOK_TOKEN", "t"),
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("warning: SHIPGATE_CARRIERS__DELHIVERY__API_TOKN is not a setting"),
        "{stderr}"
    );
    assert!(!stderr.contains("WEBHOOK_TOKEN"), "{stderr}");
}

/// Runs a CLI command against `db`; it must succeed. Its standard output.
fn cli(db: &str, args: &[&str]) -> String {
    let out = command(db).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn cli_creates_tenants_and_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    let run = |args: &[&str]| cli(&db, args);
    run(&["migrate"]);
    let tenant = run(&["tenant", "create", "acme"]);
    assert!(tenant.starts_with("ten_"));
    let key = run(&["key", "create", "--tenant", "acme", "--role", "read"]);
    assert!(key.trim().starts_with("sg_") && key.trim().len() > 40);
    // The audit trail has it, as the command line's doing, without the key.
    let store = shipgate::store::Store::connect(&db).await.unwrap();
    let trail = store
        .audit_events(tenant.trim(), &Default::default(), None, 10)
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(
        (trail[0].actor.as_str(), trail[0].action.as_str()),
        ("cli", "api_key.created")
    );
    assert!(trail[0].target_id.starts_with("key_"));
    let after = trail[0].after_json.as_deref().unwrap();
    assert!(
        after.contains("\"role\":\"read\"") && !after.contains(key.trim()),
        "{after}"
    );
    let out = command(&db)
        .args(["key", "create", "--tenant", "nobody"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no tenant `nobody`"));
}

/// `shipgate simulate` on a free port, with these extra arguments.
fn simulator(args: &[&str]) -> common::gateway::Gateway {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_shipgate"));
    cmd.env_clear()
        .env("RUST_LOG", "warn")
        .args(["simulate", "--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    common::gateway::start_until(cmd, "shipgate simulate listening on ")
}

/// The gateway's command with both carriers pointed at a `shipgate simulate` process.
fn command_on(simulator: &common::gateway::Gateway, db: &str) -> std::process::Command {
    let mut cmd = command(db);
    for spec in carriers::registry() {
        let carrier = spec.id;
        cmd.env(
            format!("SHIPGATE_CARRIERS__{}__BASE_URL", carrier.to_uppercase()),
            format!("{}/{carrier}", simulator.url),
        );
    }
    cmd
}

// The stand-in carrier process of bench/run: a gateway books through it over real HTTP,
// its counters see the booking, and with every call failing the gateway's rate answer
// names each carrier's failure instead of quoting.
#[tokio::test]
async fn simulate_process_stands_in_for_the_carriers() {
    let dir = tempfile::tempdir().unwrap();
    let healthy = simulator(&["--latency-ms", "5"]);
    let cmd = command_on(&healthy, &common::database_url(&dir).await);
    let gw = start(cmd);
    let r = post(
        &format!("{}/v1/shipments", gw.url),
        &shipment_body("ORD-SIM", "delhivery"),
    )
    .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let stats = get(&format!("{}/_stats", healthy.url)).await;
    assert_eq!(stats["bookings"]["delhivery"], 1, "{stats}");
    assert_eq!(stats["bookings"]["shiprocket"], 0, "{stats}");
    assert_eq!(stats["failures"], 0, "{stats}");

    let failing = simulator(&["--failure-rate", "1"]);
    let dir = tempfile::tempdir().unwrap();
    let cmd = command_on(&failing, &common::database_url(&dir).await);
    let gw = start(cmd);
    let rates: Value = post(&format!("{}/v1/rates", gw.url), &common::rate_body())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rates["quotes"], serde_json::json!([]), "{rates}");
    let failed: Vec<&str> = rates["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["carrier"].as_str().unwrap())
        .collect();
    assert!(
        failed.contains(&"delhivery") && failed.contains(&"shiprocket"),
        "{rates}"
    );
    let stats = get(&format!("{}/_stats", failing.url)).await;
    assert!(stats["failures"].as_u64().unwrap() >= 2, "{stats}");
    assert_eq!(stats["bookings"]["delhivery"], 0, "{stats}");
}

#[test]
fn simulate_refuses_a_failure_rate_outside_zero_to_one() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shipgate"))
        .env_clear()
        .args([
            "simulate",
            "--listen",
            "127.0.0.1:0",
            "--failure-rate",
            "1.5",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--failure-rate"), "{stderr}");
}

/// In live mode the bootstrap key is an operator's secret: the log names it by prefix
/// only, and it works.
#[tokio::test]
async fn live_mode_keeps_the_bootstrap_key_out_of_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("live.db").display());
    let mut cmd = command(&db);
    cmd.env("SHIPGATE_MODE", "live")
        .env(
            "SHIPGATE_CARRIERS__DELHIVERY__BASE_URL",
            "https://track.example.test",
        )
        .env("SHIPGATE_CARRIERS__DELHIVERY__API_TOKEN", "live-token-1")
        .env("SHIPGATE_CARRIERS__DELHIVERY__PICKUP_LOCATION", "WH-1")
        .env("SHIPGATE_CARRIERS__SHIPROCKET__ENABLED", "false")
        .env("SHIPGATE_POLLING__ENABLED", "false");
    let gateway = start(cmd);
    let carriers = reqwest::Client::new()
        .get(format!("{}/v1/carriers", gateway.url))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(carriers.status(), 200);
    // The line is written before the server answers; the reader thread may lag behind.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !gateway
        .logs()
        .iter()
        .any(|l| l.contains("is active (prefix"))
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let log = gateway.logs().join("\n");
    assert!(!log.contains(KEY), "{log}");
    assert!(
        log.contains("admin key from SHIPGATE_BOOTSTRAP_API_KEY is active (prefix sg_bina)"),
        "{log}"
    );
}

/// Keys as an operator manages them: listed without their values, revoked by id, and a
/// revoked key refused by a gateway started afterwards.
#[tokio::test]
async fn keys_are_listed_without_their_values_and_revoked_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("keys.db").display());
    let run = |args: &[&str]| cli(&db, args);
    run(&["tenant", "create", "acme"]);
    let key = run(&[
        "key", "create", "--tenant", "acme", "--role", "read", "--label", "ops",
    ])
    .trim()
    .to_string();
    let listed = run(&["key", "list", "--tenant", "acme"]);
    assert!(!listed.contains(&key), "{listed}");
    let row = listed
        .lines()
        .find(|l| l.contains("\tops\t"))
        .unwrap_or_else(|| panic!("{listed}"));
    let id = row.split('\t').next().unwrap().to_string();
    assert!(
        id.starts_with("key_") && row.contains("\tread\t") && row.ends_with("\t-"),
        "{row}"
    );

    let gateway = start(command(&db));
    let status = |key: String| {
        let url = format!("{}/v1/carriers", gateway.url);
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(key)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(status(key.clone()).await, 200);
    drop(gateway);

    run(&["key", "revoke", &id]);
    let listed = run(&["key", "list", "--tenant", "acme"]);
    assert!(
        !listed
            .lines()
            .any(|l| l.starts_with(&id) && l.ends_with("\t-")),
        "{listed}"
    );
    let again = command(&db).args(["key", "revoke", &id]).output().unwrap();
    assert!(
        !again.status.success(),
        "revoking twice says there is no active key"
    );

    let gateway = start(command(&db));
    let url = format!("{}/v1/carriers", gateway.url);
    let refused = reqwest::Client::new()
        .get(url)
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
}

/// The sandbox's published key does not survive into live mode on the same database.
#[tokio::test]
async fn live_mode_revokes_the_sandbox_demo_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("modes.db").display());
    let demo = shipgate::config::SANDBOX_DEMO_KEY;
    let carriers = |url: String, key: &'static str| async move {
        reqwest::Client::new()
            .get(format!("{url}/v1/carriers"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    let mut sandbox = command(&db);
    sandbox.env_remove("SHIPGATE_BOOTSTRAP_API_KEY");
    let gateway = start(sandbox);
    assert_eq!(carriers(gateway.url.clone(), demo).await, 200);
    drop(gateway);

    let mut live = command(&db);
    live.env("SHIPGATE_MODE", "live")
        .env(
            "SHIPGATE_CARRIERS__DELHIVERY__BASE_URL",
            "https://track.example.test",
        )
        .env("SHIPGATE_CARRIERS__DELHIVERY__API_TOKEN", "live-token-1")
        .env("SHIPGATE_CARRIERS__DELHIVERY__PICKUP_LOCATION", "WH-1")
        .env("SHIPGATE_CARRIERS__SHIPROCKET__ENABLED", "false")
        .env("SHIPGATE_POLLING__ENABLED", "false")
        .env("RUST_LOG", "warn");
    let gateway = start(live);
    assert_eq!(carriers(gateway.url.clone(), demo).await, 401);
    assert_eq!(carriers(gateway.url.clone(), KEY).await, 200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !gateway
        .logs()
        .iter()
        .any(|l| l.contains("revoked the well-known sandbox demo key"))
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        gateway
            .logs()
            .iter()
            .any(|l| l.contains("revoked the well-known sandbox demo key")),
        "{:?}",
        gateway.logs()
    );
}

/// Secrets the adapters mark on their requests never reach the log, even at debug level
/// where every carrier request is logged with its URL and headers: Delhivery's API token,
/// Shiprocket's password and the tokens its login hands out, over real HTTP to a
/// `shipgate simulate` process.
#[tokio::test]
async fn carrier_secrets_stay_out_of_a_debug_log() {
    let dir = tempfile::tempdir().unwrap();
    let carriers = simulator(&[]);
    let mut cmd = command_on(&carriers, &common::database_url(&dir).await);
    cmd.env("RUST_LOG", "shipgate=debug");
    let gw = start(cmd);
    let body = shipment_body("ORD-SECRETS", "delhivery");
    let r = post(&format!("{}/v1/shipments", gw.url), &body).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let rates: Value = post(&format!("{}/v1/rates", gw.url), &common::rate_body())
        .await
        .json()
        .await
        .unwrap();
    // Only the carriers that do not book within India say so; the Indian two quote.
    let errors = rates["errors"].as_array().unwrap();
    assert!(
        errors.iter().all(|e| e["code"] == "not_serviceable"
            && !["delhivery", "shiprocket"].contains(&e["carrier"].as_str().unwrap())),
        "{rates}"
    );
    // Both carriers were called and logged, headers included (the lines are written
    // before the answers, but the thread reading the log may lag behind).
    let logged = |log: &str| {
        ["delhivery", "shiprocket"].iter().all(|carrier| {
            log.lines()
                .any(|l| l.contains("carrier request") && l.contains(carrier))
        }) && log.contains("login")
            && log.contains(r#"("authorization", "****")"#)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !logged(&gw.logs().join("\n")) && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let log = gw.logs().join("\n");
    assert!(logged(&log), "requests not logged as expected:\n{log}");
    for secret in [
        carriers::delhivery::simulator::SANDBOX_TOKEN,
        carriers::shiprocket::SANDBOX_PASSWORD,
        // Every token the Shiprocket simulator issues starts so.
        "sandbox.",
    ] {
        assert!(!log.contains(secret), "`{secret}` in the log:\n{log}");
    }
}

/// A log line without its terminal colours.
fn plain(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // Skip to the end of the escape sequence (`ESC [ … m`).
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A tenant's own carrier credentials and push secret never reach the log, not even at
/// debug level, through everything that uses them: the check when the account is added,
/// a rotation, bookings, a tracking pull and pushes.
#[tokio::test]
async fn tenant_carrier_credentials_stay_out_of_a_debug_log() {
    const TOKEN: &str = "TENANT-DELHIVERY-TOKEN-0f9e";
    const PASSWORD: &str = "TENANT-SHIPROCKET-PASSWORD-7a1c";
    const ROTATED: &str = "TENANT-SHIPROCKET-PASSWORD-ROTATED-33d";
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = command(&common::database_url(&dir).await);
    cmd.env("RUST_LOG", "shipgate=debug");
    let gw = start(cmd);
    let client = reqwest::Client::new();
    let call = |method: reqwest::Method, path: &str, body: Option<Value>| {
        let mut request = client
            .request(method, format!("{}{path}", gw.url))
            .bearer_auth(KEY);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send()
    };
    for (carrier, account) in [
        (
            "delhivery",
            serde_json::json!({"account": "t", "api_token": TOKEN}),
        ),
        (
            "shiprocket",
            serde_json::json!({"account": "t", "email": "ops@t.test", "password": PASSWORD}),
        ),
        (
            "shiprocket",
            serde_json::json!({"account": "t2", "email": "ops2@t.test", "password": ROTATED}),
        ),
    ] {
        let r = call(
            reqwest::Method::POST,
            &format!("/sandbox/{carrier}/_accounts"),
            Some(account),
        )
        .await
        .unwrap();
        assert_eq!(r.status(), 201);
    }
    let pickup = carriers::delhivery::simulator::SANDBOX_PICKUP_LOCATION;
    let mut secrets = vec![TOKEN.to_string(), PASSWORD.into(), ROTATED.into()];
    let mut ids = Vec::new();
    for body in [
        serde_json::json!({"carrier": "delhivery", "name": "main",
            "credentials": {"api_token": TOKEN}, "settings": {"pickup_location": pickup}}),
        serde_json::json!({"carrier": "shiprocket", "name": "main",
            "credentials": {"email": "ops@t.test", "password": PASSWORD},
            "settings": {"pickup_location": carriers::shiprocket::SANDBOX_PICKUP_LOCATION}}),
    ] {
        let r = call(reqwest::Method::POST, "/v1/carrier-accounts", Some(body))
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let account: Value = r.json().await.unwrap();
        secrets.push(account["push_secret"].as_str().unwrap().to_string());
        ids.push(account["id"].as_str().unwrap().to_string());
    }
    let shipment: Value = call(
        reqwest::Method::POST,
        "/v1/shipments",
        Some(shipment_body("ORD-T-1", "delhivery")),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(shipment["carrier_account"], ids[0].as_str(), "{shipment}");
    let r = call(
        reqwest::Method::GET,
        &format!(
            "/v1/shipments/{}/tracking",
            shipment["id"].as_str().unwrap()
        ),
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let r = call(
        reqwest::Method::PATCH,
        &format!("/v1/carrier-accounts/{}", ids[1]),
        Some(serde_json::json!({"credentials": {"email": "ops2@t.test", "password": ROTATED}})),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let r = call(
        reqwest::Method::POST,
        "/v1/shipments",
        Some(shipment_body("ORD-T-2", "shiprocket")),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let account: Value = call(
        reqwest::Method::GET,
        &format!("/v1/carrier-accounts/{}", ids[0]),
        None,
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let r = client
        .post(account["push_url"].as_str().unwrap())
        .header("authorization", format!("Token {}", secrets[3]))
        .body(
            serde_json::to_vec(&serde_json::json!({"Shipment": {
            "Status": {"Status": "In Transit", "StatusDateTime": "2026-12-06 10:15:00",
                       "StatusType": "UD", "StatusLocation": "Delhi_Hub (Delhi)"},
            "NSLCode": "X-ILL1F", "AWB": shipment["awb"]}}))
            .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = client
        .post(account["push_url"].as_str().unwrap())
        .header("authorization", "Token a-wrong-secret")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let logged = |log: &str| {
        log.contains("check_account")
            && log.contains("tenant carrier account changed")
            && log.contains(r#"("authorization", "****")"#)
            && log.contains("carrier push refused")
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !logged(&gw.logs().join("\n")) && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let log = gw.logs().join("\n");
    assert!(logged(&log), "not logged as expected:\n{log}");
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "`{secret}` in the log:\n{log}"
        );
    }
}

/// `shipgate master-key generate` prints a key `SHIPGATE_MASTER_KEY` takes; `rotate`
/// re-wraps every stored credential under it, refuses to run without the old key (nothing
/// is dropped), and afterwards the new key alone opens every account.
#[tokio::test]
async fn master_keys_are_generated_and_rotated_without_losing_a_credential() {
    use shipgate::sealed::{Keyring, MasterKey, SealError};
    use shipgate::service::carrier_accounts::{open_credentials, seal_credentials};

    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("keys.db").display());
    let generate = |id: &str| {
        cli(&db, &["master-key", "generate", "--id", id])
            .trim()
            .to_string()
    };
    let (old, new) = (generate("2026-06"), generate("2026-12"));
    assert_ne!(old, new);
    let refused = command(&db)
        .args(["master-key", "generate", "--id", "has space"])
        .output()
        .unwrap();
    assert!(!refused.status.success());

    cli(&db, &["migrate"]);
    let store = shipgate::store::Store::connect(&db).await.unwrap();
    let sealed_with_old = Keyring::new(MasterKey::parse(&old).unwrap(), Vec::new());
    let credentials = std::collections::BTreeMap::from([(
        "api_token".to_string(),
        zeroize::Zeroizing::new("ROTATE-ME-TOKEN".to_string()),
    )]);
    store
        .add_carrier_account(&shipgate::store::NewAccount {
            tenant_id: "t1",
            id: "ca_1",
            carrier: "delhivery",
            name: "main",
            settings_json: r#"{"pickup_location":"WH-1"}"#,
            credentials_json: &seal_credentials(&sealed_with_old, "t1", "ca_1", &credentials),
            push_token: "push-ca_1",
            push_secret: &shipgate::service::carrier_accounts::seal_push_secret(
                &sealed_with_old,
                "t1",
                "ca_1",
                "PUSH-SECRET",
            ),
            options_json: "{}",
        })
        .await
        .unwrap();

    let rotate = |previous: Option<&str>| {
        let mut cmd = command(&db);
        cmd.env("SHIPGATE_MASTER_KEY", &new)
            .args(["master-key", "rotate"]);
        if let Some(previous) = previous {
            cmd.env("SHIPGATE_MASTER_KEYS_PREVIOUS", previous);
        }
        cmd.output().unwrap()
    };
    let without_old = rotate(None);
    assert!(!without_old.status.success());
    let stderr = String::from_utf8_lossy(&without_old.stderr);
    assert!(stderr.contains("\"2026-06\" is not loaded"), "{stderr}");
    assert!(!stderr.contains(new.split(':').nth(1).unwrap()), "{stderr}");

    let done = rotate(Some(&old));
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&done.stdout).trim(), "1");
    let account = store.carrier_account("t1", "ca_1").await.unwrap().unwrap();
    let only_new = Keyring::new(MasterKey::parse(&new).unwrap(), Vec::new());
    assert_eq!(
        open_credentials(&only_new, &account).unwrap()["api_token"].as_str(),
        "ROTATE-ME-TOKEN"
    );
    assert_eq!(
        open_credentials(&sealed_with_old, &account).unwrap_err(),
        SealError::UnknownKey("2026-12".into())
    );

    // A gateway with only the new key uses the account; one with only the old key
    // cannot, and says which key it lacks.
    let serve = |key: &str| {
        let mut cmd = command(&db);
        cmd.env("SHIPGATE_MASTER_KEY", key).env("RUST_LOG", "info");
        start(cmd)
    };
    let loaded = |gw: &common::gateway::Gateway| {
        gw.logs()
            .iter()
            .map(|l| plain(l))
            .any(|l| l.contains("tenant carrier accounts loaded") && l.contains("accounts=1"))
    };
    let with_new = serve(&new);
    assert!(loaded(&with_new), "{:?}", with_new.logs());
    assert!(!with_new.logs().iter().any(|l| l.contains("cannot be used")));
    drop(with_new);
    let with_old = serve(&old);
    let log = plain(&with_old.logs().join("\n"));
    assert!(!loaded(&with_old), "{log}");
    assert!(
        log.contains("tenant carrier account cannot be used")
            && log.contains("\"2026-12\" is not loaded"),
        "{log}"
    );
    assert!(!log.contains("ROTATE-ME-TOKEN"));
}

/// A master key that cannot be read stops the gateway before it serves, naming the
/// problem and not the key.
#[test]
fn a_broken_master_key_stops_the_gateway_before_it_serves() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("broken.db").display());
    let mut child = command(&db)
        .env("SHIPGATE_MASTER_KEY", "main:c2hvcnQ=")
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the gateway started with a broken master key");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(!status.success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(
        stderr.contains("key \"main\" is 5 bytes, not 32"),
        "{stderr}"
    );
    assert!(!stderr.contains("c2hvcnQ"), "{stderr}");
}
