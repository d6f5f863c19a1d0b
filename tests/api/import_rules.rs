//! What an import may change: fields it leaves out stay, `null` clears, `complete`
//! clears what is left out, lists only add (unless `sync`), `expectedVersion` guards
//! each item, and errors name the item's path in the bundle's own words.
use crate::helpers::{TestApp, error_code, spawn_app};
use garrison::auth::Role;
use serde_json::{Value, json};

const IMPORT: &str = "mutation($bundle: JSON!) { importBundle(bundle: $bundle) { created updated deleted unchanged } }";
const BASE: &str =
    r#"{ bases(filter: { name: "Rule Field" }) { nodes { id version region aliases } } }"#;

fn bundle(base: Value) -> Value {
    json!({ "bases": [base] })
}

fn base_item() -> Value {
    json!({ "key": "rule-base", "kind": "AIR_BASE", "name": "Rule Field", "aliases": ["Rule Strip"],
            "country": "SY", "region": "Latakia" })
}

async fn base(app: &TestApp) -> Value {
    app.data(BASE, json!({})).await["bases"]["nodes"][0].clone()
}

#[tokio::test]
async fn a_field_an_item_leaves_out_stays_as_an_analyst_left_it() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    app.data_as(&editor, IMPORT, json!({ "bundle": bundle(base_item()) }))
        .await;
    let stored = base(&app).await;
    // An analyst corrects the region.
    let id = stored["id"].as_str().unwrap();
    let edited = app
        .update(
            &editor,
            "Base",
            id,
            1,
            json!({ "region": "Jableh" }),
            "region",
        )
        .await;
    assert!(edited.get("errors").is_none(), "{edited:#}");
    // A pipeline re-imports the base without a region: the analyst's edit stays.
    let mut item = base_item();
    item.as_object_mut().unwrap().remove("region");
    let again = app
        .data_as(&editor, IMPORT, json!({ "bundle": bundle(item.clone()) }))
        .await;
    assert_eq!(again["importBundle"]["unchanged"], 1, "{again:#}");
    assert_eq!(base(&app).await["region"], "Jableh");
    // `null` clears the field.
    item["region"] = Value::Null;
    app.data_as(&editor, IMPORT, json!({ "bundle": bundle(item.clone()) }))
        .await;
    assert_eq!(base(&app).await["region"], Value::Null);
    // A complete bundle clears what its items leave out.
    app.data_as(&editor, IMPORT, json!({ "bundle": bundle(base_item()) }))
        .await;
    assert_eq!(base(&app).await["region"], "Latakia");
    let mut complete = bundle({
        let mut item = base_item();
        item.as_object_mut().unwrap().remove("region");
        item
    });
    complete["complete"] = json!(true);
    app.data_as(&editor, IMPORT, json!({ "bundle": complete }))
        .await;
    assert_eq!(base(&app).await["region"], Value::Null);
}

#[tokio::test]
async fn aliases_are_added_and_only_sync_removes_them() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    app.data_as(&editor, IMPORT, json!({ "bundle": bundle(base_item()) }))
        .await;
    let mut item = base_item();
    item["aliases"] = json!(["Rule Airstrip"]);
    app.data_as(&editor, IMPORT, json!({ "bundle": bundle(item.clone()) }))
        .await;
    assert_eq!(
        base(&app).await["aliases"],
        json!(["Rule Strip", "Rule Airstrip"])
    );
    let mut synced = bundle(item);
    synced["sync"] = json!(true);
    let body = app
        .graphql_as(&editor, IMPORT, json!({ "bundle": synced }))
        .await;
    assert_eq!(error_code(&body), "FORBIDDEN", "{body:#}");
    let admin = app.token(Role::Admin).await;
    app.data_as(&admin, IMPORT, json!({ "bundle": synced }))
        .await;
    assert_eq!(base(&app).await["aliases"], json!(["Rule Airstrip"]));
}

#[tokio::test]
async fn expected_version_refuses_an_item_whose_record_changed() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    app.data_as(&editor, IMPORT, json!({ "bundle": bundle(base_item()) }))
        .await;
    let id = base(&app).await["id"].as_str().unwrap().to_owned();
    app.update(
        &editor,
        "Base",
        &id,
        1,
        json!({ "region": "Jableh" }),
        "region",
    )
    .await;
    let journal = app.data("{ changes { totalCount } }", json!({})).await;
    // The pipeline read version 1; the record is at 2 now.
    let mut item = base_item();
    item["expectedVersion"] = json!(1);
    let both = json!({ "sources": [{ "key": "rule-src", "kind": "OTHER", "name": "Rule Wire", "reliability": "C" }],
                       "bases": [item] });
    let body = app
        .graphql_as(&editor, IMPORT, json!({ "bundle": both }))
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body:#}");
    assert_eq!(body["errors"][0]["extensions"]["currentVersion"], 2);
    assert_eq!(base(&app).await["region"], "Jableh");
    assert_eq!(
        app.data("{ changes { totalCount } }", json!({})).await,
        journal,
        "the source of the failed bundle was not written either"
    );
    let mut item = base_item();
    item["expectedVersion"] = json!(2);
    let body = app
        .data_as(&editor, IMPORT, json!({ "bundle": bundle(item) }))
        .await;
    assert_eq!(body["importBundle"]["updated"], 1);
    assert_eq!(base(&app).await["version"], 3);
    // A version for a key nobody has is a conflict too (the record is gone).
    let mut item = base_item();
    item["key"] = json!("rule-gone");
    item["name"] = json!("Gone Field");
    item["expectedVersion"] = json!(4);
    let body = app
        .graphql_as(&editor, IMPORT, json!({ "bundle": bundle(item) }))
        .await;
    assert_eq!(error_code(&body), "CONFLICT", "{body:#}");
}

#[tokio::test]
async fn bundle_errors_name_the_path_in_the_bundles_own_words() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let cases = [
        (json!({ "actors": ["not an object"] }), "actors[0]"),
        (
            json!({ "actors": [{ "key": "a", "kind": "STATE", "name": 5 }] }),
            "actors[0].name",
        ),
        (
            json!({ "events": [{ "key": "e", "kind": "FLIGHT", "status": "REPORTED", "title": "t",
                                "confidence": "high" }] }),
            "events[0].confidence",
        ),
        (
            json!({ "events": [{ "key": "e", "kind": "FLIGHT", "status": "REPORTED", "title": "t",
                                "attestations": [{ "report": "r", "excerpt": "x", "credibility": "A" }] }] }),
            "events[0].attestations[0].credibility",
        ),
        (
            json!({ "bases": [{ "key": "b", "kind": "FORT", "name": "x" }] }),
            "bases[0].kind",
        ),
        (json!({ "sources": {} }), "sources"),
        (json!({ "actorz": [] }), "actorz"),
        (json!(["read", "by", "position"]), "bundle"),
    ];
    for (bundle, path) in cases {
        let body = app
            .graphql_as(&editor, IMPORT, json!({ "bundle": bundle }))
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{body:#}");
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["field"], path, "{body:#}");
        let message = error["message"].as_str().unwrap();
        for rust in ["struct", "Item", "i32", "enum ", "Vec<", "Option"] {
            assert!(!message.contains(rust), "{message}");
        }
    }
}
