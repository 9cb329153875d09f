//! The poller: one loop per carrier account that can track, in every gateway process.
//!
//! Each loop claims that account's due shipments (polled with the credentials that
//! booked them: one tenant's shipments are never asked about with another's account) (a lease in the database, so other
//! processes skip them), polls them with bounded concurrency, and writes each one's next
//! time with the release of its lease. Why it is shaped this way:
//! - **Quotas.** A carrier's outbound quota (`quota_per_second`, per process) is shared
//!   with bookings and the OMS's own tracking calls, which must not queue behind a
//!   backlog of polls. The loop paces its polls at `quota_share` of the quota, evenly (no
//!   bursts), and claims only what it can start within one tick, so claimed shipments do
//!   not sit waiting under a lease. The executor enforces the quota itself as well, so
//!   even a misconfigured share cannot exceed it. Unpaced carriers (the sandbox) are
//!   limited by concurrency alone.
//! - **Leases.** A claim lasts longer than a poll can take: a tick of pacing, the quota
//!   queue, the carrier timeout twice (the executor retries a refused connection once)
//!   and a margin. A poll whose lease would not cover the call is given back instead of
//!   started, and finishing a poll only counts while its lease is held, so two processes
//!   never poll one shipment at once, as long as their clocks agree to within the margin.
//! - **Load spreading.** Due times carry jitter, polls are paced within a tick, and idle
//!   loops sleep a jittered tick, so processes and carriers do not fall into step.
//! - **Pushes first.** A shipment whose carrier sent an event (by push, or a pull by the
//!   API) more recently than its interval is not polled; its next poll is moved to one
//!   interval after that event. For carriers that push, polling is thus only a fallback
//!   for shipments whose pushes stopped coming.
//! - **Failures.** A failed poll backs off exponentially (a carrier that is down is not
//!   hammered); a poll that was never sent (circuit open, quota full) waits a little and
//!   does not count as a failure.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use carriers::{CarrierError, Operation};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

use super::{Policy, PollError};
use crate::config::PollingConfig;
use crate::executor::observe;
use crate::ratelimit::outbound::MAX_QUOTA_WAIT;
use crate::registry::{RegisteredCarrier, Registry};
use crate::shutdown::{CancellationToken, Ticks};
use crate::store::{BookingState, ClaimedPoll, PollFinish, PollTarget, Store};

/// Margin on a lease beyond the longest a poll can take (storing, clock differences).
const LEASE_MARGIN: Duration = Duration::from_secs(10);
/// How often the due backlog is measured.
const BACKLOG_EVERY: Duration = Duration::from_secs(30);
/// A backlog whose oldest shipment is this late is reported in the log.
const BEHIND_WARNING: Duration = Duration::from_secs(300);
/// Failed polls in a row after which a shipment's failures are logged as warnings.
const WARN_AFTER_FAILURES: i64 = 5;

/// Starts the poller's loops (one per carrier that tracks, and the backlog gauge); the
/// handles are aborted at shutdown. Polls in flight then are dropped: their leases lapse
/// and whoever runs next polls those shipments again.
pub fn start(
    store: Store,
    registry: &Arc<Registry>,
    config: &PollingConfig,
    stop: CancellationToken,
) -> Vec<JoinHandle<()>> {
    if !config.enabled {
        tracing::info!("tracking polling disabled (SHIPGATE_POLLING__ENABLED=false)");
        return Vec::new();
    }
    let registry = registry.clone();
    let poller = Arc::new(Poller {
        store,
        quota_share: config.quota_share,
        policy: Policy::from_config(config),
        owner: format!("poller-{}", uuid::Uuid::new_v4().simple()),
        permits: Arc::new(Semaphore::new(config.concurrency as usize)),
        tick: Duration::from_millis(config.tick_ms),
        batch: config.batch_size as usize,
        stop,
    });
    vec![
        tokio::spawn(poller.clone().supervise(registry.clone())),
        tokio::spawn(poller.watch_backlog(registry)),
    ]
}

/// The accounts that track, platform and tenant, enabled or not (a disabled account's
/// shipments are still followed).
fn tracking(registry: &Registry) -> Vec<Arc<RegisteredCarrier>> {
    registry
        .every_account()
        .into_iter()
        .filter(|c| c.capabilities.track)
        .collect()
}

