//! Manifests (issue 17): closing the day for a carrier account and pickup location.
//!
//! Two records of the same handover: the carrier's own manifest where its API has one
//! (Shiprocket `manifests/generate`, with `manifests/print` for one made before), and
//! always shipgate's handover sheet, a PDF the seller and the courier sign
//! (`carriers::label::handover`). Delhivery's API has no manifest call (its manifest is
//! the booking itself), so its manifests are shipgate's sheet alone (`carrier_state`
//! `none`).
//!
//! A shipment is in one manifest only: checked first for a clear 409 naming the other
//! manifest, and held by a unique key, so two concurrent requests cannot both take it.
//! The manifest is stored before the carrier is called; the carrier's answer, or its
//! failure, is recorded on it, and `manifest.created` is announced once that is known.

use std::collections::BTreeMap;

use carriers::label::handover::{HandoverLine, HandoverSheet, render};
use carriers::schema::{Address, Currency, Violations};
use carriers::{CarrierError, Operation};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, refused};
use crate::executor::observe;
use crate::registry::Registry;
use crate::service::pickup_locations as locations;
use crate::store::{ManifestLine, ManifestRow, NewManifest, ShipmentRecord, Store};

/// Most shipments in one manifest.
pub const MAX_SHIPMENTS: usize = 1_000;

/// A manifest, as the API takes it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManifestInput {
    /// The pickup location's id (`pl_…`).
    #[schema(value_type = String)]
    pub pickup_location: Option<String>,
    /// The carrier account whose shipments it lists.
    #[schema(value_type = String)]
    pub carrier_account: Option<String>,
    /// The day it closes, `YYYY-MM-DD` (today in India when absent).
    #[schema(format = Date)]
    pub date: Option<String>,
    /// The shipments (ids) to hand over; absent: every shipment booked with the account
    /// from the location's PIN code, not picked up yet and in no manifest.
    pub shipments: Option<Vec<String>>,
}

