//! Generated queries as callers of low clearance over records with random markings:
//! no answer may contain the id, name or excerpt of a record marked above the caller's
//! clearance (the JSON is scanned as text, whatever the query asked for).
use crate::helpers::{AppOptions, TestApp, spawn_app_with};
use garrison::auth::Role;
use garrison_core::vocabulary::Marking;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

const MARKINGS: [(&str, Marking); 5] = [
    ("CLEAR", Marking::Clear),
    ("GREEN", Marking::Green),
    ("AMBER", Marking::Amber),
    ("AMBER_STRICT", Marking::AmberStrict),
    ("RED", Marking::Red),
];

/// A text written into a record, its marking, and the record's id.
struct Written {
    text: String,
    id: String,
    marking: Marking,
}

/// Actors, bases, assets, sources, reports and events, each marked at random, with
/// names and excerpts that say which record they belong to.
async fn generated(app: &TestApp, token: &str) -> Vec<Written> {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut written = Vec::new();
    let pick = |rng: &mut rand_chacha::ChaCha8Rng| MARKINGS[rng.random_range(0..MARKINGS.len())];
    let record = |written: &mut Vec<Written>, text: String, id: String, marking: Marking| {
        written.push(Written { text, id, marking });
    };
    for i in 0..6 {
        let (label, marking) = pick(&mut rng);
        let name = format!("Marked actor {label} {i}");
        let id = app
            .created(
                token,
                "Actor",
                json!({ "kind": "STATE", "name": name, "marking": label }),
            )
            .await;
        record(&mut written, name, id.clone(), marking);
        let (label, marking) = pick(&mut rng);
        let base = format!("Marked base {label} {i}");
        let base_id = app
            .created(
                token,
                "Base",
                json!({ "kind": "AIR_BASE", "name": base, "marking": label,
                        "location": { "latitude": 35.0 + i as f64 / 10.0, "longitude": 36.0, "precision": "EXACT" } }),
            )
            .await;
        record(&mut written, base, base_id.clone(), marking);
        let (label, marking) = pick(&mut rng);
        let source = format!("Marked source {label} {i}");
        let source_id = app
            .created(
                token,
                "Source",
                json!({ "kind": "OFFICIAL", "name": source, "reliability": "C", "marking": label }),
            )
            .await;
        record(&mut written, source, source_id.clone(), marking);
        let (label, marking) = pick(&mut rng);
        let title = format!("Marked report {label} {i}");
        let report_id = app
            .created(
                token,
                "Report",
                json!({ "title": title, "source": source_id, "marking": label }),
            )
            .await;
        record(&mut written, title, report_id.clone(), marking);
        let (label, marking) = pick(&mut rng);
        let excerpt = format!("Marked excerpt {label} {i}");
        let (event_label, event_marking) = pick(&mut rng);
        let title = format!("Marked event {event_label} {i}");
        let event = app
            .created(
                token,
                "Event",
                json!({ "kind": "MOVEMENT", "title": title, "status": "REPORTED", "marking": event_label,
                        "occurred": "2024-12", "place": { "location": { "latitude": 35.0, "longitude": 36.0, "precision": "EXACT" } },
                        "actors": [{ "actor": id, "role": "PERFORMER" }],
                        "bases": [{ "base": base_id, "role": "LOCATION" }],
                        "attestations": [{ "report": report_id, "excerpt": excerpt, "credibility": 3, "marking": label }] }),
            )
            .await;
        record(&mut written, title, event, event_marking);
        written.push(Written {
            text: excerpt,
            id: String::new(),
            marking,
        });
    }
    written
}

/// A query from pieces: a root list or search, and nested selections.
fn query() -> impl Strategy<Value = String> {
    let nested = prop::sample::subsequence(
        vec![
            "events(first: 20) { totalCount nodes { title attestations { nodes { excerpt report { title source { name } } } } } }",
            "tenures { nodes { actor { name } } }",
            "timeline(first: 50) { totalCount nodes { kind event { title } } }",
            "history { nodes { fields { field oldValue newValue } } }",
        ],
        0..=2,
    );
    let root = prop::sample::select(vec![
        ("actors", "name", "events(first: 20) { nodes { title } }"),
        ("bases", "name", ""),
        (
            "sources",
            "name",
            "reports { nodes { title attestations { nodes { excerpt } } } }",
        ),
        ("reports", "title", "attestations { nodes { excerpt } }"),
        (
            "events",
            "title",
            "attestations { nodes { excerpt } } actors { nodes { actor { name } } }",
        ),
    ]);
    let search = prop::sample::select(vec![
        "marked",
        "marked excerpt",
        "marked event",
        "marked actor",
    ]);
    prop_oneof![
        (root, nested, 1..=50usize).prop_map(|((field, name, own), nested, first)| {
            let nested = if field == "bases" || field == "actors" { nested.join(" ") } else { String::new() };
            format!("{{ {field}(first: {first}) {{ totalCount edges {{ cursor node {{ id {name} {own} {nested} }} }} }} }}")
        }),
        search.prop_map(|text| format!(
            "{{ search(query: \"{text}\", first: 50) {{ totalCount nodes {{ node {{ id \
             ... on Actor {{ name }} ... on Event {{ title }} ... on Attestation {{ excerpt }} \
             ... on Report {{ title }} ... on Source {{ name }} ... on Base {{ name }} }} }} }} }}"
        )),
        Just("{ changes(first: 100) { nodes { entityId fields { field oldValue newValue } entity { id } } } }".to_owned()),
        Just("{ events(filter: { near: { latitude: 35.0, longitude: 36.0, radiusKm: 100 } }, first: 50) { totalCount nodes { title } } }".to_owned()),
    ]
}

#[test]
fn no_answer_reveals_a_record_above_the_callers_clearance() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (app, written, tokens) = runtime.block_on(async {
        let app = spawn_app_with(AppOptions {
            anonymous_clearance: Marking::Clear,
            ..Default::default()
        })
        .await;
        let admin = app.token(Role::Admin).await;
        let written = generated(&app, &admin).await;
        let green = app.token_cleared(Role::Reader, Marking::Green).await;
        let amber = app.token_cleared(Role::Reader, Marking::Amber).await;
        let tokens = vec![
            (None, Marking::Clear),
            (Some(green), Marking::Green),
            (Some(amber), Marking::Amber),
        ];
        (app, written, tokens)
    });
    assert!(
        written.iter().any(|w| w.marking > Marking::Amber),
        "some records are above every caller"
    );
    let mut runner = TestRunner::new(Config {
        cases: 40,
        ..Config::default()
    });
    runner
        .run(&(query(), 0..tokens.len()), |(query, caller)| {
            let (token, clearance) = &tokens[caller];
            let body: Value = runtime.block_on(async {
                match token {
                    Some(t) => app.graphql_as(t, &query, json!({})).await,
                    None => app.graphql(&query, json!({})).await,
                }
            });
            prop_assert!(body.get("errors").is_none(), "{query}: {body}");
            let text = body.to_string();
            for hidden in written.iter().filter(|w| w.marking > *clearance) {
                prop_assert!(
                    !text.contains(&hidden.text),
                    "{query} as {clearance:?} shows {}",
                    hidden.text
                );
                if !hidden.id.is_empty() {
                    prop_assert!(
                        !text.contains(&hidden.id),
                        "{query} as {clearance:?} shows {}",
                        hidden.id
                    );
                }
            }
            Ok(())
        })
        .unwrap();
}
