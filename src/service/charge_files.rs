//! Reading carriers' charged-weight and freight invoice files (issue 17, point 5).
//!
//! Carriers bill the weight they measured at their hub and send the bill as a spreadsheet.
//! No carrier publishes the columns of these files, and no real file was at hand: the
//! three layouts below are **assumed**, modelled on what each carrier shows elsewhere
//! (Delhivery's `charge_DL`/`charge_FSC`/`charge_COD`/`charge_RTO` names from its invoice
//! charges API, grams for its charged weight; Shiprocket's weight reconciliation panel,
//! kilograms and rupees). Each layout is recognised from its header row or named with
//! `?layout=`; a column the layout does not know is ignored (carriers add columns).
//!
//! - `delhivery`: `Waybill`, `Charged Weight (g)`; invoice columns `Invoice Date`, `Zone`,
//!   `charge_DL`, `charge_FSC`, `charge_COD`, `charge_RTO`, `charge_other`, `Tax`,
//!   `Total Amount` (rupees).
//! - `shiprocket`: `AWB Code`, `Charged Weight (KG)`; invoice columns `Invoice Date`,
//!   `Zone`, `Freight Charges`, `Fuel Surcharge`, `COD Charges`, `RTO Charges`,
//!   `Other Charges`, `GST`, `Total Charges` (rupees).
//! - `generic`: `carrier`, `awb`, `charged_weight_g`; invoice columns `invoice_date`,
//!   `zone`, `freight`, `fuel_surcharge`, `cod`, `rto`, `other`, `tax`, `total`
//!   (rupees, as in the carriers' files and COD remittance files).
//!
//! A file whose header has the layout's total column is an invoice: every row then needs
//! its date and total, and an absent charge column counts as zero. Zones are the
//! carriers' letters (`A`–`E`, `z_a`–`z_e`: within city, within state, metro to metro,
//! rest of India, special — the usual Indian courier zones, assumed) or shipgate's names.
//! Every problem is reported at once, at `/csv/<line>/<column>` (counted from 1 as a
//! spreadsheet shows them), and nothing of a file with a problem is kept.

use std::collections::{BTreeMap, HashMap};

use carriers::ratecard::Zone;
use carriers::schema::{Currency, FieldError, Money};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// A carrier file's column layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    Delhivery,
    Shiprocket,
    Generic,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::Delhivery, Layout::Shiprocket, Layout::Generic];

    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Delhivery => "delhivery",
            Layout::Shiprocket => "shiprocket",
            Layout::Generic => "generic",
        }
    }

    pub fn parse(s: &str) -> Option<Layout> {
        Layout::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The carrier the file is from; `None` for the generic layout (a column says).
    fn carrier(self) -> Option<&'static str> {
        match self {
            Layout::Delhivery => Some("delhivery"),
            Layout::Shiprocket => Some("shiprocket"),
            Layout::Generic => None,
        }
    }

    /// Header names (lower case) of each field, in this layout.
    fn columns(self) -> &'static [(Field, &'static str)] {
        use Field::*;
        match self {
            Layout::Delhivery => &[
                (Awb, "waybill"),
                (ChargedWeight, "charged weight (g)"),
                (Date, "invoice date"),
                (ZoneName, "zone"),
                (Freight, "charge_dl"),
                (Fuel, "charge_fsc"),
                (Cod, "charge_cod"),
                (Rto, "charge_rto"),
                (Other, "charge_other"),
                (Tax, "tax"),
                (Total, "total amount"),
            ],
            Layout::Shiprocket => &[
                (Awb, "awb code"),
                (ChargedWeight, "charged weight (kg)"),
                (Date, "invoice date"),
                (ZoneName, "zone"),
                (Freight, "freight charges"),
                (Fuel, "fuel surcharge"),
                (Cod, "cod charges"),
                (Rto, "rto charges"),
                (Other, "other charges"),
                (Tax, "gst"),
                (Total, "total charges"),
            ],
            Layout::Generic => &[
                (Carrier, "carrier"),
                (Awb, "awb"),
                (ChargedWeight, "charged_weight_g"),
                (Date, "invoice_date"),
                (ZoneName, "zone"),
                (Freight, "freight"),
                (Fuel, "fuel_surcharge"),
                (Cod, "cod"),
                (Rto, "rto"),
                (Other, "other"),
                (Tax, "tax"),
                (Total, "total"),
            ],
        }
    }

    fn required(self) -> &'static [Field] {
        match self {
            Layout::Generic => &[Field::Carrier, Field::Awb, Field::ChargedWeight],
            _ => &[Field::Awb, Field::ChargedWeight],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Field {
    Carrier,
    Awb,
    ChargedWeight,
    Date,
    ZoneName,
    Freight,
    Fuel,
    Cod,
    Rto,
    Other,
    Tax,
    Total,
}

/// A kind of charge on a freight invoice line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = InvoiceChargeKind)]
pub enum ChargeKind {
    Freight,
    FuelSurcharge,
    Cod,
    Rto,
    Other,
    Tax,
    Total,
}

impl ChargeKind {
    pub const ALL: [ChargeKind; 7] = [
        ChargeKind::Freight,
        ChargeKind::FuelSurcharge,
        ChargeKind::Cod,
        ChargeKind::Rto,
        ChargeKind::Other,
        ChargeKind::Tax,
        ChargeKind::Total,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChargeKind::Freight => "freight",
            ChargeKind::FuelSurcharge => "fuel_surcharge",
            ChargeKind::Cod => "cod",
            ChargeKind::Rto => "rto",
            ChargeKind::Other => "other",
            ChargeKind::Tax => "tax",
            ChargeKind::Total => "total",
        }
    }

    pub fn parse(s: &str) -> Option<ChargeKind> {
        ChargeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    fn field(self) -> Field {
        match self {
            ChargeKind::Freight => Field::Freight,
            ChargeKind::FuelSurcharge => Field::Fuel,
            ChargeKind::Cod => Field::Cod,
            ChargeKind::Rto => Field::Rto,
            ChargeKind::Other => Field::Other,
            ChargeKind::Tax => Field::Tax,
            ChargeKind::Total => Field::Total,
        }
    }
}

/// What a freight invoice billed for one AWB, in minor units of INR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Billed {
    pub invoice_date: NaiveDate,
    pub zone: Option<String>,
    pub amounts: BTreeMap<ChargeKind, i64>,
}

