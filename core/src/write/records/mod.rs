//! What each record type's writes may change, and its rules: one file per type, each
//! with its changes and its `Writable` (validation, references, children, delete
//! rules). The API converts its inputs into these changes; the bundle importer builds
//! them from its items.
mod actor;
mod asset;
pub mod attestation;
mod base;
mod deployment;
mod event;
mod participant;
mod report;
mod source;
mod tenure;
mod values;

pub use actor::ActorChanges;
pub use asset::AssetChanges;
pub use attestation::{AttestationChanges, Claim};
pub use base::BaseChanges;
pub use deployment::DeploymentChanges;
pub use event::EventChanges;
pub use participant::{EventActorChanges, EventAssetChanges, EventBaseChanges, Participant};
pub use report::ReportChanges;
pub use source::SourceChanges;
pub use tenure::TenureChanges;
pub use values::{Location, Place, Quantity};

/// Implements `Named` for a record type whose changes carry `names` (its
/// `NamedChanges`) and whose model has `kind`, `name`, `name_key`, `key` and
/// `marking`: `$alias` is the alias table's column that points at it, `$scope` (with
/// its column) what places a record besides its `kind` (none for sources, the same by
/// name alone), and the listed nullable fields those a merge keeps when the create
/// leaves them null.
macro_rules! named {
    ($ty:ident, $changes:ident, $entity:ident, $kind:ident, $alias:ident,
     $scope:ident: $scope_column:ident, keep [$($nullable:ident),+]) => {
        super::named!(@impl $ty, $changes, $entity, $kind, $alias,
            Some($crate::entity::$entity::Column::Kind),
            Some($crate::entity::$entity::Column::$scope_column),
            |m: &$crate::entity::$entity::Model| (
                Some(sea_orm::ActiveEnum::to_value(&m.kind)),
                Some(m.$scope.clone().map(Into::into)),
            ),
            [$($nullable),+]);
    };
    ($ty:ident, $changes:ident, $entity:ident, $kind:ident, $alias:ident,
     keep [$($nullable:ident),+]) => {
        super::named!(@impl $ty, $changes, $entity, $kind, $alias, None, None,
            |_: &$crate::entity::$entity::Model| (None, None), [$($nullable),+]);
    };
    (@impl $ty:ident, $changes:ident, $entity:ident, $kind:ident, $alias:ident,
     $kind_column:expr, $scope:expr, $place:expr, [$($nullable:ident),+]) => {
        impl $crate::write::Named for $crate::record::$ty {
            type Kind = $crate::vocabulary::$kind;
            const ALIAS_COLUMN: $crate::entity::alias::Column =
                $crate::entity::alias::Column::$alias;
            const NAME_KEY: $crate::entity::$entity::Column =
                $crate::entity::$entity::Column::NameKey;
            const KIND_COLUMN: Option<$crate::entity::$entity::Column> = $kind_column;
            const SCOPE_COLUMN: Option<$crate::entity::$entity::Column> = $scope;
            fn identity(m: &$crate::entity::$entity::Model) -> $crate::write::Identity {
                let (kind, scope) = ($place)(m);
                $crate::write::Identity {
                    id: m.id,
                    name_key: m.name_key.clone(),
                    kind,
                    scope,
                }
            }
            fn name(m: &$crate::entity::$entity::Model) -> &str {
                &m.name
            }
            fn names(c: &mut $changes) -> &mut $crate::write::NamedChanges<Self::Kind> {
                &mut c.names
            }
            // `..c` keeps the fields a type does not list (a source's reliability).
            #[allow(clippy::needless_update)]
            fn keep_absent(c: $changes) -> $changes {
                let names = $crate::write::NamedChanges {
                    key: c.names.key.filter(Option::is_some),
                    ..c.names
                };
                $changes {
                    names,
                    $($nullable: c.$nullable.filter(Option::is_some),)+
                    ..c
                }
            }
            fn assign_identity(
                s: &$crate::write::Session,
                c: $crate::write::NamedChanges<Self::Kind>,
                row: &mut $crate::entity::$entity::ActiveModel,
                path: &str,
            ) -> Result<Option<Vec<String>>, $crate::error::GarrisonError> {
                use $crate::write::fields::{assign, assign_key_and_marking, assign_name};
                assign_key_and_marking(s, (&mut row.key, &mut row.marking), (c.key, c.marking), path)?;
                assign(&mut row.kind, c.kind);
                let name = $crate::write::validate::at(path, "name");
                assign_name(&mut row.name, &mut row.name_key, c.name, &name)?;
                Ok(c.aliases)
            }
        }
    };
}
pub(crate) use named;
