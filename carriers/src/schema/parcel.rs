use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{DeclaredValue, Money, Violations};

/// The most pieces one shipment (or one quote) may have.
pub const MAX_PIECES: usize = 50;

/// Upper bound for one parcel: beyond this it is freight, not a courier parcel.
const MAX_WEIGHT_G: i64 = 1_000_000;
const MAX_SIDE_MM: i64 = 5_000;

/// A parcel as the OMS sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ParcelInput {
    /// Dead weight in integer grams, 1 to 1000000.
    #[schema(value_type = i64, example = 500, minimum = 1, maximum = 1000000)]
    pub weight_g: Option<i64>,
    /// 1 to 5000 mm. Give `length_mm`, `width_mm` and `height_mm` together, or none of
    /// them.
    #[schema(example = 200, minimum = 1, maximum = 5000)]
    pub length_mm: Option<i64>,
    /// 1 to 5000 mm; with `length_mm` and `height_mm`.
    #[schema(example = 150, minimum = 1, maximum = 5000)]
    pub width_mm: Option<i64>,
    /// 1 to 5000 mm; with `length_mm` and `width_mm`.
    #[schema(example = 100, minimum = 1, maximum = 5000)]
    pub height_mm: Option<i64>,
    /// Value of the goods, used for insurance and invoices. The parcels' declared values
    /// are added up, so they are in one currency and total at most 10^15 minor units.
    #[schema(value_type = Option<DeclaredValue>)]
    pub declared_value: Option<Money>,
    /// What is inside (carriers print it on the label and need it for e-way bills); at
    /// most 200 characters, surrounding whitespace not counted.
    #[schema(example = "Cotton kurta", pattern = r"^\s*[\s\S]{0,200}\s*$")]
    pub description: Option<String>,
}

/// A parcel in grams and millimetres. Dimensions are all present or all absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Parcel {
    pub weight_g: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length_mm: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width_mm: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height_mm: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_value: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Parcel {
    pub fn parse(input: &ParcelInput, pointer: &str, v: &mut Violations) -> Option<Parcel> {
        let before = v.is_empty();
        let weight_g = match input.weight_g {
            None => {
                v.add(
                    format!("{pointer}/weight_g"),
                    "required",
                    "weight in grams is required",
                );
                0
            }
            Some(w) if w <= 0 => {
                v.add(
                    format!("{pointer}/weight_g"),
                    "not_positive",
                    "weight must be a positive number of grams",
                );
                0
            }
            Some(w) if w > MAX_WEIGHT_G => {
                v.add(
                    format!("{pointer}/weight_g"),
                    "too_heavy",
                    format!("at most {MAX_WEIGHT_G} g per parcel"),
                );
                0
            }
            Some(w) => w as u32,
        };
        let mut side = |name: &str, value: Option<i64>| -> Option<u32> {
            match value {
                None => None,
                Some(d) if d <= 0 || d > MAX_SIDE_MM => {
                    v.add(
                        format!("{pointer}/{name}"),
                        "out_of_range",
                        format!("a side is 1 to {MAX_SIDE_MM} mm"),
                    );
                    None
                }
                Some(d) => Some(d as u32),
            }
        };
        let length_mm = side("length_mm", input.length_mm);
        let width_mm = side("width_mm", input.width_mm);
        let height_mm = side("height_mm", input.height_mm);
        let given = [input.length_mm, input.width_mm, input.height_mm]
            .iter()
            .filter(|d| d.is_some())
            .count();
        if given != 0 && given != 3 {
            v.add(
                pointer.to_string(),
                "incomplete_dimensions",
                "give length_mm, width_mm and height_mm together, or none of them",
            );
        }
        if let Some(value) = &input.declared_value {
            value.check(v, &format!("{pointer}/declared_value"), false);
        }
        let description = super::violations::optional_text(
            v,
            super::violations::Field(pointer, "description"),
            input.description.as_deref(),
            200,
        );
        if !before || !v.is_empty() {
            return None;
        }
        Some(Parcel {
            weight_g,
            length_mm,
            width_mm,
            height_mm,
            declared_value: input.declared_value.clone(),
            description,
        })
    }

    /// Volume in cubic millimetres when dimensions are known.
    pub fn volume_mm3(&self) -> Option<u64> {
        Some(self.length_mm? as u64 * self.width_mm? as u64 * self.height_mm? as u64)
    }
}

