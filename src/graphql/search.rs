//! `search(query:)`: scored hits of every searchable type (see [`crate::search`]).
use super::loader::{clearance, db, root_page};
use super::node::{Node, load_typed};
use super::pagination::{Connection, Edge, Listed, PageArgs};
use super::vocabulary::SearchType;
use crate::search::{Hit, search_select};
use async_graphql::{Context, Object, Result};

/// One record that matches a search, with how well it matches.
pub struct SearchHit(Hit);

impl Listed for SearchHit {
    type Edge = Edge<Self>;
}

#[Object]
impl SearchHit {
    /// Relevance: higher is better. A name or alias outweighs a mention in other text.
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// The record found.
    async fn node(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        Ok(load_typed(ctx, &self.0.entity_type, self.0.entity_id).await?)
    }
}

#[derive(Default)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Records whose names, aliases, titles, summaries or attestation excerpts match
    /// `query`, best first. Case, accents and Arabic article prefixes are ignored;
    /// every word must match, as a prefix or with one typo or transliteration variant
    /// (Khmeimim, Hmeimim and Humaymim find the same base).
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, None, child_complexity)")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: String,
        types: Option<Vec<SearchType>>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<SearchHit>> {
        let types: Option<Vec<garrison_core::search::SearchType>> = types
            .as_deref()
            .map(|t| super::filter::bounded("types", t))
            .transpose()?
            .map(|t| t.iter().map(|&t| t.into()).collect());
        let (select, ordering) = search_select(db(ctx), &query, types.as_deref(), clearance(ctx))
            .await
            .map_err(crate::error::ApiError::from)?;
        let args = PageArgs::new(first, after, None, None);
        let (page, total) = root_page::<Hit>(ctx, select, ordering, args).await?;
        Ok(Connection::new(page, total, SearchHit))
    }
}
