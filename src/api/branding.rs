//! `PUT`/`GET /v1/branding`: how a tenant's buyers' tracking pages (`/t/{token}`) look —
//! name, logo, two colours and where to get help.
//!
//! The page is public and shows what is stored here to anyone with a link, so everything
//! is checked at the door: the logo by its magic bytes (PNG, JPEG or WebP only; SVG is
//! refused because an SVG can carry script), colours as `#rrggbb` (the page picks a text
//! colour that reads against whatever colour is set), text without control characters.
//! A `PUT` replaces the whole branding: a field left out is cleared.

use actix_web::web::{self, Json};
use actix_web::{get, put};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use carriers::schema::Violations;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::guard::{Admin, Key, Read};
use super::json::ApiJson;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::store::Branding;

/// Largest logo, in bytes once decoded.
pub const MAX_LOGO_BYTES: usize = 100 * 1024;

/// A tenant's branding, as `PUT /v1/branding` takes it. Every field is optional; one left
/// out (or null) is cleared.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BrandingInput {
    /// The name buyers see (1–100 characters); the tenant's own name when unset.
    #[schema(value_type = Option<String>, max_length = 100)]
    pub display_name: Option<String>,
    /// The logo: PNG, JPEG or WebP bytes as standard base64, at most 100 KB decoded.
    /// SVG is refused (it can carry script).
    #[schema(value_type = Option<String>, format = Byte)]
    pub logo: Option<String>,
    /// `#rrggbb`: the page's header band.
    #[schema(value_type = Option<String>, pattern = "^#[0-9A-Fa-f]{6}$", example = "#0b5fff")]
    pub primary_color: Option<String>,
    /// `#rrggbb`: the page's buttons.
    #[schema(value_type = Option<String>, pattern = "^#[0-9A-Fa-f]{6}$", example = "#ffb000")]
    pub accent_color: Option<String>,
    /// Where buyers write for help.
    #[schema(value_type = Option<String>, format = Email, max_length = 254)]
    pub support_email: Option<String>,
    /// Where buyers call for help: 7 to 15 digits, with spaces, dashes, dots, parentheses
    /// and a leading `+`.
    #[schema(value_type = Option<String>, example = "+91 80 4000 1234")]
    pub support_phone: Option<String>,
}

/// A tenant's branding.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrandingView {
    pub display_name: Option<String>,
    /// The logo's bytes as standard base64.
    #[schema(format = Byte)]
    pub logo: Option<String>,
    /// `image/png`, `image/jpeg` or `image/webp`.
    pub logo_content_type: Option<String>,
    pub primary_color: Option<String>,
    pub accent_color: Option<String>,
    pub support_email: Option<String>,
    pub support_phone: Option<String>,
    /// When it was last set; null when never.
    pub updated_at: Option<DateTime<Utc>>,
}

impl From<Branding> for BrandingView {
    fn from(b: Branding) -> Self {
        BrandingView {
            logo: b.logo.as_ref().map(|l| B64.encode(l)),
            logo_content_type: b.logo_type,
            display_name: b.display_name,
            primary_color: b.primary_color,
            accent_color: b.accent_color,
            support_email: b.support_email,
            support_phone: b.support_phone,
            updated_at: (b.updated_at > 0)
                .then(|| DateTime::from_timestamp_millis(b.updated_at))
                .flatten(),
        }
    }
}

/// What the audit trail keeps of a branding: the logo by type and size, not its bytes.
fn audited(b: &Branding) -> serde_json::Value {
    serde_json::json!({
        "display_name": b.display_name,
        "logo": b.logo.as_ref().map(|l| serde_json::json!({
            "content_type": b.logo_type,
            "bytes": l.len(),
        })),
        "primary_color": b.primary_color,
        "accent_color": b.accent_color,
        "support_email": b.support_email,
        "support_phone": b.support_phone,
    })
}

