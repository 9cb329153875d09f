//! Returns: a reverse pickup from the buyer back to the seller's warehouse, booked as a
//! shipment of its own (kind `reverse`) and usually linked to the forward shipment it
//! undoes.
//!
//! Why the shape: the carriers book a return with their ordinary booking call in another
//! mode (Delhivery: `create.json` with `payment_mode: "Pickup"`, the consignee being the
//! buyer to collect from and the `return_*` fields the warehouse to deliver to; Shiprocket:
//! `orders/create/return`, then the AWB assigned with `is_return: 1`), so a return is a
//! [`ReturnRequest`] in, a [`CreatedShipment`] out, tracked, labelled and cancelled like
//! any booking afterwards. Reasons differ per carrier (Shiprocket takes one of its own
//! published texts, Delhivery none at all), so the gateway speaks one small taxonomy,
//! [`ReturnReason`], and each adapter words it its own way. Doorstep quality checks exist
//! only where the carrier has them ([`Returns::offers_qc`]): the gateway refuses them
//! before calling a carrier that does not, instead of booking a return that silently
//! skips the check.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::schema::{
    Address, CreatedShipment, Customs, DutiesPayer, ExportReason, Incoterm, Parcel, ShipmentRef,
    ShipmentRequest,
};
use crate::{CarrierError, Transport};

/// Why the buyer sends the parcel back: shipgate's own small taxonomy, mapped to each
/// carrier's words by its adapter.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    strum::EnumIter,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ReturnReason {
    /// The product arrived damaged.
    Damaged,
    /// It does not work.
    Defective,
    /// Another product (or colour) than ordered.
    WrongItem,
    /// Parts or accessories missing.
    MissingParts,
    /// Not as the listing described it.
    NotAsDescribed,
    /// Size or fit.
    SizeIssue,
    /// Quality or performance below expectations.
    QualityIssue,
    /// The buyer changed their mind or no longer needs it.
    ChangedMind,
    /// It arrived too late.
    ArrivedLate,
    Other,
}

impl ReturnReason {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<ReturnReason> {
        use strum::VariantArray;
        ReturnReason::VARIANTS
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
    }
}

/// What the courier checks at the buyer's door before taking the parcel (quality check):
/// it refuses a parcel that does not match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QcCheck {
    /// The product the courier expects to collect.
    pub product_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// A picture of the product as sold, for the courier to compare (http or https URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
}

/// What a reverse [`ShipmentRequest`] carries beyond a forward one: why, which forward
/// shipment it undoes, and the doorstep check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnDetails {
    /// The forward shipment in shipgate, when the return was booked from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_shipment_id: Option<String>,
    pub reason: ReturnReason,
    /// The buyer's own words, at most 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qc: Option<QcCheck>,
}

/// A return to book.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnRequest {
    /// shipgate's id for the return, sent as the client reference.
    pub shipment_id: String,
    /// Where the parcel is collected (the buyer).
    pub pickup: Address,
    /// Where it goes back to (the seller's warehouse).
    pub deliver_to: Address,
    pub parcels: Vec<Parcel>,
    /// A service code of the carrier's; its default when absent.
    pub service: Option<String>,
    pub reason: ReturnReason,
    /// The doorstep quality check, where the carrier offers one ([`Returns::offers_qc`]).
    pub qc: Option<QcCheck>,
    /// The customs declaration of the goods coming back, for a return that crosses a
    /// border (see [`returning_customs`]); `None` for a domestic return. Carriers that
    /// book returns within one country ignore it.
    pub customs: Option<Customs>,
}

/// The customs declaration of goods going back, from the forward booking's: the same
/// items (description, HS code, quantity, unit value, weight, and each item's
/// `origin_country`, which is where the goods were made and does not change), the same
/// invoice number (customs relief for returned goods is claimed against the original
/// export), but in the other direction:
/// - the shipment now leaves the buyer's country and enters the seller's, so the
///   declaration is a `return` (DHL's `exportReasonType: return`), not a sale;
/// - the incoterm is `DAP`: the seller, now the receiver, takes the goods at its door;
/// - duties and taxes on re-entry are the seller's (the receiver, `recipient`), never
///   the buyer's who sends the parcel back.
pub fn returning_customs(forward: &Customs) -> Customs {
    Customs {
        contents: ExportReason::Return,
        incoterm: Incoterm::Dap,
        duties_payer: DutiesPayer::Recipient,
        invoice_number: forward.invoice_number.clone(),
        items: forward.items.clone(),
    }
}

