//! Every validation rule: a BAD_USER_INPUT naming the field path and the rule, and
//! nothing written.
use crate::helpers::{error_code, spawn_app};
use garrison::auth::Role;
use serde_json::{Value, json};

/// Sets `pointer` in `base` to `value`.
fn with(base: &Value, pointer: &str, value: Value) -> Value {
    let mut input = base.clone();
    let (parent, key) = pointer.rsplit_once('/').expect("pointer");
    let target = if parent.is_empty() {
        &mut input
    } else {
        input.pointer_mut(parent).expect("parent")
    };
    match target {
        Value::Array(items) => items[key.parse::<usize>().unwrap()] = value,
        other => {
            other[key] = value;
        }
    }
    input
}

#[tokio::test]
async fn each_rule_names_its_field() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let report = app.first_report().await;
    let actor =
        json!({ "kind": "STATE", "name": "Testland", "country": "FR", "aliases": ["Testia"] });
    let base = json!({ "kind": "AIR_BASE", "name": "Test Field", "location": { "latitude": 1.0, "longitude": 2.0 } });
    let source = json!({ "kind": "OTHER", "name": "Test", "reliability": "C", "url": "https://example.test" });
    let event = json!({ "kind": "FLIGHT", "title": "Test", "status": "REPORTED", "confidence": 50, "occurred": "2024-12",
                        "attestations": [{ "report": report, "excerpt": "x", "credibility": 3 }] });
    let long = "x".repeat(501);
    let journal = "{ changes { totalCount } }";
    let before = app.data(journal, json!({})).await;
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "Actor",
            with(&actor, "/name", json!("")),
            "input.name",
            "empty",
        ),
        (
            "Actor",
            with(&actor, "/name", json!("   ")),
            "input.name",
            "blank",
        ),
        (
            "Actor",
            with(&actor, "/name", json!(long)),
            "input.name",
            "at most 500",
        ),
        (
            "Actor",
            with(&actor, "/country", json!("XX")),
            "input.country",
            "ISO 3166-1",
        ),
        (
            "Actor",
            with(&actor, "/country", json!("fr")),
            "input.country",
            "ISO 3166-1",
        ),
        (
            "Actor",
            with(&actor, "/aliases", json!(["Testia", "TESTIA"])),
            "input.aliases[1]",
            "duplicate alias",
        ),
        (
            "Actor",
            with(&actor, "/aliases", json!(["Testland"])),
            "input.aliases[0]",
            "duplicate alias",
        ),
        (
            "Actor",
            with(&actor, "/description", json!(" ")),
            "input.description",
            "blank",
        ),
        (
            "Base",
            with(&base, "/location/latitude", json!(90.5)),
            "input.location.latitude",
            "between -90 and 90",
        ),
        (
            "Base",
            with(&base, "/location/longitude", json!(-180.5)),
            "input.location.longitude",
            "between -180 and 180",
        ),
        (
            "Base",
            with(&base, "/established", json!("2024-13")),
            "input.established",
            "EDTF",
        ),
        (
            "Source",
            with(&source, "/url", json!("ftp://example.test")),
            "input.url",
            "http(s) URL",
        ),
        (
            "Source",
            with(&source, "/url", json!("https://")),
            "input.url",
            "http(s) URL",
        ),
        (
            "Event",
            with(&event, "/confidence", json!(101)),
            "input.confidence",
            "between 0 and 100",
        ),
        (
            "Event",
            with(&event, "/confidence", json!(-1)),
            "input.confidence",
            "between 0 and 100",
        ),
        (
            "Event",
            with(&event, "/occurred", json!("last Friday")),
            "input.occurred",
            "EDTF",
        ),
        (
            "Event",
            with(&event, "/attestations", json!([])),
            "input.attestations",
            "at least one attestation",
        ),
        (
            "Event",
            with(&event, "/attestations/0/credibility", json!(7)),
            "input.attestations[0].credibility",
            "between 1 and 6",
        ),
        (
            "Event",
            with(&event, "/attestations/0/credibility", json!(0)),
            "input.attestations[0].credibility",
            "between 1 and 6",
        ),
        (
            "Event",
            with(&event, "/attestations/0/excerpt", json!("")),
            "input.attestations[0].excerpt",
            "empty",
        ),
        (
            "Event",
            with(
                &event,
                "/place",
                json!({ "location": { "latitude": -91, "longitude": 0 } }),
            ),
            "input.place.location.latitude",
            "between -90 and 90",
        ),
        (
            "Report",
            json!({ "source": "not-an-id", "title": "x" }),
            "input.source",
            "not a valid id",
        ),
        (
            "Report",
            json!({ "source": report, "title": "x" }),
            "input.source",
            "is a Report id, not a Source id",
        ),
        (
            "Report",
            json!({ "source": "U291cmNlOjE", "title": "x", "language": "English" }),
            "input.language",
            "BCP 47",
        ),
        (
            "Report",
            json!({ "source": "U291cmNlOjE", "title": "x", "published": "2025-02-30" }),
            "input.published",
            "EDTF",
        ),
    ];
    for (type_name, input, field, rule) in cases {
        let body = app.create(&editor, type_name, input.clone()).await;
        assert_eq!(
            error_code(&body),
            "BAD_USER_INPUT",
            "{type_name} {input}: {body:#}"
        );
        let error = &body["errors"][0];
        assert_eq!(
            error["extensions"]["field"], field,
            "{type_name} {input}: {body:#}"
        );
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(rule), "{type_name} {input}: {message}");
    }
    let tenure = json!({ "actor": "QWN0b3I6MQ", "base": "QmFzZTox", "role": "HOST", "validFrom": "2025", "validTo": "2024" });
    let body = app.create(&editor, "Tenure", tenure).await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "input.validFrom",
        "{body:#}"
    );
    let body = app
        .create(&editor, "Tenure", json!({ "actor": "QWN0b3I6MQ", "base": "QmFzZTox", "role": "HOST", "validFrom": "2020/2021" }))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "input.validFrom",
        "{body:#}"
    );
    // Enumerations and scalars out of range are refused before anything runs.
    for (type_name, input) in [
        ("Source", with(&source, "/reliability", json!("G"))),
        ("Event", with(&event, "/kind", json!("PICNIC"))),
    ] {
        let body = app.create(&editor, type_name, input).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body:#}");
    }
    // None of the above left anything behind, not even a journal entry.
    let counts = app
        .data(r#"{ actors(filter: { name: "Testland" }) { totalCount } events(filter: { title: "Test" }) { totalCount } }"#, json!({}))
        .await;
    assert_eq!(counts["actors"]["totalCount"], 0);
    assert_eq!(counts["events"]["totalCount"], 0);
    assert_eq!(app.data(journal, json!({})).await, before);
}

#[tokio::test]
async fn an_actor_cannot_be_its_own_ancestor() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let russia = app
        .id_of(
            r#"{ actors(filter: { kind: [STATE], country: ["RU"] }) { nodes { id } } }"#,
            "/actors/nodes/0/id",
        )
        .await;
    let navy = app
        .id_of(
            r#"{ actors(filter: { name: "Russian Navy" }) { nodes { id } } }"#,
            "/actors/nodes/0/id",
        )
        .await;
    let version = app.version_of(&russia).await;
    let body = app
        .update(
            &editor,
            "Actor",
            &russia,
            version,
            json!({ "parent": navy }),
            "id",
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body:#}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "input.parent");
}
