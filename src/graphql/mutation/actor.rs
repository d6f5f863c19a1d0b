//! Writing actors.
use super::inputs::inputs;
use crate::graphql::Actor;
use crate::graphql::vocabulary::ActorKind;
use garrison_core::write::records::ActorChanges;

inputs! {
    /// A new actor.
    create CreateActorInput;
    /// Changes to an actor.
    update UpdateActorInput;
    changes ActorChanges;
    required {
        kind: ActorKind,
        name: String,
    }
    optional {
        /// A stable external key, unique among actors.
        key: String,
        /// ISO 3166-1 alpha-2 code.
        country: String,
        description: String,
    }
    lists {
        /// Other names; the whole list replaces the stored one.
        aliases: String,
    }
    references {
        /// The actor this one belongs to.
        parent: Actor,
    }
    required_references {}
    fixed {}
}

super::crud!(
    ActorMutation,
    Actor,
    ActorPayload { actor },
    create_actor(CreateActorInput, merge),
    update_actor(UpdateActorInput),
    delete_actor
);
