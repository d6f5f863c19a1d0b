//! Fuzzy dates in EDTF (ISO 8601-2, the Library of Congress Extended Date/Time
//! Format) Level 1, with Level 2's qualified components and unspecified digits, the
//! way reports state time.
//!
//! A date is a single date (see [`point`] for what one may say) or an interval `a/b`
//! whose ends may be open (`..`) or unknown (empty). It is stored as its text plus the
//! earliest and latest instant it can mean (seconds since the Unix epoch, inclusive).
//! Open and unknown ends have no bound.
//!
//! The parser is garrison's own. It grew from the Level 0 subset this module began
//! with, and keeps that subset's meaning: an approximate date widens by one unit.
//! `edtf-core` (levels 0–2, with bounds) was not yet weighed against it; its bounds
//! ignore qualifiers, so the widening would stay here.
mod calendar;
mod point;

use point::Point;
use std::fmt;

/// The longest date text taken, in bytes (the longest sensible interval, two
/// qualified `Y` years, is about 25).
pub const MAX_EDTF_LENGTH: usize = 64;

/// A parsed fuzzy date: the text as given and the instants it spans.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FuzzyDate {
    text: String,
    earliest: Option<i64>,
    latest: Option<i64>,
    approximate: bool,
    uncertain: bool,
}

/// Why a string is not a supported EDTF date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{text}\" is not a supported EDTF date: {reason}")]
pub struct EdtfError {
    pub text: String,
    pub reason: String,
}

/// One end of an interval.
enum End {
    Dated(Point),
    /// `..`: the interval runs on without end (or from the beginning of time).
    Open,
    /// Empty: the end exists but is not known.
    Unknown,
}

