//! Where everything goes on the 4×6 inch label, decided once for both output formats.
//!
//! The layout is a list of positioned text runs, filled rectangles and the barcode, in
//! points from the top-left corner. The PDF and ZPL writers only translate it, so the two
//! formats cannot drift apart, and every fitting decision (truncation, wrapping, barcode
//! module width) is made here against Helvetica's metrics.
//!
//! Top to bottom, as Indian couriers print them: carrier and service, the routing code,
//! the AWB barcode, the consignee (the block the delivery agent reads), payment and parcel
//! details, then the shipper as the return address. Each block has a fixed line budget, so
//! the label never overflows however long the input is.

use crate::schema::{Address, Money, Payment};

use super::LabelData;
use super::code128::Code128;
use super::text::{Font, clean, fit, wrap};

/// Page size: 4 × 6 inches.
pub const WIDTH: f32 = 288.0;
pub const HEIGHT: f32 = 432.0;
/// One printer dot at 203 dpi, in points. Barcode modules are whole dots so that a
/// thermal printer draws every bar the same width.
pub const DOT: f32 = 72.0 / 203.0;

/// Inset of the outer frame, which keeps content clear of the printer's unprintable edge.
const FRAME: f32 = 6.0;
const RULE: f32 = 1.0;
const LEFT: f32 = 14.0;
const RIGHT: f32 = WIDTH - LEFT;
const CONTENT: f32 = RIGHT - LEFT;
const BAR_HEIGHT: f32 = 64.0;
/// Blank modules required on each side of a Code 128 symbol.
const QUIET_MODULES: usize = 10;
/// Widest module tried, in dots; wider bars read more reliably, up to the label's width.
const MAX_MODULE_DOTS: u32 = 5;

/// Which point of a text line its `x` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

