//! Writing tenures: an actor holding a base in a role over a period.
use super::attestation::{AttestationChanges, Attestations};
use crate::entity::{attestation, tenure};
use crate::error::GarrisonError;
use crate::record::{Actor, Attestation, Base, Tenure};
use crate::vocabulary::{Marking, TenureRole};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{Dependent, Reference, Session, Writable};

/// What a write of a tenure may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct TenureChanges {
    pub role: Option<TenureRole>,
    pub key: Option<Option<String>>,
    /// Who may read it; a new record without one gets the server's default.
    pub marking: Option<Marking>,
    /// What the tenure rests on (the 1971 agreement).
    pub basis: Option<Option<String>>,
    /// Since when (EDTF single date); null when unknown.
    pub valid_from: Option<Option<String>>,
    /// Until when (EDTF single date); null while it still holds.
    pub valid_to: Option<Option<String>>,
    pub actor: Option<Reference>,
    pub base: Option<Reference>,
    /// Reports that attest the tenure.
    pub attestations: Option<Vec<AttestationChanges>>,
}

#[async_trait::async_trait]
impl Writable for Tenure {
    type Changes = TenureChanges;
    type Children = Attestations;
    fn cascades_to() -> Vec<Dependent> {
        vec![Dependent::on::<Attestation>(attestation::Column::TenureId)]
    }

    async fn apply(
        s: &mut Session,
        c: TenureChanges,
        row: &mut tenure::ActiveModel,
        path: &str,
    ) -> Result<Self::Children, GarrisonError> {
        assign_key_and_marking(
            s,
            (&mut row.key, &mut row.marking),
            (c.key, c.marking),
            path,
        )?;
        assign(&mut row.role, c.role);
        assign_text(&mut row.basis, c.basis, path, "basis", validate::MAX_LABEL)?;
        assign_validity(
            &mut row.valid,
            &mut row.valid_lo,
            &mut row.valid_hi,
            c.valid_from,
            c.valid_to,
            path,
        )?;
        assign_reference::<Actor>(s, &mut row.actor_id, c.actor, &at(path, "actor")).await?;
        assign_reference::<Base>(s, &mut row.base_id, c.base, &at(path, "base")).await?;
        Ok(Attestations::new(
            attestation::Column::TenureId,
            c.attestations,
        ))
    }
}
