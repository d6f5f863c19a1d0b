//! Who sees what: markings and clearances as SQL conditions that every read adds to
//! its statement, so that a hidden row is never read, counted, ranked or paged over.
//!
//! The rule, for a caller with clearance `c`:
//! - an actor, base, asset or source is visible when its marking is at most `c`;
//! - a report, when it and its source are;
//! - a tenure, deployment or event (a claim) when its own marking is at most `c`, the
//!   records it names are visible (a tenure's actor and base, a deployment's asset and
//!   base) and at least one of its attestations is (a tenure or deployment that no
//!   report attests yet needs none: it has no evidence to hide);
//! - an attestation, when its marking is at most `c`, its report is visible and its
//!   claim's own marking and named records are (so that a visible attestation makes its
//!   claim visible, and never points at a hidden one);
//! - an event participant, when its marking is at most `c` and its event and the record
//!   taking part are visible.
//!
//! A visible record whose optional reference (an actor's parent, an asset's owner) is
//! hidden shows that reference as null. Each condition refers to its table by name
//! (correlated subqueries), so a statement must not alias the table it lists.
//!
//! The rule is written once, here ([`Visible::rule`]). Writes judge by it directly
//! (what they read must be right inside their own transaction); reads check the
//! rule's answer as [`settle`] keeps it in each row, one comparison on a column of
//! the row being read (for actors, bases, assets and sources that is the marking
//! itself).
pub mod settle;

use crate::entity::{
    Marked, Stored, VisibleFrom, attestation, change, deployment, event_participant, report, tenure,
};
use crate::error::GarrisonError;
use crate::record::{
    Actor, Asset, Attestation, Base, Deployment, Event, EventActor, EventAsset, EventBase, Record,
    Report, Source, Tenure,
};
use crate::vocabulary::Marking;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement, UpdateStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait};

/// The highest marking a caller may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Clearance(pub Marking);

impl Clearance {
    /// Whoever may read everything (the command line, the server's own work).
    pub const ALL: Self = Self(Marking::Red);

    /// Whether a record marked `marking` is within it.
    pub fn admits(self, marking: Marking) -> bool {
        marking <= self.0
    }
}

/// The `visible_from` of a row that no clearance sees (one above RED's rank).
pub const NOBODY: i32 = 5;

/// A record type whose visibility the rule above decides.
pub trait Visible: Record<Entity: Marked> {
    /// Whether its rows keep the rule's answer in `visible_from` (see [`settle`]): its
    /// rule reads other rows.
    const SETTLED: bool;

    /// The rule: the rows of this type's table a caller of `clearance` may see, as a
    /// condition on that table worked out from the markings it rests on.
    fn rule(clearance: Clearance) -> Condition;

    /// The rows of its table that are of this type at all, whoever reads (the kinds of
    /// event participants share one table).
    fn of_kind() -> Condition {
        Condition::all()
    }

    /// The settled rows whose rule reads the marking of the record `id` of this type,
    /// other than those [`settle::settle`] finds itself, as statements that unsettle
    /// them (when it is written).
    fn resting_on(_id: i64) -> Vec<UpdateStatement> {
        Vec::new()
    }

    /// The settled rows whose rule counts the record `id` among others, as statements
    /// that unsettle them (before it is deleted).
    fn counted_in(_id: i64) -> Vec<UpdateStatement> {
        Vec::new()
    }

    /// The rule's answer as reads check it: the settled column where there is one.
    fn visible(clearance: Clearance) -> Condition {
        match Self::SETTLED {
            true => Condition::all()
                .add(Expr::col((Self::Entity::default(), VisibleFrom)).lte(clearance.0.rank())),
            false => Self::rule(clearance),
        }
    }

    /// What a caller of `clearance` reads of this type's table: its rows, visible.
    fn seen(clearance: Clearance) -> Condition {
        Self::of_kind_and(clearance, Self::visible)
    }

