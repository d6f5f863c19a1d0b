//! The generic create, update and delete that every record type goes through.
use super::journal::{Entry, FieldChange, Operation, diff, snapshot};
use super::session::{Children, Session};
use crate::entity::{Marked, Stamped, Stored};
use crate::error::{ConflictDetail, GarrisonError};
use crate::ids::global_id;
use crate::record::Record;
use crate::visibility::settle::{Written, unsettle};
use crate::visibility::{Clearance, Visible};
use crate::vocabulary::Marking;
use chrono::Utc;
use sea_orm::sea_query::{DynIden, Expr, ExprTrait, IntoIden, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    Iterable, ModelTrait, QueryFilter, TryIntoModel,
};
use serde::Serialize;

type Result<T> = std::result::Result<T, GarrisonError>;

pub type ModelOf<W> = <<W as Record>::Entity as EntityTrait>::Model;
pub type RowOf<W> = <<W as Record>::Entity as EntityTrait>::ActiveModel;

/// An entity whose rows the generic write path can insert, patch, compare and journal.
pub trait Storable:
    Marked<
        Model: Serialize + IntoActiveModel<Self::ActiveModel>,
        ActiveModel: From<Self::Model> + TryIntoModel<Self::Model> + Send + Sync,
    >
{
}

impl<E> Storable for E where
    E: Marked<
            Model: Serialize + IntoActiveModel<E::ActiveModel>,
            ActiveModel: From<E::Model> + TryIntoModel<E::Model> + Send + Sync,
        >
{
}

/// The columns of record type `R`'s table.
pub type ColumnOf<R> = <<R as Record>::Entity as EntityTrait>::Column;

/// Records of another type that point at a record through one of their columns: a
/// delete rule's subject.
pub struct Dependent {
    table: DynIden,
    column: DynIden,
    /// Only rows where this column is set (one kind of event participant).
    only_with: Option<DynIden>,
    id: DynIden,
    version: DynIden,
    marking: DynIden,
    /// Which of those rows a caller of some clearance may see.
    visible: fn(Clearance) -> sea_orm::Condition,
    /// The type of those records (for their ids in messages and tombstones).
    type_name: &'static str,
}

impl Dependent {
    /// The records of `R` whose `column` holds the record's id.
    pub fn on<R: Visible>(column: ColumnOf<R>) -> Self {
        Self {
            table: R::Entity::default().into_iden(),
            column: column.into_iden(),
            only_with: None,
            id: R::Entity::ID.into_iden(),
            version: R::Entity::VERSION.into_iden(),
            marking: R::Entity::MARKING.into_iden(),
            visible: R::judged,
            type_name: R::TYPE,
        }
    }

    /// Only those of them whose `column` (of the same table) is set.
    pub fn with(self, column: impl ColumnTrait) -> Self {
        Self {
            only_with: Some(column.into_iden()),
            ..self
        }
    }
}

/// A record type that can be written.
#[async_trait::async_trait]
pub trait Writable: Record<Entity: Storable> + Visible {
    /// What a write may change: each field `None` stays as it is.
    type Changes: Clone + Send + Sync + 'static;
    /// What is written after the record itself (aliases, participants, attestations).
    type Children: ChildWrites;

    /// Records that prevent a delete while they exist (CONFLICT lists them).
    fn restricted_by() -> Vec<Dependent> {
        Vec::new()
    }
    /// Records deleted together with this one (each gets a tombstone; the database's
    /// foreign keys delete the rows).
    fn cascades_to() -> Vec<Dependent> {
        Vec::new()
    }

    /// Writes the changed fields onto `row`, validating each (`path` prefixes the
    /// field names in errors).
    async fn apply(
        s: &mut Session,
        changes: Self::Changes,
        row: &mut RowOf<Self>,
        path: &str,
    ) -> Result<Self::Children>;

    /// Rules over several fields or other records, on the record as written.
    async fn check(_s: &mut Session, _model: &ModelOf<Self>, _path: &str) -> Result<()> {
        Ok(())
    }

