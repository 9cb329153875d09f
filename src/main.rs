//! The `shipgate` binary: serve the gateway (default), run migrations, manage tenants and
//! API keys.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use shipgate::auth::{generate_key, hash_key, key_prefix};
use shipgate::config::{Config, Mode};
use shipgate::store::{Role, Store};
use shipgate::{Application, process_memory, telemetry};

#[derive(Parser)]
#[command(name = "shipgate", version, about = "Multi-carrier shipping gateway")]
struct Cli {
    /// TOML configuration file (also SHIPGATE_CONFIG); SHIPGATE_* variables override it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Exit 0 when the gateway answers /healthz (for container health checks).
    Healthcheck {
        /// Base URL; derived from SHIPGATE_LISTEN when absent.
        #[arg(long)]
        url: Option<String>,
    },
    /// Serve the carrier simulators alone, as a stand-in carrier for benchmarks and load
    /// tests (point SHIPGATE_CARRIERS__<ID>__BASE_URL at http://LISTEN/<carrier>).
    Simulate {
        #[arg(long, default_value = "127.0.0.1:9090")]
        listen: std::net::SocketAddr,
        /// Milliseconds added to every answer.
        #[arg(long, default_value_t = 0)]
        latency_ms: u64,
        /// Up to this many more milliseconds, uniformly random.
        #[arg(long, default_value_t = 0)]
        jitter_ms: u64,
        /// Share of calls (0 to 1) answered with an HTML 503 page, nothing booked.
        #[arg(long, default_value_t = 0.0)]
        failure_rate: f64,
    },
    /// Load the configuration (file and SHIPGATE_* variables), check it as start-up
    /// would (unknown keys, bad values, carrier accounts and their credentials) and exit:
    /// 0 when a gateway would accept it. Touches no database and no network.
    CheckConfig,
    /// Print the OpenAPI document (the one served at /openapi.json), e.g. to generate a
    /// client without running the gateway.
    Openapi,
    /// Tenants.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// API keys.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// The master key that seals tenants' carrier credentials at rest
    /// (SHIPGATE_MASTER_KEY, or SHIPGATE_MASTER_KEY_FILE).
    MasterKey {
        #[command(subcommand)]
        command: MasterKeyCommand,
    },
}

#[derive(Subcommand)]
enum MasterKeyCommand {
    /// Print a new random master key (`<id>:<base64>`) on stdout, once.
    Generate {
        /// Its id, stored beside every value it seals (a date names a rotation well).
        #[arg(long)]
        id: String,
    },
    /// Re-wrap every stored credential under SHIPGATE_MASTER_KEY, opening the old ones
    /// with SHIPGATE_MASTER_KEYS_PREVIOUS; running gateways keep working throughout when
    /// they hold both keys.
    Rotate,
}

#[derive(Subcommand)]
enum TenantCommand {
    /// Create a tenant (or confirm it exists).
    Create { name: String },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Create an API key for a tenant; the key is printed once and only its hash is kept.
    Create {
        #[arg(long)]
        tenant: String,
        /// admin, write or read
        #[arg(long, default_value = "write")]
        role: Role,
        /// A note to recognise the key by.
        #[arg(long)]
        label: Option<String>,
    },
    /// List a tenant's keys (id, prefix, role, label, created, revoked); never the keys.
    List {
        #[arg(long)]
        tenant: String,
    },
    /// Revoke a key, by its id (from `key list`) or the key itself. Gateways already
    /// running stop accepting it within `auth.key_cache_ttl_secs` (30 s by default).
    Revoke { key: String },
}

fn main() -> ExitCode {
    process_memory::limit_malloc_arenas();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the tokio runtime starts")
        .block_on(run())
}

