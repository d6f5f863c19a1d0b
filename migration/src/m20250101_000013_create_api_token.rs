//! API tokens: a name, a role and the SHA-256 of the secret (never the secret itself).
use crate::columns;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "api_token";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(Alias::new(TABLE))
            .if_not_exists()
            .col(big_pk_auto(Alias::new("id")))
            .col(text(Alias::new("name")).unique_key())
            .col(text(Alias::new("role")))
            .col(text(Alias::new("secret_hash")))
            .col(timestamp_with_time_zone(Alias::new("created_at")))
            .col(timestamp_with_time_zone_null(Alias::new("revoked_at")))
            .to_owned();
        manager.create_table(table).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        columns::drop(manager, TABLE).await
    }
}
