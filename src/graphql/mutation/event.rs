//! Writing events, with their participants and attestations.
use super::attestation::{AttestationInput, attestations};
use super::base::LocationInput;
use super::inputs::{each, inputs};
use super::participant::{EventActorInput, EventAssetInput, EventBaseInput};
use crate::graphql::Event;
use crate::graphql::scalars::Edtf;
use crate::graphql::vocabulary::{EventKind, EventStatus};
use garrison_core::write::records::{EventChanges, Place};

/// Where an event happened.
#[derive(async_graphql::InputObject, Clone, Debug, Default)]
pub struct PlaceInput {
    /// The place as named in reporting.
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    pub location: Option<LocationInput>,
}

impl From<PlaceInput> for Place {
    fn from(p: PlaceInput) -> Self {
        Self {
            name: p.name,
            country: p.country,
            location: p.location.map(Into::into),
        }
    }
}

inputs! {
    /// A new event, with at least one attestation.
    create CreateEventInput;
    /// Changes to an event (participants and attestations have their own mutations).
    update UpdateEventInput;
    changes EventChanges;
    required {
        kind: EventKind,
        title: String,
        status: EventStatus,
    }
    optional {
        key: String,
        summary: String,
        /// When it happened (EDTF).
        occurred: Edtf,
        /// How sure the analyst is that it happened, 0–100.
        confidence: i32,
        place: PlaceInput,
    }
    lists {}
    references {}
    required_references {}
    fixed {
        /// The reports that attest the event: at least one.
        attestations: Vec<AttestationInput> = |a, p: &str| attestations(Some(a), p),
        actors: Option<Vec<EventActorInput>> = |a, p: &str| each(a, p, EventActorInput::into_changes),
        assets: Option<Vec<EventAssetInput>> = |a, p: &str| each(a, p, EventAssetInput::into_changes),
        bases: Option<Vec<EventBaseInput>> = |a, p: &str| each(a, p, EventBaseInput::into_changes),
    }
}

super::crud!(
    EventMutation,
    Event,
    EventPayload { event },
    create_event(CreateEventInput),
    update_event(UpdateEventInput),
    delete_event
);
