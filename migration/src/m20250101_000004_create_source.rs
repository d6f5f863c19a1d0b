use crate::columns;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "source";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = columns::entity_table(TABLE);
        t.col(text(Alias::new("kind")));
        columns::named(&mut t, "name");
        t.col(char_len(Alias::new("reliability"), 1))
            .col(text_null(Alias::new("url")))
            .col(text_null(Alias::new("description")))
            .check(Expr::cust("reliability IN ('A', 'B', 'C', 'D', 'E', 'F')"));
        manager.create_table(t).await?;
        for cols in [&["name_key"][..], &["kind"]] {
            columns::index(manager, TABLE, cols).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        columns::drop(manager, TABLE).await
    }
}
