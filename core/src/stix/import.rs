//! Reading a STIX 2.1 bundle into a garrison bundle, which the bundle import then
//! writes in one transaction. Objects garrison exported carry its extension, from
//! which every field comes back as it was; objects from elsewhere (OpenCTI's exports)
//! are read from their standard properties, with garrison's defaults for the rest
//! (see the mapping in [`crate::stix`]). A record from elsewhere gets its STIX id as
//! its key, so that importing the same bundle again updates it instead of adding a
//! twin, and exporting it gives it back its id.
use super::ids;
use super::objects::{actor_type, confidence};
use crate::bundle::{
    ActorItem, ActorRef, AssetItem, AssetRef, AttestationItem, BaseItem, BaseRef, Bundle,
    DeploymentItem, EventItem, Origins, ReportItem, SourceItem, TenureItem,
};
use crate::error::{GarrisonError, clipped};
use crate::vocabulary::*;
use crate::write::records::{Location, Quantity};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

type Result<T> = std::result::Result<T, GarrisonError>;

/// The most objects one bundle may hold.
pub const MAX_OBJECTS: usize = 2_000_000;

/// A STIX bundle read into a garrison bundle, with where each item came from.
pub struct Translated {
    pub bundle: Bundle,
    /// The STIX id of each item.
    pub origins: Origins,
    /// Objects of types garrison does not hold (indicators, malware…), by type.
    pub skipped: Vec<(String, usize)>,
}

/// Reads a STIX 2.1 bundle (its JSON text).
pub fn translate(text: &str) -> Result<Translated> {
    // A byte order mark, which some editors write, is not JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text)
        .map_err(|e| GarrisonError::invalid("bundle", format!("is not JSON: {e}")))?;
    let Some(top) = value.as_object() else {
        return Err(GarrisonError::invalid("bundle", "must be a JSON object"));
    };
    if top.get("type").and_then(Value::as_str) != Some("bundle") {
        return Err(GarrisonError::invalid(
            "type",
            "a STIX bundle's type is \"bundle\"",
        ));
    }
    let objects = match top.get("objects") {
        None => &Vec::new(),
        Some(Value::Array(objects)) => objects,
        Some(_) => return Err(GarrisonError::invalid("objects", "must be a list")),
    };
    if objects.len() > MAX_OBJECTS {
        return Err(GarrisonError::invalid(
            "objects",
            format!("a bundle holds at most {MAX_OBJECTS} objects"),
        ));
    }
    let markings = tlp_definitions(objects);
    let objects = objects
        .iter()
        .enumerate()
        .map(|(i, o)| StixObject::new(i, o, &markings))
        .collect::<Result<Vec<_>>>()?;
    Reader::new(&objects).read()
}

/// The TLP markings the bundle defines under ids of its own (OpenCTI's, a
/// partner's), by id, read from their TLP 2.0 extension, their TLP 1.0 definition or
/// their name (`TLP:AMBER+STRICT`).
fn tlp_definitions(objects: &[Value]) -> HashMap<&str, Marking> {
    objects
        .iter()
        .filter(|o| o["type"] == "marking-definition")
        .filter_map(|o| {
            let id = o["id"].as_str()?;
            let level = o["extensions"][ids::TLP_2_0]["tlp_2_0"]
                .as_str()
                .or(o["definition"]["tlp"].as_str())
                .map(|l| l.replace("white", "clear"))
                .or(o["name"].as_str().map(str::to_owned))?;
            Some((id, level.parse().ok()?))
        })
        .collect()
}

/// One object of the bundle, with garrison's extension if it carries it.
struct StixObject<'a> {
    id: &'a str,
    stix_type: &'a str,
    map: &'a Map<String, Value>,
    /// garrison's properties: the extension's, or the top-level ones of its own types.
    own: Option<&'a Map<String, Value>>,
    /// The TLP markings the bundle defines itself.
    markings: &'a HashMap<&'a str, Marking>,
}

