//! Pulling COD remittance files from the SFTP folders carriers drop them in.
//!
//! A tenant registers a folder per carrier account (host, port, user, directory, the
//! server's host key, and a password or private key sealed like carrier-account
//! credentials). shipgate connects with a pure-Rust SSH client (`russh` + `russh-sftp`:
//! no C library or `ssh` binary to ship, and it runs on the tokio runtime with the rest),
//! accepts only the pinned host key, lists the directory, and reads each regular file it
//! has not seen by name and content. Each new file is reconciled like an upload, in the
//! layout of the account's carrier, and recorded (`cod_sftp_files`) with what became of
//! it, so no file is reconciled twice, whichever process or restart pulls it next. A file
//! that cannot be read as a remittance is recorded as `refused`, with why, and not tried
//! again until its content changes. Files are never deleted or moved on the server: the
//! folder is the carrier's.
//!
//! Pulls run on a schedule (`SHIPGATE_COD__PULL_EVERY_MS`) and on request
//! (`POST /v1/cod-remittances/pull`).

use std::sync::Arc;
use std::time::Duration;

use russh::client;
use russh::keys::{PrivateKeyWithHashAlg, PublicKey, PublicKeyOrCertificate};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::sealed::Keyring;
use crate::service::cod_files::Layout;
use crate::service::cod_remittance::{CodRemittances, FileOrigin};
use crate::shutdown::{CancellationToken, Ticks};
use crate::store::{Reconciled, SeenFile, SftpSourceRow, Store};

/// Larger files are not remittance files; they are recorded as refused, unread.
const MAX_FILE_BYTES: u64 = 16 << 20;

/// What one pull of one folder did.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct PullReport {
    pub source_id: String,
    /// Files in the folder.
    pub files: usize,
    /// New files reconciled (the remittance ids).
    pub reconciled: Vec<String>,
    /// New files whose content had been reconciled before (by upload or another folder).
    pub already_reconciled: usize,
    /// New files that are not readable remittance files.
    pub refused: usize,
    /// Files seen in an earlier pull.
    pub skipped: usize,
    /// Why the pull failed, if it did (connection, authentication, host key, listing).
    pub error: Option<String>,
}

pub struct CodSftp {
    store: Store,
    cod: Arc<CodRemittances>,
    sealing: Option<Arc<Keyring>>,
    timeout: Duration,
}

/// The sealing context of a folder's secret: bound to its tenant and folder.
pub fn secret_context(tenant_id: &str, source_id: &str) -> String {
    format!("{tenant_id}/{source_id}/sftp_secret")
}

impl CodSftp {
    pub fn new(
        store: Store,
        cod: Arc<CodRemittances>,
        sealing: Option<Arc<Keyring>>,
        timeout: Duration,
    ) -> CodSftp {
        CodSftp {
            store,
            cod,
            sealing,
            timeout,
        }
    }

    /// Pulls every folder of the tenant (of every tenant when `None`).
    pub async fn pull(&self, tenant_id: Option<&str>) -> Result<Vec<PullReport>, ApiError> {
        let sources = self.store.cod_sftp_sources(tenant_id).await?;
        let mut reports = Vec::with_capacity(sources.len());
        for source in sources {
            reports.push(self.pull_source(&source).await?);
        }
        Ok(reports)
    }

