//! WooCommerce: what the `shipgate-rates` plugin (`integrations/woocommerce/`) posts from
//! its `WC_Shipping_Method::calculate_shipping($package)` — the package as JSON (its
//! `contents` flattened to quantity, weight, sides, price and SKU; `destination`;
//! `contents_cost`), the store's currency and units, and optionally the store's address
//! as `origin` — and the answer the plugin turns into `WC_Shipping_Rate`s one for one.
//!
//! Signed like WooCommerce's own webhooks: base64 HMAC-SHA256 of the body with the
//! connection's secret, in `X-Shipgate-Signature`.

use std::collections::BTreeMap;

use carriers::schema::{AddressInput, FieldError, Money, Violations};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Cart, Decimal, Offer, Platform, PlatformRequest, Pointers, currency_at};

pub const SIGNATURE_HEADER: &str = "x-shipgate-signature";

/// The plugin's rate request.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = WooRateRequest)]
pub struct RateRequest {
    /// The store currency (`get_woocommerce_currency()`).
    pub currency: Option<String>,
    /// `woocommerce_weight_unit`: `kg`, `g`, `lbs` or `oz`.
    pub weight_unit: Option<String>,
    /// `woocommerce_dimension_unit`: `m`, `cm`, `mm`, `in` or `yd`.
    pub dimension_unit: Option<String>,
    pub package: Option<Package>,
    /// The store's address (WooCommerce's store settings); the connection's `origin`
    /// when absent.
    pub origin: Option<WooAddress>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = WooPackage)]
pub struct Package {
    pub contents: Option<Vec<Line>>,
    /// The lines' total in the store currency (major units).
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    pub contents_cost: Decimal,
    pub destination: Option<WooAddress>,
}

/// A cart line, from the product (`get_weight()`, `get_length()`…: strings, `""` unset).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = WooLine)]
pub struct Line {
    pub quantity: Option<i64>,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    pub weight: Decimal,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    pub length: Decimal,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    pub width: Decimal,
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    pub height: Decimal,
    /// Per unit, in the store currency (major units).
    #[schema(value_type = Option<String>)]
    #[serde(default)]
    pub price: Decimal,
    pub sku: Option<String>,
    /// `needs_shipping()`: false for virtual products.
    pub needs_shipping: Option<bool>,
}

/// `$package['destination']`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct WooAddress {
    pub country: Option<String>,
    pub state: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub address_1: Option<String>,
    pub address_2: Option<String>,
}

impl From<&WooAddress> for AddressInput {
    fn from(a: &WooAddress) -> AddressInput {
        AddressInput {
            line1: a.address_1.clone().or_else(|| a.address.clone()),
            line2: a.address_2.clone().filter(|s| !s.trim().is_empty()),
            city: a.city.clone(),
            state: a.state.clone(),
            postal_code: a.postcode.clone(),
            country: a.country.clone(),
            ..Default::default()
        }
    }
}

fn grams_per(unit: &str) -> Option<f64> {
    Some(match unit {
        "kg" => 1000.0,
        "g" => 1.0,
        "lbs" => 453.592_37,
        "oz" => 28.349_523_125,
        _ => return None,
    })
}

fn mm_per(unit: &str) -> Option<f64> {
    Some(match unit {
        "m" => 1000.0,
        "cm" => 10.0,
        "mm" => 1.0,
        "in" => 25.4,
        "yd" => 914.4,
        _ => return None,
    })
}

impl PlatformRequest for RateRequest {
    const PLATFORM: Platform = Platform::WooCommerce;
    const POINTERS: Pointers = Pointers {
        origin: &[
            ("", "/origin"),
            ("line1", "/origin/address_1"),
            ("line2", "/origin/address_2"),
            ("city", "/origin/city"),
            ("state", "/origin/state"),
            ("postal_code", "/origin/postcode"),
            ("country", "/origin/country"),
        ],
        destination: &[
            ("", "/package/destination"),
            ("line1", "/package/destination/address_1"),
            ("line2", "/package/destination/address_2"),
            ("city", "/package/destination/city"),
            ("state", "/package/destination/state"),
            ("postal_code", "/package/destination/postcode"),
            ("country", "/package/destination/country"),
        ],
        items: "/package/contents",
    };
    const SAME_CURRENCY_ONLY: bool = true;

