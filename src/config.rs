//! Configuration: defaults that make `cargo run --release` a working sandbox, an optional
//! TOML file (`--config PATH` or `SHIPGATE_CONFIG`), and `SHIPGATE_<SECTION>__<KEY>`
//! environment variables over both.
//!
//! Carrier sections are open-ended maps because each carrier has its own credentials;
//! which keys are required is the carrier's business (its registry entry), checked when
//! the registry is built so a missing credential names the exact variable to set.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Carriers point at the built-in simulators; a `demo` tenant and key exist.
    Sandbox,
    /// Carriers point at their real APIs; every enabled carrier needs credentials.
    Live,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub listen: SocketAddr,
    pub mode: Mode,
    pub database_url: String,
    /// How long a query waits for a database connection before the request is answered
    /// 503 (`SHIPGATE_DATABASE_ACQUIRE_TIMEOUT_MS`): short enough that clients hear
    /// about an outage quickly instead of piling up.
    #[serde(default = "default_acquire_timeout_ms")]
    pub database_acquire_timeout_ms: u64,
    #[serde(default)]
    pub redis_url: Option<String>,
    /// Creates (or keeps) an admin key with this value for the tenant `demo`.
    #[serde(default)]
    pub bootstrap_api_key: Option<String>,
    /// How the gateway reaches its own `/sandbox` routes; `http://<listen address>` when
    /// unset. Needed behind a proxy or when listening on 0.0.0.0.
    #[serde(default)]
    pub public_url: Option<String>,
    /// Largest accepted request body.
    pub body_limit_bytes: usize,
    /// Largest accepted carrier file (`api::FILE_ROUTES`: COD remittances, carrier
    /// charges), which run to thousands of lines; other routes keep `body_limit_bytes`.
    #[serde(default = "default_file_limit_bytes")]
    pub file_limit_bytes: usize,
    pub log_format: LogFormat,
    #[serde(default)]
    pub http: HttpConfig,
    #[serde(default)]
    pub idempotency: IdempotencyConfig,
    #[serde(default)]
    pub limits: LimitsConfig,
    #[serde(default)]
    pub auth: AuthConfig,
    #[serde(default)]
    pub rates: RatesConfig,
    /// Carrier accounts by account id; the key is also the carrier id unless `adapter`
    /// names the carrier.
    #[serde(default)]
    pub carriers: BTreeMap<String, CarrierConfig>,
    #[serde(default)]
    pub polling: PollingConfig,
    #[serde(default)]
    pub oms_webhooks: OmsWebhooksConfig,
    #[serde(default)]
    pub rate_cards: RateCardsConfig,
    #[serde(default)]
    pub selection: SelectionConfig,
    #[serde(default)]
    pub carrier_accounts: CarrierAccountsConfig,
    #[serde(default)]
    pub ndr: NdrConfig,
    #[serde(default)]
    pub weights: WeightsConfig,
    pub cod: CodConfig,
    pub pickups: PickupsConfig,
    #[serde(default)]
    pub batches: BatchesConfig,
    #[serde(default)]
    pub labels: LabelsConfig,
    #[serde(default)]
    pub storefront: StorefrontConfig,
    #[serde(default)]
    pub dry_runs: DryRunsConfig,
    /// How long a graceful shutdown may take before remaining work is abandoned
    /// (`SHIPGATE_SHUTDOWN_TIMEOUT_SECS`).
    #[serde(default = "default_shutdown_timeout_secs")]
    pub shutdown_timeout_secs: u64,
}

fn default_file_limit_bytes() -> usize {
    8 << 20
}

fn default_shutdown_timeout_secs() -> u64 {
    30
}

