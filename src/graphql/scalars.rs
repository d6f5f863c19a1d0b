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

impl Edtf {
    /// The text as given.
    pub fn into_inner(self) -> String {
        self.0
    }

    /// Parses the date given for `field`.
    pub fn parse(&self, field: &str) -> ApiResult<FuzzyDate> {
        FuzzyDate::parse(&self.0).map_err(|e| ApiError::invalid(field, e.to_string()))
    }
}

/// Parses an optional date argument given for `field`.
pub fn parse_date(date: Option<Edtf>, field: &str) -> ApiResult<Option<FuzzyDate>> {
    date.map(|d| d.parse(field)).transpose()
}

/// A date as reports state it, in EDTF (ISO 8601-2): `1971`, `2024-12`, `2024-12-13`,
/// qualified `~` (approximate), `?` (uncertain) or `%` (both), and intervals such as
/// `2024-11-27/2024-12-08` or `2024-12-08/..` (open end).
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

/// A fuzzy date with the earliest and latest instant it can mean. An open or unknown
/// end has no instant.
#[Object]
impl FuzzyDate {
    /// The date as stated, in EDTF.
    async fn edtf(&self) -> &str {
        self.text()
    }
    /// The earliest instant the date can mean; null when unknown or open.
    #[graphql(name = "earliest")]
    async fn earliest_field(&self) -> Option<DateTime<Utc>> {
        instant(FuzzyDate::earliest(self))
    }
    /// The latest instant the date can mean; null when unknown or open.
    #[graphql(name = "latest")]
    async fn latest_field(&self) -> Option<DateTime<Utc>> {
        instant(FuzzyDate::latest(self))
    }
    /// Whether the date is qualified as approximate (`~` or `%`).
    #[graphql(name = "approximate")]
    async fn approximate_field(&self) -> bool {
        FuzzyDate::approximate(self)
    }
    /// Whether the date is qualified as uncertain (`?` or `%`).
    #[graphql(name = "uncertain")]
    async fn uncertain_field(&self) -> bool {
        FuzzyDate::uncertain(self)
    }
}
