//! The task that reads committed journal entries and broadcasts them.
use super::{CHANNEL, ChangeFeed, FilterRegistry, Notice};
use crate::entity::change;
use crate::error::{GarrisonError, error_chain};
use crate::record::{Event, ModelOf, Record, Report};
use crate::write::Operation;
use crate::write::newest;
use sea_orm::{
    ColumnTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, broadcast};

/// Notices a subscription may fall behind by before it is cut off as too slow.
const BACKLOG: usize = 4096;
/// Journal entries read per query.
const BATCH: u64 = 1000;

/// Starts the fan-out (and, on PostgreSQL, the listener) and returns the feed.
/// `poll` bounds how late a write of another process can be seen without a NOTIFY;
/// subscriptions may hold `max_filters` distinct event filters in all.
pub fn start(db: DatabaseConnection, poll: Duration, max_filters: usize) -> ChangeFeed {
    let (sender, _) = broadcast::channel(BACKLOG);
    let wake = Arc::new(Notify::new());
    if db.get_database_backend() == DatabaseBackend::Postgres {
        tokio::spawn(listen(db.clone(), wake.clone()));
    }
    let feed = ChangeFeed {
        sender,
        wake,
        filters: Arc::new(FilterRegistry::new(max_filters)),
    };
    tokio::spawn(fan_out(db, feed.clone(), poll));
    feed
}

/// A feed that nothing fans out to, for one-shot commands that never subscribe.
pub fn idle() -> ChangeFeed {
    let (sender, _) = broadcast::channel(1);
    ChangeFeed {
        sender,
        wake: Arc::new(Notify::new()),
        filters: Arc::new(FilterRegistry::new(0)),
    }
}

/// Follows the journal. With nobody subscribed it only keeps its place, so that a new
/// subscriber receives what is committed after it arrived: on PostgreSQL at each
/// NOTIFY, on SQLite (where other processes cannot NOTIFY) on the poll.
async fn fan_out(db: DatabaseConnection, feed: ChangeFeed, poll: Duration) {
    let notified_of_every_write = db.get_database_backend() == DatabaseBackend::Postgres;
    let mut seen = loop {
        match newest(&db).await {
            Ok(id) => break id,
            Err(e) => {
                tracing::warn!(error = %error_chain(&e), "live feed cannot read the journal; retrying");
                tokio::time::sleep(poll).await;
            }
        }
    };
    loop {
        let subscribed = feed.sender.receiver_count() > 0;
        if subscribed || !notified_of_every_write {
            let _ = tokio::time::timeout(poll, feed.wake.notified()).await;
        } else {
            feed.wake.notified().await;
        }
        let result = if feed.sender.receiver_count() == 0 {
            newest(&db).await.map(|id| seen = id)
        } else {
            broadcast_since(&db, &feed, &mut seen).await
        };
        if let Err(e) = result {
            tracing::warn!(error = %error_chain(&e), "live feed cannot read the journal");
        }
    }
}

/// Broadcasts every journal entry after `seen`, with the events and reports created.
async fn broadcast_since(
    db: &DatabaseConnection,
    feed: &ChangeFeed,
    seen: &mut i64,
) -> Result<(), GarrisonError> {
    loop {
        let changes = change::Entity::find()
            .filter(change::Column::Id.gt(*seen))
            .order_by_asc(change::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        let Some(last) = changes.last() else {
            return Ok(());
        };
        *seen = last.id;
        let full = changes.len() as u64 == BATCH;
        let events = created::<Event>(db, &changes).await?;
        let reports = created::<Report>(db, &changes).await?;
        for change in changes {
            let id = change.entity_id;
            let record = |of: &str| change.entity_type == of && change.operation == "create";
            let event = record(Event::TYPE)
                .then(|| events.get(&id).cloned())
                .flatten();
            let report = record(Report::TYPE)
                .then(|| reports.get(&id).cloned())
                .flatten();
            let notice = Notice::new(change, event, report);
            // No receiver left is not an error: nobody is listening any more.
            let _ = feed.sender.send(Arc::new(notice));
        }
        if !full {
            return Ok(());
        }
    }
}

/// The records of type `R` that `changes` created, by id.
async fn created<R: Record>(
    db: &DatabaseConnection,
    changes: &[change::Model],
) -> Result<HashMap<i64, ModelOf<R>>, GarrisonError> {
    let ids: Vec<i64> = changes
        .iter()
        .filter(|c| c.entity_type == R::TYPE && c.operation == Operation::Create.as_str())
        .map(|c| c.entity_id)
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = R::Entity::find()
        .filter(<R::Entity as crate::entity::Stored>::ID.is_in(ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|m| (<R::Entity as crate::entity::Stored>::id(&m), m))
        .collect())
}

/// LISTENs for the NOTIFY of every committed write, reconnecting when the
/// connection drops (and waking the fan-out to catch up on what it missed).
async fn listen(db: DatabaseConnection, wake: Arc<Notify>) {
    use sea_orm::sqlx::postgres::PgListener;
    let pool = db.get_postgres_connection_pool().clone();
    loop {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "live listener cannot connect; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %e, "live listener cannot LISTEN; retrying");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        tracing::info!(channel = CHANNEL, "live listener connected");
        wake.notify_one();
        loop {
            match listener.try_recv().await {
                Ok(Some(_)) => wake.notify_one(),
                Ok(None) => {
                    tracing::warn!("live listener lost its database connection; reconnected");
                    wake.notify_one();
                }
                Err(e) => {
                    tracing::warn!(error = %e, "live listener failed; reconnecting");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    break;
                }
            }
        }
    }
}
