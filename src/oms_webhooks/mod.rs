//! Outbound webhooks to the OMS, per Standard Webhooks: shipgate tells a tenant's systems
//! when its shipments move. (Not to be confused with `crate::webhooks`, the *inbound*
//! carrier pushes.)
//!
//! At-least-once from a durable outbox: the messages an event announces are written in
//! the same transaction as the event (`store::oms_webhooks`), fanned out to the tenant's
//! endpoints there, and sent afterwards by a background [`dispatcher`] that claims due
//! deliveries with a lease, signs each attempt ([`signing`]), retries on a schedule with
//! jitter and `Retry-After`, dead-letters after the last attempt, and disables an
//! endpoint that answers 410 Gone. Nothing accepted is lost on a crash: a stored event's
//! messages are stored too, and a delivery claimed by a process that died is claimed
//! again when its lease lapses (so a receiver may see a message twice, and deduplicates
//! on `webhook-id`).
//!
//! Which event types a tracking change announces is [`events`]; where webhooks may not be
//! sent in live mode (server-side request forgery) is [`ssrf`].

pub mod dispatcher;
pub mod events;
pub mod signing;
pub mod ssrf;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::config::{Mode, OmsWebhooksConfig};

/// Longest accepted endpoint URL.
pub const MAX_URL_LEN: usize = 2048;

/// The dispatcher's settings, checked once at start-up.
#[derive(Debug, Clone)]
pub struct Settings {
    pub enabled: bool,
    pub timeout: Duration,
    pub rotation_grace: Duration,
    /// Delay before attempt n+1, from the previous one (ms); the length is the number of
    /// attempts.
    pub schedule_ms: Vec<i64>,
    pub max_retry_after_ms: i64,
    pub max_in_flight: usize,
    pub max_per_endpoint: usize,
    pub retention: Duration,
}

impl Settings {
    pub fn from_config(c: &OmsWebhooksConfig) -> Result<Settings, String> {
        let var = |key: &str| format!("SHIPGATE_OMS_WEBHOOKS__{}", key.to_ascii_uppercase());
        if c.retry_schedule_secs.is_empty()
            || c.retry_schedule_secs
                .iter()
                .any(|s| !s.is_finite() || *s < 0.0 || *s > 30.0 * 86400.0)
        {
            return Err(format!(
                "{} must list at least one delay, each 0 to 30 days in seconds",
                var("retry_schedule_secs")
            ));
        }
        if c.retry_schedule_secs[0] != 0.0 {
            return Err(format!(
                "{} must start with 0: the first attempt is made as soon as the event is stored",
                var("retry_schedule_secs")
            ));
        }
        if c.timeout_ms == 0 || c.timeout_ms > 300_000 {
            return Err(format!("{} must be 1 to 300000", var("timeout_ms")));
        }
        if c.retention_days == 0 {
            return Err(format!("{} must be at least 1", var("retention_days")));
        }
        if c.max_in_flight == 0 || c.max_per_endpoint == 0 {
            return Err(format!(
                "{} and {} must be at least 1",
                var("max_in_flight"),
                var("max_per_endpoint")
            ));
        }
        Ok(Settings {
            enabled: c.enabled,
            timeout: Duration::from_millis(c.timeout_ms),
            rotation_grace: Duration::from_secs(c.rotation_grace_secs),
            schedule_ms: c
                .retry_schedule_secs
                .iter()
                .map(|s| (s * 1000.0).round() as i64)
                .collect(),
            max_retry_after_ms: c.max_retry_after_secs as i64 * 1000,
            max_in_flight: c.max_in_flight,
            max_per_endpoint: c.max_per_endpoint,
            retention: Duration::from_secs(u64::from(c.retention_days) * 86_400),
        })
    }
}

/// What the API and the dispatcher share.
pub struct OmsWebhooks {
    pub settings: Settings,
    pub mode: Mode,
    /// Signs nothing and follows no redirect; in live mode it resolves names through
    /// [`ssrf::GuardedResolver`].
    pub client: reqwest::Client,
    /// Wakes the dispatcher (a replay made deliveries due now).
    pub wake: Arc<Notify>,
}

impl OmsWebhooks {
    pub fn new(config: &OmsWebhooksConfig, mode: Mode) -> Result<OmsWebhooks, String> {
        let settings = Settings::from_config(config)?;
        let mut client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            // A redirect would send the signed body somewhere nobody registered (and,
            // followed blindly, past the address checks).
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .user_agent(concat!("shipgate-webhooks/", env!("CARGO_PKG_VERSION")));
        if mode == Mode::Live {
            client = client.dns_resolver(Arc::new(ssrf::GuardedResolver));
        }
        Ok(OmsWebhooks {
            settings,
            mode,
            client: client.build().map_err(|e| e.to_string())?,
            wake: Arc::new(Notify::new()),
        })
    }

    /// Checks an endpoint URL: absolute http(s), no credentials in it, and in live mode
    /// a public destination. Returns the URL as it will be stored.
    pub async fn check_url(&self, raw: &str) -> Result<url::Url, UrlRefusal> {
        let raw = raw.trim();
        if raw.len() > MAX_URL_LEN {
            return Err(UrlRefusal::Invalid(format!(
                "longer than {MAX_URL_LEN} characters"
            )));
        }
        let url = url::Url::parse(raw)
            .map_err(|e| UrlRefusal::Invalid(format!("not an absolute URL ({e})")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(UrlRefusal::Invalid(format!(
                "scheme `{}` is not http or https",
                url.scheme()
            )));
        }
        if url.host().is_none() {
            return Err(UrlRefusal::Invalid("has no host".into()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlRefusal::Invalid(
                "must not carry credentials (they would be shown and logged); the signature \
                 authenticates shipgate to the receiver"
                    .into(),
            ));
        }
        if self.mode == Mode::Live {
            ssrf::check_url(&url).await.map_err(UrlRefusal::Forbidden)?;
        }
        Ok(url)
    }
}

/// Why an endpoint URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefusal {
    #[error("{0}")]
    Invalid(String),
    /// Live mode: it leads to a non-public address.
    #[error("{0}")]
    Forbidden(String),
}
