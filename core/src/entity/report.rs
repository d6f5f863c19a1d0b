use crate::vocabulary::Marking;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "report")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key: Option<String>,
    pub source_id: i64,
    pub url: Option<String>,
    pub title: String,
    pub title_key: String,
    pub language: Option<String>,
    pub retrieved_at: Option<DateTimeUtc>,
    pub via: Option<String>,
    pub published: Option<String>,
    pub published_lo: Option<i64>,
    pub published_hi: Option<i64>,
    /// Who may read it (see `crate::visibility`).
    pub marking: Marking,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

stamped!();
marked!();

/// The columns of the fuzzy date `published`.
pub const PUBLISHED: super::DateColumns<Column> = super::DateColumns {
    text: Column::Published,
    lo: Column::PublishedLo,
    hi: Column::PublishedHi,
};