    /// What a writer of `clearance` sees of this type's table, by the rule itself (the
    /// settled column is worked out again only when the write commits).
    fn judged(clearance: Clearance) -> Condition {
        Self::of_kind_and(clearance, Self::rule)
    }

    /// Its rows, and for a caller below [`Clearance::ALL`] those `visible` admits.
    fn of_kind_and(clearance: Clearance, visible: fn(Clearance) -> Condition) -> Condition {
        match clearance {
            Clearance::ALL => Self::of_kind(),
            clearance => Self::of_kind().add(visible(clearance)),
        }
    }
}

/// The rows of `R` whose own marking is within `clearance`.
fn marked_within<R: Record<Entity: Marked>>(clearance: Clearance) -> Condition {
    Condition::all().add(R::Entity::MARKING.lte(clearance.0.rank()))
}

/// Rows of `R` that exist with `id` equal to `reference` and are visible (as reads
/// see them).
pub fn exists_visible<R: Visible>(reference: Expr, clearance: Clearance) -> Expr {
    Expr::exists(id_where::<R>(reference, R::seen(clearance)))
}

/// Rows of `R` that exist with `id` equal to `reference` and are visible by the rule
/// (what a rule reads of the records it rests on).
fn exists_judged<R: Visible>(reference: Expr, clearance: Clearance) -> Expr {
    Expr::exists(id_where::<R>(reference, R::judged(clearance)))
}

/// `SELECT 1 FROM R WHERE R.id = reference AND <condition>`.
fn id_where<R: Visible>(reference: Expr, condition: Condition) -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(R::Entity::default())
        .and_where(Expr::col(R::Entity::ID.as_column_ref()).eq(reference))
        .cond_where(condition)
        .to_owned()
}

/// Record types seen by their own marking alone; each lists the settled rows that name
/// it (their type and column), whose rule reads its marking.
macro_rules! marked_only {
    ($($record:ident: [$($named_by:ident . $column:expr),+],)+) => {$(
        impl Visible for $record {
            const SETTLED: bool = false;
            fn rule(clearance: Clearance) -> Condition {
                marked_within::<Self>(clearance)
            }
            fn resting_on(id: i64) -> Vec<UpdateStatement> {
                vec![$(settle::unsettled_where::<$named_by>(
                    Condition::all().add($column.eq(id)),
                )),+]
            }
        }
    )+};
}

marked_only! {
    Actor: [Tenure.tenure::Column::ActorId, EventActor.event_participant::Column::ActorId],
    Base: [
        Tenure.tenure::Column::BaseId,
        Deployment.deployment::Column::BaseId,
        EventBase.event_participant::Column::BaseId
    ],
    Asset: [
        Deployment.deployment::Column::AssetId,
        EventAsset.event_participant::Column::AssetId
    ],
    Source: [Report.report::Column::SourceId],
}

impl Visible for Report {
    const SETTLED: bool = true;
    fn rule(clearance: Clearance) -> Condition {
        marked_within::<Self>(clearance).add(exists_judged::<Source>(
            report::Column::SourceId.into_expr(),
            clearance,
        ))
    }
}

/// A claim type: the attestations' column that points at it, and what its own
/// visibility needs besides its attestations.
trait Claim: Record<Entity: Marked> {
    const ATTESTED_BY: attestation::Column;
    /// Whether every record of it has an attestation (events do).
    const ALWAYS_ATTESTED: bool;
    /// Its own marking and the records it names.
    fn stands(clearance: Clearance) -> Condition;
}

impl Claim for Event {
    const ATTESTED_BY: attestation::Column = attestation::Column::EventId;
    const ALWAYS_ATTESTED: bool = true;
    fn stands(clearance: Clearance) -> Condition {
        marked_within::<Self>(clearance)
    }
}

impl Claim for Tenure {
    const ATTESTED_BY: attestation::Column = attestation::Column::TenureId;
    const ALWAYS_ATTESTED: bool = false;
    fn stands(clearance: Clearance) -> Condition {
        marked_within::<Self>(clearance)
            .add(exists_judged::<Actor>(
                tenure::Column::ActorId.into_expr(),
                clearance,
            ))
            .add(exists_judged::<Base>(
                tenure::Column::BaseId.into_expr(),
                clearance,
            ))
    }
}

