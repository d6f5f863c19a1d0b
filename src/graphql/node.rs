//! Relay object identification: opaque global ids, the `Node` interface, `node(id:)`
//! and `nodes(ids:)`.
use super::loader::load_record;
use super::pagination::Listed;
use super::{
    Actor, Asset, Attestation, Base, Deployment, Event, EventActor, EventAsset, EventBase, Report,
    Source, Tenure,
};
use crate::error::{ApiError, ApiResult};
use async_graphql::{Context, ID, Interface, Object};
use garrison_core::entity::Stored;
use garrison_core::ids;
use garrison_core::visibility::Visible;
use sea_orm::EntityTrait;

/// A stored record shown through GraphQL: its record type in the core's registry (its
/// entity, and its type name, which prefixes its global id) and how to wrap a model.
pub trait Record: Clone + Send + Sync + Listed {
    type Kind: garrison_core::record::Record<Entity = Self::Entity>;
    type Entity: Stored<Model: Clone + Send + Sync>;
    const TYPE: &'static str = <Self::Kind as garrison_core::record::Record>::TYPE;
    fn from_model(model: <Self::Entity as EntityTrait>::Model) -> Self;
}

/// Encodes `Type:id` as the opaque global id.
pub fn global_id<R: Record>(id: i64) -> ID {
    encode_id(R::TYPE, id)
}

/// The global id of the record of type `type_name` with row id `id`.
pub fn encode_id(type_name: &str, id: i64) -> ID {
    ID(ids::encode_id(type_name, id))
}

/// Decodes a global id into its type name and row id.
pub fn decode_id(id: &ID, field: &str) -> ApiResult<(String, i64)> {
    ids::decode_id(&id.0)
        .ok_or_else(|| ApiError::invalid(field, format!("\"{}\" is not a valid id", id.0)))
}

/// Decodes a global id that must name a record of type `R`.
pub fn record_id<R: Record>(id: &ID, field: &str) -> ApiResult<i64> {
    let (type_name, row) = decode_id(id, field)?;
    if type_name != R::TYPE {
        return Err(ApiError::invalid(
            field,
            format!("\"{}\" is a {type_name} id, not a {} id", id.0, R::TYPE),
        ));
    }
    Ok(row)
}

/// Declares the `Node` interface over the journaled record types (the GraphQL type of
/// each is named like its record type) and the lookup of one by its type name.
macro_rules! nodes {
    ($($record:ident),+) => {
        /// An object with a global id.
        #[derive(Interface)]
        #[graphql(field(name = "id", ty = "ID", desc = "The opaque global id."))]
        pub enum Node {
            $($record($record)),+
        }

        /// Loads the record of type `type_name` with row id `row`; `None` when no such
        /// record (or type) exists.
        pub async fn load_typed(
            ctx: &Context<'_>,
            type_name: &str,
            row: i64,
        ) -> ApiResult<Option<Node>> {
            match type_name {
                $($record::TYPE => load_as_node::<$record>(ctx, row).await,)+
                _ => Ok(None),
            }
        }
    };
}

garrison_core::journaled_records!(nodes);

async fn load_as_node<R: Record<Kind: Visible>>(
    ctx: &Context<'_>,
    id: i64,
) -> ApiResult<Option<Node>>
where
    Node: From<R>,
{
    Ok(load_record::<R>(ctx, id).await?.map(Node::from))
}

/// Loads any record by its global id; `None` when no such record exists.
pub async fn load_node(ctx: &Context<'_>, id: &ID, field: &str) -> ApiResult<Option<Node>> {
    let (type_name, row) = decode_id(id, field)?;
    load_typed(ctx, &type_name, row).await
}

#[derive(Default)]
pub struct NodeQuery;

/// Most ids a `nodes` call takes.
const MAX_NODES: usize = 100;

#[Object]
impl NodeQuery {
    /// Fetches any object by its global id; null when it does not exist.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        Ok(load_node(ctx, &id, "id").await?)
    }

    /// Fetches objects by global id, in the order given; null for each that does not exist.
    /// Costs what its selection costs once per id, like a connection's `first`.
    #[graphql(complexity = "ids.len().saturating_mul(child_complexity).saturating_add(1)")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(ApiError::invalid(
                "ids",
                format!("at most {MAX_NODES} ids, got {}", ids.len()),
            )
            .into());
        }
        let lookups = ids
            .iter()
            .enumerate()
            .map(|(i, id)| async move { load_node(ctx, id, &format!("ids[{i}]")).await });
        let nodes = futures_util::future::try_join_all(lookups).await?;
        Ok(nodes)
    }
}
