//! Answers to queries, kept until the data changes.
//!
//! Every write, by this process or any other, appends to the change journal in its own
//! transaction, and journal ids grow in commit order (see `write::journal`). So the
//! journal's newest id names a state of the data: an answer is stored under the id
//! read before its query ran, and served again only while the newest id is still that
//! one. The check is one indexed statement, shared by all the requests that arrive
//! while the previous check is under way (a DataLoader of one key, which starts after
//! each of them asked), so a client never reads an answer older than a write that
//! committed before it asked.
//!
//! Only queries are kept, only answers without errors, and none that selected a field
//! marked `cache_control(no_cache)` (data outside the journal, such as tokens). A
//! request is first only noted; its answer is kept when it comes again. So one-off
//! queries do not crowd out repeated ones, and a request that is refused (invalid, too
//! complex) never costs even the journal check.
use crate::auth::Principal;
use crate::error::{ApiError, error_chain};
use crate::write::newest;
use actix_web::web::Bytes;
use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::parser::types::OperationType;
use async_graphql::{Request, Response};
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct ResponseCache {
    entries: Mutex<Entries>,
    head: DataLoader<JournalHead>,
    /// Most bytes of answers kept.
    budget: usize,
}

struct Entries {
    by_key: lru::LruCache<u64, Arc<Entry>>,
    bytes: usize,
}

struct Entry {
    /// The whole key, to rule out a collision of hashes.
    key: String,
    /// The answer and the journal id it was read at; none for a request only noted.
    answer: Option<(i64, Bytes)>,
}

impl Entry {
    fn cost(&self) -> usize {
        self.key.len() + self.answer.as_ref().map_or(0, |(_, body)| body.len())
    }
}

/// What storing the answer to a request needs: its key and, for a request seen before,
/// the state of the data it was read in.
pub struct Pending {
    hash: u64,
    key: String,
    version: Option<i64>,
}

/// What the cache holds for a request.
pub enum Lookup {
    /// The answer, as it was sent before.
    Hit(Bytes),
    /// Not there, only noted, or stale: store the answer with this once it is made.
    Miss(Pending),
    /// Not a request whose answer is kept.
    Uncached,
}

impl ResponseCache {
    /// A cache of at most `budget` bytes of answers.
    pub fn new(db: DatabaseConnection, budget: usize) -> Self {
        Self {
            entries: Mutex::new(Entries {
                by_key: lru::LruCache::unbounded(),
                bytes: 0,
            }),
            head: DataLoader::new(JournalHead(db), tokio::spawn).delay(Duration::ZERO),
            budget,
        }
    }

    /// Looks `request` up. A request errs on the side of running: when the journal
    /// cannot be read, it is not served from the cache.
    pub async fn lookup(
        &self,
        request: &Request,
        operation: Option<OperationType>,
        principal: Option<&Principal>,
    ) -> Lookup {
        if self.budget == 0 || operation != Some(OperationType::Query) {
            return Lookup::Uncached;
        }
        let key = key_of(request, principal);
        let hash = {
            let mut hasher = DefaultHasher::new();
            key.hash(&mut hasher);
            hasher.finish()
        };
        let known = self.entry(hash, &key).is_some();
        if !known {
            return Lookup::Miss(Pending {
                hash,
                key,
                version: None,
            });
        }
        let version = match self.head.load_one(()).await {
            Ok(version) => version.unwrap_or_default(),
            Err(_) => return Lookup::Uncached,
        };
        if let Some(entry) = self.entry(hash, &key)
            && let Some((read_at, body)) = &entry.answer
            && *read_at == version
        {
            return Lookup::Hit(body.clone());
        }
        Lookup::Miss(Pending {
            hash,
            key,
            version: Some(version),
        })
    }

    fn entry(&self, hash: u64, key: &str) -> Option<Arc<Entry>> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.by_key.get(&hash).filter(|e| e.key == key).cloned()
    }

    /// Keeps the answer `body` of a missed request, if `response` may be kept,
    /// evicting the least recently used answers to stay within the budget.
    pub fn store(&self, pending: Pending, response: &Response, body: &Bytes) {
        if !response.errors.is_empty() || response.cache_control.max_age < 0 {
            return;
        }
        let entry = Arc::new(Entry {
            key: pending.key,
            answer: pending.version.map(|version| (version, body.clone())),
        });
        let cost = entry.cost();
        if cost > self.budget / 4 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entry.answer.is_none() && entries.by_key.contains(&pending.hash) {
            return;
        }
        if let Some(replaced) = entries.by_key.put(pending.hash, entry) {
            entries.bytes -= replaced.cost();
        }
        entries.bytes += cost;
        while entries.bytes > self.budget {
            let Some((_, evicted)) = entries.by_key.pop_lru() else {
                break;
            };
            entries.bytes -= evicted.cost();
        }
    }
}

/// Everything an answer depends on besides the data: the document, the operation, the
/// variables, and the caller's role (what a role may see may differ).
fn key_of(request: &Request, principal: Option<&Principal>) -> String {
    let role = principal
        .map(|p| format!("{:?}", p.role))
        .unwrap_or_default();
    let variables = serde_json::to_string(&request.variables).unwrap_or_default();
    let operation = request.operation_name.as_deref().unwrap_or_default();
    format!("{role}\0{operation}\0{variables}\0{}", request.query)
}

/// Reads the newest journal id.
struct JournalHead(DatabaseConnection);

impl Loader<()> for JournalHead {
    type Value = i64;
    type Error = ApiError;

    async fn load(&self, _: &[()]) -> Result<HashMap<(), i64>, ApiError> {
        let newest = newest(&self.0).await.inspect_err(|e| {
            tracing::warn!(error = %error_chain(e), "response cache cannot read the journal");
        })?;
        Ok(HashMap::from([((), newest)]))
    }
}
