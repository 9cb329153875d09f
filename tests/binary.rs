//! The `shipgate` binary as operators run it: configuration from the environment,
//! start-up failures that name the variable to set, and data that survives a restart.

mod common;

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

#[test]
fn cli_creates_tenants_and_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("cli.db").display());
    let run = |args: &[&str]| {
        let out = command(&db).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["migrate"]);
    assert!(run(&["tenant", "create", "acme"]).starts_with("ten_"));
    let key = run(&["key", "create", "--tenant", "acme", "--role", "read"]);
    assert!(key.trim().starts_with("sg_") && key.trim().len() > 40);
    let out = command(&db)
        .args(["key", "create", "--tenant", "nobody"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no tenant `nobody`"));
}
