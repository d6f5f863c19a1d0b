//! Writing assets.
use super::participant::Participant;
use super::values::Quantity;
use crate::entity::{asset, deployment};
use crate::error::GarrisonError;
use crate::record::{Actor, Asset, Deployment, EventAsset};
use crate::vocabulary::AssetKind;
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{
    Aliases, Dependent, Named, NamedChanges, Reference, Session, Writable, refuse_duplicate,
};
use sea_orm::ActiveValue::Set;

/// What a write of an asset may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct AssetChanges {
    pub names: NamedChanges<AssetKind>,
    /// The type or class (An-124 Ruslan).
    pub model: Option<Option<String>>,
    pub quantity: Option<Option<Quantity>>,
    pub description: Option<Option<String>>,
    /// The owning actor.
    pub owner: Option<Option<Reference>>,
}

#[async_trait::async_trait]
impl Writable for Asset {
    type Changes = AssetChanges;
    type Children = Aliases;
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
        let aliases = Self::assign_identity(s, c.names, row, path)?;
        assign_text(&mut row.model, c.model, path, "model", validate::MAX_LABEL)?;
        assign_description(&mut row.description, c.description, path)?;
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
        Aliases::checked::<Self>(&row.name, aliases, path)
    }

    async fn check(s: &mut Session, m: &asset::Model, path: &str) -> Result<(), GarrisonError> {
        refuse_duplicate::<Asset>(s, m, path).await
    }
}

super::named!(
    Asset,
    AssetChanges,
    asset,
    AssetKind,
    AssetId,
    owner_id: OwnerId,
    keep [model, quantity, description, owner]
);
