//! Values nested ten thousand levels deep, in every place a document or its variables
//! can hold them and over every transport, are refused with QUERY_TOO_COMPLEX before
//! anything recursive parses them; the server lives on. (A 3.6 KB GET of this shape
//! used to overflow the stack and kill the process, `--require-token` or not.)
use crate::helpers::{
    AppOptions, Received, TestApp, error_code, spawn_app, spawn_app_with, spawn_replica, ws_next,
    ws_ready, ws_send,
};
use garrison::auth::Role;
use serde_json::{Value, json};
use std::time::Duration;

const LEVELS: usize = 10_000;
/// Deep, and still within the limits on bytes and tokens (the review found 2,500
/// levels got through them), so that the nesting limit itself must refuse it.
const WITHIN_TOKENS: usize = 1_500;

fn nested_to(levels: usize, open: &str, inner: &str, close: &str) -> String {
    format!("{}{inner}{}", open.repeat(levels), close.repeat(levels))
}

fn nested(open: &str, inner: &str, close: &str) -> String {
    nested_to(LEVELS, open, inner, close)
}

/// Documents that hold a value `levels` deep somewhere.
fn deep_documents_at(levels: usize) -> Vec<(&'static str, String)> {
    let list = nested_to(levels, "[", "\"x\"", "]");
    let object = nested_to(levels, "{a: ", "1", "}");
    vec![
        (
            "an argument's list",
            format!("{{ nodes(ids: {list}) {{ id }} }}"),
        ),
        (
            "an argument's object",
            format!("{{ bases(filter: {object}) {{ totalCount }} }}"),
        ),
        (
            "a default value",
            format!("query($x: [ID!] = {list}) {{ nodes(ids: $x) {{ id }} }}"),
        ),
        (
            "a directive's argument",
            format!("{{ __typename @include(if: {list}) }}"),
        ),
        (
            "a variable's type",
            format!(
                "query($x: {}) {{ __typename }}",
                nested_to(levels, "[", "ID", "]")
            ),
        ),
        ("selection sets", nested_to(levels, "{ a ", "", "}")),
        // An unclosed block string is, to the parser, two empty strings: the
        // brackets after it once went unmeasured.
        (
            "after an unclosed block string",
            format!("{{ a(b: [\"\"\"\"{list}]) }}"),
        ),
        // A comment ended by a carriage return once hid the rest from the scan.
        (
            "after a comment ended by \\r",
            format!("#\r{{ nodes(ids: {list}) {{ id }} }}"),
        ),
    ]
}

/// Both depths of every shape.
fn deep_documents() -> Vec<(&'static str, String)> {
    [deep_documents_at(LEVELS), deep_documents_at(WITHIN_TOKENS)].concat()
}

/// A JSON value `LEVELS` arrays deep, as text (serde_json cannot build one).
fn deep_json() -> String {
    nested("[", "1", "]")
}

/// The server still answers a plain query.
async fn still_serves(app: &TestApp) {
    assert_eq!(
        app.data("{ __typename }", json!({})).await,
        json!({ "__typename": "Query" })
    );
}

fn assert_too_complex(body: &Value, what: &str) {
    assert_eq!(error_code(body), "QUERY_TOO_COMPLEX", "{what}: {body:#}");
}

