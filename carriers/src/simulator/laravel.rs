//! Answers of carriers whose API is a Laravel app behind the Dingo API package
//! (Shiprocket): validation errors as `422 {"message", "errors": {field: [..]},
//! "status_code"}` worded by Laravel's default rules, other errors as `{"message",
//! "status_code"}`, and list pages with Fractal's `meta.pagination`.
//!
//! Laravel words a rule's message from the field name with `_` read as a space
//! (`billing_pincode` → "The billing pincode must be 6 digits."); a carrier's own
//! wording goes in as [`Rule::Says`].

use serde_json::{Map, Value, json};

use super::SimResponse;
use super::values::text;

/// A Laravel validation rule a field broke, for its default message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule<'a> {
    Required,
    /// `required_without`: required when the other field is absent.
    RequiredWithout(&'a str),
    Digits(u32),
    /// `gt`: greater than.
    Gt(f64),
    /// `max` on a number.
    Max(f64),
    /// `in`: one of a list.
    In,
    Array,
    /// The carrier's own wording.
    Says(&'a str),
}

impl Rule<'_> {
    /// Laravel's message for `key` breaking this rule.
    pub fn message(self, key: &str) -> String {
        let name = key.replace('_', " ");
        match self {
            Rule::Required => format!("The {name} field is required."),
            Rule::RequiredWithout(other) => {
                let other = other.replace('_', " ");
                format!("The {name} field is required when {other} is not present.")
            }
            Rule::Digits(n) => format!("The {name} must be {n} digits."),
            Rule::Gt(v) => format!("The {name} must be greater than {v}."),
            Rule::Max(v) => format!("The {name} may not be greater than {v}."),
            Rule::In => format!("The selected {name} is invalid."),
            Rule::Array => format!("The {name} must be an array."),
            Rule::Says(text) => text.to_string(),
        }
    }
}

/// The fields a request got wrong, in the order checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Errors(Map<String, Value>);

impl Errors {
    pub fn new() -> Self {
        Errors::default()
    }

    /// Notes `key` as breaking `rule` unless `ok`.
    pub fn check(&mut self, ok: bool, key: &str, rule: Rule<'_>) -> &mut Self {
        if !ok {
            self.0.insert(key.to_string(), json!([rule.message(key)]));
        }
        self
    }

    /// Laravel's `required` for each space-separated key of `body`: absent or blank.
    pub fn require(&mut self, body: &Value, keys: &str) -> &mut Self {
        for key in keys.split_whitespace() {
            self.check(text(body, key).is_some(), key, Rule::Required);
        }
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The 422 answer under `message` when any field is wrong.
    pub fn answer(&self, message: &str) -> Result<(), SimResponse> {
        if self.is_empty() {
            return Ok(());
        }
        let body = json!({"message": message, "errors": self.0, "status_code": 422});
        Err(SimResponse::json(422, &body))
    }
}

/// The 422 answer for one field breaking `rule`.
pub fn invalid(message: &str, key: &str, rule: Rule<'_>) -> SimResponse {
    let mut errors = Errors::new();
    errors.check(false, key, rule);
    errors.answer(message).expect_err("one field is wrong")
}

/// Dingo's error shape: `{"message": …, "status_code": …}`.
pub fn error(status: u16, message: &str) -> SimResponse {
    SimResponse::json(status, &json!({"message": message, "status_code": status}))
}

/// One page (from 1) of `items`, `per_page` a page, with Fractal's pagination meta;
/// `link` makes the URL of another page, for `links.next`.
pub fn page<T>(
    items: Vec<T>,
    page: usize,
    per_page: usize,
    link: impl Fn(usize) -> String,
) -> (Vec<T>, Value) {
    let total = items.len();
    let per_page = per_page.max(1);
    let page = page.max(1);
    let total_pages = total.div_ceil(per_page).max(1);
    let skipped = (page - 1).saturating_mul(per_page);
    let shown: Vec<T> = items.into_iter().skip(skipped).take(per_page).collect();
    let links = match page < total_pages {
        true => json!({"next": link(page + 1)}),
        false => json!({}),
    };
    let meta = json!({"pagination": {
        "total": total, "count": shown.len(), "per_page": per_page,
        "current_page": page, "total_pages": total_pages, "links": links,
    }});
    (shown, meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(answer: &SimResponse) -> Value {
        serde_json::from_slice(&answer.body).unwrap()
    }

    #[test]
    fn messages_are_laravels_defaults() {
        let cases = [
            (Rule::Required, "The order id field is required."),
            (
                Rule::RequiredWithout("order_id"),
                "The order id field is required when order id is not present.",
            ),
            (Rule::Digits(6), "The order id must be 6 digits."),
            (Rule::Gt(0.0), "The order id must be greater than 0."),
            (
                Rule::Max(100.0),
                "The order id may not be greater than 100.",
            ),
            (Rule::In, "The selected order id is invalid."),
            (Rule::Array, "The order id must be an array."),
            (Rule::Says("Ours."), "Ours."),
        ];
        for (rule, message) in cases {
            assert_eq!(rule.message("order_id"), message);
        }
    }

    #[test]
    fn errors_answer_422_with_every_field_in_order() {
        let mut errors = Errors::new();
        assert!(errors.answer("Oops! Invalid Data.").is_ok());
        errors
            .require(&json!({"email": " ", "name": "x"}), "email name password")
            .check(true, "cod", Rule::In)
            .check(false, "weight", Rule::Gt(0.0));
        let answer = errors.answer("Oops! Invalid Data.").unwrap_err();
        assert_eq!(answer.status, 422);
        let all = body(&answer);
        assert_eq!(all["message"], "Oops! Invalid Data.");
        assert_eq!(all["status_code"], 422);
        let keys: Vec<&String> = all["errors"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["email", "password", "weight"]);
        assert_eq!(
            all["errors"]["password"][0],
            "The password field is required."
        );
        let one = invalid("Required field missing", "shipment_id", Rule::Required);
        assert_eq!(
            body(&one)["errors"]["shipment_id"][0],
            "The shipment id field is required."
        );
        assert_eq!(
            body(&error(400, "No")),
            json!({"message": "No", "status_code": 400})
        );
    }

    #[test]
    fn pages_carry_fractals_meta() {
        let link = |n| format!("/orders?page={n}");
        let (shown, meta) = page((1..=7).collect(), 2, 3, link);
        assert_eq!(shown, [4, 5, 6]);
        let p = &meta["pagination"];
        assert_eq!(
            (p["total"].clone(), p["count"].clone()),
            (json!(7), json!(3))
        );
        assert_eq!(
            (p["total_pages"].clone(), p["links"]["next"].clone()),
            (json!(3), json!("/orders?page=3"))
        );
        let (shown, meta) = page(Vec::<u8>::new(), 1, 15, link);
        assert!(shown.is_empty());
        assert_eq!(meta["pagination"]["total_pages"], 1);
        assert_eq!(meta["pagination"]["links"], json!({}));
    }
}
