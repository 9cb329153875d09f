//! Every integration test of the gateway in one binary: each file below was a test binary of
//! its own, and each linked the whole gateway (about 75 s of a clean build on 2 cores).
//! nextest still runs every test in its own process, so no test sees another's state.

mod address_quality;
mod analytics;
mod api_shipments;
mod api_validation;
mod audit;
mod auth;
mod binary;
mod booking_batches;
mod carrier_accounts;
mod carrier_accounts_store;
mod carrier_failures;
mod carrier_webhooks;
mod cod_remittance;
mod common;
mod conformance;
mod console_api;
mod console_session;
mod contract;
mod dhl_returns;
mod documents_upload;
mod dry_run;
mod faults;
mod global_carriers;
mod http_edge;
mod idempotency;
mod indian_carriers;
mod manifests;
mod ndr;
mod oms_webhooks;
mod ops_queries;
mod parallel_run;
mod pickup_reschedule;
mod pickups;
mod polling;
mod rate_cards;
mod rate_limits;
mod rates_fanout;
mod returns;
mod selection;
mod shutdown;
mod store_write_races;
mod tracking_page;
mod ups_track_alert;
mod weight_discrepancies;
