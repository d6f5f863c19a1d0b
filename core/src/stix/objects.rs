//! garrison's records as STIX 2.1 objects: each bundle item becomes its object and the
//! objects of what it holds (an event's participants as relationships, every claim's
//! attestations as notes). The mapping is in the module doc of [`crate::stix`].
use super::ids;
use crate::bundle::{
    ActorItem, AssetItem, AttestationItem, BaseItem, DeploymentItem, EventItem, ReportItem,
    SourceItem, TenureItem,
};
use crate::entity::attestation;
use crate::error::GarrisonError;
use crate::export::{Reading, keys_of};
use crate::fuzzy_date::FuzzyDate;
use crate::record::{Attestation, Deployment, Event, Tenure};
use crate::visibility::Visible;
use crate::vocabulary::{ActorKind, LocationPrecision, Marking, Reliability};
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

type Result<T> = std::result::Result<T, GarrisonError>;

/// When a record was created and last changed: its objects' `created` and `modified`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Dates {
    pub created: DateTime<Utc>,
    pub modified: DateTime<Utc>,
}

/// What the objects of one item need to know of the items before it: the STIX type
/// of each actor (an identity or a threat actor), which every reference to it names.
#[derive(Default)]
pub(crate) struct Context {
    actor_types: HashMap<String, &'static str>,
}

impl Context {
    /// The id of the actor with `key`.
    fn actor(&self, key: &str) -> String {
        let stix_type = self.actor_types.get(key).copied().unwrap_or("identity");
        ids::object(stix_type, "Actor", key)
    }
}

/// A bundle item that has STIX objects.
#[async_trait::async_trait]
pub(crate) trait ToStix {
    /// The ids of the objects the records with these ids contain, by record (a
    /// report's claims); nothing for most types.
    async fn contents(_db: &Reading<'_>, _ids: &[i64]) -> Result<HashMap<i64, Vec<String>>> {
        Ok(HashMap::new())
    }
    /// Appends the item's objects to `out`.
    fn objects(&self, dates: Dates, contents: Vec<String>, cx: &mut Context, out: &mut Vec<Value>);
}

/// A STIX object being built: properties that are null or empty are left out, as
/// STIX forbids them.
struct Object(Map<String, Value>);

impl Object {
    /// An object with the common properties.
    fn new(stix_type: &str, id: String, dates: Dates, marking: Option<Marking>) -> Self {
        let mut object = Self(Map::new());
        object.put("type", stix_type);
        object.put("spec_version", "2.1");
        object.put("id", id);
        object.put("created", timestamp(dates.created));
        object.put("modified", timestamp(dates.modified));
        object.put("object_marking_refs", marking.map(|m| [ids::marking(m)]));
        object
    }

    /// Properties of garrison's extension only.
    fn properties() -> Self {
        Self(Map::new())
    }

    /// garrison's properties of a named record: its key, kind and aliases.
    fn named(key: &str, kind: impl Serialize, aliases: &Option<Vec<String>>) -> Self {
        let mut properties = Self::properties();
        properties.put("key", key);
        properties.put("kind", kind);
        properties.put("aliases", aliases);
        properties
    }

    fn put(&mut self, name: &str, value: impl Serialize) {
        if let Some(value) = serde_json::to_value(value).ok().and_then(pruned) {
            self.0.insert(name.to_owned(), value);
        }
    }

    /// The object with `properties` as garrison's property extension.
    fn extended(mut self, mut properties: Object) -> Value {
        properties.put("extension_type", "property-extension");
        self.put("extensions", json!({ ids::EXTENSION: properties.0 }));
        Value::Object(self.0)
    }

    /// The object as one of garrison's own types, its properties at the top.
    fn own_type(mut self, properties: Object) -> Value {
        self.0.extend(properties.0);
        self.put(
            "extensions",
            json!({ ids::EXTENSION: { "extension_type": "new-sdo" } }),
        );
        Value::Object(self.0)
    }
}

/// `value` without nulls and empty lists or objects, or `None` if nothing is left.
fn pruned(value: Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::Array(items) => {
            let items: Vec<Value> = items.into_iter().filter_map(pruned).collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Value::Object(map) => {
            let map: Map<String, Value> = map
                .into_iter()
                .filter_map(|(k, v)| pruned(v).map(|v| (k, v)))
                .collect();
            (!map.is_empty()).then_some(Value::Object(map))
        }
        other => Some(other),
    }
}

