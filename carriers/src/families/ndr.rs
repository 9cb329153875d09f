//! NDR actions: what the seller tells the carrier after a failed delivery attempt (a
//! "non-delivery report").
//!
//! Why the shape: the carriers take different sets of instructions in different words.
//! Delhivery's NDR API re-attempts (`RE-ATTEMPT`, no date), defers delivery to a date
//! (`DEFER_DLV`) and edits the consignee's name, phone or address (`EDIT_DETAILS`), but has
//! no return-to-origin instruction; Shiprocket re-attempts (with an optional preferred date,
//! phone and address) or returns. So the gateway asks [`NdrActions::offers`] before calling
//! and refuses what a carrier lacks itself (a 422), rather than sending an instruction the
//! carrier would refuse or, worse, silently read as another.

use async_trait::async_trait;
use chrono::NaiveDate;

use crate::schema::{Address, Phone, ShipmentRef};
use crate::{CarrierError, Transport};

/// An instruction for a shipment in `delivery_failed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NdrAction {
    /// Try again, on `date` where the carrier takes one. With a date it is the same
    /// instruction as [`NdrAction::Reschedule`] (Shiprocket's `deferred_date`, Delhivery's
    /// `DEFER_DLV`); without one, the carrier's plain re-attempt.
    Reattempt { date: Option<NaiveDate> },
    /// Deliver on `date` (the buyer asked for a later day). Its own variant because
    /// Delhivery tells it from a re-attempt: another action with its own rules (at most
    /// six days after the first failed attempt, for fewer failure reasons).
    Reschedule { date: NaiveDate },
    /// Deliver to a corrected address.
    ChangeAddress { address: Box<Address> },
    /// Call the buyer on another number.
    ChangePhone { phone: Phone },
    /// Give up and send the parcel back.
    ReturnToOrigin,
}

/// The kind of an [`NdrAction`], without its data: what [`NdrActions::offers`] answers
/// for, and what the API names.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum NdrActionKind {
    Reattempt,
    Reschedule,
    ChangeAddress,
    ChangePhone,
    Rto,
}

impl NdrActionKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl NdrAction {
    pub fn kind(&self) -> NdrActionKind {
        match self {
            NdrAction::Reattempt { .. } => NdrActionKind::Reattempt,
            NdrAction::Reschedule { .. } => NdrActionKind::Reschedule,
            NdrAction::ChangeAddress { .. } => NdrActionKind::ChangeAddress,
            NdrAction::ChangePhone { .. } => NdrActionKind::ChangePhone,
            NdrAction::ReturnToOrigin => NdrActionKind::Rto,
        }
    }

    /// The date delivery is asked for, if the instruction names one.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            NdrAction::Reattempt { date } => *date,
            NdrAction::Reschedule { date } => Some(*date),
            _ => None,
        }
    }
}

/// The carrier's answer to an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NdrOutcome {
    /// Whether the carrier took the instruction. Some queue it and answer later
    /// (Delhivery: a request id whose status is read separately), so `true` means taken
    /// for processing, not carried out.
    pub accepted: bool,
    pub carrier_message: String,
    /// The carrier's id for the request, where it gives one (Delhivery's `UPL…`), for
    /// support tickets and a later status check.
    pub carrier_ref: Option<String>,
}

/// A carrier's NDR instructions. Two methods only: what it takes, and taking one. A
/// refusal in the carrier's words is `Err(CarrierError::Rejected)`; an action the carrier
/// does not offer is `Err(CarrierError::Unsupported)` without a call.
#[async_trait]
pub trait NdrActions: Send + Sync {
    /// Whether the carrier takes instructions of this kind, so the gateway can refuse
    /// one before calling.
    fn offers(&self, action: NdrActionKind) -> bool;

    async fn act(
        &self,
        t: &dyn Transport,
        shipment: &ShipmentRef,
        action: &NdrAction,
    ) -> Result<NdrOutcome, CarrierError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_named_as_the_api_names_them() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
        let kinds = [
            (NdrAction::Reattempt { date: None }, "reattempt"),
            (NdrAction::Reschedule { date }, "reschedule"),
            (NdrAction::ReturnToOrigin, "rto"),
        ];
        for (action, name) in kinds {
            assert_eq!(action.kind().as_str(), name);
            assert_eq!(serde_json::to_value(action.kind()).unwrap(), name);
        }
        assert_eq!(NdrActionKind::ChangeAddress.as_str(), "change_address");
        assert_eq!(NdrAction::Reattempt { date: Some(date) }.date(), Some(date));
        assert_eq!(NdrAction::Reschedule { date }.date(), Some(date));
        assert_eq!(NdrAction::ReturnToOrigin.date(), None);
    }
}
