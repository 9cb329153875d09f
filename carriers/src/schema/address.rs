use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Violations;
use super::violations::{optional_text, required_text};

// Every field is optional here so that a missing one is reported at its pointer rather
// than as a generic deserialisation failure; the schema says which ones `Address::parse`
// requires.
/// An address as the OMS sends it. Text is trimmed before it is checked, so the lengths
/// count the text without surrounding whitespace.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AddressInput {
    /// At most 100 characters.
    #[schema(
        value_type = String,
        example = "Asha Rao",
        min_length = 1,
        pattern = r"^\s*[\s\S]{0,100}\s*$"
    )]
    pub name: Option<String>,
    /// Indian mobile numbers in any common form (`+91 98765 43210`, `09876543210`);
    /// other countries in international form (7 to 15 digits). Digits, spaces, dashes,
    /// dots, parentheses and `+` only.
    #[schema(
        value_type = String,
        example = "+91 98765 43210",
        pattern = r"^\s*[ ()+.-]*(?:[0-9][ ()+.-]*){7,15}\s*$"
    )]
    pub phone: Option<String>,
    /// At most 254 characters: something `@` a domain with a dot, without spaces.
    #[schema(pattern = r"^\s*(?:[^@ ]+@[^ .][^ ]*\.[^ ]*)?\s*$")]
    pub email: Option<String>,
    /// At most 200 characters.
    #[schema(
        value_type = String,
        example = "12 MG Road",
        min_length = 1,
        pattern = r"^\s*[\s\S]{0,200}\s*$"
    )]
    pub line1: Option<String>,
    /// At most 200 characters.
    #[schema(pattern = r"^\s*[\s\S]{0,200}\s*$")]
    pub line2: Option<String>,
    /// At most 200 characters.
    #[schema(pattern = r"^\s*[\s\S]{0,200}\s*$")]
    pub landmark: Option<String>,
    /// At most 100 characters.
    #[schema(
        value_type = String,
        example = "Bengaluru",
        min_length = 1,
        pattern = r"^\s*[\s\S]{0,100}\s*$"
    )]
    pub city: Option<String>,
    /// At most 100 characters.
    #[schema(example = "Karnataka", pattern = r"^\s*[\s\S]{0,100}\s*$")]
    pub state: Option<String>,
    /// Six-digit PIN code not starting with 0 in India; elsewhere the local postal code,
    /// 3 to 10 letters, digits, spaces or dashes.
    #[schema(
        value_type = String,
        example = "560001",
        pattern = r"^\s*[A-Za-z0-9 -]{3,10}\s*$"
    )]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2, either case; `IN` when absent or empty.
    #[schema(example = "IN", pattern = r"^\s*(?:[A-Za-z]{2})?\s*$")]
    pub country: Option<String>,
}

/// A parsed address: phone normalised to E.164, postal code checked for its country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Address {
    pub name: String,
    pub phone: Phone,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub line1: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub landmark: Option<String>,
    pub city: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    pub postal_code: PostalCode,
    pub country: String,
}

impl Address {
    pub fn parse(input: &AddressInput, pointer: &str, v: &mut Violations) -> Option<Address> {
        let before = v.is_empty();
        let p = |f: &str| format!("{pointer}/{f}");
        let country = match input.country.as_deref().map(str::trim) {
            None | Some("") => "IN".to_string(),
            Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                c.to_ascii_uppercase()
            }
            Some(_) => {
                v.add(
                    p("country"),
                    "invalid_country",
                    "an ISO 3166-1 alpha-2 code such as IN",
                );
                "IN".to_string()
            }
        };
        let name = required_text(v, &p("name"), input.name.as_deref(), 100);
        let line1 = required_text(v, &p("line1"), input.line1.as_deref(), 200);
        let line2 = optional_text(v, &p("line2"), input.line2.as_deref(), 200);
        let landmark = optional_text(v, &p("landmark"), input.landmark.as_deref(), 200);
        let city = required_text(v, &p("city"), input.city.as_deref(), 100);
        let state = optional_text(v, &p("state"), input.state.as_deref(), 100);
        let email = optional_text(v, &p("email"), input.email.as_deref(), 254);
        if let Some(e) = &email
            && !looks_like_email(e)
        {
            v.add(p("email"), "invalid_email", "not an email address");
        }
        let phone = match input.phone.as_deref().map(str::trim) {
            None | Some("") => {
                v.add(p("phone"), "required", "this field is required");
                None
            }
            Some(raw) => match Phone::parse(raw, &country) {
                Ok(phone) => Some(phone),
                Err(detail) => {
                    v.add(p("phone"), "invalid_phone", detail);
                    None
                }
            },
        };
        let postal_code = match input.postal_code.as_deref().map(str::trim) {
            None | Some("") => {
                v.add(p("postal_code"), "required", "this field is required");
                None
            }
            Some(raw) => match PostalCode::parse(raw, &country) {
                Ok(code) => Some(code),
                Err(detail) => {
                    v.add(p("postal_code"), "invalid_postal_code", detail);
                    None
                }
            },
        };
        if !before || !v.is_empty() {
            return None;
        }
        Some(Address {
            name,
            phone: phone?,
            email,
            line1,
            line2,
            landmark,
            city,
            state,
            postal_code: postal_code?,
            country,
        })
    }

    /// All street lines joined, as carriers with a single address field want them.
    pub fn street(&self) -> String {
        [
            Some(&self.line1),
            self.line2.as_ref(),
            self.landmark.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
    }
}

