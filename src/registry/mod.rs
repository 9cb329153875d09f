//! The enabled carriers of this gateway process, built once at start-up from the carrier
//! crate's registry and the configuration.
//!
//! Start-up is where configuration mistakes must surface: an unknown carrier section, a
//! missing credential in live mode (named by its exact environment variable) or a broken
//! mapping file stops the process instead of failing the first shipment at 3 a.m.
//!
//! The unit is the carrier *account*: `[carriers.<account>]` with `adapter = "<carrier>"`
//! (the key itself when unset), so one gateway can hold, say, a Delhivery express account
//! and a Delhivery surface account with their own credentials, timeouts, quotas and
//! circuit breakers. Each carrier's default account is its own id, which is why every
//! configuration written before accounts existed means what it meant.
//!
//! Those are *platform* accounts, shared with every tenant or with the tenants their
//! `share_with` names. Tenants also bring their own ([`tenant`]): built from the database,
//! reloaded whenever it changes, and looked up through a tenant's [`Accounts`], which puts
//! a tenant's own account of a carrier before a shared one. A call holds its account's
//! `Arc` from start to end, so a rotation or a removal never changes the credentials
//! of a call already under way.

mod tenant;
mod view;

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use carriers::{Capabilities, Carrier, CarrierId, CarrierSpec, Simulator};
use url::Url;

use crate::breaker::Breaker;
use crate::config::{Config, Mode};
use crate::executor::{
    Account, BREAKER_COOL_DOWN, BREAKER_THRESHOLD, CarrierTransport, Executor, MAX_IN_FLIGHT,
};
use crate::ratelimit::OutboundQuota;

pub use tenant::{Candidate, TenantAccountOptions, refresh_forever};
pub use view::Accounts;

/// How every tenant account id starts (and no platform account id may): a push to the
/// carrier-wide URL can then be kept away from tenants' shipments by their account id.
pub const TENANT_ACCOUNT_PREFIX: &str = "ca_";

pub struct RegisteredCarrier {
    /// The carrier (adapter) id: `delhivery`, …
    pub id: CarrierId,
    /// The account id: the configuration section's key (the carrier id for a carrier's
    /// default account), or a tenant account's `ca_…` id.
    pub account: &'static str,
    pub name: &'static str,
    pub adapter: Box<dyn Carrier>,
    pub transport: CarrierTransport,
    pub capabilities: Capabilities,
    /// The countries the carrier books domestic parcels within ([`carriers::CarrierSpec::domestic`]).
    pub domestic: &'static [&'static str],
    /// The tenant that brought the account; `None` for a platform account.
    pub owner: Option<Owner>,
}

/// What a tenant's own account has besides its adapter.
pub struct Owner {
    pub tenant_id: String,
    /// A disabled account books nothing new; its shipments are still tracked.
    pub enabled: bool,
    /// When the stored account last changed (its rebuild key).
    pub updated_at: i64,
    /// The path segment of the account's own push URL.
    pub push_token: String,
    /// The SHA-256 of its push secret (the secret itself is not kept in memory).
    pub push_digest: [u8; 32],
    /// The header the carrier sends the push secret in.
    pub push_header: &'static str,
    /// The services it may quote and book; `None` for all.
    pub services: Option<Vec<String>>,
    /// Its COD remittance cycle in days, where the tenant set one.
    pub cod_remittance_days: Option<u32>,
}

impl RegisteredCarrier {
    /// Whether the account may quote and book `service` (every account may quote all
    /// unless its tenant limited it).
    pub fn offers(&self, service: &str) -> bool {
        self.owner
            .as_ref()
            .and_then(|o| o.services.as_ref())
            .is_none_or(|s| s.iter().any(|x| x == service))
    }

    pub fn tenant(&self) -> Option<&str> {
        self.owner.as_ref().map(|o| o.tenant_id.as_str())
    }

    /// Whether the carrier collects parcels in `country`: within the countries it books,
    /// or anywhere it ships from across borders.
    pub fn collects_in(&self, country: &str) -> bool {
        self.domestic.contains(&country) || self.capabilities.international
    }

    /// Why the carrier cannot carry a parcel from `from` to `to` (ISO country codes), by
    /// what it declares: a domestic parcel outside the countries it books within, or a
    /// cross-border one from a carrier that ships within borders only. `None` when it may.
    /// What it declares is all this knows: a lane it may serve can still be refused by
    /// the carrier itself.
    pub fn lane_refusal(&self, from: &str, to: &str) -> Option<String> {
        if from != to {
            return (!self.capabilities.international).then(|| match self.domestic {
                [] => format!("{} does not ship across borders", self.name),
                countries => format!(
                    "{} ships only within {} (no cross-border shipping)",
                    self.name,
                    countries.join(", ")
                ),
            });
        }
        (!self.domestic.contains(&from)).then(|| match self.domestic {
            [] => format!(
                "{} books no domestic parcels (cross-border only)",
                self.name
            ),
            countries => format!(
                "{} books domestic parcels only within {}",
                self.name,
                countries.join(", ")
            ),
        })
    }
}

