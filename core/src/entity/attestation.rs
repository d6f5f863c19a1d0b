use crate::vocabulary::*;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "attestation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key: Option<String>,
    pub report_id: i64,
    pub event_id: Option<i64>,
    pub tenure_id: Option<i64>,
    pub deployment_id: Option<i64>,
    pub excerpt: String,
    pub credibility: i16,
    pub stance: Stance,
    /// Who may read it (see `crate::visibility`).
    pub marking: Marking,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

stamped!();
marked!();
