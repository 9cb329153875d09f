//! Many labels on A4 sheets, four per page, for an office printer.
//!
//! Why: a warehouse without a thermal printer prints a day's labels on A4 and cuts them.
//! Each label page (the carrier's own PDF or shipgate's rendering, any size) becomes a
//! Form XObject drawn into a quarter of the sheet: scaled to fit with its aspect ratio
//! kept, turned as its `/Rotate` says, centred. The label's drawing is the carrier's,
//! never redrawn; only placed. A 4×6 roll needs no imposition: it is the labels' pages
//! joined ([`crate::kit::labels::merge`]).

use lopdf::{Dictionary, Document as Pdf, Object, ObjectId, Stream, dictionary};

/// A4 portrait in points.
pub const A4: (f32, f32) = (595.0, 842.0);
/// Outer margin and the gap between cells (points): room to cut.
const MARGIN: f32 = 18.0;
const GUTTER: f32 = 12.0;

/// Why labels could not be put on sheets: one of them is not a PDF lopdf can read.
#[derive(Debug, thiserror::Error)]
#[error("label {index}: {reason}")]
pub struct SheetError {
    /// The label's place in the input.
    pub index: usize,
    pub reason: String,
}

/// The pages of `labels` (each a whole PDF, possibly several pages), in order, four per
/// A4 page in a 2×2 grid read left to right, top to bottom.
pub fn four_up_a4(labels: &[&[u8]]) -> Result<Vec<u8>, SheetError> {
    let mut out = Pdf::with_version("1.5");
    let mut forms: Vec<(ObjectId, Placed)> = Vec::new();
    for (index, bytes) in labels.iter().enumerate() {
        let bad = |e: lopdf::Error| SheetError {
            index,
            reason: e.to_string(),
        };
        let mut doc = Pdf::load_mem(bytes).map_err(bad)?;
        doc.renumber_objects_with(out.max_id + 1);
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let mut made = Vec::with_capacity(pages.len());
        for page in pages {
            made.push(form_of(&doc, page).map_err(|reason| SheetError { index, reason })?);
        }
        out.max_id = doc.max_id.max(out.max_id);
        // Keep only what the forms reach: the label's own pages and catalog go.
        out.objects.extend(doc.objects);
        for (form, placed) in made {
            let id = out.add_object(form);
            forms.push((id, placed));
        }
    }

    let tree_id = out.new_object_id();
    let mut kids = Vec::new();
    for sheet in forms.chunks(4) {
        let mut xobjects = Dictionary::new();
        let mut ops = String::new();
        for (slot, (id, placed)) in sheet.iter().enumerate() {
            let name = format!("L{slot}");
            xobjects.set(name.as_bytes(), *id);
            let [a, b, c, d, e, f] = placed.matrix(cell(slot));
            ops.push_str(&format!(
                "q {a:.4} {b:.4} {c:.4} {d:.4} {e:.3} {f:.3} cm /{name} Do Q\n"
            ));
        }
        let mut content = Stream::new(Dictionary::new(), ops.into_bytes());
        let _ = content.compress();
        let content_id = out.add_object(content);
        let page = out.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => tree_id,
            "MediaBox" => vec![0.into(), 0.into(), A4.0.into(), A4.1.into()],
            "Resources" => dictionary! { "XObject" => xobjects },
            "Contents" => content_id,
        });
        kids.push(Object::Reference(page));
    }
    let count = kids.len() as i64;
    out.objects.insert(
        tree_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = out.add_object(dictionary! { "Type" => "Catalog", "Pages" => tree_id });
    out.trailer.set("Root", catalog);
    out.prune_objects();
    let mut bytes = Vec::new();
    out.save_to(&mut bytes).map_err(|e| SheetError {
        index: 0,
        reason: e.to_string(),
    })?;
    Ok(bytes)
}

/// A label page as a form, and what placing it needs.
struct Placed {
    /// The page's box: x0, y0, x1, y1.
    bbox: [f32; 4],
    /// Clockwise quarter turns (`/Rotate` / 90).
    turns: u8,
}

impl Placed {
    /// Width and height as shown (turned).
    fn shown(&self) -> (f32, f32) {
        let [x0, y0, x1, y1] = self.bbox;
        let (w, h) = (x1 - x0, y1 - y0);
        if self.turns % 2 == 1 { (h, w) } else { (w, h) }
    }

    /// The `cm` matrix drawing the form turned, scaled to fit `cell` and centred in it.
    fn matrix(&self, (cx, cy, cw, ch): (f32, f32, f32, f32)) -> [f32; 6] {
        let [x0, y0, x1, y1] = self.bbox;
        let (w, h) = self.shown();
        let s = (cw / w).min(ch / h);
        let tx = cx + (cw - s * w) / 2.0;
        let ty = cy + (ch - s * h) / 2.0;
        // Each maps the box onto [0, w] × [0, h] as shown, then scales and moves it.
        match self.turns {
            1 => [0.0, -s, s, 0.0, tx - s * y0, ty + s * x1],
            2 => [-s, 0.0, 0.0, -s, tx + s * x1, ty + s * y1],
            3 => [0.0, s, -s, 0.0, tx + s * y1, ty - s * x0],
            _ => [s, 0.0, 0.0, s, tx - s * x0, ty - s * y0],
        }
    }
}

