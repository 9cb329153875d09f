//! `shipgate_dependency_up{dependency="database"|"redis"}`: 1 while the gateway reaches
//! its database (and Redis, when configured), 0 while it does not.
//!
//! Why a probe of its own rather than `/readyz`: Prometheus scrapes `/metrics`, not
//! `/readyz`, and an alert needs a series that says "unreachable" in so many words. Errors
//! counted on the request path (`shipgate_redis_errors_total`) only move while traffic
//! flows, so an idle gateway with a dead database would look healthy. The probe asks the
//! same cheap questions `/readyz` asks (`SELECT 1`, Redis `PING`) every few seconds, and
//! its first round runs at start-up so the series exist before the first scrape.

use std::future::Future;
use std::time::Duration;

use crate::redis::Redis;
use crate::shutdown::{CancellationToken, Ticks};
use crate::store::Store;

/// How often the dependencies are asked.
pub const EVERY: Duration = Duration::from_secs(5);
/// A probe that has not answered in this long counts as down (a hung database or Redis
/// must not leave the gauge at its last good value).
const TIMEOUT: Duration = Duration::from_secs(3);

/// One round's findings; `redis` is `None` when Redis is not configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Health {
    pub database: bool,
    pub redis: Option<bool>,
}

/// Asks the database and Redis once, at the same time, each within [`TIMEOUT`].
pub async fn check(store: &Store, redis: Option<&Redis>) -> Health {
    let redis_answers = async {
        match redis {
            Some(r) => Some(answers(r.ping()).await),
            None => None,
        }
    };
    let (database, redis) = tokio::join!(answers(store.ping()), redis_answers);
    Health { database, redis }
}

async fn answers<E: std::fmt::Display>(ping: impl Future<Output = Result<(), E>>) -> bool {
    match tokio::time::timeout(TIMEOUT, ping).await {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "dependency probe failed");
            false
        }
        Err(_) => false,
    }
}

/// Sets the gauges from one round, and logs a change of state.
fn publish(health: Health, last: Option<Health>) {
    let up = |ok: bool| if ok { 1.0 } else { 0.0 };
    metrics::gauge!("shipgate_dependency_up", "dependency" => "database").set(up(health.database));
    if let Some(redis) = health.redis {
        metrics::gauge!("shipgate_dependency_up", "dependency" => "redis").set(up(redis));
    }
    if last == Some(health) {
        return;
    }
    for (name, now, before) in [
        ("database", Some(health.database), last.map(|h| h.database)),
        ("redis", health.redis, last.and_then(|h| h.redis)),
    ] {
        match (now, before) {
            (Some(false), Some(true) | None) => {
                tracing::warn!(dependency = name, "dependency probe: unreachable")
            }
            (Some(true), Some(false)) => {
                tracing::info!(dependency = name, "dependency probe: reachable again")
            }
            _ => {}
        }
    }
}

/// Probes every [`EVERY`] until `stop`; the first round at once.
pub fn start(
    store: Store,
    redis: Option<Redis>,
    stop: CancellationToken,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = Ticks::new(EVERY, stop);
        let mut last = None;
        while ticks.next().await {
            let health = check(&store, redis.as_ref()).await;
            publish(health, last);
            last = Some(health);
        }
    })
}
