//! Automatic persisted queries under attack: a document is stored only after it has
//! passed every limit, the store is bounded by bytes, and a mutation registered by
//! hash never runs over GET.
use crate::helpers::{AppOptions, TestApp, error_code, spawn_app, spawn_app_with};
use garrison::auth::Role;
use garrison::configuration::LimitSettings;
use serde_json::{Value, json};
use sha2::Digest;

fn extensions(document: &str) -> Value {
    let hash = hex::encode(sha2::Sha256::digest(document.as_bytes()));
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

async fn post(app: &TestApp, token: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/graphql", app.address))
        .json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("answered");
    (
        response.status().as_u16(),
        response.json().await.expect("JSON"),
    )
}

async fn get(app: &TestApp, token: Option<&str>, extensions: &Value) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .get(format!("{}/graphql", app.address))
        .query(&[("extensions", extensions.to_string())]);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("answered");
    (
        response.status().as_u16(),
        response.json().await.expect("JSON"),
    )
}

/// `garrison_persisted_query_bytes` from `/metrics`.
async fn stored_bytes(app: &TestApp) -> u64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("garrison_persisted_query_bytes "))
        .and_then(|n| n.trim().parse().ok())
        .expect("gauge in /metrics")
}

#[tokio::test]
async fn a_document_over_any_limit_is_never_stored() {
    let app = spawn_app().await;
    let huge = format!("{{ __typename }} # {}", "x".repeat(8 * 1024 * 1024));
    let aliased = format!(
        "{{ {} }}",
        (0..31)
            .map(|i| format!("a{i}: __typename"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let deep = format!(
        "{{ nodes(ids: {}\"x\"{}) {{ id }} }}",
        "[".repeat(40),
        "]".repeat(40)
    );
    for document in [&huge, &aliased, &deep] {
        let (_, body) = post(
            &app,
            None,
            json!({ "query": document, "extensions": extensions(document) }),
        )
        .await;
        assert_eq!(
            error_code(&body),
            "QUERY_TOO_COMPLEX",
            "{}",
            body["errors"][0]
        );
        let (_, body) = post(&app, None, json!({ "extensions": extensions(document) })).await;
        assert_eq!(error_code(&body), "PERSISTED_QUERY_NOT_FOUND", "{body:#}");
    }
    assert_eq!(stored_bytes(&app).await, 0, "nothing was kept");
    let fine = "{ bases { totalCount } }";
    let (_, body) = post(
        &app,
        None,
        json!({ "query": fine, "extensions": extensions(fine) }),
    )
    .await;
    assert_eq!(body["data"]["bases"]["totalCount"], 2);
    assert!(stored_bytes(&app).await >= fine.len() as u64);
}

#[tokio::test]
async fn the_store_is_bounded_by_bytes() {
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            apq_cache_kb: 64,
            ..LimitSettings::default()
        },
        ..Default::default()
    })
    .await;
    // Fifteen documents of 30 KB each, every one within the limits.
    let documents: Vec<String> = (0..15)
        .map(|i| format!("{{ a{i}: __typename }} # {}", "x".repeat(30_000)))
        .collect();
    for document in &documents {
        let (_, body) = post(
            &app,
            None,
            json!({ "query": document, "extensions": extensions(document) }),
        )
        .await;
        assert!(body.get("errors").is_none(), "{}", body["errors"][0]);
        assert!(stored_bytes(&app).await <= 64 * 1024);
    }
    let (_, oldest) = post(
        &app,
        None,
        json!({ "extensions": extensions(&documents[0]) }),
    )
    .await;
    assert_eq!(error_code(&oldest), "PERSISTED_QUERY_NOT_FOUND");
    let (_, newest) = post(
        &app,
        None,
        json!({ "extensions": extensions(&documents[14]) }),
    )
    .await;
    assert_eq!(newest["data"]["a14"], "Query", "{newest:#}");
}

#[tokio::test]
async fn a_mutation_registered_by_hash_never_runs_over_get() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin).await;
    let mutation = r#"mutation { createSource(input: { kind: OTHER, name: "By hash", reliability: C }) { source { id } } }"#;
    let count = r#"{ sources(filter: { name: "By hash" }) { totalCount } }"#;
    // Registered (and run once) over POST, as the protocol does.
    let (_, body) = post(
        &app,
        Some(&admin),
        json!({ "query": mutation, "extensions": extensions(mutation) }),
    )
    .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    assert_eq!(app.data(count, json!({})).await["sources"]["totalCount"], 1);
    // Then sent by hash over GET, with a token that may write: refused, not run.
    for token in [Some(admin.as_str()), None] {
        let (status, body) = get(&app, token, &extensions(mutation)).await;
        assert_eq!(status, 405, "{body:#}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("POST")
        );
    }
    assert_eq!(app.data(count, json!({})).await["sources"]["totalCount"], 1);
    // By hash over POST it runs (and meets the rule that a source's name is its own).
    let (_, body) = post(
        &app,
        Some(&admin),
        json!({ "extensions": extensions(mutation) }),
    )
    .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body:#}");
}
