//! The shared Redis connection (when `SHIPGATE_REDIS_URL` is set).
//!
//! The connection is lazy and reconnects by itself: a gateway started while Redis is down
//! still serves reads, and Redis-backed features (idempotency, shared limits) answer 503
//! until it is back — failing closed rather than silently dropping the protection they give.
//! Short timeouts keep a hung Redis from holding requests.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

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
        let client = redis::Client::open(url)
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
