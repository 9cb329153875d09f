//! The unified schema: what an OMS sends and receives, whatever the carrier.
//!
//! Request bodies arrive as `*Input` types (plain serde shapes that accept anything of the
//! right JSON type) and are parsed once into domain types (`Address`, `Parcel`, …) whose
//! fields are already valid and normalised. Parsing collects *every* violation with its
//! JSON pointer instead of stopping at the first, because an integrator fixing a payload
//! wants the whole list in one round trip.

mod address;
mod country;
mod customs;
mod decode;
mod document;
mod iso4217;
mod item;
mod money;
mod parcel;
mod rate;
mod selection;
mod serviceability;
mod shipment;
mod tracking;
mod violations;

pub use address::{Address, AddressInput, Phone, PostalCode};
pub use customs::{
    Customs, CustomsInput, CustomsItem, CustomsItemInput, DutiesPayer, ExportReason, Incoterm,
    MAX_CUSTOMS_ITEMS,
};
pub use decode::{DecodeError, MAX_DECODE_ERRORS, decode};
pub use document::{Document, DocumentKind};
pub use item::{Item, ItemInput, MAX_ITEMS};
pub(crate) use money::not_iso_4217;
pub use money::{CodAmount, Currency, DeclaredValue, Major, Money, SumError};
pub use parcel::{MAX_PIECES, Parcel, ParcelInput};
pub use rate::{
    Charge, ChargeKind, EstimateSource, RateQuote, RateRequest, RateRequestInput, breakdown,
};
pub use selection::{
    MAX_TAG_LEN, MAX_TAGS, Objective, SelectionHints, Tag, parse_date, parse_tags,
};
pub use serviceability::{Lane, Serviceability};
pub use shipment::{
    CancelOutcome, CreatedShipment, LabelDocument, LabelFormat, Payment, PaymentInput, PaymentMode,
    ShipmentKind, ShipmentRef, ShipmentRequest, ShipmentRequestInput,
};
pub use tracking::{PushedUpdate, TrackingEvent, TrackingUpdate, read_pushes, status_of};
pub use violations::{FieldError, Violations};
