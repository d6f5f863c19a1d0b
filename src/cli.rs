//! The command line: one binary, several subcommands.
use crate::configuration::{DatabaseSettings, Settings};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "garrison",
    version,
    about = "GraphQL server for military-posture intelligence"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Settings for `serve` when no subcommand is given.
    #[command(flatten)]
    pub serve: Settings,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API (the default): applies migrations, seeds an empty database.
    Serve(Settings),
    /// Apply pending migrations and exit.
    Migrate(DatabaseSettings),
    /// Load a bundle file in one transaction: all of it or nothing.
    Import {
        file: PathBuf,
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Print the GraphQL schema (SDL); `schema.graphql` is its output.
    Schema,
}
