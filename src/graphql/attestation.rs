use super::filter::by_id;
use super::loader::{load_referenced, nested_connection, readable};
use super::node::{Record, global_id};
use super::pagination::{Connection, Edge, Listed, PageArgs};
use super::{Deployment, Event, Report, Tenure};
use crate::entity::attestation;
use crate::error::{ApiError, ApiResult, GarrisonError};
use crate::graphql::vocabulary::Stance;
use async_graphql::{Context, ID, Object, Result, Union};
use sea_orm::ColumnTrait;

/// A report's support for a claim: the excerpt that says it, how credible the claim is
/// (Admiralty 1–6: it belongs to the claim, not the source) and the report's stance.
#[derive(Clone)]
pub struct Attestation(pub attestation::Model);

impl Record for Attestation {
    type Entity = attestation::Entity;
    type Kind = garrison_core::record::Attestation;
    fn from_model(model: attestation::Model) -> Self {
        Self(model)
    }
}

impl Listed for Attestation {
    type Edge = Edge<Self>;
}

/// What an attestation is about.
#[derive(Union)]
pub enum Claim {
    Event(Event),
    Tenure(Tenure),
    Deployment(Deployment),
}

#[Object]
impl Attestation {
    pub async fn id(&self) -> ID {
        global_id::<Self>(self.0.id)
    }
    async fn report(&self, ctx: &Context<'_>) -> Result<Report> {
        Ok(load_referenced::<Report>(ctx, self.0.report_id).await?)
    }
    /// The words of the report that make the claim.
    async fn excerpt(&self) -> &str {
        &self.0.excerpt
    }
    /// Admiralty credibility of the claim: 1 confirmed … 5 improbable, 6 cannot be judged.
    async fn credibility(&self) -> i32 {
        i32::from(self.0.credibility)
    }
    async fn stance(&self) -> Stance {
        self.0.stance.into()
    }
    /// The event, tenure or deployment attested.
    async fn claim(&self, ctx: &Context<'_>) -> Result<Claim> {
        let m = &self.0;
        let claim = match (m.event_id, m.tenure_id, m.deployment_id) {
            (Some(id), _, _) => Claim::Event(load_referenced(ctx, id).await?),
            (_, Some(id), _) => Claim::Tenure(load_referenced(ctx, id).await?),
            (_, _, Some(id)) => Claim::Deployment(load_referenced(ctx, id).await?),
            _ => {
                return Err(ApiError::from(GarrisonError::Internal(
                    "attestation without claim".into(),
                ))
                .into());
            }
        };
        Ok(claim)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> super::record::RecordMeta {
        crate::record_meta!(Self, self.0)
    }
}

/// The attestations whose `column` (their report or their claim) is `id`, in the order
/// recorded.
pub async fn attestations_of(
    ctx: &Context<'_>,
    column: attestation::Column,
    id: i64,
    args: PageArgs,
) -> ApiResult<Connection<Attestation>> {
    let select = readable::<Attestation>(ctx);
    let ordering = by_id::<attestation::Entity>();
    nested_connection(ctx, select, column.into_expr(), id, ordering, args).await
}
