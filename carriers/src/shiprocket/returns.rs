//! Shiprocket return orders: `POST /v1/external/orders/create/return` (the buyer as
//! `pickup_*`, the warehouse as `shipping_*`), then `courier/assign/awb` with
//! `is_return: 1`, then the label as for any booking.
//!
//! What the samples and Shiprocket's docs show: the request fields
//! (`create_return_order_request.json`), the answer (`order_id`, `shipment_id`, status
//! `RETURN PENDING` = order status 21) and the 422 for a reused `order_id` ("The order id
//! has already been taken."), the possible `return_reason` texts (return-reasons.csv) and
//! the per-item doorstep quality check fields (`qc_enable`, `qc_product_name`, `qc_brand`,
//! `qc_product_image`). Designed here, because unpublished: `return_reason` rides on each
//! order item (the docs list its values, not its place), `qc_color` / `qc_size` are sent
//! under those names, and the assignment's `is_return` is the integer 1.

use async_trait::async_trait;
use chrono::Utc;
use serde::Serialize;

use super::requests::{DEFAULT_SIDE_CM, PATH_ASSIGN_AWB, sides_cm};
use super::wire::{kilograms, rupees};
use super::{CreatedOrder, Shiprocket, parse_create_order_response};
use crate::CarrierError;
use crate::carrier::{Operation, Transport};
use crate::families::{QcCheck, ReturnReason, ReturnRequest, Returns};
use crate::kit::adapter::Result;
use crate::kit::time::IST_OFFSET;
use crate::schema::{Address, CreatedShipment, ShipmentRef};
use crate::wire::HttpRequest;

pub const PATH_CREATE_RETURN: &str = "/v1/external/orders/create/return";

/// Shiprocket's words for each return reason: texts from its published list
/// (return-reasons.csv), which the API takes as they are.
pub fn reason_text(reason: ReturnReason) -> &'static str {
    match reason {
        ReturnReason::Damaged => "Item is damaged",
        ReturnReason::Defective => "Item defective or doesn't work",
        ReturnReason::WrongItem => "Wrong item was sent",
        ReturnReason::MissingParts => "Missing parts or accessories",
        ReturnReason::NotAsDescribed => "Not as described",
        ReturnReason::SizeIssue => "Size not as expected",
        ReturnReason::QualityIssue => "Performance or quality not adequate",
        ReturnReason::ChangedMind => "Changed my mind",
        ReturnReason::ArrivedLate => "Item arrived too late",
        ReturnReason::Other => "Other",
    }
}

/// `POST /v1/external/orders/create/return`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ShiprocketReturnOrderRequest {
    pub order_id: String,
    pub order_date: String,
    pub pickup_customer_name: String,
    pub pickup_last_name: String,
    pub pickup_address: String,
    pub pickup_address_2: String,
    pub pickup_city: String,
    pub pickup_state: String,
    pub pickup_country: String,
    pub pickup_pincode: String,
    pub pickup_email: String,
    pub pickup_phone: String,
    pub pickup_isd_code: String,
    pub shipping_customer_name: String,
    pub shipping_last_name: String,
    pub shipping_address: String,
    pub shipping_address_2: String,
    pub shipping_city: String,
    pub shipping_country: String,
    pub shipping_pincode: String,
    pub shipping_state: String,
    pub shipping_email: String,
    pub shipping_isd_code: String,
    pub shipping_phone: String,
    pub order_items: Vec<ShiprocketReturnItem>,
    /// Always `PREPAID`: nothing is collected on a return.
    pub payment_method: String,
    #[serde(serialize_with = "rupees")]
    pub total_discount: i64,
    #[serde(serialize_with = "rupees")]
    pub sub_total: i64,
    pub length: u32,
    pub breadth: u32,
    pub height: u32,
    #[serde(serialize_with = "kilograms")]
    pub weight: u32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ShiprocketReturnItem {
    pub name: String,
    pub sku: String,
    pub units: u32,
    #[serde(serialize_with = "rupees")]
    pub selling_price: i64,
    #[serde(serialize_with = "rupees")]
    pub discount: i64,
    pub return_reason: String,
    pub qc_enable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qc_product_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qc_brand: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qc_product_image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qc_color: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qc_size: Option<String>,
}

/// `courier/assign/awb` for a return order.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ShiprocketAssignReturnAwbRequest {
    pub shipment_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub courier_id: Option<String>,
    pub is_return: u8,
}

