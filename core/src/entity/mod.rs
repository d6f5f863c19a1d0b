//! sea-orm entities, one per table. GraphQL types wrap these models; they are not the
//! API contract themselves.

/// Implements `ActiveModelBehavior` for a table with the standard bookkeeping columns:
/// an insert starts at version 1 and stamps `created_at`; every save stamps
/// `updated_at` unless the caller set it. Also implements [`Stored`] and [`Stamped`].
macro_rules! stamped {
    () => {
        stored!();

        impl $crate::entity::Stamped for Entity {
            const KEY: Column = Column::Key;
            const UPDATED_AT: Column = Column::UpdatedAt;
            fn created_at(model: &Model) -> chrono::DateTime<chrono::Utc> {
                model.created_at
            }
            fn updated_at(model: &Model) -> chrono::DateTime<chrono::Utc> {
                model.updated_at
            }
        }

        #[async_trait::async_trait]
        impl ActiveModelBehavior for ActiveModel {
            async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
            where
                C: ConnectionTrait,
            {
                let now = chrono::Utc::now();
                if insert && self.version.is_not_set() {
                    self.version = Set(1);
                }
                if insert && self.created_at.is_not_set() {
                    self.created_at = Set(now);
                }
                if !self.updated_at.is_set() {
                    self.updated_at = Set(now);
                }
                Ok(self)
            }
        }
    };
}
/// Implements [`Stored`] for an entity with `id` and `version` columns.
macro_rules! stored {
    () => {
        impl $crate::entity::Stored for Entity {
            const ID: Column = Column::Id;
            const VERSION: Column = Column::Version;
            fn id(model: &Model) -> i64 {
                model.id
            }
            fn version(model: &Model) -> i32 {
                model.version
            }
        }
    };
}

/// Implements [`Marked`] for an entity with a `marking` column.
macro_rules! marked {
    () => {
        impl $crate::entity::Marked for Entity {
            const MARKING: Column = Column::Marking;
            fn marking(model: &Model) -> $crate::vocabulary::Marking {
                model.marking
            }
        }
    };
}

pub mod actor;
pub mod alias;
pub mod api_token;
pub mod asset;
pub mod attestation;
pub mod base;
pub mod change;
pub mod deployment;
pub mod event;
pub mod event_participant;
pub mod report;
pub mod search;
pub mod source;
pub mod tenure;

use sea_orm::EntityTrait;

/// A table of records: a BIGINT `id` and an INT `version` that every write raises.
pub trait Stored: EntityTrait {
    const ID: Self::Column;
    const VERSION: Self::Column;
    fn id(model: &Self::Model) -> i64;
    fn version(model: &Self::Model) -> i32;
}

/// A table of records that carry a TLP marking (see `crate::visibility`).
pub trait Marked: Stamped {
    const MARKING: Self::Column;
    fn marking(model: &Self::Model) -> crate::vocabulary::Marking;
}

/// The three columns of a fuzzy date: its EDTF text and its earliest and latest
/// instants (see `crate::fuzzy_date`), which filters and orderings compare.
#[derive(Clone, Copy, Debug)]
pub struct DateColumns<C> {
    pub text: C,
    pub lo: C,
    pub hi: C,
}

/// The two columns of a location, in decimal degrees.
#[derive(Clone, Copy, Debug)]
pub struct PointColumns<C> {
    pub latitude: C,
    pub longitude: C,
}

/// A table of records that also carry an optional external key (unique in the table)
/// and when they were last written.
pub trait Stamped: Stored {
    const KEY: Self::Column;
    const UPDATED_AT: Self::Column;
    fn created_at(model: &Self::Model) -> chrono::DateTime<chrono::Utc>;
    fn updated_at(model: &Self::Model) -> chrono::DateTime<chrono::Utc>;
}

/// The column of a record's settled visibility, on the tables whose visibility rule
/// reads other rows (see `crate::visibility::settle`): the rank of the lowest
/// clearance that sees the row, [`crate::visibility::NOBODY`] when none does, NULL
/// while it is not worked out.
#[derive(sea_orm::DeriveIden, Clone, Copy, Debug)]
pub struct VisibleFrom;
