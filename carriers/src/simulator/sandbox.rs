//! A carrier's simulator as a configuration: the carrier names its endpoints in a route
//! table, how its API admits a request, what it keeps per booking and the words of its
//! refusals ([`Wire`]); [`Sandbox`] does the rest every sandbox does alike: the store of
//! bookings, the accounts and the tokens behind one mutex, the pincodes served and the
//! charges, the constructors tests and stand-ins use, the account controls, and routing
//! (an unknown path gets the carrier's 404 before any token is checked, then the token,
//! then the handler).

use std::sync::{Mutex, MutexGuard};

use chrono::Utc;
use serde_json::json;

use super::accounts::Accounts;
use super::journey::{Instruction, NotAwaiting, Trip};
use super::pricing::Pricing;
use super::rules::Serviceability;
use super::store::{Key, Store};
use super::tokens::{DEFAULT_TOKEN_REQUESTS, Gate, KEPT_TOKENS, Refused, Tokens};
use super::{Answer, KEPT_BOOKINGS, SimRequest, SimResponse, Simulator, lock};

/// An endpoint's handler.
pub type Handler<W> = fn(&Sandbox<W>, &SimRequest) -> Answer;

/// One endpoint: a method and a path (or every path below it), and whether it takes a
/// token.
pub struct Route<W: Wire> {
    method: &'static str,
    path: &'static str,
    /// Another path for the same endpoint; empty for none.
    alias: &'static str,
    below: bool,
    open: bool,
    handler: Handler<W>,
}

impl<W: Wire> Route<W> {
    pub const fn get(path: &'static str, handler: Handler<W>) -> Self {
        Route {
            method: "GET",
            path,
            alias: "",
            below: false,
            open: false,
            handler,
        }
    }

    pub const fn post(path: &'static str, handler: Handler<W>) -> Self {
        Route {
            method: "POST",
            ..Route::get(path, handler)
        }
    }

    /// A `PUT` endpoint (FedEx cancels shipments and pickups with `PUT`).
    pub const fn put(path: &'static str, handler: Handler<W>) -> Self {
        Route {
            method: "PUT",
            ..Route::get(path, handler)
        }
    }

    /// A `DELETE` endpoint (UPS voids shipments and USPS cancels labels; both cancel
    /// pickups by deleting them).
    pub const fn delete(path: &'static str, handler: Handler<W>) -> Self {
        Route {
            method: "DELETE",
            ..Route::get(path, handler)
        }
    }

    /// A `PATCH` endpoint (MyDHL moves a pickup with `PATCH /pickups/{number}`).
    pub const fn patch(path: &'static str, handler: Handler<W>) -> Self {
        Route {
            method: "PATCH",
            ..Route::get(path, handler)
        }
    }

    /// The same endpoint under another path too (an API's old and new versions).
    pub const fn or(self, alias: &'static str) -> Self {
        Route { alias, ..self }
    }

    /// Every path that starts with this route's (a tracking number in the path).
    pub const fn below(self) -> Self {
        Route {
            below: true,
            ..self
        }
    }

    /// Served without a token: a login, a storage link, a sandbox control.
    pub const fn open(self) -> Self {
        Route { open: true, ..self }
    }

    /// Whether this route serves `path` (without its trailing `/`) by `method`.
    fn serves(&self, method: &str, path: &str) -> bool {
        let fits = |route_path: &str| match self.below {
            true => path.starts_with(route_path),
            false => path == route_path,
        };
        let aliased = !self.alias.is_empty() && fits(self.alias);
        method == self.method && (fits(self.path) || aliased)
    }
}

