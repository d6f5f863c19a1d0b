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
pub mod loader;
pub mod mutation;
pub mod node;
mod pagination;
mod participant;
pub mod record;
mod report;
pub mod scalars;
mod source;
mod subscription;
mod tenure;

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
);

pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// Builds the schema once, with its loaders and database handle.
pub fn build_schema(db: DatabaseConnection, batch_window: Duration, feed: ChangeFeed) -> AppSchema {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .data(loader::Loaders::new(&db, batch_window))
        .data(db)
        .data(feed)
        .extension(error_codes::ErrorCodes)
        .finish()
}

/// The schema's SDL, as `garrison schema` prints it and `schema.graphql` holds it.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .finish()
        .sdl()
}
