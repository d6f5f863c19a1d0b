use crate::columns::{self, OnDelete};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "event_participant";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = columns::entity_table(TABLE);
        columns::reference(&mut t, TABLE, "event_id", "event", false, OnDelete::Cascade);
        columns::reference(&mut t, TABLE, "actor_id", "actor", true, OnDelete::Restrict);
        columns::reference(&mut t, TABLE, "asset_id", "asset", true, OnDelete::Restrict);
        columns::reference(&mut t, TABLE, "base_id", "base", true, OnDelete::Restrict);
        t.col(text(Alias::new("role")));
        columns::exactly_one_of(&mut t, &["actor_id", "asset_id", "base_id"]);
        manager.create_table(t).await?;
        for other in ["actor_id", "asset_id", "base_id"] {
            columns::unique(manager, TABLE, &["event_id", other, "role"]).await?;
            columns::index(manager, TABLE, &[other]).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        columns::drop(manager, TABLE).await
    }
}
