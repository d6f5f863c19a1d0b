//! Writing actors.
use super::participant::Participant;
use crate::entity::{actor, asset, tenure};
use crate::error::GarrisonError;
use crate::record::{Actor, Asset, EventActor, Tenure};
use crate::vocabulary::ActorKind;
use crate::write::fields::*;
use crate::write::validate::at;
use crate::write::{
    Aliases, Dependent, Named, NamedChanges, Reference, Session, Writable, refuse_duplicate,
};
use sea_orm::EntityTrait;

/// What a write of an actor may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct ActorChanges {
    pub names: NamedChanges<ActorKind>,
    pub country: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub parent: Option<Option<Reference>>,
}

#[async_trait::async_trait]
impl Writable for Actor {
    type Changes = ActorChanges;
    type Children = Aliases;
    fn restricted_by() -> Vec<Dependent> {
        vec![
            Dependent::on::<Actor>(actor::Column::ParentId),
            Dependent::on::<Asset>(asset::Column::OwnerId),
            Dependent::on::<Tenure>(tenure::Column::ActorId),
            Dependent::on::<EventActor>(EventActor::COLUMN),
        ]
    }

    async fn apply(
        s: &mut Session,
        c: ActorChanges,
        row: &mut actor::ActiveModel,
        path: &str,
    ) -> Result<Self::Children, GarrisonError> {
        let aliases = Self::assign_identity(s, c.names, row, path)?;
        assign_country(&mut row.country, c.country, path)?;
        assign_description(&mut row.description, c.description, path)?;
        assign_optional_reference::<Actor>(s, &mut row.parent_id, c.parent, &at(path, "parent"))
            .await?;
        Aliases::checked::<Self>(&row.name, aliases, path)
    }

    async fn check(s: &mut Session, m: &actor::Model, path: &str) -> Result<(), GarrisonError> {
        s.lock_checks().await?;
        let mut ancestor = m.parent_id;
        while let Some(id) = ancestor {
            if id == m.id {
                return Err(GarrisonError::invalid(
                    at(path, "parent"),
                    "an actor cannot be its own parent or ancestor",
                ));
            }
            // Ancestors the writer may not see count too, without being named.
            ancestor = actor::Entity::find_by_id(id)
                .one(s.txn())
                .await?
                .and_then(|a| a.parent_id);
        }
        refuse_duplicate::<Actor>(s, m, path).await
    }
}

super::named!(
    Actor,
    ActorChanges,
    actor,
    ActorKind,
    ActorId,
    country: Country,
    keep [country, description, parent]
);
