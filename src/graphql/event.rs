use super::attestation::{Attestation, attestations_of};
use super::base::Location;
use super::filter::{self, OrderBy, Relation, SortField, apply};
use super::geo::{self, NearInput, WithinInput};
use super::loader::{clearance, nested_connection, readable, root_connection};
use super::node::{Record, global_id, record_id};
use super::pagination::{Connection, KeyKind, Listed, MeasuredEdge, Ordering, PageArgs};
use super::participant::{EventActor, EventAsset, EventBase, participants_of};
use super::record::{RecordMeta, by_global_id};
use super::scalars::{Edtf, FuzzyDateObject, parse_date};
use super::{Actor, Asset, Base, Source};
use crate::entity::search::EventOccurredIndex;
use crate::entity::{attestation, event, event_participant, report};
use crate::error::{ApiError, ApiResult};
use crate::fuzzy_date::FuzzyDate;
use crate::geo::Circle;
use crate::graphql::vocabulary::{EventKind, EventStatus};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use garrison_core::record;
use garrison_core::visibility::{self, Clearance, Visible};
use garrison_core::vocabulary as stored;
use sea_orm::sea_query::{BinOper, Expr, ExprTrait, Func, JoinType, Query};
use sea_orm::{ActiveEnum, ColumnTrait, Condition, DatabaseBackend, DeriveIden};

/// Something reported to have happened.
#[derive(Clone)]
pub struct Event(pub event::Model);

impl Record for Event {
    type Entity = event::Entity;
    type Kind = garrison_core::record::Event;
    fn from_model(model: event::Model) -> Self {
        Self(model)
    }
}

impl Listed for Event {
    type Edge = MeasuredEdge<Self>;
}

/// Where an event happened.
#[derive(SimpleObject)]
pub struct Place {
    /// The place as named in reporting.
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    pub location: Option<Location>,
}

#[Object]
impl Event {
    pub async fn id(&self) -> ID {
        global_id::<Self>(self.0.id)
    }
    async fn kind(&self) -> EventKind {
        self.0.kind.into()
    }
    /// The ACLED sub-event type of this kind of event, where one exists.
    async fn acled_sub_event_type(&self) -> Option<&'static str> {
        self.0.kind.acled_sub_event_type()
    }
    /// The CAMEO event code of this kind of event, where one exists.
    async fn cameo_code(&self) -> Option<&'static str> {
        self.0.kind.cameo_code()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }
    /// When it happened, as precisely as reporting allows.
    async fn occurred(&self) -> Option<FuzzyDateObject> {
        FuzzyDate::from_stored(self.0.occurred.clone()).map(Into::into)
    }
    async fn status(&self) -> EventStatus {
        self.0.status.into()
    }
    /// Analytic confidence, 0–100.
    async fn confidence(&self) -> Option<i32> {
        self.0.confidence
    }
    async fn place(&self) -> Option<Place> {
        let m = &self.0;
        let location = m
            .latitude
            .zip(m.longitude)
            .map(|(latitude, longitude)| Location {
                latitude,
                longitude,
                precision: m.location_precision.map(Into::into),
            });
        (m.place.is_some() || m.country.is_some() || location.is_some()).then(|| Place {
            name: m.place.clone(),
            country: m.country.clone(),
            location,
        })
    }
    /// Actors taking part, each with a role.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn actors(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<EventActor>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(participants_of(ctx, self.0.id, args).await?)
    }
    /// Assets involved, each with a role.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn assets(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<EventAsset>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(participants_of(ctx, self.0.id, args).await?)
    }
    /// Bases involved, each with a role.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn bases(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<EventBase>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(participants_of(ctx, self.0.id, args).await?)
    }
    /// The reports that support or dispute this event.
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
        Ok(attestations_of(ctx, attestation::Column::EventId, self.0.id, args).await?)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        crate::record_meta!(Self, self.0)
    }
}

