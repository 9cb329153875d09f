//! Storefront checkout rates (issue 21): a shop's checkout asks shipgate for shipping
//! rates while the buyer waits — Shopify through its CarrierService callback, WooCommerce
//! and Magento through the small shipping-method plugins under `integrations/`.
//!
//! Each platform's request is read in its own shape (`shopify`, `woocommerce`,
//! `magento`) into a [`Cart`], priced exactly as `POST /v1/rates` prices (the tenant's
//! carriers, rate cards and selection rules: `service::rate_quote`), and answered in the
//! platform's shape. Platforms cut slow callbacks off (Shopify: 10 s down to 3 s under
//! load), so the rate shop's deadline is `storefront.deadline_ms` and whatever quotes are
//! ready then are answered. A buyer refreshing checkout sends the same cart again: the
//! answer is cached per connection and cart for `storefront.cache_ttl_ms`, so it does not
//! fan out to the carriers again.

pub mod magento;
pub mod shopify;
pub mod woocommerce;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use actix_web::http::header::HeaderMap;
use carriers::schema::{
    Address, AddressInput, Currency, FieldError, Money, ParcelInput, PaymentInput, Phone,
    RateQuote, RateRequestInput, Violations,
};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::AppState;
use crate::config::StorefrontConfig;
use crate::error::ApiError;
use crate::store::StorefrontRow;

/// The platforms a connection can be for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Shopify,
    WooCommerce,
    Magento,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Shopify, Platform::WooCommerce, Platform::Magento];

    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Shopify => "shopify",
            Platform::WooCommerce => "woocommerce",
            Platform::Magento => "magento",
        }
    }

    pub fn parse(text: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// Whether the request is the shop's, each platform the way it can sign: Shopify an
    /// HMAC-SHA256 of the body with the app's client secret (base64, in
    /// `X-Shopify-Hmac-Sha256`); the WooCommerce plugin the same with the connection's
    /// secret (in `X-Shipgate-Signature`, as WooCommerce signs its own webhooks); the
    /// Magento module the secret as a bearer token, as Magento integrations do.
    fn authentic(self, secret: &str, headers: &HeaderMap, body: &[u8]) -> bool {
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
        };
        match self {
            Platform::Shopify => carriers::push_auth::signature_matches(
                secret.as_bytes(),
                header(shopify::SIGNATURE_HEADER),
                body,
            ),
            Platform::WooCommerce => carriers::push_auth::signature_matches(
                secret.as_bytes(),
                header(woocommerce::SIGNATURE_HEADER),
                body,
            ),
            Platform::Magento => {
                header("authorization")
                    .strip_prefix("Bearer ")
                    .is_some_and(|given| {
                        crate::console::session::constant_time_eq(
                            given.trim().as_bytes(),
                            secret.as_bytes(),
                        )
                    })
            }
        }
    }
}

/// A connection's settings (stored as JSON beside it).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(as = StorefrontSettings)]
pub struct Settings {
    /// The shop's domain (`example.myshopify.com`): a Shopify request naming another shop
    /// in `X-Shopify-Shop-Domain` is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shop_domain: Option<String>,
    /// The warehouse quoted from when the platform's request has no origin (WooCommerce's
    /// never has one unless the plugin sends the store address), as an address of
    /// `POST /v1/rates`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<AddressInput>)]
    pub origin: Option<serde_json::Value>,
    /// The box a cart ships in: its sides (all three or none), and the weight used when
    /// the cart's items weigh nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_parcel: Option<DefaultParcel>,
    /// Offer only these: carrier ids, carrier account ids, or `<carrier or account>:<service>`.
    /// Every candidate when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<String>>,
    /// Added to every rate shown to the buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup: Option<Markup>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DefaultParcel {
    #[schema(minimum = 1, maximum = 1000000)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_g: Option<i64>,
    #[schema(minimum = 1, maximum = 5000)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_mm: Option<i64>,
    #[schema(minimum = 1, maximum = 5000)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width_mm: Option<i64>,
    #[schema(minimum = 1, maximum = 5000)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_mm: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Markup {
    /// Percent of the carrier's price added, a decimal string with at most two decimals
    /// (`"10"`, `"12.5"`), 0 to 1000. Rounded up to the minor unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "10")]
    pub percent: Option<String>,
    /// Minor units added after the percentage, in the rate's currency, 0 to 10^9.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0, maximum = 1000000000)]
    pub amount: Option<i64>,
}

