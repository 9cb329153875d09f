use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{ObjectBuilder, RefBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use super::address::required_address;
use super::customs::{Context, check_cod_currency, parse_customs};
use super::parcel::MAX_PIECES;
use super::parcel::parse_parcels;
use super::{
    Address, AddressInput, CodAmount, Customs, CustomsInput, FieldError, ItemInput, Money,
    Objective, Parcel, ParcelInput, SelectionHints, Tag, Violations,
};

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PaymentInput {
    /// `prepaid` or `cod`.
    #[schema(value_type = PaymentMode, example = "prepaid")]
    pub mode: Option<String>,
    /// Amount the courier collects; required for `cod`, forbidden for `prepaid`.
    #[schema(value_type = Option<CodAmount>)]
    pub cod_amount: Option<Money>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMode {
    Prepaid,
    Cod,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Payment {
    Prepaid,
    Cod { cod_amount: Money },
}

/// The schema of a [`Payment`] as responses show it: `mode` is the same [`PaymentMode`]
/// component a request's `payment.mode` is (a derived schema would inline the tag as a
/// one-value enum per variant).
impl PartialSchema for Payment {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some("How the shipment is paid for."))
            .property("mode", Ref::from_schema_name(PaymentMode::name()))
            .required("mode")
            .property(
                "cod_amount",
                RefBuilder::new()
                    .ref_location_from_schema_name(Money::name())
                    .description(Some(
                        "The amount the courier collects; present for `cod` only.",
                    )),
            )
            .into()
    }
}

impl ToSchema for Payment {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((PaymentMode::name().into(), PaymentMode::schema()));
        schemas.push((Money::name().into(), Money::schema()));
        <Money as ToSchema>::schemas(schemas);
    }
}

impl Payment {
    pub fn parse(
        input: Option<&PaymentInput>,
        pointer: &str,
        v: &mut Violations,
    ) -> Option<Payment> {
        let Some(input) = input else {
            v.add(pointer, "required", "payment is required");
            return None;
        };
        match input.mode.as_deref() {
            Some("prepaid") => {
                if input.cod_amount.is_some() {
                    v.add(
                        format!("{pointer}/cod_amount"),
                        "cod_amount_on_prepaid",
                        "a prepaid shipment has no COD amount; use mode `cod` to collect cash",
                    );
                    return None;
                }
                Some(Payment::Prepaid)
            }
            Some("cod") => match &input.cod_amount {
                None => {
                    v.add(
                        format!("{pointer}/cod_amount"),
                        "required",
                        "a COD shipment needs the amount to collect",
                    );
                    None
                }
                Some(m) => {
                    let before = v.is_empty();
                    m.check(v, &format!("{pointer}/cod_amount"), true);
                    (before && v.is_empty()).then(|| Payment::Cod {
                        cod_amount: m.clone(),
                    })
                }
            },
            None => {
                v.add(format!("{pointer}/mode"), "required", "`prepaid` or `cod`");
                None
            }
            Some(other) => {
                v.add(
                    format!("{pointer}/mode"),
                    "invalid_payment_mode",
                    format!("`{other}` is not a payment mode; use `prepaid` or `cod`"),
                );
                None
            }
        }
    }

    pub fn mode(&self) -> PaymentMode {
        match self {
            Payment::Prepaid => PaymentMode::Prepaid,
            Payment::Cod { .. } => PaymentMode::Cod,
        }
    }

