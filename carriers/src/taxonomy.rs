//! The unified two-level tracking taxonomy of docs/architecture.md.
//!
//! Sub-statuses are an enum that knows its parent, so a mapping row can never pair a
//! sub-status with the wrong status, and the terminal rules live in one place.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use utoipa::ToSchema;

/// Top level of the unified taxonomy.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Status {
    PreTransit,
    InTransit,
    OutForDelivery,
    AvailableForPickup,
    DeliveryFailed,
    Delivered,
    Rto,
    Exception,
    Cancelled,
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Second level of the unified taxonomy; each value belongs to exactly one [`Status`].
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SubStatus {
    LabelCreated,
    Manifested,
    PickupScheduled,
    OutForPickup,
    PickupFailed,
    PickupRescheduled,
    AwaitingDropoff,
    QcFailed,
    PickedUp,
    DepartedFacility,
    ArrivedAtFacility,
    ReachedDestinationHub,
    CustomsProcessing,
    CustomsCleared,
    HandedToPartner,
    Misrouted,
    Delayed,
    WeatherDelay,
    InTransit,
    OutForDelivery,
    DeliveryRescheduled,
    AtPickupPoint,
    CustomerUnavailable,
    CustomerUnreachable,
    AddressIssue,
    Refused,
    CodNotReady,
    FutureDeliveryRequested,
    PremisesClosed,
    OutOfDeliveryArea,
    VerificationFailed,
    Other,
    Delivered,
    DeliveredToNeighbor,
    CollectedByCustomer,
    PartiallyDelivered,
    DeliveredDamaged,
    RtoInitiated,
    RtoInTransit,
    RtoOutForDelivery,
    RtoDeliveryFailed,
    RtoDelivered,
    RtoDisposed,
    Lost,
    Damaged,
    Destroyed,
    HeldByCustoms,
    HeldForPayment,
    RejectedByCarrier,
    Stuck,
    Unserviceable,
    Cancelled,
    LabelVoided,
    NotFound,
    Unmapped,
    Expired,
}

impl SubStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl SubStatus {
    /// The status this sub-status belongs to.
    pub fn status(self) -> Status {
        use SubStatus::*;
        match self {
            LabelCreated | Manifested | PickupScheduled | OutForPickup | PickupFailed
            | PickupRescheduled | AwaitingDropoff | QcFailed => Status::PreTransit,
            PickedUp
            | DepartedFacility
            | ArrivedAtFacility
            | ReachedDestinationHub
            | CustomsProcessing
            | CustomsCleared
            | HandedToPartner
            | Misrouted
            | Delayed
            | WeatherDelay
            | InTransit => Status::InTransit,
            OutForDelivery | DeliveryRescheduled => Status::OutForDelivery,
            AtPickupPoint => Status::AvailableForPickup,
            CustomerUnavailable
            | CustomerUnreachable
            | AddressIssue
            | Refused
            | CodNotReady
            | FutureDeliveryRequested
            | PremisesClosed
            | OutOfDeliveryArea
            | VerificationFailed
            | Other => Status::DeliveryFailed,
            Delivered | DeliveredToNeighbor | CollectedByCustomer | PartiallyDelivered
            | DeliveredDamaged => Status::Delivered,
            RtoInitiated | RtoInTransit | RtoOutForDelivery | RtoDeliveryFailed | RtoDelivered
            | RtoDisposed => Status::Rto,
            Lost | Damaged | Destroyed | HeldByCustoms | HeldForPayment | RejectedByCarrier
            | Stuck | Unserviceable => Status::Exception,
            Cancelled | LabelVoided => Status::Cancelled,
            NotFound | Unmapped | Expired => Status::Unknown,
        }
    }

    /// Terminal per docs/architecture.md: every delivered and cancelled value, the two RTO ends, and
    /// lost / destroyed.
    pub fn is_terminal(self) -> bool {
        matches!(self.status(), Status::Delivered | Status::Cancelled)
            || matches!(
                self,
                SubStatus::RtoDelivered
                    | SubStatus::RtoDisposed
                    | SubStatus::Lost
                    | SubStatus::Destroyed
            )
    }