/// A STIX timestamp (RFC 3339, UTC, to the microsecond as stored).
fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The instant `seconds` after the epoch as a STIX timestamp, if its year is one
/// RFC 3339 can write (0 to 9999).
fn instant(seconds: i64) -> Option<String> {
    let at = DateTime::<Utc>::from_timestamp(seconds, 0)?;
    (at.format("%Y").to_string().len() == 4 && seconds >= -62_167_219_200)
        .then(|| at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// `start_time` and `stop_time` for a claim that holds from `from` to `to`: the start
/// of the earliest instant `from` can mean, the end of the latest `to` can (a day is
/// [00:00, next 00:00)), so the stop always comes after the start.
fn span(from: Option<&FuzzyDate>, to: Option<&FuzzyDate>) -> (Option<String>, Option<String>) {
    let start = from.and_then(FuzzyDate::earliest).and_then(instant);
    let stop = to.and_then(FuzzyDate::latest).and_then(|s| instant(s + 1));
    (start, stop)
}

/// The period of a tenure or deployment as `start_time` and `stop_time`.
fn period(
    from: &Option<Option<String>>,
    to: &Option<Option<String>>,
) -> (Option<String>, Option<String>) {
    let parse =
        |d: &Option<Option<String>>| d.clone().flatten().and_then(|t| FuzzyDate::parse(&t).ok());
    span(parse(from).as_ref(), parse(to).as_ref())
}

/// The STIX confidence (0–100) of an Admiralty credibility: 1 → 90 … 5 → 10; 6
/// ("cannot be judged") has none.
pub(crate) fn confidence(credibility: i32) -> Option<i32> {
    (1..=5)
        .contains(&credibility)
        .then(|| 110 - 20 * credibility)
}

/// The confidence of a claim: that of its most credible attestation.
fn claim_confidence(attestations: &Option<Vec<AttestationItem>>) -> Option<i32> {
    attestations
        .iter()
        .flatten()
        .filter_map(|a| confidence(a.credibility))
        .max()
}

/// The STIX type of an actor of `kind`: armed groups are threat actors, the rest
/// identities.
pub(crate) fn actor_type(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::ArmedGroup => "threat-actor",
        _ => "identity",
    }
}

/// The `identity_class` of an actor of `kind`.
fn identity_class(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Person => "individual",
        ActorKind::Coalition => "group",
        _ => "organization",
    }
}

/// A location's precision in metres, as STIX gives it.
pub(crate) fn metres(precision: LocationPrecision) -> f64 {
    match precision {
        LocationPrecision::Exact => 10.0,
        LocationPrecision::Approximate => 5_000.0,
        LocationPrecision::City => 10_000.0,
        LocationPrecision::Region => 100_000.0,
    }
}

/// OpenCTI's reliability label of an Admiralty reliability.
pub(crate) fn reliability_label(reliability: Reliability) -> &'static str {
    match reliability {
        Reliability::A => "A - Completely reliable",
        Reliability::B => "B - Usually reliable",
        Reliability::C => "C - Fairly reliable",
        Reliability::D => "D - Not usually reliable",
        Reliability::E => "E - Unreliable",
        Reliability::F => "F - Reliability cannot be judged",
    }
}

fn base_id(key: &str) -> String {
    ids::object("location", "Base", key)
}

fn asset_id(key: &str) -> String {
    ids::object("x-garrison-asset", "Asset", key)
}

fn source_id(key: &str) -> String {
    ids::object("identity", "Source", key)
}

fn report_id(key: &str) -> String {
    ids::object("report", "Report", key)
}

fn event_id(key: &str) -> String {
    ids::object("event", "Event", key)
}

fn relationship_id(record_type: &str, key: &str) -> String {
    ids::object("relationship", record_type, key)
}

/// A relationship of `relationship_type` from `source` to `target`.
fn relationship(
    id: String,
    dates: Dates,
    marking: Option<Marking>,
    relationship_type: &str,
    source: String,
    target: String,
) -> Object {
    let mut object = Object::new("relationship", id, dates, marking);
    object.put("relationship_type", relationship_type);
    object.put("source_ref", source);
    object.put("target_ref", target);
    object
}

