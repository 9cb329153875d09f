//! Shipping labels end to end: the PDF is read back with lopdf (a real parser, not our
//! writer's assumptions), its xref is checked entry by entry, the barcode is decoded from
//! the drawn rectangles, and the ZPL is checked for structure and injection safety.
//!
//! Set `SHIPGATE_LABEL_OUT=/some/dir` to also write the sample label as `label.pdf` and
//! `label.zpl` there, for looking at it (`pdftoppm -png -r 100 label.pdf`).

use carriers::label::code128::{PATTERNS, STOP};
use carriers::label::{LabelData, render, render_pdf, render_zpl};
use carriers::schema::{Address, LabelFormat, Money, Payment, Phone, PostalCode};
use chrono::NaiveDate;
use lopdf::Document;
use lopdf::content::Content;

fn address(name: &str, line1: &str, city: &str, state: &str, pin: &str, phone: &str) -> Address {
    Address {
        name: name.into(),
        phone: Phone::parse(phone, "IN").unwrap(),
        email: None,
        line1: line1.into(),
        line2: Some("Near Shiv Mandir".into()),
        landmark: None,
        city: city.into(),
        state: Some(state.into()),
        postal_code: PostalCode::parse(pin, "IN").unwrap(),
        country: "IN".into(),
    }
}

fn sample() -> LabelData {
    LabelData {
        carrier_name: "Delhivery".into(),
        service: "Surface".into(),
        awb: "1234567890123".into(),
        order_ref: "SG-ORD-100045".into(),
        from: address(
            "Kiran Textiles Pvt Ltd",
            "Plot 42, Industrial Area Phase 2",
            "Jaipur",
            "Rajasthan",
            "302013",
            "+91 98290 12345",
        ),
        to: address(
            "Asha Rao",
            "Flat 3B, Lakeview Apartments, 12 MG Road",
            "Bengaluru",
            "Karnataka",
            "560001",
            "98765 43210",
        ),
        weight_g: 1250,
        payment: Payment::Cod {
            cod_amount: Money::inr(123_400),
        },
        routing_code: Some("BLR/KOR-12".into()),
        description: Some("2 x cotton kurta, 1 x dupatta".into()),
        created: NaiveDate::from_ymd_opt(2025, 3, 14).unwrap(),
    }
}

/// Everything an attacker or a sloppy OMS could put in a label.
fn hostile() -> LabelData {
    let mut data = sample();
    data.carrier_name = "Evil (Carrier) \\ ^XZ ~JA".into();
    data.awb = "AB(1)\\^~_>9".into();
    data.order_ref = "ORD)(\\) ^FS^XZ~DG".into();
    data.to.name = "Zoë O'Brien (Jr.) \\ ^FD~ नमस्ते 名前\u{0}\r\n".into();
    data.to.line1 = "x".repeat(5_000);
    data.from.name = "é".repeat(1_000);
    data.routing_code = Some("((((((((((((((((((((((((((((((((".into());
    data.description = Some(format!("line1\nline2\t) ( \\ {}", "and more ".repeat(50)));
    data.from.line1 = "y".repeat(300);
    data.weight_g = u32::MAX;
    data.payment = Payment::Cod {
        cod_amount: Money::inr(i64::MAX),
    };
    data
}

/// Data with nothing in it: the renderer must still produce valid documents.
fn empty() -> LabelData {
    let mut data = sample();
    data.carrier_name.clear();
    data.service.clear();
    data.awb.clear();
    data.order_ref.clear();
    data.to.name.clear();
    data.to.line1.clear();
    data.to.line2 = None;
    data.to.city.clear();
    data.to.state = None;
    data.routing_code = Some(String::new());
    data.description = None;
    data
}

#[test]
fn write_sample_when_asked() {
    if let Some(dir) = std::env::var_os("SHIPGATE_LABEL_OUT") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::write(dir.join("label.pdf"), render_pdf(&sample())).unwrap();
        std::fs::write(dir.join("label.zpl"), render_zpl(&sample())).unwrap();
        std::fs::write(dir.join("hostile.pdf"), render_pdf(&hostile())).unwrap();
        std::fs::write(dir.join("hostile.zpl"), render_zpl(&hostile())).unwrap();
    }
}

