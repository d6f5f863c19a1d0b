//! Writing actors.
use super::inputs::{created_names, optional, optional_reference, reference, updated_names};
use super::{IntoChanges, create_or_merge_record, delete_record, update_record};
use crate::error::ApiResult;
use crate::graphql::Actor;
use crate::graphql::vocabulary::{ActorKind, Marking};
use crate::write::validate::at;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use garrison_core::write::records::ActorChanges;

/// A new actor.
#[derive(InputObject)]
pub struct CreateActorInput {
    pub kind: ActorKind,
    pub name: String,
    /// A stable external key, unique among actors.
    pub key: Option<String>,
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    pub description: Option<String>,
    /// Other names; the whole list replaces the stored one.
    pub aliases: Option<Vec<String>>,
    /// The actor this one belongs to.
    pub parent: Option<ID>,
}

impl IntoChanges for CreateActorInput {
    type Changes = ActorChanges;

    fn into_changes(self, path: &str) -> ApiResult<ActorChanges> {
        Ok(ActorChanges {
            names: created_names(
                (self.kind, self.name, self.aliases),
                (self.key, self.marking),
            ),
            country: Some(self.country),
            description: Some(self.description),
            parent: Some(
                self.parent
                    .map(|id| reference::<Actor>(id, &at(path, "parent")))
                    .transpose()?,
            ),
        })
    }
}

/// Changes to an actor.
#[derive(InputObject)]
pub struct UpdateActorInput {
    pub kind: MaybeUndefined<ActorKind>,
    pub name: MaybeUndefined<String>,
    /// A stable external key, unique among actors.
    pub key: MaybeUndefined<String>,
    /// Who may read it: at most your clearance.
    pub marking: MaybeUndefined<Marking>,
    /// ISO 3166-1 alpha-2 code.
    pub country: MaybeUndefined<String>,
    pub description: MaybeUndefined<String>,
    /// Other names; the whole list replaces the stored one.
    pub aliases: MaybeUndefined<Vec<String>>,
    /// The actor this one belongs to.
    pub parent: MaybeUndefined<ID>,
}

impl IntoChanges for UpdateActorInput {
    type Changes = ActorChanges;

    fn into_changes(self, path: &str) -> ApiResult<ActorChanges> {
        Ok(ActorChanges {
            names: updated_names(
                (self.kind, self.name, self.aliases),
                (self.key, self.marking),
                path,
            )?,
            country: optional(self.country),
            description: optional(self.description),
            parent: optional_reference::<Actor>(self.parent, &at(path, "parent"))?,
        })
    }
}

/// The result of writing a Actor; after a delete, the record as it was.
#[derive(SimpleObject)]
pub struct ActorPayload {
    pub actor: Actor,
}

#[derive(Default)]
pub struct ActorMutation;

#[Object]
impl ActorMutation {
    /// Creates a record. For actors, bases and assets, a record of the same
    /// kind and place that already goes by the name or an alias is a CONFLICT
    /// naming it (for sources, any source that goes by it), unless `merge` is
    /// true: then the input merges into that record (its name stays, the new
    /// names join its aliases, the fields given overwrite).
    async fn create_actor(
        &self,
        ctx: &Context<'_>,
        input: CreateActorInput,
        #[graphql(default)] merge: bool,
    ) -> async_graphql::Result<ActorPayload> {
        let actor = create_or_merge_record::<Actor, _>(ctx, input, merge).await?;
        Ok(ActorPayload { actor })
    }

    /// Changes the fields given; an omitted field stays, null clears a
    /// nullable one. `expectedVersion` must be the record's current version.
    async fn update_actor(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateActorInput,
    ) -> async_graphql::Result<ActorPayload> {
        let actor = update_record::<Actor, _>(ctx, &id, expected_version, input).await?;
        Ok(ActorPayload { actor })
    }

    /// Deletes the record (role admin). `expectedVersion` must be its
    /// current version; see the README for what a delete takes with it.
    async fn delete_actor(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<ActorPayload> {
        let actor = delete_record::<Actor>(ctx, &id, expected_version).await?;
        Ok(ActorPayload { actor })
    }
}
