//! Authentication and roles: tokens from the CLI, Bearer headers, and what each role may do.
use crate::helpers::{AppOptions, TestApp, error_code, spawn_app, spawn_app_with};
use garrison::auth::Role;
use garrison::entity::api_token;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use std::process::Command;

const CREATE_SOURCE: &str = r#"mutation { createSource(input: { kind: OTHER, name: "Somebody", reliability: F }) { source { id version } } }"#;

/// Runs `garrison token …` against the test server's database.
fn garrison_token(app: &TestApp, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_garrison"))
        .arg("token")
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .output()
        .expect("run garrison token");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

#[tokio::test]
async fn mutations_need_a_valid_token() {
    let app = spawn_app().await;
    let body = app.graphql(CREATE_SOURCE, json!({})).await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    for bad in ["garrison_1_wrong", "nonsense", "garrison_x_y", ""] {
        let body = app.graphql_as(bad, CREATE_SOURCE, json!({})).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{bad:?}: {body:#}");
    }
    // A bad token is refused even for a read, so that a client notices at once.
    let body = app
        .graphql_as("garrison_1_wrong", "{ actors { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    // Nothing was written by any of these.
    let sources = app
        .data(
            r#"{ sources(filter: { name: "Somebody" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(sources["sources"]["totalCount"], 0);
}

#[tokio::test]
async fn roles_decide_what_a_token_may_do() {
    let app = spawn_app().await;
    let reader = app.token(Role::Reader).await;
    let editor = app.token(Role::Editor).await;
    let admin = app.token(Role::Admin).await;
    assert_eq!(
        error_code(&app.graphql_as(&reader, CREATE_SOURCE, json!({})).await),
        "FORBIDDEN"
    );
    let created = app.data_as(&editor, CREATE_SOURCE, json!({})).await;
    let id = created["createSource"]["source"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        error_code(&app.delete(&editor, "Source", &id, 1).await),
        "FORBIDDEN"
    );
    let deleted = app.delete(&admin, "Source", &id, 1).await;
    assert!(deleted.get("errors").is_none(), "{deleted:#}");
    // Token management is for admins.
    let manage =
        r#"mutation { createToken(name: "pipeline", role: EDITOR) { token info { name role } } }"#;
    assert_eq!(
        error_code(&app.graphql_as(&editor, manage, json!({})).await),
        "FORBIDDEN"
    );
    let issued = app.data_as(&admin, manage, json!({})).await;
    let token = issued["createToken"]["token"].as_str().unwrap().to_owned();
    assert_eq!(
        issued["createToken"]["info"],
        json!({ "name": "pipeline", "role": "EDITOR" })
    );
    assert!(
        app.graphql_as(&token, CREATE_SOURCE, json!({}))
            .await
            .get("errors")
            .is_none()
    );
    let listed = app
        .data_as(&admin, "{ tokens { name role revokedAt } }", json!({}))
        .await;
    assert!(
        listed["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "pipeline")
    );
    assert!(
        !listed.to_string().contains(&token),
        "secrets are never listed"
    );
    app.data_as(
        &admin,
        r#"mutation { revokeToken(name: "pipeline") { revokedAt } }"#,
        json!({}),
    )
    .await;
    assert_eq!(
        error_code(&app.graphql_as(&token, CREATE_SOURCE, json!({})).await),
        "UNAUTHENTICATED"
    );
}

#[tokio::test]
async fn the_cli_creates_lists_and_revokes_tokens() {
    let app = spawn_app().await;
    let token = garrison_token(&app, &["create", "--role", "editor", "--name", "ingest"]);
    let token = token.trim();
    assert!(token.starts_with("garrison_"), "{token}");
    let created = app.graphql_as(token, CREATE_SOURCE, json!({})).await;
    assert!(created.get("errors").is_none(), "{created:#}");
    let list = garrison_token(&app, &["list"]);
    assert!(list.contains("ingest\teditor"), "{list}");
    assert!(!list.contains(token), "the list never shows a secret");
    // Only the hash of the secret is stored.
    let stored = api_token::Entity::find()
        .filter(api_token::Column::Name.eq("ingest"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("stored token");
    let secret = token.rsplit('_').next().unwrap();
    assert_eq!(stored.secret_hash.len(), 64);
    assert!(!stored.secret_hash.contains(secret) && !token.contains(&stored.secret_hash));
    garrison_token(&app, &["revoke", "ingest"]);
    assert_eq!(
        error_code(&app.graphql_as(token, CREATE_SOURCE, json!({})).await),
        "UNAUTHENTICATED"
    );
    assert!(garrison_token(&app, &["list"]).contains("revoked"));
}

#[tokio::test]
async fn reads_can_be_made_to_need_a_token() {
    let app = spawn_app_with(AppOptions {
        require_token: true,
        ..Default::default()
    })
    .await;
    let query = "{ bases { totalCount } }";
    assert_eq!(
        error_code(&app.graphql(query, json!({})).await),
        "UNAUTHENTICATED"
    );
    let reader = app.token(Role::Reader).await;
    let data = app.data_as(&reader, query, json!({})).await;
    assert_eq!(data["bases"]["totalCount"], 2);
    assert_eq!(
        error_code(&app.graphql_as(&reader, CREATE_SOURCE, json!({})).await),
        "FORBIDDEN"
    );
}

#[test]
fn a_database_url_before_a_subcommand_is_refused_not_ignored() {
    // It would have been taken for `serve` and the token made in ./garrison.db.
    let output = Command::new(env!("CARGO_BIN_EXE_garrison"))
        .args(["--database-url", "sqlite::memory:", "token", "list"])
        .current_dir(std::env::temp_dir())
        .output()
        .expect("run garrison");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}
