//! The CSV form of a rate card, for tenants who keep their cards in a spreadsheet.
//!
//! Two sections, in either order, each starting with its header row:
//!
//! ```text
//! setting,value
//! name,Delhivery Surface 2026
//! currency,INR
//! volumetric_divisor,5000
//! first_slab_g,500
//! additional_slab_g,500
//! max_weight_g,30000
//! cod_percent,1.5
//! cod_minimum,3500
//! fuel_surcharge_percent,12.5
//! gst_percent,18
//!
//! zone,first_slab,additional_slab,transit_days
//! within_city,3000,2800,1
//! rest_of_india,5000,4500,4
//! ```
//!
//! The file is read into the same [`RateCardInput`] as a JSON upload and validated by the
//! same rules, so both forms accept exactly the same cards. Errors keep the JSON pointer
//! of the card field (`/zones/within_city/first_slab`) and add the line and column in the
//! detail; problems with the CSV itself (an unknown setting, a row outside a section)
//! are pointed at `/csv/<line>/<column>`, counted from 1 as a spreadsheet shows them.

use std::collections::{BTreeMap, HashMap};

use super::card::{CodInput, PercentInput, RateCard, RateCardInput, ZoneRateInput};
use crate::schema::FieldError;

const SETTINGS: &[&str] = &[
    "name",
    "service",
    "currency",
    "volumetric_divisor",
    "first_slab_g",
    "additional_slab_g",
    "max_weight_g",
    "cod_percent",
    "cod_minimum",
    "fuel_surcharge_percent",
    "gst_percent",
];
const ZONE_COLUMNS: &[&str] = &["zone", "first_slab", "additional_slab", "transit_days"];

/// Where a card field came from in the file.
#[derive(Clone, Copy)]
struct Cell {
    line: u64,
    column: usize,
}

#[derive(Default)]
struct Reader {
    input: RateCardInput,
    cells: HashMap<String, (Cell, String)>,
    errors: Vec<FieldError>,
}

enum Section {
    None,
    Settings,
    /// Column index of each zone column in this section's header.
    Zones(HashMap<&'static str, usize>),
}

/// Parses a CSV rate card into the validated card, or every problem found.
pub fn parse(text: &str) -> Result<RateCard, Vec<FieldError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::default();
    let mut csv = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut section = Section::None;
    for record in csv.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                reader.csv_error(line, 1, "invalid_csv", format!("unreadable CSV: {e}"));
                break;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        // Spreadsheets pad rows with empty cells; they carry nothing.
        let cells: Vec<&str> = {
            let mut c: Vec<&str> = record.iter().collect();
            while c.last().is_some_and(|s| s.is_empty()) {
                c.pop();
            }
            c
        };
        if cells.is_empty() {
            continue;
        }
        match cells[0].to_ascii_lowercase().as_str() {
            "setting" => {
                if cells.get(1).map(|s| s.to_ascii_lowercase()).as_deref() != Some("value")
                    || cells.len() != 2
                {
                    reader.csv_error(
                        line,
                        1,
                        "invalid_header",
                        "the settings header is `setting,value`",
                    );
                }
                section = Section::Settings;
                continue;
            }
            "zone" => {
                section = reader.zone_header(line, &cells);
                continue;
            }
            _ => {}
        }
        match &section {
            Section::None => reader.csv_error(
                line,
                1,
                "outside_section",
                "start the file with a `setting,value` or a `zone,first_slab,additional_slab` header row",
            ),
            Section::Settings => reader.setting(line, &cells),
            Section::Zones(columns) => {
                let columns = columns.clone();
                reader.zone_row(line, &cells, &columns);
            }
        }
    }
    let Reader {
        input,
        cells,
        mut errors,
    } = reader;
    if !errors.is_empty() {
        return Err(errors);
    }
    RateCard::parse(&input).map_err(|validation| {
        for mut e in validation {
            if let Some((cell, name)) = cells.get(&e.pointer) {
                e.detail = format!(
                    "{} (line {}, column {} `{name}`)",
                    e.detail, cell.line, cell.column
                );
            }
            errors.push(e);
        }
        errors
    })
}

impl Reader {
    fn csv_error(&mut self, line: u64, column: usize, code: &str, detail: impl Into<String>) {
        let detail = detail.into();
        self.errors.push(FieldError {
            pointer: format!("/csv/{line}/{column}"),
            code: code.into(),
            detail: format!("line {line}, column {column}: {detail}"),
        });
    }

    fn remember(&mut self, pointer: &str, line: u64, column: usize, name: &str) -> bool {
        let cell = Cell { line, column };
        if let Some((first, _)) = self.cells.get(pointer) {
            let first = first.line;
            self.csv_error(
                line,
                column,
                "duplicate",
                format!("`{name}` is already given on line {first}"),
            );
            return false;
        }
        self.cells
            .insert(pointer.to_string(), (cell, name.to_string()));
        true
    }

