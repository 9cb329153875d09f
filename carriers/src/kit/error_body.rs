//! The carrier's own words out of an error answer.
//!
//! A refusal is only useful to an operator with the carrier's reason in it, and carriers
//! put it anywhere: JSON under `message`, `detail`, `error`, `errors` (a list, or an
//! object of field → messages), `Error`, `rmk`, `remarks`, `description`; XML in a
//! `<message>` or `<Error>` element or a SOAP `<faultstring>`; and when a proxy or load
//! balancer answered, an HTML page whose `<h1>` or `<title>` says what happened.
//! [`read`] finds it in any of those, and a code where the carrier gives one.

use serde_json::Value;

use crate::wire::HttpResponse;

/// JSON keys holding the reason, in the order they are read.
const MESSAGE_KEYS: &[&str] = &[
    "message",
    "detail",
    "error",
    "Error",
    "error_description",
    "rmk",
    "remarks",
    "description",
    "errors",
];

/// JSON keys holding the carrier's code for the refusal.
const CODE_KEYS: &[&str] = &["code", "error_code", "errorCode", "status_code"];

/// XML elements holding the reason.
const XML_MESSAGE_TAGS: &[&str] = &[
    "message",
    "Message",
    "error",
    "Error",
    "faultstring",
    "Description",
    "description",
];

/// What an error answer says: the reason (all messages found, joined) and the carrier's
/// code, where there are any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    pub message: Option<String>,
    pub code: Option<String>,
}

/// Reads an error answer of any shape.
pub fn read(resp: &HttpResponse) -> ErrorBody {
    if let Ok(value) = serde_json::from_slice::<Value>(&resp.body) {
        return from_json(&value);
    }
    let text = resp.text();
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        let lower = trimmed.get(..200).unwrap_or(trimmed).to_ascii_lowercase();
        let tags: &[&str] = if lower.contains("<html") || lower.contains("<!doctype html") {
            &["h1", "title"]
        } else {
            XML_MESSAGE_TAGS
        };
        return ErrorBody {
            message: tags.iter().find_map(|tag| element_text(trimmed, tag)),
            code: None,
        };
    }
    ErrorBody {
        message: Some(resp.snippet()).filter(|s| !s.is_empty()),
        code: None,
    }
}

/// The reason, else `HTTP <status>: <first bytes>`: always something to show.
pub fn message(resp: &HttpResponse) -> String {
    read(resp).message.unwrap_or_else(|| {
        let snippet = resp.snippet();
        if snippet.is_empty() {
            format!("HTTP {}", resp.status)
        } else {
            format!("HTTP {}: {snippet}", resp.status)
        }
    })
}

