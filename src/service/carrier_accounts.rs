//! Tenants' carrier accounts (issue 16): credentials are sealed before they reach the
//! store and opened only where an adapter is built from them.
//!
//! Each field is sealed on its own and bound to `<tenant>/<account>/<field>`, so a value
//! copied to another account, tenant or field does not open there.

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use crate::sealed::{Keyring, SealError};
use crate::store::{AccountRow, Store};

/// Credential fields and their plain values, wiped from memory when dropped.
pub type Credentials = BTreeMap<String, Zeroizing<String>>;

fn context(tenant_id: &str, account_id: &str, field: &str) -> String {
    format!("{tenant_id}/{account_id}/{field}")
}

/// The credentials as the store keeps them: each field → its sealed value, as JSON.
pub fn seal_credentials(
    keys: &Keyring,
    tenant_id: &str,
    account_id: &str,
    credentials: &Credentials,
) -> String {
    let sealed: BTreeMap<&str, String> = credentials
        .iter()
        .map(|(field, value)| {
            let sealed = keys.seal(value, &context(tenant_id, account_id, field));
            (field.as_str(), sealed)
        })
        .collect();
    serde_json::to_string(&sealed).expect("a map of strings serialises")
}

/// The stored account's credentials, opened.
pub fn open_credentials(keys: &Keyring, account: &AccountRow) -> Result<Credentials, SealError> {
    sealed_fields(account)?
        .into_iter()
        .map(|(field, sealed)| {
            let plain = keys.open(&sealed, &context(&account.tenant_id, &account.id, &field))?;
            Ok((field, plain))
        })
        .collect()
}

fn sealed_fields(account: &AccountRow) -> Result<BTreeMap<String, String>, SealError> {
    serde_json::from_str(&account.credentials_json)
        .map_err(|_| SealError::Malformed("the stored credentials are not a JSON object"))
}

/// Which credential fields an account has, without opening any: what `GET` shows.
pub fn credential_fields(account: &AccountRow) -> Result<Vec<String>, SealError> {
    Ok(sealed_fields(account)?.into_keys().collect())
}

/// Where the push secret is bound: no credential field starts with `_`, so it cannot
/// be taken for one.
const PUSH_SECRET: &str = "_push_secret";

/// The account's push secret, sealed as the store keeps it.
pub fn seal_push_secret(keys: &Keyring, tenant_id: &str, account_id: &str, secret: &str) -> String {
    keys.seal(secret, &context(tenant_id, account_id, PUSH_SECRET))
}

/// The stored account's push secret, opened.
pub fn open_push_secret(
    keys: &Keyring,
    account: &AccountRow,
) -> Result<Zeroizing<String>, SealError> {
    keys.open(
        &account.push_secret,
        &context(&account.tenant_id, &account.id, PUSH_SECRET),
    )
}

/// Re-wraps every stored credential and push secret under the current master key (after
/// `SHIPGATE_MASTER_KEY` changed, with the old key in `SHIPGATE_MASTER_KEYS_PREVIOUS`).
/// Values are not re-encrypted and no plain credential is written anywhere; an account
/// another process re-sealed meanwhile is left to it. Returns how many accounts changed.
/// Stops at the first value that does not open: a rotation never drops a credential.
pub async fn rewrap_all(store: &Store, keys: &Keyring) -> anyhow::Result<usize> {
    let mut changed = 0;
    for account in store.all_carrier_accounts().await? {
        let mut fields = sealed_fields(&account)?;
        let mut any = false;
        for sealed in fields.values_mut() {
            if let Some(rewrapped) = keys.rewrap(sealed)? {
                *sealed = rewrapped;
                any = true;
            }
        }
        let mut push_secret = account.push_secret.clone();
        if !push_secret.is_empty()
            && let Some(rewrapped) = keys.rewrap(&push_secret)?
        {
            push_secret = rewrapped;
            any = true;
        }
        if !any {
            continue;
        }
        let json = serde_json::to_string(&fields)?;
        if store
            .reseal_carrier_account(
                &account.tenant_id,
                &account.id,
                (&account.credentials_json, &account.push_secret),
                (&json, &push_secret),
            )
            .await?
        {
            changed += 1;
        }
    }
    tracing::info!(
        accounts = changed,
        master_key = keys.current_id(),
        "carrier credentials re-wrapped under the current master key"
    );
    Ok(changed)
}
