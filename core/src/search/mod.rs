//! Search: one document per searchable record, kept in step with every write in the
//! writing transaction, and queried through the database's own full-text engine
//! (FTS5 on SQLite, `tsvector` on PostgreSQL).
//!
//! Documents and queries are both reduced to search terms by
//! [`crate::names::search_terms`] (case, accents, Arabic articles and transliteration
//! variants folded). Typos are met by a deletion neighbourhood of the name terms: each
//! is stored under itself and its one-letter deletions, so a query word finds every
//! name term one edit away by equality on an index, the same way on both databases.
mod document;
mod query;

pub use document::{needs_rebuild, rebuild, sync};
pub use query::{Hit, SearchType, search_select};
