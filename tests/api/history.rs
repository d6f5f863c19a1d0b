//! The change journal: `history` on records, the `changes` feed with tombstones, and
//! nothing recorded for a write that fails.
use crate::helpers::{error_code, spawn_app};
use garrison::auth::Role;
use serde_json::{Value, json};

const HISTORY: &str = "query($id: ID!) { node(id: $id) { ... on Actor { history { nodes {
    author operation version entityId fields { field oldValue newValue } } } } } }";

#[tokio::test]
async fn every_write_records_who_what_and_each_field() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let admin = app.token(Role::Admin).await;
    let russia = app
        .id_of(
            r#"{ actors(filter: { kind: [STATE], country: ["RU"] }) { nodes { id } } }"#,
            "/actors/nodes/0/id",
        )
        .await;
    let id = app
        .created(&editor, "Actor", json!({ "kind": "ARMED_GROUP", "name": "Test Brigade", "country": "SY", "parent": russia }))
        .await;
    app.update(
        &editor,
        "Actor",
        &id,
        1,
        json!({ "name": "Test Brigade 2", "country": null, "aliases": ["TB2"] }),
        "id",
    )
    .await;
    let history = app.data(HISTORY, json!({ "id": id })).await;
    let entries = history["node"]["history"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(entries.len(), 2);
    let created = &entries[0];
    assert_eq!(created["operation"], "CREATE");
    assert_eq!(created["version"], 1);
    assert_eq!(created["entityId"], json!(id));
    assert!(
        created["author"]
            .as_str()
            .unwrap()
            .starts_with("test-editor-")
    );
    let fields = |entry: &Value| -> Vec<(String, Value, Value)> {
        entry["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["field"].as_str().unwrap().to_owned(),
                    f["oldValue"].clone(),
                    f["newValue"].clone(),
                )
            })
            .collect()
    };
    let created_fields = fields(created);
    assert!(created_fields.contains(&("name".into(), Value::Null, json!("Test Brigade"))));
    assert!(
        created_fields.contains(&("parent".into(), Value::Null, json!(russia))),
        "{created_fields:?}"
    );
    assert_eq!(
        fields(&entries[1]),
        vec![
            ("country".into(), json!("SY"), Value::Null),
            (
                "name".into(),
                json!("Test Brigade"),
                json!("Test Brigade 2")
            ),
            ("aliases".into(), json!([]), json!(["TB2"])),
        ]
    );
    assert_eq!(entries[1]["version"], 2);
    // A delete is a tombstone in the feed, with the record's last values.
    let body = app.delete(&admin, "Actor", &id, 2).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let feed = app
        .data(
            r#"query($since: DateTime!) { changes(since: $since, types: ["Actor"], last: 1) { nodes { operation entityId entity { id } author fields { field oldValue } } } }"#,
            json!({ "since": "2000-01-01T00:00:00Z" }),
        )
        .await;
    let last = feed["changes"]["nodes"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["operation"], "DELETE");
    assert_eq!(last["entityId"], json!(id));
    assert_eq!(last["entity"], Value::Null);
    assert!(
        last["fields"]
            .as_array()
            .unwrap()
            .contains(&json!({ "field": "name", "oldValue": "Test Brigade 2" }))
    );
}

#[tokio::test]
async fn the_feed_pages_in_commit_order_and_filters_by_type_and_time() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let admin = app.token(Role::Admin).await;
    // The seed is in the journal, as written by "seed".
    let seeded = app
        .data(
            r#"{ changes(types: ["Event"]) { totalCount nodes { author operation } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(seeded["changes"]["totalCount"], 14);
    assert_eq!(
        seeded["changes"]["nodes"][0],
        json!({ "author": "seed", "operation": "CREATE" })
    );
    let cursor = app
        .data("{ changes(last: 1) { pageInfo { endCursor } } }", json!({}))
        .await["changes"]["pageInfo"]["endCursor"]
        .clone();
    let now = chrono::Utc::now().to_rfc3339();
    let source = app
        .created(
            &editor,
            "Source",
            json!({ "kind": "OTHER", "name": "Feed test", "reliability": "E" }),
        )
        .await;
    let report = app
        .created(
            &editor,
            "Report",
            json!({ "source": source, "title": "Feed report" }),
        )
        .await;
    app.delete(&admin, "Report", &report, 1).await;
    // A client that kept the cursor sees exactly the three new writes, in order.
    let query = "query($after: String) { changes(after: $after) { nodes { operation entityType entityId } } }";
    let since_cursor = app.data(query, json!({ "after": cursor })).await;
    assert_eq!(
        since_cursor["changes"]["nodes"],
        json!([
            { "operation": "CREATE", "entityType": "Source", "entityId": source },
            { "operation": "CREATE", "entityType": "Report", "entityId": report },
            { "operation": "DELETE", "entityType": "Report", "entityId": report },
        ])
    );
    let by_time = app
        .data(
            r#"query($since: DateTime!) { changes(since: $since, types: ["Report"]) { nodes { operation } } }"#,
            json!({ "since": now }),
        )
        .await;
    assert_eq!(
        by_time["changes"]["nodes"],
        json!([{ "operation": "CREATE" }, { "operation": "DELETE" }])
    );
    let body = app
        .graphql(
            r#"{ changes(types: ["Planet"]) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn deleting_an_event_journals_what_went_with_it() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin).await;
    let event = app
        .id_of(
            r#"{ events(filter: { title: "Libya" }) { nodes { id } } }"#,
            "/events/nodes/0/id",
        )
        .await;
    let parts = app
        .data("query($id: ID!) { event(id: $id) { actors { totalCount } assets { totalCount } bases { totalCount } attestations { totalCount } } }", json!({ "id": event }))
        .await;
    let expected: u64 = ["actors", "assets", "bases", "attestations"]
        .iter()
        .map(|k| parts["event"][k]["totalCount"].as_u64().unwrap())
        .sum::<u64>()
        + 1;
    let cursor = app
        .data("{ changes(last: 1) { pageInfo { endCursor } } }", json!({}))
        .await["changes"]["pageInfo"]["endCursor"]
        .clone();
    let body = app.delete(&admin, "Event", &event, 1).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let tombstones = app
        .data(
            "query($after: String) { changes(after: $after) { nodes { operation entityType } } }",
            json!({ "after": cursor }),
        )
        .await;
    let nodes = tombstones["changes"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len() as u64, expected, "{tombstones:#}");
    assert!(nodes.iter().all(|n| n["operation"] == "DELETE"));
    assert!(nodes.iter().any(|n| n["entityType"] == "Attestation"));
}
