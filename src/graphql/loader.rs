//! DataLoaders: every relation resolves through one of these generic loaders, so a
//! request costs a number of statements bounded by the depth of the query, not by the
//! number of rows.
//!
//! The loaders live on the schema and do not cache: they only batch the lookups made
//! while one level of a query resolves.
use super::node::Record;
use super::pagination::{Connection, NestedList, Ordering, Page, PageArgs, RootList, TotalCount};
use crate::entity::Stored;
use crate::error::{ApiError, ApiResult};
use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use garrison_core::visibility::{Clearance, Visible};
use garrison_core::vocabulary::Marking;
use sea_orm::sea_query::{Expr, SelectStatement};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

/// The loaders a schema carries.
pub struct Loaders {
    pub records: DataLoader<RecordLoader>,
    pub pages: DataLoader<PageLoader>,
    pub counts: DataLoader<CountLoader>,
}

impl Loaders {
    /// `window` is how long a loader collects keys before it queries: long enough for a
    /// whole level of a query to ask, short enough to add little latency.
    pub fn new(db: &DatabaseConnection, window: Duration) -> Self {
        Self {
            records: DataLoader::new(RecordLoader(db.clone()), tokio::spawn).delay(window),
            pages: DataLoader::new(PageLoader(db.clone()), tokio::spawn).delay(window),
            counts: DataLoader::new(CountLoader(db.clone()), tokio::spawn).delay(window),
        }
    }
}

fn loaders<'a>(ctx: &'a Context<'_>) -> &'a Loaders {
    ctx.data_unchecked::<Loaders>()
}

pub fn db<'a>(ctx: &'a Context<'_>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

/// The caller's clearance (CLEAR when the request carries none).
pub fn clearance(ctx: &Context<'_>) -> Clearance {
    ctx.data_opt::<Clearance>()
        .copied()
        .unwrap_or(Clearance(Marking::Clear))
}

/// `SELECT * FROM` the records of `R` the caller may see.
pub fn readable<R: Record<Kind: Visible>>(ctx: &Context<'_>) -> SelectStatement {
    garrison_core::visibility::readable::<R::Kind>(clearance(ctx))
}

/// The id of a record of type `K`, as a caller of `clearance` asks for it: a loader
/// key.
pub struct RecordKey<K> {
    id: i64,
    clearance: Clearance,
    _record: PhantomData<fn() -> K>,
}

impl<K> Clone for RecordKey<K> {
    fn clone(&self) -> Self {
        Self {
            _record: PhantomData,
            ..*self
        }
    }
}
impl<K> PartialEq for RecordKey<K> {
    fn eq(&self, other: &Self) -> bool {
        (self.id, self.clearance) == (other.id, other.clearance)
    }
}
impl<K> Eq for RecordKey<K> {}
impl<K> Hash for RecordKey<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.id, self.clearance).hash(state)
    }
}

/// Loads records of any type by id, each only when its caller may see it.
pub struct RecordLoader(DatabaseConnection);

impl<K> Loader<RecordKey<K>> for RecordLoader
where
    K: Visible,
{
    type Value = <K::Entity as EntityTrait>::Model;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[RecordKey<K>],
    ) -> Result<HashMap<RecordKey<K>, Self::Value>, ApiError> {
        let mut by_clearance: HashMap<Clearance, Vec<i64>> = HashMap::new();
        for key in keys {
            by_clearance.entry(key.clearance).or_default().push(key.id);
        }
        let mut out = HashMap::new();
        for (clearance, ids) in by_clearance {
            let find = K::Entity::find()
                .filter(K::Entity::ID.is_in(ids))
                .filter(K::seen(clearance));
            for model in find.all(&self.0).await? {
                let key = RecordKey {
                    id: K::Entity::id(&model),
                    clearance,
                    _record: PhantomData,
                };
                out.insert(key, model);
            }
        }
        Ok(out)
    }
}

/// One parent's page of a nested list of rows `M`, as a loader key.
pub struct PageKey<M> {
    query: Arc<NestedList>,
    parent: i64,
    _row: PhantomData<fn() -> M>,
}

impl<M> Clone for PageKey<M> {
    fn clone(&self) -> Self {
        Self {
            query: self.query.clone(),
            parent: self.parent,
            _row: PhantomData,
        }
    }
}
impl<M> PartialEq for PageKey<M> {
    fn eq(&self, other: &Self) -> bool {
        self.parent == other.parent && self.query == other.query
    }
}
impl<M> Eq for PageKey<M> {}
impl<M> Hash for PageKey<M> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.query.hash(state);
        self.parent.hash(state);
    }
}

/// Groups keys by their query so that each distinct query runs once for all parents.
fn by_query<'k, K>(
    keys: &'k [K],
    split: impl Fn(&'k K) -> (&'k Arc<NestedList>, i64),
) -> HashMap<&'k Arc<NestedList>, Vec<i64>> {
    let mut groups: HashMap<&Arc<NestedList>, Vec<i64>> = HashMap::new();
    for key in keys {
        let (query, parent) = split(key);
        groups.entry(query).or_default().push(parent);
    }
    groups
}

/// Loads pages of nested lists for many parents at once.
pub struct PageLoader(DatabaseConnection);

