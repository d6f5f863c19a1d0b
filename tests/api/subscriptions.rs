//! Subscriptions over graphql-transport-ws, with a raw WebSocket client: delivery after
//! commit, filters, every close code of the protocol, and slow consumers.
use crate::helpers::{
    AppOptions, Received, TestApp, spawn_app, spawn_app_with, ws_json, ws_next, ws_ready, ws_send,
};
use garrison::auth::Role;
use garrison::configuration::LiveSettings;
use serde_json::{Value, json};
use std::time::Duration;

const QUIET: Duration = Duration::from_millis(400);

fn subscribe(id: &str, query: &str, variables: Value) -> Value {
    json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } })
}

/// A new event involving `actor` (a global id) of `kind`, attested by the first report.
async fn report_event(app: &TestApp, token: &str, title: &str, kind: &str, actor: &str) {
    let report = app.first_report().await;
    app.created(
        token,
        "Event",
        json!({
            "kind": kind, "title": title, "status": "REPORTED",
            "actors": [{ "actor": actor, "role": "PERFORMER" }],
            "attestations": [{ "report": report, "excerpt": title, "credibility": 3 }]
        }),
    )
    .await;
}

async fn actor_named(app: &TestApp, name: &str) -> String {
    app.id_of(
        &format!(r#"{{ actors(filter: {{ name: "{name}" }}) {{ nodes {{ id }} }} }}"#),
        "/actors/nodes/0/id",
    )
    .await
}

#[tokio::test]
async fn events_arrive_after_commit_and_filters_hold() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let navy = actor_named(&app, "Russian Navy").await;
    let russia = app
        .id_of(
            r#"{ actors(filter: { kind: [STATE], country: ["RU"] }) { nodes { id } } }"#,
            "/actors/nodes/0/id",
        )
        .await;
    let hts = actor_named(&app, "HTS").await;
    let mut ws = ws_ready(&app.address, None).await;
    let query = "subscription($f: EventFilter) { eventReported(filter: $f) { title actors { nodes { actor { name } } } } }";
    // Russia with its subordinates: the navy counts.
    ws_send(
        &mut ws,
        subscribe("russia", query, json!({ "f": { "actor": russia } })),
    )
    .await;
    ws_send(
        &mut ws,
        subscribe("attacks", query, json!({ "f": { "kind": ["ATTACK"] } })),
    )
    .await;
    ws_send(&mut ws, subscribe("all", query, json!({}))).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    report_event(&app, &editor, "Frigate sails", "MOVEMENT", &navy).await;
    report_event(&app, &editor, "Checkpoint attacked", "ATTACK", &hts).await;
    let mut got: Vec<(String, String)> = Vec::new();
    for _ in 0..4 {
        let message = ws_json(&mut ws).await;
        assert_eq!(message["type"], "next", "{message}");
        got.push((
            message["id"].as_str().unwrap().to_owned(),
            message["payload"]["data"]["eventReported"]["title"]
                .as_str()
                .unwrap()
                .to_owned(),
        ));
    }
    got.sort();
    assert_eq!(
        got,
        vec![
            ("all".into(), "Checkpoint attacked".into()),
            ("all".into(), "Frigate sails".into()),
            ("attacks".into(), "Checkpoint attacked".into()),
            ("russia".into(), "Frigate sails".into()),
        ]
    );
    assert_eq!(ws_next(&mut ws, QUIET).await, Received::Nothing);
}

