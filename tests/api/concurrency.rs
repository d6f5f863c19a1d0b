//! Optimistic concurrency: many clients updating one record at once; each update is
//! applied exactly once or refused with CONFLICT, never lost.
use crate::helpers::{error_code, spawn_app};
use garrison::auth::Role;
use serde_json::json;
use std::collections::HashSet;

const CLIENTS: usize = 8;
const ATTEMPTS: usize = 6;

#[tokio::test]
async fn a_stale_version_is_a_conflict_that_reports_the_current_one() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let id = app
        .created(
            &editor,
            "Source",
            json!({ "kind": "OTHER", "name": "Versioned", "reliability": "C" }),
        )
        .await;
    app.update(
        &editor,
        "Source",
        &id,
        1,
        json!({ "description": "first" }),
        "version",
    )
    .await;
    let body = app
        .update(
            &editor,
            "Source",
            &id,
            1,
            json!({ "description": "stale" }),
            "version",
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    assert_eq!(body["errors"][0]["extensions"]["currentVersion"], 2);
    let admin = app.token(Role::Admin).await;
    assert_eq!(
        error_code(&app.delete(&admin, "Source", &id, 1).await),
        "CONFLICT"
    );
}

#[tokio::test]
async fn concurrent_updates_are_applied_once_or_refused() {
    let app = std::sync::Arc::new(spawn_app().await);
    let editor = app.token(Role::Editor).await;
    let id = app
        .created(
            &editor,
            "Source",
            json!({ "kind": "OTHER", "name": "Contended", "reliability": "C" }),
        )
        .await;
    let clients = (0..CLIENTS).map(|client| {
        let (app, editor, id) = (app.clone(), editor.clone(), id.clone());
        tokio::spawn(async move {
            let mut applied = Vec::new();
            for attempt in 0..ATTEMPTS {
                let version = app.version_of(&id).await;
                let text = format!("client {client} attempt {attempt}");
                let body = app
                    .update(
                        &editor,
                        "Source",
                        &id,
                        version,
                        json!({ "description": text }),
                        "version description",
                    )
                    .await;
                match body.get("errors") {
                    None => {
                        assert_eq!(
                            body["data"]["updateSource"]["source"]["version"],
                            version + 1
                        );
                        applied.push(text);
                    }
                    Some(_) => assert_eq!(error_code(&body), "CONFLICT", "{body:#}"),
                }
            }
            applied
        })
    });
    let mut applied = Vec::new();
    for client in clients {
        applied.extend(client.await.expect("client"));
    }
    assert!(!applied.is_empty());
    // The version counts every applied update, and the journal holds each exactly once.
    assert_eq!(app.version_of(&id).await, 1 + applied.len() as i64);
    let history = app
        .data(
            "query($id: ID!) { source(id: $id) { history(first: 100) { nodes { operation fields { field newValue } } } } }",
            json!({ "id": id }),
        )
        .await;
    let updates: Vec<String> = history["source"]["history"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["operation"] == "UPDATE")
        .map(|n| n["fields"][0]["newValue"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(updates.len(), applied.len());
    assert_eq!(
        updates.iter().collect::<HashSet<_>>(),
        applied.iter().collect::<HashSet<_>>()
    );
}

/// Two writers, each making one actor the other's parent at the same moment: one
/// wins, the other sees the winner's write and refuses the cycle (on PostgreSQL both
/// used to pass their check and commit a cycle).
#[tokio::test]
async fn concurrent_writers_cannot_build_a_cycle_of_parents() {
    let app = std::sync::Arc::new(spawn_app().await);
    let editor = app.token(Role::Editor).await;
    for round in 0..12 {
        let mut ids = Vec::new();
        for side in ["East", "West"] {
            ids.push(
                app.created(
                    &editor,
                    "Actor",
                    json!({ "kind": "ARMED_GROUP", "name": format!("Cycle {side} {round}") }),
                )
                .await,
            );
        }
        let writers = [(0, 1), (1, 0)].map(|(child, parent)| {
            let (app, editor, ids) = (app.clone(), editor.clone(), ids.clone());
            tokio::spawn(async move {
                app.update(
                    &editor,
                    "Actor",
                    &ids[child],
                    1,
                    json!({ "parent": ids[parent] }),
                    "id",
                )
                .await
            })
        });
        let mut passed = 0;
        for writer in writers {
            let body = writer.await.unwrap();
            match body.get("errors") {
                None => passed += 1,
                Some(_) => assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body:#}"),
            }
        }
        assert_eq!(
            passed, 1,
            "round {round}: exactly one parent link may stand"
        );
    }
}

/// Two writers creating the same actor at the same moment: one creates it, the other
/// is told of the duplicate.
#[tokio::test]
async fn concurrent_writers_cannot_create_the_same_name_twice() {
    let app = std::sync::Arc::new(spawn_app().await);
    let editor = app.token(Role::Editor).await;
    for round in 0..12 {
        let writers = [0, 1].map(|_| {
            let (app, editor) = (app.clone(), editor.clone());
            tokio::spawn(async move {
                app.create(
                    &editor,
                    "Actor",
                    json!({ "kind": "ARMED_GROUP", "name": format!("Twin {round}"), "country": "SY" }),
                )
                .await
            })
        });
        let mut created = 0;
        for writer in writers {
            let body = writer.await.unwrap();
            match body.get("errors") {
                None => created += 1,
                Some(_) => assert_eq!(error_code(&body), "CONFLICT", "{body:#}"),
            }
        }
        assert_eq!(created, 1, "round {round}");
    }
}
