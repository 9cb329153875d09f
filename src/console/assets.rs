//! The console's files, built into the binary (`include_bytes!`), so the console works
//! offline, in the sandbox and from a single executable, with nothing to deploy beside it.
//!
//! Caching: assets are served under `/console/assets/<version>/…`, where the version is a
//! hash of every embedded file, so they can be cached for a year as `immutable` (a new
//! binary with other files has another version, hence other URLs). The shell (`index.html`)
//! names that version and is revalidated on every load (`no-cache` with an ETag). Page
//! modules import each other with relative paths, so they stay under the same version.
//!
//! A new file under `src/console/assets/` needs its line in [`FILES`];
//! `tests/it/console_session.rs` fails when a file on disk is missing there.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// One embedded file: its path under `assets/` and its bytes.
macro_rules! asset {
    ($path:literal) => {
        (
            $path,
            include_bytes!(concat!("assets/", $path)) as &'static [u8],
        )
    };
}

/// Every embedded file but the shell. One line per file.
pub const FILES: &[(&str, &[u8])] = &[
    asset!("app.css"),
    asset!("app.js"),
    asset!("pages/overview.js"),
    asset!("pages/sign-in.js"),
    asset!("pages/ndr.js"),
    asset!("pages/ndr-actions.js"),
    asset!("pages/exceptions.js"),
    asset!("pages/search.js"),
    asset!("pages/shipment.js"),
    asset!("pages/shipment-list.js"),
    asset!("ui-extra.js"),
    asset!("pages/pickups.js"),
    asset!("pages/cod.js"),
    asset!("pages/weights.js"),
    asset!("pages/webhooks.js"),
    asset!("pages/rate-cards.js"),
    asset!("pages/carriers.js"),
    asset!("pages/scorecards.js"),
];

/// The shell, served for `/console` and every path under it that is not an asset.
const SHELL: &[u8] = include_bytes!("assets/index.html");

/// The placeholder in `index.html` replaced by the assets' version.
const VERSION_MARK: &str = "__ASSET_VERSION__";

/// Hash of every embedded file (shell included): the assets' URL prefix and the shell's ETag.
pub static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut hash = Sha256::new();
    for (path, bytes) in FILES {
        hash.update(path.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    }
    hash.update(SHELL);
    hex::encode(&hash.finalize()[..8])
});

static SHELL_HTML: LazyLock<Vec<u8>> = LazyLock::new(|| {
    String::from_utf8_lossy(SHELL)
        .replace(VERSION_MARK, &VERSION)
        .into_bytes()
});

/// Per-file ETags, computed once.
static ETAGS: LazyLock<Vec<String>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(_, bytes)| format!("\"{}\"", hex::encode(&Sha256::digest(bytes)[..8])))
        .collect()
});

/// The media type of a file by its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("html") => "text/html; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn not_modified(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// `GET /console/assets/{version}/{path}`.
pub async fn serve(req: HttpRequest) -> HttpResponse {
    let version = req.match_info().get("version").unwrap_or("");
    let path = req.match_info().get("path").unwrap_or("");
    let Some(i) = FILES.iter().position(|(p, _)| *p == path) else {
        return super::with_security_headers(
            crate::error::ApiError::NotFound("no such console file".into())
                .reply()
                .into_response(),
        );
    };
    let (path, bytes) = FILES[i];
    let etag = &ETAGS[i];
    // An old shell asking for its own version after an upgrade gets today's file, not
    // cached for good: only the current version's URLs are immutable.
    let cache = if version == VERSION.as_str() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let response = if not_modified(&req, etag) {
        HttpResponse::NotModified()
            .insert_header((header::ETAG, etag.as_str()))
            .insert_header((header::CACHE_CONTROL, cache))
            .finish()
    } else {
        HttpResponse::Ok()
            .content_type(content_type(path))
            .insert_header((header::ETAG, etag.as_str()))
            .insert_header((header::CACHE_CONTROL, cache))
            .body(bytes)
    };
    super::with_security_headers(response)
}

/// The shell: `/console` and every non-asset path under it, so deep links load the app.
pub async fn shell(req: HttpRequest) -> HttpResponse {
    let etag = format!("\"{}\"", VERSION.as_str());
    let response = if not_modified(&req, &etag) {
        HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .finish()
    } else {
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(SHELL_HTML.as_slice())
    };
    super::with_security_headers(response)
}

/// Every embedded file with its path, the shell included (for tests that scan them).
pub fn all() -> Vec<(&'static str, &'static [u8])> {
    let mut all: Vec<_> = FILES.to_vec();
    all.push(("index.html", SHELL));
    all
}
