//! The controlled vocabularies of the domain. Each is stored as snake_case text, shown
//! in bundles (and, through the API's remote enums, in GraphQL) as
//! SCREAMING_SNAKE_CASE, and is part of the public contract.
use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Declares a vocabulary enum with its storage and serde derivations.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum,
            Serialize, Deserialize,
        )]
        #[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }
    };
}

vocabulary! {
    /// What sort of actor.
    ActorKind { State, ArmedForces, ArmedGroup, Coalition, Government, Organisation, Person }
}

vocabulary! {
    /// What sort of military installation.
    BaseKind { AirBase, NavalBase, ArmyBase, Outpost, LogisticsHub, Other }
}

vocabulary! {
    /// What sort of asset.
    AssetKind { Aircraft, Vessel, Vehicle, Unit, Equipment, Personnel }
}

vocabulary! {
    /// How a counted quantity was stated ("at least two").
    QuantityQualifier { Exact, AtLeast, AtMost, About }
}

vocabulary! {
    /// How precise a location is.
    LocationPrecision {
        /// Surveyed or imagery-derived coordinates of the site itself.
        Exact,
        /// Within a few kilometres.
        Approximate,
        /// The nearest town or city.
        City,
        /// The region or province.
        Region,
    }
}

vocabulary! {
    /// The kind of a reported event. Each maps to an ACLED sub-event type and a CAMEO
    /// code where one exists (`acledSubEventType`, `cameoCode` on Event).
    EventKind {
        Withdrawal, Deployment, Movement, Flight, PortCall, Logistics, Agreement,
        Negotiation, Statement, Seizure, Attack, Offensive, RegimeChange, Exile,
        BaseEstablished,
    }
}

impl EventKind {
    /// The ACLED sub-event type this kind corresponds to, if any.
    pub fn acled_sub_event_type(self) -> Option<&'static str> {
        use EventKind::*;
        match self {
            Withdrawal | Deployment | Movement | Flight | Logistics => {
                Some("Change to group/activity")
            }
            Agreement => Some("Agreement"),
            Seizure | Offensive => Some("Non-state actor overtakes territory"),
            Attack => Some("Armed clash"),
            BaseEstablished => Some("Headquarters or base established"),
            PortCall | Negotiation | Statement | RegimeChange | Exile => None,
        }
    }

    /// The CAMEO event code this kind corresponds to, if any.
    pub fn cameo_code(self) -> Option<&'static str> {
        use EventKind::*;
        match self {
            Withdrawal => Some("087"),
            Deployment => Some("154"),
            Agreement => Some("057"),
            Negotiation => Some("046"),
            Statement => Some("010"),
            Seizure => Some("1711"),
            Attack | Offensive => Some("190"),
            Movement | Flight | PortCall | Logistics | RegimeChange | Exile | BaseEstablished => {
                None
            }
        }
    }
}

vocabulary! {
    /// How far an event is established.
    EventStatus { Reported, Confirmed, Disputed, Denied }
}

vocabulary! {
    /// What sort of publisher a source is.
    SourceKind { NewsAgency, Broadcaster, Newspaper, NewsSite, Imagery, Official, SocialMedia, Other }
}

vocabulary! {
    /// Admiralty (NATO) source reliability: it belongs to the source.
    Reliability {
        /// Completely reliable.
        #[sea_orm(string_value = "A")]
        A,
        /// Usually reliable.
        #[sea_orm(string_value = "B")]
        B,
        /// Fairly reliable.
        #[sea_orm(string_value = "C")]
        C,
        /// Not usually reliable.
        #[sea_orm(string_value = "D")]
        D,
        /// Unreliable.
        #[sea_orm(string_value = "E")]
        E,
        /// Reliability cannot be judged.
        #[sea_orm(string_value = "F")]
        F,
    }
}

vocabulary! {
    /// What an actor is to a base during a tenure.
    TenureRole { Operator, Host, Controller, Tenant }
}

