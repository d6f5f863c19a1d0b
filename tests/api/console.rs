//! The console's pages and assets over HTTP: served from the binary, loading nothing
//! from another host, cached as their names allow, and nothing else reachable through
//! the asset route. (The pages themselves run in Chromium: tests/browser.)
use crate::helpers::{error_code, spawn_app};
use serde_json::Value;

/// The `src` and `href` values of a page.
fn references(page: &str) -> Vec<String> {
    ["src=\"", "href=\""]
        .iter()
        .flat_map(|attribute| page.split(attribute).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_pages_load_everything_from_the_server_itself() {
    let app = spawn_app().await;
    for page in ["/", "/map"] {
        let response = app.get(page).await;
        assert_eq!(response.status(), 200, "{page}");
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(policy.contains("default-src 'self'"), "{policy}");
        assert!(policy.contains("script-src 'self';"), "{policy}");
        assert!(!policy.contains("http"), "{policy}");
        let body = response.text().await.unwrap();
        let referenced = references(&body);
        assert!(referenced.len() >= 5, "{page}: {referenced:?}");
        for reference in referenced {
            assert!(
                reference.starts_with('/') && !reference.starts_with("//"),
                "{page} refers to {reference}"
            );
            let asset = app.get(&reference).await;
            assert_eq!(asset.status(), 200, "{reference}");
            let kind = asset.headers()["content-type"].to_str().unwrap().to_owned();
            let cache = asset.headers()["cache-control"]
                .to_str()
                .unwrap()
                .to_owned();
            match reference.rsplit('.').next() {
                Some("js") => assert!(kind.contains("javascript"), "{reference}: {kind}"),
                Some("css") => assert!(kind.starts_with("text/css"), "{reference}: {kind}"),
                Some("svg") => assert!(kind.starts_with("image/svg"), "{reference}: {kind}"),
                _ => {}
            }
            if reference.starts_with("/assets/vendor/") {
                assert!(cache.contains("immutable"), "{reference}: {cache}");
            } else {
                assert_eq!(cache, "no-cache", "{reference}");
            }
            if reference.ends_with(".js") && !reference.starts_with("/assets/vendor/") {
                // The console's own code names no other host either.
                let text = asset.text().await.unwrap();
                assert!(
                    !text.contains("http://") && !text.contains("https://"),
                    "{reference} names another host"
                );
            }
        }
    }
}

#[tokio::test]
async fn an_unchanged_asset_is_not_sent_again() {
    let app = spawn_app().await;
    let first = app.get("/assets/map.js").await;
    let tag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = app
        .get_with("/assets/map.js", &[("If-None-Match", &tag)])
        .await;
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());
    let changed = app
        .get_with("/assets/map.js", &[("If-None-Match", "\"something-else\"")])
        .await;
    assert_eq!(changed.status(), 200);
}

#[tokio::test]
async fn nothing_but_the_assets_is_reachable_through_their_route() {
    let app = spawn_app().await;
    let long = format!("/assets/{}", "a/".repeat(400));
    for path in [
        "/assets/nope.js",
        "/assets/vendor/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/assets//etc/passwd",
        "/assets/",
        long.as_str(),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_code(&body), "NOT_FOUND", "{path}");
    }
}
