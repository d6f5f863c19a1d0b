//! Writing events, with their participants and attestations.
use super::attestation::{AttestationInput, attestations};
use super::base::LocationInput;
use super::inputs::each;
use super::inputs::{optional, optional_into, required};
use super::participant::{EventActorInput, EventAssetInput, EventBaseInput};
use super::{IntoChanges, create_record, delete_record, update_record};
use crate::error::ApiResult;
use crate::graphql::Event;
use crate::graphql::scalars::Edtf;
use crate::graphql::vocabulary::{EventKind, EventStatus, Marking};
use crate::write::validate::at;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
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

/// A new event, with at least one attestation.
#[derive(InputObject)]
pub struct CreateEventInput {
    pub kind: EventKind,
    pub title: String,
    pub status: EventStatus,
    pub key: Option<String>,
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
    pub summary: Option<String>,
    /// When it happened (EDTF).
    pub occurred: Option<Edtf>,
    /// How sure the analyst is that it happened, 0–100.
    pub confidence: Option<i32>,
    pub place: Option<PlaceInput>,
    /// The reports that attest the event: at least one.
    pub attestations: Vec<AttestationInput>,
    pub actors: Option<Vec<EventActorInput>>,
    pub assets: Option<Vec<EventAssetInput>>,
    pub bases: Option<Vec<EventBaseInput>>,
}

impl IntoChanges for CreateEventInput {
    type Changes = EventChanges;

    fn into_changes(self, path: &str) -> ApiResult<EventChanges> {
        Ok(EventChanges {
            kind: Some(self.kind.into()),
            title: Some(self.title),
            status: Some(self.status.into()),
            key: Some(self.key),
            marking: self.marking.map(Into::into),
            summary: Some(self.summary),
            occurred: Some(self.occurred.map(Into::into)),
            confidence: Some(self.confidence),
            place: Some(self.place.map(Into::into)),
            attestations: Some(attestations(
                Some(self.attestations),
                &at(path, "attestations"),
            )?),
            actors: Some(each(
                self.actors,
                &at(path, "actors"),
                EventActorInput::into_changes,
            )?),
            assets: Some(each(
                self.assets,
                &at(path, "assets"),
                EventAssetInput::into_changes,
            )?),
            bases: Some(each(
                self.bases,
                &at(path, "bases"),
                EventBaseInput::into_changes,
            )?),
        })
    }
}

/// Changes to an event (participants and attestations have their own mutations).
#[derive(InputObject)]
pub struct UpdateEventInput {
    pub kind: MaybeUndefined<EventKind>,
    pub title: MaybeUndefined<String>,
    pub status: MaybeUndefined<EventStatus>,
    pub key: MaybeUndefined<String>,
    /// Who may read it: at most your clearance.
    pub marking: MaybeUndefined<Marking>,
    pub summary: MaybeUndefined<String>,
    /// When it happened (EDTF).
    pub occurred: MaybeUndefined<Edtf>,
    /// How sure the analyst is that it happened, 0–100.
    pub confidence: MaybeUndefined<i32>,
    pub place: MaybeUndefined<PlaceInput>,
}

impl IntoChanges for UpdateEventInput {
    type Changes = EventChanges;

    fn into_changes(self, path: &str) -> ApiResult<EventChanges> {
        Ok(EventChanges {
            kind: required(self.kind, &at(path, "kind"))?.map(Into::into),
            title: required(self.title, &at(path, "title"))?,
            status: required(self.status, &at(path, "status"))?.map(Into::into),
            key: optional(self.key),
            marking: required(self.marking, &at(path, "marking"))?.map(Into::into),
            summary: optional(self.summary),
            occurred: optional_into(self.occurred),
            confidence: optional(self.confidence),
            place: optional_into(self.place),
            ..Default::default()
        })
    }
}

/// The result of writing a Event; after a delete, the record as it was.
#[derive(SimpleObject)]
pub struct EventPayload {
    pub event: Event,
}

#[derive(Default)]
pub struct EventMutation;

#[Object]
impl EventMutation {
    /// Creates a record from the fields given.
    async fn create_event(
        &self,
        ctx: &Context<'_>,
        input: CreateEventInput,
    ) -> async_graphql::Result<EventPayload> {
        let event = create_record::<Event, _>(ctx, input).await?;
        Ok(EventPayload { event })
    }

    /// Changes the fields given; an omitted field stays, null clears a
    /// nullable one. `expectedVersion` must be the record's current version.
    async fn update_event(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateEventInput,
    ) -> async_graphql::Result<EventPayload> {
        let event = update_record::<Event, _>(ctx, &id, expected_version, input).await?;
        Ok(EventPayload { event })
    }

    /// Deletes the record (role admin). `expectedVersion` must be its
    /// current version; see the README for what a delete takes with it.
    async fn delete_event(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<EventPayload> {
        let event = delete_record::<Event>(ctx, &id, expected_version).await?;
        Ok(EventPayload { event })
    }
}
