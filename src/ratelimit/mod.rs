//! Rate limiting: per-tenant limits on the way in, per-carrier quotas on the way out.
//!
//! **Inbound.** Every authenticated `/v1` request is charged to its tenant in one of three
//! route classes, each with its own limit (a sustained rate plus a burst), overridable per
//! tenant in the configuration:
//!
//! - `rates`: `POST /v1/rates`, which fans out to every carrier, so the tightest;
//! - `writes`: every other POST (bookings, cancels);
//! - `reads`: GETs.
//!
//! The algorithm is GCRA ([`gcra`]): one timestamp per bucket, exact "remaining" and
//! "retry after" answers, and smooth refill rather than fixed windows that let a client
//! burst twice at a window boundary. With Redis configured, buckets live in Redis and are
//! decided by Lua scripts on Redis's clock ([`redis_backend`]), so a tenant's limit holds
//! across every gateway process; a process draws small leases of tokens and spends them
//! locally ([`lease`]), so a busy tenant costs a round trip per lease, not per request,
//! within the tolerance stated there. Without Redis the buckets live in this process.
//!
//! **When Redis is unreachable, rate limiting fails open**: no request is refused because
//! Redis is down. Each process falls back to its own in-process buckets (so a runaway
//! client is still slowed, at up to N times its limit across N processes), logs a warning
//! and counts `shipgate_redis_errors_total` and `shipgate_rate_limit_local_fallback_total`;
//! it tries Redis again after a second. This is the opposite of idempotency, which fails
//! closed, and deliberately so: a missing idempotency record can book a second AWB, a
//! missing rate-limit counter only lets a burst through, and refusing every request while
//! Redis is down would turn a cache outage into a full outage.
//!
//! **Headers** follow draft-ietf-httpapi-ratelimit-headers (draft 08 and later: structured
//! fields, one policy item per response, named after the route class):
//!
//! ```text
//! RateLimit-Policy: "writes";q=100;w=2
//! RateLimit: "writes";r=73;t=1
//! ```
//!
//! `q` is the burst, `w` the seconds an empty bucket takes to fill (burst / rate, rounded
//! up, so `q / w` never overstates the rate), `r` the requests that could be made right now
//! and `t` the seconds until the bucket is full again. A refused request gets
//! `429 application/problem+json` (code `rate_limited`) with both fields and `Retry-After`:
//! the seconds, rounded up, until that request would be allowed. Responses to requests
//! that fail authentication carry no fields: they belong to no tenant.
//!
//! Every other `/v1` route is charged by its `api::guard::Key` argument.
//!
//! **Creating routes** (everything behind the idempotency layer) are charged by that layer,
//! with the same classes, limits, headers and 429s. A keyed
//! write with shared limits is charged inside the script that claims its key
//! ([`SharedCharge`]): one Redis round trip for both instead of two, and the key is not
//! claimed when the request is refused.
//!
//! **Outbound** quotas per carrier are in [`outbound`]; the executor takes a slot before
//! every carrier request.

mod gcra;
mod lease;
pub mod outbound;
mod redis_backend;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use actix_web::http::Method;

use crate::auth::Caller;
use crate::config::{Limit, LimitsConfig};
use crate::error::ApiError;
use crate::redis::Redis;
use crate::reply::Reply;
pub use gcra::Decision;
use gcra::{Gcra, LocalBuckets, ceil_secs};
use lease::{Draw, Leases, Take};
pub use outbound::{OutboundQuota, QuotaUsage};
use redis_backend::RedisBuckets;
pub use redis_backend::{GCRA_LUA, decision};

pub const RATELIMIT_POLICY: &str = "ratelimit-policy";
pub const RATELIMIT: &str = "ratelimit";

/// After a Redis error, decide locally for this long before asking Redis again, so an
/// outage costs one failed round trip per second rather than one per request.
const REDIS_RETRY_US: u64 = 1_000_000;

/// The route class a request is charged to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    Rates,
    Writes,
    Reads,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Rates => "rates",
            Class::Writes => "writes",
            Class::Reads => "reads",
        }
    }

    /// `POST /v1/rates` is `rates`; anything else that may change state is `writes`.
    pub fn of(method: &Method, route: &str) -> Class {
        match *method {
            Method::GET | Method::HEAD | Method::OPTIONS => Class::Reads,
            Method::POST if route == "/v1/rates" => Class::Rates,
            _ => Class::Writes,
        }
    }
}