impl Markup {
    /// The percentage in basis points (`"12.5"` is 1250), `None` when it is not a
    /// decimal of at most two places from 0 to 1000.
    pub fn basis_points(&self) -> Option<i64> {
        let Some(text) = self.percent.as_deref().map(str::trim) else {
            return Some(0);
        };
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || int.len() > 4 || frac.len() > 2 || !digits(int) || !digits(frac) {
            return None;
        }
        let bp = int.parse::<i64>().ok()? * 100 + format!("{frac:0<2}").parse::<i64>().ok()?;
        (bp <= 100_000).then_some(bp)
    }

    fn apply(&self, price: &Money) -> Money {
        let bp = i128::from(self.basis_points().unwrap_or(0));
        let amount = i128::from(price.amount);
        // Rounded up: a markup never loses the shop its last minor unit.
        let raised = amount + (amount * bp + 9_999) / 10_000 + i128::from(self.amount.unwrap_or(0));
        Money {
            amount: raised.clamp(0, i128::from(Money::MAX_AMOUNT)) as i64,
            currency: price.currency.clone(),
        }
    }

    /// Every mistake at its pointer under `at`.
    pub fn check(&self, at: &str, v: &mut Violations) {
        if self.basis_points().is_none() {
            v.add(
                format!("{at}/percent"),
                "invalid_value",
                "a percentage from 0 to 1000 with at most two decimals, as a string (\"12.5\")",
            );
        }
        if self
            .amount
            .is_some_and(|a| !(0..=1_000_000_000).contains(&a))
        {
            v.add(
                format!("{at}/amount"),
                "out_of_range",
                "0 to 10^9 minor units",
            );
        }
    }
}

/// A stored connection with its settings read.
pub struct Connection {
    pub row: StorefrontRow,
    pub platform: Platform,
    pub settings: Settings,
}

impl Connection {
    pub fn of(row: StorefrontRow) -> Result<Connection, ApiError> {
        let platform = Platform::parse(&row.platform).ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "storefront {} has platform {:?}",
                row.id,
                row.platform
            ))
        })?;
        let settings = serde_json::from_str(&row.settings).map_err(|e| {
            ApiError::Internal(anyhow::anyhow!("storefront {} settings: {e}", row.id))
        })?;
        Ok(Connection {
            row,
            platform,
            settings,
        })
    }

    /// The callback URL the platform is given.
    pub fn callback_url(&self, public_url: &str) -> String {
        format!(
            "{}/storefront/{}/{}/rates",
            public_url.trim_end_matches('/'),
            self.platform.as_str(),
            self.row.token
        )
    }
}

/// Where in the platform's request each field of the rate request came from, so a 422
/// points into the JSON the platform sent.
pub struct Pointers {
    /// Address field of `POST /v1/rates` → pointer, for the origin and the destination.
    pub origin: &'static [(&'static str, &'static str)],
    pub destination: &'static [(&'static str, &'static str)],
    /// The pointer of anything about the parcel (weight, value, sides).
    pub items: &'static str,
}

impl Pointers {
    /// The pointer into the platform's request for a pointer into the rate request. The
    /// first entry of `origin` and `destination` (field `""`) is the address itself.
    fn remap(&self, pointer: &str, origin_from_request: bool) -> String {
        let field = |rest: &str, fields: &[(&str, &str)]| {
            let name = rest.trim_start_matches('/');
            fields
                .iter()
                .find(|(n, _)| *n == name)
                .or(fields.first())
                .map(|(_, p)| (*p).to_string())
                .unwrap_or_default()
        };
        if let Some(rest) = pointer.strip_prefix("/from") {
            return match origin_from_request {
                true => field(rest, self.origin),
                // The connection's own default origin.
                false => format!("/origin{rest}"),
            };
        }
        if let Some(rest) = pointer.strip_prefix("/to") {
            return field(rest, self.destination);
        }
        self.items.to_string()
    }
}

/// A checkout's cart as the rate request needs it, whatever the platform.
#[derive(Debug, Clone)]
pub struct Cart {
    /// `None`: the connection's default origin.
    pub origin: Option<AddressInput>,
    pub destination: AddressInput,
    /// Grams, over 0 unless nothing in the cart weighs anything.
    pub weight_g: i64,
    /// Sides in millimetres, when the platform gives the box.
    pub sides_mm: Option<[i64; 3]>,
    /// What the goods are worth, in the checkout's currency.
    pub value: Option<Money>,
    /// The checkout's currency.
    pub currency: Currency,
}

