//! Mutations: every type created, patched and deleted, with the delete rules.
use crate::helpers::{error_code, spawn_app};
use garrison::auth::Role;
use serde_json::{Value, json};

/// The record ids of a small graph built through the API.
struct Graph {
    source: String,
    report: String,
    state: String,
    army: String,
    base: String,
    asset: String,
    event: String,
    tenure: String,
    deployment: String,
}

async fn build_graph(app: &crate::helpers::TestApp, editor: &str) -> Graph {
    let source = app
        .created(editor, "Source", json!({ "kind": "NEWS_AGENCY", "name": "Test Wire", "reliability": "B", "url": "https://wire.test" }))
        .await;
    let report = app
        .created(editor, "Report", json!({ "source": source, "title": "Planes seen", "published": "2025-02", "language": "en" }))
        .await;
    let state = app
        .created(editor, "Actor", json!({ "kind": "STATE", "name": "Freedonia", "country": "FR", "aliases": ["Fredonia"] }))
        .await;
    let army = app
        .created(editor, "Actor", json!({ "kind": "ARMED_FORCES", "name": "Freedonian Army", "country": "FR", "parent": state }))
        .await;
    let base = app
        .created(editor, "Base", json!({ "kind": "AIR_BASE", "name": "Test Field", "country": "FR", "aliases": ["Champ d'essai"],
                                          "location": { "latitude": 43.5, "longitude": 1.4, "precision": "EXACT" }, "established": "1971" }))
        .await;
    let asset = app
        .created(
            editor,
            "Asset",
            json!({ "kind": "AIRCRAFT", "name": "Test transports", "model": "An-124", "owner": army,
                                           "quantity": { "value": 2, "qualifier": "AT_LEAST" } }),
        )
        .await;
    let event = app
        .created(editor, "Event", json!({
            "kind": "FLIGHT", "title": "Transports leave Test Field", "status": "REPORTED", "occurred": "2025-02-03~",
            "confidence": 60, "place": { "name": "Test Field", "country": "FR", "location": { "latitude": 43.5, "longitude": 1.4 } },
            "attestations": [{ "report": report, "excerpt": "two transports left", "credibility": 2 }],
            "actors": [{ "actor": army, "role": "PERFORMER" }],
            "assets": [{ "asset": asset, "role": "SUBJECT" }],
            "bases": [{ "base": base, "role": "ORIGIN" }]
        }))
        .await;
    let tenure = app
        .created(editor, "Tenure", json!({ "actor": army, "base": base, "role": "OPERATOR", "validFrom": "2015", "basis": "a treaty",
                                            "attestations": [{ "report": report, "excerpt": "the army runs the field", "credibility": 3 }] }))
        .await;
    let deployment = app
        .created(editor, "Deployment", json!({ "asset": asset, "base": base, "validFrom": "2025-01", "validTo": "2025-02-03" }))
        .await;
    Graph {
        source,
        report,
        state,
        army,
        base,
        asset,
        event,
        tenure,
        deployment,
    }
}

