//! Keyset (cursor) pagination, one generic piece for every connection, at the root and
//! nested under lists.
//!
//! A page is read with `ORDER BY key, id` and a `WHERE (key, id) > cursor` bound, never
//! OFFSET, so page 100 costs what page 1 costs. Nested connections ask for the pages of
//! many parents at once, each parent's page limited inside SQL (a LATERAL join on
//! PostgreSQL, a branch per parent on SQLite), so one statement serves a whole level of
//! the query and each page reads only its own rows.
use crate::error::{ApiError, ApiResult};
use async_graphql::{Context, Object, OutputType, TypeName, connection::PageInfo};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, JoinType, Order, Query, SelectStatement, SqliteQueryBuilder,
    UnionType,
};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, QueryResult};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// Largest `first` or `last` accepted.
pub const MAX_PAGE_SIZE: u64 = 100;
/// Longest cursor accepted (ours are well under: an order name, a key and an id).
const MAX_CURSOR_BYTES: usize = 1_024;

pub use garrison_core::list::{KeyKind, Ordering, SORT};
const PARENT: &str = "_parent";
/// Parents per statement when SQLite unites one branch per parent (its limit on the
/// terms of a compound SELECT is 500).
const BRANCHES: usize = 400;

/// The value a row is sorted by, kept in its cursor.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SortValue {
    Int(i64),
    Float(FloatKey),
    Text(String),
}

/// A float sort value (a distance, a search score), equal and hashed by its bits. It
/// survives the JSON of a cursor exactly because serde_json parses floats with
/// `float_roundtrip`; a last-digit error would skip or repeat rows at a page edge.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FloatKey(pub f64);

impl PartialEq for FloatKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}
impl Eq for FloatKey {}
impl std::hash::Hash for FloatKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state)
    }
}

/// Where a page starts: the sort value and id of the row before it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "o")]
    order: String,
    #[serde(rename = "k")]
    key: SortValue,
    #[serde(rename = "i")]
    id: i64,
}

impl Cursor {
    fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).expect("cursor serializes"))
    }

    /// The cursor `text` of the list ordered as `ordering`: refused when it is not
    /// one of ours, belongs to another ordering, or holds a key of another type than
    /// the ordering's (which SQLite would compare without complaint and PostgreSQL
    /// refuse at run time).
    fn decode(text: &str, field: &str, ordering: &Ordering) -> ApiResult<Self> {
        if text.len() > MAX_CURSOR_BYTES {
            return Err(ApiError::invalid(field, "is not a valid cursor"));
        }
        let invalid = || ApiError::invalid(field, format!("\"{text}\" is not a valid cursor"));
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
        let mut cursor: Self = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if cursor.order != ordering.name {
            return Err(ApiError::invalid(
                field,
                "the cursor belongs to another ordering of this list",
            ));
        }
        cursor.key = match (ordering.kind, cursor.key) {
            (KeyKind::Int, key @ SortValue::Int(_))
            | (KeyKind::Float, key @ SortValue::Float(_))
            | (KeyKind::Text, key @ SortValue::Text(_)) => key,
            // A whole float (a distance of exactly 0) reads back as an integer.
            (KeyKind::Float, SortValue::Int(n)) => SortValue::Float(FloatKey(n as f64)),
            _ => return Err(invalid()),
        };
        Ok(cursor)
    }
}

/// A validated `first/after/last/before`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageRequest {
    size: u64,
    from_end: bool,
    after: Option<Cursor>,
    before: Option<Cursor>,
}

