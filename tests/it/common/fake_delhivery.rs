//! A stand-in Delhivery written from its documented wire format (form-encoded create,
//! JSON tracking with `Scans[].ScanDetail` and zone-less IST times), to prove the gateway
//! talks to whatever server answers like Delhivery.

use std::time::Duration;

use actix_web::http::KeepAlive;
use actix_web::{App, HttpResponse, HttpServer, web};
use serde_json::json;

pub const AWB: &str = "90000000000017";

/// Serves `routes` on a free loopback port and returns its base URL.
///
/// The server is actix-web's, with one worker thread of its own; it stops when the
/// runtime that called this shuts down. It behaves like a plain HTTP/1.1 server: idle
/// connections are kept as long as the client wants (no keep-alive or first-request
/// deadline of the server's own), and a client that hangs up mid-request cancels its
/// handler.
pub async fn serve<F>(routes: F) -> String
where
    F: Fn(&mut web::ServiceConfig) + Clone + Send + 'static,
{
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let server = HttpServer::new(move || App::new().configure(routes.clone()))
        .workers(1)
        .disable_signals()
        .shutdown_timeout(1)
        .keep_alive(KeepAlive::Os)
        .client_request_timeout(Duration::ZERO)
        .h1_allow_half_closed(false)
        .listen(listener)
        .unwrap()
        .run();
    tokio::spawn(server);
    format!("http://{addr}")
}

pub fn fake_delhivery() -> impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static {
    |cfg: &mut web::ServiceConfig| {
        cfg.service(
            web::resource("/api/cmu/create.json").route(web::post().to(|| async {
                HttpResponse::Ok().json(json!({
                    "success": true, "package_count": 1, "upload_wbn": "UPL900",
                    "packages": [{"waybill": "90000000000017", "refnum": "x", "status": "Success",
                                  "sort_code": "BLR/KOR", "remarks": [""], "serviceable": true,
                                  "payment": "Pre-paid", "cod_amount": 0.0}]
                }))
            })),
        )
        .service(
            web::resource("/api/v1/packages/json/").route(web::get().to(|| async {
                let scan = |code: &str, scan: &str, time: &str, location: &str, instructions: &str| {
                    json!({"ScanDetail": {"Scan": scan, "ScanType": "UD", "StatusCode": code,
                        "ScanDateTime": time, "StatusDateTime": time,
                        "ScannedLocation": location, "Instructions": instructions}})
                };
                HttpResponse::Ok().json(json!({"ShipmentData": [{"Shipment": {
                    "AWB": "90000000000017",
                    "Status": {"Status": "Dispatched", "StatusType": "UD", "StatusCode": "X-DDD3FD",
                               "StatusDateTime": "2026-03-02T09:15:00", "StatusLocation": "Bangalore_Koramangala_DC (Karnataka)",
                               "Instructions": "Out for delivery"},
                    "Scans": [
                        scan("X-UCI", "Manifested", "2026-03-01T10:30:00", "Delhi_Okhla_PC (Delhi)", "Manifest uploaded"),
                        scan("X-PPOM", "In Transit", "2026-03-01T18:05:12.5", "Delhi_Okhla_PC (Delhi)", "Shipment picked up"),
                        scan("X-DDD3FD", "Dispatched", "2026-03-02T09:15:00", "Bangalore_Koramangala_DC (Karnataka)", "Out for delivery"),
                    ]}}]}))
            })),
        );
    }
}
