use serde::Serialize;
use utoipa::ToSchema;

/// One invalid field: where it is (RFC 6901 JSON pointer), a stable code, and a sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    pub pointer: String,
    pub code: String,
    pub detail: String,
}

/// The pointer of a field below `base` (`/from` + `name` is `/from/name`), written out
/// only when a violation needs it: parsing a valid request builds no pointer strings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field<'a>(pub &'a str, pub &'a str);

impl From<Field<'_>> for String {
    fn from(Field(base, name): Field<'_>) -> String {
        let mut pointer = String::with_capacity(base.len() + 1 + name.len());
        pointer.push_str(base);
        pointer.push('/');
        pointer.push_str(name);
        pointer
    }
}

/// Collects field errors while a request is parsed, so all of them are reported at once.
#[derive(Debug, Default)]
pub struct Violations(Vec<FieldError>);

impl Violations {
    pub fn add(&mut self, pointer: impl Into<String>, code: &str, detail: impl Into<String>) {
        self.0.push(FieldError {
            pointer: pointer.into(),
            code: code.to_string(),
            detail: detail.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was reported, else every violation.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value())
        } else {
            Err(self.0)
        }
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

/// A required string: trimmed, non-empty, at most `max` characters.
pub(crate) fn required_text(
    v: &mut Violations,
    pointer: impl Into<String>,
    value: Option<&str>,
    max: usize,
) -> String {
    match value.map(str::trim) {
        None | Some("") => {
            v.add(pointer, "required", "this field is required");
            String::new()
        }
        Some(s) if s.chars().count() > max => {
            v.add(pointer, "too_long", format!("at most {max} characters"));
            String::new()
        }
        Some(s) => s.to_string(),
    }
}

/// An optional string: trimmed, empty becomes absent, at most `max` characters.
pub(crate) fn optional_text(
    v: &mut Violations,
    pointer: impl Into<String>,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    match value.map(str::trim) {
        None | Some("") => None,
        Some(s) if s.chars().count() > max => {
            v.add(pointer, "too_long", format!("at most {max} characters"));
            None
        }
        Some(s) => Some(s.to_string()),
    }
}
