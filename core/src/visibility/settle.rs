//! The rule's answer kept in each row whose rule reads other rows (reports, claims,
//! attestations, participants), so that a read checks one column of the row it reads
//! instead of walking attestations, reports and sources for every row.
//!
//! `visible_from` holds the rank of the lowest clearance the rule admits the row at
//! ([`NOBODY`] when none does), or NULL while it is not worked out; a NULL row is seen
//! by no reader below [`Clearance::ALL`]. A write marks unsettled what it may change
//! ([`unsettle`]: the row it writes and the rows whose rule reads that record
//! directly); before the transaction commits, [`settle`] spreads that along the rule
//! (an attestation whose report or claim is unsettled, a claim one of whose
//! attestations is, a participant whose event is) and works every unsettled row out
//! again from the rule. Startup settles too: after the migration that added the column,
//! that works out every row.
//!
//! Writers settle one at a time (on SQLite transactions are serial; on PostgreSQL the
//! journal's lock is held first, see `Session::commit`), and each settles after those
//! before it committed, so a row is never worked out from another writer's stale view.
use super::{Clearance, NOBODY, Visible};
use crate::entity::{Stored, VisibleFrom, attestation, event_participant};
use crate::error::GarrisonError;
use crate::record::{
    Attestation, Deployment, Event, EventActor, EventAsset, EventBase, Record, Report, Tenure,
};
use crate::vocabulary::Marking;
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Query, SelectStatement, UpdateStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, Iterable, TransactionTrait,
};

/// `UPDATE R SET visible_from = NULL WHERE visible_from IS NOT NULL AND <condition>`:
/// the rows of `R`'s table that `condition` names, unsettled.
pub(super) fn unsettled_where<R: Visible>(condition: Condition) -> UpdateStatement {
    Query::update()
        .table(R::Entity::default())
        .value(VisibleFrom, Expr::null())
        .and_where(Expr::col((R::Entity::default(), VisibleFrom)).is_not_null())
        .cond_where(condition)
        .to_owned()
}

/// `SELECT id FROM R WHERE visible_from IS NULL`.
fn unsettled<R: Record>() -> SelectStatement {
    Query::select()
        .column(R::Entity::ID)
        .from(R::Entity::default())
        .and_where(Expr::col((R::Entity::default(), VisibleFrom)).is_null())
        .to_owned()
}

/// `SELECT <claim column> FROM attestation WHERE visible_from IS NULL` (a NULL among
/// them matches nothing; excluding them would lead SQLite to walk the claim column's
/// index instead of the few unsettled rows).
fn claims_of_unsettled(claim: attestation::Column) -> SelectStatement {
    Query::select()
        .column(claim)
        .from(attestation::Entity)
        .and_where(Expr::col((attestation::Entity, VisibleFrom)).is_null())
        .to_owned()
}

/// Marks unsettled what a write of record `id` of `R` may change: the record's own row
/// and the rows whose rule reads it directly. Called after an insert or update, and
/// before a delete (while the rows it points at can still be found).
pub async fn unsettle<R: Visible>(db: &impl ConnectionTrait, id: i64) -> Result<(), GarrisonError> {
    if R::SETTLED {
        db.execute(&unsettled_where::<R>(
            Condition::all().add(R::Entity::ID.eq(id)),
        ))
        .await?;
    }
    for statement in R::resting_on(id) {
        db.execute(&statement).await?;
    }
    Ok(())
}

/// Marks every row of `R`'s kind unsettled (after a bulk change of markings).
pub async fn unsettle_every<R: Visible>(db: &impl ConnectionTrait) -> Result<(), GarrisonError> {
    if R::SETTLED {
        db.execute(&unsettled_where::<R>(R::of_kind())).await?;
    }
    Ok(())
}

/// Works out every unsettled row in a transaction of its own, one writer at a time
/// with the others (at startup, after `generate`); returns how many rows it worked
/// out.
pub async fn settle_all(db: &DatabaseConnection) -> Result<u64, GarrisonError> {
    let txn = db.begin().await?;
    crate::write::serialise(&txn).await?;
    let settled = settle(&txn).await?;
    txn.commit().await?;
    Ok(settled)
}

/// Spreads what is unsettled along the rule, then works every unsettled row out;
/// returns how many rows it worked out.
pub async fn settle(db: &impl ConnectionTrait) -> Result<u64, GarrisonError> {
    use attestation::Column as A;
    // An attestation's rule reads its report and its claim's own marking and records.
    let spread = [
        unsettled_where::<Attestation>(on(A::ReportId, unsettled::<Report>())),
        unsettled_where::<Attestation>(on(A::EventId, unsettled::<Event>())),
        unsettled_where::<Attestation>(on(A::TenureId, unsettled::<Tenure>())),
        unsettled_where::<Attestation>(on(A::DeploymentId, unsettled::<Deployment>())),
        // A claim's reads its attestations.
        unsettled_where::<Event>(on(
            crate::entity::event::Column::Id,
            claims_of_unsettled(A::EventId),
        )),
        unsettled_where::<Tenure>(on(
            crate::entity::tenure::Column::Id,
            claims_of_unsettled(A::TenureId),
        )),
        unsettled_where::<Deployment>(on(
            crate::entity::deployment::Column::Id,
            claims_of_unsettled(A::DeploymentId),
        )),
        // A participant's reads its event (and what takes part, which `unsettle` marks).
        unsettled_where::<EventActor>(on(event_participant::Column::EventId, unsettled::<Event>())),
    ];
    for statement in spread {
        db.execute(&statement).await?;
    }
    let mut settled = 0;
    for statement in [
        work_out::<Report>(),
        work_out::<Attestation>(),
        work_out::<Event>(),
        work_out::<Tenure>(),
        work_out::<Deployment>(),
        work_out::<EventActor>(),
        work_out::<EventAsset>(),
        work_out::<EventBase>(),
    ] {
        settled += db.execute(&statement).await?.rows_affected();
    }
    Ok(settled)
}

/// The rows whose `column` is among those `select` lists.
fn on(column: impl ColumnTrait, select: SelectStatement) -> Condition {
    Condition::all().add(column.in_subquery(select))
}

/// `UPDATE R SET visible_from = CASE WHEN <rule at CLEAR> THEN 0 … ELSE NOBODY END`
/// for the unsettled rows of `R`'s kind (found by id from the unsettled rows, so that
/// a kind's own condition never leads to walking all the rows of that kind).
fn work_out<R: Visible>() -> UpdateStatement {
    let lowest = Marking::iter()
        .fold(CaseStatement::new(), |case, marking| {
            case.case(R::rule(Clearance(marking)), marking.rank())
        })
        .finally(NOBODY);
    Query::update()
        .table(R::Entity::default())
        .value(VisibleFrom, lowest)
        .cond_where(on(R::Entity::ID, unsettled::<R>()))
        .cond_where(R::of_kind())
        .to_owned()
}
