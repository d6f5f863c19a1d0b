//! `GET /export/{format}`: the graph as a download for editors, as their clearance
//! sees it — never a hidden record, and a hidden parent as null.
use crate::export::{add_records, exported};
use crate::helpers::{TestApp, error_code, spawn_app};
use garrison::auth::Role;
use garrison::vocabulary::Marking;
use serde_json::{Value, json};

async fn download(app: &TestApp, format: &str, token: Option<&str>) -> reqwest::Response {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = bearer
        .as_deref()
        .map(|b| vec![("Authorization", b)])
        .unwrap_or_default();
    app.get_with(&format!("/export/{format}"), &headers).await
}

#[tokio::test]
async fn editors_download_each_format_and_others_are_refused_with_a_code() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let reader = app.token(Role::Reader).await;
    for (token, status, code) in [
        (None, 401, "UNAUTHENTICATED"),
        (Some(reader.as_str()), 403, "FORBIDDEN"),
        (Some("not-a-token"), 401, "UNAUTHENTICATED"),
    ] {
        let response = download(&app, "bundle", token).await;
        assert_eq!(response.status().as_u16(), status);
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), code, "{body}");
    }
    let response = download(&app, "xml", Some(&editor)).await;
    assert_eq!(response.status().as_u16(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(error_code(&body), "NOT_FOUND");

    let response = download(&app, "bundle", Some(&editor)).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"garrison.json\""
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(
        bytes.as_ref(),
        exported(&app.db).await,
        "what the command writes"
    );
    for (format, content_type) in [
        ("stix", "application/stix+json;version=2.1"),
        ("csv", "text/csv; charset=utf-8"),
    ] {
        let response = download(&app, format, Some(&editor)).await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.headers()["content-type"], content_type);
        assert!(!response.bytes().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_download_holds_nothing_the_callers_clearance_hides() {
    let app = spawn_app().await;
    add_records(&app).await;
    let editor = app.token(Role::Editor).await;
    let parent = app
        .created(
            &editor,
            "Actor",
            json!({ "kind": "ARMED_GROUP", "name": "Amber Parent", "key": "amber-parent", "marking": "AMBER" }),
        )
        .await;
    let body = app
        .create(
            &editor,
            "Actor",
            json!({ "kind": "ARMED_GROUP", "name": "Green Child", "key": "green-child", "marking": "GREEN", "parent": parent }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");

    let green = app.token_cleared(Role::Editor, Marking::Green).await;
    for format in ["bundle", "stix", "csv"] {
        let response = download(&app, format, Some(&green)).await;
        assert_eq!(response.status().as_u16(), 200);
        let text = response.text().await.unwrap();
        assert!(
            !text.contains("Amber") && !text.contains("amber-parent"),
            "{format}: an AMBER record shows to a GREEN caller"
        );
        let visible = match format {
            "csv" => "pullback-northern-front",
            _ => "Green Child",
        };
        assert!(text.contains(visible), "{format}");
    }
    let bundle: Value = download(&app, "bundle", Some(&green))
        .await
        .json()
        .await
        .unwrap();
    let child = bundle["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "green-child")
        .unwrap();
    assert!(
        child.get("parent").is_none(),
        "a hidden parent is left out, so that importing the file keeps it: {child}"
    );
    assert!(
        bundle.get("complete").is_none() && bundle.get("sync").is_none(),
        "a filtered export neither completes nor syncs"
    );
    // Imported into the database it came from, it changes nothing the reader could
    // not see.
    let text = serde_json::to_string(&bundle).unwrap();
    let file = garrison::bundle::Bundle::from_json(&text).unwrap();
    garrison::bundle::import(&app.db, &file, "test")
        .await
        .unwrap();
    let all = exported(&app.db).await;
    let all: Value = serde_json::from_slice(&all).unwrap();
    let child = all["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "green-child")
        .unwrap();
    assert_eq!(child["parent"], "amber-parent");
    let flight = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "Amber flight");
    assert!(flight.is_some(), "the hidden event is still there");

    let red = app.token_cleared(Role::Editor, Marking::Red).await;
    let all = download(&app, "bundle", Some(&red))
        .await
        .text()
        .await
        .unwrap();
    assert!(all.contains("Amber flight") && all.contains("amber-parent"));
}
