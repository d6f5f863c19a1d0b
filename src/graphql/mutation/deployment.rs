//! Writing deployments: an asset at a base over a period.
use super::attestation::{AttestationInput, attestations};
use super::inputs::{optional, optional_into, reference, required, required_reference};
use super::{IntoChanges, create_record, delete_record, update_record};
use crate::error::ApiResult;
use crate::graphql::scalars::Edtf;
use crate::graphql::vocabulary::Marking;
use crate::graphql::{Asset, Base, Deployment};
use crate::write::validate::at;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use garrison_core::write::records::DeploymentChanges;

/// A new deployment.
#[derive(InputObject)]
pub struct CreateDeploymentInput {
    pub key: Option<String>,
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
    /// Since when (EDTF single date); null when unknown.
    pub valid_from: Option<Edtf>,
    /// Until when (EDTF single date); null while it is still there.
    pub valid_to: Option<Edtf>,
    pub asset: ID,
    pub base: ID,
    /// Reports that attest the deployment.
    pub attestations: Option<Vec<AttestationInput>>,
}

impl IntoChanges for CreateDeploymentInput {
    type Changes = DeploymentChanges;

    fn into_changes(self, path: &str) -> ApiResult<DeploymentChanges> {
        Ok(DeploymentChanges {
            key: Some(self.key),
            marking: self.marking.map(Into::into),
            valid_from: Some(self.valid_from.map(Into::into)),
            valid_to: Some(self.valid_to.map(Into::into)),
            asset: Some(reference::<Asset>(self.asset, &at(path, "asset"))?),
            base: Some(reference::<Base>(self.base, &at(path, "base"))?),
            attestations: Some((attestations)(
                self.attestations,
                &at(path, "attestations"),
            )?),
        })
    }
}

/// Changes to a deployment.
#[derive(InputObject)]
pub struct UpdateDeploymentInput {
    pub key: MaybeUndefined<String>,
    /// Who may read it: at most your clearance.
    pub marking: MaybeUndefined<Marking>,
    /// Since when (EDTF single date); null when unknown.
    pub valid_from: MaybeUndefined<Edtf>,
    /// Until when (EDTF single date); null while it is still there.
    pub valid_to: MaybeUndefined<Edtf>,
    pub asset: MaybeUndefined<ID>,
    pub base: MaybeUndefined<ID>,
}

impl IntoChanges for UpdateDeploymentInput {
    type Changes = DeploymentChanges;

    fn into_changes(self, path: &str) -> ApiResult<DeploymentChanges> {
        Ok(DeploymentChanges {
            key: optional(self.key),
            marking: required(self.marking, &at(path, "marking"))?.map(Into::into),
            valid_from: optional_into(self.valid_from),
            valid_to: optional_into(self.valid_to),
            asset: required_reference::<Asset>(self.asset, &at(path, "asset"))?,
            base: required_reference::<Base>(self.base, &at(path, "base"))?,
            ..Default::default()
        })
    }
}

/// The result of writing a Deployment; after a delete, the record as it was.
#[derive(SimpleObject)]
pub struct DeploymentPayload {
    pub deployment: Deployment,
}

#[derive(Default)]
pub struct DeploymentMutation;

#[Object]
impl DeploymentMutation {
    /// Creates a record from the fields given.
    async fn create_deployment(
        &self,
        ctx: &Context<'_>,
        input: CreateDeploymentInput,
    ) -> async_graphql::Result<DeploymentPayload> {
        let deployment = create_record::<Deployment, _>(ctx, input).await?;
        Ok(DeploymentPayload { deployment })
    }

    /// Changes the fields given; an omitted field stays, null clears a
    /// nullable one. `expectedVersion` must be the record's current version.
    async fn update_deployment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateDeploymentInput,
    ) -> async_graphql::Result<DeploymentPayload> {
        let deployment = update_record::<Deployment, _>(ctx, &id, expected_version, input).await?;
        Ok(DeploymentPayload { deployment })
    }

    /// Deletes the record (role admin). `expectedVersion` must be its
    /// current version; see the README for what a delete takes with it.
    async fn delete_deployment(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<DeploymentPayload> {
        let deployment = delete_record::<Deployment>(ctx, &id, expected_version).await?;
        Ok(DeploymentPayload { deployment })
    }
}
