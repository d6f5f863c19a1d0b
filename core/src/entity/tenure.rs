use crate::vocabulary::*;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "tenure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key: Option<String>,
    pub actor_id: i64,
    pub base_id: i64,
    pub role: TenureRole,
    pub basis: Option<String>,
    pub valid: Option<String>,
    pub valid_lo: Option<i64>,
    pub valid_hi: Option<i64>,
    /// Who may read it (see `crate::visibility`).
    pub marking: Marking,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

stamped!();
marked!();

/// The columns of the fuzzy date `valid`.
pub const VALID: super::DateColumns<Column> = super::DateColumns {
    text: Column::Valid,
    lo: Column::ValidLo,
    hi: Column::ValidHi,
};
