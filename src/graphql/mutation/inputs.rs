//! How each type's create and update inputs are declared once and become the same
//! write changes (`crate::write`).

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

/// Declares a type's create and update inputs, which convert into the core's changes
/// of that type (`changes`, imported where the macro is used).
///
/// `required` fields must be given on create and cannot be cleared; `optional` ones
/// may be null (null clears them on update); `lists` replace the whole list;
/// `references` are optional, `required_references` required ids of other records;
/// `fixed` fields exist on create only, each with its conversion.
macro_rules! inputs {
    (
        $(#[$cmeta:meta])* create $create:ident;
        $(#[$umeta:meta])* update $update:ident;
        changes $changes:ident;
        required { $( $(#[$rd:meta])* $r:ident : $rt:ty ),* $(,)? }
        optional { $( $(#[$od:meta])* $o:ident : $ot:ty ),* $(,)? }
        lists { $( $(#[$ld:meta])* $l:ident : $lt:ty ),* $(,)? }
        references { $( $(#[$fd:meta])* $f:ident : $ft:ty ),* $(,)? }
        required_references { $( $(#[$qd:meta])* $q:ident : $qt:ty ),* $(,)? }
        fixed { $( $(#[$xd:meta])* $x:ident : $xt:ty = $conv:expr ),* $(,)? }
    ) => {
        $(#[$cmeta])*
        #[derive(async_graphql::InputObject)]
        pub struct $create {
            $( $(#[$rd])* pub $r: $rt, )*
            $( $(#[$od])* pub $o: Option<$ot>, )*
            $( $(#[$ld])* pub $l: Option<Vec<$lt>>, )*
            $( $(#[$fd])* pub $f: Option<async_graphql::ID>, )*
            $( $(#[$qd])* pub $q: async_graphql::ID, )*
            $( $(#[$xd])* pub $x: $xt, )*
        }

        impl $create {
            /// The changes this input asks for; `path` names it in errors.
            #[allow(unused_variables, unused_imports)]
            pub fn into_changes(self, path: &str) -> $crate::error::ApiResult<$changes> {
                use $crate::graphql::mutation::inputs::{camel, reference};
                use $crate::write::validate::at;
                Ok($changes {
                    $( $r: Some(self.$r.into()), )*
                    $( $o: Some(self.$o.map(Into::into)), )*
                    $( $l: Some(self.$l.unwrap_or_default().into_iter().map(Into::into).collect()), )*
                    $( $f: Some(self.$f.map(|id| reference::<$ft>(id, &at(path, &camel(stringify!($f))))).transpose()?), )*
                    $( $q: Some(reference::<$qt>(self.$q, &at(path, &camel(stringify!($q))))?), )*
                    $( $x: Some($conv(self.$x, &at(path, &camel(stringify!($x))))?), )*
                })
            }
        }

        $(#[$umeta])*
        #[derive(async_graphql::InputObject)]
        pub struct $update {
            $( $(#[$rd])* pub $r: async_graphql::MaybeUndefined<$rt>, )*
            $( $(#[$od])* pub $o: async_graphql::MaybeUndefined<$ot>, )*
            $( $(#[$ld])* pub $l: async_graphql::MaybeUndefined<Vec<$lt>>, )*
            $( $(#[$fd])* pub $f: async_graphql::MaybeUndefined<async_graphql::ID>, )*
            $( $(#[$qd])* pub $q: async_graphql::MaybeUndefined<async_graphql::ID>, )*
        }

        impl $update {
            /// The changes this patch asks for; `path` names it in errors.
            #[allow(unused_variables, unused_imports, clippy::needless_update)]
            pub fn into_changes(self, path: &str) -> $crate::error::ApiResult<$changes> {
                use $crate::graphql::mutation::inputs::{camel, optional, reference, required};
                use $crate::write::validate::at;
                Ok($changes {
                    $( $r: required(self.$r, &at(path, &camel(stringify!($r))))?.map(Into::into), )*
                    $( $o: optional(self.$o).map(|v| v.map(Into::into)), )*
                    $( $l: optional(self.$l)
                        .map(|l| l.unwrap_or_default().into_iter().map(Into::into).collect()), )*
                    $( $f: optional(self.$f)
                        .map(|id| id.map(|id| reference::<$ft>(id, &at(path, &camel(stringify!($f))))).transpose())
                        .transpose()?, )*
                    $( $q: required(self.$q, &at(path, &camel(stringify!($q))))?
                        .map(|id| reference::<$qt>(id, &at(path, &camel(stringify!($q)))))
                        .transpose()?, )*
                    ..Default::default()
                })
            }
        }
    };
}
pub(crate) use inputs;

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
