//! The label in ZPL II for 203 dpi thermal printers (4 × 6 in = 812 × 1218 dots).
//!
//! The layout is the PDF's, converted to dots. Text uses the printer's scalable font 0
//! positioned by baseline (`^FT`), as the PDF positions it. The barcode is sent in ^BC's
//! mode N with explicit subset invocations computed by our own encoder, rather than
//! letting the printer choose, so the printed symbol is exactly the one in the PDF and has
//! the width the layout centred.
//!
//! Field data is escaped so that no input can inject commands: text goes through `^FH`
//! hex escapes (`^`, `~`, `_` and every non-ASCII byte of the UTF-8, which `^CI28` tells the
//! printer to decode), which also keeps the whole format plain ASCII.

use std::fmt::Write as _;

use super::code128::{CODE_B, CODE_C, Code128, START_B, START_C};
use super::layout::{DOT, HEIGHT, Item, WIDTH};

/// Font 0 (CG Triumvirate Bold Condensed) runs at about this fraction of Helvetica's
/// width, as measured on rendered labels. Only centring and right alignment use it, where
/// an estimate is enough.
const FONT0_WIDTH: f32 = 0.87;

pub fn write(items: &[Item]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "^XA\n^CI28\n^PW{}\n^LL{}\n^LH0,0",
        dots(WIDTH),
        dots(HEIGHT)
    );
    for item in items {
        let _ = match item {
            Item::Rule { x, y, w, h } => {
                let (w, h) = (dots(*w).max(1), dots(*h).max(1));
                // A border as thick as the box's smaller side fills it.
                writeln!(
                    out,
                    "^FO{},{}^GB{w},{h},{}^FS",
                    dots(*x),
                    dots(*y),
                    w.min(h)
                )
            }
            Item::Text {
                x,
                align,
                baseline,
                size,
                font,
                text,
            } => writeln!(
                out,
                "^FT{},{}^A0N,{}^FH_^FD{}^FS",
                dots(align.left_edge(*x, font.width(text, *size) * FONT0_WIDTH)),
                dots(*baseline),
                dots(*size).max(1),
                field_text(text)
            ),
            Item::Barcode {
                x,
                y,
                height,
                module_dots,
                code,
                ..
            } => writeln!(
                out,
                "^FO{},{}^BY{module_dots}^BCN,{},N,N,N,N^FD{}^FS",
                dots(*x),
                dots(*y),
                dots(*height),
                barcode_data(code)
            ),
        };
    }
    out.push_str("^XZ\n");
    out
}

fn dots(points: f32) -> i64 {
    (points / DOT).round() as i64
}

/// Text for a `^FH_` field: printable ASCII as is, except the command prefixes `^` and
/// `~` and the escape character `_` itself, which become hex escapes like every byte of a
/// non-ASCII character.
fn field_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'^' | b'~' | b'_' => {
                let _ = write!(out, "_{byte:02X}");
            }
            0x20..=0x7e => out.push(char::from(byte)),
            _ => {
                let _ = write!(out, "_{byte:02X}");
            }
        }
    }
    out
}

/// ^BC mode-N field data for our symbol sequence: `>:`/`>;` start B/C, `>5`/`>6` switch
/// to C/B, digit pairs in C, characters in B. The printer appends the checksum and stop.
/// In B, `>`, `^` and `~` have invocation forms (`>0`, `><`, `>=`), so no raw command
/// prefix ever reaches the field.
fn barcode_data(code: &Code128) -> String {
    let symbols = code.symbols();
    let body = &symbols[..symbols.len().saturating_sub(1)];
    let mut out = String::new();
    let mut in_c = false;
    for &s in body {
        match (in_c, s) {
            (_, START_B) => {
                out.push_str(">:");
                in_c = false;
            }
            (_, START_C) => {
                out.push_str(">;");
                in_c = true;
            }
            (false, CODE_C) => {
                out.push_str(">5");
                in_c = true;
            }
            (true, CODE_B) => {
                out.push_str(">6");
                in_c = false;
            }
            (true, pair) => {
                let _ = write!(out, "{pair:02}");
            }
            (false, value) => match char::from(value + b' ') {
                '>' => out.push_str(">0"),
                '^' => out.push_str("><"),
                '~' => out.push_str(">="),
                c => out.push(c),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_command_prefixes_and_non_ascii() {
        assert_eq!(field_text("a^b~c_d"), "a_5Eb_7Ec_5Fd");
        assert_eq!(field_text("Café"), "Caf_C3_A9");
    }

    #[test]
    fn barcode_invocations() {
        let data = |s| barcode_data(&Code128::encode(s).unwrap());
        assert_eq!(data("123456789012"), ">;123456789012");
        assert_eq!(data("12345"), ">;1234>65");
        assert_eq!(data("AB12345678"), ">:AB>512345678");
        assert_eq!(data("A>^~_B"), ">:A>0><>=_B");
    }
}
