use crate::columns;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "event";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = columns::entity_table(TABLE);
        t.col(text(Alias::new("kind")));
        columns::named(&mut t, "title");
        t.col(text_null(Alias::new("summary")))
            .col(text(Alias::new("status")))
            .col(integer_null(Alias::new("confidence")))
            .col(text_null(Alias::new("place")))
            .col(char_len_null(Alias::new("country"), 2))
            .col(double_null(Alias::new("latitude")))
            .col(double_null(Alias::new("longitude")))
            .check(Expr::cust(
                "confidence IS NULL OR (confidence >= 0 AND confidence <= 100)",
            ));
        columns::fuzzy_date(&mut t, "occurred");
        manager.create_table(t).await?;
        for cols in [
            &["title_key"][..],
            &["kind"],
            &["status"],
            &["confidence"],
            &["occurred_lo"],
            &["occurred_hi"],
            &["latitude", "longitude"],
        ] {
            columns::index(manager, TABLE, cols).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        columns::drop(manager, TABLE).await
    }
}