/// What a platform request must say to be priced.
pub trait PlatformRequest: DeserializeOwned {
    const PLATFORM: Platform;
    const POINTERS: Pointers;
    /// Whether a rate in another currency than the checkout's is dropped: the platform's
    /// rate has no currency of its own (WooCommerce, Magento). Shopify's does.
    const SAME_CURRENCY_ONLY: bool;
    /// The cart, `Ok(None)` when nothing in it ships; every mistake at its pointer.
    fn cart(&self) -> Result<Option<Cart>, Vec<FieldError>>;
}

/// One rate for the buyer.
#[derive(Debug, Clone)]
pub struct Offer {
    /// The quote, its `total` with the connection's markup.
    pub quote: RateQuote,
    /// The carrier's price before the markup.
    pub cost: Money,
    /// The selection rules' recommendation (offered first).
    pub recommended: bool,
    /// The carrier's name (`Delhivery`), for labels.
    pub carrier_name: String,
}

impl Offer {
    /// `<carrier account>:<service>`: what to book with.
    pub fn code(&self) -> String {
        format!("{}:{}", self.quote.carrier_account, self.quote.service)
    }

    /// The service's name with its carrier's (`Delhivery Surface`), unless it says it.
    pub fn label(&self) -> String {
        let name = &self.quote.service_name;
        if name
            .to_lowercase()
            .starts_with(&self.carrier_name.to_lowercase())
        {
            name.clone()
        } else {
            format!("{} {name}", self.carrier_name)
        }
    }

    /// The delivery date, the carrier's or from the lane's history.
    pub fn delivery_date(&self) -> Option<NaiveDate> {
        self.quote.estimated_delivery.or_else(|| {
            let days = self.quote.transit_days?;
            Some(crate::selection::today() + chrono::Days::new(u64::from(days)))
        })
    }

    /// A line for the buyer: recommended, and how long it takes (the carrier when
    /// neither is known).
    pub fn description(&self) -> String {
        let mut parts = Vec::new();
        if self.recommended {
            parts.push("Recommended".to_string());
        }
        match (self.quote.transit_days, self.delivery_date()) {
            (Some(1), _) => parts.push("delivers in 1 day".into()),
            (Some(days), _) => parts.push(format!("delivers in {days} days")),
            (None, Some(date)) => parts.push(format!("delivers by {}", date.format("%-d %b"))),
            (None, None) => {}
        }
        if parts.is_empty() {
            return format!("Ships with {}", self.carrier_name);
        }
        let text = parts.join(", ");
        let mut chars = text.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

/// A checkout priced: the rates to show, and the connection.
pub struct Checkout {
    pub offers: Arc<Vec<Offer>>,
    pub connection: Arc<Connection>,
}

/// The connections' shared state: the cart cache.
pub struct Storefronts {
    config: StorefrontConfig,
    /// Answers per connection and cart, by hash.
    carts: moka::sync::Cache<u64, Arc<Vec<Offer>>>,
}

impl Storefronts {
    pub fn new(config: &StorefrontConfig, max_deadline_ms: u64) -> anyhow::Result<Storefronts> {
        if !(1..=max_deadline_ms).contains(&config.deadline_ms) {
            anyhow::bail!(
                "storefront.deadline_ms is {}, but must be 1 to rates.max_deadline_ms ({max_deadline_ms})",
                config.deadline_ms
            );
        }
        Ok(Storefronts {
            config: config.clone(),
            carts: moka::sync::Cache::builder()
                .max_capacity(config.cache_capacity)
                .time_to_live(Duration::from_millis(config.cache_ttl_ms.max(1)))
                .build(),
        })
    }
}

static CARRIER_NAMES: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    carriers::registry()
        .into_iter()
        .map(|spec| (spec.id.to_string(), spec.name))
        .collect()
});

fn count(platform: Platform, outcome: &'static str) {
    metrics::counter!("shipgate_storefront_requests_total", "platform" => platform.as_str(), "outcome" => outcome)
        .increment(1);
}

