//! As-of and during (POSSIBLE vs CERTAIN, interval edges, open ends), timelines and
//! `Asset.locationAt`.
use crate::helpers::{TestApp, error_code, node_values, spawn_app};
use garrison::auth::Role;
use serde_json::{Value, json};

/// A base with one asset deployed three times and three events, for dated questions:
/// d1 2024-12-02..2024-12-10, d2 from 2024-12-11 and still there, d3 until 2024-11-30
/// (start unknown); events on 2024-12-05 (with the asset), in 2024-12, and over
/// 2024-11-30/2024-12-02.
struct Fixture {
    base: String,
    asset: String,
    editor: String,
}

async fn fixture(app: &TestApp) -> Fixture {
    let editor = app.token(Role::Editor).await;
    let base = app
        .created(
            &editor,
            "Base",
            json!({ "kind": "AIR_BASE", "name": "Dated Field", "country": "SY" }),
        )
        .await;
    let asset = app
        .created(
            &editor,
            "Asset",
            json!({ "kind": "AIRCRAFT", "name": "Dated Ruslan" }),
        )
        .await;
    let source = app
        .created(
            &editor,
            "Source",
            json!({ "kind": "NEWS_AGENCY", "name": "Dated Wire", "reliability": "B" }),
        )
        .await;
    let report = app
        .created(
            &editor,
            "Report",
            json!({ "title": "Dated report", "source": source }),
        )
        .await;
    for (from, to) in [
        (json!("2024-12-02"), json!("2024-12-10")),
        (json!("2024-12-11"), Value::Null),
        (Value::Null, json!("2024-11-30")),
    ] {
        app.created(
            &editor,
            "Deployment",
            json!({ "asset": asset, "base": base, "validFrom": from, "validTo": to }),
        )
        .await;
    }
    for (title, occurred, with_asset) in [
        ("On the fifth", "2024-12-05", true),
        ("Some day in December", "2024-12", false),
        ("Across the month's turn", "2024-11-30/2024-12-02", false),
    ] {
        let assets = if with_asset {
            json!([{ "asset": asset, "role": "SUBJECT" }])
        } else {
            json!([])
        };
        app.created(
            &editor,
            "Event",
            json!({
                "kind": "MOVEMENT", "status": "REPORTED", "title": title, "occurred": occurred,
                "bases": [{ "base": base, "role": "LOCATION" }], "assets": assets,
                "attestations": [{ "report": report, "excerpt": title, "credibility": 2 }],
            }),
        )
        .await;
    }
    Fixture {
        base,
        asset,
        editor,
    }
}

async fn deployments_at(app: &TestApp, base: &str, at: &str, certainty: &str) -> Vec<String> {
    let data = app
        .data(
            r#"query($b: ID!, $at: EDTF!, $c: Certainty!) { base(id: $b) {
                 deployments(at: $at, certainty: $c) { nodes { validFrom { edtf } validTo { edtf } } } } }"#,
            json!({ "b": base, "at": at, "c": certainty }),
        )
        .await;
    data["base"]["deployments"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|d| {
            format!(
                "{}/{}",
                d["validFrom"]["edtf"].as_str().unwrap_or(""),
                d["validTo"]["edtf"].as_str().unwrap_or("..")
            )
        })
        .collect()
}

#[tokio::test]
async fn deployments_at_a_date_possible_and_certain() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let d1 = "2024-12-02/2024-12-10";
    let d2 = "2024-12-11/..";
    let d3 = "/2024-11-30";
    for (at, certainty, expected) in [
        // The last day of an interval is in it; the next day is not.
        ("2024-12-10", "POSSIBLE", vec![d1]),
        ("2024-12-11", "POSSIBLE", vec![d2]),
        ("2024-12-02", "CERTAIN", vec![d1]),
        ("2024-12-01", "POSSIBLE", vec![]),
        // A month is an interval: overlapping it is possible, covering it is certain.
        ("2024-12", "POSSIBLE", vec![d1, d2]),
        ("2024-12", "CERTAIN", vec![]),
        // An open end is "still so": it covers any later date.
        ("2031-06", "CERTAIN", vec![d2]),
        // An unknown start may reach back to any date, but never certainly.
        ("1999", "POSSIBLE", vec![d3]),
        ("2024-11-15", "CERTAIN", vec![]),
        ("2024-12-05", "CERTAIN", vec![d1]),
    ] {
        assert_eq!(
            deployments_at(&app, &f.base, at, certainty).await,
            expected,
            "at {at} {certainty}"
        );
    }
}

