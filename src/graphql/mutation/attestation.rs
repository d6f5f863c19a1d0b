//! Writing attestations: a report's support for an event, tenure or deployment.
use super::inputs::inputs;
use crate::error::{ApiError, ApiResult};
use crate::graphql::node::{Record, decode_id};
use crate::graphql::vocabulary::Stance;
use crate::graphql::{Attestation, Deployment, Event, Report, Tenure};
use crate::write::Reference;
use crate::write::validate::at;
use async_graphql::ID;
use garrison_core::write::records::{AttestationChanges, Claim};

/// The claim a global id names: an Event, Tenure or Deployment id.
fn claim_of(id: ID, field: &str) -> ApiResult<Claim> {
    let (type_name, row) = decode_id(&id, field)?;
    let reference = Reference::Id(row);
    match type_name.as_str() {
        Event::TYPE => Ok(Claim::Event(reference)),
        Tenure::TYPE => Ok(Claim::Tenure(reference)),
        Deployment::TYPE => Ok(Claim::Deployment(reference)),
        other => Err(ApiError::invalid(
            field,
            format!(
                "\"{}\" is a {other} id; a claim is an Event, Tenure or Deployment",
                id.0
            ),
        )),
    }
}

inputs! {
    /// A new attestation of an existing claim.
    create CreateAttestationInput;
    /// Changes to an attestation (its claim stays).
    update UpdateAttestationInput;
    changes AttestationChanges;
    required {
        /// The words of the report that support (or dispute) the claim.
        excerpt: String,
        /// Admiralty credibility of the claim, 1 (confirmed) to 6 (cannot be judged).
        credibility: i32,
    }
    optional {
        key: String,
        /// Null means ASSERTS.
        stance: Stance,
    }
    lists {}
    references {}
    required_references {
        report: Report,
    }
    fixed {
        /// The Event, Tenure or Deployment this attests.
        claim: ID = claim_of,
    }
}

/// An attestation given with the claim it belongs to (creating an event, tenure or
/// deployment).
#[derive(async_graphql::InputObject)]
pub struct AttestationInput {
    pub report: ID,
    pub excerpt: String,
    pub credibility: i32,
    /// Null means ASSERTS.
    pub stance: Option<Stance>,
}

impl AttestationInput {
    pub fn into_changes(self, path: &str) -> ApiResult<AttestationChanges> {
        Ok(AttestationChanges {
            report: Some(super::inputs::reference::<Report>(
                self.report,
                &at(path, "report"),
            )?),
            excerpt: Some(self.excerpt),
            credibility: Some(self.credibility),
            stance: Some(self.stance.map(Into::into)),
            ..Default::default()
        })
    }
}

/// Converts the attestations given with a claim.
pub fn attestations(
    items: Option<Vec<AttestationInput>>,
    path: &str,
) -> ApiResult<Vec<AttestationChanges>> {
    super::inputs::each(items, path, AttestationInput::into_changes)
}

super::crud!(
    AttestationMutation,
    Attestation,
    AttestationPayload { attestation },
    create_attestation(CreateAttestationInput),
    update_attestation(UpdateAttestationInput),
    delete_attestation
);