async fn run() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("shipgate: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init_logging(config.log_format);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => migrate(&config).await,
        Command::Openapi => {
            let doc = shipgate::api::openapi();
            match doc.to_pretty_json() {
                Ok(json) => {
                    println!("{json}");
                    Ok(())
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Healthcheck { url } => healthcheck(&config, url).await,
        Command::CheckConfig => check_config(&config),
        Command::Simulate {
            listen,
            latency_ms,
            jitter_ms,
            failure_rate,
        } => {
            let options = shipgate::simulate::SimulateOptions {
                listen,
                latency_ms,
                jitter_ms,
                failure_rate,
            };
            shipgate::simulate::serve(options, shipgate::shutdown::signal()).await
        }
        Command::Tenant {
            command: TenantCommand::Create { name },
        } => create_tenant(&config, &name).await,
        Command::Key {
            command:
                KeyCommand::Create {
                    tenant,
                    role,
                    label,
                },
        } => create_key(&config, &tenant, role, label.as_deref()).await,
        Command::Key {
            command: KeyCommand::List { tenant },
        } => list_keys(&config, &tenant).await,
        Command::Key {
            command: KeyCommand::Revoke { key },
        } => revoke_key(&config, &key).await,
        Command::MasterKey {
            command: MasterKeyCommand::Generate { id },
        } => generate_master_key(&id),
        Command::MasterKey {
            command: MasterKeyCommand::Rotate,
        } => rotate_master_key(&config).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shipgate: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let mode = config.mode;
    let app = Application::build(config).await?;
    process_memory::release_start_up_memory();
    let url = app.state().public_url.clone();
    tracing::info!(%url, ?mode, "shipgate listening");
    eprintln!(
        "shipgate listening on {url} ({} mode); API docs at {url}/docs",
        match mode {
            Mode::Sandbox => "sandbox",
            Mode::Live => "live",
        }
    );
    match (&app.demo_key, mode) {
        (Some(key), Mode::Sandbox) => {
            eprintln!("demo tenant API key: {key}");
            eprintln!("try: curl -H 'Authorization: Bearer {key}' {url}/v1/carriers");
        }
        // A live key is an operator's secret: logs are no place for it.
        (Some(key), Mode::Live) => eprintln!(
            "demo tenant admin key from SHIPGATE_BOOTSTRAP_API_KEY is active (prefix {})",
            shipgate::auth::key_prefix(key)
        ),
        (None, _) => {}
    }
    app.run_until(shipgate::shutdown::signal()).await?;
    tracing::info!("shipgate stopped");
    Ok(())
}

async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let store = Store::connect_with(
        &config.database_url,
        std::time::Duration::from_millis(config.database_acquire_timeout_ms),
    )
    .await?;
    store.migrate().await?;
    Ok(store)
}

async fn migrate(config: &Config) -> anyhow::Result<()> {
    open_store(config).await?;
    eprintln!(
        "migrations applied to {}",
        shipgate::store::redact(&config.database_url)
    );
    Ok(())
}

/// What `Application::build` refuses before it touches the database or the network.
fn check_config(config: &Config) -> anyhow::Result<()> {
    config.polling.validate().map_err(anyhow::Error::msg)?;
    config.http.validate().map_err(anyhow::Error::msg)?;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen));
    let executor = shipgate::executor::Executor::new()?;
    let registry = shipgate::registry::Registry::build(config, &public_url, &executor)
        .map_err(anyhow::Error::msg)?;
    // Carrier sections take any key (credentials differ per carrier), so a misspelt one
    // would be ignored silently: name it. A warning, not a refusal, as start-up does.
    let specs = carriers::registry();
    let gateway_keys = [
        shipgate::webhooks::ALIAS,
        shipgate::webhooks::auth::TOKEN,
        shipgate::webhooks::auth::TOKEN_HEADER,
        shipgate::webhooks::auth::HMAC_SECRET,
        shipgate::webhooks::auth::HMAC_HEADER,
        shipgate::webhooks::auth::ALLOWED_IPS,
    ];
    for (account, section) in &config.carriers {
        let carrier = section.adapter.as_deref().unwrap_or(account);
        let Some(spec) = specs.iter().find(|s| s.id == carrier) else {
            continue; // Registry::build has refused an unknown carrier already.
        };
        for key in section.settings.keys() {
            if spec.setting(key).is_none() && !gateway_keys.contains(&key.as_str()) {
                eprintln!(
                    "warning: SHIPGATE_CARRIERS__{}__{} is not a setting of {carrier}: ignored",
                    account.to_ascii_uppercase(),
                    key.to_ascii_uppercase()
                );
            }
        }
    }
    println!(
        "configuration accepted: {:?} mode, {} platform carrier accounts",
        config.mode,
        registry.platform().count()
    );
    Ok(())
}

