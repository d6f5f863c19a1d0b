use super::alias::aliases_of;
use super::deployment::{Deployment, deployments_of};
use super::event::{Event, events_involving};
use super::filter::{self, OrderBy, SortField, apply};
use super::geo::{self, NearInput, WithinInput};
use super::loader::{clearance, readable, root_connection};
use super::node::{Record, global_id, record_id};
use super::pagination::{Connection, KeyKind, Listed, MeasuredEdge, PageArgs};
use super::record::{RecordMeta, by_global_id};
use super::scalars::{Edtf, FuzzyDateObject, parse_date};
use super::tenure::{Tenure, tenures_of};
use super::timeline::{self, TimelineEntry, timeline_of};
use crate::entity::{base, deployment, event_participant, tenure};
use crate::fuzzy_date::FuzzyDate;
use crate::graphql::vocabulary::{BaseKind, BaseRole, LocationPrecision, TenureRole};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use garrison_core::record;
use garrison_core::visibility::Visible;
use garrison_core::vocabulary as stored;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Query};

/// A military installation.
#[derive(Clone)]
pub struct Base(pub base::Model);

impl Record for Base {
    type Entity = base::Entity;
    type Kind = garrison_core::record::Base;
    fn from_model(model: base::Model) -> Self {
        Self(model)
    }
}

impl Listed for Base {
    type Edge = MeasuredEdge<Self>;
}

/// Where something is, and how precisely that is known.
#[derive(SimpleObject)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
    pub precision: Option<LocationPrecision>,
}

#[Object]
impl Base {
    pub async fn id(&self) -> ID {
        global_id::<Self>(self.0.id)
    }
    async fn kind(&self) -> BaseKind {
        self.0.kind.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Other spellings and names (Hmeimim / Khmeimim / Humaymim).
    async fn aliases(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        Ok(aliases_of::<Self>(ctx, self.0.id).await?)
    }
    /// ISO 3166-1 alpha-2 country code.
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }
    /// Province, governorate or other region.
    async fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
    async fn location(&self) -> Option<Location> {
        Some(Location {
            latitude: self.0.latitude?,
            longitude: self.0.longitude?,
            precision: self.0.location_precision.map(Into::into),
        })
    }
    async fn established(&self) -> Option<FuzzyDateObject> {
        FuzzyDate::from_stored(self.0.established.clone()).map(Into::into)
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Who held this base in which role; with `at`, only tenures that may have been
    /// in force then.
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
            tenure::Column::BaseId,
            self.0.id,
            parse_date(at, "at")?,
            certainty,
            role,
            args,
        )
        .await?)
    }
    /// Assets stationed here; with `at`, only those that may have been here then.
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
            deployment::Column::BaseId,
            self.0.id,
            parse_date(at, "at")?,
            certainty,
            args,
        )
        .await?)
    }
    /// Events at, from or to this base, in date order.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        role: Option<BaseRole>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Event>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(events_involving(
            ctx,
            event_participant::Column::BaseId,
            self.0.id,
            role.map(stored::BaseRole::from),
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
        Ok(timeline_of(ctx, &timeline::BASE, self.0.id, args).await?)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        crate::record_meta!(Self, self.0)
    }
}

/// Which bases to list.
#[derive(InputObject, Default)]
pub struct BaseFilter {
    /// Matches the name or any alias, ignoring case, accents and Arabic article prefixes.
    name: Option<String>,
    kind: Option<Vec<BaseKind>>,
    /// ISO 3166-1 alpha-2 codes.
    country: Option<Vec<String>>,
    /// Matches the region, ignoring case and accents.
    region: Option<String>,
    /// Only bases that this actor held (in any role) at some time.
    actor: Option<ID>,
    /// Only bases that may have been established by then.
    established_by: Option<Edtf>,
    /// Only bases within this radius; nearest first unless `orderBy` says otherwise,
    /// with `distanceKm` on each edge.
    near: Option<NearInput>,
    /// Only bases within this box.
    within: Option<WithinInput>,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum BaseOrderField {
    #[default]
    Name,
    Established,
    CreatedAt,
}

impl SortField for BaseOrderField {
    type Entity = base::Entity;
    fn key(self) -> (&'static str, Expr, KeyKind) {
        match self {
            Self::Name => ("name", base::Column::NameKey.into_expr(), KeyKind::Text),
            Self::Established => (
                "established",
                filter::date_key(base::ESTABLISHED),
                KeyKind::Int,
            ),
            Self::CreatedAt => ("created", base::Column::Id.into_expr(), KeyKind::Int),
        }
    }
}

#[derive(Default)]
pub struct BaseQuery;

#[Object]
impl BaseQuery {
    /// A base by id; null when none exists.
    async fn base(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Base>> {
        Ok(by_global_id(ctx, &id).await?)
    }

    /// Bases, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn bases(
        &self,
        ctx: &Context<'_>,
        filter: Option<BaseFilter>,
        order_by: Option<OrderBy<BaseOrderField>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Base>> {
        let f = filter.unwrap_or_default();
        let mut select = readable::<Base>(ctx);
        let country = f.country.map(|c| (base::Column::Country, c));
        let kind = f.kind.map(|k| (base::Column::Kind, k));
        filter::apply_named::<record::Base, _, stored::BaseKind>(
            &mut select,
            f.name,
            kind,
            country,
        )?;
        if let Some(region) = f.region {
            let region = filter::lower_contains(base::Column::Region, "filter.region", &region)?;
            apply(&mut select, Some(region));
        }
        if let Some(actor) = f.actor {
            let actor = record_id::<super::Actor>(&actor, "filter.actor")?;
            apply(
                &mut select,
                Some(
                    base::Column::Id.into_expr().in_subquery(
                        Query::select()
                            .column(tenure::Column::BaseId)
                            .from(tenure::Entity)
                            .and_where(tenure::Column::ActorId.eq(actor))
                            .cond_where(record::Tenure::visible(clearance(ctx)))
                            .to_owned(),
                    ),
                ),
            );
        }
        if let Some(by) =
            parse_date(f.established_by, "filter.establishedBy")?.and_then(|d| d.latest())
        {
            let lo = base::Column::EstablishedLo.into_expr();
            apply(&mut select, Some(lo.clone().is_not_null().and(lo.lte(by))));
        }
        let near = geo::narrow(&mut select, base::LOCATION, f.near, f.within)?;
        let ordering = geo::ordering(order_by, near.as_ref(), base::LOCATION);
        let args = PageArgs::new(first, after, last, before);
        let connection = root_connection::<Base>(ctx, select, ordering, args).await?;
        Ok(connection.measure(|b| {
            geo::edge_distance(near.map(|c| c.center), b.0.latitude.zip(b.0.longitude))
        }))
    }
}
