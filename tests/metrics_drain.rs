//! Histogram samples do not pile up in memory when nobody scrapes `/metrics`.
//!
//! A test binary of its own: it measures the process's anonymous memory, which other tests
//! running beside it in one process would disturb.

use std::time::Duration;

use shipgate::process_memory::status_kb;
use shipgate::shutdown::CancellationToken;
use shipgate::telemetry::{drain_histograms_forever, metrics_handle};

fn anonymous_kb() -> u64 {
    status_kb("RssAnon").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn histogram_samples_are_drained_without_a_scrape() {
    let handle = metrics_handle();
    let stop = CancellationToken::new();
    let drain = tokio::spawn(drain_histograms_forever(
        handle,
        Duration::from_millis(2),
        stop.clone(),
    ));
    let histogram = metrics::histogram!("shipgate_test_drain_seconds");
    let before = anonymous_kb();
    // Four million samples: about 32 MB if they were kept until a scrape.
    for round in 0..400 {
        for _ in 0..10_000 {
            histogram.record(0.001);
        }
        if round % 10 == 0 {
            tokio::task::yield_now().await;
        }
    }
    let grown = anonymous_kb().saturating_sub(before);
    stop.cancel();
    drain.await.unwrap();
    assert!(
        grown < 12 * 1024,
        "anonymous memory grew by {grown} kB while recording 4 million samples"
    );
}