/// The Relay connection arguments as a field receives them.
#[derive(Clone, Debug, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            first,
            after,
            last,
            before,
        }
    }

    /// Checks the arguments against `ordering` and the page-size limits.
    pub fn validate(&self, ordering: &Ordering) -> ApiResult<PageRequest> {
        let size = |value: i32, field: &str| -> ApiResult<u64> {
            match u64::try_from(value) {
                Ok(n) if n <= MAX_PAGE_SIZE => Ok(n),
                Ok(_) => Err(ApiError::invalid(
                    field,
                    format!("{value} is above the maximum page size of {MAX_PAGE_SIZE}"),
                )),
                Err(_) => Err(ApiError::invalid(field, "must not be negative")),
            }
        };
        let (size, from_end) = match (self.first, self.last) {
            (Some(_), Some(_)) => {
                return Err(ApiError::invalid(
                    "last",
                    "pass either first or last, not both",
                ));
            }
            (Some(first), None) => (size(first, "first")?, false),
            (None, Some(last)) => (size(last, "last")?, true),
            (None, None) => (DEFAULT_PAGE_SIZE, false),
        };
        let cursor = |text: &Option<String>, field| {
            text.as_deref()
                .map(|t| Cursor::decode(t, field, ordering))
                .transpose()
        };
        Ok(PageRequest {
            size,
            from_end,
            after: cursor(&self.after, "after")?,
            before: cursor(&self.before, "before")?,
        })
    }
}

/// One page of rows with the cursors and flags of the Relay spec.
#[derive(Clone, Debug)]
pub struct Page<M> {
    pub rows: Vec<(M, Cursor)>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
}

/// A list query: its filtered `SELECT`, its order and the page asked for. Nested
/// connections also name the expression that ties a row to its parent.
#[derive(Debug)]
pub struct ListQuery {
    /// Identifies equal queries (same SQL, order and page) so loaders can batch them.
    fingerprint: String,
    select: SelectStatement,
    parent: Option<Expr>,
    ordering: Ordering,
    page: PageRequest,
}

impl PartialEq for ListQuery {
    fn eq(&self, other: &Self) -> bool {
        self.fingerprint == other.fingerprint
    }
}
impl Eq for ListQuery {}
impl std::hash::Hash for ListQuery {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.fingerprint.hash(state)
    }
}

impl ListQuery {
    pub fn new(
        select: SelectStatement,
        parent: Option<Expr>,
        ordering: Ordering,
        page: PageRequest,
    ) -> Self {
        let mut shape = select.clone();
        if let Some(parent) = &parent {
            shape.expr(parent.clone());
        }
        let fingerprint = format!(
            "{} | {:?} {} | {:?}",
            shape.to_string(SqliteQueryBuilder),
            ordering.kind,
            ordering.name,
            page
        );
        Self {
            fingerprint,
            select,
            parent,
            ordering,
            page,
        }
    }

    /// The query bounded by the page's cursors, with the sort key selected.
    fn bounded(&self) -> SelectStatement {
        let mut select = self.select.clone();
        let o = &self.ordering;
        // Numbers are read back as i64 or f64 whatever the column's width (INT4 or
        // REAL on PostgreSQL).
        let selected = match o.kind {
            KeyKind::Int => o.key.clone().cast_as(Alias::new("BIGINT")),
            KeyKind::Float => o.key.clone().cast_as(Alias::new("DOUBLE PRECISION")),
            KeyKind::Text => o.key.clone(),
        };
        select.expr_as(selected, Alias::new(SORT));
        if let Some(after) = &self.page.after {
            select.and_where(beyond(o, after, !o.descending));
        }
        if let Some(before) = &self.page.before {
            select.and_where(beyond(o, before, o.descending));
        }
        select
    }

    /// The direction rows are read in: reversed when reading from the end.
    fn read_order(&self) -> Order {
        if self.ordering.descending != self.page.from_end {
            Order::Desc
        } else {
            Order::Asc
        }
    }

    /// Reads one page of a root list.
    pub async fn fetch<M: sea_orm::FromQueryResult>(
        &self,
        db: &DatabaseConnection,
    ) -> ApiResult<Page<M>> {
        let mut select = self.bounded();
        let order = self.read_order();
        select
            .order_by_expr(self.ordering.key.clone(), order.clone())
            .order_by_expr(self.ordering.id.clone(), order)
            .limit(self.page.size + 1);
        let rows = db.query_all(&select).await?;
        let rows = rows
            .iter()
            .map(|row| self.decode(row))
            .collect::<ApiResult<Vec<_>>>()?;
        Ok(self.paginate(rows))
    }

