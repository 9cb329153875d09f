//! Rate shopping: every eligible carrier is asked at once; the answer holds the quotes of
//! those that answered, cheapest first, and a per-carrier error list for the rest. A
//! carrier failing is a normal partial result, not a failed request.

use std::sync::Arc;

use carriers::schema::{RateQuote, RateRequest};
use carriers::{CarrierError, Operation};
use futures::future::join_all;
use serde::Serialize;
use utoipa::ToSchema;

use crate::executor::observe;
use crate::registry::{RegisteredCarrier, Registry};

#[derive(Debug, Serialize, ToSchema)]
pub struct RateError {
    pub carrier: String,
    /// The carrier's code for a rejection, else the failure class (`timeout`, …).
    pub code: String,
    pub detail: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RateResponse {
    pub quotes: Vec<RateQuote>,
    pub errors: Vec<RateError>,
    /// The quote the tenant's selection rules pick, and why (see the README's "Carrier
    /// selection"); `carrier: auto` books this one first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<crate::selection::Recommendation>,
}

impl RateResponse {
    /// Adds quotes and errors from another source (rate cards), keeping the order.
    pub fn merge(&mut self, quotes: Vec<RateQuote>, errors: Vec<RateError>) {
        self.quotes.extend(quotes);
        self.errors.extend(errors);
        sort(&mut self.quotes);
    }
}

/// Cheapest first, then fastest, then by carrier: the same order for every request.
fn sort(quotes: &mut [RateQuote]) {
    quotes.sort_by(|a, b| {
        a.total
            .amount
            .cmp(&b.total.amount)
            .then(a.transit_days.cmp(&b.transit_days))
            .then(a.carrier.cmp(&b.carrier))
            .then(a.service.cmp(&b.service))
    });
}

/// Carriers to ask: those named in the request, else every enabled one that quotes.
pub fn eligible(registry: &Registry, req: &RateRequest) -> Vec<Arc<RegisteredCarrier>> {
    match &req.carriers {
        Some(ids) => ids
            .iter()
            .filter_map(|id| registry.get(id).cloned())
            .collect(),
        None => registry
            .all()
            .filter(|c| c.capabilities.rates)
            .cloned()
            .collect(),
    }
}

pub async fn shop(carriers: Vec<Arc<RegisteredCarrier>>, req: &RateRequest) -> RateResponse {
    let calls = carriers.into_iter().map(|c| async move {
        let result = if !c.capabilities.rates {
            Err(CarrierError::Unsupported("rates"))
        } else if req.payment.cod_amount().is_some() && !c.capabilities.cod {
            Ok(Vec::new())
        } else {
            observe(c.id, Operation::Rates, c.adapter.rates(&c.transport, req)).await
        };
        (c.id, result)
    });
    let mut quotes = Vec::new();
    let mut errors = Vec::new();
    for (carrier, result) in join_all(calls).await {
        match result {
            Ok(q) if q.is_empty() => errors.push(RateError {
                carrier: carrier.into(),
                code: "not_serviceable".into(),
                detail: "the carrier does not serve this lane for this payment mode".into(),
            }),
            Ok(q) => quotes.extend(q),
            Err(e) => errors.push(RateError {
                carrier: carrier.into(),
                code: match &e {
                    CarrierError::Rejected { code, .. } => code.clone(),
                    other => other.class().into(),
                },
                detail: e.to_string(),
            }),
        }
    }
    sort(&mut quotes);
    RateResponse {
        quotes,
        errors,
        recommendation: None,
    }
}