async fn post_raw(app: &TestApp, body: String, token: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/graphql", app.address))
        .header("content-type", "application/json")
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

async fn get_raw(app: &TestApp, params: &[(&str, &str)]) -> (u16, Value) {
    let query = serde_urlencoded::to_string(params).unwrap();
    let response = app.get(&format!("/graphql?{query}")).await;
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

#[tokio::test]
async fn deep_values_are_refused_over_post_get_and_persisted_queries() {
    let app = spawn_app().await;
    for (what, document) in deep_documents() {
        let (status, body) = post_raw(&app, json!({ "query": document }).to_string(), None).await;
        assert!(status < 500, "{what}: {status}");
        assert_too_complex(&body, what);
        // A URL has room for the shallower shapes only (the attack was 3.6 KB).
        if document.len() < 20_000 {
            let (status, body) = get_raw(&app, &[("query", &document)]).await;
            assert!(status < 500, "GET {what}: {status}");
            assert_too_complex(&body, &format!("GET {what}"));
        }
        // Registered as a persisted query: refused, and so never stored.
        let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(document.as_bytes()));
        let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
        let (_, body) = post_raw(
            &app,
            json!({ "query": document, "extensions": extensions }).to_string(),
            None,
        )
        .await;
        assert_too_complex(&body, &format!("APQ {what}"));
        let (_, body) = get_raw(&app, &[("extensions", &extensions.to_string())]).await;
        assert_eq!(error_code(&body), "PERSISTED_QUERY_NOT_FOUND", "{body:#}");
    }
    // Variables, as JSON in a body and in a query string.
    let query = "query($x: [ID!]) { nodes(ids: $x) { id } }";
    let body = format!(
        r#"{{"query": {}, "variables": {{"x": {}}}}}"#,
        json!(query),
        deep_json()
    );
    let (status, answer) = post_raw(&app, body, None).await;
    assert!(status < 500);
    assert_too_complex(&answer, "variables in a body");
    let deep = nested_to(WITHIN_TOKENS, "[", "1", "]");
    let (_, answer) = get_raw(
        &app,
        &[
            ("query", query),
            ("variables", &format!("{{\"x\": {deep}}}")),
        ],
    )
    .await;
    assert_too_complex(&answer, "variables in a query string");
    let (_, answer) = get_raw(
        &app,
        &[
            ("query", query),
            ("extensions", &format!("{{\"x\": {deep}}}")),
        ],
    )
    .await;
    assert_too_complex(&answer, "extensions in a query string");
    // A body that is only brackets.
    let (_, answer) = post_raw(&app, deep_json(), None).await;
    assert_too_complex(&answer, "a bare deep body");
    // Values within the limit still run: 32 levels of a list argument.
    let within = format!(
        "{{ nodes(ids: {}\"x\"{}) {{ id }} }}",
        "[".repeat(32),
        "]".repeat(32)
    );
    let body = app.graphql(&within, json!({})).await;
    assert_eq!(
        error_code(&body),
        "BAD_USER_INPUT",
        "a wrong type, not a limit: {body:#}"
    );
    still_serves(&app).await;
}

#[tokio::test]
async fn deep_values_over_websocket_are_refused_and_the_connection_lives() {
    let app = spawn_app().await;
    let mut ws = ws_ready(&app.address, None).await;
    for (i, (what, document)) in deep_documents().into_iter().enumerate() {
        let id = format!("d{i}");
        ws_send(
            &mut ws,
            json!({ "id": id, "type": "subscribe", "payload": { "query": document } }),
        )
        .await;
        match ws_next(&mut ws, Duration::from_secs(10)).await {
            Received::Json(message) => {
                assert_eq!(message["type"], "error", "{what}: {message}");
                assert_eq!(message["id"], id.as_str());
                assert_eq!(
                    message["payload"][0]["extensions"]["code"], "QUERY_TOO_COMPLEX",
                    "{what}: {message}"
                );
            }
            other => panic!("{what}: {other:?}"),
        }
    }
    // Deep variables: the message itself is too deep to parse; its id is still read.
    let text = format!(
        r#"{{"id": "v", "type": "subscribe", "payload": {{"query": "query($x: [ID!]) {{ nodes(ids: $x) {{ id }} }}", "variables": {{"x": {}}}}}}}"#,
        deep_json()
    );
    {
        use futures_util::SinkExt;
        ws.send(tokio_tungstenite::tungstenite::Message::text(text))
            .await
            .expect("send");
    }
    match ws_next(&mut ws, Duration::from_secs(10)).await {
        Received::Json(message) => {
            assert_eq!(message["id"], "v", "{message}");
            assert_eq!(message["type"], "error");
            assert_eq!(
                message["payload"][0]["extensions"]["code"],
                "QUERY_TOO_COMPLEX"
            );
        }
        other => panic!("deep variables: {other:?}"),
    }
    // The same connection still runs an operation.
    ws_send(
        &mut ws,
        json!({ "id": "ok", "type": "subscribe", "payload": { "query": "{ __typename }" } }),
    )
    .await;
    match ws_next(&mut ws, Duration::from_secs(10)).await {
        Received::Json(message) => assert_eq!(message["payload"]["data"]["__typename"], "Query"),
        other => panic!("{other:?}"),
    }
    // A deep message that names no subscription closes the connection as invalid.
    {
        use futures_util::SinkExt;
        ws.send(tokio_tungstenite::tungstenite::Message::text(deep_json()))
            .await
            .expect("send");
    }
    loop {
        match ws_next(&mut ws, Duration::from_secs(10)).await {
            Received::Json(message) if message["type"] == "complete" => continue,
            Received::Close(code, _) => {
                assert_eq!(code, 4400);
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    still_serves(&app).await;
}

#[tokio::test]
async fn a_token_server_refuses_deep_requests_from_strangers_unparsed() {
    let app = spawn_app_with(AppOptions {
        require_token: true,
        ..Default::default()
    })
    .await;
    let (document_what, document) = deep_documents_at(WITHIN_TOKENS).remove(0);
    let (status, body) = get_raw(&app, &[("query", &document)]).await;
    assert_eq!(status, 200, "{document_what}");
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body:#}");
    let (_, body) = post_raw(&app, json!({ "query": document }).to_string(), None).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body:#}");
    // With a token, the same request meets the limit.
    let reader = app.token(Role::Reader).await;
    let (_, body) = post_raw(
        &app,
        json!({ "query": document }).to_string(),
        Some(&reader),
    )
    .await;
    assert_too_complex(&body, "with a token");
    let body = app.graphql_as(&reader, "{ __typename }", json!({})).await;
    assert_eq!(body["data"]["__typename"], "Query");
}

#[tokio::test]
async fn escapes_before_multibyte_characters_neither_panic_nor_drop_the_connection() {
    let app = spawn_app().await;
    for document in [
        "\"\"\"\\é\"\"\"",
        "{ a(s: \"\\é\") }",
        "\"\"\"\\",
        "{ a(s: \"\"\"\\ß\\𝄞\"\"\") }",
    ] {
        let body = app.graphql(document, json!({})).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{document}: {body:#}");
    }
    still_serves(&app).await;
}

#[tokio::test]
async fn documents_and_bodies_never_reach_the_log() {
    let app = spawn_app().await;
    let replica = spawn_replica(&app, &[]);
    let client = reqwest::Client::new();
    let marker = "zanzibar_marker";
    let document =
        format!("{{ bases(filter: {{ name: \"{marker}\" }}) {{ totalCount }} }} \"\"\"\\é\"\"\"");
    let url = format!("{}/graphql", replica.address);
    client
        .get(&url)
        .query(&[
            ("query", &document),
            ("variables", &format!("{{\"{marker}\": 1}}")),
        ])
        .send()
        .await
        .expect("GET");
    client
        .post(&url)
        .json(&json!({ "query": document, "variables": { marker: marker } }))
        .send()
        .await
        .expect("POST");
    client
        .post(&url)
        .header("content-type", "application/json")
        .body(format!("{{\"query\": \"{marker}"))
        .send()
        .await
        .expect("bad JSON");
    // The answers are in; give the log a moment to be read.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let log = replica.log.lock().unwrap().join("\n");
    assert!(
        log.contains("graphql request"),
        "the requests were logged: {log}"
    );
    assert!(!log.contains(marker), "a document reached the log: {log}");
    assert!(!log.contains("panicked"), "{log}");
}
