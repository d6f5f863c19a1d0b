//! `GET /geojson/bases` and `GET /geojson/events`: the located records as a GeoJSON
//! FeatureCollection (RFC 7946), for map clients and QGIS.
//!
//! Query parameters: `filter` (the list's GraphQL filter as JSON), the shortcuts
//! `near=lat,lon,radiusKm` and `within=south,west,north,east`, and `limit` (default
//! 1,000, at most 10,000). The features are read through the GraphQL schema, so
//! filters, validation, error codes, access rules, the request timeout and the limit on
//! concurrent executions are the API's own.
use super::graphql::{GraphqlContext, Media, caller, deadline, run};
use crate::graphql::lexical;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::{Request, Variables};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Features returned when `limit` is not given.
const DEFAULT_LIMIT: usize = 1_000;
/// Most features one response holds.
const MAX_LIMIT: usize = 10_000;
/// Rows per GraphQL page while collecting.
const PAGE: usize = 100;

/// A collection that can be exported: its list field, filter type and selection.
struct Layer {
    field: &'static str,
    filter_type: &'static str,
    selection: &'static str,
}

const BASES: Layer = Layer {
    field: "bases",
    filter_type: "BaseFilter",
    selection: "id name kind country region established { edtf } \
                location { latitude longitude precision }",
};

const EVENTS: Layer = Layer {
    field: "events",
    filter_type: "EventFilter",
    selection: "id title kind status confidence occurred { edtf } \
                place { name country location { latitude longitude } }",
};

/// The FeatureCollection of `collection` (`bases` or `events`).
pub async fn geojson(
    http: HttpRequest,
    collection: web::Path<String>,
    params: web::Query<HashMap<String, String>>,
    context: web::Data<GraphqlContext>,
) -> HttpResponse {
    let layer = match collection.as_str() {
        "bases" => BASES,
        "events" => EVENTS,
        _ => return HttpResponse::NotFound().finish(),
    };
    let principal = match caller(&context, &http, Media::GraphqlResponseJson).await {
        Ok(p) => p,
        Err(refused) => return refused.into_response(),
    };
    let max_depth = context.gateway.limits().max_value_depth;
    let (filter, limit) = match arguments(&params, max_depth) {
        Ok(parsed) => parsed,
        Err(message) => return bad_request(message),
    };
    let document = format!(
        "query($filter: {}, $first: Int, $after: String) {{ {}(filter: $filter, first: $first, \
         after: $after) {{ pageInfo {{ hasNextPage endCursor }} edges {{ distanceKm node {{ {} }} }} }} }}",
        layer.filter_type, layer.field, layer.selection
    );
    let mut features = Vec::new();
    let mut after = Value::Null;
    // One deadline for all the pages.
    let deadline = deadline(&context.policy);
    while features.len() < limit {
        let first = PAGE.min(limit - features.len());
        let variables = json!({ "filter": filter, "first": first, "after": after });
        let request = Request::new(document.clone()).variables(Variables::from_json(variables));
        // The API's own path: its timeout, its execution permits, its error codes.
        let answer = run(
            &context,
            principal.as_ref(),
            Media::GraphqlResponseJson,
            request,
            deadline,
        )
        .await;
        let body: Value = serde_json::from_slice(&answer.body).unwrap_or_default();
        if body["errors"].as_array().is_some_and(|e| !e.is_empty()) {
            // An answer with errors is the client's mistake unless the status says otherwise.
            let status = if answer.status.is_success() {
                StatusCode::BAD_REQUEST
            } else {
                answer.status
            };
            return HttpResponse::build(status).json(json!({ "errors": body["errors"] }));
        }
        let list = &body["data"][layer.field];
        for edge in list["edges"].as_array().into_iter().flatten() {
            features.push(feature(&edge["node"], &edge["distanceKm"]));
        }
        if list["pageInfo"]["hasNextPage"] != json!(true) {
            break;
        }
        after = list["pageInfo"]["endCursor"].clone();
    }
    HttpResponse::Ok()
        .content_type("application/geo+json")
        .json(json!({ "type": "FeatureCollection", "features": features }))
}

