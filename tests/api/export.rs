//! `garrison export`: the bundle it writes imports into an empty database, and that
//! database exports the same bytes again (on whichever database the suite runs on).
use crate::helpers::{FreshDatabase, TestApp, spawn_app};
use garrison::auth::Role;
use garrison::bundle::{self, Bundle};
use garrison::database::{StatementCounter, connect};
use garrison::export::{Format, Progress};
use garrison::visibility::Clearance;
use serde_json::{Value, json};
use std::process::Command;

pub(crate) async fn exported(db: &sea_orm::DatabaseConnection) -> Vec<u8> {
    let mut out = Vec::new();
    garrison::export::to_writer(
        db,
        Clearance::ALL,
        Format::Bundle,
        Progress::Silent,
        &mut out,
    )
    .await
    .expect("export");
    out
}

/// A migrated database with nothing in it, and the connection to it.
pub(crate) async fn empty_database() -> (FreshDatabase, sea_orm::DatabaseConnection) {
    let empty = FreshDatabase::new().await;
    let db = connect(&empty.url, 4, &StatementCounter::default())
        .await
        .expect("database");
    garrison::setup::migrate(&db, &empty.url)
        .await
        .expect("migrations");
    (empty, db)
}

/// Records the seed lacks: a keyless base, an actor created before its parent, an
/// AMBER event with participants, a tenure with an open end, unusual dates.
pub(crate) async fn add_records(app: &TestApp) {
    let editor = app.token(Role::Editor).await;
    let child = app
        .created(
            &editor,
            "Actor",
            json!({ "kind": "ARMED_GROUP", "name": "Child Brigade", "aliases": ["CB"] }),
        )
        .await;
    let parent = app
        .created(
            &editor,
            "Actor",
            json!({ "kind": "ARMED_GROUP", "name": "Parent Front", "key": "parent-front" }),
        )
        .await;
    let version = app.version_of(&child).await;
    let body = app
        .update(
            &editor,
            "Actor",
            &child,
            version,
            json!({ "parent": parent }),
            "id",
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let base = app
        .created(
            &editor,
            "Base",
            json!({ "kind": "OUTPOST", "name": "Keyless Post", "established": "197X",
                    "location": { "latitude": 35.5, "longitude": 36.25, "precision": "APPROXIMATE" } }),
        )
        .await;
    let report = app.first_report().await;
    let body = app
        .create(
            &editor,
            "Event",
            json!({ "kind": "FLIGHT", "status": "REPORTED", "title": "Amber flight", "marking": "AMBER",
                    "occurred": "2024-12?-13", "place": { "name": "Somewhere", "country": "SY" },
                    "actors": [{ "actor": child, "role": "PERFORMER" }],
                    "bases": [{ "base": base, "role": "ORIGIN" }],
                    "attestations": [{ "report": report, "excerpt": "it flew", "credibility": 6, "stance": "DISPUTES" }] }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let body = app
        .create(
            &editor,
            "Tenure",
            json!({ "actor": parent, "base": base, "role": "CONTROLLER", "validFrom": "2024-21" }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
}

#[tokio::test]
async fn an_export_imported_into_an_empty_database_exports_the_same_bytes() {
    let app = spawn_app().await;
    add_records(&app).await;
    let first = exported(&app.db).await;
    let text = String::from_utf8(first.clone()).expect("utf-8");
    let file: Value = serde_json::from_str(&text).expect("JSON");
    let bases = file["bases"].as_array().unwrap();
    let keyless = bases.iter().find(|b| b["name"] == "Keyless Post").unwrap();
    assert!(
        keyless["key"].as_str().unwrap().starts_with("base-"),
        "{keyless}"
    );
    assert_eq!(keyless["established"], "197X");
    let actors: Vec<&str> = file["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["key"].as_str().unwrap())
        .collect();
    let (parent, child) = (
        actors.iter().position(|k| *k == "parent-front").unwrap(),
        actors.iter().position(|k| k.starts_with("actor-")).unwrap(),
    );
    assert!(
        parent < child,
        "a parent comes before its subordinates: {actors:?}"
    );
    let amber = file["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "Amber flight")
        .unwrap();
    assert_eq!(amber["marking"], "AMBER");
    assert_eq!(amber["attestations"][0]["stance"], "DISPUTES");
    assert_eq!(amber["bases"][0]["base"], keyless["key"]);

    let (_empty, db) = empty_database().await;
    let bundle = Bundle::from_json(&text).expect("the export is a valid bundle");
    bundle::import(&db, &bundle, "test").await.expect("import");
    let second = exported(&db).await;
    assert!(
        first == second,
        "the second export differs:\n{}\n---\n{}",
        text,
        String::from_utf8_lossy(&second)
    );
}

#[tokio::test]
async fn the_command_writes_the_bundle_to_stdout_and_logs_elsewhere() {
    let app = spawn_app().await;
    let output = Command::new(env!("CARGO_BIN_EXE_garrison"))
        .arg("export")
        .env("DATABASE_URL", &app.database_url)
        .output()
        .expect("run garrison export");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let file: Value = serde_json::from_slice(&output.stdout).expect("stdout is the bundle alone");
    assert!(!file["events"].as_array().unwrap().is_empty());
    assert_eq!(output.stdout, exported(&app.db).await);
}

#[tokio::test]
async fn an_export_imported_into_its_own_database_creates_nothing() {
    let app = spawn_app().await;
    add_records(&app).await;
    let text = String::from_utf8(exported(&app.db).await).unwrap();
    let bundle = Bundle::from_json(&text).unwrap();
    let summary = bundle::import(&app.db, &bundle, "test")
        .await
        .expect("import");
    assert_eq!(
        summary.total(garrison::write::Operation::Create),
        0,
        "a keyless record is found by the <type>-<id> it is exported as: {summary}"
    );
    // …which becomes its key, so the next export is the same file.
    assert_eq!(String::from_utf8(exported(&app.db).await).unwrap(), text);
}