/// A claim's attestations as notes on the claim and the report, each with its
/// excerpt, credibility and stance. A note's id comes from the claim, the report and
/// the excerpt (and, when the same report gives the claim the same excerpt twice,
/// which of them it is).
fn notes(
    claim: &str,
    attestations: &Option<Vec<AttestationItem>>,
    dates: Dates,
    out: &mut Vec<Value>,
) {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for attestation in attestations.iter().flatten() {
        let report = report_id(&attestation.report);
        let twin = seen
            .entry((&attestation.report, &attestation.excerpt))
            .or_default();
        let name = match *twin {
            0 => format!("{claim}/{report}/{}", attestation.excerpt),
            n => format!("{claim}/{report}/{}/{n}", attestation.excerpt),
        };
        *twin += 1;
        let id = ids::derived("note", &name);
        let mut note = Object::new("note", id, dates, attestation.marking);
        note.put("content", &attestation.excerpt);
        note.put("object_refs", [claim, &report]);
        note.put("confidence", confidence(attestation.credibility));
        let mut properties = Object::properties();
        properties.put("credibility", attestation.credibility);
        properties.put("stance", attestation.stance);
        out.push(note.extended(properties));
    }
}

impl ToStix for ActorItem {
    fn objects(&self, dates: Dates, _: Vec<String>, cx: &mut Context, out: &mut Vec<Value>) {
        let stix_type = actor_type(self.kind);
        cx.actor_types.insert(self.key.clone(), stix_type);
        let mut object = Object::new(stix_type, cx.actor(&self.key), dates, self.marking);
        object.put("name", &self.name);
        object.put("description", &self.description);
        if stix_type == "identity" {
            object.put("identity_class", identity_class(self.kind));
        }
        let mut properties = Object::named(&self.key, self.kind, &self.aliases);
        properties.put("country", &self.country);
        properties.put(
            "parent_ref",
            self.parent.clone().flatten().map(|p| cx.actor(&p)),
        );
        out.push(object.extended(properties));
    }
}

impl ToStix for BaseItem {
    fn objects(&self, dates: Dates, _: Vec<String>, _: &mut Context, out: &mut Vec<Value>) {
        let mut object = Object::new("location", base_id(&self.key), dates, self.marking);
        object.put("name", &self.name);
        object.put("description", &self.description);
        let location = self.location.clone().flatten();
        let country = self.country.clone().flatten();
        if let Some(at) = &location {
            object.put("latitude", at.latitude);
            object.put("longitude", at.longitude);
            object.put("precision", at.precision.map(metres));
        }
        if location.is_none() && country.is_none() {
            // STIX requires a region, a country or coordinates.
            object.put("region", "unknown");
        }
        object.put("country", country);
        object.put("administrative_area", &self.region);
        let mut properties = Object::named(&self.key, self.kind, &self.aliases);
        properties.put("established", &self.established);
        properties.put("location_precision", location.and_then(|l| l.precision));
        out.push(object.extended(properties));
    }
}

impl ToStix for AssetItem {
    fn objects(&self, dates: Dates, _: Vec<String>, cx: &mut Context, out: &mut Vec<Value>) {
        let object = Object::new("x-garrison-asset", asset_id(&self.key), dates, self.marking);
        let mut properties = Object::named(&self.key, self.kind, &self.aliases);
        properties.put("name", &self.name);
        properties.put("description", &self.description);
        properties.put("model", &self.model);
        properties.put("quantity", &self.quantity);
        properties.put(
            "owner_ref",
            self.owner.clone().flatten().map(|o| cx.actor(&o)),
        );
        out.push(object.own_type(properties));
    }
}

impl ToStix for SourceItem {
    fn objects(&self, dates: Dates, _: Vec<String>, _: &mut Context, out: &mut Vec<Value>) {
        let mut object = Object::new("identity", source_id(&self.key), dates, self.marking);
        object.put("name", &self.name);
        object.put("description", &self.description);
        object.put("identity_class", "organization");
        object.put("x_opencti_reliability", reliability_label(self.reliability));
        object.put(
            "external_references",
            self.url
                .clone()
                .flatten()
                .map(|url| [json!({ "source_name": "website", "url": url })]),
        );
        let mut properties = Object::named(&self.key, self.kind, &self.aliases);
        properties.put("reliability", self.reliability);
        out.push(object.extended(properties));
    }
}

