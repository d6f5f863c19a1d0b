//! Event participants: an actor, asset or base taking part in an event in a role. One
//! table holds all three; each kind is its own GraphQL type.
use super::filter::by_id;
use super::loader::{load_referenced, nested_connection, readable};
use super::node::{Record, global_id};
use super::pagination::{Connection, Edge, Listed, PageArgs};
use super::{Actor, Asset, Base, Event};
use crate::entity::event_participant;
use crate::error::{ApiError, ApiResult, GarrisonError};
use crate::graphql::vocabulary::{ActorRole, AssetRole, BaseRole};
use async_graphql::{Context, ID, Object, Result};
use garrison_core::visibility::Visible;
use garrison_core::write::records::Participant;
use sea_orm::{ActiveEnum, ColumnTrait};

/// The participants of kind `P` in event `event_id`, in the order recorded.
pub async fn participants_of<P>(
    ctx: &Context<'_>,
    event_id: i64,
    args: PageArgs,
) -> ApiResult<Connection<P>>
where
    P: Record<Entity = event_participant::Entity, Kind: Participant + Visible>,
{
    let mut select = readable::<P>(ctx);
    select.and_where(<P::Kind as Participant>::COLUMN.is_not_null());
    nested_connection(
        ctx,
        select,
        event_participant::Column::EventId.into_expr(),
        event_id,
        by_id::<event_participant::Entity>(),
        args,
    )
    .await
}

/// Reads the stored role of a participant as its vocabulary `S`, shown as `R`.
fn role<S: ActiveEnum<Value = String> + Into<R>, R>(
    model: &event_participant::Model,
) -> ApiResult<R> {
    S::try_from_value(&model.role)
        .map(Into::into)
        .map_err(|e| ApiError::from(GarrisonError::Internal(Box::new(e))))
}

/// The id a participant row refers to in `column`.
fn referenced(id: Option<i64>) -> ApiResult<i64> {
    id.ok_or_else(|| {
        ApiError::from(GarrisonError::Internal(
            "participant without reference".into(),
        ))
    })
}

/// The impls of one kind of participant: its record and its GraphQL fields
/// (the one naming what takes part differs by kind, so one generic type cannot serve).
macro_rules! participant {
    ($name:ident, $field:ident = $model_field:ident: $target:ty, $role:ident) => {
        impl Record for $name {
            type Entity = event_participant::Entity;
            type Kind = garrison_core::record::$name;
            fn from_model(model: event_participant::Model) -> Self {
                Self(model)
            }
        }

        #[Object]
        impl $name {
            pub async fn id(&self) -> ID {
                global_id::<Self>(self.0.id)
            }
            async fn role(&self) -> Result<$role> {
                Ok(role::<garrison_core::vocabulary::$role, $role>(&self.0)?)
            }
            async fn $field(&self, ctx: &Context<'_>) -> Result<$target> {
                Ok(load_referenced::<$target>(ctx, referenced(self.0.$model_field)?).await?)
            }
            async fn event(&self, ctx: &Context<'_>) -> Result<Event> {
                Ok(load_referenced::<Event>(ctx, self.0.event_id).await?)
            }
            #[graphql(flatten)]
            async fn meta(&self) -> super::record::RecordMeta {
                crate::record_meta!(Self, self.0)
            }
        }

        impl Listed for $name {
            type Edge = Edge<Self>;
        }
    };
}

/// An actor taking part in an event.
#[derive(Clone)]
pub struct EventActor(pub event_participant::Model);

/// An asset involved in an event.
#[derive(Clone)]
pub struct EventAsset(pub event_participant::Model);

/// A base where an event happened, or that it started from or went to.
#[derive(Clone)]
pub struct EventBase(pub event_participant::Model);

participant!(EventActor, actor = actor_id: Actor, ActorRole);
participant!(EventAsset, asset = asset_id: Asset, AssetRole);
participant!(EventBase, base = base_id: Base, BaseRole);
