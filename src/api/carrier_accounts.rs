//! `/v1/carrier-accounts`: a tenant's own carrier accounts (its contract with Delhivery,
//! Shiprocket, …), beside the platform accounts the gateway's operator configures.
//!
//! Credentials go in and never come out: an answer says which credential fields are set
//! and when they last changed, nothing more. They are sealed before they reach the store
//! (`service::carrier_accounts`), and checked against the carrier before they are saved
//! where the carrier has a cheap authenticated call, so a typo is a 422 now rather than
//! a failed booking later. Every change applies to this process at once and to the
//! others within `carrier_accounts.refresh_ms` (`crate::registry`).
//!
//! Changing accounts needs the `admin` role; reading, `read`. Another tenant's account
//! is a 404, as a missing one.

use std::collections::BTreeMap;

use actix_web::web::{self, Json};
use actix_web::{HttpResponse, delete, get, patch, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use carriers::schema::FieldError;
use carriers::{AccountCheck, CarrierError, CarrierSpec, Operation};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zeroize::{Zeroize, Zeroizing};

use super::audit;
use super::guard::{Admin, CreatingRequest, Key, Read, run_creating};
use super::json::{ApiJson, parse_json};
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::executor::observe;
use crate::registry::{Candidate, TENANT_ACCOUNT_PREFIX, TenantAccountOptions};
use crate::reply::Reply;
use crate::sealed::Keyring;
use crate::service::carrier_accounts::{
    Credentials, credential_fields, open_credentials, seal_credentials, seal_push_secret,
};
use crate::store::{AccountChange, AccountRow, NewAccount};

const MAX_NAME: usize = 100;
const MAX_VALUE: usize = 1_000;
const MAX_SERVICES: usize = 50;

fn ms(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t).unwrap_or_default()
}

fn field(pointer: impl Into<String>, code: &str, detail: impl Into<String>) -> FieldError {
    FieldError {
        pointer: pointer.into(),
        code: code.into(),
        detail: detail.into(),
    }
}

// ---- bodies ---------------------------------------------------------------------------

/// A new carrier account. (No `Debug`: it holds credentials.)
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountInput {
    /// The carrier: `delhivery`, `shiprocket`, … (`GET /v1/carriers` lists those enabled;
    /// every carrier shipgate has an adapter for may be used).
    #[schema(value_type = String, min_length = 1)]
    carrier: Option<String>,
    /// A name for people, unique per carrier in the tenant: 1 to 100 characters.
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    name: Option<String>,
    /// The carrier's credential fields (Delhivery: `api_token`; Shiprocket: `email`,
    /// `password`). Stored encrypted, never shown again.
    #[schema(value_type = BTreeMap<String, String>)]
    credentials: Option<BTreeMap<String, String>>,
    /// The carrier's settings that are not secret (Delhivery and Shiprocket:
    /// `pickup_location`, the warehouse registered with the carrier).
    settings: Option<BTreeMap<String, String>>,
    /// The gateway's options for this account.
    options: Option<TenantAccountOptions>,
}

/// A change to an account; fields left out stay as they are. (No `Debug`: it may hold
/// credentials.)
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountUpdate {
    #[schema(min_length = 1, max_length = 100)]
    name: Option<String>,
    /// A disabled account books and quotes nothing; its shipments are still tracked.
    enabled: Option<bool>,
    /// New values for these credential fields (a rotation), checked against the carrier
    /// before they are saved; fields left out keep their value.
    credentials: Option<BTreeMap<String, String>>,
    /// New values for these settings; settings left out keep their value.
    settings: Option<BTreeMap<String, String>>,
    /// Replaces the account's options.
    options: Option<TenantAccountOptions>,
    /// `true`: a new push secret, shown in this answer only (the old one stops working).
    rotate_push_secret: Option<bool>,
}

