//! The CSV form of a batch: the warehouse team's spreadsheet, one shipment (one parcel) a
//! row, in flat columns.
//!
//! A row is turned into the same JSON a `POST /v1/shipments` body is, and checked by the
//! same parser; its errors, whose pointers point into that JSON, are then named by the
//! column that holds the field, so the warehouse sees "row 7, to_postal_code".

use carriers::schema::{Currency, FieldError, Money};
use serde_json::{Map, Value, json};

/// Every column and the field of a shipment request it fills, in template order.
pub const COLUMNS: &[(&str, &str)] = &[
    ("order_ref", "/order_ref"),
    ("carrier", "/carrier"),
    ("service", "/service"),
    ("label_format", "/label_format"),
    ("from_name", "/from/name"),
    ("from_phone", "/from/phone"),
    ("from_email", "/from/email"),
    ("from_line1", "/from/line1"),
    ("from_line2", "/from/line2"),
    ("from_city", "/from/city"),
    ("from_state", "/from/state"),
    ("from_postal_code", "/from/postal_code"),
    ("from_country", "/from/country"),
    ("to_name", "/to/name"),
    ("to_phone", "/to/phone"),
    ("to_email", "/to/email"),
    ("to_line1", "/to/line1"),
    ("to_line2", "/to/line2"),
    ("to_landmark", "/to/landmark"),
    ("to_city", "/to/city"),
    ("to_state", "/to/state"),
    ("to_postal_code", "/to/postal_code"),
    ("to_country", "/to/country"),
    ("weight_g", "/parcels/0/weight_g"),
    ("length_mm", "/parcels/0/length_mm"),
    ("width_mm", "/parcels/0/width_mm"),
    ("height_mm", "/parcels/0/height_mm"),
    ("description", "/parcels/0/description"),
    ("declared_value", "/parcels/0/declared_value"),
    ("currency", "/parcels/0/declared_value/currency"),
    ("payment_mode", "/payment/mode"),
    ("cod_amount", "/payment/cod_amount"),
    ("tags", "/tags"),
    ("deliver_by", "/deliver_by"),
    ("sku", "/items/0/sku"),
    ("item_name", "/items/0/name"),
    ("quantity", "/items/0/quantity"),
];

const NUMBER_COLUMNS: &[&str] = &["weight_g", "length_mm", "width_mm", "height_mm"];

/// The columns of the order's one line (`items/0`): a row lists at most one product.
const ITEM_COLUMNS: &[(&str, &str)] = &[
    ("sku", "sku"),
    ("item_name", "name"),
    ("quantity", "quantity"),
];

/// The example row of the template: books in the sandbox as it is.
const EXAMPLE: &[&str] = &[
    "ORD-1001",
    "delhivery",
    "",
    "pdf",
    "Shipgate Warehouse",
    "9000000001",
    "",
    "Plot 4, Industrial Area",
    "",
    "New Delhi",
    "Delhi",
    "110020",
    "IN",
    "Asha Rao",
    "+91 98765 43210",
    "asha@example.com",
    "12 MG Road",
    "Flat 3B",
    "",
    "Bengaluru",
    "Karnataka",
    "560001",
    "IN",
    "500",
    "200",
    "150",
    "100",
    "Cotton kurta",
    "499.00",
    "INR",
    "prepaid",
    "",
    "fragile|gift",
    "",
    "KURTA-M-BLUE",
    "Cotton kurta, blue, M",
    "1",
];

/// `GET /v1/batches/template.csv`: the header and one example row.
pub fn template() -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record(COLUMNS.iter().map(|(name, _)| *name));
    let _ = out.write_record(EXAMPLE);
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The line (1-based) a record starting at a byte offset is on. The csv crate's own line
/// numbers are one short after CRLF line ends, which spreadsheets write, so lines are
/// counted here from the bytes: forward only, offsets come in order.
struct LineOf<'a> {
    body: &'a [u8],
    counted_to: usize,
    line: i64,
}

impl<'a> LineOf<'a> {
    fn new(body: &'a [u8]) -> Self {
        LineOf {
            body,
            counted_to: 0,
            line: 1,
        }
    }

