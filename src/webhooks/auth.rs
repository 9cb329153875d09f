//! Who may push tracking for a carrier: a shared token in a header, an HMAC-SHA256
//! signature of the body, a list of source addresses, in any combination (all that are
//! configured must pass).
//!
//! Carriers differ in what they can do — Shiprocket sends an optional token as
//! `x-api-key`, Delhivery sends whatever header the client asks for when the push is set
//! up, neither signs bodies — so every check is optional and configured per carrier in
//! its section (`SHIPGATE_CARRIERS__<ID>__WEBHOOK_…`). An unauthenticated push endpoint
//! lets anybody rewrite tracking, so live mode refuses every push for a carrier with no
//! check configured; sandbox mode accepts them so the walk-through needs no set-up.
//!
//! Reading and comparing the header values themselves (in constant time) is
//! `carriers::push_auth`, where the `webhook_auth` fuzz target drives it.

use std::net::IpAddr;

use actix_web::http::header::HeaderMap;
pub use carriers::push_auth::sign;
use carriers::push_auth::{sha256, signature_matches, token_matches};

use crate::config::{CarrierConfig, Mode};

pub const TOKEN: &str = "webhook_token";
pub const TOKEN_HEADER: &str = "webhook_token_header";
pub const HMAC_SECRET: &str = "webhook_hmac_secret";
pub const HMAC_HEADER: &str = "webhook_hmac_header";
pub const ALLOWED_IPS: &str = "webhook_allowed_ips";

/// Where the signature is looked for unless configured otherwise (no carrier documents
/// one; this is for a signing proxy in front of shipgate, or a carrier added later).
pub const DEFAULT_HMAC_HEADER: &str = "x-webhook-signature";

/// Why a push is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Missing or wrong credentials (401).
    Unauthenticated(String),
    /// The source address is not allowed (403).
    Forbidden(String),
}

/// An address range: `10.0.0.0/8`, `2001:db8::/32`, or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    pub fn parse(text: &str) -> Result<IpRange, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = addr
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not an IP address or CIDR range"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{text}`: the prefix length must be 0 to {max}"))?,
            None => max,
        };
        Ok(IpRange { network, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        // A v4 peer on a dual-stack socket shows up as ::ffff:a.b.c.d.
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

struct TokenCheck {
    header: String,
    digest: [u8; 32],
}

struct HmacCheck {
    header: String,
    secret: Vec<u8>,
}

/// One carrier's push authentication, read from its configuration section.
pub struct PushAuth {
    carrier: &'static str,
    token: Option<TokenCheck>,
    hmac: Option<HmacCheck>,
    allowed: Option<Vec<IpRange>>,
    /// Live mode with nothing configured: refuse everything.
    refuse_all: bool,
}

fn env_name(carrier: &str, key: &str) -> String {
    format!(
        "SHIPGATE_CARRIERS__{}__{}",
        carrier.to_ascii_uppercase(),
        key.to_ascii_uppercase()
    )
}

fn setting<'a>(section: &'a CarrierConfig, key: &str) -> Option<&'a str> {
    section
        .settings
        .get(key)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
}

