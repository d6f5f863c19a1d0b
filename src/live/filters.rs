//! The filters of `eventReported` subscriptions, bounded and checked together.
//!
//! One connection with 100 distinct filters used to make a single new event cost 122
//! statements. Now each distinct filter is registered once (many subscriptions with
//! the same filter share it), at most `--ws-max-filters` per connection and
//! `--live-max-filters` in all, and a new event is checked against every registered
//! filter at once: one statement of `SELECT i WHERE EXISTS (…)` branches per
//! [`BRANCHES`] filters, the first time any subscriber asks.
use crate::error::GarrisonError;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, UnionType};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// Filters per statement (SQLite allows 500 terms in a compound SELECT).
const BRANCHES: usize = 100;

/// The column each branch reports its filter's number in.
const MATCHED: &str = "matched";

/// A filter as registered: its query (`SELECT event.id … WHERE …`) and how many
/// subscriptions hold it.
struct Registered {
    select: SelectStatement,
    holders: usize,
}

/// Every distinct filter that some subscription holds, by key (its SQL text).
pub struct FilterRegistry {
    filters: Mutex<HashMap<String, Registered>>,
    max_filters: usize,
}

/// A subscription's hold on a registered filter; dropping it releases the filter
/// once no other subscription holds it.
pub struct FilterHold {
    registry: Arc<FilterRegistry>,
    key: String,
    /// The connection's share, released with it.
    _quota: Option<QuotaHold>,
}

impl FilterHold {
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl Drop for FilterHold {
    fn drop(&mut self) {
        let mut filters = self
            .registry
            .filters
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(registered) = filters.get_mut(&self.key) {
            registered.holders -= 1;
            if registered.holders == 0 {
                filters.remove(&self.key);
            }
        }
    }
}

impl FilterRegistry {
    pub fn new(max_filters: usize) -> Self {
        Self {
            filters: Mutex::new(HashMap::new()),
            max_filters,
        }
    }

    /// Registers `select` under `key` (or joins the subscriptions already holding
    /// it), within the connection's `quota` and the registry's own bound.
    pub fn hold(
        self: &Arc<Self>,
        key: String,
        select: SelectStatement,
        quota: Option<&FilterQuota>,
    ) -> Result<FilterHold, GarrisonError> {
        let quota = quota.map(|q| q.take(&key)).transpose()?;
        let mut filters = self.filters.lock().unwrap_or_else(|e| e.into_inner());
        let registered = filters.len();
        match filters.get_mut(&key) {
            Some(registered) => registered.holders += 1,
            None if registered >= self.max_filters => {
                return Err(GarrisonError::TooComplex {
                    limit: "live filters",
                    actual: registered + 1,
                    max: self.max_filters,
                });
            }
            None => {
                filters.insert(key.clone(), Registered { select, holders: 1 });
            }
        }
        Ok(FilterHold {
            registry: self.clone(),
            key,
            _quota: quota,
        })
    }

    /// The keys of the registered filters that event `id` passes.
    pub async fn matching(
        &self,
        db: &DatabaseConnection,
        id: i64,
    ) -> Result<HashSet<String>, GarrisonError> {
        let registered: Vec<(String, SelectStatement)> = self
            .filters
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(key, r)| (key.clone(), r.select.clone()))
            .collect();
        let mut matched = HashSet::new();
        for chunk in registered.chunks(BRANCHES) {
            let mut branches = chunk.iter().enumerate().map(|(i, (_, select))| {
                let mut select = select.clone();
                select.and_where(Expr::col((Alias::new("event"), Alias::new("id"))).eq(id));
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
pub struct FilterQuota {
    held: Arc<Mutex<HashMap<String, usize>>>,
    max: usize,
}

/// One subscription's share of its connection's quota.
struct QuotaHold {
    quota: FilterQuota,
    key: String,
}

impl Drop for QuotaHold {
    fn drop(&mut self) {
        let mut held = self.quota.held.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = held.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                held.remove(&self.key);
            }
        }
    }
}

impl FilterQuota {
    pub fn new(max: usize) -> Self {
        Self {
            held: Arc::default(),
            max,
        }
    }

    fn take(&self, key: &str) -> Result<QuotaHold, GarrisonError> {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let distinct = held.len();
        match held.get_mut(key) {
            Some(count) => *count += 1,
            None if distinct >= self.max => {
                return Err(GarrisonError::TooComplex {
                    limit: "filters per connection",
                    actual: distinct + 1,
                    max: self.max,
                });
            }
            None => {
                held.insert(key.to_owned(), 1);
            }
        }
        Ok(QuotaHold {
            quota: self.clone(),
            key: key.to_owned(),
        })
    }
}
