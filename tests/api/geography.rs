//! Geographic filters (`near`, `within`) with distances, across the antimeridian and
//! at the poles, and the GeoJSON endpoints.
use crate::helpers::{TestApp, error_code, node_values, spawn_app};
use garrison::auth::Role;
use serde_json::{Value, json};

/// One degree of a great circle, in kilometres (mean Earth radius 6371.0088 km).
const DEGREE_KM: f64 = 111.195_079_734_632;

async fn base_at(app: &TestApp, token: &str, name: &str, latitude: f64, longitude: f64) -> String {
    app.created(
        token,
        "Base",
        json!({ "kind": "ARMY_BASE", "name": name, "location": { "latitude": latitude, "longitude": longitude } }),
    )
    .await
}

async fn bases(app: &TestApp, filter: Value) -> Value {
    app.data(
        r#"query($f: BaseFilter) { bases(filter: $f, first: 50) { edges { distanceKm node { name } } } }"#,
        json!({ "f": filter }),
    )
    .await
}

fn names(data: &Value) -> Vec<String> {
    data["bases"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn near_orders_by_distance_and_respects_the_radius() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    for (name, longitude) in [("Two", 2.0), ("Half", 0.5), ("One", 1.0)] {
        base_at(&app, &editor, name, 0.0, longitude).await;
    }
    let near =
        |radius: f64| json!({ "near": { "latitude": 0.0, "longitude": 0.0, "radiusKm": radius } });
    let data = bases(&app, near(300.0)).await;
    assert_eq!(names(&data), ["Half", "One", "Two"]);
    let distances: Vec<f64> = data["bases"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["distanceKm"].as_f64().expect("distance"))
        .collect();
    for (got, degrees) in distances.iter().zip([0.5, 1.0, 2.0]) {
        assert!(
            (got - degrees * DEGREE_KM).abs() < 1e-6,
            "{got} vs {degrees}°"
        );
    }
    // One degree away: just outside a radius a metre short, inside one a metre long.
    assert_eq!(names(&bases(&app, near(DEGREE_KM - 0.001)).await), ["Half"]);
    assert_eq!(
        names(&bases(&app, near(DEGREE_KM + 0.001)).await),
        ["Half", "One"]
    );
    // Another order can be asked for; the distance stays on the edges.
    let by_name = app
        .data(
            r#"{ bases(filter: { near: { latitude: 0, longitude: 0, radiusKm: 300 } },
                       orderBy: { field: NAME, direction: DESC }) { edges { distanceKm node { name } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(names(&by_name), ["Two", "One", "Half"]);
    assert!(by_name["bases"]["edges"][0]["distanceKm"].is_number());
    // Without `near` there is no distance.
    let plain = bases(&app, json!({ "name": "Half" })).await;
    assert!(plain["bases"]["edges"][0]["distanceKm"].is_null());
    // Cursors page through the distance order.
    let first = app
        .data(
            r#"{ bases(filter: { near: { latitude: 0, longitude: 0, radiusKm: 300 } }, first: 2) {
                 pageInfo { endCursor } nodes { name } } }"#,
            json!({}),
        )
        .await;
    let rest = app
        .data(
            r#"query($after: String) { bases(filter: { near: { latitude: 0, longitude: 0, radiusKm: 300 } },
                 first: 2, after: $after) { nodes { name } } }"#,
            json!({ "after": first["bases"]["pageInfo"]["endCursor"] }),
        )
        .await;
    assert_eq!(node_values(&first, "/bases/nodes", "name"), ["Half", "One"]);
    assert_eq!(node_values(&rest, "/bases/nodes", "name"), ["Two"]);
}

#[tokio::test]
async fn boxes_and_circles_across_the_antimeridian_and_at_the_poles() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    base_at(&app, &editor, "Date Line East", -17.0, 179.5).await;
    base_at(&app, &editor, "Date Line West", -17.0, -179.5).await;
    base_at(&app, &editor, "Far West", -17.0, 170.0).await;
    base_at(&app, &editor, "North Pole Camp", 89.9, 45.0).await;
    base_at(&app, &editor, "Other Side Of The Pole", 89.9, -135.0).await;
    base_at(&app, &editor, "South Pole Camp", -89.5, 0.0).await;

    let across = json!({ "within": { "south": -20, "west": 178, "north": -15, "east": -178 } });
    let mut found = names(&bases(&app, across).await);
    found.sort();
    assert_eq!(found, ["Date Line East", "Date Line West"]);
    let circle = json!({ "near": { "latitude": -17.0, "longitude": 179.9, "radiusKm": 100 } });
    assert_eq!(
        names(&bases(&app, circle).await),
        ["Date Line East", "Date Line West"]
    );

    // Both camps are about 11 km from the pole, on opposite meridians.
    let pole = json!({ "near": { "latitude": 90, "longitude": 0, "radiusKm": 20 } });
    let mut polar = names(&bases(&app, pole).await);
    polar.sort();
    assert_eq!(polar, ["North Pole Camp", "Other Side Of The Pole"]);
    let cap = json!({ "within": { "south": 89, "west": -180, "north": 90, "east": 180 } });
    assert_eq!(names(&bases(&app, cap).await).len(), 2);
    let south = json!({ "near": { "latitude": -90, "longitude": 123, "radiusKm": 60 } });
    assert_eq!(names(&bases(&app, south).await), ["South Pole Camp"]);
    // The whole Earth is the largest radius.
    let world = json!({ "near": { "latitude": 0, "longitude": 0, "radiusKm": 20015.1 } });
    assert_eq!(
        names(&bases(&app, world).await).len(),
        8,
        "six here and the two seeded bases"
    );
}