fn looks_like_email(e: &str) -> bool {
    match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !e.contains(' ')
        }
        None => false,
    }
}

/// A phone number in E.164 form (`+919876543210`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[schema(value_type = String, example = "+919876543210")]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str, country: &str) -> Result<Phone, String> {
        let plus = raw.trim_start().starts_with('+');
        if raw
            .chars()
            .any(|c| !(c.is_ascii_digit() || " -()+.".contains(c)))
        {
            return Err("a phone number has only digits, spaces, dashes and a leading +".into());
        }
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        if country == "IN" {
            let national = match digits.len() {
                10 => digits.as_str(),
                11 if digits.starts_with('0') => &digits[1..],
                12 if digits.starts_with("91") => &digits[2..],
                13 if digits.starts_with("091") => &digits[3..],
                _ => {
                    return Err(
                        "an Indian mobile number has 10 digits, optionally after +91 or 0".into(),
                    );
                }
            };
            if plus && !digits.starts_with("91") {
                return Err("an Indian number in international form starts with +91".into());
            }
            if !matches!(national.as_bytes()[0], b'6'..=b'9') {
                return Err("an Indian mobile number starts with 6, 7, 8 or 9".into());
            }
            return Ok(Phone(format!("+91{national}")));
        }
        if !(7..=15).contains(&digits.len()) {
            return Err("an international number has 7 to 15 digits".into());
        }
        Ok(Phone(format!("+{digits}")))
    }

    pub fn e164(&self) -> &str {
        &self.0
    }

    /// The number without country code, as Indian carriers expect (`9876543210`).
    pub fn national(&self) -> &str {
        self.0
            .strip_prefix("+91")
            .or_else(|| self.0.strip_prefix('+'))
            .unwrap_or(&self.0)
    }
}

/// A postal code valid for its country: six digits not starting with 0 for India.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[schema(value_type = String, example = "560001")]
pub struct PostalCode(String);

impl PostalCode {
    pub fn parse(raw: &str, country: &str) -> Result<PostalCode, String> {
        let raw = raw.trim();
        if country == "IN" {
            let ok =
                raw.len() == 6 && raw.bytes().all(|b| b.is_ascii_digit()) && !raw.starts_with('0');
            return if ok {
                Ok(PostalCode(raw.to_string()))
            } else {
                Err(format!(
                    "an Indian PIN code has exactly 6 digits and does not start with 0 (got `{raw}`)"
                ))
            };
        }
        let ok = (3..=10).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-');
        if ok {
            Ok(PostalCode(raw.to_ascii_uppercase()))
        } else {
            Err("a postal code has 3 to 10 letters, digits, spaces or dashes".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indian_phones_normalise() {
        for raw in [
            "9876543210",
            "+91 98765 43210",
            "09876543210",
            "919876543210",
            "+91-98765-43210",
        ] {
            assert_eq!(Phone::parse(raw, "IN").unwrap().e164(), "+919876543210");
        }
        assert_eq!(
            Phone::parse("9876543210", "IN").unwrap().national(),
            "9876543210"
        );
        assert!(Phone::parse("12345", "IN").is_err());
        assert!(Phone::parse("5876543210", "IN").is_err());
        assert!(Phone::parse("98765x3210", "IN").is_err());
        assert_eq!(
            Phone::parse("+1 (555) 010-0199", "US").unwrap().e164(),
            "+15550100199"
        );
    }

    #[test]
    fn pincodes() {
        assert!(PostalCode::parse("560001", "IN").is_ok());
        assert!(PostalCode::parse("56001", "IN").is_err());
        assert!(PostalCode::parse("060001", "IN").is_err());
        assert!(PostalCode::parse("5600011", "IN").is_err());
        assert_eq!(
            PostalCode::parse("sw1a 1aa", "GB").unwrap().as_str(),
            "SW1A 1AA"
        );
    }

    #[test]
    fn address_reports_every_violation() {
        let mut v = Violations::default();
        let input = AddressInput {
            phone: Some("123".into()),
            postal_code: Some("56001".into()),
            ..Default::default()
        };
        assert!(Address::parse(&input, "/to", &mut v).is_none());
        let pointers: Vec<_> = v.into_vec().into_iter().map(|e| e.pointer).collect();
        for p in [
            "/to/name",
            "/to/line1",
            "/to/city",
            "/to/phone",
            "/to/postal_code",
        ] {
            assert!(pointers.contains(&p.to_string()), "{p} in {pointers:?}");
        }
    }
}
