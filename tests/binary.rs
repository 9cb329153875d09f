//! The `shipgate` binary as operators run it: configuration from the environment,
//! start-up failures that name the variable to set, and data that survives a restart.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::fake_delhivery::{AWB, fake_delhivery, serve};
use common::shipment_body;
use serde_json::Value;

const KEY: &str = "sg_binary_test_key_0123456789";

struct Gateway {
    child: Child,
    url: String,
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(db: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shipgate"));
    cmd.env_clear()
        .env("SHIPGATE_LISTEN", "127.0.0.1:0")
        .env("SHIPGATE_DATABASE_URL", db)
        .env("SHIPGATE_BOOTSTRAP_API_KEY", KEY)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Starts the binary and waits for its "listening on" line.
fn start(mut cmd: Command) -> Gateway {
    let mut child = cmd.spawn().expect("start shipgate");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let mut seen = Vec::new();
    while std::time::Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            if let Some(rest) = line.strip_prefix("shipgate listening on ") {
                let url = rest.split_whitespace().next().unwrap().to_string();
                return Gateway { child, url };
            }
            seen.push(line);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("shipgate did not start: {seen:#?}");
}

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
