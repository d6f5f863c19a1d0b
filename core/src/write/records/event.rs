//! Writing events, with their participants and attestations.
use super::attestation::{AttestationChanges, Attestations};
use super::participant::{
    EventActorChanges, EventAssetChanges, EventBaseChanges, participants, sync_participants,
};
use super::values::Place;
use crate::entity::{attestation, event};
use crate::error::GarrisonError;
use crate::record::{Attestation, Event, EventActor, EventAsset, EventBase};
use crate::vocabulary::{EventKind, EventStatus, Marking};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{ChildWrites, Dependent, FieldChange, Session, Writable};
use sea_orm::ActiveValue::Set;

/// What a write of an event may change; a field left `None` stays as it is. The lists,
/// when given, are the event's participants and attestations.
#[derive(Clone, Default, Debug)]
pub struct EventChanges {
    pub kind: Option<EventKind>,
    pub title: Option<String>,
    pub status: Option<EventStatus>,
    pub key: Option<Option<String>>,
    /// Who may read it; a new record without one gets the server's default.
    pub marking: Option<Marking>,
    pub summary: Option<Option<String>>,
    /// When it happened (EDTF).
    pub occurred: Option<Option<String>>,
    /// How sure the analyst is that it happened, 0–100.
    pub confidence: Option<Option<i32>>,
    pub place: Option<Option<Place>>,
    pub attestations: Option<Vec<AttestationChanges>>,
    pub actors: Option<Vec<EventActorChanges>>,
    pub assets: Option<Vec<EventAssetChanges>>,
    pub bases: Option<Vec<EventBaseChanges>>,
}

/// What is written after an event itself; each list, when given, replaces the stored one.
pub struct EventChildren {
    actors: Option<Vec<EventActorChanges>>,
    assets: Option<Vec<EventAssetChanges>>,
    bases: Option<Vec<EventBaseChanges>>,
    attestations: Attestations,
}

#[async_trait::async_trait]
impl ChildWrites for EventChildren {
    async fn write(
        self,
        s: &mut Session,
        id: i64,
        path: &str,
    ) -> Result<Vec<FieldChange>, GarrisonError> {
        sync_participants::<EventActor>(s, id, self.actors, &at(path, "actors")).await?;
        sync_participants::<EventAsset>(s, id, self.assets, &at(path, "assets")).await?;
        sync_participants::<EventBase>(s, id, self.bases, &at(path, "bases")).await?;
        self.attestations.write(s, id, path).await
    }
}

#[async_trait::async_trait]
impl Writable for Event {
    type Changes = EventChanges;
    type Children = EventChildren;
    fn cascades_to() -> Vec<Dependent> {
        vec![
            participants::<EventActor>(),
            participants::<EventAsset>(),
            participants::<EventBase>(),
            Dependent::on::<Attestation>(attestation::Column::EventId),
        ]
    }

    async fn apply(
        s: &mut Session,
        c: EventChanges,
        row: &mut event::ActiveModel,
        path: &str,
    ) -> Result<EventChildren, GarrisonError> {
        let is_new = row.id.is_not_set();
        if (is_new || c.attestations.is_some()) && c.attestations.as_ref().is_none_or(Vec::is_empty)
        {
            return Err(GarrisonError::invalid(
                at(path, "attestations"),
                "an event needs at least one attestation",
            ));
        }
        assign_key_and_marking(
            s,
            (&mut row.key, &mut row.marking),
            (c.key, c.marking),
            path,
        )?;
        assign(&mut row.kind, c.kind);
        assign_name(
            &mut row.title,
            &mut row.title_key,
            c.title,
            &at(path, "title"),
        )?;
        assign(&mut row.status, c.status);
        assign_text(
            &mut row.summary,
            c.summary,
            path,
            "summary",
            validate::MAX_TEXT,
        )?;
        assign_checked(&mut row.confidence, c.confidence, |v| {
            validate::confidence(&at(path, "confidence"), v)
        })?;
        assign_fuzzy_date(
            &mut row.occurred,
            &mut row.occurred_lo,
            &mut row.occurred_hi,
            c.occurred,
            &at(path, "occurred"),
        )?;
        if let Some(place) = c.place {
            let path = at(path, "place");
            let place = place.unwrap_or_default();
            row.place = Set(validate::text(
                &at(&path, "name"),
                place.name,
                validate::MAX_LABEL,
            )?);
            row.country = Set(validate::country(&at(&path, "country"), place.country)?);
            let l = (place.location)
                .map(|l| l.checked(&at(&path, "location")))
                .transpose()?;
            row.latitude = Set(l.as_ref().map(|l| l.latitude));
            row.longitude = Set(l.as_ref().map(|l| l.longitude));
            row.location_precision = Set(l.and_then(|l| l.precision));
        }
        Ok(EventChildren {
            actors: c.actors,
            assets: c.assets,
            bases: c.bases,
            attestations: Attestations::new(attestation::Column::EventId, c.attestations),
        })
    }
}
