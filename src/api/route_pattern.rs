//! The route template a request matched (`/v1/tracking/{awb}`): the label of the latency
//! histogram, the rate-limit class, the idempotency scope and the file-route check.
//!
//! actix-web finds it by walking every route again, testing each dynamic one with a
//! regular expression. A profile of carrier pushes put that walk at 5 % of the gateway's
//! CPU, asked up to three times per request. So it is asked once per request (kept in the
//! request's extensions) and remembered per path for the paths seen most: a small cache
//! whose admission favours frequent keys, so static routes and per-carrier push URLs stay
//! in it and one-off paths (an AWB's tracking URL) rarely displace them. The template
//! depends on the path only, so a remembered one is exact.

use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use actix_web::HttpMessage;
use actix_web::HttpRequest;

/// Paths remembered at most.
const PATHS: u64 = 2_048;

#[derive(Clone)]
struct Matched(Option<Rc<str>>);

/// The template `req` matched, `None` when no route did.
pub fn of(req: &HttpRequest) -> Option<Rc<str>> {
    if let Some(Matched(known)) = req.extensions().get::<Matched>() {
        return known.clone();
    }
    let found: Option<Rc<str>> = remembered(req).map(|t| Rc::from(&*t));
    req.extensions_mut().insert(Matched(found.clone()));
    found
}

fn remembered(req: &HttpRequest) -> Option<Arc<str>> {
    static CACHE: OnceLock<moka::sync::Cache<String, Option<Arc<str>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| moka::sync::Cache::new(PATHS));
    let path = req.path();
    if let Some(known) = cache.get(path) {
        return known;
    }
    let found: Option<Arc<str>> = req.match_pattern().map(Arc::from);
    cache.insert(path.to_string(), found.clone());
    found
}
