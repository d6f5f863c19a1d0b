//! TLP markings and clearances over real HTTP and WebSocket: what each clearance sees
//! of the seed (the satellite imagery's excerpts AMBER, the Syrian official's statement
//! GREEN), on every read path; writes above a clearance; hidden records as unknown ids;
//! the response cache and subscriptions per clearance.
use crate::helpers::{AppOptions, Received, TestApp, error_code, spawn_app_with, ws_next};
use crate::helpers::{ws_ready, ws_send};
use garrison::auth::Role;
use garrison_core::vocabulary::Marking;
use serde_json::{Value, json};
use std::time::Duration;

/// A server whose callers without a token see CLEAR records only (the default).
async fn spawn_clear() -> TestApp {
    spawn_app_with(AppOptions {
        anonymous_clearance: Marking::Clear,
        ..Default::default()
    })
    .await
}

/// Everything the seed marks, read through the nested API.
const HMEIMIM: &str = r#"{ bases(filter: { name: "Hmeimim" }) { nodes {
    tenures { totalCount nodes { role marking } }
    deployments { totalCount nodes { marking asset { name } } }
    timeline(first: 100) { totalCount nodes { kind } }
    events(first: 50) { totalCount nodes { title attestations { totalCount nodes { excerpt marking report { title } } } } }
} } }"#;

fn excerpts(data: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for event in data["bases"]["nodes"][0]["events"]["nodes"]
        .as_array()
        .unwrap()
    {
        for a in event["attestations"]["nodes"].as_array().unwrap() {
            out.push(a["excerpt"].as_str().unwrap().to_owned());
        }
    }
    out
}

fn count(data: &Value, pointer: &str) -> i64 {
    data.pointer(pointer)
        .and_then(Value::as_i64)
        .expect(pointer)
}

