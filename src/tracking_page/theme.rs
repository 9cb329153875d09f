//! The page's stylesheet: one small CSS file in the binary, with the tenant's two colours
//! (and the text colour that reads on each) as custom properties in front of it.
//!
//! The page's Content-Security-Policy admits styles from the gateway only (`style-src
//! 'self'`, no inline style), so the colours cannot be written into the page; the
//! stylesheet's URL carries them instead (`/t/style/{primary}{accent}.css`). Its text is a
//! pure function of that URL and the binary, so it needs no database read and caches
//! across every page of every tenant with the same colours.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

const CSS: &str = include_str!("page.css");

/// The header band when a tenant set no primary colour: a dark blue.
pub const DEFAULT_PRIMARY: Rgb = Rgb(0x1f, 0x3a, 0x5f);
/// The buttons when a tenant set no accent colour.
pub const DEFAULT_ACCENT: Rgb = Rgb(0x1d, 0x5f, 0xc9);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb` (or `rrggbb`), either case.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#').unwrap_or(text);
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    pub fn hex(self) -> String {
        format!("{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG 2 relative luminance.
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// WCAG 2 contrast ratio between two colours (1 to 21).
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Black or white, whichever reads better on this colour. One of the two always
    /// reaches at least 4.58:1 against any colour, above the 4.5:1 WCAG AA asks of text.
    pub fn text_colour(self) -> Rgb {
        let (black, white) = (Rgb(0, 0, 0), Rgb(255, 255, 255));
        if self.contrast(black) >= self.contrast(white) {
            black
        } else {
            white
        }
    }
}

/// Where the stylesheet for these colours is served, versioned by the CSS in this binary.
pub fn stylesheet_path(primary: Rgb, accent: Rgb) -> String {
    format!(
        "/t/style/{}{}.css?v={}",
        primary.hex(),
        accent.hex(),
        version()
    )
}

/// The colours a stylesheet name (`{primary}{accent}.css`) asks for.
pub fn parse_name(name: &str) -> Option<(Rgb, Rgb)> {
    let hex = name.strip_suffix(".css")?;
    if hex.len() != 12 {
        return None;
    }
    Some((Rgb::parse(&hex[..6])?, Rgb::parse(&hex[6..])?))
}

/// The stylesheet for these colours.
pub fn stylesheet(primary: Rgb, accent: Rgb) -> String {
    format!(
        ":root{{--brand:#{};--on-brand:#{};--accent:#{};--on-accent:#{}}}\n{CSS}",
        primary.hex(),
        primary.text_colour().hex(),
        accent.hex(),
        accent.text_colour().hex(),
    )
}

/// A short hash of the CSS, so a new binary's stylesheet is a new URL.
fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| hex::encode(&Sha256::digest(CSS.as_bytes())[..6]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_on_any_colour_reaches_four_and_a_half_to_one() {
        // Every 17th step of each channel: 4,096 colours, the mid-greys among them.
        for r in (0..=255).step_by(17) {
            for g in (0..=255).step_by(17) {
                for b in (0..=255).step_by(17) {
                    let c = Rgb(r, g, b);
                    let ratio = c.contrast(c.text_colour());
                    assert!(ratio >= 4.5, "{c:?}: {ratio}");
                }
            }
        }
        assert_eq!(Rgb(0xff, 0xff, 0x00).text_colour(), Rgb(0, 0, 0));
        assert_eq!(Rgb(0x1f, 0x3a, 0x5f).text_colour(), Rgb(255, 255, 255));
    }

    #[test]
    fn stylesheet_names_round_trip() {
        let (p, a) = (Rgb(0x0b, 0x5f, 0xff), Rgb(0xff, 0xb0, 0x00));
        let path = stylesheet_path(p, a);
        let name = path
            .strip_prefix("/t/style/")
            .and_then(|n| n.split('?').next())
            .unwrap();
        assert_eq!(parse_name(name), Some((p, a)));
        assert_eq!(parse_name("0b5fff.css"), None);
        assert_eq!(parse_name("zzzzzzffb000.css"), None);
        let css = stylesheet(p, a);
        assert!(
            css.starts_with(":root{--brand:#0b5fff;--on-brand:#"),
            "{css}"
        );
    }
}
