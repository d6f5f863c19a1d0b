//! A write session: one transaction, its author, and the journal it will commit.
use super::journal::{self, Entry};
use super::operations::ColumnOf;
use super::operations::Writable;
use crate::entity::{Stamped, Stored};
use crate::error::GarrisonError;
use crate::ids::global_id;

use crate::visibility::Clearance;
use crate::vocabulary::Marking;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    QueryFilter, QuerySelect, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::collections::HashMap;

/// The advisory lock of [`Session::lock_checks`] (an arbitrary, fixed key, other
/// than the journal's).
const CHECKS_LOCK: i64 = 0x6761_7272_6368_6b73;

/// A reference to another record as a write names it: by id (GraphQL) or by the
/// stable external key (bundles).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reference {
    Id(i64),
    Key(String),
}

/// What a write does with the stored children of a record (aliases, participants,
/// attestations) that the list it gives leaves out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Children {
    /// They are deleted: the list given is the whole truth (the update mutations, and
    /// bundles with `sync: true`).
    #[default]
    Replace,
    /// They stay: the list only adds what is missing (bundle imports).
    Keep,
}

/// One transaction of writes by one author. Dropping a session without
/// [`commit`](Session::commit) rolls everything back, journal included.
pub struct Session {
    txn: DatabaseTransaction,
    author: String,
    journal: Vec<Entry>,
    /// Ids by (table, key) already looked up or written in this session.
    keys: HashMap<(&'static str, String), i64>,
    /// Journal length at the open savepoint.
    saved: Option<usize>,
    children: Children,
    /// What the writer may see: records above it are as if they did not exist.
    clearance: Clearance,
    /// The marking of a new record whose write names none.
    default_marking: Marking,
}

impl Session {
    /// Begins a write transaction. On SQLite it is IMMEDIATE: concurrent writers
    /// queue on the busy timeout instead of failing when they upgrade a read.
    pub async fn begin(
        db: &DatabaseConnection,
        author: impl Into<String>,
    ) -> Result<Self, GarrisonError> {
        let txn = db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        Ok(Self {
            txn,
            author: author.into(),
            journal: Vec::new(),
            keys: HashMap::new(),
            saved: None,
            children: Children::Replace,
            clearance: Clearance::ALL,
            default_marking: Marking::Clear,
        })
    }

    /// Writes as a caller who sees only what `clearance` allows (a session begins
    /// seeing everything, as the command line does), marking new records
    /// `default_marking` unless a write names one.
    pub fn as_reader(mut self, clearance: Clearance, default_marking: Marking) -> Self {
        self.clearance = clearance;
        self.default_marking = default_marking;
        self
    }

    pub fn clearance(&self) -> Clearance {
        self.clearance
    }

    pub fn default_marking(&self) -> Marking {
        self.default_marking
    }

    /// Refuses (FORBIDDEN, naming `path`) a marking above the writer's clearance.
    pub fn may_mark(&self, marking: Marking, path: &str) -> Result<(), GarrisonError> {
        if self.clearance.admits(marking) {
            return Ok(());
        }
        Err(GarrisonError::Forbidden(format!(
            "{path}: {} is above your clearance {}",
            marking.label(),
            self.clearance.0.label()
        )))
    }

    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// What the writes of this session do with children their lists leave out.
    pub fn children(&self) -> Children {
        self.children
    }

    pub fn set_children(&mut self, children: Children) {
        self.children = children;
    }

    pub(super) fn record(&mut self, entry: Entry) {
        self.journal.push(entry);
    }

    /// The entries recorded so far.
    pub fn journal(&self) -> &[Entry] {
        &self.journal
    }

    /// Marks a point to return to (one at a time), keeping the journal in step.
    pub(super) async fn savepoint(&mut self) -> Result<(), GarrisonError> {
        self.txn
            .execute_unprepared("SAVEPOINT garrison_merge")
            .await?;
        self.saved = Some(self.journal.len());
        Ok(())
    }

    pub(super) async fn release_savepoint(&mut self) -> Result<(), GarrisonError> {
        self.txn
            .execute_unprepared("RELEASE SAVEPOINT garrison_merge")
            .await?;
        self.saved = None;
        Ok(())
    }