struct Poller {
    store: Store,
    /// The part of each carrier's outbound quota polls may use.
    quota_share: f64,
    policy: Policy,
    /// This process, as the holder of leases.
    owner: String,
    /// Polls in flight, all carriers together.
    permits: Arc<Semaphore>,
    tick: Duration,
    batch: usize,
    /// Cancelled at shutdown: claim nothing more, finish the polls started.
    stop: CancellationToken,
}

impl Poller {
    /// Longest a poll of `carrier` can take once started.
    fn max_call(carrier: &RegisteredCarrier) -> Duration {
        let queue = if carrier.transport.quota_per_second().is_some() {
            MAX_QUOTA_WAIT
        } else {
            Duration::ZERO
        };
        carrier.transport.timeout() * 2 + Duration::from_millis(100) + queue
    }

    fn jittered_ms(&self, d: Duration) -> i64 {
        self.policy.jittered(d, &mut rand::rng()).as_millis() as i64
    }

    /// Keeps one loop per tracking account: started for an account added, stopped for
    /// one removed, and restarted for one rebuilt (new credentials), each time the
    /// registry's tenant accounts change. A stopped loop finishes the polls it started.
    async fn supervise(self: Arc<Self>, registry: Arc<Registry>) {
        let mut changes = registry.subscribe();
        let mut loops: HashMap<&'static str, (Arc<RegisteredCarrier>, CancellationToken)> =
            HashMap::new();
        let mut running = JoinSet::new();
        loop {
            let wanted = tracking(&registry);
            loops.retain(|_, (account, stop)| {
                let keep = wanted.iter().any(|w| Arc::ptr_eq(w, account));
                if !keep {
                    stop.cancel();
                }
                keep
            });
            for account in wanted {
                if !loops.contains_key(account.account) {
                    let stop = self.stop.child_token();
                    running.spawn(self.clone().run(account.clone(), stop.clone()));
                    loops.insert(account.account, (account, stop));
                }
            }
            while running.try_join_next().is_some() {}
            tokio::select! {
                () = self.stop.cancelled() => break,
                changed = changes.changed() => if changed.is_err() { break },
            }
        }
        while running.join_next().await.is_some() {}
    }

    async fn run(self: Arc<Self>, carrier: Arc<RegisteredCarrier>, stop: CancellationToken) {
        let rate = carrier
            .transport
            .quota_per_second()
            .map(|q| q * self.quota_share);
        let mut pacer = Pacer::new(rate, Instant::now());
        let lease = self.tick + Self::max_call(&carrier) + LEASE_MARGIN;
        tracing::info!(
            carrier = carrier.id,
            account = carrier.account,
            polls_per_second = rate,
            lease_ms = lease.as_millis() as u64,
            "tracking poller started"
        );
        let mut polls = JoinSet::new();
        while !stop.is_cancelled() {
            while let Some(done) = polls.try_join_next() {
                if let Err(e) = done
                    && e.is_panic()
                {
                    tracing::error!(carrier = carrier.id, error = %e, "a tracking poll panicked; its shipment is polled again when its lease lapses");
                }
            }
            let first = tokio::select! {
                permit = self.permits.clone().acquire_owned() => {
                    permit.expect("the poller never closes its semaphore")
                }
                () = stop.cancelled() => break,
            };
            let now = Instant::now();
            let allowance = pacer.allowance(now, self.tick).min(self.batch);
            if allowance == 0 {
                drop(first);
                tokio::select! {
                    () = tokio::time::sleep_until(pacer.next_slot(now) - self.tick) => {}
                    () = stop.cancelled() => {}
                }
                continue;
            }
            let mut permits = vec![first];
            while permits.len() < allowance {
                match self.permits.clone().try_acquire_owned() {
                    Ok(p) => permits.push(p),
                    Err(_) => break,
                }
            }
            let wanted = permits.len();
            let claimed = match self
                .store
                .polls_claim(
                    carrier.account,
                    wanted as i64,
                    lease.as_millis() as i64,
                    &self.owner,
                )
                .await
            {
                Ok(claimed) => claimed,
                Err(e) => {
                    tracing::warn!(carrier = carrier.id, error = %e, "tracking poller: cannot claim due shipments");
                    drop(permits);
                    self.idle(&stop).await;
                    continue;
                }
            };
            if claimed.is_empty() {
                drop(permits);
                self.idle(&stop).await;
                continue;
            }
            let more = claimed.len() == wanted;
            self.launch(&carrier, &mut pacer, claimed, permits, &mut polls)
                .await;
            if !more {
                self.idle(&stop).await;
            }
        }
        // Polls already started finish and record their outcome; an unfinished one would
        // only wait for its lease to lapse.
        while let Some(done) = polls.join_next().await {
            if let Err(e) = done
                && e.is_panic()
            {
                tracing::error!(carrier = carrier.id, error = %e, "a tracking poll panicked; its shipment is polled again when its lease lapses");
            }
        }
        tracing::debug!(carrier = carrier.id, "tracking poller stopped");
    }

