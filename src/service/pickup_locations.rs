//! Pickup locations (issue 17): a tenant's warehouse, entered once and registered by
//! shipgate with each of the tenant's carrier accounts that takes pickups.
//!
//! Each account's registration is its own row: claimed `pending` before the carrier is
//! called (so two requests never register the same location twice with one account),
//! then `registered` with the carrier's name and id for it, or `failed` with the carrier's
//! words. A failed one is tried again on request (`POST …/register`); one whose answer was
//! lost stays `pending` (it may exist at the carrier: registering again could be refused
//! as a duplicate name or make a second one), for an operator to check.

use std::sync::Arc;

use carriers::families::PickupLocation;
use carriers::schema::{Address, AddressInput, Violations};
use carriers::taxonomy::Status;
use carriers::{CarrierError, Operation};
use chrono::NaiveTime;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, refused};
use crate::executor::observe;
use crate::registry::{RegisteredCarrier, Registry};
use crate::store::{
    LocationRow, NewLocation, PickupLocationView, ShipmentRecord, Store, WorkingHours,
};

/// Longest location name: Shiprocket's pickup nickname limit.
pub const MAX_NAME: usize = 36;

/// A warehouse, as the API takes it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickupLocationInput {
    /// The name carriers will know it by: 1–36 letters, digits, spaces, `-` and `_`;
    /// unique among the tenant's active locations.
    #[schema(value_type = String, example = "Okhla-WH-1")]
    pub name: Option<String>,
    /// The warehouse's address; `name` is the contact person, `phone` and `email` (required
    /// here) theirs.
    #[schema(value_type = AddressInput)]
    pub address: Option<AddressInput>,
    /// Opening hours, local time (`HH:MM`), kept by shipgate: pickup windows must fall
    /// inside them.
    pub working_hours: Option<WorkingHours>,
}

/// The parsed input.
pub struct ParsedLocation {
    pub name: String,
    pub address: Address,
    pub hours: Option<(NaiveTime, NaiveTime)>,
}

pub fn parse(input: &PickupLocationInput) -> Result<ParsedLocation, ApiError> {
    let mut v = Violations::default();
    let name = input
        .name
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    if name.is_empty() {
        v.add("/name", "required", "the location needs a name");
    } else if name.chars().count() > MAX_NAME
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " -_".contains(c))
    {
        v.add(
            "/name",
            "invalid_name",
            format!("1–{MAX_NAME} letters, digits, spaces, - and _"),
        );
    }
    let address = match &input.address {
        None => {
            v.add("/address", "required", "the location needs an address");
            None
        }
        Some(a) => Address::parse(a, "/address", &mut v),
    };
    let email = input
        .address
        .as_ref()
        .and_then(|a| a.email.as_deref())
        .map(str::trim);
    if input.address.is_some() && email.is_none_or(str::is_empty) {
        v.add(
            "/address/email",
            "required",
            "a contact email is required (Shiprocket refuses a pickup location without one)",
        );
    }
    let hours = input
        .working_hours
        .as_ref()
        .and_then(|h| window(h, "/working_hours", &mut v));
    v.finish(|| ParsedLocation {
        name,
        address: address.expect("no violation: an address"),
        hours,
    })
    .map_err(ApiError::Validation)
}

/// `HH:MM` to `HH:MM`, the start before the end; violations under `pointer`.
pub fn window(
    h: &WorkingHours,
    pointer: &str,
    v: &mut Violations,
) -> Option<(NaiveTime, NaiveTime)> {
    let time = |text: &str, field: &str, v: &mut Violations| match NaiveTime::parse_from_str(
        text.trim(),
        "%H:%M",
    ) {
        Ok(t) => Some(t),
        Err(_) => {
            v.add(
                format!("{pointer}/{field}"),
                "invalid_time",
                format!("`{text}` is not a time (HH:MM)"),
            );
            None
        }
    };
    let (from, to) = (time(&h.from, "from", v), time(&h.to, "to", v));
    let (from, to) = (from?, to?);
    if from >= to {
        v.add(
            format!("{pointer}/to"),
            "window_inverted",
            format!("{} is not after {}", h.to, h.from),
        );
        return None;
    }
    Some((from, to))
}