/// Answers a platform's rate request to the connection `token` names: authenticated,
/// read, priced (or taken from the cart cache). Counted by outcome and timed.
pub async fn rates<R: PlatformRequest>(
    state: &AppState,
    token: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Checkout, ApiError> {
    let started = Instant::now();
    let platform = R::PLATFORM;
    let answer = price::<R>(state, token, headers, body).await;
    let outcome = match &answer {
        Ok((_, true)) => "cached",
        Ok((c, false)) if c.offers.is_empty() => "empty",
        Ok(_) => "rated",
        Err(ApiError::NotFound(_)) => "unknown_token",
        Err(ApiError::Unauthorized(_)) => "unauthorized",
        Err(ApiError::Validation(_) | ApiError::MalformedJson { .. }) => "invalid",
        Err(_) => "error",
    };
    count(platform, outcome);
    metrics::histogram!("shipgate_storefront_seconds", "platform" => platform.as_str())
        .record(started.elapsed().as_secs_f64());
    answer.map(|(checkout, _)| checkout)
}

/// The checkout and whether it came from the cart cache.
async fn price<R: PlatformRequest>(
    state: &AppState,
    token: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(Checkout, bool), ApiError> {
    let platform = R::PLATFORM;
    let row = state
        .store
        .storefront_by_token(platform.as_str(), token)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "no {} storefront has this callback URL",
                platform.as_str()
            ))
        })?;
    let connection = Arc::new(Connection::of(row)?);
    let keys = state.sealing.as_deref().ok_or_else(|| {
        ApiError::Unavailable("this gateway has no master key to open storefront secrets".into())
    })?;
    let secret = keys
        .open(
            &connection.row.secret_sealed,
            &secret_context(&connection.row),
        )
        .map_err(|e| {
            ApiError::Internal(anyhow::anyhow!("storefront {}: {e}", connection.row.id))
        })?;
    if !platform.authentic(&secret, headers, body) {
        tracing::warn!(storefront = %connection.row.id, platform = platform.as_str(), "storefront request with a missing or wrong signature");
        return Err(ApiError::Unauthorized(match platform {
            Platform::Shopify => "missing or wrong X-Shopify-Hmac-Sha256 (HMAC-SHA256 of the body with the app's client secret)".into(),
            Platform::WooCommerce => format!("missing or wrong {} (HMAC-SHA256 of the body with the connection's secret, base64)", woocommerce::SIGNATURE_HEADER),
            Platform::Magento => "missing or wrong bearer token (the connection's secret)".into(),
        }));
    }
    if platform == Platform::Shopify
        && let (Some(expected), Some(given)) = (
            connection.settings.shop_domain.as_deref(),
            headers
                .get(shopify::SHOP_HEADER)
                .and_then(|v| v.to_str().ok()),
        )
        && !expected.eq_ignore_ascii_case(given.trim())
    {
        return Err(ApiError::Unauthorized(format!(
            "this callback URL is for the shop {expected}, not {given}"
        )));
    }
    let request: R = crate::api::json::parse(body)?;
    let Some(cart) = request.cart().map_err(ApiError::Validation)? else {
        return Ok((
            Checkout {
                offers: Arc::new(Vec::new()),
                connection,
            },
            false,
        ));
    };
    let (offers, cached) = offers::<R>(state, &connection, cart).await?;
    Ok((Checkout { offers, connection }, cached))
}

/// Where a connection's secret is sealed: its tenant and id.
pub fn secret_context(row: &StorefrontRow) -> String {
    format!("storefront:{}:{}", row.tenant_id, row.id)
}

