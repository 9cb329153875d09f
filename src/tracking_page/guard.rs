//! What stands in front of the buyer's NDR form: a signed form value, and limits per link
//! and per client address.
//!
//! **Form value.** The page carries no session (the link is the buyer's credential), so the
//! form is protected by a value the page embeds: the time it was rendered and an
//! HMAC-SHA256 of that time and the shipment's token under a secret every gateway process
//! shares (stored once in the database, `gateway_secrets`). A POST without a fresh value for
//! its own token is refused, so another site cannot post the form blind, and a value
//! taken from one shipment's page does not work on another's. Values live
//! [`FORM_TTL_SECS`]; a buyer who left the page open longer reloads it.
//!
//! **Limits.** At most [`PER_TOKEN`] requests an hour per link and [`PER_ADDRESS`] per
//! client address, each a GCRA bucket (`governor`) that refills smoothly. They are kept
//! in this process: N gateway processes behind a balancer admit up to N times as many.
//! The address is the TCP peer's; behind a reverse proxy every buyer shares the proxy's
//! address, and the per-link limit is the one that holds.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// How long a rendered form may be sent.
pub const FORM_TTL_SECS: i64 = 4 * 3600;
/// Requests an hour from one tracking link.
pub const PER_TOKEN: u32 = 5;
/// Requests an hour from one client address.
pub const PER_ADDRESS: u32 = 30;

pub struct FormGuard {
    key: Vec<u8>,
    per_token: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
}

fn hourly(n: u32) -> Quota {
    let n = NonZeroU32::new(n).expect("a positive limit");
    Quota::per_hour(n).allow_burst(n)
}

impl FormGuard {
    pub fn new(secret: &str) -> FormGuard {
        FormGuard {
            key: secret.as_bytes().to_vec(),
            per_token: RateLimiter::keyed(hourly(PER_TOKEN)),
            per_address: RateLimiter::keyed(hourly(PER_ADDRESS)),
        }
    }

    fn mac(&self, token: &str, at: i64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(b"tracking-page-ndr\0");
        mac.update(token.as_bytes());
        mac.update(b"\0");
        mac.update(at.to_string().as_bytes());
        mac
    }

    /// The form value for `token`'s page rendered at `now` (Unix seconds).
    pub fn sign(&self, token: &str, now: i64) -> String {
        let tag = self.mac(token, now).finalize().into_bytes();
        format!("{now}.{}", hex::encode(tag))
    }

    /// Whether `value` was signed for `token` within [`FORM_TTL_SECS`] of `now`.
    pub fn verify(&self, token: &str, value: &str, now: i64) -> bool {
        let Some((at, tag)) = value.split_once('.') else {
            return false;
        };
        let (Ok(at), Ok(tag)) = (at.parse::<i64>(), hex::decode(tag)) else {
            return false;
        };
        // A minute's grace for clocks of processes that share the secret.
        if at > now + 60 || now - at > FORM_TTL_SECS {
            return false;
        }
        self.mac(token, at).verify_slice(&tag).is_ok()
    }

    /// Charges one request to the address and the link; `Err` with how long to wait when
    /// either is spent.
    pub fn charge(&self, token: &str, address: Option<IpAddr>) -> Result<(), Duration> {
        let clock = DefaultClock::default();
        if let Some(ip) = address
            && let Err(until) = self.per_address.check_key(&ip)
        {
            return Err(until.wait_time_from(clock.now()));
        }
        self.per_token
            .check_key(&token.to_string())
            .map_err(|until| until.wait_time_from(clock.now()))?;
        // Forget buckets that refilled, so a long-running process does not keep a bucket
        // for every link ever posted from.
        if self.per_token.len() > 10_000 {
            self.per_token.retain_recent();
            self.per_address.retain_recent();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_value_works_for_its_own_link_while_fresh() {
        let guard = FormGuard::new("secret");
        let value = guard.sign("tokenA", 1_000_000);
        assert!(guard.verify("tokenA", &value, 1_000_000 + 60));
        assert!(!guard.verify("tokenB", &value, 1_000_000 + 60));
        assert!(!guard.verify("tokenA", &value, 1_000_000 + FORM_TTL_SECS + 1));
        assert!(!FormGuard::new("other").verify("tokenA", &value, 1_000_000));
        let forged = value.replacen("1000000", "1000500", 1);
        assert!(!guard.verify("tokenA", &forged, 1_000_600));
        assert!(!guard.verify("tokenA", "", 1_000_000));
        assert!(!guard.verify("tokenA", "x.y", 1_000_000));
    }

    #[test]
    fn a_link_is_limited_to_five_an_hour() {
        let guard = FormGuard::new("secret");
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..PER_TOKEN {
            assert!(guard.charge("tokenA", Some(ip)).is_ok());
        }
        let wait = guard.charge("tokenA", Some(ip)).unwrap_err();
        assert!(wait > Duration::from_secs(60), "{wait:?}");
        // Another link from the same address is still served.
        assert!(guard.charge("tokenB", Some(ip)).is_ok());
    }

    #[test]
    fn an_address_is_limited_across_links() {
        let guard = FormGuard::new("secret");
        let ip: IpAddr = "192.0.2.2".parse().unwrap();
        for i in 0..PER_ADDRESS {
            assert!(guard.charge(&format!("token{i}"), Some(ip)).is_ok());
        }
        assert!(guard.charge("another", Some(ip)).is_err());
        assert!(guard.charge("another", "192.0.2.3".parse().ok()).is_ok());
    }
}
