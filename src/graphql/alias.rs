//! Aliases of actors, bases, assets and sources, shown as plain name lists.
use super::filter::{by_id, col};
use super::loader::nested_connection;
use super::node::Record;
use super::pagination::{Edge, Listed, MAX_PAGE_SIZE, PageArgs};
use crate::entity::alias;
use crate::error::ApiResult;
use async_graphql::Context;
use sea_orm::{EntityTrait, QueryTrait};

/// One alias row; not a GraphQL type of its own.
#[derive(Clone)]
pub struct AliasRow(alias::Model);

impl Record for AliasRow {
    type Entity = alias::Entity;
    type Kind = garrison_core::record::Alias;
    fn from_model(model: alias::Model) -> Self {
        Self(model)
    }
}

impl Listed for AliasRow {
    type Edge = Edge<Self>;
}

/// The aliases of the `owner` (`actor`, `base`, `asset` or `source`) with row id `id`, in the
/// order they were recorded. An owner has at most `MAX_PAGE_SIZE` aliases.
pub async fn aliases_of(ctx: &Context<'_>, owner: &str, id: i64) -> ApiResult<Vec<String>> {
    let select = alias::Entity::find().into_query();
    let args = PageArgs::new(Some(MAX_PAGE_SIZE as i32), None, None, None);
    let parent = col("alias", &format!("{owner}_id"));
    let page = nested_connection::<AliasRow>(ctx, select, parent, id, by_id("alias"), args).await?;
    Ok(page.into_nodes().into_iter().map(|a| a.0.name).collect())
}
