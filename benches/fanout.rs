//! Fan-out benchmark (not a test): many subscribers on one server, one write at a time.
//!
//! Starts the server binary on a fresh database (SQLite in a temp dir, or the
//! PostgreSQL server named by `BENCH_DATABASE_URL`), opens `SUBSCRIBERS` WebSocket
//! connections (default 1,000) each subscribed to `eventReported`, measures the
//! server's resident memory with them idle, then creates `ROUNDS` events one after the
//! other and records, for each, how long every subscriber took to receive it. Prints
//! a Markdown table and writes it to `bench/fanout-results.md`.
//!
//! Run: `bench/fanout.sh` (or `cargo bench --bench fanout`).
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const BIN: &str = env!("CARGO_BIN_EXE_garrison");

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh database, removed when dropped.
enum Database {
    Sqlite(tempfile::TempDir),
    Postgres { server: String, name: String },
}

impl Database {
    fn create() -> Self {
        match std::env::var("BENCH_DATABASE_URL") {
            Ok(server) => {
                let name = format!("garrison_bench_{}", std::process::id());
                psql(&server, &format!("CREATE DATABASE {name}"));
                Self::Postgres {
                    server: server.trim_end_matches('/').to_owned(),
                    name,
                }
            }
            Err(_) => Self::Sqlite(tempfile::tempdir().expect("temp dir")),
        }
    }

    fn url(&self) -> String {
        match self {
            Self::Sqlite(dir) => format!("sqlite://{}", dir.path().join("bench.db").display()),
            Self::Postgres { server, name } => format!("{server}/{name}"),
        }
    }

    fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "SQLite",
            Self::Postgres { .. } => "PostgreSQL",
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Self::Postgres { server, name } = self {
            psql(
                server,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

fn psql(server: &str, sql: &str) {
    let status = Command::new("psql")
        .args([server, "-qc", sql])
        .status()
        .expect("psql");
    assert!(status.success(), "{sql}");
}

fn start(url: &str, subscribers: usize) -> Server {
    let mut child = Command::new(BIN)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(["--ws-max-connections", &(subscribers + 10).to_string()])
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the server");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port: u16 = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            let rest = l.split("listening").nth(1)?.split("127.0.0.1:").nth(1)?;
            rest.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()
        })
        .expect("the server's address");
    std::thread::spawn(move || lines.for_each(drop));
    Server {
        child,
        address: format!("127.0.0.1:{port}"),
    }
}

fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn token(url: &str) -> String {
    let out = Command::new(BIN)
        .args(["token", "create", "--role", "editor", "--name", "bench"])
        .env("DATABASE_URL", url)
        .output()
        .expect("create a token");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Opens one subscriber; it reports the arrival time of every event it receives.
async fn subscriber(
    address: String,
    ready: mpsc::Sender<()>,
    arrivals: mpsc::UnboundedSender<(String, Instant)>,
) {
    let mut request = format!("ws://{address}/graphql")
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    let send = |v: Value| Message::text(v.to_string());
    ws.send(send(json!({ "type": "connection_init" })))
        .await
        .unwrap();
    ws.next().await.unwrap().unwrap();
    let query = "subscription { eventReported { id title } }";
    ws.send(send(
        json!({ "id": "1", "type": "subscribe", "payload": { "query": query } }),
    ))
    .await
    .unwrap();
    ready.send(()).await.unwrap();
    while let Some(Ok(message)) = ws.next().await {
        if let Message::Text(text) = message {
            let at = Instant::now();
            let value: Value = serde_json::from_str(&text).unwrap();
            if value["type"] == "next" {
                let title = value["payload"]["data"]["eventReported"]["title"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                let _ = arrivals.send((title, at));
            }
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let subscribers = env_or("SUBSCRIBERS", 1000);
    let rounds = env_or("ROUNDS", 20);
    let database = Database::create();
    let (url, backend) = (database.url(), database.backend());
    let server = start(&url, subscribers);
    let editor = token(&url);
    let pid = server.child.id();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = rss_mib(pid);

    let (ready_tx, mut ready_rx) = mpsc::channel(subscribers);
    let (arrival_tx, mut arrival_rx) = mpsc::unbounded_channel();
    for _ in 0..subscribers {
        tokio::spawn(subscriber(
            server.address.clone(),
            ready_tx.clone(),
            arrival_tx.clone(),
        ));
    }
    for _ in 0..subscribers {
        ready_rx.recv().await.expect("subscriber ready");
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_idle = rss_mib(pid);

    let client = reqwest::Client::new();
    let report = {
        let body: Value = client
            .post(format!("http://{}/graphql", server.address))
            .json(&json!({ "query": "{ reports(first: 1) { nodes { id } } }" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["data"]["reports"]["nodes"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let create = "mutation($i: CreateEventInput!) { createEvent(input: $i) { event { id } } }";
    let (mut p50s, mut p99s, mut lasts) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let title = format!("bench event {round}");
        let input = json!({ "kind": "STATEMENT", "status": "REPORTED", "title": title,
                            "attestations": [{ "report": report, "excerpt": "bench", "credibility": 6 }] });
        let started = Instant::now();
        let response = client
            .post(format!("http://{}/graphql", server.address))
            .bearer_auth(&editor)
            .json(&json!({ "query": create, "variables": { "i": input } }))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        let mut latencies = Vec::with_capacity(subscribers);
        while latencies.len() < subscribers {
            let (got, at) = tokio::time::timeout(Duration::from_secs(30), arrival_rx.recv())
                .await
                .expect("every subscriber receives the event")
                .unwrap();
            if got == title {
                latencies.push(at - started);
            }
        }
        latencies.sort();
        p50s.push(percentile(&latencies, 0.5));
        p99s.push(percentile(&latencies, 0.99));
        lasts.push(*latencies.last().unwrap());
    }
    let rss_after = rss_mib(pid);
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let table = format!(
        "| database | subscribers | rounds | fan-out p50 (ms) | p99 (ms) | last subscriber (ms) | RSS at start (MiB) | RSS, {subscribers} idle subscriptions (MiB) | RSS after (MiB) |\n\
         |---|---|---|---|---|---|---|---|---|\n\
         | {backend} | {subscribers} | {rounds} | {} | {} | {} | {:.1} | {:.1} | {:.1} |\n",
        ms(median(&mut p50s)),
        ms(median(&mut p99s)),
        ms(median(&mut lasts)),
        rss_before,
        rss_idle,
        rss_after,
    );
    println!("{table}");
    println!(
        "Latency: from sending the createEvent request to each subscriber's receipt (the write's own commit included); medians over the rounds."
    );
    let results = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/fanout-results.md");
    let mut text = std::fs::read_to_string(&results).unwrap_or_default();
    text.push_str(&format!(
        "\n## {} ({backend})\n\n{table}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
    ));
    std::fs::write(results, text).expect("write bench/fanout-results.md");
    drop(server);
}
