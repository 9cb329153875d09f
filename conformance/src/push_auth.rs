//! Carrier push authentication: the token and signature header values are untrusted.

use base64::Engine;
use carriers::push_auth::{sha256, sign, signature_matches, token_matches};

const SECRET: &[u8] = b"whsec-fuzz-secret";
const TOKEN: &str = "tok-3f9a";

/// `data` is a header value, a newline, and a body. A signature header is accepted only
/// when it is the body's MAC in one of the accepted spellings, and the MAC in every
/// spelling is accepted; a token header only when it carries the token.
pub fn check(data: &[u8]) {
    let split = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
    let (header, body) = (&data[..split], data.get(split + 1..).unwrap_or_default());

    let hex_sig = sign(SECRET, body);
    let mac = hex::decode(&hex_sig).expect("sign writes hex");
    let b64_sig = base64::engine::general_purpose::STANDARD.encode(&mac);
    if let Ok(given) = std::str::from_utf8(header)
        && signature_matches(SECRET, given, body)
    {
        let bare = given.trim();
        let bare = bare.strip_prefix("sha256=").unwrap_or(bare);
        assert!(
            bare.eq_ignore_ascii_case(&hex_sig) || bare == b64_sig,
            "accepted {given:?} for {hex_sig}"
        );
    }
    for spelling in [
        hex_sig.clone(),
        hex_sig.to_uppercase(),
        format!("sha256={hex_sig}"),
        format!(" {b64_sig} "),
    ] {
        assert!(signature_matches(SECRET, &spelling, body), "{spelling}");
    }

    let expected = sha256(TOKEN.as_bytes());
    if token_matches(header, &expected) {
        let text = std::str::from_utf8(header).expect("a matching token is text");
        assert!(
            text == TOKEN || text.trim().ends_with(TOKEN),
            "accepted {text:?}"
        );
    }
    for given in [
        TOKEN.to_string(),
        format!("Bearer {TOKEN}"),
        format!("token  {TOKEN} "),
    ] {
        assert!(token_matches(given.as_bytes(), &expected), "{given}");
    }
}
