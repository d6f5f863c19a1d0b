use garrison::auth::{self, Role};
use garrison::configuration::{
    DatabaseSettings, LimitSettings, LiveSettings, ServerSettings, Settings,
};
use garrison::startup::Application;
use garrison_core::vocabulary::Marking;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use std::sync::LazyLock;
use tokio::sync::OnceCell;

static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var("TEST_LOG").is_ok() {
        garrison::telemetry::init("info", false, std::io::stdout);
    } else {
        garrison::telemetry::init("off", false, std::io::sink);
    }
});

/// The PostgreSQL server a test that needs one runs against; such tests are
/// `#[ignore]`d (reported as ignored, never as passed) and run with `--include-ignored`.
pub fn postgres_server() -> String {
    std::env::var("TEST_DATABASE_URL")
        .expect("this test needs PostgreSQL: set TEST_DATABASE_URL to a server")
}

/// Leftover test databases of crashed runs are dropped once per test process.
static SWEPT: OnceCell<()> = OnceCell::const_new();

const PREFIX: &str = "garrison_test_";

pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    /// The database the server uses, for running the CLI against it.
    pub database_url: String,
    client: reqwest::Client,
    /// Removes the database when the app goes.
    _cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { server: String, name: String },
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::Postgres { server, name } = self {
            let (server, name) = (server.clone(), name.clone());
            // The test's runtime is shutting down; drop the database from a thread of its own.
            let _ = std::thread::spawn(move || {
                tokio::runtime::Runtime::new()
                    .expect("runtime")
                    .block_on(drop_database(&server, &name))
            })
            .join();
        }
    }
}

async fn admin(server: &str) -> DatabaseConnection {
    Database::connect(format!("{server}/postgres"))
        .await
        .expect("connect to the PostgreSQL server")
}

async fn drop_database(server: &str, name: &str) {
    let db = admin(server).await;
    let _ = db
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
}

async fn sweep(server: &str) {
    let db = admin(server).await;
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            format!("SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%'"),
        ))
        .await
        .expect("list databases");
    for row in rows {
        let name: String = row.try_get("", "datname").expect("datname");
        drop_database(server, &name).await;
    }
}

/// How to start a test server.
pub struct AppOptions {
    /// How long DataLoaders gather keys. Tests that count statements use a generous
    /// window, so that a level of a query is one batch even when a loaded CI machine
    /// resolves its many fields slowly.
    pub batch_window_ms: u64,
    /// Whether reads need a token too.
    pub require_token: bool,
    /// Database pool size.
    pub max_connections: u32,
    /// WebSocket and live-feed settings.
    pub live: LiveSettings,
    /// Query cost limits and HTTP settings.
    pub limits: LimitSettings,
    /// What callers without a token may read. RED by default here, so that the
    /// tests of everything else read the whole seed (some of it is marked GREEN and
    /// AMBER); the tests of markings start servers with CLEAR, as production has.
    pub anonymous_clearance: Marking,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            batch_window_ms: 2,
            require_token: false,
            max_connections: 4,
            live: LiveSettings::default(),
            limits: LimitSettings::default(),
            anonymous_clearance: Marking::Red,
        }
    }
}

/// Starts the application on a random port over a fresh, seeded database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(AppOptions::default()).await
}

/// Like `spawn_app`, with DataLoaders that gather keys for `batch_window_ms`.
pub async fn spawn_app_batching(batch_window_ms: u64) -> TestApp {
    spawn_app_with(AppOptions {
        batch_window_ms,
        ..Default::default()
    })
    .await
}

/// A new, empty database for one test: a SQLite file in a temp dir, or a fresh
/// database on the PostgreSQL server `TEST_DATABASE_URL` names. Removed on drop.
pub struct FreshDatabase {
    pub url: String,
    cleanup: Cleanup,
}

impl FreshDatabase {
    pub async fn new() -> Self {
        LazyLock::force(&TRACING);
        let (url, cleanup) = match std::env::var("TEST_DATABASE_URL") {
            Ok(server) => {
                let server = server.trim_end_matches('/').to_owned();
                SWEPT.get_or_init(|| sweep(&server)).await;
                let name = format!("{PREFIX}{}", uuid::Uuid::new_v4().simple());
                admin(&server)
                    .await
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                (
                    format!("{server}/{name}"),
                    Cleanup::Postgres { server, name },
                )
            }
            Err(_) => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("garrison.db").display());
                (url, Cleanup::Sqlite(dir))
            }
        };
        Self { url, cleanup }
    }
}

pub async fn spawn_app_with(options: AppOptions) -> TestApp {
    let FreshDatabase { url, cleanup } = FreshDatabase::new().await;
    let settings = Settings {
        database: DatabaseSettings {
            url: url.clone(),
            max_connections: Some(options.max_connections),
        },
        server: ServerSettings {
            bind: "127.0.0.1:0".into(),
            no_seed: false,
            batch_window_ms: options.batch_window_ms,
            workers: Some(1),
            require_token: options.require_token,
            anonymous_clearance: options.anonymous_clearance,
            default_marking: Marking::Clear,
            shutdown_timeout_secs: 30,
        },
        live: options.live,
        limits: options.limits,
    };
    let app = Application::build(settings).await.expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        db,
        database_url: url,
        client: reqwest::Client::new(),
        _cleanup: cleanup,
    }
}

