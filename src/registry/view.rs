//! The carrier accounts one tenant may use.
//!
//! New work (rates, bookings, `GET /v1/carriers`) sees the tenant's own enabled accounts
//! first, then the platform accounts shared with it, except those of a carrier it has an
//! account of its own with: a tenant that brings its Delhivery contract books on it, not
//! on the platform's. A shadowed platform account is still there for a request or a
//! selection rule that names it by its account id ("unless its rules say otherwise").

use std::sync::Arc;

use super::RegisteredCarrier;

#[derive(Default)]
pub struct Accounts {
    /// The tenant's own enabled accounts (by carrier, then id), then the platform's it
    /// may use unnamed (by account id).
    active: Vec<Arc<RegisteredCarrier>>,
    /// Platform accounts shared with the tenant, used only when named.
    shadowed: Vec<Arc<RegisteredCarrier>>,
    /// The tenant's own enabled accounts that cannot be built: (carrier, account, why).
    /// They still shadow the platform's accounts of their carrier — a tenant whose own
    /// credentials do not open must hear so, not book on somebody else's contract.
    broken: Vec<Broken>,
}

/// A tenant's enabled account that cannot be used.
#[derive(Debug, Clone)]
pub struct Broken {
    pub carrier: String,
    pub account: String,
    pub reason: String,
}

impl Accounts {
    /// From the tenant's own accounts (enabled ones are used) and the platform accounts
    /// shared with it.
    pub(super) fn new(
        own: &[Arc<RegisteredCarrier>],
        broken: Vec<Broken>,
        shared: impl Iterator<Item = Arc<RegisteredCarrier>>,
    ) -> Accounts {
        let mut active: Vec<Arc<RegisteredCarrier>> = own
            .iter()
            .filter(|a| a.owner.as_ref().is_some_and(|o| o.enabled))
            .cloned()
            .collect();
        active.sort_by_key(|a| (a.id, a.account));
        let mut shadowed = Vec::new();
        for platform in shared {
            let own_account = active
                .iter()
                .any(|a| a.owner.is_some() && a.id == platform.id);
            if own_account || broken.iter().any(|b| b.carrier == platform.id) {
                shadowed.push(platform);
            } else {
                active.push(platform);
            }
        }
        Accounts {
            active,
            shadowed,
            broken,
        }
    }

    /// The tenant's own enabled accounts that cannot be used.
    pub fn broken_accounts(&self) -> &[Broken] {
        &self.broken
    }

    /// The tenant's own enabled account of `carrier` that cannot be used, if any.
    pub fn broken(&self, carrier: &str) -> Option<&Broken> {
        self.broken.iter().find(|b| b.carrier == carrier)
    }

    /// The account with this id (a carrier id names the carrier's default platform
    /// account), shadowed platform accounts included.
    pub fn get(&self, account: &str) -> Option<&Arc<RegisteredCarrier>> {
        self.active
            .iter()
            .chain(&self.shadowed)
            .find(|a| a.account == account)
    }

    /// The account a booking naming carrier `id` uses: the tenant's own first, then the
    /// platform's default account of the carrier, then any other of its accounts.
    pub fn carrier(&self, id: &str) -> Option<&Arc<RegisteredCarrier>> {
        let of_carrier = || self.active.iter().filter(move |a| a.id == id);
        of_carrier()
            .find(|a| a.owner.is_some())
            .or_else(|| of_carrier().find(|a| a.account == id))
            .or_else(|| of_carrier().next())
    }

    /// The account `name` names for a booking: a carrier id (which is also its default
    /// platform account's id) means the carrier, so a tenant's own account comes first;
    /// anything else is an account id.
    pub fn resolve(&self, name: &str) -> Option<&Arc<RegisteredCarrier>> {
        let is_carrier = self.reachable().any(|a| a.id == name) || self.broken(name).is_some();
        match is_carrier {
            true => self.carrier(name),
            false => self.get(name),
        }
    }

    pub fn knows(&self, name: &str) -> bool {
        self.resolve(name).is_some()
    }

    /// The accounts that `name` names for rate shopping: every account of that carrier
    /// that new work uses, else the account with that id.
    pub fn named<'a>(&'a self, name: &'a str) -> Vec<&'a Arc<RegisteredCarrier>> {
        let of_carrier: Vec<_> = self.active.iter().filter(|a| a.id == name).collect();
        if of_carrier.is_empty() {
            self.get(name).into_iter().collect()
        } else {
            of_carrier
        }
    }

    /// Every account the tenant may name: what new work uses, then the shadowed.
    pub fn reachable(&self) -> impl Iterator<Item = &Arc<RegisteredCarrier>> {
        self.active.iter().chain(&self.shadowed)
    }

    /// What new work uses, in order.
    pub fn all(&self) -> impl Iterator<Item = &Arc<RegisteredCarrier>> {
        self.active.iter()
    }

    /// The ids of what new work uses, in order.
    pub fn ids(&self) -> Vec<&'static str> {
        self.active.iter().map(|a| a.account).collect()
    }
}
