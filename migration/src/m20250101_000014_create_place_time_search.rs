//! Indexes for place, time and search: an interval index on when events happened, and
//! the search documents with their full-text index and their fuzzy-term keys.
//!
//! The two databases index differently, behind the same tables: SQLite keeps an R*Tree
//! of event intervals and an FTS5 table over the documents, each kept in step by
//! triggers; PostgreSQL indexes `int8range(occurred_lo, occurred_hi)` with GiST and a
//! generated `tsvector` with GIN. Neither needs an extension.
use crate::columns;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One searchable record: the words of its names (names and aliases, weighted high) and
/// of its other text (titles, summaries, excerpts), both already folded to search terms.
const DOCUMENT: &str = "search_document";
/// Every name term under itself and each of its one-letter deletions, so that a query
/// word finds the terms one edit away by equality (a deletion neighbourhood).
const TERM_KEY: &str = "search_term_key";

/// Event intervals in an R*Tree; open ends become ±1e18 there only (matches are
/// rechecked exactly against the stored bounds, so the 32-bit rounding is harmless).
const SQLITE_EVENT_INDEX: &[&str] = &[
    "CREATE VIRTUAL TABLE IF NOT EXISTS event_occurred_index USING rtree(id, lo, hi)",
    "INSERT INTO event_occurred_index (id, lo, hi) \
     SELECT id, COALESCE(occurred_lo, -1e18), COALESCE(occurred_hi, 1e18) FROM event \
     WHERE occurred_lo IS NOT NULL OR occurred_hi IS NOT NULL",
    "CREATE TRIGGER IF NOT EXISTS event_occurred_insert AFTER INSERT ON event \
     WHEN new.occurred_lo IS NOT NULL OR new.occurred_hi IS NOT NULL BEGIN \
     INSERT INTO event_occurred_index (id, lo, hi) VALUES \
     (new.id, COALESCE(new.occurred_lo, -1e18), COALESCE(new.occurred_hi, 1e18)); END",
    "CREATE TRIGGER IF NOT EXISTS event_occurred_update AFTER UPDATE OF occurred_lo, occurred_hi \
     ON event BEGIN DELETE FROM event_occurred_index WHERE id = old.id; \
     INSERT INTO event_occurred_index (id, lo, hi) SELECT new.id, \
     COALESCE(new.occurred_lo, -1e18), COALESCE(new.occurred_hi, 1e18) \
     WHERE new.occurred_lo IS NOT NULL OR new.occurred_hi IS NOT NULL; END",
    "CREATE TRIGGER IF NOT EXISTS event_occurred_delete AFTER DELETE ON event BEGIN \
     DELETE FROM event_occurred_index WHERE id = old.id; END",
];

const SQLITE_FULL_TEXT: &[&str] = &[
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_text USING fts5(names, body, \
     content='search_document', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER IF NOT EXISTS search_document_insert AFTER INSERT ON search_document BEGIN \
     INSERT INTO search_text (rowid, names, body) VALUES (new.id, new.names, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_document_delete AFTER DELETE ON search_document BEGIN \
     INSERT INTO search_text (search_text, rowid, names, body) \
     VALUES ('delete', old.id, old.names, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_document_update AFTER UPDATE ON search_document BEGIN \
     INSERT INTO search_text (search_text, rowid, names, body) \
     VALUES ('delete', old.id, old.names, old.body); \
     INSERT INTO search_text (rowid, names, body) VALUES (new.id, new.names, new.body); END",
];

const POSTGRES: &[&str] = &[
    "CREATE INDEX IF NOT EXISTS idx_event_occurred_range ON event \
     USING gist (int8range(occurred_lo, occurred_hi, '[]'))",
    "ALTER TABLE search_document ADD COLUMN IF NOT EXISTS terms tsvector GENERATED ALWAYS AS \
     (setweight(to_tsvector('simple', names), 'A') || setweight(to_tsvector('simple', body), 'B')) \
     STORED",
    "CREATE INDEX IF NOT EXISTS idx_search_document_terms ON search_document USING gin (terms)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let document = Table::create()
            .table(Alias::new(DOCUMENT))
            .if_not_exists()
            .col(big_pk_auto(Alias::new("id")))
            .col(text(Alias::new("entity_type")))
            .col(big_integer(Alias::new("entity_id")))
            .col(text(Alias::new("names")))
            .col(text(Alias::new("body")))
            .to_owned();
        manager.create_table(document).await?;
        columns::unique(manager, DOCUMENT, &["entity_type", "entity_id"]).await?;
        let term_key = Table::create()
            .table(Alias::new(TERM_KEY))
            .if_not_exists()
            .col(text(Alias::new("key")))
            .col(text(Alias::new("term")))
            .primary_key(
                Index::create()
                    .col(Alias::new("key"))
                    .col(Alias::new("term")),
            )
            .to_owned();
        manager.create_table(term_key).await?;
        let db = manager.get_connection();
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => [SQLITE_EVENT_INDEX, SQLITE_FULL_TEXT].concat(),
            _ => POSTGRES.to_vec(),
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => {
                for sql in [
                    "DROP TRIGGER IF EXISTS event_occurred_insert",
                    "DROP TRIGGER IF EXISTS event_occurred_update",
                    "DROP TRIGGER IF EXISTS event_occurred_delete",
                    "DROP TABLE IF EXISTS event_occurred_index",
                    "DROP TABLE IF EXISTS search_text",
                ] {
                    db.execute_unprepared(sql).await?;
                }
            }
            _ => {
                db.execute_unprepared("DROP INDEX IF EXISTS idx_event_occurred_range")
                    .await?;
            }
        }
        columns::drop(manager, TERM_KEY).await?;
        columns::drop(manager, DOCUMENT).await
    }
}