/// The filter (with the `near` and `within` shortcuts folded in) and the limit.
fn arguments(params: &HashMap<String, String>, max_depth: usize) -> Result<(Value, usize), String> {
    let mut filter = match params.get("filter") {
        Some(text) if lexical::json_depth(text.as_bytes()) > max_depth => {
            return Err(format!("filter: nested deeper than {max_depth} levels"));
        }
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            _ => return Err("filter: expected a JSON object (the list's GraphQL filter)".into()),
        },
        None => Map::new(),
    };
    if let Some(near) = params.get("near") {
        let [latitude, longitude, radius_km] = numbers::<3>(near, "near", "lat,lon,radiusKm")?;
        filter.insert(
            "near".into(),
            json!({ "latitude": latitude, "longitude": longitude, "radiusKm": radius_km }),
        );
    }
    if let Some(within) = params.get("within") {
        let [south, west, north, east] = numbers::<4>(within, "within", "south,west,north,east")?;
        filter.insert(
            "within".into(),
            json!({ "south": south, "west": west, "north": north, "east": east }),
        );
    }
    let limit = match params.get("limit") {
        None => DEFAULT_LIMIT,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(format!(
                    "limit: expected a whole number from 1 to {MAX_LIMIT}"
                ));
            }
        },
    };
    Ok((Value::Object(filter), limit))
}

/// `N` comma-separated numbers.
fn numbers<const N: usize>(text: &str, name: &str, shape: &str) -> Result<[f64; N], String> {
    let parsed: Option<Vec<f64>> = text.split(',').map(|p| p.trim().parse().ok()).collect();
    parsed
        .and_then(|v| <[f64; N]>::try_from(v).ok())
        .ok_or_else(|| format!("{name}: expected {shape}"))
}

/// A Feature: the node's location as a Point (null when it has none), the rest of the
/// node as properties.
fn feature(node: &Value, distance_km: &Value) -> Value {
    let mut properties = node.as_object().cloned().unwrap_or_default();
    let location = match properties.remove("location") {
        Some(location) if !location.is_null() => location,
        _ => properties
            .get_mut("place")
            .and_then(|place| place.as_object_mut())
            .and_then(|place| place.remove("location"))
            .unwrap_or(Value::Null),
    };
    if let Some(precision) = location.get("precision") {
        properties.insert("precision".into(), precision.clone());
    }
    if !distance_km.is_null() {
        properties.insert("distanceKm".into(), distance_km.clone());
    }
    let properties = flatten(properties);
    let geometry = match (location.get("longitude"), location.get("latitude")) {
        (Some(lon), Some(lat)) => json!({ "type": "Point", "coordinates": [lon, lat] }),
        _ => Value::Null,
    };
    json!({
        "type": "Feature",
        "id": properties.get("id").cloned().unwrap_or(Value::Null),
        "geometry": geometry,
        "properties": properties,
    })
}

/// Flat properties, as GIS tools want them: a fuzzy date becomes its EDTF text, other
/// objects lend their fields under prefixed names (`place.name` → `placeName`).
fn flatten(properties: Map<String, Value>) -> Map<String, Value> {
    let mut flat = Map::new();
    for (key, value) in properties {
        match value {
            Value::Object(mut inner) if inner.len() == 1 && inner.contains_key("edtf") => {
                flat.insert(key, inner.remove("edtf").unwrap_or_default());
            }
            Value::Object(inner) => {
                for (field, v) in inner {
                    let mut chars = field.chars();
                    let capitalised: String = chars
                        .next()
                        .map(|c| c.to_uppercase().chain(chars).collect())
                        .unwrap_or_default();
                    flat.insert(format!("{key}{capitalised}"), v);
                }
            }
            other => {
                flat.insert(key, other);
            }
        }
    }
    flat
}

fn bad_request(message: String) -> HttpResponse {
    HttpResponse::BadRequest().json(json!({
        "errors": [{ "message": message, "extensions": { "code": "BAD_USER_INPUT" } }]
    }))
}
