//! Read-only queries for operations teams: filtered shipment lists, the AWB lookup and
//! counts per status.
//!
//! Lists are paginated by *keyset* — "the rows after (created_at, id) in newest-first
//! order" — rather than by OFFSET. An offset counts rows, so every shipment booked while an
//! operator pages through a queue would shift the later pages by one: a row would be shown
//! twice, or skipped when rows leave the filter. A keyset names a position, so rows booked
//! after the first page (newer, hence before the position) never move it, and the database
//! seeks straight to it through the `(tenant_id, created_at, id)` index instead of reading
//! and discarding `offset` rows. `id` breaks ties between shipments created in the same
//! millisecond, so the order is total and no row can fall between two pages.
//!
//! Limitation: positions are in booking time as the gateway's clock saw it. A booking whose
//! reservation commits *later* than a page was read but carries an earlier `created_at`
//! (several processes with skewed clocks, or a stalled insert) lands behind the position
//! and is not seen by that walk; the next walk sees it.

use std::collections::BTreeMap;

use carriers::taxonomy::{Status, SubStatus};
use sqlx::{AssertSqlSafe, Row};
use strum::VariantArray;

use super::shipments::{SHIPMENT_COLUMNS, shipment_from_row};
use super::{BookingState, ShipmentRecord, Store};

/// Which of a tenant's shipments to list; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShipmentFilter {
    pub status: Option<Status>,
    pub sub_status: Option<SubStatus>,
    pub carrier: Option<String>,
    pub order_ref: Option<String>,
    pub awb: Option<String>,
    /// Created at or after (Unix ms).
    pub created_from: Option<i64>,
    /// Created before (Unix ms): ranges are half-open so consecutive ranges never count a
    /// shipment twice.
    pub created_to: Option<i64>,
    pub action_required: Option<bool>,
    pub booking_state: Option<BookingState>,
    /// Only shipments whose weight discrepancy is in this state (`open`, `disputed`, …).
    pub weight_discrepancy: Option<String>,
    /// `forward`, or `reverse` (customer returns); an RTO is a forward shipment coming
    /// back, so it is `forward`.
    pub kind: Option<carriers::schema::ShipmentKind>,
    /// The destination's address quality band.
    pub address_band: Option<carriers::address_quality::Band>,
    /// The buyer's phone as [`buyer_phone_key`] makes it: its last ten digits.
    pub buyer_phone: Option<String>,
    /// Late: past its `estimated_delivery` (India date) and still on its way (not
    /// delivered, cancelled, returning or lost). Late shipments also need action.
    pub late: Option<bool>,
}

/// The key a buyer's phone is searched by: its last ten digits (an Indian mobile number
/// without its country code; shorter numbers whole), so `+91 98765 43210`, `09876543210`
/// and `9876543210` find each other. Written to `shipments.buyer_phone` at booking and
/// indexed there (migration 0029).
pub fn buyer_phone_key(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(10)..].to_string()
}

/// A position in the newest-first order: the last row of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageKey {
    pub created_at_ms: i64,
    pub id: String,
}

#[derive(Debug)]
pub struct ShipmentPage {
    pub shipments: Vec<ShipmentRecord>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<PageKey>,
}

/// Shipments counted by their current status.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub total: i64,
    /// Including the late ones.
    pub action_required: i64,
    /// Past their promised date and still on their way (`ShipmentFilter::late`).
    pub late: i64,
    pub by_status: BTreeMap<Status, i64>,
    pub by_sub_status: BTreeMap<SubStatus, i64>,
}

/// The sub-statuses that need somebody to act, from the taxonomy itself, so the SQL can
/// never disagree with [`SubStatus::action_required`].
fn action_required_sub_statuses() -> impl Iterator<Item = SubStatus> {
    SubStatus::VARIANTS
        .iter()
        .copied()
        .filter(|s| s.action_required())
}

/// The SQL of "late": a promised date before today (India), booked, and not delivered,
/// cancelled, returning to origin or ended otherwise (lost, destroyed).
fn late_clause(c: &mut Conditions) -> String {
    let today = c.placeholder(Bind::Text(crate::selection::today().to_string()));
    let ended: Vec<String> = SubStatus::VARIANTS
        .iter()
        .filter(|s| s.is_terminal() || s.status() == Status::Rto)
        .map(|s| c.placeholder(Bind::Text(s.as_str().to_string())))
        .collect();
    format!(
        "(estimated_delivery IS NOT NULL AND estimated_delivery < {today} AND \
         booking_state = 'confirmed' AND sub_status NOT IN ({}))",
        ended.join(", ")
    )
}

