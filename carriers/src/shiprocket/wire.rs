//! Shiprocket's wire format: the request bodies shipgate sends and the replies it reads,
//! with the conversions to and from the unified schema.
//!
//! Shiprocket is a PHP (Laravel) service and its JSON shows it: the same field is a number
//! in one reply and a string in the next (`shipment_id`, pincodes, amounts, `sr-status`),
//! an empty object may arrive as `[]`, errors come back inside HTTP 200 as often as with
//! a 4xx, and every timestamp is India time without a zone. The types here are therefore
//! lenient where Shiprocket is loose ([`Loose`]) and strict only where a wrong guess would
//! book or bill the wrong thing.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::CarrierError;
pub use crate::kit::lenient::Loose;
use crate::kit::lenient::{known, text};
use crate::kit::{error_body, units};
use crate::schema::{
    Charge, ChargeKind, Currency, Money, Payment, RateQuote, RateRequest, ShipmentRequest,
};

/// Shiprocket's carrier id in shipgate.
pub const CARRIER_ID: &str = "shiprocket";

/// Parcels without dimensions are declared as this cube (cm). Shiprocket refuses an order
/// without length, breadth and height; 10 cm sides weigh 0.2 kg volumetrically
/// (10·10·10 / 5000), below the 0.5 kg minimum slab, so the default never raises a price.
pub const DEFAULT_SIDE_CM: u32 = 10;

/// Every Shiprocket timestamp is India time written without a zone.
pub use crate::kit::time::IST;

/// The currency of every Shiprocket amount: its accounts are Indian and bill in rupees.
pub fn currency() -> Currency {
    Currency::inr()
}

/// Serialises an amount as the decimal rupee number Shiprocket's order form takes.
fn rupees<S: Serializer>(paise: &i64, s: S) -> Result<S::Ok, S::Error> {
    if paise % 100 == 0 {
        s.serialize_i64(paise / 100)
    } else {
        s.serialize_f64(*paise as f64 / 100.0)
    }
}

/// Serialises grams as the decimal kilograms Shiprocket's weight fields take.
fn kilograms<S: Serializer>(grams: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(units::kg(*grams))
}

// ---------------------------------------------------------------------------------------
// Errors

/// The error shapes Shiprocket uses: `{message, errors: {field: [..]}, status_code}` with a
/// 4xx, `{status: 404, message}` inside HTTP 200, and `message` sometimes an object of
/// field errors itself.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ShiprocketErrorBody {
    #[serde(default)]
    pub message: Option<Value>,
    #[serde(default)]
    pub errors: Option<Value>,
    #[serde(default)]
    pub status_code: Option<Loose>,
    #[serde(default)]
    pub status: Option<Loose>,
    #[serde(default)]
    pub error: Option<Value>,
}

impl ShiprocketErrorBody {
    /// The carrier's own code: `status_code`, else a numeric `status`.
    pub fn code(&self) -> Option<String> {
        known(&self.status_code)
            .or_else(|| known(&self.status).filter(|s| s.bytes().all(|b| b.is_ascii_digit())))
            .map(str::to_string)
    }

    /// One readable sentence: the message followed by every field error.
    pub fn describe(&self) -> Option<String> {
        let document = serde_json::json!({
            "message": self.message,
            "error": self.error,
            "errors": self.errors,
        });
        error_body::from_json(&document).message
    }
}

// ---------------------------------------------------------------------------------------
// Login

#[derive(Debug, Clone, Serialize)]
pub struct ShiprocketLoginRequest<'a> {
    pub email: &'a str,
    pub password: &'a str,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketLoginResponse {
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub company_id: Option<Loose>,
}

// ---------------------------------------------------------------------------------------
// Serviceability (rates)

/// The query of `GET /v1/external/courier/serviceability/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiprocketServiceabilityRequest {
    pub pickup_postcode: String,
    pub delivery_postcode: String,
    /// Total dead weight; sent as kilograms.
    pub weight_g: u32,
    pub cod: bool,
    /// Length, breadth, height in cm, only when the single parcel has them: Shiprocket
    /// then prices volumetric weight too.
    pub dimensions_cm: Option<(u32, u32, u32)>,
    pub declared_value: Option<Money>,
}

impl TryFrom<&RateRequest> for ShiprocketServiceabilityRequest {
    type Error = CarrierError;