    /// Reads the page of every parent in `parents`. Each parent's page is the head of
    /// its own ordered, limited query, so an index on (parent, key) serves it without
    /// reading the parent's other rows (the latest ten events of a base with a hundred
    /// thousand). PostgreSQL joins the parents LATERAL to that query: one statement.
    /// SQLite, which has no LATERAL, unites one branch per parent: one statement per
    /// [`BRANCHES`] parents.
    pub async fn fetch_for_parents<M: sea_orm::FromQueryResult>(
        &self,
        db: &DatabaseConnection,
        parents: &[i64],
    ) -> ApiResult<HashMap<i64, Page<M>>> {
        let statements = match db.get_database_backend() {
            DatabaseBackend::Postgres => vec![self.lateral(parents)],
            _ => parents.chunks(BRANCHES).map(|c| self.united(c)).collect(),
        };
        let mut grouped: HashMap<i64, Vec<(M, Cursor)>> = HashMap::new();
        for statement in statements {
            for row in db.query_all(&statement).await? {
                let parent: i64 = row.try_get("", PARENT)?;
                grouped.entry(parent).or_default().push(self.decode(&row)?);
            }
        }
        Ok(parents
            .iter()
            .map(|p| (*p, self.paginate(grouped.remove(p).unwrap_or_default())))
            .collect())
    }

    /// The page of the parent whose id `parent_id` gives (a value, or a column of an
    /// outer query), with the parent's id selected.
    fn page_of(&self, parent_id: Expr) -> SelectStatement {
        let parent = self.parent.clone().expect("nested list query has a parent");
        let mut select = self.bounded();
        let order = self.read_order();
        select
            .expr_as(parent.clone(), Alias::new(PARENT))
            .and_where(parent.eq(parent_id))
            .order_by_expr(self.ordering.key.clone(), order.clone())
            .order_by_expr(self.ordering.id.clone(), order)
            .limit(self.page.size + 1);
        select
    }

    /// `SELECT page.* FROM (VALUES …) parents JOIN LATERAL (<page of parent>) page`.
    fn lateral(&self, parents: &[i64]) -> SelectStatement {
        let parent_id = Expr::col((Alias::new("parents"), Alias::new("column1")));
        let mut outer = Query::select();
        outer
            .column((Alias::new("page"), Asterisk))
            .from_values(parents.iter().copied(), Alias::new("parents"))
            .join_lateral(
                JoinType::InnerJoin,
                self.page_of(parent_id),
                Alias::new("page"),
                Expr::val(true).eq(true),
            );
        self.in_page_order(outer)
    }

    /// The pages of `parents`, one `UNION ALL` branch each.
    fn united(&self, parents: &[i64]) -> SelectStatement {
        let mut branches = parents.iter().map(|p| {
            Query::select()
                .column(Asterisk)
                .from_subquery(self.page_of(Expr::val(*p)), Alias::new("branch"))
                .to_owned()
        });
        let mut union = branches.next().expect("at least one parent");
        union.unions(branches.map(|b| (UnionType::All, b)));
        let mut outer = Query::select();
        outer
            .column(Asterisk)
            .from_subquery(union, Alias::new("page"));
        self.in_page_order(outer)
    }

    /// Orders the rows of many pages by parent, then as each page reads.
    fn in_page_order(&self, mut select: SelectStatement) -> SelectStatement {
        let order = self.read_order();
        select
            .order_by(Alias::new(PARENT), Order::Asc)
            .order_by(Alias::new(SORT), order.clone())
            .order_by(Alias::new("id"), order);
        select
    }

    /// Counts the rows of a root list, ignoring the page.
    pub async fn count(&self, db: &DatabaseConnection) -> ApiResult<u64> {
        let outer = Query::select()
            .expr_as(Expr::col(Asterisk).count(), Alias::new("n"))
            .from_subquery(self.select.clone(), Alias::new("counted"))
            .to_owned();
        let row = db.query_one(&outer).await?;
        let n: i64 = match row {
            Some(row) => row.try_get("", "n")?,
            None => 0,
        };
        Ok(n as u64)
    }

