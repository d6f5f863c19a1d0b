//! Clients that hold the server's resources: bodies trickled or never sent, batches
//! without end, requests that together run past their deadline.
use crate::helpers::{AppOptions, TestApp, error_code, spawn_app_with};
use garrison::configuration::LimitSettings;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Opens a raw connection and sends a POST's head announcing `length` bytes of body.
async fn announce(app: &TestApp, length: usize) -> TcpStream {
    let address = app.address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    stream
}

/// The status line of the answer, read within `wait`.
async fn status_line(stream: &mut (impl AsyncReadExt + Unpin), wait: Duration) -> String {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + wait;
    while !answer.windows(2).any(|w| w == b"\r\n") {
        match tokio::time::timeout_at(deadline, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Err(_) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buffer[..n]),
            Ok(Err(_)) => break,
        }
    }
    String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_body_that_trickles_in_is_cut_off_at_its_deadline() {
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            body_timeout_ms: 500,
            ..LimitSettings::default()
        },
        ..Default::default()
    })
    .await;
    let stream = announce(&app, 1_000).await;
    let started = Instant::now();
    let (mut read, mut write) = stream.into_split();
    // A byte every 50 ms, for up to five seconds, while the answer is awaited.
    let trickle = async move {
        for _ in 0..100 {
            if write.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let line = tokio::select! {
        line = status_line(&mut read, Duration::from_secs(5)) => line,
        _ = trickle => String::new(),
    };
    assert!(
        line.contains(" 408 "),
        "{line:?} after {:?}",
        started.elapsed()
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    // The server still serves everyone else.
    let body = app.graphql("{ __typename }", json!({})).await;
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn a_token_server_answers_strangers_before_reading_their_body() {
    let app = spawn_app_with(AppOptions {
        require_token: true,
        ..Default::default()
    })
    .await;
    // 15 MiB announced, none sent: the refusal comes at once.
    let mut stream = announce(&app, 15 * 1024 * 1024).await;
    let started = Instant::now();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(3), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.contains("UNAUTHENTICATED"), "{answer:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

async fn batch(app: &TestApp, items: Vec<Value>) -> Value {
    reqwest::Client::new()
        .post(format!("{}/graphql", app.address))
        .json(&Value::Array(items))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON")
}

#[tokio::test]
async fn batches_are_bounded_and_share_one_deadline() {
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            batching: true,
            max_batch_size: 3,
            request_timeout_ms: 200,
            ..LimitSettings::default()
        },
        // Each item waits one loader window: 150 ms, within the timeout alone.
        batch_window_ms: 150,
        ..Default::default()
    })
    .await;
    let item = json!({ "query": "{ bases { nodes { tenures { totalCount } } } }" });
    let body = batch(&app, vec![item.clone(); 4]).await;
    assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX", "{body:#}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], "batch size");
    // Three items of 150 ms each cannot all finish within one 200 ms deadline.
    let answers = batch(&app, vec![item; 3]).await;
    let answers = answers.as_array().expect("a batch answer");
    assert_eq!(answers.len(), 3);
    assert_eq!(error_code(&answers[2]), "TIMEOUT", "{:#}", answers[2]);
}

#[tokio::test]
async fn large_bodies_in_flight_share_a_memory_budget() {
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            max_body_bytes: 2 * 1024 * 1024,
            max_body_memory_mb: 2,
            body_timeout_ms: 1_500,
            ..LimitSettings::default()
        },
        ..Default::default()
    })
    .await;
    // A holds most of the budget with a body it never finishes.
    let stalled = announce(&app, 2 * 1024 * 1024).await;
    let (mut stalled_read, mut stalled_write) = stalled.into_split();
    stalled_write
        .write_all(&vec![b' '; 1_900_000])
        .await
        .expect("most of A's body");
    tokio::time::sleep(Duration::from_millis(200)).await;
    // B's 1 MB body needs more than is left: it waits for A's deadline, then runs.
    let started = Instant::now();
    let padding = " ".repeat(1_000_000);
    let body = format!(r#"{{"query": "{{ __typename }}"{padding}}}"#);
    let answer: Value = reqwest::Client::new()
        .post(format!("{}/graphql", app.address))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("B is answered")
        .json()
        .await
        .expect("JSON");
    assert_eq!(answer["data"]["__typename"], "Query", "{answer:#}");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "B did not wait for A's share: {:?}",
        started.elapsed()
    );
    let line = status_line(&mut stalled_read, Duration::from_secs(5)).await;
    assert!(line.contains(" 408 "), "{line:?}");
}
