//! The manifest handover sheet: the A4 list of parcels a seller hands to the courier at a
//! pickup, signed by both. Indian couriers' pickup agents scan each AWB off it, so every
//! line carries the AWB as a Code 128 barcode; the totals (shipments, pieces, cash to
//! collect) and the two signature boxes are what a dispute about a missing parcel rests
//! on.
//!
//! Drawn with the label's layout items and PDF writer ([`super::pdf::write_pages`]), so
//! it needs no PDF crate and is deterministic: the same manifest gives the same bytes.
//! Long manifests run over several pages, the header and column titles repeated on each;
//! the totals and signatures close the last page (on a page of their own when the rows
//! fill it).

use chrono::NaiveDate;

use super::code128::Code128;
use super::layout::{Align, Item, money};
use super::pdf;
use super::text::{Font, clean, fit};
use crate::schema::{Currency, Money};

/// A4 in points.
pub const WIDTH: f32 = 595.0;
pub const HEIGHT: f32 = 842.0;
const LEFT: f32 = 36.0;
const RIGHT: f32 = WIDTH - 36.0;
/// Where the table starts and how much a row takes.
const TABLE_TOP: f32 = 178.0;
const ROW: f32 = 46.0;
const BAR_HEIGHT: f32 = 24.0;
const FOOTER: f32 = 60.0;
/// Room the totals and signature boxes need below the last row.
const CLOSING: f32 = 190.0;
/// Column left edges: #, AWB (barcode), order reference, COD, pieces.
const COL_NO: f32 = LEFT;
const COL_AWB: f32 = LEFT + 28.0;
const COL_ORDER: f32 = LEFT + 250.0;
const COL_COD_RIGHT: f32 = RIGHT - 60.0;
const COL_PIECES_RIGHT: f32 = RIGHT - 4.0;
const AWB_WIDTH: f32 = 210.0;

/// One parcel on the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverLine {
    pub awb: String,
    pub order_ref: String,
    /// Cash to collect in minor units of the sheet's currency (0: prepaid).
    pub cod_amount: i64,
    pub pieces: u32,
}

/// Everything printed on a handover sheet.
#[derive(Debug, Clone)]
pub struct HandoverSheet {
    pub manifest_id: String,
    /// "Delhivery", "Shiprocket".
    pub carrier_name: String,
    pub carrier_account: String,
    /// The carrier's own manifest id, where it made one.
    pub carrier_manifest_id: Option<String>,
    pub location_name: String,
    pub location_address: String,
    pub date: NaiveDate,
    pub currency: Currency,
    pub lines: Vec<HandoverLine>,
}

impl HandoverSheet {
    pub fn cod_total(&self) -> Money {
        Money {
            amount: self.lines.iter().map(|l| l.cod_amount).sum(),
            currency: self.currency.clone(),
        }
    }

    pub fn pieces(&self) -> u64 {
        self.lines.iter().map(|l| u64::from(l.pieces)).sum()
    }
}

fn text(x: f32, baseline: f32, size: f32, font: Font, align: Align, s: &str) -> Item {
    Item::Text {
        x,
        align,
        baseline,
        size,
        font,
        text: clean(s),
    }
}

fn rule(x: f32, y: f32, w: f32, h: f32) -> Item {
    Item::Rule { x, y, w, h }
}

/// A box outline.
fn frame(items: &mut Vec<Item>, x: f32, y: f32, w: f32, h: f32) {
    items.push(rule(x, y, w, 0.8));
    items.push(rule(x, y + h - 0.8, w, 0.8));
    items.push(rule(x, y, 0.8, h));
    items.push(rule(x + w - 0.8, y, 0.8, h));
}

fn rows_per_page() -> usize {
    ((HEIGHT - FOOTER - TABLE_TOP) / ROW) as usize
}

