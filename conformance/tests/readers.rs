//! The conformance checks of every registered carrier's answer readers, which need no
//! gateway (the rest of the suite is `tests/it/conformance.rs` at the repository root):
//! each reader is listed in the carrier's harness with a fuzz target, none panics on any
//! of the carrier's fixtures cut at any byte, and every status code in its fixtures and
//! public samples is mapped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use carriers::carrier::CarrierSpec;
use carriers::taxonomy::SubStatus;

/// The repository root.
fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn harness(spec: &CarrierSpec) -> &'static conformance::Harness {
    conformance::harness(spec.id).unwrap_or_else(|| {
        panic!(
            "carrier `{}` has no conformance harness: list its answer readers in \
             conformance/src/{}.rs and HARNESSES (docs/adding-a-carrier.md)",
            spec.id, spec.id
        )
    })
}

/// The files of a directory, sorted, READMEs left out.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.ends_with("README.md"))
        .collect();
    files.sort();
    files
}

fn fixtures(carrier: &str) -> Vec<PathBuf> {
    let files = files(&root().join("fixtures").join(carrier));
    assert!(!files.is_empty(), "fixtures/{carrier} has no fixtures");
    files
}

/// The carrier's public samples: in CI they must be there; elsewhere a missing
/// `../shared/carrier-samples` is reported and skipped.
fn samples(harness: &conformance::Harness) -> Vec<PathBuf> {
    let Some(samples) = harness.samples else {
        return Vec::new();
    };
    let dir = root().join("../shared/carrier-samples").join(samples);
    if !dir.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing: CI must have ../shared/carrier-samples beside the checkout",
            dir.display()
        );
        eprintln!("{} missing; samples not replayed", dir.display());
        return Vec::new();
    }
    files(&dir)
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

// ---------------------------------------------------------------------------------------
// Readers
// ---------------------------------------------------------------------------------------

/// Every reader is a fuzz target by its name (the one fuzz binary runs the reader
/// `SHIPGATE_FUZZ_TARGET` names): names must be unique and start with their carrier, so a
/// target says whose reader it runs, and the binary must dispatch through
/// `conformance::parsers()`.
#[test]
fn every_reader_of_every_carrier_is_a_fuzz_target_by_its_name() {
    let mut named = BTreeSet::new();
    for spec in carriers::registry() {
        let harness = harness(&spec);
        assert!(!harness.parsers.is_empty(), "{} lists no readers", spec.id);
        for parser in harness.parsers {
            assert!(
                parser.name.starts_with(&format!("{}_", spec.id)),
                "{}: a reader's name starts with its carrier",
                parser.name
            );
            assert!(
                named.insert(parser.name),
                "two readers named {}",
                parser.name
            );
        }
    }
    for parser in conformance::OTHERS {
        assert!(
            named.insert(parser.name),
            "two readers named {}",
            parser.name
        );
    }
    assert_eq!(named.len(), conformance::parsers().count());
    let binary = std::fs::read_to_string(root().join("fuzz/fuzz_targets/readers.rs")).unwrap();
    assert!(
        binary.contains("conformance::parsers()"),
        "the fuzz binary runs the readers"
    );
    let targets = files(&root().join("fuzz/fuzz_targets"));
    assert_eq!(
        targets.len(),
        1,
        "one fuzz binary for every reader: {targets:?}"
    );
}

/// Runs `read` on `data`, returning the panic's message instead of unwinding.
fn without_panic<T>(read: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

/// Every fixture, whole and cut at each byte, through the readers of its carrier that it
/// is for: what a connection dropped mid-answer delivers.
#[test]
fn no_reader_panics_on_a_fixture_cut_at_any_byte() {
    // The readers' own assertion messages are collected below; the default hook would
    // print thousands of them.
    std::panic::set_hook(Box::new(|_| {}));
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = carriers::registry()
            .into_iter()
            .map(|spec| {
                scope.spawn(move || {
                    let harness = harness(&spec);
                    let mut failures = Vec::new();
                    for fixture in fixtures(spec.id) {
                        let bytes = std::fs::read(&fixture).unwrap();
                        // The readers a fixture is for; all of them for a refusal that
                        // none reads (a cut costs time in the square of the length).
                        let mut readers: Vec<_> = harness
                            .parsers
                            .iter()
                            .filter(|p| without_panic(|| p.accepts(&bytes)).unwrap_or(true))
                            .collect();
                        if readers.is_empty() {
                            readers = harness.parsers.iter().collect();
                        }
                        for parser in readers {
                            for cut in (0..=bytes.len()).rev() {
                                if let Err(panic) = without_panic(|| parser.read(&bytes[..cut])) {
                                    failures.push(format!(
                                        "{} on {} cut at {cut} of {}: {panic}",
                                        parser.name,
                                        name(&fixture),
                                        bytes.len()
                                    ));
                                    break;
                                }
                            }
                        }
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let _ = std::panic::take_hook();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A code no mapping row knows is kept as `unknown/unmapped`, never guessed; in what a
/// carrier has really sent (its samples) and in the project's fixtures that is a missing
/// row. Fixtures named `*unmapped*` exist to show the fallback and are exempt.
#[test]
fn every_code_in_fixtures_and_samples_is_mapped() {
    std::panic::set_hook(Box::new(|_| {}));
    let mut unmapped = Vec::new();
    let mut events = 0;
    for spec in carriers::registry() {
        let harness = harness(&spec);
        let mut read = fixtures(spec.id);
        read.retain(|f| !name(f).contains("unmapped"));
        read.extend(samples(harness));
        for file in read {
            let bytes = std::fs::read(&file).unwrap();
            for parser in harness.parsers {
                // A reader given another operation's answer may refuse it in any way.
                let Ok(read) = without_panic(|| parser.read(&bytes)) else {
                    continue;
                };
                events += read.len();
                for e in read.iter().filter(|e| e.sub_status == SubStatus::Unmapped) {
                    unmapped.push(format!(
                        "{}: {} code {:?} ({:?}) in {}",
                        spec.id,
                        parser.name,
                        e.carrier_code,
                        e.carrier_status,
                        name(&file)
                    ));
                }
            }
        }
    }
    let _ = std::panic::take_hook();
    unmapped.sort();
    unmapped.dedup();
    assert!(unmapped.is_empty(), "unmapped:\n{}", unmapped.join("\n"));
    assert!(events > 0, "no fixture or sample was read as tracking");
}