/// Reads a JSON error document (also one nested under a key like `error`).
pub fn from_json(value: &Value) -> ErrorBody {
    let Value::Object(map) = value else {
        let mut parts = Vec::new();
        flatten(value, None, &mut parts);
        return ErrorBody {
            message: join(parts),
            code: None,
        };
    };
    let mut parts = Vec::new();
    for key in MESSAGE_KEYS {
        if let Some(v) = map.get(*key) {
            flatten(v, None, &mut parts);
        }
    }
    let code = CODE_KEYS.iter().find_map(|key| match map.get(*key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    ErrorBody {
        message: join(parts),
        code,
    }
}

fn join(mut parts: Vec<String>) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    parts.retain(|p| seen.insert(p.clone()));
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Every message in `v`: strings as they are, lists item by item, objects as
/// `field: message` (a nested object's `message`/`code` pair reads as its message).
fn flatten(v: &Value, field: Option<&str>, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !s.trim().is_empty() => out.push(match field {
            Some(f) => format!("{f}: {}", s.trim()),
            None => s.trim().to_string(),
        }),
        Value::Array(items) => items.iter().for_each(|i| flatten(i, field, out)),
        Value::Object(map) => {
            if let Some(inner) = MESSAGE_KEYS.iter().find_map(|k| map.get(*k)) {
                flatten(inner, field, out);
            } else {
                map.iter().for_each(|(k, v)| flatten(v, Some(k), out));
            }
        }
        Value::Number(n) => out.push(n.to_string()),
        _ => {}
    }
}

/// The text inside the first `<tag …>…</tag>` (a prefixed `<ns:tag>` too), with inner
/// markup removed and whitespace collapsed.
fn element_text(doc: &str, tag: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = doc[from..].find('<') {
        let start = from + i + 1;
        from = start;
        let name_end = doc[start..]
            .find(|c: char| c == '>' || c == ' ' || c == '/' || c.is_whitespace())
            .map(|n| start + n)?;
        let name = &doc[start..name_end];
        let local = name.rsplit(':').next().unwrap_or(name);
        if local != tag {
            continue;
        }
        let open_end = start + doc[start..].find('>')? + 1;
        if doc[..open_end].ends_with("/>") {
            continue;
        }
        let close = format!("</{name}>");
        let end = open_end + doc[open_end..].find(&close)?;
        let text = strip_tags(&doc[open_end..end]);
        if !text.is_empty() {
            return Some(text);
        }
    }
    None
}

fn strip_tags(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_body(status: u16, body: &str) -> ErrorBody {
        read(&HttpResponse::new(status, body))
    }

    #[test]
    fn json_shapes() {
        assert_eq!(
            read_body(401, r#"{"detail":"Invalid token."}"#)
                .message
                .as_deref(),
            Some("Invalid token.")
        );
        let shiprocket = read_body(
            422,
            r#"{"message":"Oops! Invalid Data.","errors":{"pickup_location":["The pickup location field is required."]},"status_code":422}"#,
        );
        assert_eq!(
            shiprocket.message.as_deref(),
            Some("Oops! Invalid Data.; pickup_location: The pickup location field is required.")
        );
        assert_eq!(shiprocket.code.as_deref(), Some("422"));
        let nested = read_body(
            400,
            r#"{"errors":[{"code":"INVALID.INPUT","message":"Weight is invalid"}]}"#,
        );
        assert_eq!(nested.message.as_deref(), Some("Weight is invalid"));
        let oauth = read_body(
            401,
            r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
        );
        assert_eq!(
            oauth.message.as_deref(),
            Some("invalid_client; Client authentication failed")
        );
        assert_eq!(read_body(400, r#"{"x":1}"#).message, None);
        assert_eq!(
            read_body(400, r#""plain""#).message.as_deref(),
            Some("plain")
        );
    }

    #[test]
    fn xml_and_html() {
        assert_eq!(
            read_body(200, "<?xml version=\"1.0\"?><response><status>False</status><message>Shipment not found</message></response>")
                .message
                .as_deref(),
            Some("Shipment not found")
        );
        let soap = "<soap:Envelope><soap:Body><soap:Fault><faultcode>a</faultcode>\
                    <faultstring>Invalid <b>login</b> &amp; key</faultstring></soap:Fault></soap:Body></soap:Envelope>";
        assert_eq!(
            read_body(500, soap).message.as_deref(),
            Some("Invalid login & key")
        );
        assert_eq!(
            read_body(404, "<html><h1>Page not found</h1></html>")
                .message
                .as_deref(),
            Some("Page not found")
        );
        assert_eq!(
            read_body(
                502,
                "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body></body></html>"
            )
            .message
            .as_deref(),
            Some("502 Bad Gateway")
        );
        assert_eq!(read_body(502, "<html><body></body></html>").message, None);
    }

    #[test]
    fn anything_else_is_its_first_bytes() {
        assert_eq!(
            read_body(503, "upstream connect error").message.as_deref(),
            Some("upstream connect error")
        );
        assert_eq!(message(&HttpResponse::new(503, "")), "HTTP 503");
        assert_eq!(
            message(&HttpResponse::new(400, "<html></html>")),
            "HTTP 400: <html></html>"
        );
    }
}
