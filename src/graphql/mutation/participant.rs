//! Writing event participants: the actors, assets and bases of an event, each in a role.
use super::inputs::{inputs, reference};
use crate::error::{ApiResult, GarrisonError};
use crate::graphql::{Actor, Asset, Base, Event, EventActor, EventAsset, EventBase};
use crate::vocabulary::{ActorRole, AssetRole, BaseRole};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{Reference, Session, Writable};
use sea_orm::ActiveEnum;
use sea_orm::ActiveValue::Set;

macro_rules! participant_writes {
    (
        $ty:ident, $target:ident: $target_ty:ident = $column:ident, $role:ty,
        $changes:ident, $create:ident, $update:ident, $child:ident,
        $object:ident, $payload:ident { $field:ident },
        $create_fn:ident, $update_fn:ident, $delete_fn:ident
    ) => {
        inputs! {
            #[doc = concat!("A new ", stringify!($ty), " of an existing event.")]
            create $create;
            #[doc = concat!("Changes to an ", stringify!($ty), " (its event and ", stringify!($target), " stay).")]
            update $update;
            changes $changes;
            required {
                role: $role,
            }
            optional {
                key: String,
            }
            lists {}
            references {}
            required_references {}
            fixed {
                event: async_graphql::ID => Reference = reference::<Event>,
                $target: async_graphql::ID => Reference = reference::<$target_ty>,
            }
        }

        #[doc = concat!("A ", stringify!($target), " given with the event it takes part in.")]
        #[derive(async_graphql::InputObject)]
        pub struct $child {
            pub $target: async_graphql::ID,
            pub role: $role,
        }

        impl $child {
            pub fn into_changes(self, path: &str) -> ApiResult<$changes> {
                Ok($changes {
                    $target: Some(reference::<$target_ty>(self.$target, &at(path, stringify!($target)))?),
                    role: Some(self.role),
                    ..Default::default()
                })
            }
        }

        #[async_trait::async_trait]
        impl Writable for $ty {
            type Changes = $changes;
            type Children = ();

            async fn apply(
                s: &mut Session,
                c: $changes,
                row: &mut crate::entity::event_participant::ActiveModel,
                path: &str,
            ) -> Result<(), GarrisonError> {
                assign_checked(&mut row.key, c.key, |k| validate::key(&at(path, "key"), k))?;
                if let Some(role) = c.role {
                    row.role = Set(role.to_value());
                }
                assign_reference::<Event>(s, &mut row.event_id, c.event, &at(path, "event")).await?;
                let target = c.$target.map(Some);
                let target_path = at(path, stringify!($target));
                assign_optional_reference::<$target_ty>(s, &mut row.$column, target, &target_path)
                    .await?;
                Ok(())
            }
        }

        super::crud!(
            $object, $ty, $payload { $field },
            $create_fn($create), $update_fn($update), $delete_fn
        );
    };
}

participant_writes!(
    EventActor, actor: Actor = actor_id, ActorRole,
    EventActorChanges, CreateEventActorInput, UpdateEventActorInput, EventActorInput,
    EventActorMutation, EventActorPayload { event_actor },
    create_event_actor, update_event_actor, delete_event_actor
);
participant_writes!(
    EventAsset, asset: Asset = asset_id, AssetRole,
    EventAssetChanges, CreateEventAssetInput, UpdateEventAssetInput, EventAssetInput,
    EventAssetMutation, EventAssetPayload { event_asset },
    create_event_asset, update_event_asset, delete_event_asset
);
participant_writes!(
    EventBase, base: Base = base_id, BaseRole,
    EventBaseChanges, CreateEventBaseInput, UpdateEventBaseInput, EventBaseInput,
    EventBaseMutation, EventBasePayload { event_base },
    create_event_base, update_event_base, delete_event_base
);
