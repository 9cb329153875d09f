//! Tokens for carriers whose API is entered by logging in: issued at login, each good
//! for a number of authenticated requests (a stand-in for a lifetime, which a test could
//! only wait out), expired all at once on demand so re-login can be tested for real, and
//! only the most recent ones remembered: a gateway logs in again whenever its token runs
//! out, so a long benchmark would otherwise pile up spent tokens forever. Each token
//! belongs to the [account](super::accounts) that logged in, so the requests it admits
//! count for that account.

use std::collections::{HashMap, VecDeque};
use std::time::{SystemTime, UNIX_EPOCH};

use super::SimRequest;
use super::accounts::Accounts;

/// Authenticated requests a token issued at login is good for: no limit. A real token
/// lives for days, expired for all callers at once; a count per token would refuse a
/// gateway's shared token to some concurrent callers and not others, which no real
/// account does (it made `bench/run` report 401s once the gateway logged in once for all
/// callers).
pub const DEFAULT_TOKEN_REQUESTS: u32 = u32::MAX;
/// Tokens remembered; older ones are forgotten. The gateway uses one token at a time per
/// adapter, so a token this many logins old has long been replaced.
pub const KEPT_TOKENS: usize = 1_000;

/// Why a request's token was refused; each carrier words its own 401.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// No `Authorization` header, or an empty one.
    Missing,
    /// A token never issued (or forgotten), or not under the carrier's scheme.
    Unknown,
    /// Issued, but used up or expired.
    Expired,
}

/// What a request's `Authorization` header holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential<'a> {
    /// No header, or an empty one.
    Missing,
    /// A token under the expected scheme.
    Token(&'a str),
    /// Something else.
    Malformed,
}

/// The credential `request` carries under `scheme` (`Bearer`, `Token`); auth schemes are
/// case-insensitive (RFC 9110).
pub fn credential<'a>(request: &'a SimRequest, scheme: &str) -> Credential<'a> {
    let value = request.header("authorization").map_or("", str::trim);
    if value.is_empty() {
        return Credential::Missing;
    }
    match value.split_once(' ') {
        Some((given, token)) if given.eq_ignore_ascii_case(scheme) => {
            Credential::Token(token.trim())
        }
        _ => Credential::Malformed,
    }
}

/// How a carrier's API admits a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// One token per account, good until the account changes it (Delhivery's API token):
    /// the account's credential `field`.
    Fixed {
        scheme: &'static str,
        field: &'static str,
    },
    /// Tokens issued at login ([`Tokens::issue`]), each spent by the requests it admits.
    Login { scheme: &'static str },
}

impl Gate {
    pub const fn fixed(scheme: &'static str, field: &'static str) -> Self {
        Gate::Fixed { scheme, field }
    }

    pub const fn login(scheme: &'static str) -> Self {
        Gate::Login { scheme }
    }
}

pub struct Tokens {
    /// Authenticated requests a new token is good for.
    requests: u32,
    kept: usize,
    /// Per token: requests left, and the account it was issued to.
    left: HashMap<String, (u32, String)>,
    /// Kept tokens in the order they were issued, to forget the oldest.
    issued: VecDeque<String>,
    count: u64,
}

impl Tokens {
    /// Tokens good for `requests` requests each, the `kept` most recent remembered.
    pub fn new(requests: u32, kept: usize) -> Self {
        Tokens {
            requests,
            kept: kept.max(1),
            left: HashMap::new(),
            issued: VecDeque::new(),
            count: 0,
        }
    }

    /// A new token for `account`, unguessable enough that two sandbox runs never share
    /// one.
    pub fn issue(&mut self, account: &str) -> String {
        self.count += 1;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let token = format!("sandbox.{}.{nanos:x}", self.count);
        let issued = (self.requests, account.to_string());
        self.left.insert(token.clone(), issued);
        self.issued.push_back(token.clone());
        while self.issued.len() > self.kept {
            if let Some(old) = self.issued.pop_front() {
                self.left.remove(&old);
            }
        }
        token
    }

    /// Admits `request` through `gate`: a fixed token one of `accounts` holds, or one
    /// request of a token issued at login. The account admitted.
    pub fn admit(
        &mut self,
        gate: Gate,
        request: &SimRequest,
        accounts: &Accounts,
    ) -> Result<String, Refused> {
        match gate {
            Gate::Login { scheme } => self.spend(credential(request, scheme)),
            Gate::Fixed { scheme, field } => match credential(request, scheme) {
                Credential::Missing => Err(Refused::Missing),
                Credential::Token(given) => {
                    let holder = accounts.holding(&[(field, given)]);
                    holder.map(str::to_string).ok_or(Refused::Unknown)
                }
                Credential::Malformed => Err(Refused::Unknown),
            },
        }
    }

