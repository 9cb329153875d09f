//! A carrier's raster label (a GIF) as a one-page PDF, its pixels unchanged.
//!
//! Why: UPS renders labels as GIF, PNG, ZPL, EPL or SPL, never PDF, while shipgate
//! serves every label as PDF (or ZPL). Redrawing the label would lose the carrier's own
//! barcodes and routing; so the carrier's image is wrapped as it is: decoded, its palette
//! indices embedded as one Flate-compressed indexed-colour image XObject filling a 4×6 in
//! page (a landscape image is turned a quarter clockwise to fit the portrait page by the
//! page's placement matrix, never by touching the pixels). The PDF's `/Title` carries
//! the text given (the tracking number), so the file names the parcel it labels; the
//! page carries it too as invisible text (render mode 3), which survives joining pieces
//! into one file and is found by text search, while nothing is printed but the image.

use std::io::Write;

use lopdf::{Document as Pdf, Object, Stream, dictionary};

use crate::CarrierError;

/// A 4×6 in label page, in PDF points.
pub const PAGE_WIDTH_PT: f64 = 288.0;
pub const PAGE_HEIGHT_PT: f64 = 432.0;

/// One frame of a GIF as its palette indices, on its logical screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedImage {
    pub width: u16,
    pub height: u16,
    /// RGB triples.
    pub palette: Vec<u8>,
    /// One palette index per pixel, rows top to bottom.
    pub pixels: Vec<u8>,
}

fn bad(what: impl std::fmt::Display) -> CarrierError {
    CarrierError::BadResponse(format!("the carrier's GIF label: {what}"))
}

/// The first frame of `gif`, placed on its logical screen (uncovered pixels take the
/// background colour).
pub fn decode_gif(gif: &[u8]) -> Result<IndexedImage, CarrierError> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    let mut decoder = options.read_info(gif).map_err(bad)?;
    let (width, height) = (decoder.width(), decoder.height());
    if width == 0 || height == 0 {
        return Err(bad("an empty image"));
    }
    let global = decoder.global_palette().map(<[u8]>::to_vec);
    let background = decoder.bg_color().unwrap_or(0) as u8;
    let frame = decoder
        .read_next_frame()
        .map_err(bad)?
        .ok_or_else(|| bad("no image in it"))?;
    let palette = frame
        .palette
        .clone()
        .or(global)
        .filter(|p| !p.is_empty() && p.len() % 3 == 0)
        .ok_or_else(|| bad("no colour table"))?;
    let (w, h) = (usize::from(width), usize::from(height));
    let mut pixels = vec![background; w * h];
    let (fw, fh) = (usize::from(frame.width), usize::from(frame.height));
    let (left, top) = (usize::from(frame.left), usize::from(frame.top));
    if frame.buffer.len() < fw * fh {
        return Err(bad("a frame shorter than its size"));
    }
    for row in 0..fh {
        let y = top + row;
        if y >= h {
            break;
        }
        let from = &frame.buffer[row * fw..(row + 1) * fw];
        let to_end = (left + fw).min(w);
        if left < to_end {
            pixels[y * w + left..y * w + to_end].copy_from_slice(&from[..to_end - left]);
        }
    }
    let colours = palette.len() / 3;
    if pixels.iter().any(|&i| usize::from(i) >= colours) {
        return Err(bad("a pixel outside its colour table"));
    }
    Ok(IndexedImage {
        width,
        height,
        palette,
        pixels,
    })
}

/// Encodes an indexed image as a GIF (for simulators, which play the carrier).
pub fn encode_gif(image: &IndexedImage) -> Result<Vec<u8>, CarrierError> {
    let mut out = Vec::new();
    {
        let fail = |e: gif::EncodingError| CarrierError::BadResponse(e.to_string());
        let mut encoder =
            gif::Encoder::new(&mut out, image.width, image.height, &image.palette).map_err(fail)?;
        let frame =
            gif::Frame::from_indexed_pixels(image.width, image.height, image.pixels.clone(), None);
        encoder.write_frame(&frame).map_err(fail)?;
    }
    Ok(out)
}

/// `gif` as a one-page 4×6 in PDF whose `/Title` is `title` (see the module docs).
pub fn gif_to_pdf(gif: &[u8], title: &str) -> Result<Vec<u8>, CarrierError> {
    image_pdf(&decode_gif(gif)?, title)
}

