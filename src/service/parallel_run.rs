//! The parallel-run comparison (`POST /v1/parallel-run/compare`): the OMS's actual
//! bookings next to what shipgate would have booked for the same orders, per lane and
//! overall — how often it would have chosen differently, what it would have cost, and
//! what the OMS's choices led to next to shipgate's scorecard for its own choice.
//!
//! Each actual booking is matched with the latest dry run of its order (`dry_runs`);
//! without one, when the row has its lane (origin and destination PIN codes, weight) it
//! is priced now exactly as an `auto` dry run is (`DryRuns::choose`, bounded
//! concurrency, one deadline for them all) and marked `quoted_now`; else `unmatched`.
//! Rows come as JSON or CSV; a bad row is reported at its pointer and the rest compared.
//! Nothing is written.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use carriers::schema::{Currency, FieldError, Money, ShipmentRequest, ShipmentRequestInput};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use super::dry_runs::{DryRuns, view_of};
use crate::analytics::{Lane, Scores, pct, region, region_of};
use crate::error::ApiError;

/// Rows one comparison takes.
pub const MAX_ROWS: usize = 50_000;
/// The scorecard window shown next to each lane.
pub const SCORECARD_WINDOW_DAYS: u32 = 30;

/// What the OMS's booking led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActualOutcome {
    Delivered,
    Rto,
    Lost,
    InTransit,
    Cancelled,
}

impl ActualOutcome {
    fn parse(s: &str) -> Option<ActualOutcome> {
        Some(match s {
            "delivered" => ActualOutcome::Delivered,
            "rto" => ActualOutcome::Rto,
            "lost" => ActualOutcome::Lost,
            "in_transit" => ActualOutcome::InTransit,
            "cancelled" => ActualOutcome::Cancelled,
            _ => return None,
        })
    }
}

/// One booking the OMS made itself (a JSON item; CSV has the same columns, `cost` as
/// `cost_amount` and `cost_currency`, `cod_amount` in minor units of `cost_currency`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct ActualBookingInput {
    #[schema(example = "ORD-1001")]
    order_ref: String,
    /// The carrier the OMS booked with (a shipgate carrier id or account to compare).
    #[schema(example = "bluedart")]
    carrier: String,
    service: Option<String>,
    /// What the OMS paid, in minor units.
    cost: Money,
    outcome: Option<ActualOutcome>,
    /// RFC 3339 or `YYYY-MM-DD`.
    booked_at: Option<String>,
    /// With `to_postal_code` and `weight_g`: the lane, and enough to price an order that
    /// has no dry run (`quoted_now`). Indian PIN codes.
    #[schema(example = "110020")]
    from_postal_code: Option<String>,
    #[schema(example = "560001")]
    to_postal_code: Option<String>,
    #[schema(minimum = 1)]
    weight_g: Option<u32>,
    #[schema(value_type = Option<carriers::schema::PaymentMode>)]
    payment_mode: Option<String>,
    cod_amount: Option<Money>,
}

/// The JSON body of a comparison.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct CompareInput {
    #[schema(max_items = 50000)]
    bookings: Vec<ActualBookingInput>,
}

/// Where a row came from, for its pointers.
pub enum Source {
    /// `/bookings/<i>/<field>`.
    Json,
    /// `/csv/<line>/<column>` (columns counted from 1, as a spreadsheet shows them).
    Csv(HashMap<String, usize>),
}

/// A row read, before it is parsed: where it is and its fields.
pub struct RawRow {
    /// `/bookings/3` or `/csv/4`.
    pub at: String,
    pub fields: Map<String, Value>,
}

impl Source {
    fn pointer(&self, row: &RawRow, field: &str) -> String {
        match self {
            Source::Json => format!("{}/{field}", row.at),
            Source::Csv(columns) => {
                let column = match field {
                    "cost/amount" => "cost_amount",
                    "cost/currency" | "cost" => "cost_currency",
                    "cod_amount/amount" | "cod_amount/currency" => "cod_amount",
                    other => other,
                };
                match columns.get(column) {
                    Some(i) => format!("{}/{}", row.at, i + 1),
                    None => format!("{}/{column}", row.at),
                }
            }
        }
    }
}