/// The quarter `slot` (0 top left, 1 top right, 2 bottom left, 3 bottom right) as x, y,
/// width, height.
fn cell(slot: usize) -> (f32, f32, f32, f32) {
    let w = (A4.0 - 2.0 * MARGIN - GUTTER) / 2.0;
    let h = (A4.1 - 2.0 * MARGIN - GUTTER) / 2.0;
    let col = (slot % 2) as f32;
    let row = (slot / 2) as f32;
    (
        MARGIN + col * (w + GUTTER),
        A4.1 - MARGIN - (row + 1.0) * h - row * GUTTER,
        w,
        h,
    )
}

/// A page as a Form XObject: its content, resources and box (inherited ones included).
fn form_of(doc: &Pdf, page: ObjectId) -> Result<(Stream, Placed), String> {
    let inherited = |key: &[u8]| -> Option<Object> {
        let mut node = doc.get_dictionary(page).ok()?;
        for _ in 0..32 {
            if let Ok(value) = node.get(key) {
                return Some(value.clone());
            }
            node = doc
                .get_dictionary(node.get(b"Parent").ok()?.as_reference().ok()?)
                .ok()?;
        }
        None
    };
    let number = |o: &Object| -> Option<f32> {
        let o = doc.dereference(o).ok()?.1;
        o.as_float()
            .ok()
            .or_else(|| o.as_i64().ok().map(|i| i as f32))
    };
    let bbox = inherited(b"CropBox")
        .or_else(|| inherited(b"MediaBox"))
        .and_then(|b| {
            let b = doc.dereference(&b).ok()?.1.as_array().ok()?.clone();
            let v: Vec<f32> = b.iter().filter_map(number).collect();
            (v.len() == 4).then(|| {
                [
                    v[0].min(v[2]),
                    v[1].min(v[3]),
                    v[0].max(v[2]),
                    v[1].max(v[3]),
                ]
            })
        })
        .filter(|[x0, y0, x1, y1]| x1 > x0 && y1 > y0)
        .ok_or("a page without a usable MediaBox")?;
    let turns = inherited(b"Rotate")
        .and_then(|r| number(&r))
        .map_or(0, |deg| ((deg as i64 / 90).rem_euclid(4)) as u8);
    let resources = inherited(b"Resources").unwrap_or(Object::Dictionary(Dictionary::new()));
    let content = doc
        .get_page_content_with_limit(page, 64 << 20)
        .map_err(|e| e.to_string())?;
    let mut form = Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => bbox.iter().map(|v| Object::Real(*v)).collect::<Vec<_>>(),
            "Resources" => resources,
        },
        content,
    );
    let _ = form.compress();
    Ok((form, Placed { bbox, turns }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::{LabelData, render_pdf};
    use crate::schema::Payment;

    fn label(awb: &str) -> Vec<u8> {
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

    fn xobjects(doc: &Pdf, page: ObjectId) -> usize {
        let page = doc.get_dictionary(page).unwrap();
        let resources = page.get(b"Resources").unwrap().as_dict().unwrap();
        resources.get(b"XObject").unwrap().as_dict().unwrap().len()
    }

    #[test]
    fn nine_labels_fill_three_a4_pages_four_by_four() {
        let labels: Vec<Vec<u8>> = (0..9).map(|i| label(&format!("AWB{i}"))).collect();
        let parts: Vec<&[u8]> = labels.iter().map(Vec::as_slice).collect();
        let doc = Pdf::load_mem(&four_up_a4(&parts).unwrap()).unwrap();
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        assert_eq!(pages.len(), 3);
        let counts: Vec<usize> = pages.iter().map(|p| xobjects(&doc, *p)).collect();
        assert_eq!(counts, [4, 4, 1]);
        let media = doc
            .get_dictionary(pages[0])
            .unwrap()
            .get(b"MediaBox")
            .unwrap();
        let media: Vec<f32> = media
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_float().unwrap())
            .collect();
        assert_eq!(media, [0.0, 0.0, 595.0, 842.0]);
    }

    #[test]
    fn a_label_fits_its_cell_turned_or_not_keeping_its_aspect() {
        let cell = cell(0);
        for turns in 0..4 {
            let placed = Placed {
                bbox: [0.0, 0.0, 288.0, 432.0],
                turns,
            };
            let [a, b, c, d, e, f] = placed.matrix(cell);
            // The box's corners land inside the cell.
            for (x, y) in [(0.0, 0.0), (288.0, 0.0), (0.0, 432.0), (288.0, 432.0)] {
                let (px, py) = (a * x + c * y + e, b * x + d * y + f);
                assert!(
                    px >= cell.0 - 0.01 && px <= cell.0 + cell.2 + 0.01,
                    "{turns}: {px}"
                );
                assert!(
                    py >= cell.1 - 0.01 && py <= cell.1 + cell.3 + 0.01,
                    "{turns}: {py}"
                );
            }
        }
        // An A4-size label shrinks to the cell, aspect kept.
        let a4 = Placed {
            bbox: [0.0, 0.0, 595.0, 842.0],
            turns: 0,
        };
        let [a, _, _, d, _, _] = a4.matrix(cell);
        assert!((a - d).abs() < 1e-6 && a < 0.5);
    }

    #[test]
    fn a_broken_label_is_named() {
        let good = label("AWB1");
        let err = four_up_a4(&[&good, b"%PDF-1.4 broken"]).unwrap_err();
        assert_eq!(err.index, 1);
    }
}