async fn healthcheck(config: &Config, url: Option<String>) -> anyhow::Result<()> {
    let url = url.unwrap_or_else(|| {
        let addr = config.listen;
        let host = if addr.ip().is_unspecified() {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        };
        format!("http://{host}:{}", addr.port())
    });
    let response = reqwest::Client::new()
        .get(format!("{}/healthz", url.trim_end_matches('/')))
        .timeout(std::time::Duration::from_secs(3))
        .send()
        .await?;
    anyhow::ensure!(
        response.status().is_success(),
        "unhealthy: HTTP {}",
        response.status()
    );
    Ok(())
}

fn generate_master_key(id: &str) -> anyhow::Result<()> {
    use shipgate::sealed::MasterKey;
    // Parsed back, so an id `load` would refuse is refused now.
    let key = MasterKey::parse(&MasterKey::generate(id).export())?.export();
    println!("{}", key.as_str());
    eprintln!("master key `{id}` generated; it is shown only now, store it safely");
    Ok(())
}

async fn rotate_master_key(config: &Config) -> anyhow::Result<()> {
    use shipgate::sealed::{Loaded, load};
    let keys = match load(|name| std::env::var(name).ok(), false)? {
        Loaded::Configured(keys) => keys,
        _ => anyhow::bail!("set SHIPGATE_MASTER_KEY (or _FILE) to the new master key"),
    };
    let store = open_store(config).await?;
    let changed = shipgate::service::carrier_accounts::rewrap_all(&store, &keys).await?;
    println!("{changed}");
    eprintln!(
        "{changed} carrier account(s) re-wrapped under master key `{}`",
        keys.current_id()
    );
    Ok(())
}

async fn create_tenant(config: &Config, name: &str) -> anyhow::Result<()> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 {
        anyhow::bail!("a tenant name has 1 to 64 characters");
    }
    let tenant = open_store(config).await?.ensure_tenant(name).await?;
    println!("{}", tenant.id);
    eprintln!("tenant `{}` ready (id {})", tenant.name, tenant.id);
    Ok(())
}

async fn create_key(
    config: &Config,
    tenant: &str,
    role: Role,
    label: Option<&str>,
) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let tenant = store.find_tenant(tenant).await?.ok_or_else(|| {
        anyhow::anyhow!("no tenant `{tenant}`; create it with `shipgate tenant create {tenant}`")
    })?;
    let key = generate_key();
    let id = store
        .add_api_key(&tenant.id, role, &hash_key(&key), &key_prefix(&key), label)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a key with this hash exists already; try again"))?;
    store
        .audit(shipgate::store::AuditEntry {
            tenant_id: &tenant.id,
            actor: shipgate::store::Actor::Cli,
            action: "api_key.created",
            target_type: "api_key",
            target_id: &id,
            before: None,
            after: Some(serde_json::json!({
                "prefix": key_prefix(&key), "role": role.as_str(), "label": label,
            })),
            request_id: None,
        })
        .await?;
    println!("{key}");
    eprintln!(
        "{} key for tenant `{}` created; it is shown only now, store it safely",
        role.as_str(),
        tenant.name
    );
    Ok(())
}

async fn list_keys(config: &Config, tenant: &str) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let tenant = store
        .find_tenant(tenant)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no tenant `{tenant}`"))?;
    let time = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    println!("id\tprefix\trole\tlabel\tcreated_at\trevoked_at");
    for k in store.api_keys(&tenant.id).await? {
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            k.id,
            k.prefix,
            k.role,
            k.label.unwrap_or_default(),
            time(k.created_at),
            k.revoked_at.map(time).unwrap_or_else(|| "-".into())
        );
    }
    Ok(())
}

async fn revoke_key(config: &Config, key: &str) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let key = key.trim();
    // A key id (`key_…`) or the key itself, matched by its hash.
    let revoked = store.revoke_api_key(key).await? || store.revoke_api_key(&hash_key(key)).await?;
    if !revoked {
        anyhow::bail!(
            "no active key with that id or value (see `shipgate key list --tenant NAME`)"
        );
    }
    eprintln!(
        "key revoked; running gateways refuse it within auth.key_cache_ttl_secs ({} s)",
        config.auth.key_cache_ttl_secs
    );
    Ok(())
}