impl TestApp {
    /// POSTs a GraphQL request and returns the parsed response body.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.send(None, query, variables).await
    }

    /// POSTs a GraphQL request with `Authorization: Bearer <token>`.
    pub async fn graphql_as(&self, token: &str, query: &str, variables: Value) -> Value {
        self.send(Some(token), query, variables).await
    }

    async fn send(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request");
        assert!(
            !response.status().is_server_error(),
            "server error {}",
            response.status()
        );
        response.json().await.expect("JSON body")
    }

    /// Like `graphql`, and fails the test on any error in the response.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let body = self.graphql(query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// Like `graphql_as`, and fails the test on any error in the response.
    pub async fn data_as(&self, token: &str, query: &str, variables: Value) -> Value {
        let body = self.graphql_as(token, query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// `create<Type>(input:)` as `token`: the response body, with the payload's
    /// record selected as `{ id version }`.
    pub async fn create(&self, token: &str, type_name: &str, input: Value) -> Value {
        let query = format!(
            "mutation($input: Create{type_name}Input!) {{ create{type_name}(input: $input) {{ {} {{ id version }} }} }}",
            payload_field(type_name)
        );
        self.graphql_as(token, &query, json!({ "input": input }))
            .await
    }

    /// Like `create`, failing the test on an error; returns the new record's id.
    pub async fn created(&self, token: &str, type_name: &str, input: Value) -> String {
        let body = self.create(token, type_name, input).await;
        assert!(body.get("errors").is_none(), "create{type_name}: {body:#}");
        body["data"][format!("create{type_name}")][payload_field(type_name)]["id"]
            .as_str()
            .expect("id")
            .to_owned()
    }

    /// `update<Type>(id:, expectedVersion:, input:)` as `token`, selecting `fields`.
    pub async fn update(
        &self,
        token: &str,
        type_name: &str,
        id: &str,
        version: i64,
        input: Value,
        fields: &str,
    ) -> Value {
        let query = format!(
            "mutation($id: ID!, $v: Int!, $input: Update{type_name}Input!) {{ \
             update{type_name}(id: $id, expectedVersion: $v, input: $input) {{ {} {{ {fields} }} }} }}",
            payload_field(type_name)
        );
        self.graphql_as(
            token,
            &query,
            json!({ "id": id, "v": version, "input": input }),
        )
        .await
    }

    /// `delete<Type>(id:, expectedVersion:)` as `token`.
    pub async fn delete(&self, token: &str, type_name: &str, id: &str, version: i64) -> Value {
        let query = format!(
            "mutation($id: ID!, $v: Int!) {{ delete{type_name}(id: $id, expectedVersion: $v) {{ {} {{ id }} }} }}",
            payload_field(type_name)
        );
        self.graphql_as(token, &query, json!({ "id": id, "v": version }))
            .await
    }

    /// The current version of any record.
    pub async fn version_of(&self, id: &str) -> i64 {
        let data = self
            .data(
                "query($id: ID!) { node(id: $id) { ... on Actor { version } ... on Base { version } \
                 ... on Asset { version } ... on Event { version } ... on Source { version } \
                 ... on Report { version } ... on Tenure { version } ... on Deployment { version } \
                 ... on Attestation { version } ... on EventActor { version } } }",
                json!({ "id": id }),
            )
            .await;
        data["node"]["version"].as_i64().expect("version")
    }

    /// A new token with `role` that may read everything, stored in the server's
    /// database.
    pub async fn token(&self, role: Role) -> String {
        self.token_cleared(role, Marking::Red).await
    }

    /// A new token with `role` and `clearance`.
    pub async fn token_cleared(&self, role: Role, clearance: Marking) -> String {
        let name = format!("test-{}-{}", role.name(), uuid::Uuid::new_v4().simple());
        auth::create(&self.db, &name, role, clearance)
            .await
            .expect("create token")
            .token
    }

    /// The global id of the record found by `query` at `pointer` (a JSON pointer).
    pub async fn id_of(&self, query: &str, pointer: &str) -> String {
        let data = self.data(query, json!({})).await;
        data.pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no id at {pointer} in {data:#}"))
            .to_owned()
    }

    /// The id of the first report (by the list's order), to attest new claims with.
    pub async fn first_report(&self) -> String {
        self.id_of(
            "{ reports(first: 1) { nodes { id } } }",
            "/reports/nodes/0/id",
        )
        .await
    }

    /// The number of SQL statements the server has run so far, from `/metrics`.
    pub async fn sql_statements(&self) -> u64 {
        let text = self
            .client
            .get(format!("{}/metrics", self.address))
            .send()
            .await
            .expect("metrics")
            .text()
            .await
            .expect("metrics body");
        text.lines()
            .find_map(|l| l.strip_prefix("garrison_sql_statements_total "))
            .and_then(|n| n.trim().parse().ok())
            .expect("statement counter in /metrics")
    }

    /// Opens a WebSocket to `/graphql` offering `protocol` (none when `None`).
    pub async fn ws(&self, protocol: Option<&str>) -> Ws {
        ws_connect(&self.address, protocol).await
    }

    /// The statement count once background work (the live feed's start-up) is done:
    /// two readings 200 ms apart agree.
    pub async fn settled_sql_statements(&self) -> u64 {
        let mut last = self.sql_statements().await;
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            let now = self.sql_statements().await;
            if now == last {
                return now;
            }
            last = now;
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.get_with(path, &[]).await
    }

    /// `GET path` with these request headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path}", self.address));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request")
    }
}

/// The payload field of a type's mutations: `EventActor` → `eventActor`.
pub fn payload_field(type_name: &str) -> String {
    let mut chars = type_name.chars();
    let first = chars.next().expect("type name").to_ascii_lowercase();
    std::iter::once(first).chain(chars).collect()
}

/// The `extensions.code` of the first error of a response.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body:#}"))
}

