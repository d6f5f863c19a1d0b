//! `schema.graphql` must be exactly what the server serves.
use crate::helpers::spawn_app;
use serde_json::json;

#[test]
fn schema_file_matches_the_generated_sdl() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql at the repository root");
    assert!(
        committed == garrison::graphql::sdl(),
        "schema.graphql is stale: run `cargo run -- schema > schema.graphql`"
    );
}

#[tokio::test]
async fn the_served_schema_has_every_type_of_the_file() {
    let app = spawn_app().await;
    let data = app.data("{ __schema { types { name } } }", json!({})).await;
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql")).unwrap();
    for t in data["__schema"]["types"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        if name.starts_with("__") || ["String", "Boolean", "Int", "Float", "ID"].contains(&name) {
            continue;
        }
        let declared = ["type", "input", "enum", "scalar", "interface", "union"]
            .iter()
            .any(|kw| {
                committed.contains(&format!("{kw} {name} "))
                    || committed.contains(&format!("{kw} {name}\n"))
            });
        assert!(declared, "{name} is served but not in schema.graphql");
    }
}
