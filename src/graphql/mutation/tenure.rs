//! Writing tenures: an actor holding a base in a role over a period.
use super::attestation::{AttestationInput, attestations};
use super::inputs::{optional, optional_into, reference, required, required_reference};
use super::{IntoChanges, create_record, delete_record, update_record};
use crate::error::ApiResult;
use crate::graphql::scalars::Edtf;
use crate::graphql::vocabulary::{Marking, TenureRole};
use crate::graphql::{Actor, Base, Tenure};
use crate::write::validate::at;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use garrison_core::write::records::TenureChanges;

/// A new tenure.
#[derive(InputObject)]
pub struct CreateTenureInput {
    pub role: TenureRole,
    pub key: Option<String>,
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
    /// What the tenure rests on (the 1971 agreement).
    pub basis: Option<String>,
    /// Since when (EDTF single date); null when unknown.
    pub valid_from: Option<Edtf>,
    /// Until when (EDTF single date); null while it still holds.
    pub valid_to: Option<Edtf>,
    pub actor: ID,
    pub base: ID,
    /// Reports that attest the tenure.
    pub attestations: Option<Vec<AttestationInput>>,
}

impl IntoChanges for CreateTenureInput {
    type Changes = TenureChanges;

    fn into_changes(self, path: &str) -> ApiResult<TenureChanges> {
        Ok(TenureChanges {
            role: Some(self.role.into()),
            key: Some(self.key),
            marking: self.marking.map(Into::into),
            basis: Some(self.basis),
            valid_from: Some(self.valid_from.map(Into::into)),
            valid_to: Some(self.valid_to.map(Into::into)),
            actor: Some(reference::<Actor>(self.actor, &at(path, "actor"))?),
            base: Some(reference::<Base>(self.base, &at(path, "base"))?),
            attestations: Some((attestations)(
                self.attestations,
                &at(path, "attestations"),
            )?),
        })
    }
}

/// Changes to a tenure.
#[derive(InputObject)]
pub struct UpdateTenureInput {
    pub role: MaybeUndefined<TenureRole>,
    pub key: MaybeUndefined<String>,
    /// Who may read it: at most your clearance.
    pub marking: MaybeUndefined<Marking>,
    /// What the tenure rests on (the 1971 agreement).
    pub basis: MaybeUndefined<String>,
    /// Since when (EDTF single date); null when unknown.
    pub valid_from: MaybeUndefined<Edtf>,
    /// Until when (EDTF single date); null while it still holds.
    pub valid_to: MaybeUndefined<Edtf>,
    pub actor: MaybeUndefined<ID>,
    pub base: MaybeUndefined<ID>,
}

impl IntoChanges for UpdateTenureInput {
    type Changes = TenureChanges;

    fn into_changes(self, path: &str) -> ApiResult<TenureChanges> {
        Ok(TenureChanges {
            role: required(self.role, &at(path, "role"))?.map(Into::into),
            key: optional(self.key),
            marking: required(self.marking, &at(path, "marking"))?.map(Into::into),
            basis: optional(self.basis),
            valid_from: optional_into(self.valid_from),
            valid_to: optional_into(self.valid_to),
            actor: required_reference::<Actor>(self.actor, &at(path, "actor"))?,
            base: required_reference::<Base>(self.base, &at(path, "base"))?,
            ..Default::default()
        })
    }
}

/// The result of writing a Tenure; after a delete, the record as it was.
#[derive(SimpleObject)]
pub struct TenurePayload {
    pub tenure: Tenure,
}

#[derive(Default)]
pub struct TenureMutation;

#[Object]
impl TenureMutation {
    /// Creates a record from the fields given.
    async fn create_tenure(
        &self,
        ctx: &Context<'_>,
        input: CreateTenureInput,
    ) -> async_graphql::Result<TenurePayload> {
        let tenure = create_record::<Tenure, _>(ctx, input).await?;
        Ok(TenurePayload { tenure })
    }

    /// Changes the fields given; an omitted field stays, null clears a
    /// nullable one. `expectedVersion` must be the record's current version.
    async fn update_tenure(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateTenureInput,
    ) -> async_graphql::Result<TenurePayload> {
        let tenure = update_record::<Tenure, _>(ctx, &id, expected_version, input).await?;
        Ok(TenurePayload { tenure })
    }

    /// Deletes the record (role admin). `expectedVersion` must be its
    /// current version; see the README for what a delete takes with it.
    async fn delete_tenure(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<TenurePayload> {
        let tenure = delete_record::<Tenure>(ctx, &id, expected_version).await?;
        Ok(TenurePayload { tenure })
    }
}
