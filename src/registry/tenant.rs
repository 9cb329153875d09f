//! Tenants' own carrier accounts (issue 16), built from the database.
//!
//! Every process keeps the accounts it last built and the generation of the table they
//! came from (`carrier_account_changes`, moved in the transaction of every change). It
//! compares that generation every `carrier_accounts.refresh_ms`, and after its own
//! changes at once, and rebuilds on a difference — only the accounts whose row changed,
//! so an untouched account keeps its circuit breaker, quota and login session. The whole
//! set is then replaced at once: a call that began on the old account finishes on it.
//!
//! An account that cannot be built (its credentials do not open under this process's
//! master keys, say) fails closed: it is left out, logged, and `GET
//! /v1/carrier-accounts` shows why, while every other account keeps working.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, PoisonError};
use std::time::Duration;

use carriers::CarrierSpec;
use serde::{Deserialize, Serialize};
use url::Url;
use zeroize::Zeroizing;

use super::view::Broken;
use super::{Accounts, Owner, Parts, RegisteredCarrier, Registry, Share, intern};
use crate::breaker::Breaker;
use crate::config::Mode;
use crate::executor::{BREAKER_COOL_DOWN, BREAKER_THRESHOLD, MAX_IN_FLIGHT};
use crate::sealed::Keyring;
use crate::service::carrier_accounts::{open_credentials, open_push_secret};
use crate::shutdown::{CancellationToken, Ticks};
use crate::store::{AccountRow, Store};

/// A tenant account's options that are the gateway's, not the carrier's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantAccountOptions {
    /// Requests per second shipgate may send the carrier on this account (the limit of
    /// the tenant's contract); the carrier's published limit when unset (live mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0.01, maximum = 1000)]
    pub quota_per_second: Option<f64>,
    /// The carrier's service codes this account may quote and book; all when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<String>>,
    /// Days after delivery within which the carrier pays out COD collected on this account
    /// (the contract's remittance cycle); a delivered COD shipment not remitted by then is
    /// overdue. The gateway's cycle for the carrier when unset (`SHIPGATE_COD__…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0, maximum = 90)]
    pub cod_remittance_days: Option<u32>,
}

/// What one tenant account is built from.
pub struct Candidate<'a> {
    pub spec: &'a CarrierSpec,
    pub tenant_id: &'a str,
    pub account: &'a str,
    /// The carrier's settings, credentials included; wiped once the adapter is built.
    pub settings: carriers::Settings,
    pub options: &'a TenantAccountOptions,
    pub enabled: bool,
    pub updated_at: i64,
    pub push_token: String,
    pub push_secret: Zeroizing<String>,
}

/// The tenant accounts of one generation, and each tenant's view of all accounts.
#[derive(Default)]
pub(super) struct Loaded {
    /// `None` until the table was first read.
    generation: Option<i64>,
    pub(super) accounts: HashMap<&'static str, Arc<RegisteredCarrier>>,
    pub(super) push_tokens: HashMap<String, &'static str>,
    /// Accounts that cannot be built: when their row last changed, and why. Not built
    /// (nor logged) again until the row changes.
    pub(super) problems: HashMap<&'static str, (i64, String)>,
    /// Views of tenants that differ from `default_view` (own accounts, or platform
    /// accounts shared with them by name).
    views: HashMap<String, Arc<Accounts>>,
    default_view: Arc<Accounts>,
    /// Whether a tenant name that platform accounts are shared with named no tenant yet
    /// (it may be created later; looked up again at every refresh).
    unresolved: bool,
}

impl Loaded {
    /// Before the first load: the platform accounts shared with everybody.
    pub(super) fn platform_only(registry: &Registry) -> Loaded {
        Loaded {
            default_view: Arc::new(Accounts::new(
                &[],
                Vec::new(),
                registry.shared_with(&BTreeSet::new()),
            )),
            unresolved: true,
            ..Loaded::default()
        }
    }

    pub(super) fn view(&self, tenant_id: &str) -> Arc<Accounts> {
        self.views
            .get(tenant_id)
            .unwrap_or(&self.default_view)
            .clone()
    }
}