/// The events in which the record `id` takes part through `column` of the event
/// participants (its actor, asset or base), optionally in `role`, in date order.
///
/// The order is the participation's copy of its event's sort key, so that a page is
/// read from the index (`column`, `occurred_sort`, `event_id`) without sorting all the
/// record's events. A record taking part twice in one event (two roles) counts once:
/// only its first participation row is listed.
pub async fn events_involving<R: ActiveEnum>(
    ctx: &Context<'_>,
    column: event_participant::Column,
    id: i64,
    role: Option<R>,
    args: PageArgs,
) -> ApiResult<Connection<Event>>
where
    R::Value: Into<sea_orm::Value>,
{
    use event_participant::Column as P;
    /// The participation listed, and an earlier one of the same record in the event.
    #[derive(DeriveIden, Clone, Copy)]
    struct Link;
    #[derive(DeriveIden, Clone, Copy)]
    struct Earlier;
    let link = |c: P| Expr::col((Link, c));
    let earlier = |c: P| Expr::col((Earlier, c));
    let mut twin = Query::select();
    twin.expr(Expr::val(1))
        .from_as(event_participant::Entity, Earlier)
        .and_where(earlier(P::EventId).equals((Link, P::EventId)))
        .and_where(earlier(column).equals((Link, column)))
        .and_where(earlier(P::Id).lt(link(P::Id)))
        .and_where(earlier(P::Marking).lte(clearance(ctx).0.rank()));
    let mut select = readable::<Event>(ctx);
    select
        .join_as(
            JoinType::InnerJoin,
            event_participant::Entity,
            Link,
            link(P::EventId).equals(event::Column::Id.as_column_ref()),
        )
        .and_where(link(column).is_not_null())
        .and_where(link(P::Marking).lte(clearance(ctx).0.rank()));
    if let Some(role) = role {
        select.and_where(link(P::Role).eq(role.to_value()));
        twin.and_where(earlier(P::Role).eq(role.to_value()));
    }
    select.and_where(Expr::exists(twin.to_owned()).not());
    let ordering = Ordering::new(
        "occurred+",
        Expr::col((Link, event_participant::Maintained::OccurredSort)),
        KeyKind::Int,
        link(P::EventId),
        false,
    );
    nested_connection(ctx, select, link(column), id, ordering, args).await
}

/// Which events to list.
#[derive(InputObject, Default)]
pub struct EventFilter {
    /// Matches the title, ignoring case and accents.
    title: Option<String>,
    kind: Option<Vec<EventKind>>,
    status: Option<Vec<EventStatus>>,
    /// Only events with at least this confidence (0–100).
    min_confidence: Option<i32>,
    /// Only events in which this actor, or one below it, takes part.
    actor: Option<ID>,
    /// With `actor`: whether actors below it count (default true).
    #[graphql(default = true)]
    include_subordinates: bool,
    /// Only events involving this asset.
    asset: Option<ID>,
    /// Only events at, from or to this base.
    base: Option<ID>,
    /// Only events attested by a report of this source.
    source: Option<ID>,
    /// ISO 3166-1 alpha-2 codes of the place.
    country: Option<Vec<String>>,
    /// Only events that happened within this date or interval (see `certainty`).
    during: Option<Edtf>,
    /// Only events that were happening at this date (see `certainty`).
    at: Option<Edtf>,
    /// How `during` and `at` test: POSSIBLE (default) when the event's date overlaps
    /// the asked one; CERTAIN when it lies wholly within the `during` interval, or
    /// covers the whole `at` date.
    #[graphql(default)]
    certainty: filter::Certainty,
    /// Only events located within this radius; nearest first unless `orderBy` says
    /// otherwise, with `distanceKm` on each edge.
    near: Option<NearInput>,
    /// Only events located within this box.
    within: Option<WithinInput>,
}

