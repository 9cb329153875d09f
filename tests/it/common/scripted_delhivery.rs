//! A Delhivery stand-in for polling tests: bookings get fresh waybills, tracking answers
//! whatever scans the test scripted for a waybill (in Delhivery's wire format), and every
//! tracking call is recorded — when, through which gateway, and how many calls for the
//! same waybill were in flight at once.
//!
//! Gateways point their Delhivery base URL at `base_url(name)`: the first path segment
//! tells the fake which gateway is calling.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use carriers::kit::time::IST;
use carriers::simulator::faults::{Armed, Fault};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// One tracking call as the fake saw it arrive.
#[derive(Debug, Clone)]
pub struct Call {
    pub at: Instant,
    /// Wall clock, Unix ms, to compare with times the gateway stores.
    pub unix_ms: i64,
    pub gateway: String,
    pub awb: String,
}

#[derive(Default)]
struct Inner {
    next_awb: u64,
    scans: HashMap<String, Vec<Value>>,
    /// Tracking calls still to fail, by waybill (the simulator kit's faults).
    faults: Armed,
    delay: Duration,
    in_flight: HashMap<String, u32>,
    max_in_flight: u32,
    calls: Vec<Call>,
}

#[derive(Clone)]
pub struct ScriptedDelhivery {
    inner: Arc<Mutex<Inner>>,
    base: String,
}

impl ScriptedDelhivery {
    pub async fn start() -> ScriptedDelhivery {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let state = web::Data::from(inner.clone());
        let base = super::fake_delhivery::serve(move |cfg: &mut web::ServiceConfig| {
            cfg.app_data(state.clone())
                .service(
                    web::resource("/{gateway}/api/cmu/create.json").route(web::post().to(create)),
                )
                .service(
                    web::resource("/{gateway}/api/v1/packages/json/").route(web::get().to(track)),
                );
        })
        .await;
        ScriptedDelhivery { inner, base }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap()
    }

    /// The base URL gateway `name` should use.
    pub fn base_url(&self, name: &str) -> String {
        format!("{}/{name}", self.base)
    }

    /// What tracking `awb` answers from now on (oldest scan first).
    pub fn set_scans(&self, awb: &str, scans: Vec<Value>) {
        self.lock().scans.insert(awb.to_string(), scans);
    }

    /// The next `n` tracking calls for `awb` fail with a 503 page.
    pub fn fail_next(&self, awb: &str, n: u32) {
        self.lock().faults.arm(awb, n, Fault::page(503));
    }

    /// Every tracking answer takes this long.
    pub fn set_delay(&self, delay: Duration) {
        self.lock().delay = delay;
    }

    pub fn calls(&self) -> Vec<Call> {
        self.lock().calls.clone()
    }

    pub fn calls_for(&self, awb: &str) -> usize {
        self.lock().calls.iter().filter(|c| c.awb == awb).count()
    }

    /// The most tracking calls for one waybill that were ever in flight at once.
    pub fn max_in_flight(&self) -> u32 {
        self.lock().max_in_flight
    }
}

/// Delhivery's zone-less IST time for `t`.
pub fn ist(t: DateTime<Utc>) -> String {
    IST.format(t, "%Y-%m-%dT%H:%M:%S")
}

/// One `ScanDetail` (StatusType, Status, NSL code) at `t`.
pub fn scan(status_type: &str, status: &str, code: &str, t: DateTime<Utc>) -> Value {
    json!({"ScanDetail": {
        "Scan": status, "ScanType": status_type, "StatusCode": code,
        "ScanDateTime": ist(t), "StatusDateTime": ist(t),
        "ScannedLocation": "Delhi_Okhla_PC (Delhi)", "Instructions": status,
    }})
}

/// Counts a call out of flight however it ends (the client may hang up mid-answer).
struct InFlight {
    inner: Arc<Mutex<Inner>>,
    awb: String,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = inner.in_flight.get_mut(&self.awb) {
            *n -= 1;
        }
    }
}

async fn create(inner: web::Data<Mutex<Inner>>) -> HttpResponse {
    let awb = {
        let mut inner = inner.lock().unwrap();
        inner.next_awb += 1;
        let awb = format!("9100{:010}", inner.next_awb);
        inner.scans.insert(
            awb.clone(),
            vec![scan("UD", "Manifested", "X-UCI", Utc::now())],
        );
        awb
    };
    HttpResponse::Ok().json(json!({
        "success": true, "package_count": 1, "upload_wbn": "UPL901",
        "packages": [{"waybill": awb, "refnum": "x", "status": "Success",
                      "sort_code": "BLR/KOR", "remarks": [""], "serviceable": true,
                      "payment": "Pre-paid", "cod_amount": 0.0}]
    }))
}

async fn track(
    inner: web::Data<Mutex<Inner>>,
    gateway: web::Path<String>,
    query: web::Query<HashMap<String, String>>,
) -> HttpResponse {
    let inner = inner.into_inner();
    let gateway = gateway.into_inner();
    let awb = query.get("waybill").cloned().unwrap_or_default();
    let delay = {
        let mut inner = inner.lock().unwrap();
        inner.calls.push(Call {
            at: Instant::now(),
            unix_ms: Utc::now().timestamp_millis(),
            gateway,
            awb: awb.clone(),
        });
        if let Some(page) = inner.faults.take(&awb).and_then(|f| f.answer(None)) {
            return HttpResponse::build(StatusCode::from_u16(page.status).unwrap())
                .content_type(page.content_type)
                .body(page.body);
        }
        let n = inner.in_flight.entry(awb.clone()).or_default();
        *n += 1;
        let n = *n;
        inner.max_in_flight = inner.max_in_flight.max(n);
        inner.delay
    };
    let guard = InFlight {
        inner: inner.clone(),
        awb: awb.clone(),
    };
    tokio::time::sleep(delay).await;
    drop(guard);
    let inner = inner.lock().unwrap();
    let Some(scans) = inner.scans.get(&awb).cloned() else {
        return HttpResponse::Ok().json(json!({
            "Success": false,
            "Error": "Data does not exists for provided Waybill(s)",
        }));
    };
    let last = scans
        .last()
        .map(|s| s["ScanDetail"].clone())
        .unwrap_or(Value::Null);
    HttpResponse::Ok().json(json!({"ShipmentData": [{"Shipment": {
        "AWB": awb,
        "Status": {"Status": last["Scan"], "StatusType": last["ScanType"],
                   "StatusCode": last["StatusCode"], "StatusDateTime": last["StatusDateTime"],
                   "StatusLocation": last["ScannedLocation"], "Instructions": last["Instructions"]},
        "Scans": scans,
    }}]}))
}
