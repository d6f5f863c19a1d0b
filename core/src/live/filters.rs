//! The filters of `eventReported` subscriptions, bounded and checked together.
//!
//! One connection with 100 distinct filters used to make a single new event cost 122
//! statements. Now each distinct filter is registered once (many subscriptions with
//! the same filter share it), at most `--ws-max-filters` per connection and
//! `--live-max-filters` in all, and a new event is checked against every registered
//! filter at once: one statement of `SELECT i WHERE EXISTS (…)` branches per
//! [`BRANCHES`] filters, the first time any subscriber asks.
use crate::entity::event;
use crate::error::GarrisonError;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Filters per statement (SQLite allows 500 terms in a compound SELECT).
const BRANCHES: usize = 100;

/// The column each branch reports its filter's number in.
const MATCHED: &str = "matched";

/// Distinct keys, each with a value and the number of its holders, at most `max`.
struct Held<V> {
    entries: HashMap<String, (V, usize)>,
    max: usize,
    /// The limit's name in the QUERY_TOO_COMPLEX of one key too many.
    limit: &'static str,
}

impl<V> Held<V> {
    fn new(max: usize, limit: &'static str) -> Self {
        Self {
            entries: HashMap::new(),
            max,
            limit,
        }
    }

    /// Holds `key` once more, adding it (with `value()`) while there is room.
    fn take(&mut self, key: &str, value: impl FnOnce() -> V) -> Result<(), GarrisonError> {
        let distinct = self.entries.len();
        match self.entries.get_mut(key) {
            Some((_, holders)) => *holders += 1,
            None if distinct >= self.max => {
                return Err(GarrisonError::TooComplex {
                    limit: self.limit,
                    actual: distinct + 1,
                    max: self.max,
                });
            }
            None => {
                self.entries.insert(key.to_owned(), (value(), 1));
            }
        }
        Ok(())
    }

    /// Lets go of `key` once; the last holder removes it.
    fn release(&mut self, key: &str) {
        if let Some((_, holders)) = self.entries.get_mut(key) {
            *holders -= 1;
            if *holders == 0 {
                self.entries.remove(key);
            }
        }
    }
}

fn lock<V>(held: &Mutex<Held<V>>) -> std::sync::MutexGuard<'_, Held<V>> {
    held.lock().unwrap_or_else(|e| e.into_inner())
}

/// Every distinct filter that some subscription holds, by key (its SQL text), with
/// its query (`SELECT event.id … WHERE …`).
pub struct FilterRegistry(Mutex<Held<SelectStatement>>);

/// A subscription's hold on a registered filter and on its connection's quota;
/// dropping it releases both.
pub struct FilterHold {
    registry: Arc<FilterRegistry>,
    quota: Option<FilterQuota>,
    key: String,
}

impl FilterHold {
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl Drop for FilterHold {
    fn drop(&mut self) {
        lock(&self.registry.0).release(&self.key);
        if let Some(quota) = &self.quota {
            lock(&quota.0).release(&self.key);
        }
    }
}

impl FilterRegistry {
    pub fn new(max_filters: usize) -> Self {
        Self(Mutex::new(Held::new(max_filters, "live filters")))
    }

    /// Registers `select` under `key` (or joins the subscriptions already holding
    /// it), within the connection's `quota` and the registry's own bound.
    pub fn hold(
        self: &Arc<Self>,
        key: String,
        select: SelectStatement,
        quota: Option<&FilterQuota>,
    ) -> Result<FilterHold, GarrisonError> {
        if let Some(quota) = quota {
            lock(&quota.0).take(&key, || ())?;
        }
        if let Err(refused) = lock(&self.0).take(&key, || select) {
            if let Some(quota) = quota {
                lock(&quota.0).release(&key);
            }
            return Err(refused);
        }
        Ok(FilterHold {
            registry: self.clone(),
            quota: quota.cloned(),
            key,
        })
    }

    /// The keys of the registered filters that event `id` passes.
    pub async fn matching(
        &self,
        db: &DatabaseConnection,
        id: i64,
    ) -> Result<HashSet<String>, GarrisonError> {
        let registered: Vec<(String, SelectStatement)> = lock(&self.0)
            .entries
            .iter()
            .map(|(key, (select, _))| (key.clone(), select.clone()))
            .collect();
        let mut matched = HashSet::new();
        for chunk in registered.chunks(BRANCHES) {
            let mut branches = chunk.iter().enumerate().map(|(i, (_, select))| {
                let mut select = select.clone();
                select.and_where(event::Column::Id.into_expr().eq(id));
                Query::select()
                    .expr_as(Expr::val(i as i64), Alias::new(MATCHED))
                    .and_where(Expr::exists(select))
                    .to_owned()
            });
            let Some(mut statement) = branches.next() else {
                continue;
            };
            for branch in branches {
                statement.union(UnionType::All, branch);
            }
            for row in db.query_all(&statement).await? {
                let i: i64 = row.try_get("", MATCHED)?;
                if let Some((key, _)) = usize::try_from(i).ok().and_then(|i| chunk.get(i)) {
                    matched.insert(key.clone());
                }
            }
        }
        Ok(matched)
    }
}

/// The distinct filters one connection holds, bounded.
#[derive(Clone)]
pub struct FilterQuota(Arc<Mutex<Held<()>>>);

impl FilterQuota {
    pub fn new(max: usize) -> Self {
        Self(Arc::new(Mutex::new(Held::new(
            max,
            "filters per connection",
        ))))
    }
}
