//! The validation rules every write obeys, each a BAD_USER_INPUT naming the field
//! path and the rule. The limits here are documented in the README.
use crate::error::GarrisonError;
use crate::fuzzy_date::FuzzyDate;
use crate::names::fold;
use std::collections::HashSet;

/// Names and titles: at most this many characters.
pub const MAX_NAME: usize = 500;
/// Descriptions, summaries and excerpts.
pub const MAX_TEXT: usize = 10_000;
/// Short labels: external keys, regions, places, bases of tenures, `via`.
pub const MAX_LABEL: usize = 500;
/// URLs.
pub const MAX_URL: usize = 2_000;
/// Aliases of one record.
pub const MAX_ALIASES: usize = 100;

type Result<T> = std::result::Result<T, GarrisonError>;

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
    let trimmed = text.trim();
    if trimmed.is_empty() || fold(trimmed).is_empty() {
        return Err(GarrisonError::invalid(path, "must not be empty or blank"));
    }
    length(path, trimmed, MAX_NAME)?;
    Ok(trimmed.to_owned())
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
    match code {
        None => Ok(None),
        Some(c)
            if c.len() == 2
                && c.bytes().all(|b| b.is_ascii_uppercase())
                && celes::Country::from_alpha2(&c).is_ok() =>
        {
            Ok(Some(c))
        }
        Some(c) => Err(GarrisonError::invalid(
            path,
            format!("\"{c}\" is not an ISO 3166-1 alpha-2 country code"),
        )),
    }
}

pub fn latitude(path: &str, value: f64) -> Result<f64> {
    if !(-90.0..=90.0).contains(&value) {
        return Err(GarrisonError::invalid(path, "must be between -90 and 90"));
    }
    Ok(value)
}

pub fn longitude(path: &str, value: f64) -> Result<f64> {
    if !(-180.0..=180.0).contains(&value) {
        return Err(GarrisonError::invalid(path, "must be between -180 and 180"));
    }
    Ok(value)
}

/// An http(s) URL with a host.
pub fn url(path: &str, value: Option<String>) -> Result<Option<String>> {
    let Some(u) = value else { return Ok(None) };
    length(path, &u, MAX_URL)?;
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty() && !rest.starts_with('/') && !u.contains(char::is_whitespace) =>
        {
            Ok(Some(u))
        }
        _ => Err(GarrisonError::invalid(
            path,
            format!("\"{u}\" is not an http(s) URL"),
        )),
    }
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
    match value {
        Some(c) if !(0..=100).contains(&c) => Err(GarrisonError::invalid(
            path,
            format!("must be between 0 and 100 (got {c})"),
        )),
        other => Ok(other),
    }
}

/// Admiralty credibility of a claim: 1 (confirmed) to 6 (cannot be judged).
pub fn credibility(path: &str, value: i32) -> Result<i16> {
    if !(1..=6).contains(&value) {
        return Err(GarrisonError::invalid(
            path,
            format!("must be between 1 and 6 (got {value})"),
        ));
    }
    Ok(value as i16)
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
    let Some(tag) = value else { return Ok(None) };
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or_default();
    let valid = (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if !valid {
        return Err(GarrisonError::invalid(
            path,
            format!("\"{tag}\" is not a BCP 47 language tag (en, ar, pt-BR)"),
        ));
    }
    Ok(Some(tag))
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
