//! The carriers' reference in `docs/carriers.md` keeps up with the registry: every
//! registered carrier has a row in its table and every setting of every carrier is listed,
//! so an operator never has to read an adapter to configure an account.

use std::path::PathBuf;

fn carriers_doc() -> String {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/carriers.md"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_carrier_and_each_of_its_settings_is_in_docs_carriers_md() {
    let doc = carriers_doc();
    let mut missing = Vec::new();
    for spec in carriers::registry() {
        let row = format!("| {} (`{}`) |", spec.name, spec.id);
        if !doc.contains(&row) {
            missing.push(format!("no row `{row}` in the table"));
        }
        for setting in spec.settings {
            let variable = format!(
                "`SHIPGATE_CARRIERS__{}__{}`",
                spec.id.to_uppercase(),
                setting.key.to_uppercase()
            );
            if !doc.contains(&variable) {
                missing.push(format!("{}: {variable} is not listed", spec.id));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "docs/carriers.md is behind the registry (run scripts/carrier-settings-doc.py for the settings):\n{}",
        missing.join("\n")
    );
}