/// What a carrier's simulator is besides the kit: its wire format and its rules.
pub trait Wire: Sized + Send + Sync + 'static {
    /// What the store keeps per booking.
    type Record: Send;
    /// The carrier's codes for a scan.
    type Code: Copy + Send;
    /// The numbers the carrier hands out (waybills, order ids), as it counts them.
    type Numbers: Send;
    /// The carrier's endpoints, first match wins.
    const ROUTES: &'static [Route<Self>];
    /// How the carrier's API admits a request.
    const GATE: Gate;
    /// The credential fields of an account, with the sandbox's own values (account
    /// [`DEFAULT`](super::accounts::DEFAULT)): what `POST /_accounts` takes.
    const ACCOUNT: &'static [(&'static str, &'static str)];
    /// When a track call reveals a record's next scan.
    const REVEAL: Reveal;
    fn numbers() -> Self::Numbers;
    /// A record's trip, once it has one (an order gets its trip with its AWB).
    fn trip(record: &mut Self::Record) -> Option<&mut Trip<Self::Code>>;
    /// The pincodes the sandbox serves, unless a stand-in says otherwise.
    const SERVED: Serviceability;
    /// The sandbox's charges, unless a stand-in says otherwise.
    fn pricing() -> Pricing;
    /// The carrier's answer to a request whose token it refuses.
    fn refused(why: Refused) -> SimResponse;
    /// The carrier's answer for a path it does not serve.
    fn unknown_path() -> SimResponse;
}

/// When a track call reveals a parcel's next scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reveal {
    /// Before answering: the answer shows it (the booking already showed its first).
    Before,
    /// After answering: the answer shows what earlier calls revealed.
    After,
}

impl Reveal {
    /// How many revealed scans no answer has shown yet, once a parcel is tracked.
    pub const fn unseen(self) -> usize {
        match self {
            Reveal::Before => 0,
            Reveal::After => 1,
        }
    }
}

/// What a sandbox keeps, behind its one mutex.
pub struct Books<W: Wire> {
    pub store: Store<W::Record>,
    pub numbers: W::Numbers,
    pub accounts: Accounts,
    pub tokens: Tokens,
}

/// A carrier's simulator: the kit configured by `W`. All state sits behind one mutex, so
/// it is shared freely across threads.
pub struct Sandbox<W: Wire> {
    books: Mutex<Books<W>>,
    pub served: Serviceability,
    pub pricing: Pricing,
}

impl<W: Wire> Default for Sandbox<W> {
    fn default() -> Self {
        Self::new()
    }
}

impl<W: Wire> Sandbox<W> {
    /// A sandbox that keeps the most recent [`KEPT_BOOKINGS`] bookings, its tokens (where
    /// it issues them) good until expired.
    pub fn new() -> Self {
        Self::with_limits(KEPT_BOOKINGS, DEFAULT_TOKEN_REQUESTS)
    }

    /// A sandbox that keeps only the most recent `kept` bookings (at least one), so tests
    /// can see forgetting without booking thousands.
    pub fn with_kept_bookings(kept: usize) -> Self {
        Self::with_limits(kept, DEFAULT_TOKEN_REQUESTS)
    }

    /// A sandbox whose tokens issued at login expire after `requests` authenticated
    /// requests.
    pub fn with_token_lifetime(requests: u32) -> Self {
        Self::with_limits(KEPT_BOOKINGS, requests)
    }

    fn with_limits(kept: usize, token_requests: u32) -> Self {
        let books = Books {
            store: Store::new(kept),
            numbers: W::numbers(),
            accounts: Accounts::new(W::ACCOUNT),
            tokens: Tokens::new(token_requests, KEPT_TOKENS),
        };
        Sandbox {
            books: Mutex::new(books),
            served: W::SERVED,
            pricing: W::pricing(),
        }
    }

    /// The same API serving other pincodes: for stand-ins that play another account.
    pub fn with_serviceability(self, served: Serviceability) -> Self {
        Sandbox { served, ..self }
    }

    /// The same API charging by other rules: for stand-ins that play another account.
    pub fn with_pricing(self, pricing: Pricing) -> Self {
        Sandbox { pricing, ..self }
    }

    /// The pricing that charges a lane, `None` unless the sandbox serves both its ends.
    pub fn pricing_for(&self, (from, to): (&str, &str)) -> Option<&Pricing> {
        let served = self.served.serves(from) && self.served.serves(to);
        served.then_some(&self.pricing)
    }