#[tokio::test]
async fn reports_and_changes_stream_and_complete_stops_them() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let mut ws = ws_ready(&app.address, None).await;
    let source = app
        .created(
            &editor,
            "Source",
            json!({ "kind": "OTHER", "name": "Live wire", "reliability": "D" }),
        )
        .await;
    ws_send(
        &mut ws,
        subscribe(
            "reports",
            "subscription($s: ID) { reportPublished(source: $s) { title source { name } } }",
            json!({ "s": source }),
        ),
    )
    .await;
    ws_send(
        &mut ws,
        subscribe(
            "changes",
            r#"subscription { entityChanged(types: ["Report"]) { operation entityType author } }"#,
            json!({}),
        ),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    app.created(
        &editor,
        "Report",
        json!({ "source": source, "title": "First words" }),
    )
    .await;
    let mut seen = Vec::new();
    for _ in 0..2 {
        seen.push(ws_json(&mut ws).await);
    }
    seen.sort_by_key(|m| m["id"].as_str().unwrap().to_owned());
    assert_eq!(
        seen[0]["payload"]["data"]["entityChanged"]["operation"],
        "CREATE"
    );
    assert!(
        seen[0]["payload"]["data"]["entityChanged"]["author"]
            .as_str()
            .unwrap()
            .starts_with("test-editor")
    );
    assert_eq!(
        seen[1]["payload"]["data"]["reportPublished"],
        json!({ "title": "First words", "source": { "name": "Live wire" } })
    );
    // The client completes one; only the other keeps going.
    ws_send(&mut ws, json!({ "id": "reports", "type": "complete" })).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    app.created(
        &editor,
        "Report",
        json!({ "source": source, "title": "Second words" }),
    )
    .await;
    let message = ws_json(&mut ws).await;
    assert_eq!(message["id"], "changes");
    assert_eq!(ws_next(&mut ws, QUIET).await, Received::Nothing);
    // A query over the socket is one `next`, then `complete`; ping gets pong.
    ws_send(
        &mut ws,
        subscribe(
            "q",
            "{ sources(filter: { name: \"Live wire\" }) { totalCount } }",
            json!({}),
        ),
    )
    .await;
    let next = ws_json(&mut ws).await;
    assert_eq!(next["payload"]["data"]["sources"]["totalCount"], 1);
    assert_eq!(
        ws_json(&mut ws).await,
        json!({ "id": "q", "type": "complete" })
    );
    ws_send(&mut ws, json!({ "type": "ping" })).await;
    assert_eq!(ws_json(&mut ws).await, json!({ "type": "pong" }));
}

#[tokio::test]
async fn a_rolled_back_write_emits_nothing() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let mut ws = ws_ready(&app.address, None).await;
    ws_send(
        &mut ws,
        subscribe(
            "all",
            "subscription { entityChanged { entityType operation } }",
            json!({}),
        ),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    // A bundle whose last item fails: its events were written, then rolled back.
    let bundle = json!({
        "sources": [{ "key": "rb-source", "kind": "OTHER", "name": "Rolled back", "reliability": "F" }],
        "deployments": [{ "key": "rb-d", "asset": "nowhere", "base": "hmeimim" }]
    });
    let body = app
        .graphql_as(
            &editor,
            "mutation($b: JSON!) { importBundle(bundle: $b) { created } }",
            json!({ "b": bundle }),
        )
        .await;
    assert_eq!(crate::helpers::error_code(&body), "NOT_FOUND");
    assert_eq!(ws_next(&mut ws, QUIET).await, Received::Nothing);
    app.created(
        &editor,
        "Source",
        json!({ "kind": "OTHER", "name": "Kept", "reliability": "F" }),
    )
    .await;
    let message = ws_json(&mut ws).await;
    assert_eq!(
        message["payload"]["data"]["entityChanged"],
        json!({ "entityType": "Source", "operation": "CREATE" })
    );
}

