//! Root filters, name matching and fuzzy-date edges.
use crate::helpers::{error_code, node_values, spawn_app};
use serde_json::json;

#[tokio::test]
async fn names_match_aliases_case_accents_and_arabic_articles() {
    let app = spawn_app().await;
    for spelling in [
        "al-Jolani",
        "JAULANI",
        "Ahmed al Sharaa",
        "sharaa",
        "Jolani",
    ] {
        let data = app
            .data(
                r#"query($n: String!) { actors(filter: { name: $n }) { nodes { name } } }"#,
                json!({ "n": spelling }),
            )
            .await;
        assert_eq!(
            node_values(&data, "/actors/nodes", "name"),
            ["Ahmed Husein al-Sharaa"],
            "{spelling}"
        );
    }
    for spelling in ["Ḥmeimim", "humaymim", "KHMEIMIM", "Humayim"] {
        let data = app
            .data(
                r#"query($n: String!) { bases(filter: { name: $n }) { nodes { name } } }"#,
                json!({ "n": spelling }),
            )
            .await;
        assert_eq!(
            node_values(&data, "/bases/nodes", "name"),
            ["Hmeimim Air Base"],
            "{spelling}"
        );
    }
}

#[tokio::test]
async fn root_filters_narrow_each_list() {
    let app = spawn_app().await;
    let russia = app
        .id_of(
            r#"{ actors(filter: { name: "Russia", kind: [STATE] }) { nodes { id } } }"#,
            "/actors/nodes/0/id",
        )
        .await;
    let navy = app
        .id_of(
            r#"{ actors(filter: { name: "Russian Navy" }) { nodes { id } } }"#,
            "/actors/nodes/0/id",
        )
        .await;
    let reuters = app
        .id_of(
            r#"{ sources(filter: { name: "reuters" }) { nodes { id } } }"#,
            "/sources/nodes/0/id",
        )
        .await;
    let an124 = app
        .id_of(
            r#"{ assets(filter: { model: "an-124" }) { nodes { id } } }"#,
            "/assets/nodes/0/id",
        )
        .await;
    let vars = json!({ "russia": russia, "navy": navy, "reuters": reuters, "an124": an124 });
    let data = app
        .data(
            r#"query($russia: ID!, $navy: ID!, $reuters: ID!, $an124: ID!) {
              states: actors(filter: { kind: [STATE], country: ["ru", "LY"] }) { nodes { name } }
              children: actors(filter: { parent: $russia }) { nodes { name } }
              naval: bases(filter: { kind: [NAVAL_BASE] }) { nodes { name } }
              syrian: bases(filter: { country: ["SY"], region: "latakia" }) { nodes { name } }
              navyBases: bases(filter: { actor: $navy }) { nodes { name } }
              old: bases(filter: { establishedBy: "1980" }) { nodes { name } }
              aircraft: assets(filter: { kind: [AIRCRAFT] }) { nodes { name } }
              navyAssets: assets(filter: { owner: $navy }) { nodes { name } }
              reliable: sources(filter: { reliability: [B] }) { totalCount }
              imagery: sources(filter: { kind: [IMAGERY] }) { nodes { name } }
              reutersReports: reports(filter: { source: $reuters }) { nodes { title } }
              early: reports(filter: { during: "2024-12-11" }) { nodes { title } }
              russian: reports(filter: { language: ["ru"] }) { totalCount }
              confident: events(filter: { minConfidence: 90 }) { totalCount }
              confirmed: events(filter: { status: [CONFIRMED], kind: [OFFENSIVE] }) { nodes { title } }
              byReuters: events(filter: { source: $reuters }) { totalCount }
              withAn124: events(filter: { asset: $an124 }) { totalCount }
              navyOnly: events(filter: { actor: $navy, includeSubordinates: false }) { nodes { title } }
              inLibya: events(filter: { country: ["LY"] }) { nodes { title } }
              titled: events(filter: { title: "LIBYA" }) { nodes { title } }
              atFriday: events(filter: { at: "2024-12-13", kind: [LOGISTICS, FLIGHT] }) { nodes { title } }
              reportTitled: reports(filter: { title: "satellite footage" }) { nodes { title } }
            }"#,
            vars,
        )
        .await;
    assert_eq!(
        node_values(&data, "/states/nodes", "name"),
        ["Libya", "Russia"]
    );
    assert_eq!(
        node_values(&data, "/children/nodes", "name"),
        ["Government of Russia", "Russian Armed Forces"]
    );
    assert_eq!(
        node_values(&data, "/naval/nodes", "name"),
        ["Tartus naval base"]
    );
    assert_eq!(
        node_values(&data, "/syrian/nodes", "name"),
        ["Hmeimim Air Base"]
    );
    assert_eq!(
        node_values(&data, "/navyBases/nodes", "name"),
        ["Tartus naval base"]
    );
    assert_eq!(
        node_values(&data, "/old/nodes", "name"),
        ["Tartus naval base"]
    );
    assert_eq!(
        node_values(&data, "/aircraft/nodes", "name"),
        ["An-124 transport aircraft at Hmeimim"]
    );
    assert_eq!(
        node_values(&data, "/navyAssets/nodes", "name"),
        ["Russian warships at Tartus"]
    );
    assert_eq!(data["reliable"]["totalCount"], 3);
    assert_eq!(
        node_values(&data, "/imagery/nodes", "name"),
        ["Commercial satellite imagery"]
    );
    assert_eq!(data["reutersReports"]["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(
        node_values(&data, "/early/nodes", "title"),
        [
            "Russia in talks with the new Syrian authorities about the bases",
            "Military ships have left the Russian naval base in Tartus"
        ]
    );
    assert_eq!(data["russian"]["totalCount"], 1);
    assert_eq!(data["confident"]["totalCount"], 4);
    assert_eq!(
        node_values(&data, "/confirmed/nodes", "title"),
        ["HTS-led rebel coalition's 11-day lightning offensive"]
    );
    assert_eq!(data["byReuters"]["totalCount"], 2);
    assert_eq!(data["withAn124"]["totalCount"], 2);
    assert_eq!(
        node_values(&data, "/navyOnly/nodes", "title"),
        ["Military ships leave the Russian naval base in Tartus"]
    );
    assert_eq!(
        node_values(&data, "/inLibya/nodes", "title"),
        ["An-124 flies from Hmeimim to Libya"]
    );
    assert_eq!(
        node_values(&data, "/titled/nodes", "title"),
        ["An-124 flies from Hmeimim to Libya"]
    );
    // Friday's loading ("2024-12-13~") and Saturday's flight ("2024-12-14~", which may
    // have been a day earlier) may both have happened on the 13th.
    assert_eq!(
        node_values(&data, "/atFriday/nodes", "title"),
        [
            "An-124 cargo planes prepare to load at Hmeimim",
            "An-124 flies from Hmeimim to Libya"
        ]
    );
    assert_eq!(
        node_values(&data, "/reportTitled/nodes", "title"),
        ["Satellite footage of Hmeimim air base"]
    );
}

