//! Fields every stored record shows, and root lookups shared by every type.
use super::loader::load_record;
use super::node::{Record, record_id};
use crate::error::ApiResult;
use async_graphql::{Context, ID, SimpleObject};
use chrono::{DateTime, Utc};
use sea_orm::EntityTrait;

/// Bookkeeping fields of every record.
#[derive(SimpleObject)]
pub struct RecordMeta {
    /// The stable external key given at import, if any.
    pub key: Option<String>,
    /// Increments with every change; updates and deletes must name the current one.
    pub version: i32,
    /// When garrison learned of this record (RFC 3339).
    pub created_at: DateTime<Utc>,
    /// When this record last changed (RFC 3339).
    pub updated_at: DateTime<Utc>,
}

/// Builds the `RecordMeta` of a model that has the standard columns.
#[macro_export]
macro_rules! record_meta {
    ($model:expr) => {
        $crate::graphql::record::RecordMeta {
            key: $model.key.clone(),
            version: $model.version,
            created_at: $model.created_at,
            updated_at: $model.updated_at,
        }
    };
}

/// `actor(id:)` and its siblings: null when no such record exists.
pub async fn by_global_id<R: Record>(ctx: &Context<'_>, id: &ID) -> ApiResult<Option<R>>
where
    <R::Entity as EntityTrait>::Model: Clone + Send + Sync,
{
    let row = record_id::<R>(id, "id")?;
    load_record::<R>(ctx, row).await
}
