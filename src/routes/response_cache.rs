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
//!
//! Identical requests that arrive while one of them is being answered wait for that
//! answer instead of running too: after a write, or when a dashboard opens on many
//! screens at once, the work and the memory of one answer serve them all.
use crate::auth::Principal;
use crate::error::{ApiError, error_chain};
use crate::write::newest;
use actix_web::web::Bytes;
use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::parser::types::OperationType;
use async_graphql::{Request, Response};
use garrison_core::visibility::Clearance;
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::watch;

pub struct ResponseCache {
    state: Mutex<State>,
    head: DataLoader<JournalHead>,
    /// Most bytes of answers kept.
    budget: usize,
}

struct State {
    entries: lru::LruCache<u64, Arc<Entry>>,
    /// Bytes the entries hold.
    bytes: usize,
    /// Requests being answered, by key hash.
    flights: HashMap<u64, Flight>,
    flights_started: u64,
}

struct Entry {
    /// The whole key, to rule out a collision of hashes.
    key: Arc<str>,
    kept: Kept,
}

enum Kept {
    /// Seen once.
    Noted,
    /// The answer, read when the journal's newest id was `version`.
    Answer { version: i64, body: Bytes },
    /// Its answers may not be kept (errors, or data outside the journal).
    Never,
}

impl Entry {
    fn cost(&self) -> usize {
        self.key.len()
            + match &self.kept {
                Kept::Answer { body, .. } => body.len(),
                Kept::Noted | Kept::Never => 0,
            }
    }
}

/// A request being answered; dropped (answer stored or not), it wakes who waits.
struct Flight {
    id: u64,
    key: Arc<str>,
    version: Option<i64>,
    done: watch::Sender<()>,
}

/// A request this one leads: storing its answer needs the key and, for a request seen
/// before, the state of the data it was read in. Dropping it ends the flight.
pub struct Pending<'c> {
    cache: &'c ResponseCache,
    hash: u64,
    key: Arc<str>,
    version: Option<i64>,
    flight: u64,
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        let mut state = self.cache.lock();
        if state
            .flights
            .get(&self.hash)
            .is_some_and(|f| f.id == self.flight)
        {
            state.flights.remove(&self.hash);
        }
    }
}

/// What the cache holds for a request.
pub enum Lookup<'c> {
    /// The answer, as it was sent before.
    Hit(Bytes),
    /// Not there, only noted, or stale: run the request and store its answer.
    Miss(Pending<'c>),
    /// Not a request whose answer is kept.
    Uncached,
}

/// Where a lookup stands after looking at the state.
enum Next<'c> {
    Done(Lookup<'c>),
    /// Wait for the request being answered, then look again.
    Wait(watch::Receiver<()>),
}

impl ResponseCache {
    /// A cache of at most `budget` bytes of answers (none when 0).
    pub fn new(db: DatabaseConnection, budget: usize) -> Self {
        Self {
            state: Mutex::new(State {
                entries: lru::LruCache::unbounded(),
                bytes: 0,
                flights: HashMap::new(),
                flights_started: 0,
            }),
            head: DataLoader::new(JournalHead(db), tokio::spawn).delay(Duration::ZERO),
            budget,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Looks `request` up. A request errs on the side of running: when the journal
    /// cannot be read, it is not served from the cache.
    pub async fn lookup(
        &self,
        request: &Request,
        operation: Option<OperationType>,
        principal: Option<&Principal>,
        clearance: Clearance,
    ) -> Lookup<'_> {
        if self.budget == 0 || operation != Some(OperationType::Query) {
            return Lookup::Uncached;
        }
        let key: Arc<str> = key_of(request, principal, clearance).into();
        let hash = {
            let mut hasher = DefaultHasher::new();
            key.hash(&mut hasher);
            hasher.finish()
        };
        loop {
            let next = match self.before_journal(hash, &key) {
                Some(next) => next,
                None => match self.head.load_one(()).await {
                    Ok(version) => self.at(hash, &key, version.unwrap_or_default()),
                    Err(_) => return Lookup::Uncached,
                },
            };
            match next {
                Next::Done(lookup) => return lookup,
                // An error means the flight ended without a word, which is the word.
                Next::Wait(mut done) => drop(done.changed().await),
            }
        }
    }

    /// What can be told without the journal: a request never seen runs (and leads the
    /// identical ones arriving meanwhile); one whose answers are never kept runs.
    /// `None`: the journal's newest id decides.
    fn before_journal(&self, hash: u64, key: &Arc<str>) -> Option<Next<'_>> {
        let mut state = self.lock();
        let kept = state
            .entry(hash, key)
            .map(|e| matches!(e.kept, Kept::Never));
        match (kept, state.flight(hash, key)) {
            (Some(true), _) => Some(Next::Done(Lookup::Uncached)),
            (None, None) => Some(Next::Done(Lookup::Miss(
                self.lead(&mut state, hash, key, None),
            ))),
            (None, Some(flight)) => Some(Next::Wait(flight.done.subscribe())),
            (Some(false), _) => None,
        }
    }