/// A carrier account as the API shows it: never a credential.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    /// `ca_…`: what rates, bookings, selection rules and shipments call the account.
    pub id: String,
    pub carrier: String,
    pub name: String,
    pub enabled: bool,
    /// `active`, `disabled`, or `unusable` (stored, but it cannot be used: `problem` says
    /// why).
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// The credential fields that are set; their values are never shown.
    pub credential_fields: Vec<String>,
    pub credentials_changed_at: DateTime<Utc>,
    pub settings: BTreeMap<String, String>,
    pub options: TenantAccountOptions,
    /// Where the carrier should push this account's tracking scans, with the push
    /// secret in `push_secret_header`.
    pub push_url: String,
    pub push_secret_header: &'static str,
    /// The account's circuit breaker in the process that answers; null when the account
    /// is not loaded (`unusable`).
    #[schema(required = true)]
    pub circuit: Option<super::health::CircuitView>,
    /// Its outbound quota's use over the last minute in this process; null when its calls
    /// are not paced or it is not loaded.
    #[schema(required = true)]
    pub quota: Option<super::health::QuotaUse>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new or changed account, with what is shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountAnswer {
    #[serde(flatten)]
    pub account: AccountView,
    /// Whether the carrier accepted the credentials just now (`false`: the carrier has no
    /// call to check them with, or they did not change).
    pub checked_with_carrier: bool,
    /// The account's push secret, shown in this answer only (absent from a replay under
    /// the same `Idempotency-Key`, and when it did not change).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false)]
    pub push_secret: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountList {
    pub data: Vec<AccountView>,
    /// Always null: a tenant's accounts fit on one page.
    pub next_cursor: Option<String>,
}

// ---- checks ---------------------------------------------------------------------------

fn spec_of(carrier: &str) -> Option<CarrierSpec> {
    carriers::registry().into_iter().find(|s| s.id == carrier)
}

fn name(raw: &str, pointer: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        errors.push(field(
            pointer,
            "invalid_name",
            format!("a name has 1 to {MAX_NAME} characters"),
        ));
        return None;
    }
    Some(name.to_string())
}

/// The given fields of one kind (credentials: `secret`), each checked to be one the
/// carrier knows as that kind and to have a value.
fn fields(
    spec: &CarrierSpec,
    given: &BTreeMap<String, String>,
    secret: bool,
    errors: &mut Vec<FieldError>,
) {
    let (here, there) = match secret {
        true => ("credentials", "settings"),
        false => ("settings", "credentials"),
    };
    for (key, value) in given {
        let pointer = format!("/{here}/{}", key.replace('~', "~0").replace('/', "~1"));
        match spec.setting(key) {
            None => {
                let known: Vec<&str> = spec
                    .settings
                    .iter()
                    .filter(|s| s.secret == secret)
                    .map(|s| s.key)
                    .collect();
                errors.push(field(
                    pointer,
                    "unknown_field",
                    format!(
                        "{} has no {here} field `{key}`; it knows: {}",
                        spec.id,
                        known.join(", ")
                    ),
                ));
            }
            Some(s) if s.secret != secret => errors.push(field(
                pointer,
                "misplaced_field",
                format!("`{key}` belongs in `{there}`"),
            )),
            Some(_) if value.trim().is_empty() || value.len() > MAX_VALUE => errors.push(field(
                pointer,
                "invalid_value",
                format!("`{key}` needs a value of 1 to {MAX_VALUE} bytes"),
            )),
            Some(_) => {}
        }
    }
}

/// Every field of one kind the carrier requires, present in `present`.
fn required(
    spec: &CarrierSpec,
    present: &dyn Fn(&str) -> bool,
    secret: bool,
    errors: &mut Vec<FieldError>,
) {
    let here = if secret { "credentials" } else { "settings" };
    for s in spec
        .settings
        .iter()
        .filter(|s| s.secret == secret && s.required)
    {
        if !present(s.key) {
            errors.push(field(
                format!("/{here}/{}", s.key),
                "required",
                format!("{} needs `{}`: {}", spec.id, s.key, s.about),
            ));
        }
    }
}

fn options(options: &TenantAccountOptions, errors: &mut Vec<FieldError>) {
    if options.cod_remittance_days.is_some_and(|d| d > 90) {
        errors.push(field(
            "/options/cod_remittance_days",
            "out_of_range",
            "cod_remittance_days is 0 to 90 days after delivery",
        ));
    }
    if let Some(q) = options.quota_per_second
        && !(q.is_finite() && (0.01..=1000.0).contains(&q))
    {
        errors.push(field(
            "/options/quota_per_second",
            "out_of_range",
            "quota_per_second is between 0.01 and 1000 requests a second",
        ));
    }
    if let Some(services) = &options.services {
        if services.is_empty() || services.len() > MAX_SERVICES {
            errors.push(field(
                "/options/services",
                "invalid_services",
                format!("list 1 to {MAX_SERVICES} service codes, or leave services out for all"),
            ));
        }
        for (i, s) in services.iter().enumerate() {
            if s.trim().is_empty() || s.len() > 100 {
                errors.push(field(
                    format!("/options/services/{i}"),
                    "invalid_value",
                    "a service code has 1 to 100 bytes",
                ));
            }
        }
    }
}

