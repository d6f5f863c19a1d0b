//! Integration tests: a real server on a random port against a fresh database
//! (SQLite by default, PostgreSQL when TEST_DATABASE_URL names a server).
mod as_of;
mod auth;
mod concurrency;
mod filters;
mod generate;
mod geography;
mod helpers;
mod history;
mod http_fuzz;
mod http_spec;
mod import;
mod index_plans;
mod limits;
mod mutations;
mod nodes;
mod operations;
mod pagination;
mod relations;
mod schema_file;
mod search;
mod seed_questions;
mod sql_statements;
mod strategies;
mod subscriptions;
mod validation;
mod write_fuzz;
