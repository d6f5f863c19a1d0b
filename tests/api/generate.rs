//! The synthetic data generator: deterministic, fully linked, and leaving the
//! database ready for ordinary writes.
use crate::helpers::{TestApp, spawn_app};
use garrison::auth::Role;
use garrison::generate::{Plan, generate};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const PLAN: Plan = Plan {
    actors: 40,
    bases: 12,
    assets: 30,
    events: 600,
    seed: 7,
};

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            sql,
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// What a generated graph looks like from the API, to compare two runs.
async fn fingerprint(app: &TestApp) -> Value {
    app.data(
        r#"{ events(last: 5, orderBy: { field: CREATED_AT }) { totalCount nodes { title occurred { edtf } confidence
               actors { nodes { role actor { name aliases country } } } attestations { totalCount } } }
             bases(last: 3, orderBy: { field: CREATED_AT }) { totalCount nodes { name aliases tenures { totalCount } } } }"#,
        json!({}),
    )
    .await
}

#[tokio::test]
async fn generation_is_deterministic_and_fully_linked() {
    let (a, b) = (spawn_app().await, spawn_app().await);
    let written = generate(&a.db, &PLAN, false).await.unwrap();
    generate(&b.db, &PLAN, false).await.unwrap();
    assert!(written.rows.contains(&("events", 600)), "{written}");
    let first = fingerprint(&a).await;
    assert_eq!(
        first,
        fingerprint(&b).await,
        "the same seed gives the same graph"
    );
    assert_eq!(first["events"]["totalCount"], 14 + 600);
    // Every event is attested and has someone taking part; participation is skewed.
    let unattested = scalar(&a, "SELECT COUNT(*) FROM event e WHERE NOT EXISTS (SELECT 1 FROM attestation t WHERE t.event_id = e.id)").await;
    assert_eq!(unattested, 0);
    let attestations = scalar(
        &a,
        "SELECT COUNT(*) FROM attestation WHERE event_id IS NOT NULL",
    )
    .await;
    assert!(
        (900..=1500).contains(&attestations),
        "about two per event: {attestations}"
    );
    let busiest = scalar(&a, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM event_participant WHERE actor_id IS NOT NULL GROUP BY actor_id) t").await;
    assert!(
        busiest > 100,
        "a few actors take part in most events: {busiest}"
    );
    let open = scalar(&a, "SELECT COUNT(*) FROM tenure WHERE valid LIKE '%/..'").await;
    assert!(open > 0, "some tenures still hold");
    // Ordinary writes go on after generation (ids were not reused).
    let editor = a.token(Role::Editor).await;
    a.created(
        &editor,
        "Source",
        json!({ "kind": "OTHER", "name": "After generation", "reliability": "C" }),
    )
    .await;
}

#[tokio::test]
async fn a_generated_graph_keeps_the_write_rules_so_its_export_imports_exactly() {
    let app = spawn_app().await;
    generate(&app.db, &PLAN, false).await.unwrap();
    let first = crate::export::exported(&app.db).await;
    let (_empty, db) = crate::export::empty_database().await;
    let text = String::from_utf8(first.clone()).unwrap();
    let bundle = garrison::bundle::Bundle::from_json(&text).unwrap();
    garrison::bundle::import(&db, &bundle, "test")
        .await
        .expect("what the generator writes passes the importer's rules");
    assert!(first == crate::export::exported(&db).await);
}