/// The JSON body's rows.
pub fn json_rows(body: &[u8]) -> Result<(Source, Vec<RawRow>), ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| ApiError::MalformedJson {
        detail: e.to_string(),
    })?;
    let Some(items) = value.get("bookings").and_then(Value::as_array) else {
        return Err(ApiError::Validation(vec![FieldError {
            pointer: "/bookings".into(),
            code: "required".into(),
            detail: "`bookings` is the array of the OMS's bookings".into(),
        }]));
    };
    too_many(items.len())?;
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| RawRow {
            at: format!("/bookings/{i}"),
            fields: item.as_object().cloned().unwrap_or_default(),
        })
        .collect();
    Ok((Source::Json, rows))
}

/// The CSV body's rows, by its header row; money columns become the JSON shape.
pub fn csv_rows(body: &[u8]) -> Result<(Source, Vec<RawRow>), ApiError> {
    let text = String::from_utf8_lossy(body);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            ApiError::Validation(vec![FieldError {
                pointer: format!("/csv/{line}"),
                code: "invalid_csv".into(),
                detail: format!("unreadable CSV: {e}"),
            }])
        })?;
        let line = r.position().map_or(0, |p| p.line());
        let cells: Vec<String> = r.iter().map(str::to_string).collect();
        if !cells.iter().all(String::is_empty) {
            records.push((line, cells));
        }
    }
    let mut records = records.into_iter();
    let Some((header_line, header)) = records.next() else {
        return Err(ApiError::Validation(vec![FieldError {
            pointer: "/csv/1".into(),
            code: "empty_file".into(),
            detail: "the file has no header row".into(),
        }]));
    };
    let columns: HashMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.to_ascii_lowercase(), i))
        .collect();
    let missing: Vec<FieldError> = ["order_ref", "carrier", "cost_amount", "cost_currency"]
        .iter()
        .filter(|c| !columns.contains_key(**c))
        .map(|c| FieldError {
            pointer: format!("/csv/{header_line}"),
            code: "missing_column".into(),
            detail: format!("the header row has no `{c}` column"),
        })
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::Validation(missing));
    }
    let records: Vec<_> = records.collect();
    too_many(records.len())?;
    let rows = records
        .into_iter()
        .map(|(line, cells)| {
            let cell = |name: &str| {
                columns
                    .get(name)
                    .and_then(|i| cells.get(*i))
                    .filter(|c| !c.is_empty())
            };
            // Numbers stay text when they are not numbers, to be refused at their cell.
            let number = |c: &String| c.parse::<i64>().map_or(json!(c), |n| json!(n));
            let mut fields = Map::new();
            for name in [
                "order_ref",
                "carrier",
                "service",
                "outcome",
                "booked_at",
                "from_postal_code",
                "to_postal_code",
                "payment_mode",
            ] {
                if let Some(c) = cell(name) {
                    fields.insert(name.into(), json!(c));
                }
            }
            if let Some(c) = cell("weight_g") {
                fields.insert("weight_g".into(), number(c));
            }
            let currency = cell("cost_currency").cloned().unwrap_or_default();
            if cell("cost_amount").is_some() || cell("cost_currency").is_some() {
                let amount = cell("cost_amount").map_or(Value::Null, number);
                fields.insert(
                    "cost".into(),
                    json!({"amount": amount, "currency": currency}),
                );
            }
            if let Some(c) = cell("cod_amount") {
                fields.insert(
                    "cod_amount".into(),
                    json!({"amount": number(c), "currency": currency}),
                );
            }
            RawRow {
                at: format!("/csv/{line}"),
                fields,
            }
        })
        .collect();
    Ok((Source::Csv(columns), rows))
}