    fn integer(&mut self, line: u64, column: usize, name: &str, text: &str) -> Option<i64> {
        match text.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.csv_error(
                    line,
                    column,
                    "invalid_type",
                    format!(
                        "`{name}` is a whole number{}, got `{text}`",
                        if name.ends_with("_g") || name.contains("weight") {
                            " of grams"
                        } else if name.contains("days") || name.contains("divisor") {
                            ""
                        } else {
                            " of minor units of the card's currency"
                        }
                    ),
                );
                None
            }
        }
    }

    fn setting(&mut self, line: u64, cells: &[&str]) {
        let name = cells[0].to_ascii_lowercase();
        let Some(&name) = SETTINGS.iter().find(|s| **s == name) else {
            self.csv_error(
                line,
                1,
                "unknown_setting",
                format!(
                    "`{}` is not a setting; use one of: {}",
                    cells[0],
                    SETTINGS.join(", ")
                ),
            );
            return;
        };
        if cells.len() > 2 {
            self.csv_error(
                line,
                3,
                "extra_cell",
                "a setting row has a name and one value",
            );
            return;
        }
        let value = cells.get(1).copied().unwrap_or("");
        let pointer = match name {
            "cod_percent" => "/cod/percent".to_string(),
            "cod_minimum" => "/cod/minimum".to_string(),
            other => format!("/{other}"),
        };
        if !self.remember(&pointer, line, 2, name) || value.is_empty() {
            return;
        }
        let text = || Some(value.to_string());
        let percent = || Some(PercentInput::Text(value.to_string()));
        let i = &mut self.input;
        match name {
            "name" => i.name = text(),
            "service" => i.service = text(),
            "currency" => i.currency = text(),
            "fuel_surcharge_percent" => i.fuel_surcharge_percent = percent(),
            "gst_percent" => i.gst_percent = percent(),
            "cod_percent" => i.cod.get_or_insert_with(CodInput::default).percent = percent(),
            _ => {
                let Some(n) = self.integer(line, 2, name, value) else {
                    return;
                };
                let i = &mut self.input;
                match name {
                    "volumetric_divisor" => i.volumetric_divisor = Some(n),
                    "first_slab_g" => i.first_slab_g = Some(n),
                    "additional_slab_g" => i.additional_slab_g = Some(n),
                    "max_weight_g" => i.max_weight_g = Some(n),
                    "cod_minimum" => i.cod.get_or_insert_with(CodInput::default).minimum = Some(n),
                    _ => unreachable!("every setting is handled"),
                }
            }
        }
    }

    fn zone_header(&mut self, line: u64, cells: &[&str]) -> Section {
        let mut columns = HashMap::new();
        for (i, cell) in cells.iter().enumerate() {
            let name = cell.to_ascii_lowercase();
            match ZONE_COLUMNS.iter().find(|c| **c == name) {
                Some(c) if columns.insert(*c, i).is_none() => {}
                Some(_) => self.csv_error(
                    line,
                    i + 1,
                    "duplicate",
                    format!("column `{cell}` appears twice"),
                ),
                None => self.csv_error(
                    line,
                    i + 1,
                    "unknown_column",
                    format!(
                        "`{cell}` is not a zone column; use {}",
                        ZONE_COLUMNS.join(", ")
                    ),
                ),
            }
        }
        for required in ["first_slab", "additional_slab"] {
            if !columns.contains_key(required) {
                self.csv_error(
                    line,
                    cells.len() + 1,
                    "missing_column",
                    format!("the zone header needs a `{required}` column"),
                );
            }
        }
        Section::Zones(columns)
    }

    fn zone_row(&mut self, line: u64, cells: &[&str], columns: &HashMap<&'static str, usize>) {
        let zone = cells[0].to_string();
        let base = format!("/zones/{}", zone.replace('~', "~0").replace('/', "~1"));
        if !self.remember(&base, line, 1, "zone") {
            return;
        }
        if let Some(extra) = (columns.len()..cells.len()).next() {
            self.csv_error(
                line,
                extra + 1,
                "extra_cell",
                "more cells than header columns",
            );
        }
        let mut rate = ZoneRateInput::default();
        for (&column, &i) in columns {
            if column == "zone" {
                continue;
            }
            let pointer = format!("{base}/{column}");
            self.remember(&pointer, line, i + 1, column);
            let Some(text) = cells.get(i).filter(|t| !t.is_empty()) else {
                continue;
            };
            let value = self.integer(line, i + 1, column, text);
            match column {
                "first_slab" => rate.first_slab = value,
                "additional_slab" => rate.additional_slab = value,
                "transit_days" => rate.transit_days = value,
                _ => unreachable!("zone columns are known"),
            }
        }
        self.input
            .zones
            .get_or_insert_with(BTreeMap::new)
            .insert(zone, rate);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ratecard::Zone;

    const CARD: &str = "\u{feff}setting,value,,
name,\"Surface, 2026\"
currency,INR
volumetric_divisor,5000
first_slab_g,500
additional_slab_g,500
cod_percent,1.5
cod_minimum,3500
fuel_surcharge_percent,12.5%
gst_percent,18

zone,first_slab,additional_slab,transit_days
within_city,3000,2800,1
rest_of_india,5000,4500,
";

    #[test]
    fn a_spreadsheet_export_parses_like_its_json_twin() {
        let card = parse(CARD).expect("valid");
        assert_eq!(card.name, "Surface, 2026");
        assert_eq!(card.zones[&Zone::WithinCity].additional_slab, 2800);
        assert_eq!(card.zones[&Zone::RestOfIndia].transit_days, None);
        assert_eq!(card.fuel_surcharge_percent.basis_points(), 1250);
        assert_eq!(card.cod.unwrap().minimum, 3500);
        // The same card as JSON parses to the same value.
        let json = serde_json::json!({
            "name": "Surface, 2026", "currency": "INR", "volumetric_divisor": 5000,
            "first_slab_g": 500, "additional_slab_g": 500,
            "zones": {"within_city": {"first_slab": 3000, "additional_slab": 2800, "transit_days": 1},
                      "rest_of_india": {"first_slab": 5000, "additional_slab": 4500}},
            "cod": {"percent": "1.5", "minimum": 3500},
            "fuel_surcharge_percent": "12.5", "gst_percent": "18"
        });
        let from_json = RateCard::parse(&serde_json::from_value(json).unwrap()).unwrap();
        assert_eq!(card, from_json);
    }

    #[test]
    fn zones_may_come_first_and_columns_in_any_order() {
        let text = "zone,additional_slab,first_slab\nspecial,6500,7000\n\nsetting,value\nname,X\nvolumetric_divisor,4000\nfirst_slab_g,250\nadditional_slab_g,250\ngst_percent,18\n";
        let card = parse(text).expect("valid");
        assert_eq!(card.zones[&Zone::Special].first_slab, 7000);
        assert_eq!(card.fuel_surcharge_percent.basis_points(), 0);
        assert!(card.cod.is_none());
    }

    fn errors(text: &str) -> Vec<(String, String, String)> {
        parse(text)
            .expect_err("invalid")
            .into_iter()
            .map(|e| (e.pointer, e.code, e.detail))
            .collect()
    }

    #[test]
    fn validation_errors_keep_the_card_pointer_and_name_the_cell() {
        let text = CARD
            .replace("within_city,3000,2800,1", "within_city,0,2800,1")
            .replace("gst_percent,18", "gst_percent,eighteen");
        let got = errors(&text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "/zones/within_city/first_slab");
        assert!(
            got[0].2.ends_with("(line 13, column 2 `first_slab`)"),
            "{got:?}"
        );
        assert_eq!(got[1].0, "/gst_percent");
        assert!(
            got[1].2.ends_with("(line 10, column 2 `gst_percent`)"),
            "{got:?}"
        );
    }

    #[test]
    fn problems_with_the_file_point_at_line_and_column() {
        let got = errors(
            "name,X\nsetting,value\nfuel,3\nfirst_slab_g,half\nname,X\nname,Y\nzone,first_slab,price\nwithin_city,abc\n",
        );
        let pointers: Vec<_> = got
            .iter()
            .map(|(p, c, _)| (p.as_str(), c.as_str()))
            .collect();
        assert_eq!(
            pointers,
            vec![
                ("/csv/1/1", "outside_section"),
                ("/csv/3/1", "unknown_setting"),
                ("/csv/4/2", "invalid_type"),
                ("/csv/6/2", "duplicate"),
                ("/csv/7/3", "unknown_column"),
                ("/csv/7/4", "missing_column"),
                ("/csv/8/2", "invalid_type"),
            ],
            "{got:?}"
        );
        assert!(
            got[2]
                .2
                .starts_with("line 4, column 2: `first_slab_g` is a whole number of grams")
        );
    }

    #[test]
    fn an_unknown_zone_row_is_pointed_at_with_its_line() {
        let got = errors(&CARD.replace("rest_of_india,", "rest_of_inda,"));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (got[0].0.as_str(), got[0].1.as_str()),
            ("/zones/rest_of_inda", "unknown_zone")
        );
        assert!(got[0].2.ends_with("(line 14, column 1 `zone`)"), "{got:?}");
    }
}