    fn cart(&self) -> Result<Option<Cart>, Vec<FieldError>> {
        let mut v = Violations::default();
        let currency = currency_at(self.currency.as_deref(), "/currency", &mut v);
        let unit = |given: Option<&str>,
                    default: &str,
                    table: fn(&str) -> Option<f64>,
                    at: &str,
                    v: &mut Violations| {
            let unit = given.unwrap_or(default).trim().to_ascii_lowercase();
            table(&unit).unwrap_or_else(|| {
                v.add(
                    at,
                    "invalid_value",
                    "a WooCommerce unit (weight: kg, g, lbs, oz; dimensions: m, cm, mm, in, yd)",
                );
                1.0
            })
        };
        let grams_per = unit(
            self.weight_unit.as_deref(),
            "kg",
            grams_per,
            "/weight_unit",
            &mut v,
        );
        let mm_per = unit(
            self.dimension_unit.as_deref(),
            "cm",
            mm_per,
            "/dimension_unit",
            &mut v,
        );
        let Some(package) = &self.package else {
            v.add(
                "/package",
                "required",
                "the package `calculate_shipping` was given",
            );
            return Err(v.into_vec());
        };
        if package.destination.is_none() {
            v.add(
                "/package/destination",
                "required",
                "where the buyer's order goes",
            );
        }
        let lines = package.contents.as_deref().unwrap_or_default();
        let mut grams = 0.0;
        let mut value: Option<Money> = None;
        let mut shipping = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            if line.needs_shipping == Some(false) {
                continue;
            }
            let at = |f: &str| format!("/package/contents/{i}/{f}");
            let quantity = line.quantity.unwrap_or(1);
            if quantity < 0 {
                v.add(at("quantity"), "out_of_range", "0 or more");
                continue;
            }
            match line.weight.measure() {
                Ok(w) => grams += w * grams_per * quantity as f64,
                Err(()) => v.add(
                    at("weight"),
                    "invalid_value",
                    "a weight, in the store's unit",
                ),
            }
            if let Some(c) = &currency {
                match line.price.money(c) {
                    Ok(Some(p)) => {
                        let line_value = Money {
                            amount: p.amount.saturating_mul(quantity).min(Money::MAX_AMOUNT),
                            currency: c.clone(),
                        };
                        value = Some(match value {
                            Some(sum) => sum.checked_add(&line_value).unwrap_or(sum),
                            None => line_value,
                        });
                    }
                    Ok(None) => {}
                    Err(()) => v.add(
                        at("price"),
                        "invalid_value",
                        "a price, in the store currency",
                    ),
                }
            }
            if quantity > 0 {
                shipping.push((i, quantity));
            }
        }
        if let Some(c) = &currency {
            match package.contents_cost.money(c) {
                Ok(Some(total)) => value = Some(total),
                Ok(None) => {}
                Err(()) => v.add(
                    "/package/contents_cost",
                    "invalid_value",
                    "the lines' total, in the store currency",
                ),
            }
        }
        // One line of one item brings its box; otherwise the connection's default box.
        let sides_mm = match shipping.as_slice() {
            [(i, 1)] => {
                let line = &lines[*i];
                let side = |d: &Decimal| d.measure().ok().map(|x| (x * mm_per).round() as i64);
                match (side(&line.length), side(&line.width), side(&line.height)) {
                    (Some(l), Some(w), Some(h)) if l > 0 && w > 0 && h > 0 => Some([l, w, h]),
                    _ => None,
                }
            }
            _ => None,
        };
        let (Some(currency), Some(destination), true) =
            (currency, &package.destination, v.is_empty())
        else {
            return Err(v.into_vec());
        };
        if shipping.is_empty() {
            return Ok(None);
        }
        Ok(Some(Cart {
            origin: self.origin.as_ref().map(AddressInput::from),
            destination: destination.into(),
            weight_g: grams.ceil().min(i64::MAX as f64) as i64,
            sides_mm,
            value: value.filter(|m| m.amount > 0),
            currency,
        }))
    }
}

/// The answer: one `WC_Shipping_Rate` per rate.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WooRates)]
pub struct Rates {
    pub rates: Vec<WooRate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WooRate {
    /// `shipgate:<carrier account>:<service>` (the rate's `id`).
    pub id: String,
    pub label: String,
    /// Major units of the store currency, as a decimal string (`"45.50"`).
    pub cost: String,
    /// Kept on the order's shipping line: what to book with, and the estimate.
    pub meta_data: BTreeMap<String, String>,
}

/// The answer for `offers` (all in the store currency), the recommended first.
pub fn answer(offers: &[Offer]) -> Rates {
    let mut ordered: Vec<&Offer> = offers.iter().collect();
    ordered.sort_by_key(|o| !o.recommended);
    Rates {
        rates: ordered
            .into_iter()
            .map(|o| {
                let mut meta = BTreeMap::from([
                    ("carrier".to_string(), o.quote.carrier.clone()),
                    (
                        "carrier_account".to_string(),
                        o.quote.carrier_account.clone(),
                    ),
                    ("service".to_string(), o.quote.service.clone()),
                    ("recommended".to_string(), o.recommended.to_string()),
                ]);
                if let Some(date) = o.delivery_date() {
                    meta.insert("estimated_delivery".into(), date.to_string());
                }
                if let Some(days) = o.quote.transit_days {
                    meta.insert("transit_days".into(), days.to_string());
                }
                WooRate {
                    id: format!("shipgate:{}", o.code()),
                    label: o.label(),
                    cost: o.quote.total.to_major_string(),
                    meta_data: meta,
                }
            })
            .collect(),
    }
}