impl<'a> StixObject<'a> {
    fn new(
        index: usize,
        value: &'a Value,
        markings: &'a HashMap<&'a str, Marking>,
    ) -> Result<Self> {
        let at = |what: &str| format!("objects[{index}].{what}");
        let map = value.as_object().ok_or_else(|| {
            GarrisonError::invalid(format!("objects[{index}]"), "must be an object")
        })?;
        let text = |name: &str| {
            map.get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| GarrisonError::invalid(at(name), "must be a string"))
        };
        let id = text("id")?;
        let stix_type = text("type")?;
        if ids::type_of(id) != stix_type {
            return Err(GarrisonError::invalid(
                id,
                format!("the id does not name the object's type \"{stix_type}\""),
            ));
        }
        let extension = map
            .get("extensions")
            .and_then(|e| e.get(ids::EXTENSION))
            .and_then(Value::as_object);
        let own = match extension
            .and_then(|e| e.get("extension_type"))
            .and_then(Value::as_str)
        {
            Some("new-sdo") => Some(map),
            Some(_) => extension,
            None => None,
        };
        Ok(Self {
            id,
            stix_type,
            map,
            own,
            markings,
        })
    }

    /// The error of `property` of this object.
    fn invalid(&self, property: &str, reason: impl Into<String>) -> GarrisonError {
        GarrisonError::invalid(format!("{}.{property}", self.id), reason)
    }

    /// A standard property.
    fn get<T: DeserializeOwned>(&self, property: &str) -> Result<Option<T>> {
        self.read(self.map.get(property), property)
    }

    /// One of garrison's properties (none on an object from elsewhere).
    fn own<T: DeserializeOwned>(&self, property: &str) -> Result<Option<T>> {
        self.read(self.own.and_then(|o| o.get(property)), property)
    }

    fn read<T: DeserializeOwned>(
        &self,
        value: Option<&Value>,
        property: &str,
    ) -> Result<Option<T>> {
        match value {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::deserialize(v)
                .map(Some)
                .map_err(|e| self.invalid(property, crate::bundle::plain_words(&e.to_string()))),
        }
    }

    /// A standard property the object must have.
    fn required<T: DeserializeOwned>(&self, property: &str) -> Result<T> {
        self.get(property)?
            .ok_or_else(|| self.invalid(property, "is required"))
    }

    /// A value read from the object as an item gives it: on garrison's own objects,
    /// which carry every field, the value or none; on others, the value when there is
    /// one, else nothing said (so that re-importing a partner's bundle leaves what an
    /// analyst added to the record).
    fn carried<T>(&self, value: Option<T>) -> Option<Option<T>> {
        match self.is_own() {
            true => Some(value),
            false => value.map(Some),
        }
    }

    /// Whether it came from garrison.
    fn is_own(&self) -> bool {
        self.own.is_some()
    }

    /// The strictest of the TLP markings in `object_marking_refs`. A marking garrison
    /// cannot hold (an unknown id, a statement, markings of single properties) is
    /// refused rather than dropped, which would make the record CLEAR.
    fn marking(&self) -> Result<Option<Marking>> {
        if self.map.contains_key("granular_markings") {
            return Err(self.invalid(
                "granular_markings",
                "markings of single properties are not supported: mark the whole object",
            ));
        }
        let refs: Vec<String> = self.get("object_marking_refs")?.unwrap_or_default();
        let mut strictest = None;
        for r in &refs {
            let marking = ids::marking_of(r)
                .or_else(|| self.markings.get(r.as_str()).copied())
                .ok_or_else(|| {
                    self.invalid(
                        "object_marking_refs",
                        format!(
                            "{} is no TLP marking garrison knows, and the record would lose it",
                            clipped(r, 80)
                        ),
                    )
                })?;
            strictest = strictest.max(Some(marking));
        }
        Ok(strictest)
    }

    /// A field as an item gives it: what garrison's property says on its own
    /// objects (absent meaning none), else `fallback` (absent meaning leave it).
    fn field<T: DeserializeOwned>(
        &self,
        property: &str,
        fallback: Option<T>,
    ) -> Result<Option<Option<T>>> {
        if self.is_own() {
            Ok(Some(self.own(property)?))
        } else {
            Ok(fallback.map(Some))
        }
    }
}

/// The translation of one bundle's objects.
struct Reader<'a> {
    objects: &'a [StixObject<'a>],
    /// The key of each record object, by id.
    keys: HashMap<&'a str, String>,
    /// The identities that are sources (the authors of reports, or with a
    /// reliability), not actors.
    sources: HashSet<&'a str>,
    out: Bundle,
    origins: Origins,
}

