//! The command line: one binary, several subcommands.
use crate::auth::Role;
use crate::configuration::{DatabaseSettings, Settings};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "garrison",
    version,
    // `garrison --database-url X token create` would otherwise take X for `serve`
    // and create the token in ./garrison.db: a subcommand's settings follow it.
    args_conflicts_with_subcommands = true,
    about = "GraphQL server for military-posture intelligence"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Log JSON objects, one per line, instead of text.
    #[arg(long, global = true, env = "GARRISON_LOG_JSON")]
    pub log_json: bool,
    /// Settings for `serve` when no subcommand is given.
    #[command(flatten)]
    pub serve: Settings,
}

/// The file formats of `import` and `export`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    /// garrison's own bundle.
    Bundle,
    /// A STIX 2.1 bundle.
    Stix,
    /// Events as an ACLED-style CSV table.
    Csv,
}

impl From<FileFormat> for crate::export::Format {
    fn from(format: FileFormat) -> Self {
        match format {
            FileFormat::Bundle => Self::Bundle,
            FileFormat::Stix => Self::Stix,
            FileFormat::Csv => Self::Csv,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API (the default): applies migrations, seeds an empty database.
    Serve(Box<Settings>),
    /// Apply pending migrations and exit.
    Migrate(DatabaseSettings),
    /// Load a bundle file in one transaction: all of it or nothing.
    Import {
        file: PathBuf,
        /// What the file is: garrison's bundle, a STIX 2.1 bundle, or an ACLED-style CSV
        /// table of events.
        #[arg(long, value_enum, default_value_t = FileFormat::Bundle)]
        format: FileFormat,
        /// The name the change history records for this import.
        #[arg(long, default_value = "import")]
        author: String,
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Write the whole graph as a bundle that `import` reads back, or as STIX 2.1 (to
    /// stdout, or to a file with `--output`), with a progress bar on a terminal.
    Export {
        /// garrison's bundle, a STIX 2.1 bundle, or the events as an ACLED-style CSV
        /// table.
        #[arg(long, value_enum, default_value_t = FileFormat::Bundle)]
        format: FileFormat,
        /// The file to write; stdout when left out.
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Print the GraphQL schema (SDL); `schema.graphql` is its output.
    Schema,
    /// Write a synthetic graph into the database, for benchmarks (deterministic by seed).
    Generate {
        #[arg(long, default_value_t = 1_000)]
        actors: usize,
        #[arg(long, default_value_t = 200)]
        bases: usize,
        #[arg(long, default_value_t = 2_000)]
        assets: usize,
        #[arg(long, default_value_t = 100_000)]
        events: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Run one GraphQL query and print the plan of each SQL statement it ran.
    Explain {
        /// The GraphQL document, e.g. '{ events(filter: { during: "2024-12" }) { totalCount } }'.
        query: String,
        /// Print only the statements, values written in, one per line (a pgbench script).
        #[arg(long)]
        statements_only: bool,
        #[command(flatten)]
        database: DatabaseSettings,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        action: TokenCommand,
        #[command(flatten)]
        database: DatabaseSettings,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token and print it (once: only its hash is stored).
    Create {
        #[arg(long, value_enum)]
        role: Role,
        /// A unique label: who or what uses the token. History records it.
        #[arg(long)]
        name: String,
        /// The highest TLP marking the token may read and write: CLEAR, GREEN, AMBER,
        /// AMBER+STRICT or RED.
        #[arg(long, default_value = "CLEAR")]
        clearance: garrison_core::vocabulary::Marking,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by name; it stops working at once.
    Revoke { name: String },
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
