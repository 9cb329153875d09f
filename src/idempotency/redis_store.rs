//! Redis idempotency store: every gateway process sharing the Redis behaves as one.
//! Each step is one Lua script, so check-and-claim and owner-checked completion are atomic.
//!
//! A record is one string, cheap for Lua to take apart (no JSON inside Redis, no base64):
//!
//! ```text
//! f<fingerprint>\n<owner>        in flight
//! d<fingerprint>\n<response>     done; the response as encoded by `encode_response`
//! ```
//!
//! Fingerprints and owners are hex, so the first newline ends the fingerprint. Keys carry
//! the format's version ([`super::KEY_PREFIX`]), so a process of another version never
//! misreads them.
//!
//! A keyed write with shared rate limits claims its key and charges the tenant's bucket in
//! one script ([`RedisStore::charge_and_begin`]): one round trip instead of two.

use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use redis::Script;

use super::{Begin, Charged, IdempotencyStore, StoreUnavailable, StoredResponse};
use crate::ratelimit::{GCRA_LUA, SharedCharge, decision};
use crate::redis::Redis;

/// `begin(key, fingerprint, owner, lock_ttl_ms)` → {state, detail}: `started`,
/// `mismatch`, `in_flight` with the marker's remaining ms, or `done` with the response.
const BEGIN_LUA: &str = r#"
local function begin(key, fp, owner, lock_ms)
  local v = redis.call('GET', key)
  if not v then
    redis.call('SET', key, 'f' .. fp .. '\n' .. owner, 'PX', lock_ms)
    return {'started', ''}
  end
  local n = #fp
  if string.sub(v, 2, n + 1) ~= fp or string.byte(v, n + 2) ~= 10 then
    return {'mismatch', ''}
  end
  if string.byte(v, 1) == 102 then
    return {'in_flight', tostring(redis.call('PTTL', key))}
  end
  return {'done', string.sub(v, n + 3)}
end
"#;

const BEGIN: &str = "return begin(KEYS[1], ARGV[1], ARGV[2], ARGV[3])";

/// KEYS: the idempotency key, the rate-limit bucket; ARGV: as `begin`, then the bucket's
/// interval and capacity in µs. The charge comes first, as it would in separate layers: a
/// refused request leaves the key alone. → {state, detail, allowed, remaining, reset_us,
/// retry_after_us}, state `limited` when refused.
const CHARGE_AND_BEGIN: &str = r#"
local d = gcra(KEYS[2], tonumber(ARGV[4]), tonumber(ARGV[5]))
if d[1] == 0 then return {'limited', '', d[1], d[2], d[3], d[4]} end
local b = begin(KEYS[1], ARGV[1], ARGV[2], ARGV[3])
return {b[1], b[2], d[1], d[2], d[3], d[4]}
"#;

/// Stores the response only if `ARGV[1]` still owns the in-flight marker.
const COMPLETE: &str = r#"
local v = redis.call('GET', KEYS[1])
if not v or string.byte(v, 1) ~= 102 then return 0 end
local nl = string.find(v, '\n', 2, true)
if not nl or string.sub(v, nl + 1) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], 'd' .. string.sub(v, 2, nl) .. ARGV[2], 'PX', ARGV[3])
return 1
"#;

const RELEASE: &str = r#"
local v = redis.call('GET', KEYS[1])
if not v or string.byte(v, 1) ~= 102 then return 0 end
local nl = string.find(v, '\n', 2, true)
if nl and string.sub(v, nl + 1) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"#;

pub struct RedisStore {
    redis: Redis,
    begin: Script,
    charge_and_begin: Script,
    complete: Script,
    release: Script,
}

impl RedisStore {
    pub fn new(redis: Redis) -> Self {
        RedisStore {
            redis,
            begin: Script::new(&format!("{BEGIN_LUA}\n{BEGIN}")),
            charge_and_begin: Script::new(&format!("{GCRA_LUA}\n{BEGIN_LUA}\n{CHARGE_AND_BEGIN}")),
            complete: Script::new(COMPLETE),
            release: Script::new(RELEASE),
        }
    }
}

fn unavailable(e: redis::RedisError) -> StoreUnavailable {
    metrics::counter!("shipgate_redis_errors_total").increment(1);
    StoreUnavailable(e.to_string())
}

fn corrupt(what: &str) -> StoreUnavailable {
    StoreUnavailable(format!("corrupt idempotency record: {what}"))
}