#[async_trait::async_trait]
impl ToStix for ReportItem {
    /// The claims each report attests, in the order they were attested.
    async fn contents(db: &Reading<'_>, ids: &[i64]) -> Result<HashMap<i64, Vec<String>>> {
        let rows: Vec<(i64, Option<i64>, Option<i64>, Option<i64>)> = attestation::Entity::find()
            .select_only()
            .column(attestation::Column::ReportId)
            .column(attestation::Column::EventId)
            .column(attestation::Column::TenureId)
            .column(attestation::Column::DeploymentId)
            .filter(attestation::Column::ReportId.is_in(ids.to_vec()))
            .filter(Attestation::seen(db.clearance))
            .order_by_asc(attestation::Column::Id)
            .into_tuple()
            .all(db.db)
            .await?;
        let events = keys_of::<Event>(db, rows.iter().filter_map(|r| r.1)).await?;
        let tenures = keys_of::<Tenure>(db, rows.iter().filter_map(|r| r.2)).await?;
        let deployments = keys_of::<Deployment>(db, rows.iter().filter_map(|r| r.3)).await?;
        let mut by_report: HashMap<i64, Vec<String>> = HashMap::new();
        for (report, event, tenure, deployment) in rows {
            // A visible attestation's claim is visible (see crate::visibility).
            let claim = match (event, tenure, deployment) {
                (Some(id), _, _) => events.get(&id).map(|k| event_id(k)),
                (_, Some(id), _) => tenures.get(&id).map(|k| relationship_id("Tenure", k)),
                (_, _, Some(id)) => deployments
                    .get(&id)
                    .map(|k| relationship_id("Deployment", k)),
                _ => None,
            };
            let Some(claim) = claim else {
                continue;
            };
            let claims = by_report.entry(report).or_default();
            if !claims.contains(&claim) {
                claims.push(claim);
            }
        }
        Ok(by_report)
    }

    fn objects(&self, dates: Dates, contents: Vec<String>, _: &mut Context, out: &mut Vec<Value>) {
        let mut object = Object::new("report", report_id(&self.key), dates, self.marking);
        let source = source_id(&self.source);
        object.put("name", &self.title);
        let published = self.published.clone().flatten();
        let earliest = published
            .as_deref()
            .and_then(|p| FuzzyDate::parse(p).ok())
            .and_then(|p| p.earliest())
            .and_then(instant);
        let retrieved = self.retrieved.flatten().map(timestamp);
        object.put(
            "published",
            earliest
                .or(retrieved)
                .unwrap_or_else(|| timestamp(dates.created)),
        );
        object.put("created_by_ref", &source);
        object.put("lang", &self.language);
        object.put(
            "object_refs",
            if contents.is_empty() {
                vec![source.clone()]
            } else {
                contents
            },
        );
        object.put(
            "external_references",
            self.url
                .clone()
                .flatten()
                .map(|url| [json!({ "source_name": "article", "url": url })]),
        );
        let mut properties = Object::properties();
        properties.put("key", &self.key);
        properties.put("published", published);
        properties.put("retrieved", self.retrieved.flatten().map(timestamp));
        properties.put("via", &self.via);
        out.push(object.extended(properties));
    }
}

