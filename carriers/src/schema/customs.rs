//! Customs content for a shipment that crosses a border: what is inside, item by item
//! (description, HS code, origin, quantity, value, weight), on which Incoterms 2020 term,
//! who pays duties and why the goods are exported.
//!
//! A request whose `from` and `to` are in different countries must give `customs` to be
//! booked; a domestic request may carry it (an OMS that always sends it is not refused)
//! but it is ignored there: neither checked nor kept.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::violations::{Field, optional_text, required_text};
use super::{AddressInput, CodAmount, Currency, Money, Parcel, ParcelInput, Payment, Violations};

/// The most items one customs declaration lists.
pub const MAX_CUSTOMS_ITEMS: usize = 100;
/// The most units of one item.
const MAX_QUANTITY: i64 = 1_000_000;
/// The most one unit weighs, as one parcel may.
const MAX_UNIT_WEIGHT_G: i64 = 1_000_000;

/// Why the goods cross the border (a carrier's "contents type" or "purpose of shipment").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportReason {
    Sale,
    Gift,
    Sample,
    Return,
    Repair,
    Documents,
    Other,
}

impl ExportReason {
    const ALL: [ExportReason; 7] = [
        ExportReason::Sale,
        ExportReason::Gift,
        ExportReason::Sample,
        ExportReason::Return,
        ExportReason::Repair,
        ExportReason::Documents,
        ExportReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportReason::Sale => "sale",
            ExportReason::Gift => "gift",
            ExportReason::Sample => "sample",
            ExportReason::Return => "return",
            ExportReason::Repair => "repair",
            ExportReason::Documents => "documents",
            ExportReason::Other => "other",
        }
    }
}

/// An Incoterms 2020 rule: who bears costs and risks up to where. `DAP` (the seller
/// delivers, the buyer pays import duties) and `DDP` (the seller pays duties too) are the
/// two parcel carriers use; the others are accepted for the carriers that take them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Incoterm {
    Exw,
    Fca,
    Cpt,
    Cip,
    Dap,
    Dpu,
    Ddp,
    Fas,
    Fob,
    Cfr,
    Cif,
}

impl Incoterm {
    const ALL: [Incoterm; 11] = [
        Incoterm::Exw,
        Incoterm::Fca,
        Incoterm::Cpt,
        Incoterm::Cip,
        Incoterm::Dap,
        Incoterm::Dpu,
        Incoterm::Ddp,
        Incoterm::Fas,
        Incoterm::Fob,
        Incoterm::Cfr,
        Incoterm::Cif,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Incoterm::Exw => "EXW",
            Incoterm::Fca => "FCA",
            Incoterm::Cpt => "CPT",
            Incoterm::Cip => "CIP",
            Incoterm::Dap => "DAP",
            Incoterm::Dpu => "DPU",
            Incoterm::Ddp => "DDP",
            Incoterm::Fas => "FAS",
            Incoterm::Fob => "FOB",
            Incoterm::Cfr => "CFR",
            Incoterm::Cif => "CIF",
        }
    }
}

/// Who pays import duties and taxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DutiesPayer {
    Sender,
    Recipient,
    ThirdParty,
}

impl DutiesPayer {
    const ALL: [DutiesPayer; 3] = [
        DutiesPayer::Sender,
        DutiesPayer::Recipient,
        DutiesPayer::ThirdParty,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DutiesPayer::Sender => "sender",
            DutiesPayer::Recipient => "recipient",
            DutiesPayer::ThirdParty => "third_party",
        }
    }
}

