//! `search(query:)`: spellings, typos and transliterations, ranking, types, paging,
//! errors, and the index kept in step with every write (and with none that failed).
use crate::helpers::{TestApp, error_code, spawn_app};
use garrison::auth::Role;
use serde_json::{Value, json};

const SEARCH: &str = r#"query($q: String!, $types: [SearchType!], $first: Int, $after: String) {
  search(query: $q, types: $types, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { score node { __typename id
      ... on Actor { name } ... on Base { name } ... on Asset { name } ... on Source { name }
      ... on Event { title } ... on Report { title } ... on Attestation { excerpt } } } } } }"#;

/// `Type: label` of every hit on the first page of `query`.
async fn hits(app: &TestApp, query: &str, types: Value) -> Vec<String> {
    let data = app
        .data(SEARCH, json!({ "q": query, "types": types, "first": 20 }))
        .await;
    data["search"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            let node = &e["node"]["node"];
            let label = ["name", "title", "excerpt"]
                .iter()
                .find_map(|f| node[f].as_str())
                .unwrap_or("?");
            format!("{}: {label}", node["__typename"].as_str().unwrap_or("?"))
        })
        .collect()
}

#[tokio::test]
async fn every_spelling_finds_the_same_base_and_the_same_man() {
    let app = spawn_app().await;
    for spelling in [
        "Hmeimim",
        "Khmeimim",
        "Humaymim",
        "ḤMEIMIM",
        "hmeim",
        "khmei",
        "Hmeymim",
        "Hmeimin",
        "Khmeimim air base",
    ] {
        let found = hits(&app, spelling, Value::Null).await;
        assert_eq!(
            found.first().map(String::as_str),
            Some("Base: Hmeimim Air Base"),
            "{spelling}: {found:?}"
        );
    }
    for spelling in [
        "Jaulani",
        "Jolani",
        "al-Jolani",
        "Julani",
        "Joulani",
        "Jawlani",
        "al-Sharaa",
        "Ahmed al Sharaa",
    ] {
        let found = hits(&app, spelling, Value::Null).await;
        assert_eq!(
            found.first().map(String::as_str),
            Some("Actor: Ahmed Husein al-Sharaa"),
            "{spelling}: {found:?}"
        );
    }
    assert!(hits(&app, "Xylophone", Value::Null).await.is_empty());
}

#[tokio::test]
async fn a_name_outranks_a_mention_and_types_narrow_the_hits() {
    let app = spawn_app().await;
    let found = hits(&app, "Tartus", Value::Null).await;
    assert_eq!(found[0], "Base: Tartus naval base", "{found:?}");
    assert!(found.iter().any(|h| h.starts_with("Event: ")), "{found:?}");
    assert!(
        found.iter().any(|h| h.starts_with("Attestation: ")),
        "{found:?}"
    );
    let events = hits(&app, "Tartus", json!(["EVENT", "REPORT"])).await;
    assert!(!events.is_empty());
    assert!(
        events
            .iter()
            .all(|h| h.starts_with("Event: ") || h.starts_with("Report: ")),
        "{events:?}"
    );
    let scores: Vec<f64> = app
        .data(SEARCH, json!({ "q": "tartus", "first": 20 }))
        .await["search"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["score"].as_f64().expect("score"))
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
}

#[tokio::test]
async fn search_pages_with_cursors() {
    let app = spawn_app().await;
    let mut seen = Vec::new();
    let mut after = Value::Null;
    let total = loop {
        let data = app
            .data(SEARCH, json!({ "q": "russia", "first": 3, "after": after }))
            .await;
        let page = &data["search"];
        for edge in page["edges"].as_array().expect("edges") {
            seen.push(edge["node"]["node"]["id"].as_str().expect("id").to_owned());
        }
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            break page["totalCount"].as_u64().expect("count");
        }
        after = page["pageInfo"]["endCursor"].clone();
    };
    assert!(total > 3, "several pages: {total}");
    assert_eq!(seen.len() as u64, total);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no hit twice");
}

