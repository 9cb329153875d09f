//! The scorer on real-looking Indian addresses, junk, mismatched PIN codes and bad
//! phones, table-driven: each case names the reason codes it must (and only) produce.

use super::*;
use crate::schema::{AddressInput, Violations};

fn address(fields: serde_json::Value) -> Address {
    let mut base = serde_json::json!({
        "name": "Priya Sharma",
        "phone": "+91 98450 12345",
        "line1": "Flat 302, Sunshine Apartments, 12th Main Road",
        "line2": "Indiranagar",
        "city": "Bengaluru",
        "state": "Karnataka",
        "postal_code": "560038",
    });
    base.as_object_mut()
        .unwrap()
        .extend(fields.as_object().unwrap().clone());
    let input: AddressInput = serde_json::from_value(base).unwrap();
    let mut v = Violations::default();
    let parsed = Address::parse(&input, "/to", &mut v);
    v.finish(|| parsed.unwrap()).expect("a valid address")
}

fn codes(a: &Assessment) -> Vec<&str> {
    let mut codes: Vec<&str> = a.quality.reasons.iter().map(|r| r.code.as_str()).collect();
    codes.sort_unstable();
    codes
}

#[test]
fn real_addresses_score_good() {
    for fields in [
        serde_json::json!({}),
        serde_json::json!({"line1": "H.No. 4-5-67, Street No 8", "line2": "Himayatnagar",
            "landmark": "Opp. Sai Baba Temple", "city": "Hyderabad", "state": "Telangana",
            "postal_code": "500029", "phone": "07013456721"}),
        serde_json::json!({"line1": "B-204, Lodha Paradise, Majiwada", "line2": "Near Viviana Mall",
            "city": "Thane", "state": "MH", "postal_code": "400601", "phone": "919833012877"}),
        serde_json::json!({"line1": "#45, 2nd Cross, HSR Layout Sector 2", "city": "Bangalore",
            "state": "KA", "postal_code": "560102"}),
        serde_json::json!({"line1": "Flat 12, Sector 15", "line2": "Behind HUDA Market",
            "city": "Gurgaon", "state": "Haryana", "postal_code": "122001"}),
        serde_json::json!({"line1": "A-32, Sector 62", "city": "Noida", "state": "Delhi NCR",
            "postal_code": "201301"}),
        serde_json::json!({"line1": "14/2 Lake Road, Kalighat", "city": "calcutta",
            "state": "West Bengal", "postal_code": "700026"}),
        serde_json::json!({"line1": "Door No 21, Anna Salai", "line2": "Teynampet",
            "city": "Chennai", "state": "Tamilnadu", "postal_code": "600018"}),
        serde_json::json!({"line1": "22 Janpath", "line2": "Connaught Place", "city": "New Delhi",
            "state": "Delhi", "postal_code": "110001"}),
    ] {
        let a = assess(&address(fields.clone()), "/to");
        assert_eq!(a.quality.band, Band::Good, "{fields}: {:?}", a.quality);
        assert!(
            a.quality.reasons.iter().all(|r| r.penalty <= 10),
            "{fields}: {:?}",
            a.quality.reasons
        );
    }
}

