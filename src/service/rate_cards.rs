//! Rate cards in the gateway: storing uploads, caching every tenant's active cards in
//! process, and pricing `POST /v1/rates` requests on them.
//!
//! Why `ratecard` is a pricing source here and not a [`carriers::Carrier`] in the
//! registry: the registry holds one adapter per carrier for the whole process, built
//! from configuration, while cards belong to a tenant and a carrier account and change
//! whenever a tenant uploads one; a `Carrier` is also everything a card is not — it books,
//! cancels and tracks, and its calls go through the executor's timeouts, quotas and
//! circuit breaker, none of which mean anything for arithmetic in memory. So the rates
//! endpoint asks the carriers as before (`service::rates`) and adds the tenant's card
//! quotes, which carry `carrier: "ratecard"` and the carrier account as `service`. Such a
//! card quote cannot be booked (`carrier: auto` never picks one): it prices a contract
//! whose carrier is booked through its own adapter. The exception is a carrier with no
//! rate API at all (Blue Dart, XpressBees): the tenant's card under its account *is* its
//! price list, so those quotes come as the carrier's, with the card's service, and book.
//!
//! Speed: a quote is pure work on the cached cards and the embedded PIN code table — no
//! database query on the hot path. A tenant's cards are loaded once and kept until an
//! upload through this process replaces them, or for `rate_cards.cache_ttl_secs` at
//! most, which bounds how long another gateway process sharing the database may quote
//! from the card an upload replaced.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context;
use carriers::ratecard::{self, CARRIER_ID, Location, RateCard};
use carriers::schema::{Address, FieldError, RateQuote, RateRequest};

use super::stale_refresh::Refresh;
use crate::error::ApiError;
use crate::registry::{Accounts, RegisteredCarrier};
use crate::service::rates::{NOT_SERVICEABLE, RateError};
use crate::store::{NewRateCard, RateCardRow, Store};

/// A tenant's active card for one carrier account.
#[derive(Debug)]
pub struct ActiveCard {
    pub carrier_account: String,
    pub version: i64,
    /// `Err` when the stored card no longer passes today's rules; quoted as an error,
    /// so one such card never takes the tenant's other quotes down with it.
    pub card: Result<RateCard, String>,
}

struct Cached {
    loaded: Instant,
    cards: Arc<Vec<ActiveCard>>,
    refresh: Refresh,
}

pub struct RateCards {
    store: Store,
    ttl: Duration,
    cache: RwLock<HashMap<String, Cached>>,
    /// Bumped by every upload: a load that started before an upload must not cache what
    /// it read, or the replaced card would live on until the TTL.
    generation: AtomicU64,
}

/// How a card was uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Json,
    Csv,
}

impl SourceFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Json => "json",
            SourceFormat::Csv => "csv",
        }
    }
}

impl RateCards {
    pub fn new(store: Store, ttl: Duration) -> RateCards {
        RateCards {
            store,
            ttl,
            cache: RwLock::default(),
            generation: AtomicU64::new(0),
        }
    }

    /// The tenant's active cards, from the cache when fresh. An expired copy is reloaded by
    /// one caller while the others quote from it ([`Refresh`]), so another process's upload
    /// shows here within the TTL plus one database read.
    pub async fn active(&self, tenant_id: &str) -> Result<Arc<Vec<ActiveCard>>, ApiError> {
        // Expired: one caller reloads, the others quote from the stale copy meanwhile.
        let _reloading = match self
            .cache
            .read()
            .expect("rate card cache lock")
            .get(tenant_id)
        {
            Some(hit) if hit.loaded.elapsed() < self.ttl => return Ok(hit.cards.clone()),
            Some(stale) => match stale.refresh.claim() {
                Some(reloading) => Some(reloading),
                None => return Ok(stale.cards.clone()),
            },
            None => None,
        };
        let generation = self.generation.load(Ordering::Acquire);
        let rows = self.store.active_rate_cards(tenant_id).await?;
        let cards = Arc::new(rows.into_iter().map(active_card).collect::<Vec<_>>());
        let mut cache = self.cache.write().expect("rate card cache lock");
        if self.generation.load(Ordering::Acquire) == generation {
            cache.insert(
                tenant_id.to_string(),
                Cached {
                    loaded: Instant::now(),
                    cards: cards.clone(),
                    refresh: Refresh::default(),
                },
            );
        }
        Ok(cards)
    }