impl FuzzyDate {
    /// Parses `text` (surrounding whitespace ignored).
    pub fn parse(text: &str) -> Result<Self, EdtfError> {
        let text = text.trim();
        let fail = |reason: &str| EdtfError {
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        if text.is_empty() {
            return Err(fail("it is empty"));
        }
        if text.len() > MAX_EDTF_LENGTH {
            return Err(EdtfError {
                text: text
                    .chars()
                    .take(MAX_EDTF_LENGTH)
                    .chain("…".chars())
                    .collect(),
                reason: format!("it is longer than {MAX_EDTF_LENGTH} bytes"),
            });
        }
        match text.split_once('/') {
            None => {
                let point = point::parse(text).map_err(|r| fail(&r))?;
                Ok(Self {
                    text: text.to_owned(),
                    earliest: Some(point.earliest()),
                    latest: Some(point.latest()),
                    approximate: point.approximate,
                    uncertain: point.uncertain,
                })
            }
            Some((start, end)) => {
                let start = parse_end(start).map_err(|r| fail(&format!("start: {r}")))?;
                let end = parse_end(end).map_err(|r| fail(&format!("end: {r}")))?;
                let (earliest, latest) = (start.earliest(), end.latest());
                if earliest.is_none() && latest.is_none() {
                    return Err(fail("an interval needs at least one dated end"));
                }
                if let (Some(lo), Some(hi)) = (earliest, latest)
                    && lo > hi
                {
                    return Err(fail("its start is after its end"));
                }
                let flag = |f: fn(&Point) -> bool| {
                    start.point().is_some_and(f) || end.point().is_some_and(f)
                };
                Ok(Self {
                    text: text.to_owned(),
                    earliest,
                    latest,
                    approximate: flag(|p| p.approximate),
                    uncertain: flag(|p| p.uncertain),
                })
            }
        }
    }

    /// Joins two single dates into the interval `from/to`: a missing start is unknown,
    /// a missing end is open ("still so"). `None` when both are missing.
    pub fn between(from: Option<&Self>, to: Option<&Self>) -> Result<Option<Self>, EdtfError> {
        for end in [from, to].into_iter().flatten() {
            if end.is_interval() {
                return Err(EdtfError {
                    text: end.text.clone(),
                    reason: "an interval end must be a single date".into(),
                });
            }
        }
        match (from, to) {
            (None, None) => Ok(None),
            (from, to) => {
                let from = from.map_or("", |d| d.text.as_str());
                let to = to.map_or("..", |d| d.text.as_str());
                Self::parse(&format!("{from}/{to}")).map(Some)
            }
        }
    }

    /// Splits an interval into its dated ends (`None` for an open or unknown end). A
    /// single date is its own start and has no end.
    pub fn ends(&self) -> (Option<Self>, Option<Self>) {
        match self.text.split_once('/') {
            None => (Some(self.clone()), None),
            Some((a, b)) => (Self::parse(a).ok(), Self::parse(b).ok()),
        }
    }

    /// Rebuilds a date from stored columns; the bounds are trusted as stored.
    pub fn from_stored(text: Option<String>) -> Option<Self> {
        text.and_then(|t| Self::parse(&t).ok())
    }

    pub fn text(&self) -> &str {
        &self.text
    }
    /// The earliest instant the date can mean (seconds since the epoch), or `None`.
    pub fn earliest(&self) -> Option<i64> {
        self.earliest
    }
    /// The latest instant the date can mean (seconds since the epoch), or `None`.
    pub fn latest(&self) -> Option<i64> {
        self.latest
    }
    pub fn approximate(&self) -> bool {
        self.approximate
    }
    pub fn uncertain(&self) -> bool {
        self.uncertain
    }
    pub fn is_interval(&self) -> bool {
        self.text.contains('/')
    }
}

impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for FuzzyDate {
    type Err = EdtfError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

fn parse_end(text: &str) -> Result<End, String> {
    match text {
        "" => Ok(End::Unknown),
        ".." => Ok(End::Open),
        _ => point::parse(text).map(End::Dated),
    }
}

impl End {
    fn point(&self) -> Option<&Point> {
        match self {
            End::Dated(p) => Some(p),
            End::Open | End::Unknown => None,
        }
    }
    fn earliest(&self) -> Option<i64> {
        self.point().map(Point::earliest)
    }
    fn latest(&self) -> Option<i64> {
        self.point().map(Point::latest)
    }
}

#[cfg(test)]
mod tests {
    use super::FuzzyDate;
    use chrono::DateTime;
    use proptest::prelude::*;

    fn iso(seconds: Option<i64>) -> Option<String> {
        seconds.map(|s| DateTime::from_timestamp(s, 0).unwrap().to_rfc3339())
    }

    fn bounds(text: &str) -> (Option<String>, Option<String>) {
        let d = FuzzyDate::parse(text).unwrap();
        (iso(d.earliest()), iso(d.latest()))
    }

    #[test]
    fn bounds_follow_precision_and_qualifiers() {
        let day = |d: &str| Some(format!("{d}+00:00"));
        assert_eq!(
            bounds("1971"),
            (day("1971-01-01T00:00:00"), day("1971-12-31T23:59:59"))
        );
        assert_eq!(
            bounds("2024-02"),
            (day("2024-02-01T00:00:00"), day("2024-02-29T23:59:59"))
        );
        assert_eq!(
            bounds("2024-12-13"),
            (day("2024-12-13T00:00:00"), day("2024-12-13T23:59:59"))
        );
        assert_eq!(
            bounds("2024-12-13~"),
            (day("2024-12-12T00:00:00"), day("2024-12-14T23:59:59"))
        );
        assert_eq!(
            bounds("2024-12?"),
            (day("2024-12-01T00:00:00"), day("2024-12-31T23:59:59"))
        );
        assert_eq!(
            bounds("2024-12%"),
            (day("2024-11-01T00:00:00"), day("2025-01-31T23:59:59"))
        );
        assert_eq!(
            bounds("2024-11-27/2024-12-08"),
            (day("2024-11-27T00:00:00"), day("2024-12-08T23:59:59"))
        );
        assert_eq!(bounds("2024-12-08/.."), (day("2024-12-08T00:00:00"), None));
        assert_eq!(bounds("../2024-12-11~"), (None, day("2024-12-12T23:59:59")));
        assert_eq!(bounds("/2024"), (None, day("2024-12-31T23:59:59")));
    }

    #[test]
    fn rejects_what_it_does_not_support() {
        for bad in [
            "",
            "24",
            "2024-13",
            "2024-02-30",
            "2024-1-01",
            "2024-12-13T10:00",
            "2024/2023",
            "../..",
            "/",
            "abcd",
            "2024~~",
            "2024-12-13/2024-12-12",
            "-0000",
            "2024-00",
            "2024-2X",
            "2024-02-3X",
            "2024-42",
            "2024-21-01",
            "Y2024",
            "Y012000",
            "Y-12000-01",
            "Y1234567890",
            "2024-12?~",
            "2024-?~12",
            "2024--12",
            "1X2",
        ] {
            assert!(FuzzyDate::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn level_1_examples_of_the_specification_have_their_bounds() {
        let day = |d: &str| Some(format!("{d}+00:00"));
        let span =
            |a: &str, b: &str| (day(&format!("{a}T00:00:00")), day(&format!("{b}T23:59:59")));
        // Seasons: spring 2001, a winter into the next year, a quarter, an approximate season.
        assert_eq!(bounds("2001-21"), span("2001-03-01", "2001-05-31"));
        assert_eq!(bounds("2024-24"), span("2024-12-01", "2025-02-28"));
        assert_eq!(bounds("2024-31"), span("2024-03-01", "2024-05-31"));
        assert_eq!(bounds("2024-34"), span("2024-04-01", "2024-06-30"));
        assert_eq!(bounds("2024-40"), span("2024-01-01", "2024-06-30"));
        assert_eq!(bounds("2024-22~"), span("2024-03-01", "2024-11-30"));
        // Unspecified digits.
        assert_eq!(bounds("201X"), span("2010-01-01", "2019-12-31"));
        assert_eq!(bounds("20XX"), span("2000-01-01", "2099-12-31"));
        assert_eq!(bounds("197X"), span("1970-01-01", "1979-12-31"));
        assert_eq!(bounds("2004-XX"), span("2004-01-01", "2004-12-31"));
        assert_eq!(bounds("1985-04-XX"), span("1985-04-01", "1985-04-30"));
        assert_eq!(bounds("1985-XX-XX"), span("1985-01-01", "1985-12-31"));
        assert_eq!(bounds("2024-1X"), span("2024-10-01", "2024-12-31"));
        assert_eq!(bounds("2024-12-XX"), span("2024-12-01", "2024-12-31"));
        assert_eq!(bounds("2023-02-XX"), span("2023-02-01", "2023-02-28"));
        assert_eq!(bounds("XXXX-02-29"), span("0000-02-29", "9996-02-29"));
        assert_eq!(bounds("156X-12-25"), span("1560-12-25", "1569-12-25"));
        assert_eq!(bounds("1XXX-12"), span("1000-12-01", "1999-12-31"));
        assert_eq!(bounds("2024-12-3X"), span("2024-12-30", "2024-12-31"));
        // Negative and long years.
        assert_eq!(bounds("-1985"), span("-1985-01-01", "-1985-12-31"));
        assert_eq!(bounds("-19XX"), span("-1999-01-01", "-1900-12-31"));
        assert_eq!(bounds("Y-12000"), span("-12000-01-01", "-12000-12-31"));
        let long = FuzzyDate::parse("Y170000002").unwrap();
        let year_seconds = (long.latest().unwrap() - long.earliest().unwrap() + 1) / 86_400;
        assert_eq!(year_seconds, 365);
        assert!(FuzzyDate::parse("Y-170000002").unwrap().earliest().unwrap() < 0);
        // Qualified components: only an approximate one widens, by its own unit.
        assert_eq!(bounds("2024-12?-13"), span("2024-12-13", "2024-12-13"));
        assert_eq!(bounds("2004-06~-11"), span("2004-05-11", "2004-07-11"));
        assert_eq!(bounds("2004~-06-11"), span("2003-06-11", "2005-06-11"));
        assert_eq!(bounds("2004-~06-11"), span("2004-05-11", "2004-07-11"));
        assert_eq!(bounds("?2004-06-~11"), span("2004-06-10", "2004-06-12"));
        assert_eq!(bounds("2004-06-11%"), span("2004-06-10", "2004-06-12"));
        let parts = FuzzyDate::parse("2004?-06-~11").unwrap();
        assert!(parts.approximate() && parts.uncertain());
        // Intervals of the specification.
        assert_eq!(bounds("1984~/2004-06"), span("1983-01-01", "2004-06-30"));
        assert_eq!(
            bounds("1984-06-02?/2004-08-08~"),
            span("1984-06-02", "2004-08-09")
        );
        assert_eq!(bounds("2004-02-01/2005"), span("2004-02-01", "2005-12-31"));
        assert_eq!(bounds("1985-04-12/"), (day("1985-04-12T00:00:00"), None));
    }

    #[test]
    fn overlong_text_is_refused_without_being_echoed_whole() {
        let text = "2024-".repeat(10_000);
        let err = FuzzyDate::parse(&text).unwrap_err();
        assert!(err.to_string().len() < 200, "{err}");
    }

    #[test]
    fn between_joins_single_dates() {
        let from = FuzzyDate::parse("1971").unwrap();
        let joined = FuzzyDate::between(Some(&from), None).unwrap().unwrap();
        assert_eq!(joined.text(), "1971/..");
        assert_eq!(joined.ends().0.unwrap().text(), "1971");
        assert!(joined.ends().1.is_none());
        assert!(FuzzyDate::between(Some(&joined), None).is_err());
        assert_eq!(FuzzyDate::between(None, None).unwrap(), None);
    }

    fn point() -> impl Strategy<Value = String> {
        (
            0u32..=9999,
            prop::option::of(1u32..=12),
            1u32..=28,
            0usize..4,
            any::<bool>(),
        )
            .prop_map(|(y, m, d, q, with_day)| {
                let q = ["", "~", "?", "%"][q];
                match (m, with_day) {
                    (None, _) => format!("{y:04}{q}"),
                    (Some(m), false) => format!("{y:04}-{m:02}{q}"),
                    (Some(m), true) => format!("{y:04}-{m:02}-{d:02}{q}"),
                }
            })
    }

    /// A day with some of its digits replaced by `X`, and the day itself.
    fn unspecified() -> impl Strategy<Value = (String, (i32, u32, u32))> {
        (1000i32..=2999, 1u32..=12, 1u32..=28, any::<[bool; 8]>()).prop_map(|(y, m, d, hide)| {
            let written = format!("{y:04}{m:02}{d:02}");
            let masked: String = written
                .chars()
                .zip(hide)
                .map(|(c, h)| if h { 'X' } else { c })
                .collect();
            (
                format!("{}-{}-{}", &masked[..4], &masked[4..6], &masked[6..]),
                (y, m, d),
            )
        })
    }

    proptest! {
        #[test]
        fn unspecified_digits_cover_every_day_they_allow((text, (y, m, d)) in unspecified()) {
            // The day itself fits the pattern, so the pattern always names a day.
            {
                let date = FuzzyDate::parse(&text).unwrap();
                let day = chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
                let start = day.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
                prop_assert!(date.earliest().unwrap() <= start, "{}", text);
                prop_assert!(date.latest().unwrap() >= start + 86_399, "{}", text);
                prop_assert_eq!(date.to_string(), text);
            }
        }

        #[test]
        fn single_dates_round_trip_with_ordered_bounds(text in point()) {
            let date = FuzzyDate::parse(&text).unwrap();
            prop_assert_eq!(date.to_string(), text.clone());
            prop_assert!(date.earliest().unwrap() <= date.latest().unwrap());
            prop_assert_eq!(date.approximate(), text.ends_with('~') || text.ends_with('%'));
            prop_assert_eq!(date.uncertain(), text.ends_with('?') || text.ends_with('%'));
        }

        #[test]
        fn intervals_round_trip_and_cover_their_ends(a in point(), b in point(), open in 0usize..3) {
            let text = match open {
                0 => format!("{a}/{b}"),
                1 => format!("{a}/.."),
                _ => format!("../{b}"),
            };
            match FuzzyDate::parse(&text) {
                Ok(date) => {
                    prop_assert_eq!(date.to_string(), text);
                    if let (Some(lo), Some(hi)) = (date.earliest(), date.latest()) {
                        prop_assert!(lo <= hi);
                    }
                    let start = FuzzyDate::parse(&a).unwrap();
                    if open != 2 {
                        prop_assert_eq!(date.earliest(), start.earliest());
                    }
                }
                // Only a start after the end may be refused.
                Err(e) => prop_assert!(e.reason.contains("after"), "{}", e),
            }
        }
    }
}
