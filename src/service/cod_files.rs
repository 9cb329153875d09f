//! Reading COD remittance files: CSV in each carrier's own column layout, recognised from
//! the header row or named by the caller.
//!
//! Neither Delhivery nor Shiprocket publishes its remittance file's columns (both offer
//! the file as a download from their seller panels, and neither has a remittance API in
//! the public documentation). The two carrier layouts here are therefore **assumed**:
//! the column names their panels and APIs use elsewhere (Delhivery calls an AWB a
//! *waybill*; Shiprocket numbers each payout with a *CRF ID* and names AWBs `awb_code`),
//! with aliases for the spellings a spreadsheet export tends to produce. The `generic`
//! layout is shipgate's own, for any carrier, and documented in `docs/after-the-label.md`.
//!
//! Reading is strict and all-or-nothing: every bad cell is reported at
//! `/lines/<line>/<field>` (the file's line number, the header being line 1, so it is the
//! row a spreadsheet shows), a missing column at `/columns/<field>`, and nothing of a file
//! with any error is stored.

use carriers::schema::{Currency, FieldError, Money};
use chrono::NaiveDate;

/// At most this many problems are reported for one file (the rest are alike).
const MAX_ERRORS: usize = 100;

/// A known layout of remittance file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// `delhivery`, `shiprocket` or `generic`.
    pub name: &'static str,
    /// The carrier whose shipments its lines are; `None`: any (a `carrier` column may say).
    pub carrier: Option<&'static str>,
    /// A header only this layout has, by which it is recognised.
    marker: &'static str,
    /// The headers of each field, first the one the layout documents, then aliases
    /// (compared without case, spaces, underscores or dots).
    awb: &'static [&'static str],
    amount: &'static [&'static str],
    utr: &'static [&'static str],
    remitted_on: &'static [&'static str],
    /// Optional: the amounts' currency (INR when absent).
    currency: &'static [&'static str],
    /// Optional (generic only): the carrier id of the line's shipment.
    carrier_column: &'static [&'static str],
}

/// Delhivery's remittance report (assumed, see the module docs).
pub const DELHIVERY: Layout = Layout {
    name: "delhivery",
    carrier: Some("delhivery"),
    marker: "waybill",
    awb: &["Waybill", "Waybill No", "Waybill Number"],
    amount: &["COD Amount", "Collected Amount", "Amount"],
    utr: &["UTR No", "UTR", "UTR Number", "Bank Reference No"],
    remitted_on: &["Remittance Date", "Remitted On", "Payment Date"],
    currency: &[],
    carrier_column: &[],
};

/// Shiprocket's COD remittance export (assumed, see the module docs).
pub const SHIPROCKET: Layout = Layout {
    name: "shiprocket",
    carrier: Some("shiprocket"),
    marker: "crfid",
    awb: &["AWB Code", "AWB", "AWB No", "AWB Number"],
    amount: &["Remitted Amount", "COD Amount"],
    utr: &["UTR", "UTR No", "UTR Number"],
    remitted_on: &["Remittance Date", "Remitted On", "Date"],
    currency: &[],
    carrier_column: &[],
};

/// shipgate's own layout, for any carrier.
pub const GENERIC: Layout = Layout {
    name: "generic",
    carrier: None,
    marker: "remittedon",
    awb: &["awb"],
    amount: &["amount"],
    utr: &["utr"],
    remitted_on: &["remitted_on"],
    currency: &["currency"],
    carrier_column: &["carrier"],
};

pub const LAYOUTS: [Layout; 3] = [DELHIVERY, SHIPROCKET, GENERIC];

impl Layout {
    pub fn named(name: &str) -> Option<Layout> {
        LAYOUTS.into_iter().find(|l| l.name == name)
    }

    /// The layout of a carrier's files.
    pub fn of_carrier(carrier: &str) -> Layout {
        LAYOUTS
            .into_iter()
            .find(|l| l.carrier == Some(carrier))
            .unwrap_or(GENERIC)
    }
}

