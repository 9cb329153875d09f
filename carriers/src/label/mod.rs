//! Shipping labels rendered by shipgate: a 4×6 inch PDF and the same label in ZPL for
//! thermal printers, each with the AWB as a Code 128 barcode.
//!
//! Carriers that hand out their own label (Shiprocket's label URL) keep theirs for PDF;
//! shipgate renders the rest, and ZPL for every carrier, from the booked shipment.
//!
//! Rendering is a pure function of [`LabelData`]: the same data gives the same bytes, so a
//! label can be re-rendered on demand instead of stored, and tests can compare output.
//! It never fails and never panics: text the fonts cannot show is replaced, text too long
//! is wrapped or cut, and an AWB no barcode can carry is still printed as text.
//!
//! `layout` decides where everything goes, once; `pdf` and `zpl` only translate it.

pub mod code128;
pub mod handover;
mod layout;
mod pdf;
pub mod sheets;
mod text;
mod zpl;

use chrono::NaiveDate;

use crate::schema::{Address, LabelFormat, Payment};

/// Everything printed on a label.
#[derive(Debug, Clone)]
pub struct LabelData {
    pub carrier_name: String,
    pub service: String,
    pub awb: String,
    pub order_ref: String,
    pub from: Address,
    pub to: Address,
    pub weight_g: u32,
    pub payment: Payment,
    /// Carrier sort / routing code, printed large when present.
    pub routing_code: Option<String>,
    pub description: Option<String>,
    pub created: NaiveDate,
}

/// Renders the label in the asked format.
pub fn render(data: &LabelData, format: LabelFormat) -> Vec<u8> {
    match format {
        LabelFormat::Pdf => render_pdf(data),
        LabelFormat::Zpl => render_zpl(data).into_bytes(),
    }
}

/// A one-page 4×6 inch PDF 1.4.
pub fn render_pdf(data: &LabelData) -> Vec<u8> {
    let title = format!("{} label {}", data.carrier_name, data.awb);
    pdf::write(&layout::build(data), &text::clean(&title), data.created)
}

/// A ZPL II label for a 4×6 inch, 203 dpi thermal printer.
pub fn render_zpl(data: &LabelData) -> String {
    zpl::write(&layout::build(data))
}
