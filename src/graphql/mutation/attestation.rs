//! Writing attestations: a report's support for an event, tenure or deployment.
use super::inputs::inputs;
use crate::entity::attestation;
use crate::error::{ApiError, ApiResult, ConflictDetail, GarrisonError};
use crate::graphql::node::{Record, decode_id, global_id};
use crate::graphql::{Attestation, Deployment, Event, Report, Tenure};
use crate::vocabulary::Stance;
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{Reference, Session, Writable};
use async_graphql::ID;
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// The claim an attestation supports.
#[derive(Clone, Debug)]
pub enum Claim {
    Event(Reference),
    Tenure(Reference),
    Deployment(Reference),
}

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
        claim: ID => Claim = claim_of,
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
            stance: Some(self.stance),
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

/// Brings the attestations of a claim (`column` = `tenure_id`, `deployment_id`) in
/// line with those given.
pub async fn sync_attestations(
    s: &mut Session,
    column: &str,
    claim: i64,
    attestations: Option<Vec<AttestationChanges>>,
    path: &str,
) -> Result<Vec<crate::write::FieldChange>, GarrisonError> {
    let path = at(path, "attestations");
    crate::write::sync_children::<Attestation>(s, (column, None), claim, attestations, &path)
        .await?;
    Ok(Vec::new())
}

#[async_trait::async_trait]
impl Writable for Attestation {
    type Changes = AttestationChanges;
    type Children = ();

    async fn apply(
        s: &mut Session,
        c: AttestationChanges,
        row: &mut attestation::ActiveModel,
        path: &str,
    ) -> Result<(), GarrisonError> {
        assign_checked(&mut row.key, c.key, |k| validate::key(&at(path, "key"), k))?;
        assign_checked(&mut row.excerpt, c.excerpt, |v| {
            validate::required_text(&at(path, "excerpt"), v, validate::MAX_TEXT)
        })?;
        assign_checked(&mut row.credibility, c.credibility, |v| {
            validate::credibility(&at(path, "credibility"), v)
        })?;
        if let Some(stance) = c.stance {
            row.stance = Set(stance.unwrap_or(Stance::Asserts));
        }
        assign_reference::<Report>(s, &mut row.report_id, c.report, &at(path, "report")).await?;
        let claim_path = at(path, "claim");
        match c.claim {
            Some(Claim::Event(r)) => {
                assign_optional_reference::<Event>(s, &mut row.event_id, Some(Some(r)), &claim_path)
                    .await?
            }
            Some(Claim::Tenure(r)) => {
                assign_optional_reference::<Tenure>(
                    s,
                    &mut row.tenure_id,
                    Some(Some(r)),
                    &claim_path,
                )
                .await?
            }
            Some(Claim::Deployment(r)) => {
                let column = &mut row.deployment_id;
                assign_optional_reference::<Deployment>(s, column, Some(Some(r)), &claim_path)
                    .await?
            }
            None => {}
        }
        Ok(())
    }

    /// Every event keeps at least one attestation.
    async fn before_delete(s: &mut Session, m: &attestation::Model) -> Result<(), GarrisonError> {
        let Some(event) = m.event_id else {
            return Ok(());
        };
        let count = attestation::Entity::find()
            .filter(attestation::Column::EventId.eq(event))
            .count(s.txn())
            .await?;
        if count <= 1 {
            return Err(GarrisonError::conflict(
                format!(
                    "this is the only attestation of Event {}; every event needs one \
                     (add another first, or delete the event)",
                    global_id::<Event>(event).0
                ),
                ConflictDetail::None,
            ));
        }
        Ok(())
    }
}

super::crud!(
    AttestationMutation,
    Attestation,
    AttestationPayload { attestation },
    create_attestation(CreateAttestationInput),
    update_attestation(UpdateAttestationInput),
    delete_attestation
);
