//! Generated documents, variables and raw bodies sent to the running server: every
//! answer is a well-formed GraphQL response whose errors carry a known code; nothing
//! reaches a 500 or a panic.
use crate::helpers::spawn_app;
use crate::strategies::{document, value};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

const CODES: &[&str] = &[
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "CONFLICT",
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "QUERY_TOO_COMPLEX",
    "TIMEOUT",
    "PERSISTED_QUERY_NOT_FOUND",
];

/// Checks one answer; `Err` describes what is wrong with it.
fn well_formed(status: u16, body: &str) -> Result<(), String> {
    if status >= 500 {
        return Err(format!("status {status}: {body}"));
    }
    let value: Value = serde_json::from_str(body).map_err(|e| format!("not JSON ({e}): {body}"))?;
    let responses = match &value {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    for response in responses {
        match response.get("errors") {
            Some(Value::Array(errors)) if !errors.is_empty() => {
                for error in errors {
                    let code = error
                        .pointer("/extensions/code")
                        .and_then(Value::as_str)
                        .unwrap_or("none");
                    if !CODES.contains(&code) || !error["message"].is_string() {
                        return Err(format!("unexpected error {error}"));
                    }
                }
            }
            Some(other) => return Err(format!("errors must be a non-empty list: {other}")),
            None if response.get("data").is_some() => {}
            None => return Err(format!("neither data nor errors: {response}")),
        }
    }
    Ok(())
}

#[test]
fn generated_requests_get_well_formed_answers() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let app = runtime.block_on(spawn_app());
    let client = reqwest::Client::new();
    let url = format!("{}/graphql", app.address);
    let requests = prop_oneof![
        // A document with variables, POSTed as JSON.
        (document(), value(), any::<bool>()).prop_map(|(query, variables, named)| {
            let mut body = json!({ "query": query, "variables": variables });
            if named {
                body["operationName"] = json!("Q");
            }
            (
                "POST",
                "application/json".to_owned(),
                body.to_string().into_bytes(),
                String::new(),
            )
        }),
        // A document over GET.
        (document(), value()).prop_map(|(query, variables)| {
            let params = serde_urlencoded::to_string([
                ("query", query),
                ("variables", variables.to_string()),
            ])
            .unwrap();
            ("GET", String::new(), Vec::new(), params)
        }),
        // Any bytes, under any content type.
        (
            prop::collection::vec(any::<u8>(), 0..200),
            prop::sample::select(vec![
                "application/json",
                "text/plain",
                "application/graphql",
                "",
                "application/json; charset=latin1"
            ]),
        )
            .prop_map(|(bytes, content_type)| (
                "POST",
                content_type.to_owned(),
                bytes,
                String::new()
            )),
        // Any JSON value as the body.
        value().prop_map(|body| (
            "POST",
            "application/json".to_owned(),
            body.to_string().into_bytes(),
            String::new()
        )),
    ];
    let accept = prop::sample::select(vec![
        "",
        "application/json",
        "application/graphql-response+json",
        "*/*",
    ]);
    let mut runner = TestRunner::new(Config {
        cases: 192,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(requests, accept),
            |((method, content_type, body, query), accept)| {
                let outcome = runtime.block_on(async {
                    let mut request = match method {
                        "GET" => client.get(format!("{url}?{query}")),
                        _ => client.post(&url).body(body),
                    };
                    if !content_type.is_empty() {
                        request = request.header("content-type", content_type);
                    }
                    if !accept.is_empty() {
                        request = request.header("accept", accept);
                    }
                    let response = request.send().await.map_err(|e| e.to_string())?;
                    let status = response.status().as_u16();
                    let text = response.text().await.map_err(|e| e.to_string())?;
                    well_formed(status, &text)
                });
                prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
                Ok(())
            },
        )
        .expect("every request gets a well-formed answer");
}

/// Nested values, Unicode escapes and oversized documents over POST, GET and
/// WebSocket: every answer is well formed, no connection drops without a close code,
/// and the server keeps serving.
#[test]
fn hostile_requests_get_well_formed_answers_on_every_transport() {
    use crate::helpers::{Received, ws_next, ws_ready};
    use crate::strategies::{hostile_document, hostile_variables};
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let app = runtime.block_on(spawn_app());
    let client = reqwest::Client::new();
    let url = format!("{}/graphql", app.address);
    let mut runner = TestRunner::new(Config {
        cases: 96,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(hostile_document(), hostile_variables(), 0usize..4),
            |(document, variables, transport)| {
                let outcome: Result<(), String> = runtime.block_on(async {
                    let body = format!(
                        r#"{{"query": {}, "variables": {variables}}}"#,
                        json!(document)
                    );
                    match transport {
                        0 => {
                            let response = client
                                .post(&url)
                                .header("content-type", "application/json")
                                .body(body)
                                .send()
                                .await
                                .map_err(|e| format!("POST dropped: {e}"))?;
                            let status = response.status().as_u16();
                            well_formed(status, &response.text().await.map_err(|e| e.to_string())?)
                        }
                        1 if document.len() < 16_000 && variables.len() < 16_000 => {
                            let response = client
                                .get(&url)
                                .query(&[("query", &document), ("variables", &variables)])
                                .send()
                                .await
                                .map_err(|e| format!("GET dropped: {e}"))?;
                            let status = response.status().as_u16();
                            well_formed(status, &response.text().await.map_err(|e| e.to_string())?)
                        }
                        _ => {
                            let mut ws = ws_ready(&app.address, None).await;
                            let message = format!(
                                r#"{{"id": "h", "type": "subscribe", "payload": {}}}"#,
                                if transport == 2 {
                                    body.clone()
                                } else {
                                    format!(r#"{{"query": {}}}"#, json!(document))
                                }
                            );
                            ws.send(Message::text(message))
                                .await
                                .map_err(|e| e.to_string())?;
                            match ws_next(&mut ws, std::time::Duration::from_secs(10)).await {
                                Received::Json(reply) => {
                                    let kind = reply["type"].as_str().unwrap_or("");
                                    if !["next", "error", "complete"].contains(&kind) {
                                        return Err(format!("unexpected message {reply}"));
                                    }
                                    Ok(())
                                }
                                Received::Close(code, _) if (4400..4500).contains(&code) => Ok(()),
                                other => Err(format!("WebSocket ended with {other:?}")),
                            }
                        }
                    }
                });
                prop_assert!(outcome.is_ok(), "{}", outcome.unwrap_err());
                Ok(())
            },
        )
        .expect("every hostile request gets a well-formed answer");
    let alive = runtime.block_on(app.graphql("{ __typename }", json!({})));
    assert_eq!(alive["data"]["__typename"], "Query");
}
