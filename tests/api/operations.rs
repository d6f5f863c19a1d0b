//! Running it: health, readiness, metrics, request ids and JSON logs, graceful
//! shutdown, and many writers at once.
use crate::helpers::{Received, error_code, spawn_app, spawn_replica, ws_next, ws_ready, ws_send};
use garrison::auth::Role;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::time::Duration;

#[tokio::test]
async fn ready_only_with_the_database_and_every_migration() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
    // Forget the newest migration: it is pending, so not ready.
    let backend = app.db.get_database_backend();
    let forget =
        "DELETE FROM seaql_migrations WHERE version = (SELECT MAX(version) FROM seaql_migrations)";
    app.db
        .execute_raw(sea_orm::Statement::from_string(backend, forget))
        .await
        .unwrap();
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("migrations are pending")
    );
    assert_eq!(app.get("/healthz").await.status(), 200, "still alive");
}

/// An embedded SQLite file cannot go down under a running server; this needs a
/// PostgreSQL server to stop.
#[tokio::test]
#[ignore = "needs PostgreSQL: TEST_DATABASE_URL=… cargo test -- --include-ignored"]
async fn not_ready_while_the_database_is_down() {
    let server = crate::helpers::postgres_server();
    let app = spawn_app().await;
    let name = app.database_url.rsplit('/').next().unwrap().to_owned();
    let admin = sea_orm::Database::connect(format!("{}/postgres", server.trim_end_matches('/')))
        .await
        .unwrap();
    let run = |sql: String| {
        let admin = admin.clone();
        async move { admin.execute_unprepared(&sql).await.unwrap() }
    };
    run(format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS false")).await;
    run(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ))
    .await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    run(format!("ALTER DATABASE \"{name}\" ALLOW_CONNECTIONS true")).await;
    let mut ready = false;
    for _ in 0..50 {
        if app.get("/readyz").await.status() == 200 {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "ready again once the database is back");
}

#[tokio::test]
async fn metrics_count_requests_errors_and_connections() {
    let app = spawn_app().await;
    app.data("query Dashboard { bases { totalCount } }", json!({}))
        .await;
    app.graphql("query Broken { planets }", json!({})).await;
    let _ws = ws_ready(&app.address, None).await;
    let text = app.get("/metrics").await.text().await.unwrap();
    for expected in [
        r#"garrison_graphql_requests_total{operation="Dashboard",status="200"} 1"#,
        r#"garrison_graphql_request_duration_seconds_count{operation="Dashboard"} 1"#,
        r#"garrison_graphql_errors_total{code="BAD_USER_INPUT"} 1"#,
        "garrison_websocket_connections 1",
        "garrison_subscriptions 0",
        r#"garrison_db_pool_connections{state="idle"}"#,
        "garrison_sql_statements_total",
    ] {
        assert!(text.contains(expected), "missing {expected} in\n{text}");
    }
}

#[tokio::test]
async fn requests_carry_an_id_into_json_logs() {
    let app = spawn_app().await;
    let replica = spawn_replica(&app, &["--log-json"]);
    let response = reqwest::Client::new()
        .post(format!("{}/graphql", replica.address))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .unwrap();
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let mut found = false;
    for _ in 0..50 {
        found = replica.log.lock().unwrap().iter().any(|line| {
            serde_json::from_str::<Value>(line).is_ok_and(|v| v.to_string().contains(&id))
        });
        if found {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        found,
        "a JSON log line names request {id}: {:?}",
        replica.log.lock().unwrap()
    );
}

#[tokio::test]
async fn shutdown_finishes_the_write_in_flight_and_closes_sockets() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let mut replica = spawn_replica(&app, &[]);
    let mut ws = ws_ready(&replica.address, None).await;
    ws_send(&mut ws, json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { entityChanged { id } }" } })).await;
    let events: Vec<Value> = (0..400)
        .map(|i| json!({ "key": format!("shutdown-{i}"), "kind": "STATEMENT", "status": "REPORTED", "title": format!("Shutdown {i}"),
                          "attestations": [{ "report": "seed-article", "excerpt": "x", "credibility": 6 }] }))
        .collect();
    let address = replica.address.clone();
    let write = tokio::spawn(async move {
        reqwest::Client::new()
            .post(format!("{address}/graphql"))
            .bearer_auth(editor)
            .json(&json!({ "query": "mutation($b: JSON!) { importBundle(bundle: $b) { created } }", "variables": { "b": { "events": events } } }))
            .send()
            .await
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let pid = replica.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    // The write in flight is answered, and it committed.
    let response = write.await.unwrap().expect("the write is answered");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["importBundle"]["created"], 800, "{body:#}");
    let count = app
        .data(
            r#"{ events(filter: { title: "Shutdown" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(count["events"]["totalCount"], 400);
    // The subscriber got a proper close frame (after what was already on its way).
    let closed = loop {
        match ws_next(&mut ws, Duration::from_secs(10)).await {
            Received::Json(_) => continue,
            other => break other,
        }
    };
    assert!(matches!(closed, Received::Close(1001, _)), "{closed:?}");
    let status = replica.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn thirty_two_concurrent_writers_each_get_an_answer() {
    let app = std::sync::Arc::new(spawn_app().await);
    let editor = app.token(Role::Editor).await;
    let writers = (0..32).map(|i| {
        let (app, editor) = (app.clone(), editor.clone());
        tokio::spawn(async move {
            app.create(
                &editor,
                "Source",
                json!({ "kind": "OTHER", "name": format!("Writer {i}"), "reliability": "C" }),
            )
            .await
        })
    });
    let mut committed = 0;
    for writer in writers {
        let body = writer.await.unwrap();
        match body.get("errors") {
            None => committed += 1,
            Some(_) => assert!(
                ["CONFLICT", "TIMEOUT"].contains(&error_code(&body)),
                "{body:#}"
            ),
        }
    }
    let count = app
        .data(
            r#"{ sources(filter: { name: "Writer" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(count["sources"]["totalCount"], committed);
    assert_eq!(
        committed, 32,
        "with WAL, IMMEDIATE transactions and a busy timeout every write commits"
    );
}

#[tokio::test]
async fn metric_labels_name_only_operations_that_ran_and_are_bounded() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let post = |body: Value| {
        client
            .post(format!("{}/graphql", app.address))
            .json(&body)
            .send()
    };
    // Names of operations that do not exist, or of documents that do not validate.
    for i in 0..150 {
        post(json!({ "query": "query A { __typename }", "operationName": format!("Junk{i}") }))
            .await
            .unwrap();
        post(json!({ "query": format!("query Bad{i} {{ planets }}") }))
            .await
            .unwrap();
    }
    // More distinct names that run than get labels.
    for i in 0..120 {
        post(json!({ "query": format!("query Op{i} {{ __typename }}") }))
            .await
            .unwrap();
    }
    let text = app.get("/metrics").await.text().await.unwrap();
    let requests: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("garrison_graphql_requests_total{"))
        .collect();
    assert!(
        !text.contains("Junk") && !text.contains("Bad"),
        "refused names became labels"
    );
    assert!(
        requests
            .iter()
            .any(|l| l.contains(r#"operation="refused""#))
    );
    let named = requests
        .iter()
        .filter(|l| l.contains(r#"operation="Op"#))
        .count();
    assert_eq!(named, 100, "{requests:#?}");
    assert!(requests.iter().any(|l| l.contains(r#"operation="other""#)));
}

#[tokio::test]
async fn servers_started_together_on_a_fresh_database_migrate_and_seed_once() {
    let database = crate::helpers::FreshDatabase::new().await;
    let starting: Vec<_> = (0..3)
        .map(|_| {
            let url = database.url.clone();
            std::thread::spawn(move || crate::helpers::spawn_server(&url, &[]))
        })
        .collect();
    let servers: Vec<_> = starting
        .into_iter()
        .map(|s| s.join().expect("each server starts and listens"))
        .collect();
    let seed: Value = serde_json::from_str(garrison::bundle::SEED).unwrap();
    let seeded_actors = seed["actors"].as_array().unwrap().len();
    let client = reqwest::Client::new();
    let mut journals = Vec::new();
    for server in &servers {
        let body: Value = client
            .post(format!("{}/graphql", server.address))
            .json(&json!({ "query": "{ actors { totalCount } changes(types: [\"Actor\"]) { totalCount } }" }))
            .send()
            .await
            .expect("serves")
            .json()
            .await
            .unwrap();
        assert_eq!(
            body["data"]["actors"]["totalCount"], seeded_actors,
            "{body:#}"
        );
        journals.push(body["data"]["changes"]["totalCount"].clone());
    }
    assert!(
        journals.iter().all(|j| *j == json!(seeded_actors)),
        "seeded once: {journals:?}"
    );
    for server in &servers {
        let log = server.log.lock().unwrap().join("\n");
        assert!(!log.contains("ERROR"), "{log}");
    }
}
