//! Labels and documents as carriers hand them over: base64 inside a JSON answer, one per
//! piece of a multi-piece shipment.
//!
//! Why merge: the gateway keeps one file per shipment and format (what the label route
//! serves and a warehouse prints in one go), while FedEx, UPS and DHL Express answer one
//! label per piece. PDFs are joined page after page, ZPL streams one after another (each
//! piece is its own `^XA…^XZ` format, which a printer prints in turn). The bytes are the
//! carrier's own: never redrawn, only checked to be what they claim.

use base64::Engine;
use lopdf::{Document as Pdf, Object, ObjectId};

use crate::CarrierError;
use crate::schema::{Document, DocumentKind, LabelDocument, LabelFormat};

/// A base64 label as the carrier sent it, checked to be a PDF or a ZPL stream.
pub fn decode(format: LabelFormat, base64: &str) -> Result<LabelDocument, CarrierError> {
    let content = bytes(base64, format.as_str())?;
    let fits = match format {
        LabelFormat::Pdf => content.starts_with(b"%PDF-"),
        LabelFormat::Zpl => String::from_utf8_lossy(&content)
            .trim_start()
            .starts_with("^XA"),
    };
    if !fits {
        return Err(CarrierError::BadResponse(format!(
            "the carrier's {} label is not one",
            format.as_str()
        )));
    }
    Ok(LabelDocument { format, content })
}

/// A base64 document (a commercial invoice, say) as the carrier sent it, checked to be
/// a PDF.
pub fn decode_pdf_document(kind: DocumentKind, base64: &str) -> Result<Document, CarrierError> {
    let content = bytes(base64, kind.as_str())?;
    if !content.starts_with(b"%PDF-") {
        return Err(CarrierError::BadResponse(format!(
            "the carrier's {} is not a PDF",
            kind.as_str()
        )));
    }
    Ok(Document {
        kind,
        content_type: "application/pdf".into(),
        content,
    })
}

fn bytes(base64: &str, what: &str) -> Result<Vec<u8>, CarrierError> {
    // Carriers wrap base64 at 76 columns (MIME style) or not at all.
    let compact: String = base64.split_ascii_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|e| CarrierError::BadResponse(format!("the carrier's {what} is not base64: {e}")))
}

/// One label per format out of one per piece, in piece order: PDFs joined page after
/// page, ZPL streams one after another. Pieces of another format are left out.
pub fn merge(format: LabelFormat, pieces: &[LabelDocument]) -> Result<LabelDocument, CarrierError> {
    let parts: Vec<&[u8]> = pieces
        .iter()
        .filter(|p| p.format == format)
        .map(|p| p.content.as_slice())
        .collect();
    let content = match (format, parts.as_slice()) {
        (_, []) => {
            return Err(CarrierError::BadResponse(format!(
                "no {} label among the pieces",
                format.as_str()
            )));
        }
        (_, [one]) => one.to_vec(),
        (LabelFormat::Zpl, many) => {
            let mut out = Vec::new();
            for part in many {
                out.extend_from_slice(part.trim_ascii_end());
                out.push(b'\n');
            }
            out
        }
        (LabelFormat::Pdf, many) => join_pdfs(many)?,
    };
    Ok(LabelDocument { format, content })
}

