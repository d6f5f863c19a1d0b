//! A record type's root list (`actors`, `sources`, …): its filter narrows the rows the
//! caller may read, its order field orders them, and one generic function pages them.
//! Bases and events, whose lists can be ordered by distance, page their own way.
use super::filter::{self, OrderBy, SortField};
use super::loader::{readable, root_connection};
use super::node::Record;
use super::pagination::{Connection, Listed, PageArgs};
use crate::error::ApiResult;
use async_graphql::Context;
use garrison_core::visibility::Visible;
use sea_orm::sea_query::SelectStatement;
use sea_orm::{EntityTrait, FromQueryResult};

/// A record type with a root list.
pub trait Filtered: Record<Kind: Visible> + Listed {
    /// The list's `filter` argument.
    type Filter: Default;
    /// The list's `orderBy` field.
    type Order: SortField;
    /// Narrows `select` to the rows `filter` asks for; INVALID names a bad value.
    fn narrow(
        ctx: &Context<'_>,
        select: &mut SelectStatement,
        filter: Self::Filter,
    ) -> ApiResult<()>;
}

/// One page of the root list of `R`.
pub async fn root_list<R: Filtered>(
    ctx: &Context<'_>,
    filter: Option<R::Filter>,
    order_by: Option<OrderBy<R::Order>>,
    args: PageArgs,
) -> ApiResult<Connection<R>>
where
    <R::Entity as EntityTrait>::Model: FromQueryResult,
{
    let mut select = readable::<R>(ctx);
    R::narrow(ctx, &mut select, filter.unwrap_or_default())?;
    root_connection(ctx, select, filter::ordering(order_by), args).await
}
