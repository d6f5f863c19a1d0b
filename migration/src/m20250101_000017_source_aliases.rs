//! Sources get aliases ("Reuters" is also "Thomson Reuters"), like actors, bases and
//! assets: the alias table gains `source_id`, and its rule that each alias has exactly
//! one owner now counts sources too.
//!
//! SQLite cannot change a table's CHECK constraint, so there the table is rebuilt
//! (nothing refers to aliases, so nothing else moves); PostgreSQL alters it in place.
use crate::columns::{self, OnDelete};
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "alias";
const REBUILT: &str = "alias_rebuilt";
const OWNERS: [&str; 4] = ["actor_id", "base_id", "asset_id", "source_id"];
const TARGETS: [&str; 4] = ["actor", "base", "asset", "source"];
const KEPT: &str =
    "id, key, actor_id, base_id, asset_id, name, name_key, version, created_at, updated_at";

/// The CHECK that exactly one owner is set, as PostgreSQL takes it.
fn one_owner() -> String {
    let set = OWNERS
        .iter()
        .map(|c| format!("(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)"))
        .collect::<Vec<_>>()
        .join(" + ");
    format!("{set} = 1")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(
                "DO $$ DECLARE c text; BEGIN \
                 FOR c IN SELECT conname FROM pg_constraint \
                 WHERE conrelid = 'alias'::regclass AND contype = 'c' LOOP \
                 EXECUTE format('ALTER TABLE alias DROP CONSTRAINT %I', c); END LOOP; END $$",
            )
            .await?;
            db.execute_unprepared(
                "ALTER TABLE alias ADD COLUMN source_id BIGINT \
                 CONSTRAINT \"fk-alias-source_id\" REFERENCES source(id) \
                 ON DELETE CASCADE ON UPDATE CASCADE",
            )
            .await?;
            db.execute_unprepared(&format!(
                "ALTER TABLE alias ADD CONSTRAINT alias_one_owner CHECK ({})",
                one_owner()
            ))
            .await?;
        } else {
            let mut t = columns::entity_table(REBUILT);
            for (owner, target) in OWNERS.iter().zip(TARGETS) {
                columns::reference(&mut t, REBUILT, owner, target, true, OnDelete::Cascade);
            }
            columns::named(&mut t, "name");
            columns::exactly_one_of(&mut t, &OWNERS);
            // One batch on one connection: a pooled connection whose schema predates
            // the DROP would refuse the RENAME.
            let create = t.to_string(SqliteQueryBuilder);
            db.execute_unprepared(&format!(
                "{create}; INSERT INTO {REBUILT} ({KEPT}) SELECT {KEPT} FROM {TABLE}; \
                 DROP TABLE {TABLE}; ALTER TABLE {REBUILT} RENAME TO {TABLE};"
            ))
            .await?;
            for owner in &OWNERS[..3] {
                columns::unique(manager, TABLE, &[owner, "name_key"]).await?;
            }
            columns::index(manager, TABLE, &["name_key"]).await?;
        }
        columns::unique(manager, TABLE, &["source_id", "name_key"]).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "source aliases cannot be taken out again without losing them".into(),
        ))
    }
}
