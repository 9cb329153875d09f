//! The shared backend: one Lua script per decision, so every gateway process sharing the
//! Redis draws from the same bucket.
//!
//! The script reads the clock with `TIME` inside Redis instead of taking "now" from the
//! caller: gateway hosts' clocks drift apart, and a bucket whose TAT is written by two
//! clocks a few hundred milliseconds apart would let bursts through or refuse honest
//! clients. Redis is the one clock every process agrees on. Running the read, the
//! decision and the write in one script makes the check-and-consume atomic.

use redis::Script;

use super::gcra::{Decision, Gcra};
use crate::redis::{Redis, RedisUnavailable};

/// [`Gcra::decide`] in Lua. KEYS[1]: the bucket; ARGV: interval and capacity in µs.
/// Returns {allowed, remaining, reset_us, retry_after_us}.
///
/// Microseconds since the epoch (~1.8e15) are exact in Lua's doubles (2^53 ≈ 9e15).
/// The key expires when the bucket is full again: an absent key means a full bucket, so
/// idle tenants cost no memory.
const DECIDE: &str = r#"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local ahead = new_tat - now
if ahead > capacity then
  return {0, 0, tat - now, ahead - capacity}
end
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil(ahead / 1000) + 1)
return {1, math.floor((capacity - ahead) / interval), ahead, 0}
"#;

pub struct RedisBuckets {
    redis: Redis,
    script: Script,
}

impl RedisBuckets {
    pub fn new(redis: Redis) -> RedisBuckets {
        RedisBuckets {
            redis,
            script: Script::new(DECIDE),
        }
    }

    pub async fn decide(&self, key: &str, gcra: &Gcra) -> Result<Decision, RedisUnavailable> {
        let reply: (i64, i64, i64, i64) = self
            .script
            .key(key)
            .arg(gcra.interval_us)
            .arg(gcra.capacity_us)
            .invoke_async(&mut self.redis.conn())
            .await?;
        let non_negative = |v: i64| v.max(0) as u64;
        Ok(Decision {
            allowed: reply.0 == 1,
            remaining: non_negative(reply.1),
            reset_us: non_negative(reply.2),
            retry_after_us: non_negative(reply.3),
        })
    }
}
