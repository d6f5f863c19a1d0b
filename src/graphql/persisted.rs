//! Automatic persisted queries (Apollo's protocol): a client registers a document by
//! sending it with its SHA-256, then sends the hash alone.
//!
//! A document sent by hash is held to the same limits as one sent in full, and a
//! document is only stored once it has passed all of them (see `Gateway::admit`): an
//! 8 MiB registration used to be kept before the limits refused it. The store is
//! bounded by entries and by bytes.
use crate::error::GarrisonError;
use async_graphql::Request;
use sha2::{Digest, Sha256};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// The documents registered, least recently used evicted first.
pub struct PersistedQueries {
    store: Mutex<Store>,
    max_bytes: usize,
}

struct Store {
    documents: lru::LruCache<String, Arc<str>>,
    bytes: usize,
}

/// A document that asks to be registered under its (verified) hash once it has
/// passed the limits.
pub struct Registration(String);

impl PersistedQueries {
    pub fn new(capacity: usize, max_bytes: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        Self {
            store: Mutex::new(Store {
                documents: lru::LruCache::new(capacity),
                bytes: 0,
            }),
            max_bytes,
        }
    }

    /// Takes the `persistedQuery` extension out of `request`: puts the registered
    /// document into a request that has only the hash, or returns the registration
    /// a request with its document asks for (stored by [`register`](Self::register)).
    pub fn prepare(&self, request: &mut Request) -> Result<Option<Registration>, GarrisonError> {
        let Some(extension) = request.extensions.remove("persistedQuery") else {
            return Ok(None);
        };
        let invalid = |reason: &str| GarrisonError::invalid("extensions.persistedQuery", reason);
        let extension = extension
            .into_json()
            .map_err(|_| invalid("must be an object"))?;
        if extension.get("version").and_then(|v| v.as_i64()) != Some(1) {
            return Err(invalid("only version 1 is supported"));
        }
        let Some(hash) = extension.get("sha256Hash").and_then(|v| v.as_str()) else {
            return Err(invalid("sha256Hash must be a string"));
        };
        if request.query.is_empty() {
            let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
            let document = store
                .documents
                .get(hash)
                .ok_or(GarrisonError::PersistedQueryNotFound)?;
            request.query = document.to_string();
            return Ok(None);
        }
        if hex::encode(Sha256::digest(request.query.as_bytes())) != hash {
            return Err(invalid("sha256Hash is not the SHA-256 of the query"));
        }
        Ok(Some(Registration(hash.to_owned())))
    }

    /// Stores an admitted document, evicting the least recently used ones while the
    /// store is over its budget of bytes.
    pub fn register(&self, registration: Registration, document: &str) {
        let size = registration.0.len() + document.len();
        if size > self.max_bytes {
            return;
        }
        let mut store = self.store.lock().unwrap_or_else(|e| e.into_inner());
        let entry_size = |hash: &str, doc: &str| hash.len() + doc.len();
        if let Some((hash, old)) = store.documents.push(registration.0, document.into()) {
            store.bytes -= entry_size(&hash, &old);
        }
        store.bytes += size;
        while store.bytes > self.max_bytes {
            match store.documents.pop_lru() {
                Some((hash, old)) => store.bytes -= entry_size(&hash, &old),
                None => break,
            }
        }
    }

    /// The bytes of the documents stored.
    pub fn bytes(&self) -> usize {
        self.store.lock().unwrap_or_else(|e| e.into_inner()).bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registration(document: &str) -> Registration {
        Registration(hex::encode(Sha256::digest(document.as_bytes())))
    }

    #[test]
    fn the_store_stays_within_its_bytes() {
        let store = PersistedQueries::new(1_000, 1_000);
        for i in 0..100 {
            let document = format!("{{ a{i} {} }}", "b ".repeat(100));
            store.register(registration(&document), &document);
            assert!(store.bytes() <= 1_000, "{} bytes", store.bytes());
        }
        let huge = "c ".repeat(1_000);
        store.register(registration(&huge), &huge);
        assert!(store.bytes() <= 1_000);
    }

    #[test]
    fn registering_the_same_document_again_counts_it_once() {
        let store = PersistedQueries::new(10, 10_000);
        for _ in 0..5 {
            store.register(registration("{ a }"), "{ a }");
        }
        assert_eq!(store.bytes(), 64 + 5);
    }
}
