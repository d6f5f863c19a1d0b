//! Fuzzy dates in GraphQL: the `EDTF` input scalar and the `FuzzyDate` output object.
use crate::error::{ApiError, ApiResult};
use crate::fuzzy_date::FuzzyDate;
use async_graphql::{InputValueError, InputValueResult, Object, Scalar, ScalarType, Value};
use chrono::{DateTime, Utc};

/// An `EDTF` argument. The text is parsed where it is used, so that a malformed date is a BAD_USER_INPUT
/// error naming its field (`filter.during`) as well as the value and what is wrong.
#[derive(Clone, Debug)]
pub struct Edtf(String);

impl From<String> for Edtf {
    fn from(text: String) -> Self {
        Self(text)
    }
}

impl From<Edtf> for String {
    fn from(date: Edtf) -> Self {
        date.0
    }
}

impl Edtf {
    /// Parses the date given for `field`.
    pub fn parse(&self, field: &str) -> ApiResult<FuzzyDate> {
        FuzzyDate::parse(&self.0).map_err(|e| ApiError::invalid(field, e.to_string()))
    }
}

/// Parses an optional date argument given for `field`.
pub fn parse_date(date: Option<Edtf>, field: &str) -> ApiResult<Option<FuzzyDate>> {
    date.map(|d| d.parse(field)).transpose()
}

/// A date as reports state it, in EDTF (ISO 8601-2) Level 1: `1971`, `2024-12`,
/// `2024-12-13`, qualified `~` (approximate), `?` (uncertain) or `%` (both) as a whole
/// or by part (`2024-12?-13`), unspecified digits (`197X`, `2024-12-XX`), seasons
/// (`2024-21` spring), years before 0 or beyond four digits (`-0044`, `Y-12000`), and
/// intervals such as `2024-11-27/2024-12-08` or `2024-12-08/..` (open end); at most
/// 64 bytes.
#[Scalar(
    name = "EDTF",
    specified_by_url = "https://www.loc.gov/standards/datetime/"
)]
impl ScalarType for Edtf {
    fn parse(value: Value) -> InputValueResult<Self> {
        match value {
            Value::String(text) => Ok(Edtf(text)),
            other => Err(InputValueError::expected_type(other)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

fn instant(seconds: Option<i64>) -> Option<DateTime<Utc>> {
    seconds.and_then(|s| DateTime::from_timestamp(s, 0))
}

/// A fuzzy date as GraphQL shows it: the object `FuzzyDate`.
pub struct FuzzyDateObject(pub FuzzyDate);

impl From<FuzzyDate> for FuzzyDateObject {
    fn from(date: FuzzyDate) -> Self {
        Self(date)
    }
}

/// A fuzzy date with the earliest and latest instant it can mean. An open or unknown
/// end has no instant.
#[Object(name = "FuzzyDate")]
impl FuzzyDateObject {
    /// The date as stated, in EDTF.
    async fn edtf(&self) -> &str {
        self.0.text()
    }
    /// The earliest instant the date can mean; null when unknown or open.
    async fn earliest(&self) -> Option<DateTime<Utc>> {
        instant(self.0.earliest())
    }
    /// The latest instant the date can mean; null when unknown or open.
    async fn latest(&self) -> Option<DateTime<Utc>> {
        instant(self.0.latest())
    }
    /// Whether the date is qualified as approximate (`~` or `%`).
    async fn approximate(&self) -> bool {
        self.0.approximate()
    }
    /// Whether the date is qualified as uncertain (`?` or `%`).
    async fn uncertain(&self) -> bool {
        self.0.uncertain()
    }
}

/// The two ends of the period a tenure or deployment holds, from its stored EDTF
/// interval; flattened into the record's own fields.
pub struct Validity(pub Option<String>);

#[Object]
impl Validity {
    /// Since when; null when unknown.
    async fn valid_from(&self) -> Option<FuzzyDateObject> {
        FuzzyDate::from_stored(self.0.clone())
            .and_then(|d| d.ends().0)
            .map(Into::into)
    }
    /// Until when; null while it still holds (or when unknown).
    async fn valid_to(&self) -> Option<FuzzyDateObject> {
        FuzzyDate::from_stored(self.0.clone())
            .and_then(|d| d.ends().1)
            .map(Into::into)
    }
}
