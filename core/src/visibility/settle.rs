//! The rule's answer kept in each row whose rule reads other rows (reports, claims,
//! attestations, participants), so that a read checks one column of the row it reads
//! instead of walking attestations, reports and sources for every row.
//!
//! `visible_from` holds the rank of the lowest clearance the rule admits the row at
//! ([`NOBODY`] when none does), or NULL while it is not worked out; a NULL row is seen
//! by no reader below [`Clearance::ALL`]. A write marks unsettled what it may change
//! ([`unsettle`]: the row it writes; [`unsettle_resting`], as it commits: the rows
//! whose rule reads that record directly); before the transaction commits, [`settle`]
//! spreads that along the rule, within the tables the transaction's record types can
//! reach (its [`Scope`]): an attestation whose report or claim is unsettled, a claim one
//! of whose attestations is, a participant whose event is. Then it works every
//! unsettled row out again from the rule. Startup settles too: after the migration that added the column,
//! that works out every row.
//!
//! Writers settle one at a time (on SQLite transactions are serial; on PostgreSQL the
//! journal's lock is held first, see `Session::commit`), and each settles after those
//! before it committed, so a row is never worked out from another writer's stale view.
use super::{Claim, Clearance, NOBODY, Visible};
use crate::entity::{Stored, VisibleFrom, attestation, event_participant};
use crate::error::GarrisonError;
use crate::record::{
    Actor, Asset, Attestation, Base, Deployment, Event, EventActor, EventAsset, EventBase, Record,
    Report, Source, Tenure,
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

/// The attestations of `C`'s unsettled rows, unsettled (an attestation's rule reads
/// its claim's own marking and records).
fn attestations_of_unsettled<C: Claim + Visible>() -> UpdateStatement {
    unsettled_where::<Attestation>(on(C::ATTESTED_BY, unsettled::<C>()))
}

/// `C`'s rows that an unsettled attestation supports, unsettled (a claim's rule reads
/// its attestations). The claims are listed with NULLs (which match nothing):
/// excluding them would lead SQLite to walk the claim column's index instead of the
/// few unsettled rows.
fn claims_of_unsettled<C: Claim + Visible>() -> UpdateStatement {
    let claims = Query::select()
        .column(C::ATTESTED_BY)
        .from(attestation::Entity)
        .and_where(Expr::col((attestation::Entity, VisibleFrom)).is_null())
        .to_owned();
    unsettled_where::<C>(on(C::Entity::ID, claims))
}

/// What a write does to a record, for [`unsettle`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// Inserted or updated: its own row changes (the rows that read its marking are
    /// found when the transaction commits, see [`unsettle_resting`]).
    Stored,
    /// About to be deleted: the rows that count it among others (an attestation's
    /// claim) change, and can be found only while it is there.
    Deleting,
}

/// Marks unsettled what a write of record `id` of `R` may change in the rows this
/// transaction holds (other than what [`settle`] finds by following the rule).
pub async fn unsettle<R: Visible>(
    db: &impl ConnectionTrait,
    id: i64,
    written: Written,
) -> Result<(), GarrisonError> {
    let statements = match written {
        Written::Stored if R::SETTLED => {
            vec![unsettled_where::<R>(
                Condition::all().add(R::Entity::ID.eq(id)),
            )]
        }
        Written::Stored => Vec::new(),
        Written::Deleting => R::counted_in(id),
    };
    for statement in statements {
        db.execute(&statement).await?;
    }
    Ok(())
}