    pub fn cod_amount(&self) -> Option<&Money> {
        match self {
            Payment::Prepaid => None,
            Payment::Cod { cod_amount } => Some(cod_amount),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LabelFormat {
    #[default]
    Pdf,
    Zpl,
}

impl LabelFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            LabelFormat::Pdf => "pdf",
            LabelFormat::Zpl => "zpl",
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            LabelFormat::Pdf => "application/pdf",
            LabelFormat::Zpl => "application/zpl",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentKind {
    #[default]
    Forward,
    Reverse,
}

/// A shipment to book. Text is trimmed before it is checked, so lengths count the text
/// without surrounding whitespace.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ShipmentRequestInput {
    /// The OMS's order reference; unique per tenant together with the package number. At
    /// most 50 letters, digits and `- _ / # . :` (carriers reject other characters).
    #[schema(
        value_type = String,
        example = "ORD-1001",
        pattern = r"^\s*[A-Za-z0-9_/#.:-]{1,50}\s*$"
    )]
    pub order_ref: Option<String>,
    /// A carrier id such as `delhivery`, or `auto`: chosen by the tenant's selection rules
    /// (cheapest by default), falling back to the next carrier after a certain refusal.
    /// At most 40 characters.
    #[schema(
        value_type = String,
        example = "delhivery",
        min_length = 1,
        pattern = r"^\s*[\s\S]{0,40}\s*$"
    )]
    pub carrier: Option<String>,
    /// A service code from a rate quote; the carrier's default when absent. At most 60
    /// characters; not with `carrier: auto`.
    #[schema(pattern = r"^\s*[\s\S]{0,60}\s*$")]
    pub service: Option<String>,
    #[schema(value_type = AddressInput)]
    pub from: Option<AddressInput>,
    #[schema(value_type = AddressInput)]
    pub to: Option<AddressInput>,
    /// The pieces, 1 to 50: one parcel is one package under one AWB; several are a
    /// multi-piece shipment, booked only with a carrier that books multi-piece
    /// consignments (others refuse it with 422 `carrier_unsupported`; book each piece as
    /// a shipment of its own there). Weights in grams and sides in millimetres, whatever
    /// the carrier uses: conversions happen at the carrier's edge.
    #[schema(value_type = Vec<ParcelInput>, min_items = 1, max_items = 50)]
    pub parcels: Option<Vec<ParcelInput>>,
    #[schema(value_type = PaymentInput)]
    pub payment: Option<PaymentInput>,
    /// `pdf` when absent.
    #[schema(value_type = Option<LabelFormat>)]
    pub label_format: Option<String>,
    /// The order's tags, for selection rules (`carrier: auto`): at most 20; compared
    /// lower-cased, duplicates ignored.
    #[schema(value_type = Option<Vec<Tag>>, max_items = 20, example = json!(["fragile"]))]
    pub tags: Option<Vec<String>>,
    /// The date the buyer was promised (`YYYY-MM-DD`), for SLA rules and the
    /// `cheapest_within_promise` objective (`carrier: auto`).
    #[schema(value_type = Option<chrono::NaiveDate>, example = "2026-03-01")]
    pub deliver_by: Option<String>,
    /// For `carrier: auto`: the objective to rank by instead of the tenant's rule set
    /// default.
    #[schema(value_type = Option<Objective>)]
    pub objective: Option<String>,
    /// Customs content: required when `from` and `to` are in different countries
    /// (`required` at `/customs` otherwise). Accepted but ignored (neither checked nor
    /// kept) for a domestic shipment, so an OMS that always sends it is not refused.
    #[schema(value_type = Option<CustomsInput>)]
    pub customs: Option<CustomsInput>,
    /// The order's lines (SKU, name, quantity), at most 100: for the warehouse (bulk
    /// labels sorted by SKU for picking), not sent to carriers.
    #[schema(value_type = Option<Vec<ItemInput>>, max_items = 100)]
    pub items: Option<Vec<ItemInput>>,
    /// `true`: answer what shipgate would book (account, service, price, selection
    /// reason, a label specimen) without booking — no carrier booking call, no AWB, no
    /// shipment, the order reference stays free. Checked exactly like a booking. See
    /// docs/parallel-run.md.
    #[schema(default = false)]
    pub dry_run: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentRequest {
    pub order_ref: String,
    pub carrier: String,
    pub service: Option<String>,
    pub from: Address,
    pub to: Address,
    pub parcels: Vec<Parcel>,
    pub payment: Payment,
    pub label_format: LabelFormat,
    pub kind: ShipmentKind,
    #[serde(default)]
    pub selection: SelectionHints,
    /// Customs content, for a shipment that crosses a border (always there for one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customs: Option<Customs>,
    /// For a return (kind `reverse`): why, and the forward shipment it undoes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returning: Option<crate::families::ReturnDetails>,
    /// The order's lines, for the warehouse.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<super::Item>,
}