/// Set how the tenant's buyers' tracking pages look (admin only); replaces the whole
/// branding.
#[utoipa::path(
    operation_id = "putBranding",
    tag = "tracking",
    request_body = BrandingInput,
    responses(
        (status = 200, body = BrandingView),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each at its JSON pointer (`/logo`: not PNG, JPEG or WebP, or over 100 KB)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[put("/v1/branding")]
pub async fn put(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    ApiJson(input): ApiJson<BrandingInput>,
) -> Result<Json<BrandingView>, ApiError> {
    let branding = parse(&input).map_err(ApiError::Validation)?;
    let before = state.store.branding(&caller.tenant.id).await?;
    let stored = state
        .store
        .put_branding(&caller.tenant.id, &branding)
        .await?;
    super::audit::record(
        &state,
        &caller,
        "branding.updated",
        ("branding", &caller.tenant.id),
        (before.updated_at > 0).then(|| audited(&before)),
        Some(audited(&stored)),
    )
    .await;
    Ok(Json(stored.into()))
}

/// How the tenant's buyers' tracking pages look.
#[utoipa::path(
    operation_id = "getBranding",
    tag = "tracking",
    responses((status = 200, body = BrandingView)),
    security(("api_key" = []))
)]
#[get("/v1/branding")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Key<Read>,
) -> Result<Json<BrandingView>, ApiError> {
    Ok(Json(state.store.branding(&caller.tenant.id).await?.into()))
}

/// The branding `input` describes; every problem at its pointer.
pub fn parse(input: &BrandingInput) -> Result<Branding, Vec<carriers::schema::FieldError>> {
    let mut v = Violations::default();
    let text = |v: &mut Violations, field: &str, value: &Option<String>, max: usize| {
        let value = value.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        if value.chars().count() > max {
            v.add(
                format!("/{field}"),
                "too_long",
                format!("at most {max} characters"),
            );
            return None;
        }
        if value.chars().any(char::is_control) {
            v.add(
                format!("/{field}"),
                "invalid_value",
                "control characters are not allowed",
            );
            return None;
        }
        Some(value.to_string())
    };
    let display_name = text(&mut v, "display_name", &input.display_name, 100);
    let support_email = text(&mut v, "support_email", &input.support_email, 254);
    if let Some(email) = &support_email
        && !plausible_email(email)
    {
        v.add(
            "/support_email",
            "invalid_email",
            "an email address: something @ a domain with a dot, without spaces",
        );
    }
    let support_phone = text(&mut v, "support_phone", &input.support_phone, 30);
    if let Some(phone) = &support_phone {
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        let allowed = phone
            .chars()
            .all(|c| c.is_ascii_digit() || " -().".contains(c))
            || phone.starts_with('+')
                && phone[1..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || " -().".contains(c));
        if !allowed || !(7..=15).contains(&digits) {
            v.add(
                "/support_phone",
                "invalid_phone",
                "7 to 15 digits, with spaces, dashes, dots, parentheses and a leading + only",
            );
        }
    }
    let primary_color = colour(&mut v, "primary_color", input.primary_color.as_deref());
    let accent_color = colour(&mut v, "accent_color", input.accent_color.as_deref());
    let (logo, logo_type) = match input.logo.as_deref().filter(|l| !l.is_empty()) {
        None => (None, None),
        Some(text) => match logo(text) {
            Ok((bytes, kind)) => (Some(bytes), Some(kind.to_string())),
            Err((code, detail)) => {
                v.add("/logo", code, detail);
                (None, None)
            }
        },
    };
    v.finish(|| Branding {
        display_name,
        logo,
        logo_type,
        primary_color,
        accent_color,
        support_email: support_email.map(|e| e.to_string()),
        support_phone,
        updated_at: 0,
    })
}

fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !email.contains(char::is_whitespace)
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.contains('.')
        && !domain.contains('@')
}