    /// Waits about a tick (jittered, so loops do not fall into step), or until stopped.
    async fn idle(&self, stop: &CancellationToken) {
        let tick = self.policy.jittered(self.tick, &mut rand::rng());
        tokio::select! {
            () = tokio::time::sleep(tick) => {}
            () = stop.cancelled() => {}
        }
    }

    /// Starts the polls of claimed shipments, each at its paced slot.
    async fn launch(
        self: &Arc<Self>,
        carrier: &Arc<RegisteredCarrier>,
        pacer: &mut Pacer,
        claimed: Vec<ClaimedPoll>,
        permits: Vec<OwnedSemaphorePermit>,
        polls: &mut JoinSet<()>,
    ) {
        let now_ms = crate::store::now_ms();
        for claim in &claimed {
            metrics::histogram!("shipgate_tracking_poll_lag_seconds", "carrier" => carrier.id)
                .record((now_ms - claim.next_poll_at).max(0) as f64 / 1000.0);
        }
        let ids: Vec<String> = claimed.iter().map(|c| c.shipment_id.clone()).collect();
        let mut targets: HashMap<String, PollTarget> = match self.store.poll_targets(&ids).await {
            Ok(targets) => targets
                .into_iter()
                .map(|t| (t.shipment.id.clone(), t))
                .collect(),
            Err(e) => {
                // The claims lapse and are taken again then.
                tracing::warn!(carrier = carrier.id, error = %e, "tracking poller: cannot read claimed shipments");
                return;
            }
        };
        for (claim, permit) in claimed.into_iter().zip(permits) {
            let slot = pacer.take(Instant::now());
            let target = targets.remove(&claim.shipment_id);
            let this = self.clone();
            let carrier = carrier.clone();
            polls.spawn(async move {
                tokio::time::sleep_until(slot).await;
                this.poll(&carrier, claim, target).await;
                drop(permit);
            });
        }
    }

