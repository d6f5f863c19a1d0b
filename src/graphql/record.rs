//! Fields every stored record shows, and root lookups shared by every type.
use super::change::{Change, history_of};
use super::loader::load_record;
use super::node::{Record, record_id};
use super::pagination::{Connection, PageArgs};
use crate::error::ApiResult;
use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use garrison_core::visibility::Visible;

/// Bookkeeping fields of every record, and its history.
pub struct RecordMeta {
    pub type_name: &'static str,
    pub id: i64,
    pub key: Option<String>,
    pub marking: garrison_core::vocabulary::Marking,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[Object]
impl RecordMeta {
    /// The stable external key given at creation or import, if any.
    async fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }
    /// Who may read it: a caller sees it when this is at or below the caller's
    /// clearance.
    async fn marking(&self) -> super::vocabulary::Marking {
        self.marking.into()
    }
    /// Increments with every change; updates and deletes must name the current one.
    async fn version(&self) -> i32 {
        self.version
    }
    /// When garrison learned of this record (RFC 3339).
    async fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }
    /// When this record last changed (RFC 3339).
    async fn updated_at(&self) -> DateTime<Utc> {
        self.updated_at
    }
    /// Every write of this record, oldest first: who, when, and each changed field.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn history(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Connection<Change>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(history_of(ctx, self.type_name, self.id, args).await?)
    }
}

/// Builds the `RecordMeta` of a record type's model that has the standard columns.
#[macro_export]
macro_rules! record_meta {
    ($record:ty, $model:expr) => {
        $crate::graphql::record::RecordMeta {
            type_name: <$record as $crate::graphql::node::Record>::TYPE,
            id: $model.id,
            key: $model.key.clone(),
            marking: $model.marking,
            version: $model.version,
            created_at: $model.created_at,
            updated_at: $model.updated_at,
        }
    };
}

/// `actor(id:)` and its siblings: null when no such record exists.
pub async fn by_global_id<R>(ctx: &Context<'_>, id: &ID) -> ApiResult<Option<R>>
where
    R: Record<Kind: Visible>,
{
    let row = record_id::<R>(id, "id")?;
    load_record::<R>(ctx, row).await
}
