//! Writing deployments: an asset at a base over a period.
use super::attestation::{AttestationInput, attestations};
use super::inputs::inputs;
use crate::graphql::scalars::Edtf;
use crate::graphql::{Asset, Base, Deployment};
use garrison_core::write::records::DeploymentChanges;

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
        attestations: Option<Vec<AttestationInput>> = attestations,
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
