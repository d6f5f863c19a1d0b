//! The domain's vocabularies as GraphQL enums, each the remote of the core's enum of
//! the same name (async-graphql converts both ways), so the core carries no GraphQL.
//! The descriptions here are the schema's.
use async_graphql::Enum;

/// What sort of actor.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::ActorKind")]
pub enum ActorKind {
    State,
    ArmedForces,
    ArmedGroup,
    Coalition,
    Government,
    Organisation,
    Person,
}

/// What sort of military installation.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::BaseKind")]
pub enum BaseKind {
    AirBase,
    NavalBase,
    ArmyBase,
    Outpost,
    LogisticsHub,
    Other,
}

/// What sort of asset.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::AssetKind")]
pub enum AssetKind {
    Aircraft,
    Vessel,
    Vehicle,
    Unit,
    Equipment,
    Personnel,
}

/// How a counted quantity was stated ("at least two").
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::QuantityQualifier")]
pub enum QuantityQualifier {
    Exact,
    AtLeast,
    AtMost,
    About,
}

/// How precise a location is.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::LocationPrecision")]
pub enum LocationPrecision {
    /// Surveyed or imagery-derived coordinates of the site itself.
    Exact,
    /// Within a few kilometres.
    Approximate,
    /// The nearest town or city.
    City,
    /// The region or province.
    Region,
}

/// The kind of a reported event. Each maps to an ACLED sub-event type and a CAMEO
/// code where one exists (`acledSubEventType`, `cameoCode` on Event).
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::EventKind")]
pub enum EventKind {
    Withdrawal,
    Deployment,
    Movement,
    Flight,
    PortCall,
    Logistics,
    Agreement,
    Negotiation,
    Statement,
    Seizure,
    Attack,
    Offensive,
    RegimeChange,
    Exile,
    BaseEstablished,
}

/// How far an event is established.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::EventStatus")]
pub enum EventStatus {
    Reported,
    Confirmed,
    Disputed,
    Denied,
}

/// What sort of publisher a source is.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::SourceKind")]
pub enum SourceKind {
    NewsAgency,
    Broadcaster,
    Newspaper,
    NewsSite,
    Imagery,
    Official,
    SocialMedia,
    Other,
}

/// Admiralty (NATO) source reliability: it belongs to the source.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::Reliability")]
pub enum Reliability {
    /// Completely reliable.
    A,
    /// Usually reliable.
    B,
    /// Fairly reliable.
    C,
    /// Not usually reliable.
    D,
    /// Unreliable.
    E,
    /// Reliability cannot be judged.
    F,
}

/// What an actor is to a base during a tenure.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::TenureRole")]
pub enum TenureRole {
    Operator,
    Host,
    Controller,
    Tenant,
}

/// What an actor did in an event.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::ActorRole")]
pub enum ActorRole {
    Performer,
    Target,
    Negotiator,
    StatementBy,
    Destination,
    Participant,
}

/// What an asset was in an event.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::AssetRole")]
pub enum AssetRole {
    Subject,
    Cargo,
    Participant,
}

/// What a base was in an event.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::BaseRole")]
pub enum BaseRole {
    Origin,
    Destination,
    Location,
}

/// What a report says of a claim.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::Stance")]
pub enum Stance {
    Asserts,
    Disputes,
    Refutes,
}

/// What a token may do. Each role can do everything the roles before it can.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::auth::Role")]
pub enum Role {
    /// Reads, when the server requires a token for reads.
    Reader,
    /// Creates and updates records, imports bundles.
    Editor,
    /// Also deletes records and manages tokens.
    Admin,
}

/// What a write did to a record.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::write::Operation")]
pub enum Operation {
    Create,
    Update,
    /// A tombstone: the record is gone.
    Delete,
}

/// The kinds of record search finds.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::search::SearchType")]
pub enum SearchType {
    Actor,
    Base,
    Asset,
    Event,
    Source,
    Report,
    Attestation,
}

/// A TLP 2.0 marking: how far a record may be shared, from CLEAR (without limit) to
/// RED (named recipients only). A caller sees a record when its marking is at or below
/// the caller's clearance.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Debug)]
#[graphql(remote = "garrison_core::vocabulary::Marking")]
pub enum Marking {
    /// TLP:CLEAR: may be shared without limit.
    Clear,
    /// TLP:GREEN: within the community.
    Green,
    /// TLP:AMBER: within the recipients' organisations and their clients.
    Amber,
    /// TLP:AMBER+STRICT: within the recipients' organisations only.
    AmberStrict,
    /// TLP:RED: for the named recipients only.
    Red,
}
