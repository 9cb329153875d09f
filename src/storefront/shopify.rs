//! Shopify's CarrierService callback: the rate request exactly as Shopify posts it
//! (`{"rate": {"origin", "destination", "items", "currency", "locale"}}`), and the
//! answer in Shopify's shape (`{"rates": [{service_name, service_code, total_price,
//! description, currency, min_delivery_date, max_delivery_date}]}`).
//!
//! Shopify signs the body with the app's client secret (`X-Shopify-Hmac-Sha256`, base64)
//! and names the shop in `X-Shopify-Shop-Domain`.

use carriers::schema::{AddressInput, FieldError, Money, Violations};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Cart, Offer, Platform, PlatformRequest, Pointers, currency_at};

pub const SIGNATURE_HEADER: &str = "x-shopify-hmac-sha256";
pub const SHOP_HEADER: &str = "x-shopify-shop-domain";

/// Shopify's rate request.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = ShopifyRateRequest)]
pub struct RateRequest {
    pub rate: Option<Rate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = ShopifyCart)]
pub struct Rate {
    pub origin: Option<ShopifyAddress>,
    pub destination: Option<ShopifyAddress>,
    pub items: Option<Vec<Item>>,
    /// The checkout's currency (`USD`).
    pub currency: Option<String>,
    pub locale: Option<String>,
}

/// An address as Shopify sends it (other fields are ignored).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ShopifyAddress {
    pub country: Option<String>,
    pub postal_code: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub name: Option<String>,
    pub address1: Option<String>,
    pub address2: Option<String>,
    pub phone: Option<String>,
    pub company_name: Option<String>,
}

/// A cart line (other fields are ignored).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = ShopifyItem)]
pub struct Item {
    pub quantity: Option<i64>,
    pub grams: Option<i64>,
    /// Subunits of the checkout's currency, per unit.
    pub price: Option<i64>,
    pub requires_shipping: Option<bool>,
}

impl From<&ShopifyAddress> for AddressInput {
    fn from(a: &ShopifyAddress) -> AddressInput {
        AddressInput {
            name: a.name.clone().or_else(|| a.company_name.clone()),
            phone: a.phone.clone(),
            line1: a.address1.clone(),
            line2: a.address2.clone().filter(|s| !s.trim().is_empty()),
            city: a.city.clone(),
            state: a.province.clone(),
            postal_code: a.postal_code.clone(),
            country: a.country.clone(),
            ..Default::default()
        }
    }
}

impl PlatformRequest for RateRequest {
    const PLATFORM: Platform = Platform::Shopify;
    const POINTERS: Pointers = Pointers {
        origin: &[
            ("", "/rate/origin"),
            ("name", "/rate/origin/name"),
            ("line1", "/rate/origin/address1"),
            ("line2", "/rate/origin/address2"),
            ("city", "/rate/origin/city"),
            ("state", "/rate/origin/province"),
            ("postal_code", "/rate/origin/postal_code"),
            ("country", "/rate/origin/country"),
        ],
        destination: &[
            ("", "/rate/destination"),
            ("name", "/rate/destination/name"),
            ("line1", "/rate/destination/address1"),
            ("line2", "/rate/destination/address2"),
            ("city", "/rate/destination/city"),
            ("state", "/rate/destination/province"),
            ("postal_code", "/rate/destination/postal_code"),
            ("country", "/rate/destination/country"),
        ],
        items: "/rate/items",
    };
    const SAME_CURRENCY_ONLY: bool = false;

    fn cart(&self) -> Result<Option<Cart>, Vec<FieldError>> {
        let mut v = Violations::default();
        let Some(rate) = &self.rate else {
            v.add(
                "/rate",
                "required",
                "Shopify's rate request is `{\"rate\": {...}}`",
            );
            return Err(v.into_vec());
        };
        let currency = currency_at(rate.currency.as_deref(), "/rate/currency", &mut v);
        if rate.destination.is_none() {
            v.add(
                "/rate/destination",
                "required",
                "where the buyer's order goes",
            );
        }
        let items = rate.items.as_deref().unwrap_or_default();
        let mut grams: i64 = 0;
        let mut value: i64 = 0;
        let mut ships = false;
        for (i, item) in items.iter().enumerate() {
            if item.requires_shipping == Some(false) {
                continue;
            }
            let at = |f: &str| format!("/rate/items/{i}/{f}");
            let quantity = item.quantity.unwrap_or(1);
            if quantity < 0 {
                v.add(at("quantity"), "out_of_range", "0 or more");
                continue;
            }
            let weight = item.grams.unwrap_or(0);
            if weight < 0 {
                v.add(at("grams"), "out_of_range", "0 or more");
            }
            let price = item.price.unwrap_or(0);
            if price < 0 {
                v.add(at("price"), "out_of_range", "0 or more");
            }
            ships |= quantity > 0;
            grams = grams.saturating_add(weight.max(0).saturating_mul(quantity));
            value = value.saturating_add(price.max(0).saturating_mul(quantity));
        }
        let (Some(currency), Some(destination), true) = (currency, &rate.destination, v.is_empty())
        else {
            return Err(v.into_vec());
        };
        if !ships {
            return Ok(None);
        }
        Ok(Some(Cart {
            origin: rate.origin.as_ref().map(AddressInput::from),
            destination: destination.into(),
            weight_g: grams,
            sides_mm: None,
            value: (value > 0).then(|| Money {
                amount: value.min(Money::MAX_AMOUNT),
                currency: currency.clone(),
            }),
            currency,
        }))
    }
}

/// Shopify's answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShopifyRates)]
pub struct Rates {
    pub rates: Vec<ShopifyRate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShopifyRate {
    /// What the buyer sees (`Delhivery Surface`).
    pub service_name: String,
    /// `<carrier account>:<service>`: what the order is booked with.
    pub service_code: String,
    /// Subunits of `currency`, as a string of digits (`"1295"`).
    pub total_price: String,
    pub description: String,
    /// The rate's currency: the carrier's, which Shopify converts if it is not the
    /// checkout's.
    pub currency: String,
    /// `YYYY-MM-DD HH:MM:SS +ZZZZ`; absent without an estimate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_delivery_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_delivery_date: Option<String>,
}

/// A delivery date as Shopify takes it. Noon UTC: the same calendar day wherever the
/// buyer is (UTC−11 to UTC+11), where midnight would show the day before in the Americas.
fn shopify_time(date: NaiveDate) -> String {
    format!("{} 12:00:00 +0000", date.format("%Y-%m-%d"))
}

/// The answer for `offers`, the recommended first, in each carrier's own currency:
/// Shopify's rates carry their currency, and its documented example mixes two, so a rate
/// in another currency than the checkout's is answered as it is rather than dropped or
/// converted at a rate shipgate does not have.
pub fn answer(offers: &[Offer]) -> Rates {
    let mut ordered: Vec<&Offer> = offers.iter().collect();
    ordered.sort_by_key(|o| !o.recommended);
    Rates {
        rates: ordered
            .into_iter()
            .map(|o| {
                let date = o.delivery_date().map(shopify_time);
                ShopifyRate {
                    service_name: o.label(),
                    service_code: o.code(),
                    total_price: o.quote.total.amount.to_string(),
                    description: o.description(),
                    currency: o.quote.total.currency.as_str().to_string(),
                    min_delivery_date: date.clone(),
                    max_delivery_date: date,
                }
            })
            .collect(),
    }
}
