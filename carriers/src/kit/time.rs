//! Carrier-local timestamps.
//!
//! Carriers write wall-clock times without a zone: Indian carriers in IST, US carriers in
//! the zone of the facility or the account. An adapter names the zone once ([`Zone`]),
//! and [`Zone::parse`] reads every shape seen from any carrier. A timestamp that carries
//! its own offset (`Z`, `+05:30`, `-0500`) is honoured, never shifted a second time.
//!
//! Daylight saving (named zones only): a wall time that happens twice (the hour the clocks
//! go back) is read as the first; one that never happens (the hour skipped in spring) as
//! the same wall time an hour later, which is what a clock not yet moved forward meant.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, TimeDelta, TimeZone, Utc};

/// A carrier's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Fixed(FixedOffset),
    Named(chrono_tz::Tz),
}

/// India Standard Time's offset, +05:30 (no daylight saving).
pub const IST_OFFSET: FixedOffset = match FixedOffset::east_opt(5 * 3600 + 30 * 60) {
    Some(offset) => offset,
    None => panic!("+05:30 is a valid offset"),
};

/// India Standard Time.
pub const IST: Zone = Zone::Fixed(IST_OFFSET);

/// UTC, for carriers that write UTC without saying so.
pub const UTC: Zone = Zone::Fixed(match FixedOffset::east_opt(0) {
    Some(offset) => offset,
    None => panic!("+00:00 is a valid offset"),
});

/// Wall-time shapes seen from carriers that cannot be misread, tried in order: ISO with
/// `T` or a space, with or without seconds and fractions (`%.f` also matches no
/// fraction); the Indian carriers' day-first pushes (`23 05 2023 11:43:52`,
/// `23-05-2023 11:43:52`) and panels (`23 May 2023, 11:43 AM`). Slashed dates are not
/// here: `05/09/2024` is May in the US and September in India, so a carrier that writes
/// them passes its own order to [`Zone::parse_with`] ([`MONTH_FIRST`], [`DAY_FIRST`]).
pub const WALL_TIMES: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%d %m %Y %H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
    "%d %b %Y, %I:%M %p",
];

/// US carriers' slashed dates: `05/23/2023 11:43:52`.
pub const MONTH_FIRST: &[&str] = &["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M"];

/// Indian and European slashed dates: `23/05/2023 11:43:52`.
pub const DAY_FIRST: &[&str] = &["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"];

/// Shapes with an offset that RFC 3339 does not cover (`+0530` without a colon, a space
/// before it).
const WITH_OFFSET: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%dT%H:%M%z",
];

impl Zone {
    /// Reads a carrier timestamp as UTC: an offset in the text wins, else the text is a
    /// wall time in this zone. `None` for anything else (never a guess).
    pub fn parse(self, text: &str) -> Option<DateTime<Utc>> {
        self.parse_with(text, WALL_TIMES)
    }

    /// Like [`Zone::parse`] with the carrier's own wall-time shapes.
    pub fn parse_with(self, text: &str, wall_times: &[&str]) -> Option<DateTime<Utc>> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Some(t.with_timezone(&Utc));
        }
        if let Some(t) = WITH_OFFSET
            .iter()
            .find_map(|f| DateTime::parse_from_str(text, f).ok())
        {
            return Some(t.with_timezone(&Utc));
        }
        let naive = wall_times
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())?;
        self.local(naive)
    }

    /// A wall time in this zone, as UTC (see the module doc for daylight saving).
    pub fn local(self, naive: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Zone::Fixed(offset) => resolve(offset.from_local_datetime(&naive)),
            Zone::Named(tz) => resolve(tz.from_local_datetime(&naive))
                .or_else(|| resolve(tz.from_local_datetime(&(naive + TimeDelta::hours(1))))),
        }
    }

    /// The wall time in this zone at `time`.
    pub fn wall(self, time: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Fixed(offset) => time.with_timezone(&offset).naive_local(),
            Zone::Named(tz) => time.with_timezone(&tz).naive_local(),
        }
    }

    /// [`Zone::format`] with trailing zeros of the second's fraction dropped, and the
    /// point too on a whole second (`…:25.57`, `…:25`), as some carriers write times.
    pub fn format_trimmed(self, time: DateTime<Utc>, format: &str) -> String {
        let text = self.format(time, format);
        match text.rsplit_once('.') {
            Some((whole, fraction)) if fraction.bytes().all(|b| b.is_ascii_digit()) => {
                match fraction.trim_end_matches('0') {
                    "" => whole.to_string(),
                    kept => format!("{whole}.{kept}"),
                }
            }
            _ => text,
        }
    }

    /// Writes `time` as a wall time in this zone with a chrono format.
    pub fn format(self, time: DateTime<Utc>, format: &str) -> String {
        match self {
            Zone::Fixed(offset) => time.with_timezone(&offset).format(format).to_string(),
            Zone::Named(tz) => time.with_timezone(&tz).format(format).to_string(),
        }
    }
}