#[tokio::test]
async fn events_during_and_at_possible_and_certain() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let titles = |filter: Value| {
        let app = &app;
        async move {
            let data = app
                .data(
                    r#"query($f: EventFilter) { events(filter: $f, orderBy: { field: TITLE }) { nodes { title } } }"#,
                    json!({ "f": filter }),
                )
                .await;
            node_values(&data, "/events/nodes", "title")
        }
    };
    let base = f.base.clone();
    let all = [
        "Across the month's turn",
        "On the fifth",
        "Some day in December",
    ];
    assert_eq!(
        titles(json!({ "base": base, "during": "2024-12" })).await,
        all
    );
    assert_eq!(
        titles(json!({ "base": base, "during": "2024-12", "certainty": "CERTAIN" })).await,
        ["On the fifth", "Some day in December"]
    );
    assert_eq!(
        titles(json!({ "base": base, "at": "2024-12-05", "certainty": "CERTAIN" })).await,
        ["On the fifth", "Some day in December"]
    );
    assert_eq!(
        titles(json!({ "base": base, "at": "2024-11-30" })).await,
        ["Across the month's turn"]
    );
    // The interval's first instant and last day are its edges.
    assert_eq!(
        titles(json!({ "base": base, "during": "2024-12-02/2024-12-02", "certainty": "CERTAIN" }))
            .await,
        Vec::<String>::new()
    );
    assert_eq!(
        titles(json!({ "base": base, "during": "2024-11-30/2024-12-05", "certainty": "CERTAIN" }))
            .await,
        ["Across the month's turn", "On the fifth"]
    );
    let body = app
        .graphql(
            r#"{ events(filter: { at: "2024-13" }) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "filter.at");
}

const TIMELINE: &str = r#"query($id: ID!, $after: String) { node(id: $id) {
    ... on Base { timeline(first: 4, after: $after) { ...page } }
    ... on Asset { timeline(first: 4, after: $after) { ...page } }
    ... on Actor { timeline(first: 4, after: $after) { ...page } } } }
  fragment page on TimelineEntryConnection {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { kind date { edtf } event { title } deployment { id } tenure { id }
            attestations { totalCount } } }"#;

