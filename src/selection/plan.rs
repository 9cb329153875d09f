//! Which carriers a booking of `req` would try, in order, and why — without booking.
//!
//! An `auto` booking (`booking`) tries these candidates; a dry run (`service::dry_runs`)
//! only reports them. Both shop the same way (the rate shop within its default deadline,
//! then the tenant's rate cards for carriers without a rate API) and rank by the same
//! rules, so a dry run answers exactly what a booking made now would try first.

use std::sync::Arc;

use carriers::ratecard::CARRIER_ID;
use carriers::schema::{Objective, RateQuote, RateRequest, ShipmentRequest};

use super::Selection;
use super::booking::MAX_ATTEMPTS;
use crate::error::ApiError;
use crate::registry::Accounts;
use crate::service::rate_cards::{self, RateCards};
use crate::service::rates::{RateResponse, RateShop};

/// What shopping and ranking gave for one request.
pub struct Plan {
    pub rule_set_version: Option<i64>,
    pub objective: Objective,
    /// The evaluation's reasons, then why ranked quotes were skipped.
    pub reasons: Vec<String>,
    /// The quotes to try in order: one per account that can book, at most
    /// [`MAX_ATTEMPTS`]; never empty.
    pub candidates: Vec<RateQuote>,
    /// Every quote the rules kept, best first (the candidates among them).
    pub ranked: Vec<RateQuote>,
}

/// Shops and ranks; cloned into every user (its parts are shared).
#[derive(Clone)]
pub struct Planner {
    rate_shop: Arc<RateShop>,
    rate_cards: Arc<RateCards>,
    selection: Arc<Selection>,
}

impl Planner {
    pub fn new(
        rate_shop: Arc<RateShop>,
        rate_cards: Arc<RateCards>,
        selection: Arc<Selection>,
    ) -> Planner {
        Planner {
            rate_shop,
            rate_cards,
            selection,
        }
    }

    /// Every quote for `rate_req` among `accounts`: the rate shop's, then the tenant's
    /// cards for carriers without a rate API (`ratecard` itself books nothing and is left
    /// out), with the lane's history where a quote has no delivery date.
    pub async fn quotes(
        &self,
        tenant_id: &str,
        accounts: &Accounts,
        rate_req: &RateRequest,
    ) -> Result<RateResponse, ApiError> {
        let shop = &self.rate_shop;
        let mut quoted = RateResponse::clone(
            &shop
                .quote(tenant_id, accounts, rate_req, shop.default_deadline())
                .await
                .response,
        );
        let cards = self.rate_cards.active(tenant_id).await?;
        if let Ok(carded) = rate_cards::quote(&cards, rate_req, false, accounts) {
            let (quotes, errors) = (carded.quotes.into_iter(), carded.errors.into_iter());
            quoted.merge(
                quotes.filter(|q| q.carrier != CARRIER_ID).collect(),
                errors.filter(|e| e.carrier != CARRIER_ID).collect(),
            );
        }
        self.selection
            .scores
            .estimate_quotes(tenant_id, rate_req, &mut quoted.quotes, super::today())
            .await?;
        Ok(quoted)
    }

    /// The candidates an `auto` booking of `req` tries; a 422 at `/carrier` when no
    /// carrier can be chosen.
    pub async fn plan(
        &self,
        tenant_id: &str,
        accounts: &Accounts,
        req: &ShipmentRequest,
    ) -> Result<Plan, ApiError> {
        let rate_req = RateRequest::for_shipment(req);
        let quoted = self.quotes(tenant_id, accounts, &rate_req).await?;
        let (active, evaluation) = self
            .selection
            .decide(tenant_id, &rate_req, &quoted.quotes)
            .await?;
        let mut reasons = evaluation.reasons.clone();
        let mut candidates: Vec<RateQuote> = Vec::new();
        for c in &evaluation.ranked {
            let q = &c.quote;
            if candidates
                .iter()
                .any(|other| other.carrier_account == q.carrier_account)
            {
                // One attempt per carrier account: an account that refused one service for
                // this parcel (or could not be reached) is not asked again for another.
                continue;
            }
            if !accounts
                .get(&q.carrier_account)
                .is_some_and(|r| r.capabilities.create_shipment)
            {
                reasons.push(format!(
                    "{}/{} skipped: this gateway cannot book with {}",
                    q.carrier_account, q.service, q.carrier_account
                ));
                continue;
            }
            if candidates.len() == MAX_ATTEMPTS {
                break;
            }
            candidates.push(q.clone());
        }
        if candidates.is_empty() {
            let errors: Vec<String> = quoted
                .errors
                .iter()
                .map(|e| format!("{}: {}", e.carrier_account, e.code))
                .collect();
            if !errors.is_empty() {
                reasons.push(format!(
                    "carriers that gave no quote: {}",
                    errors.join(", ")
                ));
            }
            return Err(ApiError::Validation(vec![carriers::schema::FieldError {
                pointer: "/carrier".into(),
                code: "no_carrier_available".into(),
                detail: format!("no carrier can be chosen: {}", reasons.join("; ")),
            }]));
        }
        Ok(Plan {
            rule_set_version: active.as_ref().map(|a| a.version),
            objective: evaluation.objective,
            reasons,
            candidates,
            ranked: evaluation.ranked.iter().map(|c| c.quote.clone()).collect(),
        })
    }
}
