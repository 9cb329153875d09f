//! API keys: authenticated keys are remembered in process for `auth.key_cache_ttl_secs`,
//! so revoking one takes effect within that time; with 0 it takes effect at once.

use crate::common;

use std::time::Duration;

use common::{TestApp, spawn_app_with};
use sqlx::AnyPool;

/// Revokes a key the way an operator would: in the database, behind the gateway's back.
async fn revoke(app: &TestApp, key: &str) {
    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(&app.database_url).await.unwrap();
    let revoked = sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE key_hash = $2")
        .bind(chrono::Utc::now().timestamp_millis())
        .bind(shipgate::auth::hash_key(key))
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(revoked.rows_affected(), 1);
    pool.close().await;
}

async fn status_with(app: &TestApp, key: &str) -> u16 {
    app.client
        .get(app.url("/v1/carriers"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_revoked_key_stops_working_within_the_cache_ttl() {
    let app = spawn_app_with(|c| c.auth.key_cache_ttl_secs = 3).await;
    let key = app
        .key_for_tenant("acme", shipgate::store::Role::Read)
        .await;
    assert_eq!(status_with(&app, &key).await, 200);
    revoke(&app, &key).await;
    // Remembered: no database lookup, so the revocation is not seen yet.
    assert_eq!(status_with(&app, &key).await, 200);
    tokio::time::sleep(Duration::from_millis(3500)).await;
    assert_eq!(status_with(&app, &key).await, 401);
    // The cache never hides a key the database knows: the others still work.
    assert_eq!(status_with(&app, &app.api_key).await, 200);
}

#[tokio::test]
async fn without_the_cache_revocation_is_immediate_and_new_keys_work_at_once() {
    let app = spawn_app_with(|c| c.auth.key_cache_ttl_secs = 0).await;
    let key = app
        .key_for_tenant("acme", shipgate::store::Role::Read)
        .await;
    assert_eq!(status_with(&app, &key).await, 200);
    revoke(&app, &key).await;
    assert_eq!(status_with(&app, &key).await, 401);

    // Unknown keys are not remembered (with the cache on too): a key refused once works
    // as soon as it exists.
    let cached = spawn_app_with(|_| {}).await;
    let later = shipgate::auth::generate_key();
    assert_eq!(status_with(&cached, &later).await, 401);
    let store = &cached.state.store;
    let tenant = store.ensure_tenant("acme").await.unwrap();
    store
        .add_api_key(
            &tenant.id,
            shipgate::store::Role::Read,
            &shipgate::auth::hash_key(&later),
            "sg_",
            None,
        )
        .await
        .unwrap();
    assert_eq!(status_with(&cached, &later).await, 200);
}