/// Customs content as the OMS sends it. Text is trimmed before it is checked.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CustomsInput {
    /// Why the goods are exported (`reason` is accepted for it too).
    #[serde(alias = "reason")]
    #[schema(value_type = ExportReason, example = "sale")]
    pub contents: Option<String>,
    /// The Incoterms 2020 rule, upper case; `DAP` when absent.
    #[schema(value_type = Option<Incoterm>, example = "DAP")]
    pub incoterm: Option<String>,
    /// Who pays import duties; when absent `sender` for `DDP` and `recipient` otherwise.
    /// `recipient` with `DDP` is refused (DDP means the sender pays them).
    #[schema(value_type = Option<DutiesPayer>, example = "recipient")]
    pub duties_payer: Option<String>,
    /// The commercial invoice's number, printed on the customs documents: at most 50
    /// characters.
    #[schema(example = "INV-2026-0042", pattern = r"^\s*[\s\S]{0,50}\s*$")]
    pub invoice_number: Option<String>,
    /// What is inside, one entry per kind of goods: 1 to 100 items. Their unit values
    /// are in one currency (the parcels' declared values' and the COD amount's, when
    /// given), and the items (quantity × weight) weigh no more than the parcels.
    #[schema(value_type = Vec<CustomsItemInput>, min_items = 1, max_items = 100)]
    pub items: Option<Vec<CustomsItemInput>>,
}

/// One kind of goods in a customs declaration, as the OMS sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CustomsItemInput {
    /// What the goods are, precisely enough for customs (`Men's cotton T-shirt`, not
    /// `clothing`): at most 200 characters.
    #[schema(
        value_type = String,
        example = "Men's cotton T-shirt",
        min_length = 1,
        pattern = r"^\s*[\s\S]{0,200}\s*$"
    )]
    pub description: Option<String>,
    /// The Harmonized System code: 6 to 10 digits, dots and spaces allowed between them
    /// (`6109.10.00` is kept as `61091000`).
    #[schema(
        value_type = String,
        example = "6109.10",
        pattern = r"^\s*[0-9](?:[. ]*[0-9]){5,9}\s*$"
    )]
    pub hs_code: Option<String>,
    /// Where the goods were made: ISO 3166-1 alpha-2, either case (`UK` is `GB`).
    #[schema(value_type = String, example = "IN", pattern = r"^\s*[A-Za-z]{2}\s*$")]
    pub origin_country: Option<String>,
    /// How many units: 1 to 1000000.
    #[schema(value_type = i64, example = 2, minimum = 1, maximum = 1000000)]
    pub quantity: Option<i64>,
    /// The value of one unit, in integer minor units of its currency.
    #[schema(value_type = CodAmount)]
    pub unit_value: Option<Money>,
    /// The weight of one unit in integer grams, 1 to 1000000 (the schema is in grams
    /// throughout; carriers wanting pounds or ounces get them converted at their edge).
    #[schema(value_type = i64, example = 250, minimum = 1, maximum = 1000000)]
    pub weight_g: Option<i64>,
}

/// Customs content, checked: present on a request only when it crosses a border.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Customs {
    pub contents: ExportReason,
    pub incoterm: Incoterm,
    pub duties_payer: DutiesPayer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_number: Option<String>,
    pub items: Vec<CustomsItem>,
}

/// One kind of goods, checked. `hs_code` is digits only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CustomsItem {
    pub description: String,
    #[schema(example = "610910")]
    pub hs_code: String,
    #[schema(example = "IN")]
    pub origin_country: String,
    pub quantity: u32,
    pub unit_value: Money,
    pub weight_g: u32,
}

impl CustomsItem {
    /// `quantity × unit_value`; `None` beyond [`Money::MAX_AMOUNT`].
    pub fn total_value(&self) -> Option<Money> {
        let amount = self
            .unit_value
            .amount
            .checked_mul(i64::from(self.quantity))?;
        (amount <= Money::MAX_AMOUNT).then(|| Money {
            amount,
            currency: self.unit_value.currency.clone(),
        })
    }

    /// `quantity × weight_g`.
    pub fn total_weight_g(&self) -> u64 {
        u64::from(self.quantity) * u64::from(self.weight_g)
    }
}

impl Customs {
    /// The declaration's value, every item's `quantity × unit_value` added up. Parsing
    /// keeps it in one currency and within [`Money::MAX_AMOUNT`]; `None` for customs
    /// that did not come through it and break that.
    pub fn total_value(&self) -> Option<Money> {
        let totals: Option<Vec<Money>> = self.items.iter().map(CustomsItem::total_value).collect();
        Money::checked_sum(&totals?).ok().flatten()
    }

