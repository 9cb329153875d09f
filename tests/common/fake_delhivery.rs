//! A stand-in Delhivery written from its documented wire format (form-encoded create,
//! JSON tracking with `Scans[].ScanDetail` and zone-less IST times), to prove the gateway
//! talks to whatever server answers like Delhivery.

use axum::Router;
use axum::routing::{get, post};
use serde_json::json;

pub const AWB: &str = "90000000000017";

pub async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

pub fn fake_delhivery() -> Router {
    Router::new()
        .route(
            "/api/cmu/create.json",
            post(|| async {
                axum::Json(json!({
                    "success": true, "package_count": 1, "upload_wbn": "UPL900",
                    "packages": [{"waybill": "90000000000017", "refnum": "x", "status": "Success",
                                  "sort_code": "BLR/KOR", "remarks": [""], "serviceable": true,
                                  "payment": "Pre-paid", "cod_amount": 0.0}]
                }))
            }),
        )
        .route(
            "/api/v1/packages/json/",
            get(|| async {
                let scan = |code: &str, scan: &str, time: &str, location: &str, instructions: &str| {
                    json!({"ScanDetail": {"Scan": scan, "ScanType": "UD", "StatusCode": code,
                        "ScanDateTime": time, "StatusDateTime": time,
                        "ScannedLocation": location, "Instructions": instructions}})
                };
                axum::Json(json!({"ShipmentData": [{"Shipment": {
                    "AWB": "90000000000017",
                    "Status": {"Status": "Dispatched", "StatusType": "UD", "StatusCode": "X-DDD3FD",
                               "StatusDateTime": "2026-03-02T09:15:00", "StatusLocation": "Bangalore_Koramangala_DC (Karnataka)",
                               "Instructions": "Out for delivery"},
                    "Scans": [
                        scan("X-UCI", "Manifested", "2026-03-01T10:30:00", "Delhi_Okhla_PC (Delhi)", "Manifest uploaded"),
                        scan("X-PPOM", "In Transit", "2026-03-01T18:05:12.5", "Delhi_Okhla_PC (Delhi)", "Shipment picked up"),
                        scan("X-DDD3FD", "Dispatched", "2026-03-02T09:15:00", "Bangalore_Koramangala_DC (Karnataka)", "Out for delivery"),
                    ]}}]}))
            }),
        )
}