impl<'a> Reader<'a> {
    fn new(objects: &'a [StixObject<'a>]) -> Self {
        let mut sources = HashSet::new();
        for o in objects {
            if o.stix_type == "report"
                && let Some(author) = o.map.get("created_by_ref").and_then(Value::as_str)
            {
                sources.insert(author);
            }
            let reliability = o.own.and_then(|own| own.get("reliability")).is_some()
                || o.map.contains_key("x_opencti_reliability");
            if o.stix_type == "identity" && reliability {
                sources.insert(o.id);
            }
        }
        let keys = objects
            .iter()
            .map(|o| {
                let key = o
                    .own
                    .and_then(|own| own.get("key"))
                    .and_then(Value::as_str)
                    .map_or_else(|| o.id.to_owned(), str::to_owned);
                (o.id, key)
            })
            .collect();
        Self {
            objects,
            keys,
            sources,
            out: Bundle::default(),
            origins: Origins::default(),
        }
    }

    /// The key of the record the id `reference` names: that of its object in this
    /// bundle, else the id itself (a record imported earlier from elsewhere).
    fn key_of(&self, reference: &str) -> String {
        self.keys
            .get(reference)
            .cloned()
            .unwrap_or_else(|| reference.to_owned())
    }

    fn read(mut self) -> Result<Translated> {
        let mut skipped: HashMap<String, usize> = HashMap::new();
        let claims = self.attestations()?;
        let mut participants = self.participants()?;
        let objects = self.objects;
        for o in objects {
            match o.stix_type {
                "identity" if o.id == ids::PUBLISHER => {}
                "identity" if self.sources.contains(o.id) => self.source(o)?,
                "identity" | "threat-actor" => self.actor(o)?,
                "location" => self.base(o)?,
                "x-garrison-asset" => self.asset(o)?,
                "report" => self.report(o)?,
                "event" => {
                    let taking_part = participants.remove(o.id).unwrap_or_default();
                    self.event(o, taking_part, &claims)?
                }
                "relationship" => self.relationship(o, &claims)?,
                "note" | "marking-definition" | "extension-definition" => {}
                other => *skipped.entry(other.to_owned()).or_default() += 1,
            }
        }
        let mut skipped: Vec<(String, usize)> = skipped.into_iter().collect();
        skipped.sort();
        Ok(Translated {
            bundle: self.out,
            origins: self.origins,
            skipped,
        })
    }

    /// Notes where this item is at `path` (its section and index).
    fn came_from(&mut self, section: &str, index: usize, o: &StixObject) {
        self.origins.note(section, index, o.id);
    }

    fn actor(&mut self, o: &StixObject) -> Result<()> {
        let kind = match o.own("kind")? {
            Some(kind) => kind,
            None if o.stix_type == "threat-actor" => ActorKind::ArmedGroup,
            None => match o.get::<String>("identity_class")?.as_deref() {
                Some("individual") => ActorKind::Person,
                Some("group") => ActorKind::Coalition,
                _ => ActorKind::Organisation,
            },
        };
        if actor_type(kind) != o.stix_type {
            return Err(o.invalid(
                "kind",
                format!("an actor of this kind is not a {}", o.stix_type),
            ));
        }
        let aliases = match o.own::<Vec<String>>("aliases")? {
            Some(aliases) => Some(aliases),
            None if o.is_own() => Some(Vec::new()),
            None => o.get("aliases")?.or(o.get("x_opencti_aliases")?),
        };
        let parent: Option<String> = o.own("parent_ref")?;
        self.came_from("actors", self.out.actors.len(), o);
        self.out.actors.push(ActorItem {
            key: self.key_of(o.id),
            marking: o.marking()?,
            expected_version: None,
            kind,
            name: o.required("name")?,
            aliases,
            country: o.field("country", None)?,
            parent: o.is_own().then(|| parent.map(|p| self.key_of(&p))),
            description: o.carried(o.get("description")?),
        });
        Ok(())
    }

    fn source(&mut self, o: &StixObject) -> Result<()> {
        let label: Option<String> = o.get("x_opencti_reliability")?;
        let reliability = match o.own("reliability")? {
            Some(r) => r,
            None => label
                .as_deref()
                .and_then(|l| l.get(..1))
                .and_then(|letter| serde_json::from_value(Value::String(letter.to_owned())).ok())
                .unwrap_or(Reliability::F),
        };
        let aliases = if o.is_own() {
            Some(o.own("aliases")?.unwrap_or_default())
        } else {
            o.get("x_opencti_aliases")?
        };
        self.came_from("sources", self.out.sources.len(), o);
        self.out.sources.push(SourceItem {
            key: self.key_of(o.id),
            marking: o.marking()?,
            expected_version: None,
            kind: o.own("kind")?.unwrap_or(SourceKind::Other),
            name: o.required("name")?,
            aliases,
            reliability,
            url: o.carried(reference_url(o)?),
            description: o.carried(o.get("description")?),
        });
        Ok(())
    }

    fn base(&mut self, o: &StixObject) -> Result<()> {
        let latitude: Option<f64> = o.get("latitude")?;
        let longitude: Option<f64> = o.get("longitude")?;
        let precision = match o.own("location_precision")? {
            Some(p) => Some(p),
            None if o.is_own() => None,
            None => o.get::<f64>("precision")?.map(bucket),
        };
        let location = latitude
            .zip(longitude)
            .map(|(latitude, longitude)| Location {
                latitude,
                longitude,
                precision,
            });
        let name = match o.get::<String>("name")? {
            Some(name) => name,
            None => o
                .get::<String>("city")?
                .or(o.get("administrative_area")?)
                .ok_or_else(|| o.invalid("name", "a location needs a name or a city"))?,
        };
        let aliases = if o.is_own() {
            Some(o.own("aliases")?.unwrap_or_default())
        } else {
            o.get("x_opencti_aliases")?
        };
        self.came_from("bases", self.out.bases.len(), o);
        self.out.bases.push(BaseItem {
            key: self.key_of(o.id),
            marking: o.marking()?,
            expected_version: None,
            kind: o.own("kind")?.unwrap_or(BaseKind::Other),
            name,
            aliases,
            country: o.carried(o.get("country")?),
            region: o.carried(o.get("administrative_area")?),
            location: o.carried(location),
            established: o.field("established", None)?,
            description: o.carried(o.get("description")?),
        });
        Ok(())
    }

    fn asset(&mut self, o: &StixObject) -> Result<()> {
        let owner: Option<String> = o.own("owner_ref")?;
        self.came_from("assets", self.out.assets.len(), o);
        self.out.assets.push(AssetItem {
            key: self.key_of(o.id),
            marking: o.marking()?,
            expected_version: None,
            kind: o
                .own("kind")?
                .ok_or_else(|| o.invalid("kind", "is required"))?,
            name: o.required("name")?,
            aliases: Some(o.own("aliases")?.unwrap_or_default()),
            model: Some(o.own("model")?),
            quantity: Some(o.own::<Quantity>("quantity")?),
            owner: Some(owner.map(|p| self.key_of(&p))),
            description: o.carried(o.get("description")?),
        });
        Ok(())
    }

    fn report(&mut self, o: &StixObject) -> Result<()> {
        let author: String = o.get("created_by_ref")?.ok_or_else(|| {
            o.invalid(
                "created_by_ref",
                "a report needs its source as created_by_ref",
            )
        })?;
        let published = match o.own::<String>("published")? {
            Some(p) => Some(p),
            None if o.is_own() => None,
            None => o.get::<DateTime<Utc>>("published")?.map(day),
        };
        self.came_from("reports", self.out.reports.len(), o);
        self.out.reports.push(ReportItem {
            key: self.key_of(o.id),
            marking: o.marking()?,
            expected_version: None,
            source: self.key_of(&author),
            url: o.carried(reference_url(o)?),
            title: o.required("name")?,
            language: o.carried(o.get("lang")?),
            published: o.carried(published),
            retrieved: o.field("retrieved", None)?,
            via: o.field("via", None)?,
        });
        Ok(())
    }

    fn event(&mut self, o: &StixObject, taking_part: TakingPart, claims: &Claims) -> Result<()> {
        let occurred = match o.own::<String>("occurred")? {
            Some(text) => Some(text),
            None if o.is_own() => None,
            None => days(o.get("start_time")?, o.get("stop_time")?),
        };
        let kind = match o.own("kind")? {
            Some(kind) => kind,
            None => o
                .get::<Vec<String>>("event_types")?
                .and_then(|types| types.first().and_then(|t| event_kind(t)))
                .unwrap_or(EventKind::Statement),
        };
        let title = match o.own("title")? {
            Some(title) => title,
            None => o.required("name")?,
        };
        let confidence = if o.is_own() {
            o.own("stated_confidence")?
        } else {
            o.get("confidence")?
        };
        self.came_from("events", self.out.events.len(), o);
        self.out.events.push(EventItem {
            key: self.key_of(o.id),
            marking: o.marking()?,
            expected_version: None,
            kind,
            title,
            summary: o.carried(o.get("description")?),
            occurred: o.carried(occurred),
            status: o.own("status")?.unwrap_or(EventStatus::Reported),
            confidence: o.carried(confidence),
            place: o.field("place", None)?,
            actors: Some(taking_part.actors),
            assets: Some(taking_part.assets),
            bases: Some(taking_part.bases),
            attestations: Some(claims.of(o.id)),
        });
        Ok(())
    }

    /// A tenure (an actor located at a base) or a deployment (an asset at a base); a
    /// participant (related-to an event) is read with its event, and other
    /// relationships are not garrison's.
    fn relationship(&mut self, o: &StixObject, claims: &Claims) -> Result<()> {
        let kind: String = o.required("relationship_type")?;
        let source: String = o.required("source_ref")?;
        let target: String = o.required("target_ref")?;
        if kind != "located-at" || ids::type_of(&target) != "location" {
            return Ok(());
        }
        let (valid_from, valid_to) = if o.is_own() {
            (o.own("valid_from")?, o.own("valid_to")?)
        } else {
            let from: Option<DateTime<Utc>> = o.get("start_time")?;
            let to: Option<DateTime<Utc>> = o.get("stop_time")?;
            (
                from.map(day),
                to.map(|t| day(t - chrono::Duration::seconds(1))),
            )
        };
        let key = self.key_of(o.id);
        let marking = o.marking()?;
        let attestations = Some(claims.of(o.id));
        let base = self.key_of(&target);
        match ids::type_of(&source) {
            "identity" | "threat-actor" => {
                self.came_from("tenures", self.out.tenures.len(), o);
                self.out.tenures.push(TenureItem {
                    key,
                    marking,
                    expected_version: None,
                    actor: self.key_of(&source),
                    base,
                    role: o.own("role")?.unwrap_or(TenureRole::Operator),
                    valid_from: Some(valid_from),
                    valid_to: Some(valid_to),
                    basis: o.field("basis", None)?,
                    attestations,
                });
            }
            "x-garrison-asset" => {
                self.came_from("deployments", self.out.deployments.len(), o);
                self.out.deployments.push(DeploymentItem {
                    key,
                    marking,
                    expected_version: None,
                    asset: self.key_of(&source),
                    base,
                    valid_from: Some(valid_from),
                    valid_to: Some(valid_to),
                    attestations,
                });
            }
            _ => {}
        }
        Ok(())
    }

    /// Each event's participants: the relationships related-to it from an actor, an
    /// asset or a location, in the bundle's order.
    fn participants(&self) -> Result<HashMap<&'a str, TakingPart>> {
        let mut by_event: HashMap<&'a str, TakingPart> = HashMap::new();
        for o in self
            .objects
            .iter()
            .filter(|o| o.stix_type == "relationship")
        {
            let target = o
                .map
                .get("target_ref")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if o.map.get("relationship_type").and_then(Value::as_str) != Some("related-to")
                || ids::type_of(target) != "event"
            {
                continue;
            }
            let source: String = o.required("source_ref")?;
            let marking = o.marking()?;
            let part = by_event.entry(target).or_default();
            match ids::type_of(&source) {
                "identity" | "threat-actor" => part.actors.push(ActorRef {
                    actor: self.key_of(&source),
                    role: o.own("role")?.unwrap_or(ActorRole::Participant),
                    marking,
                }),
                "x-garrison-asset" => part.assets.push(AssetRef {
                    asset: self.key_of(&source),
                    role: o.own("role")?.unwrap_or(AssetRole::Participant),
                    marking,
                }),
                "location" => part.bases.push(BaseRef {
                    base: self.key_of(&source),
                    role: o.own("role")?.unwrap_or(BaseRole::Location),
                    marking,
                }),
                _ => {}
            }
        }
        Ok(by_event)
    }

    /// Each claim's attestations: the notes on it and a report (garrison's own, or
    /// any note that names the claim and a report), and for a claim no note names,
    /// the reports that hold it, each as an attestation that cannot be judged.
    fn attestations(&self) -> Result<Claims> {
        let reports: HashMap<&str, &StixObject> = self
            .objects
            .iter()
            .filter(|o| o.stix_type == "report")
            .map(|o| (o.id, o))
            .collect();
        let mut by_claim: HashMap<String, Vec<AttestationItem>> = HashMap::new();
        for o in self.objects.iter().filter(|o| o.stix_type == "note") {
            let refs: Vec<String> = o.required("object_refs")?;
            let Some(report) = refs.iter().find(|r| ids::type_of(r) == "report") else {
                continue;
            };
            let content: String = o.required("content")?;
            let credibility = match o.own("credibility")? {
                Some(c) => c,
                None => match o.get::<i32>("confidence")? {
                    None => 6,
                    Some(c) if (0..=100).contains(&c) => credibility(c),
                    Some(_) => return Err(o.invalid("confidence", "must be 0 to 100")),
                },
            };
            for claim in refs.iter().filter(|r| ids::type_of(r) != "report") {
                by_claim
                    .entry(claim.clone())
                    .or_default()
                    .push(AttestationItem {
                        report: self.key_of(report),
                        excerpt: content.clone(),
                        credibility,
                        stance: o.own("stance")?.unwrap_or(Stance::Asserts),
                        marking: o.marking()?,
                    });
            }
        }
        for (id, report) in &reports {
            let held: Vec<String> = report.get("object_refs")?.unwrap_or_default();
            let title: String = report.required("name")?;
            for claim in held {
                if report.is_own() || by_claim.contains_key(&claim) {
                    continue;
                }
                by_claim.entry(claim).or_default().push(AttestationItem {
                    report: self.key_of(id),
                    excerpt: title.clone(),
                    credibility: 6,
                    stance: Stance::Asserts,
                    marking: report.marking()?,
                });
            }
        }
        Ok(Claims(by_claim))
    }
}