impl EventFilter {
    /// Narrows `select` to the events this filter matches, and returns the `near`
    /// circle (which orders root lists). With `actor` (and its subordinates) it reads
    /// the actor hierarchy first, with `db`. The participations and attestations it
    /// matches through are only those a caller of `clearance` may see.
    pub async fn apply(
        self,
        db: &sea_orm::DatabaseConnection,
        clearance: Clearance,
        select: &mut sea_orm::sea_query::SelectStatement,
    ) -> ApiResult<Option<Circle>> {
        // Each participation counts only when visible itself: its settled visibility
        // (one column for the three kinds), which the participants' index by record and
        // date holds.
        let seen = match clearance {
            Clearance::ALL => Condition::all(),
            clearance => record::EventActor::visible(clearance),
        };
        let involving = |column: event_participant::Column, ids: Vec<i64>| {
            event::Column::Id.into_expr().in_subquery(
                Query::select()
                    .column(event_participant::Column::EventId)
                    .from(event_participant::Entity)
                    .and_where(column.is_in(ids))
                    .cond_where(seen.clone())
                    .to_owned(),
            )
        };
        if let Some(title) = self.title {
            let key = event::Column::TitleKey;
            let title = filter::name_matches::<event::Entity>(key, None, "filter.title", &title)?;
            apply(select, Some(title));
        }
        if let Some(kind) = self.kind {
            apply(
                select,
                Some(filter::one_of::<_, stored::EventKind>(
                    event::Column::Kind,
                    "filter.kind",
                    &kind,
                )?),
            );
        }
        if let Some(status) = self.status {
            let status = filter::one_of::<_, stored::EventStatus>(
                event::Column::Status,
                "filter.status",
                &status,
            )?;
            apply(select, Some(status));
        }
        if let Some(min) = self.min_confidence {
            if !(0..=100).contains(&min) {
                return Err(ApiError::invalid(
                    "filter.minConfidence",
                    "must be between 0 and 100",
                ));
            }
            apply(select, Some(event::Column::Confidence.into_expr().gte(min)));
        }
        if let Some(actor) = self.actor {
            let actor = record_id::<Actor>(&actor, "filter.actor")?;
            let actors = if self.include_subordinates {
                filter::actor_and_subordinates(db, actor, clearance).await?
            } else {
                vec![actor]
            };
            apply(
                select,
                Some(involving(event_participant::Column::ActorId, actors)),
            );
        }
        if let Some(asset) = self.asset {
            let asset = record_id::<Asset>(&asset, "filter.asset")?;
            let seen = visibility::exists_visible::<record::Asset>(Expr::val(asset), clearance);
            apply(select, Some(seen));
            apply(
                select,
                Some(involving(event_participant::Column::AssetId, vec![asset])),
            );
        }
        if let Some(base) = self.base {
            let base = record_id::<Base>(&base, "filter.base")?;
            let seen = visibility::exists_visible::<record::Base>(Expr::val(base), clearance);
            apply(select, Some(seen));
            apply(
                select,
                Some(involving(event_participant::Column::BaseId, vec![base])),
            );
        }
        if let Some(source) = self.source {
            let source = record_id::<Source>(&source, "filter.source")?;
            let attested = Query::select()
                .column(attestation::Column::EventId.as_column_ref())
                .from(attestation::Entity)
                .inner_join(
                    report::Entity,
                    report::Column::Id
                        .into_expr()
                        .equals(attestation::Column::ReportId.as_column_ref()),
                )
                .and_where(report::Column::SourceId.into_expr().eq(source))
                .cond_where(record::Attestation::visible(clearance))
                .to_owned();
            apply(
                select,
                Some(event::Column::Id.into_expr().in_subquery(attested)),
            );
        }
        if let Some(country) = self.country {
            let codes = filter::countries("filter.country", &country)?;
            apply(
                select,
                Some(filter::equals_any(event::Column::Country, &codes)),
            );
        }
        for (date, field, relation) in [
            (self.during, "filter.during", Relation::During),
            (self.at, "filter.at", Relation::At),
        ] {
            if let Some(date) = parse_date(date, field)? {
                let test = (relation, self.certainty);
                apply(select, occurred_index(db, &date));
                apply(
                    select,
                    Some(filter::dated(event::OCCURRED, &date, test, true)),
                );
            }
        }
        geo::narrow(select, event::LOCATION, self.near, self.within)
    }
}