/// Which tenants a platform account serves (`share_with`: `*`, the default, or tenant
/// names separated by commas).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Share {
    All,
    Named(Vec<String>),
}

impl Share {
    fn parse(text: Option<&str>) -> Result<Share, String> {
        let text = text.map(str::trim).unwrap_or("*");
        if text == "*" {
            return Ok(Share::All);
        }
        let names: Vec<String> = text
            .split(',')
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        if names.iter().any(|n| n == "*") {
            return Err("`*` shares with every tenant and cannot be listed with names".into());
        }
        Ok(Share::Named(names))
    }
}

/// What tenant accounts are built with.
struct Builder {
    executor: Executor,
    mode: Mode,
    public_url: String,
}

pub struct Registry {
    /// Platform accounts (the configuration's), by account id.
    accounts: BTreeMap<&'static str, Arc<RegisteredCarrier>>,
    shares: BTreeMap<&'static str, Share>,
    simulators: BTreeMap<&'static str, Arc<dyn Simulator>>,
    builder: Builder,
    /// Tenants' accounts as last loaded; replaced whole on every change.
    tenants: RwLock<Arc<tenant::Loaded>>,
    /// Serialises reloads, so two cannot build the same account twice.
    reloading: tokio::sync::Mutex<()>,
    /// Counts reloads that changed something, for whoever keeps per-account work going
    /// (the poller).
    changed: tokio::sync::watch::Sender<u64>,
}

/// Account ids for as long as the process lives (they label metrics and logs): each id
/// is leaked once, however often its account is rebuilt.
fn intern(id: &str) -> &'static str {
    static IDS: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut ids = IDS.lock().unwrap_or_else(PoisonError::into_inner);
    let ids = ids.get_or_insert_with(HashSet::new);
    if let Some(known) = ids.get(id) {
        return known;
    }
    let leaked: &'static str = Box::leak(id.to_string().into_boxed_str());
    ids.insert(leaked);
    leaked
}

fn env_name(account: &str, key: &str) -> String {
    format!(
        "SHIPGATE_CARRIERS__{}__{}",
        account.to_ascii_uppercase(),
        key.to_ascii_uppercase()
    )
}

/// The accounts the configuration describes: every known carrier's default account (its
/// own id, configured or not), then each further section naming its carrier in `adapter`.
fn accounts_of(config: &Config, specs: &[CarrierSpec]) -> Result<Vec<(String, usize)>, String> {
    let spec_of = |id: &str| specs.iter().position(|s| s.id == id);
    let known = || specs.iter().map(|s| s.id).collect::<Vec<_>>().join(", ");
    let mut accounts: Vec<(String, usize)> = specs
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.to_string(), i))
        .collect();
    for (key, section) in &config.carriers {
        let adapter = section.adapter.as_deref().map(str::trim).unwrap_or(key);
        let Some(spec) = spec_of(adapter) else {
            return Err(match &section.adapter {
                None => format!(
                    "unknown carrier `{key}` in configuration; known carriers: {} (for another \
                     account of a carrier, set {})",
                    known(),
                    env_name(key, "adapter")
                ),
                Some(_) => format!(
                    "{} names unknown carrier `{adapter}`; known carriers: {}",
                    env_name(key, "adapter"),
                    known()
                ),
            });
        };
        if spec_of(key).is_some() {
            if adapter != key {
                return Err(format!(
                    "[carriers.{key}] is the default account of {key}; its adapter cannot be \
                     `{adapter}` (give the account another name)"
                ));
            }
            continue;
        }
        let valid = !key.is_empty()
            && !key.starts_with(TENANT_ACCOUNT_PREFIX)
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(format!(
                "carrier account `{key}`: account ids are lower-case letters, digits and `_` \
                 (they appear in environment variable names and API responses), and do not \
                 start with `{TENANT_ACCOUNT_PREFIX}` (tenants' own accounts do)"
            ));
        }
        accounts.push((key.clone(), spec));
    }
    Ok(accounts)
}

/// An account's parts, however it came to be (configuration or a tenant).
struct Parts<'a> {
    spec: &'a CarrierSpec,
    account: &'static str,
    base_url: Url,
    settings: carriers::Settings,
    timeout: Duration,
    quota_per_second: Option<f64>,
    in_flight: usize,
    breaker: Breaker,
    owner: Option<Owner>,
}

