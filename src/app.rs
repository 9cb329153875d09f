//! `Application::build`: everything a running gateway needs, wired once.
//!
//! Tests build the same application on port 0 (a free port) and talk to it over real
//! HTTP, so what they exercise is what operators run.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use metrics_exporter_prometheus::PrometheusHandle;
use tokio::time::Instant;

use crate::auth::{hash_key, key_prefix};
use crate::config::{Config, Mode, SANDBOX_DEMO_KEY};
use crate::executor::Executor;
use crate::idempotency::{Idempotency, IdempotencyStore, MemoryStore, RedisStore};
use crate::ratelimit::Limiter;
use crate::redis::Redis;
use crate::registry::Registry;
use crate::shutdown::{CancellationToken, ShutdownError, Workers};
use crate::store::{Role, Store};

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub registry: Arc<Registry>,
    pub metrics: PrometheusHandle,
    /// Where this process can be reached, for links it hands out.
    pub public_url: String,
    pub redis: Option<Redis>,
    pub idempotency: Arc<Idempotency>,
    pub limiter: Arc<Limiter>,
    pub api_keys: crate::auth::KeyCache,
    pub sandbox_faults: Arc<crate::api::sandbox::SandboxFaults>,
    pub webhooks: Arc<crate::webhooks::Webhooks>,
    /// Outbound webhooks to the OMS.
    pub oms_webhooks: Arc<crate::oms_webhooks::OmsWebhooks>,
    pub rate_cards: Arc<crate::service::rate_cards::RateCards>,
    pub selection: Arc<crate::selection::Selection>,
    /// The tenants' address policies in force (bookings read them; an upload replaces).
    pub address_policies: Arc<crate::service::address_quality::AddressPolicies>,
    pub rate_shop: Arc<crate::service::rates::RateShop>,
    /// Booking (direct and `auto`), reconciliation, cancelling, tracking and labels.
    pub shipments: Arc<crate::service::shipments::Shipments>,
    /// Bulk booking: batches taken at once, booked in the background.
    pub batches: Arc<crate::service::batches::Batches>,
    /// NDR actions: instructions to carriers after failed delivery attempts.
    pub ndr: Arc<crate::service::ndr::Ndr>,
    /// Carrier charge imports, weight discrepancies and disputes, invoice overcharges.
    pub weights: Arc<crate::service::weights::Weights>,
    /// Customer returns: reverse pickups booked through the carriers' `Returns` family.
    pub returns: Arc<crate::service::returns::Returns>,
    /// COD remittance files: reconciliation and the SFTP folders they are pulled from.
    pub cod: Arc<crate::service::cod_remittance::CodRemittances>,
    pub cod_sftp: Arc<crate::service::cod_sftp::CodSftp>,
    /// Creating requests run as tasks of their own so a client that hangs up cannot cut
    /// one short (see `idempotency::Layer::run`); shutdown waits for them here.
    pub creating: tokio_util::task::TaskTracker,
    /// The runtime the gateway was built on (multi-threaded in the binary): creating
    /// requests and background work run here, not on the HTTP workers' own runtimes.
    pub runtime: tokio::runtime::Handle,
    /// The OpenAPI document as served and its route table, made once.
    pub openapi: Arc<crate::api::Published>,
    /// The master keys that seal tenants' carrier credentials; `None` in live mode
    /// without `SHIPGATE_MASTER_KEY`, where no credential can be stored.
    pub sealing: Option<Arc<crate::sealed::Keyring>>,
    /// The buyer's tracking page: its form guard (signing secret, limits).
    pub tracking_page: Arc<crate::tracking_page::TrackingPage>,
    /// Storefront checkout rates: the cart cache.
    pub storefronts: Arc<crate::storefront::Storefronts>,
    /// Dry-run bookings and the parallel-run comparison.
    pub dry_runs: Arc<crate::service::dry_runs::DryRuns>,
}

impl AppState {
    /// The idempotency and rate-limit layer of creating routes.
    pub fn creating_layer(&self) -> crate::idempotency::Layer<'_> {
        crate::idempotency::Layer {
            idempotency: &self.idempotency,
            limiter: &self.limiter,
            tasks: &self.creating,
            runtime: &self.runtime,
        }
    }
}

