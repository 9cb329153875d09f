//! The shared Redis connection (when `SHIPGATE_REDIS_URL` is set).
//!
//! The connection is lazy and reconnects by itself: a gateway started while Redis is down
//! still serves reads, and Redis-backed features (idempotency, shared limits) answer 503
//! until it is back — failing closed rather than silently dropping the protection they give.
//! Short timeouts keep a hung Redis from holding requests.
//!
//! `TCP_NODELAY` is on: the connection is multiplexed, so while one command awaits its
//! reply the next is already being written, and Nagle's algorithm would hold that small
//! write back until the first reply's ACK — a round trip of latency added to requests that
//! happen to overlap (redis-rs leaves Nagle on unless told otherwise).

use std::time::Duration;

use redis::IntoConnectionInfo;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::io::tcp::TcpSettings;

#[derive(Clone)]
pub struct Redis {
    manager: ConnectionManager,
}

#[derive(Debug, thiserror::Error)]
#[error("Redis is unavailable: {0}")]
pub struct RedisUnavailable(pub String);

impl From<redis::RedisError> for RedisUnavailable {
    fn from(e: redis::RedisError) -> Self {
        metrics::counter!("shipgate_redis_errors_total").increment(1);
        RedisUnavailable(e.to_string())
    }
}

impl Redis {
    pub fn connect(url: &str) -> anyhow::Result<Redis> {
        let info = url
            .into_connection_info()
            .map_err(|e| anyhow::anyhow!("SHIPGATE_REDIS_URL is not a Redis URL: {e}"))?;
        let info = info.set_tcp_settings(TcpSettings::default().set_nodelay(true));
        let client = redis::Client::open(info)
            .map_err(|e| anyhow::anyhow!("SHIPGATE_REDIS_URL is not a Redis URL: {e}"))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_millis(500)))
            .set_response_timeout(Some(Duration::from_millis(500)))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let manager = ConnectionManager::new_lazy_with_config(client, config)?;
        Ok(Redis { manager })
    }

    pub fn conn(&self) -> ConnectionManager {
        self.manager.clone()
    }

    pub async fn ping(&self) -> Result<(), RedisUnavailable> {
        let _: String = redis::cmd("PING").query_async(&mut self.conn()).await?;
        Ok(())
    }
}