    fn at(&mut self, byte: u64) -> i64 {
        // A record's position can be the line end before it (CRLF, blank lines).
        let mut to = (byte as usize).clamp(self.counted_to, self.body.len());
        while matches!(self.body.get(to), Some(b'\r' | b'\n')) {
            to += 1;
        }
        self.line += self.body[self.counted_to..to]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as i64;
        self.counted_to = to;
        self.line
    }
}

/// One data row: its line in the file (header = 1) and the request JSON it stands for,
/// or the errors of the cells that could not be read.
pub struct Row {
    pub line: i64,
    pub request: Result<Value, Vec<FieldError>>,
}

/// A file that is not a batch at all: the problem's field errors.
pub fn read(body: &[u8]) -> Result<Vec<Row>, Vec<FieldError>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(body);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => return Err(vec![file_error("/rows/1", "unreadable_csv", e.to_string())]),
    };
    let mut errors = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if !COLUMNS.iter().any(|(c, _)| c == name) {
            errors.push(file_error(
                format!(
                    "/columns/{}",
                    if name.is_empty() {
                        i.to_string()
                    } else {
                        name.clone()
                    }
                ),
                "unknown_column",
                format!("`{name}` is not a batch column; see GET /v1/batches/template.csv"),
            ));
        } else if header[..i].contains(name) {
            errors.push(file_error(
                format!("/columns/{name}"),
                "duplicate_column",
                format!("`{name}` appears twice in the header"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut rows = Vec::new();
    let mut lines = LineOf::new(body);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.at(p.byte()));
                return Err(vec![file_error(
                    format!("/rows/{line}"),
                    "unreadable_csv",
                    e.to_string(),
                )]);
            }
        };
        let line = record.position().map_or(0, |p| lines.at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() > header.len() {
            return Err(vec![file_error(
                format!("/rows/{line}"),
                "too_many_cells",
                format!("{} cells for {} columns", record.len(), header.len()),
            )]);
        }
        let cells: Vec<(&str, &str)> = header
            .iter()
            .map(String::as_str)
            .zip(record.iter())
            .filter(|(_, v)| !v.is_empty())
            .collect();
        rows.push(Row {
            line,
            request: request_of(&cells),
        });
    }
    Ok(rows)
}

fn file_error(pointer: impl Into<String>, code: &str, detail: impl Into<String>) -> FieldError {
    FieldError {
        pointer: pointer.into(),
        code: code.into(),
        detail: detail.into(),
    }
}

/// The shipment request JSON of a row's non-empty cells. Cell errors point at
/// `/<column>` (made row pointers by [`column_of`]'s caller).
fn request_of(cells: &[(&str, &str)]) -> Result<Value, Vec<FieldError>> {
    let cell = |name: &str| cells.iter().find(|(c, _)| *c == name).map(|(_, v)| *v);
    let mut errors = Vec::new();
    let mut root = Map::new();
    let mut from = Map::new();
    let mut to = Map::new();
    let mut parcel = Map::new();
    let mut item = Map::new();
    let currency = cell("currency").unwrap_or("INR");
    let money = |column: &str, errors: &mut Vec<FieldError>| -> Option<Value> {
        let text = cell(column)?;
        let Some(code) = Currency::parse(currency) else {
            // Reported at `currency` by the request parser.
            return Some(json!({"amount": 0, "currency": currency}));
        };
        match Money::from_major_str(text, code) {
            Some(m) => Some(json!({"amount": m.amount, "currency": m.currency})),
            None => {
                errors.push(file_error(
                    format!("/{column}"),
                    "invalid_amount",
                    format!("`{text}` is not an amount in {currency} such as 499.00"),
                ));
                None
            }
        }
    };
    for (name, value) in cells {
        let value = *value;
        if let Some(field) = name.strip_prefix("from_") {
            from.insert(field.into(), value.into());
        } else if let Some(field) = name.strip_prefix("to_") {
            to.insert(field.into(), value.into());
        } else if NUMBER_COLUMNS.contains(name) {
            match value.parse::<i64>() {
                Ok(n) => {
                    parcel.insert((*name).into(), n.into());
                }
                Err(_) => errors.push(file_error(
                    format!("/{name}"),
                    "invalid_number",
                    format!("`{value}` is not a whole number"),
                )),
            }
        } else if *name == "description" {
            parcel.insert("description".into(), value.into());
        } else if let Some((_, field)) = ITEM_COLUMNS.iter().find(|(c, _)| c == name) {
            // A quantity that is not a number is left to the request parser's type check.
            let value = match value.parse::<i64>() {
                Ok(n) if *field == "quantity" => n.into(),
                _ => Value::from(value),
            };
            item.insert((*field).into(), value);
        } else if *name == "tags" {
            let tags: Vec<&str> = value.split('|').map(str::trim).collect();
            root.insert("tags".into(), json!(tags));
        } else if matches!(
            *name,
            "order_ref" | "carrier" | "service" | "label_format" | "deliver_by"
        ) {
            root.insert((*name).into(), value.into());
        }
    }
    if let Some(value) = money("declared_value", &mut errors) {
        parcel.insert("declared_value".into(), value);
    }
    let cod = money("cod_amount", &mut errors);
    let mode = cell("payment_mode").unwrap_or(if cod.is_some() { "cod" } else { "prepaid" });
    let mut payment = json!({"mode": mode});
    if let Some(cod) = cod {
        payment["cod_amount"] = cod;
    }
    root.insert("payment".into(), payment);
    if !from.is_empty() {
        root.insert("from".into(), Value::Object(from));
    }
    if !to.is_empty() {
        root.insert("to".into(), Value::Object(to));
    }
    root.insert("parcels".into(), json!([parcel]));
    if !item.is_empty() {
        root.insert("items".into(), json!([item]));
    }
    if errors.is_empty() {
        Ok(Value::Object(root))
    } else {
        Err(errors)
    }
}

