//! Writing tenures: an actor holding a base in a role over a period.
use super::attestation::{AttestationInput, attestations};
use super::inputs::inputs;
use crate::graphql::scalars::Edtf;
use crate::graphql::vocabulary::TenureRole;
use crate::graphql::{Actor, Base, Tenure};
use garrison_core::write::records::TenureChanges;

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
        attestations: Option<Vec<AttestationInput>> = attestations,
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
