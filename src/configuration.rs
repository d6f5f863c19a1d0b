//! Settings. Each is a flag with an environment twin (`--database-url` /
//! `DATABASE_URL`, `--bind` / `GARRISON_BIND`, …); flags win over the environment,
//! which wins over the defaults.
use clap::{Args, FromArgMatches};

/// A group of settings as the command line gives it with no flags: defaults, overridden
/// by the environment. (Tests and embedders start from this.)
fn from_defaults<T: Args + FromArgMatches>() -> T {
    let matches = T::augment_args(clap::Command::new("garrison")).get_matches_from(["garrison"]);
    T::from_arg_matches(&matches).expect("every setting has a default")
}

#[derive(Args, Clone, Debug)]
pub struct DatabaseSettings {
    /// Database URL: `sqlite://FILE` (created if missing) or `postgres://…`.
    #[arg(
        long = "database-url",
        env = "DATABASE_URL",
        default_value = "sqlite://garrison.db"
    )]
    pub url: String,
    /// Most connections in the pool (default: 4 on SQLite, 16 on PostgreSQL). Each
    /// SQLite connection keeps its page cache and prepared statements in this process:
    /// with 16, a write-heavy soak of the benchmark's dashboard peaked at 340 MiB, with 4
    /// at 178 MiB, with point lookups as fast.
    #[arg(long = "db-max-connections", env = "GARRISON_DB_MAX_CONNECTIONS")]
    pub max_connections: Option<u32>,
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
    /// The clearance of callers without a token: the highest TLP marking they see
    /// (CLEAR, GREEN, AMBER, AMBER+STRICT or RED).
    #[arg(long, env = "GARRISON_ANONYMOUS_CLEARANCE", default_value = "CLEAR")]
    pub anonymous_clearance: garrison_core::vocabulary::Marking,
    /// The marking of a new record whose write names none.
    #[arg(long, env = "GARRISON_DEFAULT_MARKING", default_value = "CLEAR")]
    pub default_marking: garrison_core::vocabulary::Marking,
    /// How long (s) a graceful shutdown waits for requests in flight.
    #[arg(long, env = "GARRISON_SHUTDOWN_TIMEOUT_SECS", default_value_t = 30)]
    pub shutdown_timeout_secs: u64,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "GARRISON_WORKERS")]
    pub workers: Option<usize>,
}

/// Subscriptions over WebSocket (graphql-transport-ws).
#[derive(Args, Clone, Debug)]
pub struct LiveSettings {
    /// How long a new connection has to send `connection_init` (ms) before 4408.
    #[arg(
        long = "ws-init-timeout-ms",
        env = "GARRISON_WS_INIT_TIMEOUT_MS",
        default_value_t = 3_000
    )]
    pub init_timeout_ms: u64,
    /// Seconds between the server's keep-alive pings (0: none).
    #[arg(
        long = "ws-keepalive-secs",
        env = "GARRISON_WS_KEEPALIVE_SECS",
        default_value_t = 15
    )]
    pub keepalive_secs: u64,
    /// Messages a connection may have waiting to be sent.
    #[arg(
        long = "ws-send-queue",
        env = "GARRISON_WS_SEND_QUEUE",
        default_value_t = 1_024
    )]
    pub send_queue: usize,
    /// How long (ms) the send queue may stay full before the client is disconnected
    /// as too slow (close 1008).
    #[arg(
        long = "ws-slow-after-ms",
        env = "GARRISON_WS_SLOW_AFTER_MS",
        default_value_t = 5_000
    )]
    pub slow_after_ms: u64,
    /// Open WebSocket connections at most (more are closed with 1013).
    #[arg(
        id = "ws_max_connections",
        long = "ws-max-connections",
        env = "GARRISON_WS_MAX_CONNECTIONS",
        default_value_t = 10_000
    )]
    pub max_connections: usize,
    /// Subscriptions per connection at most.
    #[arg(
        long = "ws-max-subscriptions",
        env = "GARRISON_WS_MAX_SUBSCRIPTIONS",
        default_value_t = 100
    )]
    pub max_subscriptions: usize,
    /// How long (ms) a connection's token is trusted before it is looked up again:
    /// on the next operation, and on a timer while subscriptions run. A revoked token
    /// closes its connections with 4403 within this time.
    #[arg(
        long = "ws-token-recheck-ms",
        env = "GARRISON_WS_TOKEN_RECHECK_MS",
        default_value_t = 1_000
    )]
    pub token_recheck_ms: u64,
    /// Distinct `eventReported` filters one connection may hold at once (many
    /// subscriptions with one filter count once).
    #[arg(
        long = "ws-max-filters",
        env = "GARRISON_WS_MAX_FILTERS",
        default_value_t = 10
    )]
    pub max_filters: usize,
    /// Distinct `eventReported` filters across all connections; each new event is
    /// checked against all of them in one statement.
    #[arg(
        long = "live-max-filters",
        env = "GARRISON_LIVE_MAX_FILTERS",
        default_value_t = 100
    )]
    pub max_filters_total: usize,
    /// How often (ms), while anyone is subscribed, to look for writes no NOTIFY announced
    /// (other processes on SQLite).
    #[arg(
        long = "live-poll-ms",
        env = "GARRISON_LIVE_POLL_MS",
        default_value_t = 1_000
    )]
    pub poll_ms: u64,
}

