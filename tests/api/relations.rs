//! Every nested relation of the contract, from both ends.
use crate::helpers::{node_values, spawn_app};
use serde_json::json;

#[tokio::test]
async fn actors_reach_their_parent_subordinates_tenures_assets_and_events() {
    let app = spawn_app().await;
    let data = app
        .data(
            r#"{ actors(filter: { name: "Russian Navy" }) { nodes {
                  name parent { name parent { name } }
                  tenures { nodes { role basis base { name } } }
                  assets { nodes { name owner { name } } }
                  events(role: PERFORMER) { nodes { title } }
                } }
                russia: actors(filter: { name: "Russia", kind: [STATE] }) { nodes { aliases subordinates { nodes { name } } } } }"#,
            json!({}),
        )
        .await;
    let navy = &data["actors"]["nodes"][0];
    assert_eq!(navy["parent"]["name"], "Russian Armed Forces");
    assert_eq!(navy["parent"]["parent"]["name"], "Russia");
    assert_eq!(
        navy["tenures"]["nodes"][0]["base"]["name"],
        "Tartus naval base"
    );
    assert_eq!(navy["tenures"]["nodes"][0]["role"], "OPERATOR");
    assert!(
        navy["tenures"]["nodes"][0]["basis"]
            .as_str()
            .unwrap()
            .contains("1971")
    );
    assert_eq!(
        node_values(navy, "/assets/nodes", "name"),
        ["Russian warships at Tartus"]
    );
    assert_eq!(navy["assets"]["nodes"][0]["owner"]["name"], "Russian Navy");
    assert_eq!(
        node_values(navy, "/events/nodes", "title"),
        ["Military ships leave the Russian naval base in Tartus"]
    );
    let russia = &data["russia"]["nodes"][0];
    assert_eq!(russia["aliases"], json!(["Russian Federation", "Moscow"]));
    assert_eq!(
        node_values(russia, "/subordinates/nodes", "name"),
        ["Government of Russia", "Russian Armed Forces"]
    );
}

#[tokio::test]
async fn assets_reach_deployments_and_deployments_reach_both_ends() {
    let app = spawn_app().await;
    let data = app
        .data(
            r#"{ assets(filter: { name: "Russian troops" }) { nodes {
                  deployments { nodes { validFrom { edtf } validTo { edtf } base { name }
                    asset { name } attestations { nodes { excerpt credibility } } } }
                  events(role: SUBJECT) { totalCount } } } }"#,
            json!({}),
        )
        .await;
    let troops = &data["assets"]["nodes"][0];
    let deployments = &troops["deployments"]["nodes"];
    let bases: Vec<_> = deployments
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["base"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(bases, ["Hmeimim Air Base", "Tartus naval base"]);
    assert_eq!(deployments[0]["asset"]["name"], "Russian troops in Syria");
    assert_eq!(deployments[0]["validFrom"], json!(null));
    let credibilities: Vec<_> = deployments[0]["attestations"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["credibility"].clone())
        .collect();
    assert_eq!(credibilities, [json!(2), json!(6)]);
    assert_eq!(troops["events"]["totalCount"], 2);

    let warships = app
        .data(r#"{ assets(filter: { kind: [VESSEL] }) { nodes { deployments { nodes { validTo { edtf latest } } } } } }"#, json!({}))
        .await;
    let ended = &warships["assets"]["nodes"][0]["deployments"]["nodes"][0]["validTo"];
    assert_eq!(ended["edtf"], "2024-12-11~");
    assert_eq!(ended["latest"], "2024-12-12T23:59:59+00:00");
}

#[tokio::test]
async fn sources_reports_and_attestations_link_both_ways() {
    let app = spawn_app().await;
    let data = app
        .data(
            r#"{ sources(filter: { name: "BBC" }) { nodes { name reports { nodes {
                  title source { name }
                  attestations { nodes { stance report { title }
                    claim { __typename ... on Event { title attestations { totalCount } }
                                       ... on Deployment { asset { name } base { name } } } } } } } } } }"#,
            json!({}),
        )
        .await;
    let report = &data["sources"]["nodes"][0]["reports"]["nodes"][0];
    assert_eq!(report["source"]["name"], "BBC");
    let attestations = report["attestations"]["nodes"].as_array().unwrap();
    assert_eq!(attestations.len(), 2);
    assert!(
        attestations
            .iter()
            .all(|a| a["stance"] == "ASSERTS" && a["report"]["title"] == report["title"])
    );
    let event = attestations
        .iter()
        .find(|a| a["claim"]["__typename"] == "Event")
        .unwrap();
    assert_eq!(
        event["claim"]["title"],
        "Military ships leave the Russian naval base in Tartus"
    );
    assert_eq!(event["claim"]["attestations"]["totalCount"], 2);
    let deployment = attestations
        .iter()
        .find(|a| a["claim"]["__typename"] == "Deployment")
        .unwrap();
    assert_eq!(
        deployment["claim"]["asset"]["name"],
        "Russian warships at Tartus"
    );
    assert_eq!(deployment["claim"]["base"]["name"], "Tartus naval base");
}

#[tokio::test]
async fn tenures_and_participants_reach_both_ends() {
    let app = spawn_app().await;
    let data = app
        .data(
            r#"{ bases(filter: { name: "Tartus" }) { nodes {
                  tenures(role: OPERATOR) { nodes { actor { name } base { name }
                    attestations { nodes { claim { __typename ... on Tenure { role } } report { source { name } } } } } }
                  events(role: LOCATION) { nodes { title
                    actors { nodes { role actor { name } event { title } } }
                    bases { nodes { role base { name } event { title } } } } } } } }"#,
            json!({}),
        )
        .await;
    let tartus = &data["bases"]["nodes"][0];
    let tenure = &tartus["tenures"]["nodes"][0];
    assert_eq!(tenure["actor"]["name"], "Russian Navy");
    assert_eq!(tenure["base"]["name"], "Tartus naval base");
    assert_eq!(
        tenure["attestations"]["nodes"][0]["claim"],
        json!({ "__typename": "Tenure", "role": "OPERATOR" })
    );
    let events = tartus["events"]["nodes"].as_array().unwrap();
    let agreement = events
        .iter()
        .find(|e| e["title"].as_str().unwrap().contains("agreement"))
        .unwrap();
    let negotiators = node_values(&agreement["actors"], "/nodes", "actor");
    assert_eq!(negotiators.len(), 3);
    assert!(
        agreement["actors"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["role"] == "NEGOTIATOR" && p["event"]["title"] == agreement["title"])
    );
    assert_eq!(
        agreement["bases"]["nodes"][0]["base"]["name"],
        "Tartus naval base"
    );
    assert_eq!(
        agreement["bases"]["nodes"][0]["event"]["title"],
        agreement["title"]
    );
}
