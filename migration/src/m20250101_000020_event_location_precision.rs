//! An event's place says how precise its coordinates are, as a base's location does
//! (ACLED's `geo_precision` and STIX's `precision` have somewhere to go).
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::text_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMN: &str = "location_precision";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let alter = Table::alter()
            .table(Alias::new("event"))
            .add_column(text_null(Alias::new(COLUMN)))
            .to_owned();
        manager.alter_table(alter).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let alter = Table::alter()
            .table(Alias::new("event"))
            .drop_column(Alias::new(COLUMN))
            .to_owned();
        manager.alter_table(alter).await
    }
}