fn keys(state: &AppState) -> Result<&Keyring, ApiError> {
    state.sealing.as_deref().ok_or_else(|| {
        ApiError::Unavailable(
            "this gateway has no master key (SHIPGATE_MASTER_KEY), so it cannot store carrier \
             credentials; its operator must configure one"
                .into(),
        )
    })
}

/// Asks the carrier whether it accepts the account, where it has a cheap authenticated
/// call. A refusal is the caller's to fix (422, in the carrier's words); a carrier that
/// could not be reached leaves nothing saved (the error's own status).
async fn check(
    state: &AppState,
    spec: &CarrierSpec,
    tenant_id: &str,
    account: &str,
    settings: carriers::Settings,
    options: &TenantAccountOptions,
) -> Result<bool, ApiError> {
    let candidate = state
        .registry
        .build_tenant_account(Candidate {
            spec,
            tenant_id,
            account,
            settings,
            options,
            enabled: true,
            updated_at: 0,
            push_token: String::new(),
            push_secret: Zeroizing::new(String::new()),
        })
        .map_err(|e| ApiError::Validation(vec![field("/settings", "invalid_account", e)]))?;
    let checked = observe(
        candidate.transport.account(),
        Operation::CheckAccount,
        candidate.adapter.check_account(&candidate.transport),
    )
    .await;
    match checked {
        Ok(AccountCheck::Verified) => Ok(true),
        Ok(AccountCheck::NotOffered) => Ok(false),
        Err(CarrierError::Rejected { message, .. }) => Err(ApiError::Validation(vec![field(
            "/credentials",
            "carrier_refused_credentials",
            format!("{} refused these credentials: {message}", spec.name),
        )])),
        Err(error) => Err(ApiError::Carrier {
            carrier: spec.id.into(),
            error,
            shipment_id: None,
        }),
    }
}

/// Credentials as given, trimmed, in memory that is wiped when dropped (the given
/// strings wiped now).
fn wiped(given: BTreeMap<String, String>) -> Credentials {
    given
        .into_iter()
        .map(|(k, mut v)| {
            let kept = Zeroizing::new(v.trim().to_string());
            v.zeroize();
            (k, kept)
        })
        .collect()
}

/// A random string of `bytes` bytes, URL-safe.
fn random(bytes: usize) -> String {
    use rand::RngCore as _;
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

fn view(state: &AppState, row: AccountRow) -> AccountView {
    let spec = spec_of(&row.carrier);
    let problem = state.registry.problem(&row.id);
    let loaded = state.registry.booked_with(&row.tenant_id, &row.id);
    let status = match (&problem, row.enabled) {
        (Some(_), _) => "unusable",
        (None, true) => "active",
        (None, false) => "disabled",
    };
    AccountView {
        push_url: format!(
            "{}/v1/carriers/{}/webhooks/{}",
            state.public_url.trim_end_matches('/'),
            row.carrier,
            row.push_token
        ),
        push_secret_header: spec.as_ref().map_or("", |s| s.webhook_token_header),
        credential_fields: credential_fields(&row).unwrap_or_default(),
        credentials_changed_at: ms(row.credentials_changed_at),
        circuit: loaded
            .as_ref()
            .map(|a| super::health::CircuitView::of(&a.transport)),
        quota: loaded
            .as_ref()
            .and_then(|a| super::health::QuotaUse::of(&a.transport)),
        settings: serde_json::from_str(&row.settings_json).unwrap_or_default(),
        options: serde_json::from_str(&row.options_json).unwrap_or_default(),
        created_at: ms(row.created_at),
        updated_at: ms(row.updated_at),
        status,
        problem,
        id: row.id,
        carrier: row.carrier,
        name: row.name,
        enabled: row.enabled,
    }
}

/// Applies a change to this process at once; the others follow at their next refresh.
async fn apply(state: &AppState) {
    if let Err(e) = state
        .registry
        .refresh(&state.store, state.sealing.as_deref())
        .await
    {
        tracing::warn!(error = %e, "carrier accounts changed but not reloaded yet; the refresher tries again");
    }
}

async fn owned(state: &AppState, caller: &Caller, id: &str) -> Result<AccountRow, ApiError> {
    state
        .store
        .carrier_account(&caller.tenant.id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no carrier account `{id}`")))
}

fn conflict_on_name(e: sqlx::Error) -> ApiError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => ApiError::Conflict {
            code: "duplicate_name",
            detail: "the tenant already has an account of this carrier by this name".into(),
            shipment_id: None,
        },
        _ => e.into(),
    }
}