impl Claim for Deployment {
    const ATTESTED_BY: attestation::Column = attestation::Column::DeploymentId;
    const ALWAYS_ATTESTED: bool = false;
    fn stands(clearance: Clearance) -> Condition {
        marked_within::<Self>(clearance)
            .add(exists_judged::<Asset>(
                deployment::Column::AssetId.into_expr(),
                clearance,
            ))
            .add(exists_judged::<Base>(
                deployment::Column::BaseId.into_expr(),
                clearance,
            ))
    }
}

/// An attestation's own marking and its report (not its claim).
fn attestation_stands(clearance: Clearance) -> Condition {
    marked_within::<Attestation>(clearance).add(exists_judged::<Report>(
        attestation::Column::ReportId.into_expr(),
        clearance,
    ))
}

/// The claim `C` stands (`SELECT 1 FROM C WHERE C.id = reference AND <stands>`).
fn claim_stands<C: Claim>(reference: Expr, clearance: Clearance) -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(C::Entity::default())
            .and_where(Expr::col(C::Entity::ID.as_column_ref()).eq(reference))
            .cond_where(C::stands(clearance))
            .to_owned(),
    )
}

/// The attestations of the claim `C` in the statement's row (`filter` narrows them).
fn attestations_of<C: Claim>(filter: Condition) -> SelectStatement {
    Query::select()
        .expr(Expr::val(1))
        .from(attestation::Entity)
        .and_where(Expr::col(C::ATTESTED_BY.as_column_ref()).equals(C::Entity::ID.as_column_ref()))
        .cond_where(filter)
        .to_owned()
}

macro_rules! claims {
    ($($record:ident),+) => {$(
        impl Visible for $record {
            const SETTLED: bool = true;
            fn rule(clearance: Clearance) -> Condition {
                let attested =
                    Expr::exists(attestations_of::<Self>(attestation_stands(clearance)));
                let evidence = if Self::ALWAYS_ATTESTED {
                    Condition::all().add(attested)
                } else {
                    let any = attestations_of::<Self>(Condition::all());
                    Condition::any().add(Expr::exists(any).not()).add(attested)
                };
                Self::stands(clearance).add(evidence)
            }
        }
    )+};
}

claims!(Event, Tenure, Deployment);

impl Visible for Attestation {
    const SETTLED: bool = true;

    /// Its claim, whose rule reads its attestations (the claim of one being deleted
    /// cannot be found from the attestations that remain).
    fn counted_in(id: i64) -> Vec<UpdateStatement> {
        fn claim_of<C: Claim + Visible>(id: i64) -> UpdateStatement {
            let claim = Query::select()
                .column(C::ATTESTED_BY)
                .from(attestation::Entity)
                .and_where(attestation::Column::Id.eq(id))
                .to_owned();
            settle::unsettled_where::<C>(Condition::all().add(C::Entity::ID.in_subquery(claim)))
        }
        vec![
            claim_of::<Event>(id),
            claim_of::<Tenure>(id),
            claim_of::<Deployment>(id),
        ]
    }

    fn rule(clearance: Clearance) -> Condition {
        use attestation::Column as A;
        let claim = Condition::any()
            .add(claim_stands::<Event>(A::EventId.into_expr(), clearance))
            .add(claim_stands::<Tenure>(A::TenureId.into_expr(), clearance))
            .add(claim_stands::<Deployment>(
                A::DeploymentId.into_expr(),
                clearance,
            ));
        attestation_stands(clearance).add(claim)
    }
}

/// A participant whose `target` column names what takes part (so it is one of that
/// kind: the other kinds' rows have it null).
fn participant<T: Visible>(target: event_participant::Column, clearance: Clearance) -> Condition {
    Condition::all()
        .add(event_participant::Column::Marking.lte(clearance.0.rank()))
        .add(exists_judged::<Event>(
            event_participant::Column::EventId.into_expr(),
            clearance,
        ))
        .add(exists_judged::<T>(target.into_expr(), clearance))
}

