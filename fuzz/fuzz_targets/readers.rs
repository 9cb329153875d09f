//! Every reader of outside input in one fuzz binary: `SHIPGATE_FUZZ_TARGET` names the
//! reader (`conformance::parsers()`: `delhivery_track`, `shipment_request`, …), and
//! `SHIPGATE_FUZZ_TARGET=list` prints their names. One binary rather than one per reader
//! because each would link every carrier: with about a hundred readers, the links were
//! most of a clean fuzz build. `scripts/fuzz.sh` runs it once per reader, each with its
//! own corpus, seeds and artifacts, as separate targets would.
#![no_main]

use std::sync::OnceLock;

static READER: OnceLock<&'static conformance::Parser> = OnceLock::new();

libfuzzer_sys::fuzz_target!(
    init: {
        let name = std::env::var("SHIPGATE_FUZZ_TARGET").unwrap_or_default();
        if name == "list" {
            for parser in conformance::parsers() {
                println!("{}", parser.name);
            }
            std::process::exit(0);
        }
        let Some(parser) = conformance::parsers().find(|p| p.name == name) else {
            eprintln!(
                "SHIPGATE_FUZZ_TARGET={name:?} names no reader; `list` prints them: {}",
                conformance::parsers().map(|p| p.name).collect::<Vec<_>>().join(", ")
            );
            std::process::exit(2);
        };
        READER.set(parser).ok();
    },
    |data: &[u8]| {
        READER.get().expect("set at start-up").read(data);
    }
);
