//! The registry of record types: each stored type once, with its entity and its public
//! type name (which also prefixes its global ids). Writing, the journal, search and
//! the API's node dispatch all name record types through these.
use crate::entity::Stored;
use crate::entity::{
    actor, alias, asset, attestation, base, change, deployment, event, event_participant, report,
    source, tenure,
};
use sea_orm::EntityTrait;

/// A stored record type.
pub trait Record: Send + Sync + 'static {
    type Entity: Stored<Model: Clone + Send + Sync>;
    /// The public type name, in the API, the journal and global ids.
    const TYPE: &'static str;
}

/// The model of record type `R`.
pub type ModelOf<R> = <<R as Record>::Entity as EntityTrait>::Model;

/// Expands `$then! { Actor, Base, … }` with every record type the journal names (each
/// write of one is journaled). Every place that picks a record type by its name (node
/// lookups and the `Node` interface, the change feed's type filter, `generate`)
/// expands this list, so a new record type is named once, here.
#[macro_export]
macro_rules! journaled_records {
    ($then:ident) => {
        $then! {
            Actor, Base, Asset, Event, Source, Report, Tenure, Deployment, Attestation,
            EventActor, EventAsset, EventBase
        }
    };
}

/// Expands `$then! { Actor, … }` with the record types search finds (each implements
/// `search::Searchable`, which says what text it contributes).
#[macro_export]
macro_rules! searched_records {
    ($then:ident) => {
        $then! { Actor, Base, Asset, Source, Report, Event, Attestation }
    };
}

macro_rules! type_names {
    ($($record:ident),+) => {
        [$($record::TYPE),+]
    };
}

/// The type names of the journaled record types.
pub const JOURNALED: &[&str] = &journaled_records!(type_names);

/// The type names of the record types search finds.
pub const SEARCHED: &[&str] = &searched_records!(type_names);

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
