//! What a batch of read pushes does: every AWB's shipment found in one query per scope,
//! and for each push its outcome and the events it adds. Shared by the intake (pushes
//! processed as they are stored) and the processor (pushes claimed from the table).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use carriers::schema::PushedUpdate;

use crate::store::{InboxState, Processed, PushOutcome, Store};

/// Claims of one row at most (processing attempts, unknown-AWB retries included).
pub const MAX_ATTEMPTS: i64 = 8;
/// Back-off before the n-th retry of a push whose AWB is unknown: the first ones catch a
/// scan that raced its booking, the later ones a booking stuck in reconciliation.
const UNKNOWN_AWB_BACKOFF_MS: [i64; 7] = [
    5_000,
    30_000,
    120_000,
    600_000,
    1_800_000,
    3_600_000,
    3 * 3_600_000,
];

/// A push about to be processed, as far as planning needs it.
pub struct Pushed<'a> {
    pub carrier: &'a str,
    /// The account whose own URL it came to (`None`: the carrier-wide URL).
    pub account: Option<&'a str>,
    /// Its inbox row, once stored (for the logs).
    pub id: Option<i64>,
    pub state: InboxState,
    /// Including this one.
    pub attempts: i64,
}

/// A push with what its body says (or why it cannot be read).
pub type Read<'a> = (Pushed<'a>, Result<Vec<PushedUpdate>, String>);

/// Which shipments a push may reach: (carrier, the tenant account it came for).
type Scope<'a> = (&'a str, Option<&'a str>);

/// What each push leads to, in the order of `pushes`.
pub async fn plan(
    store: &Store,
    pushes: &[Read<'_>],
    now: i64,
) -> Result<Vec<Processed>, sqlx::Error> {
    // A push reaches the shipments of its scope only: its carrier, and the account whose
    // own URL it came to (or the platform accounts, for the carrier-wide URL).
    let mut awbs: BTreeMap<Scope<'_>, BTreeSet<&str>> = BTreeMap::new();
    for (push, updates) in pushes {
        for update in updates.iter().flatten() {
            awbs.entry((push.carrier, push.account))
                .or_default()
                .insert(&update.awb);
        }
    }
    let mut shipments: HashMap<(Scope<'_>, String), Vec<String>> = HashMap::new();
    for (&(carrier, account), awbs) in &awbs {
        let awbs: Vec<String> = awbs.iter().map(|a| a.to_string()).collect();
        for (awb, id) in store.shipments_by_awb(carrier, account, &awbs).await? {
            shipments
                .entry(((carrier, account), awb))
                .or_default()
                .push(id);
        }
    }
    Ok(pushes
        .iter()
        .map(|(push, updates)| one(push, updates, &shipments, now))
        .collect())
}

fn one(
    push: &Pushed<'_>,
    updates: &Result<Vec<PushedUpdate>, String>,
    shipments: &HashMap<(Scope<'_>, String), Vec<String>>,
    now: i64,
) -> Processed {
    let updates = match updates {
        Ok(updates) => updates,
        Err(error) => {
            tracing::warn!(carrier = %push.carrier, inbox_id = push.id, %error, "stored carrier push cannot be read");
            return Processed {
                outcome: PushOutcome::Failed(error.clone()),
                events: Vec::new(),
            };
        }
    };
    let mut events = Vec::new();
    let mut unknown = Vec::new();
    for update in updates {
        match shipments.get(&((push.carrier, push.account), update.awb.clone())) {
            Some(ids) => {
                if ids.len() > 1 {
                    tracing::warn!(carrier = %push.carrier, awb = %update.awb, shipments = ?ids, "several shipments share one AWB; the push updates each");
                }
                for id in ids {
                    events.push((id.clone(), update.events.clone()));
                }
            }
            None => unknown.push(update.awb.as_str()),
        }
    }
    if unknown.is_empty() {
        return Processed {
            outcome: PushOutcome::Processed,
            events,
        };
    }
    // Counted once per push, when first found unknown, not at every retry.
    if push.state == InboxState::Pending {
        metrics::counter!("shipgate_webhook_unknown_awb_total", "carrier" => push.carrier.to_string())
            .increment(1);
        tracing::warn!(carrier = %push.carrier, inbox_id = push.id, awbs = ?unknown, "carrier push for an AWB no shipment has; kept and retried");
    }
    let last = push.attempts >= MAX_ATTEMPTS;
    let backoff = UNKNOWN_AWB_BACKOFF_MS
        .get((push.attempts.max(1) - 1) as usize)
        .copied()
        .unwrap_or(*UNKNOWN_AWB_BACKOFF_MS.last().expect("not empty"));
    let detail = format!(
        "no shipment has AWB {}{}",
        unknown.join(", "),
        if last { " (no more retries)" } else { "" }
    );
    Processed {
        // Known AWBs of the same push are stored now; a retry stores them again, which
        // event dedupe makes harmless.
        outcome: PushOutcome::UnknownAwb {
            retry_at: now + backoff,
            detail,
        },
        events,
    }
}

/// Counts processed pushes by outcome, and how long after arrival they were processed.
pub fn count(carrier: &str, processed: &Processed, received_at: i64, now: i64) {
    let outcome = match processed.outcome {
        PushOutcome::Processed => "processed",
        PushOutcome::UnknownAwb { .. } => "unknown_awb",
        PushOutcome::Failed(_) => "failed",
    };
    metrics::counter!("shipgate_webhook_pushes_processed_total", "carrier" => carrier.to_string(), "outcome" => outcome).increment(1);
    if processed.outcome == PushOutcome::Processed {
        metrics::histogram!("shipgate_webhook_processing_lag_seconds")
            .record((now - received_at).max(0) as f64 / 1000.0);
    }
}
