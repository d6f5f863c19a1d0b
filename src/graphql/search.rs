//! `search(query:)`: scored hits of every searchable type (see [`crate::search`]).
use super::loader::db;
use super::node::{Node, encode_id, load_node};
use super::pagination::{Connection, ListQuery, PageArgs, TotalCount};
use crate::search::{Hit, SearchType, search_select};
use async_graphql::{Context, Object, Result};
use std::sync::Arc;

/// One record that matches a search, with how well it matches.
pub struct SearchHit(Hit);

#[Object]
impl SearchHit {
    /// Relevance: higher is better. A name or alias outweighs a mention in other text.
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// The record found.
    async fn node(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        let id = encode_id(&self.0.entity_type, self.0.entity_id);
        Ok(load_node(ctx, &id, "node").await?)
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
        let (select, ordering) = search_select(db(ctx), &query, types.as_deref()).await?;
        let page = PageArgs::new(first, after, None, None).validate(&ordering)?;
        let list = Arc::new(ListQuery::new(select, None, ordering, page));
        let rows = list.fetch::<Hit>(db(ctx)).await?;
        Ok(Connection::new(rows, TotalCount::Root(list), SearchHit))
    }
}