    /// A track call: the kept records under `keys`, each once in the order first named,
    /// each trip moved on one scan (before or after its answer, as [`Wire::REVEAL`] says),
    /// each answered by `answer`. None found is an empty list.
    pub fn track_each<'v, T>(
        &self,
        keys: impl IntoIterator<Item = (Key, &'v str)>,
        mut answer: impl FnMut(&W::Record) -> T,
    ) -> Vec<T> {
        let mut books = self.books();
        let now = Utc::now();
        let reveal = |record: &mut W::Record, when| {
            if let Some(trip) = W::trip(record).filter(|_| W::REVEAL == when) {
                trip.advance(now);
            }
        };
        let found = books.store.find_all(keys);
        let found = found.into_iter().filter_map(|id| {
            let record = books.store.get_mut(id)?;
            reveal(record, Reveal::Before);
            let answered = answer(record);
            reveal(record, Reveal::After);
            Some(answered)
        });
        found.collect()
    }

    /// Gives `trip` the seller's instruction after a failed attempt, as the client saw the
    /// trip (see [`Trip::instruct`]): the carrier's simulator decides which instruction
    /// its words mean and how it refuses one.
    pub fn instruct(trip: &mut Trip<W::Code>, instruction: Instruction) -> Result<(), NotAwaiting> {
        trip.instruct(instruction, W::REVEAL.unseen())
    }

    /// The store, numbers and tokens, locked.
    pub fn books(&self) -> MutexGuard<'_, Books<W>> {
        lock(&self.books)
    }

    /// Expires every token issued at login and still remembered; how many there were.
    pub fn expire_tokens(&self) -> usize {
        self.books().tokens.expire_all()
    }

    /// The sandbox control that expires every token: `{"expired": n}`.
    pub fn expire(&self, _: &SimRequest) -> Answer {
        reply(json!({ "expired": self.expire_tokens() }))
    }

    /// A login with `credentials` (the carrier's fields and the values given): a token
    /// issued to the account holding them, the login counted as one of its requests;
    /// `None` when no account holds them.
    pub fn log_in(&self, credentials: &[(&str, &str)]) -> Option<String> {
        let mut books = self.books();
        let account = books.accounts.holding(credentials)?.to_string();
        books.accounts.count(&account);
        Some(books.tokens.issue(&account))
    }

    /// The sandbox control that registers (or replaces) an account, `POST /_accounts`
    /// with `{"account": name, <the carrier's credential fields>}`: 201
    /// `{"account": name}`, or 400 `{"error": why}`.
    pub fn add_account(&self, request: &SimRequest) -> Answer {
        let added = self.books().accounts.register(&request.json());
        let refused = |error| SimResponse::json(400, &json!({ "error": error }));
        let account = added.map_err(refused)?;
        Ok(SimResponse::json(201, &json!({ "account": account })))
    }

    /// The sandbox control that counts each account's requests, `GET /_accounts`:
    /// `{"accounts": [{"account": name, "requests": n}, …]}`, `default` first. A request
    /// counts when the account's credentials admit it: its fixed token, or for a carrier
    /// entered by logging in, its logins and the requests made with tokens they issued.
    pub fn accounts(&self, _: &SimRequest) -> Answer {
        reply(self.books().accounts.counts())
    }

    fn admit(&self, request: &SimRequest) -> Result<(), SimResponse> {
        let mut books = self.books();
        let books = &mut *books;
        let admitted = books.tokens.admit(W::GATE, request, &books.accounts);
        books.accounts.count(&admitted.map_err(W::refused)?);
        Ok(())
    }
}

impl<W: Wire> Simulator for Sandbox<W> {
    fn handle(&self, request: &SimRequest) -> SimResponse {
        let (method, path) = request.route();
        let Some(route) = W::ROUTES.iter().find(|r| r.serves(&method, path)) else {
            return W::unknown_path();
        };
        let admitted = if route.open {
            Ok(())
        } else {
            self.admit(request)
        };
        let answer = admitted.and_then(|()| (route.handler)(self, request));
        answer.unwrap_or_else(|refused| refused)
    }

    fn bookings(&self) -> usize {
        self.books().store.bookings()
    }
}

