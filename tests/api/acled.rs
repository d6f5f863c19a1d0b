//! ACLED-style tables both ways: a file of ACLED's columns imports its events,
//! matching actors and sources by name or alias, and a second time changes nothing;
//! the export writes ACLED's 31 columns and reads back; a bad cell is named by row
//! and column, and nothing is written.
use crate::export::{empty_database, exported};
use crate::helpers::spawn_app;
use garrison::write::Operation;
use garrison_core::error::GarrisonError;
use indicatif::ProgressBar;
use serde_json::Value;
use std::collections::HashMap;

const SAMPLE: &str = include_str!("../data/acled-sample.csv");

async fn import(
    db: &sea_orm::DatabaseConnection,
    csv: &str,
) -> Result<garrison::bundle::ImportSummary, GarrisonError> {
    garrison::acled::import(db, csv.as_bytes(), "acled", &ProgressBar::hidden())
        .await
        .map(|(summary, _)| summary)
}

async fn csv_of(db: &sea_orm::DatabaseConnection) -> String {
    let mut out = Vec::new();
    garrison::export::to_writer(
        db,
        garrison::visibility::Clearance::ALL,
        garrison::export::Format::Csv,
        garrison::export::Progress::Silent,
        &mut out,
    )
    .await
    .expect("CSV export");
    String::from_utf8(out).unwrap()
}

/// The rows of a CSV table, each by column.
fn rows(text: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (header, rows)
}

fn event<'a>(bundle: &'a Value, key: &str) -> &'a Value {
    bundle["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["key"] == key)
        .unwrap_or_else(|| panic!("no event {key}"))
}