/// The whole timeline of `id`, paged four at a time: `KIND date` per entry.
async fn timeline(app: &TestApp, id: &str) -> Vec<String> {
    let mut entries = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app
            .data(TIMELINE, json!({ "id": id, "after": after }))
            .await;
        let page = &data["node"]["timeline"];
        for node in page["nodes"].as_array().expect("nodes") {
            let kind = node["kind"].as_str().expect("kind");
            let linked = match kind {
                "EVENT" => !node["event"].is_null(),
                "TENURE_STARTED" | "TENURE_ENDED" => !node["tenure"].is_null(),
                _ => !node["deployment"].is_null(),
            };
            assert!(linked, "{node:#}");
            entries.push(format!(
                "{kind} {}",
                node["date"]["edtf"].as_str().unwrap_or("-")
            ));
        }
        if page["pageInfo"]["hasNextPage"] != json!(true) {
            assert_eq!(page["totalCount"], json!(entries.len()));
            return entries;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

#[tokio::test]
async fn timelines_list_what_happened_in_order() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    assert_eq!(
        timeline(&app, &f.base).await,
        [
            "EVENT 2024-11-30/2024-12-02",
            "DEPLOYMENT_ENDED 2024-11-30",
            "EVENT 2024-12",
            "DEPLOYMENT_STARTED 2024-12-02",
            "EVENT 2024-12-05",
            "DEPLOYMENT_ENDED 2024-12-10",
            "DEPLOYMENT_STARTED 2024-12-11",
        ]
    );
    assert_eq!(
        timeline(&app, &f.asset).await,
        [
            "DEPLOYMENT_ENDED 2024-11-30",
            "DEPLOYMENT_STARTED 2024-12-02",
            "EVENT 2024-12-05",
            "DEPLOYMENT_ENDED 2024-12-10",
            "DEPLOYMENT_STARTED 2024-12-11",
        ]
    );
    let entries = app
        .data(
            r#"query($id: ID!) { node(id: $id) { ... on Base { timeline(first: 1) {
                 nodes { attestations { nodes { excerpt } } } } } } }"#,
            json!({ "id": f.base }),
        )
        .await;
    assert_eq!(
        entries["node"]["timeline"]["nodes"][0]["attestations"]["nodes"][0]["excerpt"],
        "Across the month's turn"
    );
    // An actor's timeline: its tenures (an undated one last) and its events.
    let actor = app
        .created(
            &f.editor,
            "Actor",
            json!({ "kind": "STATE", "name": "Datedland" }),
        )
        .await;
    for from in [json!("1971"), Value::Null] {
        app.created(
            &f.editor,
            "Tenure",
            json!({ "actor": actor, "base": f.base, "role": "OPERATOR", "validFrom": from }),
        )
        .await;
    }
    assert_eq!(
        timeline(&app, &actor).await,
        ["TENURE_STARTED 1971", "TENURE_STARTED -"]
    );
}

#[tokio::test]
async fn an_asset_location_at_a_date() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let located = |date: &'static str, certainty: &'static str| {
        let (app, asset) = (&app, f.asset.clone());
        async move {
            let data = app
                .data(
                    r#"query($a: ID!, $d: EDTF!, $c: Certainty!) { asset(id: $a) {
                         locationAt(date: $d, certainty: $c) { base { name } validFrom { edtf } } } }"#,
                    json!({ "a": asset, "d": date, "c": certainty }),
                )
                .await;
            data["asset"]["locationAt"]
                .as_array()
                .expect("list")
                .iter()
                .map(|d| d["validFrom"]["edtf"].as_str().unwrap_or("?").to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(located("2024-12-05", "POSSIBLE").await, ["2024-12-02"]);
    assert_eq!(located("2025-03-01", "CERTAIN").await, ["2024-12-11"]);
    assert_eq!(
        located("2024-12", "POSSIBLE").await,
        ["2024-12-02", "2024-12-11"]
    );
    assert!(located("2024-12", "CERTAIN").await.is_empty());
    let body = app
        .graphql(
            r#"query($a: ID!) { asset(id: $a) { locationAt(date: "13 December") { id } } }"#,
            json!({ "a": f.asset }),
        )
        .await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(body["errors"][0]["extensions"]["field"], "date");
}

#[tokio::test]
async fn a_base_events_follow_their_dates_and_count_each_event_once() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let before = latest_events(&app, &f.base).await;
    assert_eq!(before["totalCount"], 3);
    assert_eq!(
        node_values(&before, "/nodes", "title"),
        ["Some day in December", "On the fifth"]
    );
    // Moving the earliest event to 2025 makes it the latest: the participations' copy
    // of the date follows the event.
    let turn = app
        .id_of(
            r#"{ events(filter: { title: "Across the month" }) { nodes { id } } }"#,
            "/events/nodes/0/id",
        )
        .await;
    let version = app.version_of(&turn).await;
    let body = app
        .update(
            &f.editor,
            "Event",
            &turn,
            version,
            json!({ "occurred": "2025-01-01" }),
            "id",
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    // A second role of the same base in that event does not list it twice.
    let body = app
        .create(
            &f.editor,
            "EventBase",
            json!({ "event": turn, "base": f.base, "role": "ORIGIN" }),
        )
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    let after = latest_events(&app, &f.base).await;
    assert_eq!(after["totalCount"], 3);
    assert_eq!(
        node_values(&after, "/nodes", "title"),
        ["On the fifth", "Across the month's turn"]
    );
}

