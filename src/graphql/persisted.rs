//! Automatic persisted queries (Apollo's protocol): a client registers a document by
//! sending it with its SHA-256, then sends the hash alone.
//!
//! Resolved before any other check, so a document sent by hash keeps the same limits
//! as one sent in full.
use crate::error::GarrisonError;
use async_graphql::Request;
use sha2::{Digest, Sha256};
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// The documents registered, least recently used evicted first.
pub struct PersistedQueries(Mutex<lru::LruCache<String, Arc<str>>>);

impl PersistedQueries {
    pub fn new(capacity: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        Self(Mutex::new(lru::LruCache::new(capacity)))
    }

    /// Takes the `persistedQuery` extension out of `request`: registers the document it
    /// carries, or puts the registered document into a request that has only the hash.
    pub fn resolve(&self, request: &mut Request) -> Result<(), GarrisonError> {
        let Some(extension) = request.extensions.remove("persistedQuery") else {
            return Ok(());
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
        let mut documents = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if request.query.is_empty() {
            let document = documents
                .get(hash)
                .ok_or(GarrisonError::PersistedQueryNotFound)?;
            request.query = document.to_string();
        } else {
            if hex::encode(Sha256::digest(request.query.as_bytes())) != hash {
                return Err(invalid("sha256Hash is not the SHA-256 of the query"));
            }
            documents.put(hash.to_owned(), request.query.as_str().into());
        }
        Ok(())
    }
}