    /// Pulls one folder. Connection failures are the report's `error` (and the folder's
    /// `last_error`), not an error of the call.
    pub async fn pull_source(&self, source: &SftpSourceRow) -> Result<PullReport, ApiError> {
        let mut report = PullReport {
            source_id: source.id.clone(),
            ..PullReport::default()
        };
        tracing::info!(source_id = %source.id, host = %source.host, directory = %source.directory, "COD SFTP pull started");
        let fetched = match self.secret(source) {
            Ok(secret) => {
                let store = self.store.clone();
                let id = source.id.clone();
                let seen = move |name: String, sha: String| {
                    let store = store.clone();
                    let id = id.clone();
                    async move { store.cod_sftp_file_seen(&id, &name, &sha).await }
                };
                tokio::time::timeout(self.timeout, fetch(source, &secret, seen))
                    .await
                    .unwrap_or_else(|_| {
                        Err(format!("gave up after {} ms", self.timeout.as_millis()))
                    })
            }
            Err(e) => Err(e),
        };
        let files = match fetched {
            Ok(files) => files,
            Err(error) => {
                tracing::warn!(source_id = %source.id, %error, "COD SFTP pull failed");
                metrics::counter!("shipgate_cod_sftp_pulls_total", "result" => "failed")
                    .increment(1);
                self.store
                    .cod_sftp_source_pulled(&source.id, Some(&error))
                    .await?;
                report.error = Some(error);
                return Ok(report);
            }
        };
        report.files = files.len();
        let layout = Layout::named(&source.layout);
        for file in files {
            let origin_source = format!("sftp:{}", source.id);
            let content = match file.content {
                Content::Seen => {
                    report.skipped += 1;
                    continue;
                }
                Content::TooLarge => None,
                Content::New(bytes) => Some(bytes),
            };
            let (outcome, remittance, detail) = match content {
                None => (
                    "refused",
                    None,
                    Some(format!("larger than {MAX_FILE_BYTES} bytes")),
                ),
                Some(content) => match self
                    .cod
                    .reconcile(
                        &source.tenant_id,
                        &content,
                        layout,
                        FileOrigin {
                            source: &origin_source,
                            file_name: Some(&file.name),
                        },
                    )
                    .await
                {
                    Ok(Reconciled::Created(r)) => ("reconciled", Some(r.id), None),
                    Ok(Reconciled::Existing(r)) => ("already_reconciled", Some(r.id), None),
                    Err(ApiError::Validation(errors)) => {
                        let detail = errors
                            .iter()
                            .take(5)
                            .map(|e| format!("{}: {}", e.pointer, e.detail))
                            .collect::<Vec<_>>()
                            .join("; ");
                        ("refused", None, Some(detail))
                    }
                    // A database or conflict failure: not recorded, tried again next pull.
                    Err(e) => return Err(e),
                },
            };
            match outcome {
                "reconciled" => report.reconciled.extend(remittance.clone()),
                "already_reconciled" => report.already_reconciled += 1,
                _ => report.refused += 1,
            }
            tracing::info!(source_id = %source.id, file = %file.name, outcome, remittance_id = ?remittance, detail = ?detail, "COD SFTP file processed");
            metrics::counter!("shipgate_cod_sftp_files_total", "outcome" => outcome).increment(1);
            self.store
                .cod_sftp_file_record(&SeenFile {
                    source_id: &source.id,
                    file_name: &file.name,
                    content_sha256: &file.sha256,
                    remittance_id: remittance.as_deref(),
                    outcome,
                    detail: detail.as_deref(),
                })
                .await?;
        }
        self.store.cod_sftp_source_pulled(&source.id, None).await?;
        metrics::counter!("shipgate_cod_sftp_pulls_total", "result" => "ok").increment(1);
        tracing::info!(source_id = %source.id, files = report.files, reconciled = report.reconciled.len(), refused = report.refused, skipped = report.skipped, "COD SFTP pull finished");
        Ok(report)
    }

    fn secret(&self, source: &SftpSourceRow) -> Result<zeroize::Zeroizing<String>, String> {
        let keys = self
            .sealing
            .as_deref()
            .ok_or("this gateway has no master key to open the folder's credentials")?;
        keys.open(
            &source.secret_sealed,
            &secret_context(&source.tenant_id, &source.id),
        )
        .map_err(|e| format!("the folder's credentials do not open: {e}"))
    }

    /// Pulls every folder every `period` until `stop`.
    pub async fn pull_forever(self: Arc<Self>, period: Duration, stop: CancellationToken) {
        let mut ticks = Ticks::new(period, stop);
        while ticks.next().await {
            if let Err(e) = self.pull(None).await {
                tracing::warn!(error = %e, "COD SFTP pull round failed; trying again next round");
            }
        }
    }
}

/// A file in the folder.
struct Fetched {
    name: String,
    sha256: String,
    content: Content,
}

enum Content {
    /// Not seen before.
    New(Vec<u8>),
    Seen,
    TooLarge,
}

/// Accepts the pinned host key only.
struct Pinned(PublicKey);

impl client::Handler for Pinned {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        offered: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(match offered {
            PublicKeyOrCertificate::PublicKey { key, .. } => key.key_data() == self.0.key_data(),
            PublicKeyOrCertificate::Certificate(_) => false,
        })
    }
}

/// Parses an OpenSSH public key line (`ssh-ed25519 AAAA… comment`).
pub fn parse_host_key(text: &str) -> Result<PublicKey, String> {
    PublicKey::from_openssh(text.trim()).map_err(|e| format!("not an OpenSSH public key: {e}"))
}

/// Parses an OpenSSH private key (unencrypted).
pub fn parse_private_key(text: &str) -> Result<russh::keys::PrivateKey, String> {
    russh::keys::decode_secret_key(text, None)
        .map_err(|e| format!("not an unencrypted OpenSSH private key: {e}"))
}

