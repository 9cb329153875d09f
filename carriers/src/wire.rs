//! Carrier-neutral HTTP request and response values.
//!
//! Adapters describe a call as data; the gateway's executor performs it. Keeping these
//! plain structs (not reqwest types) is what lets adapters stay free of I/O and lets tests
//! feed recorded responses straight into the parsers.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::CarrierError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A call to a carrier. Secrets on it (keys, tokens, passwords, client secrets) are
/// marked by the adapter that puts them there ([`HttpRequest::secret_header`],
/// [`HttpRequest::secret_query`], [`HttpRequest::secret`] for body fields), and the
/// executor masks every marked value wherever it would show: URL, headers, error text.
/// A list of header names in the executor could not know that a new carrier sends its
/// key as `DHL-API-Key` or its secret as a form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    /// Path relative to the carrier's base URL (`/api/v1/packages/json/`), or an absolute
    /// `http(s)://` URL for documents the carrier hands out by link (label PDFs).
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    pub content_type: Option<&'static str>,
    /// Values never to be shown (see the type's doc).
    secrets: Vec<String>,
}

impl HttpRequest {
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        HttpRequest {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: vec![("accept".into(), "application/json".into())],
            body: None,
            content_type: None,
            secrets: Vec::new(),
        }
    }

    pub fn get(path: impl Into<String>) -> Self {
        Self::new(Method::Get, path)
    }

    pub fn post(path: impl Into<String>) -> Self {
        Self::new(Method::Post, path)
    }

    pub fn query(mut self, key: &str, value: impl Into<String>) -> Self {
        self.query.push((key.to_string(), value.into()));
        self
    }

    /// Sets a header, replacing an earlier value of the same name.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.into()));
        self
    }

    /// Sets a header whose value is a secret.
    pub fn secret_header(self, name: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        self.secret(&value).header(name, value)
    }

    /// Adds a query parameter whose value is a secret.
    pub fn secret_query(self, key: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        self.secret(&value).query(key, value)
    }

    /// Marks a value as secret wherever it appears (a form or JSON field, a header built
    /// around it like `Bearer <token>`).
    pub fn secret(mut self, value: &str) -> Self {
        // Too short to mask without masking ordinary text (and too short to be a secret).
        if value.len() >= 4 && !self.secrets.iter().any(|s| s == value) {
            self.secrets.push(value.to_string());
        }
        self
    }

    /// The values marked secret.
    pub fn secrets(&self) -> &[String] {
        &self.secrets
    }

    /// `text` with every marked secret replaced by `****`, also where it stands
    /// percent-encoded (in a URL or a form body).
    pub fn masked(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            out = out.replace(secret.as_str(), "****");
            let encoded: String = url_encoded(secret);
            if encoded != *secret {
                out = out.replace(encoded.as_str(), "****");
            }
        }
        out
    }

    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, CarrierError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| CarrierError::NotSent(format!("could not encode JSON body: {e}")))?;
        self.body = Some(bytes);
        self.content_type = Some("application/json");
        Ok(self)
    }

    pub fn form<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, CarrierError> {
        let text = serde_urlencoded::to_string(body)
            .map_err(|e| CarrierError::NotSent(format!("could not encode form body: {e}")))?;
        self.body = Some(text.into_bytes());
        self.content_type = Some("application/x-www-form-urlencoded");
        Ok(self)
    }

    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A value as `application/x-www-form-urlencoded` writes it (query strings too).
fn url_encoded(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|pair| pair.trim_start_matches('=').to_string())
        .unwrap_or_else(|_| value.to_string())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Parses the body as JSON, naming the first bytes when it is not (an HTML error page
    /// from a proxy is the usual culprit).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, CarrierError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            CarrierError::bad_response(format!(
                "expected JSON ({e}); body starts with {:?}",
                self.snippet()
            ))
        })
    }

    /// Parses the body as XML (quick-xml's serde mapping: elements and attributes as
    /// fields), naming the first bytes when it is not.
    pub fn xml<T: DeserializeOwned>(&self) -> Result<T, CarrierError> {
        quick_xml::de::from_str(&self.text()).map_err(|e| {
            CarrierError::bad_response(format!(
                "expected XML ({e}); body starts with {:?}",
                self.snippet()
            ))
        })
    }

    /// First bytes of the body, for error messages; never the whole body.
    pub fn snippet(&self) -> String {
        let text = self.text();
        let trimmed = text.trim();
        let cut: String = trimmed.chars().take(120).collect();
        if cut.len() < trimmed.len() {
            format!("{cut}…")
        } else {
            cut
        }
    }

    /// A 5xx means the carrier (or its proxy) failed after the request arrived: the
    /// operation may have happened. Adapters call this before reading a body.
    pub fn fail_on_server_error(&self) -> Result<(), CarrierError> {
        if self.status >= 500 {
            return Err(CarrierError::Upstream {
                status: self.status,
                detail: self.snippet(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_secrets_are_masked_wherever_they_stand() {
        let request = HttpRequest::post("/login")
            .secret_header("DHL-API-Key", "key-123")
            .secret_query("api_token", "tok/en+1")
            .form(&[("client_secret", "s3cr&t"), ("user", "asha")])
            .unwrap()
            .secret("s3cr&t")
            .secret("ab");
        assert_eq!(request.secrets(), ["key-123", "tok/en+1", "s3cr&t"]);
        let body = String::from_utf8(request.body.clone().unwrap()).unwrap();
        assert_eq!(request.masked(&body), "client_secret=****&user=asha");
        assert_eq!(
            request.masked("https://x.test/login?api_token=tok%2Fen%2B1&DHL-API-Key: key-123"),
            "https://x.test/login?api_token=****&DHL-API-Key: ****"
        );
        assert_eq!(request.header_value("dhl-api-key"), Some("key-123"));
    }

    #[test]
    fn bodies_read_as_json_or_xml_name_their_first_bytes() {
        use serde::Deserialize;
        #[derive(Debug, Deserialize)]
        struct Reply {
            status: String,
        }
        let xml = HttpResponse::new(200, "<root><status>True</status></root>");
        assert_eq!(xml.xml::<Reply>().unwrap().status, "True");
        let page = HttpResponse::new(200, "<html><h1>Bad gateway");
        let err = page.xml::<Reply>().unwrap_err().to_string();
        assert!(
            err.contains("expected XML") && err.contains("Bad gateway"),
            "{err}"
        );
        let err = page.json::<Reply>().unwrap_err().to_string();
        assert!(err.contains("expected JSON"), "{err}");
    }
}
