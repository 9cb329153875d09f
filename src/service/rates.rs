//! Rate shopping: every eligible carrier account is asked at once; the answer holds the
//! quotes of those that answered, cheapest first, and a per-account error list for the
//! rest. A carrier failing is a normal partial result, not a failed request.
//!
//! Latency is the point. The answer comes when every account has answered or the overall
//! deadline has passed, whichever is first, so one slow carrier costs its own quotes, not
//! everybody's time: each account's calls run concurrently and each HTTP request gets
//! the carrier's own timeout or the time left, whichever is shorter (the executor's
//! [`Deadlined`](crate::executor::Deadlined) transport). Before any call, an account is
//! skipped when its circuit is open (failing fast, `circuit_open`) or when its cached
//! pincode serviceability says it does not serve the lane (`not_serviceable`, see
//! [`serviceability`](super::serviceability)). Complete answers are cached briefly per
//! tenant ([`rate_cache`](super::rate_cache)).

use std::sync::Arc;
use std::time::Duration;

use carriers::CarrierError;
use carriers::Operation;
use carriers::schema::{Lane, RateQuote, RateRequest};
use futures::future::join_all;
use serde::Serialize;
use tokio::time::Instant;
use utoipa::ToSchema;

use super::rate_cache::RateCache;
use super::serviceability::{Checked, ServiceabilityCache};
use crate::config::RatesConfig;
use crate::executor::observe;
use crate::redis::Redis;
use crate::registry::{Accounts, RegisteredCarrier};

/// Error codes of the fan-out itself (carrier rejections keep the carrier's code).
pub const NOT_SERVICEABLE: &str = "not_serviceable";
pub const TIMEOUT: &str = "timeout";
pub const CIRCUIT_OPEN: &str = "circuit_open";
/// The tenant's own account of the carrier cannot be used (its credentials do not open).
pub const ACCOUNT_UNUSABLE: &str = "account_unusable";

