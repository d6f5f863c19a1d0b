//! The root subscription: events as they are reported, reports as they are
//! published, and every change. Each emits only what has been committed.
use super::change::Change;
use super::event::EventFilter;
use super::loader::{clearance, db};
use super::node::{Record, record_id};
use super::{Event, Report, Source};
use crate::entity::event;
use crate::error::{ApiError, ApiResult};
use crate::live::{ChangeFeed, FilterQuota, Notice, TooSlow};
use async_graphql::{Context, ID, Subscription};
use futures_util::{Stream, StreamExt, stream};
use garrison_core::record;
use garrison_core::visibility::{self, Clearance, Visible};
use sea_orm::sea_query::SqliteQueryBuilder;
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect, QueryTrait};
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

/// The notices committed from now on. A subscription that falls too far behind ends
/// and raises `TooSlow` on its connection.
fn notices(ctx: &Context<'_>) -> impl Stream<Item = Arc<Notice>> + use<> {
    let receiver = ctx.data_unchecked::<ChangeFeed>().subscribe();
    let too_slow = ctx.data_opt::<TooSlow>().cloned();
    stream::unfold(
        (receiver, too_slow),
        |(mut receiver, too_slow)| async move {
            match receiver.recv().await {
                Ok(notice) => Some((notice, (receiver, too_slow))),
                Err(RecvError::Lagged(missed)) => {
                    tracing::info!(missed, "a subscription fell behind; closing its connection");
                    if let Some(t) = &too_slow {
                        t.raise();
                    }
                    None
                }
                Err(RecvError::Closed) => None,
            }
        },
    )
}

#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Events as they are reported (created), that match `filter` (the filter of
    /// `events`; an actor's subordinates are those it has when the subscription
    /// starts). Emitted once the writing transaction has committed.
    async fn event_reported(
        &self,
        ctx: &Context<'_>,
        filter: Option<EventFilter>,
    ) -> async_graphql::Result<impl Stream<Item = Event> + use<>> {
        let feed = ctx.data_unchecked::<ChangeFeed>();
        let filter = match filter {
            Some(f) => {
                let mut select = event::Entity::find()
                    .select_only()
                    .column(event::Column::Id)
                    .into_query();
                f.apply(db(ctx), clearance(ctx), &mut select).await?;
                let key = select.to_string(SqliteQueryBuilder);
                let quota = ctx.data_opt::<FilterQuota>();
                let hold = feed
                    .filters
                    .hold(key, select, quota)
                    .map_err(ApiError::from)?;
                Some(Arc::new(hold))
            }
            None => None,
        };
        let (db, filters) = (db(ctx).clone(), feed.filters.clone());
        let clearance = clearance(ctx);
        Ok(notices(ctx).filter_map(move |notice| {
            let (db, filters, filter) = (db.clone(), filters.clone(), filter.clone());
            async move {
                let model = notice.event.clone()?;
                if let Some(hold) = &filter
                    && !notice.passes(hold, &filters, &db).await
                {
                    return None;
                }
                seen::<record::Event>(&db, model.id, clearance)
                    .await
                    .then_some(Event(model))
            }
        }))
    }

    /// Reports as they are published (created), optionally of one source only.
    async fn report_published(
        &self,
        ctx: &Context<'_>,
        source: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = Report> + use<>> {
        let source = source
            .map(|id| record_id::<Source>(&id, "source"))
            .transpose()?;
        let (db, clearance) = (db(ctx).clone(), clearance(ctx));
        Ok(notices(ctx).filter_map(move |notice| {
            let report = notice
                .report
                .clone()
                .filter(|r| source.is_none_or(|s| r.source_id == s));
            let db = db.clone();
            async move {
                let report = report?;
                seen::<record::Report>(&db, report.id, clearance)
                    .await
                    .then(|| Report::from_model(report))
            }
        }))
    }

    /// Every committed write (a journal entry), optionally of some types only.
    async fn entity_changed(
        &self,
        ctx: &Context<'_>,
        types: Option<Vec<String>>,
    ) -> async_graphql::Result<impl Stream<Item = Change> + use<>> {
        let types: ApiResult<_> = types
            .map(|t| super::change::known_types(t, "types"))
            .transpose();
        let types = types?;
        let (db, clearance) = (db(ctx).clone(), clearance(ctx));
        Ok(notices(ctx).filter_map(move |notice| {
            let wanted = types
                .as_ref()
                .is_none_or(|t| t.contains(&notice.change.entity_type));
            let db = db.clone();
            async move {
                if !wanted {
                    return None;
                }
                let seen = visibility::entry_visible(&db, &notice.change, clearance).await;
                // A failed check hides the entry: never shown by mistake.
                seen.unwrap_or(false).then(|| Change(notice.change.clone()))
            }
        }))
    }
}

/// Whether the subscriber may see record `id` of `R` (checked per event, as written;
/// a failed check hides it).
async fn seen<R: Visible>(db: &DatabaseConnection, id: i64, clearance: Clearance) -> bool {
    clearance == Clearance::ALL
        || visibility::is_visible::<R>(db, id, clearance)
            .await
            .unwrap_or(false)
}