fn too_many(rows: usize) -> Result<(), ApiError> {
    if rows <= MAX_ROWS {
        return Ok(());
    }
    Err(ApiError::Validation(vec![FieldError {
        pointer: "/bookings".into(),
        code: "too_many_rows".into(),
        detail: format!("{rows} bookings; compare at most {MAX_ROWS} at once"),
    }]))
}

/// A booking row that parsed.
#[derive(Debug, Clone)]
struct Actual {
    at: String,
    order_ref: String,
    carrier: String,
    service: Option<String>,
    cost: Money,
    outcome: Option<ActualOutcome>,
    from_postal_code: Option<String>,
    to_postal_code: Option<String>,
    weight_g: Option<u32>,
    payment_mode: Option<String>,
    cod_amount: Option<Money>,
}

fn parse_row(source: &Source, row: &RawRow) -> Result<Actual, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, code: &str, detail: String| {
        errors.push(FieldError {
            pointer: source.pointer(row, field),
            code: code.into(),
            detail,
        });
    };
    let f = &row.fields;
    let text = |name: &str| {
        f.get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let order_ref = text("order_ref").map(str::to_string);
    if order_ref.is_none() {
        bad(
            "order_ref",
            "required",
            "the order reference is required".into(),
        );
    }
    let carrier = text("carrier").map(str::to_ascii_lowercase);
    if carrier.is_none() {
        bad(
            "carrier",
            "required",
            "the carrier the OMS booked with is required".into(),
        );
    }
    let money = |name: &str, bad: &mut dyn FnMut(&str, &str, String)| -> Option<Money> {
        let value = f.get(name)?;
        let amount = value.get("amount").and_then(Value::as_i64);
        if amount.is_none_or(|a| a < 0) {
            bad(
                &format!("{name}/amount"),
                "invalid_amount",
                "an amount is a whole number of minor units (paise), 0 or more".into(),
            );
        }
        let currency = value
            .get("currency")
            .and_then(Value::as_str)
            .and_then(Currency::parse);
        if currency.is_none() {
            bad(
                &format!("{name}/currency"),
                "invalid_currency",
                "an ISO 4217 currency code such as INR".into(),
            );
        }
        Some(Money {
            amount: amount?,
            currency: currency?,
        })
    };
    let cost = money("cost", &mut bad);
    if !f.contains_key("cost") {
        bad(
            "cost",
            "required",
            "what the OMS paid, as {amount, currency}".into(),
        );
    }
    let cod_amount = money("cod_amount", &mut bad);
    let outcome = text("outcome").and_then(|o| {
        let parsed = ActualOutcome::parse(o);
        if parsed.is_none() {
            bad(
                "outcome",
                "invalid_outcome",
                format!("`{o}` is not delivered, rto, lost, in_transit or cancelled"),
            );
        }
        parsed
    });
    if let Some(at) = text("booked_at") {
        let ok = chrono::DateTime::parse_from_rfc3339(at).is_ok()
            || chrono::NaiveDate::parse_from_str(at, "%Y-%m-%d").is_ok();
        if !ok {
            bad("booked_at", "invalid_date", "RFC 3339 or YYYY-MM-DD".into());
        }
    }
    let weight_g = f.get("weight_g").and_then(|w| {
        let parsed = w
            .as_u64()
            .and_then(|w| u32::try_from(w).ok())
            .filter(|w| *w > 0);
        if parsed.is_none() {
            bad(
                "weight_g",
                "invalid_weight",
                "grams, a whole number above 0".into(),
            );
        }
        parsed
    });
    let payment_mode = text("payment_mode").and_then(|m| {
        if m == "prepaid" || m == "cod" {
            Some(m.to_string())
        } else {
            bad(
                "payment_mode",
                "invalid_payment_mode",
                "prepaid or cod".into(),
            );
            None
        }
    });
    match (order_ref, carrier, cost) {
        (Some(order_ref), Some(carrier), Some(cost)) if errors.is_empty() => Ok(Actual {
            at: row.at.clone(),
            order_ref,
            carrier,
            service: text("service").map(str::to_string),
            cost,
            outcome,
            from_postal_code: text("from_postal_code").map(str::to_string),
            to_postal_code: text("to_postal_code").map(str::to_string),
            weight_g,
            payment_mode,
            cod_amount,
        }),
        _ => Err(errors),
    }
}

