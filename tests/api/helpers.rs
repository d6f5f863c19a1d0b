use garrison::configuration::{DatabaseSettings, ServerSettings, Settings};
use garrison::startup::Application;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use std::sync::LazyLock;
use tokio::sync::OnceCell;

static TRACING: LazyLock<()> = LazyLock::new(|| {
    if std::env::var("TEST_LOG").is_ok() {
        garrison::telemetry::init("info", std::io::stdout);
    } else {
        garrison::telemetry::init("off", std::io::sink);
    }
});

/// Leftover test databases of crashed runs are dropped once per test process.
static SWEPT: OnceCell<()> = OnceCell::const_new();

const PREFIX: &str = "garrison_test_";

pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    client: reqwest::Client,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { server: String, name: String },
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Cleanup::Postgres { server, name } = &self.cleanup {
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

/// Starts the application on a random port over a fresh, seeded database.
pub async fn spawn_app() -> TestApp {
    spawn_app_batching(2).await
}

/// Like `spawn_app`, with DataLoaders that gather keys for `batch_window_ms`. Tests that
/// count statements use a generous window, so that a level of a query is one batch even
/// when a loaded CI machine resolves its many fields slowly.
pub async fn spawn_app_batching(batch_window_ms: u64) -> TestApp {
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
    let settings = Settings {
        database: DatabaseSettings {
            url,
            max_connections: 4,
        },
        server: ServerSettings {
            bind: "127.0.0.1:0".into(),
            no_seed: false,
            batch_window_ms,
            workers: Some(1),
            require_token: false,
        },
    };
    let app = Application::build(settings).await.expect("build app");
    let address = format!("http://127.0.0.1:{}", app.port());
    let db = app.db().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        db,
        client: reqwest::Client::new(),
        cleanup,
    }
}

impl TestApp {
    /// POSTs a GraphQL request and returns the parsed response body.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("JSON body")
    }

    /// Like `graphql`, and fails the test on any error in the response.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let body = self.graphql(query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// The global id of the record found by `query` at `pointer` (a JSON pointer).
    pub async fn id_of(&self, query: &str, pointer: &str) -> String {
        let data = self.data(query, json!({})).await;
        data.pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no id at {pointer} in {data:#}"))
            .to_owned()
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

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request")
    }
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