fn parse_begin(state: &[u8], detail: Vec<u8>) -> Result<Begin, StoreUnavailable> {
    Ok(match state {
        b"started" => Begin::Started,
        b"mismatch" => Begin::Mismatch,
        b"in_flight" => Begin::InFlight {
            retry_after: Duration::from_millis(
                std::str::from_utf8(&detail)
                    .ok()
                    .and_then(|ms| ms.parse::<u64>().ok())
                    .unwrap_or(1000),
            ),
        },
        b"done" => Begin::Completed(decode_response(Bytes::from(detail))?),
        other => return Err(corrupt(&String::from_utf8_lossy(other))),
    })
}

/// `<status>\n` then `<name>: <value>\n` per header, a blank line, and the body as it was.
/// Header values cannot contain CR or LF, so the lines are unambiguous.
fn encode_response(r: &StoredResponse) -> Vec<u8> {
    let headers: usize = r.headers.iter().map(|(n, v)| n.len() + v.len() + 3).sum();
    let mut out = Vec::with_capacity(5 + headers + 1 + r.body.len());
    out.extend_from_slice(r.status.to_string().as_bytes());
    out.push(b'\n');
    for (name, value) in &r.headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.push(b'\n');
    }
    out.push(b'\n');
    out.extend_from_slice(&r.body);
    out
}

fn decode_response(raw: Bytes) -> Result<StoredResponse, StoreUnavailable> {
    let mut at = 0;
    let mut line = || -> Result<&str, StoreUnavailable> {
        let rest = &raw[at..];
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| corrupt("unterminated line"))?;
        at += end + 1;
        std::str::from_utf8(&rest[..end]).map_err(|_| corrupt("header is not UTF-8"))
    };
    let status = line()?.parse::<u16>().map_err(|_| corrupt("bad status"))?;
    let mut headers = Vec::new();
    loop {
        let l = line()?;
        if l.is_empty() {
            break;
        }
        let (name, value) = l.split_once(": ").ok_or_else(|| corrupt("bad header"))?;
        headers.push((name.to_string(), value.to_string()));
    }
    Ok(StoredResponse {
        status,
        headers,
        body: raw.slice(at..),
    })
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
        let (state, detail): (Vec<u8>, Vec<u8>) = self
            .begin
            .key(key)
            .arg(fingerprint)
            .arg(owner)
            .arg(lock_ttl.as_millis() as u64)
            .invoke_async(&mut self.redis.conn())
            .await
            .map_err(unavailable)?;
        parse_begin(&state, detail)
    }

    async fn charge_and_begin(
        &self,
        charge: &SharedCharge<'_>,
        key: &str,
        fingerprint: &str,
        owner: &str,
        lock_ttl: Duration,
    ) -> Option<Result<Charged, StoreUnavailable>> {
        let reply: Result<(Vec<u8>, Vec<u8>, i64, i64, i64, i64), _> = self
            .charge_and_begin
            .key(key)
            .key(&charge.key)
            .arg(fingerprint)
            .arg(owner)
            .arg(lock_ttl.as_millis() as u64)
            .arg(charge.interval_us)
            .arg(charge.capacity_us)
            .invoke_async(&mut self.redis.conn())
            .await;
        let (state, detail, allowed, remaining, reset, retry) = match reply {
            Ok(reply) => reply,
            Err(e) => return Some(Err(unavailable(e))),
        };
        let decision = decision(allowed, remaining, reset, retry);
        let begin = (state != b"limited").then(|| parse_begin(&state, detail));
        Some(Ok(Charged { decision, begin }))
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
            .arg(encode_response(response))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_survive_encoding_byte_for_byte() {
        let r = StoredResponse {
            status: 201,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("location".into(), "/v1/shipments/shp_1".into()),
            ],
            // Bodies are opaque: newlines, blank lines and non-UTF-8 bytes included.
            body: Bytes::from_static(b"{\"a\":1}\n\nstatus: 200\n\xff\x00"),
        };
        assert_eq!(
            decode_response(Bytes::from(encode_response(&r))).unwrap(),
            r
        );
        let empty = StoredResponse {
            status: 204,
            headers: vec![],
            body: Bytes::new(),
        };
        assert_eq!(
            decode_response(Bytes::from(encode_response(&empty))).unwrap(),
            empty
        );
        assert!(decode_response(Bytes::from_static(b"201\ncontent-type")).is_err());
    }
}
