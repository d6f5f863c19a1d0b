//! Writing the graph.
//!
//! Every create, update and delete of every record type, whether it comes from a
//! GraphQL mutation or a bundle import, goes through the generic operations here
//! inside a [`Session`] (one transaction): the same validation, the same optimistic
//! concurrency on `version`, the same delete rules, and one journal entry per
//! record written, committed with the data or not at all.
pub mod fields;
mod journal;
mod names;
mod operations;
pub mod records;
mod session;
pub mod validate;

pub use journal::{Entry, FieldChange, Operation, newest, serialise};
pub use names::{
    Aliases, Identity, Named, NamedChanges, aliases_of, create_or_merge, refuse_duplicate,
};
pub use operations::{
    ChildWrites, ColumnOf, Dependent, ModelOf, RowOf, Storable, Writable, create, delete, find,
    sync_children, update,
};
pub use session::{Children, Reference, Session};
