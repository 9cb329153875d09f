//! Storefront connections (`/v1/storefronts`): a tenant connects a Shopify, WooCommerce
//! or Magento shop and gets the callback URL its checkout asks for rates
//! (`crate::storefront` has the why).
//!
//! Role: `admin` to connect and disconnect (a connection holds a secret), `read` to see.

use actix_web::web::{self, Json};
use actix_web::{HttpResponse, delete, get, post};
use carriers::schema::Violations;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::guard::{Admin, CreatingRequest, Key, Read, run_creating};
use super::json::parse_json;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::store::StorefrontRow;
use crate::storefront::{Connection, DefaultParcel, Markup, Platform, Settings, secret_context};

/// A new connection.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StorefrontInput {
    /// `shopify`, `woocommerce` or `magento`.
    #[schema(example = "shopify")]
    pub platform: Option<String>,
    /// 1 to 100 characters (Magento shows it as the carrier's title).
    #[schema(example = "Main shop")]
    pub name: Option<String>,
    /// Shopify: the shop's `*.myshopify.com` domain.
    pub shop_domain: Option<String>,
    /// Shopify: the app's client secret, which Shopify signs rate requests with
    /// (required). WooCommerce, Magento: leave out and shipgate makes one (shown once).
    pub secret: Option<String>,
    /// The warehouse to quote from when the shop's request has none.
    #[schema(value_type = Option<carriers::schema::AddressInput>)]
    pub origin: Option<serde_json::Value>,
    pub default_parcel: Option<DefaultParcel>,
    /// Offer only these: carrier ids, carrier account ids, or `<carrier or account>:<service>`.
    pub services: Option<Vec<String>>,
    pub markup: Option<Markup>,
}

