#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| conformance::fuzz("dhl_express_documents", data));
