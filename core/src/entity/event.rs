use crate::vocabulary::*;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key: Option<String>,
    pub kind: EventKind,
    pub title: String,
    pub title_key: String,
    pub summary: Option<String>,
    pub status: EventStatus,
    pub confidence: Option<i32>,
    pub place: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub location_precision: Option<LocationPrecision>,
    pub occurred: Option<String>,
    pub occurred_lo: Option<i64>,
    pub occurred_hi: Option<i64>,
    /// Who may read it (see `crate::visibility`).
    pub marking: Marking,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

stamped!();
marked!();

/// The columns of the fuzzy date `occurred`.
pub const OCCURRED: super::DateColumns<Column> = super::DateColumns {
    text: Column::Occurred,
    lo: Column::OccurredLo,
    hi: Column::OccurredHi,
};

/// The columns of its location.
pub const LOCATION: super::PointColumns<Column> = super::PointColumns {
    latitude: Column::Latitude,
    longitude: Column::Longitude,
};
