//! Bringing a database up to date: pending migrations, the seed of a new, empty
//! database and a search index built where it is missing, done once however many
//! processes start together.
//!
//! Two servers started a second apart on a fresh PostgreSQL database used to race
//! through the migrations (the second exited on a duplicate `pg_type` row). Both
//! steps now run under a lock that every process takes first: an advisory lock held
//! on one pooled connection on PostgreSQL, an exclusive lock on a file beside the
//! database on SQLite (`garrison.db.setup-lock`; not the database file itself, whose
//! POSIX locks SQLite would lose if this process closed another handle to it). The
//! others wait, then find the migrations applied and the data seeded.
use crate::bundle::{self, Bundle, ImportSummary};
use crate::error::error_chain;
use crate::search;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::{self, Postgres};
use sea_orm::{DatabaseBackend, DatabaseConnection};

/// The advisory lock key (an arbitrary, fixed number, other than the writers').
const SETUP_LOCK: i64 = 0x6761_7272_7365_7475;

/// What [`prepare`] did.
#[derive(Debug, Default)]
pub struct Prepared {
    /// What seeding imported, when the database was new.
    pub seeded: Option<ImportSummary>,
    /// The documents indexed, when the search index had to be built.
    pub indexed: Option<u64>,
    /// The rows whose visibility was worked out (all of them, the first time).
    pub settled: u64,
}

/// Applies pending migrations (and builds a missing search index) under the lock.
pub async fn migrate(db: &DatabaseConnection, url: &str) -> anyhow::Result<Prepared> {
    prepare(db, url, false).await
}

/// Applies pending migrations, with `seed` loads the seed bundle into a database that
/// holds no records yet, and builds the search index when records have none, all
/// under the setup lock.
pub async fn prepare(db: &DatabaseConnection, url: &str, seed: bool) -> anyhow::Result<Prepared> {
    let lock = SetupLock::acquire(db, url).await?;
    let result = async {
        Migrator::up(db, None).await?;
        let mut prepared = Prepared {
            settled: crate::visibility::settle::settle_all(db).await?,
            ..Prepared::default()
        };
        if seed && bundle::is_empty(db).await? {
            let seed = Bundle::from_json(bundle::SEED)?;
            prepared.seeded = Some(bundle::import(db, &seed, "seed").await?);
        }
        if search::needs_rebuild(db).await? {
            prepared.indexed = Some(search::rebuild(db).await?);
        }
        Ok(prepared)
    }
    .await;
    lock.release().await;
    result
}

/// What holds the setup lock until it is released.
enum SetupLock {
    Postgres(PoolConnection<Postgres>),
    File(std::fs::File),
    /// An in-memory database: no other process can share it.
    None,
}

impl SetupLock {
    async fn acquire(db: &DatabaseConnection, url: &str) -> anyhow::Result<Self> {
        if db.get_database_backend() == DatabaseBackend::Postgres {
            let mut connection = db.get_postgres_connection_pool().acquire().await?;
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(SETUP_LOCK)
                .execute(&mut *connection)
                .await?;
            return Ok(Self::Postgres(connection));
        }
        let Some(path) = sqlite_file(url) else {
            return Ok(Self::None);
        };
        let lock_path = format!("{path}.setup-lock");
        let file = tokio::task::spawn_blocking(move || {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)?;
            file.lock()?;
            Ok::<_, std::io::Error>(file)
        })
        .await??;
        Ok(Self::File(file))
    }

    async fn release(self) {
        match self {
            Self::Postgres(mut connection) => {
                let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(SETUP_LOCK)
                    .execute(&mut *connection)
                    .await;
                if let Err(e) = unlocked {
                    // A session lock must not go back to the pool with its connection.
                    tracing::warn!(error = %error_chain(&e), "cannot release the setup lock; closing its connection");
                    let _ = connection.close().await;
                }
            }
            Self::File(file) => {
                let _ = file.unlock();
            }
            Self::None => {}
        }
    }
}

/// The file of a `sqlite:` URL, unless it names an in-memory database.
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:") && !rest.contains("mode=memory"))
        .then_some(path)
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    #[test]
    fn sqlite_files_are_found_in_their_urls() {
        assert_eq!(sqlite_file("sqlite://garrison.db"), Some("garrison.db"));
        assert_eq!(
            sqlite_file("sqlite:///tmp/a.db?mode=rwc"),
            Some("/tmp/a.db")
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("sqlite://file.db?mode=memory"), None);
        assert_eq!(sqlite_file("postgres://x"), None);
    }
}
