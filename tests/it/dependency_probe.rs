//! The dependency probe behind `shipgate_dependency_up`: it says 0 while the database or
//! Redis cannot be reached and 1 once they answer again, and its series exist as soon as
//! the gateway serves (an alert on a series that is not there never fires).

use std::time::{Duration, Instant};

use shipgate::dependency_probe::{Health, check};
use shipgate::store::Store;

use crate::common::redis::RedisServer;
use crate::common::spawn_app_with;

/// Probes until `want` holds, for at most 15 s (the Redis client reconnects by itself).
async fn probe_until(
    store: &Store,
    redis: Option<&shipgate::redis::Redis>,
    want: impl Fn(&Health) -> bool,
) -> Health {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let health = check(store, redis).await;
        if want(&health) || Instant::now() > deadline {
            return health;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_probe_follows_redis_down_and_back() {
    let mut redis = RedisServer::start();
    let url = redis.url();
    let app = spawn_app_with(|c| c.redis_url = Some(url)).await;
    let store = &app.state.store;
    let client = app.state.redis.as_ref();

    let up = Health {
        database: true,
        redis: Some(true),
    };
    assert_eq!(probe_until(store, client, |h| *h == up).await, up);
    // The first round runs at start-up: both series are there for the first scrapes.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let metrics = app.metrics().await;
        let missing: Vec<_> = ["database", "redis"]
            .into_iter()
            .filter(|d| !metrics.contains(&format!("shipgate_dependency_up{{dependency=\"{d}\"}}")))
            .collect();
        if missing.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no series for {missing:?} in:\n{metrics}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    redis.kill();
    let down = Health {
        database: true,
        redis: Some(false),
    };
    assert_eq!(probe_until(store, client, |h| *h == down).await, down);

    redis.restart();
    assert_eq!(probe_until(store, client, |h| *h == up).await, up);
}

#[tokio::test]
async fn the_probe_reports_an_unreachable_database() {
    let app = spawn_app_with(|_| {}).await;
    let store = Store::connect(&app.database_url).await.unwrap();
    let up = Health {
        database: true,
        redis: None,
    };
    assert_eq!(check(&store, None).await, up);

    // A pool that can no longer hand out a connection is what an unreachable database
    // looks like from the gateway: the ping fails.
    store.close().await;
    assert_eq!(
        check(&store, None).await,
        Health {
            database: false,
            redis: None,
        }
    );
}