/// One class's limit for one tenant, with its `RateLimit-Policy` value made once.
struct Policy {
    gcra: Gcra,
    limit: Limit,
    header: String,
}

impl Policy {
    fn new(class: Class, limit: &Limit, path: &str) -> anyhow::Result<Policy> {
        let gcra = Gcra::from_limit(limit).map_err(|e| {
            let env = format!("SHIPGATE_{}", path.replace('.', "__").to_ascii_uppercase());
            anyhow::anyhow!("{path} ({env}__PER_SECOND, {env}__BURST): {e}")
        })?;
        let header = format!(
            "\"{}\";q={};w={}",
            class.as_str(),
            gcra.burst,
            gcra.window_secs()
        );
        Ok(Policy {
            gcra,
            limit: *limit,
            header,
        })
    }
}

struct Policies {
    rates: Policy,
    writes: Policy,
    reads: Policy,
}

impl Policies {
    fn get(&self, class: Class) -> &Policy {
        match class {
            Class::Rates => &self.rates,
            Class::Writes => &self.writes,
            Class::Reads => &self.reads,
        }
    }
}

pub struct Limiter {
    enabled: bool,
    defaults: Policies,
    /// Overrides by tenant name (names are what operators write in configuration).
    tenants: HashMap<String, Policies>,
    local: LocalBuckets,
    redis: Option<RedisBuckets>,
    /// Tokens drawn from the Redis buckets and not spent yet ([`lease`]).
    leases: Leases,
    /// Local-clock µs before which Redis is not asked (set after an error).
    redis_down_until: AtomicU64,
    degraded: AtomicBool,
}

/// What the middleware needs to answer: the decision and the policy it was made under.
pub struct Verdict<'a> {
    pub class: Class,
    pub allowed: bool,
    pub remaining: u64,
    /// Whole seconds until the bucket is full again.
    pub reset_secs: u64,
    /// Refused only: whole seconds until this request would be allowed (at least 1).
    pub retry_after_secs: u64,
    policy: &'a Policy,
}

/// A request's charge, to be decided by a Redis script that does other work in the same
/// round trip: the script calls `gcra(key, interval_us, capacity_us)` from [`GCRA_LUA`]
/// and the answer goes back through [`Limiter::settle`].
pub struct SharedCharge<'a> {
    pub key: String,
    pub interval_us: u64,
    pub capacity_us: u64,
    class: Class,
    policy: &'a Policy,
}

impl Limiter {
    /// Validates every configured limit: a zero rate or burst is a start-up error, not a
    /// tenant that can never make a request.
    pub fn new(config: &LimitsConfig, redis: Option<Redis>) -> anyhow::Result<Limiter> {
        let defaults = Policies {
            rates: Policy::new(Class::Rates, &config.rates, "limits.rates")?,
            writes: Policy::new(Class::Writes, &config.writes, "limits.writes")?,
            reads: Policy::new(Class::Reads, &config.reads, "limits.reads")?,
        };
        let mut tenants = HashMap::new();
        for (name, over) in &config.tenants {
            let one = |class: Class, limit: &Option<Limit>, default: &Limit| {
                let path = format!("limits.tenants.{name}.{}", class.as_str());
                Policy::new(class, limit.as_ref().unwrap_or(default), &path)
            };
            tenants.insert(
                name.clone(),
                Policies {
                    rates: one(Class::Rates, &over.rates, &config.rates)?,
                    writes: one(Class::Writes, &over.writes, &config.writes)?,
                    reads: one(Class::Reads, &over.reads, &config.reads)?,
                },
            );
        }
        Ok(Limiter {
            enabled: config.enabled,
            defaults,
            tenants,
            local: LocalBuckets::default(),
            redis: redis.map(RedisBuckets::new),
            leases: Leases::default(),
            redis_down_until: AtomicU64::new(0),
            degraded: AtomicBool::new(false),
        })
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    fn policy(&self, tenant_name: &str, class: Class) -> &Policy {
        self.tenants
            .get(tenant_name)
            .unwrap_or(&self.defaults)
            .get(class)
    }

    fn bucket(tenant_id: &str, class: Class) -> String {
        format!("shipgate:ratelimit:{tenant_id}:{}", class.as_str())
    }

    /// Charges one request of `class` to the tenant.
    pub async fn check(&self, tenant_id: &str, tenant_name: &str, class: Class) -> Verdict<'_> {
        let policy = self.policy(tenant_name, class);
        let key = Self::bucket(tenant_id, class);
        let d = self.decide(&key, &policy.gcra).await;
        Verdict::new(class, policy, d)
    }

