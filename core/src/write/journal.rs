//! The change journal: what every write changed, field by field, recorded in the
//! writing transaction.
//!
//! Entries collect in the [`Session`](super::Session) and are written just before it
//! commits. On PostgreSQL the commit first takes a transaction-scoped advisory lock
//! ([`serialise`]), so journal ids increase in commit order and a client that syncs by
//! cursor never skips a change committed late with a smaller id.
use crate::entity::change;
use crate::error::GarrisonError;
use crate::vocabulary::Marking;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseBackend, EntityTrait, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a write did to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    /// A tombstone: the record is gone.
    Delete,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Create, Self::Update, Self::Delete]
            .into_iter()
            .find(|op| op.as_str() == text)
    }
}

/// One field's value before and after a write (null when absent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Value,
    pub new: Value,
}

/// One write of one record.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub type_name: &'static str,
    pub id: i64,
    pub operation: Operation,
    pub version: i32,
    /// The record's marking after the write (before it, for a delete).
    pub marking: Marking,
    pub fields: Vec<FieldChange>,
}

/// Bookkeeping and derived columns, which a change never lists.
fn is_internal(field: &str) -> bool {
    matches!(field, "id" | "version" | "createdAt" | "updatedAt")
        || field.ends_with("Key")
        || field.ends_with("Lo")
        || field.ends_with("Hi")
}

/// A model's fields as JSON (camelCase names, as its serde derive gives them).
pub fn snapshot<M: Serialize>(model: &M) -> Map<String, Value> {
    match serde_json::to_value(model) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// The fields that differ between two snapshots; a missing snapshot is all nulls.
pub fn diff(
    old: Option<&Map<String, Value>>,
    new: Option<&Map<String, Value>>,
) -> Vec<FieldChange> {
    let empty = Map::new();
    let (old, new) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter(|f| !is_internal(f))
        .filter_map(|f| {
            let before = old.get(f).cloned().unwrap_or(Value::Null);
            let after = new.get(f).cloned().unwrap_or(Value::Null);
            (before != after).then(|| FieldChange {
                field: f.clone(),
                old: before,
                new: after,
            })
        })
        .collect()
}

/// Rows per INSERT when flushing (well under SQLite's bound-parameter limit).
const CHUNK: usize = 500;
/// Serialises journal flushes on PostgreSQL (an arbitrary, fixed key).
const JOURNAL_LOCK: i64 = 0x6761_7272_6973_6f6e;

/// Makes the writers that are about to commit go one at a time from here to their
/// commit (on PostgreSQL: a transaction-scoped advisory lock; SQLite's writers are
/// serial already), so that what they do before committing sees every earlier
/// writer's work, and journal ids grow in commit order.
pub async fn serialise(db: &impl ConnectionTrait) -> Result<(), GarrisonError> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({JOURNAL_LOCK})"))
            .await?;
    }
    Ok(())
}

/// Writes the entries of a transaction, all stamped with one time (after
/// [`serialise`]).
pub(super) async fn flush(
    db: &impl ConnectionTrait,
    author: &str,
    entries: &[Entry],
) -> Result<(), GarrisonError> {
    if entries.is_empty() {
        return Ok(());
    }
    let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
    if postgres {
        // Delivered to every replica's listener when, and only if, this transaction commits.
        db.execute_unprepared(&format!("NOTIFY {}", crate::live::CHANNEL))
            .await?;
    }
    let at = Utc::now();
    for chunk in entries.chunks(CHUNK) {
        let rows = chunk.iter().map(|e| change::ActiveModel {
            at: Set(at),
            author: Set(author.to_owned()),
            entity_type: Set(e.type_name.to_owned()),
            entity_id: Set(e.id),
            operation: Set(e.operation.as_str().to_owned()),
            version: Set(e.version),
            marking: Set(e.marking),
            fields: Set(serde_json::to_string(&e.fields).unwrap_or_else(|_| "[]".into())),
            ..Default::default()
        });
        change::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// The newest journal id (0 for an empty journal): it names the state of the data,
/// as every committed write has an entry and ids grow in commit order.
pub async fn newest(db: &impl ConnectionTrait) -> Result<i64, GarrisonError> {
    let newest = change::Entity::find()
        .select_only()
        .column(change::Column::Id)
        .order_by_desc(change::Column::Id)
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?;
    Ok(newest.unwrap_or(0))
}