    /// The items' weight in grams, every item's `quantity × weight_g` added up.
    pub fn total_weight_g(&self) -> u64 {
        self.items.iter().map(CustomsItem::total_weight_g).sum()
    }

    /// The currency the items are valued in.
    pub fn currency(&self) -> Option<&Currency> {
        self.items.first().map(|i| &i.unit_value.currency)
    }
}

/// What [`parse_customs`] checks the customs against: the rest of the request, as parsed.
pub(crate) struct Context<'a> {
    /// The countries of `from` and `to` (upper case), when they could be read.
    pub countries: Option<(String, String)>,
    /// Whether customs are required when the request crosses a border (bookings) or
    /// optional (quotes, where they inform duties).
    pub required: bool,
    /// The parcels, when all of them parsed.
    pub parcels: Option<&'a [Parcel]>,
    pub payment: Option<&'a Payment>,
}

/// The request's `customs` at `/customs`: `None` for a domestic request (whatever it
/// says) and for one with violations, which are added to `v`.
pub(crate) fn parse_customs(
    input: Option<&CustomsInput>,
    cx: &Context<'_>,
    v: &mut Violations,
) -> Option<Customs> {
    let (from, to) = cx.countries.as_ref()?;
    if from == to {
        return None;
    }
    let Some(input) = input else {
        if cx.required {
            v.add(
                "/customs",
                "required",
                format!(
                    "a shipment from {from} to {to} crosses a border: give `customs` (contents, \
                     items with description, HS code, origin country, quantity, unit value and \
                     weight; incoterm and duties payer)"
                ),
            );
        }
        return None;
    };
    let before = v.is_empty();
    let contents = match input.contents.as_deref().map(str::trim) {
        None | Some("") => {
            v.add(
                "/customs/contents",
                "required",
                format!(
                    "why the goods are exported: one of {}",
                    names(&ExportReason::ALL.map(ExportReason::as_str))
                ),
            );
            None
        }
        Some(text) => {
            let found = ExportReason::ALL.into_iter().find(|r| r.as_str() == text);
            if found.is_none() {
                v.add(
                    "/customs/contents",
                    "invalid_contents",
                    format!(
                        "`{}` is not a reason for export; use one of {}",
                        short(text),
                        names(&ExportReason::ALL.map(ExportReason::as_str))
                    ),
                );
            }
            found
        }
    };
    let incoterm = match input.incoterm.as_deref().map(str::trim) {
        None | Some("") => Some(Incoterm::Dap),
        Some(text) => {
            let upper = text.to_ascii_uppercase();
            let found = Incoterm::ALL.into_iter().find(|t| t.as_str() == upper);
            if found.is_none() {
                v.add(
                    "/customs/incoterm",
                    "invalid_incoterm",
                    format!(
                        "`{}` is not an Incoterms 2020 rule; use one of {} (DAP or DDP for \
                         parcels)",
                        short(text),
                        names(&Incoterm::ALL.map(Incoterm::as_str))
                    ),
                );
            }
            found
        }
    };
    let duties_payer = match input.duties_payer.as_deref().map(str::trim) {
        None | Some("") => incoterm.map(|t| {
            if t == Incoterm::Ddp {
                DutiesPayer::Sender
            } else {
                DutiesPayer::Recipient
            }
        }),
        Some(text) => {
            let found = DutiesPayer::ALL.into_iter().find(|p| p.as_str() == text);
            match found {
                None => v.add(
                    "/customs/duties_payer",
                    "invalid_duties_payer",
                    format!(
                        "`{}` is not a duties payer; use one of {}",
                        short(text),
                        names(&DutiesPayer::ALL.map(DutiesPayer::as_str))
                    ),
                ),
                Some(DutiesPayer::Recipient) if incoterm == Some(Incoterm::Ddp) => v.add(
                    "/customs/duties_payer",
                    "incoterm_conflict",
                    "with incoterm DDP the sender pays duties; use DAP for the recipient to pay them",
                ),
                Some(_) => {}
            }
            found
        }
    };
    let invoice_number = optional_text(
        v,
        "/customs/invoice_number",
        input.invoice_number.as_deref(),
        50,
    );
    let items = parse_items(input.items.as_ref(), v);
    if let Some(items) = &items {
        check_items(items, cx, v);
    }
    if !before || !v.is_empty() {
        return None;
    }
    Some(Customs {
        contents: contents?,
        incoterm: incoterm?,
        duties_payer: duties_payer?,
        invoice_number,
        items: items?,
    })
}

