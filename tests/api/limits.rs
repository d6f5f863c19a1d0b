//! Query cost limits: each violation is QUERY_TOO_COMPLEX naming the limit and the
//! overage, before any SQL runs. Also persisted queries and the introspection switch.
use crate::helpers::{AppOptions, TestApp, error_code, spawn_app, spawn_app_with};
use garrison::configuration::LimitSettings;
use serde_json::json;

async fn strict() -> TestApp {
    spawn_app_with(AppOptions {
        limits: LimitSettings {
            max_depth: 4,
            max_complexity: 500,
            max_aliases: 2,
            max_root_fields: 3,
            max_document_bytes: 400,
            max_tokens: 60,
            ..LimitSettings::default()
        },
        ..Default::default()
    })
    .await
}

#[tokio::test]
async fn each_limit_names_itself_and_the_overage() {
    let app = strict().await;
    let cases = [
        (
            "depth",
            "{ bases { nodes { tenures { nodes { actor { name } } } } } }",
            6,
            4,
        ),
        (
            "complexity",
            "{ bases(first: 100) { nodes { events(first: 10) { totalCount } } } }",
            0,
            500,
        ),
        (
            "aliases",
            "{ a: bases { totalCount } b: bases { totalCount } c: bases { totalCount } }",
            3,
            2,
        ),
        (
            "root fields",
            "{ bases { totalCount } sources { totalCount } events { totalCount } actors { totalCount } }",
            4,
            3,
        ),
        (
            "document bytes",
            &format!("{{ __typename }} #{}", "x".repeat(400)),
            0,
            400,
        ),
        ("tokens", &format!("{{ {} }}", "a ".repeat(60)), 62, 60),
    ];
    let before = app.settled_sql_statements().await;
    for (limit, query, actual, max) in cases {
        let body = app.graphql(query, json!({})).await;
        assert_eq!(error_code(&body), "QUERY_TOO_COMPLEX", "{limit}: {body:#}");
        let extensions = &body["errors"][0]["extensions"];
        assert_eq!(extensions["limit"], limit, "{body:#}");
        assert_eq!(extensions["max"], max);
        let got = extensions["actual"].as_u64().unwrap();
        if actual > 0 {
            assert_eq!(got, actual, "{limit}");
        }
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("by {}", got - max as u64)),
            "{message}"
        );
    }
    assert_eq!(
        app.sql_statements().await,
        before,
        "no SQL ran for refused queries"
    );
    // Within the limits, the same server answers.
    let ok = app.data("{ bases { totalCount } }", json!({})).await;
    assert_eq!(ok["bases"]["totalCount"], 2);
}

#[tokio::test]
async fn a_slow_request_times_out_with_a_code() {
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            request_timeout_ms: 1,
            ..LimitSettings::default()
        },
        batch_window_ms: 20,
        ..Default::default()
    })
    .await;
    let body = app
        .graphql(
            "{ bases { nodes { tenures { nodes { actor { name } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "TIMEOUT", "{body:#}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("1 ms")
    );
}

#[tokio::test]
async fn introspection_can_be_turned_off() {
    let query = "{ __schema { queryType { name } } }";
    let app = spawn_app().await;
    assert_eq!(
        app.data(query, json!({})).await["__schema"]["queryType"]["name"],
        "Query"
    );
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            no_introspection: true,
            ..LimitSettings::default()
        },
        ..Default::default()
    })
    .await;
    let data = app.data(query, json!({})).await;
    assert_eq!(
        data["__schema"],
        serde_json::Value::Null,
        "introspection answers nothing"
    );
}

#[tokio::test]
async fn persisted_queries_miss_then_hit() {
    let app = spawn_app().await;
    let query = "{ bases { totalCount } }";
    let hash = "7e4e5f2c1a8a5a8b4a4f6c7e0c6b2f0b0d9d1b0b2b0e1a7f6c3a7d9e8f1c2b3a";
    use sha2::Digest;
    let hash_of = format!("{:x}", sha2::Sha256::digest(query.as_bytes()));
    assert_ne!(hash, hash_of);
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash_of } });
    let client = reqwest::Client::new();
    let post = |body: serde_json::Value| {
        client
            .post(format!("{}/graphql", app.address))
            .json(&body)
            .send()
    };
    // Miss: the hash alone is unknown.
    let miss: serde_json::Value = post(json!({ "extensions": extensions }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(miss["errors"][0]["message"], "PersistedQueryNotFound");
    assert_eq!(
        miss["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );
    // Register with the query, then the hash alone works, over POST and GET.
    let registered: serde_json::Value = post(json!({ "query": query, "extensions": extensions }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(registered["data"]["bases"]["totalCount"], 2);
    let hit: serde_json::Value = post(json!({ "extensions": extensions }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(hit["data"]["bases"]["totalCount"], 2);
    let get: serde_json::Value = client
        .get(format!("{}/graphql", app.address))
        .query(&[("extensions", extensions.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(get["data"]["bases"]["totalCount"], 2);
    // A wrong hash for a query is refused.
    let wrong = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let body: serde_json::Value = post(json!({ "query": query, "extensions": wrong }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        body["errors"][0]["extensions"]["code"].is_string(),
        "{body:#}"
    );
}

#[tokio::test]
async fn requests_costlier_than_the_execution_budget_still_run_in_turn() {
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            max_concurrent_cost: 10,
            ..LimitSettings::default()
        },
        ..Default::default()
    })
    .await;
    // Complexity over 10 each: they take the whole budget, one at a time; the lookups
    // (complexity 3) run beside each other.
    let heavy = "{ bases { nodes { name tenures { nodes { actor { name } } } } } }";
    let light = "{ bases(first: 1) { totalCount } }";
    let answers = futures_util::future::join_all(
        (0..12).map(|i| app.data(if i % 2 == 0 { heavy } else { light }, json!({}))),
    )
    .await;
    for (i, data) in answers.iter().enumerate() {
        if i % 2 == 0 {
            assert_eq!(data["bases"]["nodes"].as_array().map(Vec::len), Some(2));
        } else {
            assert_eq!(data["bases"]["totalCount"], 2);
        }
    }
}
