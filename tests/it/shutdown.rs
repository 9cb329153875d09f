//! Graceful shutdown of the real binary: SIGTERM while a request or an outbound webhook
//! delivery is in progress lets it finish and exits 0; work that outlives
//! `SHIPGATE_SHUTDOWN_TIMEOUT_SECS` is abandoned with a non-zero exit that says so.
//!
//! The slow parties (a Delhivery stand-in, a webhook receiver) hold their answer until the
//! test releases it, so each step happens in a known order without timing assumptions.

use crate::common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::header::HeaderMap;
use actix_web::{HttpRequest, HttpResponse, web};
use common::fake_delhivery::{AWB, serve};
use common::gateway::{KEY, command};
use common::shipment_body;
use serde_json::{Value, json};
use tokio::sync::Notify;

/// Long enough for any step here on a loaded machine; only there to turn a hang into a
/// failure.
const HANG: Duration = Duration::from_secs(60);

/// A gateway child process whose stderr is collected.
struct Proc {
    child: Child,
    url: String,
    log: Arc<Mutex<Vec<String>>>,
    /// Reads stderr into `log` until the process closes it.
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Proc {
    fn start(mut cmd: Command) -> Proc {
        let mut child = cmd.env("RUST_LOG", "info").spawn().expect("start shipgate");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let deadline = Instant::now() + HANG;
        loop {
            let url = log.lock().unwrap().iter().find_map(|l| {
                l.strip_prefix("shipgate listening on ")
                    .map(|rest| rest.split_whitespace().next().unwrap().to_string())
            });
            if let Some(url) = url {
                return Proc {
                    child,
                    url,
                    log,
                    reader: Some(reader),
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("shipgate exited with {status}: {:#?}", log.lock().unwrap());
            }
            assert!(Instant::now() < deadline, "shipgate did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn sigterm(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill")
            .success();
        assert!(ok, "kill -TERM failed");
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Waits for the process to exit (panics after [`HANG`]), and for its last log lines:
    /// the pipe may still hold them when the process is gone.
    async fn exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + HANG;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                if let Some(reader) = self.reader.take() {
                    tokio::task::spawn_blocking(move || reader.join())
                        .await
                        .unwrap()
                        .unwrap();
                }
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "shipgate did not exit: {}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until the gateway refuses new connections: it stopped accepting.
    async fn refuses_connections(&self) {
        let addr = self.url.trim_start_matches("http://").to_string();
        let deadline = Instant::now() + HANG;
        while tokio::net::TcpStream::connect(&addr).await.is_ok() {
            assert!(
                Instant::now() < deadline,
                "the gateway still accepts connections after SIGTERM: {}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// A party that signals each request it gets and answers it only when released.
#[derive(Clone, Default)]
struct Gate {
    entered: Arc<Notify>,
    release: Arc<Notify>,
    headers: Arc<Mutex<Vec<HeaderMap>>>,
}

impl Gate {
    async fn entered(&self) {
        tokio::time::timeout(HANG, self.entered.notified())
            .await
            .expect("the request never arrived");
    }
}

/// Delhivery's create, held by `gate`; answers like Delhivery once released.
async fn held_delhivery(gate: Gate) -> String {
    serve(move |cfg: &mut web::ServiceConfig| {
        let gate = gate.clone();
        cfg.service(
            web::resource("/api/cmu/create.json").route(web::post().to(move || {
                let gate = gate.clone();
                async move {
                    gate.entered.notify_one();
                    gate.release.notified().await;
                    HttpResponse::Ok().json(json!({
                        "success": true, "package_count": 1, "upload_wbn": "UPL900",
                        "packages": [{"waybill": AWB, "refnum": "x", "status": "Success",
                                      "sort_code": "BLR/KOR", "remarks": [""], "serviceable": true,
                                      "payment": "Pre-paid", "cod_amount": 0.0}]
                    }))
                }
            })),
        );
    })
    .await
}

/// A webhook receiver held by `gate`; answers 200 once released.
async fn held_receiver(gate: Gate) -> String {
    let url = serve(move |cfg: &mut web::ServiceConfig| {
        let gate = gate.clone();
        cfg.service(
            web::resource("/hooks").route(web::post().to(move |request: HttpRequest| {
                let gate = gate.clone();
                async move {
                    gate.headers.lock().unwrap().push(request.headers().clone());
                    gate.entered.notify_one();
                    gate.release.notified().await;
                    HttpResponse::Ok()
                        .content_type("text/plain; charset=utf-8")
                        .body("ok")
                }
            })),
        );
    })
    .await;
    format!("{url}/hooks")
}

async fn book(url: &str) -> reqwest::Result<reqwest::Response> {
    book_order(url, &format!("SD-{}", uuid::Uuid::new_v4().simple())).await
}

async fn book_order(url: &str, order_ref: &str) -> reqwest::Result<reqwest::Response> {
    reqwest::Client::new()
        .post(format!("{url}/v1/shipments"))
        .bearer_auth(KEY)
        .json(&shipment_body(order_ref, "delhivery"))
        .timeout(HANG)
        .send()
        .await
}

fn gateway(db: &str, carrier: &str) -> Command {
    let mut cmd = command(db);
    cmd.env("SHIPGATE_CARRIERS__DELHIVERY__BASE_URL", carrier)
        .env("SHIPGATE_CARRIERS__DELHIVERY__TIMEOUT_MS", "120000")
        .env("SHIPGATE_POLLING__ENABLED", "false");
    cmd
}

#[tokio::test]
async fn sigterm_finishes_the_request_in_flight_refuses_new_ones_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::database_url(&dir).await;
    let gate = Gate::default();
    let carrier = held_delhivery(gate.clone()).await;
    let mut proc = Proc::start(gateway(&db, &carrier));

    let url = proc.url.clone();
    let booking = tokio::spawn(async move { book(&url).await });
    gate.entered().await;
    proc.sigterm();
    proc.refuses_connections().await;
    gate.release.notify_one();

    let response = tokio::time::timeout(HANG, booking)
        .await
        .expect("the booking in flight is answered")
        .unwrap()
        .expect("the booking in flight is answered");
    assert_eq!(response.status(), 201);
    let shipment: Value = response.json().await.unwrap();
    assert_eq!(shipment["awb"], AWB);
    let status = proc.exit().await;
    assert!(status.success(), "exit {status}: {}", proc.log());
    let log = proc.log();
    assert!(log.contains("shutdown requested"), "{log}");
    assert!(log.contains("shutdown complete"), "{log}");
}

/// A client that hung up mid booking leaves no connection to wait for, but its booking
/// is still going: shutdown finishes and stores it before exiting.
#[tokio::test]
async fn sigterm_finishes_a_booking_whose_client_hung_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::database_url(&dir).await;
    let gate = Gate::default();
    let carrier = held_delhivery(gate.clone()).await;
    let mut proc = Proc::start(gateway(&db, &carrier));

    let url = proc.url.clone();
    let booking = tokio::spawn(async move { book_order(&url, "SD-HUNG-UP").await });
    gate.entered().await;
    booking.abort();
    let _ = booking.await;
    proc.sigterm();
    proc.refuses_connections().await;
    gate.release.notify_one();
    let status = proc.exit().await;
    assert!(status.success(), "exit {status}: {}", proc.log());
    // The booking finished before the process did: either the server still held the
    // hung-up connection when it was released (the server's graceful stop waited for it),
    // or it had noticed the hang-up and shutdown waited for the creating task itself.
    let log = proc.log();
    let booked = log.find("shipment booked").expect("the booking finished");
    let complete = log.find("shutdown complete").expect("a clean shutdown");
    assert!(booked < complete, "{log}");

    let proc = Proc::start(gateway(&db, &carrier));
    let page: Value = reqwest::Client::new()
        .get(format!("{}/v1/shipments?order_ref=SD-HUNG-UP", proc.url))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let shipment = &page["data"][0];
    assert_eq!(
        (shipment["booking_state"].as_str(), shipment["awb"].as_str()),
        (Some("confirmed"), Some(AWB)),
        "{page}"
    );
}

#[tokio::test]
async fn sigterm_lets_a_webhook_delivery_in_progress_finish_and_record_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::database_url(&dir).await;
    let carrier = serve(common::fake_delhivery::fake_delhivery()).await;
    let gate = Gate::default();
    let hooks = held_receiver(gate.clone()).await;
    let mut proc = Proc::start(gateway(&db, &carrier));

    let client = reqwest::Client::new();
    let r = client
        .post(format!("{}/v1/webhook-endpoints", proc.url))
        .bearer_auth(KEY)
        .json(&json!({"url": hooks, "event_types": ["shipment.created"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(book(&proc.url).await.unwrap().status(), 201);
    gate.entered().await;
    let message_id = gate.headers.lock().unwrap()[0]
        .get("webhook-id")
        .expect("a webhook-id header")
        .to_str()
        .unwrap()
        .to_string();

    proc.sigterm();
    proc.refuses_connections().await;
    gate.release.notify_one();
    let status = proc.exit().await;
    assert!(status.success(), "exit {status}: {}", proc.log());

    // The outcome was written before the exit: a process that does not deliver shows it.
    let restarted = Proc::start({
        let mut cmd = gateway(&db, &carrier);
        cmd.env("SHIPGATE_OMS_WEBHOOKS__ENABLED", "false");
        cmd
    });
    let message: Value = client
        .get(format!(
            "{}/v1/webhook-messages/{message_id}",
            restarted.url
        ))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        message["deliveries"][0]["status"], "succeeded",
        "{message:#}"
    );
    assert_eq!(gate.headers.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn work_outliving_the_deadline_is_abandoned_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::database_url(&dir).await;
    // Never released: the booking outlives any deadline.
    let gate = Gate::default();
    let carrier = held_delhivery(gate.clone()).await;
    let mut cmd = gateway(&db, &carrier);
    cmd.env("SHIPGATE_SHUTDOWN_TIMEOUT_SECS", "1");
    let mut proc = Proc::start(cmd);

    let url = proc.url.clone();
    let _booking = tokio::spawn(async move { book(&url).await });
    gate.entered().await;
    proc.sigterm();
    let status = proc.exit().await;
    assert!(!status.success(), "exit {status}: {}", proc.log());
    let log = proc.log();
    assert!(
        log.contains("shutdown deadline of 1s passed; abandoned: HTTP requests still in flight"),
        "{log}"
    );
}