/// The items at `/customs/items`, when every one of them is valid.
fn parse_items(
    input: Option<&Vec<CustomsItemInput>>,
    v: &mut Violations,
) -> Option<Vec<CustomsItem>> {
    let list = match input {
        None => {
            v.add(
                "/customs/items",
                "required",
                "list what is inside: at least one item",
            );
            return None;
        }
        Some(list) if list.is_empty() => {
            v.add(
                "/customs/items",
                "required",
                "list what is inside: at least one item",
            );
            return None;
        }
        Some(list) if list.len() > MAX_CUSTOMS_ITEMS => {
            v.add(
                format!("/customs/items/{MAX_CUSTOMS_ITEMS}"),
                "too_many_items",
                format!("at most {MAX_CUSTOMS_ITEMS} items per declaration"),
            );
            return None;
        }
        Some(list) => list,
    };
    let items: Vec<CustomsItem> = list
        .iter()
        .enumerate()
        .filter_map(|(i, item)| parse_item(item, &format!("/customs/items/{i}"), v))
        .collect();
    (items.len() == list.len()).then_some(items)
}

fn parse_item(input: &CustomsItemInput, pointer: &str, v: &mut Violations) -> Option<CustomsItem> {
    let before = v.is_empty();
    let p = |f| Field(pointer, f);
    let description = required_text(v, p("description"), input.description.as_deref(), 200);
    let hs_code = match input.hs_code.as_deref().map(str::trim) {
        None | Some("") => {
            v.add(
                p("hs_code"),
                "required",
                "the item's HS code (6 to 10 digits) is required",
            );
            None
        }
        Some(raw) => {
            let code = hs_code(raw);
            if code.is_none() {
                v.add(
                    p("hs_code"),
                    "invalid_hs_code",
                    format!(
                        "an HS code has 6 to 10 digits, dots or spaces allowed between them \
                         (6109.10 or 610910); got `{}`",
                        short(raw)
                    ),
                );
            }
            code
        }
    };
    let origin_country = match input.origin_country.as_deref().map(str::trim) {
        None | Some("") => {
            v.add(
                p("origin_country"),
                "required",
                "where the goods were made (ISO 3166-1 alpha-2, such as IN)",
            );
            None
        }
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(super::country::canonical_country(c.to_ascii_uppercase()))
        }
        Some(_) => {
            v.add(
                p("origin_country"),
                "invalid_country",
                "an ISO 3166-1 alpha-2 code such as IN",
            );
            None
        }
    };
    let quantity = match input.quantity {
        None => {
            v.add(p("quantity"), "required", "how many units: at least 1");
            None
        }
        Some(q) if !(1..=MAX_QUANTITY).contains(&q) => {
            v.add(
                p("quantity"),
                "out_of_range",
                format!("a quantity is 1 to {MAX_QUANTITY}"),
            );
            None
        }
        Some(q) => u32::try_from(q).ok(),
    };
    let unit_value = match &input.unit_value {
        None => {
            v.add(
                p("unit_value"),
                "required",
                "the value of one unit is required",
            );
            None
        }
        Some(m) => {
            m.check(v, &format!("{pointer}/unit_value"), true);
            Some(m.clone())
        }
    };
    let weight_g = match input.weight_g {
        None => {
            v.add(
                p("weight_g"),
                "required",
                "the weight of one unit in grams is required",
            );
            None
        }
        Some(w) if w <= 0 => {
            v.add(
                p("weight_g"),
                "not_positive",
                "weight must be a positive number of grams",
            );
            None
        }
        Some(w) if w > MAX_UNIT_WEIGHT_G => {
            v.add(
                p("weight_g"),
                "too_heavy",
                format!("at most {MAX_UNIT_WEIGHT_G} g per unit"),
            );
            None
        }
        Some(w) => u32::try_from(w).ok(),
    };
    if !before || !v.is_empty() {
        return None;
    }
    Some(CustomsItem {
        description,
        hs_code: hs_code?,
        origin_country: origin_country?,
        quantity: quantity?,
        unit_value: unit_value?,
        weight_g: weight_g?,
    })
}