#[tokio::test]
async fn geographic_ranges_are_validated() {
    let app = spawn_app().await;
    for (filter, field) in [
        (
            json!({ "near": { "latitude": 91, "longitude": 0, "radiusKm": 1 } }),
            "filter.near.latitude",
        ),
        (
            json!({ "near": { "latitude": 0, "longitude": -180.5, "radiusKm": 1 } }),
            "filter.near.longitude",
        ),
        (
            json!({ "near": { "latitude": 0, "longitude": 0, "radiusKm": 0 } }),
            "filter.near.radiusKm",
        ),
        (
            json!({ "near": { "latitude": 0, "longitude": 0, "radiusKm": 30000 } }),
            "filter.near.radiusKm",
        ),
        (
            json!({ "within": { "south": 10, "west": 0, "north": 5, "east": 1 } }),
            "filter.within.south",
        ),
        (
            json!({ "within": { "south": 0, "west": 0, "north": 5, "east": 200 } }),
            "filter.within.east",
        ),
    ] {
        for list in ["bases", "events"] {
            let kind = if list == "bases" {
                "BaseFilter"
            } else {
                "EventFilter"
            };
            let body = app
                .graphql(
                    &format!("query($f: {kind}) {{ {list}(filter: $f) {{ nodes {{ id }} }} }}"),
                    json!({ "f": filter }),
                )
                .await;
            assert_eq!(error_code(&body), "BAD_USER_INPUT", "{filter} {body:#}");
            assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body:#}");
        }
    }
}

#[tokio::test]
async fn events_near_a_point_and_geojson() {
    let app = spawn_app().await;
    let editor = app.token(Role::Editor).await;
    let source = app
        .created(
            &editor,
            "Source",
            json!({ "kind": "NEWS_AGENCY", "name": "Geo Wire", "reliability": "C" }),
        )
        .await;
    let report = app
        .created(
            &editor,
            "Report",
            json!({ "title": "Geo report", "source": source }),
        )
        .await;
    for (title, longitude) in [("Far event", 3.0), ("Near event", 0.2)] {
        app.created(
            &editor,
            "Event",
            json!({
                "kind": "ATTACK", "status": "REPORTED", "title": title, "occurred": "2025-01-02",
                "place": { "name": title, "country": "GA", "location": { "latitude": 0.0, "longitude": longitude } },
                "attestations": [{ "report": report, "excerpt": title, "credibility": 3 }],
            }),
        )
        .await;
    }
    base_at(&app, &editor, "Equator Base", 0.0, 0.1).await;
    let data = app
        .data(
            r#"{ events(filter: { near: { latitude: 0, longitude: 0, radiusKm: 500 }, during: "2025" }) {
                 edges { distanceKm node { title } } } }"#,
            json!({}),
        )
        .await;
    let edges = data["events"]["edges"].as_array().expect("edges");
    assert_eq!(edges[0]["node"]["title"], "Near event");
    assert!((edges[0]["distanceKm"].as_f64().expect("km") - 0.2 * DEGREE_KM).abs() < 1e-6);
    assert_eq!(edges[1]["node"]["title"], "Far event");

    let response = app.get("/geojson/events?near=0,0,100").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/geo+json");
    let collection: Value = response.json().await.expect("json");
    assert_eq!(collection["type"], "FeatureCollection");
    let features = collection["features"].as_array().expect("features");
    assert_eq!(features.len(), 1);
    assert_eq!(features[0]["type"], "Feature");
    assert_eq!(
        features[0]["geometry"],
        json!({ "type": "Point", "coordinates": [0.2, 0.0] })
    );
    assert_eq!(features[0]["properties"]["title"], "Near event");
    assert_eq!(features[0]["properties"]["occurred"], "2025-01-02");
    assert_eq!(features[0]["properties"]["placeCountry"], "GA");

    let filter = r#"{"within":{"south":-1,"west":-1,"north":1,"east":1},"name":"equator"}"#;
    let response = app
        .get(&format!("/geojson/bases?filter={}", urlencode(filter)))
        .await;
    let collection: Value = response.json().await.expect("json");
    assert_eq!(collection["features"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        collection["features"][0]["geometry"]["coordinates"],
        json!([0.1, 0.0])
    );
    assert_eq!(
        collection["features"][0]["properties"]["name"],
        "Equator Base"
    );

    let seeded: Value = app
        .get("/geojson/bases?limit=1")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(seeded["features"].as_array().map(Vec::len), Some(1));

    for bad in [
        "/geojson/bases?near=91,0,10",
        "/geojson/bases?near=1,2",
        "/geojson/events?limit=0",
        "/geojson/events?filter=nope",
    ] {
        let response = app.get(bad).await;
        assert_eq!(response.status(), 400, "{bad}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(error_code(&body), "BAD_USER_INPUT", "{bad}");
    }
    assert_eq!(app.get("/geojson/actors").await.status(), 404);
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .expect("encode")
        .trim_start_matches('=')
        .to_owned()
}

#[tokio::test]
async fn geojson_follows_the_token_policy() {
    let app = crate::helpers::spawn_app_with(crate::helpers::AppOptions {
        require_token: true,
        ..Default::default()
    })
    .await;
    let response = app.get("/geojson/bases").await;
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.expect("json");
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
    let reader = app.token(Role::Reader).await;
    let response = reqwest::Client::new()
        .get(format!("{}/geojson/bases", app.address))
        .bearer_auth(reader)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let collection: Value = response.json().await.expect("json");
    assert_eq!(collection["features"].as_array().map(Vec::len), Some(2));
}
