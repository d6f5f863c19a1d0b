//! The proleptic Gregorian calendar on plain integers, so that years far beyond
//! chrono's range (EDTF's `Y-170000002`) still get exact bounds.

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    pub year: i64,
    pub month: u32,
    pub day: u32,
}

pub fn is_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Day {
    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    fn days_since_epoch(self) -> i64 {
        let year = if self.month <= 2 {
            self.year - 1
        } else {
            self.year
        };
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let month = i64::from(self.month);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5
            + i64::from(self.day)
            - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The first second of the day, in seconds since the Unix epoch.
    pub fn start_seconds(self) -> i64 {
        self.days_since_epoch() * 86_400
    }

    /// The last second of the day.
    pub fn end_seconds(self) -> i64 {
        self.start_seconds() + 86_399
    }

    /// The same day `months` months later (or earlier), clamped to the month's end
    /// (31 January plus one month is the last day of February).
    pub fn add_months(self, months: i64) -> Self {
        let index = self.year * 12 + i64::from(self.month) - 1 + months;
        let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
        Self {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    pub fn next(self) -> Self {
        if self.day < days_in_month(self.year, self.month) {
            Self {
                day: self.day + 1,
                ..self
            }
        } else {
            Self {
                day: 1,
                ..self.add_months(1)
            }
        }
    }

    pub fn previous(self) -> Self {
        if self.day > 1 {
            Self {
                day: self.day - 1,
                ..self
            }
        } else {
            let month = Self { day: 1, ..self }.add_months(-1);
            Self {
                day: days_in_month(month.year, month.month),
                ..month
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_chrono_where_chrono_reaches(days in -90_000_000i64..90_000_000) {
            let date = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()
                + chrono::TimeDelta::days(days);
            let day = Day { year: date.year().into(), month: date.month(), day: date.day() };
            prop_assert_eq!(day.start_seconds(), date.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp());
            let next = date.succ_opt().unwrap();
            prop_assert_eq!(day.next(), Day { year: next.year().into(), month: next.month(), day: next.day() });
            prop_assert_eq!(day.next().previous(), day);
        }
    }
}
