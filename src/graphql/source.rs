use super::alias::aliases_of;
use super::filter::{self, OrderBy, SortField, apply};
use super::loader::{nested_connection, readable};
use super::node::{Record, global_id};
use super::pagination::{Connection, Edge, KeyKind, Listed, PageArgs};
use super::record::{RecordMeta, by_global_id};
use super::report::{Report, ReportOrderField};
use super::root_list::{Filtered, root_list};
use crate::entity::{report, source};
use crate::error::ApiResult;
use crate::graphql::vocabulary::{Reliability, SourceKind};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use garrison_core::record;
use garrison_core::vocabulary as stored;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::Expr;
use sea_orm::sea_query::SelectStatement;

/// A publisher of reports, with its Admiralty reliability grade.
#[derive(Clone)]
pub struct Source(pub source::Model);

impl Record for Source {
    type Entity = source::Entity;
    type Kind = garrison_core::record::Source;
    fn from_model(model: source::Model) -> Self {
        Self(model)
    }
}

impl Listed for Source {
    type Edge = Edge<Self>;
}

#[Object]
impl Source {
    pub async fn id(&self) -> ID {
        global_id::<Self>(self.0.id)
    }
    async fn kind(&self) -> SourceKind {
        self.0.kind.into()
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Other names it goes by (Reuters / Thomson Reuters).
    async fn aliases(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        Ok(aliases_of::<Self>(ctx, self.0.id).await?)
    }
    /// Admiralty (NATO) reliability, A (completely reliable) to F (cannot be judged).
    async fn reliability(&self) -> Reliability {
        self.0.reliability.into()
    }
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Reports this source published, in publication order.
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn reports(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Report>> {
        let select = readable::<Report>(ctx);
        Ok(nested_connection(
            ctx,
            select,
            report::Column::SourceId.into_expr(),
            self.0.id,
            filter::ordering::<ReportOrderField>(None),
            PageArgs::new(first, after, last, before),
        )
        .await?)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        crate::record_meta!(Self, self.0)
    }
}

/// Which sources to list.
#[derive(InputObject, Default)]
pub struct SourceFilter {
    /// Matches the name or any alias, ignoring case and accents.
    name: Option<String>,
    kind: Option<Vec<SourceKind>>,
    reliability: Option<Vec<Reliability>>,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceOrderField {
    #[default]
    Name,
    Reliability,
    CreatedAt,
}

impl SortField for SourceOrderField {
    type Entity = source::Entity;
    fn key(self) -> (&'static str, Expr, KeyKind) {
        match self {
            Self::Name => ("name", source::Column::NameKey.into_expr(), KeyKind::Text),
            Self::Reliability => (
                "reliability",
                source::Column::Reliability.into_expr(),
                KeyKind::Text,
            ),
            Self::CreatedAt => ("created", source::Column::Id.into_expr(), KeyKind::Int),
        }
    }
}

impl Filtered for Source {
    type Filter = SourceFilter;
    type Order = SourceOrderField;
    fn narrow(_ctx: &Context<'_>, select: &mut SelectStatement, f: SourceFilter) -> ApiResult<()> {
        let kind = f.kind.map(|k| (source::Column::Kind, k));
        filter::apply_named::<record::Source, _, stored::SourceKind>(select, f.name, kind, None)?;
        if let Some(reliability) = f.reliability {
            let reliability = filter::one_of::<_, stored::Reliability>(
                source::Column::Reliability,
                "filter.reliability",
                &reliability,
            )?;
            apply(select, Some(reliability));
        }
        Ok(())
    }
}

#[derive(Default)]
pub struct SourceQuery;

#[Object]
impl SourceQuery {
    /// A source by id; null when none exists.
    async fn source(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Source>> {
        Ok(by_global_id(ctx, &id).await?)
    }

    /// Sources, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        filter: Option<SourceFilter>,
        order_by: Option<OrderBy<SourceOrderField>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Source>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(root_list::<Source>(ctx, filter, order_by, args).await?)
    }
}
