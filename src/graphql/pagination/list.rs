//! List queries in SQL: one page of a root list, or the pages of many parents of a
//! nested list in one statement. The two are different types, so that a nested list
//! without its parent cannot be written.
use super::cursor::{Cursor, FloatKey, PageRequest, SortValue};
use crate::error::ApiResult;
use garrison_core::list::{KeyKind, Ordering, SORT};
use sea_orm::sea_query::Iden;
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, JoinType, Order, Query, SelectStatement, SqliteQueryBuilder,
    UnionType,
};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DeriveIden, QueryResult};
use std::collections::HashMap;
use std::sync::Arc;

/// The column a nested page's parent id is read into.
const PARENT: &str = "_parent";

/// The names a list statement gives its derived tables and columns. Every listed row
/// has an `id` (a record's, a timeline moment's or a search document's).
#[derive(DeriveIden, Clone, Copy)]
enum Derived {
    Id,
    /// A count.
    N,
    /// The subquery counted.
    Counted,
    /// The parents' ids, as a `VALUES` table with its one column.
    Parents,
    Column1,
    /// One parent's page (`branch`), and the union of them (`page`).
    Branch,
    Page,
}
/// Parents per statement when SQLite unites one branch per parent (its limit on the
/// terms of a compound SELECT is 500).
const BRANCHES: usize = 400;

/// One page of rows with the cursors and flags of the Relay spec.
#[derive(Clone, Debug)]
pub struct Page<M> {
    pub rows: Vec<(M, Cursor)>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
}

/// What every list query is: its filtered `SELECT`, its order and the page asked for.
#[derive(Debug)]
struct ListQuery {
    /// Identifies equal queries (same SQL, order and page) so loaders can batch them.
    fingerprint: String,
    select: SelectStatement,
    ordering: Ordering,
    page: PageRequest,
}

/// A root list (`bases`, `search`): one page.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct RootList(ListQuery);

/// A list nested under parents (`Base.events`): the pages of many parents at once.
/// `parent` is the expression of the `SELECT` that ties a row to its parent's id.
#[derive(Debug)]
pub struct NestedList {
    list: ListQuery,
    parent: Expr,
}