/// The PDF.
pub fn render(sheet: &HandoverSheet) -> Vec<u8> {
    let per_page = rows_per_page();
    let mut chunks: Vec<&[HandoverLine]> = sheet.lines.chunks(per_page).collect();
    if chunks.is_empty() {
        chunks.push(&[]);
    }
    // The closing block needs room below the last row; else it takes a page of its own.
    let last_rows = chunks.last().map_or(0, |c| c.len());
    let closing_fits = TABLE_TOP + last_rows as f32 * ROW + CLOSING <= HEIGHT - FOOTER;
    let pages = chunks.len() + usize::from(!closing_fits);
    let mut out = Vec::new();
    let mut number = 0;
    for (i, chunk) in chunks.iter().enumerate() {
        let mut items = header(sheet, i + 1, pages);
        let first = i * per_page;
        for (j, line) in chunk.iter().enumerate() {
            row(
                &mut items,
                first + j + 1,
                TABLE_TOP + j as f32 * ROW,
                line,
                &sheet.currency,
            );
        }
        number = first + chunk.len();
        let is_last = i + 1 == chunks.len();
        if is_last && closing_fits {
            closing(
                &mut items,
                sheet,
                TABLE_TOP + chunk.len() as f32 * ROW + 14.0,
            );
        }
        out.push(items);
    }
    if !closing_fits {
        let mut items = header(sheet, pages, pages);
        closing(&mut items, sheet, TABLE_TOP);
        out.push(items);
    }
    debug_assert_eq!(number, sheet.lines.len());
    let title = format!("{} manifest {}", sheet.carrier_name, sheet.manifest_id);
    pdf::write_pages(&out, (WIDTH, HEIGHT), &clean(&title), sheet.date)
}

fn header(sheet: &HandoverSheet, page: usize, pages: usize) -> Vec<Item> {
    let mut items = vec![
        text(
            LEFT,
            52.0,
            18.0,
            Font::Bold,
            Align::Left,
            "Manifest - handover sheet",
        ),
        text(
            RIGHT,
            52.0,
            10.0,
            Font::Regular,
            Align::Right,
            &format!("Page {page} of {pages}"),
        ),
        rule(LEFT, 60.0, RIGHT - LEFT, 1.5),
    ];
    let carrier = match &sheet.carrier_manifest_id {
        Some(id) => format!(
            "{} (account {}), carrier manifest {id}",
            sheet.carrier_name, sheet.carrier_account
        ),
        None => format!("{} (account {})", sheet.carrier_name, sheet.carrier_account),
    };
    let lines = [
        ("Manifest", sheet.manifest_id.clone()),
        ("Carrier", carrier),
        ("Pickup location", sheet.location_name.clone()),
        ("Address", sheet.location_address.clone()),
        ("Date", sheet.date.format("%Y-%m-%d").to_string()),
    ];
    for (k, (label, value)) in lines.iter().enumerate() {
        let baseline = 80.0 + k as f32 * 15.0;
        items.push(text(LEFT, baseline, 9.5, Font::Bold, Align::Left, label));
        let value = fit(&clean(value), Font::Regular, 9.5, RIGHT - LEFT - 100.0);
        items.push(text(
            LEFT + 100.0,
            baseline,
            9.5,
            Font::Regular,
            Align::Left,
            &value,
        ));
    }
    let titles = 168.0;
    items.push(text(COL_NO, titles, 9.0, Font::Bold, Align::Left, "#"));
    items.push(text(COL_AWB, titles, 9.0, Font::Bold, Align::Left, "AWB"));
    items.push(text(
        COL_ORDER,
        titles,
        9.0,
        Font::Bold,
        Align::Left,
        "Order reference",
    ));
    items.push(text(
        COL_COD_RIGHT,
        titles,
        9.0,
        Font::Bold,
        Align::Right,
        "COD amount",
    ));
    items.push(text(
        COL_PIECES_RIGHT,
        titles,
        9.0,
        Font::Bold,
        Align::Right,
        "Pieces",
    ));
    items.push(rule(LEFT, TABLE_TOP - 4.0, RIGHT - LEFT, 1.0));
    items.push(text(
        LEFT,
        HEIGHT - 30.0,
        8.0,
        Font::Regular,
        Align::Left,
        "Produced by shipgate. The courier signs for the parcels listed; a parcel not listed was not handed over.",
    ));
    items
}

