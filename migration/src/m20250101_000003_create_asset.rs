use crate::columns::{self, OnDelete};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "asset";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = columns::entity_table(TABLE);
        t.col(text(Alias::new("kind")));
        columns::named(&mut t, "name");
        t.col(text_null(Alias::new("model")))
            .col(integer_null(Alias::new("quantity")))
            .col(text_null(Alias::new("quantity_qualifier")))
            .col(text_null(Alias::new("description")));
        columns::reference(&mut t, TABLE, "owner_id", "actor", true, OnDelete::Restrict);
        manager.create_table(t).await?;
        for cols in [&["name_key"][..], &["kind"], &["owner_id"]] {
            columns::index(manager, TABLE, cols).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        columns::drop(manager, TABLE).await
    }
}