/// How an actual booking was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Matched {
    /// Compared with the latest dry run of the order.
    DryRun,
    /// No dry run: priced now from the row's lane fields, as an `auto` dry run is.
    QuotedNow,
    /// Not compared (`reason`).
    Unmatched,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActualChoice {
    pub carrier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    pub cost: Money,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ActualOutcome>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShipgateChoice {
    pub carrier_account: String,
    pub carrier: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Absent when the carrier gave no quote.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<Money>,
}

/// One order compared.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrderComparison {
    pub order_ref: String,
    /// The row: `/bookings/<i>` or `/csv/<line>`.
    pub row: String,
    pub matched: Matched,
    /// Why it is `unmatched`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lane: Option<Lane>,
    pub actual: ActualChoice,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipgate: Option<ShipgateChoice>,
    /// shipgate would have booked another carrier, or another service of it.
    pub different: bool,
    /// `actual.cost - shipgate.total` when both are priced in one currency (negative:
    /// shipgate's choice costs more).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saving: Option<Money>,
}

/// What the OMS's own choices led to, as the rows say.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct OutcomeCounts {
    pub delivered: u64,
    pub rto: u64,
    pub lost: u64,
    pub in_transit: u64,
    pub cancelled: u64,
    /// Rows without an outcome.
    pub unknown: u64,
    /// Of the rows that reached an end (delivered, rto, lost).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_pct: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rto_pct: Option<f64>,
}

/// Counts and money of a set of orders.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Totals {
    /// Rows that parsed.
    pub orders: u64,
    pub from_dry_runs: u64,
    pub quoted_now: u64,
    pub unmatched: u64,
    /// Compared orders where shipgate would have chosen another carrier or service.
    pub different: u64,
    /// Compared orders with both prices in one currency: what the OMS paid for them…
    pub actual_cost: Vec<Money>,
    /// …what shipgate's choices were quoted for them…
    pub shipgate_cost: Vec<Money>,
    /// …and the difference (`actual_cost - shipgate_cost`), per currency.
    pub savings: Vec<Money>,
    pub oms_outcomes: OutcomeCounts,
}

/// shipgate's scorecard for the account it chose most on a lane (last 30 days).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LaneScorecard {
    pub carrier_account: String,
    pub window_days: u32,
    pub shipments: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_pct: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rto_pct: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LaneReport {
    pub lane: Lane,
    #[serde(flatten)]
    pub totals: Totals,
    /// Absent when shipgate has no history with its choice on the lane.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipgate_scorecard: Option<LaneScorecard>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompareReport {
    pub overall: Totals,
    /// By origin region → destination region (`analytics`' lanes: an Indian state, or
    /// a country), most orders first; rows without a lane count only overall.
    pub lanes: Vec<LaneReport>,
    /// The orders that differ or are unmatched, in row order, one page of them.
    pub orders: Vec<OrderComparison>,
    /// Pass as `cursor` (with the same body) for the next page; `null` on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
    /// Rows not compared because they do not parse, at their pointers.
    pub errors: Vec<FieldError>,
}

#[derive(Default)]
struct Sums {
    totals: Totals,
    actual: BTreeMap<String, i64>,
    shipgate: BTreeMap<String, i64>,
    accounts: BTreeMap<String, u64>,
}

