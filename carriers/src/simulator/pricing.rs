//! Sandbox charges, computed the way Indian carriers' rate APIs price: the chargeable
//! weight in slabs, a price per slab by service and zone (the zone from how many
//! leading pincode digits the two ends share), a fuel surcharge, a COD fee of a percentage
//! with a minimum, and GST split CGST + SGST within a state and IGST across. Amounts are
//! paise; each carrier writes them in its own wire format.

/// How a percentage of an amount is rounded to whole paise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    /// Half a paisa and up rounds up.
    Nearest,
    /// Fractions of a paisa are dropped.
    Down,
}

/// `per_mille` thousandths of `paise`.
pub fn per_mille(paise: i64, per_mille: i64, round: Round) -> i64 {
    match round {
        Round::Nearest => (paise * per_mille + 500) / 1000,
        Round::Down => paise * per_mille / 1000,
    }
}

/// How many leading digits two pincodes share: the sandboxes' measure of distance.
pub fn shared_digits(from: &str, to: &str) -> usize {
    from.bytes()
        .zip(to.bytes())
        .take_while(|(a, b)| a == b)
        .count()
}

/// A price zone: lanes whose pincodes share at least `shared_digits` leading digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone {
    pub name: &'static str,
    pub shared_digits: usize,
    /// The slab price in this zone, as a percentage of the tariff's.
    pub percent: i64,
    /// Days added to the transit time.
    pub extra_days: i64,
}

impl Zone {
    /// A zone that prices at the tariff and adds no days.
    pub const fn new(name: &'static str, shared_digits: usize) -> Self {
        Zone {
            name,
            shared_digits,
            percent: 100,
            extra_days: 0,
        }
    }

    /// This zone priced at `percent` of the tariff, `extra_days` slower.
    pub const fn priced(self, percent: i64, extra_days: i64) -> Self {
        Zone {
            percent,
            extra_days,
            ..self
        }
    }
}

/// Paise for the first weight slab and for each further one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tariff {
    pub first_slab: i64,
    pub further_slab: i64,
}

impl Tariff {
    /// The same price for every slab.
    pub const fn per_slab(paise: i64) -> Self {
        Tariff {
            first_slab: paise,
            further_slab: paise,
        }
    }
}

/// The tariff of one service (a mode, a courier) in one zone, or in every zone when
/// `zone` is empty; the first rate that fits a lane prices it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub service: &'static str,
    pub zone: &'static str,
    pub tariff: Tariff,
}

impl Rate {
    /// `service`'s tariff in every zone.
    pub const fn everywhere(service: &'static str, tariff: Tariff) -> Self {
        Rate {
            service,
            zone: "",
            tariff,
        }
    }
}

/// A COD fee: a share of the amount to collect, at least `minimum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodFee {
    pub per_mille: i64,
    pub minimum: i64,
    pub round: Round,
}

impl CodFee {
    pub const fn new(per_mille: i64, minimum: i64, round: Round) -> Self {
        CodFee {
            per_mille,
            minimum,
            round,
        }
    }
}

/// GST on the charges: CGST and SGST (half each) for a lane within one state, told by
/// `same_state_digits` shared leading pincode digits, IGST across states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gst {
    pub per_mille: i64,
    pub same_state_digits: usize,
}

