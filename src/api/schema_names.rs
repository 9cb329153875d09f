//! One schema per name in the OpenAPI document. utoipa keeps one schema per name and drops
//! the others without a word: two types called `Rule` (selection rules, NDR policies) left
//! NDR policies documented with the selection rules' schema, and the generated clients
//! (`clients/`) with the wrong types. This test collects every route's schemas before the
//! document merges them and fails on a name given to two different schemas; rename one
//! with `#[schema(as = ...)]`.

use std::collections::BTreeMap;

use utoipa::OpenApi;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa_actix_web::OpenApiFactory;

use super::*;

/// Stands in for the app in `every_route!`: keeps each route's schemas, all of them.
#[derive(Default)]
struct Collected(Vec<(String, RefOr<Schema>)>);

impl Collected {
    fn service<F: OpenApiFactory>(&mut self, factory: F) -> &mut Self {
        factory.schemas(&mut self.0);
        self
    }
}

#[test]
fn no_two_schemas_share_a_name() {
    let mut collected = Collected::default();
    every_route!(collected);
    let listed = ApiDoc::openapi()
        .components
        .map(|c| c.schemas)
        .unwrap_or_default();
    let mut by_name: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for (name, schema) in collected.0.into_iter().chain(listed) {
        let schema = serde_json::to_value(schema).expect("a schema serialises");
        let seen = by_name.entry(name).or_default();
        if !seen.contains(&schema) {
            seen.push(schema);
        }
    }
    let clashes: Vec<&str> = by_name
        .iter()
        .filter(|(_, schemas)| schemas.len() > 1)
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(
        clashes.is_empty(),
        "names given to different schemas (the document keeps one of each): {clashes:?}"
    );
}
