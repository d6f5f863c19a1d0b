//! The visibility of each record whose rule reaches beyond its own marking (reports,
//! claims, attestations, participants), kept in `visible_from`: the lowest clearance
//! that sees it (a marking's rank, 5 when no clearance does), so that a read checks one
//! column of the row it has anyway instead of walking attestations, reports and
//! sources for every row. NULL means "not yet worked out": the write that makes a
//! row's visibility change sets it NULL and works it out again before it commits
//! (`garrison_core::visibility::settle`), and startup works out every NULL row, which
//! after this migration is all of them. A NULL row is seen by no reader but the
//! server's own work, so a row never shows before its visibility is known.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::integer_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose visibility is worked out.
const SETTLED: [&str; 6] = [
    "report",
    "event",
    "tenure",
    "deployment",
    "attestation",
    "event_participant",
];

const COLUMN: &str = "visible_from";

/// The index of a table's rows not yet worked out (partial: it holds only those).
fn unsettled(table: &str) -> String {
    format!("{table}_unsettled")
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in SETTLED {
            let alter = Table::alter()
                .table(Alias::new(table))
                .add_column(integer_null(Alias::new(COLUMN)))
                .to_owned();
            manager.alter_table(alter).await?;
            let index = Index::create()
                .name(unsettled(table))
                .table(Alias::new(table))
                .col(Alias::new("id"))
                .and_where(Expr::col(Alias::new(COLUMN)).is_null())
                .to_owned();
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in SETTLED {
            let index = Index::drop()
                .name(unsettled(table))
                .table(Alias::new(table))
                .to_owned();
            manager.drop_index(index).await?;
            let alter = Table::alter()
                .table(Alias::new(table))
                .drop_column(Alias::new(COLUMN))
                .to_owned();
            manager.alter_table(alter).await?;
        }
        Ok(())
    }
}
