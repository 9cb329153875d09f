//! `PUT /v1/rate-cards/{carrier_account}`, `GET /v1/rate-cards`,
//! `GET /v1/rate-cards/{carrier_account}`: a tenant's rate cards, one per carrier account;
//! `POST /v1/rate-cards/{carrier_account}/validate` checks a card without storing it (the
//! console's "Validate"), through the same parsing as the upload so the two cannot
//! disagree.
//!
//! A card is uploaded as JSON or, for spreadsheets, as `text/csv`; both are validated by
//! the same rules (`carriers::ratecard::card`) and every problem comes back at once as a
//! 422 with its pointer. Uploading is a replacement: the new card becomes the account's
//! active version and the old ones are kept and can be read with `?version=`. Uploading
//! the active card again changes nothing (200, same version), so a retried upload does
//! not pile up versions. Writing takes the `admin` role, reading `read`; a tenant only
//! ever sees its own cards.

use actix_web::web::{self, Json};
use actix_web::{HttpRequest, get, post, put};
use carriers::ratecard::RateCard;
use carriers::schema::FieldError;
use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::guard::{Admin, Key, RawQuery, Read, media_type, read_body};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::rate_cards::SourceFormat;
use crate::store::RateCardRow;

/// One version of a carrier account's card.
#[derive(Debug, Serialize, ToSchema)]
pub struct RateCardView {
    /// The tenant's name for the carrier account the card prices (quotes carry it as
    /// `service`).
    #[schema(example = "delhivery-surface")]
    pub carrier_account: String,
    pub version: i64,
    /// Whether quotes use this version (the newest is the active one).
    pub active: bool,
    /// How it was uploaded: `json` or `csv`.
    pub source_format: String,
    pub created_at: DateTime<Utc>,
    pub card: RateCard,
}

/// A version in an account's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct RateCardVersion {
    pub version: i64,
    pub source_format: String,
    pub created_at: DateTime<Utc>,
}

/// A card with its account's version history, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RateCardDetail {
    #[serde(flatten)]
    pub card: RateCardView,
    pub versions: Vec<RateCardVersion>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RateCardList {
    /// The active card of every carrier account, by account.
    pub data: Vec<RateCardView>,
    /// Always `null`: the whole list is one page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

fn time(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

fn view(row: RateCardRow, active: bool) -> Result<RateCardView, ApiError> {
    let card = RateCard::from_json(&row.card_json).map_err(|e| {
        ApiError::Internal(anyhow::anyhow!(
            "stored rate card {} v{} does not parse: {e}",
            row.carrier_account,
            row.version
        ))
    })?;
    Ok(RateCardView {
        carrier_account: row.carrier_account,
        version: row.version,
        active,
        source_format: row.source_format,
        created_at: time(row.created_at),
        card,
    })
}

/// A carrier account name: lower-case letters, digits, `-`, `_` and `.`, 1 to 64
/// characters, starting with a letter or digit — safe in URLs and as a quote's `service`.
fn carrier_account(path: web::Path<String>) -> Result<String, ApiError> {
    let name = path.into_inner();
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b));
    if ok {
        Ok(name)
    } else {
        Err(ApiError::Validation(vec![FieldError {
            pointer: "/carrier_account".into(),
            code: "invalid_carrier_account".into(),
            detail: format!(
                "`{name}` (the path segment) must be 1 to 64 lower-case letters, digits, - _ or ., \
                 starting with a letter or digit"
            ),
        }]))
    }
}

