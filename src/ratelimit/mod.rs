//! Rate limiting (being written): per-tenant limits by route class, and per-carrier
//! outbound quotas.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::AppState;
use crate::config::LimitsConfig;
use crate::redis::Redis;

pub struct Limiter {}

impl Limiter {
    pub fn new(config: &LimitsConfig, redis: Option<Redis>) -> Limiter {
        let _ = (config, redis);
        Limiter {}
    }
}

pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let _ = &state.limiter;
    next.run(request).await
}
