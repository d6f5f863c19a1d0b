//! Relay object identification: `node`, `nodes` and the root lookups.
use crate::helpers::{error_code, spawn_app};
use base64::Engine;
use serde_json::{Value, json};

#[tokio::test]
async fn every_type_round_trips_through_node() {
    let app = spawn_app().await;
    let data = app
        .data(
            r#"{ events(first: 1, filter: { title: "flies" }) { nodes { id
                  actors { nodes { id } } assets { nodes { id } } bases { nodes { id } }
                  attestations { nodes { id report { id source { id } } } } } }
                 actors(first: 1) { nodes { id } } assets(first: 1) { nodes { id } }
                 bases(first: 1) { nodes { id tenures { nodes { id } } deployments { nodes { id } } } } }"#,
            json!({}),
        )
        .await;
    let mut ids = Vec::new();
    collect_ids(&data, &mut ids);
    assert!(ids.len() >= 12, "{ids:?}");
    let body = app
        .data(
            r#"query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"#,
            json!({ "ids": ids }),
        )
        .await;
    let nodes = body["nodes"].as_array().unwrap();
    for (node, id) in nodes.iter().zip(&ids) {
        assert_eq!(&node["id"], id, "nodes keeps the order of ids");
    }
    let mut types: Vec<&str> = nodes
        .iter()
        .map(|n| n["__typename"].as_str().unwrap())
        .collect();
    types.sort();
    types.dedup();
    assert_eq!(
        types,
        [
            "Actor",
            "Asset",
            "Attestation",
            "Base",
            "Deployment",
            "Event",
            "EventActor",
            "EventAsset",
            "EventBase",
            "Report",
            "Source",
            "Tenure"
        ]
    );
}

fn collect_ids(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "id" {
                    out.push(v.clone());
                } else {
                    collect_ids(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_ids(v, out)),
        _ => {}
    }
}

fn encode(raw: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

#[tokio::test]
async fn an_unknown_id_is_null_and_a_malformed_one_is_bad_user_input() {
    let app = spawn_app().await;
    let unknown = app
        .data(
            r#"query($id: ID!) { node(id: $id) { id } actor(id: $id) { id } }"#,
            json!({ "id": encode("Actor:999999") }),
        )
        .await;
    assert_eq!(unknown, json!({ "node": null, "actor": null }));
    let other_type = app
        .data(
            r#"query($id: ID!) { node(id: $id) { id } }"#,
            json!({ "id": encode("Spaceship:1") }),
        )
        .await;
    assert_eq!(other_type["node"], Value::Null);

    for bad in ["!!!", "QWN0b3I", &encode("Actor:abc"), &encode("Actor")] {
        let body = app
            .graphql(
                r#"query($id: ID!) { node(id: $id) { id } }"#,
                json!({ "id": bad }),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{bad}: {body:#}");
    }
}

#[tokio::test]
async fn root_lookups_check_the_id_type() {
    let app = spawn_app().await;
    let base = app
        .id_of(
            r#"{ bases(first: 1) { nodes { id } } }"#,
            "/bases/nodes/0/id",
        )
        .await;
    let found = app
        .data(
            r#"query($id: ID!) { base(id: $id) { name } }"#,
            json!({ "id": base }),
        )
        .await;
    assert!(found["base"]["name"].is_string());
    for field in ["actor", "asset", "event", "source", "report"] {
        let query = format!(r#"query($id: ID!) {{ {field}(id: $id) {{ id }} }}"#);
        let body = app.graphql(&query, json!({ "id": base })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{field}: {body:#}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("is a Base id")
        );
    }
}

#[tokio::test]
async fn errors_do_not_leak_internals() {
    let app = spawn_app().await;
    let body = app
        .graphql(
            r#"{ actors(filter: { name: "'; DROP TABLE actor; --" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["actors"]["totalCount"], 0);
    let body = app.graphql("{ actors { nope } }", json!({})).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 200);
    let page = app.get("/").await.text().await.unwrap();
    assert!(page.contains("graphiql"), "GraphiQL is served at /");
}
