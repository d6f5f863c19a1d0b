//! Cursor pagination at the root and nested: edges, pages, limits and bad cursors.
use crate::helpers::{error_code, node_values, spawn_app};
use serde_json::{Value, json};

const ACTORS: &str = r#"query($first: Int, $after: String, $last: Int, $before: String) {
  actors(first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { name } } }"#;

#[tokio::test]
async fn following_cursors_visits_every_row_once_in_order() {
    let app = spawn_app().await;
    let all = app.data(ACTORS, json!({ "first": 100 })).await;
    let expected = node_values(&all, "/actors/nodes", "name");
    assert_eq!(expected.len(), 18);
    assert_eq!(all["actors"]["totalCount"], 18);

    let mut seen = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app
            .data(ACTORS, json!({ "first": 5, "after": after }))
            .await;
        seen.extend(node_values(&page, "/actors/nodes", "name"));
        let info = &page["actors"]["pageInfo"];
        assert_eq!(info["hasPreviousPage"], !after.is_null());
        if info["hasNextPage"] == false {
            break;
        }
        after = info["endCursor"].clone();
    }
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn last_and_before_page_backwards() {
    let app = spawn_app().await;
    let all = node_values(
        &app.data(ACTORS, json!({ "first": 100 })).await,
        "/actors/nodes",
        "name",
    );
    let tail = app.data(ACTORS, json!({ "last": 5 })).await;
    assert_eq!(node_values(&tail, "/actors/nodes", "name"), all[13..]);
    assert_eq!(tail["actors"]["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(tail["actors"]["pageInfo"]["hasNextPage"], false);

    let before = tail["actors"]["pageInfo"]["startCursor"].clone();
    let previous = app
        .data(ACTORS, json!({ "last": 5, "before": before }))
        .await;
    assert_eq!(node_values(&previous, "/actors/nodes", "name"), all[8..13]);
    assert_eq!(previous["actors"]["pageInfo"]["hasNextPage"], true);

    let head = app
        .data(ACTORS, json!({ "last": 100, "before": before }))
        .await;
    assert_eq!(node_values(&head, "/actors/nodes", "name"), all[..13]);
    assert_eq!(head["actors"]["pageInfo"]["hasPreviousPage"], false);
}

#[tokio::test]
async fn the_last_page_and_an_empty_list_say_so() {
    let app = spawn_app().await;
    let last = app.data(ACTORS, json!({ "first": 18 })).await;
    assert_eq!(last["actors"]["pageInfo"]["hasNextPage"], false);
    let beyond = app
        .data(
            ACTORS,
            json!({ "first": 5, "after": last["actors"]["pageInfo"]["endCursor"] }),
        )
        .await;
    assert_eq!(beyond["actors"]["nodes"], json!([]));
    assert_eq!(beyond["actors"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(beyond["actors"]["pageInfo"]["endCursor"], Value::Null);

    let empty = app
        .data(r#"{ actors(filter: { name: "no such actor" }) { totalCount pageInfo { hasNextPage hasPreviousPage } edges { cursor } } }"#, json!({}))
        .await;
    assert_eq!(
        empty["actors"],
        json!({ "totalCount": 0, "pageInfo": { "hasNextPage": false, "hasPreviousPage": false }, "edges": [] })
    );
}

#[tokio::test]
async fn bad_page_arguments_are_bad_user_input() {
    let app = spawn_app().await;
    let cases = [
        (json!({ "first": 101 }), "above the maximum"),
        (json!({ "first": -1 }), "negative"),
        (json!({ "first": 1, "last": 1 }), "not both"),
        (json!({ "after": "not-a-cursor" }), "not a valid cursor"),
        (json!({ "before": "eyJmb28iOjF9" }), "not a valid cursor"),
    ];
    for (variables, message) in cases {
        let body = app.graphql(ACTORS, variables.clone()).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{variables}: {body:#}");
        let text = body["errors"][0]["message"].as_str().unwrap();
        assert!(text.contains(message), "{variables}: {text}");
    }
}

#[tokio::test]
async fn a_cursor_of_another_ordering_is_refused() {
    let app = spawn_app().await;
    let page = app
        .data(
            r#"{ actors(first: 1, orderBy: { field: CREATED_AT }) { pageInfo { endCursor } } }"#,
            json!({}),
        )
        .await;
    let cursor = &page["actors"]["pageInfo"]["endCursor"];
    let body = app
        .graphql(ACTORS, json!({ "first": 1, "after": cursor }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn nested_connections_paginate_per_parent() {
    let app = spawn_app().await;
    let query = r#"query($after: String) { actors(filter: { name: "Russian Armed Forces" }) { nodes {
        subordinates(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { name } } } } }"#;
    let first = app.data(query, json!({})).await;
    let subs = &first["actors"]["nodes"][0]["subordinates"];
    assert_eq!(subs["totalCount"], 2);
    assert_eq!(subs["nodes"][0]["name"], "Russian Aerospace Forces");
    assert_eq!(subs["pageInfo"]["hasNextPage"], true);
    let second = app
        .data(query, json!({ "after": subs["pageInfo"]["endCursor"] }))
        .await;
    let subs = &second["actors"]["nodes"][0]["subordinates"];
    assert_eq!(subs["nodes"][0]["name"], "Russian Navy");
    assert_eq!(subs["pageInfo"]["hasNextPage"], false);
}

#[tokio::test]
async fn order_by_sorts_both_ways() {
    let app = spawn_app().await;
    let asc = app
        .data(
            r#"{ events(first: 100, orderBy: { field: OCCURRED }) { nodes { title } } }"#,
            json!({}),
        )
        .await;
    let desc = app
        .data(r#"{ events(first: 100, orderBy: { field: OCCURRED, direction: DESC }) { nodes { title } } }"#, json!({}))
        .await;
    let mut asc = node_values(&asc, "/events/nodes", "title");
    assert_eq!(
        asc[0],
        "Soviet–Syrian agreement establishing the Tartus naval base"
    );
    assert_eq!(
        asc.last().unwrap(),
        "USSR Navy forced to leave its bases in Egypt",
        "undated events sort last"
    );
    asc.reverse();
    assert_eq!(asc, node_values(&desc, "/events/nodes", "title"));
}

#[tokio::test]
async fn every_order_field_of_every_root_list_reverses_exactly() {
    let app = spawn_app().await;
    let orders = [
        ("actors", &["NAME", "CREATED_AT"][..]),
        ("bases", &["NAME", "ESTABLISHED", "CREATED_AT"]),
        ("assets", &["NAME", "CREATED_AT"]),
        ("events", &["OCCURRED", "TITLE", "CONFIDENCE", "CREATED_AT"]),
        ("sources", &["NAME", "RELIABILITY", "CREATED_AT"]),
        ("reports", &["PUBLISHED", "TITLE", "CREATED_AT"]),
    ];
    for (list, fields) in orders {
        for field in fields {
            let query = |direction: &str| {
                format!(
                    "{{ {list}(first: 100, orderBy: {{ field: {field}, direction: {direction} }}) {{ nodes {{ id }} }} }}"
                )
            };
            let asc = app.data(&query("ASC"), json!({})).await;
            let desc = app.data(&query("DESC"), json!({})).await;
            let mut asc = node_values(&asc, &format!("/{list}/nodes"), "id");
            assert!(asc.len() > 1, "{list}");
            asc.reverse();
            assert_eq!(
                asc,
                node_values(&desc, &format!("/{list}/nodes"), "id"),
                "{list} by {field}"
            );
        }
    }
}
