//! The SFTP folders carriers drop a tenant's COD remittance files in
//! (`/v1/cod-remittance-sources`): registered by an admin with a sealed password or key
//! and a pinned host key (`service::cod_sftp` has the why).

use actix_web::web::{self, Json};
use actix_web::{HttpResponse, delete, get, post};
use carriers::schema::FieldError;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::cod::refuse;
use super::guard::{Admin, CreatingRequest, Key, Read, run_creating};
use super::json::parse_json;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::cod_files::Layout;
use crate::service::cod_sftp::{
    SftpSourceInput, parse_host_key, parse_private_key, secret_context,
};
use crate::store::SftpSourceRow;

/// An SFTP folder as the API shows it: never its password or key.
#[derive(Debug, Serialize, ToSchema)]
pub struct SftpSourceView {
    /// `cods_…`.
    pub id: String,
    pub carrier_account: String,
    /// The layout its files are read in (the account's carrier's).
    pub layout: String,
    pub host: String,
    pub port: i64,
    pub username: String,
    pub directory: String,
    pub host_key: String,
    /// `password` or `private_key`: which credential is stored (sealed).
    pub auth: String,
    pub created_at: DateTime<Utc>,
    pub last_pulled_at: Option<DateTime<Utc>>,
    /// Why the last pull failed; null when it worked.
    pub last_error: Option<String>,
}