// ---- handlers -------------------------------------------------------------------------

/// Add one of the tenant's own carrier accounts.
///
/// The credentials are checked with the carrier first where it has a cheap authenticated
/// call (Delhivery: a pincode query; Shiprocket: a login): a refusal is a 422 at
/// `/credentials` in the carrier's words, and nothing is saved. The answer carries the
/// account's push secret, shown this once; `push_url` is where the carrier should push
/// its tracking scans.
#[utoipa::path(
    operation_id = "createCarrierAccount",
    tag = "carrier-accounts",
    request_body = AccountInput,
    responses(
        (status = 201, body = AccountAnswer),
        (status = 403, description = "The key's role is not `admin`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The tenant has an account of this carrier by this name (`duplicate_name`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the carrier refused the credentials (`carrier_refused_credentials` at `/credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The carrier could not check the credentials (nothing saved)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The carrier could not be reached, or the gateway has no master key (nothing saved)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/carrier-accounts")]
pub async fn create(state: web::Data<AppState>, request: CreatingRequest<Admin>) -> Reply {
    run_creating(state, request, |state, request| async move {
        let input: AccountInput = parse_json(request.json, &request.body)?;
        create_account(&state, &request.caller, input).await
    })
    .await
}

async fn create_account(
    state: &AppState,
    caller: &Caller,
    input: AccountInput,
) -> Result<Reply, ApiError> {
    let mut errors = Vec::new();
    let spec = match input.carrier.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(field("/carrier", "required", "the carrier is required"));
            None
        }
        Some(id) => {
            let spec = spec_of(id);
            if spec.is_none() {
                let known: Vec<&str> = carriers::registry().iter().map(|s| s.id).collect();
                errors.push(field(
                    "/carrier",
                    "unknown_carrier",
                    format!(
                        "`{id}` is not a carrier shipgate knows: {}",
                        known.join(", ")
                    ),
                ));
            }
            spec
        }
    };
    let name = match input.name.as_deref() {
        Some(raw) => name(raw, "/name", &mut errors),
        None => {
            errors.push(field("/name", "required", "a name is required"));
            None
        }
    };
    let credentials = input.credentials.unwrap_or_default();
    let settings = input.settings.unwrap_or_default();
    let account_options = input.options.unwrap_or_default();
    options(&account_options, &mut errors);
    if let Some(spec) = &spec {
        fields(spec, &credentials, true, &mut errors);
        fields(spec, &settings, false, &mut errors);
        required(spec, &|k| credentials.contains_key(k), true, &mut errors);
        required(spec, &|k| settings.contains_key(k), false, &mut errors);
    }
    let (Some(spec), Some(name)) = (spec, name) else {
        return Err(ApiError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let keys = keys(state)?;
    let tenant_id = &caller.tenant.id;
    let id = format!("{TENANT_ACCOUNT_PREFIX}{}", uuid::Uuid::now_v7().simple());
    let credentials = wiped(credentials);
    let settings: BTreeMap<String, String> = settings
        .into_iter()
        .map(|(k, v)| (k, v.trim().to_string()))
        .collect();
    let mut all = settings.clone();
    all.extend(credentials.iter().map(|(k, v)| (k.clone(), v.to_string())));
    let checked = check(state, &spec, tenant_id, &id, all, &account_options).await?;

    let push_secret = Zeroizing::new(format!("psk_{}", random(32)));
    let row = state
        .store
        .add_carrier_account(&NewAccount {
            tenant_id,
            id: &id,
            carrier: spec.id,
            name: &name,
            settings_json: &serde_json::to_string(&settings).expect("strings serialise"),
            credentials_json: &seal_credentials(keys, tenant_id, &id, &credentials),
            push_token: &random(24),
            push_secret: &seal_push_secret(keys, tenant_id, &id, &push_secret),
            options_json: &serde_json::to_string(&account_options).expect("options serialise"),
        })
        .await
        .map_err(conflict_on_name)?;
    tracing::info!(tenant = %caller.tenant.name, account = %row.id, carrier = %row.carrier, checked_with_carrier = checked, "tenant carrier account added");
    apply(state).await;
    let shown = view(state, row);
    audit::record(
        state,
        caller,
        "carrier_account.created",
        ("carrier_account", &shown.id),
        None,
        serde_json::to_value(&shown).ok(),
    )
    .await;
    let body = AccountAnswer {
        account: shown,
        checked_with_carrier: checked,
        push_secret: Some(push_secret.to_string()),
    };
    let location = format!("/v1/carrier-accounts/{}", body.account.id);
    Ok(Reply::json(201, &body)
        .with_header("location", location)
        .with_secret("push_secret"))
}

/// The tenant's own carrier accounts, by carrier and name.
#[utoipa::path(
    operation_id = "listCarrierAccounts",
    tag = "carrier-accounts",
    responses((status = 200, body = AccountList)),
    security(("api_key" = []))
)]
#[get("/v1/carrier-accounts")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
) -> Result<Json<AccountList>, ApiError> {
    let rows = state.store.carrier_accounts(&caller.tenant.id).await?;
    Ok(Json(AccountList {
        data: rows.into_iter().map(|r| view(&state, r)).collect(),
        next_cursor: None,
    }))
}