/// Widest date window SQLite is sent to the interval index for (see [`occurred_index`]).
const INDEXED_WINDOW_SECS: i64 = 366 * 86_400;

/// The events whose interval index says they may overlap `date`: a superset of every
/// date test, stated so that the planner starts from the index (an R*Tree on SQLite,
/// GiST over `int8range` on PostgreSQL) instead of scanning events.
///
/// PostgreSQL keeps statistics on the indexed ranges and judges for itself when the
/// index helps. SQLite cannot tell how many rows an R*Tree lookup returns and always
/// starts from it, which for a window of years means gathering most events' ids before
/// anything else (an actor's events over eight years went from 2 ms to 400 ms); so
/// SQLite gets the index only for bounded windows of a year or less, where it pays,
/// and wider ones are checked on the rows another index found.
fn occurred_index(db: &sea_orm::DatabaseConnection, date: &FuzzyDate) -> Option<Expr> {
    let (lo, hi) = (date.earliest(), date.latest());
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let range = |lo: Expr, hi: Expr| -> Expr {
                Func::cust("int8range")
                    .arg(lo)
                    .arg(hi)
                    .arg(Expr::cust("'[]'"))
                    .into()
            };
            Some(
                range(
                    event::Column::OccurredLo.into_expr(),
                    event::Column::OccurredHi.into_expr(),
                )
                .binary(BinOper::Custom("&&"), range(Expr::val(lo), Expr::val(hi))),
            )
        }
        _ => {
            let (lo, hi) = (lo?, hi?);
            if hi - lo > INDEXED_WINDOW_SECS {
                return None;
            }
            let mut index = Query::select();
            index
                .column(EventOccurredIndex::Id)
                .from(EventOccurredIndex::Table)
                .and_where(Expr::col(EventOccurredIndex::Lo).lte(hi))
                .and_where(Expr::col(EventOccurredIndex::Hi).gte(lo));
            Some(event::Column::Id.into_expr().in_subquery(index.to_owned()))
        }
    }
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum EventOrderField {
    /// By the earliest time the event may have happened; undated events last.
    #[default]
    Occurred,
    Title,
    Confidence,
    CreatedAt,
}

impl SortField for EventOrderField {
    type Entity = event::Entity;
    fn key(self) -> (&'static str, Expr, KeyKind) {
        match self {
            Self::Occurred => ("occurred", filter::date_key(event::OCCURRED), KeyKind::Int),
            Self::Title => ("title", event::Column::TitleKey.into_expr(), KeyKind::Text),
            Self::Confidence => (
                "confidence",
                Func::coalesce([event::Column::Confidence.into_expr(), Expr::val(-1)]).into(),
                KeyKind::Int,
            ),
            Self::CreatedAt => ("created", event::Column::Id.into_expr(), KeyKind::Int),
        }
    }
}

#[derive(Default)]
pub struct EventQuery;

#[Object]
impl EventQuery {
    /// An event by id; null when none exists.
    async fn event(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Event>> {
        Ok(by_global_id(ctx, &id).await?)
    }

    /// Events, filtered and ordered (by default in date order).
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        filter: Option<EventFilter>,
        order_by: Option<OrderBy<EventOrderField>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Event>> {
        let mut select = readable::<Event>(ctx);
        let near = filter
            .unwrap_or_default()
            .apply(super::loader::db(ctx), clearance(ctx), &mut select)
            .await?;
        let ordering = geo::ordering(order_by, near.as_ref(), event::LOCATION);
        let args = PageArgs::new(first, after, last, before);
        let connection = root_connection::<Event>(ctx, select, ordering, args).await?;
        Ok(connection.measure(|e| {
            geo::edge_distance(near.map(|c| c.center), e.0.latitude.zip(e.0.longitude))
        }))
    }
}
