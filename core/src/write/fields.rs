//! Writing one changed field onto a row: each helper leaves the column alone when the
//! change does not mention it, and validates what it writes.
use super::Writable;
use super::validate;
use super::{Reference, Session};
use crate::error::GarrisonError;
use crate::fuzzy_date::FuzzyDate;
use crate::names::fold;
use crate::vocabulary::Marking;
use sea_orm::ActiveValue::{self, Set};
use sea_orm::Value;

type Result<T> = std::result::Result<T, GarrisonError>;

/// Sets `column` when the change gives a value.
pub fn assign<T: Into<Value>>(column: &mut ActiveValue<T>, change: Option<T>) {
    if let Some(value) = change {
        *column = Set(value);
    }
}

/// The two fields every record has besides its own: its external key and its marking.
/// A marking above the writer's clearance is FORBIDDEN. (A new record whose write
/// names none gets the session's default when it is inserted.)
pub fn assign_key_and_marking(
    s: &Session,
    (key, marking): (&mut ActiveValue<Option<String>>, &mut ActiveValue<Marking>),
    (new_key, new_marking): (Option<Option<String>>, Option<Marking>),
    path: &str,
) -> Result<()> {
    assign_checked(key, new_key, |k| {
        validate::key(&validate::at(path, "key"), k)
    })?;
    if let Some(given) = new_marking {
        s.may_mark(given, &validate::at(path, "marking"))?;
        *marking = Set(given);
    }
    Ok(())
}

/// Sets `column` to `check(value)` when the change gives a value.
pub fn assign_checked<T, U: Into<Value>>(
    column: &mut ActiveValue<U>,
    change: Option<T>,
    check: impl FnOnce(T) -> Result<U>,
) -> Result<()> {
    if let Some(value) = change {
        *column = Set(check(value)?);
    }
    Ok(())
}

/// A record's ISO 3166-1 alpha-2 country code.
pub fn assign_country(
    column: &mut ActiveValue<Option<String>>,
    change: Option<Option<String>>,
    path: &str,
) -> Result<()> {
    assign_checked(column, change, |v| {
        validate::country(&validate::at(path, "country"), v)
    })
}

/// A record's free-text description (at most [`validate::MAX_TEXT`] characters).
pub fn assign_description(
    column: &mut ActiveValue<Option<String>>,
    change: Option<Option<String>>,
    path: &str,
) -> Result<()> {
    assign_text(column, change, path, "description", validate::MAX_TEXT)
}

/// Free text (at most `max` characters) of the column named `field`.
pub fn assign_text(
    column: &mut ActiveValue<Option<String>>,
    change: Option<Option<String>>,
    path: &str,
    field: &str,
    max: usize,
) -> Result<()> {
    assign_checked(column, change, |v| {
        validate::text(&validate::at(path, field), v, max)
    })
}

/// A required reference to a record of type `R`, checked to exist.
pub async fn assign_reference<R: Writable>(
    s: &mut Session,
    column: &mut ActiveValue<i64>,
    change: Option<Reference>,
    path: &str,
) -> Result<()> {
    if let Some(reference) = change {
        *column = Set(s.resolve::<R>(&reference, path).await?);
    }
    Ok(())
}

/// An optional reference to a record of type `R`, checked to exist; null clears it.
pub async fn assign_optional_reference<R: Writable>(
    s: &mut Session,
    column: &mut ActiveValue<Option<i64>>,
    change: Option<Option<Reference>>,
    path: &str,
) -> Result<()> {
    if let Some(reference) = change {
        *column = Set(match reference {
            Some(r) => Some(s.resolve::<R>(&r, path).await?),
            None => None,
        });
    }
    Ok(())
}

/// A name (or title) and its folded matching key.
pub fn assign_name(
    name: &mut ActiveValue<String>,
    key: &mut ActiveValue<String>,
    change: Option<String>,
    path: &str,
) -> Result<()> {
    if let Some(value) = change {
        let value = validate::name(path, value)?;
        *key = Set(fold(&value));
        *name = Set(value);
    }
    Ok(())
}

/// A fuzzy date's text and bounds.
pub fn assign_date(
    text: &mut ActiveValue<Option<String>>,
    lo: &mut ActiveValue<Option<i64>>,
    hi: &mut ActiveValue<Option<i64>>,
    date: Option<FuzzyDate>,
) {
    *text = Set(date.as_ref().map(|d| d.text().to_owned()));
    *lo = Set(date.as_ref().and_then(FuzzyDate::earliest));
    *hi = Set(date.as_ref().and_then(FuzzyDate::latest));
}

/// A column's value as the row now holds it (set or loaded), if any.
pub fn current<T: Into<Value> + Clone>(column: &ActiveValue<T>) -> Option<T> {
    column.try_as_ref().cloned()
}

/// A validity interval from changes to either end, keeping the other end as stored.
pub fn assign_validity(
    text: &mut ActiveValue<Option<String>>,
    lo: &mut ActiveValue<Option<i64>>,
    hi: &mut ActiveValue<Option<i64>>,
    from: Option<Option<String>>,
    to: Option<Option<String>>,
    path: &str,
) -> Result<()> {
    if from.is_none() && to.is_none() {
        return Ok(());
    }
    let stored = FuzzyDate::from_stored(current(text).flatten()).map(|d| d.ends());
    let (stored_from, stored_to) = stored.unwrap_or((None, None));
    let from = match from {
        Some(given) => validate::date(&validate::at(path, "validFrom"), given)?,
        None => stored_from,
    };
    let to = match to {
        Some(given) => validate::date(&validate::at(path, "validTo"), given)?,
        None => stored_to,
    };
    assign_date(text, lo, hi, validate::interval(path, from, to)?);
    Ok(())
}

/// A fuzzy date column group from a change to its EDTF text.
pub fn assign_fuzzy_date(
    text: &mut ActiveValue<Option<String>>,
    lo: &mut ActiveValue<Option<i64>>,
    hi: &mut ActiveValue<Option<i64>>,
    change: Option<Option<String>>,
    path: &str,
) -> Result<()> {
    if let Some(given) = change {
        assign_date(text, lo, hi, validate::date(path, given)?);
    }
    Ok(())
}