/// The participant types: each of its kind by the column naming what takes part.
macro_rules! participants {
    ($($record:ident: $target:ident by $column:ident,)+) => {$(
        impl Visible for $record {
            const SETTLED: bool = true;
            fn of_kind() -> Condition {
                Condition::all().add(event_participant::Column::$column.is_not_null())
            }
            fn rule(clearance: Clearance) -> Condition {
                participant::<$target>(event_participant::Column::$column, clearance)
            }
        }
    )+};
}

participants! {
    EventActor: Actor by ActorId,
    EventAsset: Asset by AssetId,
    EventBase: Base by BaseId,
}

/// The rows of `R` the caller may see: `SELECT * FROM R WHERE <visible>`.
pub fn readable<R: Visible>(clearance: Clearance) -> SelectStatement {
    use sea_orm::QueryTrait;
    let mut select = R::Entity::find().into_query();
    select.cond_where(R::seen(clearance));
    select
}

/// Whether the record `id` of `R` exists and a caller of `clearance` may see it.
pub async fn is_visible<R: Visible>(
    db: &impl ConnectionTrait,
    id: i64,
    clearance: Clearance,
) -> Result<bool, GarrisonError> {
    Ok(db
        .query_one(&id_where::<R>(Expr::val(id), R::seen(clearance)))
        .await?
        .is_some())
}

/// The journal entries a caller of `clearance` may see: those written while the
/// record's marking was within it, of records that are gone or that the caller may
/// see now (a visible claim's entries, not those of one whose evidence is hidden).
pub fn journal_visible(clearance: Clearance) -> Condition {
    macro_rules! by_type {
        ($($record:ident),+) => {
            Condition::any()$(.add(entries_of::<$record>(clearance)))+
        };
    }
    let within = change::Column::Marking.lte(clearance.0.rank());
    Condition::all()
        .add(within)
        .add(crate::journaled_records!(by_type))
}

/// The entries of `R` records that are gone or visible.
fn entries_of<R: Visible>(clearance: Clearance) -> Condition {
    let entity = change::Column::EntityId.into_expr();
    let any = Query::select()
        .expr(Expr::val(1))
        .from(R::Entity::default())
        .and_where(Expr::col(R::Entity::ID.as_column_ref()).eq(entity.clone()))
        .to_owned();
    Condition::all()
        .add(change::Column::EntityType.eq(R::TYPE))
        .add(
            Condition::any()
                .add(Expr::exists(any).not())
                .add(exists_visible::<R>(entity, clearance)),
        )
}

/// Whether a caller of `clearance` may see the journal entry `entry` (as
/// [`journal_visible`] decides for lists), for the live change feed.
pub async fn entry_visible(
    db: &impl ConnectionTrait,
    entry: &change::Model,
    clearance: Clearance,
) -> Result<bool, GarrisonError> {
    if clearance == Clearance::ALL {
        return Ok(true);
    }
    if !clearance.admits(entry.marking) {
        return Ok(false);
    }
    macro_rules! by_type {
        ($($record:ident),+) => {
            match entry.entity_type.as_str() {
                $($record::TYPE => entries_of::<$record>(clearance),)+
                _ => return Ok(false),
            }
        };
    }
    let condition = crate::journaled_records!(by_type);
    let query = Query::select()
        .expr(Expr::val(1))
        .from(change::Entity)
        .and_where(change::Column::Id.eq(entry.id))
        .cond_where(condition)
        .to_owned();
    Ok(db.query_one(&query).await?.is_some())
}

/// The rows that name a record of `R` by its type name (in `type_column`) and its id
/// (`id`), when a caller of `clearance` may see that record.
pub fn names_visible<R: Visible>(
    type_column: impl ColumnTrait,
    id: Expr,
    clearance: Clearance,
) -> Condition {
    Condition::all()
        .add(type_column.eq(R::TYPE))
        .add(exists_visible::<R>(id, clearance))
}
