//! The visibility of each record whose rule reaches beyond its own marking (reports,
//! claims, attestations, participants), kept in `visible_from`: the lowest clearance
//! that sees it (a marking's rank, 5 when no clearance does), so that a read checks one
//! column of the row it has anyway instead of walking attestations, reports and
//! sources for every row. NULL means "not yet worked out": the write that makes a
//! row's visibility change sets it NULL and works it out again before it commits
//! (`garrison_core::visibility::settle`), and startup works out every NULL row, which
//! after this migration is all of them. A NULL row is seen by no reader but the
//! server's own work, so a row never shows before its visibility is known.
//!
//! The participants' indexes by record and event order (migration 15) gain the column,
//! so that "the events of this actor, in date order" reads each participation's
//! visibility from the index it walks, without a lookup in the table per row.
use crate::columns;
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

/// The columns naming what takes part in an event, each indexed with the event order.
const PARTICIPANTS: [&str; 3] = ["actor_id", "asset_id", "base_id"];

/// The participants' index by `owner` and event order, without (`false`) or with the
/// visibility column.
fn ordered(owner: &str, settled: bool) -> Vec<&str> {
    let mut index = vec![owner, "occurred_sort", "event_id"];
    if settled {
        index.push(COLUMN);
    }
    index
}

async fn drop_index(manager: &SchemaManager<'_>, columns: &[&str]) -> Result<(), DbErr> {
    let drop = Index::drop()
        .name(format!("idx-event_participant-{}", columns.join("-")))
        .table(Alias::new("event_participant"))
        .to_owned();
    manager.drop_index(drop).await
}

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
        for owner in PARTICIPANTS {
            columns::index(manager, "event_participant", &ordered(owner, true)).await?;
            drop_index(manager, &ordered(owner, false)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for owner in PARTICIPANTS {
            columns::index(manager, "event_participant", &ordered(owner, false)).await?;
            drop_index(manager, &ordered(owner, true)).await?;
        }
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