/// The tenant's accounts a location is registered with: those new work uses whose
/// carrier takes pickups.
pub fn pickup_accounts(registry: &Registry, tenant_id: &str) -> Vec<Arc<RegisteredCarrier>> {
    let accounts = registry.for_tenant(tenant_id);
    accounts
        .all()
        .filter(|a| a.adapter.pickups().is_some())
        .cloned()
        .collect()
}

/// Stores a location and registers it with each pickup account of the tenant.
pub async fn create(
    store: &Store,
    registry: &Registry,
    tenant_id: &str,
    input: &PickupLocationInput,
) -> Result<PickupLocationView, ApiError> {
    let parsed = parse(input)?;
    let id = format!("pl_{}", uuid::Uuid::now_v7().simple());
    let address_json = serde_json::to_string(&parsed.address).expect("an address serialises");
    let hours = parsed
        .hours
        .map(|(f, t)| (f.format("%H:%M").to_string(), t.format("%H:%M").to_string()));
    let stored = store
        .location_add(&NewLocation {
            id: &id,
            tenant_id,
            name: &parsed.name,
            address_json: &address_json,
            postal_code: parsed.address.postal_code.as_str(),
            hours: hours.as_ref().map(|(f, t)| (f.as_str(), t.as_str())),
        })
        .await?
        .ok_or_else(|| ApiError::Conflict {
            code: "pickup_location_exists",
            detail: format!(
                "an active pickup location is named `{}` already",
                parsed.name
            ),
            shipment_id: None,
        })?;
    register(store, registry, &stored).await
}

/// Registers `location` with each pickup account it is not registered with yet (a failed
/// registration is tried again); the location as it then stands.
pub async fn register(
    store: &Store,
    registry: &Registry,
    location: &LocationRow,
) -> Result<PickupLocationView, ApiError> {
    if !location.active {
        return Err(ApiError::Conflict {
            code: "pickup_location_inactive",
            detail: format!("pickup location {} is deactivated", location.id),
            shipment_id: None,
        });
    }
    let address = address_of(location)?;
    let hours = location.hours.as_ref().and_then(|(f, t)| {
        Some((
            NaiveTime::parse_from_str(f, "%H:%M").ok()?,
            NaiveTime::parse_from_str(t, "%H:%M").ok()?,
        ))
    });
    let wanted = PickupLocation {
        name: location.name.clone(),
        address,
        working_hours: hours,
    };
    let recorded = store.registrations(&location.id).await?;
    for account in pickup_accounts(registry, &location.tenant_id) {
        let Some(family) = account.adapter.pickups() else {
            continue;
        };
        // Where the carrier does not collect: recorded once, never asked.
        let collects_there = account.collects_in(&wanted.address.country);
        if !collects_there && recorded.iter().any(|r| r.account == account.account) {
            continue;
        }
        if !store
            .registration_claim(&location.id, account.account, account.id, &location.name)
            .await?
        {
            continue;
        }
        if !collects_there {
            let message = format!(
                "{} collects only within {}",
                account.name,
                account.domestic.join(", ")
            );
            store
                .registration_answer(
                    &location.id,
                    account.account,
                    false,
                    None,
                    None,
                    None,
                    &message,
                )
                .await?;
            continue;
        }
        let sent = observe(
            account.transport.account(),
            Operation::Pickup,
            family.register_location(&account.transport, &wanted),
        )
        .await;
        let outcome = match sent {
            Ok(r) => Some((
                true,
                Some(r.carrier_name),
                r.carrier_id,
                Some(r.active),
                r.carrier_message,
            )),
            Err(CarrierError::Rejected { message, .. }) => Some((false, None, None, None, message)),
            Err(e) if !e.may_have_happened() => Some((false, None, None, None, e.to_string())),
            Err(e) => {
                tracing::warn!(location = %location.id, account = account.account, error = %e, "pickup location registration outcome unknown; it stays pending");
                None
            }
        };
        let Some((ok, name, carrier_id, active, message)) = outcome else {
            continue;
        };
        metrics::counter!("shipgate_pickup_location_registrations_total", "carrier" => account.id, "outcome" => if ok { "registered" } else { "failed" }).increment(1);
        store
            .registration_answer(
                &location.id,
                account.account,
                ok,
                name.as_deref(),
                carrier_id.as_deref(),
                active,
                &message,
            )
            .await?;
    }
    view(store, location).await
}