#[tokio::test]
async fn each_clearance_sees_the_seed_marked_as_the_article_suggests() {
    let app = spawn_clear().await;
    let green = app.token_cleared(Role::Reader, Marking::Green).await;
    let amber = app.token_cleared(Role::Reader, Marking::Amber).await;

    let clear = app.data(HMEIMIM, json!({})).await;
    let green = app.data_as(&green, HMEIMIM, json!({})).await;
    let amber = app.data_as(&amber, HMEIMIM, json!({})).await;

    // The imagery's excerpts are AMBER: only the AMBER reader sees them.
    let imagery = |data: &Value| {
        excerpts(data)
            .iter()
            .filter(|e| {
                e.starts_with("Satellite footage from Friday showed at least two An-124 planes ...")
            })
            .count()
    };
    assert_eq!(imagery(&clear), 0);
    assert_eq!(imagery(&green), 0);
    assert_eq!(imagery(&amber), 1);
    // The deployment of the An-124s rests on the imagery alone.
    let deployments = "/bases/nodes/0/deployments/totalCount";
    assert_eq!(count(&amber, deployments), count(&clear, deployments) + 1);
    assert_eq!(count(&green, deployments), count(&clear, deployments));
    // The interim government's control of the base rests on the official's statement
    // (GREEN): GREEN and AMBER readers see it, CLEAR ones do not.
    let tenures = "/bases/nodes/0/tenures/totalCount";
    assert_eq!(count(&green, tenures), count(&clear, tenures) + 1);
    assert_eq!(count(&amber, tenures), count(&green, tenures));
    let roles = |data: &Value| -> Vec<String> {
        data["bases"]["nodes"][0]["tenures"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["role"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(!roles(&clear).contains(&"CONTROLLER".to_owned()));
    assert!(roles(&green).contains(&"CONTROLLER".to_owned()));
    // The timeline counts only what its reader sees.
    let timeline = "/bases/nodes/0/timeline/totalCount";
    assert!(count(&clear, timeline) < count(&green, timeline));
    assert!(count(&green, timeline) < count(&amber, timeline));
    // Events stay (each has a CLEAR attestation), their hidden evidence does not.
    let events = "/bases/nodes/0/events/totalCount";
    assert_eq!(count(&clear, events), count(&amber, events));
    let text = clear.to_string();
    assert!(!text.contains("AMBER") && !text.contains("GREEN"), "{text}");
    assert!(!text.contains("Statement on An-124 departures from Hmeimim"));
}

#[tokio::test]
async fn hidden_records_are_unknown_ids_on_every_lookup() {
    let app = spawn_clear().await;
    let red = app.token(Role::Reader).await;
    let hidden = app
        .data_as(
            &red,
            r#"{ reports(filter: { title: "Statement on An-124" }) { nodes { id } } }"#,
            json!({}),
        )
        .await["reports"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lookups = app
        .data(
            "query($id: ID!) { report(id: $id) { title } node(id: $id) { id } nodes(ids: [$id, $id]) { id } }",
            json!({ "id": hidden }),
        )
        .await;
    assert_eq!(
        lookups,
        json!({ "report": null, "node": null, "nodes": [null, null] })
    );
    // The same lookups with a clearance that admits it find it.
    let seen = app
        .data_as(
            &red,
            "query($id: ID!) { report(id: $id) { title marking } }",
            json!({ "id": hidden }),
        )
        .await;
    assert_eq!(seen["report"]["marking"], "GREEN");
}

#[tokio::test]
async fn hidden_rows_never_count_move_a_cursor_or_match_a_search() {
    let app = spawn_clear().await;
    let red = app.token(Role::Reader).await;
    let all = "{ reports { totalCount } attestations: search(query: \"satellite footage\", types: [ATTESTATION]) { totalCount } }";
    let everything = app.data_as(&red, all, json!({})).await;
    let cleared = app.data(all, json!({})).await;
    assert_eq!(
        count(&cleared, "/reports/totalCount") + 1,
        count(&everything, "/reports/totalCount")
    );
    assert!(
        count(&cleared, "/attestations/totalCount")
            < count(&everything, "/attestations/totalCount")
    );
    // Paging one by one visits exactly the visible reports.
    let mut after: Option<String> = None;
    let mut titles = Vec::new();
    loop {
        let page = app
            .data(
                "query($after: String) { reports(first: 1, after: $after) { nodes { title } pageInfo { hasNextPage endCursor } } }",
                json!({ "after": after }),
            )
            .await;
        titles.push(
            page["reports"]["nodes"][0]["title"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        if !page["reports"]["pageInfo"]["hasNextPage"]
            .as_bool()
            .unwrap()
        {
            break;
        }
        after = page["reports"]["pageInfo"]["endCursor"]
            .as_str()
            .map(str::to_owned);
    }
    assert_eq!(titles.len() as i64, count(&cleared, "/reports/totalCount"));
    assert!(!titles.iter().any(|t| t.starts_with("Statement on An-124")));
    // Search hits of hidden records are neither listed nor counted.
    let hits = app
        .data(
            "{ search(query: \"Statement on An-124 departures\", types: [REPORT]) { totalCount nodes { node { ... on Report { title } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(hits["search"]["totalCount"], 0, "{hits}");
}

#[tokio::test]
async fn the_journal_shows_only_entries_of_records_the_reader_may_see() {
    let app = spawn_clear().await;
    let amber = app.token_cleared(Role::Reader, Marking::Amber).await;
    let feed = "{ changes(first: 100, types: [\"Deployment\", \"Report\", \"Attestation\"]) { totalCount nodes { entityType marking fields { field oldValue newValue } } } }";
    let clear = app.data(feed, json!({})).await;
    let amber = app.data_as(&amber, feed, json!({})).await;
    assert!(count(&clear, "/changes/totalCount") < count(&amber, "/changes/totalCount"));
    let text = clear.to_string();
    assert!(!text.contains("Satellite footage from Friday showed at least two An-124 planes ..."));
    assert!(!text.contains("Statement on An-124 departures"));
    assert!(amber.to_string().contains("Statement on An-124 departures"));
}

#[tokio::test]
async fn no_one_writes_above_their_clearance_or_learns_of_hidden_records() {
    let app = spawn_clear().await;
    let green = app.token_cleared(Role::Editor, Marking::Green).await;
    let red = app.token(Role::Admin).await;
    // A marking above the writer's clearance is refused.
    let above = app
        .create(
            &green,
            "Actor",
            json!({ "kind": "PERSON", "name": "A. Source", "marking": "AMBER" }),
        )
        .await;
    assert_eq!(error_code(&above), "FORBIDDEN", "{above}");
    let within = app
        .created(
            &green,
            "Actor",
            json!({ "kind": "PERSON", "name": "A. Source", "marking": "GREEN" }),
        )
        .await;
    let marked = app
        .data_as(
            &green,
            "query($id: ID!) { actor(id: $id) { marking } }",
            json!({ "id": within }),
        )
        .await;
    assert_eq!(marked["actor"]["marking"], "GREEN");
    // A RED record is unknown to a GREEN editor: updating it is NOT_FOUND, and its
    // name is free (a duplicate of a hidden record is as if it did not exist).
    let secret = app
        .created(
            &red,
            "Actor",
            json!({ "kind": "PERSON", "name": "Agent Seven", "marking": "RED" }),
        )
        .await;
    let version = 1;
    let update = app
        .update(
            &green,
            "Actor",
            &secret,
            version,
            json!({ "name": "Agent Eight" }),
            "id",
        )
        .await;
    assert_eq!(error_code(&update), "NOT_FOUND", "{update}");
    assert!(!update.to_string().contains("Agent Seven"));
    let twin = app
        .create(
            &green,
            "Actor",
            json!({ "kind": "PERSON", "name": "Agent Seven" }),
        )
        .await;
    assert!(twin.get("errors").is_none(), "{twin}");
    // A hidden reference is an unknown id.
    let owned = app
        .create(
            &green,
            "Asset",
            json!({ "kind": "UNIT", "name": "Cell", "owner": secret }),
        )
        .await;
    assert_eq!(error_code(&owned), "NOT_FOUND", "{owned}");
    // A token's clearance is at most its creator's.
    let green_admin = app.token_cleared(Role::Admin, Marking::Green).await;
    let token = app
        .graphql_as(
            &green_admin,
            "mutation { createToken(name: \"more\", role: READER, clearance: AMBER) { token } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&token), "FORBIDDEN", "{token}");
}

#[tokio::test]
async fn a_delete_blocked_by_hidden_records_names_none_of_them() {
    let app = spawn_clear().await;
    let red = app.token(Role::Admin).await;
    let green = app.token_cleared(Role::Admin, Marking::Green).await;
    let owner = app
        .created(
            &green,
            "Actor",
            json!({ "kind": "STATE", "name": "Ruritania" }),
        )
        .await;
    let asset = app
        .created(
            &red,
            "Asset",
            json!({ "kind": "UNIT", "name": "Black Unit", "owner": owner, "marking": "RED" }),
        )
        .await;
    let refused = app.delete(&green, "Actor", &owner, 1).await;
    assert_eq!(error_code(&refused), "CONFLICT", "{refused}");
    let text = refused.to_string();
    assert!(text.contains("records you cannot see"), "{text}");
    assert!(!text.contains(&asset), "{text}");
}

#[tokio::test]
async fn the_response_cache_keeps_an_answer_per_clearance() {
    let app = spawn_clear().await;
    let amber = app.token_cleared(Role::Reader, Marking::Amber).await;
    let query = "{ attestations: search(query: \"satellite footage Friday\", types: [ATTESTATION]) { nodes { node { ... on Attestation { excerpt marking } } } } }";
    for _ in 0..3 {
        let seen = app.data_as(&amber, query, json!({})).await;
        assert!(seen.to_string().contains("AMBER"), "{seen}");
    }
    for _ in 0..3 {
        let clear = app.data(query, json!({})).await;
        assert!(!clear.to_string().contains("AMBER"), "{clear}");
    }
}

#[tokio::test]
async fn subscribers_get_only_what_their_clearance_allows() {
    let app = spawn_clear().await;
    let red = app.token(Role::Editor).await;
    let amber = app.token_cleared(Role::Reader, Marking::Amber).await;
    let subscribe = json!({ "id": "1", "type": "subscribe", "payload": { "query": "subscription { eventReported { title } }" } });
    let mut anonymous = ws_ready(&app.address, None).await;
    ws_send(&mut anonymous, subscribe.clone()).await;
    let mut cleared = ws_ready(&app.address, Some(&amber)).await;
    ws_send(&mut cleared, subscribe).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let reports = app
        .data_as(
            &red,
            "{ reports(first: 20) { nodes { id title } } }",
            json!({}),
        )
        .await;
    let report = reports["reports"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == "Satellite footage of Hmeimim air base")
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .expect("imagery report");
    let event = |title: &str, marking: &str| {
        json!({ "kind": "FLIGHT", "title": title, "status": "REPORTED",
                "attestations": [{ "report": report, "excerpt": title, "credibility": 2, "marking": marking }] })
    };
    app.created(&red, "Event", event("Amber sighting", "AMBER"))
        .await;
    app.created(&red, "Event", event("Clear sighting", "CLEAR"))
        .await;
    let title = |received: Received| match received {
        Received::Json(message) => message["payload"]["data"]["eventReported"]["title"].clone(),
        _ => panic!("expected a message"),
    };
    let wait = Duration::from_secs(5);
    assert_eq!(title(ws_next(&mut cleared, wait).await), "Amber sighting");
    assert_eq!(title(ws_next(&mut cleared, wait).await), "Clear sighting");
    // The anonymous subscriber's first event is the CLEAR one: the AMBER one was held back.
    assert_eq!(title(ws_next(&mut anonymous, wait).await), "Clear sighting");
}

#[tokio::test]
async fn a_hidden_parent_is_null_everywhere_and_filters_by_it_match_nothing() {
    let app = spawn_clear().await;
    let red = app.token(Role::Admin).await;
    let clear = app.token_cleared(Role::Editor, Marking::Clear).await;
    let parent = app
        .created(
            &red,
            "Actor",
            json!({ "kind": "ARMED_FORCES", "name": "Hidden Command", "marking": "RED" }),
        )
        .await;
    let child = app
        .created(
            &red,
            "Actor",
            json!({ "kind": "ARMED_FORCES", "name": "Open Brigade", "parent": parent }),
        )
        .await;
    let seen = app
        .data(
            "query($id: ID!, $parent: ID!) { actor(id: $id) { parent { id } history { nodes { fields { field newValue } } } }
               actors(filter: { parent: $parent }) { totalCount }
               events(filter: { actor: $parent }) { totalCount } }",
            json!({ "id": child, "parent": parent }),
        )
        .await;
    assert_eq!(seen["actor"]["parent"], Value::Null);
    assert_eq!(seen["actors"]["totalCount"], 0);
    assert_eq!(seen["events"]["totalCount"], 0);
    let fields = &seen["actor"]["history"]["nodes"][0]["fields"];
    let parent_field = fields
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "parent")
        .expect("the create lists the parent");
    assert_eq!(parent_field["newValue"], Value::Null, "{fields}");
    assert!(!seen.to_string().contains(&parent));
    // Its writer may still edit it: the cycle check walks the hidden parent unnamed.
    let edited = app
        .update(
            &clear,
            "Actor",
            &child,
            1,
            json!({ "description": "edited" }),
            "id",
        )
        .await;
    assert!(edited.get("errors").is_none(), "{edited}");
}

#[tokio::test]
async fn a_participation_is_only_ever_read_as_its_own_kind() {
    let app = spawn_clear().await;
    let red = app.token(Role::Reader).await;
    let participation = app
        .data_as(
            &red,
            "{ events(first: 1) { nodes { actors(first: 1) { nodes { id } } } } }",
            json!({}),
        )
        .await["events"]["nodes"][0]["actors"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The same row id, asked for as an asset or base participation, is unknown.
    let (_, row) = garrison_core::ids::decode_id(&participation).expect("a global id");
    for kind in ["EventAsset", "EventBase"] {
        let other = garrison_core::ids::encode_id(kind, row);
        let node = app
            .graphql_as(
                &red,
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": other }),
            )
            .await;
        assert_eq!(node["data"]["node"], Value::Null, "{kind}: {node}");
    }
}

#[tokio::test]
async fn a_delete_that_would_take_hidden_evidence_with_it_is_refused() {
    let app = spawn_clear().await;
    let red = app.token(Role::Admin).await;
    let clear = app.token_cleared(Role::Admin, Marking::Clear).await;
    let source = app
        .created(&red, "Source", json!({ "kind": "OFFICIAL", "name": "Closed channel", "reliability": "C", "marking": "AMBER" }))
        .await;
    let hidden = app
        .created(
            &red,
            "Report",
            json!({ "title": "Closed report", "source": source }),
        )
        .await;
    let open = app.first_report().await;
    // Both attestations are CLEAR, but one rests on a report of a hidden source.
    let event = app
        .created(
            &red,
            "Event",
            json!({ "kind": "MOVEMENT", "title": "Convoy", "status": "REPORTED", "attestations": [
                { "report": open, "excerpt": "open", "credibility": 3 },
                { "report": hidden, "excerpt": "closed", "credibility": 3 } ] }),
        )
        .await;
    let refused = app.delete(&clear, "Event", &event, 1).await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    assert!(!refused.to_string().contains("closed"));
    let seen = app
        .data(
            "query($id: ID!) { event(id: $id) { attestations { totalCount } } }",
            json!({ "id": event }),
        )
        .await;
    assert_eq!(seen["event"]["attestations"]["totalCount"], 1);
}

#[tokio::test]
async fn location_at_and_geojson_follow_the_clearance() {
    let app = spawn_clear().await;
    let red = app.token(Role::Admin).await;
    let amber = app.token_cleared(Role::Reader, Marking::Amber).await;
    let located = r#"{ assets(filter: { name: "An-124" }) { nodes { locationAt(date: "2024-12-14") { base { name } } } } }"#;
    let clear = app.data(located, json!({})).await;
    assert_eq!(
        clear["assets"]["nodes"][0]["locationAt"],
        json!([]),
        "{clear}"
    );
    let seen = app.data_as(&amber, located, json!({})).await;
    assert_eq!(
        seen["assets"]["nodes"][0]["locationAt"][0]["base"]["name"],
        "Hmeimim Air Base"
    );
    // An AMBER event with a place is on the AMBER reader's map only.
    let report = app.first_report().await;
    app.created(
        &red,
        "Event",
        json!({ "kind": "MOVEMENT", "title": "Amber convoy", "status": "REPORTED", "marking": "AMBER",
                "place": { "location": { "latitude": 35.1, "longitude": 36.1, "precision": "EXACT" } },
                "attestations": [{ "report": report, "excerpt": "convoy", "credibility": 3 }] }),
    )
    .await;
    let map = |token: Option<String>| {
        let app = &app;
        async move {
            let mut request = reqwest::Client::new().get(format!("{}/geojson/events", app.address));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request.send().await.unwrap().text().await.unwrap()
        }
    };
    assert!(!map(None).await.contains("Amber convoy"));
    assert!(map(Some(amber)).await.contains("Amber convoy"));
}
