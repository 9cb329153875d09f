//! Delhivery reverse pickups (returns): the ordinary `create.json` in its reverse mode.
//!
//! Delhivery's docs: order creation "is same for both the forward flow … and reverse flow
//! (customer to client warehouse) with the only difference in the package_type key
//! (Pickup for reverse package)"; with `payment_mode: "Pickup"` the consignee fields are
//! where the parcel is collected (the buyer) and the `return_*` fields where it is
//! delivered (the warehouse), which Delhivery prefers over the registered pickup
//! location. Its tracking then runs on the reverse-pickup status types `PP` (pickup
//! pending), `PU` (picked up) and `DL`/`DTO` (delivered to origin), already in
//! `mappings/delhivery.toml`.
//!
//! Not published, so designed here: Delhivery takes no return reason (it is kept in
//! shipgate only), and its doorstep quality check for reverse pickups has no documented
//! request fields, so [`Returns::offers_qc`] is false and a QC request is refused before
//! anything is sent.

use async_trait::async_trait;

use super::Delhivery;
use super::requests::{CREATE_PATH, check_order, clean_text};
use super::wire::{DelhiveryCreateRequest, DelhiveryPickupLocation, DelhiveryShipment, Service};
use crate::CarrierError;
use crate::carrier::{Operation, Transport};
use crate::families::{ReturnRequest, Returns};
use crate::kit::adapter::Result;
use crate::kit::units;
use crate::schema::{CreatedShipment, ShipmentRef};
use crate::wire::HttpRequest;

/// `payment_mode` of a reverse pickup.
pub const PICKUP_MODE: &str = "Pickup";

impl Delhivery {
    /// `POST /api/cmu/create.json` booking a reverse pickup (see the module docs).
    pub fn return_request(&self, request: &ReturnRequest) -> Result<HttpRequest> {
        let body = return_body(request, &self.pickup_location)?;
        let data = serde_json::to_string(&body)
            .map_err(|e| CarrierError::NotSent(format!("could not encode return: {e}")))?;
        self.authorised(HttpRequest::post(CREATE_PATH))
            .form(&[("format", "json".to_string()), ("data", data)])
    }
}

/// The `data` document of a reverse pickup: the buyer as consignee, the warehouse as the
/// return address, nothing to collect.
pub fn return_body(
    request: &ReturnRequest,
    pickup_location: &str,
) -> Result<DelhiveryCreateRequest> {
    let (buyer, warehouse) = (&request.pickup, &request.deliver_to);
    if buyer.country != "IN" || warehouse.country != "IN" {
        return Err(CarrierError::Unsupported("international returns"));
    }
    let [parcel] = request.parcels.as_slice() else {
        return Err(CarrierError::Unsupported(
            "a multi-piece return (book each piece as its own return)",
        ));
    };
    if request.qc.is_some() {
        return Err(CarrierError::Unsupported(
            "doorstep quality checks: Delhivery publishes no fields for them",
        ));
    }
    check_order(&request.shipment_id)?;
    let service = Service::from_code(request.service.as_deref())?;
    let total_amount = request
        .declared_value()
        .map_or_else(|| "0".to_string(), |m| m.to_major_string());
    let description = match request.description() {
        d if d.is_empty() => format!("Return: {}", request.reason.as_str()),
        d => d,
    };
    let shipment = DelhiveryShipment {
        name: clean_text(&buyer.name),
        add: clean_text(&buyer.street()),
        pin: buyer.postal_code.as_str().to_string(),
        city: clean_text(&buyer.city),
        state: clean_text(buyer.state.as_deref().unwrap_or_default()),
        country: "India".to_string(),
        phone: buyer.phone.national().to_string(),
        order: request.shipment_id.clone(),
        payment_mode: PICKUP_MODE.to_string(),
        products_desc: clean_text(&description),
        cod_amount: "0".to_string(),
        total_amount,
        quantity: 1,
        weight: request.total_weight_g(),
        shipment_length: parcel.length_mm.map(units::cm),
        shipment_width: parcel.width_mm.map(units::cm),
        shipment_height: parcel.height_mm.map(units::cm),
        shipping_mode: service.shipping_mode().to_string(),
        waybill: String::new(),
        return_name: clean_text(&warehouse.name),
        return_add: clean_text(&warehouse.street()),
        return_city: clean_text(&warehouse.city),
        return_state: clean_text(warehouse.state.as_deref().unwrap_or_default()),
        return_pin: warehouse.postal_code.as_str().to_string(),
        return_phone: warehouse.phone.national().to_string(),
        return_country: "India".to_string(),
    };
    Ok(DelhiveryCreateRequest {
        shipments: vec![shipment],
        pickup_location: DelhiveryPickupLocation {
            name: pickup_location.to_string(),
        },
    })
}

#[async_trait]
impl Returns for Delhivery {
    fn offers_qc(&self) -> bool {
        false
    }

    /// One create call; the answer is read like a forward booking's.
    async fn create_return(
        &self,
        t: &dyn Transport,
        _forward: Option<&ShipmentRef>,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment> {
        let service = Service::from_code(request.service.as_deref())?;
        let http = self.return_request(request)?;
        let resp = t.send(Operation::CreateShipment, http).await?;
        super::parse_create_response(&resp, service)
    }
}
