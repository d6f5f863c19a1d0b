//! Settings. Each is a flag with an environment twin (`--database-url` /
//! `DATABASE_URL`, `--bind` / `GARRISON_BIND`, …); flags win over the environment,
//! which wins over the defaults.
use clap::Args;

#[derive(Args, Clone, Debug)]
pub struct DatabaseSettings {
    /// Database URL: `sqlite://FILE` (created if missing) or `postgres://…`.
    #[arg(
        long = "database-url",
        env = "DATABASE_URL",
        default_value = "sqlite://garrison.db"
    )]
    pub url: String,
    /// Most connections in the pool.
    #[arg(
        long = "db-max-connections",
        env = "GARRISON_DB_MAX_CONNECTIONS",
        default_value_t = 16
    )]
    pub max_connections: u32,
}

#[derive(Args, Clone, Debug)]
pub struct ServerSettings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "GARRISON_BIND", default_value = "127.0.0.1:8000")]
    pub bind: String,
    /// Do not load the seed bundle into a new, empty database.
    #[arg(long, env = "GARRISON_NO_SEED")]
    pub no_seed: bool,
    /// How long (ms) a DataLoader gathers keys before it queries.
    #[arg(long, env = "GARRISON_BATCH_WINDOW_MS", default_value_t = 2)]
    pub batch_window_ms: u64,
    /// Require a token for reads too (mutations always need one).
    #[arg(long, env = "GARRISON_REQUIRE_TOKEN")]
    pub require_token: bool,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "GARRISON_WORKERS")]
    pub workers: Option<usize>,
}

/// Everything `serve` needs.
#[derive(Args, Clone, Debug)]
pub struct Settings {
    #[command(flatten)]
    pub database: DatabaseSettings,
    #[command(flatten)]
    pub server: ServerSettings,
}
