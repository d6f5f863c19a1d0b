//! garrison: a GraphQL server for military-posture intelligence. The domain lives in
//! `garrison-core`; this crate puts the GraphQL API, the routes, startup and the
//! command line on top of it.
pub use garrison_core::{
    acled, auth, bundle, database, entity, export, fuzzy_date, generate, geo, ids, list, live,
    names, progress, record, search, setup, stix, visibility, vocabulary, write,
};
pub mod cli;
pub mod configuration;
pub mod error;
pub mod explain;
pub mod graphql;
pub mod metrics;
pub mod routes;
pub mod startup;
pub mod telemetry;