    /// Refuses a delete that would break a rule of the domain.
    async fn before_delete(_s: &mut Session, _model: &ModelOf<Self>) -> Result<()> {
        Ok(())
    }
}

/// What a write puts after the record itself, once the record has its id: each kind
/// of children (aliases, attestations, participants) knows how to bring the stored
/// ones in line with it.
#[async_trait::async_trait]
pub trait ChildWrites: Send + 'static {
    /// Writes the children of record `id`; returns the changes to list in the
    /// record's own journal entry (its aliases).
    async fn write(self, s: &mut Session, id: i64, path: &str) -> Result<Vec<FieldChange>>;
}

/// A record type without children.
#[async_trait::async_trait]
impl ChildWrites for () {
    async fn write(self, _s: &mut Session, _id: i64, _path: &str) -> Result<Vec<FieldChange>> {
        Ok(Vec::new())
    }
}

/// Record `id` of type `W`, when the writer may see it; NOT_FOUND names it and `path`
/// (a record the writer may not see is as unknown as one that does not exist).
pub async fn find<W: Writable>(s: &Session, id: i64, path: &str) -> Result<ModelOf<W>> {
    W::Entity::find()
        .filter(W::Entity::ID.eq(id))
        .filter(seen_by::<W>(s))
        .one(s.txn())
        .await?
        .ok_or_else(|| {
            GarrisonError::not_found(W::TYPE, format!("{} (at {path})", global_id::<W>(id)))
        })
}

/// The rows of `W` the session's writer may see (by the rule: what this transaction
/// wrote is not settled yet).
pub(super) fn seen_by<W: Visible>(s: &Session) -> sea_orm::Condition {
    W::judged(s.clearance())
}

fn stale<W: Record>(id: i64, current: i32) -> GarrisonError {
    GarrisonError::conflict(
        format!(
            "{} {} has version {current}; reload it and try again",
            W::TYPE,
            global_id::<W>(id)
        ),
        ConflictDetail::StaleVersion { current },
    )
}

/// Creates a record from `changes`.
pub async fn create<W: Writable>(
    s: &mut Session,
    changes: W::Changes,
    path: &str,
) -> Result<ModelOf<W>> {
    let mut row = <RowOf<W> as ActiveModelTrait>::default();
    let children = W::apply(s, changes, &mut row, path).await?;
    insert::<W>(s, row, children, path).await
}

/// Inserts a row that `W::apply` has filled, then its children, checks it and
/// journals it.
async fn insert<W: Writable>(
    s: &mut Session,
    mut row: RowOf<W>,
    children: W::Children,
    path: &str,
) -> Result<ModelOf<W>> {
    if row.get(W::Entity::MARKING).is_not_set() {
        let default = s.default_marking();
        s.may_mark(default, &crate::write::validate::at(path, "marking"))?;
        row.set(W::Entity::MARKING, default.into());
    }
    let model = row.insert(s.txn()).await?;
    let id = W::Entity::id(&model);
    unsettle::<W>(s.txn(), id, Written::Stored).await?;
    let extra = children.write(s, id, path).await?;
    W::check(s, &model, path).await?;
    let mut fields = diff(None, Some(&snapshot(&model)));
    fields.extend(extra);
    s.record(Entry {
        type_name: W::TYPE,
        id,
        operation: Operation::Create,
        version: W::Entity::version(&model),
        marking: W::Entity::marking(&model),
        fields,
    });
    Ok(model)
}

