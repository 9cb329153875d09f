//! Carrier pickups (issue 17): asking a carrier account to collect parcels from a pickup
//! location on a date and in a window, and following what tracking shows of it.
//!
//! Never asked twice: the pickup is stored `requested` before the carrier is called, and
//! the store admits one live pickup per account, location and date and one per shipment,
//! so a retried or concurrent request finds it instead of calling again (a replay with
//! the same `Idempotency-Key` answers the first outcome). A call refused before it left
//! shipgate is forgotten; one whose answer was lost stays `requested` (the carrier may
//! have it: the operator sees it, and cancels or waits for the scans).
//!
//! The scans decide the rest: a background sweep gives each shipment the outcome of the
//! first pickup scan after the request (picked up, or the carrier's "not picked" /
//! "pickup exception"), and settles the pickup `completed`, `partially_failed` or
//! `failed` once every shipment has one (`pickup.failed` for the last two).

use std::time::Duration;

use carriers::families::{PickupRequest, ScheduledPickup};
use carriers::schema::Violations;
use carriers::{CarrierError, Operation};
use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, refused};
use crate::executor::observe;
use crate::registry::Registry;
use crate::service::pickup_locations::{self as locations, window};
use crate::shutdown::{CancellationToken, Ticks};
use crate::store::{
    NewPickup, PickupConflict, PickupRow, PickupState, ShipmentRecord, Store, WorkingHours,
};

/// How far ahead a pickup may be asked for: carriers plan collections days, not weeks,
/// ahead.
pub const MAX_DAYS_AHEAD: i64 = 7;
/// Most shipments one pickup lists.
pub const MAX_SHIPMENTS: usize = 500;

/// A pickup, as the API takes it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickupInput {
    /// The pickup location's id (`pl_…`).
    #[schema(value_type = String)]
    pub pickup_location: Option<String>,
    /// The carrier account to collect: an account id (`delhivery`, `ca_…`) the location
    /// is registered with.
    #[schema(value_type = String)]
    pub carrier_account: Option<String>,
    /// `YYYY-MM-DD`: today (India time) up to 7 days ahead.
    #[schema(value_type = String, format = Date)]
    pub date: Option<String>,
    /// The collection window (`HH:MM`), inside the location's working hours when it has
    /// them. Delhivery takes its start; Shiprocket chooses its own slot.
    pub window: Option<WorkingHours>,
    /// The shipments to collect (ids), booked with this account from this location and
    /// not picked up yet; or none, with `packages`.
    pub shipments: Option<Vec<String>>,
    /// Parcels to collect, 1–500, when no shipments are listed (Delhivery takes a count;
    /// Shiprocket needs the shipments).
    pub packages: Option<u32>,
}

/// A pickup date: `YYYY-MM-DD`, today (India time) up to [`MAX_DAYS_AHEAD`] days ahead;
/// violations at `/date`.
fn pickup_date(text: &str, v: &mut Violations) -> Option<NaiveDate> {
    let today = crate::selection::today();
    match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        Err(_) => {
            v.add(
                "/date",
                "invalid_date",
                format!("`{text}` is not a date (YYYY-MM-DD)"),
            );
            None
        }
        Ok(d) if d < today => {
            v.add(
                "/date",
                "date_in_past",
                format!("{d} is in the past (today is {today} in India)"),
            );
            None
        }
        Ok(d) if d > today + chrono::Duration::days(MAX_DAYS_AHEAD) => {
            v.add(
                "/date",
                "date_too_far",
                format!("{d} is more than {MAX_DAYS_AHEAD} days ahead"),
            );
            None
        }
        Ok(d) => Some(d),
    }
}

/// The collection window asked for fits the location's working hours, when it has them.
fn within_hours(
    slot: Option<(NaiveTime, NaiveTime)>,
    hours: Option<&(String, String)>,
) -> Result<(), ApiError> {
    if let (Some((from, to)), Some((open, close))) = (slot, hours) {
        let parse = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").ok();
        if parse(open).is_some_and(|o| from < o) || parse(close).is_some_and(|c| to > c) {
            return Err(refused(
                "/window",
                "outside_working_hours",
                format!("the location is open {open}–{close}"),
            ));
        }
    }
    Ok(())
}

