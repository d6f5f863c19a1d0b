//! Writing tenures: an actor holding a base in a role over a period.
use super::attestation::{AttestationChanges, AttestationInput, attestations, sync_attestations};
use super::inputs::inputs;
use crate::entity::tenure;
use crate::error::GarrisonError;
use crate::graphql::scalars::Edtf;
use crate::graphql::{Actor, Base, Tenure};
use crate::vocabulary::TenureRole;
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{Dependent, FieldChange, Session, Writable};

inputs! {
    /// A new tenure.
    create CreateTenureInput;
    /// Changes to a tenure.
    update UpdateTenureInput;
    changes TenureChanges;
    required {
        role: TenureRole,
    }
    optional {
        key: String,
        /// What the tenure rests on (the 1971 agreement).
        basis: String,
        /// Since when (EDTF single date); null when unknown.
        valid_from: Edtf,
        /// Until when (EDTF single date); null while it still holds.
        valid_to: Edtf,
    }
    lists {}
    references {}
    required_references {
        actor: Actor,
        base: Base,
    }
    fixed {
        /// Reports that attest the tenure.
        attestations: Option<Vec<AttestationInput>> => Vec<AttestationChanges> = attestations,
    }
}

#[async_trait::async_trait]
impl Writable for Tenure {
    type Changes = TenureChanges;
    type Children = Option<Vec<AttestationChanges>>;
    const CASCADES_TO: &'static [Dependent] =
        &[Dependent::new("attestation", "tenure_id", "Attestation")];

    async fn apply(
        s: &mut Session,
        c: TenureChanges,
        row: &mut tenure::ActiveModel,
        path: &str,
    ) -> Result<Self::Children, GarrisonError> {
        assign_checked(&mut row.key, c.key, |k| validate::key(&at(path, "key"), k))?;
        assign(&mut row.role, c.role);
        assign_text(&mut row.basis, c.basis, path, "basis", validate::MAX_LABEL)?;
        assign_validity(
            &mut row.valid,
            &mut row.valid_lo,
            &mut row.valid_hi,
            c.valid_from.map(|d| d.map(Edtf::into_inner)),
            c.valid_to.map(|d| d.map(Edtf::into_inner)),
            path,
        )?;
        assign_reference::<Actor>(s, &mut row.actor_id, c.actor, &at(path, "actor")).await?;
        assign_reference::<Base>(s, &mut row.base_id, c.base, &at(path, "base")).await?;
        Ok(c.attestations)
    }

    async fn write_children(
        s: &mut Session,
        attestations: Self::Children,
        id: i64,
        path: &str,
    ) -> Result<Vec<FieldChange>, GarrisonError> {
        sync_attestations(s, "tenure_id", id, attestations, path).await
    }
}

super::crud!(
    TenureMutation,
    Tenure,
    TenurePayload { tenure },
    create_tenure(CreateTenureInput),
    update_tenure(UpdateTenureInput),
    delete_tenure
);
