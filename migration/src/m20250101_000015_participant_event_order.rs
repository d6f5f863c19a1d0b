//! Each participation carries its event's sort key (the earliest instant it may have
//! happened, else the latest; undated last), indexed with the participant, so that
//! "the latest 10 events of this base" reads ten index entries instead of sorting every
//! event the base took part in. Triggers keep the copy equal to the event's bounds.
use crate::columns;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "event_participant";
const COLUMN: &str = "occurred_sort";

/// The sort key of an event row `e` (as `filter::date_key` computes it).
macro_rules! sort_of {
    ($e:literal) => {
        concat!(
            "COALESCE(",
            $e,
            ".occurred_lo, ",
            $e,
            ".occurred_hi, 9223372036854775807)"
        )
    };
}

const BACKFILL: &str = concat!(
    "UPDATE event_participant SET occurred_sort = (SELECT ",
    sort_of!("event"),
    " FROM event WHERE event.id = event_participant.event_id)"
);

const SQLITE: &[&str] = &[
    concat!(
        "CREATE TRIGGER IF NOT EXISTS event_participant_sort AFTER INSERT ON event_participant \
         BEGIN UPDATE event_participant SET occurred_sort = (SELECT ",
        sort_of!("event"),
        " FROM event WHERE event.id = new.event_id) WHERE id = new.id; END"
    ),
    concat!(
        "CREATE TRIGGER IF NOT EXISTS event_participant_sort_moved AFTER UPDATE OF event_id \
         ON event_participant BEGIN UPDATE event_participant SET occurred_sort = (SELECT ",
        sort_of!("event"),
        " FROM event WHERE event.id = new.event_id) WHERE id = new.id; END"
    ),
    concat!(
        "CREATE TRIGGER IF NOT EXISTS event_sort_changed AFTER UPDATE OF occurred_lo, occurred_hi \
         ON event BEGIN UPDATE event_participant SET occurred_sort = ",
        sort_of!("new"),
        " WHERE event_id = new.id; END"
    ),
];

const POSTGRES: &[&str] = &[
    concat!(
        "CREATE OR REPLACE FUNCTION event_participant_sort() RETURNS trigger AS $$ BEGIN \
         NEW.occurred_sort := (SELECT ",
        sort_of!("event"),
        " FROM event WHERE event.id = NEW.event_id); RETURN NEW; END $$ LANGUAGE plpgsql"
    ),
    "CREATE TRIGGER event_participant_sort BEFORE INSERT OR UPDATE OF event_id \
     ON event_participant FOR EACH ROW EXECUTE FUNCTION event_participant_sort()",
    concat!(
        "CREATE OR REPLACE FUNCTION event_sort_changed() RETURNS trigger AS $$ BEGIN \
         UPDATE event_participant SET occurred_sort = ",
        sort_of!("NEW"),
        " WHERE event_id = NEW.id; RETURN NULL; END $$ LANGUAGE plpgsql"
    ),
    "CREATE TRIGGER event_sort_changed AFTER UPDATE OF occurred_lo, occurred_hi ON event \
     FOR EACH ROW EXECUTE FUNCTION event_sort_changed()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new(TABLE))
                    .add_column(ColumnDef::new(Alias::new(COLUMN)).big_integer().null())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(BACKFILL).await?;
        let triggers = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => SQLITE,
            _ => POSTGRES,
        };
        for sql in triggers {
            db.execute_unprepared(sql).await?;
        }
        for owner in ["actor_id", "asset_id", "base_id"] {
            columns::index(manager, TABLE, &[owner, COLUMN, "event_id"]).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let drops: &[&str] = match manager.get_database_backend() {
            DatabaseBackend::Sqlite => &[
                "DROP TRIGGER IF EXISTS event_participant_sort",
                "DROP TRIGGER IF EXISTS event_participant_sort_moved",
                "DROP TRIGGER IF EXISTS event_sort_changed",
            ],
            _ => &[
                "DROP TRIGGER IF EXISTS event_participant_sort ON event_participant",
                "DROP TRIGGER IF EXISTS event_sort_changed ON event",
                "DROP FUNCTION IF EXISTS event_participant_sort()",
                "DROP FUNCTION IF EXISTS event_sort_changed()",
            ],
        };
        for sql in drops {
            db.execute_unprepared(sql).await?;
        }
        for owner in ["actor_id", "asset_id", "base_id"] {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("idx-{TABLE}-{owner}-{COLUMN}-event_id"))
                        .table(Alias::new(TABLE))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new(TABLE))
                    .drop_column(Alias::new(COLUMN))
                    .to_owned(),
            )
            .await
    }
}
