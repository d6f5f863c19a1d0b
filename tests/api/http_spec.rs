//! GraphQL over HTTP: one test per rule of the specification that applies.
use crate::helpers::{AppOptions, TestApp, spawn_app, spawn_app_with};
use garrison::configuration::LimitSettings;
use reqwest::header::{ACCEPT, ALLOW, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const GRJ: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

struct Answer {
    status: StatusCode,
    media: String,
    body: Value,
    allow: Option<String>,
}

/// POSTs `body` (raw text) with `content_type` and `accept`.
async fn post(app: &TestApp, accept: Option<&str>, content_type: &str, body: &str) -> Answer {
    let mut request = reqwest::Client::new()
        .post(format!("{}/graphql", app.address))
        .header(CONTENT_TYPE, content_type)
        .body(body.to_owned());
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    answer(request.send().await.expect("request")).await
}

async fn request(app: &TestApp, method: Method, query: &str, accept: Option<&str>) -> Answer {
    let mut request =
        reqwest::Client::new().request(method, format!("{}/graphql?{query}", app.address));
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    answer(request.send().await.expect("request")).await
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let media = response
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .unwrap_or_default();
    let allow = response
        .headers()
        .get(ALLOW)
        .map(|v| v.to_str().unwrap().to_owned());
    let body = response.json().await.unwrap_or(Value::Null);
    Answer {
        status,
        media,
        body,
        allow,
    }
}

#[tokio::test]
async fn accept_chooses_the_media_type() {
    let app = spawn_app().await;
    let query = json!({ "query": "{ bases { totalCount } }" }).to_string();
    for (accept, media) in [
        (Some(GRJ), GRJ),
        (Some(JSON), JSON),
        (None, JSON),
        (Some("*/*"), JSON),
        (
            Some("application/json;q=0.5, application/graphql-response+json"),
            GRJ,
        ),
        (
            Some("application/graphql-response+json;q=0.2, application/json"),
            JSON,
        ),
        (Some("text/html, application/json;q=0.9"), JSON),
    ] {
        let a = post(&app, accept, JSON, &query).await;
        assert_eq!(
            (a.status, a.media.as_str()),
            (StatusCode::OK, media),
            "{accept:?}"
        );
        assert_eq!(a.body["data"]["bases"]["totalCount"], 2);
    }
    let a = post(&app, Some("text/html"), JSON, &query).await;
    assert_eq!(a.status, StatusCode::NOT_ACCEPTABLE);
}

#[tokio::test]
async fn each_failure_gets_the_status_its_media_type_demands() {
    let app = spawn_app().await;
    // (body, status with graphql-response+json, status with application/json)
    let cases = [
        (
            "{\"query\": ",
            StatusCode::BAD_REQUEST,
            StatusCode::BAD_REQUEST,
        ),
        ("[1, 2]", StatusCode::BAD_REQUEST, StatusCode::BAD_REQUEST),
        (
            "\"{ bases { totalCount } }\"",
            StatusCode::BAD_REQUEST,
            StatusCode::BAD_REQUEST,
        ),
        ("{}", StatusCode::BAD_REQUEST, StatusCode::BAD_REQUEST),
        (
            r#"{"query": 5}"#,
            StatusCode::BAD_REQUEST,
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"query": "{ __typename }", "variables": "{}"}"#,
            StatusCode::BAD_REQUEST,
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"query": "{ __typename }", "extensions": [1]}"#,
            StatusCode::BAD_REQUEST,
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"query": "{ __typename }", "operationName": 3}"#,
            StatusCode::BAD_REQUEST,
            StatusCode::BAD_REQUEST,
        ),
        // Unparseable and invalid documents, an unknown operation, uncoercible variables.
        (
            r#"{"query": "{ bases { "}"#,
            StatusCode::BAD_REQUEST,
            StatusCode::OK,
        ),
        (
            r#"{"query": "{ planets { name } }"}"#,
            StatusCode::BAD_REQUEST,
            StatusCode::OK,
        ),
        (
            r#"{"query": "query A { __typename } query B { __typename }", "operationName": "C"}"#,
            StatusCode::BAD_REQUEST,
            StatusCode::OK,
        ),
        (
            r#"{"query": "query($n: Int) { bases(first: $n) { totalCount } }", "variables": {"n": "x"}}"#,
            StatusCode::BAD_REQUEST,
            StatusCode::OK,
        ),
        // Execution began: a field error is still a 200.
        (
            r#"{"query": "{ node(id: \"%%%\") { id } }"}"#,
            StatusCode::OK,
            StatusCode::OK,
        ),
    ];
    for (body, grj_status, json_status) in cases {
        let a = post(&app, Some(GRJ), JSON, body).await;
        assert_eq!(a.status, grj_status, "{body} as {GRJ}: {}", a.body);
        assert!(
            a.body["errors"][0]["extensions"]["code"].is_string(),
            "{body}: {}",
            a.body
        );
        if grj_status == StatusCode::BAD_REQUEST {
            assert!(
                a.body.get("data").is_none(),
                "no data with a request error: {}",
                a.body
            );
        }
        let a = post(&app, Some(JSON), JSON, body).await;
        assert_eq!(a.status, json_status, "{body} as {JSON}: {}", a.body);
        assert!(
            a.body["errors"][0]["extensions"]["code"].is_string(),
            "{body}: {}",
            a.body
        );
    }
}

