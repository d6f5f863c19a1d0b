//! Connecting to SQLite or PostgreSQL, tuned for this workload.
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Counts the SQL statements a server has run (exposed on `/metrics`).
#[derive(Clone, Default, Debug)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Opens a pool. SQLite files are created if missing and run in WAL mode with
/// `synchronous = NORMAL`; foreign keys are enforced on both databases.
pub async fn connect(
    url: &str,
    max_connections: u32,
    counter: &StatementCounter,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                // Nested pages unite a branch per parent: large statements, which a
                // cache of 100 per connection would keep by the hundred megabytes.
                .statement_cache_capacity(32)
        });
    let mut db = Database::connect(options).await?;
    let count = counter.0.clone();
    db.set_metric_callback(move |info| {
        count.fetch_add(1, Ordering::Relaxed);
        tracing::trace!(target: "garrison::sql", elapsed = ?info.elapsed, sql = %info.statement);
    });
    Ok(db)
}
