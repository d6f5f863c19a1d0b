//! The indexes are used: on 100,000 generated events and bases, the database's plan
//! for `near` and for `during`/`at` never scans a whole table.
use crate::helpers::spawn_app;
use garrison::configuration::DatabaseSettings;
use garrison::explain::explain;
use sea_orm::{ConnectionTrait, DatabaseBackend};

const ROWS: u32 = 100_000;

/// `INSERT INTO <table> (<columns>)` of `ROWS` rows whose values are `select` over a
/// counter `i` (1..=ROWS), spread pseudo-randomly by multiplying with primes.
fn generated(table: &str, columns: &str, select: &str) -> String {
    format!(
        "INSERT INTO {table} ({columns}, version, created_at, updated_at) \
         WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {ROWS}) \
         SELECT {select}, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM n"
    )
}

const LATITUDE: &str = "((i * 7919) % 17900) / 100.0 - 89.5";
const LONGITUDE: &str = "((i * 104729) % 35900) / 100.0 - 179.5";

#[tokio::test]
async fn near_and_during_use_their_indexes_on_100k_rows() {
    let app = spawn_app().await;
    let db = &app.db;
    // Ten years of events from 2015, each a day long.
    let day = "1420070400 + ((i * 86413) % 315360000)";
    db.execute_unprepared(&generated(
        "event",
        "kind, title, title_key, status, occurred, occurred_lo, occurred_hi, latitude, longitude",
        &format!(
            "'movement', 'generated', 'generated', 'reported', 'generated', {day}, {day} + 86399, \
             {LATITUDE}, {LONGITUDE}"
        ),
    ))
    .await
    .expect("generate events");
    db.execute_unprepared(&generated(
        "base",
        "kind, name, name_key, latitude, longitude",
        &format!("'army_base', 'generated', 'generated', {LATITUDE}, {LONGITUDE}"),
    ))
    .await
    .expect("generate bases");
    db.execute_unprepared("ANALYZE").await.expect("analyze");

    let settings = DatabaseSettings {
        url: app.database_url.clone(),
        max_connections: Some(2),
    };
    let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
    for query in [
        r#"{ events(filter: { during: "2020-06-13" }) { totalCount nodes { id } } }"#,
        r#"{ events(filter: { at: "2020-06", certainty: CERTAIN }) { totalCount nodes { id } } }"#,
        r#"{ events(filter: { during: "2020-06-13/2020-06-20", certainty: CERTAIN }, first: 5) { nodes { id } } }"#,
        r#"{ events(filter: { near: { latitude: 35.4, longitude: 35.9, radiusKm: 50 } }) { totalCount edges { distanceKm } } }"#,
        r#"{ bases(filter: { near: { latitude: -33.9, longitude: 18.4, radiusKm: 80 } }) { totalCount edges { distanceKm } } }"#,
        r#"{ bases(filter: { near: { latitude: 64.1, longitude: -21.9, radiusKm: 80 }, name: "generated" }) { nodes { id } } }"#,
    ] {
        let statements = explain(&settings, query).await.expect("explain");
        assert!(!statements.is_empty(), "{query}: no statements");
        for statement in statements {
            let plan = statement.plan.join("\n");
            for table in ["event", "base"] {
                let full_scan = if postgres {
                    plan.contains(&format!("Seq Scan on {table} "))
                        || plan.ends_with(&format!("Seq Scan on {table}"))
                } else {
                    plan.lines().any(|l| {
                        let l = l.trim();
                        l == format!("SCAN {table}")
                            || l.starts_with(&format!("SCAN {table} USING"))
                    })
                };
                assert!(!full_scan, "{query}\n{}\n{plan}", statement.sql);
            }
            assert!(
                plan.contains("idx") || plan.contains("INDEX") || plan.contains("Index"),
                "{query}: no index in\n{plan}"
            );
        }
    }
}
