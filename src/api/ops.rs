//! Operations queries: the shipment list behind work queues (`GET /v1/shipments`), the
//! AWB lookup support desks use (`GET /v1/tracking/{awb}`) and counts per status for a
//! dashboard (`GET /v1/shipments/summary`). All read-only, all scoped to the caller's
//! tenant, all answered from the store without calling a carrier.
//!
//! Query parameters are read as text and validated here rather than by a typed `Query`
//! extractor: a typed extractor's rejection names one problem, while an operator
//! building a filter wants every bad parameter at once, as the same problem document a
//! bad body gets (422, one `errors[]` entry per parameter, pointer `/<name>`). For the
//! same reason unknown and repeated parameters are refused instead of ignored: a mistyped
//! `sub-status=refused` that silently returned every shipment would look like an answer.
//!
//! The list pages by an opaque cursor over (created_at, id) — keyset pagination; why not
//! OFFSET is explained in `src/store/queries.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::str::FromStr;
use std::sync::LazyLock;

use actix_web::get;
use actix_web::web::{self, Json};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use carriers::schema::{FieldError, ShipmentKind};
use carriers::taxonomy::{Status, SubStatus};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use strum::VariantArray;
use utoipa::{IntoParams, ToSchema};

use super::guard::{Key, RawQuery, Read};
use super::views::{ShipmentView, TrackingView};
use crate::app::AppState;
use crate::error::{ApiError, Problem};
use crate::store::{BookingState, PageKey, ShipmentFilter};

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 200;

/// Every carrier id shipgate knows, enabled or not: a carrier switched off today still
/// has yesterday's shipments to find.
static KNOWN_CARRIERS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| carriers::registry().iter().map(|s| s.id).collect());

const BOOKING_STATES: [BookingState; 4] = [
    BookingState::Booking,
    BookingState::Confirmed,
    BookingState::PendingConfirmation,
    BookingState::Failed,
];

/// Filters for `GET /v1/shipments` and its CSV export. Every filter is an exact match;
/// they combine with AND.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FilterQuery {
    /// Current status (top level of the taxonomy), e.g. `delivery_failed`.
    #[param(value_type = Option<Status>)]
    status: Option<String>,
    /// Current sub-status, e.g. `customer_unavailable`; when `status` is given too it must
    /// belong to it.
    #[param(value_type = Option<SubStatus>)]
    sub_status: Option<String>,
    /// Carrier id, e.g. `delhivery`.
    carrier: Option<String>,
    /// The OMS order reference.
    #[param(min_length = 1)]
    order_ref: Option<String>,
    /// The carrier's AWB (waybill number).
    #[param(min_length = 1)]
    awb: Option<String>,
    /// Created at or after this instant (RFC 3339, e.g. `2026-05-01T00:00:00Z`; write a
    /// `+` offset as `%2B`).
    #[param(value_type = Option<DateTime<Utc>>)]
    created_from: Option<String>,
    /// Created before this instant (RFC 3339; exclusive, so consecutive ranges do not
    /// overlap).
    #[param(value_type = Option<DateTime<Utc>>)]
    created_to: Option<String>,
    /// `true`: only shipments waiting for somebody to act (failed deliveries, failed
    /// pickups or QC, open exceptions, late shipments); `false`: only the others.
    #[param(value_type = Option<bool>)]
    action_required: Option<String>,
    /// `true`: only late shipments — past their `estimated_delivery` (India date) and
    /// still on their way (not delivered, cancelled, returning to origin, lost or
    /// destroyed); `false`: only the others.
    #[param(value_type = Option<bool>)]
    late: Option<String>,
    /// Where the booking stands, e.g. `pending_confirmation`.
    #[param(value_type = Option<BookingState>)]
    booking_state: Option<String>,
    /// Only shipments whose carrier-charged weight discrepancy is in this state: `open`,
    /// `disputed`, `accepted` or `rejected`.
    weight_discrepancy: Option<String>,
    /// `forward` (deliveries, including those coming back to origin as RTO: status
    /// `rto`) or `reverse` (customer returns picked up from the buyer).
    #[param(value_type = Option<ShipmentKind>)]
    kind: Option<String>,
    /// The destination's address quality band: `good`, `fair` or `poor` (shipments
    /// booked before addresses were scored have none).
    #[param(value_type = Option<carriers::address_quality::Band>)]
    address_band: Option<String>,
    /// The buyer's (destination) phone, 6–15 digits; spaces, `-`, `(`, `)`, `.` and a `+`
    /// may separate them. Its last ten digits are compared, so a country code or a
    /// leading 0 may be left out or given.
    #[param(min_length = 6, max_length = 32)]
    buyer_phone: Option<String>,
}