/// Marks unsettled the rows whose rule reads the marking of a record this transaction
/// wrote (an actor's tenures, a source's reports…). Called when the transaction
/// commits, after [`crate::write::serialise`]: another writer may have pointed a row
/// at the record since it was written, and only now is every such row committed and
/// seen.
pub async fn unsettle_resting(
    db: &impl ConnectionTrait,
    written: &[crate::write::Entry],
) -> Result<(), GarrisonError> {
    macro_rules! resting_on {
        ($($record:ident),+) => {
            |type_name: &str, id: i64| match type_name {
                $($record::TYPE => $record::resting_on(id),)+
                _ => Vec::new(),
            }
        };
    }
    let resting_on = crate::journaled_records!(resting_on);
    for entry in written {
        if entry.operation == crate::write::Operation::Delete {
            continue;
        }
        for statement in resting_on(entry.type_name, entry.id) {
            db.execute(&statement).await?;
        }
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
    let settled = settle(&txn, Scope::ALL).await?;
    txn.commit().await?;
    Ok(settled)
}

/// The tables where a transaction's writes may have left rows unsettled, worked out
/// from the types it wrote (coarse: a type written stands for every table whose rule
/// reads it), so that settling skips the statements that could find nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
    reports: bool,
    events: bool,
    tenures: bool,
    deployments: bool,
    attestations: bool,
    participants: bool,
}

impl Scope {
    /// Every table (when what was written is not known).
    pub const ALL: Self = Self {
        reports: true,
        events: true,
        tenures: true,
        deployments: true,
        attestations: true,
        participants: true,
    };

    /// The tables that writes of records of these types may leave unsettled.
    pub fn of_types<'a>(types: impl IntoIterator<Item = &'a str>) -> Self {
        let types: Vec<&str> = types.into_iter().collect();
        let any = |names: &[&str]| names.iter().any(|name| types.contains(name));
        let reports = any(&[Report::TYPE, Source::TYPE]);
        let events = any(&[Event::TYPE]);
        let tenures = any(&[Tenure::TYPE, Actor::TYPE, Base::TYPE]);
        let deployments = any(&[Deployment::TYPE, Asset::TYPE, Base::TYPE]);
        let attestations = any(&[Attestation::TYPE]) || reports || events || tenures || deployments;
        // Actors, assets and bases are among `tenures` and `deployments` already.
        let participants =
            attestations || any(&[EventActor::TYPE, EventAsset::TYPE, EventBase::TYPE]);
        Self {
            reports,
            events,
            tenures,
            deployments,
            attestations,
            participants,
        }
    }
}

/// Spreads what is unsettled within `scope` along the rule, then works those rows
/// out; returns how many rows it worked out.
pub async fn settle(db: &impl ConnectionTrait, scope: Scope) -> Result<u64, GarrisonError> {
    use attestation::Column as A;
    let Scope {
        reports,
        events,
        tenures,
        deployments,
        attestations,
        participants,
    } = scope;
    let spread = [
        // An attestation's rule reads its report and its claim's own marking and records.
        (
            reports,
            unsettled_where::<Attestation>(on(A::ReportId, unsettled::<Report>())),
        ),
        (events, attestations_of_unsettled::<Event>()),
        (tenures, attestations_of_unsettled::<Tenure>()),
        (deployments, attestations_of_unsettled::<Deployment>()),
        // A claim's reads its attestations.
        (attestations, claims_of_unsettled::<Event>()),
        (attestations, claims_of_unsettled::<Tenure>()),
        (attestations, claims_of_unsettled::<Deployment>()),
        // A participant's reads its event (and what takes part, which `unsettle` marks).
        (
            events || attestations,
            unsettled_where::<EventActor>(on(
                event_participant::Column::EventId,
                unsettled::<Event>(),
            )),
        ),
    ];
    for (_, statement) in spread.iter().filter(|(needed, _)| *needed) {
        db.execute(statement).await?;
    }
    let mut settled = 0;
    for (needed, statement) in [
        (reports, work_out::<Report>()),
        (attestations, work_out::<Attestation>()),
        (events || attestations, work_out::<Event>()),
        (tenures || attestations, work_out::<Tenure>()),
        (deployments || attestations, work_out::<Deployment>()),
        (participants, work_out::<EventActor>()),
        (participants, work_out::<EventAsset>()),
        (participants, work_out::<EventBase>()),
    ] {
        if needed {
            settled += db.execute(&statement).await?.rows_affected();
        }
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
