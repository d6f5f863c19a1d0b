//! Writing deployments: an asset at a base over a period.
use super::attestation::{AttestationChanges, Attestations};
use crate::entity::{attestation, deployment};
use crate::error::GarrisonError;
use crate::record::{Asset, Attestation, Base, Deployment};
use crate::vocabulary::Marking;
use crate::write::fields::*;
use crate::write::validate::at;
use crate::write::{Dependent, Reference, Session, Writable};

/// What a write of a deployment may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct DeploymentChanges {
    pub key: Option<Option<String>>,
    /// Who may read it; a new record without one gets the server's default.
    pub marking: Option<Marking>,
    /// Since when (EDTF single date); null when unknown.
    pub valid_from: Option<Option<String>>,
    /// Until when (EDTF single date); null while it is still there.
    pub valid_to: Option<Option<String>>,
    pub asset: Option<Reference>,
    pub base: Option<Reference>,
    /// Reports that attest the deployment.
    pub attestations: Option<Vec<AttestationChanges>>,
}

#[async_trait::async_trait]
impl Writable for Deployment {
    type Changes = DeploymentChanges;
    type Children = Attestations;
    fn cascades_to() -> Vec<Dependent> {
        vec![Dependent::on::<Attestation>(
            attestation::Column::DeploymentId,
        )]
    }

    async fn apply(
        s: &mut Session,
        c: DeploymentChanges,
        row: &mut deployment::ActiveModel,
        path: &str,
    ) -> Result<Self::Children, GarrisonError> {
        assign_key_and_marking(
            s,
            (&mut row.key, &mut row.marking),
            (c.key, c.marking),
            path,
        )?;
        assign_validity(
            &mut row.valid,
            &mut row.valid_lo,
            &mut row.valid_hi,
            c.valid_from,
            c.valid_to,
            path,
        )?;
        assign_reference::<Asset>(s, &mut row.asset_id, c.asset, &at(path, "asset")).await?;
        assign_reference::<Base>(s, &mut row.base_id, c.base, &at(path, "base")).await?;
        Ok(Attestations::new(
            attestation::Column::DeploymentId,
            c.attestations,
        ))
    }
}
