//! `multipart/form-data` bodies, written and read: the upload APIs that take a file
//! beside a JSON part (FedEx's Trade Documents Upload) and the simulators that read
//! them back. Parts are bytes, so a PDF goes through unchanged.

use sha2::{Digest, Sha256};

/// One part: its form name, optional file name and content type, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub content: Vec<u8>,
}

impl Part {
    pub fn field(name: &str, content_type: &str, content: impl Into<Vec<u8>>) -> Part {
        Part {
            name: name.into(),
            file_name: None,
            content_type: Some(content_type.into()),
            content: content.into(),
        }
    }
}

/// The body and its `Content-Type` (with the boundary). The boundary is a digest of the
/// parts, so the same parts make the same body (a retried request is byte-identical)
/// and a part cannot contain it short of a SHA-256 collision.
pub fn form_data(parts: &[Part]) -> (String, Vec<u8>) {
    let mut hash = Sha256::new();
    for p in parts {
        hash.update(p.name.as_bytes());
        hash.update(&p.content);
    }
    let boundary = format!("shipgate-{}", &hex::encode(hash.finalize())[..32]);
    let mut body = Vec::new();
    for p in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", p.name);
        if let Some(file) = &p.file_name {
            disposition.push_str(&format!("; filename=\"{}\"", file.replace('"', "")));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(ct) = &p.content_type {
            body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&p.content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A header's parameter (`name="x"` in a `Content-Disposition`).
fn param(header: &str, key: &str) -> Option<String> {
    header.split(';').map(str::trim).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(key)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The parts of a body, by the boundary its `Content-Type` names; `None` when the
/// content type is not multipart or the body is not framed by that boundary.
pub fn parts(content_type: &str, body: &[u8]) -> Option<Vec<Part>> {
    if !content_type
        .trim()
        .to_ascii_lowercase()
        .starts_with("multipart/")
    {
        return None;
    }
    let boundary = param(content_type, "boundary").filter(|b| !b.is_empty())?;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut rest = &body[find(body, &delimiter)? + delimiter.len()..];
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = std::str::from_utf8(&rest[..head_end]).ok()?;
        let content_start = head_end + 4;
        let mut end_marker = b"\r\n".to_vec();
        end_marker.extend_from_slice(&delimiter);
        let content_len = find(&rest[content_start..], &end_marker)?;
        let mut part = Part {
            name: String::new(),
            file_name: None,
            content_type: None,
            content: rest[content_start..content_start + content_len].to_vec(),
        };
        for line in head.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            if key.trim().eq_ignore_ascii_case("content-disposition") {
                part.name = param(value, "name")?;
                part.file_name = param(value, "filename");
            } else if key.trim().eq_ignore_ascii_case("content-type") {
                part.content_type = Some(value.trim().to_string());
            }
        }
        parts.push(part);
        rest = &rest[content_start + content_len + end_marker.len()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_read_back_what_was_written_bytes_unchanged() {
        let pdf = b"%PDF-1.4\r\n\x00\xff binary\r\n--not-a-boundary\r\n%%EOF".to_vec();
        let written = vec![
            Part::field("document", "application/json", br#"{"a":1}"#.to_vec()),
            Part {
                name: "attachment".into(),
                file_name: Some("ci.pdf".into()),
                content_type: Some("application/pdf".into()),
                content: pdf.clone(),
            },
        ];
        let (content_type, body) = form_data(&written);
        assert!(content_type.starts_with("multipart/form-data; boundary=shipgate-"));
        assert_eq!(form_data(&written), (content_type.clone(), body.clone()));
        assert_eq!(parts(&content_type, &body).unwrap(), written);
    }

    #[test]
    fn bodies_not_framed_by_their_boundary_are_none() {
        assert_eq!(parts("application/json", b"{}"), None);
        assert_eq!(parts("multipart/form-data", b"--x\r\n"), None);
        assert_eq!(parts("multipart/form-data; boundary=x", b"no parts"), None);
        let cut = b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end";
        assert_eq!(parts("multipart/form-data; boundary=x", cut), None);
        let empty = b"--x--\r\n";
        assert_eq!(
            parts("multipart/form-data; boundary=x", empty),
            Some(vec![])
        );
    }
}
