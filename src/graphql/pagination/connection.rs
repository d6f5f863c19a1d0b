//! The GraphQL connection types: `<N>Connection` with its edges, page info and
//! `totalCount`.
use super::list::{Page, TotalCount};
use async_graphql::{Context, Object, OutputType, TypeName, connection::PageInfo};
use std::borrow::Cow;

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
        Ok(crate::graphql::loader::total_count(ctx, &self.total).await?)
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