/// Applies `changes` to record `id`. With `expected`, a stale version is a CONFLICT
/// that reports the current one. A write that changes nothing leaves the record,
/// its version and the journal alone.
pub async fn update<W: Writable>(
    s: &mut Session,
    id: i64,
    expected: Option<i32>,
    changes: W::Changes,
    path: &str,
) -> Result<ModelOf<W>> {
    let current = find::<W>(s, id, "id").await?;
    let version = W::Entity::version(&current);
    if expected.is_some_and(|e| e != version) {
        return Err(stale::<W>(id, version));
    }
    let mut row: RowOf<W> = current.clone().into();
    let children = W::apply(s, changes, &mut row, path).await?;
    let extra = children.write(s, id, path).await?;
    let candidate = row.clone().try_into_model()?;
    W::check(s, &candidate, path).await?;
    let mut fields = diff(Some(&snapshot(&current)), Some(&snapshot(&candidate)));
    fields.extend(extra);
    if fields.is_empty() {
        return Ok(current);
    }
    row.set(W::Entity::VERSION, (version + 1).into());
    row.set(W::Entity::UPDATED_AT, Utc::now().into());
    let updated = W::Entity::update_many()
        .set(row.clone())
        .filter(W::Entity::ID.eq(id))
        .filter(W::Entity::VERSION.eq(version))
        .exec(s.txn())
        .await?;
    if updated.rows_affected == 0 {
        // Another writer committed first; its version is the current one.
        let now = find::<W>(s, id, "id").await?;
        return Err(stale::<W>(id, W::Entity::version(&now)));
    }
    unsettle::<W>(s.txn(), id, Written::Stored).await?;
    s.record(Entry {
        type_name: W::TYPE,
        id,
        operation: Operation::Update,
        version: version + 1,
        // Its fields show the values before too: as restricted as the more restricted.
        marking: Ord::max(W::Entity::marking(&current), W::Entity::marking(&candidate)),
        fields,
    });
    Ok(row.try_into_model()?)
}

/// Deletes record `id`, refusing while others refer to it, and journals a tombstone
/// for it and for every record deleted with it.
pub async fn delete<W: Writable>(
    s: &mut Session,
    id: i64,
    expected: Option<i32>,
) -> Result<ModelOf<W>> {
    let current = find::<W>(s, id, "id").await?;
    let version = W::Entity::version(&current);
    if expected.is_some_and(|e| e != version) {
        return Err(stale::<W>(id, version));
    }
    let (mut blockers, mut hidden) = (Vec::new(), false);
    for dependent in W::restricted_by() {
        for other in dependents(s, &dependent, id, Some(MAX_LISTED)).await? {
            // A referrer the writer may not see blocks the delete without being named.
            match other.seen {
                true => blockers.push(crate::ids::encode_id(dependent.type_name, other.id)),
                false => hidden = true,
            }
        }
    }
    if !blockers.is_empty() || hidden {
        let mut by = blockers.join(", ");
        if hidden {
            by = match by.is_empty() {
                true => "records you cannot see".to_owned(),
                false => format!("{by} and records you cannot see"),
            };
        }
        return Err(GarrisonError::conflict(
            format!(
                "{} {} is still referenced by {by}; delete or change those first",
                W::TYPE,
                global_id::<W>(id),
            ),
            ConflictDetail::Referenced { by: blockers },
        ));
    }
    W::before_delete(s, &current).await?;
    for dependent in W::cascades_to() {
        let children = dependents(s, &dependent, id, None).await?;
        if children.iter().any(|child| !child.seen) {
            return Err(GarrisonError::Forbidden(format!(
                "{} {} has records you cannot see that would be deleted with it",
                W::TYPE,
                global_id::<W>(id),
            )));
        }
        for child in children {
            s.record(Entry {
                type_name: dependent.type_name,
                id: child.id,
                operation: Operation::Delete,
                version: child.version,
                marking: child.marking,
                fields: Vec::new(),
            });
        }
    }
    unsettle::<W>(s.txn(), id, Written::Deleting).await?;
    let deleted = W::Entity::delete_many()
        .filter(W::Entity::ID.eq(id))
        .filter(W::Entity::VERSION.eq(version))
        .exec(s.txn())
        .await?;
    if deleted.rows_affected == 0 {
        let now = find::<W>(s, id, "id").await?;
        return Err(stale::<W>(id, W::Entity::version(&now)));
    }
    s.record(Entry {
        type_name: W::TYPE,
        id,
        operation: Operation::Delete,
        version,
        marking: W::Entity::marking(&current),
        fields: diff(Some(&snapshot(&current)), None),
    });
    Ok(current)
}

