//! One EDTF date (not an interval), as the Library of Congress specification's Level 1
//! states it, with Level 2's qualified components and unspecified digits anywhere:
//!
//! - `1971`, `2024-12`, `2024-12-13`, negative years (`-0044`) and years of more than
//!   four digits behind a `Y` (`Y-12000`, `Y170000002`);
//! - seasons in the month's place: 21–24 spring, summer, autumn, winter (northern
//!   hemisphere, as 25–28), 29–32 the southern seasons, 33–36 quarters, 37–39
//!   quadrimesters, 40–41 semesters; a winter runs from December into February of the
//!   next year;
//! - `X` for unspecified digits (`197X`, `2024-1X`, `2024-12-XX`, `XXXX-12-25`): the
//!   date spans every day its digits allow;
//! - qualifiers: `~` approximate, `?` uncertain, `%` both, after the whole date
//!   (`2024-12~`), after one component (`2024-12?-13`: the year and month are
//!   uncertain) or before one (`2024-~12-13`: only the month is approximate).
//!
//! An uncertain date keeps its bounds; an approximate one widens by one unit of the
//! component its qualifier is attached to (the coarsest, when there are several):
//! `2024-12-13~` by a day on each side, `2024-12~-13` by a month, `2024-21~` by a
//! season.
use super::calendar::{Day, days_in_month};

/// How far back and forward an approximate date reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    /// Ordered finest first: the coarsest qualified component wins.
    Day,
    Months(i64),
}

/// The longest year a `Y` prefix may carry, in digits: bounds stay far inside `i64`.
const MAX_YEAR_DIGITS: usize = 9;

/// A parsed single date: the first and last day it can mean, before widening.
pub struct Point {
    first: Day,
    last: Day,
    /// The unit an approximate date widens by; `None` when it is not approximate.
    widen: Option<Unit>,
    /// Whether the date names no day, so that widening its end by months lands on the
    /// last day of a month (`2024-06~` runs to the end of July).
    whole_months: bool,
    pub approximate: bool,
    pub uncertain: bool,
}

impl Point {
    /// The first second the date can mean.
    pub fn earliest(&self) -> i64 {
        match self.widen {
            None => self.first,
            Some(Unit::Day) => self.first.previous(),
            Some(Unit::Months(n)) => self.first.add_months(-n),
        }
        .start_seconds()
    }

    /// The last second the date can mean.
    pub fn latest(&self) -> i64 {
        let last = match self.widen {
            None => self.last,
            Some(Unit::Day) => self.last.next(),
            Some(Unit::Months(n)) if self.whole_months => {
                let month = Day {
                    day: 1,
                    ..self.last
                }
                .add_months(n);
                Day {
                    day: days_in_month(month.year, month.month),
                    ..month
                }
            }
            Some(Unit::Months(n)) => self.last.add_months(n),
        };
        last.end_seconds()
    }
}

/// A qualifier character's meaning: (approximate, uncertain).
fn qualifier(c: char) -> Option<(bool, bool)> {
    match c {
        '~' => Some((true, false)),
        '?' => Some((false, true)),
        '%' => Some((true, true)),
        _ => None,
    }
}

/// One `-`-separated component as written: its digits and its qualifiers.
struct Component<'t> {
    digits: &'t str,
    before: Option<(bool, bool)>,
    after: Option<(bool, bool)>,
}

fn component(text: &str) -> Result<Component<'_>, String> {
    let mut body = text;
    let before = body.chars().next().and_then(qualifier);
    if before.is_some() {
        body = &body[1..];
    }
    let after = body.chars().last().and_then(qualifier);
    if after.is_some() {
        body = &body[..body.len() - 1];
    }
    if body.chars().any(|c| qualifier(c).is_some()) {
        return Err(format!("\"{text}\" has more than one qualifier on a side"));
    }
    Ok(Component {
        digits: body,
        before,
        after,
    })
}

/// The values a run of digits and `X`s can take, smallest and largest.
fn digit_range(digits: &str, what: &str, width: usize) -> Result<(i64, i64), String> {
    if digits.len() != width || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'X') {
        return Err(format!(
            "the {what} must be {width} digits (X for one unspecified), found \"{digits}\""
        ));
    }
    let low: String = digits.replace('X', "0");
    let high: String = digits.replace('X', "9");
    Ok((
        low.parse().expect("ASCII digits parse"),
        high.parse().expect("ASCII digits parse"),
    ))
}

/// Whether `value` (of `width` digits) fits the pattern `digits`.
fn fits(digits: &str, value: u32, width: usize) -> bool {
    let written = format!("{value:0width$}");
    digits
        .bytes()
        .zip(written.bytes())
        .all(|(p, v)| p == b'X' || p == v)
}

/// Where a date sits inside its year: months (with their days), or a season.
enum WithinYear<'t> {
    Whole,
    Months {
        month: &'t str,
        day: Option<&'t str>,
    },
    /// First month and length in months (a winter's runs into the next year).
    Season(u32, u32),
}

fn season(code: u32) -> Option<(u32, u32)> {
    let northern = |n: u32| [(3, 3), (6, 3), (9, 3), (12, 3)][n as usize];
    Some(match code {
        21..=24 => northern(code - 21),
        25..=28 => northern(code - 25),
        29..=32 => northern((code - 29 + 2) % 4),
        33..=36 => (1 + (code - 33) * 3, 3),
        37..=39 => (1 + (code - 37) * 4, 4),
        40 | 41 => (1 + (code - 40) * 6, 6),
        _ => return None,
    })
}

