//! Tenants' carrier accounts at rest (issue 16), on both engines: credentials sealed per
//! account and field, never in the database in plain text, opened only with the right
//! master key, and kept through a master-key rotation.

use crate::common;

use std::collections::BTreeMap;

use common::spawn_app;
use shipgate::sealed::{Keyring, MasterKey, SealError};
use shipgate::service::carrier_accounts::{
    Credentials, credential_fields, open_credentials, open_push_secret, rewrap_all,
    seal_credentials, seal_push_secret,
};
use shipgate::store::{AccountChange, NewAccount, Store};
use zeroize::Zeroizing;

fn credentials(token: &str) -> Credentials {
    BTreeMap::from([
        ("api_token".to_string(), Zeroizing::new(token.to_string())),
        (
            "password".to_string(),
            Zeroizing::new(format!("{token}-password")),
        ),
    ])
}

async fn add(store: &Store, keys: &Keyring, tenant: &str, id: &str, token: &str) {
    let sealed = seal_credentials(keys, tenant, id, &credentials(token));
    store
        .add_carrier_account(&NewAccount {
            tenant_id: tenant,
            id,
            carrier: "delhivery",
            name: &format!("{tenant} {id}"),
            settings_json: r#"{"pickup_location":"WH-1"}"#,
            credentials_json: &sealed,
            push_token: &format!("push-{id}"),
            push_secret: &seal_push_secret(keys, tenant, id, &format!("PUSH-{token}")),
            options_json: "{}",
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn credentials_are_sealed_per_account_and_never_stored_in_plain_text() {
    let app = spawn_app().await;
    let store = &app.state.store;
    let keys = Keyring::new(MasterKey::generate("k1"), Vec::new());
    add(store, &keys, "tenant_a", "ca_a", "TOKEN-OF-TENANT-A-7f3e").await;
    add(store, &keys, "tenant_b", "ca_b", "TOKEN-OF-TENANT-B-91c2").await;

    let a = store
        .carrier_account("tenant_a", "ca_a")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(credential_fields(&a).unwrap(), ["api_token", "password"]);
    let opened = open_credentials(&keys, &a).unwrap();
    assert_eq!(opened["api_token"].as_str(), "TOKEN-OF-TENANT-A-7f3e");
    assert!(
        store
            .carrier_account("tenant_b", "ca_a")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.carrier_accounts("tenant_b").await.unwrap().len(), 1);

    let stored = common::raw_database(&app.database_url);
    assert!(
        stored.contains("pickup_location"),
        "the dump reads the accounts"
    );
    for secret in [
        "TOKEN-OF-TENANT-A",
        "TOKEN-OF-TENANT-B",
        "-password",
        "PUSH-",
    ] {
        assert!(!stored.contains(secret), "{secret} stored in plain text");
    }

    // Tenant B's sealed credentials copied into tenant A's row do not open there.
    let b = store
        .carrier_account("tenant_b", "ca_b")
        .await
        .unwrap()
        .unwrap();
    let change = AccountChange {
        credentials_json: Some(b.credentials_json.clone()),
        ..AccountChange::default()
    };
    assert!(
        store
            .change_carrier_account("tenant_a", "ca_a", &change)
            .await
            .unwrap()
            .is_some()
    );
    let moved = store
        .carrier_account("tenant_a", "ca_a")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        open_credentials(&keys, &moved).unwrap_err(),
        SealError::DoesNotOpen("k1".into())
    );

    // A wrong master key fails closed, naming the key and nothing else.
    let wrong = Keyring::new(MasterKey::generate("k1"), Vec::new());
    let error = open_credentials(&wrong, &b).unwrap_err();
    assert_eq!(error, SealError::DoesNotOpen("k1".into()));
    assert!(!error.to_string().contains("TOKEN"));
    let missing = Keyring::new(MasterKey::generate("k2"), Vec::new());
    assert_eq!(
        open_credentials(&missing, &b).unwrap_err(),
        SealError::UnknownKey("k1".into())
    );

    // One account per carrier and name in a tenant.
    let again = store
        .add_carrier_account(&NewAccount {
            tenant_id: "tenant_b",
            id: "ca_b2",
            carrier: "delhivery",
            name: "tenant_b ca_b",
            settings_json: "{}",
            credentials_json: "{}",
            push_token: "push-ca_b2",
            push_secret: "",
            options_json: "{}",
        })
        .await;
    assert!(again.is_err());
    assert!(
        store
            .delete_carrier_account("tenant_b", "ca_b")
            .await
            .unwrap()
    );
    assert!(
        !store
            .delete_carrier_account("tenant_b", "ca_b")
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_master_key_rotation_keeps_every_account_working() {
    let app = spawn_app().await;
    let store = &app.state.store;
    let old = MasterKey::generate("2026-06");
    let old_text = old.export();
    let before = Keyring::new(old, Vec::new());
    for (tenant, id) in [("t1", "ca_1"), ("t2", "ca_2"), ("t2", "ca_3")] {
        add(store, &before, tenant, id, &format!("SECRET-{id}")).await;
    }
    let disable = AccountChange {
        enabled: Some(false),
        ..AccountChange::default()
    };
    assert!(
        store
            .change_carrier_account("t2", "ca_3", &disable)
            .await
            .unwrap()
            .is_some()
    );
    let changed_at: Vec<i64> = store
        .all_carrier_accounts()
        .await
        .unwrap()
        .iter()
        .map(|a| a.credentials_changed_at)
        .collect();

    let new = MasterKey::generate("2026-12");
    let new_text = new.export();
    let during = Keyring::new(new, vec![MasterKey::parse(&old_text).unwrap()]);
    assert_eq!(rewrap_all(store, &during).await.unwrap(), 3);
    assert_eq!(
        rewrap_all(store, &during).await.unwrap(),
        0,
        "nothing left to re-wrap"
    );

    // After the rotation the old key is no longer needed.
    let after = Keyring::new(MasterKey::parse(&new_text).unwrap(), Vec::new());
    let accounts = store.all_carrier_accounts().await.unwrap();
    for account in &accounts {
        let opened = open_credentials(&after, account).unwrap();
        assert_eq!(
            opened["api_token"].as_str(),
            format!("SECRET-{}", account.id)
        );
        assert!(account.credentials_json.contains("v1.2026-12."));
        let push = open_push_secret(&after, account).unwrap();
        assert!(
            push.starts_with("PUSH-SECRET-"),
            "the push secret re-wrapped too"
        );
    }
    assert_eq!(
        accounts
            .iter()
            .map(|a| a.credentials_changed_at)
            .collect::<Vec<_>>(),
        changed_at,
        "a re-wrap is not a credential change"
    );
    assert!(!accounts.iter().find(|a| a.id == "ca_3").unwrap().enabled);
}