#[test]
fn cities_across_india_agree_with_their_pin_codes() {
    // (locality, city as people write it, state as people write it, PIN code)
    for (locality, city, state, pin) in [
        ("Koramangala 5th Block", "Bengaluru", "Karnataka", "560095"),
        ("Electronic City", "Bangalore", "Karnataka", "560100"),
        ("Andheri West", "Mumbai", "Maharashtra", "400053"),
        ("Hiranandani Gardens, Powai", "Bombay", "MH", "400076"),
        ("Sector 17, Vashi", "Navi Mumbai", "Maharashtra", "400703"),
        ("Naupada", "Thane", "Maharashtra", "400602"),
        ("Khadakpada", "Kalyan", "Maharashtra", "421301"),
        ("Wakad", "Pimpri Chinchwad", "Maharashtra", "411057"),
        ("Salt Lake Sector V", "Kolkata", "West Bengal", "700091"),
        ("Shibpur", "Howrah", "WB", "711102"),
        (
            "Road No 12, Banjara Hills",
            "Hyderabad",
            "Telangana",
            "500034",
        ),
        ("Gachibowli", "Hyderabad", "TS", "500032"),
        ("Marredpally", "Secunderabad", "Telangana", "500026"),
        ("Sector 18", "Noida", "Uttar Pradesh", "201301"),
        ("Knowledge Park", "Greater Noida", "UP", "201310"),
        ("DLF Phase 3", "Gurugram", "Haryana", "122002"),
        ("Hauz Khas", "New Delhi", "Delhi", "110016"),
        ("Rohini Sector 7", "Delhi", "NCT of Delhi", "110085"),
        ("Panampilly Nagar", "Kochi", "Kerala", "682036"),
        ("Statue Junction", "Trivandrum", "Kerala", "695001"),
        ("Sector 17", "Chandigarh", "Chandigarh", "160017"),
        ("Phase 7", "Mohali", "Punjab", "160062"),
        ("VIP Road, Zirakpur", "Chandigarh", "Punjab", "140603"),
        ("Saheed Nagar", "Bhubaneswar", "Orissa", "751007"),
        ("Zoo Road", "Guwahati", "Assam", "781005"),
        ("Hazratganj", "Lucknow", "U.P.", "226001"),
        ("Lanka", "Banaras", "Uttar Pradesh", "221005"),
        ("Vijay Nagar", "Indore", "M.P.", "452010"),
        ("Navrangpura", "Ahmedabad", "Gujarat", "380009"),
        ("Alkapuri", "Baroda", "Gujarat", "390007"),
        ("RS Puram", "Coimbatore", "Tamil Nadu", "641002"),
        ("Velachery", "Chennai", "Tamil Nadu", "600042"),
        ("Tambaram", "Madras", "Tamil Nadu", "600045"),
        ("MVP Colony", "Vizag", "Andhra Pradesh", "530017"),
        ("Benz Circle", "Vijayawada", "AP", "520010"),
        ("Kuvempunagar", "Mysore", "Karnataka", "570023"),
        ("Hampankatta", "Mangalore", "Karnataka", "575001"),
        ("Miramar", "Panaji", "Goa", "403001"),
        ("White Town", "Pondicherry", "Puducherry", "605001"),
        ("Gandhi Nagar", "Jammu", "J&K", "180004"),
        ("Rajpur Road", "Dehra Dun", "Uttaranchal", "248001"),
        ("Bistupur", "Jamshedpur", "Jharkhand", "831001"),
        ("Sector 6", "Bhilai", "Chattisgarh", "490006"),
        ("Kalyani Nagar", "Bhiwandi", "Maharashtra", "421302"),
    ] {
        let a = assess(
            &address(
                serde_json::json!({"line2": locality, "city": city, "state": state,
                "postal_code": pin}),
            ),
            "/to",
        );
        assert!(
            a.quality.reasons.iter().all(|r| r.penalty == 0),
            "{city}, {state} {pin}: {:?}",
            a.quality.reasons
        );
    }
}

