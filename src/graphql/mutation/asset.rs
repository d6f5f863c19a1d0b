//! Writing assets.
use super::inputs::inputs;
use crate::entity::asset;
use crate::error::GarrisonError;
use crate::graphql::{Actor, Asset};
use crate::vocabulary::{AssetKind, QuantityQualifier};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{
    Dependent, FieldChange, Named, Session, Writable, refuse_duplicate, sync_aliases,
};
use sea_orm::ActiveValue::Set;
use serde::Deserialize;

/// A counted quantity as stated ("at least two").
#[derive(async_graphql::InputObject, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QuantityInput {
    pub value: i32,
    pub qualifier: QuantityQualifier,
}

inputs! {
    /// A new asset.
    create CreateAssetInput;
    /// Changes to an asset.
    update UpdateAssetInput;
    changes AssetChanges;
    required {
        kind: AssetKind,
        name: String,
    }
    optional {
        /// A stable external key, unique among assets.
        key: String,
        /// The type or class (An-124 Ruslan).
        model: String,
        quantity: QuantityInput,
        description: String,
    }
    lists {
        /// Other names; the whole list replaces the stored one.
        aliases: String,
    }
    references {
        /// The actor that owns the asset.
        owner: Actor,
    }
    required_references {}
    fixed {}
}

#[async_trait::async_trait]
impl Writable for Asset {
    type Changes = AssetChanges;
    type Children = Option<Vec<String>>;
    const RESTRICTED_BY: &'static [Dependent] = &[
        Dependent::new("deployment", "asset_id", "Deployment"),
        Dependent::participant("asset_id", "EventAsset"),
    ];

    async fn apply(
        s: &mut Session,
        c: AssetChanges,
        row: &mut asset::ActiveModel,
        path: &str,
    ) -> Result<Self::Children, GarrisonError> {
        assign_checked(&mut row.key, c.key, |k| validate::key(&at(path, "key"), k))?;
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

super::named!(Asset, AssetChanges, asset, "asset_id", owner_id);

super::crud!(
    AssetMutation,
    Asset,
    AssetPayload { asset },
    create_asset(CreateAssetInput, merge),
    update_asset(UpdateAssetInput),
    delete_asset
);
