//! STIX 2.1 both ways: an export imports into an empty database and gives back the
//! same bundle; OpenCTI's objects import idempotently; a bad object names its id and
//! property and writes nothing. (The OASIS validator and the `stix2` library check
//! the exports in `tests/clients`.)
use crate::export::{add_records, empty_database, exported};
use crate::helpers::spawn_app;
use garrison::write::Operation;
use serde_json::{Value, json};

async fn stix_of(db: &sea_orm::DatabaseConnection) -> Value {
    let mut out = Vec::new();
    garrison::export::to_writer(
        db,
        garrison::visibility::Clearance::ALL,
        garrison::export::Format::Stix,
        garrison::export::Progress::Silent,
        &mut out,
    )
    .await
    .expect("STIX export");
    serde_json::from_slice(&out).expect("the STIX export is JSON")
}

fn objects<'a>(stix: &'a Value, stix_type: &str) -> Vec<&'a Value> {
    stix["objects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["type"] == stix_type)
        .collect()
}

fn hidden() -> indicatif::ProgressBar {
    indicatif::ProgressBar::hidden()
}

const OPENCTI: &str = include_str!("../data/opencti-bundle.json");

#[tokio::test]
async fn a_bundle_through_stix_and_back_is_the_same_bundle() {
    let app = spawn_app().await;
    add_records(&app).await;
    let bundle = exported(&app.db).await;
    let stix = stix_of(&app.db).await;

    let (_empty, db) = empty_database().await;
    let text = stix.to_string();
    let (summary, _) = garrison::stix::import(&db, &text, "test", &hidden())
        .await
        .expect("import");
    assert!(summary.total(Operation::Create) > 100, "{summary}");
    let again = exported(&db).await;
    assert!(
        bundle == again,
        "the bundle differs after STIX:\n{}\n---\n{}",
        String::from_utf8_lossy(&bundle),
        String::from_utf8_lossy(&again)
    );
    let (summary, _) = garrison::stix::import(&db, &text, "test", &hidden())
        .await
        .expect("again");
    assert_eq!(
        summary.entries.len(),
        0,
        "a second import changes nothing: {summary}"
    );

    // The same records get the same ids from the database they were imported into.
    let ids = |stix: &Value| -> Vec<String> {
        let mut ids: Vec<String> = stix["objects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&stix), ids(&stix_of(&db).await));
}

#[tokio::test]
async fn records_become_the_stix_objects_the_mapping_names() {
    let app = spawn_app().await;
    add_records(&app).await;
    let stix = stix_of(&app.db).await;
    assert_eq!(stix["type"], "bundle");
    let extension = objects(&stix, "extension-definition");
    assert_eq!(extension.len(), 1);
    let extension_id = extension[0]["id"].as_str().unwrap();
    assert_eq!(objects(&stix, "marking-definition").len(), 5);

    let threat_actors = objects(&stix, "threat-actor");
    let child = threat_actors
        .iter()
        .find(|a| a["name"] == "Child Brigade")
        .expect("an armed group is a threat actor");
    let own = &child["extensions"][extension_id];
    assert_eq!(own["extension_type"], "property-extension");
    assert_eq!(own["aliases"], json!(["CB"]));
    let parent = threat_actors
        .iter()
        .find(|a| a["name"] == "Parent Front")
        .unwrap();
    assert_eq!(own["parent_ref"], parent["id"]);
    let russia = objects(&stix, "identity")
        .into_iter()
        .find(|a| a["name"] == "Russia")
        .unwrap();
    assert_eq!(russia["identity_class"], "organization");
    let reuters = objects(&stix, "identity")
        .into_iter()
        .find(|a| a["name"] == "Reuters")
        .unwrap();
    assert_eq!(reuters["x_opencti_reliability"], "B - Usually reliable");

    let hmeimim = objects(&stix, "location")
        .into_iter()
        .find(|l| l["name"] == "Hmeimim Air Base")
        .unwrap();
    assert_eq!(hmeimim["country"], "SY");
    assert_eq!(hmeimim["precision"], 5000.0);
    assert_eq!(hmeimim["administrative_area"], "Latakia Governorate");

    let flight = objects(&stix, "event")
        .into_iter()
        .find(|e| e["title"] == "Amber flight")
        .unwrap();
    assert_eq!(
        flight["object_marking_refs"],
        json!(["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"])
    );
    assert_eq!(flight["occurred"], "2024-12?-13");
    assert_eq!(flight["start_time"], "2024-12-13T00:00:00Z");
    assert_eq!(flight["stop_time"], "2024-12-14T00:00:00Z");
    assert!(
        flight["name"]
            .as_str()
            .unwrap()
            .starts_with("Amber flight [")
    );
    assert!(
        flight.get("confidence").is_none(),
        "credibility 6 has no confidence"
    );

    let pullback = objects(&stix, "event")
        .into_iter()
        .find(|e| e["title"] == "Russia pulls troops back from the front lines in northern Syria")
        .unwrap();
    assert_eq!(pullback["occurred"], "2024-12-08/2024-12-14~");
    assert_eq!(pullback["start_time"], "2024-12-08T00:00:00Z");
    assert_eq!(
        pullback["stop_time"], "2024-12-16T00:00:00Z",
        "an approximate day widens by a day"
    );
    let notes: Vec<&Value> = objects(&stix, "note")
        .into_iter()
        .filter(|n| n["object_refs"][0] == pullback["id"])
        .collect();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["confidence"], 70, "credibility 2 is confidence 70");
    let report = objects(&stix, "report")
        .into_iter()
        .find(|r| r["id"] == notes[0]["object_refs"][1])
        .unwrap();
    assert!(
        report["object_refs"]
            .as_array()
            .unwrap()
            .contains(&pullback["id"]),
        "a report holds the claims it attests"
    );
    assert_eq!(report["created_by_ref"], reuters["id"]);

    let located: Vec<&Value> = objects(&stix, "relationship")
        .into_iter()
        .filter(|r| r["relationship_type"] == "located-at")
        .collect();
    let tartus = located
        .iter()
        .find(|r| r["extensions"][extension_id]["key"] == "tartus-operator-navy")
        .unwrap();
    assert_eq!(tartus["start_time"], "1971-01-01T00:00:00Z");
    assert!(tartus.get("stop_time").is_none(), "it still holds");
    for o in stix["objects"].as_array().unwrap() {
        if let (Some(start), Some(stop)) = (o["start_time"].as_str(), o["stop_time"].as_str()) {
            assert!(stop > start, "stop after start: {o}");
        }
    }
}

#[tokio::test]
async fn opencti_objects_import_under_their_ids_and_a_second_time_change_nothing() {
    let (_empty, db) = empty_database().await;
    let (summary, translated) = garrison::stix::import(&db, OPENCTI, "opencti", &hidden())
        .await
        .expect("import");
    assert_eq!(summary.count("Actor", Operation::Create), 2, "{summary}");
    assert_eq!(summary.count("Source", Operation::Create), 1, "{summary}");
    assert_eq!(summary.count("Base", Operation::Create), 1, "{summary}");
    assert_eq!(summary.count("Event", Operation::Create), 1, "{summary}");
    assert_eq!(summary.count("Tenure", Operation::Create), 1, "{summary}");
    assert_eq!(
        translated.skipped,
        [("indicator".to_owned(), 1), ("sighting".to_owned(), 1)]
    );
    let file: Value = serde_json::from_slice(&exported(&db).await).unwrap();
    let event = &file["events"][0];
    assert_eq!(event["key"], "event--4c6d8e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f");
    assert_eq!(event["kind"], "SEIZURE");
    assert_eq!(event["occurred"], "2025-03-01/2025-03-02");
    assert_eq!(event["confidence"], 50);
    assert_eq!(event["marking"], "AMBER", "TLP 1.0 AMBER is TLP 2.0 AMBER");
    assert_eq!(event["actors"][0]["role"], "PARTICIPANT");
    assert_eq!(event["bases"][0]["role"], "LOCATION");
    let attestation = &event["attestations"][0];
    assert_eq!(
        attestation["credibility"], 2,
        "confidence 70 is credibility 2"
    );
    assert_eq!(
        attestation["report"],
        "report--5f607182-93a4-45b6-87c8-e9f0a1b2c3d4"
    );
    let brigade = file["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Coastal Shield Brigade")
        .unwrap();
    assert_eq!(brigade["kind"], "ARMED_GROUP");
    assert_eq!(brigade["aliases"], json!(["CSB", "Dir' al-Sahil"]));
    assert_eq!(file["sources"][0]["reliability"], "C");
    assert_eq!(file["bases"][0]["location"]["precision"], "APPROXIMATE");
    let tenure = &file["tenures"][0];
    assert_eq!(tenure["validFrom"], "2025-03-02");
    assert_eq!(
        tenure["attestations"][0]["credibility"], 6,
        "a claim a report holds without a note cannot be judged"
    );

    let with_mark = format!("\u{feff}{OPENCTI}");
    let (summary, _) = garrison::stix::import(&db, &with_mark, "opencti", &hidden())
        .await
        .expect("again, after a byte order mark");
    assert_eq!(summary.entries.len(), 0, "{summary}");

    // Exported again, each record keeps the id it came with.
    let stix = stix_of(&db).await;
    let ids: Vec<&str> = stix["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    for id in [
        "threat-actor--c3a1a6e2-5b8c-4c1f-a0b6-41f1c5f3e9d2",
        "location--9f7c1e2b-3d4a-4b5c-8d6e-7f8091a2b3c4",
        "event--4c6d8e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f",
        "report--5f607182-93a4-45b6-87c8-e9f0a1b2c3d4",
        "relationship--1b2c3d4e-5f60-4172-8394-a5b6c7d8e9f0",
    ] {
        assert!(ids.contains(&id), "{id} is exported under its own id");
    }
}

/// The OpenCTI bundle with `change` made to the object with `id`.
fn broken(id: &str, change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut stix: Value = serde_json::from_str(OPENCTI).unwrap();
    let object = stix["objects"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|o| o["id"] == id)
        .unwrap();
    change(object.as_object_mut().unwrap());
    stix.to_string()
}

#[tokio::test]
async fn a_bad_object_is_named_by_its_id_and_property_and_nothing_is_written() {
    let (_empty, db) = empty_database().await;
    let location = "location--9f7c1e2b-3d4a-4b5c-8d6e-7f8091a2b3c4";
    let event = "event--4c6d8e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f";
    let cases = [
        (
            broken(event, |o| {
                o.remove("name");
            }),
            format!("{event}.name"),
        ),
        (
            broken(location, |o| {
                o.insert("latitude".into(), json!(123.0));
            }),
            format!("{location}.location.latitude"),
        ),
        (
            broken(event, |o| {
                o.insert("confidence".into(), json!("high"));
            }),
            format!("{event}.confidence"),
        ),
        (
            broken(event, |o| {
                o.insert(
                    "id".into(),
                    json!("report--4c6d8e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f"),
                );
            }),
            "report--4c6d8e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f".to_owned(),
        ),
        (
            broken(event, |o| {
                o.insert(
                    "object_marking_refs".into(),
                    json!(["marking-definition--00000000-0000-4000-8000-000000000000"]),
                );
            }),
            format!("{event}.object_marking_refs"),
        ),
        (
            broken("note--60718293-a4b5-46c7-98d9-f0a1b2c3d4e5", |o| {
                o.insert("confidence".into(), json!(101));
            }),
            "note--60718293-a4b5-46c7-98d9-f0a1b2c3d4e5.confidence".to_owned(),
        ),
        (
            broken(event, |o| {
                o.insert(
                    "granular_markings".into(),
                    json!([{ "marking_ref": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "selectors": ["description"] }]),
                );
            }),
            format!("{event}.granular_markings"),
        ),
    ];
    for (text, field) in cases {
        let err = garrison::stix::import(&db, &text, "opencti", &hidden())
            .await
            .err()
            .unwrap_or_else(|| panic!("{field}: the import should fail"));
        let garrison_core::error::GarrisonError::InvalidInput { field: named, .. } = &err else {
            panic!("{field}: {err:?}");
        };
        assert_eq!(named, &field, "{err}");
    }
    let nothing: Value = serde_json::from_slice(&exported(&db).await).unwrap();
    for section in ["actors", "sources", "bases", "events", "tenures", "reports"] {
        assert_eq!(
            nothing[section],
            json!([]),
            "{section}: nothing was written"
        );
    }
}

#[tokio::test]
async fn a_tlp_marking_the_bundle_defines_under_its_own_id_is_kept() {
    let (_empty, db) = empty_database().await;
    let own = "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37";
    let mut stix: Value = serde_json::from_str(OPENCTI).unwrap();
    let objects = stix["objects"].as_array_mut().unwrap();
    objects.push(json!({
        "type": "marking-definition", "spec_version": "2.1", "id": own,
        "created": "2025-01-01T00:00:00.000Z", "name": "TLP:AMBER+STRICT",
        "definition_type": "statement", "definition": { "statement": "TLP:AMBER+STRICT" }
    }));
    for o in objects.iter_mut() {
        if o["type"] == "threat-actor" {
            o["object_marking_refs"] = json!([own]);
        }
    }
    garrison::stix::import(&db, &stix.to_string(), "opencti", &hidden())
        .await
        .expect("import");
    let file: Value = serde_json::from_slice(&exported(&db).await).unwrap();
    let brigade = file["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Coastal Shield Brigade")
        .unwrap();
    assert_eq!(brigade["marking"], "AMBER_STRICT");
}
