//! Aliases of actors, bases, assets and sources, shown as plain name lists.
use super::filter::by_id;
use super::loader::nested_connection;
use super::node::Record;
use super::pagination::{Edge, Listed, MAX_PAGE_SIZE, PageArgs};
use crate::entity::alias;
use crate::error::ApiResult;
use async_graphql::Context;
use garrison_core::write::Named;
use sea_orm::{ColumnTrait, EntityTrait, QueryTrait};

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

/// The aliases of the record `id` of the named type `R` (actor, base, asset, source), in
/// the order they were recorded. A record has at most `MAX_PAGE_SIZE` aliases.
pub async fn aliases_of<R>(ctx: &Context<'_>, id: i64) -> ApiResult<Vec<String>>
where
    R: Record<Kind: Named>,
{
    let select = alias::Entity::find().into_query();
    let args = PageArgs::new(Some(MAX_PAGE_SIZE as i32), None, None, None);
    let parent = <R::Kind as Named>::ALIAS_COLUMN.into_expr();
    let ordering = by_id::<alias::Entity>();
    let page = nested_connection::<AliasRow>(ctx, select, parent, id, ordering, args).await?;
    Ok(page.into_nodes().into_iter().map(|a| a.0.name).collect())
}