/// Parses a non-empty list of parcels at `pointer`.
pub(crate) fn parse_parcels(
    input: Option<&Vec<ParcelInput>>,
    pointer: &str,
    max: usize,
    v: &mut Violations,
) -> Vec<Parcel> {
    match input {
        None => {
            v.add(pointer, "required", "at least one parcel is required");
            Vec::new()
        }
        Some(list) if list.is_empty() => {
            v.add(pointer, "required", "at least one parcel is required");
            Vec::new()
        }
        Some(list) if list.len() > max => {
            v.add(
                format!("{pointer}/{max}"),
                "too_many_parcels",
                format!("at most {max} parcel(s) per request"),
            );
            Vec::new()
        }
        Some(list) => {
            let parcels: Vec<Parcel> = list
                .iter()
                .enumerate()
                .filter_map(|(i, p)| Parcel::parse(p, &format!("{pointer}/{i}"), v))
                .collect();
            if parcels.len() == list.len() {
                check_declared_total(&parcels, pointer, v);
            }
            parcels
        }
    }
}

/// The parcels' declared values are added up (carriers take one value per shipment or
/// quote), so they must be in one currency and their total within
/// [`Money::MAX_AMOUNT`], as each of them is.
fn check_declared_total(parcels: &[Parcel], pointer: &str, v: &mut Violations) {
    let values = || {
        parcels
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((i, p.declared_value.as_ref()?)))
    };
    let Some((_, first)) = values().next() else {
        return;
    };
    if let Some((i, other)) = values().find(|(_, m)| m.currency != first.currency) {
        v.add(
            format!("{pointer}/{i}/declared_value/currency"),
            "currency_mismatch",
            format!(
                "`{}` differs from the first declared value's `{}`; the parcels' values are \
                 added up, so give them in one currency",
                other.currency.as_str(),
                first.currency.as_str()
            ),
        );
    } else if Money::checked_sum(values().map(|(_, m)| m)).is_err() {
        let total: i128 = values().map(|(_, m)| i128::from(m.amount)).sum();
        v.add(
            pointer.to_string(),
            "too_large",
            format!(
                "the parcels' declared values add up to {total} minor units; at most {} in all",
                Money::MAX_AMOUNT
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(parcels: serde_json::Value) -> Result<Vec<Parcel>, Vec<super::super::FieldError>> {
        let input: Vec<ParcelInput> = serde_json::from_value(parcels).unwrap();
        let mut v = Violations::default();
        let parsed = parse_parcels(Some(&input), "/parcels", 50, &mut v);
        v.finish(|| parsed)
    }

    fn valued(amount: i64, currency: &str) -> serde_json::Value {
        json!({"weight_g": 100, "declared_value": {"amount": amount, "currency": currency}})
    }

    #[test]
    fn declared_values_add_up_within_the_cap() {
        let half = Money::MAX_AMOUNT / 2;
        let ok = parse(json!([valued(half, "INR"), {"weight_g": 5}, valued(half, "INR")]));
        assert_eq!(ok.map(|p| p.len()), Ok(3));

        let errors = parse(json!([valued(half, "INR"), valued(half + 1, "INR")])).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            (errors[0].pointer.as_str(), errors[0].code.as_str()),
            ("/parcels", "too_large")
        );
        assert!(
            errors[0].detail.contains("1000000000000001 minor units"),
            "{}",
            errors[0].detail
        );
    }

    #[test]
    fn declared_values_are_in_one_currency() {
        let errors =
            parse(json!([valued(100, "INR"), {"weight_g": 5}, valued(100, "USD")])).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            (errors[0].pointer.as_str(), errors[0].code.as_str()),
            ("/parcels/2/declared_value/currency", "currency_mismatch")
        );
    }

    #[test]
    fn the_schema_states_the_bounds_parsing_enforces() {
        use utoipa::PartialSchema;
        let schema = serde_json::to_value(ParcelInput::schema()).unwrap();
        let p = &schema["properties"];
        assert_eq!(p["weight_g"]["minimum"], 1);
        assert_eq!(p["weight_g"]["maximum"], MAX_WEIGHT_G);
        for side in ["length_mm", "width_mm", "height_mm"] {
            assert_eq!(p[side]["minimum"], 1, "{side}");
            assert_eq!(p[side]["maximum"], MAX_SIDE_MM, "{side}");
        }
    }
}