/// Most children (participants, attestations) one write may give a record.
pub const MAX_CHILDREN: usize = 500;

/// Most referencing records a CONFLICT lists.
const MAX_LISTED: u64 = 20;

/// One record that points at another.
struct Referrer {
    id: i64,
    version: i32,
    marking: Marking,
    /// Whether the writer may see it.
    seen: bool,
}

/// The `dependent` records that point at `id`.
async fn dependents(
    s: &Session,
    dependent: &Dependent,
    id: i64,
    limit: Option<u64>,
) -> Result<Vec<Referrer>> {
    let seen: Expr = match s.clearance() {
        Clearance::ALL => Expr::val(1),
        clearance => Expr::case((dependent.visible)(clearance), 1)
            .finally(0)
            .into(),
    };
    let mut query = Query::select()
        .column(dependent.id.clone())
        .column(dependent.version.clone())
        .column(dependent.marking.clone())
        .expr(seen)
        .from(dependent.table.clone())
        .and_where(Expr::col(dependent.column.clone()).eq(id))
        .order_by(dependent.id.clone(), sea_orm::Order::Asc)
        .to_owned();
    if let Some(set) = &dependent.only_with {
        query.and_where(Expr::col(set.clone()).is_not_null());
    }
    if let Some(limit) = limit {
        query.limit(limit);
    }
    let rows = s.txn().query_all(&query).await?;
    rows.iter()
        .map(|r| {
            let marking: i32 = r.try_get_by_index(2)?;
            let seen: i32 = r.try_get_by_index(3)?;
            Ok(Referrer {
                id: r.try_get_by_index(0)?,
                version: r.try_get_by_index(1)?,
                marking: sea_orm::ActiveEnum::try_from_value(&marking)?,
                seen: seen == 1,
            })
        })
        .collect()
}

/// Makes the `C` records whose `parent_column` is `parent` (and, for one kind of event
/// participant, whose `only_with` column is set) exactly those `wanted` describes, when
/// given: matching ones stay untouched, missing ones are created, the rest deleted
/// (unless the session keeps children).
pub async fn sync_children<C: Writable>(
    s: &mut Session,
    (parent_column, only_with): (ColumnOf<C>, Option<ColumnOf<C>>),
    parent: i64,
    wanted: Option<Vec<C::Changes>>,
    path: &str,
) -> Result<()> {
    let Some(wanted) = wanted else {
        return Ok(());
    };
    if wanted.len() > MAX_CHILDREN {
        return Err(GarrisonError::invalid(
            path,
            format!("at most {MAX_CHILDREN} in one write, got {}", wanted.len()),
        ));
    }
    // Children the writer may not see are not the writer's to keep or delete.
    let mut select = C::Entity::find()
        .filter(parent_column.eq(parent))
        .filter(seen_by::<C>(s));
    if let Some(set) = only_with {
        select = select.filter(set.is_not_null());
    }
    let mut existing = select.all(s.txn()).await?;
    let mut fresh = Vec::new();
    for (i, changes) in wanted.into_iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        let mut row = <RowOf<C> as ActiveModelTrait>::default();
        row.set(parent_column, parent.into());
        let children = C::apply(s, changes, &mut row, &item_path).await?;
        match existing.iter().position(|m| same::<C::Entity>(&row, m)) {
            Some(found) => {
                existing.swap_remove(found);
            }
            None => fresh.push((row, children, item_path)),
        }
    }
    // Create before deleting, so that a claim never drops to zero attestations.
    for (row, children, item_path) in fresh {
        insert::<C>(s, row, children, &item_path).await?;
    }
    if s.children() == Children::Keep {
        return Ok(());
    }
    for stale in existing {
        delete::<C>(s, C::Entity::id(&stale), None).await?;
    }
    Ok(())
}

/// Whether every column `row` sets holds the same value in `model`.
fn same<E: EntityTrait>(row: &E::ActiveModel, model: &E::Model) -> bool {
    E::Column::iter().all(|c| match row.get(c) {
        ActiveValue::Set(v) => model.get(c) == v,
        _ => true,
    })
}