    /// The charge for a Redis script to decide along with its own work, when this request
    /// would be decided in Redis now (shared limits, Redis not known to be down); `None`
    /// means call [`Limiter::check`] instead. Limits must be [`enabled`](Self::enabled).
    pub fn shared_charge(
        &self,
        tenant_id: &str,
        tenant_name: &str,
        class: Class,
    ) -> Option<SharedCharge<'_>> {
        if self.redis.is_none() || !self.redis_due(self.local.now_us()) {
            return None;
        }
        let policy = self.policy(tenant_name, class);
        Some(SharedCharge {
            key: Self::bucket(tenant_id, class),
            interval_us: policy.gcra.interval_us,
            capacity_us: policy.gcra.capacity_us,
            class,
            policy,
        })
    }

    /// The verdict for a [`SharedCharge`]: Redis's decision, or when the script could not
    /// run, the same per-process fallback [`Limiter::check`] makes.
    pub fn settle<'a, E: std::fmt::Display>(
        &self,
        charge: SharedCharge<'a>,
        decided: Result<Decision, E>,
    ) -> Verdict<'a> {
        let d = match decided {
            Ok(d) => {
                self.redis_answered();
                d
            }
            Err(e) => {
                self.redis_failed(self.local.now_us(), &e);
                self.local_fallback(&charge.key, &charge.policy.gcra)
            }
        };
        Verdict::new(charge.class, charge.policy, d)
    }

    async fn decide(&self, key: &str, gcra: &Gcra) -> Decision {
        let Some(redis) = &self.redis else {
            return self.local.decide(key, gcra);
        };
        let now = self.local.now_us();
        if self.redis_due(now) {
            let draw = match self.leases.take(key, gcra, now) {
                Take::Decided(decision) => return decision,
                Take::Renew(decision, draw) => {
                    // Allowed already; the answer waits for the renewal it set off, so
                    // that the renewal is not lost with a dropped task.
                    let _ = self.draw(redis, key, gcra, draw).await;
                    return decision;
                }
                Take::Draw(draw) => draw,
            };
            if let Some(decision) = self.draw(redis, key, gcra, draw).await {
                return decision;
            }
        }
        self.local_fallback(key, gcra)
    }

    /// Draws from the shared bucket; `None` when Redis could not answer.
    async fn draw(
        &self,
        redis: &RedisBuckets,
        key: &str,
        gcra: &Gcra,
        draw: Draw,
    ) -> Option<Decision> {
        let watched = self.leases.watch(key, draw);
        match redis.lease(key, gcra, draw.want, draw.refund).await {
            Ok((granted, decision)) => {
                let draw = watched.answered();
                self.redis_answered();
                let now = self.local.now_us();
                Some(self.leases.drawn(key, gcra, draw, granted, decision, now))
            }
            Err(e) => {
                drop(watched);
                self.redis_failed(self.local.now_us(), &e);
                None
            }
        }
    }

    fn redis_due(&self, now_us: u64) -> bool {
        now_us >= self.redis_down_until.load(Ordering::Relaxed)
    }

    fn redis_answered(&self) {
        if self.degraded.swap(false, Ordering::Relaxed) {
            tracing::info!("Redis is back: rate limits are shared again");
        }
    }

    fn redis_failed(&self, now_us: u64, error: &dyn std::fmt::Display) {
        self.redis_down_until
            .store(now_us + REDIS_RETRY_US, Ordering::Relaxed);
        self.degraded.store(true, Ordering::Relaxed);
        // One line per retry interval, not one per request.
        tracing::warn!(error = %error, "rate limiting falls back to per-process limits while Redis is unavailable");
    }

    /// Charges a caller's request (`None`: limits are off), timed and counted; what
    /// every `/v1` request pays, whichever layer charges it.
    pub async fn charge(&self, caller: &Caller, class: Class) -> Option<Verdict<'_>> {
        if !self.enabled() {
            return None;
        }
        let started = std::time::Instant::now();
        let verdict = self
            .check(&caller.tenant.id, &caller.tenant.name, class)
            .await;
        // The benchmark reads this: the latency the limit check adds to every request.
        metrics::histogram!("shipgate_ratelimit_check_seconds")
            .record(started.elapsed().as_secs_f64());
        if !verdict.allowed {
            metrics::counter!("shipgate_rate_limited_total", "class" => class.as_str())
                .increment(1);
            tracing::debug!(tenant = %caller.tenant.name, class = class.as_str(), retry_after = verdict.retry_after_secs, "rate limited");
        }
        Some(verdict)
    }

    fn local_fallback(&self, key: &str, gcra: &Gcra) -> Decision {
        metrics::counter!("shipgate_rate_limit_local_fallback_total").increment(1);
        self.local.decide(key, gcra)
    }
}

