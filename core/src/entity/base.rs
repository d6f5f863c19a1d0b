use crate::vocabulary::*;
use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[sea_orm(table_name = "base")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub key: Option<String>,
    pub kind: BaseKind,
    pub name: String,
    pub name_key: String,
    pub country: Option<String>,
    pub region: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub location_precision: Option<LocationPrecision>,
    pub description: Option<String>,
    pub established: Option<String>,
    pub established_lo: Option<i64>,
    pub established_hi: Option<i64>,
    /// Who may read it (see `crate::visibility`).
    pub marking: Marking,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

stamped!();
marked!();

/// The columns of the fuzzy date `established`.
pub const ESTABLISHED: super::DateColumns<Column> = super::DateColumns {
    text: Column::Established,
    lo: Column::EstablishedLo,
    hi: Column::EstablishedHi,
};

/// The columns of its location.
pub const LOCATION: super::PointColumns<Column> = super::PointColumns {
    latitude: Column::Latitude,
    longitude: Column::Longitude,
};