impl Align {
    /// The left edge of a line `width` wide anchored at `x`.
    pub fn left_edge(self, x: f32, width: f32) -> f32 {
        match self {
            Align::Left => x,
            Align::Center => x - width / 2.0,
            Align::Right => x - width,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Item {
    /// One line of already-fitted text. The writers resolve the alignment with their own
    /// font's widths, so centred text stays centred on the printer too.
    Text {
        x: f32,
        align: Align,
        baseline: f32,
        size: f32,
        font: Font,
        text: String,
    },
    /// A filled black rectangle (frame lines and separators).
    Rule { x: f32, y: f32, w: f32, h: f32 },
    /// The AWB barcode; `x` is the first bar's left edge, quiet zones lie outside it.
    Barcode {
        x: f32,
        y: f32,
        height: f32,
        /// Module width in printer dots (what ZPL's ^BY takes).
        module_dots: u32,
        /// Module width in points; `module_dots` dots unless even one dot is too wide.
        module: f32,
        code: Code128,
    },
}

pub fn build(data: &LabelData) -> Vec<Item> {
    let mut b = Builder {
        items: frame(),
        y: FRAME,
    };
    b.header(&data.carrier_name, &data.service);
    if let Some(code) = data.routing_code.as_deref().map(clean)
        && !code.is_empty()
    {
        b.routing(&code);
    }
    b.barcode(&data.awb);
    b.ship_to(&data.to);
    b.details(data);
    b.ship_from(&data.from);
    b.items
}

fn frame() -> Vec<Item> {
    let (w, h) = (WIDTH - 2.0 * FRAME, HEIGHT - 2.0 * FRAME);
    vec![
        Item::Rule {
            x: FRAME,
            y: FRAME,
            w,
            h: RULE,
        },
        Item::Rule {
            x: FRAME,
            y: HEIGHT - FRAME - RULE,
            w,
            h: RULE,
        },
        Item::Rule {
            x: FRAME,
            y: FRAME,
            w: RULE,
            h,
        },
        Item::Rule {
            x: WIDTH - FRAME - RULE,
            y: FRAME,
            w: RULE,
            h,
        },
    ]
}

struct Builder {
    items: Vec<Item>,
    /// Top of the next line.
    y: f32,
}

impl Builder {
    fn text(&mut self, anchor: (f32, Align), baseline: f32, size: f32, font: Font, text: String) {
        if !text.is_empty() {
            let (x, align) = anchor;
            self.items.push(Item::Text {
                x,
                align,
                baseline,
                size,
                font,
                text,
            });
        }
    }

    /// One left-aligned line, cut to the content width.
    fn line(&mut self, text: &str, font: Font, size: f32) {
        let baseline = self.y + size;
        let text = fit(text, font, size, CONTENT);
        self.text((LEFT, Align::Left), baseline, size, font, text);
        self.y += size * 1.2;
    }

    /// Up to `max_lines` left-aligned lines.
    fn paragraph(&mut self, text: &str, font: Font, size: f32, max_lines: usize) {
        for line in wrap(text, font, size, CONTENT, max_lines) {
            self.line(&line, font, size);
        }
    }

    fn centered(&mut self, baseline: f32, size: f32, font: Font, text: &str) {
        let text = fit(text, font, size, CONTENT);
        self.text((WIDTH / 2.0, Align::Center), baseline, size, font, text);
    }

    fn right(&mut self, baseline: f32, size: f32, font: Font, text: String) {
        self.text((RIGHT, Align::Right), baseline, size, font, text);
    }

    /// A full-width separator at the current position, with a little air below it.
    fn separator(&mut self, gap_above: f32) {
        let y = self.y + gap_above;
        self.items.push(Item::Rule {
            x: FRAME,
            y,
            w: WIDTH - 2.0 * FRAME,
            h: RULE,
        });
        self.y = y + RULE + 4.0;
    }

    fn header(&mut self, carrier: &str, service: &str) {
        let baseline = self.y + 24.0;
        let service = fit(&clean(service), Font::Regular, 11.0, CONTENT * 0.45);
        let service_width = Font::Regular.width(&service, 11.0);
        let carrier = fit(
            &clean(carrier).to_uppercase(),
            Font::Bold,
            16.0,
            CONTENT - service_width - 8.0,
        );
        self.text((LEFT, Align::Left), baseline, 16.0, Font::Bold, carrier);
        self.right(baseline, 11.0, Font::Regular, service);
        self.y = baseline + 6.0;
        self.separator(0.0);
    }

    /// The sort code the hub reads from across a conveyor: as large as fits.
    fn routing(&mut self, code: &str) {
        let size = size_to_fit(code, Font::Bold, 14.0, 30.0);
        let baseline = self.y + 4.0 + size * 0.75;
        self.centered(baseline, size, Font::Bold, code);
        self.y = baseline + size * 0.25;
        self.separator(2.0);
    }

    fn barcode(&mut self, awb: &str) {
        let top = self.y + 6.0;
        match Code128::encode(awb) {
            Ok(code) => {
                let (module_dots, module) = module_width(code.modules());
                let x = (WIDTH - code.modules() as f32 * module) / 2.0;
                self.items.push(Item::Barcode {
                    x,
                    y: top,
                    height: BAR_HEIGHT,
                    module_dots,
                    module,
                    code,
                });
                let baseline = top + BAR_HEIGHT + 15.0;
                self.centered(baseline, 13.0, Font::Bold, awb);
                self.y = baseline + 3.0;
            }
            // An AWB a barcode cannot carry (empty, or non-ASCII from a misbehaving
            // carrier) still gets printed, so the parcel can be keyed in by hand.
            Err(_) => {
                let baseline = top + 20.0;
                let text = format!("AWB {}", clean(awb));
                self.centered(baseline, 13.0, Font::Bold, text.trim_end());
                self.y = baseline + 3.0;
            }
        }
        self.separator(2.0);
    }

    fn ship_to(&mut self, to: &Address) {
        self.line("SHIP TO", Font::Bold, 8.0);
        let name = clean(&to.name);
        self.line(
            &name,
            Font::Bold,
            size_to_fit(&name, Font::Bold, 10.0, 14.0),
        );
        self.paragraph(&clean(&to.street()), Font::Regular, 11.0, 3);
        self.line(&clean(&place(to)), Font::Regular, 11.0);
        let postal = clean(to.postal_code.as_str());
        let label = if to.country == "IN" {
            "PIN"
        } else {
            "Postal code"
        };
        self.line(&format!("{label} {postal}"), Font::Bold, 16.0);
        self.line(
            &format!("Phone: {}", clean(&phone(to))),
            Font::Regular,
            10.0,
        );
        self.separator(0.0);
    }

    fn details(&mut self, data: &LabelData) {
        let payment = match &data.payment {
            Payment::Prepaid => "PREPAID".to_string(),
            Payment::Cod { cod_amount } => format!("COD: collect {}", money(cod_amount)),
        };
        // Shrunk rather than cut: a truncated amount to collect would be worse than none.
        self.line(
            &payment,
            Font::Bold,
            size_to_fit(&payment, Font::Bold, 8.0, 14.0),
        );

        let date = format!("Date: {}", data.created.format("%d %b %Y"));
        let date_width = Font::Regular.width(&date, 10.0);
        let weight = fit(
            &format!("Weight: {} kg", kilograms(data.weight_g)),
            Font::Regular,
            10.0,
            CONTENT - date_width - 8.0,
        );
        let baseline = self.y + 10.0;
        self.text((LEFT, Align::Left), baseline, 10.0, Font::Regular, weight);
        self.right(baseline, 10.0, Font::Regular, date);
        self.y += 12.0;

        self.line(
            &format!("Order: {}", clean(&data.order_ref)),
            Font::Regular,
            10.0,
        );
        if let Some(description) = data.description.as_deref().map(clean)
            && !description.is_empty()
        {
            self.paragraph(&format!("Contents: {description}"), Font::Regular, 9.0, 2);
        }
        self.separator(0.0);
    }

    fn ship_from(&mut self, from: &Address) {
        self.line("FROM / RETURN TO", Font::Bold, 7.0);
        self.line(&clean(&from.name), Font::Bold, 9.0);
        self.paragraph(&clean(&from.street()), Font::Regular, 8.0, 2);
        let place = format!("{} {}", place(from), from.postal_code.as_str());
        self.line(&clean(&place), Font::Regular, 8.0);
        self.line(
            &format!("Phone: {}", clean(&phone(from))),
            Font::Regular,
            8.0,
        );
    }
}

/// The largest size in `min..=max` at which `text` spans at most the content width (then
/// [`fit`] cuts what still does not fit at `min`).
fn size_to_fit(text: &str, font: Font, min: f32, max: f32) -> f32 {
    let at_one_point = font.width(text, 1.0);
    if at_one_point <= 0.0 {
        return max;
    }
    // Rounded down to a tenth of a point, so that float error cannot leave the text a
    // hair too wide (and then cut).
    ((CONTENT / at_one_point * 10.0).floor() / 10.0).clamp(min, max)
}

/// The widest whole-dot module for which the symbol and its quiet zones fit inside the
/// frame; a symbol too long even at one dot is squeezed to fit (it may not scan, but the
/// label still prints and the AWB text is there).
fn module_width(modules: usize) -> (u32, f32) {
    let room = WIDTH - 2.0 * (FRAME + RULE);
    let needed = (modules + 2 * QUIET_MODULES) as f32;
    for dots in (1..=MAX_MODULE_DOTS).rev() {
        if needed * dots as f32 * DOT <= room {
            return (dots, dots as f32 * DOT);
        }
    }
    (1, room / needed)
}

/// "City, State" plus the country when it is not India.
fn place(a: &Address) -> String {
    let mut parts = vec![a.city.as_str()];
    parts.extend(a.state.as_deref());
    if a.country != "IN" {
        parts.push(&a.country);
    }
    parts.retain(|p| !p.trim().is_empty());
    parts.join(", ")
}

/// The ten-digit number Indian delivery agents dial, or E.164 elsewhere. (Not
/// `Phone::national`, which slices the first byte and panics on an empty number.)
fn phone(a: &Address) -> String {
    let e164 = a.phone.e164();
    match e164.strip_prefix("+91") {
        Some(national) if a.country == "IN" && !national.is_empty() => national.to_string(),
        _ => e164.to_string(),
    }
}

/// Grams as kilograms with two decimals, or three when the grams need them: "0.50",
/// "1.255". Integer arithmetic, so no float rounding and no overflow for any u32.
pub fn kilograms(grams: u32) -> String {
    let (kg, g) = (grams / 1000, grams % 1000);
    if g % 10 == 0 {
        format!("{kg}.{:02}", g / 10)
    } else {
        format!("{kg}.{g:03}")
    }
}

/// "INR 1,23,456.00": rupees grouped the Indian way (lakh, crore) as Indian couriers and
/// customers read them; other currencies in groups of three.
pub fn money(m: &Money) -> String {
    let major = m.to_major_string();
    let (sign, unsigned) = match major.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", major.as_str()),
    };
    // As many decimals as the currency has: none for JPY, three for KWD.
    let (int, frac) = match unsigned.split_once('.') {
        Some((int, frac)) => (int, format!(".{frac}")),
        None => (unsigned, String::new()),
    };
    let indian = m.currency.as_str() == "INR";
    format!(
        "{} {sign}{}{frac}",
        clean(m.currency.as_str()),
        group(int, indian)
    )
}

fn group(digits: &str, indian: bool) -> String {
    let split = digits.len().saturating_sub(3);
    let (head, tail) = digits.split_at(split);
    let size = if indian { 2 } else { 3 };
    let mut groups: Vec<&str> = Vec::new();
    let mut end = head.len();
    while end > 0 {
        let start = end.saturating_sub(size);
        groups.push(&head[start..end]);
        end = start;
    }
    groups.reverse();
    groups.push(tail);
    groups.retain(|g| !g.is_empty());
    groups.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights() {
        assert_eq!(kilograms(0), "0.00");
        assert_eq!(kilograms(500), "0.50");
        assert_eq!(kilograms(1255), "1.255");
        assert_eq!(kilograms(12_000), "12.00");
        assert_eq!(kilograms(u32::MAX), "4294967.295");
    }

    #[test]
    fn amounts() {
        assert_eq!(money(&Money::inr(123_400)), "INR 1,234.00");
        assert_eq!(money(&Money::inr(12_345_678)), "INR 1,23,456.78");
        assert_eq!(money(&Money::inr(5)), "INR 0.05");
        assert_eq!(money(&Money::inr(-99_900)), "INR -999.00");
        assert_eq!(
            money(&Money::inr(i64::MIN)),
            "INR -92,23,37,20,36,85,47,758.08"
        );
        let usd = Money {
            amount: 123_456_789,
            currency: crate::schema::Currency::parse("USD").unwrap(),
        };
        assert_eq!(money(&usd), "USD 1,234,567.89");
        let jpy = Money {
            amount: 1_234_567,
            currency: crate::schema::Currency::parse("JPY").unwrap(),
        };
        assert_eq!(money(&jpy), "JPY 1,234,567");
        let kwd = Money {
            amount: 1_234_567,
            currency: crate::schema::Currency::parse("KWD").unwrap(),
        };
        assert_eq!(money(&kwd), "KWD 1,234.567");
    }

    #[test]
    fn modules_are_whole_dots_when_they_fit() {
        // A 12-digit AWB in set C: start + 6 pairs + checksum = 8 symbols, 101 modules.
        let (dots, module) = module_width(101);
        assert_eq!(dots, 5);
        assert!(module >= 1.0);
        // 15 digits: 11 symbols, 134 modules; with quiet zones 154 * 5 dots = 273 pt.
        assert_eq!(module_width(134).0, 5);
        // 25 alphanumerics in set B: 27 symbols, 310 modules -> 2 dots.
        assert_eq!(module_width(310).0, 2);
        let (dots, module) = module_width(5000);
        assert_eq!(dots, 1);
        assert!((5000.0 + 20.0) * module <= WIDTH);
    }
}