/// The pages of `parts`, in order, as one PDF: every part's objects renumbered past the
/// previous ones, its pages hung under one page tree.
fn join_pdfs(parts: &[&[u8]]) -> Result<Vec<u8>, CarrierError> {
    let bad = |e: lopdf::Error| CarrierError::BadResponse(format!("a piece's PDF label: {e}"));
    let mut joined = Pdf::with_version("1.5");
    let mut pages: Vec<ObjectId> = Vec::new();
    let mut next_id = 1;
    for part in parts {
        let mut doc = Pdf::load_mem(part).map_err(bad)?;
        doc.renumber_objects_with(next_id);
        next_id = doc.max_id + 1;
        pages.extend(doc.get_pages().into_values());
        joined.objects.extend(doc.objects);
    }
    joined.max_id = next_id - 1;
    let tree_id = joined.new_object_id();
    for page in &pages {
        if let Ok(Object::Dictionary(dict)) = joined.get_object_mut(*page) {
            dict.set("Parent", tree_id);
        }
    }
    let kids: Vec<Object> = pages.iter().map(|p| Object::Reference(*p)).collect();
    joined.objects.insert(
        tree_id,
        Object::Dictionary(lopdf::dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => pages.len() as i64
        }),
    );
    let catalog = joined.add_object(lopdf::dictionary! {
        "Type" => "Catalog",
        "Pages" => tree_id
    });
    joined.trailer.set("Root", catalog);
    // The parts' own catalogs and page trees are unreachable now; drop them.
    joined.prune_objects();
    let mut out = Vec::new();
    joined
        .save_to(&mut out)
        .map_err(|e| CarrierError::BadResponse(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::{LabelData, render_pdf};
    use crate::schema::Payment;

    fn pdf(awb: &str) -> Vec<u8> {
        let from = crate::simulator::labels::warehouse().unwrap();
        render_pdf(&LabelData {
            carrier_name: "Sandbox".into(),
            service: "Express".into(),
            awb: awb.into(),
            order_ref: "ORD-1".into(),
            to: from.clone(),
            from,
            weight_g: 500,
            payment: Payment::Prepaid,
            routing_code: None,
            description: None,
            created: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        })
    }

    #[test]
    fn pieces_join_into_one_pdf_with_every_page_in_order() {
        let pieces = [
            LabelDocument {
                format: LabelFormat::Pdf,
                content: pdf("AWB0001"),
            },
            LabelDocument {
                format: LabelFormat::Zpl,
                content: b"^XA^FDx^FS^XZ".to_vec(),
            },
            LabelDocument {
                format: LabelFormat::Pdf,
                content: pdf("AWB0002"),
            },
        ];
        let merged = merge(LabelFormat::Pdf, &pieces).unwrap();
        let doc = Pdf::load_mem(&merged.content).unwrap();
        assert_eq!(doc.get_pages().len(), 2);
        let text = |page| doc.extract_text(&[page]).unwrap_or_default();
        assert!(text(1).contains("AWB0001") && text(2).contains("AWB0002"));
    }

    #[test]
    fn zpl_pieces_follow_each_other_and_one_piece_is_kept_as_is() {
        let zpl = |awb: &str| LabelDocument {
            format: LabelFormat::Zpl,
            content: format!("^XA^FD{awb}^FS^XZ\n").into_bytes(),
        };
        let merged = merge(LabelFormat::Zpl, &[zpl("A"), zpl("B")]).unwrap();
        assert_eq!(merged.content, b"^XA^FDA^FS^XZ\n^XA^FDB^FS^XZ\n");
        assert_eq!(merge(LabelFormat::Zpl, &[zpl("A")]).unwrap(), zpl("A"));
        assert!(merge(LabelFormat::Pdf, &[zpl("A")]).is_err());
    }

    #[test]
    fn decoding_checks_the_bytes_are_what_the_carrier_says() {
        let encode = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let pdf_text = encode(&pdf("AWB9"));
        // Wrapped at 76 columns, as MIME writes it.
        let wrapped: Vec<String> = pdf_text
            .as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect();
        assert!(decode(LabelFormat::Pdf, &wrapped.join("\r\n")).is_ok());
        assert!(decode(LabelFormat::Zpl, &encode(b" ^XA^XZ")).is_ok());
        assert!(decode(LabelFormat::Pdf, &encode(b"^XA^XZ")).is_err());
        assert!(decode(LabelFormat::Pdf, "not base64!").is_err());
        let invoice = decode_pdf_document(DocumentKind::CommercialInvoice, &pdf_text).unwrap();
        assert_eq!(invoice.content_type, "application/pdf");
        assert!(decode_pdf_document(DocumentKind::CommercialInvoice, &encode(b"<html>")).is_err());
    }
}