impl ShipmentRequest {
    pub fn parse(input: &ShipmentRequestInput) -> Result<ShipmentRequest, Vec<FieldError>> {
        let mut v = Violations::default();
        let order_ref =
            super::violations::required_text(&mut v, "/order_ref", input.order_ref.as_deref(), 50);
        if !order_ref.is_empty()
            && !order_ref
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_/#.:".contains(c))
        {
            v.add(
                "/order_ref",
                "invalid_order_ref",
                "letters, digits and - _ / # . : only (carriers reject other characters)",
            );
        }
        let carrier =
            super::violations::required_text(&mut v, "/carrier", input.carrier.as_deref(), 40);
        let service =
            super::violations::optional_text(&mut v, "/service", input.service.as_deref(), 60);
        if carrier == "auto" && service.is_some() {
            v.add(
                "/service",
                "service_with_auto",
                "with carrier `auto` the chosen quote's service is booked; name a carrier to \
                 pick its service, or use a `force` selection rule",
            );
        }
        let from = required_address(input.from.as_ref(), "/from", &mut v);
        let to = required_address(input.to.as_ref(), "/to", &mut v);
        let parcels = parse_parcels(input.parcels.as_ref(), "/parcels", MAX_PIECES, &mut v);
        let payment = Payment::parse(input.payment.as_ref(), "/payment", &mut v);
        let label_format = match input.label_format.as_deref() {
            None | Some("pdf") => LabelFormat::Pdf,
            Some("zpl") => LabelFormat::Zpl,
            Some(other) => {
                v.add(
                    "/label_format",
                    "invalid_label_format",
                    format!("`{other}` is not a label format; use `pdf` or `zpl`"),
                );
                LabelFormat::Pdf
            }
        };
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
                true,
            ),
            &mut v,
        );
        let items = super::item::parse_items(input.items.as_ref(), &mut v);
        v.finish(|| ShipmentRequest {
            order_ref,
            carrier,
            service,
            from: from.expect("checked"),
            to: to.expect("checked"),
            parcels,
            payment: payment.expect("checked"),
            label_format,
            kind: ShipmentKind::Forward,
            selection,
            customs,
            returning: None,
            items,
        })
    }

    /// Whether `from` and `to` are in different countries.
    pub fn is_international(&self) -> bool {
        self.from.crosses_border_to(&self.to)
    }

    pub fn total_weight_g(&self) -> u32 {
        self.parcels.iter().map(|p| p.weight_g).sum()
    }

    /// The parcels' declared values added up. Parsing keeps them in one currency and
    /// their total within [`Money::MAX_AMOUNT`]; for a request that did not come through
    /// [`ShipmentRequest::parse`] and breaks that, `None` rather than a wrapped or mixed
    /// sum.
    pub fn declared_value(&self) -> Option<Money> {
        Money::checked_sum(
            self.parcels
                .iter()
                .filter_map(|p| p.declared_value.as_ref()),
        )
        .ok()
        .flatten()
    }

    pub fn description(&self) -> String {
        self.parcels
            .iter()
            .filter_map(|p| p.description.as_deref())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A label file as the carrier produced it, or as shipgate rendered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelDocument {
    pub format: LabelFormat,
    pub content: Vec<u8>,
}

/// What a successful booking gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedShipment {
    pub awb: String,
    pub service: String,
    /// Carrier-side identifiers needed later (order id, shipment id, upload waybill…).
    pub carrier_refs: BTreeMap<String, String>,
    /// Carrier routing / sort code printed on the label, when the carrier gives one.
    pub routing_code: Option<String>,
    /// Labels the carrier itself produced; shipgate renders its own when empty.
    pub labels: Vec<LabelDocument>,
    /// Documents the carrier generated with the booking (its commercial invoice for a
    /// cross-border parcel), kept with the shipment.
    pub documents: Vec<super::Document>,
    pub charged: Option<Money>,
}

/// How later operations identify a booked shipment at its carrier.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ShipmentRef {
    /// shipgate's own id, sent to carriers as the client reference.
    pub shipment_id: String,
    pub order_ref: String,
    pub awb: Option<String>,
    pub carrier_refs: BTreeMap<String, String>,
}

impl CreatedShipment {
    /// A booking as most carriers answer it: no routing code, no label of the carrier's
    /// own (shipgate renders one), no charge stated.
    pub fn new(
        awb: impl Into<String>,
        service: impl Into<String>,
        carrier_refs: BTreeMap<String, String>,
    ) -> CreatedShipment {
        CreatedShipment {
            awb: awb.into(),
            service: service.into(),
            carrier_refs,
            routing_code: None,
            labels: Vec::new(),
            documents: Vec::new(),
            charged: None,
        }
    }

    pub fn with_routing_code(self, routing_code: Option<String>) -> CreatedShipment {
        CreatedShipment {
            routing_code,
            ..self
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelOutcome {
    /// The carrier's own words, kept for the audit trail.
    pub carrier_message: String,
}
