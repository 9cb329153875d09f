//! The carrier side of shipgate: the unified schema every carrier is translated into,
//! the [`Carrier`] trait adapters implement, the status [`mapping`] tables, label
//! rendering, and one module per carrier holding its wire types, adapter and sandbox
//! simulator.
//!
//! Why a separate crate with no I/O: an adapter that only *builds* requests and *parses*
//! responses can be tested by replaying recorded payloads, and cannot grow its own HTTP
//! client, retries or logging that bypass the gateway's executor. Everything that talks
//! to the network lives in the gateway and reaches adapters through [`Transport`].

pub mod address_quality;
pub mod bluedart;
pub mod carrier;
pub mod clickpost;
pub mod delhivery;
pub mod dhl_express;
pub mod dtdc;
pub mod ecomexpress;
pub mod error;
pub mod families;
pub mod fedex;
pub mod kit;
pub mod label;
pub mod mapping;
pub mod push_auth;
pub mod ratecard;
pub mod schema;
pub mod shiprocket;
pub mod simulator;
pub mod taxonomy;
pub mod ups;
pub mod usps;
pub mod wire;
pub mod xpressbees;

pub use carrier::{
    AccountCheck, Capabilities, Carrier, CarrierId, CarrierSpec, Operation, SettingSpec, Settings,
    Transport,
};
pub use error::CarrierError;
pub use simulator::Simulator;

/// Every carrier shipgate knows: adding a carrier is one line here.
pub fn registry() -> Vec<carrier::CarrierSpec> {
    vec![
        delhivery::spec(),
        shiprocket::spec(),
        bluedart::spec(),
        xpressbees::spec(),
        ecomexpress::spec(),
        dtdc::spec(),
        clickpost::spec(),
        fedex::spec(),
        ups::spec(),
        dhl_express::spec(),
        usps::spec(),
    ]
}