impl PartialEq for NestedList {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}
impl Eq for NestedList {}
impl std::hash::Hash for NestedList {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.list.hash(state)
    }
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
    fn new(
        select: SelectStatement,
        parent: Option<&Expr>,
        ordering: Ordering,
        page: PageRequest,
    ) -> Self {
        let mut shape = select.clone();
        if let Some(parent) = parent {
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

    fn decode<M: sea_orm::FromQueryResult>(&self, row: &QueryResult) -> ApiResult<(M, Cursor)> {
        let model = M::from_query_result(row, "")?;
        let key = match self.ordering.kind {
            KeyKind::Int => SortValue::Int(row.try_get("", SORT)?),
            KeyKind::Float => SortValue::Float(FloatKey(row.try_get("", SORT)?)),
            KeyKind::Text => SortValue::Text(row.try_get("", SORT)?),
        };
        let id: i64 = row.try_get("", &Derived::Id.to_string())?;
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

impl RootList {
    pub fn new(select: SelectStatement, ordering: Ordering, page: PageRequest) -> Self {
        Self(ListQuery::new(select, None, ordering, page))
    }

    /// Reads one page of a root list.
    pub async fn fetch<M: sea_orm::FromQueryResult>(
        &self,
        db: &DatabaseConnection,
    ) -> ApiResult<Page<M>> {
        let mut select = self.0.bounded();
        let order = self.0.read_order();
        select
            .order_by_expr(self.0.ordering.key.clone(), order.clone())
            .order_by_expr(self.0.ordering.id.clone(), order)
            .limit(self.0.page.size + 1);
        let rows = db.query_all(&select).await?;
        let rows = rows
            .iter()
            .map(|row| self.0.decode(row))
            .collect::<ApiResult<Vec<_>>>()?;
        Ok(self.0.paginate(rows))
    }

    /// Counts the rows of a root list, ignoring the page.
    pub async fn count(&self, db: &DatabaseConnection) -> ApiResult<u64> {
        let outer = Query::select()
            .expr_as(Expr::col(Asterisk).count(), Derived::N)
            .from_subquery(self.0.select.clone(), Derived::Counted)
            .to_owned();
        let row = db.query_one(&outer).await?;
        let n: i64 = match row {
            Some(row) => row.try_get("", &Derived::N.to_string())?,
            None => 0,
        };
        Ok(n as u64)
    }
}

impl NestedList {
    pub fn new(
        select: SelectStatement,
        parent: Expr,
        ordering: Ordering,
        page: PageRequest,
    ) -> Self {
        Self {
            list: ListQuery::new(select, Some(&parent), ordering, page),
            parent,
        }
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
                grouped
                    .entry(parent)
                    .or_default()
                    .push(self.list.decode(&row)?);
            }
        }
        Ok(parents
            .iter()
            .map(|p| {
                (
                    *p,
                    self.list.paginate(grouped.remove(p).unwrap_or_default()),
                )
            })
            .collect())
    }

    /// The page of the parent whose id `parent_id` gives (a value, or a column of an
    /// outer query), with the parent's id selected.
    fn page_of(&self, parent_id: Expr) -> SelectStatement {
        let parent = self.parent.clone();
        let mut select = self.list.bounded();
        let order = self.list.read_order();
        select
            .expr_as(parent.clone(), Alias::new(PARENT))
            .and_where(parent.eq(parent_id))
            .order_by_expr(self.list.ordering.key.clone(), order.clone())
            .order_by_expr(self.list.ordering.id.clone(), order)
            .limit(self.list.page.size + 1);
        select
    }

    /// `SELECT page.* FROM (VALUES …) parents JOIN LATERAL (<page of parent>) page`.
    fn lateral(&self, parents: &[i64]) -> SelectStatement {
        let parent_id = Expr::col((Derived::Parents, Derived::Column1));
        let mut outer = Query::select();
        outer
            .column((Derived::Page, Asterisk))
            .from_values(parents.iter().copied(), Derived::Parents)
            .join_lateral(
                JoinType::InnerJoin,
                self.page_of(parent_id),
                Derived::Page,
                Expr::val(true).eq(true),
            );
        self.in_page_order(outer)
    }

    /// The pages of `parents`, one `UNION ALL` branch each.
    fn united(&self, parents: &[i64]) -> SelectStatement {
        let mut branches = parents.iter().map(|p| {
            Query::select()
                .column(Asterisk)
                .from_subquery(self.page_of(Expr::val(*p)), Derived::Branch)
                .to_owned()
        });
        let mut union = branches.next().expect("at least one parent");
        union.unions(branches.map(|b| (UnionType::All, b)));
        let mut outer = Query::select();
        outer.column(Asterisk).from_subquery(union, Derived::Page);
        self.in_page_order(outer)
    }

    /// Orders the rows of many pages by parent, then as each page reads.
    fn in_page_order(&self, mut select: SelectStatement) -> SelectStatement {
        let order = self.list.read_order();
        select
            .order_by(Alias::new(PARENT), Order::Asc)
            .order_by(Alias::new(SORT), order.clone())
            .order_by(Derived::Id, order);
        select
    }

    /// Counts the rows of a nested list for every parent in `parents`.
    pub async fn count_for_parents(
        &self,
        db: &DatabaseConnection,
        parents: &[i64],
    ) -> ApiResult<HashMap<i64, u64>> {
        let parent = self.parent.clone();
        let mut inner = self.list.select.clone();
        inner
            .expr_as(parent.clone(), Alias::new(PARENT))
            .and_where(parent.is_in(parents.iter().copied()));
        let outer = Query::select()
            .column(Alias::new(PARENT))
            .expr_as(Expr::col(Asterisk).count(), Derived::N)
            .from_subquery(inner, Derived::Counted)
            .group_by_col(Alias::new(PARENT))
            .to_owned();
        let mut counts: HashMap<i64, u64> = parents.iter().map(|p| (*p, 0)).collect();
        for row in db.query_all(&outer).await? {
            let parent: i64 = row.try_get("", PARENT)?;
            let n: i64 = row.try_get("", &Derived::N.to_string())?;
            counts.insert(parent, n as u64);
        }
        Ok(counts)
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
    Root(Arc<RootList>),
    Nested(Arc<NestedList>, i64),
}