/// `#rrggbb` in either case, kept in lower case.
fn colour(v: &mut Violations, field: &str, value: Option<&str>) -> Option<String> {
    let value = value?.trim();
    if value.is_empty() {
        return None;
    }
    let ok = value.len() == 7
        && value.starts_with('#')
        && value[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if !ok {
        v.add(
            format!("/{field}"),
            "invalid_color",
            format!("`{value}` is not a colour as #rrggbb (e.g. #0b5fff)"),
        );
        return None;
    }
    Some(value.to_ascii_lowercase())
}

/// The logo's bytes and content type, known by its magic bytes.
fn logo(text: &str) -> Result<(Vec<u8>, &'static str), (&'static str, String)> {
    // Base64 of the largest logo is a third longer; refuse far longer text unread.
    if text.len() > MAX_LOGO_BYTES / 3 * 4 + 8 {
        return Err((
            "too_large",
            format!("the logo is over {} KB", MAX_LOGO_BYTES / 1024),
        ));
    }
    let bytes = B64.decode(text.trim()).map_err(|_| {
        (
            "invalid_base64",
            "the logo is the image's bytes as standard base64".to_string(),
        )
    })?;
    if bytes.len() > MAX_LOGO_BYTES {
        return Err((
            "too_large",
            format!("the logo is over {} KB", MAX_LOGO_BYTES / 1024),
        ));
    }
    match image_type(&bytes) {
        Some(kind) => Ok((bytes, kind)),
        None => Err((
            "unsupported_image",
            "the logo must be a PNG, JPEG or WebP image (SVG is refused: it can carry script)"
                .to_string(),
        )),
    }
}

/// The content type of a PNG, JPEG or WebP image by its first bytes; `None` for anything
/// else (SVG, GIF, HTML, …).
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(f: impl FnOnce(&mut BrandingInput)) -> BrandingInput {
        let mut i = BrandingInput::default();
        f(&mut i);
        i
    }

    #[test]
    fn images_are_known_by_their_magic_bytes() {
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(image_type(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(
            image_type(b"<svg xmlns='http://www.w3.org/2000/svg'>"),
            None
        );
        assert_eq!(image_type(b"GIF89a"), None);
    }

    #[test]
    fn every_bad_field_is_reported_at_its_pointer() {
        let svg = B64.encode("<svg onload='alert(1)'/>");
        let errors = parse(&input(|i| {
            i.display_name = Some("x".repeat(101));
            i.logo = Some(svg);
            i.primary_color = Some("blue".into());
            i.accent_color = Some("#12345".into());
            i.support_email = Some("nobody".into());
            i.support_phone = Some("call us".into());
        }))
        .unwrap_err();
        let at: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.pointer.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                ("/display_name", "too_long"),
                ("/support_email", "invalid_email"),
                ("/support_phone", "invalid_phone"),
                ("/primary_color", "invalid_color"),
                ("/accent_color", "invalid_color"),
                ("/logo", "unsupported_image"),
            ]
        );
        let big = B64.encode([b"\x89PNG\r\n\x1a\n".as_slice(), &vec![0; MAX_LOGO_BYTES]].concat());
        let errors = parse(&input(|i| i.logo = Some(big))).unwrap_err();
        assert_eq!(errors[0].code, "too_large");
        let errors = parse(&input(|i| i.logo = Some("not base64!".into()))).unwrap_err();
        assert_eq!(errors[0].code, "invalid_base64");
    }

    #[test]
    fn good_branding_is_kept_normalised() {
        let png = B64.encode(b"\x89PNG\r\n\x1a\nrest");
        let b = parse(&input(|i| {
            i.display_name = Some(" Acme Store ".into());
            i.logo = Some(png);
            i.primary_color = Some("#0B5FFF".into());
            i.support_email = Some("help@acme.example".into());
            i.support_phone = Some("+91 80 4000 1234".into());
        }))
        .unwrap();
        assert_eq!(b.display_name.as_deref(), Some("Acme Store"));
        assert_eq!(b.logo_type.as_deref(), Some("image/png"));
        assert_eq!(b.primary_color.as_deref(), Some("#0b5fff"));
        assert_eq!(b.accent_color, None);
    }
}