/// A page of `GET /v1/shipments`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1–200 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    limit: Option<String>,
    /// The `next_cursor` of the previous page; absent for the first page.
    cursor: Option<String>,
}

/// The query of `GET /v1/shipments`: filters, page, and what else was sent (refused).
#[derive(Debug, Default, Deserialize)]
struct ListQuery {
    #[serde(flatten)]
    filter: FilterQuery,
    #[serde(flatten)]
    page: PageQuery,
    #[serde(flatten)]
    unknown: BTreeMap<String, String>,
}

/// A page of shipments.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentList {
    /// Newest first. Without `events`: read one shipment for its timeline.
    pub data: Vec<ShipmentView>,
    /// Pass as `cursor` (with the same filters) for the next page; `null` on the last.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// A tenant's shipments, newest first, filtered and paginated.
///
/// Pages are keyset-based: a walk through every page shows each matching shipment once,
/// even while new shipments are booked (they are newer than the walk's position and show
/// up on a new first page).
#[utoipa::path(
    operation_id = "listShipments",
    tag = "shipments",
    params(FilterQuery, PageQuery),
    responses(
        (status = 200, body = ShipmentList),
        (status = 422, description = "A bad query parameter; `errors[]` has one entry per parameter, \
pointer `/<parameter name>`", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ShipmentList>, ApiError> {
    let mut errors = Vec::new();
    let q: ListQuery = read_query(raw.as_deref(), &mut errors)?;
    let filter = shipment_filter(&q.filter, &mut errors);
    let limit = limit(&mut errors, q.page.limit.as_deref(), DEFAULT_LIMIT);
    let after = cursor(&mut errors, q.page.cursor.as_deref());
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let page = state
        .store
        .list_shipments(&caller.tenant.id, &filter, after.as_ref(), limit)
        .await?;
    Ok(Json(ShipmentList {
        data: page
            .shipments
            .into_iter()
            .map(|s| ShipmentView::new(s, None))
            .collect(),
        next_cursor: page.next.as_ref().map(encode_cursor),
    }))
}

/// The filters as the store takes them; each bad one is added to `errors` (the filter
/// then leaves it out, and the caller answers the errors).
pub(super) fn shipment_filter(q: &FilterQuery, errors: &mut Vec<FieldError>) -> ShipmentFilter {
    let status = q
        .status
        .as_deref()
        .and_then(|v| enumerated(errors, "status", v, "status", Status::VARIANTS));
    let sub_status = q
        .sub_status
        .as_deref()
        .and_then(|v| enumerated(errors, "sub_status", v, "sub-status", SubStatus::VARIANTS));
    if let (Some(status), Some(sub)) = (status, sub_status)
        && sub.status() != status
    {
        errors.push(param_error(
            "sub_status",
            "status_mismatch",
            format!(
                "`{sub}` belongs to status `{}`, not `{status}`",
                sub.status()
            ),
        ));
    }
    let carrier = q
        .carrier
        .as_deref()
        .and_then(|v| known_carrier(errors, "carrier", v));
    let order_ref = q
        .order_ref
        .as_deref()
        .and_then(|v| non_empty(errors, "order_ref", v));
    let awb = q.awb.as_deref().and_then(|v| non_empty(errors, "awb", v));
    let created_from = q
        .created_from
        .as_deref()
        .and_then(|v| instant(errors, "created_from", v));
    let created_to = q
        .created_to
        .as_deref()
        .and_then(|v| instant(errors, "created_to", v));
    ordered_range(
        errors,
        ("created_from", created_from),
        ("created_to", created_to),
    );
    let action_required = q
        .action_required
        .as_deref()
        .and_then(|v| boolean(errors, "action_required", v));
    let late = q.late.as_deref().and_then(|v| boolean(errors, "late", v));
    let booking_state = q.booking_state.as_deref().and_then(|v| {
        let found = BookingState::parse(v);
        if found.is_none() {
            let names: Vec<&str> = BOOKING_STATES.iter().map(|s| s.as_str()).collect();
            errors.push(param_error(
                "booking_state",
                "invalid_value",
                format!(
                    "`{v}` is not a booking state; use one of {}",
                    names.join(", ")
                ),
            ));
        }
        found
    });
    let weight_discrepancy = q
        .weight_discrepancy
        .as_deref()
        .and_then(|v| super::weights::discrepancy_state(errors, "weight_discrepancy", v));
    let kind = q.kind.as_deref().and_then(|v| shipment_kind(errors, v));
    let address_band = q.address_band.as_deref().and_then(|v| {
        let band = carriers::address_quality::Band::parse(v);
        if band.is_none() {
            errors.push(param_error(
                "address_band",
                "invalid_value",
                format!("`{v}` is not an address band; use good, fair or poor"),
            ));
        }
        band
    });
    let buyer_phone = q
        .buyer_phone
        .as_deref()
        .and_then(|v| buyer_phone(errors, v));
    ShipmentFilter {
        buyer_phone,
        weight_discrepancy: weight_discrepancy.map(str::to_string),
        kind,
        address_band,
        status,
        sub_status,
        carrier,
        order_ref,
        awb,
        created_from: created_from.map(|t| t.timestamp_millis()),
        created_to: created_to.map(|t| t.timestamp_millis()),
        action_required,
        booking_state,
        late,
    }
}

/// A buyer's phone to search by, as its search key (`store::buyer_phone_key`): 6–15
/// digits and the separators people write, nothing else (a letter is a typo, not a number
/// that matches nothing).
fn buyer_phone(errors: &mut Vec<FieldError>, v: &str) -> Option<String> {
    let allowed = v
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '+'));
    let digits = v.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(6..=15).contains(&digits) {
        errors.push(param_error(
            "buyer_phone",
            "invalid_phone",
            "a phone number: 6 to 15 digits, optionally with spaces, -, (, ), . and a +",
        ));
        return None;
    }
    Some(crate::store::buyer_phone_key(v))
}

