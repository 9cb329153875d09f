//! The label as a one-page PDF 1.4, written by hand.
//!
//! Why not a PDF crate: a label needs a page, two fonts, some text and rectangles, which
//! is a few hundred bytes of well-understood syntax. Writing it directly keeps the
//! carriers crate free of a heavy dependency, makes the output byte-for-byte
//! deterministic (no timestamps, IDs or object reordering: the only date is the label's
//! own), and lets the file stay plain ASCII apart from the binary-marker comment.
//!
//! The fonts are the standard Helvetica and Helvetica-Bold, which every reader provides,
//! so nothing is embedded; text is WinAnsi-encoded (see [`super::text`]).

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::layout::{HEIGHT, Item, WIDTH};
use super::text::Font;

/// Renders the laid-out label. `title` goes into the document information only.
pub fn write(items: &[Item], title: &str, created: NaiveDate) -> Vec<u8> {
    write_pages(
        std::slice::from_ref(&items.to_vec()),
        (WIDTH, HEIGHT),
        title,
        created,
    )
}

/// Renders several laid-out pages of `size` (width, height in points), in order: the
/// label's writer for documents longer than a label (the manifest handover sheet).
pub fn write_pages(
    pages: &[Vec<Item>],
    size: (f32, f32),
    title: &str,
    created: NaiveDate,
) -> Vec<u8> {
    let (width, height) = size;
    let mut pdf = Writer::new();
    // Objects: 1 catalog, 2 pages, 3-4 fonts, then per page its page and its contents,
    // then the document information; the references below rely on this order.
    let page_obj = |i: usize| 5 + 2 * i;
    pdf.object(b"<< /Type /Catalog /Pages 2 0 R >>");
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", page_obj(i)))
        .collect();
    pdf.object(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .as_bytes(),
    );
    pdf.object(font_dict("Helvetica").as_bytes());
    pdf.object(font_dict("Helvetica-Bold").as_bytes());
    for (i, items) in pages.iter().enumerate() {
        pdf.object(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] \
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R >> /ProcSet [/PDF /Text] >> \
                 /Contents {} 0 R >>",
                num(width),
                num(height),
                page_obj(i) + 1
            )
            .as_bytes(),
        );
        let content = content(items, height);
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(&content);
        stream.extend_from_slice(b"\nendstream");
        pdf.object(&stream);
    }
    let mut info = b"<< /Title ".to_vec();
    info.extend(literal(title));
    info.extend(b" /Producer (shipgate) /CreationDate ");
    info.extend(literal(&created.format("D:%Y%m%d").to_string()));
    info.extend(b" >>");
    pdf.object(&info);
    pdf.finish()
}

fn font_dict(base: &str) -> String {
    format!("<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>")
}

/// The page's drawing operators.
fn content(items: &[Item], page_height: f32) -> Vec<u8> {
    let mut out = b"0 g\n".to_vec();
    for item in items {
        match item {
            Item::Rule { x, y, w, h } => {
                out.extend(rect(*x, *y, *w, *h, page_height).as_bytes());
                out.extend(b" f\n");
            }
            Item::Text {
                x,
                align,
                baseline,
                size,
                font,
                text,
            } => {
                let name = match font {
                    Font::Regular => "F1",
                    Font::Bold => "F2",
                };
                let left = align.left_edge(*x, font.width(text, *size));
                let head = format!(
                    "BT /{name} {} Tf {} {} Td ",
                    num(*size),
                    num(left),
                    num(page_height - baseline)
                );
                out.extend(head.as_bytes());
                out.extend(literal(text));
                out.extend(b" Tj ET\n");
            }
            Item::Barcode {
                x,
                y,
                height,
                module,
                code,
                ..
            } => {
                // All bars as one path, filled once.
                for (start, width) in code.bars() {
                    let bar_x = x + start as f32 * module;
                    let bar_w = width as f32 * module;
                    out.extend(rect(bar_x, *y, bar_w, *height, page_height).as_bytes());
                    out.push(b'\n');
                }
                out.extend(b"f\n");
            }
        }
    }
    out
}

/// A rectangle given from the top-left corner, in PDF's bottom-left coordinates.
fn rect(x: f32, y: f32, w: f32, h: f32, page_height: f32) -> String {
    format!(
        "{} {} {} {} re",
        num(x),
        num(page_height - y - h),
        num(w),
        num(h)
    )
}

/// A number with at most three decimals and no trailing zeros: short, and identical on
/// every platform.
fn num(v: f32) -> String {
    let mut s = format!("{v:.3}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" { "0".into() } else { s }
}

/// A PDF literal string in WinAnsi: `\`, `(` and `)` escaped, bytes outside printable
/// ASCII written as octal escapes, characters WinAnsi lacks (already rare after
/// [`super::text::clean`]) as `?`.
fn literal(text: &str) -> Vec<u8> {
    let mut out = vec![b'('];
    for c in text.chars() {
        let byte = match u32::from(c) {
            code @ (0x20..=0x7e | 0xa0..=0xff) => code as u8,
            _ => b'?',
        };
        match byte {
            b'\\' | b'(' | b')' => out.extend([b'\\', byte]),
            0x20..=0x7e => out.push(byte),
            _ => {
                let mut escaped = String::new();
                let _ = write!(escaped, "\\{byte:03o}");
                out.extend(escaped.as_bytes());
            }
        }
    }
    out.push(b')');
    out
}

/// Collects objects and their byte offsets for the cross-reference table.
struct Writer {
    buf: Vec<u8>,
    offsets: Vec<usize>,
}

impl Writer {
    fn new() -> Self {
        // The comment of high bytes marks the file as binary, so that transfer tools do
        // not rewrite line endings and shift the offsets in the xref table.
        Writer {
            buf: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec(),
            offsets: Vec::new(),
        }
    }

    fn object(&mut self, body: &[u8]) {
        self.offsets.push(self.buf.len());
        let head = format!("{} 0 obj\n", self.offsets.len());
        self.buf.extend(head.as_bytes());
        self.buf.extend(body);
        self.buf.extend(b"\nendobj\n");
    }

    /// Appends the xref table (each entry exactly 20 bytes, as the format requires) and
    /// the trailer. The last object written is the document information.
    fn finish(mut self) -> Vec<u8> {
        let xref = self.buf.len();
        let count = self.offsets.len();
        let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", count + 1);
        for offset in &self.offsets {
            // Trailing space + newline: every entry is exactly 20 bytes.
            let _ = writeln!(tail, "{offset:010} 00000 n ");
        }
        let _ = write!(
            tail,
            "trailer\n<< /Size {} /Root 1 0 R /Info {count} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            count + 1
        );
        self.buf.extend(tail.as_bytes());
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_delimiters_and_high_bytes() {
        assert_eq!(literal(r"a(b)c\d"), br"(a\(b\)c\\d)".to_vec());
        assert_eq!(literal("Café"), br"(Caf\351)".to_vec());
        assert_eq!(literal("\u{4e2d}\n"), b"(??)".to_vec());
        assert_eq!(literal(""), b"()".to_vec());
    }

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(288.0), "288");
        assert_eq!(num(1.4187), "1.419");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(-0.0001), "0");
    }
}
