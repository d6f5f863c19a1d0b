//! The core's write path without the API: sessions, validation with the field's
//! path, optimistic versions, diffing, delete rules and bundle ordering, on an
//! in-memory SQLite database.
use garrison_core::bundle::{self, Bundle};
use garrison_core::database::{StatementCounter, connect};
use garrison_core::error::{ConflictDetail, GarrisonError};
use garrison_core::record::{Actor, Event, Report, Source};
use garrison_core::vocabulary::{ActorKind, EventKind, EventStatus, Reliability, SourceKind};
use garrison_core::write::records::{
    ActorChanges, AttestationChanges, EventChanges, ReportChanges, SourceChanges,
};
use garrison_core::write::{self, NamedChanges, Operation, Reference, Session};
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;

async fn database() -> DatabaseConnection {
    let db = connect("sqlite::memory:", 1, &StatementCounter::default())
        .await
        .expect("in-memory database");
    Migrator::up(&db, None).await.expect("migrations");
    db
}

fn source(name: &str) -> SourceChanges {
    SourceChanges {
        names: NamedChanges {
            kind: Some(SourceKind::NewsAgency),
            name: Some(name.into()),
            ..Default::default()
        },
        reliability: Some(Reliability::B),
        ..Default::default()
    }
}

fn report(source: i64, title: &str) -> ReportChanges {
    ReportChanges {
        title: Some(title.into()),
        source: Some(Reference::Id(source)),
        published: Some(Some("2024-12-13~".into())),
        ..Default::default()
    }
}

fn event(report: i64, title: &str) -> EventChanges {
    EventChanges {
        kind: Some(EventKind::Flight),
        title: Some(title.into()),
        status: Some(EventStatus::Reported),
        attestations: Some(vec![AttestationChanges {
            report: Some(Reference::Id(report)),
            excerpt: Some("it flew".into()),
            credibility: Some(3),
            ..Default::default()
        }]),
        ..Default::default()
    }
}

/// A source and one of its reports, committed.
async fn source_and_report(db: &DatabaseConnection) -> (i64, i64) {
    let mut s = Session::begin(db, "test").await.unwrap();
    let source = write::create::<Source>(&mut s, source("Wire"), "input")
        .await
        .unwrap();
    let report = write::create::<Report>(&mut s, report(source.id, "A report"), "input")
        .await
        .unwrap();
    s.commit().await.unwrap();
    (source.id, report.id)
}

#[tokio::test]
async fn a_bad_field_is_refused_with_its_path_and_nothing_is_written() {
    let db = database().await;
    let mut s = Session::begin(&db, "test").await.unwrap();
    let actor = ActorChanges {
        names: NamedChanges {
            kind: Some(ActorKind::State),
            name: Some("Freedonia".into()),
            ..Default::default()
        },
        country: Some(Some("XX".into())),
        ..Default::default()
    };
    let err = write::create::<Actor>(&mut s, actor, "input")
        .await
        .expect_err("XX is no country");
    assert!(
        matches!(&err, GarrisonError::InvalidInput { field, .. } if field == "input.country"),
        "{err}"
    );
    drop(s);
    let mut s = Session::begin(&db, "test").await.unwrap();
    let err = write::create::<Event>(&mut s, event(1, "  "), "items[3]")
        .await
        .expect_err("a blank title");
    assert!(
        matches!(&err, GarrisonError::InvalidInput { field, .. } if field == "items[3].title"),
        "{err}"
    );
}