    /// Undoes everything since the savepoint, journal entries and cached keys included.
    pub(super) async fn rollback_to_savepoint(&mut self) -> Result<(), GarrisonError> {
        self.txn
            .execute_unprepared("ROLLBACK TO SAVEPOINT garrison_merge")
            .await?;
        if let Some(len) = self.saved {
            self.journal.truncate(len);
        }
        self.release_savepoint().await?;
        self.keys.clear();
        Ok(())
    }

    /// Works out the visibility of what was written, brings its search documents up to
    /// date, writes the journal and commits; returns what was committed.
    pub async fn commit(self) -> Result<Vec<Entry>, GarrisonError> {
        if !self.journal.is_empty() {
            journal::serialise(&self.txn).await?;
            crate::visibility::settle::unsettle_resting(&self.txn, &self.journal).await?;
            let written = self.journal.iter().map(|entry| entry.type_name);
            let scope = crate::visibility::settle::Scope::of_types(written);
            crate::visibility::settle::settle(&self.txn, scope).await?;
        }
        crate::search::sync(&self.txn, &self.journal).await?;
        journal::flush(&self.txn, &self.author, &self.journal).await?;
        self.txn.commit().await?;
        Ok(self.journal)
    }

    /// Serialises the checks that read other records to judge this write (duplicate
    /// names, cycles of parents) with every other writer's, until this transaction
    /// ends: two writers cannot each pass a check the other's write would fail. On
    /// SQLite writers are serial already (IMMEDIATE transactions); on PostgreSQL this
    /// takes a transaction-scoped advisory lock (taken again, it is a no-op).
    pub async fn lock_checks(&self) -> Result<(), GarrisonError> {
        if self.txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            self.txn
                .execute_unprepared(&format!("SELECT pg_advisory_xact_lock({CHECKS_LOCK})"))
                .await?;
        }
        Ok(())
    }

    /// The id `reference` names, checked to exist: NOT_FOUND names it and the field.
    pub async fn resolve<R: Writable>(
        &mut self,
        reference: &Reference,
        path: &str,
    ) -> Result<i64, GarrisonError> {
        let found = match reference {
            Reference::Id(id) => self.lookup::<R>(R::Entity::ID, (*id).into()).await?,
            Reference::Key(key) => self.id_by_key::<R>(key).await?,
        };
        found.ok_or_else(|| {
            let named = match reference {
                Reference::Id(id) => global_id::<R>(*id),
                Reference::Key(key) => format!("with key \"{key}\""),
            };
            GarrisonError::not_found(R::TYPE, format!("{named} (at {path})"))
        })
    }

    /// The id of the `R` record with external key `key`, if any. A record without a
    /// key goes by `<type>-<id>` (`actor-17`), as exports name it, until it has one.
    pub async fn id_by_key<R: Writable>(
        &mut self,
        key: &str,
    ) -> Result<Option<i64>, GarrisonError> {
        if let Some(id) = self.keys.get(&(R::TYPE, key.to_owned())) {
            return Ok(Some(*id));
        }
        let mut found = self.lookup::<R>(R::Entity::KEY, key.into()).await?;
        if found.is_none()
            && let Some(id) = keyless_id::<R>(key)
        {
            let mut find = R::Entity::find()
                .select_only()
                .column(R::Entity::ID)
                .filter(R::Entity::ID.eq(id))
                .filter(R::Entity::KEY.is_null());
            find = find.filter(R::judged(self.clearance));
            found = find.into_tuple().one(&self.txn).await?;
        }
        if let Some(id) = found {
            self.keys.insert((R::TYPE, key.to_owned()), id);
        }
        Ok(found)
    }

    /// The id of the `R` record whose `column` is `value`.
    async fn lookup<R: Writable>(
        &self,
        column: ColumnOf<R>,
        value: sea_orm::Value,
    ) -> Result<Option<i64>, GarrisonError> {
        let mut find = R::Entity::find()
            .select_only()
            .column(R::Entity::ID)
            .filter(column.eq(value));
        find = find.filter(R::judged(self.clearance));
        Ok(find.into_tuple().one(&self.txn).await?)
    }
}

/// The id in a key of the form `<type>-<id>` (`actor-17`) for records of `R`.
fn keyless_id<R: Writable>(key: &str) -> Option<i64> {
    let (prefix, id) = key.rsplit_once('-')?;
    (prefix.eq_ignore_ascii_case(R::TYPE) && id.bytes().all(|b| b.is_ascii_digit()))
        .then(|| id.parse().ok())
        .flatten()
}