/// Uploads the account's card (JSON, or CSV with `Content-Type: text/csv`); it becomes the
/// active version at once.
#[utoipa::path(
    operation_id = "putRateCard",
    tag = "rate cards",
    params(("carrier_account" = String, Path, description = "the tenant's name for the carrier account, e.g. `delhivery-surface`: 1 to 64 lower-case letters, digits, `-`, `_` or `.`, starting with a letter or digit", max_length = 64, pattern = r"^[a-z0-9][a-z0-9._-]*$")),
    request_body(content(
        (carriers::ratecard::RateCardInput = "application/json"),
        (String = "text/csv", example = "setting,value\nname,Surface 2026\nvolumetric_divisor,5000\nfirst_slab_g,500\nadditional_slab_g,500\ncod_percent,1.5\ncod_minimum,3500\nfuel_surcharge_percent,12.5\ngst_percent,18\n\nzone,first_slab,additional_slab,transit_days\nwithin_city,3000,2800,1\nrest_of_india,5000,4500,4\n"),
    )),
    responses(
        (status = 201, description = "stored as the account's new active version", body = RateCardView),
        (status = 200, description = "the same card is already active; nothing changed", body = RateCardView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[put("/v1/rate-cards/{carrier_account}")]
pub async fn upload(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    account: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<Reply, ApiError> {
    let account = carrier_account(account)?;
    let body = read_body(&req, payload.into_inner(), &state).await?;
    let tenant = &caller.tenant.id;
    let (format, card) = parse_upload(&state, tenant, &account, &req, &body)?;
    let source = String::from_utf8_lossy(&body);
    // Uploading the active card again is a no-op, so a retried upload adds no version.
    if let Some(active) = state
        .store
        .rate_card_versions(tenant, &account)
        .await?
        .into_iter()
        .next()
        && RateCard::from_json(&active.card_json).is_ok_and(|c| c == card)
    {
        return Ok(Reply::json(200, &view(active, true)?));
    }
    let row = state
        .rate_cards
        .upload(tenant, &account, format, &source, &card)
        .await?;
    tracing::info!(tenant = %caller.tenant.name, carrier_account = %account, version = row.version, "rate card uploaded");
    super::audit::record(
        &state,
        &caller,
        "rate_card.uploaded",
        ("rate_card", &account),
        None,
        Some(serde_json::json!({"version": row.version, "format": format.as_str()})),
    )
    .await;
    Ok(Reply::json(201, &view(row, true)?)
        .with_header("location", format!("/v1/rate-cards/{account}")))
}

/// The card in an upload's body (JSON or CSV by its media type), checked as an upload is:
/// every problem at its pointer.
fn parse_upload(
    state: &AppState,
    tenant: &str,
    account: &str,
    req: &HttpRequest,
    body: &[u8],
) -> Result<(SourceFormat, RateCard), ApiError> {
    let media = media_type(req).unwrap_or_default();
    let (format, card) = if media == "application/json" || media.ends_with("+json") {
        let input: carriers::ratecard::RateCardInput = super::json::parse(body)?;
        let card = RateCard::parse(&input).map_err(ApiError::Validation)?;
        (SourceFormat::Json, card)
    } else if media == "text/csv" {
        let text = std::str::from_utf8(body)
            .map_err(|_| ApiError::BadRequest("a CSV rate card must be UTF-8 text".into()))?;
        let card = carriers::ratecard::csv::parse(text).map_err(ApiError::Validation)?;
        (SourceFormat::Csv, card)
    } else {
        return Err(ApiError::UnsupportedContentType(
            "application/json or text/csv",
        ));
    };
    check_service(&state.registry.for_tenant(tenant), account, &card)?;
    Ok((format, card))
}

/// A card that would be accepted, as it would be stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ValidatedRateCard {
    /// Always `true` (an invalid card is a 422).
    pub valid: bool,
    pub carrier_account: String,
    /// `json` or `csv`.
    pub source_format: String,
    /// The card as it would be stored (normalised).
    pub card: RateCard,
}

/// Checks a card as an upload would, without storing it.
///
/// The same body, media types and checks as `PUT /v1/rate-cards/{carrier_account}`, and
/// the same 422 with every problem at its pointer; nothing is stored and no version is
/// made, so an operator can try a spreadsheet before it prices anything. Any key may
/// validate (uploading needs `admin`).
#[utoipa::path(
    operation_id = "validateRateCard",
    tag = "rate cards",
    params(("carrier_account" = String, Path, description = "the tenant's name for the carrier account the card would price: 1 to 64 lower-case letters, digits, `-`, `_` or `.`, starting with a letter or digit", max_length = 64, pattern = r"^[a-z0-9][a-z0-9._-]*$")),
    request_body(content(
        (carriers::ratecard::RateCardInput = "application/json"),
        (String = "text/csv"),
    )),
    responses(
        (status = 200, description = "Valid: the card as it would be stored", body = ValidatedRateCard),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid: every problem at its pointer, as the upload answers", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/rate-cards/{carrier_account}/validate")]
pub async fn validate(
    state: web::Data<AppState>,
    caller: Key<Read>,
    account: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<Json<ValidatedRateCard>, ApiError> {
    let account = carrier_account(account)?;
    let body = read_body(&req, payload.into_inner(), &state).await?;
    let (format, card) = parse_upload(&state, &caller.tenant.id, &account, &req, &body)?;
    Ok(Json(ValidatedRateCard {
        valid: true,
        carrier_account: account,
        source_format: format.as_str().to_string(),
        card,
    }))
}

/// A card under the account of a carrier with no rate API quotes as that carrier, so it
/// must name a service the carrier books; any other card's `service` is only a label.
fn check_service(
    accounts: &crate::registry::Accounts,
    account: &str,
    card: &RateCard,
) -> Result<(), ApiError> {
    let Some(carrier) = crate::service::rate_cards::priced_account(accounts, account) else {
        return Ok(());
    };
    let offered = carrier.capabilities.services.join(", ");
    let problem = match &card.service {
        None => format!(
            "{} publishes no rate API, so this card quotes it and its quotes book a service: name one of {offered}",
            carrier.id
        ),
        Some(s) if !carrier.capabilities.services.contains(&s.as_str()) => {
            format!(
                "`{s}` is not a {} service; use one of {offered}",
                carrier.id
            )
        }
        Some(_) => return Ok(()),
    };
    Err(ApiError::Validation(vec![carriers::schema::FieldError {
        pointer: "/service".into(),
        code: "invalid_service".into(),
        detail: problem,
    }]))
}

/// The active card of every carrier account of the tenant.
#[utoipa::path(
    operation_id = "listRateCards",
    tag = "rate cards",
    responses((status = 200, body = RateCardList)),
    security(("api_key" = []))
)]
#[get("/v1/rate-cards")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
) -> Result<Json<RateCardList>, ApiError> {
    let rows = state.store.active_rate_cards(&caller.tenant.id).await?;
    let data = rows
        .into_iter()
        .map(|r| view(r, true))
        .collect::<Result<_, _>>()?;
    Ok(Json(RateCardList {
        data,
        next_cursor: None,
    }))
}

