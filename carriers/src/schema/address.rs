use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Violations;
use super::country;
use super::violations::{Field, optional_text, required_text};

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
    /// At most 100 characters. Required in the United States and Canada, where it is the
    /// state's or province's two-letter code (`NY`, `ON`) or its name (`New York`,
    /// `Ontario`), kept as the code; anything else there is refused (`invalid_state`). In
    /// India it is kept as written (a name such as `Karnataka` or a code such as `KA`;
    /// carriers that need the code get it from the gateway). Elsewhere free text.
    #[schema(example = "Karnataka", pattern = r"^\s*[\s\S]{0,100}\s*$")]
    pub state: Option<String>,
    /// The postal code in the country's format, normalised: India six digits not
    /// starting with 0 (`560001`); United States a ZIP code (`94105`) or ZIP+4
    /// (`94105-1234`); United Kingdom a postcode (`SW1A 1AA`, any case and spacing);
    /// Germany five digits (`10115`); Canada `A1A 1A1` (with or without the space).
    /// Elsewhere 3 to 10 letters, digits, spaces or dashes, upper-cased.
    #[schema(
        value_type = String,
        example = "560001",
        pattern = r"^\s*[A-Za-z0-9 -]{3,10}\s*$"
    )]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2, either case; `IN` when absent or empty. `UK` is taken as `GB`.
    #[schema(example = "IN", pattern = r"^\s*(?:[A-Za-z]{2})?\s*$")]
    pub country: Option<String>,
}

