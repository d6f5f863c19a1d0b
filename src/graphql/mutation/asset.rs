//! Writing assets.
use super::inputs::{
    created_names, optional, optional_into, optional_reference, reference, updated_names,
};
use super::{IntoChanges, create_or_merge_record, delete_record, update_record};
use crate::error::ApiResult;
use crate::graphql::vocabulary::{AssetKind, Marking, QuantityQualifier};
use crate::graphql::{Actor, Asset};
use crate::write::validate::at;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
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

/// A new asset.
#[derive(InputObject)]
pub struct CreateAssetInput {
    pub kind: AssetKind,
    pub name: String,
    /// A stable external key, unique among assets.
    pub key: Option<String>,
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
    /// The type or class (An-124 Ruslan).
    pub model: Option<String>,
    pub quantity: Option<QuantityInput>,
    pub description: Option<String>,
    /// Other names; the whole list replaces the stored one.
    pub aliases: Option<Vec<String>>,
    /// The actor that owns the asset.
    pub owner: Option<ID>,
}

impl IntoChanges for CreateAssetInput {
    type Changes = AssetChanges;

    fn into_changes(self, path: &str) -> ApiResult<AssetChanges> {
        Ok(AssetChanges {
            names: created_names(
                (self.kind, self.name, self.aliases),
                (self.key, self.marking),
            ),
            model: Some(self.model),
            quantity: Some(self.quantity.map(Into::into)),
            description: Some(self.description),
            owner: Some(
                self.owner
                    .map(|id| reference::<Actor>(id, &at(path, "owner")))
                    .transpose()?,
            ),
        })
    }
}

/// Changes to an asset.
#[derive(InputObject)]
pub struct UpdateAssetInput {
    pub kind: MaybeUndefined<AssetKind>,
    pub name: MaybeUndefined<String>,
    /// A stable external key, unique among assets.
    pub key: MaybeUndefined<String>,
    /// Who may read it: at most your clearance.
    pub marking: MaybeUndefined<Marking>,
    /// The type or class (An-124 Ruslan).
    pub model: MaybeUndefined<String>,
    pub quantity: MaybeUndefined<QuantityInput>,
    pub description: MaybeUndefined<String>,
    /// Other names; the whole list replaces the stored one.
    pub aliases: MaybeUndefined<Vec<String>>,
    /// The actor that owns the asset.
    pub owner: MaybeUndefined<ID>,
}

impl IntoChanges for UpdateAssetInput {
    type Changes = AssetChanges;

    fn into_changes(self, path: &str) -> ApiResult<AssetChanges> {
        Ok(AssetChanges {
            names: updated_names(
                (self.kind, self.name, self.aliases),
                (self.key, self.marking),
                path,
            )?,
            model: optional(self.model),
            quantity: optional_into(self.quantity),
            description: optional(self.description),
            owner: optional_reference::<Actor>(self.owner, &at(path, "owner"))?,
        })
    }
}

/// The result of writing a Asset; after a delete, the record as it was.
#[derive(SimpleObject)]
pub struct AssetPayload {
    pub asset: Asset,
}

#[derive(Default)]
pub struct AssetMutation;

#[Object]
impl AssetMutation {
    /// Creates a record. For actors, bases and assets, a record of the same
    /// kind and place that already goes by the name or an alias is a CONFLICT
    /// naming it (for sources, any source that goes by it), unless `merge` is
    /// true: then the input merges into that record (its name stays, the new
    /// names join its aliases, the fields given overwrite).
    async fn create_asset(
        &self,
        ctx: &Context<'_>,
        input: CreateAssetInput,
        #[graphql(default)] merge: bool,
    ) -> async_graphql::Result<AssetPayload> {
        let asset = create_or_merge_record::<Asset, _>(ctx, input, merge).await?;
        Ok(AssetPayload { asset })
    }

    /// Changes the fields given; an omitted field stays, null clears a
    /// nullable one. `expectedVersion` must be the record's current version.
    async fn update_asset(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateAssetInput,
    ) -> async_graphql::Result<AssetPayload> {
        let asset = update_record::<Asset, _>(ctx, &id, expected_version, input).await?;
        Ok(AssetPayload { asset })
    }

    /// Deletes the record (role admin). `expectedVersion` must be its
    /// current version; see the README for what a delete takes with it.
    async fn delete_asset(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<AssetPayload> {
        let asset = delete_record::<Asset>(ctx, &id, expected_version).await?;
        Ok(AssetPayload { asset })
    }
}
