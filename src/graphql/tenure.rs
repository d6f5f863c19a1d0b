use super::attestation::{Attestation, attestations_of};
use super::filter::{self, apply};
use super::loader::{load_referenced, nested_connection, readable};
use super::node::{Record, global_id};
use super::pagination::{Connection, Edge, Listed, PageArgs};
use super::scalars::Validity;
use super::{Actor, Base};
use crate::entity::attestation;
use crate::entity::tenure;
use crate::error::ApiResult;
use crate::fuzzy_date::FuzzyDate;
use crate::graphql::vocabulary::TenureRole;
use async_graphql::{Context, ID, Object, Result};
use garrison_core::vocabulary as stored;
use sea_orm::{ActiveEnum, ColumnTrait};

/// An actor holding a base in some role over a period.
#[derive(Clone)]
pub struct Tenure(pub tenure::Model);

impl Record for Tenure {
    type Entity = tenure::Entity;
    type Kind = garrison_core::record::Tenure;
    fn from_model(model: tenure::Model) -> Self {
        Self(model)
    }
}

impl Listed for Tenure {
    type Edge = Edge<Self>;
}

#[Object]
impl Tenure {
    pub async fn id(&self) -> ID {
        global_id::<Self>(self.0.id)
    }
    async fn actor(&self, ctx: &Context<'_>) -> Result<Actor> {
        Ok(load_referenced::<Actor>(ctx, self.0.actor_id).await?)
    }
    async fn base(&self, ctx: &Context<'_>) -> Result<Base> {
        Ok(load_referenced::<Base>(ctx, self.0.base_id).await?)
    }
    async fn role(&self) -> TenureRole {
        self.0.role.into()
    }
    #[graphql(flatten)]
    async fn validity(&self) -> Validity {
        Validity(self.0.valid.clone())
    }
    /// What the tenure rests on (the 1971 agreement).
    async fn basis(&self) -> Option<&str> {
        self.0.basis.as_deref()
    }
    /// The reports that support or dispute this tenure.
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
        Ok(attestations_of(ctx, attestation::Column::TenureId, self.0.id, args).await?)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> super::record::RecordMeta {
        crate::record_meta!(Self, self.0)
    }
}

/// The tenures whose `column` (their actor or their base) is `id`, oldest first; with
/// `at`, only those that may have held then.
pub async fn tenures_of(
    ctx: &Context<'_>,
    column: tenure::Column,
    id: i64,
    at: Option<FuzzyDate>,
    certainty: filter::Certainty,
    role: Option<TenureRole>,
    args: PageArgs,
) -> ApiResult<Connection<Tenure>> {
    let mut select = readable::<Tenure>(ctx);
    apply(
        &mut select,
        at.map(|d| {
            let test = (filter::Relation::At, certainty);
            filter::dated(tenure::VALID, &d, test, false)
        }),
    );
    apply(
        &mut select,
        role.map(|r| tenure::Column::Role.eq(stored::TenureRole::from(r).to_value())),
    );
    let ordering = filter::by_date::<tenure::Entity>("valid", tenure::VALID);
    nested_connection(ctx, select, column.into_expr(), id, ordering, args).await
}