    /// Stores `card` as the account's next version; quotes use it from the next request.
    pub async fn upload(
        &self,
        tenant_id: &str,
        carrier_account: &str,
        format: SourceFormat,
        source: &str,
        card: &RateCard,
    ) -> Result<RateCardRow, ApiError> {
        let card_json = serde_json::to_string(card).context("serialising a rate card")?;
        let row = self
            .store
            .add_rate_card(&NewRateCard {
                tenant_id,
                carrier_account,
                source_format: format.as_str(),
                source,
                card_json: &card_json,
            })
            .await?;
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.cache
            .write()
            .expect("rate card cache lock")
            .remove(tenant_id);
        Ok(row)
    }
}

fn active_card(row: RateCardRow) -> ActiveCard {
    let card = RateCard::from_json(&row.card_json).inspect_err(|e| {
        tracing::warn!(carrier_account = %row.carrier_account, version = row.version, error = %e,
            "a stored rate card no longer parses; its quotes answer as errors until it is uploaded again");
    });
    ActiveCard {
        carrier_account: row.carrier_account,
        version: row.version,
        card,
    }
}

/// Card quotes and per-card errors for a rates response.
#[derive(Debug, Default)]
pub struct CardQuotes {
    pub quotes: Vec<RateQuote>,
    pub errors: Vec<RateError>,
}

/// `account`: the card's carrier account, or `ratecard` for a problem of every card;
/// `owner`: the rate-less carrier account the card quotes for, if any.
fn card_error(
    owner: Option<&RegisteredCarrier>,
    account: &str,
    code: &str,
    detail: String,
) -> RateError {
    RateError {
        carrier: owner.map_or(CARRIER_ID, |a| a.id).into(),
        carrier_account: account.into(),
        code: code.into(),
        detail,
    }
}

/// Where a rate request's address is, for zoning; a field error when the table cannot say.
fn locate(address: &Address, pointer: &str) -> Result<Location, FieldError> {
    if address.country != "IN" {
        return Err(FieldError {
            pointer: format!("{pointer}/country"),
            code: "not_domestic".into(),
            detail: "rate cards price shipments within India".into(),
        });
    }
    let pin = address.postal_code.as_str();
    ratecard::india().lookup(pin).ok_or_else(|| FieldError {
        pointer: format!("{pointer}/postal_code"),
        code: "unknown_pincode".into(),
        detail: format!(
            "PIN code {pin} is not in India Post's directory, so no rate card can zone it"
        ),
    })
}