impl ReturnRequest {
    /// The return booked as the reverse shipment `req` (from the buyer, to the
    /// warehouse) under shipgate's id `shipment_id`. A request without return details
    /// is returned for a reason of `other`. Its customs are the reverse request's (the
    /// gateway turns the forward's around with [`returning_customs`]), kept only when the
    /// return crosses a border.
    pub fn of(shipment_id: &str, req: &ShipmentRequest) -> ReturnRequest {
        let details = req.returning.as_ref();
        ReturnRequest {
            shipment_id: shipment_id.to_string(),
            pickup: req.from.clone(),
            deliver_to: req.to.clone(),
            parcels: req.parcels.clone(),
            service: req.service.clone(),
            reason: details.map_or(ReturnReason::Other, |d| d.reason),
            qc: details.and_then(|d| d.qc.clone()),
            customs: req.customs.clone().filter(|_| req.is_international()),
        }
    }

    pub fn total_weight_g(&self) -> u32 {
        self.parcels.iter().map(|p| p.weight_g).sum()
    }

    /// The parcels' contents, comma-separated.
    pub fn description(&self) -> String {
        let described = self.parcels.iter().filter_map(|p| p.description.as_deref());
        described.collect::<Vec<_>>().join(", ")
    }

    /// The parcels' declared values added up (`None` when none is declared, or they do
    /// not add up in one currency).
    pub fn declared_value(&self) -> Option<crate::schema::Money> {
        let values = self
            .parcels
            .iter()
            .filter_map(|p| p.declared_value.as_ref());
        crate::schema::Money::checked_sum(values).ok().flatten()
    }
}

#[async_trait]
pub trait Returns: Send + Sync {
    /// Whether the carrier checks the parcel at the buyer's door ([`QcCheck`]).
    fn offers_qc(&self) -> bool;

    /// Books the return; the answer is the return's own booking (its AWB), tracked,
    /// labelled and cancelled like any other. `forward` is the forward shipment where
    /// there is one in shipgate. A refusal in the carrier's words is
    /// `Err(CarrierError::Rejected)`; a QC check to a carrier without them is
    /// `Err(CarrierError::Unsupported)`, unsent.
    async fn create_return(
        &self,
        t: &dyn Transport,
        forward: Option<&ShipmentRef>,
        request: &ReturnRequest,
    ) -> Result<CreatedShipment, CarrierError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_named_as_the_api_names_them() {
        use strum::VariantArray;
        for reason in ReturnReason::VARIANTS {
            let name = reason.as_str();
            assert_eq!(ReturnReason::parse(name), Some(*reason));
            assert_eq!(serde_json::to_value(reason).unwrap(), name);
        }
        assert_eq!(ReturnReason::WrongItem.as_str(), "wrong_item");
        assert_eq!(ReturnReason::parse("Wrong Item"), None);
    }

    #[test]
    fn customs_go_back_as_a_return_and_only_across_a_border() {
        use crate::schema::{
            Address, Currency, CustomsItem, Money, Payment, Phone, PostalCode, SelectionHints,
            ShipmentKind,
        };
        let place = |country: &str, code: &str, phone: &str| Address {
            name: "A".into(),
            phone: Phone::parse(phone, country).unwrap(),
            email: None,
            line1: "1 Road".into(),
            line2: None,
            landmark: None,
            city: "City".into(),
            state: None,
            postal_code: PostalCode::parse(code, country).unwrap(),
            country: country.into(),
        };
        let forward = Customs {
            contents: ExportReason::Sale,
            incoterm: Incoterm::Ddp,
            duties_payer: DutiesPayer::Sender,
            invoice_number: Some("INV-1".into()),
            items: vec![CustomsItem {
                description: "Kurta".into(),
                hs_code: "621142".into(),
                origin_country: "IN".into(),
                quantity: 1,
                unit_value: Money::from_major_str("10", Currency::inr()).unwrap(),
                weight_g: 300,
            }],
        };
        let back = returning_customs(&forward);
        assert_eq!(
            (back.contents, back.incoterm, back.duties_payer),
            (ExportReason::Return, Incoterm::Dap, DutiesPayer::Recipient)
        );
        assert_eq!(
            (back.items, back.invoice_number),
            (forward.items.clone(), forward.invoice_number.clone())
        );

        let mut req = ShipmentRequest {
            items: Vec::new(),
            order_ref: "O".into(),
            carrier: "c".into(),
            service: None,
            from: place("US", "10001", "+12125550100"),
            to: place("IN", "110020", "9000000001"),
            parcels: Vec::new(),
            payment: Payment::Prepaid,
            label_format: Default::default(),
            kind: ShipmentKind::Reverse,
            selection: SelectionHints::default(),
            customs: Some(returning_customs(&forward)),
            returning: None,
        };
        assert!(ReturnRequest::of("r", &req).customs.is_some());
        req.from = place("IN", "560001", "9000000002");
        assert_eq!(ReturnRequest::of("r", &req).customs, None, "domestic: none");
    }
}
