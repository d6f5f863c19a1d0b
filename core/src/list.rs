//! What a keyset-paged list is ordered by, as the domain's queries (search) and the
//! API's connections both describe it.
use sea_orm::sea_query::Expr;

/// The column a page's sort key is read into.
pub const SORT: &str = "_sort";

/// Whether a sort key is an integer, a float or a text column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    Int,
    Float,
    Text,
}

/// An order over one table: a sort key, then the id as tie-breaker.
#[derive(Clone, Debug)]
pub struct Ordering {
    /// Names the order inside cursors, so a cursor cannot be replayed under another.
    pub name: String,
    pub key: Expr,
    pub kind: KeyKind,
    pub id: Expr,
    pub descending: bool,
}

impl Ordering {
    pub fn new(
        name: impl Into<String>,
        key: Expr,
        kind: KeyKind,
        id: Expr,
        descending: bool,
    ) -> Self {
        Self {
            name: name.into(),
            key,
            kind,
            id,
            descending,
        }
    }
}
