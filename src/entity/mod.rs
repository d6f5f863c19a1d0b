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
pub mod asset;
pub mod attestation;
pub mod base;
pub mod deployment;
pub mod event;
pub mod event_participant;
pub mod report;
pub mod source;
pub mod tenure;