pub struct Application {
    listener: TcpListener,
    port: u16,
    state: AppState,
    /// The demo key when this start created or confirmed one, to print.
    pub demo_key: Option<String>,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(config.listen).map_err(|e| {
            anyhow::anyhow!(
                "cannot listen on {} ({e}); set SHIPGATE_LISTEN to another address:port",
                config.listen
            )
        })?;
        let addr = listener.local_addr()?;
        let public_url = config.public_url.clone().unwrap_or_else(|| {
            let host = if addr.ip().is_unspecified() {
                "127.0.0.1".to_string()
            } else {
                addr.ip().to_string()
            };
            format!("http://{host}:{}", addr.port())
        });

        config.polling.validate().map_err(anyhow::Error::msg)?;
        config.http.validate().map_err(anyhow::Error::msg)?;
        crate::tracking_page::set_buyer_url(config.http.buyer_url.as_deref());
        let store = Store::connect_with(
            &config.database_url,
            Duration::from_millis(config.database_acquire_timeout_ms),
        )
        .await?;
        store.migrate().await?;
        tracing::info!(database = %crate::store::redact(&config.database_url), "database ready");

        let demo_key = bootstrap_key(&config, &store).await?;
        let sealing = master_keys(config.mode, &store).await?;
        // Installed before the registry, whose transports publish their breaker states.
        let metrics = crate::telemetry::metrics_handle();
        let executor = Executor::new()?;
        let registry =
            Registry::build(&config, &public_url, &executor).map_err(anyhow::Error::msg)?;
        let redis = config
            .redis_url
            .as_deref()
            .map(Redis::connect)
            .transpose()?;
        let idempotency_store: Arc<dyn IdempotencyStore> = match &redis {
            Some(r) => Arc::new(RedisStore::new(r.clone())),
            None => Arc::new(MemoryStore::new(config.idempotency.memory_budget_mb << 20)),
        };
        // The in-flight marker must outlive the slowest booking: a multi-step create makes
        // a handful of calls, each bounded by its carrier's timeout.
        // Tenants' accounts come and go; they take their carrier's default timeout.
        let defaults = carriers::registry()
            .into_iter()
            .map(|s| Duration::from_millis(s.default_timeout_ms));
        let slowest = registry
            .platform()
            .map(|c| c.transport.timeout())
            .chain(defaults)
            .max()
            .unwrap_or(Duration::from_secs(10));
        let lock_ttl = config
            .idempotency
            .lock_ttl_secs
            .map(Duration::from_secs)
            .unwrap_or(slowest * 6 + Duration::from_secs(10));
        let idempotency = Idempotency::new(
            idempotency_store,
            Duration::from_secs(config.idempotency.ttl_secs),
            lock_ttl,
        );
        let limiter = Limiter::new(&config.limits, redis.clone())?;
        let webhooks =
            crate::webhooks::Webhooks::new(&config, &registry).map_err(anyhow::Error::msg)?;
        let oms_webhooks = crate::oms_webhooks::OmsWebhooks::new(&config.oms_webhooks, config.mode)
            .map_err(anyhow::Error::msg)?;
        if redis.is_some() {
            tracing::info!("idempotency keys and rate limits shared through Redis");
        }
        let rate_cards = Arc::new(crate::service::rate_cards::RateCards::new(
            store.clone(),
            Duration::from_secs(config.rate_cards.cache_ttl_secs),
        ));
        let pincodes = carriers::ratecard::india();
        tracing::info!(
            pincodes = pincodes.len(),
            "PIN code table loaded for rate-card zones"
        );
        let api_keys =
            crate::auth::KeyCache::new(Duration::from_secs(config.auth.key_cache_ttl_secs));
        let address_policies = Arc::new(crate::service::address_quality::address_policies(
            Duration::from_millis(config.selection.cache_ttl_ms),
        ));
        // Lane history moves by the day: kept 12 times as long as the rules (1 min).
        let scores = Arc::new(crate::analytics::Scores::new(
            store.clone(),
            Duration::from_millis(config.selection.cache_ttl_ms.saturating_mul(12)),
        ));
        let booking = Arc::new(crate::service::booking::Booking::new(
            store.clone(),
            config.polling.clone(),
            address_policies.clone(),
            scores.clone(),
        ));
        let selection = Arc::new(crate::selection::Selection::new(
            store.clone(),
            Duration::from_millis(config.selection.cache_ttl_ms),
            scores,
        ));
        let registry = Arc::new(registry);
        // Tenants' own accounts are in use from the first request.
        registry
            .refresh(&store, sealing.as_deref())
            .await
            .map_err(|e| anyhow::anyhow!("cannot load tenants' carrier accounts: {e}"))?;
        let rate_shop = Arc::new(
            crate::service::rates::RateShop::new(&config.rates, redis.clone())
                .map_err(anyhow::Error::msg)?,
        );
        let storefronts = Arc::new(crate::storefront::Storefronts::new(
            &config.storefront,
            config.rates.max_deadline_ms,
        )?);
        let dry_runs = Arc::new(crate::service::dry_runs::DryRuns::new(
            store.clone(),
            registry.clone(),
            crate::selection::plan::Planner::new(
                rate_shop.clone(),
                rate_cards.clone(),
                selection.clone(),
            ),
            address_policies.clone(),
            config.dry_runs.clone(),
        ));
        let auto = crate::selection::booking::AutoBooking::new(
            store.clone(),
            registry.clone(),
            rate_shop.clone(),
            rate_cards.clone(),
            selection.clone(),
            booking.clone(),
        );
        // A booking is stale once its idempotency lock lapsed: that lock outlives the
        // slowest booking, so whoever made it died mid-call.
        let returns = Arc::new(crate::service::returns::Returns::new(
            store.clone(),
            registry.clone(),
            booking.clone(),
        ));
        let shipments = Arc::new(crate::service::shipments::Shipments::new(
            store.clone(),
            registry.clone(),
            booking,
            auto,
            lock_ttl,
        ));
        let batches = Arc::new(crate::service::batches::Batches::new(
            store.clone(),
            shipments.clone(),
            config.batches.clone(),
        ));
        let ndr = Arc::new(crate::service::ndr::Ndr::new(
            store.clone(),
            registry.clone(),
        ));
        let weights = Arc::new(crate::service::weights::Weights::new(
            store.clone(),
            rate_cards.clone(),
            registry.clone(),
            config.weights.clone(),
        ));
        let cod = Arc::new(crate::service::cod_remittance::CodRemittances::new(
            store.clone(),
            registry.clone(),
            config.cod.clone(),
        ));
        let cod_sftp = Arc::new(crate::service::cod_sftp::CodSftp::new(
            store.clone(),
            cod.clone(),
            sealing.clone(),
            Duration::from_millis(config.cod.sftp_timeout_ms),
        ));
        let tracking_page = Arc::new(
            crate::tracking_page::TrackingPage::new(&store, config.http.buyer_url.as_deref())
                .await?,
        );
        let state = AppState {
            dry_runs,
            tracking_page,
            ndr,
            weights,
            returns,
            address_policies,
            cod,
            cod_sftp,
            config: Arc::new(config),
            shipments,
            batches,
            creating: tokio_util::task::TaskTracker::new(),
            runtime: tokio::runtime::Handle::current(),
            openapi: Arc::new(crate::api::Published::new()),
            sealing,
            store,
            registry,
            metrics,
            public_url,
            redis,
            idempotency: Arc::new(idempotency),
            limiter: Arc::new(limiter),
            api_keys,
            sandbox_faults: Arc::default(),
            webhooks: Arc::new(webhooks),
            oms_webhooks: Arc::new(oms_webhooks),
            rate_cards,
            selection,
            rate_shop,
            storefronts,
        };
        Ok(Application {
            listener,
            port: addr.port(),
            state,
            demo_key,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then shuts down gracefully (see
    /// [`crate::shutdown`]): stops accepting connections and claiming background work at
    /// once, lets requests and work in progress finish, and closes the database pool,
    /// all within `shutdown_timeout_secs`.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), ShutdownError> {
        let store = self.state.store.clone();
        let creating = self.state.creating.clone();
        let timeout = Duration::from_secs(self.state.config.shutdown_timeout_secs);
        // Background work stops at the signal; the carrier-push writer only once no
        // request can hand it a push any more.
        let stop = CancellationToken::new();
        let requests_done = CancellationToken::new();
        let mut workers = Workers::default();
        workers.add(
            "metrics histogram drain",
            tokio::spawn(crate::telemetry::drain_histograms_forever(
                self.state.metrics.clone(),
                crate::telemetry::HISTOGRAM_DRAIN_EVERY,
                stop.clone(),
            )),
        );
        workers.add(
            "shipment reconciler",
            tokio::spawn(self.state.shipments.clone().reconcile_forever(stop.clone())),
        );
        workers.extend(
            "carrier webhook intake/processor",
            self.state.webhooks.start(
                self.state.store.clone(),
                self.state.registry.clone(),
                stop.clone(),
                requests_done.clone(),
            ),
        );
        workers.extend(
            "outbound webhook dispatcher",
            crate::oms_webhooks::dispatcher::start(
                self.state.store.clone(),
                self.state.oms_webhooks.clone(),
                stop.clone(),
            ),
        );
        workers.add(
            "NDR action settler",
            tokio::spawn(self.state.ndr.clone().settle_forever(
                Duration::from_millis(self.state.config.ndr.settle_every_ms.max(1)),
                Duration::from_secs(self.state.config.ndr.expire_after_secs),
                stop.clone(),
            )),
        );
        if self.state.config.cod.pull_every_ms > 0 {
            workers.add(
                "COD remittance SFTP puller",
                tokio::spawn(self.state.cod_sftp.clone().pull_forever(
                    Duration::from_millis(self.state.config.cod.pull_every_ms),
                    stop.clone(),
                )),
            );
        }
        workers.add(
            "batch booker",
            tokio::spawn(self.state.batches.clone().work_forever(stop.clone())),
        );
        workers.add(
            "pickup settler",
            tokio::spawn(crate::service::pickups::settle_forever(
                self.state.store.clone(),
                Duration::from_millis(self.state.config.pickups.settle_every_ms.max(1)),
                stop.clone(),
            )),
        );
        workers.add(
            "carrier account refresher",
            tokio::spawn(crate::registry::refresh_forever(
                self.state.registry.clone(),
                self.state.store.clone(),
                self.state.sealing.clone(),
                Duration::from_millis(self.state.config.carrier_accounts.refresh_ms.max(1)),
                stop.clone(),
            )),
        );
        workers.add(
            "dependency probe",
            crate::dependency_probe::start(
                self.state.store.clone(),
                self.state.redis.clone(),
                stop.clone(),
            ),
        );
        workers.extend(
            "tracking poller",
            crate::polling::start(
                self.state.store.clone(),
                &self.state.registry,
                &self.state.config.polling,
                stop.clone(),
            ),
        );
        let server = crate::api::server::serve(self.listener, &self.state, timeout)
            .map_err(ShutdownError::Serve)?;
        let handle = server.handle();
        let mut server = tokio::spawn(server);
        tokio::select! {
            () = shutdown => {}
            served = &mut server => {
                // The server stopped by itself: only a broken listener does that.
                stop.cancel();
                requests_done.cancel();
                let _ = workers.join_until(Instant::now() + timeout).await;
                store.close().await;
                return match served {
                    Ok(result) => result.map_err(ShutdownError::Serve),
                    Err(e) => Err(ShutdownError::Serve(std::io::Error::other(e))),
                };
            }
        }
        let deadline = Instant::now() + timeout;
        tracing::info!(
            deadline_secs = timeout.as_secs(),
            "shutdown 1/3: not accepting connections; finishing requests in flight; \
             background work starts nothing new and finishes what it started"
        );
        stop.cancel();
        // Graceful: the listener closes now; requests in flight may finish until the
        // deadline, when the server is dropped (its own timeout is a second later, so the
        // abandoned requests are named here, not closed silently by it).
        let stopping = tokio::spawn(handle.stop(true));
        let mut abandoned = Vec::new();
        match tokio::time::timeout_at(deadline, &mut server).await {
            Ok(Ok(Ok(()))) => tracing::info!("shutdown: every request in flight answered"),
            Ok(Ok(Err(e))) => tracing::warn!(error = %e, "shutdown: the HTTP server failed"),
            Ok(Err(e)) => tracing::warn!(error = %e, "shutdown: the HTTP server task failed"),
            Err(_) => {
                server.abort();
                abandoned.push(
                    "HTTP requests still in flight (their connections are closed)".to_string(),
                );
            }
        }
        let _ = tokio::time::timeout_at(deadline, stopping).await;
        // Connections are closed; creating requests whose clients hung up may still be
        // finishing a booking (nothing new can start one now).
        creating.close();
        if !creating.is_empty() {
            tracing::info!(
                requests = creating.len(),
                "shutdown: finishing creating requests whose clients went away"
            );
        }
        if tokio::time::timeout_at(deadline, creating.wait())
            .await
            .is_err()
        {
            abandoned.push(format!(
                "{} creating requests whose clients went away (reconciled on the next start)",
                creating.len()
            ));
        }
        requests_done.cancel();
        tracing::info!(
            tasks = workers.len(),
            "shutdown 2/3: waiting for background work in progress (webhook deliveries, polls, \
             carrier pushes, reconciliation)"
        );
        abandoned.extend(workers.join_until(deadline).await);
        tracing::info!("shutdown 3/3: closing the database pool");
        if tokio::time::timeout_at(deadline, store.close())
            .await
            .is_err()
        {
            abandoned.push("database connections still in use".to_string());
        }
        if abandoned.is_empty() {
            tracing::info!("shutdown complete");
            Ok(())
        } else {
            let error = ShutdownError::DeadlineExceeded {
                deadline: timeout,
                abandoned,
            };
            tracing::error!(
                "{error}; abandoned work is durable: outbox rows stay pending, claimed \
                 deliveries and polls are taken up again when their leases lapse"
            );
            Err(error)
        }
    }
}

/// The master keys from the environment, checked at start so a broken key stops the
/// gateway before it serves, rather than at the first credential it cannot open.
async fn master_keys(
    mode: Mode,
    store: &Store,
) -> anyhow::Result<Option<Arc<crate::sealed::Keyring>>> {
    use crate::sealed::{Keyring, Loaded, MasterKey, load};
    let loaded = load(|name| std::env::var(name).ok(), mode == Mode::Sandbox)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(match loaded {
        Loaded::Configured(keys) => {
            tracing::info!(
                master_key = keys.current_id(),
                "carrier credentials sealed with the configured master key"
            );
            Some(Arc::new(keys))
        }
        Loaded::SandboxKept => {
            let made = MasterKey::generate("sandbox").export();
            let kept = store.keep_sandbox_master_key(&made).await?;
            let key = MasterKey::parse(&kept)
                .map_err(|e| anyhow::anyhow!("the sandbox master key in the database: {e}"))?;
            tracing::warn!(
                "sandbox: no SHIPGATE_MASTER_KEY, so carrier credentials are sealed with a sandbox key kept in the database (live mode needs SHIPGATE_MASTER_KEY)"
            );
            Some(Arc::new(Keyring::new(key, Vec::new())))
        }
        Loaded::Missing => {
            tracing::warn!(
                "no SHIPGATE_MASTER_KEY: tenants cannot store carrier credentials (see docs/operations.md)"
            );
            None
        }
    })
}

/// The `demo` tenant's admin key: `SHIPGATE_BOOTSTRAP_API_KEY` if set, else in sandbox
/// mode the well-known sandbox key.
async fn bootstrap_key(config: &Config, store: &Store) -> anyhow::Result<Option<String>> {
    // The sandbox key is published in the README: a database that served a sandbox must
    // not carry it into live mode (both modes default to the same file).
    if config.mode == Mode::Live
        && config.bootstrap_api_key.as_deref() != Some(SANDBOX_DEMO_KEY)
        && store.revoke_api_key(&hash_key(SANDBOX_DEMO_KEY)).await?
    {
        tracing::warn!(
            "revoked the well-known sandbox demo key: this database was used in sandbox mode"
        );
    }
    let key = match (&config.bootstrap_api_key, config.mode) {
        (Some(key), _) => key.clone(),
        (None, Mode::Sandbox) => SANDBOX_DEMO_KEY.to_string(),
        (None, Mode::Live) => return Ok(None),
    };
    if key.len() < 16 {
        anyhow::bail!("SHIPGATE_BOOTSTRAP_API_KEY must be at least 16 characters");
    }
    let tenant = store.ensure_tenant("demo").await?;
    store
        .add_api_key(
            &tenant.id,
            Role::Admin,
            &hash_key(&key),
            &key_prefix(&key),
            Some("bootstrap"),
        )
        .await?;
    Ok(Some(key))
}