#[tokio::test]
async fn fuzzy_date_filters_overlap_at_the_edges() {
    let app = spawn_app().await;
    let events = |during: &str| {
        let during = during.to_owned();
        let app = &app;
        async move {
            let data = app
                .data(r#"query($d: EDTF!) { events(filter: { during: $d }, first: 100) { nodes { title } } }"#, json!({ "d": during }))
                .await;
            node_values(&data, "/events/nodes", "title")
        }
    };
    // The 11-day offensive ran 2024-11-27/2024-12-08: its first and last days match,
    // the days either side do not.
    let offensive = "HTS-led rebel coalition's 11-day lightning offensive".to_string();
    assert!(events("2024-11-27").await.contains(&offensive));
    assert!(events("2024-12-08").await.contains(&offensive));
    assert!(!events("2024-11-26").await.contains(&offensive));
    assert!(!events("2024-12-09").await.contains(&offensive));
    // "1971" is the whole year. The ships' departure ("../2024-12-11~") has an open
    // start, so it may have happened then too; undated events never match.
    assert_eq!(
        events("1971").await,
        [
            "Soviet–Syrian agreement establishing the Tartus naval base",
            "Military ships leave the Russian naval base in Tartus"
        ]
    );
    assert!(!events("1970").await.iter().any(|t| t.contains("agreement")));
    assert!(
        events("1947/1991")
            .await
            .iter()
            .all(|t| !t.contains("Egypt"))
    );
    // An open interval reaches forward without end.
    assert!(
        events("2024-12-14/..")
            .await
            .contains(&"An-124 flies from Hmeimim to Libya".to_string())
    );

    let tenures = |at: &str| {
        let at = at.to_owned();
        let app = &app;
        async move {
            let data = app
                .data(r#"query($at: EDTF!) { bases(first: 10) { nodes { name tenures(at: $at) { nodes { role } } } } }"#, json!({ "at": at }))
                .await;
            data["bases"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| {
                    (
                        b["name"].as_str().unwrap().to_owned(),
                        node_values(b, "/tenures/nodes", "role"),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let in_1970 = tenures("1970").await;
    assert_eq!(
        in_1970[1],
        ("Tartus naval base".into(), vec![]),
        "no tenure at Tartus before 1971"
    );
    let in_1971 = tenures("1971-01-01").await;
    assert_eq!(in_1971[1].1, ["OPERATOR", "HOST"]);
    let day_before = tenures("2024-12-07").await;
    assert!(!day_before[0].1.contains(&"CONTROLLER".to_string()));
    let day_of = tenures("2024-12-08").await;
    assert!(day_of[0].1.contains(&"CONTROLLER".to_string()));
}

#[tokio::test]
async fn invalid_filter_values_are_bad_user_input() {
    let app = spawn_app().await;
    // (query, the field named in extensions.field, a word of the message)
    let cases = [
        (
            r#"{ events(filter: { during: "2024-13" }) { totalCount } }"#,
            "filter.during",
            "\"2024-13\"",
        ),
        (
            r#"{ events(filter: { at: "yesterday" }) { totalCount } }"#,
            "filter.at",
            "\"yesterday\"",
        ),
        (
            r#"{ reports(filter: { during: "2024/2023" }) { totalCount } }"#,
            "filter.during",
            "after its end",
        ),
        (
            r#"{ bases(filter: { establishedBy: "71" }) { totalCount } }"#,
            "filter.establishedBy",
            "\"71\"",
        ),
        (
            r#"{ bases { nodes { tenures(at: "2024-12-32") { totalCount } } } }"#,
            "at",
            "no day 32",
        ),
        (
            r#"{ assets { nodes { deployments(at: "2024-00") { totalCount } } } }"#,
            "at",
            "month 00",
        ),
        (
            r#"{ events(filter: { minConfidence: 101 }) { totalCount } }"#,
            "filter.minConfidence",
            "between 0 and 100",
        ),
        (
            r#"{ events(filter: { actor: "nope" }) { totalCount } }"#,
            "filter.actor",
            "not a valid id",
        ),
    ];
    for (query, field, needle) in cases {
        let body = app.graphql(query, json!({})).await;
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{query}: {body:#}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"], field,
            "{query}: {body:#}"
        );
        let message = body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(needle), "{query}: {message}");
    }
}