/// The last two events of `base` in date order, with the count of all.
async fn latest_events(app: &TestApp, base: &str) -> Value {
    let data = app
        .data(
            r#"query($b: ID!) { base(id: $b) { events(last: 2) { totalCount nodes { id title } } } }"#,
            json!({ "b": base }),
        )
        .await;
    data["base"]["events"].clone()
}

/// EDTF Level 1 (and Level 2's qualified parts and unspecified digits) through the
/// API: each date is stored with the bounds the specification gives it, filters use
/// them, and an overlong or impossible date is BAD_USER_INPUT naming its field.
#[tokio::test]
async fn edtf_level_1_dates_are_stored_with_their_bounds_and_filtered_by_them() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let dates = [
        (
            "197X",
            "1970-01-01T00:00:00+00:00",
            "1979-12-31T23:59:59+00:00",
        ),
        (
            "2024-1X",
            "2024-10-01T00:00:00+00:00",
            "2024-12-31T23:59:59+00:00",
        ),
        (
            "2024-12-XX",
            "2024-12-01T00:00:00+00:00",
            "2024-12-31T23:59:59+00:00",
        ),
        (
            "2024-24",
            "2024-12-01T00:00:00+00:00",
            "2025-02-28T23:59:59+00:00",
        ),
        (
            "2024-12?-13",
            "2024-12-13T00:00:00+00:00",
            "2024-12-13T23:59:59+00:00",
        ),
        (
            "-0044-03-15",
            "-0044-03-15T00:00:00+00:00",
            "-0044-03-15T23:59:59+00:00",
        ),
        (
            "Y-12000",
            "-12000-01-01T00:00:00+00:00",
            "-12000-12-31T23:59:59+00:00",
        ),
    ];
    for (i, (edtf, _, _)) in dates.iter().enumerate() {
        let input =
            json!({ "kind": "AIR_BASE", "name": format!("Fuzzy Field {i}"), "established": edtf });
        app.created(&editor, "Base", input).await;
    }
    let data = app
        .data(
            r#"{ bases(filter: { name: "Fuzzy Field" }, first: 20, orderBy: { field: ESTABLISHED }) {
                nodes { established { edtf earliest latest uncertain } } } }"#,
            json!({}),
        )
        .await;
    let got: Vec<(String, String, String)> = data["bases"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let d = &n["established"];
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
            (text("edtf"), text("earliest"), text("latest"))
        })
        .collect();
    let mut expected: Vec<(String, String, String)> = dates
        .iter()
        .map(|(e, lo, hi)| (e.to_string(), lo.to_string(), hi.to_string()))
        .collect();
    // In order of their earliest instant.
    expected.sort_by_key(|(edtf, _, _)| {
        garrison_core::fuzzy_date::FuzzyDate::parse(edtf)
            .unwrap()
            .earliest()
    });
    assert_eq!(got, expected);

    // Established by November 2024: the 1970s, October to December 2024 (it may have
    // been October), 44 BC and 12,001 BC; not December 2024 nor its winter.
    let by = app
        .data(
            r#"{ bases(filter: { name: "Fuzzy Field", establishedBy: "2024-11" }, first: 20) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(by["bases"]["totalCount"], 4);

    for bad in [
        "2024-2X".to_owned(),
        "2024-02-3X".to_owned(),
        "2024-".repeat(100),
    ] {
        let body = app
            .graphql(
                r#"query($d: EDTF) { events(filter: { during: $d }) { totalCount } }"#,
                json!({ "d": bad }),
            )
            .await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{bad}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "filter.during");
        assert!(
            body.to_string().len() < 1_000,
            "the error echoes {bad} whole"
        );
    }
}