impl AddressInput {
    /// The country as parsing reads it (upper case, `IN` when absent or empty, `UK` as
    /// `GB`); `None` when it is not an alpha-2 code.
    pub(crate) fn country_code(&self) -> Option<String> {
        match self.country.as_deref().map(str::trim) {
            None | Some("") => Some("IN".to_string()),
            Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Some(country::canonical_country(c.to_ascii_uppercase()))
            }
            Some(_) => None,
        }
    }
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
        let p = |f| Field(pointer, f);
        let country = match input.country.as_deref().map(str::trim) {
            None | Some("") => "IN".to_string(),
            Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                country::canonical_country(c.to_ascii_uppercase())
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
        let name = required_text(v, p("name"), input.name.as_deref(), 100);
        let line1 = required_text(v, p("line1"), input.line1.as_deref(), 200);
        let line2 = optional_text(v, p("line2"), input.line2.as_deref(), 200);
        let landmark = optional_text(v, p("landmark"), input.landmark.as_deref(), 200);
        let city = required_text(v, p("city"), input.city.as_deref(), 100);
        let mut state = optional_text(v, p("state"), input.state.as_deref(), 100);
        if country::state_required(&country) {
            match state.as_deref() {
                None if input.state.as_deref().is_none_or(|s| s.trim().is_empty()) => {
                    v.add(p("state"), "required", country::missing_state(&country));
                }
                None => {}
                Some(text) => match country::find_state(&country, text) {
                    Some((code, _)) => state = Some(code.to_string()),
                    None => {
                        v.add(
                            p("state"),
                            "invalid_state",
                            country::unknown_state(&country),
                        );
                        state = None;
                    }
                },
            }
        }
        let email = optional_text(v, p("email"), input.email.as_deref(), 254);
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

    /// The state's code where shipgate knows the country's states: the USPS code in the
    /// United States (`NY`), the province's in Canada (`ON`), the ISO 3166-2:IN code in
    /// India (`KA`, whether the address says `Karnataka` or `KA`). `None` elsewhere, and
    /// for an Indian state shipgate does not recognise or an address without one.
    pub fn state_code(&self) -> Option<&'static str> {
        country::find_state(&self.country, self.state.as_deref()?).map(|(code, _)| code)
    }

    /// The state's name in full (`New York`, `Ontario`, `Karnataka`) where
    /// [`Address::state_code`] knows its code.
    pub fn state_name(&self) -> Option<&'static str> {
        country::find_state(&self.country, self.state.as_deref()?).map(|(_, name)| name)
    }

    /// Whether the two addresses are in different countries (customs are needed).
    pub fn crosses_border_to(&self, other: &Address) -> bool {
        self.country != other.country
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

/// A postal code valid for its country and normalised: six digits not starting with 0
/// for India, a ZIP or ZIP+4 for the United States, a postcode for the United Kingdom,
/// five digits for Germany, `A1A 1A1` for Canada (see `AddressInput::postal_code`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[schema(value_type = String, example = "560001")]
pub struct PostalCode(String);

impl PostalCode {
    /// `raw` as a postal code of `country` (an upper-case ISO 3166-1 alpha-2 code), or a
    /// sentence naming the country's format.
    pub fn parse(raw: &str, country: &str) -> Result<PostalCode, String> {
        country::postal_code(raw, country).map(PostalCode)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The address at `pointer`, which the request must have.
pub(crate) fn required_address(
    input: Option<&AddressInput>,
    pointer: &str,
    v: &mut Violations,
) -> Option<Address> {
    match input {
        None => {
            v.add(pointer, "required", "this address is required");
            None
        }
        Some(a) => Address::parse(a, pointer, v),
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

    fn address(fields: serde_json::Value) -> Result<Address, Vec<super::super::FieldError>> {
        let mut base = serde_json::json!({"name": "Sam Lee", "phone": "+1 415 555 0100",
            "line1": "1 Market St", "city": "San Francisco"});
        base.as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        let input: AddressInput = serde_json::from_value(base).unwrap();
        let mut v = Violations::default();
        let parsed = Address::parse(&input, "/to", &mut v);
        v.finish(|| parsed.unwrap())
    }

    fn errors(fields: serde_json::Value) -> Vec<(String, String)> {
        address(fields)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.pointer, e.code))
            .collect()
    }

    #[test]
    fn us_and_canadian_states_become_codes() {
        let a = address(serde_json::json!({"country": "us", "state": "california",
            "postal_code": "94105 1234"}))
        .unwrap();
        assert_eq!(
            (
                a.country.as_str(),
                a.state.as_deref(),
                a.postal_code.as_str()
            ),
            ("US", Some("CA"), "94105-1234")
        );
        assert_eq!(
            (a.state_code(), a.state_name()),
            (Some("CA"), Some("California"))
        );
        let a = address(serde_json::json!({"country": "CA", "state": "Québec",
            "postal_code": "h2x1y4"}))
        .unwrap();
        assert_eq!(
            (a.state.as_deref(), a.postal_code.as_str()),
            (Some("QC"), "H2X 1Y4")
        );

        let p = |s: &str| (s.to_string(), "invalid_state".to_string());
        assert_eq!(
            errors(
                serde_json::json!({"country": "US", "state": "Bavaria", "postal_code": "94105"})
            ),
            [p("/to/state")]
        );
        assert_eq!(
            errors(serde_json::json!({"country": "CA", "state": "NY", "postal_code": "K1A 0B1"})),
            [p("/to/state")]
        );
        for state in [serde_json::json!(null), serde_json::json!("  ")] {
            assert_eq!(
                errors(
                    serde_json::json!({"country": "US", "state": state, "postal_code": "94105"})
                ),
                [("/to/state".to_string(), "required".to_string())]
            );
        }
        let details = address(serde_json::json!({"country": "US", "state": "XX",
            "postal_code": "9410"}))
        .unwrap_err();
        assert!(
            details[0].detail.contains("two-letter USPS code"),
            "{details:?}"
        );
        assert!(details[1].detail.contains("ZIP+4"), "{details:?}");
    }

    #[test]
    fn indian_states_keep_their_text_and_expose_the_code() {
        let indian = |state: serde_json::Value| {
            address(
                serde_json::json!({"phone": "9876543210", "postal_code": "560001",
                "state": state}),
            )
            .unwrap()
        };
        let a = indian(serde_json::json!("Karnataka"));
        assert_eq!(a.country, "IN");
        assert_eq!(a.state.as_deref(), Some("Karnataka"));
        assert_eq!(
            (a.state_code(), a.state_name()),
            (Some("KA"), Some("Karnataka"))
        );
        let a = indian(serde_json::json!("ka"));
        assert_eq!(
            (a.state.as_deref(), a.state_code()),
            (Some("ka"), Some("KA"))
        );
        // What shipgate does not recognise is kept, as before, without a code.
        let a = indian(serde_json::json!("Bangalore Urban"));
        assert_eq!(
            (a.state.as_deref(), a.state_code()),
            (Some("Bangalore Urban"), None)
        );
        assert_eq!(indian(serde_json::json!(null)).state_code(), None);
    }

    #[test]
    fn postal_codes_are_checked_per_country_at_their_pointer() {
        let a = address(serde_json::json!({"country": "uk", "postal_code": "sw1a1aa"})).unwrap();
        assert_eq!(
            (a.country.as_str(), a.postal_code.as_str()),
            ("GB", "SW1A 1AA")
        );
        assert_eq!(a.state_code(), None);
        let a = address(serde_json::json!({"country": "DE", "postal_code": "10115"})).unwrap();
        assert_eq!(a.postal_code.as_str(), "10115");
        for (country, code) in [
            ("GB", "SW1A"),
            ("DE", "1011"),
            ("CA", "K1A 0B"),
            ("IN", "56001"),
        ] {
            let errs = address(serde_json::json!({"country": country, "state": "ON",
                "postal_code": code, "phone": "9876543210"}))
            .unwrap_err();
            assert_eq!(errs.len(), 1, "{country}: {errs:?}");
            assert_eq!(
                (errs[0].pointer.as_str(), errs[0].code.as_str()),
                ("/to/postal_code", "invalid_postal_code")
            );
        }
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
