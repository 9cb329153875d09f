//! Address policy routes (issue 17): `PUT /v1/address-policy` (admin) stores what a low
//! address score does to a booking, as a new version in force at once; `GET` shows the
//! version in force (the built-in default, version 0, until one is stored) and any
//! earlier one. `service::address_policy` has the rules.

use actix_web::web::{self, Json};
use actix_web::{get, put};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::guard::{Admin, Key, Read};
use super::json::ApiJson;
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::reply::Reply;
use crate::service::address_policy::{AddressPolicy, AddressPolicyInput};
use crate::service::address_quality::{parse_stored, policy_in_force};
use crate::store::RuleSets;

/// A version of the tenant's address policy.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddressPolicyView {
    /// 0: the built-in default (poor addresses flagged, nothing refused).
    pub version: i64,
    /// When it was stored; null for the default.
    #[schema(required = true)]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(flatten)]
    pub policy: AddressPolicy,
}

/// Replace the tenant's address policy: stored as a new version, in force for the next
/// booking.
///
/// Rules are tried in order on every booking's destination; the first that matches
/// decides: `block` (422, the reasons at their pointers), `refuse_cod` (a COD booking is
/// a 422 at `/payment`; prepaid ones pass on to the next rule), `flag` (booked, flagged)
/// or `allow` (booked). No rule matching: booked, not flagged.
#[utoipa::path(
    operation_id = "putAddressPolicy",
    tag = "addresses",
    request_body = AddressPolicyInput,
    responses(
        (status = 201, body = AddressPolicyView),
        (status = 403, description = "Needs an admin key", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid rules: every problem at its JSON pointer", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[put("/v1/address-policy")]
pub async fn put_policy(
    state: web::Data<AppState>,
    caller: Key<Admin>,
    ApiJson(input): ApiJson<AddressPolicyInput>,
) -> Result<Reply, ApiError> {
    let policy = AddressPolicy::parse(&input).map_err(ApiError::Validation)?;
    let json = serde_json::to_string(&policy).expect("a policy serialises");
    let (_, before) = policy_in_force(&state.store, &caller.tenant.id).await?;
    let stored = state
        .store
        .add_rule_set(RuleSets::AddressPolicy, &caller.tenant.id, &json)
        .await?;
    tracing::info!(tenant = %caller.tenant.name, version = stored.version, rules = policy.rules.len(), "address policy stored");
    // This process books by it at once; others when their cached entry expires.
    state.address_policies.put(
        &caller.tenant.id,
        Some(std::sync::Arc::new(crate::selection::Active {
            version: stored.version,
            rules: policy.clone(),
            created_at: stored.created_at,
        })),
    );
    super::audit::record(
        &state,
        &caller,
        "address_policy.updated",
        ("address_policy", &stored.version.to_string()),
        serde_json::to_value(&before).ok(),
        serde_json::to_value(&policy).ok(),
    )
    .await;
    Ok(Reply::json(
        201,
        &AddressPolicyView {
            version: stored.version,
            created_at: Some(stored.created_at),
            policy,
        },
    ))
}

/// The tenant's address policy in force (version 0, the default, until one is stored).
#[utoipa::path(
    operation_id = "getAddressPolicy",
    tag = "addresses",
    responses(
        (status = 200, body = AddressPolicyView),
    ),
    security(("api_key" = []))
)]
#[get("/v1/address-policy")]
pub async fn get_policy(
    state: web::Data<AppState>,
    caller: Key<Read>,
) -> Result<Json<AddressPolicyView>, ApiError> {
    let stored = state
        .store
        .latest_rule_set(RuleSets::AddressPolicy, &caller.tenant.id)
        .await?;
    Ok(Json(match stored {
        Some(stored) => AddressPolicyView {
            version: stored.version,
            created_at: Some(stored.created_at),
            policy: parse_stored(&stored)?,
        },
        None => AddressPolicyView {
            version: 0,
            created_at: None,
            policy: AddressPolicy::default_policy(),
        },
    }))
}

/// One version of the tenant's address policy (shipments name the version applied).
#[utoipa::path(
    operation_id = "getAddressPolicyVersion",
    tag = "addresses",
    params(("version" = i64, Path, description = "Version number (0 is the default, 1, 2, …)")),
    responses(
        (status = 200, body = AddressPolicyView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/address-policy/versions/{version}")]
pub async fn get_policy_version(
    state: web::Data<AppState>,
    caller: Key<Read>,
    version: web::Path<String>,
) -> Result<Json<AddressPolicyView>, ApiError> {
    let not_found = || ApiError::NotFound(format!("no address policy version `{version}`"));
    let number: i64 = version.parse().map_err(|_| not_found())?;
    if number == 0 {
        return Ok(Json(AddressPolicyView {
            version: 0,
            created_at: None,
            policy: AddressPolicy::default_policy(),
        }));
    }
    let stored = state
        .store
        .rule_set_version(RuleSets::AddressPolicy, &caller.tenant.id, number)
        .await?
        .ok_or_else(not_found)?;
    Ok(Json(AddressPolicyView {
        version: stored.version,
        created_at: Some(stored.created_at),
        policy: parse_stored(&stored)?,
    }))
}