/// Disambiguates an AWB that more than one carrier issued.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AwbQuery {
    /// Carrier id; needed only when two carriers issued the same AWB to this tenant.
    carrier: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// The tenant's shipment with this AWB and its stored timeline.
///
/// Answers from what shipgate has stored (carrier pushes and earlier refreshes); it does
/// not call the carrier. `GET /v1/shipments/{id}/tracking` refreshes.
#[utoipa::path(
    operation_id = "getTrackingByAwb",
    tag = "tracking",
    params(("awb" = String, Path, description = "The carrier's AWB (waybill number)"), AwbQuery),
    responses(
        (status = 200, body = TrackingView),
        (status = 404, description = "This tenant has no shipment with that AWB", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Several carriers issued this AWB to the tenant: pass `carrier`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/tracking/{awb}")]
pub async fn by_awb(
    state: web::Data<AppState>,
    caller: Key<Read>,
    awb: web::Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<TrackingView>, ApiError> {
    let mut errors = Vec::new();
    let q: AwbQuery = read_query(raw.as_deref(), &mut errors)?;
    let carrier = q
        .carrier
        .as_deref()
        .and_then(|v| known_carrier(&mut errors, "carrier", v));
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let found = state
        .store
        .awb_lookup(&caller.tenant.id, &awb, carrier.as_deref())
        .await?;
    let carriers: BTreeSet<&str> = found.iter().map(|s| s.carrier.as_str()).collect();
    if carriers.len() > 1 {
        return Err(ApiError::Conflict {
            code: "ambiguous_awb",
            detail: format!(
                "AWB `{awb}` was issued by several carriers ({}); pass `?carrier=` to choose",
                carriers.into_iter().collect::<Vec<_>>().join(", ")
            ),
            shipment_id: None,
        });
    }
    // Several rows from one carrier means it reused the number: the newest is the parcel
    // anyone asking today means.
    let Some(shipment) = found.into_iter().next() else {
        return Err(ApiError::NotFound(match carrier {
            Some(c) => format!("no shipment with AWB `{awb}` from carrier `{c}`"),
            None => format!("no shipment with AWB `{awb}`"),
        }));
    };
    let events = state.store.events(&shipment.id).await?;
    Ok(Json(TrackingView::new(shipment, events)))
}

/// The range of `GET /v1/shipments/summary`; either end may be left open.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// Count shipments created at or after this instant (RFC 3339).
    #[param(value_type = Option<DateTime<Utc>>)]
    from: Option<String>,
    /// Count shipments created before this instant (RFC 3339; exclusive).
    #[param(value_type = Option<DateTime<Utc>>)]
    to: Option<String>,
    /// Count only `forward` shipments (RTOs included) or only `reverse` ones (customer
    /// returns); both when absent.
    #[param(value_type = Option<ShipmentKind>)]
    kind: Option<String>,
    #[serde(flatten)]
    #[param(ignore)]
    unknown: BTreeMap<String, String>,
}

/// Counts of the tenant's shipments created in a range, by current status.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShipmentCounts)]
pub struct ShipmentSummary {
    /// Start of the range counted, as understood (UTC); `null` when open.
    #[schema(required = true)]
    pub from: Option<DateTime<Utc>>,
    /// End of the range counted (exclusive); `null` when open.
    #[schema(required = true)]
    pub to: Option<DateTime<Utc>>,
    pub total: i64,
    /// Shipments whose sub-status needs somebody to act (failed deliveries, failed pickups
    /// or QC, open exceptions) or that are late.
    pub action_required: i64,
    /// Shipments past their `estimated_delivery` and still on their way (as
    /// `GET /v1/shipments?late=true` lists them).
    pub late: i64,
    /// Every status, zeros included, so a dashboard has fixed columns.
    pub by_status: BTreeMap<Status, i64>,
    /// Only the sub-statuses that occur.
    pub by_sub_status: BTreeMap<SubStatus, i64>,
}

/// Counts per status and sub-status of the shipments created in `[from, to)`.
#[utoipa::path(
    operation_id = "getShipmentSummary",
    tag = "shipments",
    params(SummaryQuery),
    responses(
        (status = 200, body = ShipmentSummary),
        (status = 422, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
    ),
    security(("api_key" = []))
)]
#[get("/v1/shipments/summary")]
pub async fn summary(
    state: web::Data<AppState>,
    caller: Key<Read>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ShipmentSummary>, ApiError> {
    let mut errors = Vec::new();
    let q: SummaryQuery = read_query(raw.as_deref(), &mut errors)?;
    let from = q
        .from
        .as_deref()
        .and_then(|v| instant(&mut errors, "from", v));
    let to = q.to.as_deref().and_then(|v| instant(&mut errors, "to", v));
    ordered_range(&mut errors, ("from", from), ("to", to));
    let kind = q
        .kind
        .as_deref()
        .and_then(|v| shipment_kind(&mut errors, v));
    unknown_params(&q.unknown, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let counts = state
        .store
        .status_counts(
            &caller.tenant.id,
            from.map(|t| t.timestamp_millis()),
            to.map(|t| t.timestamp_millis()),
            kind,
        )
        .await?;
    Ok(Json(ShipmentSummary {
        from,
        to,
        total: counts.total,
        action_required: counts.action_required,
        late: counts.late,
        by_status: counts.by_status,
        by_sub_status: counts.by_sub_status,
    }))
}

// ---- query parameter parsing -------------------------------------------------------

/// A `kind` parameter: `forward` or `reverse`.
fn shipment_kind(errors: &mut Vec<FieldError>, v: &str) -> Option<ShipmentKind> {
    match v {
        "forward" => Some(ShipmentKind::Forward),
        "reverse" => Some(ShipmentKind::Reverse),
        _ => {
            errors.push(param_error(
                "kind",
                "invalid_value",
                format!("`{v}` is not a shipment kind; use forward or reverse"),
            ));
            None
        }
    }
}

/// The query string as `T` (whose fields are all text), with a repeated parameter
/// reported and dropped: which of two values was meant is not ours to guess.
pub(super) fn read_query<T: DeserializeOwned>(
    raw: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Result<T, ApiError> {
    let mut params = serde_json::Map::new();
    let mut repeated = BTreeSet::new();
    for (name, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        if params.contains_key(name.as_ref()) {
            repeated.insert(name.into_owned());
        } else {
            params.insert(
                name.into_owned(),
                serde_json::Value::String(value.into_owned()),
            );
        }
    }
    for name in repeated {
        params.remove(&name);
        errors.push(param_error(
            &name,
            "repeated_parameter",
            "given more than once; give it once",
        ));
    }
    // Every field is an optional string and the rest is collected as unknown, so no query
    // string can fail here; the mapping only keeps a future field type from becoming a 500.
    serde_json::from_value(serde_json::Value::Object(params))
        .map_err(|e| ApiError::BadRequest(format!("the query string cannot be read: {e}")))
}

pub(super) fn unknown_params(unknown: &BTreeMap<String, String>, errors: &mut Vec<FieldError>) {
    for name in unknown.keys() {
        errors.push(param_error(
            name,
            "unknown_parameter",
            "not a parameter of this route",
        ));
    }
}

/// A field error for a query parameter. The pointer is `/<name>` (RFC 6901-escaped), as
/// for a body field, and the detail says it is a query parameter, since a pointer alone
/// reads as a place in a JSON body.
pub(super) fn param_error(name: &str, code: &str, detail: impl Display) -> FieldError {
    FieldError {
        pointer: format!("/{}", name.replace('~', "~0").replace('/', "~1")),
        code: code.into(),
        detail: format!("query parameter `{name}`: {detail}"),
    }
}

fn non_empty(errors: &mut Vec<FieldError>, name: &str, value: &str) -> Option<String> {
    if value.trim().is_empty() {
        errors.push(param_error(
            name,
            "empty_value",
            "is empty; leave the parameter out to match any value",
        ));
        return None;
    }
    Some(value.to_string())
}

fn enumerated<T>(
    errors: &mut Vec<FieldError>,
    name: &str,
    value: &str,
    what: &str,
    all: &[T],
) -> Option<T>
where
    T: FromStr + Display,
{
    match value.parse() {
        Ok(v) => Some(v),
        Err(_) => {
            let names: Vec<String> = all.iter().map(ToString::to_string).collect();
            errors.push(param_error(
                name,
                "invalid_value",
                format!("`{value}` is not a {what}; use one of {}", names.join(", ")),
            ));
            None
        }
    }
}

fn known_carrier(errors: &mut Vec<FieldError>, name: &str, value: &str) -> Option<String> {
    if KNOWN_CARRIERS.contains(&value) {
        return Some(value.to_string());
    }
    errors.push(param_error(
        name,
        "unknown_carrier",
        format!(
            "`{value}` is not a carrier id; use one of {}",
            KNOWN_CARRIERS.join(", ")
        ),
    ));
    None
}

fn boolean(errors: &mut Vec<FieldError>, name: &str, value: &str) -> Option<bool> {
    match value {
        "true" => Some(true),
        "false" => Some(false),
        other => {
            errors.push(param_error(
                name,
                "invalid_value",
                format!("`{other}` is not a boolean; use true or false"),
            ));
            None
        }
    }
}

/// The `limit` query parameter of a list: `default` when absent; a bad one is reported
/// (and `default` stands in until the request is refused).
pub(super) fn limit(errors: &mut Vec<FieldError>, value: Option<&str>, default: u32) -> u32 {
    let Some(value) = value else {
        return default;
    };
    match value.parse::<u32>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
        _ => {
            errors.push(param_error(
                "limit",
                "out_of_range",
                format!("`{value}` is not a whole number from 1 to {MAX_LIMIT}"),
            ));
            default
        }
    }
}

/// An RFC 3339 instant. In a query string an unescaped `+` arrives as a space, so
/// `…T10:00:00+05:30` typed into a URL reads `…T10:00:00 05:30`; that one shape is
/// repaired instead of refused, since nothing else can have been meant.
pub(super) fn instant(
    errors: &mut Vec<FieldError>,
    name: &str,
    value: &str,
) -> Option<DateTime<Utc>> {
    let parse = |v: &str| DateTime::parse_from_rfc3339(v).ok();
    let repaired = || {
        let (head, offset) = value.rsplit_once(' ')?;
        let offset_shape = offset.len() == 5 && offset.as_bytes()[2] == b':';
        offset_shape.then(|| parse(&format!("{head}+{offset}")))?
    };
    match parse(value).or_else(repaired) {
        Some(t) => Some(t.with_timezone(&Utc)),
        None => {
            errors.push(param_error(
                name,
                "invalid_datetime",
                format!(
                    "`{value}` is not an RFC 3339 date-time such as 2026-05-01T00:00:00Z \
                     (write a + offset as %2B)"
                ),
            ));
            None
        }
    }
}

/// A range whose end is not after its start is a mistake, not an empty answer.
pub(super) fn ordered_range(
    errors: &mut Vec<FieldError>,
    (from_name, from): (&str, Option<DateTime<Utc>>),
    (to_name, to): (&str, Option<DateTime<Utc>>),
) {
    if let (Some(from), Some(to)) = (from, to)
        && to <= from
    {
        errors.push(param_error(
            to_name,
            "empty_range",
            format!("must be later than `{from_name}` (the range is [{from_name}, {to_name}))"),
        ));
    }
}

/// The cursor is the position itself, base64url-encoded. It is opaque to clients so its
/// content can change, and it needs no server-side state, so it survives restarts and
/// works on any gateway process.
/// The `cursor` query parameter of a shipment list; a bad one is reported.
pub(super) fn cursor(errors: &mut Vec<FieldError>, value: Option<&str>) -> Option<PageKey> {
    let key = decode_cursor(value?);
    if key.is_none() {
        errors.push(param_error(
            "cursor",
            "invalid_cursor",
            "not a cursor returned by this API; pass `next_cursor` from the previous page \
             unchanged, or leave it out for the first page",
        ));
    }
    key
}

pub(super) fn encode_cursor(key: &PageKey) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{}", key.created_at_ms, key.id))
}

fn decode_cursor(cursor: &str) -> Option<PageKey> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim_end_matches('=')).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (ms, id) = text.split_once(':')?;
    let created_at_ms = ms.parse().ok()?;
    (!id.is_empty()).then(|| PageKey {
        created_at_ms,
        id: id.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let key = PageKey {
            created_at_ms: 1_767_225_600_123,
            id: "shp_0190f0c8a1b27c3d8e9f001122334455".into(),
        };
        let c = encode_cursor(&key);
        assert!(
            c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(decode_cursor(&c), Some(key));
        for bad in [
            "",
            "!!!",
            "bm9jb2xvbg",
            &URL_SAFE_NO_PAD.encode("12:"),
            &URL_SAFE_NO_PAD.encode("x:shp_1"),
        ] {
            assert_eq!(decode_cursor(bad), None, "{bad}");
        }
    }

    #[test]
    fn instants_accept_offsets_and_the_plus_lost_in_a_url() {
        let mut errors = Vec::new();
        let utc = instant(&mut errors, "from", "2026-05-01T04:30:00Z").unwrap();
        let ist = instant(&mut errors, "from", "2026-05-01T10:00:00+05:30").unwrap();
        let lost_plus = instant(&mut errors, "from", "2026-05-01T10:00:00 05:30").unwrap();
        assert_eq!(utc, ist);
        assert_eq!(utc, lost_plus);
        assert!(errors.is_empty());
        assert!(instant(&mut errors, "from", "2026-05-01").is_none());
        assert!(instant(&mut errors, "from", "yesterday 05:30").is_none());
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].pointer, "/from");
        assert!(errors[0].detail.starts_with("query parameter `from`"));
    }

    #[test]
    fn repeated_and_unknown_parameters_are_reported_once_each() {
        let mut errors = Vec::new();
        let q: ListQuery = read_query(
            Some("status=a&status=b&status=c&lmit=5&x%2Fy=1"),
            &mut errors,
        )
        .unwrap();
        unknown_params(&q.unknown, &mut errors);
        assert_eq!(q.filter.status, None);
        let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/status", "/lmit", "/x~1y"]);
    }
}
