//! Writing attestations: a report's support for an event, tenure or deployment.
use super::inputs::{optional, optional_into, reference, required, required_reference};
use super::{IntoChanges, create_record, delete_record, update_record};
use crate::error::ApiError;
use crate::error::ApiResult;
use crate::graphql::node::{Record, decode_id};
use crate::graphql::vocabulary::{Marking, Stance};
use crate::graphql::{Attestation, Deployment, Event, Report, Tenure};
use crate::write::Reference;
use crate::write::validate::at;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
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

/// A new attestation of an existing claim.
#[derive(InputObject)]
pub struct CreateAttestationInput {
    /// The words of the report that support (or dispute) the claim.
    pub excerpt: String,
    /// Admiralty credibility of the claim, 1 (confirmed) to 6 (cannot be judged).
    pub credibility: i32,
    pub key: Option<String>,
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
    /// Null means ASSERTS.
    pub stance: Option<Stance>,
    pub report: ID,
    /// The Event, Tenure or Deployment this attests.
    pub claim: ID,
}

impl IntoChanges for CreateAttestationInput {
    type Changes = AttestationChanges;

    fn into_changes(self, path: &str) -> ApiResult<AttestationChanges> {
        Ok(AttestationChanges {
            excerpt: Some(self.excerpt),
            credibility: Some(self.credibility),
            key: Some(self.key),
            marking: self.marking.map(Into::into),
            stance: Some(self.stance.map(Into::into)),
            report: Some(reference::<Report>(self.report, &at(path, "report"))?),
            claim: Some((claim_of)(self.claim, &at(path, "claim"))?),
        })
    }
}

/// Changes to an attestation (its claim stays).
#[derive(InputObject)]
pub struct UpdateAttestationInput {
    /// The words of the report that support (or dispute) the claim.
    pub excerpt: MaybeUndefined<String>,
    /// Admiralty credibility of the claim, 1 (confirmed) to 6 (cannot be judged).
    pub credibility: MaybeUndefined<i32>,
    pub key: MaybeUndefined<String>,
    /// Who may read it: at most your clearance.
    pub marking: MaybeUndefined<Marking>,
    /// Null means ASSERTS.
    pub stance: MaybeUndefined<Stance>,
    pub report: MaybeUndefined<ID>,
}

impl IntoChanges for UpdateAttestationInput {
    type Changes = AttestationChanges;

    fn into_changes(self, path: &str) -> ApiResult<AttestationChanges> {
        Ok(AttestationChanges {
            excerpt: required(self.excerpt, &at(path, "excerpt"))?,
            credibility: required(self.credibility, &at(path, "credibility"))?,
            key: optional(self.key),
            marking: required(self.marking, &at(path, "marking"))?.map(Into::into),
            stance: optional_into(self.stance),
            report: required_reference::<Report>(self.report, &at(path, "report"))?,
            ..Default::default()
        })
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
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
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
            marking: self.marking.map(Into::into),
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

/// The result of writing a Attestation; after a delete, the record as it was.
#[derive(SimpleObject)]
pub struct AttestationPayload {
    pub attestation: Attestation,
}

#[derive(Default)]
pub struct AttestationMutation;

#[Object]
impl AttestationMutation {
    /// Creates a record from the fields given.
    async fn create_attestation(
        &self,
        ctx: &Context<'_>,
        input: CreateAttestationInput,
    ) -> async_graphql::Result<AttestationPayload> {
        let attestation = create_record::<Attestation, _>(ctx, input).await?;
        Ok(AttestationPayload { attestation })
    }

    /// Changes the fields given; an omitted field stays, null clears a
    /// nullable one. `expectedVersion` must be the record's current version.
    async fn update_attestation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateAttestationInput,
    ) -> async_graphql::Result<AttestationPayload> {
        let attestation =
            update_record::<Attestation, _>(ctx, &id, expected_version, input).await?;
        Ok(AttestationPayload { attestation })
    }

    /// Deletes the record (role admin). `expectedVersion` must be its
    /// current version; see the README for what a delete takes with it.
    async fn delete_attestation(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<AttestationPayload> {
        let attestation = delete_record::<Attestation>(ctx, &id, expected_version).await?;
        Ok(AttestationPayload { attestation })
    }
}
