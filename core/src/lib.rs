//! garrison's domain, with no GraphQL and no HTTP in it: the stored records and the
//! registry of their types, writing them (sessions, validation, delete rules, the
//! change journal), the bundle format and import, the search index, the live change
//! feed, fuzzy dates, names, geography and the vocabularies. The `garrison` crate puts
//! the GraphQL API, the routes and the command line on top.
pub mod acled;
pub mod auth;
pub mod bundle;
pub mod database;
pub mod domain;
pub mod entity;
pub mod error;
pub mod export;
pub mod fuzzy_date;
pub mod generate;
pub mod geo;
pub mod ids;
pub mod list;
pub mod live;
pub mod names;
pub mod progress;
pub mod record;
pub mod search;
pub mod setup;
pub mod stix;
pub mod visibility;
pub mod vocabulary;
pub mod write;
