//! The registry of record types: each stored type once, with its entity and its public
//! type name (which also prefixes its global ids). Writing, the journal, search and
//! the API's node dispatch all name record types through these.
use crate::entity::{
    actor, alias, asset, attestation, base, change, deployment, event, event_participant, report,
    source, tenure,
};
use sea_orm::EntityTrait;

/// A stored record type.
pub trait Record: Send + Sync + 'static {
    type Entity: EntityTrait<Model: Clone + Send + Sync>;
    /// The public type name, in the API, the journal and global ids.
    const TYPE: &'static str;
}

/// The record types the change journal names (every write of one is journaled).
pub const JOURNALED: [&str; 12] = [
    Actor::TYPE,
    Base::TYPE,
    Asset::TYPE,
    Event::TYPE,
    Source::TYPE,
    Report::TYPE,
    Tenure::TYPE,
    Deployment::TYPE,
    Attestation::TYPE,
    EventActor::TYPE,
    EventAsset::TYPE,
    EventBase::TYPE,
];

/// The model of record type `R`.
pub type ModelOf<R> = <<R as Record>::Entity as EntityTrait>::Model;

/// Implements [`Record`] for each marker, with its entity and its name as type name.
macro_rules! registry {
    ($($name:ident => $entity:ident),+ $(,)?) => {$(
        impl Record for $name {
            type Entity = $entity::Entity;
            const TYPE: &'static str = stringify!($name);
        }
    )+};
}

registry! {
    Actor => actor,
    Base => base,
    Asset => asset,
    Event => event,
    Source => source,
    Report => report,
    Tenure => tenure,
    Deployment => deployment,
    Attestation => attestation,
    EventActor => event_participant,
    EventAsset => event_participant,
    EventBase => event_participant,
    Change => change,
    Alias => alias,
}

/// A state, armed force, armed group, government, organisation or person.
#[derive(Clone, Copy, Debug, Default)]
pub struct Actor;

/// A military installation.
#[derive(Clone, Copy, Debug, Default)]
pub struct Base;

/// An aircraft, vessel, vehicle, unit, piece of equipment or group of personnel.
#[derive(Clone, Copy, Debug, Default)]
pub struct Asset;

/// Something reported to have happened.
#[derive(Clone, Copy, Debug, Default)]
pub struct Event;

/// Who publishes reports.
#[derive(Clone, Copy, Debug, Default)]
pub struct Source;

/// One published item of a source.
#[derive(Clone, Copy, Debug, Default)]
pub struct Report;

/// An actor's hold on a base over time.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tenure;

/// An asset at a base over time.
#[derive(Clone, Copy, Debug, Default)]
pub struct Deployment;

/// A report's support for a claim: an event, a tenure or a deployment.
#[derive(Clone, Copy, Debug, Default)]
pub struct Attestation;

/// An actor taking part in an event.
#[derive(Clone, Copy, Debug, Default)]
pub struct EventActor;

/// An asset taking part in an event.
#[derive(Clone, Copy, Debug, Default)]
pub struct EventAsset;

/// A base taking part in an event.
#[derive(Clone, Copy, Debug, Default)]
pub struct EventBase;

/// One write of one record, in the journal.
#[derive(Clone, Copy, Debug, Default)]
pub struct Change;

/// Another name of an actor, base or asset.
#[derive(Clone, Copy, Debug, Default)]
pub struct Alias;