impl Sums {
    fn add(&mut self, c: &OrderComparison) {
        let t = &mut self.totals;
        t.orders += 1;
        match c.matched {
            Matched::DryRun => t.from_dry_runs += 1,
            Matched::QuotedNow => t.quoted_now += 1,
            Matched::Unmatched => t.unmatched += 1,
        }
        t.different += u64::from(c.different);
        let o = &mut t.oms_outcomes;
        match c.actual.outcome {
            Some(ActualOutcome::Delivered) => o.delivered += 1,
            Some(ActualOutcome::Rto) => o.rto += 1,
            Some(ActualOutcome::Lost) => o.lost += 1,
            Some(ActualOutcome::InTransit) => o.in_transit += 1,
            Some(ActualOutcome::Cancelled) => o.cancelled += 1,
            None => o.unknown += 1,
        }
        if let Some(s) = &c.shipgate {
            *self.accounts.entry(s.carrier_account.clone()).or_default() += 1;
            if let (Some(_), Some(total)) = (&c.saving, &s.total) {
                let currency = total.currency.as_str().to_string();
                *self.actual.entry(currency.clone()).or_default() += c.actual.cost.amount;
                *self.shipgate.entry(currency).or_default() += total.amount;
            }
        }
    }

    fn finish(mut self) -> (Totals, Option<String>) {
        let money = |m: &BTreeMap<String, i64>| -> Vec<Money> {
            m.iter()
                .filter_map(|(c, a)| {
                    Some(Money {
                        amount: *a,
                        currency: Currency::parse(c)?,
                    })
                })
                .collect()
        };
        let t = &mut self.totals;
        t.actual_cost = money(&self.actual);
        t.shipgate_cost = money(&self.shipgate);
        let savings: BTreeMap<String, i64> = self
            .actual
            .iter()
            .map(|(c, a)| (c.clone(), a - self.shipgate.get(c).copied().unwrap_or(0)))
            .collect();
        t.savings = money(&savings);
        let o = &mut t.oms_outcomes;
        let ended = (o.delivered + o.rto + o.lost) as i64;
        o.delivered_pct = pct(o.delivered as i64, ended);
        o.rto_pct = pct(o.rto as i64, ended);
        let top = self
            .accounts
            .iter()
            .max_by_key(|(a, n)| (**n, std::cmp::Reverse((*a).clone())))
            .map(|(a, _)| a.clone());
        (self.totals, top)
    }
}

/// One page of the report's order list.
pub struct Page {
    pub offset: usize,
    pub limit: usize,
}