/// The rates for `cart`: from the cart cache, or priced through the rate shop.
async fn offers<R: PlatformRequest>(
    state: &AppState,
    connection: &Connection,
    cart: Cart,
) -> Result<(Arc<Vec<Offer>>, bool), ApiError> {
    let storefronts = &state.storefronts;
    let origin_from_request = cart.origin.is_some();
    let currency = cart.currency.clone();
    let input = rate_request(connection, cart, storefronts.config.deadline_ms)?;
    let key = {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        // The request as priced names the origin, destination, weight, sides, value and
        // currency: an identical cart prices identically.
        (&connection.row.id, format!("{input:?}")).hash(&mut h);
        h.finish()
    };
    if let Some(hit) = storefronts.carts.get(&key) {
        metrics::counter!("shipgate_storefront_cache_total", "result" => "hit").increment(1);
        return Ok((hit, true));
    }
    metrics::counter!("shipgate_storefront_cache_total", "result" => "miss").increment(1);
    let priced = crate::service::rate_quote::quote(state, &connection.row.tenant_id, &input)
        .await
        .map_err(|e| match e {
            ApiError::Validation(list) => ApiError::Validation(
                list.into_iter()
                    .map(|f| FieldError {
                        pointer: R::POINTERS.remap(&f.pointer, origin_from_request),
                        ..f
                    })
                    .collect(),
            ),
            other => other,
        })?;
    let recommended = priced
        .response
        .recommendation
        .as_ref()
        .and_then(|r| r.quote.as_ref())
        .map(|q| (q.carrier_account.clone(), q.service.clone()));
    let settings = &connection.settings;
    let offers: Vec<Offer> = priced
        .candidates
        .into_iter()
        .filter(|q| offered(settings.services.as_deref(), q))
        .filter(|q| !R::SAME_CURRENCY_ONLY || q.total.currency == currency)
        .map(|q| {
            let cost = q.total.clone();
            let total = settings
                .markup
                .as_ref()
                .map_or(cost.clone(), |m| m.apply(&cost));
            Offer {
                recommended: recommended
                    .as_ref()
                    .is_some_and(|(a, s)| *a == q.carrier_account && *s == q.service),
                carrier_name: CARRIER_NAMES
                    .get(&q.carrier)
                    .map_or_else(|| q.carrier.clone(), |n| n.to_string()),
                quote: RateQuote { total, ..q },
                cost,
            }
        })
        .collect();
    let timed_out: Vec<&str> = priced
        .response
        .errors
        .iter()
        .filter(|e| e.code == "timeout")
        .map(|e| e.carrier_account.as_str())
        .collect();
    if offers.is_empty() {
        tracing::warn!(
            storefront = %connection.row.id,
            tenant = %connection.row.tenant_id,
            platform = R::PLATFORM.as_str(),
            quotes = priced.response.quotes.len(),
            timed_out = ?timed_out,
            "no storefront rate to offer: the platform shows its backup rates"
        );
    } else {
        tracing::info!(
            storefront = %connection.row.id,
            platform = R::PLATFORM.as_str(),
            offered = offers.len(),
            timed_out = ?timed_out,
            "storefront rates"
        );
    }
    let offers = Arc::new(offers);
    // A cart some carrier did not answer in time is asked again next time.
    if timed_out.is_empty() && storefronts.config.cache_ttl_ms > 0 {
        storefronts.carts.insert(key, offers.clone());
    }
    Ok((offers, false))
}

/// Whether the connection's `services` filter lets `quote` through.
fn offered(services: Option<&[String]>, quote: &RateQuote) -> bool {
    let Some(services) = services else {
        return true;
    };
    services.iter().any(|s| match s.split_once(':') {
        Some((who, service)) => {
            (who == quote.carrier || who == quote.carrier_account) && service == quote.service
        }
        None => s == &quote.carrier || s == &quote.carrier_account,
    })
}

/// The `POST /v1/rates` request for a cart: one parcel, prepaid.
fn rate_request(
    connection: &Connection,
    cart: Cart,
    deadline_ms: u64,
) -> Result<RateRequestInput, ApiError> {
    let settings = &connection.settings;
    let origin = match cart.origin {
        Some(origin) => origin,
        None => match &settings.origin {
            Some(value) => serde_json::from_value(value.clone()).map_err(|e| {
                ApiError::Internal(anyhow::anyhow!(
                    "storefront {} origin: {e}",
                    connection.row.id
                ))
            })?,
            None => {
                return Err(ApiError::Validation(vec![FieldError {
                    pointer: "/origin".into(),
                    code: "required".into(),
                    detail: "the request has no origin and the storefront connection no default \
                             `origin`: set one on the connection"
                        .into(),
                }]));
            }
        },
    };
    let parcel = settings.default_parcel.unwrap_or_default();
    let weight_g = match (cart.weight_g, parcel.weight_g) {
        (0, Some(w)) => w,
        (w, _) => w,
    };
    let sides = cart.sides_mm.or(
        match (parcel.length_mm, parcel.width_mm, parcel.height_mm) {
            (Some(l), Some(w), Some(h)) => Some([l, w, h]),
            _ => None,
        },
    );
    Ok(RateRequestInput {
        from: Some(fill(origin)),
        to: Some(fill(cart.destination)),
        parcels: Some(vec![ParcelInput {
            weight_g: Some(weight_g),
            length_mm: sides.map(|s| s[0]),
            width_mm: sides.map(|s| s[1]),
            height_mm: sides.map(|s| s[2]),
            declared_value: cart.value,
            description: None,
        }]),
        payment: Some(PaymentInput {
            mode: Some("prepaid".into()),
            cod_amount: None,
        }),
        deadline_ms: Some(deadline_ms as i64),
        ..Default::default()
    })
}

