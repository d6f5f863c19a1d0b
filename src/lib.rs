//! garrison: a GraphQL server for military-posture intelligence.
pub mod auth;
pub mod bundle;
pub mod cli;
pub mod configuration;
pub mod database;
pub mod entity;
pub mod error;
pub mod fuzzy_date;
pub mod graphql;
pub mod live;
pub mod metrics;
pub mod names;
pub mod routes;
pub mod startup;
pub mod telemetry;
pub mod vocabulary;
pub mod write;
