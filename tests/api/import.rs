//! Bundle import: all or nothing, with errors that name the offending item.
use crate::helpers::spawn_app;
use garrison::auth::Role;
use garrison::bundle::{self, Bundle};
use garrison::error::GarrisonError;
use garrison::write::Operation;
use serde_json::{Value, json};

/// A small valid bundle; each case below breaks one thing in it.
fn valid() -> Value {
    json!({
        "actors": [{ "key": "x-actor", "kind": "STATE", "name": "Freedonia", "aliases": ["Fredonia"], "country": "FR" }],
        "sources": [{ "key": "x-source", "kind": "NEWS_AGENCY", "name": "Wire", "reliability": "B", "url": "https://wire.example" }],
        "reports": [{ "key": "x-report", "source": "x-source", "title": "A report", "published": "2025-01" }],
        "bases": [{ "key": "x-base", "kind": "AIR_BASE", "name": "Test Field", "location": { "latitude": 1.0, "longitude": 2.0 } }],
        "assets": [{ "key": "x-asset", "kind": "AIRCRAFT", "name": "Test plane", "owner": "x-actor" }],
        "events": [{ "key": "x-event", "kind": "FLIGHT", "status": "REPORTED", "title": "Test flight", "occurred": "2025-01-02",
                     "confidence": 50, "actors": [{ "actor": "x-actor", "role": "PERFORMER" }],
                     "attestations": [{ "report": "x-report", "excerpt": "it flew", "credibility": 2 }] }],
        "tenures": [{ "key": "x-tenure", "actor": "x-actor", "base": "x-base", "role": "OPERATOR", "validFrom": "2020", "validTo": "2024" }],
        "deployments": [{ "key": "x-deployment", "asset": "x-asset", "base": "x-base", "validFrom": "2025" }]
    })
}

const COUNTS: &str = "{ actors { totalCount } sources { totalCount } reports { totalCount } bases { totalCount } assets { totalCount } events { totalCount } }";

#[tokio::test]
async fn a_valid_bundle_is_imported_whole() {
    let app = spawn_app().await;
    let before = app.data(COUNTS, json!({})).await;
    let summary = bundle::import(
        &app.db,
        &Bundle::from_json(&valid().to_string()).unwrap(),
        "test",
    )
    .await
    .unwrap();
    let created = |t| summary.count(t, Operation::Create);
    assert_eq!(
        (created("Event"), created("Attestation"), created("Tenure")),
        (1, 1, 1)
    );
    let after = app.data(COUNTS, json!({})).await;
    for list in ["actors", "sources", "reports", "bases", "assets", "events"] {
        let (b, a) = (
            before[list]["totalCount"].as_u64().unwrap(),
            after[list]["totalCount"].as_u64().unwrap(),
        );
        assert_eq!(a, b + 1, "{list}");
    }
    let found = app.data(r#"{ actors(filter: { name: "fredonia" }) { nodes { name assets { nodes { name } } } } }"#, json!({})).await;
    assert_eq!(
        found["actors"]["nodes"][0]["assets"]["nodes"][0]["name"],
        "Test plane"
    );
}

#[tokio::test]
async fn an_invalid_bundle_writes_nothing_and_names_the_item() {
    let app = spawn_app().await;
    let before = app.data(COUNTS, json!({})).await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/actors/0/country", json!("XX"), "actors[0].country"),
        ("/actors/0/name", json!("  "), "actors[0].name"),
        (
            "/actors/0/aliases",
            json!(["Fredonia", "FREDONIA"]),
            "actors[0].aliases[1]",
        ),
        (
            "/sources/0/url",
            json!("ftp://wire.example"),
            "sources[0].url",
        ),
        (
            "/bases/0/location/latitude",
            json!(91.0),
            "bases[0].location.latitude",
        ),
        (
            "/bases/0/location/longitude",
            json!(-180.5),
            "bases[0].location.longitude",
        ),
        (
            "/events/0/occurred",
            json!("2025-02-30"),
            "events[0].occurred",
        ),
        ("/events/0/confidence", json!(101), "events[0].confidence"),
        (
            "/events/0/attestations",
            json!([]),
            "events[0].attestations",
        ),
        (
            "/events/0/attestations/0/credibility",
            json!(7),
            "events[0].attestations[0].credibility",
        ),
        (
            "/events/0/actors/0/actor",
            json!("nobody"),
            "events[0].actors[0].actor",
        ),
        ("/tenures/0/validTo", json!("2019"), "tenures[0].validFrom"),
        (
            "/deployments/0/asset",
            json!("x-missing"),
            "deployments[0].asset",
        ),
    ];
    for (pointer, value, path) in cases {
        let mut bundle = valid();
        *bundle.pointer_mut(pointer).unwrap() = value.clone();
        let err = bundle::import(
            &app.db,
            &Bundle::from_json(&bundle.to_string()).unwrap(),
            "test",
        )
        .await
        .expect_err(pointer);
        let message = err.to_string();
        assert!(message.contains(path), "{pointer} = {value}: {message}");
        assert!(
            matches!(
                err,
                GarrisonError::InvalidInput { .. } | GarrisonError::NotFound { .. }
            ),
            "{message}"
        );
        assert_eq!(
            app.data(COUNTS, json!({})).await,
            before,
            "{pointer}: something was written"
        );
    }
}

