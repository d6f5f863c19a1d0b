//! WebSocket connections under attack: a revoked token closes its connections,
//! queries keep the request timeout and share the execution budget with HTTP, and
//! subscription filters are bounded and checked together.
use crate::helpers::{AppOptions, Received, TestApp, spawn_app_with, ws_next, ws_ready, ws_send};
use garrison::auth::{self, Role};
use garrison::configuration::{LimitSettings, LiveSettings};
use garrison_core::vocabulary::Marking;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn subscribe(id: &str, query: &str, variables: Value) -> Value {
    json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } })
}

/// The close code the server ends the connection with, within `wait`.
async fn closed_with(ws: &mut crate::helpers::Ws, wait: Duration) -> u16 {
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match ws_next(ws, left).await {
            Received::Close(code, _) => return code,
            Received::Json(_) => continue,
            Received::Nothing => panic!("still open after {wait:?}"),
        }
    }
}

fn rechecking(ms: u64) -> AppOptions {
    AppOptions {
        live: LiveSettings {
            token_recheck_ms: ms,
            ..LiveSettings::default()
        },
        ..Default::default()
    }
}

#[tokio::test]
async fn a_revoked_token_closes_its_open_connections() {
    let app = spawn_app_with(rechecking(200)).await;
    let issued = auth::create(&app.db, "ws-watcher", Role::Editor, Marking::Red)
        .await
        .unwrap();
    // A live subscription, and nothing else happening on the connection.
    let mut watching = ws_ready(&app.address, Some(&issued.token)).await;
    ws_send(
        &mut watching,
        subscribe("w", "subscription { entityChanged { id } }", json!({})),
    )
    .await;
    let mut idle = ws_ready(&app.address, Some(&issued.token)).await;
    let revoked = Instant::now();
    auth::revoke(&app.db, "ws-watcher").await.unwrap();
    assert_eq!(
        closed_with(&mut watching, Duration::from_secs(5)).await,
        4403
    );
    // The next operation on another connection is refused too (its last check is
    // older than the recheck time by then).
    tokio::time::sleep(Duration::from_millis(250).saturating_sub(revoked.elapsed())).await;
    ws_send(&mut idle, subscribe("q", "{ __typename }", json!({}))).await;
    assert_eq!(closed_with(&mut idle, Duration::from_secs(5)).await, 4403);
    // A token that is still good keeps its connection.
    let reader = app.token(Role::Reader).await;
    let mut fine = ws_ready(&app.address, Some(&reader)).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    ws_send(&mut fine, subscribe("q", "{ __typename }", json!({}))).await;
    match ws_next(&mut fine, Duration::from_secs(5)).await {
        Received::Json(message) => assert_eq!(message["payload"]["data"]["__typename"], "Query"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn queries_over_websocket_keep_the_request_timeout() {
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            request_timeout_ms: 1,
            ..LimitSettings::default()
        },
        batch_window_ms: 50,
        ..Default::default()
    })
    .await;
    let mut ws = ws_ready(&app.address, None).await;
    ws_send(
        &mut ws,
        subscribe(
            "slow",
            "{ bases { nodes { tenures { nodes { actor { name } } } } } }",
            json!({}),
        ),
    )
    .await;
    match ws_next(&mut ws, Duration::from_secs(5)).await {
        Received::Json(message) => {
            assert_eq!(message["id"], "slow");
            assert_eq!(message["type"], "error", "{message}");
            assert_eq!(
                message["payload"][0]["extensions"]["code"], "TIMEOUT",
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn queries_over_websocket_share_the_execution_budget() {
    // Each query waits one loader window (300 ms) and costs more than the whole
    // budget, so queries that take permits can only run one after another.
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            max_concurrent_cost: 4,
            ..LimitSettings::default()
        },
        batch_window_ms: 300,
        ..Default::default()
    })
    .await;
    let mut ws = ws_ready(&app.address, None).await;
    let started = Instant::now();
    for id in ["a", "b", "c"] {
        ws_send(
            &mut ws,
            subscribe(
                id,
                "{ bases { nodes { tenures { totalCount } } } }",
                json!({}),
            ),
        )
        .await;
    }
    let mut done = 0;
    while done < 3 {
        match ws_next(&mut ws, Duration::from_secs(10)).await {
            Received::Json(message) if message["type"] == "next" => {
                assert!(message["payload"].get("errors").is_none(), "{message}");
            }
            Received::Json(message) if message["type"] == "complete" => done += 1,
            other => panic!("{other:?}"),
        }
    }
    assert!(
        started.elapsed() >= Duration::from_millis(850),
        "three queries over the budget ran side by side in {:?}",
        started.elapsed()
    );
}

/// The statements the server runs while one new event reaches `filters` distinct
/// `eventReported` filters.
async fn statements_per_event(app: &TestApp, filters: usize) -> u64 {
    let editor = app.token(Role::Editor).await;
    let mut ws = ws_ready(&app.address, None).await;
    let query = "subscription($f: EventFilter) { eventReported(filter: $f) { title } }";
    for i in 0..filters {
        ws_send(
            &mut ws,
            subscribe(
                &format!("f{i}"),
                query,
                json!({ "f": { "minConfidence": i } }),
            ),
        )
        .await;
    }
    // Let the subscriptions register.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let report = app.first_report().await;
    let before = app.settled_sql_statements().await;
    app.created(
        &editor,
        "Event",
        json!({ "kind": "STATEMENT", "title": format!("Filtered {filters}"), "status": "REPORTED",
                "confidence": 90, "attestations": [{ "report": report, "excerpt": "x", "credibility": 3 }] }),
    )
    .await;
    for _ in 0..filters {
        match ws_next(&mut ws, Duration::from_secs(10)).await {
            Received::Json(message) => assert_eq!(message["type"], "next", "{message}"),
            other => panic!("{other:?}"),
        }
    }
    app.settled_sql_statements().await - before
}

#[tokio::test]
async fn many_filters_cost_one_check_per_event() {
    let app = spawn_app_with(AppOptions::default()).await;
    let one = statements_per_event(&app, 1).await;
    let ten = statements_per_event(&app, 10).await;
    // The token lookup for the second editor is the same in both; the filters are
    // checked in one statement either way.
    assert_eq!(ten, one, "10 filters cost {ten} statements, 1 filter {one}");
}

#[tokio::test]
async fn distinct_filters_are_bounded_per_connection_and_in_all() {
    let app = spawn_app_with(AppOptions {
        live: LiveSettings {
            max_filters: 3,
            max_filters_total: 5,
            ..LiveSettings::default()
        },
        ..Default::default()
    })
    .await;
    let query = "subscription($f: EventFilter) { eventReported(filter: $f) { title } }";
    let mut first = ws_ready(&app.address, None).await;
    for i in 0..3 {
        ws_send(
            &mut first,
            subscribe(
                &format!("f{i}"),
                query,
                json!({ "f": { "minConfidence": i } }),
            ),
        )
        .await;
    }
    // The same filter again is no new one.
    ws_send(
        &mut first,
        subscribe("again", query, json!({ "f": { "minConfidence": 0 } })),
    )
    .await;
    assert_eq!(
        ws_next(&mut first, Duration::from_millis(400)).await,
        Received::Nothing
    );
    ws_send(
        &mut first,
        subscribe("fourth", query, json!({ "f": { "minConfidence": 3 } })),
    )
    .await;
    let refused = |message: Received, id: &str, limit: &str| match message {
        Received::Json(m) => {
            assert_eq!(m["id"], id, "{m}");
            let error = &m["payload"]["errors"][0];
            assert_eq!(error["extensions"]["code"], "QUERY_TOO_COMPLEX", "{m}");
            assert_eq!(error["extensions"]["limit"], limit, "{m}");
        }
        other => panic!("{other:?}"),
    };
    refused(
        ws_next(&mut first, Duration::from_secs(5)).await,
        "fourth",
        "filters per connection",
    );
    let completed = json!({ "id": "fourth", "type": "complete" });
    assert_eq!(
        ws_next(&mut first, Duration::from_secs(5)).await,
        Received::Json(completed)
    );
    let mut second = ws_ready(&app.address, None).await;
    for i in 10..12 {
        ws_send(
            &mut second,
            subscribe(
                &format!("g{i}"),
                query,
                json!({ "f": { "minConfidence": i } }),
            ),
        )
        .await;
    }
    ws_send(
        &mut second,
        subscribe("sixth", query, json!({ "f": { "minConfidence": 20 } })),
    )
    .await;
    refused(
        ws_next(&mut second, Duration::from_secs(5)).await,
        "sixth",
        "live filters",
    );
    let completed = json!({ "id": "sixth", "type": "complete" });
    assert_eq!(
        ws_next(&mut second, Duration::from_secs(5)).await,
        Received::Json(completed)
    );
    // Completing a subscription frees its filter.
    ws_send(&mut second, json!({ "id": "g10", "type": "complete" })).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    ws_send(
        &mut second,
        subscribe("later", query, json!({ "f": { "minConfidence": 21 } })),
    )
    .await;
    assert_eq!(
        ws_next(&mut second, Duration::from_millis(400)).await,
        Received::Nothing
    );
}
