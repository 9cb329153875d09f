//! Labels as carriers that host them hand them out: the label call answers a link, and
//! the link serves a PDF from storage (S3 behind Shiprocket), so an unknown or forgotten
//! AWB gets storage's own `NoSuchKey`, not the carrier's error shape. Links live under the
//! simulator's root, `{base_url}/labels/{awb}.pdf`, and need no token, as presigned
//! storage links need none. The shipper is the sandbox account's one warehouse.

use super::SimResponse;
use crate::label::{LabelData, render_pdf};
use crate::schema::{Address, Phone, PostalCode};

/// The link to `awb`'s label under a simulator rooted at `base_url`.
pub fn link(base_url: &str, awb: &str) -> String {
    format!("{}/labels/{awb}.pdf", base_url.trim_end_matches('/'))
}

/// The AWB a label link's path (below the root) names.
pub fn awb_of(path: &str) -> Option<&str> {
    path.strip_prefix("/labels/")?.strip_suffix(".pdf")
}

/// S3's answer for a key it does not hold.
pub fn missing() -> SimResponse {
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>\
                <Message>The specified key does not exist.</Message></Error>";
    SimResponse::raw(404, "application/xml", body)
}

/// The label rendered as the PDF a link serves.
pub fn pdf(data: &LabelData) -> SimResponse {
    SimResponse::raw(200, "application/pdf", render_pdf(data))
}

/// The sandbox account's registered warehouse, the shipper on every sandbox label.
pub fn warehouse() -> Option<Address> {
    Some(Address {
        name: "Shipgate Sandbox Warehouse".into(),
        phone: Phone::parse("9000000001", "IN").ok()?,
        email: Some("warehouse@shipgate.test".into()),
        line1: "12 Residency Road".into(),
        line2: None,
        landmark: None,
        city: "Bengaluru".into(),
        state: Some("Karnataka".into()),
        postal_code: PostalCode::parse("560025", "IN").ok()?,
        country: "IN".into(),
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::schema::Payment;

    #[test]
    fn links_name_their_awb() {
        let link = link("http://h/sandbox/x/", "1234");
        assert_eq!(link, "http://h/sandbox/x/labels/1234.pdf");
        assert_eq!(awb_of("/labels/1234.pdf"), Some("1234"));
        for path in ["/labels/1234", "/other/1.pdf", "/labels"] {
            assert_eq!(awb_of(path), None, "{path}");
        }
    }

    #[test]
    fn a_missing_key_is_s3s_404_and_a_label_a_pdf() {
        let missing = missing();
        assert_eq!(
            (missing.status, missing.content_type),
            (404, "application/xml")
        );
        assert!(
            String::from_utf8(missing.body)
                .unwrap()
                .contains("<Code>NoSuchKey</Code>")
        );
        let from = warehouse().unwrap();
        let data = LabelData {
            carrier_name: "Sandbox".into(),
            service: "Surface".into(),
            awb: "1234".into(),
            order_ref: "ORD-1".into(),
            to: from.clone(),
            from,
            weight_g: 500,
            payment: Payment::Prepaid,
            routing_code: None,
            description: None,
            created: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        };
        let pdf = pdf(&data);
        assert_eq!((pdf.status, pdf.content_type), (200, "application/pdf"));
        assert!(pdf.body.starts_with(b"%PDF"));
    }
}