/// One of the tenant's own carrier accounts.
#[utoipa::path(
    operation_id = "getCarrierAccount",
    tag = "carrier-accounts",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = AccountView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/carrier-accounts/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<AccountView>, ApiError> {
    Ok(Json(view(&state, owned(&state, &caller, &id).await?)))
}

/// Change an account: rotate credentials (checked with the carrier first), change
/// settings or options, enable or disable it, or rotate its push secret.
///
/// Calls already under way finish on the credentials they started with; calls after
/// the answer use the new ones, on every gateway process within
/// `carrier_accounts.refresh_ms`.
#[utoipa::path(
    operation_id = "updateCarrierAccount",
    tag = "carrier-accounts",
    params(("id" = String, Path)),
    request_body = AccountUpdate,
    responses(
        (status = 200, body = AccountAnswer),
        (status = 403, description = "The key's role is not `admin`", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The tenant has an account of this carrier by this name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or the carrier refused the new credentials", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "The carrier could not check the credentials (nothing changed)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The carrier could not be reached (nothing changed)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[patch("/v1/carrier-accounts/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    id: web::Path<String>,
    ApiJson(input): ApiJson<AccountUpdate>,
) -> Result<HttpResponse, ApiError> {
    let row = owned(&state, &caller, &id).await?;
    let before = serde_json::to_value(view(&state, row.clone())).ok();
    let spec = spec_of(&row.carrier)
        .ok_or_else(|| ApiError::NotFound(format!("carrier `{}` is not known", row.carrier)))?;
    let mut errors = Vec::new();
    let mut change = AccountChange {
        enabled: input.enabled,
        ..AccountChange::default()
    };
    if let Some(raw) = &input.name {
        change.name = name(raw, "/name", &mut errors);
    }
    if let Some(o) = &input.options {
        options(o, &mut errors);
    }
    let new_credentials = input.credentials.unwrap_or_default();
    let new_settings = input.settings.unwrap_or_default();
    fields(&spec, &new_credentials, true, &mut errors);
    fields(&spec, &new_settings, false, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let keys = keys(&state)?;
    let tenant_id = &caller.tenant.id;
    let mut settings: BTreeMap<String, String> =
        serde_json::from_str(&row.settings_json).unwrap_or_default();
    settings.extend(
        new_settings
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_string())),
    );
    let account_options = input
        .options
        .clone()
        .unwrap_or_else(|| serde_json::from_str(&row.options_json).unwrap_or_default());

    // New credentials or settings change what the carrier sees: check them first.
    let mut checked = false;
    let rotating = !new_credentials.is_empty();
    if rotating || settings_changed(&row, &settings) {
        let mut credentials = match open_credentials(keys, &row) {
            Ok(credentials) => credentials,
            // Stored ones that no longer open can be replaced: every required field is
            // then checked to be given anew.
            Err(_) if rotating => Credentials::new(),
            Err(e) => {
                return Err(ApiError::Unavailable(format!(
                    "the account's stored credentials cannot be opened ({e}); send every credential field again"
                )));
            }
        };
        credentials.extend(wiped(new_credentials));
        let mut missing = Vec::new();
        required(&spec, &|k| credentials.contains_key(k), true, &mut missing);
        if !missing.is_empty() {
            return Err(ApiError::Validation(missing));
        }
        let mut all = settings.clone();
        all.extend(credentials.iter().map(|(k, v)| (k.clone(), v.to_string())));
        checked = check(&state, &spec, tenant_id, &row.id, all, &account_options).await?;
        if rotating {
            change.credentials_json =
                Some(seal_credentials(keys, tenant_id, &row.id, &credentials));
        }
        change.settings_json = Some(serde_json::to_string(&settings).expect("strings serialise"));
    }
    if input.options.is_some() {
        change.options_json =
            Some(serde_json::to_string(&account_options).expect("options serialise"));
    }
    let push_secret = (input.rotate_push_secret == Some(true))
        .then(|| Zeroizing::new(format!("psk_{}", random(32))));
    if let Some(secret) = &push_secret {
        change.push_secret = Some(seal_push_secret(keys, tenant_id, &row.id, secret));
    }
    let row = state
        .store
        .change_carrier_account(tenant_id, &row.id, &change)
        .await
        .map_err(conflict_on_name)?
        .ok_or_else(|| ApiError::NotFound(format!("no carrier account `{id}`")))?;
    tracing::info!(
        tenant = %caller.tenant.name,
        account = %row.id,
        credentials_rotated = rotating,
        push_secret_rotated = push_secret.is_some(),
        enabled = row.enabled,
        "tenant carrier account changed"
    );
    apply(&state).await;
    let shown = view(&state, row);
    let mut after = serde_json::to_value(&shown).ok();
    if let Some(after) = after.as_mut().and_then(|a| a.as_object_mut()) {
        // What a rotation changed, without the values.
        after.insert("push_secret_rotated".into(), push_secret.is_some().into());
    }
    audit::record(
        &state,
        &caller,
        "carrier_account.updated",
        ("carrier_account", &shown.id),
        before,
        after,
    )
    .await;
    Ok(HttpResponse::Ok().json(AccountAnswer {
        account: shown,
        checked_with_carrier: checked,
        push_secret: push_secret.map(|s| s.to_string()),
    }))
}

fn settings_changed(row: &AccountRow, settings: &BTreeMap<String, String>) -> bool {
    serde_json::from_str::<BTreeMap<String, String>>(&row.settings_json)
        .ok()
        .as_ref()
        != Some(settings)
}

/// Delete an account.
///
/// Refused (409 `account_in_use`) while shipments booked with it are still under way:
/// without the account they could no longer be tracked or cancelled. Disable it instead,
/// and delete it once they are done.
#[utoipa::path(
    operation_id = "deleteCarrierAccount",
    tag = "carrier-accounts",
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "The key's role is not `admin`", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Shipments booked with it are still under way", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[delete("/v1/carrier-accounts/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let row = owned(&state, &caller, &id).await?;
    let open = state
        .store
        .open_shipments_of_account(&caller.tenant.id, &row.id)
        .await?;
    if open > 0 {
        return Err(ApiError::Conflict {
            code: "account_in_use",
            detail: format!(
                "{open} shipment(s) booked with this account are still under way; disable it \
                 (PATCH enabled=false) and delete it once they are done"
            ),
            shipment_id: None,
        });
    }
    if !state
        .store
        .delete_carrier_account(&caller.tenant.id, &row.id)
        .await?
    {
        return Err(ApiError::NotFound(format!("no carrier account `{id}`")));
    }
    tracing::info!(tenant = %caller.tenant.name, account = %row.id, "tenant carrier account deleted");
    apply(&state).await;
    let id = row.id.clone();
    audit::record(
        &state,
        &caller,
        "carrier_account.deleted",
        ("carrier_account", &id),
        serde_json::to_value(view(&state, row)).ok(),
        None,
    )
    .await;
    Ok(HttpResponse::NoContent().finish())
}