impl ToStix for EventItem {
    fn objects(&self, dates: Dates, _: Vec<String>, cx: &mut Context, out: &mut Vec<Value>) {
        let id = event_id(&self.key);
        let mut object = Object::new("event", id.clone(), dates, self.marking);
        let occurred = self.occurred.clone().flatten();
        let date = occurred.as_deref().and_then(|o| FuzzyDate::parse(o).ok());
        let (start, stop) = span(date.as_ref(), date.as_ref());
        object.put("name", format!("{} [{}]", self.title, self.key));
        object.put("description", &self.summary);
        object.put("event_types", [event_type(self.kind)]);
        object.put("start_time", start);
        object.put("stop_time", stop);
        object.put(
            "confidence",
            self.confidence
                .flatten()
                .or_else(|| claim_confidence(&self.attestations)),
        );
        let mut properties = Object::properties();
        properties.put("key", &self.key);
        properties.put("kind", self.kind);
        properties.put("title", &self.title);
        properties.put("status", self.status);
        properties.put("occurred", occurred);
        properties.put("stated_confidence", self.confidence);
        properties.put("place", &self.place);
        out.push(object.own_type(properties));
        let mut take_part = |role: Value, participant: String, marking: Option<Marking>| {
            let name = format!("{id}/{participant}/{role}");
            let link = relationship(
                ids::derived("relationship", &name),
                dates,
                marking,
                "related-to",
                participant,
                id.clone(),
            );
            let mut properties = Object::properties();
            properties.put("role", role);
            out.push(link.extended(properties));
        };
        for part in self.actors.iter().flatten() {
            take_part(json!(part.role), cx.actor(&part.actor), part.marking);
        }
        for part in self.assets.iter().flatten() {
            take_part(json!(part.role), asset_id(&part.asset), part.marking);
        }
        for part in self.bases.iter().flatten() {
            take_part(json!(part.role), base_id(&part.base), part.marking);
        }
        notes(&id, &self.attestations, dates, out);
    }
}

/// An event kind as an `event_types` value (`port-call`).
fn event_type(kind: crate::vocabulary::EventKind) -> String {
    json!(kind)
        .as_str()
        .unwrap_or_default()
        .to_lowercase()
        .replace('_', "-")
}

impl ToStix for TenureItem {
    fn objects(&self, dates: Dates, _: Vec<String>, cx: &mut Context, out: &mut Vec<Value>) {
        let id = relationship_id("Tenure", &self.key);
        let mut link = relationship(
            id.clone(),
            dates,
            self.marking,
            "located-at",
            cx.actor(&self.actor),
            base_id(&self.base),
        );
        let (start, stop) = period(&self.valid_from, &self.valid_to);
        link.put("start_time", start);
        link.put("stop_time", stop);
        link.put("confidence", claim_confidence(&self.attestations));
        let mut properties = Object::properties();
        properties.put("key", &self.key);
        properties.put("role", self.role);
        properties.put("valid_from", &self.valid_from);
        properties.put("valid_to", &self.valid_to);
        properties.put("basis", &self.basis);
        out.push(link.extended(properties));
        notes(&id, &self.attestations, dates, out);
    }
}

impl ToStix for DeploymentItem {
    fn objects(&self, dates: Dates, _: Vec<String>, _: &mut Context, out: &mut Vec<Value>) {
        let id = relationship_id("Deployment", &self.key);
        let mut link = relationship(
            id.clone(),
            dates,
            self.marking,
            "located-at",
            asset_id(&self.asset),
            base_id(&self.base),
        );
        let (start, stop) = period(&self.valid_from, &self.valid_to);
        link.put("start_time", start);
        link.put("stop_time", stop);
        link.put("confidence", claim_confidence(&self.attestations));
        let mut properties = Object::properties();
        properties.put("key", &self.key);
        properties.put("valid_from", &self.valid_from);
        properties.put("valid_to", &self.valid_to);
        out.push(link.extended(properties));
        notes(&id, &self.attestations, dates, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credibility_maps_to_confidence_and_six_to_none() {
        let mapped: Vec<_> = (1..=6).map(confidence).collect();
        assert_eq!(
            mapped,
            [Some(90), Some(70), Some(50), Some(30), Some(10), None]
        );
    }

    #[test]
    fn a_day_runs_from_its_midnight_to_the_next_and_far_years_have_no_time() {
        let day = FuzzyDate::parse("2024-12-13").unwrap();
        let (start, stop) = span(Some(&day), Some(&day));
        assert_eq!(start.as_deref(), Some("2024-12-13T00:00:00Z"));
        assert_eq!(stop.as_deref(), Some("2024-12-14T00:00:00Z"));
        let far = FuzzyDate::parse("Y-12000").unwrap();
        assert_eq!(span(Some(&far), Some(&far)), (None, None));
        assert_eq!(
            event_type(crate::vocabulary::EventKind::PortCall),
            "port-call"
        );
    }
}