#[tokio::test]
async fn a_table_imports_its_events_matching_names_and_a_second_time_changes_nothing() {
    let app = spawn_app().await;
    let summary = import(&app.db, SAMPLE).await.expect("import");
    assert_eq!(summary.count("Event", Operation::Create), 6, "{summary}");
    assert_eq!(
        summary.count("Actor", Operation::Create),
        1,
        "only Africa Corps is new: {summary}"
    );
    assert_eq!(
        summary.count("Source", Operation::Create),
        2,
        "Levant Monitor and Coastal Wire: {summary}"
    );
    assert_eq!(summary.count("Report", Operation::Create), 8, "{summary}");

    let bundle: Value = serde_json::from_slice(&exported(&app.db).await).unwrap();
    let flights = event(&bundle, "SYR90001");
    assert_eq!(
        flights["kind"], "WITHDRAWAL",
        "the first kind of its sub-event type"
    );
    assert_eq!(flights["occurred"], "2024-12-16");
    assert_eq!(
        flights["title"],
        "Russian forces loaded armoured vehicles onto transport aircraft at the air base."
    );
    assert_eq!(
        flights["actors"][0]["actor"], "russian-armed-forces",
        "by alias"
    );
    assert_eq!(flights["place"]["country"], "SY");
    assert_eq!(flights["place"]["location"]["precision"], "APPROXIMATE");
    assert_eq!(flights["attestations"].as_array().unwrap().len(), 2);
    assert_eq!(flights["attestations"][0]["credibility"], 6);
    let week = event(&bundle, "SYR90002");
    assert_eq!(week["occurred"], "2024-12-17~", "time precision 2");
    assert_eq!(
        week["place"]["location"]["precision"], "CITY",
        "geo precision 2"
    );
    let month = event(&bundle, "SYR90004");
    assert_eq!(month["occurred"], "2024-12", "time precision 3");
    assert_eq!(month["kind"], "AGREEMENT");
    let damascus = event(&bundle, "SYR90003");
    assert_eq!(damascus["kind"], "SEIZURE");
    let roles: Vec<(&str, &str)> = damascus["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["actor"].as_str().unwrap(), a["role"].as_str().unwrap()))
        .collect();
    assert_eq!(
        roles,
        [
            ("hts", "PERFORMER"),
            ("rebel-coalition", "PARTICIPANT"),
            ("syrian-army", "TARGET")
        ]
    );
    let libya = event(&bundle, "LBY90005");
    assert_eq!(libya["place"]["country"], "LY");
    let corps = bundle["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Africa Corps")
        .unwrap();
    assert_eq!(corps["kind"], "ARMED_FORCES", "inter1 1 is state forces");

    let again = import(&app.db, SAMPLE).await.expect("again");
    assert_eq!(again.entries.len(), 0, "{again}");
}

#[tokio::test]
async fn the_export_writes_acleds_columns_and_its_own_file_reads_back() {
    let app = spawn_app().await;
    import(&app.db, SAMPLE).await.expect("import");
    let text = csv_of(&app.db).await;
    let (header, table) = rows(&text);
    assert_eq!(header, garrison::acled::COLUMNS);
    assert_eq!(table.len(), 14 + 6, "a row per event");
    let pullback = table
        .iter()
        .find(|r| r["event_id_cnty"] == "pullback-northern-front")
        .unwrap();
    assert_eq!(pullback["event_date"], "2024-12-08");
    assert_eq!(pullback["year"], "2024");
    assert_eq!(pullback["time_precision"], "2", "eight days or so");
    assert_eq!(pullback["sub_event_type"], "Change to group/activity");
    assert_eq!(pullback["event_type"], "Strategic developments");
    assert_eq!(pullback["actor1"], "Russian Armed Forces");
    assert_eq!(pullback["inter1"], "1");
    assert_eq!(pullback["interaction"], "10");
    assert_eq!(pullback["iso"], "760");
    assert_eq!(pullback["country"], "Syria");
    assert_eq!(pullback["source"], "Reuters; Seed article (news digest)");
    assert_eq!(pullback["fatalities"], "0");
    assert!(
        pullback["tags"].contains("garrison:kind=WITHDRAWAL"),
        "{}",
        pullback["tags"]
    );
    let damascus = table
        .iter()
        .find(|r| r["event_id_cnty"] == "SYR90003")
        .unwrap();
    assert_eq!(damascus["actor1"], "Hayat Tahrir al-Sham");
    assert_eq!(damascus["assoc_actor_1"], "HTS-led rebel coalition");
    assert_eq!(damascus["actor2"], "Syrian Arab Army");
    assert_eq!(damascus["interaction"], "12");
    assert_eq!(damascus["event_type"], "Battles");

    // Read into an empty database, garrison's own file keeps each event's kind,
    // status, confidence and date as written.
    let (_empty, db) = empty_database().await;
    import(&db, &text).await.expect("import of the export");
    let before: Value = serde_json::from_slice(&exported(&app.db).await).unwrap();
    let after: Value = serde_json::from_slice(&exported(&db).await).unwrap();
    for original in before["events"].as_array().unwrap() {
        let copy = event(&after, original["key"].as_str().unwrap());
        for field in ["kind", "status", "confidence", "occurred"] {
            assert_eq!(
                copy[field], original[field],
                "{field} of {}",
                original["key"]
            );
        }
    }
}

#[tokio::test]
async fn a_bad_cell_is_named_by_row_and_column_and_nothing_is_written() {
    let (_empty, db) = empty_database().await;
    let lines: Vec<&str> = SAMPLE.lines().collect();
    let with = |row: usize, from: &str, to: &str| -> String {
        let mut lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        assert!(lines[row].contains(from), "{from} in row {row}");
        lines[row] = lines[row].replacen(from, to, 1);
        lines.join("\n")
    };
    let cases = [
        (with(2, "34.9000", "north"), "row 2.latitude"),
        (with(3, "2024-12-08", "8 Dezember"), "row 3.event_date"),
        (
            with(4, ",3,Strategic", ",9,Strategic"),
            "row 4.time_precision",
        ),
        (with(6, "SYR90006", "SYR90001"), "row 6.event_id_cnty"),
        (with(1, ",760,", ",999,"), "row 1.iso"),
        (
            with(2, "34.9000", "134.9000"),
            "row 2.place.location.latitude",
        ),
        (
            with(5, ",Al Jufra air base,", ",\"Al Jufra, air base\",x,"),
            "row 5",
        ),
        (lines[1..].join("\n").replacen("SYR90001", "x", 1), "header"),
    ];
    for (text, field) in cases {
        let err = import(&db, &text)
            .await
            .err()
            .unwrap_or_else(|| panic!("{field}: the import should fail"));
        let GarrisonError::InvalidInput {
            field: named,
            reason,
        } = &err
        else {
            panic!("{field}: {err:?}");
        };
        assert_eq!(named, field, "{reason}");
    }
    let nothing: Value = serde_json::from_slice(&exported(&db).await).unwrap();
    for section in ["actors", "sources", "events", "reports"] {
        assert_eq!(nothing[section], serde_json::json!([]), "{section}");
    }
}

#[tokio::test]
async fn markings_travel_in_tags_and_a_rows_text_is_never_wider_than_its_event() {
    let (_empty, db) = empty_database().await;
    let header = garrison::acled::COLUMNS.join(",");
    let row = |id: &str, actor: &str, source: &str, notes: &str, tags: &str| {
        let mut cells = vec![String::new(); 31];
        let at = |c: &str| {
            garrison::acled::COLUMNS
                .iter()
                .position(|x| *x == c)
                .unwrap()
        };
        cells[at("event_id_cnty")] = id.to_owned();
        cells[at("event_date")] = "2024-12-20".to_owned();
        cells[at("actor1")] = actor.to_owned();
        cells[at("inter1")] = "2".to_owned();
        cells[at("source")] = source.to_owned();
        cells[at("notes")] = notes.to_owned();
        cells[at("tags")] = tags.to_owned();
        cells.join(",")
    };
    let red = format!(
        "{header}\n{}\n",
        row(
            "RED1",
            "Hidden Brigade",
            "Hidden Wire",
            "A secret move.",
            "garrison:marking=RED"
        )
    );
    import(&db, &red).await.expect("import");
    let bundle: Value = serde_json::from_slice(&exported(&db).await).unwrap();
    assert_eq!(event(&bundle, "RED1")["marking"], "RED");
    for section in ["actors", "sources", "reports"] {
        assert!(
            bundle[section]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["marking"] == "RED"),
            "{section}: what a RED row creates is RED"
        );
    }
    // An untagged row that updates the RED event: its report takes the event's marking.
    let update = format!(
        "{header}\n{}\n",
        row("RED1", "Hidden Brigade", "Open Wire", "Another secret.", "")
    );
    import(&db, &update).await.expect("update");
    let bundle: Value = serde_json::from_slice(&exported(&db).await).unwrap();
    let reports = bundle["reports"].as_array().unwrap();
    assert!(reports.iter().all(|r| r["marking"] == "RED"), "{reports:?}");
    let sources = bundle["sources"].as_array().unwrap();
    assert!(
        sources.iter().all(|s| s["marking"] == "RED"),
        "a source only RED rows name is RED: {sources:?}"
    );
    assert!(
        !reports
            .iter()
            .any(|r| r["title"].as_str().unwrap().contains("secret")),
        "a report's title holds no text of the row"
    );
    let text = csv_of(&db).await;
    assert!(text.contains("garrison:marking=RED"), "{text}");

    // A name a spreadsheet would run as a formula is written after an apostrophe
    // and read back without it.
    let formula = format!(
        "{header}\n{}\n",
        row("F1", "=HYPERLINK(\"x\")", "@Wire", "+notes", "")
    );
    import(&db, &formula.replace("\"x\"", "x"))
        .await
        .expect("formula");
    let text = csv_of(&db).await;
    let (_, table) = rows(&text);
    let f1 = table.iter().find(|r| r["event_id_cnty"] == "F1").unwrap();
    assert_eq!(f1["actor1"], "'=HYPERLINK(x)");
    assert_eq!(f1["source"], "'@Wire");
    let (_empty2, copy) = empty_database().await;
    import(&copy, &text).await.expect("re-import");
    let bundle: Value = serde_json::from_slice(&exported(&copy).await).unwrap();
    assert_eq!(event(&bundle, "F1")["summary"], "+notes");
}