/// A connection as the API shows it: never its secret, except once when shipgate made it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StorefrontView {
    /// `sf_…`.
    pub id: String,
    pub platform: String,
    pub name: String,
    /// Where the shop's checkout asks for rates: give it to the platform (see
    /// docs/storefronts.md). Unguessable: it names the connection.
    pub callback_url: String,
    #[serde(flatten)]
    pub settings: Settings,
    /// The secret the plugin signs with (WooCommerce) or sends as its bearer token
    /// (Magento): in the answer to creating only, never again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl StorefrontView {
    fn of(connection: &Connection, public_url: &str) -> StorefrontView {
        StorefrontView {
            id: connection.row.id.clone(),
            platform: connection.row.platform.clone(),
            name: connection.row.name.clone(),
            callback_url: connection.callback_url(public_url),
            settings: connection.settings.clone(),
            secret: None,
            created_at: DateTime::from_timestamp_millis(connection.row.created_at)
                .unwrap_or_default(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StorefrontList {
    pub data: Vec<StorefrontView>,
    /// Always null: a tenant's connections fit on one page.
    pub next_cursor: Option<String>,
}

/// Read and check a new connection; every mistake at its pointer.
fn settings_of(input: &StorefrontInput) -> Result<(Platform, String, Settings), ApiError> {
    let mut v = Violations::default();
    let platform = match input.platform.as_deref().map(str::trim) {
        None | Some("") => {
            v.add("/platform", "required", "shopify, woocommerce or magento");
            None
        }
        Some(p) => Platform::parse(p).or_else(|| {
            v.add(
                "/platform",
                "invalid_value",
                "shopify, woocommerce or magento",
            );
            None
        }),
    };
    let name = input.name.as_deref().map(str::trim).unwrap_or_default();
    if name.is_empty() || name.chars().count() > 100 {
        v.add(
            "/name",
            if name.is_empty() {
                "required"
            } else {
                "too_long"
            },
            "1 to 100 characters",
        );
    }
    let shop_domain = input
        .shop_domain
        .as_deref()
        .map(|d| d.trim().to_ascii_lowercase())
        .filter(|d| !d.is_empty());
    if shop_domain
        .as_deref()
        .is_some_and(|d| d.len() > 255 || !d.contains('.') || d.contains(['/', ' ', ':']))
    {
        v.add(
            "/shop_domain",
            "invalid_value",
            "a host name such as example.myshopify.com",
        );
    }
    match (&platform, input.secret.as_deref().map(str::trim)) {
        (Some(Platform::Shopify), None | Some("")) => v.add(
            "/secret",
            "required",
            "Shopify signs rate requests with your app's client secret: give it here",
        ),
        (_, Some(s)) if s.len() < 16 || s.len() > 512 => {
            v.add("/secret", "invalid_value", "16 to 512 characters")
        }
        _ => {}
    }
    if let Some(origin) = &input.origin {
        crate::storefront::check_origin(origin, &mut v);
    }
    if let Some(p) = &input.default_parcel {
        let mut check = |name: &str, value: Option<i64>, max: i64| {
            if value.is_some_and(|x| !(1..=max).contains(&x)) {
                v.add(
                    format!("/default_parcel/{name}"),
                    "out_of_range",
                    format!("1 to {max}"),
                );
            }
        };
        check("weight_g", p.weight_g, 1_000_000);
        check("length_mm", p.length_mm, 5000);
        check("width_mm", p.width_mm, 5000);
        check("height_mm", p.height_mm, 5000);
        let sides = [p.length_mm, p.width_mm, p.height_mm];
        if sides.iter().any(Option::is_some) && !sides.iter().all(Option::is_some) {
            v.add(
                "/default_parcel",
                "incomplete_dimensions",
                "give length_mm, width_mm and height_mm together, or none",
            );
        }
    }
    if let Some(services) = &input.services {
        for (i, s) in services.iter().enumerate() {
            if s.trim().is_empty() || s.len() > 200 {
                v.add(
                    format!("/services/{i}"),
                    "invalid_value",
                    "a carrier, a carrier account or <carrier>:<service>",
                );
            }
        }
    }
    if let Some(m) = &input.markup {
        m.check("/markup", &mut v);
    }
    let platform = v
        .finish(|| platform)
        .map_err(ApiError::Validation)?
        .expect("checked");
    Ok((
        platform,
        name.to_string(),
        Settings {
            shop_domain,
            origin: input.origin.clone(),
            default_parcel: input.default_parcel,
            services: input.services.clone(),
            markup: input.markup.clone(),
        },
    ))
}

/// Connect a shop's checkout.
///
/// Answers the connection with its `callback_url` (the platform's checkout posts rate
/// requests there) and, for WooCommerce and Magento without a `secret` given, the secret
/// the plugin authenticates with, shown this once. Secrets are sealed at rest like
/// carrier credentials. Set-up on each platform: docs/storefronts.md.
#[utoipa::path(
    operation_id = "createStorefront",
    tag = "storefronts",
    request_body = StorefrontInput,
    responses(
        (status = 201, body = StorefrontView),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, every one at its pointer", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The gateway has no master key to seal secrets", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[post("/v1/storefronts")]
pub async fn create(state: web::Data<AppState>, request: CreatingRequest<Admin>) -> Reply {
    run_creating(state, request, |state, request| async move {
        let input: StorefrontInput = parse_json(request.json, &request.body)?;
        let tenant_id = &request.caller.tenant.id;
        let (platform, name, settings) = settings_of(&input)?;
        let keys = state.sealing.as_deref().ok_or_else(|| {
            ApiError::Unavailable(
                "this gateway has no master key (SHIPGATE_MASTER_KEY), so it cannot store \
                 storefront secrets; its operator must configure one"
                    .into(),
            )
        })?;
        let given = input
            .secret
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let secret = given
            .map(str::to_string)
            .unwrap_or_else(crate::store::new_tracking_token);
        let mut row = StorefrontRow {
            id: format!("sf_{}", uuid::Uuid::now_v7().simple()),
            tenant_id: tenant_id.clone(),
            platform: platform.as_str().to_string(),
            name,
            token: crate::store::new_tracking_token(),
            secret_sealed: String::new(),
            settings: serde_json::to_string(&settings).map_err(|e| ApiError::Internal(e.into()))?,
            created_at: Utc::now().timestamp_millis(),
        };
        row.secret_sealed = keys.seal(&secret, &secret_context(&row));
        state.store.storefront_add(&row).await?;
        let connection = Connection::of(row)?;
        let mut view = StorefrontView::of(&connection, &state.public_url);
        super::audit::record(
            &state,
            &request.caller,
            "storefront.created",
            ("storefront", &view.id),
            None,
            serde_json::to_value(&view).ok(),
        )
        .await;
        view.secret = given.is_none().then_some(secret);
        Ok(Reply::json(201, &view).with_header("location", format!("/v1/storefronts/{}", view.id)))
    })
    .await
}

/// The tenant's storefront connections.
#[utoipa::path(
    operation_id = "listStorefronts",
    tag = "storefronts",
    responses((status = 200, body = StorefrontList)),
    security(("api_key" = []))
)]
#[get("/v1/storefronts")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
) -> Result<Json<StorefrontList>, ApiError> {
    let rows = state.store.storefronts(&caller.tenant.id).await?;
    let data = rows
        .into_iter()
        .map(|row| Ok(StorefrontView::of(&Connection::of(row)?, &state.public_url)))
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(StorefrontList {
        data,
        next_cursor: None,
    }))
}

/// One storefront connection.
#[utoipa::path(
    operation_id = "getStorefront",
    tag = "storefronts",
    params(("id" = String, Path, description = "Connection id (`sf_…`)")),
    responses(
        (status = 200, body = StorefrontView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/storefronts/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
    id: web::Path<String>,
) -> Result<Json<StorefrontView>, ApiError> {
    let row = state
        .store
        .storefront(&caller.tenant.id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no storefront `{id}`")))?;
    Ok(Json(StorefrontView::of(
        &Connection::of(row)?,
        &state.public_url,
    )))
}

/// Disconnect a shop: its callback URL answers 404 from now on (the platform then shows
/// its backup rates).
#[utoipa::path(
    operation_id = "deleteStorefront",
    tag = "storefronts",
    params(("id" = String, Path, description = "Connection id (`sf_…`)")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[delete("/v1/storefronts/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let before = state
        .store
        .storefront(&caller.tenant.id, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no storefront `{id}`")))?;
    state
        .store
        .storefront_delete(&caller.tenant.id, &id)
        .await?;
    let view = StorefrontView::of(&Connection::of(before)?, &state.public_url);
    super::audit::record(
        &state,
        &caller,
        "storefront.deleted",
        ("storefront", &view.id),
        serde_json::to_value(&view).ok(),
        None,
    )
    .await;
    Ok(HttpResponse::NoContent().finish())
}
