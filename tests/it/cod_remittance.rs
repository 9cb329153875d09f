//! COD remittance reconciliation over HTTP (issue 17), on SQLite and PostgreSQL, against
//! both simulators: COD shipments booked and driven to delivered by tracking, a carrier's
//! remittance file uploaded in its own layout, every line's outcome, what stays
//! outstanding and overdue, and the same file pulled from a real OpenSSH server's SFTP
//! folder (reconciled once, across restarts).

use crate::common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::receiver::Receiver;
use common::{TestApp, json_of, pointers, problem, shipment_body, spawn_app_with};
use serde_json::{Value, json};
use shipgate::store::Role;

const CARRIERS: [&str; 2] = ["delhivery", "shiprocket"];

/// Delhivery's remittance cycle is 0 days here (everything outstanding is overdue at
/// once); Shiprocket keeps its default D+8 (nothing delivered today is overdue).
async fn app() -> TestApp {
    app_on(None, 0).await
}

/// On `database_url` (a fresh database when `None`), pulling SFTP folders every
/// `pull_every_ms` (0: on request only).
async fn app_on(database_url: Option<String>, pull_every_ms: u64) -> TestApp {
    spawn_app_with(|c| {
        c.polling.enabled = false;
        c.cod.remittance_days.insert("delhivery".into(), 0);
        c.cod.pull_every_ms = pull_every_ms;
        if let Some(url) = database_url {
            c.database_url = url;
        }
    })
    .await
}

/// Books a COD shipment collecting `rupees`; its id and AWB.
async fn book_cod(app: &TestApp, carrier: &str, order_ref: &str, rupees: i64) -> (String, String) {
    let mut body = shipment_body(order_ref, carrier);
    body["payment"] =
        json!({"mode": "cod", "cod_amount": {"amount": rupees * 100, "currency": "INR"}});
    let s = json_of(app.post_keyed("/v1/shipments", order_ref, &body).await, 201).await;
    (
        s["id"].as_str().unwrap().to_string(),
        s["awb"].as_str().unwrap().to_string(),
    )
}

/// Tracks (each call reveals the simulator's next scan) until delivered, at most 30 times.
async fn deliver(app: &TestApp, id: &str) {
    for _ in 0..30 {
        let t = json_of(app.get(&format!("/v1/shipments/{id}/tracking")).await, 200).await;
        if t["status"] == "delivered" {
            return;
        }
    }
    panic!("shipment {id} never delivered");
}

async fn upload(app: &TestApp, query: &str, key: &str, csv: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/v1/cod-remittances{query}")))
        .bearer_auth(&app.api_key)
        .header("idempotency-key", key)
        .header("content-type", "text/csv")
        .body(csv.to_string())
        .send()
        .await
        .expect("request")
}

/// A file in the carrier's own layout with these lines (AWB, rupees as written).
fn file(carrier: &str, lines: &[(&str, &str)]) -> String {
    let mut out = String::new();
    match carrier {
        "delhivery" => {
            out.push_str("Waybill,Order ID,COD Amount,UTR No,Remittance Date\n");
            for (awb, amount) in lines {
                out.push_str(&format!("{awb},ORD,{amount},UTR0001,2026-12-05\n"));
            }
        }
        _ => {
            out.push_str(
                "CRF ID,AWB Code,Order ID,Courier,COD Amount,Remitted Amount,Remittance Date,UTR\n",
            );
            for (awb, amount) in lines {
                out.push_str(&format!(
                    "CRF77,{awb},ORD,Shiprocket,\"{amount}\",\"{amount}\",05-12-2026,UTR0002\n"
                ));
            }
        }
    }
    out
}