/// The HTTP server's bounds on clients (`SHIPGATE_HTTP__…`): a client that holds a
/// connection without using it, or sends its request slowly, costs a file descriptor and
/// memory, so each has a time limit and connections have a cap.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    /// Threads serving HTTP; 0 is one per core.
    pub workers: usize,
    /// Connections open at once, all workers together. Past it, new connections wait in
    /// the listen backlog until one closes. Lowered at start-up to what the process's
    /// open-file limit leaves after the database, Redis and carrier connections.
    pub max_connections: usize,
    /// Time a client has to send a request's headers, from connecting or from the end of
    /// its previous request (408 after it).
    pub header_timeout_ms: u64,
    /// Time a client has to send a request's whole body once its headers arrived (408).
    pub body_timeout_ms: u64,
    /// An idle keep-alive connection is closed after this long.
    pub keep_alive_secs: u64,
    /// Pending connections the kernel holds while the gateway is at its cap.
    pub backlog: u32,
    /// Where buyers reach this gateway (`SHIPGATE_HTTP__BUYER_URL`, e.g.
    /// `https://track.example.com`): tracking page links (`tracking_url`) are absolute
    /// under it, and the page's forms accept only this origin. Unset: links are the path
    /// `/t/{token}`. Not `SHIPGATE_PUBLIC_URL`, which is where the gateway reaches its own
    /// sandbox and where carriers push: buyers often see another host.
    pub buyer_url: Option<String>,
}

impl HttpConfig {
    /// Refuses a `buyer_url` that is not an http(s) origin with an optional path.
    pub fn validate(&self) -> Result<(), String> {
        let Some(raw) = self.buyer_url.as_deref() else {
            return Ok(());
        };
        let bad = |why: &str| Err(format!("SHIPGATE_HTTP__BUYER_URL `{raw}` {why}"));
        let Ok(url) = url::Url::parse(raw) else {
            return bad("is not a URL (e.g. https://track.example.com)");
        };
        if !matches!(url.scheme(), "http" | "https") {
            return bad("must be http or https");
        }
        if url.host_str().is_none_or(str::is_empty) {
            return bad("has no host");
        }
        if !url.username().is_empty() || url.password().is_some() {
            return bad("must not carry credentials");
        }
        if url.query().is_some() || url.fragment().is_some() {
            return bad("must not have a query or fragment");
        }
        Ok(())
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            workers: 0,
            max_connections: 4096,
            header_timeout_ms: 5_000,
            body_timeout_ms: 15_000,
            keep_alive_secs: 15,
            backlog: 1024,
            buyer_url: None,
        }
    }
}

/// Outbound webhooks to the OMS (`crate::oms_webhooks`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OmsWebhooksConfig {
    /// Whether this process delivers (runs the dispatcher). Messages are written to the
    /// outbox either way, so a process that does not deliver loses nothing.
    pub enabled: bool,
    /// How long a receiver may take to answer one delivery.
    pub timeout_ms: u64,
    /// How long the previous secret keeps signing after a rotation.
    pub rotation_grace_secs: u64,
    /// Delay before each attempt, the first one included (seconds; jittered by ±20 %).
    /// After the last attempt fails the message is dead-lettered.
    pub retry_schedule_secs: Vec<f64>,
    /// The longest a receiver's `Retry-After` may postpone an attempt.
    pub max_retry_after_secs: u64,
    /// Deliveries in flight at once in this process.
    pub max_in_flight: usize,
    /// Deliveries in flight at once to one endpoint, in this process.
    pub max_per_endpoint: usize,
    /// Finished deliveries (and their attempts and messages) are deleted this many days
    /// after they finished.
    pub retention_days: u32,
}

