use crate::columns::{self, OnDelete};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "deployment";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = columns::entity_table(TABLE);
        columns::reference(
            &mut t,
            TABLE,
            "asset_id",
            "asset",
            false,
            OnDelete::Restrict,
        );
        columns::reference(&mut t, TABLE, "base_id", "base", false, OnDelete::Restrict);
        columns::fuzzy_date(&mut t, "valid");
        manager.create_table(t).await?;
        for cols in [
            &["asset_id"][..],
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