#[tokio::test]
async fn protocol_violations_close_with_their_codes() {
    let app = spawn_app_with(AppOptions {
        live: LiveSettings {
            init_timeout_ms: 300,
            ..LiveSettings::default()
        },
        ..Default::default()
    })
    .await;
    let address = &app.address;
    let expect_close =
        async |ws: &mut crate::helpers::Ws, code: u16| match ws_next(ws, Duration::from_secs(5))
            .await
        {
            Received::Close(got, reason) => assert_eq!(got, code, "{reason}"),
            other => panic!("expected close {code}, got {other:?}"),
        };
    // No subprotocol: 4406.
    let mut ws = app.ws(None).await;
    expect_close(&mut ws, 4406).await;
    // No connection_init in time: 4408.
    let mut ws = app.ws(Some("graphql-transport-ws")).await;
    expect_close(&mut ws, 4408).await;
    // Subscribe before the connection is acknowledged: 4401.
    let mut ws = app.ws(Some("graphql-transport-ws")).await;
    ws_send(
        &mut ws,
        subscribe("1", "subscription { entityChanged { id } }", json!({})),
    )
    .await;
    expect_close(&mut ws, 4401).await;
    // A second connection_init: 4429.
    let mut ws = ws_ready(address, None).await;
    ws_send(&mut ws, json!({ "type": "connection_init" })).await;
    expect_close(&mut ws, 4429).await;
    // A bad token: 4403.
    let mut ws = app.ws(Some("graphql-transport-ws")).await;
    ws_send(&mut ws, json!({ "type": "connection_init", "payload": { "Authorization": "Bearer garrison_1_nope" } })).await;
    expect_close(&mut ws, 4403).await;
    // Malformed messages: 4400.
    for bad in [
        "not json".to_owned(),
        json!({ "type": "subscribe", "payload": { "query": "{ __typename }" } }).to_string(),
        json!({ "type": "teleport" }).to_string(),
        json!({ "id": "1", "type": "subscribe", "payload": { "query": "{ __typename }", "variables": [1] } }).to_string(),
    ] {
        let mut ws = ws_ready(address, None).await;
        use futures_util::SinkExt;
        ws.send(tokio_tungstenite::tungstenite::Message::text(bad.clone())).await.unwrap();
        expect_close(&mut ws, 4400).await;
    }
    // A duplicate subscription id: 4409.
    let mut ws = ws_ready(address, None).await;
    let live = subscribe("same", "subscription { entityChanged { id } }", json!({}));
    ws_send(&mut ws, live.clone()).await;
    ws_send(&mut ws, live).await;
    expect_close(&mut ws, 4409).await;
    // An invalid document is an `error` message, and the connection stays open.
    let mut ws = ws_ready(address, None).await;
    ws_send(
        &mut ws,
        subscribe("bad", "subscription { noSuchField }", json!({})),
    )
    .await;
    let error = ws_json(&mut ws).await;
    assert_eq!(error["type"], "error", "{error}");
    assert_eq!(error["id"], "bad");
    assert_eq!(error["payload"][0]["extensions"]["code"], "BAD_USER_INPUT");
    ws_send(&mut ws, json!({ "type": "ping" })).await;
    assert_eq!(ws_json(&mut ws).await, json!({ "type": "pong" }));
}

#[tokio::test]
async fn reads_behind_a_token_need_it_in_connection_init() {
    let app = spawn_app_with(AppOptions {
        require_token: true,
        ..Default::default()
    })
    .await;
    let mut ws = app.ws(Some("graphql-transport-ws")).await;
    ws_send(&mut ws, json!({ "type": "connection_init" })).await;
    assert!(matches!(
        ws_next(&mut ws, Duration::from_secs(5)).await,
        Received::Close(4403, _)
    ));
    let reader = app.token(Role::Reader).await;
    let mut ws = ws_ready(&app.address, Some(&reader)).await;
    ws_send(
        &mut ws,
        subscribe("q", "{ bases { totalCount } }", json!({})),
    )
    .await;
    assert_eq!(
        ws_json(&mut ws).await["payload"]["data"]["bases"]["totalCount"],
        2
    );
}

