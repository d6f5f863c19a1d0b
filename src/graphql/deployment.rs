use super::attestation::{Attestation, attestations_of};
use super::filter::{self, apply};
use super::loader::{load_referenced, nested_connection, readable};
use super::node::{Record, global_id};
use super::pagination::{Connection, Edge, Listed, PageArgs};
use super::scalars::Validity;
use super::{Asset, Base};
use crate::entity::attestation;
use crate::entity::deployment;
use crate::error::ApiResult;
use crate::fuzzy_date::FuzzyDate;
use async_graphql::{Context, ID, Object, Result};
use sea_orm::ColumnTrait;

/// An asset stationed at a base over a period.
#[derive(Clone)]
pub struct Deployment(pub deployment::Model);

impl Record for Deployment {
    type Entity = deployment::Entity;
    type Kind = garrison_core::record::Deployment;
    fn from_model(model: deployment::Model) -> Self {
        Self(model)
    }
}

impl Listed for Deployment {
    type Edge = Edge<Self>;
}

#[Object]
impl Deployment {
    pub async fn id(&self) -> ID {
        global_id::<Self>(self.0.id)
    }
    async fn asset(&self, ctx: &Context<'_>) -> Result<Asset> {
        Ok(load_referenced::<Asset>(ctx, self.0.asset_id).await?)
    }
    async fn base(&self, ctx: &Context<'_>) -> Result<Base> {
        Ok(load_referenced::<Base>(ctx, self.0.base_id).await?)
    }
    #[graphql(flatten)]
    async fn validity(&self) -> Validity {
        Validity(self.0.valid.clone())
    }
    /// The reports that support or dispute this deployment.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn attestations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Attestation>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(attestations_of(ctx, attestation::Column::DeploymentId, self.0.id, args).await?)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> super::record::RecordMeta {
        crate::record_meta!(Self, self.0)
    }
}

/// The deployments whose `column` (their asset or their base) is `id`, oldest first;
/// with `at`, only those that held then with `certainty`.
pub async fn deployments_of(
    ctx: &Context<'_>,
    column: deployment::Column,
    id: i64,
    at: Option<FuzzyDate>,
    certainty: filter::Certainty,
    args: PageArgs,
) -> ApiResult<Connection<Deployment>> {
    let mut select = readable::<Deployment>(ctx);
    apply(
        &mut select,
        at.map(|d| {
            let test = (filter::Relation::At, certainty);
            filter::dated(deployment::VALID, &d, test, false)
        }),
    );
    let ordering = filter::by_date::<deployment::Entity>("valid", deployment::VALID);
    nested_connection(ctx, select, column.into_expr(), id, ordering, args).await
}
