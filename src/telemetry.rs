//! Logs and metrics set-up.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;
use crate::shutdown::{CancellationToken, Ticks};

/// Logs to stderr, `RUST_LOG` style filtering (default `info`), text or JSON lines.
pub fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// In-gateway layers are measured in tens of microseconds.
const LAYER_BUCKETS: &[f64] = &[
    0.00005, 0.0001, 0.00015, 0.0002, 0.0003, 0.0004, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003,
    0.005, 0.01, 0.05,
];

/// The process-wide Prometheus recorder (one per process, shared by test apps).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
                ])
                .expect("bucket list is not empty")
                // In-gateway layers are measured in tens of microseconds.
                .set_buckets_for_metric(
                    Matcher::Prefix("shipgate_idempotency_store".into()),
                    LAYER_BUCKETS,
                )
                .expect("bucket list is not empty")
                // Polls are due over hours; their lateness is measured in seconds to hours.
                .set_buckets_for_metric(
                    Matcher::Full("shipgate_tracking_poll_lag_seconds".into()),
                    &[
                        0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0, 14400.0,
                    ],
                )
                .expect("bucket list is not empty")
                .set_buckets_for_metric(
                    Matcher::Full("shipgate_ratelimit_check_seconds".into()),
                    LAYER_BUCKETS,
                )
                .expect("bucket list is not empty")
                .install_recorder()
                .expect("the metrics recorder is installed once")
        })
        .clone()
}

/// How often [`drain_histograms_forever`] drains.
pub const HISTOGRAM_DRAIN_EVERY: Duration = Duration::from_secs(1);

/// Drains the histograms' samples into their buckets every `period` until `stop`.
///
/// The recorder keeps every sample a histogram records until it is drained, and
/// `install_recorder` starts nothing that drains it: only rendering `/metrics` did. So
/// without a scraper the gateway grew by about 20 bytes a request without bound (1 MB a
/// second at 60,000 requests a second), and with one it held up to a scrape interval's
/// worth (tens of MB at load). Drained every second, a histogram holds a second's samples.
pub async fn drain_histograms_forever(
    handle: PrometheusHandle,
    period: Duration,
    stop: CancellationToken,
) {
    let mut ticks = Ticks::new(period, stop);
    while ticks.next().await {
        handle.run_upkeep();
    }
}
