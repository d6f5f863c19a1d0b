//! The import bundle: a JSON document of actors, bases, assets, sources, reports,
//! events, tenures and deployments that refer to each other by stable keys. `data/`
//! holds the seed bundle; `garrison import FILE` loads any bundle in one transaction.
//!
//! What an import may change: an item creates the record of a new key or updates the
//! record of a known one. A field the item leaves out stays as it is (unless the
//! bundle says `"complete": true`, when it is cleared); a field given as `null` is
//! cleared. Lists (aliases, participants, attestations) only add what is missing:
//! nothing is deleted unless the bundle says `"sync": true`, which makes each list
//! given exactly the item's and needs the admin role. `expectedVersion` on an item
//! refuses the update (CONFLICT) when the record has changed since.
use crate::entity::{actor, source};
use crate::error::GarrisonError;
use crate::record::{Actor, Asset, Base, Deployment, Event, Report, Source, Tenure};
use crate::vocabulary::*;
use crate::write::records::{
    ActorChanges, AssetChanges, AttestationChanges, BaseChanges, DeploymentChanges,
    EventActorChanges, EventAssetChanges, EventBaseChanges, EventChanges, Location, Place,
    Quantity, ReportChanges, SourceChanges, TenureChanges,
};
use crate::write::{self, Children, Entry, NamedChanges, Operation, Reference, Session, Writable};
use chrono::{DateTime, Utc};
use indicatif::ProgressBar;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::{HashMap, HashSet};

/// The seed bundle built from the article in `shared/seeds`, compiled into the binary.
pub const SEED: &str = include_str!("../../data/seed.json");

