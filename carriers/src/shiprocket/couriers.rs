//! The couriers behind Shiprocket, for the scans Shiprocket leaves unclassified
//! (`sr-status` "NA": bagging, weighing, pickup notes…). Such a scan still carries the
//! courier's own code in `status`, which means something in that courier's table: a
//! courier shipgate also books directly is read with that carrier's mapping file
//! (Delhivery's NSL codes), the others with a `courier_<slug>` table in
//! `mappings/shiprocket.toml`. Couriers without a table keep the scan's inherited status.

use crate::mapping::Mapping;
use crate::taxonomy::{Status, Unified};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Courier {
    Delhivery,
    Xpressbees,
}

/// Shiprocket's courier ids of each courier's products (its courier list: "Delhivery
/// Surface" 43, "Xpressbees 1kg" 23…), for payloads that name the courier only by id.
const IDS: [(Courier, &[u32]); 2] = [
    (
        Courier::Delhivery,
        &[
            10, 39, 43, 61, 64, 65, 76, 77, 78, 83, 84, 87, 88, 89, 100, 101, 138,
        ],
    ),
    (
        Courier::Xpressbees,
        &[23, 24, 25, 33, 51, 125, 144, 145, 150, 159],
    ),
];

impl Courier {
    /// The courier a payload names, by its name ("Delhivery Surface", "Xpressbees 2kg")
    /// or else its Shiprocket courier id.
    pub fn named(name: Option<&str>, id: Option<&str>) -> Option<Courier> {
        let name = name.map(str::to_ascii_lowercase).unwrap_or_default();
        if name.starts_with("delhivery") {
            return Some(Courier::Delhivery);
        }
        if name.starts_with("xpressbees") {
            return Some(Courier::Xpressbees);
        }
        let id: u32 = id?.trim().parse().ok()?;
        IDS.iter()
            .find(|(_, ids)| ids.contains(&id))
            .map(|(courier, _)| *courier)
    }

    /// The status the courier's own `code` states. A code of the forward leg seen while
    /// the parcel is returning (`before` is RTO) keeps the return leg, as in Delhivery's
    /// own resolution: the courier's codes are shared between legs, Shiprocket's are not.
    pub fn status(self, mapping: &Mapping, code: &str, before: Option<Unified>) -> Option<Unified> {
        let found = match self {
            Courier::Delhivery => {
                crate::delhivery::resolve(crate::delhivery::mapping().ok()?, "", "", code)
            }
            Courier::Xpressbees => mapping.lookup("courier_xpressbees", code),
        }?;
        match before {
            Some(b)
                if b.status == Status::Rto
                    && !matches!(found.status, Status::Rto | Status::Exception) =>
            {
                Some(b)
            }
            _ => Some(found),
        }
    }
}
