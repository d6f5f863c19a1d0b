//! Writing deployments: an asset at a base over a period.
use super::attestation::{AttestationChanges, AttestationInput, attestations, sync_attestations};
use super::inputs::inputs;
use crate::entity::deployment;
use crate::error::GarrisonError;
use crate::graphql::scalars::Edtf;
use crate::graphql::{Asset, Base, Deployment};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{Dependent, FieldChange, Session, Writable};

inputs! {
    /// A new deployment.
    create CreateDeploymentInput;
    /// Changes to a deployment.
    update UpdateDeploymentInput;
    changes DeploymentChanges;
    required {}
    optional {
        key: String,
        /// Since when (EDTF single date); null when unknown.
        valid_from: Edtf,
        /// Until when (EDTF single date); null while it is still there.
        valid_to: Edtf,
    }
    lists {}
    references {}
    required_references {
        asset: Asset,
        base: Base,
    }
    fixed {
        /// Reports that attest the deployment.
        attestations: Option<Vec<AttestationInput>> => Vec<AttestationChanges> = attestations,
    }
}

#[async_trait::async_trait]
impl Writable for Deployment {
    type Changes = DeploymentChanges;
    type Children = Option<Vec<AttestationChanges>>;
    const CASCADES_TO: &'static [Dependent] = &[Dependent::new(
        "attestation",
        "deployment_id",
        "Attestation",
    )];

    async fn apply(
        s: &mut Session,
        c: DeploymentChanges,
        row: &mut deployment::ActiveModel,
        path: &str,
    ) -> Result<Self::Children, GarrisonError> {
        assign_checked(&mut row.key, c.key, |k| validate::key(&at(path, "key"), k))?;
        assign_validity(
            &mut row.valid,
            &mut row.valid_lo,
            &mut row.valid_hi,
            c.valid_from.map(|d| d.map(Edtf::into_inner)),
            c.valid_to.map(|d| d.map(Edtf::into_inner)),
            path,
        )?;
        assign_reference::<Asset>(s, &mut row.asset_id, c.asset, &at(path, "asset")).await?;
        assign_reference::<Base>(s, &mut row.base_id, c.base, &at(path, "base")).await?;
        Ok(c.attestations)
    }

    async fn write_children(
        s: &mut Session,
        attestations: Self::Children,
        id: i64,
        path: &str,
    ) -> Result<Vec<FieldChange>, GarrisonError> {
        sync_attestations(s, "deployment_id", id, attestations, path).await
    }
}

super::crud!(
    DeploymentMutation,
    Deployment,
    DeploymentPayload { deployment },
    create_deployment(CreateDeploymentInput),
    update_deployment(UpdateDeploymentInput),
    delete_deployment
);