/// One account's active card (or `?version=N`) and its version history.
#[utoipa::path(
    operation_id = "getRateCard",
    tag = "rate cards",
    params(
        ("carrier_account" = String, Path, description = "the tenant's name for the carrier account: 1 to 64 lower-case letters, digits, `-`, `_` or `.`, starting with a letter or digit", max_length = 64, pattern = r"^[a-z0-9][a-z0-9._-]*$"),
        ("version" = Option<i64>, Query, description = "an older version (from 1); the active one when absent", minimum = 1),
    ),
    responses(
        (status = 200, body = RateCardDetail),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/rate-cards/{carrier_account}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    account: web::Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<RateCardDetail>, ApiError> {
    let account = carrier_account(account)?;
    let wanted = version_param(raw.as_deref())?;
    let rows = state
        .store
        .rate_card_versions(&caller.tenant.id, &account)
        .await?;
    let Some(active) = rows.first().map(|r| r.version) else {
        return Err(ApiError::NotFound(format!(
            "no rate card for carrier account `{account}`"
        )));
    };
    let versions = rows
        .iter()
        .map(|r| RateCardVersion {
            version: r.version,
            source_format: r.source_format.clone(),
            created_at: time(r.created_at),
        })
        .collect();
    let wanted = wanted.unwrap_or(active);
    let Some(row) = rows.into_iter().find(|r| r.version == wanted) else {
        return Err(ApiError::NotFound(format!(
            "carrier account `{account}` has no version {wanted} (the active one is {active})"
        )));
    };
    Ok(Json(RateCardDetail {
        card: view(row, wanted == active)?,
        versions,
    }))
}

/// `version=N` and nothing else, as a 422 per bad parameter.
fn version_param(raw: Option<&str>) -> Result<Option<i64>, ApiError> {
    let mut version = None;
    let mut errors = Vec::new();
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match name.as_ref() {
            "version" if version.is_none() => match value.parse::<i64>() {
                Ok(v) if v >= 1 => version = Some(v),
                _ => errors.push(FieldError {
                    pointer: "/version".into(),
                    code: "invalid_version".into(),
                    detail: format!(
                        "query parameter `version` is a version number from 1, got `{value}`"
                    ),
                }),
            },
            other => errors.push(FieldError {
                pointer: format!("/{other}"),
                code: if other == "version" {
                    "repeated_parameter"
                } else {
                    "unknown_parameter"
                }
                .into(),
                detail: format!(
                    "query parameter `{other}` is not accepted here (only `version`, once)"
                ),
            }),
        }
    }
    if errors.is_empty() {
        Ok(version)
    } else {
        Err(ApiError::Validation(errors))
    }
}
