use crate::vocabulary::*;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "source")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key: Option<String>,
    pub kind: SourceKind,
    pub name: String,
    pub name_key: String,
    pub reliability: Reliability,
    pub url: Option<String>,
    pub description: Option<String>,
    /// Who may read it (see `crate::visibility`).
    pub marking: Marking,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

stamped!();
marked!();
