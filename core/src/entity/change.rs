//! One entry of the change journal (see `crate::write::journal`).
use crate::vocabulary::Marking;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "change")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// The name of the token (or the command) that wrote.
    pub author: String,
    /// The GraphQL type name of the record ("Actor", "EventBase", …).
    pub entity_type: String,
    pub entity_id: i64,
    /// `create`, `update` or `delete`.
    pub operation: String,
    /// The record's version after the change (the deleted version for a delete).
    pub version: i32,
    /// The record's marking when it was written: what a tombstone is read as.
    pub marking: Marking,
    /// JSON array of `{field, old, new}`.
    pub fields: String,
}

impl ActiveModelBehavior for ActiveModel {}

stored!();
