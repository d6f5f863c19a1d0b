//! Keyset (cursor) pagination, one generic piece for every connection, at the root and
//! nested under lists.
//!
//! A page is read with `ORDER BY key, id` and a `WHERE (key, id) > cursor` bound, never
//! OFFSET, so page 100 costs what page 1 costs. Nested connections ask for the pages of
//! many parents at once, each parent's page limited inside SQL (a LATERAL join on
//! PostgreSQL, a branch per parent on SQLite), so one statement serves a whole level of
//! the query and each page reads only its own rows.
//!
//! Three parts: [`cursor`] (the cursor codec and the Relay arguments), [`list`] (the
//! list queries in SQL, root and nested) and [`connection`] (the GraphQL types).
mod connection;
mod cursor;
mod list;

pub use connection::{Connection, Edge, EdgeOf, Listed, MeasuredEdge};
pub use cursor::{Cursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageArgs, PageRequest};
pub use garrison_core::list::{KeyKind, Ordering, SORT};
pub use list::{NestedList, Page, RootList, TotalCount};