/// Connects, authenticates, lists the folder and reads the files `seen` does not know.
async fn fetch<F, Fut>(
    source: &SftpSourceRow,
    secret: &str,
    seen: F,
) -> Result<Vec<Fetched>, String>
where
    F: Fn(String, String) -> Fut,
    Fut: std::future::Future<Output = Result<bool, sqlx::Error>>,
{
    let pinned = parse_host_key(&source.host_key)?;
    let config = Arc::new(client::Config {
        inactivity_timeout: Some(Duration::from_secs(60)),
        ..client::Config::default()
    });
    let port = u16::try_from(source.port).map_err(|_| "bad port".to_string())?;
    let mut session = client::connect(config, (source.host.as_str(), port), Pinned(pinned))
        .await
        .map_err(|e| match e {
            russh::Error::UnknownKey => {
                "the server's host key is not the pinned one: refusing to connect".to_string()
            }
            other => format!("cannot connect to {}:{port}: {other}", source.host),
        })?;
    let auth = if source.auth == "private_key" {
        let key = Arc::new(parse_private_key(secret)?);
        let hash = session
            .best_supported_rsa_hash()
            .await
            .map_err(|e| e.to_string())?
            .flatten();
        session
            .authenticate_publickey(&source.username, PrivateKeyWithHashAlg::new(key, hash))
            .await
    } else {
        session
            .authenticate_password(&source.username, secret)
            .await
    }
    .map_err(|e| format!("authentication failed: {e}"))?;
    if !auth.success() {
        return Err(format!(
            "the server refused user `{}` with these credentials",
            source.username
        ));
    }
    let channel = session
        .channel_open_session()
        .await
        .map_err(|e| format!("cannot open a session: {e}"))?;
    channel
        .request_subsystem(true, "sftp")
        .await
        .map_err(|e| format!("no SFTP subsystem: {e}"))?;
    let sftp = russh_sftp::client::SftpSession::new(channel.into_stream())
        .await
        .map_err(|e| format!("SFTP start failed: {e}"))?;
    let dir = source.directory.trim_end_matches('/');
    let entries = sftp
        .read_dir(source.directory.clone())
        .await
        .map_err(|e| format!("cannot list {}: {e}", source.directory))?;
    let mut names: Vec<(String, u64)> = entries
        .filter(|e| e.file_type().is_file() && !e.file_name().starts_with('.'))
        .map(|e| (e.file_name(), e.metadata().size.unwrap_or(0)))
        .collect();
    names.sort();
    let mut out = Vec::with_capacity(names.len());
    for (name, size) in names {
        let path = format!("{dir}/{name}");
        // Too large to be a remittance file: known by its size, never read.
        let (sha256, content) = if size > MAX_FILE_BYTES {
            (format!("size:{size}"), Content::TooLarge)
        } else {
            let bytes = sftp
                .read(path.clone())
                .await
                .map_err(|e| format!("cannot read {path}: {e}"))?;
            (hex::encode(Sha256::digest(&bytes)), Content::New(bytes))
        };
        let known = seen(name.clone(), sha256.clone())
            .await
            .map_err(|e| format!("database: {e}"))?;
        out.push(Fetched {
            name,
            sha256,
            content: if known { Content::Seen } else { content },
        });
    }
    let _ = sftp.close().await;
    let _ = session
        .disconnect(russh::Disconnect::ByApplication, "", "en")
        .await;
    Ok(out)
}

/// A folder as the API takes it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SftpSourceInput {
    /// The carrier account whose remittance files the folder holds (its carrier decides
    /// the file layout): a platform account id (`delhivery`) or the tenant's own (`ca_…`).
    #[schema(value_type = String)]
    pub carrier_account: Option<String>,
    #[schema(value_type = String)]
    pub host: Option<String>,
    /// Default 22.
    pub port: Option<u16>,
    #[schema(value_type = String)]
    pub username: Option<String>,
    /// The folder the carrier drops files in (absolute, or relative to the login's home).
    #[schema(value_type = String)]
    pub directory: Option<String>,
    /// The server's public host key in OpenSSH format (`ssh-ed25519 AAAA…`), as
    /// `ssh-keyscan` prints it without the host name: no other key is accepted.
    #[schema(value_type = String)]
    pub host_key: Option<String>,
    /// The login's password; or give `private_key`.
    pub password: Option<String>,
    /// An unencrypted OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----…`).
    pub private_key: Option<String>,
}