/// One row of a carrier file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeLine {
    /// The file's line, counted from 1.
    pub line: u64,
    pub carrier: String,
    pub awb: String,
    pub charged_g: u32,
    /// Present when the file is a freight invoice.
    pub billed: Option<Billed>,
}

/// A file read whole.
#[derive(Debug)]
pub struct ChargeFile {
    pub layout: Layout,
    pub lines: Vec<ChargeLine>,
}

/// The zone a carrier's letter or shipgate's name stands for.
pub fn zone_of(text: &str) -> Option<Zone> {
    let t = text.trim().to_ascii_lowercase();
    let letter = t
        .strip_prefix("z_")
        .or(t.strip_prefix("zone "))
        .unwrap_or(&t);
    Some(match letter {
        "a" => Zone::WithinCity,
        "b" => Zone::WithinState,
        "c" => Zone::MetroToMetro,
        "d" => Zone::RestOfIndia,
        "e" => Zone::Special,
        other => return Zone::parse(other),
    })
}

fn at(line: u64, column: usize, code: &str, detail: impl Into<String>) -> FieldError {
    FieldError {
        pointer: format!("/csv/{line}/{column}"),
        code: code.into(),
        detail: detail.into(),
    }
}

/// Reads a carrier file. `named`: the layout the caller named (`?layout=`), else it is
/// recognised from the header row; `known_carriers`: ids a generic row may name.
pub fn parse(
    text: &str,
    named: Option<Layout>,
    known_carriers: &[&str],
) -> Result<ChargeFile, Vec<FieldError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut csv = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut errors = Vec::new();
    let mut records = Vec::new();
    for record in csv.records() {
        match record {
            Ok(r) => {
                let line = r.position().map(|p| p.line()).unwrap_or(0);
                let cells: Vec<String> = r.iter().map(str::to_string).collect();
                if cells.iter().all(String::is_empty) {
                    continue;
                }
                records.push((line, cells));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(vec![at(
                    line,
                    1,
                    "invalid_csv",
                    format!("unreadable CSV: {e}"),
                )]);
            }
        }
    }
    let mut rows = records.into_iter();
    let Some((header_line, header)) = rows.next() else {
        return Err(vec![at(1, 1, "empty_file", "the file has no header row")]);
    };
    let names: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
    let find = |layout: Layout| -> HashMap<Field, usize> {
        layout
            .columns()
            .iter()
            .filter_map(|(field, name)| names.iter().position(|n| n == name).map(|i| (*field, i)))
            .collect()
    };
    let fits = |layout: Layout, found: &HashMap<Field, usize>| {
        layout.required().iter().all(|f| found.contains_key(f))
    };
    let layout = match named {
        Some(layout) => layout,
        None => match Layout::ALL.into_iter().find(|l| fits(*l, &find(*l))) {
            Some(layout) => layout,
            None => {
                return Err(vec![at(
                    header_line,
                    1,
                    "unknown_layout",
                    "the header row is none of the known layouts (delhivery: `Waybill`, \
                     `Charged Weight (g)`; shiprocket: `AWB Code`, `Charged Weight (KG)`; \
                     generic: `carrier`, `awb`, `charged_weight_g`); name one with ?layout=",
                )]);
            }
        },
    };
    let columns = find(layout);
    let header_name = |field: Field| {
        layout
            .columns()
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, n)| *n)
    };
    for field in layout.required() {
        if !columns.contains_key(field) {
            errors.push(at(
                header_line,
                header.len() + 1,
                "missing_column",
                format!(
                    "the {} layout needs a `{}` column",
                    layout.as_str(),
                    header_name(*field)
                ),
            ));
        }
    }
    let invoice = columns.contains_key(&Field::Total);
    if invoice && !columns.contains_key(&Field::Date) {
        errors.push(at(
            header_line,
            header.len() + 1,
            "missing_column",
            format!(
                "an invoice (a `{}` column) needs an `{}` column",
                header_name(Field::Total),
                header_name(Field::Date)
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut lines = Vec::new();
    let mut seen: HashMap<(String, String), u64> = HashMap::new();
    for (line, cells) in rows {
        let cell = |field: Field| -> Option<(usize, &str)> {
            let i = *columns.get(&field)?;
            Some((i + 1, cells.get(i).map_or("", String::as_str)))
        };
        let required = |field: Field, errors: &mut Vec<FieldError>| -> Option<(usize, String)> {
            let (column, value) = cell(field)?;
            if value.is_empty() {
                errors.push(at(
                    line,
                    column,
                    "required",
                    format!("`{}` is empty", header_name(field)),
                ));
                return None;
            }
            Some((column, value.to_string()))
        };
        let carrier = match layout.carrier() {
            Some(id) => Some(id.to_string()),
            None => required(Field::Carrier, &mut errors).and_then(|(column, v)| {
                let id = v.to_ascii_lowercase();
                if known_carriers.contains(&id.as_str()) {
                    Some(id)
                } else {
                    errors.push(at(
                        line,
                        column,
                        "unknown_carrier",
                        format!(
                            "`{v}` is not a carrier id; use one of {}",
                            known_carriers.join(", ")
                        ),
                    ));
                    None
                }
            }),
        };
        let awb = required(Field::Awb, &mut errors).map(|(_, v)| v);
        let charged_g = required(Field::ChargedWeight, &mut errors).and_then(|(column, v)| {
            let grams = match layout {
                Layout::Shiprocket => kg_to_g(&v),
                _ => v.parse::<u32>().ok(),
            };
            match grams {
                Some(g) if g > 0 && g <= 1_000_000 => Some(g),
                _ => {
                    let unit = if layout == Layout::Shiprocket {
                        "kilograms with at most 3 decimals"
                    } else {
                        "whole grams"
                    };
                    errors.push(at(
                        line,
                        column,
                        "invalid_weight",
                        format!("`{v}` is not a weight in {unit} (more than 0, at most 1000 kg)"),
                    ));
                    None
                }
            }
        });
        let billed = if invoice {
            let date = required(Field::Date, &mut errors).and_then(|(column, v)| {
                let date = date_of(&v);
                if date.is_none() {
                    errors.push(at(
                        line,
                        column,
                        "invalid_date",
                        format!("`{v}` is not a date (YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY)"),
                    ));
                }
                date
            });
            let zone = cell(Field::ZoneName)
                .filter(|(_, v)| !v.is_empty())
                .map(|(column, v)| {
                    if zone_of(v).is_none() {
                        errors.push(at(
                            line,
                            column,
                            "invalid_zone",
                            format!("`{v}` is not a zone (A–E, z_a–z_e or shipgate's zone names)"),
                        ));
                    }
                    v.to_string()
                });
            let mut amounts = BTreeMap::new();
            let mut ok = true;
            for kind in ChargeKind::ALL {
                let Some((column, v)) = cell(kind.field()) else {
                    continue;
                };
                if v.is_empty() && kind != ChargeKind::Total {
                    amounts.insert(kind, 0);
                    continue;
                }
                // Rupees in every layout, shipgate's own too: these files come from and go
                // to spreadsheets, which write money so (as COD remittance files do).
                let amount = Money::from_major_str(v, Currency::inr()).map(|m| m.amount);
                match amount.filter(|a| *a >= 0 && *a <= Money::MAX_AMOUNT) {
                    Some(a) => {
                        amounts.insert(kind, a);
                    }
                    None => {
                        ok = false;
                        let unit = "rupees with at most 2 decimals";
                        errors.push(at(
                            line,
                            column,
                            if v.is_empty() {
                                "required"
                            } else {
                                "invalid_amount"
                            },
                            format!(
                                "`{v}` in `{}` is not an amount in {unit}",
                                header_name(kind.field())
                            ),
                        ));
                    }
                }
            }
            match (date, ok) {
                (Some(invoice_date), true) => Some(Billed {
                    invoice_date,
                    zone,
                    amounts,
                }),
                _ => None,
            }
        } else {
            None
        };
        let (Some(carrier), Some(awb), Some(charged_g)) = (carrier, awb, charged_g) else {
            continue;
        };
        if invoice && billed.is_none() {
            continue;
        }
        if let Some(first) = seen.insert((carrier.clone(), awb.clone()), line) {
            let column = cell(Field::Awb).map_or(1, |(c, _)| c);
            errors.push(at(
                line,
                column,
                "duplicate_awb",
                format!("AWB {awb} of {carrier} is on line {first} already"),
            ));
            continue;
        }
        lines.push(ChargeLine {
            line,
            carrier,
            awb,
            charged_g,
            billed,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if lines.is_empty() {
        return Err(vec![at(
            header_line,
            1,
            "empty_file",
            "the file has no rows after its header",
        )]);
    }
    Ok(ChargeFile { layout, lines })
}

/// `"1.25"` kg as grams: at most three decimals, so no weight is rounded.
fn kg_to_g(text: &str) -> Option<u32> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if int.is_empty() && frac.is_empty()
        || frac.len() > 3
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let int: u32 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let frac: u32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<3}").parse().ok()?
    };
    int.checked_mul(1000)?.checked_add(frac)
}

fn date_of(text: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARRIERS: &[&str] = &["delhivery", "shiprocket"];

    #[test]
    fn reads_each_layout_from_its_header() {
        let d = parse(
            "Waybill,Charged Weight (g),Remarks\n123,1500,x\n",
            None,
            CARRIERS,
        )
        .unwrap();
        assert_eq!(d.layout, Layout::Delhivery);
        assert_eq!(d.lines[0].charged_g, 1500);
        assert_eq!(d.lines[0].carrier, "delhivery");
        let s = parse(
            "AWB Code,Charged Weight (KG),Invoice Date,Zone,Freight Charges,Total Charges\nSR1,1.25,05-12-2026,z_d,50.5,59.59\n",
            None,
            CARRIERS,
        )
        .unwrap();
        assert_eq!(s.layout, Layout::Shiprocket);
        assert_eq!(s.lines[0].charged_g, 1250);
        let billed = s.lines[0].billed.as_ref().unwrap();
        assert_eq!(billed.amounts[&ChargeKind::Freight], 5050);
        assert_eq!(billed.amounts[&ChargeKind::Total], 5959);
        assert_eq!(
            billed.invoice_date,
            NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
        );
        let g = parse(
            "carrier,awb,charged_weight_g\nshiprocket,9,700\n",
            None,
            CARRIERS,
        )
        .unwrap();
        assert_eq!(g.layout, Layout::Generic);
    }

    #[test]
    fn every_problem_at_its_line_and_column() {
        let errors = parse(
            "carrier,awb,charged_weight_g,invoice_date,total\nfedexx,1,abc,2026-13-01,\nshiprocket,2,500,2026-12-01,10\nshiprocket,2,500,2026-12-01,10\n",
            None,
            CARRIERS,
        )
        .unwrap_err();
        let at: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.pointer.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                ("/csv/2/1", "unknown_carrier"),
                ("/csv/2/3", "invalid_weight"),
                ("/csv/2/4", "invalid_date"),
                ("/csv/2/5", "required"),
                ("/csv/4/2", "duplicate_awb"),
            ]
        );
        let unknown = parse("a,b\n1,2\n", None, CARRIERS).unwrap_err();
        assert_eq!(unknown[0].code, "unknown_layout");
        let named = parse("a,b\n1,2\n", Some(Layout::Delhivery), CARRIERS).unwrap_err();
        assert_eq!(named[0].code, "missing_column");
        assert_eq!(kg_to_g("0.5"), Some(500));
        assert_eq!(kg_to_g("1.2345"), None);
        assert_eq!(zone_of("E"), Some(Zone::Special));
        assert_eq!(zone_of("rest_of_india"), Some(Zone::RestOfIndia));
    }
}