/// `raw` (trimmed) as HS code digits: 6 to 10 digits with dots or spaces between them.
pub(crate) fn hs_code(raw: &str) -> Option<String> {
    let ok_chars = raw
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b' ');
    let ends = raw.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && raw.bytes().last().is_some_and(|b| b.is_ascii_digit());
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    (ok_chars && ends && (6..=10).contains(&digits.len())).then_some(digits)
}

/// What the items must agree with: one currency among themselves and with the request's
/// other amounts, a total within the cap, no more weight than the parcels.
fn check_items(items: &[CustomsItem], cx: &Context<'_>, v: &mut Violations) {
    let first = &items[0].unit_value.currency;
    if let Some((i, other)) = items
        .iter()
        .enumerate()
        .find(|(_, item)| &item.unit_value.currency != first)
    {
        v.add(
            format!("/customs/items/{i}/unit_value/currency"),
            "currency_mismatch",
            format!(
                "`{}` differs from the first item's `{}`; the items' values are added up, so \
                 give them in one currency",
                other.unit_value.currency.as_str(),
                first.as_str()
            ),
        );
        return;
    }
    let declared = cx
        .parcels
        .and_then(|p| p.iter().find_map(|p| p.declared_value.as_ref()));
    let other = declared
        .map(|m| (&m.currency, "the parcels' declared values'"))
        .or_else(|| {
            cx.payment
                .and_then(Payment::cod_amount)
                .map(|m| (&m.currency, "the COD amount's"))
        });
    if let Some((currency, what)) = other
        && currency != first
    {
        v.add(
            "/customs/items/0/unit_value/currency",
            "currency_mismatch",
            format!(
                "`{}` differs from {what} `{}`; a shipment's amounts are in one currency",
                first.as_str(),
                currency.as_str()
            ),
        );
        return;
    }
    let totals: Option<Vec<Money>> = items.iter().map(CustomsItem::total_value).collect();
    if totals.is_none_or(|t| Money::checked_sum(&t).is_err()) {
        v.add(
            "/customs/items",
            "too_large",
            format!(
                "the items' values (quantity × unit_value) add up to more than {} minor units",
                Money::MAX_AMOUNT
            ),
        );
    }
    if let Some(parcels) = cx.parcels {
        let parcels_g: u64 = parcels.iter().map(|p| u64::from(p.weight_g)).sum();
        let items_g: u64 = items.iter().map(CustomsItem::total_weight_g).sum();
        if items_g > parcels_g {
            v.add(
                "/customs/items",
                "heavier_than_parcels",
                format!(
                    "the items weigh {items_g} g in all (quantity × weight_g), more than the \
                     parcels' {parcels_g} g"
                ),
            );
        }
    }
}

fn names(all: &[&str]) -> String {
    all.join(", ")
}

fn short(text: &str) -> String {
    if text.chars().count() <= 20 {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(20).collect::<String>())
    }
}

/// A COD amount in another currency than the parcels' declared values, at
/// `/payment/cod_amount/currency`: a shipment's amounts are in one currency (carriers
/// take one value and one collection amount per shipment, in one currency).
pub(crate) fn check_cod_currency(
    parcels: &[Parcel],
    payment: Option<&Payment>,
    v: &mut Violations,
) {
    let declared = parcels.iter().find_map(|p| p.declared_value.as_ref());
    if let (Some(declared), Some(cod)) = (declared, payment.and_then(Payment::cod_amount))
        && declared.currency != cod.currency
    {
        v.add(
            "/payment/cod_amount/currency",
            "currency_mismatch",
            format!(
                "`{}` differs from the parcels' declared values' `{}`; a shipment's amounts \
                 are in one currency",
                cod.currency.as_str(),
                declared.currency.as_str()
            ),
        );
    }
}

