//! shipgate: one HTTP API in front of many shipping carriers.
//!
//! The gateway side of the workspace: configuration, storage, the executor that performs
//! every carrier call, and the HTTP API. The carrier side (schema, adapters, simulators)
//! lives in the `carriers` crate and never does I/O.

pub mod analytics;
pub mod api;
pub mod app;
pub mod auth;
pub mod breaker;
pub mod config;
pub mod console;
pub mod dependency_probe;
pub mod error;
pub mod executor;
pub mod idempotency;
pub mod oms_webhooks;
pub mod polling;
pub mod process_memory;
pub mod ratelimit;
pub mod redis;
pub mod registry;
pub mod reply;
pub mod sealed;
pub mod selection;
pub mod service;
pub mod shutdown;
pub mod simulate;
pub mod store;
pub mod storefront;
pub mod telemetry;
pub mod tracking_page;
pub mod webhooks;

pub use app::{AppState, Application};
pub use config::Config;