fn resolve<T: TimeZone>(local: LocalResult<DateTime<T>>) -> Option<DateTime<Utc>> {
    match local {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn every_shape_reads_as_ist_wall_time() {
        let want = utc("2024-09-21T09:01:48Z");
        for text in [
            "2024-09-21T14:31:48",
            "2024-09-21 14:31:48",
            " 2024-09-21T14:31:48.000 ",
            "21 09 2024 14:31:48",
            "21-09-2024 14:31:48",
        ] {
            assert_eq!(IST.parse(text), Some(want), "{text}");
        }
        assert_eq!(
            IST.parse("2024-09-21T18:20:25.57"),
            Some(utc("2024-09-21T12:50:25.570Z"))
        );
        assert_eq!(
            IST.parse("21 Sep 2024, 02:31 PM"),
            Some(utc("2024-09-21T09:01:00Z"))
        );
        assert_eq!(
            IST.parse("2024-09-21 14:31"),
            Some(utc("2024-09-21T09:01:00Z"))
        );
    }

    #[test]
    fn an_offset_in_the_text_wins() {
        let want = utc("2024-09-21T09:01:48Z");
        for text in [
            "2024-09-21T09:01:48Z",
            "2024-09-21T14:31:48+05:30",
            "2024-09-21T14:31:48+0530",
            "2024-09-21 05:01:48 -0400",
        ] {
            assert_eq!(IST.parse(text), Some(want), "{text}");
            assert_eq!(Zone::Named(chrono_tz::US::Pacific).parse(text), Some(want));
        }
    }

    #[test]
    fn named_zones_follow_daylight_saving() {
        let ny = Zone::Named(chrono_tz::America::New_York);
        assert_eq!(
            ny.parse("2024-01-15 10:00:00"),
            Some(utc("2024-01-15T15:00:00Z"))
        );
        assert_eq!(
            ny.parse("2024-07-15 10:00:00"),
            Some(utc("2024-07-15T14:00:00Z"))
        );
        // 01:30 happens twice on 3 November 2024: the first (EDT).
        assert_eq!(
            ny.parse("2024-11-03 01:30:00"),
            Some(utc("2024-11-03T05:30:00Z"))
        );
        // 02:30 never happens on 10 March 2024: read as 03:30 EDT.
        assert_eq!(
            ny.parse("2024-03-10 02:30:00"),
            Some(utc("2024-03-10T07:30:00Z"))
        );
    }

    #[test]
    fn slashed_dates_only_in_the_order_the_carrier_names() {
        assert_eq!(IST.parse("05/09/2024 10:00:00"), None);
        assert_eq!(
            UTC.parse_with("05/09/2024 10:00:00", MONTH_FIRST),
            Some(utc("2024-05-09T10:00:00Z"))
        );
        assert_eq!(
            UTC.parse_with("05/09/2024 10:00", DAY_FIRST),
            Some(utc("2024-09-05T10:00:00Z"))
        );
    }

    #[test]
    fn nonsense_is_none() {
        for text in ["", "  ", "yesterday", "2024-13-01 10:00:00", "2024-09-21"] {
            assert_eq!(IST.parse(text), None, "{text}");
        }
    }

    #[test]
    fn formats_in_the_zone() {
        let t = utc("2024-09-21T09:01:48Z");
        assert_eq!(IST.format(t, "%Y-%m-%d %H:%M:%S"), "2024-09-21 14:31:48");
        assert_eq!(
            Zone::Named(chrono_tz::America::Chicago).format(t, "%H:%M"),
            "04:01"
        );
    }

    #[test]
    fn trims_the_fraction_and_reads_the_wall() {
        let millis = "%Y-%m-%dT%H:%M:%S%.3f";
        assert_eq!(
            IST.format_trimmed(utc("2024-09-21T09:01:48.570Z"), millis),
            "2024-09-21T14:31:48.57"
        );
        assert_eq!(
            IST.format_trimmed(utc("2024-09-21T09:01:40Z"), millis),
            "2024-09-21T14:31:40"
        );
        assert_eq!(
            IST.format_trimmed(utc("2024-09-21T09:01:40Z"), "%H:%M"),
            "14:31"
        );
        let wall = IST.wall(utc("2024-09-21T20:00:00Z"));
        assert_eq!(wall.to_string(), "2024-09-22 01:30:00");
    }
}