impl PushAuth {
    /// Reads the carrier's `webhook_*` settings; `default_token_header` and
    /// `default_hmac_header` are the headers the carrier documents for its token and its
    /// signature.
    pub fn from_config(
        carrier: &'static str,
        section: &CarrierConfig,
        mode: Mode,
        default_token_header: &str,
        default_hmac_header: Option<&str>,
    ) -> Result<PushAuth, String> {
        let header_name = |key: &str, default: &str| -> Result<String, String> {
            let name = setting(section, key)
                .unwrap_or(default)
                .to_ascii_lowercase();
            actix_web::http::header::HeaderName::from_bytes(name.as_bytes())
                .map(|_| name.clone())
                .map_err(|_| format!("{} is not a header name: `{name}`", env_name(carrier, key)))
        };
        let token = match setting(section, TOKEN) {
            Some(token) => Some(TokenCheck {
                header: header_name(TOKEN_HEADER, default_token_header)?,
                digest: sha256(token.as_bytes()),
            }),
            None => None,
        };
        let hmac = match setting(section, HMAC_SECRET) {
            Some(secret) => Some(HmacCheck {
                header: header_name(
                    HMAC_HEADER,
                    default_hmac_header.unwrap_or(DEFAULT_HMAC_HEADER),
                )?,
                secret: secret.as_bytes().to_vec(),
            }),
            None => None,
        };
        let allowed = match setting(section, ALLOWED_IPS) {
            Some(list) => Some(
                list.split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(IpRange::parse)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| format!("{}: {e}", env_name(carrier, ALLOWED_IPS)))?,
            ),
            None => None,
        };
        let configured = token.is_some() || hmac.is_some() || allowed.is_some();
        Ok(PushAuth {
            carrier,
            token,
            hmac,
            allowed,
            refuse_all: mode == Mode::Live && !configured,
        })
    }

    /// A tenant account's own push URL: the account's push secret, in the header the
    /// carrier sends its token in (`digest` is the secret's SHA-256).
    pub fn for_account(carrier: &'static str, header: &str, digest: [u8; 32]) -> PushAuth {
        PushAuth {
            carrier,
            token: Some(TokenCheck {
                header: header.to_ascii_lowercase(),
                digest,
            }),
            hmac: None,
            allowed: None,
            refuse_all: false,
        }
    }

    /// Whether any check is configured.
    pub fn is_configured(&self) -> bool {
        self.token.is_some() || self.hmac.is_some() || self.allowed.is_some()
    }

    /// Whether pushes are refused outright (live mode, nothing configured).
    pub fn refuses_all(&self) -> bool {
        self.refuse_all
    }

    /// Names of the settings that would authenticate this carrier's pushes, for messages.
    pub fn setting_names(&self) -> String {
        [TOKEN, HMAC_SECRET, ALLOWED_IPS]
            .iter()
            .map(|k| env_name(self.carrier, k))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Header names that carry secrets, never to be stored with a push.
    pub fn secret_headers(&self) -> impl Iterator<Item = &str> {
        self.token
            .as_ref()
            .map(|t| t.header.as_str())
            .into_iter()
            .chain(self.hmac.as_ref().map(|h| h.header.as_str()))
    }

    /// Checks a push: the source address first (403), then token and signature (401).
    /// `peer` is `None` when the connection's address is unknown, which an allow-list
    /// treats as not allowed.
    /// Every check: [`PushAuth::verify_before_body`], then [`PushAuth::verify_body`].
    pub fn verify(
        &self,
        peer: Option<IpAddr>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), Refusal> {
        self.verify_before_body(peer, headers)?;
        self.verify_body(headers, body)
    }

    /// The checks that need no body (refusal, source address, token), made before the body
    /// is read, so an unauthenticated sender cannot make the gateway buffer what it sends.
    pub fn verify_before_body(
        &self,
        peer: Option<IpAddr>,
        headers: &HeaderMap,
    ) -> Result<(), Refusal> {
        if self.refuse_all {
            return Err(Refusal::Unauthenticated(format!(
                "pushes for {} are not accepted: no webhook authentication is configured",
                self.carrier
            )));
        }
        if let Some(allowed) = &self.allowed {
            let ok = peer.is_some_and(|ip| allowed.iter().any(|r| r.contains(ip)));
            if !ok {
                return Err(Refusal::Forbidden(format!(
                    "pushes for {} are not accepted from this address",
                    self.carrier
                )));
            }
        }
        if let Some(token) = &self.token {
            let given = headers
                .get(token.header.as_str())
                .map(|v| v.as_bytes())
                .unwrap_or_default();
            if !token_matches(given, &token.digest) {
                return Err(Refusal::Unauthenticated(format!(
                    "missing or wrong `{}` header",
                    token.header
                )));
            }
        }
        Ok(())
    }

    /// The signature check, which needs the body.
    pub fn verify_body(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), Refusal> {
        if let Some(check) = &self.hmac {
            let given = headers
                .get(check.header.as_str())
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !signature_matches(&check.secret, given, body) {
                return Err(Refusal::Unauthenticated(format!(
                    "missing or wrong `{}` signature (HMAC-SHA256 of the body)",
                    check.header
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn auth(settings: &[(&str, &str)], mode: Mode) -> PushAuth {
        let section = CarrierConfig {
            settings: settings
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>(),
            ..CarrierConfig::default()
        };
        PushAuth::from_config("delhivery", &section, mode, "authorization", None).unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                actix_web::http::header::HeaderName::from_static(k),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn ranges() {
        let r = IpRange::parse("10.1.0.0/16").unwrap();
        assert!(r.contains("10.1.200.3".parse().unwrap()));
        assert!(!r.contains("10.2.0.1".parse().unwrap()));
        assert!(r.contains("::ffff:10.1.0.9".parse().unwrap()));
        let one = IpRange::parse("203.0.113.10").unwrap();
        assert!(one.contains("203.0.113.10".parse().unwrap()));
        assert!(!one.contains("203.0.113.11".parse().unwrap()));
        let all = IpRange::parse("0.0.0.0/0").unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
        let v6 = IpRange::parse("2001:db8::/32").unwrap();
        assert!(v6.contains("2001:db8:1::1".parse().unwrap()));
        assert!(!v6.contains("10.0.0.1".parse().unwrap()));
        assert!(IpRange::parse("10.0.0.0/33").is_err());
        assert!(IpRange::parse("nope").is_err());
    }

    #[test]
    fn tokens_with_or_without_a_scheme() {
        let a = auth(&[(TOKEN, "s3cret")], Mode::Live);
        for ok in ["s3cret", "Bearer s3cret", "token s3cret"] {
            assert!(
                a.verify(None, &headers(&[("authorization", ok)]), b"")
                    .is_ok()
            );
        }
        for bad in ["s3cre", "Bearer nope", ""] {
            assert!(matches!(
                a.verify(None, &headers(&[("authorization", bad)]), b""),
                Err(Refusal::Unauthenticated(_))
            ));
        }
        assert!(a.verify(None, &HeaderMap::new(), b"").is_err());
    }

    #[test]
    fn signatures() {
        let a = auth(&[(HMAC_SECRET, "k")], Mode::Live);
        let body = br#"{"a":1}"#;
        let hex_sig = sign(b"k", body);
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD.encode(hex::decode(&hex_sig).unwrap());
        for ok in [
            hex_sig.clone(),
            hex_sig.to_uppercase(),
            format!("sha256={hex_sig}"),
            b64,
        ] {
            assert!(
                a.verify(None, &headers(&[(DEFAULT_HMAC_HEADER, &ok)]), body)
                    .is_ok(),
                "{ok}"
            );
        }
        assert!(
            a.verify(None, &headers(&[(DEFAULT_HMAC_HEADER, &hex_sig)]), b"other")
                .is_err()
        );
    }

    #[test]
    fn modes_and_allow_lists() {
        assert!(
            auth(&[], Mode::Sandbox)
                .verify(None, &HeaderMap::new(), b"")
                .is_ok()
        );
        assert!(auth(&[], Mode::Live).refuses_all());
        let a = auth(&[(ALLOWED_IPS, "127.0.0.1, 10.0.0.0/8")], Mode::Live);
        assert!(
            a.verify(Some("10.9.9.9".parse().unwrap()), &HeaderMap::new(), b"")
                .is_ok()
        );
        assert!(matches!(
            a.verify(Some("192.0.2.1".parse().unwrap()), &HeaderMap::new(), b""),
            Err(Refusal::Forbidden(_))
        ));
        assert!(a.verify(None, &HeaderMap::new(), b"").is_err());
    }
}