#[test]
fn a_city_or_state_elsewhere_is_a_mismatch() {
    // (city, state, PIN code, reason codes)
    for (city, state, pin, want) in [
        (
            "Bangalore",
            "Karnataka",
            "600001",
            vec!["city_mismatch", "state_mismatch"],
        ),
        (
            "Pune",
            "Maharashtra",
            "560001",
            vec!["city_mismatch", "state_mismatch"],
        ),
        (
            "Gurgaon",
            "Haryana",
            "110001",
            vec!["city_mismatch", "state_mismatch"],
        ),
        (
            "Delhi",
            "Delhi",
            "122001",
            vec!["city_mismatch", "state_mismatch"],
        ),
        ("Chennai", "Karnataka", "560001", vec!["city_mismatch"]),
        ("Bengaluru", "Tamil Nadu", "560001", vec!["state_mismatch"]),
        ("Mysuru", "Karnataka", "560001", vec!["city_other_district"]),
        ("Pune", "Karnataka", "560001", vec!["city_mismatch"]),
        // A town named like a district of another state, in the state its PIN code says.
        (
            "Rampur",
            "Himachal Pradesh",
            "172001",
            vec!["city_elsewhere"],
        ),
        (
            "Rampur",
            "Uttar Pradesh",
            "172001",
            vec!["city_mismatch", "state_mismatch"],
        ),
        // Delhi NCR is three states' region; Gurgaon is in it.
        ("Gurgaon", "Delhi NCR", "122001", vec![]),
        (
            "Gurgaon",
            "Delhi NCR",
            "560001",
            vec!["city_mismatch", "state_mismatch"],
        ),
        // Aurangabad is a district in Bihar and in Maharashtra: each is at home.
        ("Aurangabad", "Maharashtra", "431001", vec![]),
        ("Aurangabad", "Bihar", "824101", vec![]),
    ] {
        let a = assess(
            &address(serde_json::json!({"city": city, "state": state, "postal_code": pin})),
            "/to",
        );
        let mut want = want;
        want.sort_unstable();
        assert_eq!(
            codes(&a),
            want,
            "{city}, {state} {pin}: {:?}",
            a.quality.reasons
        );
    }
}

#[test]
fn every_finding_has_its_code_pointer_and_score() {
    // (fields, reason codes expected, band)
    let cases: Vec<(serde_json::Value, Vec<&str>, Band)> = vec![
        (serde_json::json!({}), vec![], Band::Good),
        // PIN code not in the directory (six digits, well formed).
        (
            serde_json::json!({"postal_code": "560999"}),
            vec!["pincode_unknown"],
            Band::Poor,
        ),
        // City and state both elsewhere: the PIN code is probably wrong.
        (
            serde_json::json!({"city": "Mumbai", "state": "Maharashtra"}),
            vec!["city_mismatch", "state_mismatch"],
            Band::Poor,
        ),
        (
            serde_json::json!({"state": "Tamil Nadu"}),
            vec!["state_mismatch"],
            Band::Fair,
        ),
        (
            serde_json::json!({"city": "Chennai"}),
            vec!["city_mismatch"],
            Band::Fair,
        ),
        // Another district of the same state.
        (
            serde_json::json!({"city": "Mysuru"}),
            vec!["city_other_district"],
            Band::Good,
        ),
        // A town the table cannot place is not held against the address.
        (
            serde_json::json!({"city": "Whitefield"}),
            vec!["city_not_verified"],
            Band::Good,
        ),
        // Spelling, abbreviations and old names are tolerated.
        (
            serde_json::json!({"city": "Bangalroe", "state": "Karnatka"}),
            vec![],
            Band::Good,
        ),
        (
            serde_json::json!({"city": "BANGALORE URBAN", "state": "kar."}),
            vec![],
            Band::Good,
        ),
        (
            serde_json::json!({"state": "Bangalore Urban"}),
            vec!["state_unrecognised"],
            Band::Good,
        ),
        (
            serde_json::json!({"state": null}),
            vec!["state_missing"],
            Band::Good,
        ),
        // Hyderabad written with its state before 2014.
        (
            serde_json::json!({"city": "Secunderabad", "state": "Andhra Pradesh", "postal_code": "500003"}),
            vec!["state_outdated"],
            Band::Good,
        ),
        // Phones.
        (
            serde_json::json!({"phone": "9999999999"}),
            vec!["phone_repeated_digits"],
            Band::Fair,
        ),
        (
            serde_json::json!({"phone": "+91 98765 43210"}),
            vec!["phone_sequence"],
            Band::Fair,
        ),
        (
            serde_json::json!({"phone": "9123456789"}),
            vec!["phone_sequence"],
            Band::Fair,
        ),
        (
            serde_json::json!({"phone": "9898989898"}),
            vec!["phone_low_variety"],
            Band::Good,
        ),
        (
            serde_json::json!({"phone": "9000000000"}),
            vec!["phone_low_variety"],
            Band::Good,
        ),
        // Junk.
        (
            serde_json::json!({"line1": "test", "line2": null}),
            vec!["line_junk"],
            Band::Poor,
        ),
        (
            serde_json::json!({"line1": "asdfgh", "line2": "qwerty", "name": "xyz",
                "phone": "9999999999"}),
            vec!["line_junk", "name_junk", "phone_repeated_digits"],
            Band::Poor,
        ),
        (
            serde_json::json!({"line1": "aaaaaa aaaa", "line2": null, "postal_code": "110001",
                "city": "Delhi", "state": "Delhi"}),
            vec!["line_junk"],
            Band::Poor,
        ),
        (
            serde_json::json!({"line2": "test test"}),
            vec!["line_suspicious"],
            Band::Good,
        ),
        (
            serde_json::json!({"city": "xxxx"}),
            vec!["city_junk", "city_not_verified"],
            Band::Good,
        ),
        // Too little to find a door by.
        (
            serde_json::json!({"line1": "12", "line2": null}),
            vec!["line_too_short"],
            Band::Fair,
        ),
        (
            serde_json::json!({"line1": "Flat 302", "line2": null}),
            vec!["line_too_short"],
            Band::Fair,
        ),
        (
            serde_json::json!({"line1": "Sunshine Apartments, Indiranagar", "line2": null}),
            vec!["house_number_missing"],
            Band::Good,
        ),
        (
            serde_json::json!({"line1": "Flat 302, near City Mall", "line2": null}),
            vec!["line_sparse"],
            Band::Good,
        ),
    ];
    for (fields, want, band) in cases {
        let a = assess(&address(fields.clone()), "/to");
        let mut want = want;
        want.sort_unstable();
        assert_eq!(codes(&a), want, "{fields}: {:?}", a.quality.reasons);
        assert_eq!(a.quality.band, band, "{fields}: {:?}", a.quality);
        let lost: u32 = a.quality.reasons.iter().map(|r| u32::from(r.penalty)).sum();
        assert_eq!(u32::from(a.quality.score), 100u32.saturating_sub(lost));
        for r in &a.quality.reasons {
            assert!(r.pointer.starts_with("/to/"), "{r:?}");
            assert!(!r.detail.is_empty());
        }
    }
}