impl Default for OmsWebhooksConfig {
    fn default() -> Self {
        OmsWebhooksConfig {
            enabled: true,
            timeout_ms: 15_000,
            rotation_grace_secs: 24 * 3600,
            // docs/outbound-webhooks.md: about 0 s, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.
            retry_schedule_secs: vec![
                0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 50400.0, 72000.0, 86400.0,
            ],
            max_retry_after_secs: 24 * 3600,
            max_in_flight: 64,
            max_per_endpoint: 8,
            retention_days: 30,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateCardsConfig {
    /// How long a process quotes from its cached copy of a tenant's cards before reading
    /// them again: the longest another process sharing the database can lag an upload.
    pub cache_ttl_secs: u64,
}

impl Default for RateCardsConfig {
    fn default() -> Self {
        RateCardsConfig { cache_ttl_secs: 10 }
    }
}

/// NDR actions (`crate::service::ndr`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NdrConfig {
    /// How often open actions are checked against the scans that followed them.
    pub settle_every_ms: u64,
    /// An action no scan showed within this long is `expired` (carriers return an
    /// undelivered parcel after a few days).
    pub expire_after_secs: u64,
}

impl Default for NdrConfig {
    fn default() -> Self {
        NdrConfig {
            settle_every_ms: 2_000,
            expire_after_secs: 72 * 3600,
        }
    }
}

/// Weight discrepancies (`crate::service::weights`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WeightsConfig {
    /// A charged weight this many grams over the declared one is still not flagged…
    pub tolerance_g: u32,
    /// …nor one within this percentage of the declared weight (the larger allowance
    /// applies; whole percent).
    pub tolerance_percent: u32,
    /// Volumetric divisor (cm³ per kg) by carrier id, for the declared chargeable weight;
    /// a carrier not listed uses 5000.
    pub volumetric_divisors: BTreeMap<String, u32>,
}

impl WeightsConfig {
    pub fn divisor(&self, carrier: &str) -> u32 {
        self.volumetric_divisors
            .get(carrier)
            .copied()
            .filter(|d| *d > 0)
            .unwrap_or(5000)
    }
}

impl Default for WeightsConfig {
    fn default() -> Self {
        WeightsConfig {
            tolerance_g: 50,
            tolerance_percent: 5,
            volumetric_divisors: BTreeMap::from([
                ("delhivery".to_string(), 5000),
                ("shiprocket".to_string(), 5000),
            ]),
        }
    }
}

/// COD remittance reconciliation (`crate::service::cod_remittance`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CodConfig {
    /// Days after delivery within which a carrier pays COD out, by carrier account id or
    /// carrier id (the account's own entry first): a delivered COD shipment not remitted
    /// by then is overdue. Unlisted: 7.
    pub remittance_days: BTreeMap<String, u32>,
    /// How often the tenants' SFTP folders are checked for new remittance files; 0 never
    /// (only `POST /v1/cod-remittances/pull`).
    pub pull_every_ms: u64,
    /// How long one SFTP pull (connect, list, read) may take before it is given up.
    pub sftp_timeout_ms: u64,
}

impl Default for CodConfig {
    fn default() -> Self {
        CodConfig {
            // Delhivery publishes no cycle (D+7 assumed); Shiprocket's standard plan: D+8.
            remittance_days: [("delhivery".to_string(), 7), ("shiprocket".to_string(), 8)]
                .into_iter()
                .collect(),
            pull_every_ms: 15 * 60 * 1000,
            sftp_timeout_ms: 30_000,
        }
    }
}

/// Bulk booking (`crate::service::batches`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BatchesConfig {
    /// The most items one batch may hold (`SHIPGATE_BATCHES__MAX_ITEMS`).
    pub max_items: usize,
    /// Items booked at once by one process (`SHIPGATE_BATCHES__CONCURRENCY`).
    pub concurrency: usize,
    /// An item claimed (`booking`) this long ago by a process that never finished it is
    /// taken again; longer than the slowest booking (`SHIPGATE_BATCHES__LEASE_MS`).
    pub lease_ms: u64,
    /// How often the worker looks for due items when nothing woke it.
    pub poll_ms: u64,
    /// How often a `pending` item's shipment is looked at again.
    pub settle_every_ms: u64,
    /// Retries of an item whose booking failed for a passing reason (carrier unreachable,
    /// a booking of the order in progress) before it is `failed`; a carrier's quota or open
    /// circuit delays it without counting.
    pub max_attempts: i64,
}

impl Default for BatchesConfig {
    fn default() -> Self {
        BatchesConfig {
            max_items: 10_000,
            concurrency: 8,
            lease_ms: 120_000,
            poll_ms: 500,
            settle_every_ms: 2_000,
            max_attempts: 8,
        }
    }
}

/// Pickups (`crate::service::pickups`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PickupsConfig {
    /// How often live pickups are checked against their shipments' scans (picked up, or
    /// not picked).
    pub settle_every_ms: u64,
}

impl Default for PickupsConfig {
    fn default() -> Self {
        PickupsConfig {
            settle_every_ms: 2_000,
        }
    }
}

/// Bulk labels (`crate::service::bulk_labels`, `SHIPGATE_LABELS__…`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LabelsConfig {
    /// The most shipments one `POST /v1/labels` prints.
    pub max_shipments: usize,
    /// Labels fetched at once (a reprint may call the carrier).
    pub concurrency: usize,
}

impl Default for LabelsConfig {
    fn default() -> Self {
        LabelsConfig {
            max_shipments: 2_000,
            concurrency: 8,
        }
    }
}

