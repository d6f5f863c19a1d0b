//! The GraphQL schema: types per domain, the generic connection and loader machinery
//! they share, and the schema builder.
mod actor;
mod alias;
mod asset;
mod attestation;
mod base;
mod change;
mod deployment;
mod error_codes;
mod event;
mod filter;
pub mod gateway;
mod geo;
pub mod lexical;
pub mod limits;
pub mod loader;
pub mod mutation;
pub mod node;
pub mod pagination;
mod participant;
pub mod persisted;
pub mod record;
mod report;
mod root_list;
pub mod scalars;
mod search;
mod source;
mod subscription;
mod tenure;
mod timeline;
pub mod vocabulary;

pub use actor::Actor;
pub use asset::Asset;
pub use attestation::Attestation;
pub use base::Base;
pub use deployment::Deployment;
pub use event::Event;
pub use participant::{EventActor, EventAsset, EventBase};
pub use report::Report;
pub use source::Source;
pub use tenure::Tenure;

use crate::live::ChangeFeed;
use async_graphql::{MergedObject, Schema};
use mutation::Mutation;
use sea_orm::DatabaseConnection;
use std::time::Duration;
use subscription::Subscription;

/// The root query, merged from one part per domain.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    actor::ActorQuery,
    base::BaseQuery,
    asset::AssetQuery,
    event::EventQuery,
    source::SourceQuery,
    report::ReportQuery,
    mutation::TokenQuery,
    change::ChangeQuery,
    search::SearchQuery,
);

pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// How the schema treats requests.
pub struct SchemaOptions {
    /// How long loaders gather keys before they query.
    pub batch_window: Duration,
    pub introspection: bool,
    /// The marking of a new record whose write names none.
    pub default_marking: garrison_core::vocabulary::Marking,
}

/// Builds the schema once, with its loaders, database handle and live feed. It has no
/// extensions, on purpose: see [`limits::CostMeter`]; what they would do happens in
/// the [`gateway`].
pub fn build_schema(db: DatabaseConnection, feed: ChangeFeed, options: SchemaOptions) -> AppSchema {
    let mut builder = Schema::build(Query::default(), Mutation::default(), Subscription)
        .data(loader::Loaders::new(&db, options.batch_window))
        .data(db)
        .data(feed)
        .data(mutation::DefaultMarking(options.default_marking));
    if !options.introspection {
        builder = builder.disable_introspection();
    }
    builder.finish()
}

/// The schema's SDL, as `garrison schema` prints it and `schema.graphql` holds it.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .finish()
        .sdl()
}
