//! Timelines: what happened to a base, an actor or an asset, in one chronological,
//! paginated list — tenures starting and ending, deployments arriving and leaving, and
//! the events it took part in.
//!
//! The list is one `UNION ALL` of those moments, paged per parent by the generic
//! nested-list machinery, so a timeline under many parents is still one statement.
use super::attestation::{Attestation, attestations_of};
use super::filter::date_key;
use super::loader::{clearance, load_referenced, nested_page};
use super::pagination::{Connection, Edge, KeyKind, Listed, Ordering, PageArgs};
use super::scalars::FuzzyDateObject;
use super::{Deployment, Event, Tenure};
use crate::entity::{DateColumns, attestation, deployment, event, event_participant, tenure};
use crate::error::ApiResult;
use crate::fuzzy_date::FuzzyDate;
use async_graphql::{Context, Enum, Object, Result};
use garrison_core::record;
use garrison_core::visibility::{Clearance, Visible};
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Func, IntoIden, Query, SelectStatement, UnionType,
};
use sea_orm::{ColumnTrait, Condition, DeriveIden, FromQueryResult};

/// What a timeline entry marks.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
pub enum TimelineEntryKind {
    /// A tenure began (an actor took up a role at a base).
    TenureStarted,
    /// A tenure ended.
    TenureEnded,
    /// A deployment began (an asset arrived at a base).
    DeploymentStarted,
    /// A deployment ended (the asset left).
    DeploymentEnded,
    /// An event in which the thing took part.
    Event,
}

impl TimelineEntryKind {
    const ALL: [Self; 5] = [
        Self::TenureStarted,
        Self::TenureEnded,
        Self::DeploymentStarted,
        Self::DeploymentEnded,
        Self::Event,
    ];

    fn code(self) -> i32 {
        Self::ALL.iter().position(|k| *k == self).unwrap_or(0) as i32 + 1
    }

    fn from_code(code: i32) -> Self {
        Self::ALL[(code.clamp(1, 5) - 1) as usize]
    }
}

/// Whose timeline: the column naming the parent in each table it appears in.
pub struct Subject {
    pub tenure: Option<tenure::Column>,
    pub deployment: Option<deployment::Column>,
    pub participant: event_participant::Column,
    /// Which of its participations a caller may see.
    pub participations: fn(Clearance) -> Condition,
}

pub const BASE: Subject = Subject {
    tenure: Some(tenure::Column::BaseId),
    deployment: Some(deployment::Column::BaseId),
    participant: event_participant::Column::BaseId,
    participations: record::EventBase::visible,
};
pub const ACTOR: Subject = Subject {
    tenure: Some(tenure::Column::ActorId),
    deployment: None,
    participant: event_participant::Column::ActorId,
    participations: record::EventActor::visible,
};
pub const ASSET: Subject = Subject {
    tenure: None,
    deployment: Some(deployment::Column::AssetId),
    participant: event_participant::Column::AssetId,
    participations: record::EventAsset::visible,
};

/// The union of moments as a table, and its columns (named like [`TimelineRow`]'s).
#[derive(DeriveIden, Clone, Copy)]
enum Timeline {
    Table,
    Id,
    Kind,
    RecordId,
    Parent,
    At,
}

/// The distinct (event, record) pairs of the participants.
#[derive(DeriveIden, Clone, Copy)]
struct Link;

/// One moment as stored: its kind and the tenure, deployment or event it belongs to.
#[derive(Clone, Debug, FromQueryResult)]
pub struct TimelineRow {
    kind: i32,
    record_id: i64,
}

/// One moment in the history of a base, an actor or an asset.
pub struct TimelineEntry(TimelineRow);

impl Listed for TimelineEntry {
    type Edge = Edge<Self>;
}

/// A row of one branch of the union: a unique id (the record's id and the kind), the
/// kind, the record, its parent and the instant it is sorted by.
fn moment(
    kind: TimelineEntryKind,
    (table, record): (impl IntoIden, Expr),
    parent: Expr,
    at: Expr,
    only: Expr,
) -> SelectStatement {
    let code = kind.code();
    Query::select()
        .expr_as(record.clone().mul(8).add(code), Timeline::Id)
        .expr_as(
            Expr::val(code).cast_as(Alias::new("INTEGER")),
            Timeline::Kind,
        )
        .expr_as(record, Timeline::RecordId)
        .expr_as(parent, Timeline::Parent)
        .expr_as(at, Timeline::At)
        .from(table)
        .and_where(only)
        .to_owned()
}

/// A dated interval's start and end moments. A record with no date at all appears
/// once, undated, at the end; an unknown start or a running end has no moment.
fn interval<C: ColumnTrait>(
    (id, parent): (C, C),
    valid: DateColumns<C>,
    kinds: (TimelineEntryKind, TimelineEntryKind),
    seen: Condition,
) -> [SelectStatement; 2] {
    let (lo, hi) = (valid.lo.into_expr(), valid.hi.into_expr());
    let table = id.entity_name();
    let mut start = moment(
        kinds.0,
        (table.clone(), id.into_expr()),
        parent.into_expr(),
        Func::coalesce([lo.clone(), Expr::val(i64::MAX)]).into(),
        lo.clone().is_not_null().or(hi.clone().is_null()),
    );
    let mut end = moment(
        kinds.1,
        (table, id.into_expr()),
        parent.into_expr(),
        hi.clone(),
        hi.is_not_null(),
    );
    start.cond_where(seen.clone());
    end.cond_where(seen);
    [start, end]
}