impl From<&SftpSourceRow> for SftpSourceView {
    fn from(s: &SftpSourceRow) -> Self {
        SftpSourceView {
            id: s.id.clone(),
            carrier_account: s.carrier_account.clone(),
            layout: s.layout.clone(),
            host: s.host.clone(),
            port: s.port,
            username: s.username.clone(),
            directory: s.directory.clone(),
            host_key: s.host_key.clone(),
            auth: s.auth.clone(),
            created_at: DateTime::from_timestamp_millis(s.created_at).unwrap_or_default(),
            last_pulled_at: s.last_pulled_at.and_then(DateTime::from_timestamp_millis),
            last_error: s.last_error.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SftpSourceList {
    pub data: Vec<SftpSourceView>,
    /// Always null: a tenant's folders fit on one page.
    pub next_cursor: Option<String>,
}

/// Register an SFTP folder a carrier drops the tenant's remittance files in.
///
/// The password or private key is sealed at rest like carrier-account credentials and
/// never shown again; the server must present `host_key` or no connection is made.
#[utoipa::path(
    operation_id = "createCodSftpSource",
    tag = "cod",
    request_body = SftpSourceInput,
    responses(
        (status = 201, body = SftpSourceView),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, every one at its pointer", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The gateway has no master key to seal credentials", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/cod-remittance-sources")]
pub async fn create(state: web::Data<AppState>, request: CreatingRequest<Admin>) -> Reply {
    run_creating(state, request, |state, request| async move {
        let input: SftpSourceInput = parse_json(request.json, &request.body)?;
        let tenant_id = &request.caller.tenant.id;
        let mut errors = Vec::new();
        let mut text = |name: &str, value: &Option<String>, max: usize| -> String {
            match value.as_deref().map(str::trim) {
                Some(v) if !v.is_empty() && v.len() <= max => v.to_string(),
                Some(_) => {
                    errors.push(field(name, "invalid_value", format!("1 to {max} bytes")));
                    String::new()
                }
                None => {
                    errors.push(field(name, "required", "required"));
                    String::new()
                }
            }
        };
        let account = text("carrier_account", &input.carrier_account, 100);
        let host = text("host", &input.host, 255);
        let username = text("username", &input.username, 255);
        let directory = text("directory", &input.directory, 1024);
        let host_key = text("host_key", &input.host_key, 16 * 1024);
        let carrier = (!account.is_empty())
            .then(|| state.registry.booked_with(tenant_id, &account))
            .flatten()
            .map(|c| c.id);
        if !account.is_empty() && carrier.is_none() {
            errors.push(field(
                "carrier_account",
                "unknown_account",
                format!("no carrier account `{account}` of this tenant"),
            ));
        }
        if host.chars().any(|c| c.is_whitespace() || c == '/') {
            errors.push(field("host", "invalid_value", "a host name or IP address"));
        }
        if input.port == Some(0) {
            errors.push(field("port", "invalid_value", "1 to 65535"));
        }
        if !host_key.is_empty()
            && let Err(e) = parse_host_key(&host_key)
        {
            errors.push(field("host_key", "invalid_value", e));
        }
        let (auth, secret) = match (&input.password, &input.private_key) {
            (Some(p), None) if !p.is_empty() && p.len() <= 1024 => ("password", p.clone()),
            (Some(_), None) => {
                errors.push(field("password", "invalid_value", "1 to 1024 bytes"));
                ("password", String::new())
            }
            (None, Some(k)) => {
                if let Err(e) = parse_private_key(k) {
                    errors.push(field("private_key", "invalid_value", e));
                }
                ("private_key", k.clone())
            }
            (Some(_), Some(_)) => {
                errors.push(field(
                    "private_key",
                    "conflicting_fields",
                    "give `password` or `private_key`, not both",
                ));
                ("password", String::new())
            }
            (None, None) => {
                errors.push(field(
                    "password",
                    "required",
                    "give `password` or `private_key`",
                ));
                ("password", String::new())
            }
        };
        refuse(errors)?;
        let keys = state.sealing.as_deref().ok_or_else(|| {
            ApiError::Unavailable(
                "this gateway has no master key (SHIPGATE_MASTER_KEY), so it cannot store \
                 SFTP credentials; its operator must configure one"
                    .into(),
            )
        })?;
        let id = format!("cods_{}", uuid::Uuid::now_v7().simple());
        let row = SftpSourceRow {
            secret_sealed: keys.seal(&secret, &secret_context(tenant_id, &id)),
            id,
            tenant_id: tenant_id.clone(),
            layout: Layout::of_carrier(carrier.unwrap_or_default())
                .name
                .to_string(),
            carrier_account: account,
            host,
            port: i64::from(input.port.unwrap_or(22)),
            username,
            directory,
            host_key,
            auth: auth.to_string(),
            created_at: Utc::now().timestamp_millis(),
            last_pulled_at: None,
            last_error: None,
        };
        state.store.cod_sftp_source_add(&row).await?;
        let view = SftpSourceView::from(&row);
        super::audit::record(
            &state,
            &request.caller,
            "cod_sftp_source.created",
            ("cod_sftp_source", &row.id),
            None,
            serde_json::to_value(&view).ok(),
        )
        .await;
        Ok(Reply::json(201, &view)
            .with_header("location", format!("/v1/cod-remittance-sources/{}", row.id)))
    })
    .await
}

fn field(name: &str, code: &str, detail: impl Into<String>) -> FieldError {
    FieldError {
        pointer: format!("/{name}"),
        code: code.into(),
        detail: detail.into(),
    }
}

/// The tenant's SFTP folders and how their last pull went.
#[utoipa::path(
    operation_id = "listCodSftpSources",
    tag = "cod",
    responses((status = 200, body = SftpSourceList)),
    security(("api_key" = []))
)]
#[get("/v1/cod-remittance-sources")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
) -> Result<Json<SftpSourceList>, ApiError> {
    let rows = state
        .store
        .cod_sftp_sources(Some(&caller.tenant.id))
        .await?;
    Ok(Json(SftpSourceList {
        data: rows.iter().map(SftpSourceView::from).collect(),
        next_cursor: None,
    }))
}

/// Stop pulling from an SFTP folder (its credentials are deleted; remittances stay).
#[utoipa::path(
    operation_id = "deleteCodSftpSource",
    tag = "cod",
    params(("id" = String, Path, description = "Folder id (`cods_…`)")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[delete("/v1/cod-remittance-sources/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let before = state
        .store
        .cod_sftp_source(&caller.tenant.id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no SFTP folder `{id}`")))?;
    state
        .store
        .cod_sftp_source_delete(&caller.tenant.id, &id)
        .await?;
    super::audit::record(
        &state,
        &caller,
        "cod_sftp_source.deleted",
        ("cod_sftp_source", &before.id),
        serde_json::to_value(SftpSourceView::from(&before)).ok(),
        None,
    )
    .await;
    Ok(HttpResponse::NoContent().finish())
}