    /// Counts the rows of a nested list for every parent in `parents`.
    pub async fn count_for_parents(
        &self,
        db: &DatabaseConnection,
        parents: &[i64],
    ) -> ApiResult<HashMap<i64, u64>> {
        let parent = self.parent.clone().expect("nested list query has a parent");
        let mut inner = self.select.clone();
        inner
            .expr_as(parent.clone(), Alias::new(PARENT))
            .and_where(parent.is_in(parents.iter().copied()));
        let outer = Query::select()
            .column(Alias::new(PARENT))
            .expr_as(Expr::col(Asterisk).count(), Alias::new("n"))
            .from_subquery(inner, Alias::new("counted"))
            .group_by_col(Alias::new(PARENT))
            .to_owned();
        let mut counts: HashMap<i64, u64> = parents.iter().map(|p| (*p, 0)).collect();
        for row in db.query_all(&outer).await? {
            let parent: i64 = row.try_get("", PARENT)?;
            let n: i64 = row.try_get("", "n")?;
            counts.insert(parent, n as u64);
        }
        Ok(counts)
    }

    fn decode<M: sea_orm::FromQueryResult>(&self, row: &QueryResult) -> ApiResult<(M, Cursor)> {
        let model = M::from_query_result(row, "")?;
        let key = match self.ordering.kind {
            KeyKind::Int => SortValue::Int(row.try_get("", SORT)?),
            KeyKind::Float => SortValue::Float(FloatKey(row.try_get("", SORT)?)),
            KeyKind::Text => SortValue::Text(row.try_get("", SORT)?),
        };
        let id: i64 = row.try_get("", "id")?;
        let cursor = Cursor {
            order: self.ordering.name.clone(),
            key,
            id,
        };
        Ok((model, cursor))
    }

    /// Trims the look-ahead row and sets the Relay flags.
    fn paginate<M>(&self, mut rows: Vec<(M, Cursor)>) -> Page<M> {
        let more = rows.len() as u64 > self.page.size;
        rows.truncate(self.page.size as usize);
        if self.page.from_end {
            rows.reverse();
            Page {
                rows,
                has_previous_page: more,
                has_next_page: self.page.before.is_some(),
            }
        } else {
            Page {
                rows,
                has_previous_page: self.page.after.is_some(),
                has_next_page: more,
            }
        }
    }
}

/// Rows strictly past `cursor`: after it when `ascending`, before it otherwise.
fn beyond(ordering: &Ordering, cursor: &Cursor, ascending: bool) -> Expr {
    let key = match &cursor.key {
        SortValue::Int(v) => Expr::val(*v),
        SortValue::Float(v) => Expr::val(v.0),
        SortValue::Text(v) => Expr::val(v.clone()),
    };
    let (past_key, past_id) = if ascending {
        (
            ordering.key.clone().gt(key.clone()),
            ordering.id.clone().gt(cursor.id),
        )
    } else {
        (
            ordering.key.clone().lt(key.clone()),
            ordering.id.clone().lt(cursor.id),
        )
    };
    past_key.or(ordering.key.clone().eq(key).and(past_id))
}

/// What `totalCount` counts: a root list, or one parent's nested list (batched).
#[derive(Clone)]
pub enum TotalCount {
    Root(Arc<ListQuery>),
    Nested(Arc<ListQuery>, i64),
}

/// A type that connections list, and the edges they show it in: [`Edge`] for most,
/// [`MeasuredEdge`] (with `distanceKm`) for the types a list can order by distance.
pub trait Listed: Send + Sync + Sized + 'static {
    type Edge: EdgeOf<Self>;
}

/// An edge of a connection of `N`.
pub trait EdgeOf<N>: Send + Sync + 'static {
    fn new(cursor: String, node: N) -> Self;
    fn cursor(&self) -> &str;
    fn node(&self) -> &N;
    fn into_node(self) -> N;
}

/// A Relay connection of `N`, named `<N>Connection`.
pub struct Connection<N: Listed> {
    edges: Vec<N::Edge>,
    has_previous_page: bool,
    has_next_page: bool,
    total: TotalCount,
}