async fn report(app: &TestApp, carrier: &str) -> Value {
    let r = json_of(app.get("/v1/reports/cod").await, 200).await;
    r["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["carrier"] == carrier)
        .cloned()
        .unwrap_or_else(|| panic!("no {carrier} row in {r}"))
}

fn total(count: i64, paise: i64) -> Value {
    json!({"count": count, "amount": {"amount": paise, "currency": "INR"}})
}

#[tokio::test]
async fn a_remittance_file_is_reconciled_line_by_line_and_what_is_owed_is_reported() {
    for carrier in CARRIERS {
        let app = app().await;
        let receiver = Receiver::subscribed(&app, &["cod.remittance_reconciled"]).await;

        let (paid, paid_awb) = book_cod(&app, carrier, &format!("{carrier}-paid"), 1499).await;
        let (short, short_awb) = book_cod(&app, carrier, &format!("{carrier}-short"), 999).await;
        let (owed, owed_awb) = book_cod(&app, carrier, &format!("{carrier}-owed"), 250).await;
        let (_, transit_awb) = book_cod(&app, carrier, &format!("{carrier}-transit"), 100).await;
        for id in [&paid, &short, &owed] {
            deliver(&app, id).await;
        }

        // Before any remittance: all three delivered are outstanding.
        let before = report(&app, carrier).await;
        assert_eq!(
            before["collected"],
            total(3, 149_900 + 99_900 + 25_000),
            "{before}"
        );
        assert_eq!(before["outstanding"], before["collected"]);

        let csv = file(
            carrier,
            &[
                (&paid_awb, "1499.00"),
                (&short_awb, "500"),
                (&transit_awb, "100"),
                ("NOSUCHAWB1", "10"),
                (&paid_awb, "1499.00"),
            ],
        );
        let r = upload(&app, "?file_name=payout.csv", &format!("{carrier}-1"), &csv).await;
        let location = r.headers()["location"].to_str().unwrap().to_string();
        assert!(
            location.starts_with("/v1/cod-remittances/codr_"),
            "{location}"
        );
        let remittance = json_of(r, 201).await;
        assert_eq!(remittance["layout"], carrier, "{remittance}");
        assert_eq!(remittance["file_name"], "payout.csv");
        assert_eq!(remittance["lines"], 5);
        assert_eq!(
            remittance["counts"],
            json!({"matched": 1, "amount_mismatch": 1, "remitted_not_delivered": 1,
                   "unknown_awb": 1, "duplicate_line": 1})
        );
        let id = remittance["id"].as_str().unwrap();

        // Every line with its outcome, in file order; filterable by outcome.
        let detail = json_of(app.get(&format!("/v1/cod-remittances/{id}")).await, 200).await;
        let outcomes: Vec<&str> = detail["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["outcome"].as_str().unwrap())
            .collect();
        assert_eq!(
            outcomes,
            [
                "matched",
                "amount_mismatch",
                "remitted_not_delivered",
                "unknown_awb",
                "duplicate_line"
            ]
        );
        assert_eq!(detail["data"][0]["line"], 2);
        assert_eq!(detail["data"][0]["shipment_id"], paid.as_str());
        let mismatches = json_of(
            app.get(&format!("/v1/cod-remittances/{id}?outcome=amount_mismatch"))
                .await,
            200,
        )
        .await;
        assert_eq!(
            mismatches["data"].as_array().unwrap().len(),
            1,
            "{mismatches}"
        );
        let line = &mismatches["data"][0];
        assert_eq!(line["shipment_id"], short.as_str());
        assert_eq!(
            line["expected"],
            json!({"amount": 99_900, "currency": "INR"})
        );
        assert_eq!(line["amount"], json!({"amount": 50_000, "currency": "INR"}));

        // What is owed: the one delivered shipment no line paid.
        let row = report(&app, carrier).await;
        assert_eq!(row["collected"], before["collected"], "{row}");
        assert_eq!(row["remitted"], total(2, 149_900 + 50_000));
        assert_eq!(row["outstanding"], total(1, 25_000));
        let overdue_expected = if carrier == "delhivery" {
            total(1, 25_000)
        } else {
            total(0, 0)
        };
        assert_eq!(row["overdue"], overdue_expected);
        assert_eq!(
            row["remittance_days"],
            if carrier == "delhivery" { 0 } else { 8 }
        );
        let outstanding = json_of(app.get("/v1/cod/outstanding").await, 200).await;
        let list = outstanding["data"].as_array().unwrap();
        assert_eq!(list.len(), 1, "{outstanding}");
        assert_eq!(list[0]["shipment_id"], owed.as_str());
        assert_eq!(list[0]["awb"], owed_awb.as_str());
        assert_eq!(list[0]["age_days"], 0);
        assert_eq!(list[0]["overdue"], carrier == "delhivery");
        let overdue_only = json_of(app.get("/v1/cod/outstanding?overdue=true").await, 200).await;
        assert_eq!(
            overdue_only["data"].as_array().unwrap().len(),
            usize::from(carrier == "delhivery")
        );

        // The same file again (another key, even): nothing changes, the same remittance.
        let again = json_of(upload(&app, "", &format!("{carrier}-2"), &csv).await, 200).await;
        assert_eq!(again["id"], remittance["id"]);
        assert_eq!(again["counts"], remittance["counts"]);
        // A replay of the first request answers as it did.
        let replay = json_of(
            upload(&app, "?file_name=payout.csv", &format!("{carrier}-1"), &csv).await,
            201,
        )
        .await;
        assert_eq!(replay["id"], remittance["id"]);
        let all = json_of(app.get("/v1/cod-remittances").await, 200).await;
        assert_eq!(all["data"].as_array().unwrap().len(), 1, "{all}");
        assert_eq!(report(&app, carrier).await, row);

        // A later file: the paid AWB again is a duplicate; the owed one is paid now.
        let later = file(carrier, &[(&paid_awb, "1499"), (&owed_awb, "250.00")]);
        let second = json_of(upload(&app, "", &format!("{carrier}-3"), &later).await, 201).await;
        assert_eq!(second["counts"]["duplicate_line"], 1, "{second}");
        assert_eq!(second["counts"]["matched"], 1);
        let row = report(&app, carrier).await;
        assert_eq!(row["outstanding"], total(0, 0), "{row}");
        assert_eq!(row["overdue"], total(0, 0));
        assert_eq!(row["remitted"], total(3, 149_900 + 50_000 + 25_000));
        let outstanding = json_of(app.get("/v1/cod/outstanding").await, 200).await;
        assert_eq!(outstanding["data"], json!([]));

        // The OMS heard of both files, with their counts; the audit trail and the
        // metrics have them.
        let messages = receiver
            .wait_for(Duration::from_secs(15), "the remittance messages", |r| {
                r.len() >= 2
            })
            .await;
        assert_eq!(messages[0].event_type(), "cod.remittance_reconciled");
        assert_eq!(
            messages[0].body["data"]["remittance"]["id"],
            remittance["id"]
        );
        assert_eq!(
            messages[0].body["data"]["remittance"]["counts"],
            remittance["counts"]
        );
        assert!(messages.iter().all(|m| m.verified == [true]));
        let trail = json_of(
            app.get("/v1/audit-events?action=cod_remittance.reconciled")
                .await,
            200,
        )
        .await;
        assert_eq!(trail["data"].as_array().unwrap().len(), 2, "{trail}");
        assert_eq!(trail["data"][1]["target"]["id"], remittance["id"]);
        let metrics = app.metrics().await;
        assert!(
            metrics
                .lines()
                .any(|l| l.starts_with("shipgate_cod_remittance_lines_total")
                    && l.contains(&format!("layout=\"{carrier}\""))
                    && l.contains("outcome=\"amount_mismatch\"")),
            "no line metric for {carrier}"
        );
    }
}

#[tokio::test]
async fn bad_files_are_refused_at_their_line_and_store_nothing() {
    let app = app().await;
    let (id, awb) = book_cod(&app, "delhivery", "bad-1", 100).await;
    deliver(&app, &id).await;
    let csv = format!(
        "Waybill,COD Amount,UTR No,Remittance Date\n{awb},100,UTR1,2026-12-05\n{awb},ten,,2026-13-45\n"
    );
    let (status, body) = problem(upload(&app, "", "bad-1", &csv).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("validation_failed"))
    );
    assert_eq!(
        pointers(&body),
        ["/lines/3/utr", "/lines/3/remitted_on", "/lines/3/amount"]
    );
    let (status, body) = problem(upload(&app, "", "bad-2", "Waybill,UTR No\nX,Y\n").await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), ["/columns/amount", "/columns/remitted_on"]);
    let (status, body) = problem(upload(&app, "", "bad-3", "a,b\n1,2\n").await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), ["/layout"]);
    let (status, body) =
        problem(upload(&app, "?layout=fedex&x=1", "bad-4", "a,b\n1,2\n").await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), ["/x", "/layout"]);
    // Named, the layout is taken as named.
    let (status, body) = problem(
        upload(
            &app,
            "?layout=generic",
            "bad-5",
            &format!("Waybill,COD Amount,UTR No,Remittance Date\n{awb},1,U,2026-12-05\n"),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body)[0], "/columns/awb");
    // Not CSV.
    let r = app
        .client
        .post(app.url("/v1/cod-remittances"))
        .bearer_auth(&app.api_key)
        .header("idempotency-key", "bad-6")
        .json(&json!({"awb": awb}))
        .send()
        .await
        .unwrap();
    let (status, _) = problem(r).await;
    assert_eq!(status, 415);
    // Nothing was stored: the shipment is still outstanding, no remittance exists.
    let all = json_of(app.get("/v1/cod-remittances").await, 200).await;
    assert_eq!(all["data"], json!([]));
    let outstanding = json_of(app.get("/v1/cod/outstanding").await, 200).await;
    assert_eq!(outstanding["data"].as_array().unwrap().len(), 1);
    // Bad query parameters of the reads.
    let (status, body) = problem(
        app.get("/v1/reports/cod?from=2026-12-31&to=2026-12-01")
            .await,
    )
    .await;
    assert_eq!((status, pointers(&body)), (422, vec!["/from".to_string()]));
    let (status, body) = problem(app.get("/v1/cod/outstanding?overdue=maybe&limit=0").await).await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), ["/limit", "/overdue"]);

    // Roles and tenants: a read key cannot upload; another tenant sees nothing.
    let good = format!("Waybill,COD Amount,UTR No,Remittance Date\n{awb},100,UTR1,2026-12-05\n");
    let created = json_of(upload(&app, "", "good-1", &good).await, 201).await;
    let reader = app.key_for_tenant("demo", Role::Read).await;
    let r = app
        .client
        .post(app.url("/v1/cod-remittances"))
        .bearer_auth(&reader)
        .header("idempotency-key", "good-2")
        .header("content-type", "text/csv")
        .body(good.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 403);
    let other = app.key_for_tenant("other", Role::Admin).await;
    let r = app
        .client
        .get(app.url(&format!(
            "/v1/cod-remittances/{}",
            created["id"].as_str().unwrap()
        )))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(r).await.0, 404);
    // The other tenant's upload of the same file matches none of its shipments.
    let r = app
        .client
        .post(app.url("/v1/cod-remittances"))
        .bearer_auth(&other)
        .header("idempotency-key", "other-1")
        .header("content-type", "text/csv")
        .body(good)
        .send()
        .await
        .unwrap();
    let theirs = json_of(r, 201).await;
    assert_eq!(theirs["counts"]["unknown_awb"], 1, "{theirs}");
}

