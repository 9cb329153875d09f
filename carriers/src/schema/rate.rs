use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::address::required_address;
use super::customs::{Context, check_cod_currency, parse_customs};
use super::parcel::MAX_PIECES;
use super::parcel::parse_parcels;
use super::{
    Address, AddressInput, Customs, CustomsInput, FieldError, Money, Objective, Parcel,
    ParcelInput, Payment, PaymentInput, SelectionHints, ShipmentRequest, Tag, Violations,
};

/// What to quote.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RateRequestInput {
    #[schema(value_type = AddressInput)]
    pub from: Option<AddressInput>,
    #[schema(value_type = AddressInput)]
    pub to: Option<AddressInput>,
    /// 1 to 50 parcels, priced together (a multi-piece consignment): rate cards add up
    /// each parcel's chargeable weight, carriers quote the total weight. Weights in grams
    /// and sides in millimetres, whatever the carrier uses.
    #[schema(value_type = Vec<ParcelInput>, min_items = 1, max_items = 50)]
    pub parcels: Option<Vec<ParcelInput>>,
    #[schema(value_type = PaymentInput)]
    pub payment: Option<PaymentInput>,
    /// Carrier ids or carrier account ids to ask; every enabled account when absent.
    pub carriers: Option<Vec<String>>,
    /// The order's tags, for selection rules (`tags_any`, `tags_all`, `tags_none`): at
    /// most 20; compared lower-cased, duplicates ignored.
    #[schema(value_type = Option<Vec<Tag>>, max_items = 20, example = json!(["fragile"]))]
    pub tags: Option<Vec<String>>,
    /// The date the buyer was promised (`YYYY-MM-DD`), for SLA rules and the
    /// `cheapest_within_promise` objective.
    #[schema(value_type = Option<chrono::NaiveDate>, example = "2026-03-01")]
    pub deliver_by: Option<String>,
    /// Ranks the recommendation by this objective instead of the tenant's rule set
    /// default.
    #[schema(value_type = Option<Objective>)]
    pub objective: Option<String>,
    /// How long to wait for carriers, in milliseconds: 1 to the gateway's
    /// `rates.max_deadline_ms` (10000 unless configured); carriers that have not answered
    /// by then are listed in `errors` with code `timeout`. The gateway's default when
    /// absent.
    #[schema(minimum = 1)]
    pub deadline_ms: Option<i64>,
    /// Customs content, optional: carriers that quote duties and taxes use it for a
    /// quote across a border. Checked as a booking's when `from` and `to` are in
    /// different countries; ignored for a domestic quote.
    #[schema(value_type = Option<CustomsInput>)]
    pub customs: Option<CustomsInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateRequest {
    pub from: Address,
    pub to: Address,
    pub parcels: Vec<Parcel>,
    pub payment: Payment,
    pub carriers: Option<Vec<String>>,
    #[serde(default)]
    pub selection: SelectionHints,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customs: Option<Customs>,
}

impl RateRequest {
    pub fn parse(input: &RateRequestInput) -> Result<RateRequest, Vec<FieldError>> {
        let mut v = Violations::default();
        let from = required_address(input.from.as_ref(), "/from", &mut v);
        let to = required_address(input.to.as_ref(), "/to", &mut v);
        let parcels = parse_parcels(input.parcels.as_ref(), "/parcels", MAX_PIECES, &mut v);
        let payment = Payment::parse(input.payment.as_ref(), "/payment", &mut v);
        let selection = SelectionHints::parse(
            &mut v,
            input.tags.as_ref(),
            input.deliver_by.as_deref(),
            input.objective.as_deref(),
        );
        check_cod_currency(&parcels, payment.as_ref(), &mut v);
        let customs = parse_customs(
            input.customs.as_ref(),
            &Context::of(
                input.from.as_ref(),
                input.to.as_ref(),
                &parcels,
                input.parcels.as_ref(),
                payment.as_ref(),
                false,
            ),
            &mut v,
        );
        v.finish(|| RateRequest {
            from: from.expect("checked"),
            to: to.expect("checked"),
            parcels,
            payment: payment.expect("checked"),
            carriers: input.carriers.clone(),
            selection,
            customs,
        })
    }