/// Schedules the pickup `input` describes for the tenant.
pub async fn schedule(
    store: &Store,
    registry: &Registry,
    tenant_id: &str,
    input: &PickupInput,
) -> Result<PickupRow, ApiError> {
    let mut v = Violations::default();
    let (location_id, account_name) = locations::required_target(
        input.pickup_location.as_deref(),
        input.carrier_account.as_deref(),
        &mut v,
    );
    let date = match input.date.as_deref() {
        None => {
            v.add("/date", "required", "the pickup date is required");
            None
        }
        Some(text) => pickup_date(text, &mut v),
    };
    let slot = input
        .window
        .as_ref()
        .and_then(|w| window(w, "/window", &mut v));
    let ids: Vec<String> = input.shipments.clone().unwrap_or_default();
    match (ids.is_empty(), input.packages) {
        (true, None) => v.add(
            "/shipments",
            "required",
            "list the shipments to collect, or give `packages`",
        ),
        (_, Some(n)) if !(1..=MAX_SHIPMENTS as u32).contains(&n) => v.add(
            "/packages",
            "out_of_range",
            format!("1 to {MAX_SHIPMENTS} parcels"),
        ),
        (false, Some(_)) => v.add(
            "/packages",
            "not_allowed",
            "the shipments listed say how many parcels",
        ),
        _ => {}
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
    let (Some(date), true) = (date, v.is_empty()) else {
        return Err(ApiError::Validation(v.into_vec()));
    };

    let location = locations::named(store, tenant_id, location_id, "/pickup_location").await?;
    within_hours(slot, location.hours.as_ref())?;
    let account = locations::account_named(registry, tenant_id, account_name)?;
    let family = account.adapter.pickups().ok_or_else(|| {
        refused(
            "/carrier_account",
            "pickups_not_offered",
            format!("{} takes no pickups", account.name),
        )
    })?;
    let registration = store
        .registrations(&location.id)
        .await?
        .into_iter()
        .find(|r| r.account == account.account && r.state == "registered");
    let registration = registration.ok_or_else(|| {
        refused(
            "/carrier_account",
            "location_not_registered",
            format!(
                "pickup location {} is not registered with `{}`",
                location.id, account.account
            ),
        )
    })?;

    let shipments =
        locations::handover_shipments(store, tenant_id, account.account, &location, &ids).await?;

    let id = format!("pu_{}", uuid::Uuid::now_v7().simple());
    let date_text = date.to_string();
    let window_text =
        slot.map(|(f, t)| (f.format("%H:%M").to_string(), t.format("%H:%M").to_string()));
    let packages = if ids.is_empty() {
        i64::from(input.packages.unwrap_or(1))
    } else {
        ids.len() as i64
    };
    let stored = store
        .pickup_add(&NewPickup {
            id: &id,
            tenant_id,
            location_id: &location.id,
            carrier: account.id,
            carrier_account: account.account,
            date: &date_text,
            window: window_text.as_ref().map(|(f, t)| (f.as_str(), t.as_str())),
            packages,
            shipment_ids: &ids,
        })
        .await?;
    let stored = match stored {
        Ok(row) => row,
        Err(PickupConflict::SameDay(other)) => {
            return Err(ApiError::Conflict {
                code: "pickup_exists",
                detail: format!(
                    "pickup {other} already collects from this location for `{}` on {date}",
                    account.account
                ),
                shipment_id: None,
            });
        }
        Err(PickupConflict::Shipment(shipment, other)) => {
            return Err(ApiError::Conflict {
                code: "shipment_in_pickup",
                detail: format!("shipment {shipment} is in pickup {other} already"),
                shipment_id: Some(shipment),
            });
        }
    };
    let request = PickupRequest {
        location: registration.carrier_name.clone(),
        address: locations::address_of(&location)?,
        date,
        window: slot,
        shipments: shipments.iter().map(ShipmentRecord::shipment_ref).collect(),
        packages: packages as u32,
    };
    tracing::info!(pickup_id = %id, account = account.account, location = %location.id, %date, packages, "requesting a carrier pickup");
    let sent = observe(
        account.transport.account(),
        Operation::Pickup,
        family.schedule(&account.transport, &request),
    )
    .await;
    let answer = match sent {
        Ok(ScheduledPickup {
            pickup_id,
            date,
            carrier_message,
        }) => {
            store
                .pickup_answer(
                    &id,
                    true,
                    Some(&pickup_id),
                    Some(&date.to_string()),
                    &carrier_message,
                )
                .await?
        }
        Err(CarrierError::Rejected { message, .. }) => {
            store
                .pickup_answer(&id, false, None, None, &message)
                .await?
        }
        Err(error) if !error.may_have_happened() => {
            store.pickup_forget(&id).await?;
            return Err(ApiError::Carrier {
                carrier: account.id.into(),
                error,
                shipment_id: None,
            });
        }
        Err(error) => {
            tracing::warn!(pickup_id = %id, %error, "pickup outcome unknown; it stays requested");
            None
        }
    };
    let row = answer.unwrap_or(stored);
    metrics::counter!("shipgate_pickups_total", "carrier" => account.id, "state" => row.state.as_str()).increment(1);
    Ok(row)
}

/// Cancels a live pickup. Neither Delhivery nor Shiprocket has a cancellation call: the
/// pickup is cancelled in shipgate (its shipments free for another pickup) and the
/// message says to tell the carrier.
pub async fn cancel(
    store: &Store,
    registry: &Registry,
    tenant_id: &str,
    id: &str,
) -> Result<PickupRow, ApiError> {
    let row = store
        .pickup(tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no pickup `{id}`")))?;
    if !matches!(row.state.as_str(), "requested" | "scheduled") {
        return Err(ApiError::Conflict {
            code: "pickup_not_cancellable",
            detail: format!("pickup {id} is `{}`", row.state.as_str()),
            shipment_id: None,
        });
    }
    let account = registry.booked_with(tenant_id, &row.carrier_account);
    let family = account.as_ref().and_then(|a| a.adapter.pickups());
    let message = match (account.as_ref(), family, row.carrier_pickup_id.as_deref()) {
        (Some(account), Some(family), Some(carrier_id)) => {
            let scheduled = ScheduledPickup {
                pickup_id: carrier_id.to_string(),
                date: NaiveDate::parse_from_str(&row.date, "%Y-%m-%d").unwrap_or_default(),
                carrier_message: String::new(),
            };
            match observe(
                account.transport.account(),
                Operation::Pickup,
                family.cancel(&account.transport, &scheduled),
            )
            .await
            {
                Ok(outcome) => format!("cancelled with {}: {outcome:?}", account.name),
                Err(CarrierError::Unsupported(_)) => format!(
                    "cancelled in shipgate; {} has no API to cancel a pickup: ask its support to cancel pickup {carrier_id}",
                    account.name
                ),
                Err(error) => {
                    return Err(ApiError::Carrier {
                        carrier: account.id.into(),
                        error,
                        shipment_id: None,
                    });
                }
            }
        }
        // Its answer was lost: the carrier may have scheduled it.
        _ => "cancelled in shipgate; the carrier's answer never arrived: if it scheduled the \
              pickup, ask its support to cancel it"
            .to_string(),
    };
    store
        .pickup_cancel(tenant_id, id, &message)
        .await?
        .ok_or_else(|| ApiError::Conflict {
            code: "pickup_not_cancellable",
            detail: format!("pickup {id} settled meanwhile"),
            shipment_id: None,
        })
}

/// A pickup's new date and window, as `PATCH /v1/pickups/{id}` takes them.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleInput {
    /// The new date, `YYYY-MM-DD`: today (India time) up to 7 days ahead; the pickup's
    /// own when only the window moves.
    #[schema(value_type = Option<String>, format = Date)]
    pub date: Option<String>,
    /// The new collection window (`HH:MM`), inside the location's working hours when it
    /// has them; the pickup's own when only the date moves.
    pub window: Option<WorkingHours>,
}

/// Moves a pickup the carrier scheduled to another date or window, where the carrier
/// has a call for it (DHL Express); other carriers' pickups are cancelled and asked for
/// again. Stored `requested` before the call: the carrier's confirmation makes it
/// `scheduled` at the date the carrier names (announced as `pickup.scheduled` again); its
/// refusal puts it back as it was with the carrier's words; a lost answer leaves it
/// `requested` at the new date, and the same request again asks the carrier once more
/// (moving a pickup to a date is the same whether done once or twice).
pub async fn reschedule(
    store: &Store,
    registry: &Registry,
    tenant_id: &str,
    id: &str,
    input: &RescheduleInput,
) -> Result<PickupRow, ApiError> {
    let mut v = Violations::default();
    let date = input.date.as_deref().map(|d| pickup_date(d, &mut v));
    let slot = input.window.as_ref().map(|w| window(w, "/window", &mut v));
    if input.date.is_none() && input.window.is_none() {
        v.add(
            "/date",
            "required",
            "give the new `date`, the new `window`, or both",
        );
    }
    if !v.is_empty() {
        return Err(ApiError::Validation(v.into_vec()));
    }
    let before = store
        .pickup(tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no pickup `{id}`")))?;
    let carrier_id = match (before.state, before.carrier_pickup_id.as_deref()) {
        (PickupState::Scheduled | PickupState::Requested, Some(carrier_id)) => carrier_id,
        (PickupState::Requested, None) => {
            return Err(ApiError::Conflict {
                code: "pickup_not_reschedulable",
                detail: format!(
                    "pickup {id} has no answer from the carrier yet: cancel it and ask for another"
                ),
                shipment_id: None,
            });
        }
        (state, _) => {
            return Err(ApiError::Conflict {
                code: "pickup_not_reschedulable",
                detail: format!("pickup {id} is `{}`", state.as_str()),
                shipment_id: None,
            });
        }
    };
    let account = registry
        .booked_with(tenant_id, &before.carrier_account)
        .ok_or_else(|| ApiError::Conflict {
            code: "pickup_not_reschedulable",
            detail: format!(
                "the carrier account `{}` of pickup {id} is gone",
                before.carrier_account
            ),
            shipment_id: None,
        })?;
    let family = account
        .adapter
        .pickups()
        .filter(|f| f.reschedules())
        .ok_or_else(|| {
            refused(
                "/date",
                "reschedule_not_offered",
                format!(
                    "{} has no API to move a pickup: cancel pickup {id} and schedule another",
                    account.name
                ),
            )
        })?;

    let parse_time = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").ok();
    let date = match date.flatten() {
        Some(d) => d,
        None => NaiveDate::parse_from_str(&before.date, "%Y-%m-%d")
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored pickup date: {e}")))?,
    };
    let slot = match slot.flatten() {
        Some(s) => Some(s),
        None => before
            .window
            .as_ref()
            .and_then(|(f, t)| parse_time(f).zip(parse_time(t))),
    };
    if input.date.is_none() && date < crate::selection::today() {
        return Err(refused(
            "/date",
            "date_in_past",
            format!("the pickup's date {date} is past: give a new one"),
        ));
    }
    let location = store
        .location(tenant_id, &before.location_id)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("pickup {id} without its location")))?;
    within_hours(slot, location.hours.as_ref())?;
    let registration = store
        .registrations(&location.id)
        .await?
        .into_iter()
        .find(|r| r.account == before.carrier_account)
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("pickup {id} without its registration"))
        })?;
    let shipments: Vec<_> = store
        .pickup_shipments(id)
        .await?
        .into_iter()
        .filter(|s| s.outcome != "cancelled")
        .map(|s| carriers::schema::ShipmentRef {
            shipment_id: s.shipment_id,
            order_ref: s.order_ref,
            awb: s.awb,
            carrier_refs: Default::default(),
        })
        .collect();

    let date_text = date.to_string();
    let window_text =
        slot.map(|(f, t)| (f.format("%H:%M").to_string(), t.format("%H:%M").to_string()));
    let shown = |w: &Option<(String, String)>| {
        w.as_ref()
            .map(|(f, t)| format!(" {f}–{t}"))
            .unwrap_or_default()
    };
    let moving = format!(
        "moving to {date_text}{} from {}{}: no answer from {} yet; until one comes it may still collect at the earlier date: send the same change again, or cancel",
        shown(&window_text),
        before.date,
        shown(&before.window),
        account.name,
    );
    let moved = store
        .pickup_move(
            tenant_id,
            id,
            before.state,
            &date_text,
            window_text.as_ref().map(|(f, t)| (f.as_str(), t.as_str())),
            &moving,
        )
        .await?;
    match moved {
        None => {
            return Err(ApiError::Conflict {
                code: "pickup_not_reschedulable",
                detail: format!("pickup {id} changed meanwhile"),
                shipment_id: None,
            });
        }
        Some(Err(PickupConflict::SameDay(other))) => {
            return Err(ApiError::Conflict {
                code: "pickup_exists",
                detail: format!(
                    "pickup {other} already collects from this location for `{}` on {date}",
                    before.carrier_account
                ),
                shipment_id: None,
            });
        }
        Some(Err(PickupConflict::Shipment(..))) | Some(Ok(_)) => {}
    }
    let scheduled = ScheduledPickup {
        pickup_id: carrier_id.to_string(),
        date: NaiveDate::parse_from_str(
            before.carrier_date.as_deref().unwrap_or(&before.date),
            "%Y-%m-%d",
        )
        .unwrap_or(date),
        carrier_message: before.carrier_message.clone().unwrap_or_default(),
    };
    let request = PickupRequest {
        location: registration.carrier_name.clone(),
        address: locations::address_of(&location)?,
        date,
        window: slot,
        packages: u32::try_from(before.packages).unwrap_or(1),
        shipments,
    };
    tracing::info!(pickup_id = %id, account = %before.carrier_account, from = %before.date, to = %date, "moving a carrier pickup");
    let sent = observe(
        account.transport.account(),
        Operation::Pickup,
        family.reschedule(&account.transport, &scheduled, &request),
    )
    .await;
    let row = match sent {
        Ok(ScheduledPickup {
            pickup_id,
            date,
            carrier_message,
        }) => {
            store
                .pickup_answer(
                    id,
                    true,
                    Some(&pickup_id),
                    Some(&date.to_string()),
                    &carrier_message,
                )
                .await?
        }
        Err(CarrierError::Rejected { message, .. }) => {
            let kept = format!(
                "{} refused to move the pickup: {message}; it stays on {}",
                account.name, before.date
            );
            store.pickup_move_back(&before, &kept).await?
        }
        Err(error) if !error.may_have_happened() => {
            let kept = format!("not moved ({error}); it stays on {}", before.date);
            store.pickup_move_back(&before, &kept).await?;
            return Err(ApiError::Carrier {
                carrier: account.id.into(),
                error,
                shipment_id: None,
            });
        }
        Err(error) => {
            tracing::warn!(pickup_id = %id, %error, "pickup move outcome unknown; it stays requested");
            None
        }
    };
    metrics::counter!("shipgate_pickup_moves_total", "carrier" => account.id).increment(1);
    match row {
        Some(row) => Ok(row),
        None => store
            .pickup(tenant_id, id)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no pickup `{id}`"))),
    }
}

/// Settles live pickups from their shipments' scans every `every` until `stop`.
pub async fn settle_forever(store: Store, every: Duration, stop: CancellationToken) {
    let mut ticks = Ticks::new(every, stop);
    while ticks.next().await {
        match store.pickups_settle().await {
            Ok(settled) => {
                for p in settled {
                    metrics::counter!("shipgate_pickups_settled_total", "state" => p.state.as_str()).increment(1);
                    tracing::info!(pickup_id = %p.id, state = p.state.as_str(), "pickup settled");
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot settle pickups; trying again"),
        }
    }
}
