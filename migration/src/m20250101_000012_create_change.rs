//! The change journal: one row per write of one record, with the fields it changed.
use crate::columns;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "change";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(Alias::new(TABLE))
            .if_not_exists()
            .col(big_pk_auto(Alias::new("id")))
            .col(timestamp_with_time_zone(Alias::new("at")))
            .col(text(Alias::new("author")))
            .col(text(Alias::new("entity_type")))
            .col(big_integer(Alias::new("entity_id")))
            .col(text(Alias::new("operation")))
            .col(integer(Alias::new("version")))
            // A JSON array of {field, old, new}.
            .col(text(Alias::new("fields")))
            .to_owned();
        manager.create_table(table).await?;
        columns::index(manager, TABLE, &["entity_type", "entity_id", "id"]).await?;
        columns::index(manager, TABLE, &["at"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        columns::drop(manager, TABLE).await
    }
}