#[test]
fn reasons_point_at_their_field() {
    let a = assess(
        &address(
            serde_json::json!({"postal_code": "560999", "phone": "9999999999",
            "line1": "test", "line2": null, "name": "asdf"}),
        ),
        "/to",
    );
    let at = |code: &str| {
        a.quality
            .reasons
            .iter()
            .find(|r| r.code == code)
            .map(|r| r.pointer.as_str())
    };
    assert_eq!(at("pincode_unknown"), Some("/to/postal_code"));
    assert_eq!(at("phone_repeated_digits"), Some("/to/phone"));
    assert_eq!(at("line_junk"), Some("/to/line1"));
    assert_eq!(at("name_junk"), Some("/to/name"));
    assert_eq!(a.quality.score, 0);
    assert_eq!(a.quality.band, Band::Poor);
    // Worst first.
    let penalties: Vec<u8> = a.quality.reasons.iter().map(|r| r.penalty).collect();
    assert!(penalties.windows(2).all(|w| w[0] >= w[1]), "{penalties:?}");
    // An address sent on its own points at the top level.
    let alone = assess(&address(serde_json::json!({"postal_code": "560999"})), "");
    assert_eq!(alone.quality.reasons[0].pointer, "/postal_code");
}

#[test]
fn the_address_is_normalised_and_its_parts_read() {
    let a = assess(
        &address(
            serde_json::json!({"line1": "  Flat 12 ,, 4th Cross Rd ", "line2": "Nr. City  Mall",
            "city": "bangalore", "state": "ka", "name": " Priya   Sharma "}),
        ),
        "/to",
    );
    assert_eq!(a.address.line1, "Flat 12, 4th Cross Road");
    assert_eq!(a.address.line2.as_deref(), Some("Near City Mall"));
    assert_eq!(a.address.city, "Bangalore");
    assert_eq!(a.address.state.as_deref(), Some("Karnataka"));
    assert_eq!(a.address.name, "Priya Sharma");
    assert_eq!(a.address.phone.e164(), "+919845012345");
    assert_eq!(a.district.as_deref(), Some("Bengaluru Urban"));
    assert_eq!(a.state_code.as_deref(), Some("KA"));
    assert_eq!(a.parts.house.as_deref(), Some("Flat 12"));
    assert_eq!(a.parts.street.as_deref(), Some("4th Cross Road"));
    assert_eq!(a.parts.landmark.as_deref(), Some("Near City Mall"));
    assert_eq!(
        a.checks,
        ["pincode", "city", "state", "phone", "lines", "junk"]
    );
}

