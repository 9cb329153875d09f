//! Pincode serviceability: does a carrier pick up at one PIN code and deliver to another,
//! for this payment mode and direction?
//!
//! Asked before rates so that a carrier that cannot serve the lane is skipped without a
//! pricing round trip, and cached by the gateway because the answer changes on the
//! carrier's side a few times a year, not between two requests. A lane is the unit (not a
//! single PIN code) because that is what every carrier can answer: Delhivery lists flags
//! per PIN code, Shiprocket only answers for a pickup and delivery pair.

use serde::{Deserialize, Serialize};

use super::{Payment, RateRequest, ShipmentKind};

/// What is asked: pick up at `pickup_pincode`, deliver to `delivery_pincode`. For a
/// reverse shipment the pickup is at the customer's address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lane {
    pub pickup_pincode: String,
    pub delivery_pincode: String,
    /// Cash collected on delivery (COD) rather than prepaid.
    pub cod: bool,
    pub kind: ShipmentKind,
}

impl Lane {
    /// The lane of a (forward) rate request.
    pub fn of_rate_request(req: &RateRequest) -> Lane {
        Lane {
            pickup_pincode: req.from.postal_code.as_str().to_string(),
            delivery_pincode: req.to.postal_code.as_str().to_string(),
            cod: matches!(req.payment, Payment::Cod { .. }),
            kind: ShipmentKind::Forward,
        }
    }

    pub fn payment_label(&self) -> &'static str {
        if self.cod { "COD" } else { "prepaid" }
    }
}

/// The carrier's answer for one lane.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Serviceability {
    Serviceable,
    /// Why not, in words an operator can act on ("no COD delivery to 194101").
    NotServiceable {
        reason: String,
    },
}

impl Serviceability {
    pub fn not(reason: impl Into<String>) -> Serviceability {
        Serviceability::NotServiceable {
            reason: reason.into(),
        }
    }

    pub fn is_serviceable(&self) -> bool {
        matches!(self, Serviceability::Serviceable)
    }
}