impl<'a> Verdict<'a> {
    fn new(class: Class, policy: &'a Policy, d: Decision) -> Verdict<'a> {
        Verdict {
            class,
            allowed: d.allowed,
            remaining: d.remaining,
            reset_secs: ceil_secs(d.reset_us),
            retry_after_secs: if d.allowed {
                0
            } else {
                ceil_secs(d.retry_after_us).max(1)
            },
            policy,
        }
    }

    /// The `RateLimit-Policy` and `RateLimit` fields for the answer.
    pub fn fields(&self) -> LimitFields {
        LimitFields {
            policy: self.policy.header.clone(),
            state: format!(
                "\"{}\";r={};t={}",
                self.class.as_str(),
                self.remaining,
                self.reset_secs
            ),
        }
    }

    /// The 429 for a refused request.
    pub fn refusal(&self) -> Reply {
        let limit = &self.policy.limit;
        let detail = format!(
            "rate limit for {} requests exceeded ({}/s, bursts of {}); retry after {} s",
            self.class.as_str(),
            limit.per_second,
            limit.burst,
            self.retry_after_secs
        );
        self.fields().apply(
            ApiError::RateLimited(detail)
                .reply()
                .with_header("retry-after", self.retry_after_secs.to_string()),
        )
    }
}

/// The rate-limit fields of one answer, owned: they travel with the request (in its
/// extensions) until the answer is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitFields {
    pub policy: String,
    pub state: String,
}

impl LimitFields {
    pub fn apply(&self, reply: Reply) -> Reply {
        reply
            .with_header(RATELIMIT_POLICY, self.policy.clone())
            .with_header(RATELIMIT, self.state.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> LimitsConfig {
        let mut config = LimitsConfig::default();
        config.tenants.insert(
            "acme".into(),
            crate::config::TenantLimits {
                reads: Some(Limit {
                    per_second: 0.5,
                    burst: 2,
                }),
                ..Default::default()
            },
        );
        config
    }

    #[test]
    fn classes_follow_method_and_route() {
        assert_eq!(Class::of(&Method::POST, "/v1/rates"), Class::Rates);
        assert_eq!(Class::of(&Method::POST, "/v1/shipments"), Class::Writes);
        assert_eq!(Class::of(&Method::DELETE, "/v1/x"), Class::Writes);
        assert_eq!(Class::of(&Method::GET, "/v1/rates"), Class::Reads);
    }

    #[test]
    fn policy_headers_use_the_structured_field_form() {
        let limiter = Limiter::new(&limits(), None).unwrap();
        let header = |tenant: &str, class| limiter.policy(tenant, class).header.clone();
        assert_eq!(header("demo", Class::Writes), "\"writes\";q=100;w=2");
        assert_eq!(header("acme", Class::Reads), "\"reads\";q=2;w=4");
        // Overriding one class leaves the tenant's others at the defaults.
        assert_eq!(header("acme", Class::Rates), "\"rates\";q=40;w=2");
    }

    #[tokio::test]
    async fn verdicts_count_down_and_refuse_with_an_honest_retry_after() {
        let limiter = Limiter::new(&limits(), None).unwrap();
        let first = limiter.check("t1", "acme", Class::Reads).await;
        assert!(first.allowed);
        assert_eq!((first.remaining, first.reset_secs), (1, 2));
        let second = limiter.check("t1", "acme", Class::Reads).await;
        assert_eq!((second.remaining, second.reset_secs), (0, 4));
        let third = limiter.check("t1", "acme", Class::Reads).await;
        assert!(!third.allowed);
        assert_eq!(third.retry_after_secs, 2);
        // Another class of the same tenant has its own bucket.
        assert!(limiter.check("t1", "acme", Class::Writes).await.allowed);
    }

    #[test]
    fn invalid_limits_stop_start_up_naming_the_setting() {
        let mut config = limits();
        config.tenants.get_mut("acme").unwrap().writes = Some(Limit {
            per_second: 0.0,
            burst: 1,
        });
        let err = Limiter::new(&config, None).err().unwrap().to_string();
        assert!(err.contains("limits.tenants.acme.writes"), "{err}");
    }
}