/// An OpenSSH server on a free local port, run from a temporary directory with its own
/// host key, accepting one client key for the current user, serving SFTP.
struct Sshd {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
    host_key_pub: String,
    client_key: String,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .status()
        .expect("ssh-keygen runs (package openssh-client)");
    assert!(status.success());
}

impl Sshd {
    fn start() -> Sshd {
        let sshd = PathBuf::from("/usr/sbin/sshd");
        assert!(
            sshd.exists(),
            "sshd is missing: install the openssh-server package (scripts/test.sh does)"
        );
        let dir = tempfile::tempdir().unwrap();
        let host_key = dir.path().join("host_key");
        let client_key = dir.path().join("client_key");
        keygen(&host_key);
        keygen(&client_key);
        let authorized = dir.path().join("authorized_keys");
        std::fs::copy(client_key.with_extension("pub"), &authorized).unwrap();
        std::fs::create_dir(dir.path().join("drop")).unwrap();
        // Run as root (CI), sshd wants its privilege separation directory.
        let _ = std::fs::create_dir_all("/run/sshd");
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let config = dir.path().join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "ListenAddress 127.0.0.1:{port}\nHostKey {}\nPidFile {}\n\
                 AuthorizedKeysFile {}\nPasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
                 PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\n\
                 Subsystem sftp internal-sftp\n",
                host_key.display(),
                dir.path().join("sshd.pid").display(),
                authorized.display(),
            ),
        )
        .unwrap();
        let child = Command::new(&sshd)
            .args(["-D", "-e", "-f"])
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("sshd starts");
        let until = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < until, "sshd did not listen on {port}");
            std::thread::sleep(Duration::from_millis(20));
        }
        let host_key_pub = std::fs::read_to_string(host_key.with_extension("pub")).unwrap();
        let client_key = std::fs::read_to_string(&client_key).unwrap();
        Sshd {
            child,
            port,
            dir,
            host_key_pub,
            client_key,
        }
    }

    fn drop_dir(&self) -> PathBuf {
        self.dir.path().join("drop")
    }
}