#[tokio::test]
async fn created_records_are_linked_both_ways() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let g = build_graph(&app, &editor).await;
    let data = app
        .data(
            "query($id: ID!) { event(id: $id) { title version occurred { edtf approximate }
                 place { name location { latitude } }
                 actors { nodes { role actor { name parent { name aliases } } } }
                 assets { nodes { role asset { name quantity { value qualifier } owner { name } } } }
                 bases { nodes { role base { name aliases location { latitude precision } tenures { nodes { role validFrom { edtf } attestations { nodes { credibility } } } } } } }
                 attestations { nodes { excerpt credibility stance report { title source { name reliability } } } } } }",
            json!({ "id": g.event }),
        )
        .await;
    let e = &data["event"];
    assert_eq!(e["version"], 1);
    assert_eq!(
        e["occurred"],
        json!({ "edtf": "2025-02-03~", "approximate": true })
    );
    assert_eq!(
        e["actors"]["nodes"][0]["actor"]["parent"],
        json!({ "name": "Freedonia", "aliases": ["Fredonia"] })
    );
    assert_eq!(
        e["assets"]["nodes"][0]["asset"]["quantity"],
        json!({ "value": 2, "qualifier": "AT_LEAST" })
    );
    let base = &e["bases"]["nodes"][0]["base"];
    assert_eq!(base["aliases"], json!(["Champ d'essai"]));
    assert_eq!(
        base["tenures"]["nodes"][0]["attestations"]["nodes"][0]["credibility"],
        3
    );
    let attestation = &e["attestations"]["nodes"][0];
    assert_eq!(attestation["stance"], "ASSERTS");
    assert_eq!(
        attestation["report"]["source"],
        json!({ "name": "Test Wire", "reliability": "B" })
    );
    let deployments = app
        .data("query($id: ID!) { asset(id: $id) { deployments { nodes { validFrom { edtf } validTo { edtf } } } } }", json!({ "id": g.asset }))
        .await;
    assert_eq!(
        deployments["asset"]["deployments"]["nodes"][0],
        json!({ "validFrom": { "edtf": "2025-01" }, "validTo": { "edtf": "2025-02-03" } })
    );
    // Relationship records have their own mutations too.
    let participant = app
        .created(
            &editor,
            "EventActor",
            json!({ "event": g.event, "actor": g.state, "role": "STATEMENT_BY" }),
        )
        .await;
    let attestation = app
        .created(&editor, "Attestation", json!({ "claim": g.deployment, "report": g.report, "excerpt": "seen on imagery", "credibility": 2, "stance": "ASSERTS" }))
        .await;
    let check = app
        .data(
            "query($p: ID!, $a: ID!) { p: node(id: $p) { ... on EventActor { role actor { name } event { title } } }
                                       a: node(id: $a) { ... on Attestation { claim { ... on Deployment { asset { name } } } } } }",
            json!({ "p": participant, "a": attestation }),
        )
        .await;
    assert_eq!(
        check["p"],
        json!({ "role": "STATEMENT_BY", "actor": { "name": "Freedonia" }, "event": { "title": "Transports leave Test Field" } })
    );
    assert_eq!(check["a"]["claim"]["asset"]["name"], "Test transports");
}

#[tokio::test]
async fn updates_patch_only_what_they_name() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let g = build_graph(&app, &editor).await;
    let fields = "name country description aliases version parent { name }";
    // An omitted field stays; a given one changes; the version moves on.
    let body = app
        .update(
            &editor,
            "Actor",
            &g.army,
            1,
            json!({ "description": "land forces" }),
            fields,
        )
        .await;
    assert_eq!(
        body["data"]["updateActor"]["actor"],
        json!({ "name": "Freedonian Army", "country": "FR", "description": "land forces", "aliases": [], "version": 2, "parent": { "name": "Freedonia" } })
    );
    // An explicit null clears a nullable field.
    let body = app
        .update(
            &editor,
            "Actor",
            &g.army,
            2,
            json!({ "country": null, "parent": null, "aliases": ["FA"] }),
            fields,
        )
        .await;
    assert_eq!(
        body["data"]["updateActor"]["actor"],
        json!({ "name": "Freedonian Army", "country": null, "description": "land forces", "aliases": ["FA"], "version": 3, "parent": null })
    );
    // A required field cannot be cleared.
    let body = app
        .update(
            &editor,
            "Actor",
            &g.army,
            3,
            json!({ "name": null }),
            fields,
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "input.name");
    // A patch that changes nothing keeps the version.
    let body = app
        .update(
            &editor,
            "Actor",
            &g.army,
            3,
            json!({ "name": "Freedonian Army" }),
            "version",
        )
        .await;
    assert_eq!(body["data"]["updateActor"]["actor"]["version"], 3);
    // One end of a validity interval changes; the other stays.
    let body = app
        .update(
            &editor,
            "Tenure",
            &g.tenure,
            1,
            json!({ "validTo": "2024-12" }),
            "validFrom { edtf } validTo { edtf } basis",
        )
        .await;
    assert_eq!(
        body["data"]["updateTenure"]["tenure"],
        json!({ "validFrom": { "edtf": "2015" }, "validTo": { "edtf": "2024-12" }, "basis": "a treaty" })
    );
    // Every other type takes a patch too.
    let cases = [
        (
            "Source",
            &g.source,
            json!({ "reliability": "C" }),
            "reliability",
            json!({ "reliability": "C" }),
        ),
        (
            "Report",
            &g.report,
            json!({ "via": "a local contact", "url": null }),
            "via url",
            json!({ "via": "a local contact", "url": null }),
        ),
        (
            "Base",
            &g.base,
            json!({ "region": "Occitanie", "location": null }),
            "region location { latitude }",
            json!({ "region": "Occitanie", "location": null }),
        ),
        (
            "Asset",
            &g.asset,
            json!({ "quantity": { "value": 3, "qualifier": "EXACT" } }),
            "quantity { value }",
            json!({ "quantity": { "value": 3 } }),
        ),
        (
            "Event",
            &g.event,
            json!({ "status": "CONFIRMED", "confidence": 90 }),
            "status confidence",
            json!({ "status": "CONFIRMED", "confidence": 90 }),
        ),
        (
            "Deployment",
            &g.deployment,
            json!({ "validTo": null }),
            "validTo { edtf }",
            json!({ "validTo": null }),
        ),
    ];
    for (type_name, id, input, fields, expected) in cases {
        let body = app.update(&editor, type_name, id, 1, input, fields).await;
        let payload =
            &body["data"][format!("update{type_name}")][crate::helpers::payload_field(type_name)];
        assert_eq!(payload, &expected, "{type_name}: {body:#}");
    }
}

