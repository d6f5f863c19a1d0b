use crate::columns::{self, OnDelete};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "actor";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = columns::entity_table(TABLE);
        t.col(text(Alias::new("kind")));
        columns::named(&mut t, "name");
        t.col(char_len_null(Alias::new("country"), 2))
            .col(text_null(Alias::new("description")));
        columns::reference(&mut t, TABLE, "parent_id", "actor", true, OnDelete::SetNull);
        manager.create_table(t).await?;
        for cols in [&["name_key"][..], &["kind"], &["country"], &["parent_id"]] {
            columns::index(manager, TABLE, cols).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        columns::drop(manager, TABLE).await
    }
}