    /// Whether somebody (the shipper or ops) has to act: failed deliveries wait for an
    /// NDR decision, and exceptions other than final losses need a claim or follow-up.
    pub fn action_required(self) -> bool {
        match self.status() {
            Status::DeliveryFailed => true,
            Status::Exception => !self.is_terminal(),
            Status::PreTransit => matches!(self, SubStatus::PickupFailed | SubStatus::QcFailed),
            _ => false,
        }
    }
}

/// A unified status pair, written `status/sub_status` in mapping files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Unified {
    pub status: Status,
    pub sub_status: SubStatus,
}

impl Unified {
    pub const UNMAPPED: Unified = Unified {
        status: Status::Unknown,
        sub_status: SubStatus::Unmapped,
    };

    pub fn new(sub_status: SubStatus) -> Self {
        Unified {
            status: sub_status.status(),
            sub_status,
        }
    }
}

/// One step of the status fold of docs/architecture.md: where a shipment at `current` stands after an
/// event that says `next`, events taken oldest first by carrier event time (so a late,
/// older event is folded in its place, never on top).
///
/// - an event shipgate could not map (`unknown/*`) never overrides a known status;
/// - a terminal state is left only for the RTO family (a delivered or lost parcel that
///   comes back), and the two ends of the return leg (`rto_delivered`, `rto_disposed`)
///   are left for nothing: a later RTO scan after the parcel is back with the shipper
///   is noise, and following it would reopen a finished shipment;
/// - anything else moves the shipment to the event's status.
pub fn fold_status(current: Option<Unified>, next: Unified) -> Option<Unified> {
    match current {
        None => Some(next),
        Some(cur) if next.status == Status::Unknown => Some(cur),
        Some(cur) if cur.sub_status.is_terminal() && cur.status == Status::Rto => Some(cur),
        Some(cur) if cur.sub_status.is_terminal() && next.status != Status::Rto => Some(cur),
        Some(_) => Some(next),
    }
}

impl FromStr for Unified {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (status, sub) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not of the form status/sub_status"))?;
        let status: Status = status
            .parse()
            .map_err(|_| format!("unknown status `{status}`"))?;
        let sub_status: SubStatus = sub
            .parse()
            .map_err(|_| format!("unknown sub_status `{sub}`"))?;
        if sub_status.status() != status {
            return Err(format!(
                "`{sub_status}` belongs to `{}`, not `{status}`",
                sub_status.status()
            ));
        }
        Ok(Unified { status, sub_status })
    }
}

impl fmt::Display for Unified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.status, self.sub_status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    #[test]
    fn every_sub_status_round_trips_through_its_parent() {
        for sub in SubStatus::VARIANTS {
            let text = format!("{}/{}", sub.status(), sub);
            assert_eq!(text.parse::<Unified>().unwrap().sub_status, *sub);
        }
    }

    #[test]
    fn mismatched_pair_is_rejected() {
        assert!("in_transit/delivered".parse::<Unified>().is_err());
        assert!("in_transit/nonsense".parse::<Unified>().is_err());
    }

    #[test]
    fn an_rto_end_holds_against_a_later_rto_scan() {
        let back = Some(Unified::new(SubStatus::RtoDelivered));
        assert_eq!(
            fold_status(back, Unified::new(SubStatus::RtoInTransit)),
            back
        );
        assert_eq!(fold_status(back, Unified::new(SubStatus::InTransit)), back);
        let delivered = Some(Unified::new(SubStatus::Delivered));
        let rto = Unified::new(SubStatus::RtoInitiated);
        assert_eq!(fold_status(delivered, rto), Some(rto));
    }

    #[test]
    fn terminal_rules_follow_design() {
        assert!(SubStatus::Delivered.is_terminal());
        assert!(SubStatus::LabelVoided.is_terminal());
        assert!(SubStatus::RtoDelivered.is_terminal());
        assert!(SubStatus::Lost.is_terminal());
        assert!(!SubStatus::RtoInTransit.is_terminal());
        assert!(!SubStatus::Damaged.is_terminal());
        assert!(SubStatus::Damaged.action_required());
        assert!(SubStatus::Refused.action_required());
    }
}