/// The return order for `request`, dated `order_date` (IST).
pub fn return_order_body(
    request: &ReturnRequest,
    order_date: chrono::NaiveDateTime,
) -> Result<ShiprocketReturnOrderRequest> {
    let (buyer, warehouse) = (&request.pickup, &request.deliver_to);
    if buyer.country != "IN" || warehouse.country != "IN" {
        return Err(CarrierError::Unsupported("international returns"));
    }
    let [parcel] = request.parcels.as_slice() else {
        return Err(CarrierError::Unsupported(
            "a multi-piece return (book each piece as its own return)",
        ));
    };
    let (length, breadth, height) = sides_cm(parcel.length_mm, parcel.width_mm, parcel.height_mm)
        .unwrap_or((DEFAULT_SIDE_CM, DEFAULT_SIDE_CM, DEFAULT_SIDE_CM));
    let value = request.declared_value().map_or(0, |m| m.amount);
    let description = request.description();
    let name = if description.is_empty() {
        format!("Return {}", request.shipment_id)
    } else {
        description
    };
    let qc = request.qc.as_ref();
    let item = ShiprocketReturnItem {
        name,
        sku: request.shipment_id.clone(),
        units: 1,
        selling_price: value,
        discount: 0,
        return_reason: reason_text(request.reason).to_string(),
        qc_enable: qc.is_some(),
        qc_product_name: qc.map(|q| q.product_name.clone()),
        qc_brand: qc.and_then(|q: &QcCheck| q.brand.clone()),
        qc_product_image: qc.and_then(|q| q.image_url.clone()),
        qc_color: qc.and_then(|q| q.color.clone()),
        qc_size: qc.and_then(|q| q.size.clone()),
    };
    let second_line = |a: &Address| {
        let parts = [a.line2.as_deref(), a.landmark.as_deref()];
        parts.into_iter().flatten().collect::<Vec<_>>().join(", ")
    };
    Ok(ShiprocketReturnOrderRequest {
        order_id: request.shipment_id.clone(),
        order_date: order_date.format("%Y-%m-%d").to_string(),
        pickup_customer_name: buyer.name.clone(),
        pickup_last_name: String::new(),
        pickup_address: buyer.line1.clone(),
        pickup_address_2: second_line(buyer),
        pickup_city: buyer.city.clone(),
        pickup_state: buyer.state.clone().unwrap_or_default(),
        pickup_country: "India".into(),
        pickup_pincode: buyer.postal_code.as_str().to_string(),
        pickup_email: buyer.email.clone().unwrap_or_default(),
        pickup_phone: buyer.phone.national().to_string(),
        pickup_isd_code: "91".into(),
        shipping_customer_name: warehouse.name.clone(),
        shipping_last_name: String::new(),
        shipping_address: warehouse.line1.clone(),
        shipping_address_2: second_line(warehouse),
        shipping_city: warehouse.city.clone(),
        shipping_country: "India".into(),
        shipping_pincode: warehouse.postal_code.as_str().to_string(),
        shipping_state: warehouse.state.clone().unwrap_or_default(),
        shipping_email: warehouse.email.clone().unwrap_or_default(),
        shipping_isd_code: "91".into(),
        shipping_phone: warehouse.phone.national().to_string(),
        order_items: vec![item],
        payment_method: "PREPAID".into(),
        total_discount: 0,
        sub_total: value,
        length,
        breadth,
        height,
        weight: request.total_weight_g(),
    })
}

pub fn return_order_request(
    request: &ReturnRequest,
    order_date: chrono::NaiveDateTime,
) -> Result<HttpRequest> {
    HttpRequest::post(PATH_CREATE_RETURN).json(&return_order_body(request, order_date)?)
}

pub fn assign_return_awb_request(
    shipment_id: &str,
    courier_id: Option<&str>,
) -> Result<HttpRequest> {
    HttpRequest::post(PATH_ASSIGN_AWB).json(&ShiprocketAssignReturnAwbRequest {
        shipment_id: shipment_id.to_string(),
        courier_id: courier_id.map(str::to_string),
        is_return: 1,
    })
}

#[async_trait]
impl Returns for Shiprocket {
    fn offers_qc(&self) -> bool {
        true
    }

    /// The return order, then its AWB and label as for a forward booking (a label that
    /// fails leaves `label_error` in the refs). Like a forward booking it survives a lost
    /// answer: the order is remembered once created, so booking again under the same id
    /// (or a lookup) continues it instead of asking Shiprocket for a second one.
    async fn create_return(
        &self,
        t: &dyn Transport,
        _forward: Option<&ShipmentRef>,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment> {
        let courier_id = super::courier_id_of(request.service.as_deref())?;
        let id = request.shipment_id.as_str();
        let order = match self.pending.get(id) {
            Some(pending) => {
                tracing::info!(shipment_id = id, sr_order_id = %pending.order.order_id, "continuing a partial Shiprocket return");
                pending.order
            }
            None => {
                let order_date = Utc::now().with_timezone(&IST_OFFSET).naive_local();
                let http = return_order_request(request, order_date);
                let op = Operation::CreateShipment;
                let order = self.call(t, op, http, parse_create_order_response).await?;
                self.remember(id, &order, super::Courier::Asked(courier_id.clone()));
                order
            }
        };
        self.finish_booking(t, id, order, courier_id, true).await
    }
}

/// Whether an order is a return order, by its order status: Shiprocket's return statuses
/// (status-codes.csv: 21–32 Return Pending … Return Picked Up, 47–50 Return Out For
/// Pickup … Return Undelivered, 68 Return Acknowledged).
pub fn is_return_order(order: &CreatedOrder) -> bool {
    let Some(code) = order
        .status_code
        .as_deref()
        .and_then(|c| c.trim().parse::<u32>().ok())
    else {
        return false;
    };
    matches!(code, 21..=32 | 47..=50 | 68)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_a_distinct_text() {
        use strum::VariantArray;
        let mut texts: Vec<&str> = ReturnReason::VARIANTS
            .iter()
            .map(|r| reason_text(*r))
            .collect();
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), ReturnReason::VARIANTS.len());
    }
}
