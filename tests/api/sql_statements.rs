//! Every relation goes through a DataLoader: a nested query costs the same number of
//! SQL statements over 5 bases as over 50.
use crate::helpers::{TestApp, spawn_app_batching};
use garrison::bundle::{self, Bundle};
use serde_json::json;

/// Adds `n` bases, each with an owner-less asset deployed there and two attested events.
async fn add_bases(app: &TestApp, n: usize) {
    let bases: Vec<_> = (0..n)
        .map(|i| json!({ "key": format!("b{i}"), "kind": "AIR_BASE", "name": format!("Zz base {i:03}"), "aliases": [format!("Zz alias {i}")] }))
        .collect();
    let assets: Vec<_> = (0..n)
        .map(|i| json!({ "key": format!("a{i}"), "kind": "UNIT", "name": format!("Unit {i}"), "owner": "russia" }))
        .collect();
    let deployments: Vec<_> = (0..n)
        .map(|i| json!({ "key": format!("d{i}"), "asset": format!("a{i}"), "base": format!("b{i}"), "validFrom": "2024-01" }))
        .collect();
    let events: Vec<_> = (0..2 * n)
        .map(|i| json!({
            "key": format!("e{i}"), "kind": "MOVEMENT", "status": "REPORTED", "title": format!("Event {i}"),
            "occurred": "2024-12-01",
            "actors": [{ "actor": "russia", "role": "PERFORMER" }],
            "bases": [{ "base": format!("b{}", i / 2), "role": "LOCATION" }],
            "assets": [{ "asset": format!("a{}", i / 2), "role": "SUBJECT" }],
            "attestations": [{ "report": "seed-article", "excerpt": "generated", "credibility": 6 }]
        }))
        .collect();
    let bundle =
        json!({ "bases": bases, "assets": assets, "deployments": deployments, "events": events });
    let bundle = Bundle::from_json(&bundle.to_string()).unwrap();
    bundle::import(&app.db, &bundle, "test")
        .await
        .expect("import generated bases");
}

/// Each loader appears at one depth only. A loader asked at two depths (say actors as
/// owners and as event participants) merges the two levels into one batch or not
/// depending on timing, which would make the count vary by one between runs.
const NESTED: &str = r#"query($n: Int!) {
  bases(first: $n, filter: { name: "zz base" }) { totalCount edges { node {
    name aliases
    tenures { totalCount nodes { role } }
    deployments(at: "2024-12") { nodes { validFrom { edtf } asset { name owner { name } } } }
    timeline(first: 3) { totalCount nodes { kind } }
    events(first: 5) { totalCount edges { cursor node {
      title
      actors { nodes { role } }
      assets { nodes { role } }
      attestations { nodes { credibility report { title source { name reliability } } } }
    } } }
  } } } }"#;

/// Runs the query once and returns how many statements it took.
async fn run_once(app: &TestApp, n: usize) -> u64 {
    let before = app.sql_statements().await;
    let data = app.data(NESTED, json!({ "n": n })).await;
    let after = app.sql_statements().await;
    let edges = data["bases"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), n);
    for edge in edges {
        assert_eq!(edge["node"]["events"]["totalCount"], 2);
        assert_eq!(
            edge["node"]["deployments"]["nodes"][0]["asset"]["owner"]["name"],
            "Russia"
        );
        assert_eq!(
            edge["node"]["events"]["edges"][0]["node"]["attestations"]["nodes"][0]["report"]["source"]
                ["name"],
            "Seed article (news digest)"
        );
    }
    after - before
}

/// The statements the query takes over `n` bases: the fewest of three runs. The
/// DataLoaders batch by a time window, so a machine starved of CPU can split a level
/// into two batches now and then; the best run is the query's real cost.
async fn statements_for(n: usize) -> u64 {
    let app = spawn_app_batching(20).await;
    add_bases(&app, n).await;
    let mut fewest = u64::MAX;
    for _ in 0..3 {
        fewest = fewest.min(run_once(&app, n).await);
    }
    fewest
}

#[tokio::test]

async fn nested_query_statement_count_does_not_grow_with_rows() {
    let five = statements_for(5).await;
    let fifty = statements_for(50).await;
    assert_eq!(
        five, fifty,
        "5 bases took {five} statements, 50 took {fifty}"
    );
    assert!(
        five <= 20,
        "a 6-level query should need few statements, took {five}"
    );
}
