//! Settled visibility under overlapping writers, which only PostgreSQL has (SQLite's
//! write transactions run one at a time): a row that a writer points at a record while
//! another writer changes that record's marking is worked out again by whichever
//! commits last.
use crate::helpers::{FreshDatabase, postgres_server};
use garrison_core::database::{StatementCounter, connect};
use garrison_core::entity::report;
use garrison_core::record::{Report, Source};
use garrison_core::visibility::{Clearance, Visible};
use garrison_core::vocabulary::{Marking, Reliability, SourceKind};
use garrison_core::write::records::{ReportChanges, SourceChanges};
use garrison_core::write::{self, NamedChanges, Reference, Session};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::time::Duration;

/// Whether a reader of `clearance` sees report `id`, and whether the rule says it should.
async fn seen_and_judged(db: &DatabaseConnection, id: i64, clearance: Clearance) -> (u64, u64) {
    let count = |condition| {
        report::Entity::find()
            .filter(report::Column::Id.eq(id))
            .filter(condition)
            .count(db)
    };
    let seen = count(Report::seen(clearance)).await.unwrap();
    let judged = count(Report::judged(clearance)).await.unwrap();
    (seen, judged)
}

#[tokio::test]
#[ignore = "needs PostgreSQL (TEST_DATABASE_URL): SQLite's writers never overlap"]
async fn a_report_filed_while_its_source_is_remarked_is_settled_when_the_remark_commits() {
    postgres_server();
    let fresh = FreshDatabase::new().await;
    let db = connect(&fresh.url, 4, &StatementCounter::default())
        .await
        .expect("database");
    garrison_core::setup::migrate(&db, &fresh.url)
        .await
        .expect("migrations");
    let mut s = Session::begin(&db, "test").await.unwrap();
    let wire = SourceChanges {
        names: NamedChanges {
            kind: Some(SourceKind::NewsAgency),
            name: Some("Wire".into()),
            ..Default::default()
        },
        reliability: Some(Reliability::B),
        ..Default::default()
    };
    let source = write::create::<Source>(&mut s, wire, "input")
        .await
        .unwrap();
    s.commit().await.unwrap();

    // A raises the source to RED and has not committed yet…
    let mut a = Session::begin(&db, "a").await.unwrap();
    let red = SourceChanges {
        names: NamedChanges {
            marking: Some(Marking::Red),
            ..Default::default()
        },
        ..Default::default()
    };
    write::update::<Source>(&mut a, source.id, None, red, "input")
        .await
        .unwrap();
    // …while B files a CLEAR report of it and commits first.
    let filed = async {
        let mut b = Session::begin(&db, "b").await.unwrap();
        let filing = ReportChanges {
            title: Some("Filed meanwhile".into()),
            source: Some(Reference::Id(source.id)),
            ..Default::default()
        };
        let report = write::create::<Report>(&mut b, filing, "input")
            .await
            .unwrap();
        b.commit().await.unwrap();
        report
    };
    let report = tokio::time::timeout(Duration::from_secs(30), filed)
        .await
        .expect("the report's writer does not wait for the source's");
    assert_eq!(
        seen_and_judged(&db, report.id, Clearance(Marking::Clear)).await,
        (1, 1)
    );
    a.commit().await.unwrap();

    // The report of a RED source is hidden from CLEAR readers, as the rule says.
    for marking in [Marking::Clear, Marking::Amber, Marking::Red] {
        let (seen, judged) = seen_and_judged(&db, report.id, Clearance(marking)).await;
        assert_eq!(seen, judged, "at {}", marking.label());
    }
    assert_eq!(
        seen_and_judged(&db, report.id, Clearance(Marking::Clear)).await,
        (0, 0)
    );
}
