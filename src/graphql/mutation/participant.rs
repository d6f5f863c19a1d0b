//! Writing event participants: the actors, assets and bases of an event, each in a role.
use super::inputs::{optional, reference, required};
use crate::error::ApiResult;
use crate::graphql::vocabulary::{ActorRole, AssetRole, BaseRole};
use crate::graphql::{Actor, Asset, Base, Event, EventActor, EventAsset, EventBase};
use crate::write::validate::at;
use async_graphql::{ID, MaybeUndefined};
use garrison_core::write::records::{EventActorChanges, EventAssetChanges, EventBaseChanges};

macro_rules! participant_writes {
    (
        $ty:ident, $target:ident: $target_ty:ident, $role:ty,
        $changes:ident, $create:ident, $update:ident, $child:ident,
        $object:ident, $payload:ident { $field:ident },
        $create_fn:ident, $update_fn:ident, $delete_fn:ident
    ) => {
        #[doc = concat!("A new ", stringify!($ty), " of an existing event.")]
        #[derive(async_graphql::InputObject)]
        pub struct $create {
            pub role: $role,
            pub key: Option<String>,
            pub event: ID,
            pub $target: ID,
        }

        impl $create {
            pub fn into_changes(self, path: &str) -> ApiResult<$changes> {
                Ok($changes {
                    role: Some(self.role.into()),
                    key: Some(self.key),
                    event: Some(reference::<Event>(self.event, &at(path, "event"))?),
                    target: Some(reference::<$target_ty>(self.$target, &at(path, stringify!($target)))?),
                })
            }
        }

        #[doc = concat!("Changes to an ", stringify!($ty), " (its event and ", stringify!($target), " stay).")]
        #[derive(async_graphql::InputObject)]
        pub struct $update {
            pub role: MaybeUndefined<$role>,
            pub key: MaybeUndefined<String>,
        }

        impl $update {
            pub fn into_changes(self, path: &str) -> ApiResult<$changes> {
                Ok($changes {
                    role: required(self.role, &at(path, "role"))?.map(Into::into),
                    key: optional(self.key),
                    ..Default::default()
                })
            }
        }

        #[doc = concat!("A ", stringify!($target), " given with the event it takes part in.")]
        #[derive(async_graphql::InputObject)]
        pub struct $child {
            pub $target: ID,
            pub role: $role,
        }

        impl $child {
            pub fn into_changes(self, path: &str) -> ApiResult<$changes> {
                Ok($changes {
                    target: Some(reference::<$target_ty>(self.$target, &at(path, stringify!($target)))?),
                    role: Some(self.role.into()),
                    ..Default::default()
                })
            }
        }

        super::crud!(
            $object, $ty, $payload { $field },
            $create_fn($create), $update_fn($update), $delete_fn
        );
    };
}

participant_writes!(
    EventActor, actor: Actor, ActorRole,
    EventActorChanges, CreateEventActorInput, UpdateEventActorInput, EventActorInput,
    EventActorMutation, EventActorPayload { event_actor },
    create_event_actor, update_event_actor, delete_event_actor
);
participant_writes!(
    EventAsset, asset: Asset, AssetRole,
    EventAssetChanges, CreateEventAssetInput, UpdateEventAssetInput, EventAssetInput,
    EventAssetMutation, EventAssetPayload { event_asset },
    create_event_asset, update_event_asset, delete_event_asset
);
participant_writes!(
    EventBase, base: Base, BaseRole,
    EventBaseChanges, CreateEventBaseInput, UpdateEventBaseInput, EventBaseInput,
    EventBaseMutation, EventBasePayload { event_base },
    create_event_base, update_event_base, delete_event_base
);