fn user() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[tokio::test]
async fn files_dropped_in_an_sftp_folder_are_reconciled_once() {
    let sshd = Sshd::start();
    let app = app().await;
    let (id, awb) = book_cod(&app, "shiprocket", "sftp-1", 320).await;
    deliver(&app, &id).await;

    let source = json!({
        "carrier_account": "shiprocket",
        "host": "127.0.0.1",
        "port": sshd.port,
        "username": user(),
        "directory": sshd.drop_dir().display().to_string(),
        "host_key": sshd.host_key_pub,
        "private_key": sshd.client_key,
    });
    // Bad input is refused at its pointers.
    let mut bad = source.clone();
    bad["host_key"] = json!("ssh-ed25519 nonsense");
    bad["carrier_account"] = json!("nosuch");
    bad["password"] = json!("x");
    let (status, body) = problem(
        app.post_keyed("/v1/cod-remittance-sources", "src-0", &bad)
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        pointers(&body),
        ["/carrier_account", "/host_key", "/private_key"]
    );
    let created = json_of(
        app.post_keyed("/v1/cod-remittance-sources", "src-1", &source)
            .await,
        201,
    )
    .await;
    assert_eq!(created["layout"], "shiprocket");
    assert_eq!(created["auth"], "private_key");
    assert!(!created.to_string().contains("PRIVATE KEY"), "{created}");
    // The key is sealed at rest.
    assert!(
        !common::raw_database(&app.database_url).contains("OPENSSH PRIVATE KEY"),
        "the private key is stored in plain text"
    );

    // The carrier drops a file; a pull reconciles it.
    std::fs::write(
        sshd.drop_dir().join("remittance-2026-12-05.csv"),
        file("shiprocket", &[(&awb, "320.00"), ("NOSUCHAWB9", "5")]),
    )
    .unwrap();
    std::fs::write(sshd.drop_dir().join("notes.csv"), "hello,world\n1,2\n").unwrap();
    let pulled = json_of(
        app.post_keyed("/v1/cod-remittances/pull", "pull-1", &json!({}))
            .await,
        200,
    )
    .await;
    let report = &pulled["data"][0];
    assert_eq!(report["error"], Value::Null, "{pulled}");
    assert_eq!(report["files"], 2);
    assert_eq!(report["reconciled"].as_array().unwrap().len(), 1);
    assert_eq!(report["refused"], 1);
    let remittance_id = report["reconciled"][0].as_str().unwrap().to_string();
    let remittance = json_of(
        app.get(&format!("/v1/cod-remittances/{remittance_id}"))
            .await,
        200,
    )
    .await;
    assert_eq!(
        remittance["source"],
        format!("sftp:{}", created["id"].as_str().unwrap())
    );
    assert_eq!(remittance["file_name"], "remittance-2026-12-05.csv");
    assert_eq!(remittance["counts"]["matched"], 1, "{remittance}");
    assert_eq!(remittance["counts"]["unknown_awb"], 1);
    // The pull is in the audit trail, its result an object as every `after` is.
    let trail = json_of(
        app.get("/v1/audit-events?action=cod_remittance.pulled")
            .await,
        200,
    )
    .await;
    assert_eq!(trail["data"][0]["after"]["data"], pulled["data"], "{trail}");

    // Pulled again, and by a restarted gateway on the same database: nothing new.
    let again = json_of(
        app.post_keyed("/v1/cod-remittances/pull", "pull-2", &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(again["data"][0]["skipped"], 2, "{again}");
    assert_eq!(again["data"][0]["reconciled"], json!([]));
    // (This one also pulls on its own, every 100 ms.)
    let restarted = app_on(Some(app.database_url.clone()), 100).await;
    let mut request = restarted
        .client
        .post(restarted.url("/v1/cod-remittances/pull"))
        .bearer_auth(&app.api_key)
        .header("idempotency-key", "pull-3");
    request = request.json(&json!({}));
    let after_restart = json_of(request.send().await.unwrap(), 200).await;
    assert_eq!(after_restart["data"][0]["skipped"], 2, "{after_restart}");
    let all = json_of(app.get("/v1/cod-remittances").await, 200).await;
    assert_eq!(all["data"].as_array().unwrap().len(), 1, "{all}");
    let sources = json_of(app.get("/v1/cod-remittance-sources").await, 200).await;
    assert!(
        sources["data"][0]["last_pulled_at"].is_string(),
        "{sources}"
    );

    // A new file is found by the scheduled pull, and reconciled once.
    std::fs::write(
        sshd.drop_dir().join("remittance-2026-12-06.csv"),
        file("shiprocket", &[("NOSUCHAWB8", "7")]),
    )
    .unwrap();
    let until = Instant::now() + Duration::from_secs(15);
    loop {
        let all = json_of(app.get("/v1/cod-remittances").await, 200).await;
        let found = all["data"].as_array().unwrap().len();
        if found == 2 {
            assert_eq!(all["data"][0]["file_name"], "remittance-2026-12-06.csv");
            break;
        }
        assert!(
            Instant::now() < until,
            "the scheduled pull did not reconcile it: {all}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let again = json_of(
        app.post_keyed("/v1/cod-remittances/pull", "pull-5", &json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(again["data"][0]["skipped"], 3, "{again}");
    assert_eq!(again["data"][0]["reconciled"], json!([]));

    // A server presenting another host key is refused before any credential is sent.
    let mut impostor = source.clone();
    let other_key = sshd.dir.path().join("other_key");
    keygen(&other_key);
    impostor["host_key"] = json!(std::fs::read_to_string(other_key.with_extension("pub")).unwrap());
    let wrong = json_of(
        app.post_keyed("/v1/cod-remittance-sources", "src-2", &impostor)
            .await,
        201,
    )
    .await;
    let pulled = json_of(
        app.post_keyed("/v1/cod-remittances/pull", "pull-4", &json!({}))
            .await,
        200,
    )
    .await;
    let entry = pulled["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source_id"] == wrong["id"])
        .unwrap()
        .clone();
    assert!(
        entry["error"].as_str().unwrap().contains("host key"),
        "{entry}"
    );
    // Deleting a folder needs an admin key, and stops its pulls.
    let r = app
        .client
        .delete(app.url(&format!(
            "/v1/cod-remittance-sources/{}",
            wrong["id"].as_str().unwrap()
        )))
        .bearer_auth(&app.api_key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let sources = json_of(app.get("/v1/cod-remittance-sources").await, 200).await;
    assert_eq!(sources["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_tenant_account_has_its_own_remittance_cycle() {
    let app = spawn_app_with(|c| {
        c.polling.enabled = false;
        c.cod.pull_every_ms = 0;
        c.cod.remittance_days.insert("delhivery".into(), 30);
    })
    .await;
    // Booked before the tenant has its own Delhivery account: on the platform's.
    let (on_platform, _) = book_cod(&app, "delhivery", "platform-1", 800).await;
    deliver(&app, &on_platform).await;
    // The "carrier" issues the tenant its own credentials.
    let r = app
        .client
        .post(app.url("/sandbox/delhivery/_accounts"))
        .json(&json!({"account": "own", "api_token": "OWN-DELHIVERY-TOKEN-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let mut account = json!({
        "carrier": "delhivery",
        "name": "own contract",
        "credentials": {"api_token": "OWN-DELHIVERY-TOKEN-1"},
        "settings": {"pickup_location": carriers::delhivery::simulator::SANDBOX_PICKUP_LOCATION},
        "options": {"cod_remittance_days": 91},
    });
    let (status, body) = problem(
        app.post_keyed("/v1/carrier-accounts", "acct-0", &account)
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(pointers(&body), ["/options/cod_remittance_days"]);
    account["options"]["cod_remittance_days"] = json!(0);
    let own = json_of(
        app.post_keyed("/v1/carrier-accounts", "acct-1", &account)
            .await,
        201,
    )
    .await;
    let own_id = own["id"].as_str().unwrap();
    assert_eq!(own["options"]["cod_remittance_days"], 0, "{own}");

    // And one on the tenant's own account.
    let (on_own, _) = book_cod(&app, own_id, "own-1", 700).await;
    deliver(&app, &on_own).await;

    let r = json_of(app.get("/v1/reports/cod").await, 200).await;
    let row = |account: &str| {
        r["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["carrier_account"] == account)
            .cloned()
            .unwrap_or_else(|| panic!("no {account} row in {r}"))
    };
    assert_eq!(row(own_id)["remittance_days"], 0);
    assert_eq!(row(own_id)["overdue"], total(1, 70_000));
    assert_eq!(row("delhivery")["remittance_days"], 30);
    assert_eq!(row("delhivery")["overdue"], total(0, 0));
    assert_eq!(row("delhivery")["outstanding"], total(1, 80_000));
    let overdue = json_of(app.get("/v1/cod/outstanding?overdue=true").await, 200).await;
    assert_eq!(overdue["data"].as_array().unwrap().len(), 1, "{overdue}");
    assert_eq!(overdue["data"][0]["shipment_id"], on_own.as_str());
    let by_account = json_of(app.get("/v1/cod/outstanding?carrier=delhivery").await, 200).await;
    assert_eq!(by_account["data"][0]["shipment_id"], on_platform.as_str());
    assert_eq!(
        by_account["data"].as_array().unwrap().len(),
        2,
        "carrier matches both accounts"
    );
}

#[tokio::test]
async fn a_file_of_thousands_of_lines_is_taken_whole() {
    let app = app().await;
    let (id, awb) = book_cod(&app, "delhivery", "big-1", 120).await;
    deliver(&app, &id).await;
    let mut lines: Vec<(String, String)> = (0..6000)
        .map(|i| (format!("UNKNOWN{i:08}"), "120.00".to_string()))
        .collect();
    lines.push((awb, "120".into()));
    let borrowed: Vec<(&str, &str)> = lines
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let csv = file("delhivery", &borrowed);
    assert!(csv.len() > 256 * 1024, "larger than the default body limit");
    let r = json_of(upload(&app, "", "big-1", &csv).await, 201).await;
    assert_eq!(r["lines"], 6001, "{r}");
    assert_eq!(r["counts"]["unknown_awb"], 6000);
    assert_eq!(r["counts"]["matched"], 1);
    let page = json_of(
        app.get(&format!(
            "/v1/cod-remittances/{}?outcome=unknown_awb&limit=200",
            r["id"].as_str().unwrap()
        ))
        .await,
        200,
    )
    .await;
    assert_eq!(page["data"].as_array().unwrap().len(), 200);
    let next = page["next_cursor"].as_str().unwrap();
    let second = json_of(
        app.get(&format!(
            "/v1/cod-remittances/{}?outcome=unknown_awb&limit=200&cursor={next}",
            r["id"].as_str().unwrap()
        ))
        .await,
        200,
    )
    .await;
    assert_eq!(
        second["data"][0]["line"], 202,
        "lines continue where the page ended"
    );
    // Elsewhere the general body limit stands.
    let (status, _) = problem(
        app.post_keyed(
            "/v1/webhook-endpoints",
            "big-2",
            &json!({"url": "x".repeat(300 * 1024)}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 413);
}
