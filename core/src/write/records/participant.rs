//! Writing event participants: the actors, assets and bases of an event, each in a role.
use crate::entity::event_participant;
use crate::error::GarrisonError;
use crate::record::{Actor, Asset, Base, Event, EventActor, EventAsset, EventBase, Record};
use crate::visibility::Visible;
use crate::vocabulary::{ActorRole, AssetRole, BaseRole, Marking};
use crate::write::fields::*;
use crate::write::validate::at;
use crate::write::{Dependent, Reference, Session, Writable};
use sea_orm::ActiveEnum;
use sea_orm::ActiveValue::{self, Set};

/// What a write of an event's participant may change: its role, and on create the
/// event and the record taking part (`target`). One shape serves the three kinds.
#[derive(Clone, Debug)]
pub struct ParticipantChanges<Role> {
    pub role: Option<Role>,
    pub key: Option<Option<String>>,
    /// Who may read it; a new record without one gets the server's default.
    pub marking: Option<Marking>,
    pub event: Option<Reference>,
    /// The actor, asset or base taking part.
    pub target: Option<Reference>,
}

impl<Role> Default for ParticipantChanges<Role> {
    fn default() -> Self {
        Self {
            role: None,
            key: None,
            marking: None,
            event: None,
            target: None,
        }
    }
}

pub type EventActorChanges = ParticipantChanges<ActorRole>;
pub type EventAssetChanges = ParticipantChanges<AssetRole>;
pub type EventBaseChanges = ParticipantChanges<BaseRole>;

/// One kind of event participant: its role vocabulary, the record type taking part and
/// the column that points at it.
pub trait Participant: Record<Entity = event_participant::Entity> + Visible {
    type Role: ActiveEnum<Value = String> + Clone + Send + Sync + std::fmt::Debug + 'static;
    type Target: Writable;
    /// The column that points at the record taking part (set on this kind only).
    const COLUMN: event_participant::Column;
    fn target(row: &mut event_participant::ActiveModel) -> &mut ActiveValue<Option<i64>>;
}

impl Participant for EventActor {
    type Role = ActorRole;
    type Target = Actor;
    const COLUMN: event_participant::Column = event_participant::Column::ActorId;
    fn target(row: &mut event_participant::ActiveModel) -> &mut ActiveValue<Option<i64>> {
        &mut row.actor_id
    }
}

impl Participant for EventAsset {
    type Role = AssetRole;
    type Target = Asset;
    const COLUMN: event_participant::Column = event_participant::Column::AssetId;
    fn target(row: &mut event_participant::ActiveModel) -> &mut ActiveValue<Option<i64>> {
        &mut row.asset_id
    }
}

impl Participant for EventBase {
    type Role = BaseRole;
    type Target = Base;
    const COLUMN: event_participant::Column = event_participant::Column::BaseId;
    fn target(row: &mut event_participant::ActiveModel) -> &mut ActiveValue<Option<i64>> {
        &mut row.base_id
    }
}

/// The participants of kind `P` of an event: deleted with it.
pub fn participants<P: Participant>() -> Dependent {
    Dependent::on::<P>(event_participant::Column::EventId).with(P::COLUMN)
}

/// Makes the participants of kind `P` of event `event` those `wanted` describes.
pub async fn sync_participants<P: Participant>(
    s: &mut Session,
    event: i64,
    wanted: Option<Vec<ParticipantChanges<P::Role>>>,
    path: &str,
) -> Result<(), GarrisonError> {
    let columns = (event_participant::Column::EventId, Some(P::COLUMN));
    crate::write::sync_children::<P>(s, columns, event, wanted, path).await
}

#[async_trait::async_trait]
impl<P: Participant> Writable for P {
    type Changes = ParticipantChanges<P::Role>;
    type Children = ();

    async fn apply(
        s: &mut Session,
        c: Self::Changes,
        row: &mut event_participant::ActiveModel,
        path: &str,
    ) -> Result<(), GarrisonError> {
        assign_key_and_marking(
            s,
            (&mut row.key, &mut row.marking),
            (c.key, c.marking),
            path,
        )?;
        if let Some(role) = c.role {
            row.role = Set(role.to_value());
        }
        assign_reference::<Event>(s, &mut row.event_id, c.event, &at(path, "event")).await?;
        let target_path = at(path, &P::Target::TYPE.to_lowercase());
        assign_optional_reference::<P::Target>(s, P::target(row), c.target.map(Some), &target_path)
            .await?;
        Ok(())
    }
}