/// A bind value: the `Any` driver takes owned text and integers, which is all these
/// queries need.
enum Bind {
    Text(String),
    Int(i64),
}

/// A WHERE clause under construction, numbering `$N` placeholders as values are added so
/// optional filters never misalign their binds. Only placeholders are ever appended for
/// values; the SQL text itself comes from literals in this file.
#[derive(Default)]
struct Conditions {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Conditions {
    fn placeholder(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    fn text(&mut self, column: &str, value: &str) {
        let p = self.placeholder(Bind::Text(value.to_string()));
        self.clauses.push(format!("{column} = {p}"));
    }

    fn where_sql(&self) -> String {
        self.clauses.join(" AND ")
    }

    fn query(
        &self,
        sql: String,
    ) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for b in &self.binds {
            q = match b {
                Bind::Text(s) => q.bind(s.clone()),
                Bind::Int(i) => q.bind(*i),
            };
        }
        q
    }
}

impl Store {
    /// One page of a tenant's shipments matching `filter`, newest first, starting after
    /// `after` (the previous page's [`ShipmentPage::next`]).
    pub async fn list_shipments(
        &self,
        tenant_id: &str,
        filter: &ShipmentFilter,
        after: Option<&PageKey>,
        limit: u32,
    ) -> Result<ShipmentPage, sqlx::Error> {
        let mut c = Conditions::default();
        c.text("tenant_id", tenant_id);
        if let Some(status) = filter.status {
            c.text("status", status.as_str());
        }
        if let Some(sub) = filter.sub_status {
            c.text("sub_status", sub.as_str());
        }
        if let Some(carrier) = &filter.carrier {
            c.text("carrier", carrier);
        }
        if let Some(order_ref) = &filter.order_ref {
            c.text("order_ref", order_ref);
        }
        if let Some(awb) = &filter.awb {
            c.text("awb", awb);
        }
        if let Some(state) = filter.booking_state {
            c.text("booking_state", state.as_str());
        }
        if let Some(wanted) = &filter.weight_discrepancy {
            let p = c.placeholder(Bind::Text(wanted.clone()));
            c.clauses.push(format!(
                "id IN (SELECT shipment_id FROM weight_charges WHERE state = {p})"
            ));
        }
        if let Some(kind) = filter.kind {
            c.text("kind", super::returns::kind_str(kind));
        }
        if let Some(band) = filter.address_band {
            c.text("address_band", band.as_str());
        }
        if let Some(phone) = &filter.buyer_phone {
            let p = c.placeholder(Bind::Text(phone.clone()));
            c.clauses.push(format!("buyer_phone = {p}"));
        }
        if let Some(from) = filter.created_from {
            let p = c.placeholder(Bind::Int(from));
            c.clauses.push(format!("created_at >= {p}"));
        }
        if let Some(to) = filter.created_to {
            let p = c.placeholder(Bind::Int(to));
            c.clauses.push(format!("created_at < {p}"));
        }
        if let Some(wanted) = filter.action_required {
            let list: Vec<String> = action_required_sub_statuses()
                .map(|s| c.placeholder(Bind::Text(s.as_str().to_string())))
                .collect();
            let late = late_clause(&mut c);
            let needs = format!("(sub_status IN ({}) OR {late})", list.join(", "));
            c.clauses.push(if wanted {
                needs
            } else {
                format!("NOT {needs}")
            });
        }
        if let Some(wanted) = filter.late {
            let late = late_clause(&mut c);
            c.clauses
                .push(if wanted { late } else { format!("NOT {late}") });
        }
        if let Some(key) = after {
            let t = c.placeholder(Bind::Int(key.created_at_ms));
            let id = c.placeholder(Bind::Text(key.id.clone()));
            // A row-value comparison matches the ORDER BY exactly and lets both engines
            // seek in the (tenant_id, created_at, id) index.
            c.clauses.push(format!("(created_at, id) < ({t}, {id})"));
        }
        // One row more than asked tells whether another page exists without a COUNT, so
        // the last page says so instead of handing out a cursor to an empty page.
        let fetch = i64::from(limit) + 1;
        let p = c.placeholder(Bind::Int(fetch));
        let sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE {} \
             ORDER BY created_at DESC, id DESC LIMIT {p}",
            c.where_sql()
        );
        let rows = c.query(sql).fetch_all(&self.pool).await?;
        let mut shipments = rows
            .iter()
            .map(shipment_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let next = if shipments.len() > limit as usize {
            shipments.truncate(limit as usize);
            shipments.last().map(|s| PageKey {
                created_at_ms: s.created_at.timestamp_millis(),
                id: s.id.clone(),
            })
        } else {
            None
        };
        Ok(ShipmentPage { shipments, next })
    }