#[tokio::test]
async fn deletes_restrict_or_cascade_as_documented() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let admin = app.token(Role::Admin).await;
    let g = build_graph(&app, &editor).await;
    // Restricted while referenced: the CONFLICT lists what refers to it.
    for (type_name, id, blocker) in [
        ("Source", &g.source, &g.report),
        ("Actor", &g.state, &g.army),
        ("Base", &g.base, &g.tenure),
        ("Asset", &g.asset, &g.deployment),
    ] {
        let body = app.delete(&admin, type_name, id, 1).await;
        assert_eq!(error_code(&body), "CONFLICT", "{type_name}: {body:#}");
        let by = body["errors"][0]["extensions"]["referencedBy"]
            .as_array()
            .expect("referencedBy");
        assert!(by.contains(&json!(blocker)), "{type_name}: {body:#}");
    }
    // An event's only attestation cannot go.
    let only = app
        .data(
            "query($id: ID!) { event(id: $id) { attestations { nodes { id version } } } }",
            json!({ "id": g.event }),
        )
        .await["event"]["attestations"]["nodes"][0]
        .clone();
    let body = app
        .delete(&admin, "Attestation", only["id"].as_str().unwrap(), 1)
        .await;
    assert_eq!(error_code(&body), "CONFLICT");
    // Deleting an event takes its participants and attestations, never its report.
    let body = app.delete(&admin, "Event", &g.event, 1).await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let after = app
        .data(
            "query($e: ID!, $a: ID!, $r: ID!) { event(id: $e) { id } attestation: node(id: $a) { id }
               report(id: $r) { attestations { totalCount } } }",
            json!({ "e": g.event, "a": only["id"], "r": g.report }),
        )
        .await;
    assert_eq!(after["event"], Value::Null);
    assert_eq!(after["attestation"], Value::Null);
    assert_eq!(
        after["report"]["attestations"]["totalCount"], 1,
        "the tenure's attestation stays"
    );
    // Then the rest, leaves first.
    for (type_name, id) in [
        ("Tenure", &g.tenure),
        ("Deployment", &g.deployment),
        ("Asset", &g.asset),
        ("Base", &g.base),
        ("Actor", &g.army),
        ("Actor", &g.state),
        ("Report", &g.report),
        ("Source", &g.source),
    ] {
        let body = app
            .delete(&admin, type_name, id, app.version_of(id).await)
            .await;
        assert!(body.get("errors").is_none(), "{type_name}: {body:#}");
        let gone = app
            .data(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(gone["node"], Value::Null, "{type_name}");
    }
}