impl Builder {
    /// The adapter and transport of one account.
    fn assemble(&self, parts: Parts<'_>) -> Result<RegisteredCarrier, String> {
        let Parts {
            spec,
            account,
            base_url,
            mut settings,
            timeout,
            quota_per_second,
            in_flight,
            breaker,
            owner,
        } = parts;
        let adapter = (spec.build)(&settings);
        // The adapter keeps what it needs; no other copy of a credential stays behind.
        settings.values_mut().for_each(zeroize::Zeroize::zeroize);
        let adapter = adapter.map_err(|e| format!("carrier account `{account}`: {e}"))?;
        let quota = quota_per_second
            .map(|q| OutboundQuota::new(account, q))
            .transpose()?;
        let capabilities = carriers::Capabilities::of(adapter.as_ref());
        let transport = self.executor.transport(
            Account {
                carrier: spec.id,
                id: account,
            },
            base_url,
            timeout,
            quota,
            in_flight,
            breaker,
        );
        Ok(RegisteredCarrier {
            id: spec.id,
            account,
            name: spec.name,
            adapter,
            transport,
            capabilities,
            domestic: spec.domestic,
            owner,
        })
    }
}

impl Registry {
    /// `public_url` is where this process serves `/sandbox/…` (sandbox mode only).
    pub fn build(
        config: &Config,
        public_url: &str,
        executor: &Executor,
    ) -> Result<Registry, String> {
        let specs = carriers::registry();
        let builder = Builder {
            executor: executor.clone(),
            mode: config.mode,
            public_url: public_url.trim_end_matches('/').to_string(),
        };
        let mut accounts = BTreeMap::new();
        let mut shares = BTreeMap::new();
        let mut simulators: BTreeMap<&'static str, Arc<dyn Simulator>> = BTreeMap::new();
        if config.mode == Mode::Sandbox {
            // Every carrier's, so tenants can bring accounts of any carrier in sandbox mode.
            for spec in &specs {
                simulators.insert(spec.id, Arc::from((spec.simulator)()));
            }
        }
        for (account, spec_index) in accounts_of(config, &specs)? {
            let spec = &specs[spec_index];
            let section = config.carrier(&account);
            if section.enabled == Some(false) {
                tracing::info!(account = %account, "carrier account disabled by configuration");
                continue;
            }
            // Live mode runs the carriers an operator configured: a carrier nobody set
            // anything for is left out rather than refusing start-up (with eleven carriers,
            // disabling every unused one by hand would be the price of running one).
            if config.mode == Mode::Live && !config.carriers.contains_key(&account) {
                tracing::info!(account = %account, "carrier not configured: left out in live mode");
                continue;
            }
            let account = intern(&account);
            let share = Share::parse(section.share_with.as_deref())
                .map_err(|e| format!("{}: {e}", env_name(account, "share_with")))?;
            let (base_url, settings) = match config.mode {
                Mode::Sandbox => {
                    let mut settings = (spec.sandbox_settings)();
                    settings.extend(section.settings.clone());
                    let base = section
                        .base_url
                        .clone()
                        .unwrap_or_else(|| builder.sandbox_url(spec.id));
                    (base, settings)
                }
                Mode::Live => {
                    let base = section
                        .base_url
                        .clone()
                        .unwrap_or_else(|| spec.live_base_url.to_string());
                    for key in spec.required_settings() {
                        if section
                            .settings
                            .get(key)
                            .is_none_or(|v| v.trim().is_empty())
                        {
                            return Err(format!(
                                "carrier account `{account}` is enabled in live mode but {} is not set (or disable it with {}=false)",
                                env_name(account, key),
                                env_name(account, "enabled"),
                            ));
                        }
                    }
                    (base, section.settings.clone())
                }
            };
            let base_url = Url::parse(&base_url).map_err(|e| {
                format!(
                    "{} is not a URL ({e}): `{base_url}`",
                    env_name(account, "base_url")
                )
            })?;
            if !matches!(base_url.scheme(), "http" | "https") {
                return Err(format!("{} must be http(s)", env_name(account, "base_url")));
            }
            let timeout =
                Duration::from_millis(section.timeout_ms.unwrap_or(spec.default_timeout_ms));
            // The carrier's published limit protects the real carrier; the simulators need
            // no protection, so sandbox mode paces a carrier only when configured to.
            let quota_per_second = match config.mode {
                Mode::Live => Some(
                    section
                        .quota_per_second
                        .unwrap_or(spec.default_quota_per_second),
                ),
                Mode::Sandbox => section.quota_per_second,
            };
            let in_flight = match section.max_concurrent_calls {
                None => MAX_IN_FLIGHT,
                Some(0) => {
                    return Err(format!(
                        "{} must be at least 1",
                        env_name(account, "max_concurrent_calls")
                    ));
                }
                Some(n) => n as usize,
            };
            let threshold = section.breaker_threshold.unwrap_or(BREAKER_THRESHOLD);
            if threshold == 0 {
                return Err(format!(
                    "{} must be at least 1",
                    env_name(account, "breaker_threshold")
                ));
            }
            let cool_down = section
                .breaker_cool_down_ms
                .map(Duration::from_millis)
                .unwrap_or(BREAKER_COOL_DOWN);
            tracing::info!(carrier = spec.id, account, base_url = %base_url, timeout_ms = timeout.as_millis() as u64, quota_per_second, max_concurrent_calls = in_flight, shared_with = ?share, "carrier account enabled");
            let registered = builder
                .assemble(Parts {
                    spec,
                    account,
                    base_url,
                    settings,
                    timeout,
                    quota_per_second,
                    in_flight,
                    breaker: Breaker::new(threshold, cool_down),
                    owner: None,
                })
                .map_err(|e| match e.starts_with("quota_per_second") {
                    true => format!("{} ({e})", env_name(account, "quota_per_second")),
                    false => e,
                })?;
            accounts.insert(account, Arc::new(registered));
            shares.insert(account, share);
        }
        let mut registry = Registry {
            accounts,
            shares,
            simulators,
            builder,
            tenants: RwLock::default(),
            reloading: tokio::sync::Mutex::new(()),
            changed: tokio::sync::watch::Sender::new(0),
        };
        let loaded = tenant::Loaded::platform_only(&registry);
        registry.tenants = RwLock::new(Arc::new(loaded));
        Ok(registry)
    }

