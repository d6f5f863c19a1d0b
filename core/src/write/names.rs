//! Names of actors, bases, assets and sources: their aliases, the rule that one kind of thing
//! in one place goes by a name only once, and merging a new record into the one that
//! already has its name.
use super::fields::current;
use super::journal::FieldChange;
use super::operations::{ChildWrites, ColumnOf, ModelOf, Writable, create, find, update};
use super::session::{Children, Session};
use super::validate;
use crate::entity::{Stored, alias};
use crate::error::{ConflictDetail, GarrisonError};
use crate::ids::global_id;
use crate::names::fold;
use crate::vocabulary::Marking;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{self, Set},
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
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

/// The aliases a write gives a named record, checked against the name it now has;
/// `None` leaves the stored ones as they are.
pub struct Aliases {
    owner_column: alias::Column,
    names: Option<Vec<String>>,
}

impl Aliases {
    /// The aliases `names` of a record of `W` whose row now has `name`.
    pub fn checked<W: Named>(
        name: &ActiveValue<String>,
        names: Option<Vec<String>>,
        path: &str,
    ) -> Result<Self> {
        let name = current(name).unwrap_or_default();
        let names = names
            .map(|a| validate::aliases(&validate::at(path, "aliases"), &name, a))
            .transpose()?;
        Ok(Self {
            owner_column: W::ALIAS_COLUMN,
            names,
        })
    }
}

/// Makes the record's aliases exactly those given, when given; the change, if any, is
/// a field of the record's own journal entry.
#[async_trait::async_trait]
impl ChildWrites for Aliases {
    async fn write(self, s: &mut Session, id: i64, _path: &str) -> Result<Vec<FieldChange>> {
        let Self {
            owner_column,
            names,
        } = self;
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

/// What a write of any named record may change of its name and standing; a field
/// left `None` stays as it is.
#[derive(Clone, Debug)]
pub struct NamedChanges<K> {
    pub kind: Option<K>,
    pub name: Option<String>,
    /// Other names; the whole list replaces the stored one.
    pub aliases: Option<Vec<String>>,
    pub key: Option<Option<String>>,
    /// Who may read it; a new record without one gets the server's default.
    pub marking: Option<Marking>,
}

impl<K> Default for NamedChanges<K> {
    fn default() -> Self {
        Self {
            kind: None,
            name: None,
            aliases: None,
            key: None,
            marking: None,
        }
    }
}

/// A named record type (actors, bases, assets, sources): aliases, the duplicate rule, merging.
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
    /// The vocabulary of its kinds.
    type Kind;
    /// What a write gives of the record's name, aliases, kind, key and marking.
    fn names(changes: &mut Self::Changes) -> &mut NamedChanges<Self::Kind>;
    /// Turns a create into a patch: fields the create left out stay as they are.
    fn keep_absent(changes: Self::Changes) -> Self::Changes;
    /// Writes what every named record has (its key, marking, kind and name) from
    /// `names` onto `row`; returns the aliases, to check once the row is complete.
    fn assign_identity(
        s: &Session,
        names: NamedChanges<Self::Kind>,
        row: &mut super::RowOf<Self>,
        path: &str,
    ) -> Result<Option<Vec<String>>>;
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
    let NamedChanges { name, aliases, .. } = W::names(&mut merged);
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
