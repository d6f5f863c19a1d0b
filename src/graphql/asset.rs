use super::actor::Actor;
use super::alias::aliases_of;
use super::deployment::{Deployment, deployments_of};
use super::event::{Event, events_involving};
use super::filter::{self, OrderBy, SortField, apply};
use super::loader::{load_record, nested_connection, readable};
use super::node::{Record, global_id};
use super::pagination::{Connection, Edge, KeyKind, Listed, MAX_PAGE_SIZE, PageArgs};
use super::record::{RecordMeta, by_global_id};
use super::root_list::{Filtered, root_list};
use super::scalars::{Edtf, parse_date};
use super::timeline::{self, TimelineEntry, timeline_of};
use crate::entity::{asset, deployment, event_participant};
use crate::error::ApiResult;
use crate::graphql::vocabulary::{AssetKind, AssetRole, QuantityQualifier};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use garrison_core::record;
use garrison_core::vocabulary as stored;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::Expr;
use sea_orm::sea_query::SelectStatement;

/// An aircraft, vessel, vehicle, unit, piece of equipment or group of personnel.
#[derive(Clone)]
pub struct Asset(pub asset::Model);

impl Record for Asset {
    type Entity = asset::Entity;
    type Kind = garrison_core::record::Asset;
    fn from_model(model: asset::Model) -> Self {
        Self(model)
    }
}

impl Listed for Asset {
    type Edge = Edge<Self>;
}

/// A count as reported ("at least two").
#[derive(SimpleObject)]
pub struct Quantity {
    pub value: i32,
    pub qualifier: QuantityQualifier,
}

#[Object]
impl Asset {
    pub async fn id(&self) -> ID {
        global_id::<Self>(self.0.id)
    }
    async fn kind(&self) -> AssetKind {
        self.0.kind.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn aliases(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        Ok(aliases_of::<Self>(ctx, self.0.id).await?)
    }
    /// Type or class (An-124 Ruslan).
    async fn model(&self) -> Option<&str> {
        self.0.model.as_deref()
    }
    /// How many, where counted.
    async fn quantity(&self) -> Option<Quantity> {
        Some(Quantity {
            value: self.0.quantity?,
            qualifier: self
                .0
                .quantity_qualifier
                .map_or(QuantityQualifier::Exact, Into::into),
        })
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The actor the asset belongs to.
    async fn owner(&self, ctx: &Context<'_>) -> Result<Option<Actor>> {
        match self.0.owner_id {
            // An owner the caller may not see reads as none.
            Some(id) => Ok(load_record::<Actor>(ctx, id).await?),
            None => Ok(None),
        }
    }
    /// Where the asset was stationed; with `at`, only where it may have been then.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn deployments(
        &self,
        ctx: &Context<'_>,
        at: Option<Edtf>,
        #[graphql(default)] certainty: filter::Certainty,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Deployment>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(deployments_of(
            ctx,
            deployment::Column::AssetId,
            self.0.id,
            parse_date(at, "at")?,
            certainty,
            args,
        )
        .await?)
    }
    /// Events involving the asset, in date order.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        role: Option<AssetRole>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Event>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(events_involving(
            ctx,
            event_participant::Column::AssetId,
            self.0.id,
            role.map(stored::AssetRole::from),
            args,
        )
        .await?)
    }
    /// Where the asset was at `date`: the deployments that held then (POSSIBLE: may
    /// have; CERTAIN: held for the whole date), each with its base.
    async fn location_at(
        &self,
        ctx: &Context<'_>,
        date: Edtf,
        #[graphql(default)] certainty: filter::Certainty,
    ) -> Result<Vec<Deployment>> {
        let args = PageArgs::new(Some(MAX_PAGE_SIZE as i32), None, None, None);
        let found = deployments_of(
            ctx,
            deployment::Column::AssetId,
            self.0.id,
            Some(date.parse("date")?),
            certainty,
            args,
        )
        .await?;
        Ok(found.into_nodes())
    }
    /// Its history, oldest first: tenures and deployments starting and ending, and
    /// events, each with its date and attestations; undated records last.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<TimelineEntry>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(timeline_of(ctx, &timeline::ASSET, self.0.id, args).await?)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        crate::record_meta!(Self, self.0)
    }
}

/// The assets owned by actor `owner`, by name.
pub async fn assets_owned_by(
    ctx: &Context<'_>,
    owner: i64,
    args: PageArgs,
) -> ApiResult<Connection<Asset>> {
    let select = readable::<Asset>(ctx);
    let ordering = filter::ordering::<AssetOrderField>(None);
    nested_connection(
        ctx,
        select,
        asset::Column::OwnerId.into_expr(),
        owner,
        ordering,
        args,
    )
    .await
}

/// Which assets to list.
#[derive(InputObject, Default)]
pub struct AssetFilter {
    /// Matches the name or any alias, ignoring case, accents and Arabic article prefixes.
    name: Option<String>,
    kind: Option<Vec<AssetKind>>,
    /// Matches the model, ignoring case.
    model: Option<String>,
    /// Only assets of this actor.
    owner: Option<ID>,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum AssetOrderField {
    #[default]
    Name,
    CreatedAt,
}

impl SortField for AssetOrderField {
    type Entity = asset::Entity;
    fn key(self) -> (&'static str, Expr, KeyKind) {
        match self {
            Self::Name => ("name", asset::Column::NameKey.into_expr(), KeyKind::Text),
            Self::CreatedAt => ("created", asset::Column::Id.into_expr(), KeyKind::Int),
        }
    }
}

impl Filtered for Asset {
    type Filter = AssetFilter;
    type Order = AssetOrderField;
    fn narrow(ctx: &Context<'_>, select: &mut SelectStatement, f: AssetFilter) -> ApiResult<()> {
        let kind = f.kind.map(|k| (asset::Column::Kind, k));
        filter::apply_named::<record::Asset, _, stored::AssetKind>(select, f.name, kind, None)?;
        if let Some(model) = f.model {
            let model = filter::lower_contains(asset::Column::Model, "filter.model", &model)?;
            apply(select, Some(model));
        }
        let owner =
            filter::reference::<Actor>(ctx, asset::Column::OwnerId, f.owner, "filter.owner")?;
        apply(select, owner);
        Ok(())
    }
}

#[derive(Default)]
pub struct AssetQuery;

#[Object]
impl AssetQuery {
    /// An asset by id; null when none exists.
    async fn asset(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Asset>> {
        Ok(by_global_id(ctx, &id).await?)
    }

    /// Assets, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn assets(
        &self,
        ctx: &Context<'_>,
        filter: Option<AssetFilter>,
        order_by: Option<OrderBy<AssetOrderField>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Asset>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(root_list::<Asset>(ctx, filter, order_by, args).await?)
    }
}
