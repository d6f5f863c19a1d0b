//! Writing assets.
use super::participant::Participant;
use super::values::Quantity;
use crate::entity::{asset, deployment};
use crate::error::GarrisonError;
use crate::record::{Actor, Asset, Deployment, EventAsset};
use crate::vocabulary::{AssetKind, Marking};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{
    Dependent, FieldChange, Named, Reference, Session, Writable, refuse_duplicate, sync_aliases,
};
use sea_orm::ActiveValue::Set;

/// What a write of an asset may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct AssetChanges {
    pub kind: Option<AssetKind>,
    pub name: Option<String>,
    pub key: Option<Option<String>>,
    /// Who may read it; a new record without one gets the server's default.
    pub marking: Option<Marking>,
    /// The type or class (An-124 Ruslan).
    pub model: Option<Option<String>>,
    pub quantity: Option<Option<Quantity>>,
    pub description: Option<Option<String>>,
    pub aliases: Option<Vec<String>>,
    /// The owning actor.
    pub owner: Option<Option<Reference>>,
}

#[async_trait::async_trait]
impl Writable for Asset {
    type Changes = AssetChanges;
    type Children = Option<Vec<String>>;
    fn restricted_by() -> Vec<Dependent> {
        vec![
            Dependent::on::<Deployment>(deployment::Column::AssetId),
            Dependent::on::<EventAsset>(EventAsset::COLUMN),
        ]
    }

    async fn apply(
        s: &mut Session,
        c: AssetChanges,
        row: &mut asset::ActiveModel,
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
        assign_text(&mut row.model, c.model, path, "model", validate::MAX_LABEL)?;
        assign_text(
            &mut row.description,
            c.description,
            path,
            "description",
            validate::MAX_TEXT,
        )?;
        if let Some(quantity) = c.quantity {
            let value = quantity
                .as_ref()
                .map(|q| validate::quantity(&at(path, "quantity.value"), q.value))
                .transpose()?;
            row.quantity = Set(value);
            row.quantity_qualifier = Set(quantity.map(|q| q.qualifier));
        }
        assign_optional_reference::<Actor>(s, &mut row.owner_id, c.owner, &at(path, "owner"))
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

    async fn check(s: &mut Session, m: &asset::Model, path: &str) -> Result<(), GarrisonError> {
        refuse_duplicate::<Asset>(s, m, path).await
    }
}

super::named!(
    Asset,
    AssetChanges,
    asset,
    AssetId,
    owner_id: OwnerId,
    keep [key, model, quantity, description, owner]
);