fn row(items: &mut Vec<Item>, n: usize, top: f32, line: &HandoverLine, currency: &Currency) {
    let baseline = top + 16.0;
    items.push(text(
        COL_NO,
        baseline,
        9.0,
        Font::Regular,
        Align::Left,
        &n.to_string(),
    ));
    // An AWB no barcode can carry is still printed as text below.
    if let Ok(code) = Code128::encode(&line.awb) {
        let module = (AWB_WIDTH / code.modules() as f32).min(1.2);
        items.push(Item::Barcode {
            x: COL_AWB,
            y: top + 2.0,
            height: BAR_HEIGHT,
            module_dots: 1,
            module,
            code,
        });
    }
    items.push(text(
        COL_AWB,
        top + BAR_HEIGHT + 13.0,
        9.0,
        Font::Bold,
        Align::Left,
        &line.awb,
    ));
    let order = fit(
        &clean(&line.order_ref),
        Font::Regular,
        9.0,
        COL_COD_RIGHT - COL_ORDER - 90.0,
    );
    items.push(text(
        COL_ORDER,
        baseline,
        9.0,
        Font::Regular,
        Align::Left,
        &order,
    ));
    let cod = match line.cod_amount {
        0 => "prepaid".to_string(),
        amount => money(&Money {
            amount,
            currency: currency.clone(),
        }),
    };
    items.push(text(
        COL_COD_RIGHT,
        baseline,
        9.0,
        Font::Regular,
        Align::Right,
        &cod,
    ));
    items.push(text(
        COL_PIECES_RIGHT,
        baseline,
        9.0,
        Font::Regular,
        Align::Right,
        &line.pieces.to_string(),
    ));
    items.push(rule(LEFT, top + ROW - 2.0, RIGHT - LEFT, 0.4));
}

fn closing(items: &mut Vec<Item>, sheet: &HandoverSheet, top: f32) {
    items.push(rule(LEFT, top, RIGHT - LEFT, 1.0));
    let totals = [
        ("Total shipments", sheet.lines.len().to_string()),
        ("Total pieces", sheet.pieces().to_string()),
        ("Total COD to collect", money(&sheet.cod_total())),
    ];
    for (k, (label, value)) in totals.iter().enumerate() {
        let baseline = top + 18.0 + k as f32 * 15.0;
        items.push(text(LEFT, baseline, 10.5, Font::Bold, Align::Left, label));
        items.push(text(
            LEFT + 150.0,
            baseline,
            10.5,
            Font::Regular,
            Align::Left,
            value,
        ));
    }
    let boxes = top + 70.0;
    let width = (RIGHT - LEFT - 20.0) / 2.0;
    for (k, who) in ["Handed over by (seller)", "Received by (courier)"]
        .iter()
        .enumerate()
    {
        let x = LEFT + k as f32 * (width + 20.0);
        frame(items, x, boxes, width, 100.0);
        items.push(text(
            x + 8.0,
            boxes + 16.0,
            9.5,
            Font::Bold,
            Align::Left,
            who,
        ));
        for (m, field) in ["Name", "Signature", "Date and time"].iter().enumerate() {
            let baseline = boxes + 40.0 + m as f32 * 24.0;
            items.push(text(
                x + 8.0,
                baseline,
                8.5,
                Font::Regular,
                Align::Left,
                field,
            ));
            items.push(rule(x + 80.0, baseline + 2.0, width - 92.0, 0.5));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(n: usize) -> HandoverSheet {
        HandoverSheet {
            manifest_id: "mf_1".into(),
            carrier_name: "Delhivery".into(),
            carrier_account: "delhivery".into(),
            carrier_manifest_id: None,
            location_name: "Okhla WH-1".into(),
            location_address: "Plot 4, Industrial Area, New Delhi 110020".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            currency: Currency::inr(),
            lines: (0..n)
                .map(|i| HandoverLine {
                    awb: format!("1490{i:010}"),
                    order_ref: format!("ORD-{i}"),
                    cod_amount: if i % 2 == 0 { 120_000 } else { 0 },
                    pieces: 1,
                })
                .collect(),
        }
    }

    fn page_count(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        let at = text.find("/Count ").unwrap() + 7;
        text[at..].split(' ').next().unwrap().parse().unwrap()
    }

    #[test]
    fn one_page_for_a_short_manifest_more_for_a_long_one() {
        let short = render(&sheet(3));
        assert!(short.starts_with(b"%PDF-1.4"));
        assert_eq!(page_count(&short), 1);
        let text = String::from_utf8_lossy(&short);
        assert!(text.contains("(14900000000000)"), "the AWB is printed");
        assert!(text.contains("(INR 2,400.00)"), "the COD total");
        assert!(text.contains("(Received by \\(courier\\))"));
        let long = render(&sheet(40));
        assert_eq!(page_count(&long), 40_usize.div_ceil(rows_per_page()));
        // A full last page leaves no room for the totals: they take a page of their own.
        let full = render(&sheet(rows_per_page()));
        assert_eq!(page_count(&full), 2);
        assert_eq!(render(&sheet(40)), long, "deterministic");
        assert_eq!(page_count(&render(&sheet(0))), 1);
    }
}
