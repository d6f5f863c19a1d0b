//! sea-orm entities, one per table. GraphQL types wrap these models; they are not the
//! API contract themselves.

/// Implements `ActiveModelBehavior` for a table with the standard bookkeeping columns:
/// an insert starts at version 1 and stamps `created_at`; every save stamps
/// `updated_at` unless the caller set it.
macro_rules! stamped {
    () => {
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
pub mod source;
pub mod tenure;

use sea_orm::{EntityTrait, Iterable, ModelTrait, PrimaryKeyToColumn};

/// The id column of any entity (every table has a single BIGINT `id`).
pub fn id_column<E: EntityTrait>() -> E::Column {
    E::PrimaryKey::iter()
        .next()
        .expect("every entity has an id")
        .into_column()
}

/// The id of any model.
pub fn model_id<E: EntityTrait>(model: &E::Model) -> i64 {
    match model.get(id_column::<E>()) {
        sea_orm::Value::BigInt(Some(id)) => id,
        other => unreachable!("ids are BIGINT, got {other:?}"),
    }
}
