//! The shared backend: Lua scripts over one bucket per tenant and class, so every gateway
//! process sharing the Redis draws from the same bucket. Plain requests draw leases of
//! tokens ([`LEASE_LUA`], spent locally by `super::lease`); keyed writes are charged one
//! token inside the idempotency script ([`GCRA_LUA`]).
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

/// Draws up to `want` tokens at once and hands back `refund` unspent ones, as the
/// function `lease(key, interval_us, capacity_us, want, refund)`. Returns {granted,
/// remaining, reset_us, retry_after_us}: the same numbers as `gcra` for `want` = 1
/// (`granted` 0 or 1 is `gcra`'s `allowed`).
pub const LEASE_LUA: &str = r#"
local function lease(key, interval, capacity, want, refund)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local tat = tonumber(redis.call('GET', key) or now) - refund * interval
  if tat < now then tat = now end
  local room = math.floor((capacity - (tat - now)) / interval)
  if room < 1 then
    if refund > 0 then
      redis.call('SET', key, string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1)
    end
    return {0, 0, tat - now, tat + interval - now - capacity}
  end
  local granted = math.min(want, room)
  local new_tat = tat + granted * interval
  redis.call('SET', key, string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1)
  return {granted, room - granted, new_tat - now, 0}
end
return lease(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
"#;

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
            script: Script::new(LEASE_LUA),
        }
    }

    /// Draws up to `want` tokens and hands back `refund` ([`LEASE_LUA`]): the tokens
    /// granted (0 when refused) and the bucket's state after the draw.
    pub async fn lease(
        &self,
        key: &str,
        gcra: &Gcra,
        want: u64,
        refund: u64,
    ) -> Result<(u64, Decision), RedisUnavailable> {
        let reply: (i64, i64, i64, i64) = self
            .script
            .key(key)
            .arg(gcra.interval_us)
            .arg(gcra.capacity_us)
            .arg(want)
            .arg(refund)
            .invoke_async(&mut self.redis.conn())
            .await?;
        let granted = reply.0.max(0) as u64;
        Ok((
            granted,
            decision(i64::from(granted > 0), reply.1, reply.2, reply.3),
        ))
    }
}
