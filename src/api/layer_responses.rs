//! Documents, on every operation, the responses that layers rather than handlers give.
//!
//! Why a document modifier rather than per-handler annotations: the answers of the
//! authentication, rate-limit, idempotency, body-limit and JSON layers, and the 500 of the
//! panic guard, apply to every route behind them. Written by hand on each handler they
//! drift (a new route forgets its 401 or 429), and clients generated from the document
//! then fail on answers it never mentioned. Here they follow from the facts the router
//! itself uses: which operations need an API key, which take a JSON body, which are
//! creating routes ([`super::IDEMPOTENT_ROUTES`]), which have path parameters.
//! Responses a handler already documents keep its more specific description.

use std::collections::BTreeMap;

use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Ref, RefOr, Required};
use utoipa::{Modify, openapi};

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The modifier `ApiDoc` runs last.
pub struct LayerResponses;

impl Modify for LayerResponses {
    fn modify(&self, openapi: &mut openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let creating = super::IDEMPOTENT_ROUTES.contains(&path.as_str());
            let with_params = path.contains('{');
            for (method, operation) in [
                ("get", item.get.as_mut()),
                ("put", item.put.as_mut()),
                ("post", item.post.as_mut()),
                ("delete", item.delete.as_mut()),
                ("patch", item.patch.as_mut()),
            ] {
                if let Some(operation) = operation {
                    let facts = Facts {
                        authenticated: needs_api_key(operation),
                        json_body: operation.request_body.is_some(),
                        creating: creating && method == "post",
                        with_params,
                    };
                    document(operation, &facts);
                }
            }
        }
    }
}

struct Facts {
    /// Behind the API-key and tenant rate-limit layers.
    authenticated: bool,
    /// Reads a body: body limit, content type and JSON parsing apply.
    json_body: bool,
    /// Behind the idempotency layer.
    creating: bool,
    /// Names a resource in its path, which may not exist.
    with_params: bool,
}

fn needs_api_key(operation: &Operation) -> bool {
    serde_json::to_value(&operation.security)
        .map(|v| v.to_string().contains("\"api_key\""))
        .unwrap_or(false)
}

fn document(operation: &mut Operation, facts: &Facts) {
    let mut layer: Vec<(u16, &str)> = vec![
        (
            400,
            "A malformed request: a path or query parameter or a header that cannot be read",
        ),
        (500, "An unexpected failure on our side; quote `request_id`"),
    ];
    if facts.json_body {
        layer.extend([
            (400, "The body is not valid JSON (`malformed_json`)"),
            (
                408,
                "The body did not arrive within the body timeout (`request_timeout`)",
            ),
            (413, "The body is larger than the configured limit"),
            (
                415,
                "The body's Content-Type is not the one this route takes",
            ),
            (
                422,
                "Invalid fields, every one at its JSON pointer in `errors[]`",
            ),
        ]);
    }
    if facts.with_params {
        layer.push((404, "No such resource (for this tenant)"));
    }
    if facts.authenticated {
        layer.extend([
            (401, "Missing, malformed, unknown or revoked API key"),
            (403, "The API key's role does not allow this"),
            (
                429,
                "Over the tenant's rate limit: wait `Retry-After` seconds",
            ),
            (
                503,
                "A store the gateway depends on (database, Redis) is unreachable; nothing was done",
            ),
        ]);
    }
    if facts.creating {
        layer.extend([
            (
                400,
                "`Idempotency-Key` is not 1 to 255 visible ASCII characters",
            ),
            (
                409,
                "A request with this `Idempotency-Key` is still running: retry after `Retry-After`",
            ),
            (
                422,
                "This `Idempotency-Key` was used with a different body (`idempotency_key_reused`)",
            ),
        ]);
        add_idempotency_key(operation);
    }
    // One response per status, naming every layer cause of it.
    let mut causes: BTreeMap<u16, Vec<&str>> = BTreeMap::new();
    for (status, description) in layer {
        causes.entry(status).or_default().push(description);
    }
    for (status, descriptions) in causes {
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::T(problem(&descriptions.join("; or "))));
    }
    for (status, response) in operation.responses.responses.iter_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        if response.description.is_empty() {
            // OpenAPI requires one; generators use it for the docstring.
            response.description = default_description(status).to_string();
        }
        add_headers(status, response, facts);
    }
}

fn default_description(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "202" => "Accepted",
        "204" => "No content",
        "400" => "Bad request",
        "401" => "Unauthorized",
        "403" => "Forbidden",
        "404" => "Not found",
        "409" => "Conflict",
        "413" => "Payload too large",
        "415" => "Unsupported media type",
        "422" => "Invalid request",
        "429" => "Too many requests",
        "500" => "Internal error",
        "502" => "The carrier failed",
        "503" => "Unavailable",
        "504" => "The carrier did not answer in time",
        _ => "Response",
    }
}

fn problem(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

fn string_header(description: &str) -> openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some(description))
        .build()
}

fn add_headers(status: &str, response: &mut Response, facts: &Facts) {
    let mut headers = vec![(
        "x-request-id",
        "This request's id (the caller's `x-request-id` when it sent one); quote it to support",
    )];
    if facts.authenticated {
        headers.extend([
            (
                "RateLimit-Policy",
                "The tenant's rate-limit policy (IETF draft)",
            ),
            ("RateLimit", "What is left of the limit (IETF draft)"),
        ]);
    }
    if matches!(status, "409" | "429" | "503") {
        headers.push(("Retry-After", "Seconds to wait before trying again"));
    }
    if facts.creating {
        headers.push((
            crate::idempotency::REPLAYED_HEADER,
            "`true` when this is the stored outcome of an earlier request with this key",
        ));
    }
    for (name, description) in headers {
        response
            .headers
            .entry(name.to_string())
            .or_insert_with(|| RefOr::T(string_header(description)));
    }
}

fn add_idempotency_key(operation: &mut Operation) {
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    let present = parameters
        .iter()
        .any(|p| matches!(p, RefOr::T(p) if p.name.eq_ignore_ascii_case("Idempotency-Key")));
    if present {
        return;
    }
    parameters.push(RefOr::T(
        ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Makes a retry safe: the first outcome for this key (per tenant and route) is \
                 stored with a fingerprint of the body and replayed for 24 h.",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(255)),
            ))
            .build(),
    ));
}