#[tokio::test]
async fn a_slow_consumer_is_cut_off_while_others_keep_receiving() {
    let app = spawn_app_with(AppOptions {
        live: LiveSettings {
            send_queue: 8,
            slow_after_ms: 500,
            ..LiveSettings::default()
        },
        ..Default::default()
    })
    .await;
    let editor = app.token(Role::Editor).await;
    let query = "subscription { entityChanged(types: [\"Event\"]) { fields { field newValue } } }";
    // The slow client subscribes many times over and never reads.
    let mut slow = ws_ready(&app.address, None).await;
    for i in 0..50 {
        ws_send(&mut slow, subscribe(&format!("s{i}"), query, json!({}))).await;
    }
    let mut fast = ws_ready(&app.address, None).await;
    ws_send(
        &mut fast,
        subscribe(
            "titles",
            "subscription { eventReported { title } }",
            json!({}),
        ),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let summary = "x".repeat(9_000);
    let events: Vec<Value> = (0..60)
        .map(|i| json!({ "key": format!("slow-{i}"), "kind": "STATEMENT", "status": "REPORTED", "title": format!("Statement {i}"),
                          "summary": summary, "attestations": [{ "report": "seed-article", "excerpt": "x", "credibility": 6 }] }))
        .collect();
    let body = app
        .graphql_as(
            &editor,
            "mutation($b: JSON!) { importBundle(bundle: $b) { created } }",
            json!({ "b": { "events": events } }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    for i in 0..60 {
        let message = ws_json(&mut fast).await;
        assert_eq!(
            message["payload"]["data"]["eventReported"]["title"],
            format!("Statement {i}")
        );
    }
    // The slow one, which left its queue full for longer than the grace period, finds
    // after what was already on its way that it was closed.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let closed = loop {
        match ws_next(&mut slow, Duration::from_secs(10)).await {
            Received::Json(_) => continue,
            other => break other,
        }
    };
    assert!(matches!(closed, Received::Close(1008, _)), "{closed:?}");
}

fn on_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok()
}

#[tokio::test]
async fn a_write_on_one_replica_reaches_subscribers_of_another() {
    let a = spawn_app().await;
    let editor = a.token(Role::Editor).await;
    // On PostgreSQL, NOTIFY alone must carry it: the poll is an hour. On SQLite (one
    // file, two processes) the poll is what carries it.
    let poll = if on_postgres() { "3600000" } else { "200" };
    let b = crate::helpers::spawn_replica(&a, &["--live-poll-ms", poll]);
    let mut ws = ws_ready(&b.address, None).await;
    ws_send(
        &mut ws,
        subscribe("e", "subscription { eventReported { title } }", json!({})),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let navy = actor_named(&a, "Russian Navy").await;
    report_event(&a, &editor, "Written on A", "MOVEMENT", &navy).await;
    let message = ws_json(&mut ws).await;
    assert_eq!(
        message["payload"]["data"]["eventReported"]["title"],
        "Written on A"
    );
}

/// SQLite has no listener (one process broadcasts in memory): this needs PostgreSQL.
#[tokio::test]
#[ignore = "needs PostgreSQL: TEST_DATABASE_URL=… cargo test -- --include-ignored"]
async fn the_listener_reconnects_after_its_connection_drops() {
    crate::helpers::postgres_server();
    let app = spawn_app_with(AppOptions {
        live: LiveSettings {
            poll_ms: 3_600_000,
            ..LiveSettings::default()
        },
        ..Default::default()
    })
    .await;
    let editor = app.token(Role::Editor).await;
    let mut ws = ws_ready(&app.address, None).await;
    ws_send(
        &mut ws,
        subscribe(
            "c",
            "subscription { entityChanged(types: [\"Source\"]) { operation } }",
            json!({}),
        ),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    use sea_orm::ConnectionTrait;
    let killed = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity \
             WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()",
        ))
        .await
        .expect("terminate the listener");
    assert_eq!(killed.len(), 1, "one listening backend");
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.created(
        &editor,
        "Source",
        json!({ "kind": "OTHER", "name": "After the drop", "reliability": "F" }),
    )
    .await;
    let message = ws_json(&mut ws).await;
    assert_eq!(
        message["payload"]["data"]["entityChanged"]["operation"],
        "CREATE"
    );
}

#[tokio::test]
async fn caps_and_keep_alive() {
    let app = spawn_app_with(AppOptions {
        live: LiveSettings {
            keepalive_secs: 1,
            max_subscriptions: 2,
            max_connections: 2,
            ..LiveSettings::default()
        },
        ..Default::default()
    })
    .await;
    let mut ws = ws_ready(&app.address, None).await;
    // The server pings on its own to keep the connection alive.
    use futures_util::StreamExt;
    let ping = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(ping.to_text().unwrap()).unwrap(),
        json!({ "type": "ping" })
    );
    // A third subscription on one connection is refused with an `error`; the rest go on.
    for id in ["a", "b", "c"] {
        ws_send(
            &mut ws,
            subscribe(id, "subscription { entityChanged { id } }", json!({})),
        )
        .await;
    }
    let refused = ws_json(&mut ws).await;
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["id"], "c");
    // A third connection is closed with 1013 (try again later).
    let _second = ws_ready(&app.address, None).await;
    let mut third = app.ws(Some("graphql-transport-ws")).await;
    assert!(matches!(
        ws_next(&mut third, Duration::from_secs(5)).await,
        Received::Close(1013, _)
    ));
}
