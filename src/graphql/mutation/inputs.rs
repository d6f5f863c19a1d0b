//! The pieces every type's inputs use to become the core's changes: field paths in
//! camelCase, references by global id, and what absent and null mean in an update.

use crate::error::{ApiError, ApiResult};
use crate::graphql::node::{Record, record_id};
use crate::write::Reference;
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
