//! The pieces every type's inputs use to become the core's changes: field paths in
//! camelCase, references by global id, and what absent and null mean in an update.

use crate::error::{ApiError, ApiResult};
use crate::graphql::node::{Record, record_id};
use crate::graphql::vocabulary::Marking;
use crate::write::validate::at;
use crate::write::{NamedChanges, Reference};
use async_graphql::{ID, MaybeUndefined};

/// `snake_case` → `camelCase`, for field paths in error messages.
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A global id given for `field`, which must name a record of type `R`.
pub fn reference<R: Record>(id: ID, field: &str) -> ApiResult<Reference> {
    Ok(Reference::Id(record_id::<R>(&id, field)?))
}

/// An update field of a required column: absent keeps it, null is refused.
pub fn required<T>(value: MaybeUndefined<T>, field: &str) -> ApiResult<Option<T>> {
    match value {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Err(ApiError::invalid(field, "cannot be null")),
        MaybeUndefined::Value(v) => Ok(Some(v)),
    }
}

/// An update field of a nullable column: absent keeps it, null clears it.
pub fn optional<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// An update field of a required reference to a record of `R`: absent keeps it,
/// null is refused.
pub fn required_reference<R: Record>(
    id: MaybeUndefined<ID>,
    field: &str,
) -> ApiResult<Option<Reference>> {
    required(id, field)?
        .map(|id| reference::<R>(id, field))
        .transpose()
}

/// An update field of a nullable reference to a record of `R`: absent keeps it, null
/// clears it.
pub fn optional_reference<R: Record>(
    id: MaybeUndefined<ID>,
    field: &str,
) -> ApiResult<Option<Option<Reference>>> {
    optional(id)
        .map(|id| id.map(|id| reference::<R>(id, field)).transpose())
        .transpose()
}

/// An update field of a nullable column whose input converts into the stored value.
pub fn optional_into<T: Into<U>, U>(value: MaybeUndefined<T>) -> Option<Option<U>> {
    optional(value).map(|v| v.map(Into::into))
}

/// Converts a list of child inputs, naming each by its index.
pub fn each<I, C>(
    items: Option<Vec<I>>,
    path: &str,
    convert: impl Fn(I, &str) -> ApiResult<C>,
) -> ApiResult<Vec<C>> {
    items
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, item)| convert(item, &format!("{path}[{i}]")))
        .collect()
}

/// The name part of a named record's create input: a missing list of aliases is none.
pub fn created_names<K: Into<C>, C>(
    (kind, name, aliases): (K, String, Option<Vec<String>>),
    (key, marking): (Option<String>, Option<Marking>),
) -> NamedChanges<C> {
    NamedChanges {
        kind: Some(kind.into()),
        name: Some(name),
        aliases: Some(aliases.unwrap_or_default()),
        key: Some(key),
        marking: marking.map(Into::into),
    }
}

/// The name part of a named record's update input: the kind, name and marking
/// cannot be cleared; null aliases are none.
pub fn updated_names<K: Into<C>, C>(
    (kind, name, aliases): (
        MaybeUndefined<K>,
        MaybeUndefined<String>,
        MaybeUndefined<Vec<String>>,
    ),
    (key, marking): (MaybeUndefined<String>, MaybeUndefined<Marking>),
    path: &str,
) -> ApiResult<NamedChanges<C>> {
    Ok(NamedChanges {
        kind: required(kind, &at(path, "kind"))?.map(Into::into),
        name: required(name, &at(path, "name"))?,
        aliases: optional(aliases).map(Option::unwrap_or_default),
        key: optional(key),
        marking: required(marking, &at(path, "marking"))?.map(Into::into),
    })
}