// ---------------------------------------------------------------- PDF

#[test]
fn pdf_is_framed_as_pdf_1_4() {
    let pdf = render_pdf(&sample());
    assert!(pdf.starts_with(b"%PDF-1.4\n"));
    assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
}

#[test]
fn pdf_parses_as_one_4x6_page_with_the_label_text() {
    let data = sample();
    let doc = Document::load_mem(&render_pdf(&data)).expect("lopdf parses the label");
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1);
    let page = doc.get_dictionary(pages[&1]).unwrap();
    let media_box: Vec<f32> = page
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_float().unwrap())
        .collect();
    assert_eq!(media_box, [0.0, 0.0, 288.0, 432.0]);

    let text = doc.extract_text(&[1]).unwrap();
    for expected in [
        "1234567890123",
        "Asha Rao",
        "PIN 560001",
        "Phone: 9876543210",
        "DELHIVERY",
        "Surface",
        "BLR/KOR-12",
        "COD: collect INR 1,234.00",
        "Weight: 1.25 kg",
        "Date: 14 Mar 2025",
        "Order: SG-ORD-100045",
        "Contents: 2 x cotton kurta, 1 x dupatta",
        "Kiran Textiles Pvt Ltd",
        "Jaipur, Rajasthan 302013",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

#[test]
fn prepaid_labels_say_so() {
    let mut data = sample();
    data.payment = Payment::Prepaid;
    let text = Document::load_mem(&render_pdf(&data))
        .unwrap()
        .extract_text(&[1])
        .unwrap();
    assert!(text.contains("PREPAID"));
    assert!(!text.contains("COD"));
}

#[test]
fn international_consignee_gets_postal_code_country_and_e164() {
    let mut data = sample();
    data.to.country = "GB".into();
    data.to.postal_code = PostalCode::parse("sw1a 1aa", "GB").unwrap();
    data.to.phone = Phone::parse("+44 20 7946 0958", "GB").unwrap();
    let text = Document::load_mem(&render_pdf(&data))
        .unwrap()
        .extract_text(&[1])
        .unwrap();
    for expected in [
        "Postal code SW1A 1AA",
        "Bengaluru, Karnataka, GB",
        "Phone: +442079460958",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
}

/// Checks the xref table by hand: every in-use entry must land exactly on "N 0 obj".
fn assert_xref_exact(pdf: &[u8]) {
    let tail = std::str::from_utf8(&pdf[pdf.len() - 40..]).unwrap();
    let startxref: usize = tail
        .split("startxref\n")
        .nth(1)
        .and_then(|s| s.lines().next())
        .and_then(|s| s.parse().ok())
        .expect("startxref offset");
    assert!(pdf[startxref..].starts_with(b"xref\n0 "));

    let section = &pdf[startxref + 5..];
    let header_end = section.iter().position(|&b| b == b'\n').unwrap();
    let header = std::str::from_utf8(&section[..header_end]).unwrap();
    let count: usize = header.strip_prefix("0 ").unwrap().parse().unwrap();
    let entries = &section[header_end + 1..];
    assert_eq!(&entries[..20], b"0000000000 65535 f \n");
    for n in 1..count {
        let entry = std::str::from_utf8(&entries[n * 20..(n + 1) * 20]).unwrap();
        assert!(entry.ends_with(" 00000 n \n"), "entry {n}: {entry:?}");
        let offset: usize = entry[..10].parse().unwrap();
        let expected = format!("{n} 0 obj\n");
        assert!(
            pdf[offset..].starts_with(expected.as_bytes()),
            "xref entry {n} points at {:?}",
            String::from_utf8_lossy(&pdf[offset..offset + 12])
        );
    }
    let trailer = std::str::from_utf8(&entries[count * 20..]).unwrap();
    assert!(trailer.starts_with(&format!("trailer\n<< /Size {count} /Root 1 0 R")));
}

#[test]
fn xref_offsets_are_exact() {
    assert_xref_exact(&render_pdf(&sample()));
    assert_xref_exact(&render_pdf(&hostile()));
    assert_xref_exact(&render_pdf(&empty()));
}

/// The `re` rectangles of the page as (x, y, w, h).
fn rectangles(pdf: &[u8]) -> Vec<[f32; 4]> {
    let doc = Document::load_mem(pdf).unwrap();
    let page = doc.get_pages()[&1];
    let content = Content::decode(&doc.get_page_content(page)).unwrap();
    content
        .operations
        .iter()
        .filter(|op| op.operator == "re")
        .map(|op| {
            let v: Vec<f32> = op.operands.iter().map(|o| o.as_float().unwrap()).collect();
            [v[0], v[1], v[2], v[3]]
        })
        .collect()
}

/// Reads the barcode back from the drawing: the bars are the largest set of rectangles
/// sharing one baseline and height; their edges give bar and space widths in modules.
fn barcode_from_pdf(pdf: &[u8]) -> (String, f32, f32, f32) {
    let rects = rectangles(pdf);
    let key = |r: &[f32; 4]| ((r[1] * 10.0).round() as i64, (r[3] * 10.0).round() as i64);
    let mut bars: Vec<[f32; 4]> = Vec::new();
    for r in &rects {
        let same: Vec<[f32; 4]> = rects.iter().copied().filter(|o| key(o) == key(r)).collect();
        if same.len() > bars.len() {
            bars = same;
        }
    }
    bars.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let mut edges = Vec::new();
    for (i, bar) in bars.iter().enumerate() {
        edges.push(bar[2]);
        if let Some(next) = bars.get(i + 1) {
            edges.push(next[0] - (bar[0] + bar[2]));
        }
    }
    // Every Code 128 symbol has a one-module element, so the narrowest is one module.
    let module = edges.iter().copied().fold(f32::INFINITY, f32::min);
    let widths: Vec<usize> = edges
        .iter()
        .map(|w| (w / module).round() as usize)
        .collect();
    for (w, edge) in widths.iter().zip(&edges) {
        assert!(
            (*w as f32 * module - edge).abs() < 0.01,
            "bar edges off the module grid"
        );
    }
    let left = bars[0][0];
    let right = bars.last().map(|b| b[0] + b[2]).unwrap();
    (decode_code128(&widths), module, left, right)
}

/// An independent Code 128 reader (sets B and C): element widths to text, checking the
/// pattern of every symbol, the stop pattern and the mod-103 checksum.
fn decode_code128(widths: &[usize]) -> String {
    assert!(widths.len() >= 6 + 6 + 7 && (widths.len() - 7).is_multiple_of(6));
    let (body, stop) = widths.split_at(widths.len() - 7);
    assert!(
        stop.iter()
            .copied()
            .eq(STOP.iter().map(|&w| usize::from(w)))
    );
    let symbols: Vec<usize> = body
        .chunks(6)
        .map(|chunk| {
            PATTERNS
                .iter()
                .position(|p| p.iter().map(|&w| usize::from(w)).eq(chunk.iter().copied()))
                .unwrap_or_else(|| panic!("not a Code 128 symbol: {chunk:?}"))
        })
        .collect();
    let (check, data) = symbols.split_last().unwrap();
    let weighted: usize = data.iter().enumerate().map(|(i, s)| i.max(1) * s).sum();
    assert_eq!(weighted % 103, *check, "checksum");

    let mut set_c = match data[0] {
        104 => false,
        105 => true,
        other => panic!("unexpected start symbol {other}"),
    };
    let mut text = String::new();
    for &s in &data[1..] {
        match (set_c, s) {
            (false, 99) => set_c = true,
            (true, 100) => set_c = false,
            (true, pair) => text.push_str(&format!("{pair:02}")),
            (false, value) => text.push(char::from(value as u8 + b' ')),
        }
    }
    text
}

#[test]
fn barcode_rectangles_decode_to_the_awb() {
    for awb in [
        "1234567890123",
        "123456789012345",
        "SR12345678IN",
        "AB(1)\\^~_>9",
    ] {
        let mut data = sample();
        data.awb = awb.into();
        let (decoded, module, left, right) = barcode_from_pdf(&render_pdf(&data));
        assert_eq!(decoded, awb);
        // At least one point per module (three dots at 203 dpi) so it scans when printed.
        assert!(module >= 1.0, "{awb}: module {module}");
        // Quiet zones of ten modules inside the 6 pt frame.
        assert!(left - 10.0 * module >= 6.0 && right + 10.0 * module <= 282.0);
        // Centred.
        assert!((left + right - 288.0).abs() < 0.01);
    }
}

#[test]
fn everything_drawn_lies_on_the_page() {
    for data in [sample(), hostile(), empty()] {
        for [x, y, w, h] in rectangles(&render_pdf(&data)) {
            assert!(x >= 0.0 && y >= 0.0 && x + w <= 288.0 && y + h <= 432.0);
        }
        let doc = Document::load_mem(&render_pdf(&data)).unwrap();
        let content = Content::decode(&doc.get_page_content(doc.get_pages()[&1])).unwrap();
        for op in content.operations.iter().filter(|op| op.operator == "Td") {
            let x = op.operands[0].as_float().unwrap();
            let y = op.operands[1].as_float().unwrap();
            // Text starts inside the frame, clear of the bottom edge.
            assert!(
                (6.0..282.0).contains(&x) && (10.0..426.0).contains(&y),
                "{x} {y}"
            );
        }
    }
}

#[test]
fn hostile_text_keeps_the_pdf_valid() {
    let pdf = render_pdf(&hostile());
    let doc = Document::load_mem(&pdf).expect("still parses");
    let text = doc.extract_text(&[1]).unwrap();
    // Delimiters survive as text rather than ending the string early.
    assert!(
        text.contains("Zoë O'Brien (Jr.) \\ ^FD~ ?????? ??"),
        "{text}"
    );
    assert!(text.contains("ORD)(\\) ^FS^XZ~DG"), "{text}");
    // The absurd COD amount and weight are printed, not overflowed.
    assert!(text.contains("INR 92,23,37,20,36,85,47,758.07"), "{text}");
    assert!(text.contains("4294967.295 kg"), "{text}");
    // Long fields are cut to the line, not run off the page.
    assert!(text.contains("xxx..."), "{text}");
    // Every string literal is closed: the content stream tokenises into operators only.
    let content = Content::decode(&doc.get_page_content(doc.get_pages()[&1])).unwrap();
    assert!(
        content.operations.iter().all(
            |op| ["g", "re", "f", "BT", "Tf", "Td", "Tj", "ET"].contains(&op.operator.as_str())
        )
    );
}

#[test]
fn unencodable_awb_is_printed_without_a_barcode() {
    for awb in ["", "AWB\u{20b9}1"] {
        let mut data = sample();
        data.awb = awb.into();
        let pdf = render_pdf(&data);
        assert_xref_exact(&pdf);
        // Only the frame and the section separators: no bar rectangles.
        assert!(
            rectangles(&pdf)
                .iter()
                .all(|r| r[2] > 200.0 || r[3] > 200.0)
        );
        assert!(!render_zpl(&data).contains("^BC"));
    }
}

#[test]
fn output_is_deterministic() {
    assert_eq!(render_pdf(&sample()), render_pdf(&sample()));
    assert_eq!(render_zpl(&sample()), render_zpl(&sample()));
    assert_eq!(render(&sample(), LabelFormat::Pdf), render_pdf(&sample()));
    assert_eq!(
        render(&sample(), LabelFormat::Zpl),
        render_zpl(&sample()).into_bytes()
    );
}

// ---------------------------------------------------------------- ZPL

/// The ^FD data of every field, with the command that introduced the field's content.
fn zpl_fields(zpl: &str) -> Vec<String> {
    zpl.split("^FD")
        .skip(1)
        .map(|rest| rest.split("^FS").next().unwrap().to_string())
        .collect()
}

/// Reads ^BC mode-N data back to text: start and switch invocations, digit pairs in C,
/// characters (with the `>0`, `><`, `>=` escapes) in B.
fn decode_zpl_barcode(data: &str) -> String {
    let mut chars = data.chars();
    let mut text = String::new();
    let mut set_c = false;
    while let Some(c) = chars.next() {
        if c == '>' {
            match chars.next().unwrap() {
                ':' | '6' => set_c = false,
                ';' | '5' => set_c = true,
                '0' => text.push('>'),
                '<' => text.push('^'),
                '=' => text.push('~'),
                other => panic!("unexpected invocation >{other}"),
            }
        } else if set_c {
            text.push(c);
            text.push(chars.next().unwrap());
        } else {
            text.push(c);
        }
    }
    text
}

/// Structural validity: one format, every `^` starts a command we emit, no `~` control
/// command anywhere, and field data free of command characters.
fn assert_zpl_valid(zpl: &str) {
    assert!(zpl.starts_with("^XA\n^CI28\n^PW812\n^LL1218\n"));
    assert!(zpl.ends_with("^XZ\n"));
    assert_eq!(zpl.matches("^XA").count(), 1);
    assert_eq!(zpl.matches("^XZ").count(), 1);
    assert!(!zpl.contains('~'));
    assert!(zpl.is_ascii());
    const COMMANDS: [&str; 15] = [
        "XA", "XZ", "CI", "PW", "LL", "LH", "FO", "FT", "GB", "A0", "FH", "FD", "FS", "BY", "BC",
    ];
    for command in zpl.split('^').skip(1) {
        assert!(
            COMMANDS.iter().any(|c| command.starts_with(c)),
            "unexpected command ^{command}"
        );
    }
}

#[test]
fn zpl_has_the_label_and_the_barcode() {
    let zpl = render_zpl(&sample());
    assert_zpl_valid(&zpl);
    assert!(zpl.contains("^BY5^BCN,180,N,N,N,N^FD"));
    let fields = zpl_fields(&zpl);
    let barcode = zpl.split("^BC").nth(1).unwrap();
    let barcode_data = barcode
        .split("^FD")
        .nth(1)
        .unwrap()
        .split("^FS")
        .next()
        .unwrap();
    assert_eq!(barcode_data, ">;123456789012>63");
    assert_eq!(decode_zpl_barcode(barcode_data), "1234567890123");
    for expected in [
        "1234567890123",
        "Asha Rao",
        "PIN 560001",
        "COD: collect INR 1,234.00",
    ] {
        assert!(
            fields.iter().any(|f| f == expected),
            "{expected:?} in {fields:?}"
        );
    }
}

#[test]
fn hostile_text_cannot_inject_zpl() {
    let data = hostile();
    let zpl = render_zpl(&data);
    assert_zpl_valid(&zpl);
    let barcode = zpl.split("^BC").nth(1).unwrap();
    let barcode_data = barcode
        .split("^FD")
        .nth(1)
        .unwrap()
        .split("^FS")
        .next()
        .unwrap();
    assert_eq!(decode_zpl_barcode(barcode_data), data.awb);
    // ^ ~ _ and UTF-8 bytes arrive as ^FH hex escapes.
    assert!(zpl.contains("^FH_^FDZo_C3_AB O'Brien (Jr.) \\ _5EFD_7E ?????? ??^FS"));
    assert!(zpl.contains("^FDOrder: ORD)(\\) _5EFS_5EXZ_7EDG^FS"));
}

#[test]
fn empty_data_still_renders_both_formats() {
    let data = empty();
    assert_zpl_valid(&render_zpl(&data));
    let doc = Document::load_mem(&render_pdf(&data)).unwrap();
    assert_eq!(doc.get_pages().len(), 1);
}
