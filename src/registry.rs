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

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use carriers::{Capabilities, Carrier, CarrierId, CarrierSpec, Simulator};
use url::Url;

use crate::breaker::Breaker;
use crate::config::{Config, Mode};
use crate::executor::{Account, BREAKER_COOL_DOWN, BREAKER_THRESHOLD, CarrierTransport, Executor};
use crate::ratelimit::OutboundQuota;

pub struct RegisteredCarrier {
    /// The carrier (adapter) id: `delhivery`, …
    pub id: CarrierId,
    /// The account id: the configuration section's key (the carrier id for a carrier's
    /// default account).
    pub account: &'static str,
    pub name: &'static str,
    pub adapter: Box<dyn Carrier>,
    pub transport: CarrierTransport,
    pub capabilities: Capabilities,
}

#[derive(Default)]
pub struct Registry {
    /// By account id.
    accounts: BTreeMap<&'static str, Arc<RegisteredCarrier>>,
    simulators: BTreeMap<&'static str, Arc<dyn Simulator>>,
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
fn accounts(config: &Config, specs: &[CarrierSpec]) -> Result<Vec<(String, usize)>, String> {
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
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(format!(
                "carrier account `{key}`: account ids are lower-case letters, digits and `_` \
                 (they appear in environment variable names and API responses)"
            ));
        }
        accounts.push((key.clone(), spec));
    }
    Ok(accounts)
}

impl Registry {
    /// `public_url` is where this process serves `/sandbox/…` (sandbox mode only).
    pub fn build(
        config: &Config,
        public_url: &str,
        executor: &Executor,
    ) -> Result<Registry, String> {
        let specs = carriers::registry();
        let mut registry = Registry::default();
        for (account, spec_index) in accounts(config, &specs)? {
            let spec = &specs[spec_index];
            let section = config.carrier(&account);
            if section.enabled == Some(false) {
                tracing::info!(account = %account, "carrier account disabled by configuration");
                continue;
            }
            // Account ids live as long as the process, like the carrier ids.
            let account: &'static str = match specs.iter().find(|s| s.id == account) {
                Some(s) => s.id,
                None => Box::leak(account.into_boxed_str()),
            };
            let (base_url, settings) = match config.mode {
                Mode::Sandbox => {
                    registry
                        .simulators
                        .entry(spec.id)
                        .or_insert_with(|| Arc::from((spec.simulator)()));
                    let mut settings = (spec.sandbox_settings)();
                    settings.extend(section.settings.clone());
                    let base = section.base_url.clone().unwrap_or_else(|| {
                        format!("{}/sandbox/{}", public_url.trim_end_matches('/'), spec.id)
                    });
                    (base, settings)
                }
                Mode::Live => {
                    let base = section
                        .base_url
                        .clone()
                        .unwrap_or_else(|| spec.live_base_url.to_string());
                    for key in spec.required_settings {
                        if section
                            .settings
                            .get(*key)
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
            let adapter =
                (spec.build)(&settings).map_err(|e| format!("carrier account `{account}`: {e}"))?;
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
            let quota = quota_per_second
                .map(|q| OutboundQuota::new(account, q))
                .transpose()
                .map_err(|e| format!("{} ({e})", env_name(account, "quota_per_second")))?;
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
            tracing::info!(carrier = spec.id, account, base_url = %base_url, timeout_ms = timeout.as_millis() as u64, quota_per_second, "carrier account enabled");
            let capabilities = carriers::Capabilities::of(adapter.as_ref());
            let transport = executor.transport(
                Account {
                    carrier: spec.id,
                    id: account,
                },
                base_url,
                timeout,
                quota,
                Breaker::new(threshold, cool_down),
            );
            registry.accounts.insert(
                account,
                Arc::new(RegisteredCarrier {
                    id: spec.id,
                    account,
                    name: spec.name,
                    adapter,
                    transport,
                    capabilities,
                }),
            );
        }
        Ok(registry)
    }

    /// The account with this id (a carrier id names the carrier's default account).
    pub fn get(&self, account: &str) -> Option<&Arc<RegisteredCarrier>> {
        self.accounts.get(account)
    }

    /// An enabled account of carrier `id`, its default account first: for work that is
    /// the same for every account (reading a tracking push).
    pub fn carrier(&self, id: &str) -> Option<&Arc<RegisteredCarrier>> {
        self.accounts
            .get(id)
            .filter(|a| a.id == id)
            .or_else(|| self.accounts.values().find(|a| a.id == id))
    }

    /// Every enabled account, by account id.
    pub fn all(&self) -> impl Iterator<Item = &Arc<RegisteredCarrier>> {
        self.accounts.values()
    }

    /// Every enabled account id.
    pub fn ids(&self) -> Vec<&'static str> {
        self.accounts.keys().copied().collect()
    }

    /// The account `name` names for a booking: an account id, else a carrier id (its
    /// default account, or another of its accounts when that one is disabled).
    pub fn resolve(&self, name: &str) -> Option<&Arc<RegisteredCarrier>> {
        self.get(name).or_else(|| self.carrier(name))
    }

    /// Whether `name` is an enabled account id or the id of a carrier with an enabled
    /// account.
    pub fn knows(&self, name: &str) -> bool {
        self.resolve(name).is_some()
    }

    pub fn simulator(&self, id: &str) -> Option<&Arc<dyn Simulator>> {
        self.simulators.get(id)
    }
}
