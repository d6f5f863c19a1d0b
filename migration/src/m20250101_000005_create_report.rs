use crate::columns::{self, OnDelete};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "report";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = columns::entity_table(TABLE);
        columns::reference(
            &mut t,
            TABLE,
            "source_id",
            "source",
            false,
            OnDelete::Restrict,
        );
        t.col(text_null(Alias::new("url")));
        columns::named(&mut t, "title");
        t.col(text_null(Alias::new("language")))
            .col(timestamp_with_time_zone_null(Alias::new("retrieved_at")))
            .col(text_null(Alias::new("via")));
        columns::fuzzy_date(&mut t, "published");
        manager.create_table(t).await?;
        for cols in [
            &["source_id"][..],
            &["title_key"],
            &["published_lo"],
            &["published_hi"],
        ] {
            columns::index(manager, TABLE, cols).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        columns::drop(manager, TABLE).await
    }
}
