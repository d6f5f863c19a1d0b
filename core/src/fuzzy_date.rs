//! Fuzzy dates in a subset of EDTF (ISO 8601-2, Library of Congress Extended
//! Date/Time Format), the way reports state time.
//!
//! Supported: `1971`, `2024-12`, `2024-12-13`, each optionally qualified as approximate
//! (`~`), uncertain (`?`) or both (`%`), and intervals `a/b` whose ends may be open
//! (`..`) or unknown (empty). A date is stored as its text plus the earliest and latest
//! instant it can mean (seconds since the Unix epoch, inclusive). An approximate date
//! widens by one unit of its precision on each side (`2024-12-13~` can mean 12–14
//! December); an uncertain one keeps its bounds. Open and unknown ends have no bound.
use chrono::{Months, NaiveDate};
use std::fmt;

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

#[derive(Clone, Copy, PartialEq, Eq)]
enum Precision {
    Year,
    Month,
    Day,
}

/// One calendar date of year, month or day precision with its qualifiers.
struct Point {
    first_day: NaiveDate,
    precision: Precision,
    approximate: bool,
    uncertain: bool,
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
        match text.split_once('/') {
            None => {
                let point = parse_point(text).map_err(|r| fail(&r))?;
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
        _ => parse_point(text).map(End::Dated),
    }
}

fn parse_point(text: &str) -> Result<Point, String> {
    let (body, approximate, uncertain) = match text.chars().last() {
        Some('~') => (&text[..text.len() - 1], true, false),
        Some('?') => (&text[..text.len() - 1], false, true),
        Some('%') => (&text[..text.len() - 1], true, true),
        _ => (text, false, false),
    };
    let parts: Vec<&str> = body.split('-').collect();
    let number = |part: &str, digits: usize, what: &str| -> Result<u32, String> {
        if part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()) {
            Ok(part.parse().expect("ASCII digits parse"))
        } else {
            Err(format!(
                "the {what} must be {digits} digits, found \"{part}\""
            ))
        }
    };
    let year = number(parts[0], 4, "year")? as i32;
    let (month, day, precision) = match parts.len() {
        1 => (1, 1, Precision::Year),
        2 => (number(parts[1], 2, "month")?, 1, Precision::Month),
        3 => (
            number(parts[1], 2, "month")?,
            number(parts[2], 2, "day")?,
            Precision::Day,
        ),
        _ => return Err("expected YYYY, YYYY-MM or YYYY-MM-DD".into()),
    };
    if !(1..=12).contains(&month) {
        return Err(format!("month {month:02} is not 01-12"));
    }
    let first_day = NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| format!("{year:04}-{month:02} has no day {day:02}"))?;
    Ok(Point {
        first_day,
        precision,
        approximate,
        uncertain,
    })
}

impl Point {
    fn step_back(&self, date: NaiveDate) -> NaiveDate {
        match self.precision {
            Precision::Year => date - Months::new(12),
            Precision::Month => date - Months::new(1),
            Precision::Day => date.pred_opt().unwrap_or(date),
        }
    }
    fn step_forward(&self, date: NaiveDate) -> NaiveDate {
        match self.precision {
            Precision::Year => date + Months::new(12),
            Precision::Month => date + Months::new(1),
            Precision::Day => date.succ_opt().unwrap_or(date),
        }
    }
    fn earliest(&self) -> i64 {
        let first = if self.approximate {
            self.step_back(self.first_day)
        } else {
            self.first_day
        };
        seconds(first)
    }
    fn latest(&self) -> i64 {
        let mut after = self.step_forward(self.first_day);
        if self.approximate {
            after = self.step_forward(after);
        }
        seconds(after) - 1
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

fn seconds(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp()
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
            "-2024",
        ] {
            assert!(FuzzyDate::parse(bad).is_err(), "{bad:?} should be rejected");
        }
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

    proptest! {
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
