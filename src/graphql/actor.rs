use super::alias::aliases_of;
use super::asset::{Asset, assets_owned_by};
use super::event::{Event, events_involving};
use super::filter::{self, OrderBy, SortField, apply};
use super::loader::{load_record, nested_connection, readable};
use super::node::{Record, global_id};
use super::pagination::{Connection, Edge, KeyKind, Listed, PageArgs};
use super::record::{RecordMeta, by_global_id};
use super::root_list::{Filtered, root_list};
use super::scalars::{Edtf, parse_date};
use super::tenure::{Tenure, tenures_of};
use super::timeline::{self, TimelineEntry, timeline_of};
use crate::entity::{actor, event_participant, tenure};
use crate::error::ApiResult;
use crate::graphql::vocabulary::{ActorKind, ActorRole, TenureRole};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use garrison_core::record;
use garrison_core::vocabulary as stored;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::SelectStatement;

/// A state, armed force, armed group, government, organisation or person.
#[derive(Clone)]
pub struct Actor(pub actor::Model);

impl Record for Actor {
    type Entity = actor::Entity;
    type Kind = garrison_core::record::Actor;
    fn from_model(model: actor::Model) -> Self {
        Self(model)
    }
}

impl Listed for Actor {
    type Edge = Edge<Self>;
}

#[Object]
impl Actor {
    pub async fn id(&self) -> ID {
        global_id::<Self>(self.0.id)
    }
    async fn kind(&self) -> ActorKind {
        self.0.kind.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Other names this actor goes by.
    async fn aliases(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        Ok(aliases_of::<Self>(ctx, self.0.id).await?)
    }
    /// ISO 3166-1 alpha-2 country code.
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The actor this one belongs to (Russian Navy → Russian Armed Forces → Russia).
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Actor>> {
        match self.0.parent_id {
            // A parent the caller may not see reads as none.
            Some(id) => Ok(load_record::<Actor>(ctx, id).await?),
            None => Ok(None),
        }
    }
    /// Actors directly below this one.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn subordinates(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Actor>> {
        let select = readable::<Actor>(ctx);
        Ok(nested_connection(
            ctx,
            select,
            actor::Column::ParentId.into_expr(),
            self.0.id,
            filter::ordering::<ActorOrderField>(None),
            PageArgs::new(first, after, last, before),
        )
        .await?)
    }
    /// Bases this actor held in some role, optionally as of a date.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn tenures(
        &self,
        ctx: &Context<'_>,
        at: Option<Edtf>,
        #[graphql(default)] certainty: filter::Certainty,
        role: Option<TenureRole>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Tenure>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(tenures_of(
            ctx,
            tenure::Column::ActorId,
            self.0.id,
            parse_date(at, "at")?,
            certainty,
            role,
            args,
        )
        .await?)
    }
    /// Assets this actor owns.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn assets(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Asset>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(assets_owned_by(ctx, self.0.id, args).await?)
    }
    /// Events this actor takes part in, in date order.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        role: Option<ActorRole>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Event>> {
        let args = PageArgs::new(first, after, last, before);
        let role = role.map(stored::ActorRole::from);
        Ok(events_involving(
            ctx,
            event_participant::Column::ActorId,
            self.0.id,
            role,
            args,
        )
        .await?)
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
        Ok(timeline_of(ctx, &timeline::ACTOR, self.0.id, args).await?)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        crate::record_meta!(Self, self.0)
    }
}

/// Which actors to list.
#[derive(InputObject, Default)]
pub struct ActorFilter {
    /// Matches the name or any alias, ignoring case, accents and Arabic article prefixes.
    name: Option<String>,
    kind: Option<Vec<ActorKind>>,
    /// ISO 3166-1 alpha-2 codes.
    country: Option<Vec<String>>,
    /// Only direct subordinates of this actor.
    parent: Option<ID>,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum ActorOrderField {
    #[default]
    Name,
    CreatedAt,
}

impl SortField for ActorOrderField {
    type Entity = actor::Entity;
    fn key(self) -> (&'static str, sea_orm::sea_query::Expr, KeyKind) {
        match self {
            Self::Name => ("name", actor::Column::NameKey.into_expr(), KeyKind::Text),
            Self::CreatedAt => ("created", actor::Column::Id.into_expr(), KeyKind::Int),
        }
    }
}

impl Filtered for Actor {
    type Filter = ActorFilter;
    type Order = ActorOrderField;
    fn narrow(ctx: &Context<'_>, select: &mut SelectStatement, f: ActorFilter) -> ApiResult<()> {
        let country = f.country.map(|c| (actor::Column::Country, c));
        let kind = f.kind.map(|k| (actor::Column::Kind, k));
        filter::apply_named::<record::Actor, _, stored::ActorKind>(select, f.name, kind, country)?;
        let parent =
            filter::reference::<Actor>(ctx, actor::Column::ParentId, f.parent, "filter.parent")?;
        apply(select, parent);
        Ok(())
    }
}

#[derive(Default)]
pub struct ActorQuery;

#[Object]
impl ActorQuery {
    /// An actor by id; null when none exists.
    async fn actor(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Actor>> {
        Ok(by_global_id(ctx, &id).await?)
    }

    /// Actors, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn actors(
        &self,
        ctx: &Context<'_>,
        filter: Option<ActorFilter>,
        order_by: Option<OrderBy<ActorOrderField>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Actor>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(root_list::<Actor>(ctx, filter, order_by, args).await?)
    }
}
