//! Redis idempotency store: every gateway process sharing the Redis behaves as one.
//! Each step is one Lua script, so check-and-claim and owner-checked completion are atomic.

use std::time::Duration;

use async_trait::async_trait;
use redis::Script;

use super::{Begin, IdempotencyStore, StoreUnavailable, StoredResponse};
use crate::redis::Redis;

const BEGIN: &str = r#"
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], cjson.encode({s = 'f', fp = ARGV[1], o = ARGV[2]}), 'PX', ARGV[3])
  return {'started', ''}
end
local r = cjson.decode(v)
if r.fp ~= ARGV[1] then return {'mismatch', ''} end
if r.s == 'f' then return {'in_flight', tostring(redis.call('PTTL', KEYS[1]))} end
return {'done', r.resp}
"#;

const COMPLETE: &str = r#"
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local r = cjson.decode(v)
if r.s ~= 'f' or r.o ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], cjson.encode({s = 'd', fp = r.fp, resp = ARGV[2]}), 'PX', ARGV[3])
return 1
"#;

const RELEASE: &str = r#"
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local r = cjson.decode(v)
if r.s == 'f' and r.o == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"#;

pub struct RedisStore {
    redis: Redis,
    begin: Script,
    complete: Script,
    release: Script,
}

impl RedisStore {
    pub fn new(redis: Redis) -> Self {
        RedisStore {
            redis,
            begin: Script::new(BEGIN),
            complete: Script::new(COMPLETE),
            release: Script::new(RELEASE),
        }
    }
}

fn unavailable(e: redis::RedisError) -> StoreUnavailable {
    metrics::counter!("shipgate_redis_errors_total").increment(1);
    StoreUnavailable(e.to_string())
}

#[async_trait]
impl IdempotencyStore for RedisStore {
    async fn begin(
        &self,
        key: &str,
        fingerprint: &str,
        owner: &str,
        lock_ttl: Duration,
    ) -> Result<Begin, StoreUnavailable> {
        let (state, detail): (String, String) = self
            .begin
            .key(key)
            .arg(fingerprint)
            .arg(owner)
            .arg(lock_ttl.as_millis() as u64)
            .invoke_async(&mut self.redis.conn())
            .await
            .map_err(unavailable)?;
        Ok(match state.as_str() {
            "started" => Begin::Started,
            "mismatch" => Begin::Mismatch,
            "in_flight" => Begin::InFlight {
                retry_after: Duration::from_millis(detail.parse::<u64>().unwrap_or(1000)),
            },
            _ => Begin::Completed(
                serde_json::from_str(&detail)
                    .map_err(|e| StoreUnavailable(format!("corrupt stored outcome: {e}")))?,
            ),
        })
    }

    async fn complete(
        &self,
        key: &str,
        owner: &str,
        response: &StoredResponse,
        ttl: Duration,
    ) -> Result<bool, StoreUnavailable> {
        let stored: i64 = self
            .complete
            .key(key)
            .arg(owner)
            .arg(serde_json::to_string(response).expect("a response serialises"))
            .arg(ttl.as_millis() as u64)
            .invoke_async(&mut self.redis.conn())
            .await
            .map_err(unavailable)?;
        Ok(stored == 1)
    }

    async fn release(&self, key: &str, owner: &str) -> Result<(), StoreUnavailable> {
        let _: i64 = self
            .release
            .key(key)
            .arg(owner)
            .invoke_async(&mut self.redis.conn())
            .await
            .map_err(unavailable)?;
        Ok(())
    }
}
