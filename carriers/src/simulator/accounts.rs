//! Simulator accounts: several sets of credentials one simulator accepts, so tenants with
//! different credentials can all work against one sandbox, and a test can tell which
//! credentials each call used.
//!
//! The carrier's built-in sandbox credentials are account [`DEFAULT`]; more are registered
//! with `POST /_accounts` (below the simulator's root), whose body names the account and
//! gives the carrier's credential fields ([`super::sandbox::Wire::ACCOUNT`]), and `GET
//! /_accounts` counts each account's requests. Credentials no account holds are refused
//! as the carrier refuses them.
//!
//! Only the credentials are per account: bookings are shared, one store for the whole
//! simulator, so any account's credentials find, track and cancel any booking.

use serde_json::{Value, json};

/// The account of the carrier's built-in sandbox credentials.
pub const DEFAULT: &str = "default";

struct Account {
    name: String,
    /// The carrier's credential fields, in [`Accounts::fields`] order.
    credentials: Vec<String>,
    requests: u64,
}

/// The accounts, in the order first registered, [`DEFAULT`] first.
pub struct Accounts {
    fields: Vec<&'static str>,
    list: Vec<Account>,
}

impl Accounts {
    /// Account [`DEFAULT`] holding `default`: the carrier's credential fields with the
    /// sandbox's values.
    pub fn new(default: &[(&'static str, &'static str)]) -> Self {
        let mut accounts = Accounts {
            fields: default.iter().map(|(field, _)| *field).collect(),
            list: Vec::new(),
        };
        let values = default.iter().map(|(_, value)| value.to_string());
        accounts.put(DEFAULT, values.collect());
        accounts
    }

    /// Registers (or replaces) the account a `POST /_accounts` body describes:
    /// `{"account": name, <each credential field>: text}`. Its name, or why not.
    pub fn register(&mut self, body: &Value) -> Result<String, String> {
        let text = |key: &str| {
            let value = body.get(key).and_then(Value::as_str).map(str::trim);
            let value = value.filter(|v| !v.is_empty());
            value.ok_or_else(|| format!("`{key}` must be a non-empty string"))
        };
        let name = text("account")?.to_string();
        let credentials = self
            .fields
            .iter()
            .map(|field| text(field).map(str::to_string));
        let credentials = credentials.collect::<Result<Vec<_>, _>>()?;
        // Two accounts holding the same credentials could not be told apart.
        if let Some(other) = self.list.iter().find(|a| a.credentials == credentials)
            && other.name != name
        {
            return Err(format!("account `{}` holds these credentials", other.name));
        }
        self.put(&name, credentials);
        Ok(name)
    }

    fn put(&mut self, name: &str, credentials: Vec<String>) {
        match self.list.iter_mut().find(|a| a.name == name) {
            Some(account) => account.credentials = credentials,
            None => self.list.push(Account {
                name: name.to_string(),
                credentials,
                requests: 0,
            }),
        }
    }

    /// The account whose credentials include every `(field, value)` given; `None` when
    /// no account holds them (or a field is not one of the carrier's).
    pub fn holding(&self, given: &[(&str, &str)]) -> Option<&str> {
        let position = |field| self.fields.iter().position(|f| *f == field);
        let held = |account: &&Account| {
            given.iter().all(|(field, value)| {
                position(*field).is_some_and(|i| account.credentials[i] == *value)
            })
        };
        self.list.iter().find(held).map(|a| a.name.as_str())
    }

    /// Counts one request admitted with `name`'s credentials.
    pub fn count(&mut self, name: &str) {
        if let Some(account) = self.list.iter_mut().find(|a| a.name == name) {
            account.requests += 1;
        }
    }

    /// `{"accounts": [{"account": name, "requests": n}, …]}`, [`DEFAULT`] first.
    pub fn counts(&self) -> Value {
        let list = self
            .list
            .iter()
            .map(|a| json!({ "account": a.name, "requests": a.requests }));
        json!({ "accounts": list.collect::<Vec<_>>() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn login() -> Accounts {
        Accounts::new(&[("email", "d@x"), ("password", "dpw")])
    }

    #[test]
    fn accounts_are_told_apart_by_all_their_credentials() {
        let mut accounts = login();
        let body = json!({"account": "a", "email": "a@x", "password": "apw", "extra": 1});
        assert_eq!(accounts.register(&body), Ok("a".into()));
        let both = |email, password| [("email", email), ("password", password)];
        assert_eq!(accounts.holding(&both("d@x", "dpw")), Some(DEFAULT));
        assert_eq!(accounts.holding(&both("a@x", "apw")), Some("a"));
        assert_eq!(accounts.holding(&both("a@x", "dpw")), None, "mixed up");
        assert_eq!(accounts.holding(&[("token", "apw")]), None, "not a field");
        accounts.count("a");
        accounts.count("a");
        accounts.count("nobody");
        let counts = json!({"accounts": [
            {"account": "default", "requests": 0}, {"account": "a", "requests": 2},
        ]});
        assert_eq!(accounts.counts(), counts);
    }

    #[test]
    fn registering_again_replaces_and_bad_bodies_are_refused() {
        let mut accounts = login();
        let a = |password| json!({"account": "a", "email": "a@x", "password": password});
        accounts.register(&a("old")).unwrap();
        accounts.count("a");
        accounts.register(&a("new")).unwrap();
        let old = [("email", "a@x"), ("password", "old")];
        assert_eq!(accounts.holding(&old), None);
        assert_eq!(accounts.holding(&[("password", "new")]), Some("a"));
        assert_eq!(accounts.counts()["accounts"][1]["requests"], 1, "kept");
        for (body, why) in [
            (json!({"email": "b@x", "password": "p"}), "`account`"),
            (json!({"account": "b", "email": "b@x"}), "`password`"),
            (
                json!({"account": "b", "email": " ", "password": "p"}),
                "`email`",
            ),
            (
                json!({"account": "b", "email": 7, "password": "p"}),
                "`email`",
            ),
            (json!([]), "`account`"),
        ] {
            let refused = accounts.register(&body).unwrap_err();
            assert!(refused.contains(why), "{body}: {refused}");
        }
        let taken = json!({"account": "b", "email": "d@x", "password": "dpw"});
        let refused = accounts.register(&taken).unwrap_err();
        assert!(refused.contains("`default`"), "{refused}");
        assert_eq!(accounts.counts()["accounts"].as_array().unwrap().len(), 2);
    }
}
