use crate::vocabulary::Marking;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "event_participant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key: Option<String>,
    pub event_id: i64,
    pub actor_id: Option<i64>,
    pub asset_id: Option<i64>,
    pub base_id: Option<i64>,
    /// One of ActorRole, AssetRole or BaseRole in snake_case, by which reference is set.
    pub role: String,
    /// Who may read it (see `crate::visibility`).
    pub marking: Marking,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

stamped!();
marked!();

/// Columns the database keeps itself (by triggers, see the migrations), outside the
/// model: the event's sort key copied onto each participation, so that a record's
/// events page from its index.
#[derive(DeriveIden, Clone, Copy, Debug)]
pub enum Maintained {
    OccurredSort,
}
