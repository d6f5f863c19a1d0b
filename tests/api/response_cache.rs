//! Repeated queries are answered from memory until a write commits, whoever writes it.
use crate::helpers::{AppOptions, TestApp, spawn_app_with};
use garrison::auth::{self, Role};
use garrison::bundle::{self, Bundle};
use garrison::configuration::{LimitSettings, LiveSettings};
use garrison_core::vocabulary::Marking;
use serde_json::{Value, json};

const EVENTS: &str = "query($n: Int) { events(first: $n) { totalCount nodes { title } } }";

/// A server whose statement count moves only with requests: the live feed's poll (for
/// writes of other processes on SQLite) is put off.
async fn quiet(response_cache_mb: usize) -> TestApp {
    spawn_app_with(AppOptions {
        live: LiveSettings {
            poll_ms: 600_000,
            ..LiveSettings::default()
        },
        limits: LimitSettings {
            response_cache_mb,
            ..LimitSettings::default()
        },
        ..Default::default()
    })
    .await
}

/// The answer to `query` and the statements it cost.
async fn costed(app: &TestApp, query: &str, variables: Value) -> (Value, u64) {
    let before = app.settled_sql_statements().await;
    let data = app.data(query, variables).await;
    (data, app.settled_sql_statements().await - before)
}

fn event(key: &str, title: &str) -> Bundle {
    let bundle = json!({ "events": [{ "key": key, "kind": "MOVEMENT", "status": "REPORTED",
        "title": title, "occurred": "2025-01-02",
        "attestations": [{ "report": "seed-article", "excerpt": "cache test", "credibility": 5 }] }] });
    Bundle::from_json(&bundle.to_string()).unwrap()
}

#[tokio::test]
async fn a_repeated_query_costs_one_statement_until_a_write_commits() {
    let app = quiet(32).await;
    let n = json!({ "n": 2 });
    let (first, executed) = costed(&app, EVENTS, n.clone()).await;
    assert!(executed >= 2, "{executed}");
    // Seen once, the request is noted; the second time its answer is kept.
    let (second, cost) = costed(&app, EVENTS, n.clone()).await;
    assert_eq!((&second, cost), (&first, executed + 1));
    let (third, cost) = costed(&app, EVENTS, n.clone()).await;
    assert_eq!(third, first);
    assert_eq!(cost, 1, "only the journal is read");
    // Other variables are another request.
    let (one, cost) = costed(&app, EVENTS, json!({ "n": 1 })).await;
    assert_eq!(one["events"]["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(cost, executed);

    // A write through the API: the next answer has it.
    let token = app.token(Role::Editor).await;
    let report = app.first_report().await;
    let attestation = json!({ "report": report, "excerpt": "cache test", "credibility": 5 });
    let input = json!({ "kind": "STATEMENT", "status": "REPORTED", "title": "Cache test one",
        "attestations": [attestation] });
    app.created(&token, "Event", input).await;
    let total = |data: &Value| data["events"]["totalCount"].as_i64().unwrap();
    let after_api = app.data(EVENTS, n.clone()).await;
    assert_eq!(total(&after_api), total(&first) + 1);

    // A write by another client of the database, as `garrison import` would make.
    app.data(EVENTS, n.clone()).await;
    bundle::import(&app.db, &event("cache-two", "Cache test two"), "elsewhere")
        .await
        .expect("import");
    let after_import = app.data(EVENTS, n.clone()).await;
    assert_eq!(total(&after_import), total(&first) + 2);
}

#[tokio::test]
async fn answers_outside_the_journal_are_never_kept() {
    let app = quiet(32).await;
    let admin = app.token(Role::Admin).await;
    let names = |data: Value| data["tokens"].as_array().unwrap().len();
    let query = "{ tokens { name } }";
    let before = names(app.data_as(&admin, query, json!({})).await);
    names(app.data_as(&admin, query, json!({})).await);
    // Tokens are made without a journal entry.
    auth::create(&app.db, "made-elsewhere", Role::Reader, Marking::Red)
        .await
        .expect("token");
    assert_eq!(
        names(app.data_as(&admin, query, json!({})).await),
        before + 1
    );
}

#[tokio::test]
async fn the_cache_can_be_turned_off() {
    let app = quiet(0).await;
    let n = json!({ "n": 2 });
    let (first, executed) = costed(&app, EVENTS, n.clone()).await;
    for _ in 0..2 {
        let (again, cost) = costed(&app, EVENTS, n.clone()).await;
        assert_eq!((again, cost), (first.clone(), executed));
    }
}

#[tokio::test]
async fn identical_requests_in_flight_share_one_answer() {
    let app = quiet(32).await;
    let n = json!({ "n": 3 });
    let (expected, executed) = costed(&app, EVENTS, n.clone()).await;
    // Eight at once, as when a dashboard opens on many screens: once after a write
    // (the answer kept is stale), once for a request never seen.
    let all_at_once = |query: &'static str| {
        let app = &app;
        let n = n.clone();
        async move {
            let before = app.settled_sql_statements().await;
            let answers =
                futures_util::future::join_all((0..8).map(|_| app.data(query, n.clone()))).await;
            (answers, app.settled_sql_statements().await - before)
        }
    };
    app.data(EVENTS, n.clone()).await;
    bundle::import(
        &app.db,
        &event("cache-three", "Cache test three"),
        "elsewhere",
    )
    .await
    .expect("import");
    let (answers, cost) = all_at_once(EVENTS).await;
    let total = expected["events"]["totalCount"].as_i64().unwrap();
    for answer in &answers {
        assert_eq!(answer["events"]["totalCount"].as_i64(), Some(total + 1));
    }
    // One execution and the journal reads (shared, at most one per request).
    assert!(
        cost <= executed + 8,
        "{cost} statements for 8 requests of {executed}"
    );

    let unseen = "query($n: Int) { events(first: $n) { nodes { title } totalCount } }";
    let (answers, cost) = all_at_once(unseen).await;
    assert!(
        answers
            .iter()
            .all(|a| a["events"]["totalCount"].as_i64() == Some(total + 1))
    );
    // The first answer is only noted: the second runs too, at a journal id.
    assert!(
        cost <= 2 * executed + 8,
        "{cost} statements for 8 new requests of {executed}"
    );
}
