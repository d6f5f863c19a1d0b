//! `importBundle`: a whole bundle in one transaction.
use super::{require, session};
use crate::auth::Role;
use crate::bundle::{self, Bundle};
use crate::error::ApiError;
use crate::write::Operation;
use async_graphql::{Context, Json, Object, SimpleObject};

/// What an import did.
#[derive(SimpleObject)]
pub struct ImportBundlePayload {
    /// Records created (attestations and participants included).
    created: usize,
    updated: usize,
    /// Attestations and participants no longer in the bundle's items (`sync` only).
    deleted: usize,
    /// Items already equal to the stored record.
    unchanged: usize,
}

#[derive(Default)]
pub struct BundleMutation;

#[Object]
impl BundleMutation {
    /// Imports a bundle in the `data/` format (see the README) in one transaction:
    /// all of it or nothing, with the failing item's path in the error. Items upsert
    /// by their keys, so importing the same bundle again changes nothing. Fields an
    /// item leaves out stay as they are and lists only add, unless the bundle says
    /// `complete` (fields cleared) or `sync` (lists made exact, deleting the rest:
    /// needs the admin role).
    async fn import_bundle(
        &self,
        ctx: &Context<'_>,
        bundle: Json<serde_json::Value>,
    ) -> async_graphql::Result<ImportBundlePayload> {
        require(ctx, Role::Editor)?;
        let bundle = Bundle::from_value(bundle.0).map_err(ApiError::from)?;
        let needed = if bundle.sync {
            Role::Admin
        } else {
            Role::Editor
        };
        let mut s = session(ctx, needed).await?;
        let unchanged = bundle::import_into(&mut s, &bundle)
            .await
            .map_err(ApiError::from)?;
        let entries = super::commit(ctx, s).await?;
        let summary = bundle::ImportSummary { entries, unchanged };
        Ok(ImportBundlePayload {
            created: summary.total(Operation::Create),
            updated: summary.total(Operation::Update),
            deleted: summary.total(Operation::Delete),
            unchanged,
        })
    }
}