#[tokio::test]
async fn operation_name_selects_the_operation() {
    let app = spawn_app().await;
    let body = json!({ "query": "query A { bases { totalCount } } query B { sources { totalCount } }", "operationName": "B" });
    let a = post(&app, Some(GRJ), JSON, &body.to_string()).await;
    assert_eq!(a.body["data"], json!({ "sources": { "totalCount": 8 } }));
}

#[tokio::test]
async fn get_runs_queries_and_refuses_mutations() {
    let app = spawn_app().await;
    let query = "query=query(%24n%3A%20Int)%20%7B%20bases(first%3A%20%24n)%20%7B%20nodes%20%7B%20name%20%7D%20%7D%20%7D&variables=%7B%22n%22%3A1%7D";
    let a = request(&app, Method::GET, query, Some(GRJ)).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.body["data"]["bases"]["nodes"].as_array().unwrap().len(),
        1
    );
    let mutation = "query=mutation%20%7B%20revokeToken(name%3A%20%22x%22)%20%7B%20name%20%7D%20%7D";
    let a = request(&app, Method::GET, mutation, Some(GRJ)).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.allow.as_deref(), Some("POST"));
    let a = request(
        &app,
        Method::GET,
        "query=%7B__typename%7D&variables=nope",
        Some(JSON),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let a = request(&app, Method::GET, "", Some(JSON)).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let a = request(&app, Method::PUT, "query=%7B__typename%7D", Some(JSON)).await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.allow.as_deref(), Some("GET, POST"));
}

#[tokio::test]
async fn bodies_must_be_json_and_within_the_limit() {
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            max_body_bytes: 1_000,
            ..LimitSettings::default()
        },
        ..Default::default()
    })
    .await;
    let query = json!({ "query": "{ __typename }" }).to_string();
    let a = post(&app, Some(JSON), "text/plain", &query).await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let a = post(&app, Some(JSON), "application/json; charset=utf-8", &query).await;
    assert_eq!(a.status, StatusCode::OK);
    let big = json!({ "query": format!("{{ __typename }} # {}", "x".repeat(2_000)) }).to_string();
    let a = post(&app, Some(JSON), JSON, &big).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        a.body["errors"][0]["extensions"]["code"],
        "QUERY_TOO_COMPLEX"
    );
}

#[tokio::test]
async fn batches_only_when_enabled() {
    let batch =
        json!([{ "query": "{ bases { totalCount } }" }, { "query": "{ sources { totalCount } }" }])
            .to_string();
    let app = spawn_app().await;
    let a = post(&app, Some(JSON), JSON, &batch).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            batching: true,
            ..LimitSettings::default()
        },
        ..Default::default()
    })
    .await;
    let a = post(&app, Some(JSON), JSON, &batch).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body[1]["data"]["sources"]["totalCount"], 8);
}