/// Storefront checkout rates (`crate::storefront`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorefrontConfig {
    /// How long a checkout's rate request waits for carriers (at most
    /// `rates.max_deadline_ms`). 2.5 s: Shopify cuts callbacks off after 10 s at low
    /// volume and 3 s at high volume, and the answer must also cross the network.
    pub deadline_ms: u64,
    /// How long an identical cart of a connection is answered from the cart cache (a
    /// buyer refreshing checkout); 0 turns it off.
    pub cache_ttl_ms: u64,
    /// Carts the cache keeps (per process).
    pub cache_capacity: u64,
}

impl Default for StorefrontConfig {
    fn default() -> Self {
        StorefrontConfig {
            deadline_ms: 2_500,
            cache_ttl_ms: 60_000,
            cache_capacity: 10_000,
        }
    }
}

/// Dry runs and the parallel-run comparison (`crate::service::dry_runs`,
/// `crate::service::parallel_run`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DryRunsConfig {
    /// Dry runs older than this are dropped (at each new dry run).
    pub retention_days: u32,
    /// Orders of one comparison quoted at once when they have no dry run.
    pub quote_concurrency: usize,
    /// How long a comparison may spend quoting orders without a dry run; those not
    /// quoted by then are `unmatched` (`quote_deadline`).
    pub quote_deadline_ms: u64,
}

impl Default for DryRunsConfig {
    fn default() -> Self {
        DryRunsConfig {
            retention_days: 30,
            quote_concurrency: 8,
            quote_deadline_ms: 20_000,
        }
    }
}

/// Tenants' own carrier accounts (`crate::registry::tenant`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CarrierAccountsConfig {
    /// How often a process checks whether accounts changed (through any process): the
    /// longest an added, rotated or disabled account takes to apply everywhere.
    pub refresh_ms: u64,
}

