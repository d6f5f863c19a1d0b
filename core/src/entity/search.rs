//! The search index's tables (see `crate::search`). Their text columns are written
//! and read through sea-query; the full-text and date indexes are virtual tables that
//! the migrations keep in step with triggers, so they are named here only as
//! identifiers.
use sea_orm::DeriveIden;

/// One searchable record's folded texts.
pub mod document {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "search_document")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// The record's public type name.
        pub entity_type: String,
        pub entity_id: i64,
        /// Its name terms (aliases included), space-separated.
        pub names: String,
        /// Its other terms.
        pub body: String,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// Which record has which name term that search tolerates typos in.
pub mod name_term {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "search_name_term")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub term: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub entity_type: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub entity_id: i64,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// Each name term under itself and under its one-letter deletions.
pub mod term_key {
    use sea_orm::entity::prelude::*;

    #[sea_orm::model]
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "search_term_key")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub term: String,
    }

    impl ActiveModelBehavior for ActiveModel {}
}

/// SQLite's FTS5 index of the documents (`rowid` is the document's id).
#[derive(DeriveIden, Clone, Copy, Debug)]
pub enum SearchText {
    Table,
    Rowid,
}

/// PostgreSQL's generated `tsvector` column of the documents.
#[derive(DeriveIden, Clone, Copy, Debug)]
pub enum DocumentTerms {
    Terms,
}

/// SQLite's R*Tree of the events' occurrence intervals (days since the epoch).
#[derive(DeriveIden, Clone, Copy, Debug)]
pub enum EventOccurredIndex {
    Table,
    Id,
    Lo,
    Hi,
}
