//! The questions the seed data must answer, one request each.
use crate::helpers::{node_values, spawn_app};
use serde_json::{Value, json};

#[tokio::test]
async fn who_operates_and_hosts_khmeimim_and_since_when() {
    let app = spawn_app().await;
    let data = app
        .data(
            r#"{ bases(filter: { name: "Khmeimim" }) { nodes { name
                   tenures(first: 20) { nodes { role validFrom { edtf } validTo { edtf } actor { name } } } } } }"#,
            json!({}),
        )
        .await;
    let bases = data["bases"]["nodes"].as_array().unwrap();
    assert_eq!(bases.len(), 1);
    assert_eq!(bases[0]["name"], "Hmeimim Air Base");
    let tenures = bases[0]["tenures"]["nodes"].as_array().unwrap();
    let find =
        |role: &str| -> Vec<&Value> { tenures.iter().filter(|t| t["role"] == role).collect() };
    let operator = find("OPERATOR");
    assert_eq!(operator.len(), 1);
    assert_eq!(operator[0]["actor"]["name"], "Russian Aerospace Forces");
    // The article gives no start date: it stays unknown, and the tenure still holds.
    assert_eq!(operator[0]["validFrom"], Value::Null);
    assert_eq!(operator[0]["validTo"], Value::Null);
    let host = find("HOST");
    assert_eq!(host[0]["actor"]["name"], "Syria");
    let controller = find("CONTROLLER");
    assert_eq!(controller[0]["actor"]["name"], "Syrian interim government");
    assert_eq!(controller[0]["validFrom"]["edtf"], "2024-12-08");
}

#[tokio::test]
async fn what_was_at_hmeimim_in_december_2024_and_who_reported_its_events() {
    let app = spawn_app().await;
    let data = app
        .data(
            r#"{ bases(filter: { name: "Hmeimim" }) { nodes {
                   deployments(at: "2024-12") { nodes { asset { name model quantity { value qualifier }
                     events { nodes { title attestations { nodes { credibility
                       report { source { name reliability } } } } } } } } } } } }"#,
            json!({}),
        )
        .await;
    let deployments = &data["bases"]["nodes"][0]["deployments"]["nodes"];
    let assets = node_values(deployments, "", "asset");
    assert_eq!(assets.len(), 2, "{deployments:#}");
    let an124 = deployments
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["asset"])
        .find(|a| a["model"] == "An-124 Ruslan")
        .expect("the An-124s were at Hmeimim");
    assert_eq!(
        an124["quantity"],
        json!({ "value": 2, "qualifier": "AT_LEAST" })
    );
    let events = an124["events"]["nodes"].as_array().unwrap();
    let titles: Vec<&str> = events
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "An-124 cargo planes prepare to load at Hmeimim",
            "An-124 flies from Hmeimim to Libya"
        ]
    );
    let loading = &events[0]["attestations"]["nodes"][0];
    assert_eq!(loading["credibility"], 2);
    assert_eq!(
        loading["report"]["source"]["name"],
        "Commercial satellite imagery"
    );
    assert_eq!(loading["report"]["source"]["reliability"], "B");
    let flight = &events[1]["attestations"]["nodes"][0];
    assert_eq!(flight["credibility"], 3);
    assert_eq!(flight["report"]["source"]["reliability"], "C");
}

#[tokio::test]
async fn which_events_between_8_and_15_december_involve_russia_in_date_order() {
    let app = spawn_app().await;
    let russia = app
        .id_of(
            r#"{ actors(filter: { name: "Russia", kind: [STATE] }) { nodes { id } } }"#,
            "/actors/nodes/0/id",
        )
        .await;
    let data = app
        .data(
            r#"query($russia: ID!) { events(filter: { actor: $russia, during: "2024-12-08/2024-12-15" }, first: 50) {
                   totalCount nodes { title occurred { edtf } } } }"#,
            json!({ "russia": russia }),
        )
        .await;
    let titles = node_values(&data, "/events/nodes", "title");
    assert_eq!(
        titles,
        [
            "Assad flees to Russia and receives political asylum",
            "Russia pulls troops back from the front lines in northern Syria",
            "Russia withdraws from posts in the Jabal al-Nusayriya mountains",
            "Russians to withdraw heavy equipment and senior Syrian officers",
            "Kremlin says Russia is in talks with the new Syrian authorities about the bases",
            "An-124 cargo planes prepare to load at Hmeimim",
            "Military ships leave the Russian naval base in Tartus",
            "An-124 flies from Hmeimim to Libya",
            "Interim government official: Russian presence is a matter for future talks",
        ]
    );
    assert_eq!(data["events"]["totalCount"], 9);
}

#[tokio::test]
async fn where_did_the_aircraft_that_left_hmeimim_go() {
    let app = spawn_app().await;
    let data = app
        .data(
            r#"{ bases(filter: { name: "Hmeimim" }) { nodes { events(role: ORIGIN) { nodes {
                   title place { name country }
                   assets { nodes { asset { kind model } } }
                   actors { nodes { role actor { name } } } } } } } }"#,
            json!({}),
        )
        .await;
    let events = &data["bases"]["nodes"][0]["events"]["nodes"];
    let flight = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["assets"]["nodes"][0]["asset"]["kind"] == "AIRCRAFT")
        .expect("an aircraft left Hmeimim");
    assert_eq!(flight["place"], json!({ "name": "Libya", "country": "LY" }));
    let destination: Vec<&Value> = flight["actors"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["role"] == "DESTINATION")
        .collect();
    assert_eq!(destination[0]["actor"]["name"], "Libya");
}

#[tokio::test]
async fn who_reported_that_ships_left_tartus_and_when() {
    let app = spawn_app().await;
    let tartus = app
        .id_of(
            r#"{ bases(filter: { name: "tartous" }) { nodes { id } } }"#,
            "/bases/nodes/0/id",
        )
        .await;
    let data = app
        .data(
            r#"query($tartus: ID!) { events(filter: { base: $tartus, kind: [MOVEMENT] }) { nodes {
                   title occurred { edtf latest }
                   attestations { nodes { excerpt report { published { edtf } source { name } } } } } } }"#,
            json!({ "tartus": tartus }),
        )
        .await;
    let event = &data["events"]["nodes"][0];
    assert_eq!(
        event["title"],
        "Military ships leave the Russian naval base in Tartus"
    );
    // The departure came before Wednesday's report: its start is unknown.
    assert_eq!(event["occurred"]["edtf"], "../2024-12-11~");
    let reports = event["attestations"]["nodes"].as_array().unwrap();
    let bbc = reports
        .iter()
        .find(|r| r["report"]["source"]["name"] == "BBC")
        .expect("BBC");
    assert_eq!(bbc["report"]["published"]["edtf"], "2024-12-11~");
    assert_eq!(reports.len(), 2);
}
