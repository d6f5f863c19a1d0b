//! Names of actors, bases, assets and sources: their aliases, the rule that one kind of thing
//! in one place goes by a name only once, and merging a new record into the one that
//! already has its name.
use super::journal::FieldChange;
use super::operations::{ColumnOf, ModelOf, Writable, create, find, update};
use super::session::{Children, Session};
use crate::entity::{Stored, alias};
use crate::error::{ConflictDetail, GarrisonError};
use crate::ids::global_id;
use crate::names::fold;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

type Result<T> = std::result::Result<T, GarrisonError>;

/// The aliases of the record that `owner_column` of the alias table points at.
pub async fn aliases_of(
    s: &Session,
    owner_column: alias::Column,
    id: i64,
) -> Result<Vec<alias::Model>> {
    Ok(alias::Entity::find()
        .filter(owner_column.eq(id))
        .order_by_asc(alias::Column::Id)
        .all(s.txn())
        .await?)
}

/// Makes the record's aliases exactly `names` (already validated) when given; the
/// change, if any, is a field of the record's own journal entry.
pub async fn sync_aliases(
    s: &mut Session,
    owner_column: alias::Column,
    id: i64,
    names: Option<Vec<String>>,
) -> Result<Vec<FieldChange>> {
    let Some(names) = names else {
        return Ok(Vec::new());
    };
    let existing = aliases_of(s, owner_column, id).await?;
    let old: Vec<String> = existing.iter().map(|a| a.name.clone()).collect();
    let names = match s.children() {
        Children::Replace => names,
        // The stored aliases, then the new names no stored one folds to.
        Children::Keep => {
            let mut all = old.clone();
            let mut folded: Vec<String> = old.iter().map(|a| fold(a)).collect();
            for name in names {
                if !folded.contains(&fold(&name)) {
                    folded.push(fold(&name));
                    all.push(name);
                }
            }
            all
        }
    };
    if old == names {
        return Ok(Vec::new());
    }
    alias::Entity::delete_many()
        .filter(owner_column.eq(id))
        .exec(s.txn())
        .await?;
    for name in &names {
        let mut row = alias::ActiveModel {
            name: Set(name.clone()),
            name_key: Set(fold(name)),
            ..Default::default()
        };
        row.set(owner_column, Some(id).into());
        row.insert(s.txn()).await?;
    }
    Ok(vec![FieldChange {
        field: "aliases".into(),
        old: old.into(),
        new: names.into(),
    }])
}

/// What makes two named records the same thing: one shared name and, for the types
/// that have them, their kind and their place (the country of an actor or base, the
/// owner of an asset). A source is the same source by name alone.
pub struct Identity {
    pub id: i64,
    pub name_key: String,
    /// `None` for a type whose records of any kind are the same by name.
    pub kind: Option<String>,
    /// Where the type has a place: `Some(None)` when this record has none (it then
    /// matches others with none); `None` for a type without places.
    pub scope: Option<Option<sea_orm::Value>>,
}

/// A named record type (actors, bases, assets): aliases, the duplicate rule, merging.
pub trait Named: Writable {
    /// The alias table's column that points at this type.
    const ALIAS_COLUMN: alias::Column;
    /// The column of the folded name.
    const NAME_KEY: ColumnOf<Self>;
    /// The column of the kind, for types whose kinds are different things.
    const KIND_COLUMN: Option<ColumnOf<Self>>;
    /// The column that places a record (`country`, `owner_id`), for types with one.
    const SCOPE_COLUMN: Option<ColumnOf<Self>>;
    fn identity(model: &ModelOf<Self>) -> Identity;
    fn name(model: &ModelOf<Self>) -> &str;
    /// The name and aliases a write gives.
    fn names(changes: &mut Self::Changes) -> (&mut Option<String>, &mut Option<Vec<String>>);
    /// Turns a create into a patch: fields the create left out stay as they are.
    fn keep_absent(changes: Self::Changes) -> Self::Changes;
}

/// Refuses with CONFLICT (naming the existing record) when another record of the
/// same kind and place goes by the name or one of the aliases of `model`.
pub async fn refuse_duplicate<W: Named>(s: &Session, model: &ModelOf<W>, path: &str) -> Result<()> {
    s.lock_checks().await?;
    let identity = W::identity(model);
    let mut keys: Vec<String> = aliases_of(s, W::ALIAS_COLUMN, identity.id)
        .await?
        .into_iter()
        .map(|a| a.name_key)
        .collect();
    keys.push(identity.name_key);
    let mut same = Condition::all().add(W::Entity::ID.ne(identity.id));
    if let (Some(column), Some(kind)) = (W::KIND_COLUMN, identity.kind) {
        same = same.add(column.eq(kind));
    }
    if let (Some(column), Some(scope)) = (W::SCOPE_COLUMN, identity.scope) {
        same = same.add(match scope {
            None => column.is_null(),
            Some(value) => column.eq(value),
        });
    }
    let aliased = Query::select()
        .column(W::ALIAS_COLUMN)
        .from(alias::Entity)
        .and_where(alias::Column::NameKey.is_in(keys.clone()))
        .to_owned();
    // A record the writer may not see is no duplicate: its name reveals nothing.
    let found: Option<i64> = W::Entity::find()
        .select_only()
        .column(W::Entity::ID)
        .filter(super::operations::seen_by::<W>(s))
        .filter(same)
        .filter(
            Condition::any()
                .add(W::NAME_KEY.is_in(keys))
                .add(W::Entity::ID.in_subquery(aliased)),
        )
        .order_by_asc(W::Entity::ID)
        .limit(1)
        .into_tuple()
        .one(s.txn())
        .await?;
    let Some(existing) = found else {
        return Ok(());
    };
    let existing_id = global_id::<W>(existing);
    Err(GarrisonError::conflict(
        format!(
            "{} {existing_id} of the same kind and place already goes by this name or an alias \
             (at {path}); update it, or create with merge: true to merge into it",
            W::TYPE
        ),
        ConflictDetail::Duplicate {
            existing: existing_id,
            id: existing,
        },
    ))
}

/// Creates the record or, when one of the same identity already goes by its name or
/// an alias, merges into that one: its name stays, the new names join its aliases,
/// and the fields given overwrite its own.
pub async fn create_or_merge<W: Named>(
    s: &mut Session,
    changes: W::Changes,
    path: &str,
) -> Result<ModelOf<W>> {
    s.savepoint().await?;
    let existing = match create::<W>(s, changes.clone(), path).await {
        Err(GarrisonError::Conflict {
            detail: ConflictDetail::Duplicate { id, .. },
            ..
        }) => id,
        Ok(created) => {
            s.release_savepoint().await?;
            return Ok(created);
        }
        // The session is lost anyway (on PostgreSQL the transaction is aborted).
        Err(other) => return Err(other),
    };
    s.rollback_to_savepoint().await?;
    let current = find::<W>(s, existing, path).await?;
    let mut merged = W::keep_absent(changes);
    let (name, aliases) = W::names(&mut merged);
    let mut all: Vec<String> = aliases_of(s, W::ALIAS_COLUMN, existing)
        .await?
        .into_iter()
        .map(|a| a.name)
        .collect();
    let mut seen: Vec<String> = all.iter().map(|a| fold(a)).collect();
    seen.push(fold(W::name(&current)));
    for new in name
        .take()
        .into_iter()
        .chain(aliases.take().unwrap_or_default())
    {
        if !seen.contains(&fold(&new)) {
            seen.push(fold(&new));
            all.push(new);
        }
    }
    *aliases = Some(all);
    update::<W>(s, existing, None, merged, path).await
}