/// Attestations by the id of the claim they attest.
struct Claims(HashMap<String, Vec<AttestationItem>>);

impl Claims {
    fn of(&self, claim: &str) -> Vec<AttestationItem> {
        self.0.get(claim).cloned().unwrap_or_default()
    }
}

/// Who and what take part in one event.
#[derive(Default)]
struct TakingPart {
    actors: Vec<ActorRef>,
    assets: Vec<AssetRef>,
    bases: Vec<BaseRef>,
}

/// The URL of the object's first external reference that has one.
fn reference_url(o: &StixObject) -> Result<Option<String>> {
    let refs: Vec<Map<String, Value>> = o.get("external_references")?.unwrap_or_default();
    Ok(refs
        .iter()
        .find_map(|r| r.get("url").and_then(Value::as_str))
        .map(str::to_owned))
}

/// The Admiralty credibility nearest a STIX confidence (90 → 1 … 10 → 5).
fn credibility(stated: i32) -> i32 {
    (1..=5)
        .min_by_key(|c| (confidence(*c).unwrap_or(0) - stated).abs())
        .unwrap_or(6)
}

/// The precision word of a precision in metres.
fn bucket(metres: f64) -> LocationPrecision {
    match metres {
        m if m <= 100.0 => LocationPrecision::Exact,
        m if m <= 5_000.0 => LocationPrecision::Approximate,
        m if m <= 25_000.0 => LocationPrecision::City,
        _ => LocationPrecision::Region,
    }
}