impl Gst {
    pub const fn new(per_mille: i64, same_state_digits: usize) -> Self {
        Gst {
            per_mille,
            same_state_digits,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pricing {
    pub slab_g: i64,
    /// Most shared digits first; the first zone a lane reaches is its zone.
    pub zones: Vec<Zone>,
    pub rates: Vec<Rate>,
    /// Fuel surcharge on the freight, rounded to the nearest paisa.
    pub fuel_per_mille: i64,
    pub cod: Option<CodFee>,
    pub gst: Option<Gst>,
}

/// What one parcel costs, in paise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Charges {
    pub zone: Zone,
    pub slabs: i64,
    pub freight: i64,
    pub fuel: i64,
    pub cod: i64,
    pub cgst: i64,
    pub sgst: i64,
    pub igst: i64,
}

impl Charges {
    /// Before tax.
    pub fn gross(&self) -> i64 {
        self.freight + self.fuel + self.cod
    }

    pub fn total(&self) -> i64 {
        self.gross() + self.cgst + self.sgst + self.igst
    }
}

impl Pricing {
    /// Charges by these zones and rates alone: no fuel surcharge, COD fee or GST.
    pub fn new(slab_g: i64, zones: Vec<Zone>, rates: Vec<Rate>) -> Self {
        Pricing {
            slab_g,
            zones,
            rates,
            fuel_per_mille: 0,
            cod: None,
            gst: None,
        }
    }

    /// A rate card as carriers print it: per service, the paise of every slab in each of
    /// `zones`, in the zones' order.
    pub fn by_zone<const N: usize>(
        slab_g: i64,
        zones: [Zone; N],
        card: &[(&'static str, [i64; N])],
    ) -> Self {
        let mut rates = Vec::new();
        for (service, prices) in card {
            for (zone, price) in zones.iter().zip(prices) {
                let tariff = Tariff::per_slab(*price);
                rates.push(Rate {
                    service,
                    zone: zone.name,
                    tariff,
                });
            }
        }
        Pricing::new(slab_g, zones.to_vec(), rates)
    }

    pub fn zone(&self, from: &str, to: &str) -> Zone {
        let shared = shared_digits(from, to);
        self.zones
            .iter()
            .find(|z| shared >= z.shared_digits)
            .or(self.zones.last())
            .copied()
            .unwrap_or(Zone::new("", 0))
    }

    /// Whether `service` has a tariff in some zone.
    pub fn offers(&self, service: &str) -> bool {
        self.rates.iter().any(|r| r.service == service)
    }

    /// Slabs of `grams`, at least one.
    pub fn slabs(&self, grams: f64) -> i64 {
        ((grams / self.slab_g as f64).ceil() as i64).max(1)
    }

    /// The charges for `grams` by `service` from `from` to `to`, `None` when the service
    /// has no tariff in the lane's zone; `cod` is the amount to collect on a COD parcel.
    pub fn charges(
        &self,
        (from, to): (&str, &str),
        grams: f64,
        service: &str,
        cod: Option<i64>,
    ) -> Option<Charges> {
        let zone = self.zone(from, to);
        let slabs = self.slabs(grams);
        let Tariff {
            first_slab,
            further_slab,
        } = self
            .rates
            .iter()
            .find(|r| r.service == service && (r.zone == zone.name || r.zone.is_empty()))?
            .tariff;
        let freight = (first_slab + further_slab * (slabs - 1)) * zone.percent / 100;
        let fuel = per_mille(freight, self.fuel_per_mille, Round::Nearest);
        let cod = match (cod, self.cod) {
            (Some(amount), Some(fee)) => {
                per_mille(amount, fee.per_mille, fee.round).max(fee.minimum)
            }
            _ => 0,
        };
        let mut charges = Charges {
            zone,
            slabs,
            freight,
            fuel,
            cod,
            cgst: 0,
            sgst: 0,
            igst: 0,
        };
        if let Some(gst) = self.gst {
            let gross = charges.gross();
            if shared_digits(from, to) >= gst.same_state_digits {
                charges.cgst = per_mille(gross, gst.per_mille / 2, Round::Nearest);
                charges.sgst = charges.cgst;
            } else {
                charges.igst = per_mille(gross, gst.per_mille, Round::Nearest);
            }
        }
        Some(charges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(service: &'static str, zone: &'static str, paise: i64) -> Rate {
        Rate {
            service,
            zone,
            tariff: Tariff::per_slab(paise),
        }
    }

    fn full() -> Pricing {
        Pricing {
            slab_g: 500,
            zones: vec![Zone::new("A", 3), Zone::new("B", 2), Zone::new("D", 0)],
            rates: vec![
                rate("S", "A", 3000),
                rate("S", "", 5000),
                rate("E", "D", 8000),
            ],
            fuel_per_mille: 100,
            cod: Some(CodFee {
                per_mille: 15,
                minimum: 3500,
                round: Round::Nearest,
            }),
            gst: Some(Gst {
                per_mille: 180,
                same_state_digits: 2,
            }),
        }
    }

    #[test]
    fn zones_by_shared_leading_digits() {
        let p = full();
        assert_eq!(p.zone("560001", "560102").name, "A");
        assert_eq!(p.zone("560001", "561001").name, "B");
        assert_eq!(
            p.zone("560001", "570001").name,
            "D",
            "no zone for one digit"
        );
        assert_eq!(p.zone("110001", "560001").name, "D");
    }

    #[test]
    fn slabs_round_up_and_start_at_one() {
        let p = full();
        assert_eq!(
            [0.0, 1.0, 500.0, 500.5, 1200.0].map(|g| p.slabs(g)),
            [1, 1, 1, 2, 3]
        );
    }

    #[test]
    fn freight_fuel_and_igst_across_states() {
        let p = full();
        let c = p.charges(("110001", "560001"), 1200.0, "S", None).unwrap();
        // 3 slabs x Rs 50 = 150; fuel 15; IGST 18 % of 165 = 29.70.
        assert_eq!((c.freight, c.fuel, c.cod), (15_000, 1_500, 0));
        assert_eq!((c.cgst, c.sgst, c.igst), (0, 0, 2_970));
        assert_eq!((c.gross(), c.total()), (16_500, 19_470));
    }

    #[test]
    fn cgst_and_sgst_within_a_state_and_the_tariff_by_service_and_zone() {
        let p = full();
        let c = p.charges(("560001", "560102"), 500.0, "S", None).unwrap();
        assert_eq!(c.freight, 3000, "zone A's own rate, not the any-zone one");
        assert_eq!((c.cgst, c.sgst, c.igst), (297, 297, 0));
        let b = p.charges(("560001", "561001"), 500.0, "S", None).unwrap();
        assert_eq!((b.zone.name, b.freight), ("B", 5000));
        assert_eq!(
            p.charges(("560001", "560102"), 500.0, "E", None),
            None,
            "no E in A"
        );
        assert!(p.offers("E") && !p.offers("X"));
    }

    #[test]
    fn cod_fee_is_a_share_with_a_minimum_rounded_as_configured() {
        let mut p = full();
        let fee = |p: &Pricing, amount| p.charges(("1", "2"), 1.0, "S", Some(amount)).unwrap().cod;
        assert_eq!(fee(&p, 49_900), 3500, "the minimum");
        assert_eq!(
            fee(&p, 1_000_033),
            15_000,
            "1.5 % of 10,000.33, to the nearest paisa"
        );
        p.cod = p.cod.map(|f| CodFee {
            round: Round::Down,
            ..f
        });
        assert_eq!(fee(&p, 1_000_033), 15_000);
        assert_eq!(fee(&p, 1_000_067), 15_001, "15,001.005 drops its fraction");
        p.cod = None;
        assert_eq!(fee(&p, 1_000_067), 0, "no fee configured");
    }

    #[test]
    fn further_slabs_and_zone_percentages() {
        let p = Pricing {
            slab_g: 500,
            zones: vec![Zone {
                percent: 150,
                extra_days: 1,
                ..Zone::new("z_d", 0)
            }],
            rates: vec![Rate {
                service: "43",
                zone: "",
                tariff: Tariff {
                    first_slab: 4500,
                    further_slab: 3500,
                },
            }],
            fuel_per_mille: 0,
            cod: None,
            gst: None,
        };
        let c = p
            .charges(("110001", "560001"), 1500.0, "43", Some(10_000))
            .unwrap();
        assert_eq!(c.freight, (4500 + 2 * 3500) * 150 / 100);
        assert_eq!(c.total(), c.freight, "no fuel, COD fee or tax configured");
        assert_eq!(c.zone.extra_days, 1);
    }

    #[test]
    fn a_rate_card_prices_each_service_in_each_zone() {
        let zones = [Zone::new("A", 3), Zone::new("D", 0).priced(100, 1)];
        assert_eq!((zones[1].percent, zones[1].extra_days), (100, 1));
        let p = Pricing::by_zone(500, zones, &[("S", [3000, 5000]), ("E", [4000, 8000])]);
        assert_eq!(p.rates.len(), 4);
        assert_eq!((p.fuel_per_mille, p.cod, p.gst), (0, None, None));
        let total =
            |from, to, service| p.charges((from, to), 900.0, service, None).unwrap().total();
        assert_eq!(total("560001", "560034", "S"), 6000);
        assert_eq!(total("560001", "110001", "E"), 16000);
        let flat = Pricing::new(
            500,
            vec![Zone::new("D", 0)],
            vec![Rate::everywhere("S", Tariff::per_slab(100))],
        );
        assert_eq!(
            flat.charges(("1", "2"), 1.0, "S", Some(5)).unwrap().total(),
            100
        );
    }
}
