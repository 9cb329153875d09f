//! What the API does, apart from HTTP: booking, cancelling, tracking, labels and rate
//! shopping. Handlers parse and authorise; these functions talk to the store and, through
//! the executor, to carriers.

pub mod address_policy;
pub mod address_quality;
pub mod batch_csv;
pub mod batches;
pub mod booking;
pub mod booking_writer;
pub mod bulk_labels;
pub mod carrier_accounts;
pub mod charge_files;
pub mod cod_files;
pub mod cod_remittance;
pub mod cod_sftp;
pub mod documents;
pub mod dry_runs;
pub mod manifests;
pub mod ndr;
pub mod ndr_policy;
pub mod parallel_run;
pub mod pickup_locations;
pub mod pickups;
pub mod policy_rules;
pub mod rate_cache;
pub mod rate_cards;
pub mod rate_quote;
pub mod rates;
pub mod returns;
pub mod serviceability;
pub mod shipments;
pub mod stale_refresh;
pub mod weights;
