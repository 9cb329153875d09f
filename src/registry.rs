//! The enabled carriers of this gateway process, built once at start-up from the carrier
//! crate's registry and the configuration.
//!
//! Start-up is where configuration mistakes must surface: an unknown carrier section, a
//! missing credential in live mode (named by its exact environment variable) or a broken
//! mapping file stops the process instead of failing the first shipment at 3 a.m.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use carriers::{Capabilities, Carrier, CarrierId, Simulator};
use url::Url;

use crate::config::{Config, Mode};
use crate::executor::{CarrierTransport, Executor};
use crate::ratelimit::OutboundQuota;

pub struct RegisteredCarrier {
    pub id: CarrierId,
    pub name: &'static str,
    pub adapter: Box<dyn Carrier>,
    pub transport: CarrierTransport,
    pub capabilities: Capabilities,
}

#[derive(Default)]
pub struct Registry {
    carriers: BTreeMap<&'static str, Arc<RegisteredCarrier>>,
    simulators: BTreeMap<&'static str, Arc<dyn Simulator>>,
}

fn env_name(carrier: &str, key: &str) -> String {
    format!(
        "SHIPGATE_CARRIERS__{}__{}",
        carrier.to_ascii_uppercase(),
        key.to_ascii_uppercase()
    )
}

impl Registry {
    /// `public_url` is where this process serves `/sandbox/…` (sandbox mode only).
    pub fn build(
        config: &Config,
        public_url: &str,
        executor: &Executor,
    ) -> Result<Registry, String> {
        let specs = carriers::registry();
        for name in config.carriers.keys() {
            if !specs.iter().any(|s| s.id == name) {
                let known: Vec<_> = specs.iter().map(|s| s.id).collect();
                return Err(format!(
                    "unknown carrier `{name}` in configuration; known carriers: {}",
                    known.join(", ")
                ));
            }
        }
        let mut registry = Registry::default();
        for spec in specs {
            let section = config.carrier(spec.id);
            if section.enabled == Some(false) {
                tracing::info!(carrier = spec.id, "carrier disabled by configuration");
                continue;
            }
            let (base_url, settings) = match config.mode {
                Mode::Sandbox => {
                    let simulator: Arc<dyn Simulator> = Arc::from((spec.simulator)());
                    registry.simulators.insert(spec.id, simulator);
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
                                "carrier `{}` is enabled in live mode but {} is not set (or disable it with {}=false)",
                                spec.id,
                                env_name(spec.id, key),
                                env_name(spec.id, "enabled"),
                            ));
                        }
                    }
                    (base, section.settings.clone())
                }
            };
            let base_url = Url::parse(&base_url).map_err(|e| {
                format!(
                    "{} is not a URL ({e}): `{base_url}`",
                    env_name(spec.id, "base_url")
                )
            })?;
            if !matches!(base_url.scheme(), "http" | "https") {
                return Err(format!("{} must be http(s)", env_name(spec.id, "base_url")));
            }
            let adapter =
                (spec.build)(&settings).map_err(|e| format!("carrier `{}`: {e}", spec.id))?;
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
                .map(|q| OutboundQuota::new(spec.id, q))
                .transpose()
                .map_err(|e| format!("{} ({e})", env_name(spec.id, "quota_per_second")))?;
            tracing::info!(carrier = spec.id, base_url = %base_url, timeout_ms = timeout.as_millis() as u64, quota_per_second, "carrier enabled");
            let capabilities = adapter.capabilities();
            registry.carriers.insert(
                spec.id,
                Arc::new(RegisteredCarrier {
                    id: spec.id,
                    name: spec.name,
                    adapter,
                    transport: executor.transport(spec.id, base_url, timeout, quota),
                    capabilities,
                }),
            );
        }
        Ok(registry)
    }

    pub fn get(&self, id: &str) -> Option<&Arc<RegisteredCarrier>> {
        self.carriers.get(id)
    }

    pub fn all(&self) -> impl Iterator<Item = &Arc<RegisteredCarrier>> {
        self.carriers.values()
    }

    pub fn ids(&self) -> Vec<&'static str> {
        self.carriers.keys().copied().collect()
    }

    pub fn simulator(&self, id: &str) -> Option<&Arc<dyn Simulator>> {
        self.simulators.get(id)
    }
}