/// The location's stored address (written by [`create`], so unreadable only if the
/// database was changed by hand).
pub fn address_of(location: &LocationRow) -> Result<Address, ApiError> {
    serde_json::from_str(&location.address_json)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored pickup location address: {e}")))
}

pub async fn view(store: &Store, location: &LocationRow) -> Result<PickupLocationView, ApiError> {
    Ok(location.view(store.registrations(&location.id).await?))
}

/// The tenant's location `id`; 404 when there is none.
pub async fn get(store: &Store, tenant_id: &str, id: &str) -> Result<LocationRow, ApiError> {
    store
        .location(tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no pickup location `{id}`")))
}

/// The pickup location and carrier account a pickup or manifest request names, trimmed;
/// a missing one is `required` at its pointer.
pub fn required_target<'a>(
    location: Option<&'a str>,
    account: Option<&'a str>,
    v: &mut Violations,
) -> (&'a str, &'a str) {
    let location = location.map(str::trim).unwrap_or_default();
    if location.is_empty() {
        v.add(
            "/pickup_location",
            "required",
            "the pickup location's id is required",
        );
    }
    let account = account.map(str::trim).unwrap_or_default();
    if account.is_empty() {
        v.add(
            "/carrier_account",
            "required",
            "the carrier account is required",
        );
    }
    (location, account)
}

/// The tenant's carrier account `name` (422 at `/carrier_account` otherwise).
pub fn account_named(
    registry: &Registry,
    tenant_id: &str,
    name: &str,
) -> Result<Arc<RegisteredCarrier>, ApiError> {
    registry
        .for_tenant(tenant_id)
        .get(name)
        .cloned()
        .ok_or_else(|| {
            refused(
                "/carrier_account",
                "unknown_carrier_account",
                format!("no carrier account `{name}`"),
            )
        })
}

/// The shipments `ids` as they can be handed over to `account` at `location` (collected
/// by a pickup, listed on a manifest): booked with that account from the location's PIN
/// code, with an AWB, neither ended nor picked up yet; every problem at `/shipments/{i}`.
pub async fn handover_shipments(
    store: &Store,
    tenant_id: &str,
    account: &str,
    location: &LocationRow,
    ids: &[String],
) -> Result<Vec<ShipmentRecord>, ApiError> {
    let mut shipments: Vec<ShipmentRecord> = Vec::new();
    let mut v = Violations::default();
    for (i, id) in ids.iter().enumerate() {
        let pointer = format!("/shipments/{i}");
        let Some(s) = store.get_shipment(tenant_id, id).await? else {
            v.add(pointer, "unknown_shipment", format!("no shipment `{id}`"));
            continue;
        };
        if s.carrier_account != account {
            v.add(
                pointer,
                "other_carrier_account",
                format!("{id} is booked with `{}`", s.carrier_account),
            );
        } else if s.request.from.postal_code.as_str() != location.postal_code {
            v.add(
                pointer,
                "other_pickup_location",
                format!(
                    "{id} ships from {}, not from the location's {}",
                    s.request.from.postal_code.as_str(),
                    location.postal_code
                ),
            );
        } else if s.awb.is_none() {
            v.add(pointer, "not_booked", format!("{id} has no AWB yet"));
        } else if s.status == Status::Cancelled || s.is_terminal() {
            v.add(
                pointer,
                "shipment_ended",
                format!("{id} is `{}`", s.sub_status),
            );
        } else if s.status != Status::PreTransit {
            v.add(
                pointer,
                "already_picked_up",
                format!("{id} is `{}`: picked up already", s.sub_status),
            );
        }
        shipments.push(s);
    }
    if !v.is_empty() {
        return Err(ApiError::Validation(v.into_vec()));
    }
    Ok(shipments)
}

/// The tenant's active location named by id in a request body (422 at `pointer`
/// otherwise).
pub async fn named(
    store: &Store,
    tenant_id: &str,
    id: &str,
    pointer: &str,
) -> Result<LocationRow, ApiError> {
    match store.location(tenant_id, id).await? {
        Some(l) if l.active => Ok(l),
        Some(_) => Err(refused(
            pointer,
            "pickup_location_inactive",
            format!("pickup location {id} is deactivated"),
        )),
        None => Err(refused(
            pointer,
            "unknown_pickup_location",
            format!("no pickup location `{id}`"),
        )),
    }
}