    /// The quote request for booking `shipment` with whichever carrier fits best.
    pub fn for_shipment(shipment: &ShipmentRequest) -> RateRequest {
        RateRequest {
            from: shipment.from.clone(),
            to: shipment.to.clone(),
            parcels: shipment.parcels.clone(),
            payment: shipment.payment.clone(),
            carriers: None,
            selection: shipment.selection.clone(),
            customs: shipment.customs.clone(),
        }
    }

    pub fn total_weight_g(&self) -> u32 {
        self.parcels.iter().map(|p| p.weight_g).sum()
    }
}

/// The kind of a breakdown line; breakdowns list them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    Freight,
    FuelSurcharge,
    Cod,
    Other,
    Tax,
}

/// One line of a quote's breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Charge {
    pub kind: ChargeKind,
    /// The carrier's own name for the charge.
    pub label: String,
    pub amount: Money,
}

/// One priced option from one carrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RateQuote {
    pub carrier: String,
    /// The carrier account that quoted (the carrier id for a carrier's default account);
    /// book with it as `carrier` to use the same account. Set by the gateway.
    #[serde(default)]
    pub carrier_account: String,
    /// Service code to pass back as `service` when booking.
    pub service: String,
    pub service_name: String,
    pub total: Money,
    pub breakdown: Vec<Charge>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimated_delivery: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_days: Option<u32>,
    /// Where `estimated_delivery` comes from: the carrier's own promise, or (set by the
    /// gateway when the carrier gives none) the lane's median transit in the tenant's
    /// history. Absent with no estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_delivery_source: Option<EstimateSource>,
}

/// Where a delivery estimate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EstimateSource {
    /// The carrier's own promise (its date or its transit days; a rate card's transit days).
    Carrier,
    /// The median transit days of the lane in the tenant's recent history.
    History,
}

impl Charge {
    pub fn new(kind: ChargeKind, label: impl Into<String>, amount: Money) -> Charge {
        let label = label.into();
        Charge {
            kind,
            label,
            amount,
        }
    }
}

impl RateQuote {
    /// A quote from `carrier`'s default account (the gateway sets the account it used),
    /// with `lines` as [`breakdown`] orders them, no delivery estimate.
    pub fn new(
        carrier: &str,
        service: impl Into<String>,
        service_name: impl Into<String>,
        total: Money,
        lines: impl IntoIterator<Item = Charge>,
    ) -> RateQuote {
        RateQuote {
            carrier: carrier.to_string(),
            carrier_account: carrier.to_string(),
            service: service.into(),
            service_name: service_name.into(),
            breakdown: breakdown(carrier, &total, lines),
            total,
            estimated_delivery: None,
            transit_days: None,
            estimated_delivery_source: None,
        }
    }
}

/// A quote's breakdown: zero lines left out, the rest ordered by kind (a carrier's own
/// order kept within a kind). Lines that do not add up to `total` are logged, not
/// corrected: carriers round each line on their own, and the total is what they bill.
pub fn breakdown(
    carrier: &str,
    total: &Money,
    lines: impl IntoIterator<Item = Charge>,
) -> Vec<Charge> {
    let mut lines: Vec<Charge> = lines.into_iter().filter(|c| c.amount.amount != 0).collect();
    lines.sort_by_key(|c| c.kind);
    // Saturating: each line is capped, but an answer may carry any number of lines.
    let sum = lines
        .iter()
        .fold(0i64, |sum, c| sum.saturating_add(c.amount.amount));
    if sum != total.amount {
        tracing::debug!(
            carrier,
            total = total.amount,
            lines = sum,
            "charge lines do not add up to the total"
        );
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inr(paise: i64) -> Money {
        Money::inr(paise)
    }

    #[test]
    fn breakdowns_drop_zero_lines_and_order_by_kind() {
        let lines = [
            Charge::new(ChargeKind::Tax, "igst", inr(18)),
            Charge::new(ChargeKind::Cod, "cod", inr(0)),
            Charge::new(ChargeKind::Cod, "ccod", inr(30)),
            Charge::new(ChargeKind::FuelSurcharge, "fsc", inr(12)),
            Charge::new(ChargeKind::Freight, "freight", inr(100)),
        ];
        let quote = RateQuote::new("x", "s", "S", inr(160), lines);
        let kinds: Vec<&str> = quote.breakdown.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(kinds, ["freight", "fsc", "ccod", "igst"]);
        assert_eq!(quote.carrier_account, "x");
        // Lines that do not add up are kept as the carrier wrote them.
        assert_eq!(breakdown("x", &inr(1), quote.breakdown.clone()).len(), 4);
    }
}