impl DatabaseSettings {
    /// Opens the pool these settings describe, counting statements on `counter`.
    pub async fn connect(
        &self,
        counter: &garrison_core::database::StatementCounter,
    ) -> Result<sea_orm::DatabaseConnection, sea_orm::DbErr> {
        garrison_core::database::connect(&self.url, self.pool_size(), counter).await
    }

    /// The pool size: the one configured, or the default for the database.
    pub fn pool_size(&self) -> u32 {
        self.max_connections
            .unwrap_or(if self.url.starts_with("sqlite:") {
                4
            } else {
                16
            })
    }
}

impl Default for LiveSettings {
    fn default() -> Self {
        from_defaults()
    }
}

/// What a request may cost; each violation is a QUERY_TOO_COMPLEX error.
#[derive(Args, Clone, Debug)]
pub struct LimitSettings {
    /// Deepest selection nesting (GraphiQL's own introspection needs 13).
    #[arg(long, env = "GARRISON_MAX_DEPTH", default_value_t = 15)]
    pub max_depth: usize,
    /// Highest complexity: each field costs 1, a connection its `first`/`last`
    /// (default 20) times what it selects.
    #[arg(long, env = "GARRISON_MAX_COMPLEXITY", default_value_t = 1_000_000)]
    pub max_complexity: usize,
    /// Most aliased fields in a document.
    #[arg(long, env = "GARRISON_MAX_ALIASES", default_value_t = 30)]
    pub max_aliases: usize,
    /// Most top-level fields in an operation.
    #[arg(long, env = "GARRISON_MAX_ROOT_FIELDS", default_value_t = 32)]
    pub max_root_fields: usize,
    /// Largest document, in bytes.
    #[arg(long, env = "GARRISON_MAX_DOCUMENT_BYTES", default_value_t = 32_768)]
    pub max_document_bytes: usize,
    /// Most lexical tokens in a document.
    #[arg(long, env = "GARRISON_MAX_TOKENS", default_value_t = 5_000)]
    pub max_tokens: usize,
    /// Deepest nesting of list and object values, in a document (arguments, default
    /// values, directive arguments) and in its variables. Measured on the text before
    /// anything is parsed; JSON bodies and WebSocket messages may nest 4 levels more
    /// (the request around the variables).
    #[arg(long, env = "GARRISON_MAX_VALUE_DEPTH", default_value_t = 32)]
    pub max_value_depth: usize,
    /// Largest request body, in bytes (bundles for `importBundle` included).
    #[arg(long, env = "GARRISON_MAX_BODY_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Longest a request may run (ms) before it is abandoned (a write rolls back): one
    /// deadline for the whole HTTP request, however many batched items or GeoJSON
    /// pages it holds, and for each query or mutation over WebSocket.
    #[arg(long, env = "GARRISON_REQUEST_TIMEOUT_MS", default_value_t = 30_000)]
    pub request_timeout_ms: u64,
    /// Memory (MiB) for the request bodies being read at once, beyond their first 256
    /// KiB each: large bodies arriving together wait their turn (within the body
    /// timeout) instead of filling the memory. At least `--max-body-bytes`.
    #[arg(long, env = "GARRISON_MAX_BODY_MEMORY_MB", default_value_t = 256)]
    pub max_body_memory_mb: usize,
    /// Most JSON values (strings, numbers, literals, arrays, objects) the request bodies
    /// being handled may hold at once: parsing builds tens of times a body's bytes (a
    /// 15 MiB body of zeros, 7.5 million values, took 1.5 GB). A larger body is refused;
    /// large ones wait their turn, within the request timeout.
    #[arg(long, env = "GARRISON_MAX_JSON_VALUES", default_value_t = 1_000_000)]
    pub max_json_values: usize,
    /// Longest a request body may take to arrive (ms); a slower one is answered 408
    /// and its memory freed.
    #[arg(long, env = "GARRISON_BODY_TIMEOUT_MS", default_value_t = 10_000)]
    pub body_timeout_ms: u64,
    /// Total complexity (as `--max-complexity` counts it) of the GraphQL executions
    /// running at once; more wait their turn (within the request timeout). Bounds the
    /// memory that large nested answers hold while they are built, while small lookups
    /// keep running: a point lookup costs 4, the benchmark's dashboard about 32,000.
    #[arg(long, env = "GARRISON_MAX_CONCURRENT_COST", default_value_t = 128_000)]
    pub max_concurrent_cost: usize,
    /// Turn introspection (`__schema`, `__type`) off.
    #[arg(long, env = "GARRISON_NO_INTROSPECTION")]
    pub no_introspection: bool,
    /// Accept a JSON array of requests in one POST.
    #[arg(long, env = "GARRISON_BATCHING")]
    pub batching: bool,
    /// Most requests in one batch.
    #[arg(long, env = "GARRISON_MAX_BATCH_SIZE", default_value_t = 10)]
    pub max_batch_size: usize,
    /// Automatic persisted queries kept (least recently used go first).
    #[arg(long, env = "GARRISON_APQ_CACHE", default_value_t = 1_000)]
    pub apq_cache: usize,
    /// Memory (KiB) for the documents of automatic persisted queries; least recently
    /// used go first. A document is only kept once it has passed every limit.
    #[arg(long, env = "GARRISON_APQ_CACHE_KB", default_value_t = 4_096)]
    pub apq_cache_kb: usize,
    /// Memory (MiB) for answers to repeated queries, each kept until any write
    /// commits; 0 turns the response cache off.
    #[arg(long, env = "GARRISON_RESPONSE_CACHE_MB", default_value_t = 32)]
    pub response_cache_mb: usize,
}

impl Default for LimitSettings {
    fn default() -> Self {
        from_defaults()
    }
}

impl LimitSettings {
    pub fn limits(&self) -> crate::graphql::limits::Limits {
        crate::graphql::limits::Limits {
            max_depth: self.max_depth,
            max_complexity: self.max_complexity,
            max_aliases: self.max_aliases,
            max_root_fields: self.max_root_fields,
            max_document_bytes: self.max_document_bytes,
            max_tokens: self.max_tokens,
            max_value_depth: self.max_value_depth,
        }
    }
}

/// Everything `serve` needs.
#[derive(Args, Clone, Debug)]
pub struct Settings {
    #[command(flatten)]
    pub database: DatabaseSettings,
    #[command(flatten)]
    pub server: ServerSettings,
    #[command(flatten)]
    pub live: LiveSettings,
    #[command(flatten)]
    pub limits: LimitSettings,
}