/// A checkout address with what a quote does not need but a rate request requires
/// (buyers' names and phones are often not known yet at checkout) filled in.
fn fill(mut a: AddressInput) -> AddressInput {
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    let country = a
        .country
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or("IN")
        .to_ascii_uppercase();
    if blank(&a.name) {
        a.name = Some("Checkout".into());
    }
    if blank(&a.line1) {
        a.line1 = Some("-".into());
    }
    if blank(&a.city) {
        a.city = Some("-".into());
    }
    if a.phone
        .as_deref()
        .is_none_or(|p| Phone::parse(p, &country).is_err())
    {
        a.phone = Some(
            if country == "IN" {
                "9999999999"
            } else {
                "0000000000"
            }
            .into(),
        );
    }
    a
}

/// Checks a connection's default origin as a rate request would, at `/origin`.
pub fn check_origin(value: &serde_json::Value, v: &mut Violations) {
    match serde_json::from_value::<AddressInput>(value.clone()) {
        Ok(input) => {
            Address::parse(&fill(input), "/origin", v);
        }
        Err(e) => v.add("/origin", "invalid_value", format!("not an address: {e}")),
    }
}

/// A decimal that platforms send as a JSON number or a string (`"0.5"`, `""` for none).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(untagged)]
pub enum Decimal {
    Null(()),
    Number(serde_json::Number),
    Text(String),
    #[default]
    #[serde(skip)]
    Absent,
}

impl Decimal {
    /// The text of the number (`None` for an empty string).
    fn text(&self) -> Option<String> {
        match self {
            Decimal::Number(n) => Some(n.to_string()),
            Decimal::Text(t) if t.trim().is_empty() => None,
            Decimal::Text(t) => Some(t.trim().to_string()),
            Decimal::Null(()) | Decimal::Absent => None,
        }
    }

    /// As a non-negative float (weights and sides, never money); `Err` when not a number.
    fn measure(&self) -> Result<f64, ()> {
        match self.text() {
            None => Ok(0.0),
            Some(t) => t
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .ok_or(()),
        }
    }

    /// As money in `currency` (major units, exactly); `Err` when not such an amount.
    fn money(&self, currency: &Currency) -> Result<Option<Money>, ()> {
        match self.text() {
            None => Ok(None),
            Some(t) => Money::from_major_str(&t, currency.clone())
                .filter(|m| m.amount >= 0)
                .map(Some)
                .ok_or(()),
        }
    }
}

/// A currency code at `pointer`, or the mistake.
pub fn currency_at(code: Option<&str>, pointer: &str, v: &mut Violations) -> Option<Currency> {
    match code.map(str::trim) {
        None | Some("") => {
            v.add(
                pointer,
                "required",
                "the checkout's currency (ISO 4217, `USD`)",
            );
            None
        }
        Some(c) => Currency::parse(c).or_else(|| {
            v.add(
                pointer,
                "invalid_currency",
                "an ISO 4217 currency code such as USD or INR",
            );
            None
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_basis_points_rounded_up() {
        let m = Markup {
            percent: Some("12.5".into()),
            amount: Some(100),
        };
        assert_eq!(m.basis_points(), Some(1250));
        let price = Money {
            amount: 1001,
            currency: Currency::inr(),
        };
        // 1001 + ceil(125.125) + 100
        assert_eq!(m.apply(&price).amount, 1227);
        for bad in ["-1", "1.234", "x", "1001", ""] {
            let m = Markup {
                percent: Some(bad.into()),
                amount: None,
            };
            assert_eq!(m.basis_points(), None, "{bad}");
        }
    }

    #[test]
    fn pointers_point_into_the_platform_request() {
        let p = shopify::RateRequest::POINTERS;
        assert_eq!(
            p.remap("/to/postal_code", true),
            "/rate/destination/postal_code"
        );
        assert_eq!(p.remap("/to/state", true), "/rate/destination/province");
        assert_eq!(
            p.remap("/from/postal_code", true),
            "/rate/origin/postal_code"
        );
        assert_eq!(p.remap("/from/postal_code", false), "/origin/postal_code");
        assert_eq!(p.remap("/parcels/0/weight_g", true), "/rate/items");
    }
}
