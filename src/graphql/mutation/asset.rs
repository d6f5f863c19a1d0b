//! Writing assets.
use super::inputs::inputs;
use crate::graphql::vocabulary::{AssetKind, QuantityQualifier};
use crate::graphql::{Actor, Asset};
use garrison_core::write::records::{AssetChanges, Quantity};

/// A counted quantity as stated ("at least two").
#[derive(async_graphql::InputObject, Clone, Debug)]
pub struct QuantityInput {
    pub value: i32,
    pub qualifier: QuantityQualifier,
}

impl From<QuantityInput> for Quantity {
    fn from(q: QuantityInput) -> Self {
        Self {
            value: q.value,
            qualifier: q.qualifier.into(),
        }
    }
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

super::crud!(
    AssetMutation,
    Asset,
    AssetPayload { asset },
    create_asset(CreateAssetInput, merge),
    update_asset(UpdateAssetInput),
    delete_asset
);