impl Default for CarrierAccountsConfig {
    fn default() -> Self {
        CarrierAccountsConfig { refresh_ms: 1_000 }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SelectionConfig {
    /// How long a process keeps a tenant's selection rules (and address policy) in memory
    /// before reading them again: the longest a change made through another process takes
    /// to apply here.
    pub cache_ttl_ms: u64,
}

impl Default for SelectionConfig {
    fn default() -> Self {
        SelectionConfig {
            cache_ttl_ms: 5_000,
        }
    }
}

/// `POST /v1/rates`: deadlines, the rate cache and the serviceability cache.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RatesConfig {
    /// How long a rate request waits for carriers unless it asks for another deadline.
    /// 1.5 s: an OMS checkout shows rates while a buyer waits, and Indian carriers' rate
    /// APIs answer in a few hundred ms when healthy; a carrier slower than that is better
    /// reported as a timeout than allowed to hold every quote hostage.
    pub deadline_ms: u64,
    /// The largest `deadline_ms` a request may ask for.
    pub max_deadline_ms: u64,
    /// How long an identical rate request of the same tenant is answered from the cache;
    /// 0 turns the cache off.
    pub cache_ttl_ms: u64,
    /// Entries the rate cache keeps (per process).
    pub cache_capacity: u64,
    /// How long a carrier account's pincode serviceability answer is reused; 0 turns the
    /// serviceability pre-check off.
    pub serviceability_ttl_secs: u64,
}

impl Default for RatesConfig {
    fn default() -> Self {
        RatesConfig {
            deadline_ms: 1500,
            max_deadline_ms: 10_000,
            cache_ttl_ms: 30_000,
            cache_capacity: 10_000,
            serviceability_ttl_secs: 3600,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IdempotencyConfig {
    /// How long a first outcome is replayed.
    pub ttl_secs: u64,
    /// How long an in-flight marker lives; by default longer than the slowest booking
    /// (every call of a multi-step create at its carrier's timeout) can take.
    pub lock_ttl_secs: Option<u64>,
    /// What the in-process store (no Redis) may hold, in MiB. Past it the least useful
    /// outcomes go first; the order-reference rule still prevents a second booking.
    pub memory_budget_mb: u64,
}

impl Default for IdempotencyConfig {
    fn default() -> Self {
        IdempotencyConfig {
            ttl_secs: 24 * 3600,
            lock_ttl_secs: None,
            memory_budget_mb: crate::idempotency::DEFAULT_BUDGET_MB,
        }
    }
}

/// The tracking poller (`crate::polling`): how often shipments are refreshed from their
/// carrier, and how much of each carrier's quota that may use.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PollingConfig {
    pub enabled: bool,
    /// How often each carrier's loop looks for due shipments when it found none.
    pub tick_ms: u64,
    /// Shipments claimed at most per claim.
    pub batch_size: u32,
    /// Polls in flight at most, all carriers together, per process.
    pub concurrency: u32,
    /// Fraction of a paced carrier's outbound quota that polls may use; the rest is left
    /// to bookings and API calls.
    pub quota_share: f64,
    /// Each next-poll time is spread by this fraction either way.
    pub jitter: f64,
    pub first_poll_secs: u64,
    pub near_delivery_secs: u64,
    pub pre_transit_secs: u64,
    pub transit_min_secs: u64,
    pub transit_max_secs: u64,
    pub exception_secs: u64,
    /// Wait after a first failed poll, doubled per failure in a row up to `retry_max_secs`.
    pub retry_secs: u64,
    pub retry_max_secs: u64,
    /// Wait after a poll that was not sent (circuit open, quota full); not a failure.
    pub deferred_secs: u64,
}

impl Default for PollingConfig {
    fn default() -> Self {
        PollingConfig {
            enabled: true,
            tick_ms: 1000,
            batch_size: 50,
            concurrency: 16,
            quota_share: 0.5,
            jitter: 0.1,
            first_poll_secs: 15 * 60,
            near_delivery_secs: 30 * 60,
            pre_transit_secs: 3 * 3600,
            transit_min_secs: 2 * 3600,
            transit_max_secs: 12 * 3600,
            exception_secs: 3600,
            retry_secs: 120,
            retry_max_secs: 2 * 3600,
            deferred_secs: 60,
        }
    }
}

impl PollingConfig {
    /// Refuses settings the poller cannot work with, naming the variable.
    pub fn validate(&self) -> Result<(), String> {
        let name = |key: &str| format!("SHIPGATE_POLLING__{}", key.to_ascii_uppercase());
        if !(self.quota_share > 0.0 && self.quota_share <= 1.0) {
            return Err(format!(
                "{} must be above 0 and at most 1 (got {})",
                name("quota_share"),
                self.quota_share
            ));
        }
        if !(0.0..=0.5).contains(&self.jitter) {
            return Err(format!(
                "{} must be between 0 and 0.5 (got {})",
                name("jitter"),
                self.jitter
            ));
        }
        for (key, value) in [
            ("tick_ms", self.tick_ms),
            ("batch_size", u64::from(self.batch_size)),
            ("concurrency", u64::from(self.concurrency)),
            ("near_delivery_secs", self.near_delivery_secs),
            ("pre_transit_secs", self.pre_transit_secs),
            ("transit_min_secs", self.transit_min_secs),
            ("exception_secs", self.exception_secs),
            ("retry_secs", self.retry_secs),
            ("deferred_secs", self.deferred_secs),
        ] {
            if value == 0 {
                return Err(format!("{} must be at least 1", name(key)));
            }
        }
        if self.transit_min_secs > self.transit_max_secs {
            return Err(format!(
                "{} must not exceed {}",
                name("transit_min_secs"),
                name("transit_max_secs")
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// How long an authenticated API key is trusted without asking the database again, so
    /// a request does not pay a query to authenticate. A revoked key or a changed role
    /// takes effect within this time; 0 asks the database on every request.
    pub key_cache_ttl_secs: u64,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            key_cache_ttl_secs: 30,
        }
    }
}

/// A rate: a sustained `per_second` with bursts up to `burst` requests.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub per_second: f64,
    pub burst: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    pub enabled: bool,
    /// `POST /v1/rates`: fans out to every carrier, so the tightest by default.
    pub rates: Limit,
    /// Other POST, PUT, PATCH and DELETE requests (bookings, cancels, configuration).
    pub writes: Limit,
    /// GETs.
    pub reads: Limit,
    /// Per-tenant overrides by tenant name.
    pub tenants: BTreeMap<String, TenantLimits>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TenantLimits {
    pub rates: Option<Limit>,
    pub writes: Option<Limit>,
    pub reads: Option<Limit>,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            enabled: true,
            rates: Limit {
                per_second: 20.0,
                burst: 40,
            },
            writes: Limit {
                per_second: 50.0,
                burst: 100,
            },
            reads: Limit {
                per_second: 200.0,
                burst: 400,
            },
            tenants: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CarrierConfig {
    /// The carrier this account belongs to (`delhivery`, …); the section's key when unset,
    /// so `[carriers.delhivery]` is Delhivery's default account.
    #[serde(default)]
    pub adapter: Option<String>,
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    /// Outbound requests per second shipgate may send this carrier (its published API
    /// limit); the carrier's default when unset.
    #[serde(default)]
    pub quota_per_second: Option<f64>,
    /// Calls to this account in flight at once, per process (default 64); the rest wait
    /// their turn within their deadline.
    #[serde(default)]
    pub max_concurrent_calls: Option<u32>,
    /// Consecutive transport failures that open this account's circuit (default 10).
    #[serde(default)]
    pub breaker_threshold: Option<u32>,
    /// How long an open circuit refuses calls before one probe (default 15000).
    #[serde(default)]
    pub breaker_cool_down_ms: Option<u64>,
    /// The tenants this platform account serves: `*` (every tenant, the default) or
    /// tenant names separated by commas. A tenant's own account of the same carrier
    /// comes first either way.
    #[serde(default)]
    pub share_with: Option<String>,
    /// Credentials and account options, by the carrier's own key names.
    #[serde(flatten, deserialize_with = "scalar_map")]
    pub settings: BTreeMap<String, String>,
}

/// The well-known sandbox key, so the README's walk-through works as written. Sandbox
/// mode only: live mode never creates a key nobody asked for.
pub const SANDBOX_DEMO_KEY: &str = "sg_sandbox_demo_key";

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".parse().expect("valid address"),
            mode: Mode::Sandbox,
            database_url: "sqlite://shipgate.db".into(),
            database_acquire_timeout_ms: default_acquire_timeout_ms(),
            redis_url: None,
            bootstrap_api_key: None,
            public_url: None,
            body_limit_bytes: 256 * 1024,
            file_limit_bytes: default_file_limit_bytes(),
            log_format: LogFormat::Text,
            http: HttpConfig::default(),
            idempotency: IdempotencyConfig::default(),
            limits: LimitsConfig::default(),
            auth: AuthConfig::default(),
            rates: RatesConfig::default(),
            carriers: BTreeMap::new(),
            oms_webhooks: OmsWebhooksConfig::default(),
            polling: PollingConfig::default(),
            rate_cards: RateCardsConfig::default(),
            selection: SelectionConfig::default(),
            carrier_accounts: CarrierAccountsConfig::default(),
            ndr: NdrConfig::default(),
            weights: WeightsConfig::default(),
            cod: CodConfig::default(),
            pickups: PickupsConfig::default(),
            batches: BatchesConfig::default(),
            labels: LabelsConfig::default(),
            storefront: StorefrontConfig::default(),
            dry_runs: DryRunsConfig::default(),
            shutdown_timeout_secs: default_shutdown_timeout_secs(),
        }
    }
}

impl Config {
    /// Defaults, then the TOML file if given, then the environment.
    pub fn load(file: Option<&Path>) -> Result<Config, String> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("SHIPGATE_CONFIG").map(Into::into));
        if let Some(path) = file {
            if !path.is_file() {
                return Err(format!("config file {} does not exist", path.display()));
            }
            figment = figment.merge(Toml::file(path));
        }
        // The master keys are read by `sealed::load`, never into `Config`: a struct that
        // is serialised and printed is no place for a key.
        let env = || {
            Env::prefixed("SHIPGATE_").split("__").ignore(&[
                "config",
                "master_key",
                "master_key_file",
                "master_keys_previous",
                "master_keys_previous_file",
            ])
        };
        figment =
            figment.merge(env().filter(|key| !read_as_written(&key.as_str().to_ascii_lowercase())));
        // figment reads `0123` as the number 123, `1.10` as 1.1 and `[x]` as a list: fine
        // for a port, wrong for a password. Text settings are taken exactly as written.
        for (key, value) in env()
            .filter(|key| read_as_written(&key.as_str().to_ascii_lowercase()))
            .iter()
        {
            figment = figment.merge(Serialized::default(key.as_str(), value));
        }
        let mut config: Config = figment.extract().map_err(|e| {
            e.into_iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        config.normalise();
        Ok(config)
    }

    fn normalise(&mut self) {
        // Empty values in the environment mean "unset", as operators expect.
        for v in [
            &mut self.redis_url,
            &mut self.bootstrap_api_key,
            &mut self.public_url,
            &mut self.http.buyer_url,
        ] {
            if v.as_deref().is_some_and(|s| s.trim().is_empty()) {
                *v = None;
            }
        }
    }

    /// The carrier section for `id`, or an empty one.
    pub fn carrier(&self, id: &str) -> CarrierConfig {
        self.carriers.get(id).cloned().unwrap_or_default()
    }
}

/// Whether the environment variable for config key `key` (dotted, lower case) holds text
/// rather than a number, flag or list: the top-level URLs and key, and every carrier
/// setting but the typed ones of [`CarrierConfig`].
fn read_as_written(key: &str) -> bool {
    const TEXT: &[&str] = &[
        "database_url",
        "redis_url",
        "bootstrap_api_key",
        "public_url",
    ];
    const TYPED_CARRIER_FIELDS: &[&str] = &[
        "enabled",
        "timeout_ms",
        "quota_per_second",
        "breaker_threshold",
        "breaker_cool_down_ms",
        "max_concurrent_calls",
    ];
    match key.split_once('.') {
        None => TEXT.contains(&key),
        Some(("http", "public_url")) => true,
        Some(("carriers", rest)) => rest.split_once('.').is_some_and(|(_, field)| {
            !field.contains('.') && !TYPED_CARRIER_FIELDS.contains(&field)
        }),
        Some(_) => false,
    }
}

fn default_acquire_timeout_ms() -> u64 {
    crate::store::DEFAULT_ACQUIRE_TIMEOUT.as_millis() as u64
}

/// Environment values are typed by figment (`123` becomes a number); credentials are text.
fn scalar_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Scalar {
        S(String),
        I(i64),
        F(f64),
        B(bool),
    }
    let raw = BTreeMap::<String, Scalar>::deserialize(d)?;
    Ok(raw
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                Scalar::S(s) => s,
                Scalar::I(i) => i.to_string(),
                Scalar::F(f) => f.to_string(),
                Scalar::B(b) => b.to_string(),
            };
            (k, v)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{CarrierConfig, read_as_written};

    // A typed field missing from `TYPED_CARRIER_FIELDS` is taken as text when it comes
    // from the environment, and start-up fails ("expected u32") only there. The literal
    // names every field, so a new one does not compile until it is added here, and then
    // its type is checked against the list.
    #[test]
    fn every_carrier_field_is_read_from_the_environment_as_its_type() {
        let every_field = CarrierConfig {
            adapter: Some("delhivery".into()),
            enabled: Some(true),
            base_url: Some("http://127.0.0.1:1".into()),
            timeout_ms: Some(1),
            quota_per_second: Some(1.5),
            max_concurrent_calls: Some(1),
            breaker_threshold: Some(1),
            breaker_cool_down_ms: Some(1),
            share_with: Some("*".into()),
            settings: BTreeMap::new(),
        };
        let serde_json::Value::Object(fields) = serde_json::to_value(&every_field).unwrap() else {
            panic!("a carrier section serializes as an object");
        };
        assert_eq!(fields.len(), 9, "{fields:?}");
        for (name, value) in fields {
            let key = format!("carriers.delhivery.{name}");
            assert_eq!(
                read_as_written(&key),
                value.is_string(),
                "{key} holds {value}: list it in TYPED_CARRIER_FIELDS exactly when it is not text"
            );
        }
    }

    #[test]
    fn credentials_and_urls_are_text_numbers_stay_numbers() {
        for text in [
            "bootstrap_api_key",
            "redis_url",
            "carriers.delhivery.api_token",
            "carriers.shiprocket.password",
            "carriers.delhivery.webhook_allowed_ips",
        ] {
            assert!(read_as_written(text), "{text}");
        }
        for typed in [
            "listen",
            "body_limit_bytes",
            "carriers.delhivery.timeout_ms",
            "carriers.delhivery.enabled",
            "idempotency.ttl_secs",
        ] {
            assert!(!read_as_written(typed), "{typed}");
        }
    }
}
