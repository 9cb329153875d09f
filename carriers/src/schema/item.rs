//! The order's lines: which products are in the shipment. Carriers do not need them to
//! book; warehouses do, to pick (bulk labels sorted by SKU) and to pack.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Violations;
use super::violations::{optional_text, required_text};

/// The most lines one shipment may list.
pub const MAX_ITEMS: usize = 100;
const MAX_QUANTITY: i64 = 100_000;

/// An order line as the OMS sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ItemInput {
    /// The stock-keeping unit: at most 64 characters, surrounding whitespace not counted.
    #[schema(value_type = String, example = "KURTA-M-BLUE", min_length = 1, pattern = r"^\s*[\s\S]{0,64}\s*$")]
    pub sku: Option<String>,
    /// The product's name; at most 200 characters.
    #[schema(example = "Cotton kurta, blue, M", pattern = r"^\s*[\s\S]{0,200}\s*$")]
    pub name: Option<String>,
    /// 1 to 100000; 1 when absent.
    #[schema(example = 2, minimum = 1, maximum = 100000)]
    pub quantity: Option<i64>,
}

/// An order line, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Item {
    pub sku: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub quantity: u32,
}

/// Checks `input` (at `/items`): every bad line at its pointer.
pub(crate) fn parse_items(input: Option<&Vec<ItemInput>>, v: &mut Violations) -> Vec<Item> {
    let Some(lines) = input else {
        return Vec::new();
    };
    if lines.len() > MAX_ITEMS {
        v.add(
            "/items",
            "too_many",
            format!("at most {MAX_ITEMS} lines ({} given)", lines.len()),
        );
        return Vec::new();
    }
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let at = |field: &str| format!("/items/{i}/{field}");
            let sku = required_text(v, at("sku"), line.sku.as_deref(), 64);
            let name = optional_text(v, at("name"), line.name.as_deref(), 200);
            let quantity = match line.quantity {
                None => 1,
                Some(q) if (1..=MAX_QUANTITY).contains(&q) => q as u32,
                Some(_) => {
                    v.add(
                        at("quantity"),
                        "out_of_range",
                        format!("between 1 and {MAX_QUANTITY}"),
                    );
                    1
                }
            };
            Item {
                sku,
                name,
                quantity,
            }
        })
        .collect()
}