/// An optional field as an item gives it: absent (`None`), `null` (`Some(None)`) or
/// a value.
fn present<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Bundle {
    /// Free text describing where the bundle comes from.
    #[serde(default)]
    pub description: Option<String>,
    /// Each list an item gives is the whole truth: what is stored beyond it is
    /// deleted. Needs the admin role.
    #[serde(default)]
    pub sync: bool,
    /// Each item is the whole record: fields it leaves out are cleared.
    #[serde(default)]
    pub complete: bool,
    #[serde(default)]
    pub actors: Vec<ActorItem>,
    #[serde(default)]
    pub bases: Vec<BaseItem>,
    #[serde(default)]
    pub assets: Vec<AssetItem>,
    #[serde(default)]
    pub sources: Vec<SourceItem>,
    #[serde(default)]
    pub reports: Vec<ReportItem>,
    #[serde(default)]
    pub events: Vec<EventItem>,
    #[serde(default)]
    pub tenures: Vec<TenureItem>,
    #[serde(default)]
    pub deployments: Vec<DeploymentItem>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ActorItem {
    pub key: String,
    /// TLP marking (at most the importer's clearance); the server's default when
    /// absent from a new item, unchanged when absent from a known one.
    #[serde(default)]
    pub marking: Option<Marking>,
    /// The version the record must still have (a CONFLICT otherwise), as
    /// `expectedVersion` of the update mutations; never exported.
    #[serde(skip_serializing)]
    pub expected_version: Option<i32>,
    pub kind: ActorKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    pub country: Option<Option<String>>,
    /// Key of the actor this one belongs to (left out of an export when the reader
    /// does not see it).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub parent: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub description: Option<Option<String>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BaseItem {
    pub key: String,
    /// TLP marking (at most the importer's clearance); the server's default when
    /// absent from a new item, unchanged when absent from a known one.
    #[serde(default)]
    pub marking: Option<Marking>,
    /// The version the record must still have (a CONFLICT otherwise), as
    /// `expectedVersion` of the update mutations; never exported.
    #[serde(skip_serializing)]
    pub expected_version: Option<i32>,
    pub kind: BaseKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    pub country: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub region: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub location: Option<Option<Location>>,
    /// EDTF.
    #[serde(default, deserialize_with = "present")]
    pub established: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub description: Option<Option<String>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AssetItem {
    pub key: String,
    /// TLP marking (at most the importer's clearance); the server's default when
    /// absent from a new item, unchanged when absent from a known one.
    #[serde(default)]
    pub marking: Option<Marking>,
    /// The version the record must still have (a CONFLICT otherwise), as
    /// `expectedVersion` of the update mutations; never exported.
    #[serde(skip_serializing)]
    pub expected_version: Option<i32>,
    pub kind: AssetKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    pub model: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub quantity: Option<Option<Quantity>>,
    /// Key of the owning actor (left out of an export when the reader does not see
    /// it).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub owner: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub description: Option<Option<String>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SourceItem {
    pub key: String,
    /// TLP marking (at most the importer's clearance); the server's default when
    /// absent from a new item, unchanged when absent from a known one.
    #[serde(default)]
    pub marking: Option<Marking>,
    /// The version the record must still have (a CONFLICT otherwise), as
    /// `expectedVersion` of the update mutations; never exported.
    #[serde(skip_serializing)]
    pub expected_version: Option<i32>,
    pub kind: SourceKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Option<Vec<String>>,
    pub reliability: Reliability,
    #[serde(default, deserialize_with = "present")]
    pub url: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub description: Option<Option<String>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ReportItem {
    pub key: String,
    /// TLP marking (at most the importer's clearance); the server's default when
    /// absent from a new item, unchanged when absent from a known one.
    #[serde(default)]
    pub marking: Option<Marking>,
    /// The version the record must still have (a CONFLICT otherwise), as
    /// `expectedVersion` of the update mutations; never exported.
    #[serde(skip_serializing)]
    pub expected_version: Option<i32>,
    /// Key of the publishing source.
    pub source: String,
    #[serde(default, deserialize_with = "present")]
    pub url: Option<Option<String>>,
    pub title: String,
    #[serde(default, deserialize_with = "present")]
    pub language: Option<Option<String>>,
    /// EDTF.
    #[serde(default, deserialize_with = "present")]
    pub published: Option<Option<String>>,
    /// RFC 3339.
    #[serde(default, deserialize_with = "present")]
    pub retrieved: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    pub via: Option<Option<String>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AttestationItem {
    /// Key of the report.
    pub report: String,
    pub excerpt: String,
    /// Admiralty credibility 1–6.
    pub credibility: i32,
    #[serde(default = "asserts")]
    pub stance: Stance,
    /// TLP marking; as on the items.
    #[serde(default)]
    pub marking: Option<Marking>,
}

fn asserts() -> Stance {
    Stance::Asserts
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ActorRef {
    pub actor: String,
    pub role: ActorRole,
    /// TLP marking; as on the items.
    #[serde(default)]
    pub marking: Option<Marking>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AssetRef {
    pub asset: String,
    pub role: AssetRole,
    /// TLP marking; as on the items.
    #[serde(default)]
    pub marking: Option<Marking>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BaseRef {
    pub base: String,
    pub role: BaseRole,
    /// TLP marking; as on the items.
    #[serde(default)]
    pub marking: Option<Marking>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EventItem {
    pub key: String,
    /// TLP marking (at most the importer's clearance); the server's default when
    /// absent from a new item, unchanged when absent from a known one.
    #[serde(default)]
    pub marking: Option<Marking>,
    /// The version the record must still have (a CONFLICT otherwise), as
    /// `expectedVersion` of the update mutations; never exported.
    #[serde(skip_serializing)]
    pub expected_version: Option<i32>,
    pub kind: EventKind,
    pub title: String,
    #[serde(default, deserialize_with = "present")]
    pub summary: Option<Option<String>>,
    /// EDTF.
    #[serde(default, deserialize_with = "present")]
    pub occurred: Option<Option<String>>,
    pub status: EventStatus,
    /// 0–100.
    #[serde(default, deserialize_with = "present")]
    pub confidence: Option<Option<i32>>,
    #[serde(default, deserialize_with = "present")]
    pub place: Option<Option<Place>>,
    #[serde(default)]
    pub actors: Option<Vec<ActorRef>>,
    #[serde(default)]
    pub assets: Option<Vec<AssetRef>>,
    #[serde(default)]
    pub bases: Option<Vec<BaseRef>>,
    /// At least one, for a new event.
    #[serde(default)]
    pub attestations: Option<Vec<AttestationItem>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TenureItem {
    pub key: String,
    /// TLP marking (at most the importer's clearance); the server's default when
    /// absent from a new item, unchanged when absent from a known one.
    #[serde(default)]
    pub marking: Option<Marking>,
    /// The version the record must still have (a CONFLICT otherwise), as
    /// `expectedVersion` of the update mutations; never exported.
    #[serde(skip_serializing)]
    pub expected_version: Option<i32>,
    pub actor: String,
    pub base: String,
    pub role: TenureRole,
    /// EDTF single date; absent when unknown.
    #[serde(default, deserialize_with = "present")]
    pub valid_from: Option<Option<String>>,
    /// EDTF single date; absent while the tenure still holds.
    #[serde(default, deserialize_with = "present")]
    pub valid_to: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub basis: Option<Option<String>>,
    #[serde(default)]
    pub attestations: Option<Vec<AttestationItem>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeploymentItem {
    pub key: String,
    /// TLP marking (at most the importer's clearance); the server's default when
    /// absent from a new item, unchanged when absent from a known one.
    #[serde(default)]
    pub marking: Option<Marking>,
    /// The version the record must still have (a CONFLICT otherwise), as
    /// `expectedVersion` of the update mutations; never exported.
    #[serde(skip_serializing)]
    pub expected_version: Option<i32>,
    pub asset: String,
    pub base: String,
    #[serde(default, deserialize_with = "present")]
    pub valid_from: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub valid_to: Option<Option<String>>,
    #[serde(default)]
    pub attestations: Option<Vec<AttestationItem>>,
}

/// What an import did: the journal it committed and how many items it found
/// already up to date.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImportSummary {
    pub entries: Vec<Entry>,
    pub unchanged: usize,
}

impl ImportSummary {
    /// How many records of `type_name` the import wrote with `operation`.
    pub fn count(&self, type_name: &str, operation: Operation) -> usize {
        self.entries
            .iter()
            .filter(|e| e.type_name == type_name && e.operation == operation)
            .count()
    }

    /// How many records of any type the import wrote with `operation`.
    pub fn total(&self, operation: Operation) -> usize {
        self.entries
            .iter()
            .filter(|e| e.operation == operation)
            .count()
    }
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} created, {} updated, {} deleted, {} unchanged",
            self.total(Operation::Create),
            self.total(Operation::Update),
            self.total(Operation::Delete),
            self.unchanged
        )
    }
}

impl Bundle {
    /// How many items it holds.
    pub fn len(&self) -> usize {
        self.actors.len()
            + self.bases.len()
            + self.assets.len()
            + self.sources.len()
            + self.reports.len()
            + self.events.len()
            + self.tenures.len()
            + self.deployments.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Parses a bundle; an error names the path of what is wrong
    /// (`events[3].attestations[0].credibility`) and, for a syntax error, the line
    /// and column.
    pub fn from_json(text: &str) -> Result<Self, GarrisonError> {
        must_be_object(text.trim_start().starts_with('{'))?;
        from_deserializer(&mut serde_json::Deserializer::from_str(text))
    }

    /// The bundle a JSON value holds (as `importBundle` receives it).
    pub fn from_value(value: serde_json::Value) -> Result<Self, GarrisonError> {
        must_be_object(value.is_object())?;
        from_deserializer(value)
    }
}

/// Where the items of a bundle translated from another format came from (a STIX
/// object's id, a CSV row), by their path in the bundle (`events[3]`).
#[derive(Debug, Default)]
pub struct Origins(HashMap<String, String>);

impl Origins {
    /// Notes that the item at `section[index]` came from `origin`.
    pub fn note(&mut self, section: &str, index: usize, origin: impl Into<String>) {
        self.0.insert(format!("{section}[{index}]"), origin.into());
    }

    /// `err` with the path of the item it names (`events[3].title`) turned into the
    /// origin of the item (`event--….title`, `row 4.title`).
    pub fn locate(&self, err: GarrisonError) -> GarrisonError {
        let GarrisonError::InvalidInput { field, reason } = err else {
            return err;
        };
        let head = field.split(']').next().map(|h| format!("{h}]"));
        match head.as_ref().and_then(|h| self.0.get(h).map(|o| (h, o))) {
            Some((head, origin)) => GarrisonError::invalid(field.replacen(head, origin, 1), reason),
            None => GarrisonError::InvalidInput { field, reason },
        }
    }
}

/// A bundle is an object; serde would also read an array by position.
fn must_be_object(is_object: bool) -> Result<(), GarrisonError> {
    if !is_object {
        return Err(GarrisonError::invalid("bundle", "must be a JSON object"));
    }
    Ok(())
}

fn from_deserializer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Bundle, GarrisonError>
where
    D::Error: std::fmt::Display,
{
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "bundle".to_owned()
        } else {
            path
        };
        GarrisonError::invalid(field, plain_words(&e.inner().to_string()))
    })
}

/// A serde message without the Rust types it names ("expected struct ActorItem",
/// "expected i32"), which mean nothing to whoever wrote the bundle.
pub(crate) fn plain_words(message: &str) -> String {
    let mut out = Vec::new();
    let mut words = message.split(' ').peekable();
    while let Some(word) = words.next() {
        if word != "expected" {
            out.push(word.to_owned());
            continue;
        }
        out.push(word.to_owned());
        let Some(next) = words.peek().copied() else {
            break;
        };
        let (what, rest) = split_punctuation(next);
        let plain = match what {
            "struct" | "map" => Some("an object"),
            "enum" => Some("one of the allowed values"),
            "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => {
                Some("an integer")
            }
            "f32" | "f64" => Some("a number"),
            _ => None,
        };
        if let Some(plain) = plain {
            words.next();
            if matches!(what, "struct" | "enum") {
                // The type's name follows.
                let name = words.next().unwrap_or_default();
                out.push(format!("{plain}{}", split_punctuation(name).1));
            } else {
                out.push(format!("{plain}{rest}"));
            }
        }
    }
    out.join(" ")
}

/// A word and the punctuation that ends it ("i32," → ("i32", ",")).
fn split_punctuation(word: &str) -> (&str, &str) {
    let end = word
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(word.len());
    word.split_at(end)
}

/// Whether the database holds no domain records yet (a fresh database to seed).
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, GarrisonError> {
    Ok(actor::Entity::find().count(db).await? == 0 && source::Entity::find().count(db).await? == 0)
}

/// Imports `bundle` in one transaction as `author`: all of it or, on the first
/// invalid item, nothing. Errors name the item's path (`events[3].attestations[0].report`).
pub async fn import(
    db: &DatabaseConnection,
    bundle: &Bundle,
    author: &str,
) -> Result<ImportSummary, GarrisonError> {
    import_with_progress(db, bundle, author, &ProgressBar::hidden()).await
}

/// [`import`], with `bar` counting the items written.
pub async fn import_with_progress(
    db: &DatabaseConnection,
    bundle: &Bundle,
    author: &str,
    bar: &ProgressBar,
) -> Result<ImportSummary, GarrisonError> {
    bar.set_length(bundle.len() as u64);
    let mut session = Session::begin(db, author).await?;
    let unchanged = import_items(&mut session, bundle, &mut |n| bar.inc(n)).await?;
    let entries = session.commit().await?;
    Ok(ImportSummary { entries, unchanged })
}

/// Upserts every item of `bundle` by its key: a new key creates a record, a known
/// one updates it (a record already equal to its item is left alone, so importing
/// the same bundle twice changes nothing). Returns how many items were unchanged.
/// Whoever calls this has checked that the caller may `sync` when the bundle asks to.
pub async fn import_into(s: &mut Session, bundle: &Bundle) -> Result<usize, GarrisonError> {
    import_items(s, bundle, &mut |_| {}).await
}

/// [`import_into`], telling `progress` of each item written.
async fn import_items(
    s: &mut Session,
    bundle: &Bundle,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<usize, GarrisonError> {
    s.set_children(if bundle.sync {
        Children::Replace
    } else {
        Children::Keep
    });
    let fill = Fill {
        complete: bundle.complete,
    };
    let mut importer = Importer {
        s,
        unchanged: 0,
        progress,
    };
    let actors = parents_first(&bundle.actors)?;
    importer
        .section::<Actor, _>("actors", &actors, |i| actor_changes(i, fill))
        .await?;
    importer
        .section::<Source, _>("sources", &indexed(&bundle.sources), |i| {
            source_changes(i, fill)
        })
        .await?;
    importer
        .section::<Base, _>("bases", &indexed(&bundle.bases), |i| base_changes(i, fill))
        .await?;
    importer
        .section::<Asset, _>("assets", &indexed(&bundle.assets), |i| {
            asset_changes(i, fill)
        })
        .await?;
    importer
        .section::<Report, _>("reports", &indexed(&bundle.reports), |i| {
            report_changes(i, fill)
        })
        .await?;
    importer
        .section::<Event, _>("events", &indexed(&bundle.events), |i| {
            event_changes(i, fill)
        })
        .await?;
    importer
        .section::<Tenure, _>("tenures", &indexed(&bundle.tenures), |i| {
            tenure_changes(i, fill)
        })
        .await?;
    importer
        .section::<Deployment, _>("deployments", &indexed(&bundle.deployments), |i| {
            deployment_changes(i, fill)
        })
        .await?;
    Ok(importer.unchanged)
}

fn indexed<T>(items: &[T]) -> Vec<(usize, &T)> {
    items.iter().enumerate().collect()
}

/// Actors ordered so that a parent given in the bundle comes before its subordinates.
fn parents_first(actors: &[ActorItem]) -> Result<Vec<(usize, &ActorItem)>, GarrisonError> {
    let index: HashMap<&str, usize> = actors
        .iter()
        .enumerate()
        .map(|(i, a)| (a.key.as_str(), i))
        .collect();
    let mut state = vec![0u8; actors.len()]; // 0 new, 1 in progress, 2 placed
    let mut order = Vec::with_capacity(actors.len());
    for start in 0..actors.len() {
        let mut chain = vec![start];
        while let Some(&i) = chain.last() {
            if state[i] == 2 {
                chain.pop();
                continue;
            }
            state[i] = 1;
            let parent = actors[i]
                .parent
                .as_ref()
                .and_then(|p| p.as_deref())
                .and_then(|p| index.get(p).copied());
            match parent {
                Some(p) if state[p] == 1 => {
                    return Err(GarrisonError::invalid(
                        format!("actors[{i}].parent"),
                        "actors form a cycle of parents",
                    ));
                }
                Some(p) if state[p] == 0 => chain.push(p),
                _ => {
                    state[i] = 2;
                    order.push((i, &actors[i]));
                    chain.pop();
                }
            }
        }
    }
    Ok(order)
}

/// What every item has: its key, and the version its record must still have.
trait Keyed {
    fn key(&self) -> &str;
    fn expected_version(&self) -> Option<i32>;
}

macro_rules! keyed {
    ($($item:ty),*) => {$(
        impl Keyed for $item {
            fn key(&self) -> &str {
                &self.key
            }
            fn expected_version(&self) -> Option<i32> {
                self.expected_version
            }
        }
    )*};
}

keyed!(
    ActorItem,
    BaseItem,
    AssetItem,
    SourceItem,
    ReportItem,
    EventItem,
    TenureItem,
    DeploymentItem
);

/// How an item's fields become changes: a field left out stays as it is, unless the
/// bundle is `complete`, when it is cleared (an empty list, for lists).
#[derive(Clone, Copy)]
struct Fill {
    complete: bool,
}

impl Fill {
    fn field<T: Clone>(self, value: &Option<Option<T>>) -> Option<Option<T>> {
        match value {
            None if self.complete => Some(None),
            given => given.clone(),
        }
    }

    /// An optional field whose value converts (`Edtf` from text, a reference from a key).
    fn field_map<T, U>(
        self,
        value: &Option<Option<T>>,
        convert: impl Fn(&T) -> U,
    ) -> Option<Option<U>> {
        match value {
            None if self.complete => Some(None),
            given => given.as_ref().map(|v| v.as_ref().map(&convert)),
        }
    }

    /// A named item's name, aliases, kind, key and marking.
    fn names<K>(
        self,
        key: &str,
        marking: Option<Marking>,
        kind: K,
        name: &str,
        aliases: &Option<Vec<String>>,
    ) -> NamedChanges<K> {
        NamedChanges {
            kind: Some(kind),
            name: Some(name.to_owned()),
            aliases: self.list(aliases, Clone::clone),
            key: Some(Some(key.to_owned())),
            marking,
        }
    }

    fn list<T, U>(self, value: &Option<Vec<T>>, convert: impl Fn(&T) -> U) -> Option<Vec<U>> {
        match value {
            None if self.complete => Some(Vec::new()),
            given => given
                .as_ref()
                .map(|items| items.iter().map(convert).collect()),
        }
    }
}

struct Importer<'s> {
    s: &'s mut Session,
    unchanged: usize,
    progress: &'s mut (dyn FnMut(u64) + Send),
}

impl Importer<'_> {
    async fn section<W: Writable, T: Keyed>(
        &mut self,
        name: &str,
        items: &[(usize, &T)],
        changes: impl Fn(&T) -> W::Changes,
    ) -> Result<(), GarrisonError> {
        let mut seen = HashSet::new();
        for (i, item) in items {
            let path = format!("{name}[{i}]");
            let item_key = item.key();
            if item_key.trim().is_empty() {
                return Err(GarrisonError::invalid(
                    format!("{path}.key"),
                    "must not be empty",
                ));
            }
            if !seen.insert(item_key) {
                return Err(GarrisonError::invalid(
                    format!("{path}.key"),
                    format!("\"{item_key}\" is used twice in this bundle"),
                ));
            }
            let written = self.s.journal().len();
            let expected = item.expected_version();
            match self.s.id_by_key::<W>(item_key).await? {
                Some(id) => write::update::<W>(self.s, id, expected, changes(item), &path).await?,
                None if expected.is_some() => {
                    return Err(GarrisonError::conflict(
                        format!(
                            "no {} has the key \"{item_key}\" (at {path}.expectedVersion): \
                             it was deleted, or never existed",
                            W::TYPE
                        ),
                        crate::error::ConflictDetail::None,
                    ));
                }
                None => write::create::<W>(self.s, changes(item), &path).await?,
            };
            if self.s.journal().len() == written {
                self.unchanged += 1;
            }
            (self.progress)(1);
        }
        Ok(())
    }
}

fn key(k: &str) -> Reference {
    Reference::Key(k.to_owned())
}

fn attestation_changes(a: &AttestationItem) -> AttestationChanges {
    AttestationChanges {
        report: Some(key(&a.report)),
        excerpt: Some(a.excerpt.clone()),
        credibility: Some(a.credibility),
        stance: Some(Some(a.stance)),
        marking: a.marking,
        ..Default::default()
    }
}

fn actor_changes(a: &ActorItem, fill: Fill) -> ActorChanges {
    ActorChanges {
        names: fill.names(&a.key, a.marking, a.kind, &a.name, &a.aliases),
        country: fill.field(&a.country),
        description: fill.field(&a.description),
        parent: fill.field_map(&a.parent, |p| key(p)),
    }
}

fn source_changes(i: &SourceItem, fill: Fill) -> SourceChanges {
    SourceChanges {
        names: fill.names(&i.key, i.marking, i.kind, &i.name, &i.aliases),
        reliability: Some(i.reliability),
        url: fill.field(&i.url),
        description: fill.field(&i.description),
    }
}

fn base_changes(i: &BaseItem, fill: Fill) -> BaseChanges {
    BaseChanges {
        names: fill.names(&i.key, i.marking, i.kind, &i.name, &i.aliases),
        country: fill.field(&i.country),
        region: fill.field(&i.region),
        location: fill.field(&i.location),
        established: fill.field(&i.established),
        description: fill.field(&i.description),
    }
}

fn asset_changes(i: &AssetItem, fill: Fill) -> AssetChanges {
    AssetChanges {
        names: fill.names(&i.key, i.marking, i.kind, &i.name, &i.aliases),
        model: fill.field(&i.model),
        quantity: fill.field(&i.quantity),
        description: fill.field(&i.description),
        owner: fill.field_map(&i.owner, |o| key(o)),
    }
}

fn report_changes(i: &ReportItem, fill: Fill) -> ReportChanges {
    ReportChanges {
        key: Some(Some(i.key.clone())),
        marking: i.marking,
        title: Some(i.title.clone()),
        url: fill.field(&i.url),
        language: fill.field(&i.language),
        published: fill.field(&i.published),
        retrieved: fill.field(&i.retrieved),
        via: fill.field(&i.via),
        source: Some(key(&i.source)),
    }
}

fn event_changes(i: &EventItem, fill: Fill) -> EventChanges {
    EventChanges {
        key: Some(Some(i.key.clone())),
        marking: i.marking,
        kind: Some(i.kind),
        title: Some(i.title.clone()),
        status: Some(i.status),
        summary: fill.field(&i.summary),
        occurred: fill.field(&i.occurred),
        confidence: fill.field(&i.confidence),
        place: fill.field(&i.place),
        attestations: fill.list(&i.attestations, attestation_changes),
        actors: fill.list(&i.actors, |p| EventActorChanges {
            target: Some(key(&p.actor)),
            role: Some(p.role),
            marking: p.marking,
            ..Default::default()
        }),
        assets: fill.list(&i.assets, |p| EventAssetChanges {
            target: Some(key(&p.asset)),
            role: Some(p.role),
            marking: p.marking,
            ..Default::default()
        }),
        bases: fill.list(&i.bases, |p| EventBaseChanges {
            target: Some(key(&p.base)),
            role: Some(p.role),
            marking: p.marking,
            ..Default::default()
        }),
    }
}

fn tenure_changes(i: &TenureItem, fill: Fill) -> TenureChanges {
    TenureChanges {
        key: Some(Some(i.key.clone())),
        marking: i.marking,
        role: Some(i.role),
        basis: fill.field(&i.basis),
        valid_from: fill.field(&i.valid_from),
        valid_to: fill.field(&i.valid_to),
        actor: Some(key(&i.actor)),
        base: Some(key(&i.base)),
        attestations: fill.list(&i.attestations, attestation_changes),
    }
}

fn deployment_changes(i: &DeploymentItem, fill: Fill) -> DeploymentChanges {
    DeploymentChanges {
        key: Some(Some(i.key.clone())),
        marking: i.marking,
        valid_from: fill.field(&i.valid_from),
        valid_to: fill.field(&i.valid_to),
        asset: Some(key(&i.asset)),
        base: Some(key(&i.base)),
        attestations: fill.list(&i.attestations, attestation_changes),
    }
}