/// A JSON answer with HTTP 200, the shape of most carriers' answers, refusals included.
pub fn reply(value: serde_json::Value) -> Answer {
    Ok(SimResponse::json(200, &value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulator::journey::{Journey, Place, Places, step};
    use crate::simulator::pricing::{Rate, Tariff, Zone};
    use crate::simulator::rules::Pins;
    use crate::simulator::tokens::Credential;

    static JOURNEY: Journey<&str> = Journey {
        forward: &[
            step("booked", Place::Origin),
            step("delivered", Place::Destination),
        ],
        cancelled: &[],
        returned: &[],
        redelivered: &[],
        rto: &[],
        detours: &[],
        time_digits: 0,
    };

    /// A carrier whose records are trips (or none yet): one open route, one behind a
    /// fixed token, one below a path.
    struct Toy;

    impl Wire for Toy {
        type Record = Option<Trip<&'static str>>;
        type Code = &'static str;
        type Numbers = ();
        const ROUTES: &'static [Route<Self>] = &[
            Route::post("/login", |_, _| reply(json!("open"))).open(),
            Route::get("/things", |sim, _| {
                reply(json!(sim.books().store.bookings()))
            })
            .or("/v2/things"),
            Route::get("/track/", |_, req| reply(json!(req.route().1))).below(),
            Route::put("/things", |_, _| reply(json!("put"))),
            Route::delete("/track/", |_, req| reply(json!(["gone", req.route().1]))).below(),
            Route::post("/sandbox/expire", Sandbox::expire).open(),
            Route::post("/_accounts", Sandbox::add_account).open(),
            Route::get("/_accounts", Sandbox::accounts).open(),
        ];
        const GATE: Gate = Gate::fixed("Token", "token");
        const ACCOUNT: &'static [(&'static str, &'static str)] = &[("token", "t")];
        const REVEAL: Reveal = Reveal::Before;
        fn numbers() {}
        fn trip(record: &mut Self::Record) -> Option<&mut Trip<&'static str>> {
            record.as_mut()
        }
        const SERVED: Serviceability = Serviceability {
            unserved: &[Pins::Exactly("999999")],
            prepaid_only: &[],
        };
        fn pricing() -> Pricing {
            let rate = Rate::everywhere("S", Tariff::per_slab(3000));
            Pricing::new(500, vec![Zone::new("A", 0)], vec![rate])
        }
        fn refused(why: Refused) -> SimResponse {
            SimResponse::raw(401, "text/plain", format!("{why:?}"))
        }
        fn unknown_path() -> SimResponse {
            SimResponse::raw(404, "text/plain", "nothing here")
        }
    }

    fn call(sim: &Sandbox<Toy>, method: &str, target: &str, token: &str) -> (u16, String) {
        let header = ("Authorization".to_string(), format!("Token {token}"));
        let headers = Some(header).filter(|_| !token.is_empty());
        let request = SimRequest::new(method, target, headers, Vec::new(), "");
        let answer = sim.handle(&request);
        (answer.status, String::from_utf8(answer.body).unwrap())
    }

    #[test]
    fn routes_by_method_and_path_then_token() {
        let sim = Sandbox::<Toy>::new();
        assert_eq!(call(&sim, "POST", "/login", ""), (200, "\"open\"".into()));
        assert_eq!(call(&sim, "GET", "/things/", "t"), (200, "0".into()));
        assert_eq!(call(&sim, "GET", "/v2/things", "t"), (200, "0".into()));
        assert_eq!(call(&sim, "PUT", "/things", "t"), (200, "\"put\"".into()));
        assert_eq!(call(&sim, "GET", "/things", "x"), (401, "Unknown".into()));
        assert_eq!(call(&sim, "GET", "/things", ""), (401, "Missing".into()));
        let below = call(&sim, "get", "/track/123?x=1", "t");
        assert_eq!(below, (200, "\"/track/123\"".into()));
        let deleted = call(&sim, "DELETE", "/track/123", "t");
        assert_eq!(deleted, (200, r#"["gone","/track/123"]"#.into()));
        for (method, target) in [("POST", "/things"), ("GET", "/track"), ("GET", "/nope")] {
            let answer = call(&sim, method, target, "x");
            assert_eq!(answer, (404, "nothing here".into()), "{method} {target}");
        }
        let expired = call(&sim, "POST", "/sandbox/expire", "");
        assert_eq!(expired, (200, r#"{"expired":0}"#.into()));
    }

    #[test]
    fn each_account_is_admitted_by_its_own_credentials_and_counted() {
        let sim = Sandbox::<Toy>::new();
        let control = |method, body: &str| {
            let request = SimRequest::new(method, "/_accounts/", [], body.into(), "");
            let answer = sim.handle(&request);
            (answer.status, String::from_utf8(answer.body).unwrap())
        };
        let added = control("POST", r#"{"account":"a","token":"ta"}"#);
        assert_eq!(added, (201, r#"{"account":"a"}"#.into()));
        let refused = control("POST", r#"{"account":"b"}"#);
        let why = r#"{"error":"`token` must be a non-empty string"}"#;
        assert_eq!(refused, (400, why.into()));
        for token in ["ta", "ta", "t"] {
            assert_eq!(call(&sim, "GET", "/things", token).0, 200, "{token}");
        }
        assert_eq!(call(&sim, "GET", "/things", "tb").0, 401, "no such account");
        assert_eq!(
            call(&sim, "POST", "/login", "ta").0,
            200,
            "open: not counted"
        );
        let counts =
            r#"{"accounts":[{"account":"default","requests":1},{"account":"a","requests":2}]}"#;
        assert_eq!(control("GET", ""), (200, counts.into()));
    }

    #[test]
    fn a_login_issues_a_token_of_the_account_it_names() {
        let sim = Sandbox::<Toy>::new();
        let body = br#"{"account":"a","token":"ta"}"#.to_vec();
        sim.handle(&SimRequest::new("POST", "/_accounts", [], body, ""));
        assert_eq!(sim.log_in(&[("token", "nope")]), None);
        let issued = sim.log_in(&[("token", "ta")]).unwrap();
        let admitted = sim.books().tokens.spend(Credential::Token(&issued));
        assert_eq!(admitted, Ok("a".into()));
        let counts = sim.books().accounts.counts();
        assert_eq!(counts["accounts"][1]["requests"], 1, "the login");
        assert_eq!(counts["accounts"][0]["requests"], 0);
    }

    #[test]
    fn stand_ins_reconfigure_the_same_api() {
        let sim = Sandbox::<Toy>::with_kept_bookings(1);
        assert!(sim.served.serves("560001"));
        let quote = |from, to, service| {
            let pricing = sim.pricing_for((from, to))?;
            pricing.charges((from, to), 800.0, service, None)
        };
        assert_eq!(
            quote("560001", "110001", "S").map(|c| c.freight),
            Some(6000)
        );
        assert_eq!(quote("560001", "999999", "S"), None, "an end not served");
        assert_eq!(quote("999999", "560001", "S"), None, "an end not served");
        assert_eq!(quote("560001", "110001", "E"), None, "a service not priced");
        let served = Serviceability {
            unserved: &[Pins::StartingWith("5")],
            prepaid_only: &[],
        };
        let sim = sim.with_serviceability(served);
        assert!(!sim.served.serves("560001"));
        let sim = sim.with_pricing(Pricing::new(1000, Vec::new(), Vec::new()));
        assert_eq!(sim.pricing.slab_g, 1000);
        for n in 1..=2 {
            let mut books = sim.books();
            let slot = books.store.vacant(&format!("ref-{n}")).ok().unwrap();
            slot.insert(None, []);
            books.store.count_booking();
        }
        assert_eq!(sim.bookings(), 2, "forgotten bookings still count");
        assert_eq!(sim.books().store.newest_first().count(), 1);
    }

    #[test]
    fn a_track_call_moves_each_trip_found_on_once() {
        let sim = Sandbox::<Toy>::new();
        for (reference, trip) in [("A", true), ("B", false)] {
            let trip = trip.then(|| JOURNEY.trip("560001", Places::default()));
            let mut books = sim.books();
            let slot = books.store.vacant(reference).ok().unwrap();
            slot.insert(trip, [(Key::Awb, format!("AWB-{reference}"))]);
        }
        let scans = |r: &Option<Trip<&str>>| r.as_ref().map(|t| t.scans().len());
        let keys = [
            (Key::Awb, "AWB-A"),
            (Key::Reference, "A"),
            (Key::Awb, "AWB-B"),
        ];
        assert_eq!(
            sim.track_each(keys, scans),
            [Some(1), None],
            "revealed first"
        );
        let again = sim.track_each([(Key::Awb, "AWB-A"), (Key::Awb, "nope")], scans);
        assert_eq!(again, [Some(2)]);
        assert!(sim.track_each([(Key::Awb, "nope")], scans).is_empty());
    }
}