    fn try_from(req: &RateRequest) -> Result<Self, CarrierError> {
        if req.from.country != "IN" || req.to.country != "IN" {
            return Err(CarrierError::Unsupported("international shipping"));
        }
        let dimensions_cm = match req.parcels.as_slice() {
            [p] => match (p.length_mm, p.width_mm, p.height_mm) {
                (Some(l), Some(w), Some(h)) => {
                    Some((units::whole_cm(l), units::whole_cm(w), units::whole_cm(h)))
                }
                _ => None,
            },
            _ => None,
        };
        let declared_value = match req.payment.cod_amount() {
            Some(cod) => Some(cod.clone()),
            // Parsing keeps the total within the cap and in one currency; a request that
            // skipped it is refused rather than sent a wrapped or mixed sum.
            None => Money::checked_sum(
                req.parcels.iter().filter_map(|p| p.declared_value.as_ref()),
            )
            .map_err(|_| {
                CarrierError::Unsupported(
                    "declared values in more than one currency or over the largest amount in all",
                )
            })?,
        };
        Ok(ShiprocketServiceabilityRequest {
            pickup_postcode: req.from.postal_code.as_str().to_string(),
            delivery_postcode: req.to.postal_code.as_str().to_string(),
            weight_g: req.total_weight_g(),
            cod: matches!(req.payment, Payment::Cod { .. }),
            dimensions_cm,
            declared_value,
        })
    }
}

impl ShiprocketServiceabilityRequest {
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let mut q = vec![
            ("pickup_postcode", self.pickup_postcode.clone()),
            ("delivery_postcode", self.delivery_postcode.clone()),
            ("weight", units::kg_text(self.weight_g)),
            ("cod", if self.cod { "1" } else { "0" }.to_string()),
        ];
        if let Some((l, b, h)) = self.dimensions_cm {
            q.push(("length", l.to_string()));
            q.push(("breadth", b.to_string()));
            q.push(("height", h.to_string()));
        }
        if let Some(v) = &self.declared_value {
            q.push(("declared_value", v.to_major_string()));
        }
        q
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketServiceabilityResponse {
    #[serde(default)]
    pub status: Option<Loose>,
    #[serde(default)]
    pub currency: Option<String>,
    /// An object with `available_courier_companies`, or `[]` when PHP had nothing to say.
    #[serde(default)]
    pub data: Option<Value>,
    #[serde(flatten)]
    pub error: ShiprocketErrorBody,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ShiprocketServiceabilityData {
    #[serde(default)]
    pub available_courier_companies: Vec<ShiprocketCourierCompany>,
}

/// One courier Shiprocket offers for the lane (the sample carries ~70 fields; these are
/// the ones a quote needs).
#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketCourierCompany {
    #[serde(default)]
    pub courier_company_id: Option<Loose>,
    #[serde(default)]
    pub courier_name: Option<String>,
    /// What Shiprocket will charge for this courier (freight plus COD charges).
    #[serde(default)]
    pub rate: Option<Loose>,
    #[serde(default)]
    pub freight_charge: Option<Loose>,
    #[serde(default)]
    pub cod_charges: Option<Loose>,
    /// `Jul 01, 2024`.
    #[serde(default)]
    pub etd: Option<String>,
    #[serde(default)]
    pub estimated_delivery_days: Option<Loose>,
    #[serde(default)]
    pub blocked: Option<Loose>,
    /// `1` when the courier collects cash on delivery on this lane.
    #[serde(default)]
    pub cod: Option<Loose>,
}

impl ShiprocketServiceabilityResponse {
    /// The couriers offered for the lane, blocked ones left out; none when nothing
    /// serves it. Errors inside HTTP 200 are rejections.
    pub fn couriers(self) -> Result<(Currency, Vec<ShiprocketCourierCompany>), CarrierError> {
        // Errors inside HTTP 200: `{"status": 404, "message": "Order does not exist!"}`.
        if let Some(status) = known(&self.status)
            && status != "200"
        {
            return Err(CarrierError::rejected(
                status,
                self.error
                    .describe()
                    .unwrap_or_else(|| format!("serviceability answered status {status}")),
                200,
            ));
        }
        let data = match self.data {
            Some(v @ Value::Object(_)) => ShiprocketServiceabilityData::deserialize(v)
                .map_err(|e| CarrierError::bad_response(format!("serviceability data: {e}")))?,
            _ => match self.error.describe() {
                Some(message) => {
                    return Err(CarrierError::rejected(
                        self.error
                            .code()
                            .unwrap_or_else(|| "serviceability_error".into()),
                        message,
                        200,
                    ));
                }
                // `data: []` is how PHP encodes an empty object: nothing serves the lane.
                None => ShiprocketServiceabilityData::default(),
            },
        };
        let currency = self
            .currency
            .as_deref()
            .and_then(Currency::parse)
            .unwrap_or_else(Currency::inr);
        let couriers = data
            .available_courier_companies
            .into_iter()
            .filter(|c| !c.blocked.as_ref().is_some_and(Loose::is_set))
            .collect();
        Ok((currency, couriers))
    }
}

impl TryFrom<ShiprocketServiceabilityResponse> for Vec<RateQuote> {
    type Error = CarrierError;

