//! TLP 2.0 markings: every record carries one (its rank, CLEAR 0 to RED 4, so that
//! "at or below a clearance" is one comparison), each token a clearance, and each
//! journal entry the marking its record had, so that a deleted record's tombstone
//! stays as restricted as the record was. Existing rows are CLEAR.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::integer;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables of marked records.
const MARKED: [&str; 10] = [
    "actor",
    "base",
    "asset",
    "event",
    "source",
    "report",
    "tenure",
    "deployment",
    "attestation",
    "event_participant",
];

async fn add(manager: &SchemaManager<'_>, table: &'static str, column: &str) -> Result<(), DbErr> {
    let alter = Table::alter()
        .table(Alias::new(table))
        .add_column(integer(Alias::new(column)).default(0))
        .to_owned();
    manager.alter_table(alter).await
}

async fn drop(manager: &SchemaManager<'_>, table: &'static str, column: &str) -> Result<(), DbErr> {
    let alter = Table::alter()
        .table(Alias::new(table))
        .drop_column(Alias::new(column))
        .to_owned();
    manager.alter_table(alter).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in MARKED {
            add(manager, table, "marking").await?;
        }
        add(manager, "change", "marking").await?;
        add(manager, "api_token", "clearance").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in MARKED {
            drop(manager, table, "marking").await?;
        }
        drop(manager, "change", "marking").await?;
        drop(manager, "api_token", "clearance").await
    }
}