/// How long past the deadline an account's work may run before it is abandoned. Every
/// carrier request already ends by the deadline; this only bounds what is not a request
/// (an adapter waiting on a shared login, say).
const DEADLINE_GRACE: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RateError {
    /// The carrier id.
    pub carrier: String,
    /// The carrier account that was asked.
    pub carrier_account: String,
    /// The carrier's code for a rejection, else `timeout`, `circuit_open`,
    /// `not_serviceable`, `account_unusable` (the tenant's own account of the carrier
    /// cannot be opened) or the failure class (`upstream`, `connect`, …).
    pub code: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RateResponse {
    pub quotes: Vec<RateQuote>,
    pub errors: Vec<RateError>,
    /// The quote the tenant's selection rules pick, and why (see docs/rate-cards-and-selection.md, "Carrier
    /// selection"); `carrier: auto` books this one first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<crate::selection::Recommendation>,
}

impl RateResponse {
    /// Adds quotes and errors from another source (rate cards), keeping the order.
    pub fn merge(&mut self, quotes: Vec<RateQuote>, errors: Vec<RateError>) {
        self.quotes.extend(quotes);
        self.errors.extend(errors);
        sort(&mut self.quotes);
    }
}

/// Cheapest first, then fastest, then by carrier: the same order for every request.
/// Amounts in different currencies are never compared (shipgate converts nothing): the
/// currency most quotes are in comes first, then the others by code, each cheapest first.
fn sort(quotes: &mut [RateQuote]) {
    // Counted only when the currencies differ (rarely): a sort compares many times.
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    if quotes
        .windows(2)
        .any(|w| w[0].total.currency != w[1].total.currency)
    {
        for q in quotes.iter() {
            *counts
                .entry(q.total.currency.as_str().to_string())
                .or_default() += 1;
        }
    }
    let count = |q: &RateQuote| counts.get(q.total.currency.as_str()).copied().unwrap_or(0);
    quotes.sort_by(|a, b| {
        count(b)
            .cmp(&count(a))
            .then_with(|| a.total.currency.as_str().cmp(b.total.currency.as_str()))
            .then(a.total.amount.cmp(&b.total.amount))
            .then(a.transit_days.cmp(&b.transit_days))
            .then(a.carrier.cmp(&b.carrier))
            .then(a.carrier_account.cmp(&b.carrier_account))
            .then(a.service.cmp(&b.service))
    });
}

/// An answer and where it came from.
pub struct Quoted {
    pub response: Arc<RateResponse>,
    pub cache: CacheOutcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Served from the cache, with this much time left.
    Hit(Duration),
    /// Asked the carriers; `stored` when the answer was cached.
    Miss { stored: bool },
    /// The cache is off.
    Off,
}

/// The rate shop of one gateway process.
pub struct RateShop {
    default_deadline: Duration,
    max_deadline: Duration,
    serviceability: ServiceabilityCache,
    cache: RateCache,
}

impl RateShop {
    /// Refuses a default deadline outside 1 ms ..= `max_deadline_ms`, naming the variable.
    pub fn new(config: &RatesConfig, redis: Option<Redis>) -> Result<RateShop, String> {
        if config.deadline_ms == 0 || config.deadline_ms > config.max_deadline_ms {
            return Err(format!(
                "SHIPGATE_RATES__DEADLINE_MS must be between 1 and SHIPGATE_RATES__MAX_DEADLINE_MS \
                 ({}), got {}",
                config.max_deadline_ms, config.deadline_ms
            ));
        }
        Ok(RateShop {
            default_deadline: Duration::from_millis(config.deadline_ms),
            max_deadline: Duration::from_millis(config.max_deadline_ms),
            serviceability: ServiceabilityCache::new(
                Duration::from_secs(config.serviceability_ttl_secs),
                redis,
            ),
            cache: RateCache::new(
                Duration::from_millis(config.cache_ttl_ms),
                config.cache_capacity,
            ),
        })
    }

    pub fn default_deadline(&self) -> Duration {
        self.default_deadline
    }

    pub fn max_deadline(&self) -> Duration {
        self.max_deadline
    }

    /// Accounts to ask among the tenant's: those the request names (an account id, or a
    /// carrier id for all of that carrier's accounts in use), else every account in use,
    /// each only if it has a rate API (the tenant's rate cards price the others:
    /// `service::rate_cards`).
    pub fn eligible(accounts: &Accounts, req: &RateRequest) -> Vec<Arc<RegisteredCarrier>> {
        match &req.carriers {
            Some(names) => {
                let mut named: Vec<Arc<RegisteredCarrier>> = Vec::new();
                for account in names
                    .iter()
                    .flat_map(|n| accounts.named(n))
                    .filter(|a| a.capabilities.rates)
                {
                    if !named.iter().any(|a| a.account == account.account) {
                        named.push(account.clone());
                    }
                }
                named
            }
            None => accounts
                .all()
                .filter(|a| a.capabilities.rates)
                .cloned()
                .collect(),
        }
    }

    /// Quotes for the tenant's request: from the cache when an identical request was
    /// answered completely a moment ago, else from every eligible account within
    /// `deadline`.
    pub async fn quote(
        &self,
        tenant_id: &str,
        accounts: &Accounts,
        req: &RateRequest,
        deadline: Duration,
    ) -> Quoted {
        if let Some((response, left)) = self.cache.get(tenant_id, accounts, req) {
            metrics::counter!("shipgate_rate_cache_total", "result" => "hit").increment(1);
            return Quoted {
                response,
                cache: CacheOutcome::Hit(left),
            };
        }
        let mut response = self
            .shop(RateShop::eligible(accounts, req), req, deadline)
            .await;
        // The tenant's own account of a carrier that cannot be used keeps the platform's
        // away; the answer says why that carrier gave no quote.
        for broken in accounts.broken_accounts() {
            let asked = req.carriers.as_ref().is_none_or(|names| {
                names
                    .iter()
                    .any(|n| *n == broken.carrier || *n == broken.account)
            });
            if asked {
                response.errors.push(RateError {
                    carrier: broken.carrier.clone(),
                    carrier_account: broken.account.clone(),
                    code: ACCOUNT_UNUSABLE.into(),
                    detail: format!("your own account cannot be used: {}", broken.reason),
                });
            }
        }
        let response = Arc::new(response);
        let cache = if self.cache.enabled() {
            let stored = self.cache.put(tenant_id, accounts, req, &response);
            metrics::counter!("shipgate_rate_cache_total", "result" => if stored { "miss_stored" } else { "miss_not_stored" }).increment(1);
            CacheOutcome::Miss { stored }
        } else {
            CacheOutcome::Off
        };
        Quoted { response, cache }
    }

    /// Asks `accounts` at once and answers when all have answered or `deadline` passed.
    pub async fn shop(
        &self,
        accounts: Vec<Arc<RegisteredCarrier>>,
        req: &RateRequest,
        deadline: Duration,
    ) -> RateResponse {
        let started = Instant::now();
        let until = started + deadline;
        let lane = domestic_lane(req);
        let asks = accounts.iter().map(|account| {
            let lane = lane.as_ref();
            async move {
                let asked = tokio::time::timeout_at(
                    until + DEADLINE_GRACE,
                    self.ask(account, req, lane, until, deadline),
                )
                .await
                .unwrap_or_else(|_| Err(late(deadline)));
                (account, asked)
            }
        });
        let mut quotes = Vec::new();
        let mut errors = Vec::new();
        for (account, asked) in join_all(asks).await {
            match asked {
                // An account its tenant limited to some services quotes only those.
                Ok(q) => quotes.extend(q.into_iter().filter(|q| account.offers(&q.service)).map(
                    |mut q| {
                        q.carrier_account = account.account.to_string();
                        q
                    },
                )),
                Err((code, detail)) => errors.push(RateError {
                    carrier: account.id.into(),
                    carrier_account: account.account.into(),
                    code,
                    detail,
                }),
            }
        }
        sort(&mut quotes);
        metrics::histogram!("shipgate_rates_fanout_duration_seconds")
            .record(started.elapsed().as_secs_f64());
        RateResponse {
            quotes,
            errors,
            recommendation: None,
        }
    }

    /// One account: skipped when its circuit is open or it does not serve the lane, else
    /// asked for rates within the deadline. `Err` is an error entry (code, detail).
    async fn ask(
        &self,
        account: &RegisteredCarrier,
        req: &RateRequest,
        lane: Option<&Lane>,
        until: Instant,
        deadline: Duration,
    ) -> Result<Vec<RateQuote>, (String, String)> {
        if !account.capabilities.rates {
            return Err(entry(&CarrierError::Unsupported("rates")));
        }
        if let Some(reason) = account.lane_refusal(&req.from.country, &req.to.country) {
            metrics::counter!("shipgate_rates_skipped_total", "account" => account.account, "reason" => NOT_SERVICEABLE).increment(1);
            return Err((NOT_SERVICEABLE.into(), reason));
        }
        if req.payment.cod_amount().is_some() && !account.capabilities.cod {
            return Err((
                NOT_SERVICEABLE.into(),
                format!("{} does not collect cash on delivery", account.account),
            ));
        }
        if let Some(refused) = account.transport.breaker().refusing() {
            metrics::counter!("shipgate_rates_skipped_total", "account" => account.account, "reason" => CIRCUIT_OPEN).increment(1);
            return Err((
                CIRCUIT_OPEN.into(),
                format!(
                    "{} has been failing, so it was not asked (circuit open; next try in {} ms)",
                    account.account,
                    refused.retry_in.as_millis()
                ),
            ));
        }
        let mut served = false;
        if let Some(lane) =
            lane.filter(|_| account.capabilities.serviceability && self.serviceability.enabled())
        {
            match self.serviceability.check(account, lane, until).await {
                Checked::Serviceable => served = true,
                Checked::NotServiceable { reason } => {
                    metrics::counter!("shipgate_rates_skipped_total", "account" => account.account, "reason" => NOT_SERVICEABLE).increment(1);
                    return Err((NOT_SERVICEABLE.into(), reason));
                }
                Checked::Unknown(e) => tracing::debug!(
                    account = account.account,
                    error = %e,
                    "serviceability unknown; asking for rates anyway"
                ),
            }
        }
        let t = account.transport.with_deadline(until);
        let asking = if served {
            account.adapter.rates_on_served_lane(&t, req)
        } else {
            account.adapter.rates(&t, req)
        };
        let asked = observe(account.transport.account(), Operation::Rates, asking).await;
        match asked {
            Ok(q) if q.is_empty() => Err((
                NOT_SERVICEABLE.into(),
                "the carrier does not serve this lane for this payment mode".into(),
            )),
            Ok(q) => Ok(q),
            // Whatever stopped the call, the deadline is what the client should hear about.
            Err(
                CarrierError::Timeout { .. }
                | CarrierError::NotSent(_)
                | CarrierError::Paused { .. },
            ) if Instant::now() >= until => Err(late(deadline)),
            Err(e) => Err(entry(&e)),
        }
    }
}

/// The lane to check serviceability for: PIN codes are Indian, so only domestic India.
fn domestic_lane(req: &RateRequest) -> Option<Lane> {
    (req.from.country == "IN" && req.to.country == "IN").then(|| Lane::of_rate_request(req))
}

/// The entry of an account cut off by the overall deadline.
fn late(deadline: Duration) -> (String, String) {
    (
        TIMEOUT.into(),
        format!(
            "no answer within this rate request's deadline of {} ms",
            deadline.as_millis()
        ),
    )
}

/// An account's error entry: the carrier's own words for a refusal, never fragments of
/// its raw answer (an HTML page, a truncated body: those go to the log).
fn entry(e: &CarrierError) -> (String, String) {
    let code = match e {
        CarrierError::Rejected { code, .. } => code.clone(),
        other => other.class().into(),
    };
    (code, crate::error::public_message(e))
}

#[cfg(test)]
mod tests {
    use carriers::schema::{Currency, Money};

    use super::*;

    fn quote(carrier: &str, amount: i64, currency: &str) -> RateQuote {
        let total = Money {
            amount,
            currency: Currency::parse(currency).unwrap(),
        };
        RateQuote::new(carrier, "std", "Standard", total, [])
    }

    #[test]
    fn amounts_in_different_currencies_are_never_compared() {
        let mut quotes = vec![
            quote("ups", 9_000, "USD"),
            quote("fedex", 300_000, "INR"),
            quote("dhl_express", 250_000, "INR"),
            quote("usps", 100, "EUR"),
            quote("delhivery", 8_000, "USD"),
        ];
        sort(&mut quotes);
        let order: Vec<&str> = quotes.iter().map(|q| q.carrier.as_str()).collect();
        // INR and USD have two quotes each; the tie goes by code. Cheapest first within each.
        assert_eq!(order, ["dhl_express", "fedex", "delhivery", "ups", "usps"]);
    }
}
