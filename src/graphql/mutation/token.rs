//! Token management for admins (the same as `garrison token …`).
use super::require;
use crate::auth;
use crate::entity::api_token;
use crate::error::ApiError;
use crate::error::GarrisonError;
use crate::graphql::loader::db;
use crate::graphql::vocabulary::{Marking, Role};
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};

/// An API token (its secret is never shown again after creation).
#[derive(SimpleObject)]
pub struct ApiToken {
    name: String,
    role: Role,
    /// The highest marking its holder may read and write.
    clearance: Marking,
    created_at: DateTime<Utc>,
    /// Set once revoked; a revoked token no longer works.
    revoked_at: Option<DateTime<Utc>>,
}

impl From<api_token::Model> for ApiToken {
    fn from(m: api_token::Model) -> Self {
        Self {
            name: m.name,
            role: m.role.into(),
            clearance: m.clearance.into(),
            created_at: m.created_at,
            revoked_at: m.revoked_at,
        }
    }
}

/// A new token: the only time its secret is shown.
#[derive(SimpleObject)]
pub struct CreateTokenPayload {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    info: ApiToken,
}

#[derive(Default)]
pub struct TokenMutation;

#[Object]
impl TokenMutation {
    /// Creates a token (role admin) with a clearance no higher than the caller's own.
    async fn create_token(
        &self,
        ctx: &Context<'_>,
        name: String,
        role: Role,
        #[graphql(default_with = "Marking::Clear")] clearance: Marking,
    ) -> async_graphql::Result<CreateTokenPayload> {
        let admin = require(ctx, auth::Role::Admin)?;
        let clearance = garrison_core::vocabulary::Marking::from(clearance);
        if clearance > admin.clearance {
            return Err(ApiError::from(GarrisonError::Forbidden(format!(
                "token \"{}\" has clearance {}; it cannot give clearance {}",
                admin.name,
                admin.clearance.label(),
                clearance.label()
            )))
            .into());
        }
        let issued = auth::create(db(ctx), &name, role.into(), clearance)
            .await
            .map_err(ApiError::from)?;
        Ok(CreateTokenPayload {
            token: issued.token,
            info: issued.record.into(),
        })
    }

    /// Revokes a token by name (role admin); it stops working at once.
    async fn revoke_token(
        &self,
        ctx: &Context<'_>,
        name: String,
    ) -> async_graphql::Result<ApiToken> {
        require(ctx, auth::Role::Admin)?;
        Ok(auth::revoke(db(ctx), &name)
            .await
            .map_err(ApiError::from)?
            .into())
    }
}

#[derive(Default)]
pub struct TokenQuery;

#[Object]
impl TokenQuery {
    /// Every token, revoked ones included (role admin).
    // Tokens are not journaled, so the response cache must not keep this.
    #[graphql(cache_control(no_cache))]
    async fn tokens(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiToken>> {
        require(ctx, auth::Role::Admin)?;
        let tokens = auth::list(db(ctx)).await.map_err(ApiError::from)?;
        Ok(tokens.into_iter().map(Into::into).collect())
    }
}
