//! Writing event participants: the actors, assets and bases of an event, each in a role.
use super::inputs::{optional, reference, required};
use super::{IntoChanges, create_record, delete_record, update_record};
use crate::error::ApiResult;
use crate::graphql::vocabulary::{ActorRole, AssetRole, BaseRole, Marking};
use crate::graphql::{Actor, Asset, Base, Event, EventActor, EventAsset, EventBase};
use crate::write::validate::at;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use garrison_core::write::records::{EventActorChanges, EventAssetChanges, EventBaseChanges};

/// A new EventActor of an existing event.
#[derive(InputObject)]
pub struct CreateEventActorInput {
    pub role: ActorRole,
    pub key: Option<String>,
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
    pub event: ID,
    pub actor: ID,
}

impl IntoChanges for CreateEventActorInput {
    type Changes = EventActorChanges;

    fn into_changes(self, path: &str) -> ApiResult<EventActorChanges> {
        Ok(EventActorChanges {
            role: Some(self.role.into()),
            key: Some(self.key),
            marking: self.marking.map(Into::into),
            event: Some(reference::<Event>(self.event, &at(path, "event"))?),
            target: Some(reference::<Actor>(self.actor, &at(path, "actor"))?),
        })
    }
}

/// Changes to an EventActor (its event and actor stay).
#[derive(InputObject)]
pub struct UpdateEventActorInput {
    pub role: MaybeUndefined<ActorRole>,
    pub key: MaybeUndefined<String>,
    /// Who may read it: at most your clearance.
    pub marking: MaybeUndefined<Marking>,
}

impl IntoChanges for UpdateEventActorInput {
    type Changes = EventActorChanges;

    fn into_changes(self, path: &str) -> ApiResult<EventActorChanges> {
        Ok(EventActorChanges {
            role: required(self.role, &at(path, "role"))?.map(Into::into),
            key: optional(self.key),
            marking: required(self.marking, &at(path, "marking"))?.map(Into::into),
            ..Default::default()
        })
    }
}

/// A actor given with the event it takes part in.
#[derive(InputObject)]
pub struct EventActorInput {
    pub actor: ID,
    pub role: ActorRole,
    /// Who may read it: at most your clearance; the server\'s default when left out.
    pub marking: Option<Marking>,
}

impl IntoChanges for EventActorInput {
    type Changes = EventActorChanges;

    fn into_changes(self, path: &str) -> ApiResult<EventActorChanges> {
        Ok(EventActorChanges {
            target: Some(reference::<Actor>(self.actor, &at(path, "actor"))?),
            role: Some(self.role.into()),
            marking: self.marking.map(Into::into),
            ..Default::default()
        })
    }
}

/// The result of writing a EventActor; after a delete, the record as it was.
#[derive(SimpleObject)]
pub struct EventActorPayload {
    pub event_actor: EventActor,
}

#[derive(Default)]
pub struct EventActorMutation;

#[Object]
impl EventActorMutation {
    /// Creates a record from the fields given.
    async fn create_event_actor(
        &self,
        ctx: &Context<'_>,
        input: CreateEventActorInput,
    ) -> async_graphql::Result<EventActorPayload> {
        let event_actor = create_record::<EventActor, _>(ctx, input).await?;
        Ok(EventActorPayload { event_actor })
    }

    /// Changes the fields given; an omitted field stays, null clears a
    /// nullable one. `expectedVersion` must be the record's current version.
    async fn update_event_actor(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateEventActorInput,
    ) -> async_graphql::Result<EventActorPayload> {
        let event_actor = update_record::<EventActor, _>(ctx, &id, expected_version, input).await?;
        Ok(EventActorPayload { event_actor })
    }

    /// Deletes the record (role admin). `expectedVersion` must be its
    /// current version; see the README for what a delete takes with it.
    async fn delete_event_actor(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<EventActorPayload> {
        let event_actor = delete_record::<EventActor>(ctx, &id, expected_version).await?;
        Ok(EventActorPayload { event_actor })
    }
}

/// A new EventAsset of an existing event.
#[derive(InputObject)]
pub struct CreateEventAssetInput {
    pub role: AssetRole,
    pub key: Option<String>,
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
    pub event: ID,
    pub asset: ID,
}

impl IntoChanges for CreateEventAssetInput {
    type Changes = EventAssetChanges;

    fn into_changes(self, path: &str) -> ApiResult<EventAssetChanges> {
        Ok(EventAssetChanges {
            role: Some(self.role.into()),
            key: Some(self.key),
            marking: self.marking.map(Into::into),
            event: Some(reference::<Event>(self.event, &at(path, "event"))?),
            target: Some(reference::<Asset>(self.asset, &at(path, "asset"))?),
        })
    }
}

/// Changes to an EventAsset (its event and asset stay).
#[derive(InputObject)]
pub struct UpdateEventAssetInput {
    pub role: MaybeUndefined<AssetRole>,
    pub key: MaybeUndefined<String>,
    /// Who may read it: at most your clearance.
    pub marking: MaybeUndefined<Marking>,
}

impl IntoChanges for UpdateEventAssetInput {
    type Changes = EventAssetChanges;

    fn into_changes(self, path: &str) -> ApiResult<EventAssetChanges> {
        Ok(EventAssetChanges {
            role: required(self.role, &at(path, "role"))?.map(Into::into),
            key: optional(self.key),
            marking: required(self.marking, &at(path, "marking"))?.map(Into::into),
            ..Default::default()
        })
    }
}

/// A asset given with the event it takes part in.
#[derive(InputObject)]
pub struct EventAssetInput {
    pub asset: ID,
    pub role: AssetRole,
    /// Who may read it: at most your clearance; the server\'s default when left out.
    pub marking: Option<Marking>,
}

impl IntoChanges for EventAssetInput {
    type Changes = EventAssetChanges;

