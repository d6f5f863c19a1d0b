//! The validation rules every write obeys, each a BAD_USER_INPUT naming the field
//! path and the rule. The values with rules of their own are parsed by their types
//! in [`crate::domain`]; the limits here are documented in the README.
use crate::domain::{
    Confidence, CountryCode, Credibility, Language, Latitude, Longitude, Name, Rule, Url,
};
use crate::error::GarrisonError;
use crate::fuzzy_date::FuzzyDate;
use crate::names::fold;
use std::collections::HashSet;

pub use crate::domain::MAX_NAME;
/// Descriptions, summaries and excerpts.
pub const MAX_TEXT: usize = 10_000;
/// Short labels: external keys, regions, places, bases of tenures, `via`.
pub const MAX_LABEL: usize = 500;
/// Aliases of one record.
pub const MAX_ALIASES: usize = 100;

type Result<T> = std::result::Result<T, GarrisonError>;

/// The value `parse` makes of `value`, or the rule it breaks as the error of `path`.
fn parsed<T, V>(
    path: &str,
    value: V,
    parse: impl FnOnce(V) -> std::result::Result<T, Rule>,
) -> Result<T> {
    parse(value).map_err(|rule| GarrisonError::invalid(path, rule.0))
}

/// `path.field`, or `field` at the top level.
pub fn at(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

fn length(path: &str, text: &str, max: usize) -> Result<()> {
    let n = text.chars().count();
    if n > max {
        return Err(GarrisonError::invalid(
            path,
            format!("must be at most {max} characters (got {n})"),
        ));
    }
    Ok(())
}

/// A name or title: not blank, at most [`MAX_NAME`]; returned trimmed.
pub fn name(path: &str, text: String) -> Result<String> {
    parsed(path, text.as_str(), Name::parse).map(Name::into_inner)
}

/// Free text that may be absent but, when given, is not blank.
pub fn text(path: &str, text: Option<String>, max: usize) -> Result<Option<String>> {
    match text {
        None => Ok(None),
        Some(t) if t.trim().is_empty() => Err(GarrisonError::invalid(
            path,
            "must not be blank (use null to leave it out)",
        )),
        Some(t) => {
            length(path, &t, max)?;
            Ok(Some(t))
        }
    }
}

/// Required free text (an excerpt).
pub fn required_text(path: &str, value: String, max: usize) -> Result<String> {
    if value.trim().is_empty() {
        return Err(GarrisonError::invalid(path, "must not be empty or blank"));
    }
    length(path, &value, max)?;
    Ok(value)
}

/// An ISO 3166-1 alpha-2 country code, upper case.
pub fn country(path: &str, code: Option<String>) -> Result<Option<String>> {
    code.map(|c| parsed(path, c.as_str(), CountryCode::parse).map(CountryCode::into_inner))
        .transpose()
}

pub fn latitude(path: &str, value: f64) -> Result<f64> {
    parsed(path, value, Latitude::parse).map(Latitude::degrees)
}

pub fn longitude(path: &str, value: f64) -> Result<f64> {
    parsed(path, value, Longitude::parse).map(Longitude::degrees)
}

/// An http(s) URL with a host.
pub fn url(path: &str, value: Option<String>) -> Result<Option<String>> {
    value
        .map(|u| parsed(path, u.as_str(), Url::parse).map(Url::into_inner))
        .transpose()
}

/// An EDTF date.
pub fn date(path: &str, text: Option<String>) -> Result<Option<FuzzyDate>> {
    text.map(|t| FuzzyDate::parse(&t).map_err(|e| GarrisonError::invalid(path, e.to_string())))
        .transpose()
}

/// The interval between two EDTF ends; `validFrom` must not come after `validTo`.
pub fn interval(
    path: &str,
    from: Option<FuzzyDate>,
    to: Option<FuzzyDate>,
) -> Result<Option<FuzzyDate>> {
    for (field, end) in [("validFrom", &from), ("validTo", &to)] {
        if end.as_ref().is_some_and(FuzzyDate::is_interval) {
            return Err(GarrisonError::invalid(
                at(path, field),
                "must be a single date, not an interval",
            ));
        }
    }
    FuzzyDate::between(from.as_ref(), to.as_ref())
        .map_err(|e| GarrisonError::invalid(at(path, "validFrom"), e.reason))
}

/// Confidence in an event, in percent.
pub fn confidence(path: &str, value: Option<i32>) -> Result<Option<i32>> {
    value
        .map(|c| parsed(path, c, Confidence::parse).map(Confidence::percent))
        .transpose()
}

/// Admiralty credibility of a claim: 1 (confirmed) to 6 (cannot be judged).
pub fn credibility(path: &str, value: i32) -> Result<i16> {
    parsed(path, value, Credibility::parse).map(Credibility::grade)
}

/// A counted quantity is not negative.
pub fn quantity(path: &str, value: i32) -> Result<i32> {
    if value < 0 {
        return Err(GarrisonError::invalid(path, "must not be negative"));
    }
    Ok(value)
}

/// A BCP 47 language tag such as `en`, `ar` or `pt-BR`.
pub fn language(path: &str, value: Option<String>) -> Result<Option<String>> {
    value
        .map(|tag| parsed(path, tag.as_str(), Language::parse).map(Language::into_inner))
        .transpose()
}

/// Aliases: each a valid name, none twice (after folding), none equal to the name.
pub fn aliases(path: &str, name: &str, aliases: Vec<String>) -> Result<Vec<String>> {
    if aliases.len() > MAX_ALIASES {
        return Err(GarrisonError::invalid(
            path,
            format!("at most {MAX_ALIASES} aliases"),
        ));
    }
    let mut seen = HashSet::from([fold(name)]);
    let mut out = Vec::with_capacity(aliases.len());
    for (i, alias) in aliases.into_iter().enumerate() {
        let field = format!("{path}[{i}]");
        let alias = self::name(&field, alias)?;
        if !seen.insert(fold(&alias)) {
            return Err(GarrisonError::invalid(
                field,
                format!(
                    "duplicate alias \"{alias}\" (aliases and the name must differ after folding)"
                ),
            ));
        }
        out.push(alias);
    }
    Ok(out)
}

/// An external key: not blank, at most [`MAX_LABEL`].
pub fn key(path: &str, value: Option<String>) -> Result<Option<String>> {
    text(path, value, MAX_LABEL)
}
