use crate::columns::{self, OnDelete};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "tenure";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = columns::entity_table(TABLE);
        columns::reference(
            &mut t,
            TABLE,
            "actor_id",
            "actor",
            false,
            OnDelete::Restrict,
        );
        columns::reference(&mut t, TABLE, "base_id", "base", false, OnDelete::Restrict);
        t.col(text(Alias::new("role")))
            .col(text_null(Alias::new("basis")));
        columns::fuzzy_date(&mut t, "valid");
        manager.create_table(t).await?;
        for cols in [
            &["actor_id"][..],
            &["base_id"],
            &["valid_lo"],
            &["valid_hi"],
        ] {
            columns::index(manager, TABLE, cols).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        columns::drop(manager, TABLE).await
    }
}