/// The first (or, `last`, the last) day in years `years` that the month and day
/// patterns allow; `None` when they allow none.
fn extreme_day(years: (i64, i64), within: &WithinYear<'_>, last: bool) -> Option<Day> {
    let (month_pattern, day_pattern) = match within {
        WithinYear::Whole => ("XX", Some("XX")),
        WithinYear::Months { month, day } => (*month, *day),
        WithinYear::Season(first, length) => {
            let year = if last { years.1 } else { years.0 };
            let start = Day {
                year,
                month: *first,
                day: 1,
            };
            return Some(if last {
                let end = start.add_months(i64::from(*length) - 1);
                Day {
                    day: days_in_month(end.year, end.month),
                    ..end
                }
            } else {
                start
            });
        }
    };
    let day_pattern = day_pattern.unwrap_or("XX");
    // A valid day, when there is one, lies within eight years of the range's end
    // (29 February recurs at least every eight years).
    let years: Vec<i64> = if last {
        (years.0.max(years.1 - 8)..=years.1).rev().collect()
    } else {
        (years.0..=years.1.min(years.0 + 8)).collect()
    };
    let mut months: Vec<u32> = (1..=12).filter(|m| fits(month_pattern, *m, 2)).collect();
    let mut days: Vec<u32> = (1..=31).filter(|d| fits(day_pattern, *d, 2)).collect();
    if last {
        months.reverse();
        days.reverse();
    }
    for &year in &years {
        for &month in &months {
            if let Some(&day) = days.iter().find(|d| **d <= days_in_month(year, month)) {
                return Some(Day { year, month, day });
            }
        }
    }
    None
}

/// The years a year component allows (`Y` years are exact).
fn years(text: &str) -> Result<(i64, i64), String> {
    if let Some(long) = text.strip_prefix('Y') {
        let (negative, digits) = match long.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, long),
        };
        if !(5..=MAX_YEAR_DIGITS).contains(&digits.len())
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.starts_with('0')
        {
            return Err(format!(
                "a year after Y must have 5 to {MAX_YEAR_DIGITS} digits, found \"{digits}\""
            ));
        }
        let year: i64 = digits.parse().expect("ASCII digits parse");
        let year = if negative { -year } else { year };
        return Ok((year, year));
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text),
    };
    let (low, high) = digit_range(digits, "year", 4)?;
    if negative {
        if high == 0 {
            return Err("the year -0000 does not exist; write 0000".into());
        }
        Ok((-high, -low))
    } else {
        Ok((low, high))
    }
}

/// Parses one date; the error says what is wrong.
pub fn parse(text: &str) -> Result<Point, String> {
    if text.starts_with('Y') || text.get(1..).is_some_and(|t| t.starts_with('Y')) {
        let part = component(text)?;
        let years = years(part.digits)?;
        let (first, last) = extreme_days(years, &WithinYear::Whole)?;
        return Ok(qualified((first, last, true), &[part], &[Unit::Months(12)]));
    }
    // A leading `-` is the year's sign.
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let pieces: Vec<&str> = rest.split('-').collect();
    if pieces.len() > 3 || pieces.iter().any(|p| p.is_empty()) {
        return Err("expected YYYY, YYYY-MM or YYYY-MM-DD".into());
    }
    let parts = pieces
        .iter()
        .map(|p| component(p))
        .collect::<Result<Vec<_>, _>>()?;
    let years = years(&format!("{sign}{}", parts[0].digits))?;
    let within = match parts.len() {
        1 => WithinYear::Whole,
        _ => {
            let month = parts[1].digits;
            match month.parse::<u32>().ok().and_then(season) {
                Some((first, length)) if parts.len() == 2 => WithinYear::Season(first, length),
                Some(_) => return Err("a season has no day".into()),
                None => {
                    digit_range(month, "month", 2)?;
                    if !(1..=12).any(|m| fits(month, m, 2)) {
                        return Err(format!("month {month} is not 01-12 or a season 21-41"));
                    }
                    let day = parts.get(2).map(|p| p.digits);
                    if let Some(day) = day {
                        digit_range(day, "day", 2)?;
                    }
                    WithinYear::Months { month, day }
                }
            }
        }
    };
    let (first, last) = extreme_days(years, &within)?;
    let whole_months = !matches!(within, WithinYear::Months { day: Some(_), .. });
    let units = match within {
        WithinYear::Season(_, length) => vec![Unit::Months(12), Unit::Months(length.into())],
        _ => vec![Unit::Months(12), Unit::Months(1), Unit::Day],
    };
    Ok(qualified((first, last, whole_months), &parts, &units))
}

/// The first and last day a date's patterns allow.
fn extreme_days(years: (i64, i64), within: &WithinYear<'_>) -> Result<(Day, Day), String> {
    let nothing = || match within {
        WithinYear::Months {
            month,
            day: Some(day),
        } => format!("month {month} of that year has no day {day}"),
        _ => "it names no day of the calendar".to_owned(),
    };
    let first = extreme_day(years, within, false).ok_or_else(nothing)?;
    let last = extreme_day(years, within, true).ok_or_else(nothing)?;
    Ok((first, last))
}

/// The date from `first` to `last` (`whole_months` when it names no day) with the
/// qualifiers of its components, each of which widens by its unit in `units` when
/// approximate.
fn qualified(
    (first, last, whole_months): (Day, Day, bool),
    parts: &[Component<'_>],
    units: &[Unit],
) -> Point {
    let (mut approximate, mut uncertain, mut widen) = (false, false, None::<Unit>);
    for (part, unit) in parts.iter().zip(units) {
        for (approx, unsure) in [part.before, part.after].into_iter().flatten() {
            approximate |= approx;
            uncertain |= unsure;
            if approx {
                widen = Some(widen.map_or(*unit, |w| w.max(*unit)));
            }
        }
    }
    Point {
        first,
        last,
        widen,
        whole_months,
        approximate,
        uncertain,
    }
}