impl<M> Loader<PageKey<M>> for PageLoader
where
    M: FromQueryResult + Clone + Send + Sync + 'static,
{
    type Value = Arc<Page<M>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[PageKey<M>],
    ) -> Result<HashMap<PageKey<M>, Self::Value>, ApiError> {
        let mut out = HashMap::new();
        for (query, parents) in by_query(keys, |k| (&k.query, k.parent)) {
            let pages = query.fetch_for_parents::<M>(&self.0, &parents).await?;
            for (parent, page) in pages {
                let key = PageKey {
                    query: query.clone(),
                    parent,
                    _row: PhantomData,
                };
                out.insert(key, Arc::new(page));
            }
        }
        Ok(out)
    }
}

/// One parent's nested list, to be counted.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CountKey {
    query: Arc<NestedList>,
    parent: i64,
}

/// Counts nested lists for many parents at once.
pub struct CountLoader(DatabaseConnection);

impl Loader<CountKey> for CountLoader {
    type Value = u64;
    type Error = ApiError;

    async fn load(&self, keys: &[CountKey]) -> Result<HashMap<CountKey, u64>, ApiError> {
        let mut out = HashMap::new();
        for (query, parents) in by_query(keys, |k| (&k.query, k.parent)) {
            for (parent, n) in query.count_for_parents(&self.0, &parents).await? {
                let key = CountKey {
                    query: query.clone(),
                    parent,
                };
                out.insert(key, n);
            }
        }
        Ok(out)
    }
}

/// Loads one record by row id through the batching loader; `None` when there is none
/// or the caller may not see it.
pub async fn load_record<R>(ctx: &Context<'_>, id: i64) -> ApiResult<Option<R>>
where
    R: Record<Kind: Visible>,
{
    let key = RecordKey::<R::Kind> {
        id,
        clearance: clearance(ctx),
        _record: PhantomData,
    };
    let model = loaders(ctx).records.load_one(key).await?;
    Ok(model.map(R::from_model))
}

/// Loads a record that a foreign key guarantees exists and the visibility rule
/// guarantees its referrer's reader may see.
pub async fn load_referenced<R: Record<Kind: Visible>>(ctx: &Context<'_>, id: i64) -> ApiResult<R> {
    load_record::<R>(ctx, id).await?.ok_or_else(|| {
        ApiError::from(crate::error::GarrisonError::Internal(
            format!("dangling reference to {} {id}", R::TYPE).into(),
        ))
    })
}

/// A root connection over `select`.
pub async fn root_connection<R: Record>(
    ctx: &Context<'_>,
    select: SelectStatement,
    ordering: Ordering,
    args: PageArgs,
) -> ApiResult<Connection<R>>
where
    <R::Entity as EntityTrait>::Model: FromQueryResult,
{
    let (page, total) = root_page(ctx, select, ordering, args).await?;
    Ok(Connection::new(page, total, R::from_model))
}

/// One page of rows `M` of a root list, and what counts the whole list.
pub async fn root_page<M: FromQueryResult>(
    ctx: &Context<'_>,
    select: SelectStatement,
    ordering: Ordering,
    args: PageArgs,
) -> ApiResult<(Page<M>, TotalCount)> {
    let page = args.validate(&ordering)?;
    let query = Arc::new(RootList::new(select, ordering, page));
    let rows = query.fetch::<M>(db(ctx)).await?;
    Ok((rows, TotalCount::Root(query)))
}

/// A connection nested under the record `parent_id`, batched with its siblings:
/// `parent` is the expression of `select` that holds the parent's id.
pub async fn nested_connection<R: Record>(
    ctx: &Context<'_>,
    select: SelectStatement,
    parent: Expr,
    parent_id: i64,
    ordering: Ordering,
    args: PageArgs,
) -> ApiResult<Connection<R>>
where
    <R::Entity as EntityTrait>::Model: FromQueryResult,
{
    let (page, total) = nested_page(ctx, select, parent, parent_id, ordering, args).await?;
    Ok(Connection::new(page, total, R::from_model))
}

/// One parent's page of rows `M` of a nested list, batched with its siblings, and
/// what counts the whole list.
pub async fn nested_page<M>(
    ctx: &Context<'_>,
    select: SelectStatement,
    parent: Expr,
    parent_id: i64,
    ordering: Ordering,
    args: PageArgs,
) -> ApiResult<(Page<M>, TotalCount)>
where
    M: FromQueryResult + Clone + Send + Sync + 'static,
{
    let page = args.validate(&ordering)?;
    let query = Arc::new(NestedList::new(select, parent, ordering, page));
    let key = PageKey::<M> {
        query: query.clone(),
        parent: parent_id,
        _row: PhantomData,
    };
    let rows = loaders(ctx).pages.load_one(key).await?;
    let page = rows.map(|p| (*p).clone()).unwrap_or(Page {
        rows: vec![],
        has_previous_page: false,
        has_next_page: false,
    });
    Ok((page, TotalCount::Nested(query, parent_id)))
}

/// Resolves `totalCount` of a connection.
pub async fn total_count(ctx: &Context<'_>, total: &TotalCount) -> ApiResult<u64> {
    match total {
        TotalCount::Root(query) => query.count(db(ctx)).await,
        TotalCount::Nested(query, parent) => {
            let key = CountKey {
                query: query.clone(),
                parent: *parent,
            };
            Ok(loaders(ctx).counts.load_one(key).await?.unwrap_or(0))
        }
    }
}