vocabulary! {
    /// What an actor did in an event.
    ActorRole { Performer, Target, Negotiator, StatementBy, Destination, Participant }
}

vocabulary! {
    /// What an asset was in an event.
    AssetRole { Subject, Cargo, Participant }
}

vocabulary! {
    /// What a base was in an event.
    BaseRole { Origin, Destination, Location }
}

vocabulary! {
    /// What a report says of a claim.
    Stance { Asserts, Disputes, Refutes }
}

/// A TLP 2.0 marking: how far a record may be shared. The levels are ordered, each
/// sharing less than the one before it; a caller sees a record when its marking is at
/// or below the caller's clearance. Stored as its rank (0 to 4), so that the test is
/// one integer comparison.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "i32", db_type = "Integer")]
pub enum Marking {
    /// TLP:CLEAR: may be shared without limit.
    #[default]
    #[sea_orm(num_value = 0)]
    #[serde(rename = "CLEAR")]
    Clear,
    /// TLP:GREEN: within the community.
    #[sea_orm(num_value = 1)]
    #[serde(rename = "GREEN")]
    Green,
    /// TLP:AMBER: within the recipients' organisations and their clients.
    #[sea_orm(num_value = 2)]
    #[serde(rename = "AMBER")]
    Amber,
    /// TLP:AMBER+STRICT: within the recipients' organisations only.
    #[sea_orm(num_value = 3)]
    #[serde(rename = "AMBER_STRICT", alias = "AMBER+STRICT")]
    AmberStrict,
    /// TLP:RED: for the named recipients only.
    #[sea_orm(num_value = 4)]
    #[serde(rename = "RED")]
    Red,
}

impl Marking {
    /// The TLP 2.0 label (`TLP:AMBER+STRICT`).
    pub fn label(self) -> &'static str {
        match self {
            Self::Clear => "TLP:CLEAR",
            Self::Green => "TLP:GREEN",
            Self::Amber => "TLP:AMBER",
            Self::AmberStrict => "TLP:AMBER+STRICT",
            Self::Red => "TLP:RED",
        }
    }

    /// Its rank, as stored: CLEAR 0 to RED 4.
    pub fn rank(self) -> i32 {
        sea_orm::ActiveEnum::to_value(&self)
    }
}

impl std::str::FromStr for Marking {
    type Err = String;

    /// `CLEAR`, `GREEN`, `AMBER`, `AMBER+STRICT` (or `AMBER_STRICT`) or `RED`, in any
    /// case, with or without `TLP:` (as the command line takes them).
    fn from_str(text: &str) -> Result<Self, String> {
        let upper = text.trim().to_ascii_uppercase();
        match upper.strip_prefix("TLP:").unwrap_or(&upper) {
            "CLEAR" => Ok(Self::Clear),
            "GREEN" => Ok(Self::Green),
            "AMBER" => Ok(Self::Amber),
            "AMBER+STRICT" | "AMBER_STRICT" => Ok(Self::AmberStrict),
            "RED" => Ok(Self::Red),
            _ => Err(format!(
                "\"{text}\" is not a TLP marking: CLEAR, GREEN, AMBER, AMBER+STRICT or RED"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Marking;

    #[test]
    fn markings_are_ordered_and_parsed_as_tlp_labels() {
        assert!(Marking::Clear < Marking::Green && Marking::Amber < Marking::AmberStrict);
        assert!(Marking::AmberStrict < Marking::Red);
        for marking in [
            Marking::Clear,
            Marking::Green,
            Marking::Amber,
            Marking::AmberStrict,
            Marking::Red,
        ] {
            assert_eq!(marking.label().parse::<Marking>(), Ok(marking));
        }
        assert_eq!("amber_strict".parse::<Marking>(), Ok(Marking::AmberStrict));
        assert_eq!(Marking::Red.rank(), 4);
        assert!(
            "WHITE"
                .parse::<Marking>()
                .unwrap_err()
                .contains("not a TLP marking")
        );
    }
}
