//! Writing actors.
use super::participant::Participant;
use crate::entity::{actor, asset, tenure};
use crate::error::GarrisonError;
use crate::record::{Actor, Asset, EventActor, Tenure};
use crate::vocabulary::{ActorKind, Marking};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{
    Dependent, FieldChange, Named, Reference, Session, Writable, refuse_duplicate, sync_aliases,
};
use sea_orm::EntityTrait;

/// What a write of an actor may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct ActorChanges {
    pub kind: Option<ActorKind>,
    pub name: Option<String>,
    pub key: Option<Option<String>>,
    /// Who may read it; a new record without one gets the server's default.
    pub marking: Option<Marking>,
    pub country: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub aliases: Option<Vec<String>>,
    pub parent: Option<Option<Reference>>,
}

#[async_trait::async_trait]
impl Writable for Actor {
    type Changes = ActorChanges;
    type Children = Option<Vec<String>>;
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
        assign_key_and_marking(
            s,
            (&mut row.key, &mut row.marking),
            (c.key, c.marking),
            path,
        )?;
        assign(&mut row.kind, c.kind);
        assign_name(&mut row.name, &mut row.name_key, c.name, &at(path, "name"))?;
        assign_checked(&mut row.country, c.country, |v| {
            validate::country(&at(path, "country"), v)
        })?;
        assign_text(
            &mut row.description,
            c.description,
            path,
            "description",
            validate::MAX_TEXT,
        )?;
        assign_optional_reference::<Actor>(s, &mut row.parent_id, c.parent, &at(path, "parent"))
            .await?;
        checked_aliases(&row.name, c.aliases, path)
    }

    async fn write_children(
        s: &mut Session,
        aliases: Self::Children,
        id: i64,
        _path: &str,
    ) -> Result<Vec<FieldChange>, GarrisonError> {
        sync_aliases(s, Self::ALIAS_COLUMN, id, aliases).await
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
    ActorId,
    country: Country,
    keep [key, country, description, parent]
);
