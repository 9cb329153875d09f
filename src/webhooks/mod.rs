//! Inbound carrier webhooks: tracking pushes at `POST /v1/carriers/<carrier>/webhooks`.
//! (Webhooks shipgate *sends* to the OMS are `crate::oms_webhooks`.)
//!
//! Durability first. A push is authenticated ([`auth`]), read, and stored in the
//! `carrier_inbox` table together with the events it adds ([`intake`]: group-committed,
//! one transaction per batch), and only then answered; so an answered push survives a
//! crash and is processed already. When processing a batch fails, its pushes are stored
//! raw and processed afterwards in the background ([`processor`]), which also retries
//! pushes for AWBs no shipment has yet. [`plan`] is what both share: what a push does.
//! The inbox is unique on (carrier, body hash), so a carrier redelivering a push it
//! thinks failed adds nothing.
//!
//! Carrier pushes are not tenant requests: the route sits outside API-key
//! authentication and tenant rate limits. A push to the carrier-wide URL is matched to
//! its shipment by (carrier, AWB) among shipments booked with platform accounts; a push
//! to a tenant account's own URL (`/v1/carriers/<carrier>/webhooks/<push token>`,
//! authenticated with that account's push secret) only among that account's shipments.

pub mod auth;
pub mod intake;
pub mod plan;
pub mod processor;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::config::{Config, Mode};
use crate::registry::Registry;
use crate::shutdown::CancellationToken;
use crate::store::Store;
use auth::PushAuth;
use intake::{Intake, IntakeWriter};

/// The setting naming another path segment for a carrier's push URL: Shiprocket asks for
/// webhook URLs without "shiprocket" (or "kartrocket", "sr", "kr") in them.
pub const ALIAS: &str = "webhook_alias";

/// Request headers kept with a push and handed to the carrier's parser: what describes
/// the body. Everything else (credentials above all) is left out of the inbox.
pub const KEPT_HEADERS: &[&str] = &["content-type", "content-encoding", "user-agent"];

/// Everything the push route and its background tasks share.
pub struct Webhooks {
    auth: BTreeMap<&'static str, PushAuth>,
    aliases: BTreeMap<String, &'static str>,
    intake: Intake,
    /// Taken when the application starts serving.
    tasks: Mutex<Option<IntakeWriter>>,
    /// Set while raw pushes wait in the table for the processor.
    backlog: Arc<AtomicBool>,
    wake: Arc<Notify>,
}

impl Webhooks {
    /// Reads each pushing carrier's webhook settings. Start-up fails on an unreadable
    /// setting (naming its variable); in live mode, a carrier whose pushes would be
    /// refused for lack of authentication is named in the log.
    pub fn new(config: &Config, registry: &Registry) -> Result<Webhooks, String> {
        let mut auth = BTreeMap::new();
        let mut aliases = BTreeMap::new();
        for spec in carriers::registry() {
            let Some(carrier) = registry.platform_carrier(spec.id) else {
                continue;
            };
            if !carrier.capabilities.webhooks {
                continue;
            }
            let section = config.carrier(spec.id);
            let push_auth = PushAuth::from_config(
                spec.id,
                &section,
                config.mode,
                spec.webhook_token_header,
                spec.webhook_signature_header,
            )?;
            match (config.mode, push_auth.is_configured()) {
                (Mode::Live, false) => tracing::warn!(
                    carrier = spec.id,
                    "tracking pushes for {} will be refused (401): no webhook authentication is configured; set {}",
                    spec.id,
                    push_auth.setting_names()
                ),
                (Mode::Sandbox, false) => tracing::debug!(
                    carrier = spec.id,
                    "sandbox: accepting unauthenticated tracking pushes"
                ),
                (_, true) => {
                    tracing::info!(carrier = spec.id, "tracking pushes authenticated")
                }
            }
            auth.insert(spec.id, push_auth);
            let alias = section.settings.get(ALIAS).map(|a| a.trim());
            if let Some(alias) = alias.filter(|a| !a.is_empty()) {
                let valid = alias
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
                if !valid || registry.knows_platform(alias) || aliases.contains_key(alias) {
                    return Err(format!(
                        "SHIPGATE_CARRIERS__{}__WEBHOOK_ALIAS must be lower-case letters, digits, \
                         `-` or `_`, and name no other carrier or alias (got `{alias}`)",
                        spec.id.to_ascii_uppercase()
                    ));
                }
                aliases.insert(alias.to_string(), spec.id);
            }
        }
        let (intake, writer) = intake::channel();
        Ok(Webhooks {
            auth,
            aliases,
            intake,
            tasks: Mutex::new(Some(writer)),
            // A process starting may find pushes its predecessor left.
            backlog: Arc::new(AtomicBool::new(true)),
            wake: Arc::new(Notify::new()),
        })
    }

    /// The carrier a push URL's path segment names (its id or alias), if it takes pushes.
    pub fn resolve(&self, segment: &str) -> Option<&'static str> {
        self.auth
            .get_key_value(segment)
            .map(|(id, _)| *id)
            .or_else(|| self.aliases.get(segment).copied())
    }

    pub fn auth(&self, carrier: &str) -> Option<&PushAuth> {
        self.auth.get(carrier)
    }

    pub fn intake(&self) -> &Intake {
        &self.intake
    }

    /// Starts the inbox writer and the processor. The processor stops at `stop`, after the
    /// batch in hand; the writer once `requests_done` (no push can arrive any more).
    /// Called once, when the application starts serving.
    pub fn start(
        &self,
        store: Store,
        registry: Arc<Registry>,
        stop: CancellationToken,
        requests_done: CancellationToken,
    ) -> Vec<JoinHandle<()>> {
        let taken = self
            .tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let Some(writer) = taken else {
            return Vec::new();
        };
        // From start-up, so an alert on its increase has a series to compare with.
        metrics::counter!("shipgate_webhook_pushes_given_up_total").increment(0);
        // Per carrier too, for the dashboard's panel: otherwise the series appears only
        // the first time processing at intake fails.
        let carriers: std::collections::BTreeSet<&str> =
            registry.platform().map(|c| c.id).collect();
        for carrier in carriers {
            metrics::counter!("shipgate_webhook_pushes_stored_raw_total", "carrier" => carrier)
                .increment(0);
        }
        vec![
            tokio::spawn(writer.run(
                store.clone(),
                self.backlog.clone(),
                self.wake.clone(),
                requests_done,
            )),
            tokio::spawn(processor::run_forever(
                processor::Processor { store, registry },
                self.backlog.clone(),
                self.wake.clone(),
                stop,
            )),
        ]
    }
}