impl<'a> Context<'a> {
    /// What a request's customs are checked against: the countries of `from` and `to`
    /// when both can be read, and the parcels when every one of `input` parsed.
    pub(crate) fn of(
        from: Option<&AddressInput>,
        to: Option<&AddressInput>,
        parcels: &'a [Parcel],
        input: Option<&Vec<ParcelInput>>,
        payment: Option<&'a Payment>,
        required: bool,
    ) -> Context<'a> {
        let all_parsed = !parcels.is_empty() && input.is_some_and(|i| i.len() == parcels.len());
        Context {
            countries: from
                .and_then(AddressInput::country_code)
                .zip(to.and_then(AddressInput::country_code)),
            required,
            parcels: all_parsed.then_some(parcels),
            payment,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::schema::{
        FieldError, RateRequest, RateRequestInput, ShipmentRequest, ShipmentRequestInput,
    };

    fn india() -> Value {
        json!({"name": "Asha Rao", "phone": "+91 98765 43210", "line1": "12 MG Road",
            "city": "Bengaluru", "state": "Karnataka", "postal_code": "560001"})
    }

    fn us() -> Value {
        json!({"name": "Sam Lee", "phone": "+1 415 555 0100", "line1": "1 Market St",
            "city": "San Francisco", "state": "California", "postal_code": "94105",
            "country": "US"})
    }

    fn item() -> Value {
        json!({"description": "Cotton T-shirt", "hs_code": "6109.10.00", "origin_country": "in",
            "quantity": 2, "unit_value": {"amount": 1500, "currency": "USD"}, "weight_g": 200})
    }

    fn customs() -> Value {
        json!({"contents": "sale", "items": [item()]})
    }

    fn shipment(to: Value, customs: Option<Value>) -> Value {
        let mut body = json!({"order_ref": "ORD-1", "carrier": "delhivery", "from": india(),
            "to": to, "parcels": [{"weight_g": 500}], "payment": {"mode": "prepaid"}});
        if let Some(c) = customs {
            body["customs"] = c;
        }
        body
    }

    fn parse(body: &Value) -> Result<ShipmentRequest, Vec<FieldError>> {
        let input: ShipmentRequestInput = serde_json::from_value(body.clone()).unwrap();
        ShipmentRequest::parse(&input)
    }

    fn errors(body: &Value) -> Vec<(String, String)> {
        parse(body)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.pointer, e.code))
            .collect()
    }

    fn e(pointer: &str, code: &str) -> (String, String) {
        (pointer.to_string(), code.to_string())
    }

    #[test]
    fn an_international_shipment_carries_its_customs_with_defaults() {
        let req = parse(&shipment(us(), Some(customs()))).unwrap();
        assert!(req.is_international());
        let c = req.customs.unwrap();
        assert_eq!(c.contents, ExportReason::Sale);
        assert_eq!(c.incoterm, Incoterm::Dap);
        assert_eq!(c.duties_payer, DutiesPayer::Recipient);
        assert_eq!(c.invoice_number, None);
        let i = &c.items[0];
        assert_eq!(
            (
                i.hs_code.as_str(),
                i.origin_country.as_str(),
                i.quantity,
                i.weight_g
            ),
            ("61091000", "IN", 2, 200)
        );
        assert_eq!(c.total_value().map(|m| m.amount), Some(3000));
        assert_eq!(c.total_weight_g(), 400);
        assert_eq!(c.currency().map(Currency::as_str), Some("USD"));

        // DDP: the sender pays unless told otherwise; `reason` is another name for
        // `contents`; the incoterm in either case.
        let mut body = customs();
        body.as_object_mut().unwrap().remove("contents");
        body["reason"] = json!("gift");
        body["incoterm"] = json!("ddp");
        body["invoice_number"] = json!(" INV-7 ");
        let c = parse(&shipment(us(), Some(body))).unwrap().customs.unwrap();
        assert_eq!(
            (
                c.contents,
                c.incoterm,
                c.duties_payer,
                c.invoice_number.as_deref()
            ),
            (
                ExportReason::Gift,
                Incoterm::Ddp,
                DutiesPayer::Sender,
                Some("INV-7")
            )
        );

        // Stored requests without customs read back as before; with them they round-trip.
        let req = parse(&shipment(us(), Some(customs()))).unwrap();
        let text = serde_json::to_string(&req).unwrap();
        assert_eq!(serde_json::from_str::<ShipmentRequest>(&text).unwrap(), req);
        let domestic = parse(&shipment(india(), None)).unwrap();
        let text = serde_json::to_string(&domestic).unwrap();
        assert!(!text.contains("customs"), "{text}");
    }

    #[test]
    fn customs_are_required_across_a_border_and_ignored_at_home() {
        assert_eq!(errors(&shipment(us(), None)), [e("/customs", "required")]);
        let detail = &parse(&shipment(us(), None)).unwrap_err()[0].detail;
        assert!(detail.contains("from IN to US"), "{detail}");
        // Domestic: whatever the customs say, they are neither checked nor kept.
        let req = parse(&shipment(india(), Some(json!({"contents": "bribe"})))).unwrap();
        assert!(!req.is_international());
        assert_eq!(req.customs, None);
        let req = parse(&shipment(india(), Some(customs()))).unwrap();
        assert_eq!(req.customs, None);
        // A quote across a border may leave them out, and checks them when given.
        let rate = |customs: Option<Value>| {
            let mut body = json!({"from": india(), "to": us(), "parcels": [{"weight_g": 500}],
                "payment": {"mode": "prepaid"}});
            if let Some(c) = customs {
                body["customs"] = c;
            }
            let input: RateRequestInput = serde_json::from_value(body).unwrap();
            RateRequest::parse(&input)
        };
        assert_eq!(rate(None).unwrap().customs, None);
        assert!(rate(Some(customs())).unwrap().customs.is_some());
        let errs = rate(Some(json!({"contents": "sale", "items": []}))).unwrap_err();
        assert_eq!(errs[0].pointer, "/customs/items");
        let shipment = parse(&shipment(us(), Some(customs()))).unwrap();
        assert!(shipment.customs.is_some());
        assert_eq!(
            RateRequest::for_shipment(&shipment).customs,
            shipment.customs
        );
    }

    #[test]
    fn every_field_is_checked_at_its_pointer() {
        let bad = json!({"contents": "smuggling", "incoterm": "FOB2", "duties_payer": "buyer",
            "invoice_number": "x".repeat(51),
            "items": [{"description": " ", "hs_code": "61.09", "origin_country": "IND",
                       "quantity": 0, "unit_value": {"amount": 0, "currency": "USD"},
                       "weight_g": 0},
                      {}]});
        assert_eq!(
            errors(&shipment(us(), Some(bad))),
            [
                e("/customs/contents", "invalid_contents"),
                e("/customs/incoterm", "invalid_incoterm"),
                e("/customs/duties_payer", "invalid_duties_payer"),
                e("/customs/invoice_number", "too_long"),
                e("/customs/items/0/description", "required"),
                e("/customs/items/0/hs_code", "invalid_hs_code"),
                e("/customs/items/0/origin_country", "invalid_country"),
                e("/customs/items/0/quantity", "out_of_range"),
                e("/customs/items/0/unit_value/amount", "not_positive"),
                e("/customs/items/0/weight_g", "not_positive"),
                e("/customs/items/1/description", "required"),
                e("/customs/items/1/hs_code", "required"),
                e("/customs/items/1/origin_country", "required"),
                e("/customs/items/1/quantity", "required"),
                e("/customs/items/1/unit_value", "required"),
                e("/customs/items/1/weight_g", "required"),
            ]
        );
        assert_eq!(
            errors(&shipment(us(), Some(json!({"items": [item()]})))),
            [e("/customs/contents", "required")]
        );
        assert_eq!(
            errors(&shipment(us(), Some(json!({"contents": "sale"})))),
            [e("/customs/items", "required")]
        );
        let many = json!({"contents": "sale", "items": vec![item(); MAX_CUSTOMS_ITEMS + 1]});
        assert_eq!(
            errors(&shipment(us(), Some(many))),
            [e("/customs/items/100", "too_many_items")]
        );
        let mut ddp = customs();
        ddp["incoterm"] = json!("DDP");
        ddp["duties_payer"] = json!("recipient");
        assert_eq!(
            errors(&shipment(us(), Some(ddp))),
            [e("/customs/duties_payer", "incoterm_conflict")]
        );
    }

    #[test]
    fn the_example_requests_parse() {
        let intl: Value = serde_json::from_str(include_str!(
            "../../../examples/shipment-international.json"
        ))
        .unwrap();
        let req = parse(&intl).unwrap();
        assert_eq!(req.to.state.as_deref(), Some("CA"));
        assert_eq!(req.customs.unwrap().items[0].hs_code, "61091000");
        let home: Value =
            serde_json::from_str(include_str!("../../../examples/shipment.json")).unwrap();
        assert_eq!(parse(&home).unwrap().customs, None);
    }

    #[test]
    fn hs_codes_have_six_to_ten_digits() {
        assert_eq!(hs_code("610910").as_deref(), Some("610910"));
        assert_eq!(hs_code("6109.10").as_deref(), Some("610910"));
        assert_eq!(hs_code("6109.10.0010").as_deref(), Some("6109100010"));
        assert_eq!(hs_code("6109 10 00").as_deref(), Some("61091000"));
        for bad in [
            "61091",
            "61091000101",
            ".610910",
            "610910.",
            "6109-10",
            "HS610910",
            "",
        ] {
            assert_eq!(hs_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn amounts_agree_on_one_currency_and_items_fit_the_parcels() {
        let mut c = customs();
        c["items"] = json!([item(), item()]);
        c["items"][1]["unit_value"]["currency"] = json!("EUR");
        assert_eq!(
            errors(&shipment(us(), Some(c))),
            [e(
                "/customs/items/1/unit_value/currency",
                "currency_mismatch"
            )]
        );

        // Items against the parcels' declared values, then against the COD amount.
        let mut body = shipment(us(), Some(customs()));
        body["parcels"][0]["declared_value"] = json!({"amount": 3000, "currency": "INR"});
        assert_eq!(
            errors(&body),
            [e(
                "/customs/items/0/unit_value/currency",
                "currency_mismatch"
            )]
        );
        let detail = &parse(&body).unwrap_err()[0].detail;
        assert!(
            detail.contains("the parcels' declared values' `INR`"),
            "{detail}"
        );
        let mut body = shipment(us(), Some(customs()));
        body["payment"] = json!({"mode": "cod", "cod_amount": {"amount": 100, "currency": "INR"}});
        assert_eq!(
            errors(&body),
            [e(
                "/customs/items/0/unit_value/currency",
                "currency_mismatch"
            )]
        );

        // The COD amount against the declared values, at home too.
        let mut body = shipment(india(), None);
        body["parcels"][0]["declared_value"] = json!({"amount": 3000, "currency": "INR"});
        body["payment"] = json!({"mode": "cod", "cod_amount": {"amount": 100, "currency": "USD"}});
        assert_eq!(
            errors(&body),
            [e("/payment/cod_amount/currency", "currency_mismatch")]
        );
        body["payment"]["cod_amount"]["currency"] = json!("INR");
        assert!(parse(&body).is_ok());

        // 2 × 200 g fit in 500 g; 3 × 200 g do not.
        let mut c = customs();
        c["items"][0]["quantity"] = json!(3);
        assert_eq!(
            errors(&shipment(us(), Some(c.clone()))),
            [e("/customs/items", "heavier_than_parcels")]
        );
        let detail = &parse(&shipment(us(), Some(c))).unwrap_err()[0].detail;
        assert!(
            detail.contains("600 g") && detail.contains("500 g"),
            "{detail}"
        );

        // Quantity × value beyond the cap.
        let mut c = customs();
        c["items"][0]["quantity"] = json!(1_000_000);
        c["items"][0]["weight_g"] = json!(1);
        c["items"][0]["unit_value"]["amount"] = json!(Money::MAX_AMOUNT / 10);
        let mut body = shipment(us(), Some(c));
        body["parcels"][0]["weight_g"] = json!(1_000_000);
        assert_eq!(errors(&body), [e("/customs/items", "too_large")]);
    }
}