impl DryRuns {
    /// Compares the OMS's bookings (`rows` from [`json_rows`] or [`csv_rows`]) with what
    /// shipgate would have booked.
    pub async fn compare(
        &self,
        tenant_id: &str,
        scores: &Scores,
        source: Source,
        rows: Vec<RawRow>,
        page: Page,
    ) -> Result<CompareReport, ApiError> {
        let mut errors = Vec::new();
        let mut actuals = Vec::new();
        for row in &rows {
            match parse_row(&source, row) {
                Ok(actual) => actuals.push(actual),
                Err(e) => errors.extend(e),
            }
        }
        let order_refs: Vec<String> = actuals.iter().map(|a| a.order_ref.clone()).collect();
        let latest = self.store.latest_dry_runs(tenant_id, &order_refs).await?;

        // Orders without a dry run are priced now when their row has a lane.
        let accounts = self.registry.for_tenant(tenant_id);
        let deadline =
            tokio::time::Instant::now() + Duration::from_millis(self.config.quote_deadline_ms);
        let to_quote: Vec<(usize, Result<ShipmentRequest, String>)> = actuals
            .iter()
            .enumerate()
            .filter(|(_, a)| !latest.contains_key(&a.order_ref))
            .filter_map(|(i, a)| lane_request(a).map(|r| (i, r)))
            .collect();
        let quoted: HashMap<usize, Result<ShipgateChoice, String>> =
            futures::stream::iter(to_quote)
                .map(|(i, req)| {
                    let accounts = &accounts;
                    async move {
                        let req = match req {
                            Ok(req) => req,
                            Err(e) => return (i, Err(e)),
                        };
                        let chosen = tokio::time::timeout_at(
                            deadline,
                            self.choose(tenant_id, accounts, &req),
                        );
                        let result = match chosen.await {
                            Err(_) => Err("quote_deadline: not priced before the comparison's \
                                           deadline"
                                .to_string()),
                            Ok(Err(e)) => Err(format!("not priced: {}", why(&e))),
                            Ok(Ok(c)) => Ok(ShipgateChoice {
                                carrier_account: c.carrier_account,
                                carrier: c.carrier,
                                service: c.service,
                                total: c.quote.map(|q| q.total),
                            }),
                        };
                        (i, result)
                    }
                })
                .buffer_unordered(self.config.quote_concurrency.max(1))
                .collect()
                .await;

        let mut compared = Vec::with_capacity(actuals.len());
        for (i, a) in actuals.into_iter().enumerate() {
            let lane_of_row = match (&a.from_postal_code, &a.to_postal_code) {
                (Some(from), Some(to)) => Some(Lane {
                    origin: region_of("IN", from),
                    destination: region_of("IN", to),
                }),
                _ => None,
            };
            let (matched, reason, dry_run_id, lane, shipgate) = match latest.get(&a.order_ref) {
                Some(row) => {
                    let req: Option<ShipmentRequest> = serde_json::from_str(&row.request).ok();
                    let view = view_of(row)?;
                    (
                        Matched::DryRun,
                        None,
                        Some(row.id.clone()),
                        req.map(|r| Lane {
                            origin: region(&r.from),
                            destination: region(&r.to),
                        })
                        .or(lane_of_row),
                        Some(ShipgateChoice {
                            carrier_account: view.carrier_account,
                            carrier: view.carrier,
                            service: view.service,
                            total: view.total,
                        }),
                    )
                }
                None => match quoted.get(&i) {
                    Some(Ok(choice)) => (
                        Matched::QuotedNow,
                        None,
                        None,
                        lane_of_row,
                        Some(choice.clone()),
                    ),
                    Some(Err(reason)) => (
                        Matched::Unmatched,
                        Some(reason.clone()),
                        None,
                        lane_of_row,
                        None,
                    ),
                    None => (
                        Matched::Unmatched,
                        Some(
                            "no dry run of this order, and the row has no from_postal_code, \
                             to_postal_code and weight_g to price it now"
                                .into(),
                        ),
                        None,
                        lane_of_row,
                        None,
                    ),
                },
            };
            let different = shipgate.as_ref().is_some_and(|s| {
                let same_carrier = a.carrier == s.carrier || a.carrier == s.carrier_account;
                let same_service = match (&a.service, &s.service) {
                    (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
                    _ => true,
                };
                !(same_carrier && same_service)
            });
            let saving = shipgate
                .as_ref()
                .and_then(|s| s.total.as_ref())
                .filter(|t| t.currency == a.cost.currency)
                .map(|t| Money {
                    amount: a.cost.amount - t.amount,
                    currency: t.currency.clone(),
                });
            compared.push(OrderComparison {
                order_ref: a.order_ref,
                row: a.at,
                matched,
                reason,
                dry_run_id,
                lane,
                actual: ActualChoice {
                    carrier: a.carrier,
                    service: a.service,
                    cost: a.cost,
                    outcome: a.outcome,
                },
                shipgate,
                different,
                saving,
            });
        }

        let mut overall = Sums::default();
        let mut by_lane: BTreeMap<Lane, Sums> = BTreeMap::new();
        for c in &compared {
            overall.add(c);
            if let Some(lane) = &c.lane {
                by_lane.entry(lane.clone()).or_default().add(c);
            }
        }
        let history = scores
            .lanes(tenant_id, SCORECARD_WINDOW_DAYS, crate::selection::today())
            .await?;
        let mut lanes: Vec<LaneReport> = by_lane
            .into_iter()
            .map(|(lane, sums)| {
                let (totals, top) = sums.finish();
                let shipgate_scorecard = top.and_then(|account| {
                    let stats = history.get(&(account.clone(), lane.clone()))?;
                    Some(LaneScorecard {
                        carrier_account: account,
                        window_days: SCORECARD_WINDOW_DAYS,
                        shipments: stats.shipments,
                        delivered_pct: pct(stats.delivered, stats.shipments),
                        rto_pct: pct(stats.rto, stats.shipments),
                    })
                });
                LaneReport {
                    lane,
                    totals,
                    shipgate_scorecard,
                }
            })
            .collect();
        lanes.sort_by(|a, b| {
            b.totals
                .orders
                .cmp(&a.totals.orders)
                .then(a.lane.cmp(&b.lane))
        });
        let (overall, _) = overall.finish();

        let listed: Vec<OrderComparison> = compared
            .into_iter()
            .filter(|c| c.different || c.matched == Matched::Unmatched)
            .collect();
        let end = page.offset.saturating_add(page.limit).min(listed.len());
        let next_cursor = (end < listed.len()).then(|| end.to_string());
        let orders = listed
            .into_iter()
            .skip(page.offset)
            .take(page.limit)
            .collect();
        metrics::counter!("shipgate_parallel_run_compares_total").increment(1);
        for (matched, n) in [
            ("dry_run", overall.from_dry_runs),
            ("quoted_now", overall.quoted_now),
            ("unmatched", overall.unmatched),
        ] {
            metrics::counter!("shipgate_parallel_run_orders_total", "matched" => matched)
                .increment(n);
        }
        metrics::counter!("shipgate_parallel_run_row_errors_total").increment(errors.len() as u64);
        tracing::info!(
            orders = overall.orders,
            from_dry_runs = overall.from_dry_runs,
            quoted_now = overall.quoted_now,
            unmatched = overall.unmatched,
            different = overall.different,
            row_errors = errors.len(),
            lanes = lanes.len(),
            "parallel run compared"
        );
        Ok(CompareReport {
            overall,
            lanes,
            orders,
            next_cursor,
            errors,
        })
    }
}

/// An error's own words, with the fields' when it is a validation error.
fn why(e: &ApiError) -> String {
    match e {
        ApiError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{} ({})", e.detail, e.code))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// A booking request for an order without a dry run, from its row's lane fields (the
/// addresses are placeholders around the PIN codes: pricing reads only the lane);
/// `None` when the row has no lane to price.
fn lane_request(a: &Actual) -> Option<Result<ShipmentRequest, String>> {
    let (from, to, weight) = (
        a.from_postal_code.as_ref()?,
        a.to_postal_code.as_ref()?,
        a.weight_g?,
    );
    let address = |pin: &str| {
        json!({"name": "Parallel run", "phone": "9000000000", "line1": "Lane pricing only",
               "city": "-", "state": "-", "postal_code": pin})
    };
    let payment = match (a.payment_mode.as_deref(), &a.cod_amount) {
        (Some("cod"), Some(cod)) => json!({"mode": "cod", "cod_amount": cod}),
        (Some("cod"), None) => {
            return Some(Err("a cod row needs its cod_amount to be priced now".into()));
        }
        _ => json!({"mode": "prepaid"}),
    };
    let body = json!({
        "order_ref": a.order_ref, "carrier": "auto",
        "from": address(from), "to": address(to),
        "parcels": [{"weight_g": weight}], "payment": payment,
    });
    let input: ShipmentRequestInput = match serde_json::from_value(body) {
        Ok(input) => input,
        Err(e) => return Some(Err(format!("lane not priceable: {e}"))),
    };
    Some(ShipmentRequest::parse(&input).map_err(|errors| {
        let what: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.pointer, e.detail))
            .collect();
        format!("lane not priceable: {}", what.join("; "))
    }))
}