#[tokio::test]
async fn names_are_unique_per_kind_and_place_unless_merged() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let hmeimim = app
        .id_of(
            r#"{ bases(filter: { name: "Hmeimim" }) { nodes { id } } }"#,
            "/bases/nodes/0/id",
        )
        .await;
    // "Khmeimim" is an alias of the seeded Hmeimim Air Base (SY): a CONFLICT naming it.
    let input = json!({ "kind": "AIR_BASE", "name": "Khmeimim", "country": "SY", "region": "Latakia Governorate", "aliases": ["Hmeimim airfield"] });
    let body = app.create(&editor, "Base", input.clone()).await;
    assert_eq!(error_code(&body), "CONFLICT", "{body:#}");
    assert_eq!(
        body["errors"][0]["extensions"]["existingId"],
        json!(hmeimim)
    );
    // The same name elsewhere is another base.
    let elsewhere = app
        .create(
            &editor,
            "Base",
            json!({ "kind": "AIR_BASE", "name": "Khmeimim", "country": "LY" }),
        )
        .await;
    assert!(elsewhere.get("errors").is_none(), "{elsewhere:#}");
    // merge: true folds the input into the existing base.
    let merged = app
        .data_as(
            &editor,
            "mutation($input: CreateBaseInput!) { createBase(input: $input, merge: true) { base { id name aliases region version } } }",
            json!({ "input": input }),
        )
        .await;
    let base = &merged["createBase"]["base"];
    assert_eq!(base["id"], json!(hmeimim));
    assert_eq!(base["name"], "Hmeimim Air Base");
    assert!(
        base["aliases"]
            .as_array()
            .unwrap()
            .contains(&json!("Hmeimim airfield"))
    );
    assert_eq!(base["region"], "Latakia Governorate");
    assert_eq!(base["version"], 2);
    // Giving another air base in Syria one of its names is a CONFLICT too...
    let other = app
        .created(
            &editor,
            "Base",
            json!({ "kind": "AIR_BASE", "name": "Test Air Base", "country": "SY" }),
        )
        .await;
    let body = app
        .update(
            &editor,
            "Base",
            &other,
            1,
            json!({ "aliases": ["Humaymim"] }),
            "id",
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body:#}");
    // ...but not a naval base: the kind differs.
    let tartus = app
        .id_of(
            r#"{ bases(filter: { name: "Tartus" }) { nodes { id } } }"#,
            "/bases/nodes/0/id",
        )
        .await;
    let body = app
        .update(
            &editor,
            "Base",
            &tartus,
            1,
            json!({ "aliases": ["Tartous", "Humaymim"] }),
            "aliases",
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
}

#[tokio::test]
async fn missing_references_are_not_found_and_keys_are_unique() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let missing_actor = "QWN0b3I6OTk5OTk"; // Actor:99999
    let body = app
        .create(
            &editor,
            "Asset",
            json!({ "kind": "VESSEL", "name": "Ghost ship", "owner": missing_actor }),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND", "{body:#}");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains(missing_actor) && message.contains("input.owner"),
        "{message}"
    );
    let body = app
        .update(
            &editor,
            "Actor",
            missing_actor,
            1,
            json!({ "description": "x" }),
            "id",
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");
    let body = app
        .create(
            &editor,
            "Source",
            json!({ "kind": "OTHER", "name": "Dup", "reliability": "F", "key": "reuters" }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body:#}");
    assert!(
        !body
            .to_string()
            .to_lowercase()
            .contains("unique constraint"),
        "{body:#}"
    );
}

/// Sources are one source by name: a new source whose name or alias names an existing
/// one (of any kind) is a CONFLICT naming it, unless merged; an alias finds it too.
#[tokio::test]
async fn sources_are_deduplicated_like_actors() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let wire = app
        .created(
            &editor,
            "Source",
            json!({ "kind": "NEWS_AGENCY", "name": "Meridian", "reliability": "B", "aliases": ["Meridian Wire Service"] }),
        )
        .await;
    for (name, kind) in [
        ("MERIDIAN", "NEWS_AGENCY"),
        ("Meridian Wire Service", "OTHER"),
    ] {
        let body = app
            .create(
                &editor,
                "Source",
                json!({ "kind": kind, "name": name, "reliability": "C" }),
            )
            .await;
        assert_eq!(error_code(&body), "CONFLICT", "{name}: {body:#}");
        assert_eq!(body["errors"][0]["extensions"]["existingId"], json!(wire));
    }
    // A new source may not take the existing one's name as an alias either.
    let body = app
        .create(
            &editor,
            "Source",
            json!({ "kind": "NEWS_SITE", "name": "Wire service", "reliability": "C", "aliases": ["meridian"] }),
        )
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body:#}");
    // merge: true folds the input into it.
    let merged = app
        .data_as(
            &editor,
            "mutation($input: CreateSourceInput!) { createSource(input: $input, merge: true) { source { id name aliases reliability version } } }",
            json!({ "input": { "kind": "NEWS_AGENCY", "name": "Meridian News", "reliability": "A", "aliases": ["Meridian"] } }),
        )
        .await;
    let source = &merged["createSource"]["source"];
    assert_eq!(source["id"], json!(wire));
    assert_eq!(source["name"], "Meridian");
    assert_eq!(
        source["aliases"],
        json!(["Meridian Wire Service", "Meridian News"])
    );
    assert_eq!(source["reliability"], "A");
    // The filter and search find it by an alias.
    let found = app
        .data(
            r#"{ sources(filter: { name: "wire service" }) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(found["sources"]["nodes"][0]["id"], json!(wire));
    let hits = app
        .data(
            r#"{ search(query: "Wire Service", types: [SOURCE]) { nodes { node { id } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(hits["search"]["nodes"][0]["node"]["id"], json!(wire));
}