    /// A tenant's shipments with this AWB, newest first (carriers can reuse numbers, and
    /// two carriers can issue the same one); limited to `carrier` when given.
    pub async fn awb_lookup(
        &self,
        tenant_id: &str,
        awb: &str,
        carrier: Option<&str>,
    ) -> Result<Vec<ShipmentRecord>, sqlx::Error> {
        let mut c = Conditions::default();
        c.text("tenant_id", tenant_id);
        c.text("awb", awb);
        if let Some(carrier) = carrier {
            c.text("carrier", carrier);
        }
        let sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE {} ORDER BY created_at DESC, id DESC",
            c.where_sql()
        );
        let rows = c.query(sql).fetch_all(&self.pool).await?;
        rows.iter().map(shipment_from_row).collect()
    }

    /// Counts of a tenant's shipments created in `[from, to)` (Unix ms, either end open) by
    /// current status and sub-status.
    pub async fn status_counts(
        &self,
        tenant_id: &str,
        from: Option<i64>,
        to: Option<i64>,
        kind: Option<carriers::schema::ShipmentKind>,
    ) -> Result<StatusCounts, sqlx::Error> {
        let mut c = Conditions::default();
        c.text("tenant_id", tenant_id);
        if let Some(kind) = kind {
            c.text("kind", super::returns::kind_str(kind));
        }
        if let Some(from) = from {
            let p = c.placeholder(Bind::Int(from));
            c.clauses.push(format!("created_at >= {p}"));
        }
        if let Some(to) = to {
            let p = c.placeholder(Bind::Int(to));
            c.clauses.push(format!("created_at < {p}"));
        }
        // One grouped scan; totals and the action-required count are folded from the
        // groups here, with the taxonomy's own rules, rather than asked of the database.
        let sql = format!(
            "SELECT status, sub_status, COUNT(*) AS n FROM shipments WHERE {} \
             GROUP BY status, sub_status",
            c.where_sql()
        );
        let rows = c.query(sql).fetch_all(&self.pool).await?;
        // Late shipments need action too; those whose sub-status already does are not
        // counted twice.
        let mut late = Conditions {
            clauses: c.clauses.clone(),
            binds: c
                .binds
                .iter()
                .map(|b| match b {
                    Bind::Text(t) => Bind::Text(t.clone()),
                    Bind::Int(i) => Bind::Int(*i),
                })
                .collect(),
        };
        let clause = late_clause(&mut late);
        late.clauses.push(clause);
        let sql = format!(
            "SELECT sub_status, COUNT(*) AS n FROM shipments WHERE {} GROUP BY sub_status",
            late.where_sql()
        );
        let late_rows = late.query(sql).fetch_all(&self.pool).await?;
        let mut counts = StatusCounts {
            by_status: Status::VARIANTS.iter().map(|s| (*s, 0)).collect(),
            ..StatusCounts::default()
        };
        for r in &rows {
            let status: String = r.try_get("status")?;
            let sub_status: String = r.try_get("sub_status")?;
            let n: i64 = r.try_get("n")?;
            let bad = |v: String| sqlx::Error::ColumnDecode {
                index: "status".into(),
                source: v.into(),
            };
            let status: Status = status.parse().map_err(|_| bad(status.clone()))?;
            let sub_status: SubStatus = sub_status.parse().map_err(|_| bad(sub_status.clone()))?;
            counts.total += n;
            *counts.by_status.entry(status).or_default() += n;
            *counts.by_sub_status.entry(sub_status).or_default() += n;
            if sub_status.action_required() {
                counts.action_required += n;
            }
        }
        for r in &late_rows {
            let sub_status: String = r.try_get("sub_status")?;
            let n: i64 = r.try_get("n")?;
            counts.late += n;
            if !sub_status
                .parse::<SubStatus>()
                .is_ok_and(|s| s.action_required())
            {
                counts.action_required += n;
            }
        }
        Ok(counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_required_list_follows_the_taxonomy() {
        let list: Vec<SubStatus> = action_required_sub_statuses().collect();
        assert!(list.contains(&SubStatus::CustomerUnavailable));
        assert!(list.contains(&SubStatus::PickupFailed));
        assert!(list.contains(&SubStatus::Damaged));
        assert!(!list.contains(&SubStatus::Lost), "a final loss is terminal");
        assert!(!list.contains(&SubStatus::Delivered));
    }

    #[test]
    fn placeholders_are_numbered_in_bind_order() {
        let mut c = Conditions::default();
        c.text("tenant_id", "t");
        let p = c.placeholder(Bind::Int(5));
        c.clauses.push(format!("created_at >= {p}"));
        c.text("awb", "123");
        assert_eq!(
            c.where_sql(),
            "tenant_id = $1 AND created_at >= $2 AND awb = $3"
        );
        assert_eq!(c.binds.len(), 3);
    }

    /// The SQLite plan of `sql` (binds do not change it: placeholders are planned as such).
    async fn plan(store: &Store, sql: &str) -> String {
        let rows = sqlx::query(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
            .fetch_all(&store.pool)
            .await
            .unwrap();
        rows.iter()
            .map(|r| sqlx::Row::get::<String, _>(r, 3))
            .collect::<Vec<_>>()
            .join("; ")
    }

    // A lookup by AWB, order reference or carrier must seek, not read the tenant's whole
    // history in created order (which SQLite chose before migration 0010).
    #[tokio::test]
    async fn lookups_seek_their_own_index() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("plan.db").display());
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        for (column, index) in [
            ("awb", "shipments_tenant_awb_created"),
            ("order_ref", "shipments_tenant_order_created"),
            ("carrier", "shipments_tenant_carrier_created"),
            ("address_band", "shipments_tenant_band_created"),
            ("buyer_phone", "shipments_tenant_buyer_phone"),
        ] {
            let sql = format!(
                "SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE tenant_id = $1 AND {column} = $2 \
                 ORDER BY created_at DESC, id DESC LIMIT $3"
            );
            let plan = plan(&store, &sql).await;
            assert!(
                plan.contains(index) && !plan.contains("TEMP B-TREE"),
                "{column}: {plan}"
            );
        }
    }

    // Migration 0029 moved the phone's search key from an index expression to a column:
    // shipments booked before it must be found as they were.
    #[tokio::test]
    async fn shipments_stored_before_the_phone_column_are_found_by_phone() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("old.db").display());
        let store = Store::connect(&url).await.unwrap();
        super::super::SQLITE_MIGRATOR
            .run_to(28, &store.pool)
            .await
            .unwrap();
        let input = serde_json::from_str(include_str!("../../examples/shipment.json")).unwrap();
        let request = carriers::schema::ShipmentRequest::parse(&input).unwrap();
        let phone = request.to.phone.e164().to_string();
        sqlx::query("INSERT INTO tenants (id, name, created_at) VALUES ('t1', 'one', 0)")
            .execute(&store.pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO shipments (id, tenant_id, order_ref, package_no, carrier, status, \
             sub_status, kind, booking_state, label_format, request_json, carrier_refs, \
             created_at, updated_at) VALUES ('shp_1', 't1', 'o1', 1, 'delhivery', 'unknown', \
             'not_found', 'forward', 'confirmed', 'pdf', $1, '{}', 1, 1)",
        )
        .bind(serde_json::to_string(&request).unwrap())
        .execute(&store.pool)
        .await
        .unwrap();
        store.migrate().await.unwrap();
        // Written another way, as a console user might.
        let written = format!("0{} {}", &phone[3..8], &phone[8..]);
        let filter = ShipmentFilter {
            buyer_phone: Some(buyer_phone_key(&written)),
            ..ShipmentFilter::default()
        };
        let page = store.list_shipments("t1", &filter, None, 10).await.unwrap();
        let ids: Vec<&str> = page.shipments.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["shp_1"]);
    }
}
