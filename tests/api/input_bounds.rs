//! Inputs a client controls, at their longest: filter texts and lists, ids for
//! `nodes`, cursors of the wrong type. Each is refused as the client's mistake, naming
//! the field, before it reaches SQL (where it used to be INTERNAL).
use crate::helpers::{AppOptions, error_code, spawn_app, spawn_app_with};
use base64::Engine;
use garrison::configuration::LimitSettings;
use serde_json::{Value, json};

fn refused_at(body: &Value, field: &str) {
    assert_eq!(error_code(body), "BAD_USER_INPUT", "{field}: {body:#}");
    assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body:#}");
}

#[tokio::test]
async fn long_filter_texts_and_lists_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let long = "x".repeat(50_000);
    for (query, field) in [
        (
            "query($t: String) { bases(filter: { name: $t }) { totalCount } }",
            "filter.name",
        ),
        (
            "query($t: String) { bases(filter: { region: $t }) { totalCount } }",
            "filter.region",
        ),
        (
            "query($t: String) { assets(filter: { model: $t }) { totalCount } }",
            "filter.model",
        ),
        (
            "query($t: String) { events(filter: { title: $t }) { totalCount } }",
            "filter.title",
        ),
        (
            "query($t: String) { reports(filter: { title: $t }) { totalCount } }",
            "filter.title",
        ),
    ] {
        let body = app.graphql(query, json!({ "t": long })).await;
        refused_at(&body, field);
    }
    let many = |value: Value| Value::Array(vec![value; 33_000]);
    for (query, value, field) in [
        (
            "query($l: [ActorKind!]) { actors(filter: { kind: $l }) { totalCount } }",
            json!("STATE"),
            "filter.kind",
        ),
        (
            "query($l: [String!]) { actors(filter: { country: $l }) { totalCount } }",
            json!("RU"),
            "filter.country",
        ),
        (
            "query($l: [EventStatus!]) { events(filter: { status: $l }) { totalCount } }",
            json!("REPORTED"),
            "filter.status",
        ),
        (
            "query($l: [String!]) { reports(filter: { language: $l }) { totalCount } }",
            json!("en"),
            "filter.language",
        ),
        (
            "query($l: [Reliability!]) { sources(filter: { reliability: $l }) { totalCount } }",
            json!("A"),
            "filter.reliability",
        ),
        (
            "query($l: [SearchType!]) { search(query: \"Hmeimim\", types: $l) { totalCount } }",
            json!("BASE"),
            "types",
        ),
    ] {
        let body = app.graphql(query, json!({ "l": many(value) })).await;
        refused_at(&body, field);
    }
    // Long lists of journal types fold to the types there are.
    let body = app
        .graphql(
            "query($l: [String!]) { changes(types: $l) { totalCount } }",
            json!({ "l": many(json!("Base")) }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
}

#[tokio::test]
async fn like_wildcards_in_filters_match_only_themselves() {
    let app = spawn_app().await;
    let count = |filter: &str| {
        let app = &app;
        let filter = filter.to_owned();
        async move {
            app.data(
                "query($r: String) { bases(filter: { region: $r }) { totalCount } }",
                json!({ "r": filter }),
            )
            .await["bases"]["totalCount"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(count("").await, 2);
    assert_eq!(count("%").await, 0, "% is a percent sign, not any text");
    assert_eq!(count("_").await, 0, "_ is an underscore, not any letter");
    assert_eq!(count("Lat_kia").await, 0);
    assert_eq!(count("!").await, 0);
    assert_eq!(count("atak").await, 1);
    // A name filter of punctuation alone has no letters to match: nothing matches.
    for only_punctuation in ["%", "_", "*", "%%"] {
        let bases = app
            .data(
                "query($n: String) { bases(filter: { name: $n }) { totalCount } }",
                json!({ "n": only_punctuation }),
            )
            .await;
        assert_eq!(bases["bases"]["totalCount"], 0, "{only_punctuation}");
    }
}

#[tokio::test]
async fn nodes_cost_grows_with_its_ids() {
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            max_complexity: 50,
            ..LimitSettings::default()
        },
        ..Default::default()
    })
    .await;
    let cost = |n: usize| {
        let app = &app;
        async move {
            let ids: Vec<String> = (0..n).map(|i| format!("QmFzZTo{i}")).collect();
            app.graphql(
                &format!("{{ nodes(ids: {}) {{ id }} }}", json!(ids)),
                json!({}),
            )
            .await
        }
    };
    let one = cost(1).await;
    assert!(one["data"]["nodes"].is_array(), "{one:#}");
    let hundred = cost(100).await;
    assert_eq!(error_code(&hundred), "QUERY_TOO_COMPLEX", "{hundred:#}");
    assert_eq!(hundred["errors"][0]["extensions"]["limit"], "complexity");
    assert!(
        hundred["errors"][0]["extensions"]["actual"]
            .as_u64()
            .unwrap()
            >= 100
    );
}

#[tokio::test]
async fn a_cursor_with_a_key_of_the_wrong_type_is_the_clients_mistake() {
    let app = spawn_app().await;
    let cursor = |key: Value, order: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(json!({ "o": order, "k": key, "i": 1 }).to_string())
    };
    for (query, key, order) in [
        // Bases by name keep text keys; by creation, integers.
        (
            "query($c: String) { bases(after: $c) { totalCount } }",
            json!(5),
            "name+",
        ),
        (
            "query($c: String) { bases(after: $c) { totalCount } }",
            json!(1.5),
            "name+",
        ),
        (
            "query($c: String) { bases(orderBy: { field: CREATED_AT }, after: $c) { totalCount } }",
            json!("x"),
            "created+",
        ),
        (
            "query($c: String) { bases(orderBy: { field: CREATED_AT }, before: $c) { totalCount } }",
            json!(2.5),
            "created+",
        ),
    ] {
        let body = app.graphql(query, json!({ "c": cursor(key, order) })).await;
        let field = if query.contains("before") {
            "before"
        } else {
            "after"
        };
        refused_at(&body, field);
    }
    let body = app
        .graphql(
            "query($c: String) { bases(after: $c) { totalCount } }",
            json!({ "c": "A".repeat(100_000) }),
        )
        .await;
    refused_at(&body, "after");
}