/// Prices `req` on the cards it asks for. A card uploaded under the account of a carrier
/// with no rate API (`capabilities.rates` false: Blue Dart, say) quotes as that carrier,
/// booking the card's `service`, and is asked when `carriers` is absent or names that
/// carrier or account; every other card quotes as `ratecard`, asked when `carriers` is
/// absent or names `ratecard`. A carrier without a rate API that `carriers` names but no
/// card prices gets one `no_rate_card` entry saying how to add one.
///
/// `explicit` says the caller named `ratecard`: then addresses the cards cannot zone are
/// the request's fault (`Err`, a 422 at the address's pointer); otherwise they are one
/// entry in `errors[]` per source asked, so a request to every carrier still gets the
/// carriers' quotes.
pub fn quote(
    cards: &[ActiveCard],
    req: &RateRequest,
    explicit: bool,
    accounts: &Accounts,
) -> Result<CardQuotes, Vec<FieldError>> {
    let mut out = CardQuotes::default();
    let named = |names: &[&str]| {
        req.carriers
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|id| names.contains(&id.as_str())))
    };
    // Each card asked, with the rate-less account it quotes for (`None`: as `ratecard`).
    let asked: Vec<(&ActiveCard, Option<&RegisteredCarrier>)> = cards
        .iter()
        .map(|c| (c, priced_account(accounts, &c.carrier_account)))
        .filter(|(_, owner)| match owner {
            Some(a) => named(&[a.id, a.account]),
            None => named(&[CARRIER_ID]),
        })
        .collect();
    if let Some(ids) = &req.carriers {
        for account in ids.iter().flat_map(|id| accounts.named(id)) {
            let carded = asked
                .iter()
                .any(|(_, owner)| owner.is_some_and(|o| o.account == account.account));
            if !account.capabilities.rates && !carded {
                out.errors.push(RateError {
                    carrier: account.id.into(),
                    carrier_account: account.account.into(),
                    code: "no_rate_card".into(),
                    detail: format!(
                        "{} publishes no rate API; upload your contract's rate card with PUT /v1/rate-cards/{} to quote it",
                        account.id, account.account
                    ),
                });
            }
        }
    }
    // A carrier's own refusal of the lane comes before any card problem, as its rate API's
    // would (`service::rates`).
    let asked: Vec<_> = asked
        .into_iter()
        .filter(|(active, owner)| {
            let refusal = owner.and_then(|a| a.lane_refusal(&req.from.country, &req.to.country));
            if let (Some(owner), Some(reason)) = (owner, refusal) {
                out.errors.push(card_error(
                    Some(owner),
                    &active.carrier_account,
                    NOT_SERVICEABLE,
                    reason,
                ));
                return false;
            }
            true
        })
        .collect();
    if explicit && !asked.iter().any(|(_, owner)| owner.is_none()) {
        out.errors.push(card_error(
            None,
            CARRIER_ID,
            "no_rate_cards",
            "no rate card is uploaded; add one with PUT /v1/rate-cards/{carrier_account}".into(),
        ));
    }
    if asked.is_empty() {
        return Ok(out);
    }
    let (from, to) = match (locate(&req.from, "/from"), locate(&req.to, "/to")) {
        (Ok(from), Ok(to)) => (from, to),
        (from, to) => {
            let problems: Vec<FieldError> = [from.err(), to.err()].into_iter().flatten().collect();
            if explicit {
                return Err(problems);
            }
            // One entry per source asked: `ratecard`, and each carrier priced by a card.
            let mut sources: Vec<Option<&RegisteredCarrier>> = Vec::new();
            for (_, owner) in &asked {
                if !sources
                    .iter()
                    .any(|s| s.map(|a| a.account) == owner.map(|a| a.account))
                {
                    sources.push(*owner);
                }
            }
            for owner in sources {
                let account = owner.map_or(CARRIER_ID, |a| a.account);
                out.errors.extend(problems.iter().map(|p| {
                    card_error(
                        owner,
                        account,
                        &p.code,
                        format!("{}: {}", p.pointer, p.detail),
                    )
                }));
            }
            return Ok(out);
        }
    };
    let cod = req.payment.cod_amount();
    for (active, owner) in asked {
        let name = format!("card `{}` v{}", active.carrier_account, active.version);
        let account = active.carrier_account.as_str();
        let card = match &active.card {
            Ok(card) => card,
            Err(e) => {
                out.errors.push(card_error(
                    owner,
                    account,
                    "card_unreadable",
                    format!("{name}: {e}"),
                ));
                continue;
            }
        };
        let quote = match ratecard::price(card, &from, &to, &req.parcels, cod) {
            Ok(pricing) => pricing.into_quote(card, account),
            Err(e) => {
                out.errors
                    .push(card_error(owner, account, e.code(), format!("{name}: {e}")));
                continue;
            }
        };
        match owner {
            None => out.quotes.push(quote),
            Some(owner) => match as_carrier_quote(quote, card, owner) {
                Ok(q) => out.quotes.push(q),
                Err((code, detail)) => out.errors.push(card_error(
                    Some(owner),
                    account,
                    code,
                    format!("{name}: {detail}"),
                )),
            },
        }
    }
    Ok(out)
}

/// The active account `account` names when it is one of a carrier without a rate API:
/// its card then prices that carrier's bookings.
pub fn priced_account<'a>(accounts: &'a Accounts, account: &str) -> Option<&'a RegisteredCarrier> {
    accounts
        .all()
        .find(|a| a.account == account && !a.capabilities.rates)
        .map(|a| &**a)
}

/// A card quote as the quote of the carrier account the card prices: bookable, with the
/// card's service, when the account takes that service.
fn as_carrier_quote(
    mut quote: RateQuote,
    card: &RateCard,
    owner: &RegisteredCarrier,
) -> Result<RateQuote, (&'static str, String)> {
    let Some(service) = &card.service else {
        return Err((
            "card_without_service",
            format!(
                "{} publishes no rate API, so this card quotes it; name the {} service the contract prices in the card's `service` to make its quotes bookable",
                owner.id, owner.id
            ),
        ));
    };
    if !owner.offers(service) {
        return Err((
            "service_not_offered",
            format!(
                "account {} is not enabled for service `{service}`",
                owner.account
            ),
        ));
    }
    quote.carrier = owner.id.into();
    quote.carrier_account = owner.account.into();
    quote.service = service.clone();
    quote.service_name = card.name.clone();
    Ok(quote)
}
