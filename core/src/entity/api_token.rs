//! An API token: only the SHA-256 of its secret is stored.
use crate::auth::Role;
use crate::vocabulary::Marking;
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "api_token")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    pub role: Role,
    /// The highest marking its holder may read and write.
    pub clearance: Marking,
    /// Hex SHA-256 of the token's secret part.
    pub secret_hash: String,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

impl ActiveModelBehavior for ActiveModel {}