impl Registry {
    /// The platform accounts shared with `tenant_id`: those shared with every tenant, and
    /// those whose `share_with` names one of `names` (the tenant's name, when it is named).
    fn shared_with<'a>(
        &'a self,
        named: &'a BTreeSet<&'static str>,
    ) -> impl Iterator<Item = Arc<RegisteredCarrier>> + 'a {
        self.accounts
            .values()
            .filter(move |a| match &self.shares[a.account] {
                Share::All => true,
                Share::Named(_) => named.contains(a.account),
            })
            .cloned()
    }

    /// Builds one tenant account: a stored one, or a candidate checked before it is saved.
    pub fn build_tenant_account(
        &self,
        candidate: Candidate<'_>,
    ) -> Result<RegisteredCarrier, String> {
        let Candidate {
            spec,
            tenant_id,
            account,
            settings,
            options,
            enabled,
            updated_at,
            push_token,
            push_secret,
        } = candidate;
        let builder = &self.builder;
        let base_url = match builder.mode {
            Mode::Sandbox => builder.sandbox_url(spec.id),
            Mode::Live => spec.live_base_url.to_string(),
        };
        let base_url = Url::parse(&base_url).map_err(|e| format!("{base_url}: {e}"))?;
        let quota_per_second = match builder.mode {
            Mode::Live => Some(
                options
                    .quota_per_second
                    .unwrap_or(spec.default_quota_per_second),
            ),
            Mode::Sandbox => options.quota_per_second,
        };
        builder.assemble(Parts {
            spec,
            account: intern(account),
            base_url,
            settings,
            timeout: Duration::from_millis(spec.default_timeout_ms),
            quota_per_second,
            in_flight: MAX_IN_FLIGHT,
            breaker: Breaker::new(BREAKER_THRESHOLD, BREAKER_COOL_DOWN),
            owner: Some(Owner {
                tenant_id: tenant_id.to_string(),
                enabled,
                updated_at,
                push_token,
                push_digest: carriers::push_auth::sha256(push_secret.as_bytes()),
                push_header: spec.webhook_token_header,
                services: options.services.clone(),
                cod_remittance_days: options.cod_remittance_days,
            }),
        })
    }

    /// Rebuilds the tenant accounts if the table changed since they were last built;
    /// whether anything changed. `keys` opens their credentials (`None` in live mode
    /// without a master key: every stored account is then unusable, and says so).
    pub async fn refresh(&self, store: &Store, keys: Option<&Keyring>) -> anyhow::Result<bool> {
        let _one_at_a_time = self.reloading.lock().await;
        let generation = store.carrier_account_generation().await?;
        let current = self.loaded();
        if current.generation == Some(generation) && !current.unresolved {
            return Ok(false);
        }
        let rows = store.all_carrier_accounts().await?;
        let mut names: Vec<String> = self
            .shares
            .values()
            .filter_map(|s| match s {
                Share::Named(names) => Some(names.clone()),
                Share::All => None,
            })
            .flatten()
            .collect();
        names.sort();
        names.dedup();
        let resolved = store.tenant_ids_named(&names).await?;
        let unresolved = resolved.len() < names.len();

        let specs = carriers::registry();
        let mut accounts = HashMap::new();
        let mut push_tokens = HashMap::new();
        let mut problems = HashMap::new();
        let mut broken: HashMap<&str, Vec<Broken>> = HashMap::new();
        let mut rebuilt = 0;
        for row in &rows {
            let unchanged = current.accounts.get(row.id.as_str()).filter(|a| {
                a.owner
                    .as_ref()
                    .is_some_and(|o| o.updated_at == row.updated_at)
            });
            let failed = current
                .problems
                .get(row.id.as_str())
                .filter(|(at, _)| *at == row.updated_at);
            let account = match (unchanged, failed) {
                (Some(same), _) => Ok(same.clone()),
                (None, Some((_, reason))) => Err(reason.clone()),
                (None, None) => {
                    rebuilt += 1;
                    let built = self.build_stored(&specs, row, keys).map(Arc::new);
                    if let Err(reason) = &built {
                        tracing::error!(tenant_id = %row.tenant_id, account = %row.id, carrier = %row.carrier, %reason, "tenant carrier account cannot be used");
                    }
                    built
                }
            };
            match account {
                Ok(account) => {
                    push_tokens.insert(row.push_token.clone(), account.account);
                    accounts.insert(account.account, account);
                }
                Err(reason) => {
                    if row.enabled {
                        broken
                            .entry(row.tenant_id.as_str())
                            .or_default()
                            .push(Broken {
                                carrier: row.carrier.clone(),
                                account: row.id.clone(),
                                reason: reason.clone(),
                            });
                    }
                    problems.insert(intern(&row.id), (row.updated_at, reason));
                }
            }
        }

        // Each tenant's view: its own accounts, and what is shared with it by name.
        let mut own: HashMap<&str, Vec<Arc<RegisteredCarrier>>> = HashMap::new();
        for account in accounts.values() {
            if let Some(tenant) = account.tenant() {
                own.entry(tenant).or_default().push(account.clone());
            }
        }
        // Platform accounts shared by name, per tenant id.
        let mut named: HashMap<&str, BTreeSet<&'static str>> = HashMap::new();
        for (account, share) in &self.shares {
            if let Share::Named(list) = share {
                for (_, id) in resolved.iter().filter(|(name, _)| list.contains(name)) {
                    named.entry(id.as_str()).or_default().insert(account);
                }
            }
        }
        let tenants: BTreeSet<&str> = own
            .keys()
            .chain(named.keys())
            .chain(broken.keys())
            .copied()
            .collect();
        let none = BTreeSet::new();
        let mut views = HashMap::new();
        for tenant in tenants {
            let view = Accounts::new(
                own.get(tenant).map_or(&[][..], Vec::as_slice),
                broken.remove(tenant).unwrap_or_default(),
                self.shared_with(named.get(tenant).unwrap_or(&none)),
            );
            views.insert(tenant.to_string(), Arc::new(view));
        }
        let loaded = Loaded {
            generation: Some(generation),
            accounts,
            push_tokens,
            problems,
            views,
            default_view: current.default_view.clone(),
            unresolved,
        };
        let changed = rebuilt > 0
            || loaded.accounts.len() != current.accounts.len()
            || loaded.problems.len() != current.problems.len()
            || current.generation.is_none();
        let count = loaded.accounts.len();
        *self.tenants.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(loaded);
        if changed {
            self.changed.send_modify(|n| *n += 1);
            tracing::info!(
                generation,
                accounts = count,
                rebuilt,
                "tenant carrier accounts loaded"
            );
        }
        Ok(true)
    }

    fn build_stored(
        &self,
        specs: &[CarrierSpec],
        row: &AccountRow,
        keys: Option<&Keyring>,
    ) -> Result<RegisteredCarrier, String> {
        let spec = specs
            .iter()
            .find(|s| s.id == row.carrier)
            .ok_or_else(|| format!("carrier `{}` is not known to this gateway", row.carrier))?;
        let keys = keys.ok_or(
            "no master key is configured (SHIPGATE_MASTER_KEY), so its credentials cannot be opened",
        )?;
        let credentials = open_credentials(keys, row).map_err(|e| e.to_string())?;
        let push_secret = open_push_secret(keys, row).map_err(|e| e.to_string())?;
        let mut settings: carriers::Settings = serde_json::from_str(&row.settings_json)
            .map_err(|e| format!("its stored settings are unreadable: {e}"))?;
        for (field, value) in credentials {
            settings.insert(field, value.as_str().to_string());
        }
        let options: TenantAccountOptions = serde_json::from_str(&row.options_json)
            .map_err(|e| format!("its stored options are unreadable: {e}"))?;
        self.build_tenant_account(Candidate {
            spec,
            tenant_id: &row.tenant_id,
            account: &row.id,
            settings,
            options: &options,
            enabled: row.enabled,
            updated_at: row.updated_at,
            push_token: row.push_token.clone(),
            push_secret,
        })
    }
}

/// Refreshes the tenant accounts every `every` until `stop`: how a change made through
/// another process reaches this one.
pub async fn refresh_forever(
    registry: Arc<Registry>,
    store: Store,
    keys: Option<Arc<Keyring>>,
    every: Duration,
    stop: CancellationToken,
) {
    let mut ticks = Ticks::new(every, stop);
    while ticks.next().await {
        if let Err(e) = registry.refresh(&store, keys.as_deref()).await {
            tracing::warn!(error = %e, "cannot check tenants' carrier accounts for changes; trying again");
        }
    }
}