#[tokio::test]
async fn bad_queries_are_refused_with_a_code() {
    let app = spawn_app().await;
    let many_words: String = (0..13).map(|i| format!("word{i} ")).collect();
    for query in ["   ", "--", &many_words, &"x".repeat(201)] {
        let body = app.graphql(SEARCH, json!({ "q": query })).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query:?}: {body:#}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "query");
    }
    let body = app
        .graphql(SEARCH, json!({ "q": "tartus", "first": 101 }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    let body = app
        .graphql(SEARCH, json!({ "q": "tartus", "after": "not-a-cursor" }))
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
}

#[tokio::test]
async fn every_write_keeps_the_index_in_step() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let admin = app.token(Role::Admin).await;
    let id = app
        .created(
            &editor,
            "Base",
            json!({ "kind": "AIR_BASE", "name": "Qamishli Airport", "country": "SY" }),
        )
        .await;
    assert_eq!(
        hits(&app, "qamishli", Value::Null).await,
        ["Base: Qamishli Airport"]
    );
    // Another transliteration folds to the same terms.
    assert_eq!(
        hits(&app, "Kamishly", Value::Null).await,
        ["Base: Qamishli Airport"]
    );
    assert!(hits(&app, "Zalin", Value::Null).await.is_empty());
    let version = app.version_of(&id).await;
    let body = app
        .update(
            &editor,
            "Base",
            &id,
            version,
            json!({ "aliases": ["Beth Zalin"] }),
            "id",
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    assert_eq!(
        hits(&app, "zalin", Value::Null).await,
        ["Base: Qamishli Airport"]
    );
    let version = app.version_of(&id).await;
    let body = app.delete(&admin, "Base", &id, version).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    assert!(hits(&app, "qamishli", Value::Null).await.is_empty());
    assert!(hits(&app, "zalin", Value::Null).await.is_empty());

    // A bundle that fails leaves no document behind.
    let bundle = json!({
        "bases": [{ "key": "x-phantom", "kind": "AIR_BASE", "name": "Phantom Outpost" }],
        "deployments": [{ "key": "x-d", "asset": "x-nowhere", "base": "x-phantom" }],
    });
    let body = app
        .graphql_as(
            &editor,
            "mutation($b: JSON!) { importBundle(bundle: $b) { created } }",
            json!({ "b": bundle }),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body:#}");
    assert!(hits(&app, "phantom", Value::Null).await.is_empty());

    // Attestation excerpts are found; deleting the claim takes its attestations out.
    let source = app
        .created(
            &editor,
            "Source",
            json!({ "kind": "NEWS_SITE", "name": "Zyzzyva Blog", "reliability": "E" }),
        )
        .await;
    let report = app
        .created(
            &editor,
            "Report",
            json!({ "title": "Zyzzyva sightings", "source": source }),
        )
        .await;
    let tartus = app
        .id_of(
            r#"{ bases(filter: { name: "tartus" }) { nodes { id } } }"#,
            "/bases/nodes/0/id",
        )
        .await;
    let navy = app
        .id_of(
            r#"{ actors(filter: { name: "russian navy" }) { nodes { id } } }"#,
            "/actors/nodes/0/id",
        )
        .await;
    let tenure = app
        .created(
        &editor,
        "Tenure",
        json!({ "actor": navy, "base": tartus, "role": "TENANT",
                "attestations": [{ "report": report, "excerpt": "the zyzzyva flotilla berths here", "credibility": 5 }] }),
    )
    .await;
    let found = hits(&app, "zyzzyva", Value::Null).await;
    assert_eq!(found.len(), 3, "{found:?}");
    let attestation = app
        .data(SEARCH, json!({ "q": "flotilla", "types": ["ATTESTATION"] }))
        .await;
    assert_eq!(attestation["search"]["totalCount"], 1);
    let version = app.version_of(&tenure).await;
    let body = app.delete(&admin, "Tenure", &tenure, version).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let mut left = hits(&app, "zyzzyva", Value::Null).await;
    left.sort();
    assert_eq!(left, ["Report: Zyzzyva sightings", "Source: Zyzzyva Blog"]);
}

#[tokio::test]
async fn a_rebuild_restores_the_index_from_the_records() {
    use sea_orm::ConnectionTrait;
    let app = spawn_app().await;
    app.db
        .execute_unprepared("DELETE FROM search_document")
        .await
        .expect("empty the index");
    assert!(hits(&app, "Khmeimim", Value::Null).await.is_empty());
    assert!(
        garrison::search::needs_rebuild(&app.db)
            .await
            .expect("check")
    );
    let indexed = garrison::search::rebuild(&app.db).await.expect("rebuild");
    assert!(indexed > 50, "{indexed}");
    assert!(
        !garrison::search::needs_rebuild(&app.db)
            .await
            .expect("check")
    );
    assert_eq!(
        hits(&app, "Khmeimim", Value::Null)
            .await
            .first()
            .map(String::as_str),
        Some("Base: Hmeimim Air Base")
    );
}

/// Every row of the typo index and of which record has which term, in order.
async fn typo_index(app: &TestApp) -> (Vec<(String, String)>, Vec<(String, String, i64)>) {
    use sea_orm::ConnectionTrait;
    let rows = |sql: &str| {
        let db = app.db.clone();
        let sql = sql.to_owned();
        async move {
            db.query_all_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .expect("read the index")
        }
    };
    let keys = rows("SELECT key, term FROM search_term_key ORDER BY key, term")
        .await
        .iter()
        .map(|r| {
            (
                r.try_get("", "key").unwrap(),
                r.try_get("", "term").unwrap(),
            )
        })
        .collect();
    let terms = rows("SELECT term, entity_type, entity_id FROM search_name_term ORDER BY term, entity_type, entity_id")
        .await
        .iter()
        .map(|r| {
            (
                r.try_get("", "term").unwrap(),
                r.try_get("", "entity_type").unwrap(),
                r.try_get("", "entity_id").unwrap(),
            )
        })
        .collect();
    (keys, terms)
}

#[tokio::test]
async fn long_names_do_not_multiply_into_typo_keys() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let (before, _) = typo_index(&app).await;
    // 500 letters, no two alike side by side (spelling folds would shorten those).
    let word = |seed: usize| -> String {
        let (step, offset) = (1 + seed % 25, seed / 25);
        (0..500)
            .map(|k| char::from(b'a' + ((k * step + offset) % 26) as u8))
            .collect()
    };
    let aliases: Vec<String> = (1..=100).map(word).collect();
    app.created(
        &editor,
        "Base",
        json!({ "kind": "OUTPOST", "name": word(0), "aliases": aliases }),
    )
    .await;
    let (after, _) = typo_index(&app).await;
    // Was 50,601 keys (each 500-letter term under itself and its 500 deletions).
    assert!(
        after.len() - before.len() < 100,
        "{} typo keys for one record",
        after.len() - before.len()
    );
}

#[tokio::test]
async fn renames_and_deletes_leave_the_typo_index_as_a_rebuild_would() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let admin = app.token(Role::Admin).await;
    let id = app
        .created(
            &editor,
            "Base",
            json!({ "kind": "OUTPOST", "name": "Qwertzuiop Field", "aliases": ["Yxcvbnm Strip"] }),
        )
        .await;
    let (with_base, _) = typo_index(&app).await;
    let old_terms = |index: &[(String, String)]| {
        index
            .iter()
            .filter(|(_, term)| term.contains("rtz") || term.contains("cvbn"))
            .count()
    };
    assert!(old_terms(&with_base) > 0, "the names are indexed");
    let renamed = app
        .update(
            &editor,
            "Base",
            &id,
            1,
            json!({ "name": "Asdfghjkl Field", "aliases": [] }),
            "name",
        )
        .await;
    assert!(renamed.get("errors").is_none(), "{renamed:#}");
    let after_rename = typo_index(&app).await;
    assert_eq!(
        old_terms(&after_rename.0),
        0,
        "the old terms' keys are gone"
    );
    garrison::search::rebuild(&app.db).await.expect("rebuild");
    assert_eq!(
        typo_index(&app).await,
        after_rename,
        "as a fresh rebuild leaves it"
    );
    app.delete(&admin, "Base", &id, 2).await;
    let after_delete = typo_index(&app).await;
    garrison::search::rebuild(&app.db).await.expect("rebuild");
    assert_eq!(typo_index(&app).await, after_delete);
    assert!(!after_delete.0.iter().any(|(_, term)| term.contains("dfgh")));
}