#[tokio::test]
async fn bodies_with_more_json_values_than_the_budget_are_refused_unparsed() {
    let app = spawn_app_with(AppOptions {
        limits: LimitSettings {
            max_json_values: 100_000,
            ..LimitSettings::default()
        },
        ..Default::default()
    })
    .await;
    let body = |zeros: usize| {
        format!(
            r#"{{"query": "query($x: [Int]) {{ __typename }}", "variables": {{"x": [{}0]}}}}"#,
            "0,".repeat(zeros)
        )
    };
    let post = |text: String| {
        reqwest::Client::new()
            .post(format!("{}/graphql", app.address))
            .header("content-type", "application/json")
            .body(text)
            .send()
    };
    let refused: Value = post(body(200_000)).await.unwrap().json().await.unwrap();
    assert_eq!(error_code(&refused), "QUERY_TOO_COMPLEX", "{refused:#}");
    assert_eq!(refused["errors"][0]["extensions"]["limit"], "JSON values");
    // Within the budget (and over the size that takes a share of it), it is parsed
    // and validated: the document's own mistake (an unused variable) is what answers.
    let ran: Value = post(body(50_000)).await.unwrap().json().await.unwrap();
    assert_eq!(error_code(&ran), "BAD_USER_INPUT", "{ran:#}");
    assert!(
        ran["errors"][0]["message"].as_str().unwrap().contains("$x"),
        "{ran:#}"
    );
}

#[tokio::test]
async fn a_write_gives_a_record_at_most_500_children() {
    let app = spawn_app().await;
    let editor = app.token(garrison::auth::Role::Editor).await;
    let report = app.first_report().await;
    let attestations: Vec<Value> = (0..501)
        .map(|i| json!({ "report": report, "excerpt": format!("copy {i}"), "credibility": 3 }))
        .collect();
    let body = app
        .create(
            &editor,
            "Event",
            json!({ "kind": "STATEMENT", "title": "Many copies", "status": "REPORTED", "attestations": attestations }),
        )
        .await;
    refused_at(&body, "input.attestations");
}
