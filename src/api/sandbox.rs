//! `/sandbox/<carrier>/…`: the carrier simulators over real HTTP (sandbox mode only).

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use carriers::simulator::SimRequest;

use crate::app::AppState;
use crate::error::ApiError;

pub async fn serve(
    State(state): State<AppState>,
    Path((carrier, path)): Path<(String, String)>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let simulator = state
        .registry
        .simulator(&carrier)
        .ok_or_else(|| ApiError::NotFound(format!("no sandbox for carrier `{carrier}`")))?
        .clone();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| format!("http://{h}"))
        .unwrap_or_else(|| state.public_url.clone());
    let request = SimRequest {
        method: method.as_str().to_string(),
        path: format!("/{path}"),
        query: query
            .as_deref()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default(),
        headers: headers
            .iter()
            .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect(),
        body: body.to_vec(),
        base_url: format!("{host}/sandbox/{carrier}"),
    };
    // Simulators are pure and fast, but keep them off the async workers all the same.
    let response = tokio::task::spawn_blocking(move || simulator.handle(&request))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("simulator panicked: {e}")))?;
    let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    Ok((
        status,
        [(header::CONTENT_TYPE, response.content_type)],
        response.body,
    )
        .into_response())
}