/// The column holding the request field at `pointer` (an error's), if one does: the
/// column whose field is the longest prefix of it, or else the first column inside it
/// (`/to` names `to_name`).
pub fn column_of(pointer: &str) -> Option<&'static str> {
    if let Some(column) = pointer
        .strip_prefix('/')
        .and_then(|p| COLUMNS.iter().find(|(c, _)| *c == p))
    {
        return Some(column.0);
    }
    let within = |field: &str| {
        pointer == field
            || pointer
                .strip_prefix(field)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    COLUMNS
        .iter()
        .filter(|(_, field)| within(field))
        .max_by_key(|(_, field)| field.len())
        .or_else(|| {
            COLUMNS.iter().find(|(_, field)| {
                field
                    .strip_prefix(pointer)
                    .is_some_and(|rest| rest.starts_with('/'))
            })
        })
        .map(|(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_reads_back_as_a_valid_request() {
        let rows = read(template().as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        let value = rows[0].request.as_ref().unwrap();
        let input: carriers::schema::ShipmentRequestInput =
            serde_json::from_value(value.clone()).unwrap();
        let req = carriers::schema::ShipmentRequest::parse(&input).unwrap();
        assert_eq!(req.parcels[0].declared_value, Some(Money::inr(49900)));
    }

    #[test]
    fn rows_are_named_by_their_line_with_crlf_ends_and_cells_over_two_lines() {
        let file = "order_ref,to_line1\r\nA,x\r\nB,\"two\r\nlines\"\r\n\r\nC,y\r\n";
        let lines: Vec<i64> = read(file.as_bytes())
            .unwrap()
            .iter()
            .map(|r| r.line)
            .collect();
        assert_eq!(lines, [2, 3, 6]);
        let lf = file.replace("\r\n", "\n");
        let lines: Vec<i64> = read(lf.as_bytes())
            .unwrap()
            .iter()
            .map(|r| r.line)
            .collect();
        assert_eq!(lines, [2, 3, 6]);
    }

    #[test]
    fn errors_name_their_columns() {
        assert_eq!(column_of("/to/postal_code"), Some("to_postal_code"));
        assert_eq!(
            column_of("/parcels/0/declared_value/amount"),
            Some("declared_value")
        );
        assert_eq!(
            column_of("/parcels/0/declared_value/currency"),
            Some("currency")
        );
        assert_eq!(column_of("/to"), Some("to_name"));
        assert_eq!(column_of("/weight_g"), Some("weight_g"));
        assert_eq!(column_of("/customs"), None);
        let err = read(b"order_ref,colour\n1,red\n").err().unwrap();
        assert_eq!(err[0].pointer, "/columns/colour");
    }
}
