use crate::columns::{self, OnDelete};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "alias";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = columns::entity_table(TABLE);
        columns::reference(&mut t, TABLE, "actor_id", "actor", true, OnDelete::Cascade);
        columns::reference(&mut t, TABLE, "base_id", "base", true, OnDelete::Cascade);
        columns::reference(&mut t, TABLE, "asset_id", "asset", true, OnDelete::Cascade);
        columns::named(&mut t, "name");
        columns::exactly_one_of(&mut t, &["actor_id", "base_id", "asset_id"]);
        manager.create_table(t).await?;
        for owner in ["actor_id", "base_id", "asset_id"] {
            columns::unique(manager, TABLE, &[owner, "name_key"]).await?;
        }
        columns::index(manager, TABLE, &["name_key"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        columns::drop(manager, TABLE).await
    }
}