/// The union of every moment of `subject` a caller of `clearance` may see, as a table
/// `timeline`.
fn moments(subject: &Subject, clearance: Clearance) -> SelectStatement {
    use TimelineEntryKind::*;
    let mut branches = Vec::new();
    if let Some(parent) = subject.tenure {
        let columns = (tenure::Column::Id, parent);
        let kinds = (TenureStarted, TenureEnded);
        let seen = record::Tenure::visible(clearance);
        branches.extend(interval(columns, tenure::VALID, kinds, seen));
    }
    if let Some(parent) = subject.deployment {
        let columns = (deployment::Column::Id, parent);
        let kinds = (DeploymentStarted, DeploymentEnded);
        let seen = record::Deployment::visible(clearance);
        branches.extend(interval(columns, deployment::VALID, kinds, seen));
    }
    let participant = subject.participant;
    let link = Query::select()
        .distinct()
        .column(event_participant::Column::EventId)
        .column(participant)
        .from(event_participant::Entity)
        .and_where(participant.is_not_null())
        .cond_where((subject.participations)(clearance))
        .to_owned();
    let mut events = moment(
        Event,
        (event::Entity, event::Column::Id.into_expr()),
        Expr::col((Link, participant)),
        date_key(event::OCCURRED),
        Expr::val(true).eq(true),
    );
    events.cond_where(record::Event::visible(clearance));
    events.join_subquery(
        sea_orm::sea_query::JoinType::InnerJoin,
        link,
        Link,
        Expr::col((Link, event_participant::Column::EventId))
            .equals(event::Column::Id.as_column_ref()),
    );
    let mut union = events;
    for branch in branches {
        union.union(UnionType::All, branch);
    }
    Query::select()
        .column(Asterisk)
        .from_subquery(union, Timeline::Table)
        .to_owned()
}

/// One page of the timeline of the record `id` of `subject`, oldest first.
pub async fn timeline_of(
    ctx: &Context<'_>,
    subject: &Subject,
    id: i64,
    args: PageArgs,
) -> ApiResult<Connection<TimelineEntry>> {
    let column = |c: Timeline| Expr::col((Timeline::Table, c));
    let ordering = Ordering::new(
        "at+",
        column(Timeline::At),
        KeyKind::Int,
        column(Timeline::Id),
        false,
    );
    let parent = column(Timeline::Parent);
    let union = moments(subject, clearance(ctx));
    let (page, total) = nested_page(ctx, union, parent, id, ordering, args).await?;
    Ok(Connection::new(page, total, TimelineEntry))
}

#[Object]
impl TimelineEntry {
    async fn kind(&self) -> TimelineEntryKind {
        TimelineEntryKind::from_code(self.0.kind)
    }
    /// When: the start or end of the tenure or deployment, or when the event happened.
    /// Null for a record with no date at all.
    async fn date(&self, ctx: &Context<'_>) -> Result<Option<FuzzyDateObject>> {
        use TimelineEntryKind::*;
        let id = self.0.record_id;
        let (valid, start) = match TimelineEntryKind::from_code(self.0.kind) {
            Event => {
                let event = load_referenced::<super::Event>(ctx, id).await?;
                return Ok(FuzzyDate::from_stored(event.0.occurred).map(Into::into));
            }
            TenureStarted | TenureEnded => (
                load_referenced::<Tenure>(ctx, id).await?.0.valid,
                self.0.kind == TenureStarted.code(),
            ),
            DeploymentStarted | DeploymentEnded => (
                load_referenced::<Deployment>(ctx, id).await?.0.valid,
                self.0.kind == DeploymentStarted.code(),
            ),
        };
        let ends = FuzzyDate::from_stored(valid).map(|d| d.ends());
        Ok(ends
            .and_then(|(from, to)| if start { from } else { to })
            .map(Into::into))
    }
    /// The tenure that started or ended here.
    async fn tenure(&self, ctx: &Context<'_>) -> Result<Option<Tenure>> {
        self.load::<Tenure>(
            ctx,
            &[
                TimelineEntryKind::TenureStarted,
                TimelineEntryKind::TenureEnded,
            ],
        )
        .await
    }
    /// The deployment that started or ended here.
    async fn deployment(&self, ctx: &Context<'_>) -> Result<Option<Deployment>> {
        use TimelineEntryKind::*;
        self.load::<Deployment>(ctx, &[DeploymentStarted, DeploymentEnded])
            .await
    }
    /// The event.
    async fn event(&self, ctx: &Context<'_>) -> Result<Option<Event>> {
        self.load::<Event>(ctx, &[TimelineEntryKind::Event]).await
    }
    /// The reports that support or dispute the tenure, deployment or event.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn attestations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Attestation>> {
        use TimelineEntryKind::*;
        let column = match TimelineEntryKind::from_code(self.0.kind) {
            TenureStarted | TenureEnded => attestation::Column::TenureId,
            DeploymentStarted | DeploymentEnded => attestation::Column::DeploymentId,
            Event => attestation::Column::EventId,
        };
        let args = PageArgs::new(first, after, last, before);
        Ok(attestations_of(ctx, column, self.0.record_id, args).await?)
    }
}

impl TimelineEntry {
    /// The record of type `R` behind this entry, when its kind is one of `kinds`.
    async fn load<R: super::node::Record<Kind: Visible>>(
        &self,
        ctx: &Context<'_>,
        kinds: &[TimelineEntryKind],
    ) -> Result<Option<R>> {
        if !kinds.contains(&TimelineEntryKind::from_code(self.0.kind)) {
            return Ok(None);
        }
        Ok(Some(load_referenced::<R>(ctx, self.0.record_id).await?))
    }
}