#[tokio::test]
async fn updates_record_what_changed_and_a_no_op_changes_nothing() {
    let db = database().await;
    let (source_id, _) = source_and_report(&db).await;
    let mut s = Session::begin(&db, "test").await.unwrap();
    let same = write::update::<Source>(&mut s, source_id, Some(1), source("Wire"), "input")
        .await
        .unwrap();
    assert_eq!(
        same.version, 1,
        "a write that changes nothing keeps the version"
    );
    assert!(s.journal().is_empty(), "and journals nothing");
    let changed = SourceChanges {
        reliability: Some(Reliability::A),
        ..Default::default()
    };
    let updated = write::update::<Source>(&mut s, source_id, Some(1), changed, "input")
        .await
        .unwrap();
    assert_eq!(updated.version, 2);
    let entry = &s.journal()[0];
    assert_eq!(
        (entry.type_name, entry.operation),
        ("Source", Operation::Update)
    );
    let fields: Vec<_> = entry
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.old.clone(), f.new.clone()))
        .collect();
    assert_eq!(fields, vec![("reliability", "B".into(), "A".into())]);
    let stale = write::update::<Source>(&mut s, source_id, Some(1), source("Wire 2"), "input")
        .await
        .expect_err("version 1 is stale");
    assert!(matches!(
        stale,
        GarrisonError::Conflict {
            detail: ConflictDetail::StaleVersion { current: 2 },
            ..
        }
    ));
}

#[tokio::test]
async fn deletes_follow_the_rules_of_each_type() {
    let db = database().await;
    let (source_id, report_id) = source_and_report(&db).await;
    let mut s = Session::begin(&db, "test").await.unwrap();
    let event_row = write::create::<Event>(&mut s, event(report_id, "Test flight"), "input")
        .await
        .unwrap();
    s.commit().await.unwrap();
    // A source with reports is restricted: the conflict lists them.
    let mut s = Session::begin(&db, "test").await.unwrap();
    let err = write::delete::<Source>(&mut s, source_id, Some(1))
        .await
        .expect_err("the source has a report");
    assert!(
        matches!(&err, GarrisonError::Conflict { detail: ConflictDetail::Referenced { by }, .. }
            if by == &[garrison_core::ids::encode_id("Report", report_id)]),
        "{err}"
    );
    drop(s);
    // An event takes its attestations with it, each with a tombstone.
    let mut s = Session::begin(&db, "test").await.unwrap();
    write::delete::<Event>(&mut s, event_row.id, Some(1))
        .await
        .unwrap();
    let tombstones: Vec<_> = s
        .journal()
        .iter()
        .map(|e| (e.type_name, e.operation))
        .collect();
    assert_eq!(
        tombstones,
        vec![
            ("Attestation", Operation::Delete),
            ("Event", Operation::Delete)
        ]
    );
}

#[tokio::test]
async fn an_event_keeps_at_least_one_attestation() {
    let db = database().await;
    let (_, report_id) = source_and_report(&db).await;
    let mut s = Session::begin(&db, "test").await.unwrap();
    let mut no_attestation = event(report_id, "Unsourced");
    no_attestation.attestations = Some(Vec::new());
    let err = write::create::<Event>(&mut s, no_attestation, "input")
        .await
        .expect_err("an event needs an attestation");
    assert!(
        matches!(&err, GarrisonError::InvalidInput { field, .. } if field == "input.attestations"),
        "{err}"
    );
}

#[tokio::test]
async fn a_bundle_places_parents_first_and_refuses_a_cycle() {
    let db = database().await;
    // The subordinate comes before its parent in the file.
    let bundle = Bundle::from_json(
        r#"{"actors": [
            {"key": "navy", "kind": "ARMED_FORCES", "name": "Navy", "parent": "forces"},
            {"key": "forces", "kind": "ARMED_FORCES", "name": "Forces", "parent": "state"},
            {"key": "state", "kind": "STATE", "name": "State"}
        ]}"#,
    )
    .unwrap();
    let summary = bundle::import(&db, &bundle, "test").await.unwrap();
    assert_eq!(summary.count("Actor", Operation::Create), 3);
    let cycle = Bundle::from_json(
        r#"{"actors": [
            {"key": "a", "kind": "STATE", "name": "A", "parent": "b"},
            {"key": "b", "kind": "STATE", "name": "B", "parent": "a"}
        ]}"#,
    )
    .unwrap();
    let err = bundle::import(&db, &cycle, "test")
        .await
        .expect_err("a cycle of parents");
    assert!(
        matches!(&err, GarrisonError::InvalidInput { field, .. } if field.ends_with(".parent")),
        "{err}"
    );
}