/// An indexed image as a one-page 4×6 in PDF (see the module docs).
pub fn image_pdf(image: &IndexedImage, title: &str) -> Result<Vec<u8>, CarrierError> {
    let fail = |e: std::io::Error| CarrierError::BadResponse(format!("a label PDF: {e}"));
    let mut zip = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zip.write_all(&image.pixels).map_err(fail)?;
    let compressed = zip.finish().map_err(fail)?;
    let colours = (image.palette.len() / 3).max(1) as i64;

    let mut doc = Pdf::with_version("1.5");
    let pixels = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Image",
            "Width" => i64::from(image.width),
            "Height" => i64::from(image.height),
            "ColorSpace" => vec![
                Object::Name(b"Indexed".to_vec()),
                Object::Name(b"DeviceRGB".to_vec()),
                Object::Integer(colours - 1),
                Object::String(image.palette.clone(), lopdf::StringFormat::Hexadecimal),
            ],
            "BitsPerComponent" => 8,
            "Filter" => "FlateDecode",
        },
        compressed,
    );
    let image_id = doc.add_object(pixels);
    // The image's unit square onto the page: filling it upright, or a landscape image
    // turned a quarter clockwise (its top row along the page's right edge).
    let matrix = if image.width > image.height {
        format!("0 -{PAGE_HEIGHT_PT} {PAGE_WIDTH_PT} 0 0 {PAGE_HEIGHT_PT}")
    } else {
        format!("{PAGE_WIDTH_PT} 0 0 {PAGE_HEIGHT_PT} 0 0")
    };
    // The title again as invisible text (render mode 3, as a scanned page's text layer):
    // the image stays the only thing printed, and the tracking number survives joining
    // pieces into one file (which keeps pages, not each file's `/Info`) and is found by
    // text search.
    let printable: String = title
        .chars()
        .filter(|c| c.is_ascii_graphic() || *c == ' ')
        .map(|c| {
            if matches!(c, '(' | ')' | '\\') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let content =
        format!("q {matrix} cm /Label Do Q\nBT 3 Tr /F1 8 Tf 4 4 Td ({printable}) Tj ET\n");
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let pages_id = doc.new_object_id();
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), PAGE_WIDTH_PT.into(), PAGE_HEIGHT_PT.into()],
        "Resources" => dictionary! {
            "XObject" => dictionary! { "Label" => image_id },
            "Font" => dictionary! { "F1" => font_id },
        },
        "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let info = doc.add_object(dictionary! {
        "Title" => Object::string_literal(printable),
        "Producer" => Object::string_literal("shipgate (carrier label image, unchanged)"),
    });
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| CarrierError::BadResponse(format!("a label PDF: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A black-and-white 6×4 image with a diagonal.
    fn sample(width: u16, height: u16) -> IndexedImage {
        let pixels = (0..usize::from(width) * usize::from(height))
            .map(|i| u8::from(i % usize::from(width) == i / usize::from(width)))
            .collect();
        IndexedImage {
            width,
            height,
            palette: vec![255, 255, 255, 0, 0, 0],
            pixels,
        }
    }

    fn image_of(pdf: &[u8]) -> (Pdf, lopdf::Stream) {
        let doc = Pdf::load_mem(pdf).unwrap();
        let page = *doc.get_pages().get(&1).unwrap();
        let resources = doc.get_page_resources(page).unwrap();
        let dict = resources
            .0
            .unwrap()
            .get(b"XObject")
            .unwrap()
            .as_dict()
            .unwrap();
        let id = dict.get(b"Label").unwrap().as_reference().unwrap();
        let stream = doc.get_object(id).unwrap().as_stream().unwrap().clone();
        (doc, stream)
    }

    #[test]
    fn the_gif_pixels_go_into_the_pdf_unchanged() {
        let image = sample(12, 8);
        let gif = encode_gif(&image).unwrap();
        assert!(gif.starts_with(b"GIF8"));
        assert_eq!(decode_gif(&gif).unwrap(), image, "GIF round trip");
        let pdf = gif_to_pdf(&gif, "1Z999AA10123456784").unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(String::from_utf8_lossy(&pdf).contains("1Z999AA10123456784"));
        let (doc, stream) = image_of(&pdf);
        assert_eq!(doc.get_pages().len(), 1);
        assert_eq!(stream.dict.get(b"Width").unwrap().as_i64().unwrap(), 12);
        assert_eq!(stream.dict.get(b"Height").unwrap().as_i64().unwrap(), 8);
        let raw = stream.decompressed_content().unwrap();
        assert_eq!(raw, image.pixels);
        let page = *doc.get_pages().get(&1).unwrap();
        let content = String::from_utf8(doc.get_page_content(page)).unwrap();
        assert!(
            content.contains("0 -432 288 0 0 432 cm"),
            "landscape turned: {content}"
        );
    }

    #[test]
    fn the_title_is_invisible_text_that_survives_joining_pieces() {
        let piece = |awb: &str| crate::schema::LabelDocument {
            format: crate::schema::LabelFormat::Pdf,
            content: image_pdf(&sample(12, 8), awb).unwrap(),
        };
        let one = Pdf::load_mem(&piece("1ZAAA").content).unwrap();
        assert!(one.extract_text(&[1]).unwrap().contains("1ZAAA"));
        let page = *one.get_pages().get(&1).unwrap();
        let content = String::from_utf8(one.get_page_content(page)).unwrap();
        assert!(content.contains("3 Tr"), "invisible: {content}");
        let joined = crate::kit::labels::merge(
            crate::schema::LabelFormat::Pdf,
            &[piece("1ZAAA"), piece("1ZBBB")],
        )
        .unwrap();
        let doc = Pdf::load_mem(&joined.content).unwrap();
        assert!(doc.extract_text(&[1]).unwrap().contains("1ZAAA"));
        assert!(doc.extract_text(&[2]).unwrap().contains("1ZBBB"));
    }

    #[test]
    fn a_portrait_image_fills_the_page_upright() {
        let pdf = image_pdf(&sample(4, 6), "X").unwrap();
        let (doc, _) = image_of(&pdf);
        let page = *doc.get_pages().get(&1).unwrap();
        let content = String::from_utf8(doc.get_page_content(page)).unwrap();
        assert!(content.contains("288 0 0 432 0 0 cm"), "{content}");
    }

    #[test]
    fn what_is_not_a_gif_is_refused() {
        assert!(gif_to_pdf(b"%PDF-1.4", "x").is_err());
        assert!(gif_to_pdf(b"GIF89a", "x").is_err());
        let gif = encode_gif(&sample(12, 8)).unwrap();
        assert!(gif_to_pdf(&gif[..gif.len() / 2], "x").is_err(), "cut short");
    }
}