#[tokio::test]
async fn malformed_json_and_unknown_fields_are_refused() {
    for text in [
        "{",
        r#"{"actors": [{"key": "a", "kind": "KING", "name": "x"}]}"#,
        r#"{"actorz": []}"#,
    ] {
        let err = Bundle::from_json(text).expect_err(text);
        assert!(
            matches!(err, GarrisonError::InvalidInput { .. }),
            "{text}: {err}"
        );
    }
}

const IMPORT: &str = "mutation($bundle: JSON!) { importBundle(bundle: $bundle) { created updated deleted unchanged } }";
const JOURNAL: &str = "{ changes { totalCount } }";

#[tokio::test]
async fn import_bundle_over_graphql_is_idempotent() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let first = app
        .data_as(&editor, IMPORT, json!({ "bundle": valid() }))
        .await;
    // 8 items, and the event's participant and attestation.
    assert_eq!(
        first["importBundle"],
        json!({ "created": 10, "updated": 0, "deleted": 0, "unchanged": 0 })
    );
    let journal = app.data(JOURNAL, json!({})).await;
    let again = app
        .data_as(&editor, IMPORT, json!({ "bundle": valid() }))
        .await;
    assert_eq!(
        again["importBundle"],
        json!({ "created": 0, "updated": 0, "deleted": 0, "unchanged": 8 })
    );
    assert_eq!(
        app.data(JOURNAL, json!({})).await,
        journal,
        "a re-import changes nothing"
    );
    // The seed itself re-imports as unchanged.
    let seed: Value = serde_json::from_str(bundle::SEED).unwrap();
    let seed_again = app
        .data_as(&editor, IMPORT, json!({ "bundle": seed }))
        .await;
    assert_eq!(seed_again["importBundle"]["created"], 0);
    assert_eq!(seed_again["importBundle"]["updated"], 0);
    // A changed item updates its record and adds to its children; nothing is deleted
    // without `sync`.
    let mut changed = valid();
    changed["events"][0]["title"] = json!("Test flight, confirmed");
    changed["events"][0]["attestations"] =
        json!([{ "report": "x-report", "excerpt": "it flew twice", "credibility": 1 }]);
    let third = app
        .data_as(&editor, IMPORT, json!({ "bundle": changed }))
        .await;
    assert_eq!(
        third["importBundle"],
        json!({ "created": 1, "updated": 1, "deleted": 0, "unchanged": 7 })
    );
    const EVENT: &str = r#"{ events(filter: { title: "Test flight" }) { nodes { title version attestations { nodes { excerpt } } } } }"#;
    let event = app.data(EVENT, json!({})).await;
    assert_eq!(
        event["events"]["nodes"][0],
        json!({ "title": "Test flight, confirmed", "version": 2,
                "attestations": { "nodes": [{ "excerpt": "it flew" }, { "excerpt": "it flew twice" }] } })
    );
    // `sync` makes the lists exact, deleting the rest: an admin's call only.
    changed["sync"] = json!(true);
    let body = app
        .graphql_as(&editor, IMPORT, json!({ "bundle": changed }))
        .await;
    assert_eq!(crate::helpers::error_code(&body), "FORBIDDEN", "{body:#}");
    assert_eq!(app.data(EVENT, json!({})).await, event, "nothing deleted");
    let admin = app.token(Role::Admin).await;
    let synced = app
        .data_as(&admin, IMPORT, json!({ "bundle": changed }))
        .await;
    assert_eq!(
        synced["importBundle"],
        json!({ "created": 0, "updated": 0, "deleted": 1, "unchanged": 7 })
    );
    let event = app.data(EVENT, json!({})).await;
    assert_eq!(
        event["events"]["nodes"][0]["attestations"],
        json!({ "nodes": [{ "excerpt": "it flew twice" }] })
    );
}

#[tokio::test]
async fn a_failing_bundle_over_graphql_leaves_nothing_behind() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let counts = app.data(COUNTS, json!({})).await;
    let journal = app.data(JOURNAL, json!({})).await;
    let mut bundle = valid();
    bundle["deployments"][0]["base"] = json!("x-nowhere");
    let body = app
        .graphql_as(&editor, IMPORT, json!({ "bundle": bundle }))
        .await;
    assert_eq!(crate::helpers::error_code(&body), "NOT_FOUND", "{body:#}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("deployments[0].base")
    );
    let mut bundle = valid();
    bundle["reports"][0]["language"] = json!(42);
    let body = app
        .graphql_as(&editor, IMPORT, json!({ "bundle": bundle }))
        .await;
    assert_eq!(
        crate::helpers::error_code(&body),
        "BAD_USER_INPUT",
        "{body:#}"
    );
    assert_eq!(app.data(COUNTS, json!({})).await, counts, "no rows");
    assert_eq!(app.data(JOURNAL, json!({})).await, journal, "no history");
    // Importing needs an editor.
    let body = app.graphql(IMPORT, json!({ "bundle": valid() })).await;
    assert_eq!(crate::helpers::error_code(&body), "UNAUTHENTICATED");
    let reader = app.token(Role::Reader).await;
    let body = app
        .graphql_as(&reader, IMPORT, json!({ "bundle": valid() }))
        .await;
    assert_eq!(crate::helpers::error_code(&body), "FORBIDDEN");
}
