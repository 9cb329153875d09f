//! Magento: what the `Shipgate_Rates` module's carrier model (`integrations/magento/`)
//! posts from `collectRates(RateRequest $request)` — the request's own fields
//! (`dest_country_id`, `dest_region_code`, `dest_postcode`, `dest_city`, `dest_street`,
//! `orig_*`, `package_weight`, `package_value`, `package_qty`, `all_items`), the weight
//! unit and the base currency — and the answer it turns into
//! `Magento\Quote\Model\Quote\Address\RateResult\Method`s one for one.
//!
//! Authenticated by a bearer token, the connection's secret, as Magento integrations
//! call APIs.

use carriers::schema::{AddressInput, FieldError, Violations};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Cart, Decimal, Offer, Platform, PlatformRequest, Pointers, currency_at};

/// The module's rate request: `RateRequest`'s fields under their own names.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = MagentoRateRequest)]
pub struct RateRequest {
    pub dest_country_id: Option<String>,
    pub dest_region_code: Option<String>,
    pub dest_postcode: Option<String>,
    pub dest_city: Option<String>,
    pub dest_street: Option<String>,
    /// The store's shipping origin (Stores > Configuration > Sales > Shipping Settings);
    /// the connection's `origin` when `orig_postcode` is absent.
    pub orig_country_id: Option<String>,
    pub orig_region_code: Option<String>,
    pub orig_postcode: Option<String>,
    pub orig_city: Option<String>,
    pub orig_street: Option<String>,
    /// In `weight_unit`.
    #[schema(value_type = Option<f64>)]
    #[serde(default)]
    pub package_weight: Decimal,
    /// In the base currency (major units).
    #[schema(value_type = Option<f64>)]
    #[serde(default)]
    pub package_value: Decimal,
    pub package_qty: Option<f64>,
    /// `general/locale/weight_unit`: `kgs` or `lbs`.
    pub weight_unit: Option<String>,
    /// The base currency code (`INR`).
    pub base_currency: Option<String>,
    /// The quote's items (`sku`, `qty`, `weight`, `price`); informational: the package
    /// fields above are what is priced.
    pub all_items: Option<Vec<serde_json::Value>>,
}

impl PlatformRequest for RateRequest {
    const PLATFORM: Platform = Platform::Magento;
    const POINTERS: Pointers = Pointers {
        origin: &[
            ("", "/orig_postcode"),
            ("line1", "/orig_street"),
            ("city", "/orig_city"),
            ("state", "/orig_region_code"),
            ("postal_code", "/orig_postcode"),
            ("country", "/orig_country_id"),
        ],
        destination: &[
            ("", "/dest_postcode"),
            ("line1", "/dest_street"),
            ("city", "/dest_city"),
            ("state", "/dest_region_code"),
            ("postal_code", "/dest_postcode"),
            ("country", "/dest_country_id"),
        ],
        items: "/package_weight",
    };
    const SAME_CURRENCY_ONLY: bool = true;

    fn cart(&self) -> Result<Option<Cart>, Vec<FieldError>> {
        let mut v = Violations::default();
        let currency = currency_at(self.base_currency.as_deref(), "/base_currency", &mut v);
        let per_unit = match self.weight_unit.as_deref().map(str::trim) {
            None | Some("kgs") | Some("kg") => 1000.0,
            Some("lbs") => 453.592_37,
            Some(_) => {
                v.add("/weight_unit", "invalid_value", "`kgs` or `lbs`");
                1.0
            }
        };
        let grams = match self.package_weight.measure() {
            Ok(w) => (w * per_unit).ceil(),
            Err(()) => {
                v.add(
                    "/package_weight",
                    "invalid_value",
                    "a weight in `weight_unit`",
                );
                0.0
            }
        };
        let value = currency
            .as_ref()
            .and_then(|c| match self.package_value.money(c) {
                Ok(m) => m,
                Err(()) => {
                    v.add(
                        "/package_value",
                        "invalid_value",
                        "an amount in the base currency",
                    );
                    None
                }
            });
        let (Some(currency), true) = (currency, v.is_empty()) else {
            return Err(v.into_vec());
        };
        if self.package_qty.is_some_and(|q| q <= 0.0) {
            return Ok(None);
        }
        let origin = self.orig_postcode.as_ref().map(|postcode| AddressInput {
            line1: self.orig_street.clone(),
            city: self.orig_city.clone(),
            state: self.orig_region_code.clone(),
            postal_code: Some(postcode.clone()),
            country: self.orig_country_id.clone(),
            ..Default::default()
        });
        Ok(Some(Cart {
            origin,
            destination: AddressInput {
                line1: self.dest_street.clone(),
                city: self.dest_city.clone(),
                state: self.dest_region_code.clone(),
                postal_code: self.dest_postcode.clone(),
                country: self.dest_country_id.clone(),
                ..Default::default()
            },
            weight_g: grams.min(i64::MAX as f64) as i64,
            sides_mm: None,
            value: value.filter(|m| m.amount > 0),
            currency,
        }))
    }
}

/// The answer: one rate result method per rate.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = MagentoRates)]
pub struct Rates {
    pub rates: Vec<MagentoRate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MagentoRate {
    /// Always `shipgate` (the module's carrier code).
    pub carrier: String,
    /// The connection's name.
    pub carrier_title: String,
    /// `<carrier account>_<service>` in Magento's method-code alphabet (`[a-z0-9_]`).
    pub method: String,
    pub method_title: String,
    /// What the buyer pays, base currency major units as a decimal string (`"45.50"`).
    pub price: String,
    /// The carrier's price before the connection's markup, the same way.
    pub cost: String,
}

/// The answer for `offers` (all in the base currency), the recommended first.
pub fn answer(offers: &[Offer], title: &str) -> Rates {
    let mut ordered: Vec<&Offer> = offers.iter().collect();
    ordered.sort_by_key(|o| !o.recommended);
    Rates {
        rates: ordered
            .into_iter()
            .map(|o| MagentoRate {
                carrier: "shipgate".into(),
                carrier_title: title.to_string(),
                method: o
                    .code()
                    .to_ascii_lowercase()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect(),
                method_title: o.label(),
                price: o.quote.total.to_major_string(),
                cost: o.cost.to_major_string(),
            })
            .collect(),
    }
}