/// One remitted line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemittanceLine {
    /// The line in the file (the header is line 1).
    pub line_no: i64,
    pub awb: String,
    pub utr: String,
    pub remitted_on: NaiveDate,
    pub amount: Money,
    /// The carrier the line names (generic layout), else the layout's.
    pub carrier: Option<String>,
}

/// A file read whole.
#[derive(Debug)]
pub struct RemittanceFile {
    pub layout: Layout,
    pub lines: Vec<RemittanceLine>,
}

fn norm(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '.' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn error(pointer: String, code: &str, detail: impl Into<String>) -> FieldError {
    FieldError {
        pointer,
        code: code.into(),
        detail: detail.into(),
    }
}

/// Reads `content` in `layout` (recognised from the header row when `None`).
pub fn read(content: &[u8], layout: Option<Layout>) -> Result<RemittanceFile, Vec<FieldError>> {
    let text = std::str::from_utf8(content).map_err(|e| {
        vec![error(
            "/lines".into(),
            "not_utf8",
            format!("the file is not UTF-8 text (byte {})", e.valid_up_to()),
        )]
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = loop {
        match records.next() {
            None => {
                return Err(vec![error(
                    "/lines".into(),
                    "empty_file",
                    "the file has no header row",
                )]);
            }
            Some(Err(e)) => return Err(vec![csv_error(text, &e)]),
            Some(Ok(r)) if r.iter().all(str::is_empty) => continue,
            Some(Ok(r)) => break r,
        }
    };
    let headers: Vec<String> = header.iter().map(norm).collect();
    let layout = match layout {
        Some(l) => l,
        None => LAYOUTS
            .into_iter()
            .find(|l| headers.iter().any(|h| *h == l.marker))
            .ok_or_else(|| {
                vec![error(
                    "/layout".into(),
                    "unknown_layout",
                    "the header row matches no known layout (delhivery: `Waybill`, shiprocket: \
                     `CRF ID`, generic: `remitted_on`); name one with the `layout` parameter",
                )]
            })?,
    };
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| headers.iter().position(|h| *h == norm(n)))
    };
    let mut errors = Vec::new();
    let mut required = |field: &str, names: &[&str]| {
        let found = find(names);
        if found.is_none() {
            errors.push(error(
                format!("/columns/{field}"),
                "missing_column",
                format!(
                    "the {} layout needs a `{}` column",
                    layout.name,
                    names.first().copied().unwrap_or(field)
                ),
            ));
        }
        found.unwrap_or(0)
    };
    let awb_at = required("awb", layout.awb);
    let amount_at = required("amount", layout.amount);
    let utr_at = required("utr", layout.utr);
    let date_at = required("remitted_on", layout.remitted_on);
    if !errors.is_empty() {
        return Err(errors);
    }
    let currency_at = find(layout.currency);
    let carrier_at = find(layout.carrier_column);

    // The csv reader does not count the blank lines it skips: lines are counted here,
    // from each record's byte offset.
    let (mut counted_to, mut counted_lines) = (0usize, 1i64);
    let mut line_of = |mut byte: usize| {
        // A record's position may be that of the blank lines before it.
        while matches!(text.as_bytes().get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        counted_lines += text.as_bytes()[counted_to..byte]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as i64;
        counted_to = byte;
        counted_lines
    };
    let mut lines = Vec::new();
    for record in records {
        if errors.len() >= MAX_ERRORS {
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(csv_error(text, &e));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let line_no = line_of(record.position().map_or(0, |p| p.byte() as usize));
        let cell = |at: usize| record.get(at).unwrap_or("");
        let at = |field: &str| format!("/lines/{line_no}/{field}");
        let mut bad = |field: &str, code: &str, detail: String| {
            errors.push(error(at(field), code, detail));
        };
        let awb = cell(awb_at);
        if awb.is_empty() || awb.len() > 64 {
            bad(
                "awb",
                "invalid_awb",
                format!("`{awb}` is not an AWB (1 to 64 characters)"),
            );
        }
        let utr = cell(utr_at);
        if utr.is_empty() || utr.len() > 64 {
            bad(
                "utr",
                "invalid_utr",
                format!("`{utr}` is not a UTR (1 to 64 characters)"),
            );
        }
        let remitted_on = date(cell(date_at));
        if remitted_on.is_none() {
            bad(
                "remitted_on",
                "invalid_date",
                format!(
                    "`{}` is not a date (YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY or DD-Mon-YYYY)",
                    cell(date_at)
                ),
            );
        }
        let currency = match currency_at.map(cell).filter(|c| !c.is_empty()) {
            None => Some(Currency::inr()),
            Some(code) => {
                let parsed = Currency::parse(code);
                if parsed.is_none() {
                    bad(
                        "currency",
                        "invalid_currency",
                        format!("`{code}` is not an ISO 4217 currency code"),
                    );
                }
                parsed
            }
        };
        let amount = currency.as_ref().and_then(|c| {
            let parsed = minor_units(cell(amount_at), c);
            if parsed.is_none() {
                bad(
                    "amount",
                    "invalid_amount",
                    format!(
                        "`{}` is not an amount of {} (like 1499.50; no sign)",
                        cell(amount_at),
                        c.as_str()
                    ),
                );
            }
            parsed
        });
        let carrier = match carrier_at.map(cell).filter(|c| !c.is_empty()) {
            Some(c) => Some(c.to_ascii_lowercase()),
            None => layout.carrier.map(str::to_string),
        };
        if let (Some(remitted_on), Some(amount), Some(currency)) = (remitted_on, amount, currency) {
            lines.push(RemittanceLine {
                line_no,
                awb: awb.to_string(),
                utr: utr.to_string(),
                remitted_on,
                amount: Money { amount, currency },
                carrier,
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if lines.is_empty() {
        return Err(vec![error(
            "/lines".into(),
            "no_lines",
            "the file has a header row but no lines",
        )]);
    }
    Ok(RemittanceFile { layout, lines })
}

fn csv_error(text: &str, e: &csv::Error) -> FieldError {
    let byte = e
        .position()
        .map_or(0, |p| p.byte() as usize)
        .min(text.len());
    let line = text.as_bytes()[..byte]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1;
    error(
        format!("/lines/{line}"),
        "unreadable_line",
        format!("not a CSV line: {e}"),
    )
}

/// Dates as Indian exports write them: ISO, day first (never month first), or with a
/// time after them (ignored).
fn date(text: &str) -> Option<NaiveDate> {
    let day = text.split([' ', 'T']).next().unwrap_or("");
    ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d-%b-%Y", "%d %b %Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(day, f).ok())
        .or_else(|| NaiveDate::parse_from_str(text, "%d %b %Y").ok())
}

/// A decimal amount in major units (`1499.5`, `1,499.50`, `₹1499`) as minor units of
/// `currency`; no sign, no more decimals than the currency has.
fn minor_units(text: &str, currency: &Currency) -> Option<i64> {
    let exponent = u32::from(currency.minor_unit_exponent().unwrap_or(2));
    let text = text
        .trim_start_matches('₹')
        .trim_start_matches("Rs.")
        .trim_start_matches("Rs")
        .trim()
        .replace(',', "");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > exponent as usize
    {
        return None;
    }
    if whole.len() > 13 {
        return None;
    }
    let scale = 10i64.pow(exponent);
    let fraction_value: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse::<i64>().ok()? * 10i64.pow(exponent - fraction.len() as u32)
    };
    whole
        .parse::<i64>()
        .ok()?
        .checked_mul(scale)?
        .checked_add(fraction_value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointers(e: &[FieldError]) -> Vec<&str> {
        e.iter().map(|e| e.pointer.as_str()).collect()
    }

    #[test]
    fn each_layout_is_recognised_from_its_header() {
        let delhivery = "Waybill,Order ID,COD Amount,UTR No,Remittance Date\n\
                         1234567890,ORD-1,1499.50,UTR1,2026-12-01\n";
        let f = read(delhivery.as_bytes(), None).unwrap();
        assert_eq!(f.layout.name, "delhivery");
        assert_eq!(f.lines[0].amount.amount, 149_950);
        assert_eq!(f.lines[0].line_no, 2);
        assert_eq!(f.lines[0].carrier.as_deref(), Some("delhivery"));

        let shiprocket = "\u{feff}CRF ID,AWB Code,Order ID,Courier,COD Amount,Remitted Amount,Remittance Date,UTR\n\
                          CRF9,SR1,ORD-2,Xpressbees,\"1,200\",\"1,200.00\",01-12-2026,UTR2\n";
        let f = read(shiprocket.as_bytes(), None).unwrap();
        assert_eq!(f.layout.name, "shiprocket");
        assert_eq!(f.lines[0].amount.amount, 120_000);
        assert_eq!(
            f.lines[0].remitted_on,
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );

        let generic =
            "awb,amount,currency,utr,remitted_on,carrier\nX1,10,INR,U,2026-12-01 10:00:00,DTDC\n";
        let f = read(generic.as_bytes(), None).unwrap();
        assert_eq!(f.layout.name, "generic");
        assert_eq!(f.lines[0].carrier.as_deref(), Some("dtdc"));
        assert_eq!(f.lines[0].amount.amount, 1000);
    }

    #[test]
    fn bad_cells_are_reported_at_their_line_and_field() {
        let text = "Waybill,COD Amount,UTR No,Remittance Date\n\
                    A1,12.345,U1,2026-12-01\n\
                    \n\
                    ,-5,U2,12/31/2026\n";
        let e = read(text.as_bytes(), None).unwrap_err();
        assert_eq!(
            pointers(&e),
            [
                "/lines/2/amount",
                "/lines/4/awb",
                "/lines/4/remitted_on",
                "/lines/4/amount"
            ]
        );
        let e = read(b"Waybill,UTR No\nA,B\n", None).unwrap_err();
        assert_eq!(pointers(&e), ["/columns/amount", "/columns/remitted_on"]);
        let e = read(b"foo,bar\n1,2\n", None).unwrap_err();
        assert_eq!(pointers(&e), ["/layout"]);
        let e = read(b"awb,amount,utr,remitted_on\n", None).unwrap_err();
        assert_eq!(pointers(&e), ["/lines"]);
        let e = read(b"", None).unwrap_err();
        assert_eq!(pointers(&e), ["/lines"]);
        // A named layout is taken even where the header would say otherwise.
        let e = read(
            b"awb,amount,utr,remitted_on\nA,1,U,2026-12-01\n",
            Some(DELHIVERY),
        )
        .unwrap_err();
        assert_eq!(pointers(&e)[0], "/columns/awb");
    }

    #[test]
    fn amounts_are_exact_minor_units() {
        let inr = Currency::inr();
        for (text, want) in [
            ("0", Some(0)),
            ("1499", Some(149_900)),
            ("1499.5", Some(149_950)),
            ("₹ 1,499.05", Some(149_905)),
            ("Rs. 10", Some(1000)),
            ("1.234", None),
            ("-1", None),
            ("1e3", None),
            ("", None),
            (".5", None),
        ] {
            assert_eq!(minor_units(text, &inr), want, "{text}");
        }
        assert_eq!(
            minor_units("12", &Currency::parse("JPY").unwrap()),
            Some(12)
        );
        assert_eq!(minor_units("1.5", &Currency::parse("JPY").unwrap()), None);
    }
}