    /// Polls one claimed shipment (or decides it need not be) and writes its next time.
    async fn poll(
        &self,
        carrier: &RegisteredCarrier,
        claim: ClaimedPoll,
        target: Option<PollTarget>,
    ) {
        let finish = self.decide(carrier, &claim, target).await;
        metrics::counter!("shipgate_tracking_polls_total", "carrier" => carrier.id, "account" => carrier.account, "outcome" => finish.outcome)
            .increment(1);
        match self
            .store
            .polls_finish(
                &claim.shipment_id,
                &self.owner,
                claim.claimed_until,
                &finish,
            )
            .await
        {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                carrier = carrier.id,
                shipment_id = %claim.shipment_id,
                "tracking poll outlasted its lease; another process has the shipment now"
            ),
            Err(e) => tracing::warn!(
                carrier = carrier.id,
                shipment_id = %claim.shipment_id,
                error = %e,
                "tracking poll could not be recorded; the shipment is polled again when its lease lapses"
            ),
        }
    }

    async fn decide(
        &self,
        carrier: &RegisteredCarrier,
        claim: &ClaimedPoll,
        target: Option<PollTarget>,
    ) -> PollFinish {
        let now = crate::store::now_ms();
        let done = |next_poll_at, failures, polled, outcome, error| PollFinish {
            next_poll_at,
            failures,
            polled,
            outcome,
            error,
        };
        let Some(target) = target else {
            return done(None, 0, false, "stopped", None);
        };
        let shipment = &target.shipment;
        if shipment.booking_state != BookingState::Confirmed || shipment.awb.is_none() {
            return done(None, 0, false, "stopped", None);
        }
        let Some(interval) = self
            .policy
            .interval(shipment.sub_status, quiet(now, target.last_event_at))
        else {
            tracing::debug!(shipment_id = %shipment.id, sub_status = %shipment.sub_status, "terminal; polling stops");
            return done(None, 0, false, "stopped", None);
        };
        // Something arrived recently (a push, or a pull by the API): no need to ask.
        if let Some(received) = target.last_received_at {
            let next = received + self.jittered_ms(interval);
            if next > now {
                return done(Some(next), claim.failures, false, "fresh", None);
            }
        }
        if now + Self::max_call(carrier).as_millis() as i64 >= claim.claimed_until {
            // Started this late, the call could outlive the lease: give it back.
            return done(Some(now), claim.failures, false, "lease_short", None);
        }
        match self.pull(carrier, &target).await {
            Ok((added, sub_status, last_event_at)) => {
                let now = crate::store::now_ms();
                let next = self
                    .policy
                    .interval(sub_status, quiet(now, last_event_at))
                    .map(|i| now + self.jittered_ms(i));
                if next.is_none() {
                    tracing::info!(shipment_id = %shipment.id, sub_status = %sub_status, "shipment reached a terminal state; polling stops");
                }
                let outcome = if added > 0 { "updated" } else { "unchanged" };
                done(next, 0, true, outcome, None)
            }
            Err(PollError::Carrier(
                CarrierError::NotSent(reason) | CarrierError::Paused { reason, .. },
            )) => {
                // Circuit open or quota full: nothing reached the carrier, so nothing failed.
                let next = now + self.jittered_ms(self.policy.deferred);
                done(Some(next), claim.failures, false, "deferred", Some(reason))
            }
            Err(PollError::Carrier(error)) => {
                let failures = claim.failures + 1;
                let wait = self
                    .policy
                    .after_failure(failures.try_into().unwrap_or(u32::MAX));
                let next = crate::store::now_ms() + self.jittered_ms(wait);
                if failures >= WARN_AFTER_FAILURES {
                    tracing::warn!(carrier = carrier.id, shipment_id = %shipment.id, failures, retry_in_s = wait.as_secs(), error = %error, "tracking poll keeps failing; backing off");
                } else {
                    tracing::debug!(carrier = carrier.id, shipment_id = %shipment.id, failures, retry_in_s = wait.as_secs(), error = %error, "tracking poll failed; backing off");
                }
                done(
                    Some(next),
                    failures,
                    true,
                    "failed",
                    Some(error.to_string()),
                )
            }
            Err(PollError::Store(e)) => {
                tracing::warn!(shipment_id = %shipment.id, error = %e, "polled events could not be stored; polling again later");
                let next = now + self.jittered_ms(self.policy.deferred);
                done(
                    Some(next),
                    claim.failures,
                    true,
                    "store_error",
                    Some(e.to_string()),
                )
            }
        }
    }

    /// Pulls the carrier's history and stores what is new; answers how many events were
    /// new and where the shipment stands after them.
    async fn pull(
        &self,
        carrier: &RegisteredCarrier,
        target: &PollTarget,
    ) -> Result<(usize, carriers::taxonomy::SubStatus, Option<i64>), PollError> {
        let shipment = &target.shipment;
        let update = observe(
            carrier.transport.account(),
            Operation::Track,
            carrier
                .adapter
                .track(&carrier.transport, &shipment.shipment_ref()),
        )
        .await?;
        let store = &self.store;
        let added = store.add_events(&shipment.id, &update.events).await?;
        if added > 0 {
            metrics::counter!("shipgate_tracking_poll_events_added_total", "carrier" => carrier.id)
                .increment(added as u64);
            if let Some((sub_status, last_event_at)) = store.poll_standing(&shipment.id).await? {
                return Ok((added, sub_status, last_event_at));
            }
        }
        Ok((added, shipment.sub_status, target.last_event_at))
    }

    /// Keeps the backlog gauge current and says in the log when polling falls behind.
    async fn watch_backlog(self: Arc<Self>, registry: Arc<Registry>) {
        let mut ticks = Ticks::new(BACKLOG_EVERY, self.stop.clone());
        while ticks.next().await {
            let now = crate::store::now_ms();
            for carrier in &tracking(&registry) {
                match self.store.polls_due(carrier.account, now).await {
                    Ok((due, oldest)) => {
                        metrics::gauge!("shipgate_tracking_poll_backlog", "carrier" => carrier.id, "account" => carrier.account)
                            .set(due as f64);
                        let late = oldest.map_or(0, |o| (now - o).max(0));
                        if late >= BEHIND_WARNING.as_millis() as i64 {
                            tracing::warn!(
                                carrier = carrier.id,
                                account = carrier.account,
                                due,
                                oldest_late_s = late / 1000,
                                "tracking polling is behind; raise SHIPGATE_POLLING__CONCURRENCY or the carrier's quota share, or run more gateways"
                            );
                        }
                    }
                    Err(e) => {
                        tracing::warn!(carrier = carrier.id, error = %e, "cannot measure the tracking poll backlog")
                    }
                }
            }
        }
    }
}