/// Makes the manifest `input` describes for the tenant.
pub async fn create(
    store: &Store,
    registry: &Registry,
    tenant_id: &str,
    input: &ManifestInput,
) -> Result<ManifestRow, ApiError> {
    let mut v = Violations::default();
    let (location_id, account_name) = locations::required_target(
        input.pickup_location.as_deref(),
        input.carrier_account.as_deref(),
        &mut v,
    );
    let today = crate::selection::today();
    let date = match input.date.as_deref() {
        None => Some(today),
        Some(text) => match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(d) if d <= today + chrono::Duration::days(1) => Some(d),
            Ok(d) => {
                v.add(
                    "/date",
                    "date_too_far",
                    format!("{d} is not a day to close yet"),
                );
                None
            }
            Err(_) => {
                v.add(
                    "/date",
                    "invalid_date",
                    format!("`{text}` is not a date (YYYY-MM-DD)"),
                );
                None
            }
        },
    };
    let ids = input.shipments.clone();
    if let Some(ids) = &ids {
        if ids.is_empty() {
            v.add(
                "/shipments",
                "empty",
                "list at least one shipment, or leave `shipments` out",
            );
        }
        if ids.len() > MAX_SHIPMENTS {
            v.add(
                "/shipments",
                "too_many",
                format!("at most {MAX_SHIPMENTS} shipments"),
            );
        }
        for (i, a) in ids.iter().enumerate() {
            if ids[..i].contains(a) {
                v.add(
                    format!("/shipments/{i}"),
                    "duplicate",
                    format!("{a} is listed twice"),
                );
            }
        }
    }
    let (Some(date), true) = (date, v.is_empty()) else {
        return Err(ApiError::Validation(v.into_vec()));
    };
    let location = locations::named(store, tenant_id, location_id, "/pickup_location").await?;
    let account = locations::account_named(registry, tenant_id, account_name)?;

    let ids = match ids {
        Some(ids) => ids,
        None => {
            let found = store
                .unmanifested(
                    tenant_id,
                    account.account,
                    &location.postal_code,
                    MAX_SHIPMENTS as i64,
                )
                .await?;
            if found.is_empty() {
                return Err(refused(
                    "/shipments",
                    "nothing_to_manifest",
                    format!(
                        "no shipment booked with `{}` from {} waits for a manifest",
                        account.account, location.postal_code
                    ),
                ));
            }
            found
        }
    };
    let shipments =
        locations::handover_shipments(store, tenant_id, account.account, &location, &ids).await?;
    for s in &shipments {
        if let Some(other) = store.manifest_of(&s.id).await? {
            return Err(in_manifest(&s.id, &other));
        }
    }
    let currencies: BTreeMap<&str, ()> = shipments
        .iter()
        .filter_map(|s| s.request.payment.cod_amount())
        .map(|m| (m.currency.as_str(), ()))
        .collect();
    if currencies.len() > 1 {
        return Err(refused(
            "/shipments",
            "mixed_currencies",
            "the shipments collect cash in more than one currency",
        ));
    }
    let currency = currencies
        .keys()
        .next()
        .copied()
        .unwrap_or("INR")
        .to_string();
    let lines: Vec<ManifestLine> = shipments
        .iter()
        .map(|s| ManifestLine {
            shipment_id: s.id.clone(),
            awb: s.awb.clone().unwrap_or_default(),
            order_ref: s.order_ref.clone(),
            cod_amount: s.request.payment.cod_amount().map_or(0, |m| m.amount),
            pieces: s.request.parcels.len() as i64,
        })
        .collect();
    let family = account.adapter.manifests();
    let id = format!("mf_{}", uuid::Uuid::now_v7().simple());
    let date_text = date.to_string();
    let stored = store
        .manifest_add(&NewManifest {
            id: &id,
            tenant_id,
            location_id: &location.id,
            carrier: account.id,
            carrier_account: account.account,
            date: &date_text,
            carrier_state: if family.is_some() {
                "requested"
            } else {
                "none"
            },
            currency: &currency,
            lines: &lines,
        })
        .await?
        .map_err(|(shipment, other)| in_manifest(&shipment, &other))?;
    let (state, manifest_id, url, message) = match family {
        None => (
            None,
            None,
            None,
            Some(format!(
                "{} has no manifest API: the handover sheet is the manifest",
                account.name
            )),
        ),
        Some(family) => {
            let refs: Vec<_> = shipments.iter().map(ShipmentRecord::shipment_ref).collect();
            match observe(
                account.transport.account(),
                Operation::Manifest,
                family.create(&account.transport, &refs),
            )
            .await
            {
                Ok(m) => (Some("created"), Some(m.manifest_id), m.document_url, None),
                Err(CarrierError::Rejected { message, .. }) => {
                    (Some("failed"), None, None, Some(message))
                }
                Err(e) if !e.may_have_happened() => {
                    (Some("failed"), None, None, Some(e.to_string()))
                }
                Err(e) => {
                    tracing::warn!(manifest_id = %id, error = %e, "carrier manifest outcome unknown");
                    (
                        None,
                        None,
                        None,
                        Some(format!("the carrier's answer was lost: {e}")),
                    )
                }
            }
        }
    };
    let row = store
        .manifest_answer(
            &stored.id,
            state,
            manifest_id.as_deref(),
            url.as_deref(),
            message.as_deref(),
        )
        .await?;
    metrics::counter!("shipgate_manifests_total", "carrier" => account.id, "carrier_state" => row.carrier_state.clone()).increment(1);
    metrics::counter!("shipgate_manifest_shipments_total", "carrier" => account.id)
        .increment(row.shipment_count as u64);
    Ok(row)
}

fn in_manifest(shipment: &str, other: &str) -> ApiError {
    ApiError::Conflict {
        code: "shipment_in_manifest",
        detail: format!("shipment {shipment} is in manifest {other} already"),
        shipment_id: Some(shipment.to_string()),
    }
}

/// The manifest's handover sheet (PDF).
pub async fn document(
    store: &Store,
    registry: &Registry,
    row: &ManifestRow,
) -> Result<Vec<u8>, ApiError> {
    let lines = store.manifest_lines(&row.id).await?;
    let location = locations::get(store, &row.tenant_id, &row.location_id).await?;
    let address: Option<Address> = locations::address_of(&location).ok();
    let address = address.map_or_else(String::new, |a| {
        let state = a.state.clone().unwrap_or_default();
        format!(
            "{}, {} {} {}",
            a.street(),
            a.city,
            state,
            a.postal_code.as_str()
        )
    });
    let carrier_name = registry
        .booked_with(&row.tenant_id, &row.carrier_account)
        .map_or_else(|| row.carrier.clone(), |a| a.name.to_string());
    let sheet = HandoverSheet {
        manifest_id: row.id.clone(),
        carrier_name,
        carrier_account: row.carrier_account.clone(),
        carrier_manifest_id: row.carrier_manifest_id.clone(),
        location_name: location.name.clone(),
        location_address: address,
        date: NaiveDate::parse_from_str(&row.date, "%Y-%m-%d").unwrap_or_default(),
        currency: Currency::parse(&row.currency).unwrap_or_else(Currency::inr),
        lines: lines
            .into_iter()
            .map(|l| HandoverLine {
                awb: l.awb,
                order_ref: l.order_ref,
                cod_amount: l.cod_amount,
                pieces: l.pieces.max(0) as u32,
            })
            .collect(),
    };
    Ok(render(&sheet))
}