#[test]
fn abroad_only_the_checks_that_apply_run() {
    let a = assess(
        &address(
            serde_json::json!({"country": "GB", "postal_code": "SW1A 1AA", "city": "London",
            "state": null, "phone": "+44 20 7946 0958", "line1": "10 Downing Street", "line2": null}),
        ),
        "/to",
    );
    assert_eq!(codes(&a), ["checks_limited"]);
    assert_eq!(a.quality.reasons[0].pointer, "/to/country");
    assert_eq!((a.quality.score, a.quality.band), (100, Band::Good));
    assert_eq!(a.checks, ["phone_pattern", "lines", "junk"]);
    assert_eq!(a.district, None);
    // Junk is junk anywhere; so is one digit repeated.
    let junk = assess(
        &address(
            serde_json::json!({"country": "US", "postal_code": "94105", "state": "CA",
            "city": "San Francisco", "phone": "+1 111 111 1111", "line1": "asdf asdf", "line2": null}),
        ),
        "/to",
    );
    assert_eq!(
        codes(&junk),
        ["checks_limited", "line_junk", "phone_repeated_digits"]
    );
    assert_eq!(junk.quality.band, Band::Poor);
}

#[test]
fn bands_and_penalties_are_consistent() {
    assert_eq!(Band::of(100), Band::Good);
    assert_eq!(Band::of(GOOD_FROM), Band::Good);
    assert_eq!(Band::of(GOOD_FROM - 1), Band::Fair);
    assert_eq!(Band::of(FAIR_FROM), Band::Fair);
    assert_eq!(Band::of(FAIR_FROM - 1), Band::Poor);
    assert_eq!(Band::of(0), Band::Poor);
    for b in Band::ALL {
        assert_eq!(Band::parse(b.as_str()), Some(b));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (code, _) in REASONS {
        assert!(seen.insert(*code), "{code} listed twice");
    }
    assert_eq!(penalty("no_such_code"), 0);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Text with what addresses carry: letters of several scripts, digits, punctuation,
    /// the landmark and house words the parser looks for.
    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                "[a-zA-Z0-9 ,.#/&-]{1,8}",
                "(near|Opp\\.|behind|Flat|H\\.No\\.|Road|Nagar|Apts|İ|ß|ಬೆಂಗಳೂರು|नगर| ,, )",
            ],
            0..8,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn any_valid_address_scores_within_bounds(
            name in text(), line1 in text(), line2 in text(), landmark in text(),
            city in text(), state in text(),
            pin in "[1-9][0-9]{5}", phone in "[6-9][0-9]{9}", abroad in any::<bool>(),
        ) {
            let input: AddressInput = serde_json::from_value(serde_json::json!({
                "name": name, "phone": if abroad { format!("+44{phone}") } else { phone },
                "line1": line1, "line2": line2, "landmark": landmark, "city": city,
                "state": state, "postal_code": if abroad { "SW1A 1AA".to_string() } else { pin },
                "country": if abroad { "GB" } else { "IN" },
            })).unwrap();
            let Ok(a) = check(&input) else { return Ok(()); };
            let q = &a.quality;
            prop_assert!(q.score <= 100);
            prop_assert_eq!(q.band, Band::of(q.score));
            let lost: u32 = q.reasons.iter().map(|r| u32::from(r.penalty)).sum();
            prop_assert_eq!(u32::from(q.score), 100u32.saturating_sub(lost));
            for r in &q.reasons {
                prop_assert!(r.pointer.starts_with('/') && !r.detail.is_empty());
            }
        }
    }
}