    fn into_changes(self, path: &str) -> ApiResult<EventAssetChanges> {
        Ok(EventAssetChanges {
            target: Some(reference::<Asset>(self.asset, &at(path, "asset"))?),
            role: Some(self.role.into()),
            marking: self.marking.map(Into::into),
            ..Default::default()
        })
    }
}

/// The result of writing a EventAsset; after a delete, the record as it was.
#[derive(SimpleObject)]
pub struct EventAssetPayload {
    pub event_asset: EventAsset,
}

#[derive(Default)]
pub struct EventAssetMutation;

#[Object]
impl EventAssetMutation {
    /// Creates a record from the fields given.
    async fn create_event_asset(
        &self,
        ctx: &Context<'_>,
        input: CreateEventAssetInput,
    ) -> async_graphql::Result<EventAssetPayload> {
        let event_asset = create_record::<EventAsset, _>(ctx, input).await?;
        Ok(EventAssetPayload { event_asset })
    }

    /// Changes the fields given; an omitted field stays, null clears a
    /// nullable one. `expectedVersion` must be the record's current version.
    async fn update_event_asset(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateEventAssetInput,
    ) -> async_graphql::Result<EventAssetPayload> {
        let event_asset = update_record::<EventAsset, _>(ctx, &id, expected_version, input).await?;
        Ok(EventAssetPayload { event_asset })
    }

    /// Deletes the record (role admin). `expectedVersion` must be its
    /// current version; see the README for what a delete takes with it.
    async fn delete_event_asset(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<EventAssetPayload> {
        let event_asset = delete_record::<EventAsset>(ctx, &id, expected_version).await?;
        Ok(EventAssetPayload { event_asset })
    }
}

/// A new EventBase of an existing event.
#[derive(InputObject)]
pub struct CreateEventBaseInput {
    pub role: BaseRole,
    pub key: Option<String>,
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
    pub event: ID,
    pub base: ID,
}

impl IntoChanges for CreateEventBaseInput {
    type Changes = EventBaseChanges;

    fn into_changes(self, path: &str) -> ApiResult<EventBaseChanges> {
        Ok(EventBaseChanges {
            role: Some(self.role.into()),
            key: Some(self.key),
            marking: self.marking.map(Into::into),
            event: Some(reference::<Event>(self.event, &at(path, "event"))?),
            target: Some(reference::<Base>(self.base, &at(path, "base"))?),
        })
    }
}

/// Changes to an EventBase (its event and base stay).
#[derive(InputObject)]
pub struct UpdateEventBaseInput {
    pub role: MaybeUndefined<BaseRole>,
    pub key: MaybeUndefined<String>,
    /// Who may read it: at most your clearance.
    pub marking: MaybeUndefined<Marking>,
}

impl IntoChanges for UpdateEventBaseInput {
    type Changes = EventBaseChanges;

    fn into_changes(self, path: &str) -> ApiResult<EventBaseChanges> {
        Ok(EventBaseChanges {
            role: required(self.role, &at(path, "role"))?.map(Into::into),
            key: optional(self.key),
            marking: required(self.marking, &at(path, "marking"))?.map(Into::into),
            ..Default::default()
        })
    }
}

/// A base given with the event it takes part in.
#[derive(InputObject)]
pub struct EventBaseInput {
    pub base: ID,
    pub role: BaseRole,
    /// Who may read it: at most your clearance; the server\'s default when left out.
    pub marking: Option<Marking>,
}

impl IntoChanges for EventBaseInput {
    type Changes = EventBaseChanges;

    fn into_changes(self, path: &str) -> ApiResult<EventBaseChanges> {
        Ok(EventBaseChanges {
            target: Some(reference::<Base>(self.base, &at(path, "base"))?),
            role: Some(self.role.into()),
            marking: self.marking.map(Into::into),
            ..Default::default()
        })
    }
}

/// The result of writing a EventBase; after a delete, the record as it was.
#[derive(SimpleObject)]
pub struct EventBasePayload {
    pub event_base: EventBase,
}

#[derive(Default)]
pub struct EventBaseMutation;

#[Object]
impl EventBaseMutation {
    /// Creates a record from the fields given.
    async fn create_event_base(
        &self,
        ctx: &Context<'_>,
        input: CreateEventBaseInput,
    ) -> async_graphql::Result<EventBasePayload> {
        let event_base = create_record::<EventBase, _>(ctx, input).await?;
        Ok(EventBasePayload { event_base })
    }

    /// Changes the fields given; an omitted field stays, null clears a
    /// nullable one. `expectedVersion` must be the record's current version.
    async fn update_event_base(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateEventBaseInput,
    ) -> async_graphql::Result<EventBasePayload> {
        let event_base = update_record::<EventBase, _>(ctx, &id, expected_version, input).await?;
        Ok(EventBasePayload { event_base })
    }

    /// Deletes the record (role admin). `expectedVersion` must be its
    /// current version; see the README for what a delete takes with it.
    async fn delete_event_base(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<EventBasePayload> {
        let event_base = delete_record::<EventBase>(ctx, &id, expected_version).await?;
        Ok(EventBasePayload { event_base })
    }
}