    /// The accounts `tenant_id` may use: its own, then the platform's shared with it.
    pub fn for_tenant(&self, tenant_id: &str) -> Arc<Accounts> {
        self.loaded().view(tenant_id)
    }

    /// The account with this id, platform or tenant, enabled or not: for work on
    /// shipments it already booked. A tenant account answers only to its own tenant.
    pub fn booked_with(&self, tenant_id: &str, account: &str) -> Option<Arc<RegisteredCarrier>> {
        match self.accounts.get(account) {
            Some(platform) => Some(platform.clone()),
            None => self
                .loaded()
                .accounts
                .get(account)
                .filter(|a| a.tenant() == Some(tenant_id))
                .cloned(),
        }
    }

    /// The tenant account whose own push URL has this token.
    pub fn by_push_token(&self, token: &str) -> Option<Arc<RegisteredCarrier>> {
        let loaded = self.loaded();
        let id = loaded.push_tokens.get(token)?;
        loaded.accounts.get(id).cloned()
    }

    /// Why a tenant's stored account could not be built (its credentials do not open
    /// under this process's master keys, say), if it could not.
    pub fn problem(&self, account: &str) -> Option<String> {
        self.loaded()
            .problems
            .get(account)
            .map(|(_, why)| why.clone())
    }

    /// An account of carrier `id` — a platform one, its default account first, else a
    /// tenant's — for work that is the same for every account (reading a tracking push).
    pub fn carrier(&self, id: &str) -> Option<Arc<RegisteredCarrier>> {
        self.platform_carrier(id).cloned().or_else(|| {
            self.loaded()
                .accounts
                .values()
                .find(|a| a.id == id)
                .cloned()
        })
    }

    /// A platform account of carrier `id`, its default account first.
    pub fn platform_carrier(&self, id: &str) -> Option<&Arc<RegisteredCarrier>> {
        self.accounts
            .get(id)
            .filter(|a| a.id == id)
            .or_else(|| self.accounts.values().find(|a| a.id == id))
    }

    /// Whether `name` is a platform account id or the id of a carrier with an enabled
    /// platform account.
    pub fn knows_platform(&self, name: &str) -> bool {
        self.accounts.contains_key(name) || self.platform_carrier(name).is_some()
    }

    /// Every account, platform and tenant, enabled or not, by account id: what
    /// per-account work (polling, readiness) covers.
    pub fn every_account(&self) -> Vec<Arc<RegisteredCarrier>> {
        let loaded = self.loaded();
        let mut all: Vec<Arc<RegisteredCarrier>> = self.accounts.values().cloned().collect();
        all.extend(loaded.accounts.values().cloned());
        all.sort_by_key(|a| a.account);
        all
    }

    /// Every platform account, by account id.
    pub fn platform(&self) -> impl Iterator<Item = &Arc<RegisteredCarrier>> {
        self.accounts.values()
    }

    /// Told after every reload that changed the tenant accounts.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changed.subscribe()
    }

    pub fn simulator(&self, id: &str) -> Option<&Arc<dyn Simulator>> {
        self.simulators.get(id)
    }

    fn loaded(&self) -> Arc<tenant::Loaded> {
        self.tenants
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Builder {
    fn sandbox_url(&self, carrier: &str) -> String {
        format!("{}/sandbox/{carrier}", self.public_url)
    }
}
