use super::attestation::{Attestation, attestations_of};
use super::filter::{self, OrderBy, SortField, apply};
use super::loader::load_referenced;
use super::node::{Record, global_id, record_id};
use super::pagination::{Connection, Edge, KeyKind, Listed, PageArgs};
use super::record::{RecordMeta, by_global_id};
use super::root_list::{Filtered, root_list};
use super::scalars::{Edtf, FuzzyDateObject, parse_date};
use super::source::Source;
use crate::entity::{attestation, report};
use crate::error::ApiResult;
use crate::fuzzy_date::FuzzyDate;
use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use sea_orm::ColumnTrait;
use sea_orm::sea_query::Expr;
use sea_orm::sea_query::SelectStatement;

/// One published item of a source.
#[derive(Clone)]
pub struct Report(pub report::Model);

impl Record for Report {
    type Entity = report::Entity;
    type Kind = garrison_core::record::Report;
    fn from_model(model: report::Model) -> Self {
        Self(model)
    }
}

impl Listed for Report {
    type Edge = Edge<Self>;
}

#[Object]
impl Report {
    pub async fn id(&self) -> ID {
        global_id::<Self>(self.0.id)
    }
    async fn source(&self, ctx: &Context<'_>) -> Result<Source> {
        Ok(load_referenced::<Source>(ctx, self.0.source_id).await?)
    }
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// BCP 47 language tag of the text.
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }
    /// When it was published, as precisely as known.
    async fn published(&self) -> Option<FuzzyDateObject> {
        FuzzyDate::from_stored(self.0.published.clone()).map(Into::into)
    }
    /// When it was retrieved (RFC 3339).
    async fn retrieved(&self) -> Option<DateTime<Utc>> {
        self.0.retrieved_at
    }
    /// Whom the source cites ("Syrian sources in contact with Moscow").
    async fn via(&self) -> Option<&str> {
        self.0.via.as_deref()
    }
    /// The claims this report supports or disputes.
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
        Ok(attestations_of(ctx, attestation::Column::ReportId, self.0.id, args).await?)
    }
    #[graphql(flatten)]
    async fn meta(&self) -> RecordMeta {
        crate::record_meta!(Self, self.0)
    }
}

/// Which reports to list.
#[derive(InputObject, Default)]
pub struct ReportFilter {
    /// Matches the title, ignoring case and accents.
    title: Option<String>,
    source: Option<ID>,
    language: Option<Vec<String>>,
    /// Published at a time that may fall within this date or interval.
    during: Option<Edtf>,
    /// With `during`: POSSIBLE (default) when the publication date overlaps it,
    /// CERTAIN when it lies wholly within it.
    #[graphql(default)]
    certainty: filter::Certainty,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportOrderField {
    #[default]
    Published,
    Title,
    CreatedAt,
}

impl SortField for ReportOrderField {
    type Entity = report::Entity;
    fn key(self) -> (&'static str, Expr, KeyKind) {
        match self {
            Self::Published => (
                "published",
                filter::date_key(report::PUBLISHED),
                KeyKind::Int,
            ),
            Self::Title => ("title", report::Column::TitleKey.into_expr(), KeyKind::Text),
            Self::CreatedAt => ("created", report::Column::Id.into_expr(), KeyKind::Int),
        }
    }
}

impl Filtered for Report {
    type Filter = ReportFilter;
    type Order = ReportOrderField;
    fn narrow(_ctx: &Context<'_>, select: &mut SelectStatement, f: ReportFilter) -> ApiResult<()> {
        if let Some(title) = f.title {
            let key = report::Column::TitleKey;
            let title = filter::name_matches::<report::Entity>(key, None, "filter.title", &title)?;
            apply(select, Some(title));
        }
        if let Some(source) = f.source {
            let source = record_id::<Source>(&source, "filter.source")?;
            apply(
                select,
                Some(filter::equals_any(report::Column::SourceId, &[source])),
            );
        }
        if let Some(language) = f.language {
            let language = filter::bounded("filter.language", &language)?;
            apply(
                select,
                Some(filter::equals_any(report::Column::Language, language)),
            );
        }
        apply(
            select,
            parse_date(f.during, "filter.during")?.map(|d| {
                filter::dated(
                    report::PUBLISHED,
                    &d,
                    (filter::Relation::During, f.certainty),
                    true,
                )
            }),
        );
        Ok(())
    }
}

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// A report by id; null when none exists.
    async fn report(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Report>> {
        Ok(by_global_id(ctx, &id).await?)
    }

    /// Reports, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn reports(
        &self,
        ctx: &Context<'_>,
        filter: Option<ReportFilter>,
        order_by: Option<OrderBy<ReportOrderField>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Result<Connection<Report>> {
        let args = PageArgs::new(first, after, last, before);
        Ok(root_list::<Report>(ctx, filter, order_by, args).await?)
    }
}