/// How long ago the newest carrier scan happened; zero without one (or a future one).
fn quiet(now: i64, last_event_at: Option<i64>) -> Duration {
    Duration::from_millis(last_event_at.map_or(0, |t| (now - t).max(0)) as u64)
}

/// Even pacing of poll starts at a rate (a slot every `1/rate` s, never a burst); no
/// pacing without a rate.
struct Pacer {
    interval: Option<Duration>,
    next: Instant,
}

impl Pacer {
    fn new(rate: Option<f64>, start: Instant) -> Pacer {
        Pacer {
            interval: rate
                .filter(|r| r.is_finite() && *r > 0.0)
                .map(|r| Duration::from_secs_f64(1.0 / r)),
            next: start,
        }
    }

    /// The earliest free slot from `now` on.
    fn next_slot(&self, now: Instant) -> Instant {
        self.next.max(now)
    }

    /// How many slots start before `now + horizon`.
    fn allowance(&self, now: Instant, horizon: Duration) -> usize {
        let Some(interval) = self.interval else {
            return usize::MAX;
        };
        let first = self.next_slot(now);
        let end = now + horizon;
        if first >= end {
            return 0;
        }
        ((end - first).as_secs_f64() / interval.as_secs_f64()).ceil() as usize
    }

    /// Takes the next slot: when the next poll may start.
    fn take(&mut self, now: Instant) -> Instant {
        let slot = self.next_slot(now);
        if let Some(interval) = self.interval {
            self.next = slot + interval;
        }
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pacer_spreads_starts_evenly_and_never_bursts() {
        let now = Instant::now();
        let mut pacer = Pacer::new(Some(4.0), now);
        // A second's worth: slots at 0, 250, 500, 750 ms.
        assert_eq!(pacer.allowance(now, Duration::from_secs(1)), 4);
        let slots: Vec<Instant> = (0..4).map(|_| pacer.take(now)).collect();
        for (i, slot) in slots.iter().enumerate() {
            assert_eq!(*slot - now, Duration::from_millis(250) * i as u32);
        }
        assert_eq!(pacer.allowance(now, Duration::from_secs(1)), 0);
        // Idle time earns no burst: after a long pause, slots resume one interval apart.
        let later = now + Duration::from_secs(60);
        assert_eq!(pacer.allowance(later, Duration::from_millis(300)), 2);
        let a = pacer.take(later);
        let b = pacer.take(later);
        assert_eq!(a, later);
        assert_eq!(b - a, Duration::from_millis(250));
    }

    #[test]
    fn unpaced_allows_everything_at_once() {
        let now = Instant::now();
        let mut pacer = Pacer::new(None, now);
        assert_eq!(pacer.allowance(now, Duration::from_secs(1)), usize::MAX);
        assert_eq!(pacer.take(now), now);
        assert_eq!(pacer.take(now), now);
    }

    #[test]
    fn quiet_time_is_never_negative() {
        assert_eq!(quiet(10_000, None), Duration::ZERO);
        assert_eq!(quiet(10_000, Some(20_000)), Duration::ZERO);
        assert_eq!(quiet(10_000, Some(4_000)), Duration::from_secs(6));
    }
}