    fn try_from(resp: ShiprocketServiceabilityResponse) -> Result<Self, CarrierError> {
        let (currency, couriers) = resp.couriers()?;
        couriers
            .into_iter()
            .map(|c| c.into_quote(&currency))
            .collect()
    }
}

impl ShiprocketCourierCompany {
    pub fn collects_cod(&self) -> bool {
        self.cod.as_ref().is_some_and(Loose::is_set)
    }

    fn into_quote(self, currency: &Currency) -> Result<RateQuote, CarrierError> {
        let id = known(&self.courier_company_id)
            .ok_or_else(|| {
                CarrierError::bad_response("a courier company without courier_company_id")
            })?
            .to_string();
        let amount = |v: &Option<Loose>| {
            v.as_ref()
                .and_then(|l| Money::from_major_str(l.known()?, currency.clone()))
        };
        let freight = amount(&self.freight_charge);
        let cod = amount(&self.cod_charges).filter(|m| m.amount != 0);
        let total = match amount(&self.rate) {
            Some(rate) => rate,
            None => {
                if freight.is_none() {
                    return Err(CarrierError::bad_response(format!(
                        "courier {id} has neither rate nor freight_charge"
                    )));
                }
                Money::checked_sum(freight.iter().chain(cod.iter()))
                    .ok()
                    .flatten()
                    .ok_or_else(|| {
                        CarrierError::bad_response(format!(
                            "courier {id}: freight_charge and cod_charges add up to more than \
                             {} minor units",
                            Money::MAX_AMOUNT
                        ))
                    })?
            }
        };
        let mut breakdown = Vec::new();
        if let Some(f) = freight {
            breakdown.push(Charge {
                kind: ChargeKind::Freight,
                label: "freight_charge".into(),
                amount: f,
            });
        }
        if let Some(c) = cod {
            breakdown.push(Charge {
                kind: ChargeKind::Cod,
                label: "cod_charges".into(),
                amount: c,
            });
        }
        // Keep the breakdown adding up to the total Shiprocket quoted: whatever `rate`
        // holds beyond freight and COD is shown, not silently dropped.
        // Each figure is within the cap, so this cannot overflow; the difference can still
        // be beyond the cap (a rate far below freight and COD), which no line may be.
        let lines: i64 = breakdown.iter().map(|c| c.amount.amount).sum();
        let rest = total.amount - lines;
        if rest.unsigned_abs() > Money::MAX_AMOUNT.unsigned_abs() {
            return Err(CarrierError::bad_response(format!(
                "courier {id}: rate {} is {rest} minor units off freight_charge and cod_charges",
                total.amount
            )));
        }
        if rest != 0 {
            breakdown.push(Charge {
                kind: ChargeKind::Other,
                label: "other charges in rate".into(),
                amount: Money {
                    amount: rest,
                    currency: currency.clone(),
                },
            });
        }
        Ok(RateQuote {
            carrier: CARRIER_ID.into(),
            carrier_account: CARRIER_ID.into(),
            service_name: text(&self.courier_name).unwrap_or(&id).to_string(),
            service: id,
            total,
            breakdown,
            estimated_delivery: text(&self.etd)
                .and_then(|d| NaiveDate::parse_from_str(d, "%b %d, %Y").ok()),
            transit_days: known(&self.estimated_delivery_days).and_then(|d| d.parse().ok()),
        })
    }
}

// ---------------------------------------------------------------------------------------
// Create order (step 1 of 3)

/// Everything `POST /v1/external/orders/create/adhoc` needs besides the unified request.
#[derive(Debug, Clone)]
pub struct OrderDraft<'a> {
    /// shipgate's shipment id, sent as Shiprocket's `order_id` (the channel order id):
    /// unique per booking and stable across retries, so the order can be found by it.
    pub shipment_id: &'a str,
    pub request: &'a ShipmentRequest,
    /// The nickname of a pickup location registered in the Shiprocket panel.
    pub pickup_location: &'a str,
    /// Order date in IST.
    pub order_date: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ShiprocketOrderRequest {
    pub order_id: String,
    pub order_date: String,
    pub pickup_location: String,
    pub comment: String,
    pub billing_customer_name: String,
    pub billing_last_name: String,
    pub billing_address: String,
    pub billing_address_2: String,
    pub billing_city: String,
    pub billing_pincode: String,
    pub billing_state: String,
    pub billing_country: String,
    pub billing_email: String,
    pub billing_phone: String,
    pub shipping_is_billing: bool,
    pub order_items: Vec<ShiprocketOrderItem>,
    /// `Prepaid` or `COD`.
    pub payment_method: String,
    #[serde(serialize_with = "rupees")]
    pub shipping_charges: i64,
    #[serde(serialize_with = "rupees")]
    pub giftwrap_charges: i64,
    #[serde(serialize_with = "rupees")]
    pub transaction_charges: i64,
    #[serde(serialize_with = "rupees")]
    pub total_discount: i64,
    /// For COD this is what the courier collects.
    #[serde(serialize_with = "rupees")]
    pub sub_total: i64,
    /// Centimetres.
    pub length: u32,
    pub breadth: u32,
    pub height: u32,
    /// Kilograms on the wire.
    #[serde(serialize_with = "kilograms")]
    pub weight: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ShiprocketOrderItem {
    pub name: String,
    pub sku: String,
    pub units: u32,
    #[serde(serialize_with = "rupees")]
    pub selling_price: i64,
}

impl TryFrom<OrderDraft<'_>> for ShiprocketOrderRequest {
    type Error = CarrierError;

    fn try_from(d: OrderDraft<'_>) -> Result<Self, CarrierError> {
        let r = d.request;
        if r.to.country != "IN" || r.from.country != "IN" {
            return Err(CarrierError::Unsupported("international shipping"));
        }
        let parcel = r
            .parcels
            .first()
            .ok_or(CarrierError::Unsupported("a shipment without a parcel"))?;
        let (length, breadth, height) = match (parcel.length_mm, parcel.width_mm, parcel.height_mm)
        {
            (Some(l), Some(w), Some(h)) => {
                (units::whole_cm(l), units::whole_cm(w), units::whole_cm(h))
            }
            _ => (DEFAULT_SIDE_CM, DEFAULT_SIDE_CM, DEFAULT_SIDE_CM),
        };
        // For COD the order value is what the courier collects; for prepaid it is the
        // declared value (invoice value, used for insurance and e-way bills).
        let value = match &r.payment {
            Payment::Cod { cod_amount } => cod_amount.amount,
            Payment::Prepaid => r.declared_value().map(|m| m.amount).unwrap_or(0),
        };
        let description = r.description();
        let to = &r.to;
        Ok(ShiprocketOrderRequest {
            order_id: d.shipment_id.to_string(),
            order_date: d.order_date.format("%Y-%m-%d %H:%M").to_string(),
            pickup_location: d.pickup_location.to_string(),
            comment: format!("shipgate order {}", r.order_ref),
            billing_customer_name: to.name.clone(),
            billing_last_name: String::new(),
            billing_address: to.line1.clone(),
            billing_address_2: [to.line2.as_deref(), to.landmark.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
            billing_city: to.city.clone(),
            billing_pincode: to.postal_code.as_str().to_string(),
            billing_state: to.state.clone().unwrap_or_default(),
            billing_country: "India".into(),
            billing_email: to.email.clone().unwrap_or_default(),
            billing_phone: to.phone.national().to_string(),
            shipping_is_billing: true,
            order_items: vec![ShiprocketOrderItem {
                name: if description.is_empty() {
                    format!("Order {}", r.order_ref)
                } else {
                    description
                },
                sku: r.order_ref.clone(),
                units: 1,
                selling_price: value,
            }],
            payment_method: match r.payment {
                Payment::Prepaid => "Prepaid",
                Payment::Cod { .. } => "COD",
            }
            .into(),
            shipping_charges: 0,
            giftwrap_charges: 0,
            transaction_charges: 0,
            total_discount: 0,
            sub_total: value,
            length,
            breadth,
            height,
            weight: r.total_weight_g(),
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketOrderResponse {
    #[serde(default)]
    pub order_id: Option<Loose>,
    #[serde(default)]
    pub shipment_id: Option<Loose>,
    #[serde(default)]
    pub channel_order_id: Option<Loose>,
    /// Order status text (`NEW`); its id is `error.status_code`, flattened below.
    #[serde(default)]
    pub status: Option<Value>,
    #[serde(default)]
    pub awb_code: Option<Loose>,
    #[serde(default)]
    pub courier_company_id: Option<Loose>,
    #[serde(default)]
    pub courier_name: Option<String>,
    #[serde(flatten)]
    pub error: ShiprocketErrorBody,
}

/// A Shiprocket order as step 1 left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedOrder {
    /// Shiprocket's own order id (`sr_order_id` in webhooks).
    pub order_id: String,
    pub shipment_id: String,
    /// Shiprocket order status id (`[codes.order_status]`), e.g. 1 = NEW.
    pub status_code: Option<String>,
    /// Set when the order already carries an AWB (an order created earlier for the same
    /// channel order id): assigning again would only be refused.
    pub awb: Option<AssignedAwb>,
}

impl TryFrom<ShiprocketOrderResponse> for CreatedOrder {
    type Error = CarrierError;

    fn try_from(resp: ShiprocketOrderResponse) -> Result<Self, CarrierError> {
        match (known(&resp.order_id), known(&resp.shipment_id)) {
            (Some(order_id), Some(shipment_id)) => Ok(CreatedOrder {
                order_id: order_id.to_string(),
                shipment_id: shipment_id.to_string(),
                status_code: known(&resp.error.status_code).map(str::to_string),
                awb: known(&resp.awb_code).map(|awb| AssignedAwb {
                    awb: awb.to_string(),
                    courier_company_id: known(&resp.courier_company_id).map(str::to_string),
                    courier_name: text(&resp.courier_name).map(str::to_string),
                    routing_code: None,
                }),
            }),
            // An order without ids is either a refusal worded inside HTTP 200, or a reply
            // shipgate cannot read; the latter may hide an order that was created.
            _ => match resp.error.describe() {
                Some(message) => Err(CarrierError::rejected(
                    resp.error
                        .code()
                        .unwrap_or_else(|| "order_not_created".into()),
                    message,
                    200,
                )),
                None => Err(CarrierError::bad_response(
                    "create order answered without order_id and shipment_id",
                )),
            },
        }
    }
}

// ---------------------------------------------------------------------------------------
// Orders search: GET /v1/external/orders?search=<channel order id or AWB>

/// The "Get all Orders" answer: `data` is a list of orders, each with its shipments as a
/// list (the docs' example; the single-order `orders/show/{id}` has them as one object,
/// which is read too). An empty result is `data: []`.
#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketOrdersResponse {
    #[serde(default)]
    pub data: Option<Value>,
    #[serde(flatten)]
    pub error: ShiprocketErrorBody,
}

/// One listed order, reduced to what finding a booking needs (the docs' example carries
/// some thirty fields more: customer, products, activities…).
#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketListedOrder {
    /// Shiprocket's order id.
    #[serde(default)]
    pub id: Option<Loose>,
    /// The `order_id` sent at create: shipgate's shipment id.
    #[serde(default)]
    pub channel_order_id: Option<Loose>,
    /// Order status text (`NEW`, `CANCELED`…).
    #[serde(default)]
    pub status: Option<String>,
    /// Order status id (`[codes.order_status]`: 1 NEW, 5 CANCELED…).
    #[serde(default)]
    pub status_code: Option<Loose>,
    #[serde(default)]
    pub shipments: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ShiprocketListedShipment {
    #[serde(default)]
    pub id: Option<Loose>,
    /// `""` (or null) until an AWB is assigned.
    #[serde(default)]
    pub awb: Option<Loose>,
    /// The courier's name (`""` before assignment); the list carries no courier id.
    #[serde(default)]
    pub courier: Option<String>,
}

impl ShiprocketListedOrder {
    fn shipment(&self) -> Result<Option<ShiprocketListedShipment>, CarrierError> {
        let first = match &self.shipments {
            Some(Value::Array(items)) => items.first().cloned(),
            Some(v @ Value::Object(_)) => Some(v.clone()),
            _ => None,
        };
        first
            .map(ShiprocketListedShipment::deserialize)
            .transpose()
            .map_err(|e| CarrierError::bad_response(format!("listed order shipment: {e}")))
    }

    /// The order as step 1 would have described it, with the AWB when one is assigned.
    fn into_created(self) -> Result<CreatedOrder, CarrierError> {
        let order_id = known(&self.id)
            .ok_or_else(|| CarrierError::bad_response("a listed order without id"))?
            .to_string();
        // Without its shipment id the order can be neither continued nor tracked: an
        // unreadable answer, not a missing booking.
        let shipment = self.shipment()?;
        let shipment_id = shipment
            .as_ref()
            .and_then(|s| known(&s.id))
            .ok_or_else(|| {
                CarrierError::bad_response(format!("Shiprocket order {order_id} lists no shipment"))
            })?
            .to_string();
        let awb = shipment.as_ref().and_then(|s| {
            Some(AssignedAwb {
                awb: known(&s.awb)?.to_string(),
                courier_company_id: None,
                courier_name: text(&s.courier).map(str::to_string),
                routing_code: None,
            })
        });
        Ok(CreatedOrder {
            order_id,
            shipment_id,
            status_code: known(&self.status_code).map(str::to_string),
            awb,
        })
    }
}

impl ShiprocketOrdersResponse {
    /// The order whose channel order id is exactly `channel_order_id`, or `None`.
    ///
    /// Shiprocket's `search` also matches AWBs and (it is a search) longer ids containing
    /// the one asked for, so the match is checked here. Should several orders carry the
    /// id (other channels), the one with an AWB wins: that is the booking.
    pub fn find(self, channel_order_id: &str) -> Result<Option<CreatedOrder>, CarrierError> {
        let wanted = channel_order_id.trim();
        let items = match self.data {
            Some(Value::Array(items)) => items,
            Some(v @ Value::Object(_)) => vec![v],
            // No list: an error worded inside HTTP 200, or an answer shipgate cannot read.
            // Neither says "no such order", so neither may become `None`.
            _ => {
                return Err(match self.error.describe() {
                    Some(message) => CarrierError::rejected(
                        self.error
                            .code()
                            .unwrap_or_else(|| "orders_search_failed".into()),
                        message,
                        200,
                    ),
                    None => CarrierError::bad_response("orders search answered without data"),
                });
            }
        };
        let mut matches = Vec::new();
        for item in items {
            let order = ShiprocketListedOrder::deserialize(item)
                .map_err(|e| CarrierError::bad_response(format!("listed order: {e}")))?;
            if known(&order.channel_order_id) == Some(wanted) {
                matches.push(order.into_created()?);
            }
        }
        if matches.len() > 1 {
            tracing::warn!(
                channel_order_id = wanted,
                orders = ?matches.iter().map(|o| o.order_id.as_str()).collect::<Vec<_>>(),
                "several Shiprocket orders carry one channel order id"
            );
        }
        let with_awb = matches.iter().position(|o| o.awb.is_some());
        Ok(match with_awb {
            Some(i) => Some(matches.swap_remove(i)),
            None => matches.into_iter().next(),
        })
    }
}

// ---------------------------------------------------------------------------------------
// Assign AWB (step 2 of 3)

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShiprocketAssignAwbRequest {
    pub shipment_id: String,
    /// Absent: Shiprocket picks the courier by the account's priority rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub courier_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketAssignAwbResponse {
    #[serde(default)]
    pub awb_assign_status: Option<Loose>,
    #[serde(default)]
    pub response: Option<ShiprocketAssignEnvelope>,
    #[serde(flatten)]
    pub error: ShiprocketErrorBody,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketAssignEnvelope {
    /// An object on success; Shiprocket has been seen to put a bare message here too.
    #[serde(default)]
    pub data: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ShiprocketAssignData {
    #[serde(default)]
    pub awb_code: Option<Loose>,
    #[serde(default)]
    pub courier_company_id: Option<Loose>,
    #[serde(default)]
    pub courier_name: Option<String>,
    #[serde(default)]
    pub routing_code: Option<String>,
    #[serde(default)]
    pub awb_assign_error: Option<String>,
}

/// The AWB step 2 allocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignedAwb {
    pub awb: String,
    pub courier_company_id: Option<String>,
    pub courier_name: Option<String>,
    pub routing_code: Option<String>,
}

impl TryFrom<ShiprocketAssignAwbResponse> for AssignedAwb {
    type Error = CarrierError;

    fn try_from(resp: ShiprocketAssignAwbResponse) -> Result<Self, CarrierError> {
        let data_value = resp.response.and_then(|r| r.data);
        let data = match &data_value {
            Some(v @ Value::Object(_)) => ShiprocketAssignData::deserialize(v.clone())
                .map_err(|e| CarrierError::bad_response(format!("assign AWB data: {e}")))?,
            _ => ShiprocketAssignData::default(),
        };
        let assigned = resp.awb_assign_status.as_ref().map(Loose::is_set);
        match (assigned, known(&data.awb_code)) {
            (Some(true) | None, Some(awb)) => Ok(AssignedAwb {
                awb: awb.to_string(),
                courier_company_id: known(&data.courier_company_id).map(str::to_string),
                courier_name: text(&data.courier_name).map(str::to_string),
                routing_code: text(&data.routing_code).map(str::to_string),
            }),
            _ => {
                let mut message = text(&data.awb_assign_error).map(str::to_string);
                if message.is_none()
                    && let Some(Value::String(s)) = &data_value
                {
                    message = Some(s.clone());
                }
                let message = message.or_else(|| resp.error.describe());
                match (assigned, message) {
                    (Some(false), m) | (_, m @ Some(_)) => Err(CarrierError::rejected(
                        resp.error
                            .code()
                            .unwrap_or_else(|| "awb_assign_failed".into()),
                        m.unwrap_or_else(|| "Shiprocket did not assign an AWB".into()),
                        200,
                    )),
                    _ => Err(CarrierError::bad_response(
                        "assign AWB answered without awb_code",
                    )),
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Generate label (step 3 of 3)

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShiprocketLabelRequest {
    /// Always an array, even for one shipment (a bare id is refused with 422).
    pub shipment_id: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketLabelResponse {
    #[serde(default)]
    pub label_created: Option<Loose>,
    #[serde(default)]
    pub label_url: Option<String>,
    #[serde(default)]
    pub response: Option<String>,
    #[serde(default)]
    pub not_created: Option<Value>,
    #[serde(flatten)]
    pub error: ShiprocketErrorBody,
}

/// Where Shiprocket put the label PDF (an S3 link, fetched without credentials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelLink(pub String);

impl TryFrom<ShiprocketLabelResponse> for LabelLink {
    type Error = CarrierError;

    fn try_from(resp: ShiprocketLabelResponse) -> Result<Self, CarrierError> {
        let url = text(&resp.label_url);
        let created = resp.label_created.as_ref().map(Loose::is_set);
        match (created, url) {
            (Some(true) | None, Some(url))
                if url.starts_with("http://") || url.starts_with("https://") =>
            {
                Ok(LabelLink(url.to_string()))
            }
            _ => Err(CarrierError::rejected(
                resp.error
                    .code()
                    .unwrap_or_else(|| "label_not_created".into()),
                text(&resp.response)
                    .map(str::to_string)
                    .or_else(|| resp.error.describe())
                    .unwrap_or_else(|| "Shiprocket did not create the label".into()),
                200,
            )),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Cancel

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShiprocketCancelAwbsRequest {
    pub awbs: Vec<String>,
}

/// `POST /v1/external/orders/cancel`: cancels orders by Shiprocket order id, for an order
/// that never got an AWB.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ShiprocketCancelOrdersRequest {
    pub ids: Vec<String>,
}

// ---------------------------------------------------------------------------------------
// Tracking

/// `GET /v1/external/courier/track/awb/{awb}` and `/track/shipment/{id}`.
#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketTrackingResponse {
    #[serde(default)]
    pub tracking_data: Option<ShiprocketTrackingData>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketTrackingData {
    #[serde(default)]
    pub track_status: Option<Loose>,
    /// A tracking status id (`[codes.sr_status]`).
    #[serde(default)]
    pub shipment_status: Option<Loose>,
    #[serde(default)]
    pub shipment_track: Option<Vec<ShiprocketShipmentTrack>>,
    #[serde(default)]
    pub shipment_track_activities: Option<Vec<ShiprocketTrackActivity>>,
    #[serde(default)]
    pub track_url: Option<String>,
    /// "Aahh! There is no activities found in our DB…" when nothing was scanned yet.
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketShipmentTrack {
    #[serde(default)]
    pub awb_code: Option<Loose>,
    #[serde(default)]
    pub courier_company_id: Option<Loose>,
    #[serde(default)]
    pub shipment_id: Option<Loose>,
    #[serde(default)]
    pub order_id: Option<Loose>,
    #[serde(default)]
    pub current_status: Option<String>,
}

/// One scan. `status` is the courier's own code (Delhivery NSL codes for Delhivery…),
/// `sr-status` Shiprocket's tracking status id or "NA" when Shiprocket did not classify
/// the scan.
#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketTrackActivity {
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub status: Option<Loose>,
    #[serde(default)]
    pub activity: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default, rename = "sr-status")]
    pub sr_status: Option<Loose>,
    #[serde(default, rename = "sr-status-label")]
    pub sr_status_label: Option<String>,
}

impl ShiprocketTrackActivity {
    pub fn sr_status(&self) -> Option<&str> {
        known(&self.sr_status)
    }
    pub fn sr_status_label(&self) -> Option<&str> {
        text(&self.sr_status_label)
    }
    pub fn courier_code(&self) -> Option<&str> {
        known(&self.status)
    }
    pub fn activity(&self) -> Option<&str> {
        text(&self.activity)
    }
    pub fn location(&self) -> Option<&str> {
        text(&self.location)
    }
    pub fn date(&self) -> Option<&str> {
        text(&self.date)
    }
}

impl ShiprocketTrackingData {
    pub fn awb(&self) -> Option<&str> {
        self.first_track().and_then(|t| known(&t.awb_code))
    }
    pub fn first_track(&self) -> Option<&ShiprocketShipmentTrack> {
        self.shipment_track.as_ref()?.first()
    }
    pub fn current_status(&self) -> Option<&str> {
        self.first_track().and_then(|t| text(&t.current_status))
    }
    pub fn shipment_status(&self) -> Option<&str> {
        known(&self.shipment_status)
    }
    pub fn is_tracked(&self) -> bool {
        self.track_status.as_ref().is_some_and(Loose::is_set)
    }
}

/// A tracking push to the webhook URL configured in the Shiprocket panel.
#[derive(Debug, Clone, Deserialize)]
pub struct ShiprocketWebhook {
    #[serde(default)]
    pub awb: Option<Loose>,
    #[serde(default)]
    pub current_status: Option<String>,
    /// An order status id (`[codes.order_status]`).
    #[serde(default)]
    pub current_status_id: Option<Loose>,
    #[serde(default)]
    pub shipment_status: Option<String>,
    /// A tracking status id (`[codes.sr_status]`).
    #[serde(default)]
    pub shipment_status_id: Option<Loose>,
    /// `23 05 2023 11:43:52` (day month year, IST).
    #[serde(default)]
    pub current_timestamp: Option<String>,
    #[serde(default)]
    pub scans: Vec<ShiprocketTrackActivity>,
    #[serde(default)]
    pub sr_order_id: Option<Loose>,
    #[serde(default)]
    pub order_id: Option<Loose>,
}

impl ShiprocketWebhook {
    pub fn awb(&self) -> Option<&str> {
        known(&self.awb)
    }
    pub fn current_status_id(&self) -> Option<&str> {
        known(&self.current_status_id)
    }
    pub fn shipment_status_id(&self) -> Option<&str> {
        known(&self.shipment_status_id)
    }
    pub fn refs(&self) -> BTreeMap<String, String> {
        let mut refs = BTreeMap::new();
        if let Some(id) = known(&self.sr_order_id) {
            refs.insert("order_id".into(), id.to_string());
        }
        if let Some(id) = known(&self.order_id) {
            refs.insert("channel_order_id".into(), id.to_string());
        }
        refs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_reads_numbers_and_strings_alike() {
        let v: Vec<Loose> = serde_json::from_str(r#"["42", 42, 123.9, null, "NA"]"#).unwrap();
        assert_eq!(v[0], v[1]);
        assert_eq!(v[2].money(currency()).unwrap().amount, 12390);
        assert_eq!(v[3].known(), None);
        assert_eq!(v[4].known(), None);
    }
}