/// The day of an instant, as an EDTF date.
fn day(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// The days from `start` to just before `stop`, as an EDTF date or interval.
fn days(start: Option<DateTime<Utc>>, stop: Option<DateTime<Utc>>) -> Option<String> {
    let last = stop.map(|s| day(s - chrono::Duration::seconds(1)));
    match (start.map(day), last) {
        (Some(a), Some(b)) if a == b => Some(a),
        (Some(a), Some(b)) => Some(format!("{a}/{b}")),
        (Some(a), None) => Some(a),
        (None, Some(b)) => Some(format!("/{b}")),
        (None, None) => None,
    }
}

/// The event kind of an `event_types` value garrison wrote (`port-call`).
fn event_kind(value: &str) -> Option<EventKind> {
    serde_json::from_value(Value::String(value.replace('-', "_").to_uppercase())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_comes_back_to_the_credibility_it_came_from() {
        for c in 1..=5 {
            assert_eq!(credibility(confidence(c).unwrap()), c);
        }
        assert_eq!(credibility(100), 1);
        assert_eq!(credibility(0), 5);
    }

    #[test]
    fn times_become_the_days_they_cover() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().ok();
        assert_eq!(
            days(at("2024-12-08T00:00:00Z"), at("2024-12-15T00:00:00Z")).as_deref(),
            Some("2024-12-08/2024-12-14")
        );
        assert_eq!(
            days(at("2024-12-08T00:00:00Z"), at("2024-12-09T00:00:00Z")).as_deref(),
            Some("2024-12-08")
        );
        assert_eq!(event_kind("port-call"), Some(EventKind::PortCall));
        assert_eq!(event_kind("conference"), None);
    }
}
