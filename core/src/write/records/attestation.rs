//! Writing attestations: a report's support for an event, tenure or deployment.
use crate::entity::attestation;
use crate::error::{ConflictDetail, GarrisonError};
use crate::ids::global_id;
use crate::record::{Attestation, Deployment, Event, Report, Tenure};
use crate::vocabulary::{Marking, Stance};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{ChildWrites, FieldChange, Reference, Session, Writable, sync_children};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// The claim an attestation supports.
#[derive(Clone, Debug)]
pub enum Claim {
    Event(Reference),
    Tenure(Reference),
    Deployment(Reference),
}

/// What a write of an attestation may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct AttestationChanges {
    /// The words of the report that support (or dispute) the claim.
    pub excerpt: Option<String>,
    /// Admiralty credibility of the claim, 1 to 6.
    pub credibility: Option<i32>,
    pub key: Option<Option<String>>,
    /// Who may read it; a new record without one gets the server's default.
    pub marking: Option<Marking>,
    /// Null means ASSERTS.
    pub stance: Option<Option<Stance>>,
    pub report: Option<Reference>,
    /// Given on create only.
    pub claim: Option<Claim>,
}

/// The attestations a write of a claim gives; `None` leaves the stored ones alone.
pub struct Attestations {
    /// The attestation table's column that points at the claim.
    claim_column: attestation::Column,
    wanted: Option<Vec<AttestationChanges>>,
}

impl Attestations {
    pub fn new(claim_column: attestation::Column, wanted: Option<Vec<AttestationChanges>>) -> Self {
        Self {
            claim_column,
            wanted,
        }
    }
}

/// Brings the attestations of the claim in line with those given.
#[async_trait::async_trait]
impl ChildWrites for Attestations {
    async fn write(
        self,
        s: &mut Session,
        claim: i64,
        path: &str,
    ) -> Result<Vec<FieldChange>, GarrisonError> {
        let path = at(path, "attestations");
        let columns = (self.claim_column, None);
        sync_children::<Attestation>(s, columns, claim, self.wanted, &path).await?;
        Ok(Vec::new())
    }
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
        assign_key_and_marking(
            s,
            (&mut row.key, &mut row.marking),
            (c.key, c.marking),
            path,
        )?;
        assign_checked(&mut row.excerpt, c.excerpt, |v| {
            validate::required_text(&at(path, "excerpt"), v, validate::MAX_TEXT)
        })?;
        assign_checked(&mut row.credibility, c.credibility, |v| {
            validate::credibility(&at(path, "credibility"), v)
        })?;
        // A new attestation that names no stance asserts its claim.
        match c.stance {
            Some(stance) => row.stance = Set(stance.unwrap_or(Stance::Asserts)),
            None if row.id.is_not_set() => row.stance = Set(Stance::Asserts),
            None => {}
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
        // Only those the writer sees count: the answer must not depend on hidden ones.
        let count = attestation::Entity::find()
            .filter(attestation::Column::EventId.eq(event))
            .filter(crate::write::operations::seen_by::<Attestation>(s))
            .count(s.txn())
            .await?;
        if count <= 1 {
            return Err(GarrisonError::conflict(
                format!(
                    "this is the only attestation of Event {}; every event needs one \
                     (add another first, or delete the event)",
                    global_id::<Event>(event)
                ),
                ConflictDetail::None,
            ));
        }
        Ok(())
    }
}
