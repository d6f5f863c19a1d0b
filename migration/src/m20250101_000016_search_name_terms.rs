//! Which record each fuzzy name term comes from, so that a term's typo keys can be
//! removed once no record has it any more (a rename used to leave them forever).
//!
//! The existing typo keys and documents are cleared: the server rebuilds both on its
//! next start (the index is rebuilt whenever records have no documents), and the
//! rebuild fills the new table.
use crate::columns;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// One name term of one searchable record (only terms that get typo keys).
const NAME_TERM: &str = "search_name_term";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = Table::create()
            .table(Alias::new(NAME_TERM))
            .if_not_exists()
            .col(text(Alias::new("term")))
            .col(text(Alias::new("entity_type")))
            .col(big_integer(Alias::new("entity_id")))
            .primary_key(
                Index::create()
                    .col(Alias::new("term"))
                    .col(Alias::new("entity_type"))
                    .col(Alias::new("entity_id")),
            )
            .to_owned();
        manager.create_table(table).await?;
        columns::index(manager, NAME_TERM, &["entity_type", "entity_id"]).await?;
        let db = manager.get_connection();
        db.execute_unprepared("DELETE FROM search_term_key").await?;
        db.execute_unprepared("DELETE FROM search_document").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        columns::drop(manager, NAME_TERM).await
    }
}
