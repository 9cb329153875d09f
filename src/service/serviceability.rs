//! Pincode serviceability per carrier account, cached.
//!
//! Before a carrier account is asked for rates, the gateway asks whether it serves the
//! lane at all (pickup PIN code, delivery PIN code, payment mode, direction) and skips it
//! when it does not. The answer changes when a carrier updates its PIN code lists, a few
//! times a year, so it is kept for a configurable time (`[rates]
//! serviceability_ttl_secs`): in process (moka), and in Redis when `SHIPGATE_REDIS_URL` is
//! set, so every gateway process shares what one has learnt and a fleet asks a carrier
//! once per lane, not once per process.
//!
//! Redis is an accelerator here, never a dependency: a Redis error or a slow answer is a
//! cache miss (and a write that fails is forgotten), so a Redis outage costs extra
//! carrier calls, never a failed rate request.
//!
//! Only answers are cached. A lookup that fails (timeout, 5xx, an unsupported direction)
//! says nothing about the lane, so the caller asks for rates anyway: a wrong "not
//! serviceable" would hide a carrier that can ship, while a wrong "ask anyway" costs one
//! rate call that comes back empty.

use std::time::Duration;

use carriers::schema::{Lane, Serviceability};
use carriers::{CarrierError, Operation};
use moka::sync::Cache;

use crate::executor::observe;
use crate::redis::Redis;
use crate::registry::RegisteredCarrier;

/// Longest a Redis read may hold up a rate request before it counts as a miss.
const REDIS_READ_BUDGET: Duration = Duration::from_millis(100);
/// Entries kept in process (lanes × accounts).
const LOCAL_CAPACITY: u64 = 100_000;

/// What the fan-out does with an account.
#[derive(Debug)]
pub enum Checked {
    Serviceable,
    NotServiceable {
        reason: String,
    },
    /// The question could not be answered; ask for rates anyway.
    Unknown(CarrierError),
}

pub struct ServiceabilityCache {
    local: Option<Cache<String, Serviceability>>,
    redis: Option<Redis>,
    ttl: Duration,
}

impl ServiceabilityCache {
    /// `ttl` zero turns the pre-check off.
    pub fn new(ttl: Duration, redis: Option<Redis>) -> ServiceabilityCache {
        let local = (!ttl.is_zero()).then(|| {
            Cache::builder()
                .max_capacity(LOCAL_CAPACITY)
                .time_to_live(ttl)
                .build()
        });
        ServiceabilityCache { local, redis, ttl }
    }

    /// Whether accounts are checked before they are asked for rates.
    pub fn enabled(&self) -> bool {
        self.local.is_some()
    }

    fn key(account: &str, lane: &Lane) -> String {
        format!(
            "sg:serviceability:v1:{account}:{}:{}:{}:{}",
            match lane.kind {
                carriers::schema::ShipmentKind::Forward => "forward",
                carriers::schema::ShipmentKind::Reverse => "reverse",
            },
            if lane.cod { "cod" } else { "prepaid" },
            lane.pickup_pincode,
            lane.delivery_pincode
        )
    }

    /// Whether `account` serves `lane`: from the cache, else from the carrier within
    /// `deadline` (and then cached).
    pub async fn check(
        &self,
        account: &RegisteredCarrier,
        lane: &Lane,
        deadline: tokio::time::Instant,
    ) -> Checked {
        let Some(local) = &self.local else {
            return Checked::Unknown(CarrierError::Unsupported("serviceability pre-check"));
        };
        let key = Self::key(account.account, lane);
        if let Some(answer) = local.get(&key) {
            lookup_metric(account, "hit");
            return answer.into();
        }
        if let Some(answer) = self.redis_get(&key).await {
            lookup_metric(account, "hit_shared");
            local.insert(key, answer.clone());
            return answer.into();
        }
        lookup_metric(account, "miss");
        let asked = observe(
            account.transport.account(),
            Operation::Serviceability,
            account
                .adapter
                .serviceability(&account.transport.with_deadline(deadline), lane),
        )
        .await;
        match asked {
            Ok(answer) => {
                local.insert(key.clone(), answer.clone());
                self.redis_put(key, &answer);
                answer.into()
            }
            Err(e) => Checked::Unknown(e),
        }
    }

    async fn redis_get(&self, key: &str) -> Option<Serviceability> {
        let mut conn = self.redis.as_ref()?.conn();
        let mut get = redis::cmd("GET");
        get.arg(key);
        let read = get.query_async::<Option<String>>(&mut conn);
        match tokio::time::timeout(REDIS_READ_BUDGET, read).await {
            Ok(Ok(Some(json))) => serde_json::from_str(&json).ok(),
            Ok(Ok(None)) => None,
            Ok(Err(e)) => {
                redis_error("read", &e.to_string());
                None
            }
            Err(_) => {
                redis_error("read", "no answer in time");
                None
            }
        }
    }

    /// Written in the background: the rate request has its answer already.
    fn redis_put(&self, key: String, answer: &Serviceability) {
        let Some(redis) = self.redis.clone() else {
            return;
        };
        let json = serde_json::to_string(answer).expect("an answer serialises");
        let ttl_ms = self.ttl.as_millis() as u64;
        tokio::spawn(async move {
            let written = redis::cmd("SET")
                .arg(&key)
                .arg(json)
                .arg("PX")
                .arg(ttl_ms)
                .query_async::<()>(&mut redis.conn())
                .await;
            if let Err(e) = written {
                redis_error("write", &e.to_string());
            }
        });
    }
}

impl From<Serviceability> for Checked {
    fn from(answer: Serviceability) -> Checked {
        match answer {
            Serviceability::Serviceable => Checked::Serviceable,
            Serviceability::NotServiceable { reason } => Checked::NotServiceable { reason },
        }
    }
}

fn lookup_metric(account: &RegisteredCarrier, result: &'static str) {
    metrics::counter!(
        "shipgate_serviceability_lookups_total",
        "carrier" => account.id,
        "account" => account.account,
        "result" => result,
    )
    .increment(1);
}

fn redis_error(op: &'static str, detail: &str) {
    metrics::counter!("shipgate_redis_errors_total").increment(1);
    tracing::warn!(
        op,
        error = detail,
        "serviceability cache: Redis unavailable; using the in-process cache"
    );
}
