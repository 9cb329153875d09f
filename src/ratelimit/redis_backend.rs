//! The shared backend: one Lua script per decision, so every gateway process sharing the
//! Redis draws from the same bucket.
//!
//! The script reads the clock with `TIME` inside Redis instead of taking "now" from the
//! caller: gateway hosts' clocks drift apart, and a bucket whose TAT is written by two
//! clocks a few hundred milliseconds apart would let bursts through or refuse honest
//! clients. Redis is the one clock every process agrees on. Running the read, the
//! decision and the write in one script makes the check-and-consume atomic.
//!
//! The decision is a Lua function ([`GCRA_LUA`]) rather than a whole script so that other
//! scripts can charge a bucket in the same round trip as their own work (the idempotency
//! layer claims a key and charges the tenant's `writes` bucket in one script).

use redis::Script;

use super::gcra::{Decision, Gcra};
use crate::redis::{Redis, RedisUnavailable};

/// [`Gcra::decide`] in Lua, as the function `gcra(key, interval_us, capacity_us)`.
/// Returns {allowed, remaining, reset_us, retry_after_us}; writes the bucket only when the
/// request is allowed.
///
/// Microseconds since the epoch (~1.8e15) are exact in Lua's doubles (2^53 ≈ 9e15).
/// The key expires when the bucket is full again: an absent key means a full bucket, so
/// idle tenants cost no memory.
pub const GCRA_LUA: &str = r#"
local function gcra(key, interval, capacity)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  local new_tat = tat + interval
  local ahead = new_tat - now
  if ahead > capacity then
    return {0, 0, tat - now, ahead - capacity}
  end
  redis.call('SET', key, string.format('%.0f', new_tat), 'PX', math.ceil(ahead / 1000) + 1)
  return {1, math.floor((capacity - ahead) / interval), ahead, 0}
end
"#;

/// KEYS[1]: the bucket; ARGV: interval and capacity in µs.
const DECIDE: &str = "return gcra(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))";

/// A script's four GCRA numbers as a [`Decision`].
pub fn decision(allowed: i64, remaining: i64, reset_us: i64, retry_after_us: i64) -> Decision {
    let non_negative = |v: i64| v.max(0) as u64;
    Decision {
        allowed: allowed == 1,
        remaining: non_negative(remaining),
        reset_us: non_negative(reset_us),
        retry_after_us: non_negative(retry_after_us),
    }
}

pub struct RedisBuckets {
    redis: Redis,
    script: Script,
}

impl RedisBuckets {
    pub fn new(redis: Redis) -> RedisBuckets {
        RedisBuckets {
            redis,
            script: Script::new(&format!("{GCRA_LUA}\n{DECIDE}")),
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
        Ok(decision(reply.0, reply.1, reply.2, reply.3))
    }
}