/// The values at `field` of every node of the connection at `pointer`.
pub fn node_values(data: &Value, pointer: &str, field: &str) -> Vec<String> {
    data.pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no list at {pointer} in {data:#}"))
        .iter()
        .map(|n| match &n[field] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a WebSocket to `<address>/graphql` (an `http://` address) offering `protocol`.
pub async fn ws_connect(address: &str, protocol: Option<&str>) -> Ws {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!("{}/graphql", address.replacen("http", "ws", 1));
    let mut request = url.into_client_request().expect("ws request");
    if let Some(protocol) = protocol {
        request
            .headers_mut()
            .insert("Sec-WebSocket-Protocol", protocol.parse().unwrap());
    }
    tokio_tungstenite::connect_async(request)
        .await
        .expect("ws connect")
        .0
}

/// Sends one JSON message.
pub async fn ws_send(ws: &mut Ws, message: Value) {
    use futures_util::SinkExt;
    ws.send(tokio_tungstenite::tungstenite::Message::text(
        message.to_string(),
    ))
    .await
    .expect("ws send");
}

/// What the server sent next: a JSON message, or the close frame's code and reason.
#[derive(Debug, PartialEq)]
pub enum Received {
    Json(Value),
    Close(u16, String),
    Nothing,
}

/// The next message within `wait`, skipping the server's keep-alive pings.
pub async fn ws_next(ws: &mut Ws, wait: std::time::Duration) -> Received {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return Received::Nothing,
            Ok(None) => return Received::Close(1006, "gone".into()),
            Ok(Some(Err(e))) => return Received::Close(1006, e.to_string()),
            Ok(Some(Ok(Message::Text(text)))) => {
                let value: Value = serde_json::from_str(&text).expect("JSON message");
                if value["type"] != "ping" {
                    return Received::Json(value);
                }
            }
            Ok(Some(Ok(Message::Close(frame)))) => {
                return match frame {
                    Some(f) => Received::Close(f.code.into(), f.reason.to_string()),
                    None => Received::Close(1005, String::new()),
                };
            }
            Ok(Some(Ok(_))) => {}
        }
    }
}

/// The next JSON message, failing the test on anything else.
pub async fn ws_json(ws: &mut Ws) -> Value {
    match ws_next(ws, std::time::Duration::from_secs(10)).await {
        Received::Json(v) => v,
        other => panic!("expected a message, got {other:?}"),
    }
}

/// Opens a connection and completes `connection_init` (with `token`, if any).
pub async fn ws_ready(address: &str, token: Option<&str>) -> Ws {
    let mut ws = ws_connect(address, Some("graphql-transport-ws")).await;
    let payload = match token {
        Some(t) => json!({ "Authorization": format!("Bearer {t}") }),
        None => json!({}),
    };
    ws_send(
        &mut ws,
        json!({ "type": "connection_init", "payload": payload }),
    )
    .await;
    assert_eq!(ws_json(&mut ws).await, json!({ "type": "connection_ack" }));
    ws
}

/// Another server process on the same database (a replica).
pub struct Replica {
    pub address: String,
    pub child: std::process::Child,
    /// Everything it has logged so far.
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `garrison serve` as a second process on `app`'s database, with `args`.
pub fn spawn_replica(app: &TestApp, args: &[&str]) -> Replica {
    spawn_server(&app.database_url, &[&["--no-seed"], args].concat())
}

/// Starts `garrison serve` as a process of its own on `database_url`, with `args`;
/// returns once it says where it listens.
pub fn spawn_server(database_url: &str, args: &[&str]) -> Replica {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_garrison"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("start a replica");
    let stdout = child.stdout.take().expect("replica stdout");
    let mut lines = BufReader::new(stdout).lines();
    let port = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            let at = line.find("listening")?;
            let rest = &line[at..];
            let port = rest.split("127.0.0.1:").nth(1)?;
            port.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse::<u16>()
                .ok()
        })
        .expect("the replica says where it listens");
    // Keep reading its log so that it never blocks on a full pipe.
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    Replica {
        address: format!("http://127.0.0.1:{port}"),
        child,
        log,
    }
}