impl<N: Listed> Connection<N> {
    /// The nodes of this page, for internal use of a connection's rows.
    pub fn into_nodes(self) -> Vec<N> {
        self.edges.into_iter().map(EdgeOf::into_node).collect()
    }

    pub fn new<M>(page: Page<M>, total: TotalCount, wrap: impl Fn(M) -> N) -> Self {
        Self {
            has_previous_page: page.has_previous_page,
            has_next_page: page.has_next_page,
            edges: page
                .rows
                .into_iter()
                .map(|(model, cursor)| N::Edge::new(cursor.encode(), wrap(model)))
                .collect(),
            total,
        }
    }
}

impl<N: Listed<Edge = MeasuredEdge<N>>> Connection<N> {
    /// Sets each edge's `distanceKm` (from the point of a `near` filter).
    pub fn measure(mut self, distance: impl Fn(&N) -> Option<f64>) -> Self {
        for edge in &mut self.edges {
            edge.distance_km = distance(&edge.node);
        }
        self
    }
}

impl<N: Listed + OutputType> TypeName for Connection<N> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Connection", N::type_name()).into()
    }
}

#[Object(name_type)]
impl<N: Listed + OutputType> Connection<N>
where
    N::Edge: OutputType,
{
    /// Information to aid in pagination.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
            start_cursor: self.edges.first().map(|e| e.cursor().to_owned()),
            end_cursor: self.edges.last().map(|e| e.cursor().to_owned()),
        }
    }

    /// The edges of this page.
    async fn edges(&self) -> &[N::Edge] {
        &self.edges
    }

    /// The nodes of this page, without their cursors.
    async fn nodes(&self) -> Vec<&N> {
        self.edges.iter().map(|e| e.node()).collect()
    }

    /// How many items the whole list holds, across all pages. Counted only when asked.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        Ok(super::loader::total_count(ctx, &self.total).await?)
    }
}

/// One item of a connection with its cursor, named `<N>Edge`.
pub struct Edge<N> {
    cursor: String,
    node: N,
}

impl<N: Send + Sync + 'static> EdgeOf<N> for Edge<N> {
    fn new(cursor: String, node: N) -> Self {
        Self { cursor, node }
    }
    fn cursor(&self) -> &str {
        &self.cursor
    }
    fn node(&self) -> &N {
        &self.node
    }
    fn into_node(self) -> N {
        self.node
    }
}

impl<N: OutputType> TypeName for Edge<N> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Edge", N::type_name()).into()
    }
}

#[Object(name_type)]
impl<N: OutputType> Edge<N> {
    /// Where this item stands, for `after` and `before`.
    async fn cursor(&self) -> &str {
        &self.cursor
    }

    /// The item.
    async fn node(&self) -> &N {
        &self.node
    }
}

/// An item of a list that can be ordered by distance (bases, events), named
/// `<N>Edge`: its cursor, the item, and how far it is from the list's `near` point.
pub struct MeasuredEdge<N> {
    cursor: String,
    node: N,
    distance_km: Option<f64>,
}

impl<N: Send + Sync + 'static> EdgeOf<N> for MeasuredEdge<N> {
    fn new(cursor: String, node: N) -> Self {
        Self {
            cursor,
            node,
            distance_km: None,
        }
    }
    fn cursor(&self) -> &str {
        &self.cursor
    }
    fn node(&self) -> &N {
        &self.node
    }
    fn into_node(self) -> N {
        self.node
    }
}

impl<N: OutputType> TypeName for MeasuredEdge<N> {
    fn type_name() -> Cow<'static, str> {
        format!("{}Edge", N::type_name()).into()
    }
}

#[Object(name_type)]
impl<N: OutputType> MeasuredEdge<N> {
    /// Where this item stands, for `after` and `before`.
    async fn cursor(&self) -> &str {
        &self.cursor
    }

    /// The item.
    async fn node(&self) -> &N {
        &self.node
    }

    /// Great-circle distance in kilometres from the `near` point of the list's filter;
    /// null when the list has no `near` filter or the item no location.
    async fn distance_km(&self) -> Option<f64> {
        self.distance_km
    }
}