    /// What to do at journal id `version`: the answer read at it, the flight reading
    /// it, or lead a new one.
    fn at(&self, hash: u64, key: &Arc<str>, version: i64) -> Next<'_> {
        let mut state = self.lock();
        if let Some(entry) = state.entry(hash, key)
            && let Kept::Answer {
                version: read_at,
                body,
            } = &entry.kept
            && *read_at == version
        {
            return Next::Done(Lookup::Hit(body.clone()));
        }
        match state.flight(hash, key) {
            Some(flight) if flight.version == Some(version) => Next::Wait(flight.done.subscribe()),
            _ => Next::Done(Lookup::Miss(self.lead(
                &mut state,
                hash,
                key,
                Some(version),
            ))),
        }
    }

    /// Starts a flight for the request (replacing one reading an older state).
    fn lead(
        &self,
        state: &mut State,
        hash: u64,
        key: &Arc<str>,
        version: Option<i64>,
    ) -> Pending<'_> {
        state.flights_started += 1;
        let id = state.flights_started;
        let (done, _) = watch::channel(());
        let flight = Flight {
            id,
            key: key.clone(),
            version,
            done,
        };
        state.flights.insert(hash, flight);
        Pending {
            cache: self,
            hash,
            key: key.clone(),
            version,
            flight: id,
        }
    }

    /// Keeps what the answer `body` of a request it led allows: the answer, if
    /// `response` may be kept and the request was seen before; a note, the first
    /// time. The least recently used entries go to stay within the budget.
    pub fn store(&self, pending: Pending<'_>, response: &Response, body: &Bytes) {
        let keepable = response.errors.is_empty()
            && response.cache_control.max_age >= 0
            && pending.key.len() + body.len() <= self.budget / 4;
        let kept = match pending.version {
            _ if !keepable => Kept::Never,
            None => Kept::Noted,
            Some(version) => Kept::Answer {
                version,
                body: body.clone(),
            },
        };
        let entry = Arc::new(Entry {
            key: pending.key.clone(),
            kept,
        });
        let cost = entry.cost();
        let mut state = self.lock();
        if let Some(replaced) = state.entries.put(pending.hash, entry) {
            state.bytes -= replaced.cost();
        }
        state.bytes += cost;
        while state.bytes > self.budget {
            let Some((_, evicted)) = state.entries.pop_lru() else {
                break;
            };
            state.bytes -= evicted.cost();
        }
    }
}

impl State {
    fn entry(&mut self, hash: u64, key: &str) -> Option<&Arc<Entry>> {
        self.entries.get(&hash).filter(|e| &*e.key == key)
    }

    fn flight(&self, hash: u64, key: &str) -> Option<&Flight> {
        self.flights.get(&hash).filter(|f| &*f.key == key)
    }
}

/// Everything an answer depends on besides the data: the document, the operation, the
/// variables, the caller's role (what a role may see may differ) and clearance (what
/// it may read does): an answer is kept and served per clearance.
fn key_of(request: &Request, principal: Option<&Principal>, clearance: Clearance) -> String {
    let role = principal
        .map(|p| format!("{:?}", p.role))
        .unwrap_or_default();
    let role = format!("{role}\0{}", clearance.0.rank());
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