    /// Spends one request of `credential`'s token; the account it was issued to.
    pub fn spend(&mut self, credential: Credential<'_>) -> Result<String, Refused> {
        let token = match credential {
            Credential::Token(token) => token,
            Credential::Missing => return Err(Refused::Missing),
            Credential::Malformed => return Err(Refused::Unknown),
        };
        match self.left.get_mut(token) {
            Some((left, account)) if *left > 0 => {
                *left -= 1;
                Ok(account.clone())
            }
            Some(_) => Err(Refused::Expired),
            None => Err(Refused::Unknown),
        }
    }

    /// Expires every token still remembered; how many there were.
    pub fn expire_all(&mut self) -> usize {
        self.left.values_mut().for_each(|(left, _)| *left = 0);
        self.left.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_auth(value: &str) -> SimRequest {
        SimRequest {
            headers: vec![("authorization".into(), value.into())],
            ..SimRequest::default()
        }
    }

    #[test]
    fn reads_the_credential_under_its_scheme() {
        let r = with_auth("Bearer abc ");
        assert_eq!(credential(&r, "Bearer"), Credential::Token("abc"));
        assert_eq!(
            credential(&with_auth("bearer abc"), "Bearer"),
            Credential::Token("abc")
        );
        assert_eq!(
            credential(&with_auth("Token abc"), "Bearer"),
            Credential::Malformed
        );
        assert_eq!(
            credential(&with_auth("abc"), "Token"),
            Credential::Malformed
        );
        assert_eq!(credential(&with_auth("  "), "Token"), Credential::Missing);
        assert_eq!(
            credential(&SimRequest::default(), "Token"),
            Credential::Missing
        );
    }

    #[test]
    fn a_token_is_good_for_its_requests_then_expired() {
        let mut tokens = Tokens::new(2, 10);
        let token = tokens.issue("a");
        let t = Credential::Token(&token);
        assert_eq!(tokens.spend(t), Ok("a".into()));
        assert_eq!(tokens.spend(t), Ok("a".into()));
        assert_eq!(tokens.spend(t), Err(Refused::Expired));
        assert_eq!(
            tokens.spend(Credential::Token("nope")),
            Err(Refused::Unknown)
        );
        assert_eq!(tokens.spend(Credential::Missing), Err(Refused::Missing));
        assert_eq!(tokens.spend(Credential::Malformed), Err(Refused::Unknown));
    }

    #[test]
    fn a_fixed_token_admits_its_holder_for_good() {
        let mut tokens = Tokens::new(1, 1);
        let mut accounts = Accounts::new(&[("api_token", "fixed")]);
        let gate = Gate::fixed("Token", "api_token");
        let mut admit =
            |auth: &str, accounts: &Accounts| tokens.admit(gate, &with_auth(auth), accounts);
        for _ in 0..3 {
            assert_eq!(admit("token fixed", &accounts), Ok("default".into()));
        }
        accounts
            .register(&serde_json::json!({"account": "a", "api_token": "other"}))
            .unwrap();
        assert_eq!(admit("Token other", &accounts), Ok("a".into()));
        assert_eq!(admit("Token fixed", &accounts), Ok("default".into()));
        for (auth, why) in [
            ("Token unknown", Refused::Unknown),
            ("Bearer fixed", Refused::Unknown),
            (" ", Refused::Missing),
        ] {
            assert_eq!(admit(auth, &accounts), Err(why), "{auth}");
        }
        assert_eq!(tokens.expire_all(), 0, "nothing issued to expire");
        let login = Gate::login("Bearer");
        let issued = tokens.issue("a");
        let bearer = with_auth(&format!("Bearer {issued}"));
        assert_eq!(tokens.admit(login, &bearer, &accounts), Ok("a".into()));
        let spent = tokens.admit(login, &bearer, &accounts);
        assert_eq!(spent, Err(Refused::Expired));
    }

    #[test]
    fn expire_all_and_forget_the_oldest() {
        let mut tokens = Tokens::new(100, 2);
        let oldest = tokens.issue("a");
        let kept = [tokens.issue("a"), tokens.issue("b")];
        assert_ne!(kept[0], kept[1]);
        assert_eq!(
            tokens.spend(Credential::Token(&oldest)),
            Err(Refused::Unknown)
        );
        assert_eq!(tokens.spend(Credential::Token(&kept[0])), Ok("a".into()));
        assert_eq!(tokens.expire_all(), 2);
        assert_eq!(
            tokens.spend(Credential::Token(&kept[1])),
            Err(Refused::Expired)
        );
        let fresh = tokens.issue("b");
        assert_eq!(
            tokens.spend(Credential::Token(&fresh)),
            Ok("b".into()),
            "new logins work"
        );
    }
}
