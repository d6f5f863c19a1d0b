//! The import bundle: a JSON document of actors, bases, assets, sources, reports,
//! events, tenures and deployments that refer to each other by stable keys. `data/`
//! holds the seed bundle; `garrison import FILE` loads any bundle in one transaction.
use crate::entity::{actor, source};
use crate::error::GarrisonError;
use crate::graphql::mutation::{
    ActorChanges, AssetChanges, AttestationChanges, BaseChanges, DeploymentChanges,
    EventActorChanges, EventAssetChanges, EventBaseChanges, EventChanges, LocationInput,
    PlaceInput, QuantityInput, ReportChanges, SourceChanges, TenureChanges,
};
use crate::graphql::{Actor, Asset, Base, Deployment, Event, Report, Source, Tenure};
use crate::vocabulary::*;
use crate::write::{self, Entry, Operation, Reference, Session, Writable};
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// The seed bundle built from the article in `shared/seeds`, compiled into the binary.
pub const SEED: &str = include_str!("../data/seed.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Bundle {
    /// Free text describing where the bundle comes from.
    #[serde(default)]
    pub description: Option<String>,
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ActorItem {
    pub key: String,
    pub kind: ActorKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub country: Option<String>,
    /// Key of the actor this one belongs to.
    pub parent: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BaseItem {
    pub key: String,
    pub kind: BaseKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub location: Option<LocationInput>,
    /// EDTF.
    pub established: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AssetItem {
    pub key: String,
    pub kind: AssetKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub model: Option<String>,
    pub quantity: Option<QuantityInput>,
    /// Key of the owning actor.
    pub owner: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SourceItem {
    pub key: String,
    pub kind: SourceKind,
    pub name: String,
    pub reliability: Reliability,
    pub url: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ReportItem {
    pub key: String,
    /// Key of the publishing source.
    pub source: String,
    pub url: Option<String>,
    pub title: String,
    pub language: Option<String>,
    /// EDTF.
    pub published: Option<String>,
    /// RFC 3339.
    pub retrieved: Option<DateTime<Utc>>,
    pub via: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AttestationItem {
    /// Key of the report.
    pub report: String,
    pub excerpt: String,
    /// Admiralty credibility 1–6.
    pub credibility: i32,
    #[serde(default = "asserts")]
    pub stance: Stance,
}

fn asserts() -> Stance {
    Stance::Asserts
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ActorRef {
    pub actor: String,
    pub role: ActorRole,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AssetRef {
    pub asset: String,
    pub role: AssetRole,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BaseRef {
    pub base: String,
    pub role: BaseRole,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EventItem {
    pub key: String,
    pub kind: EventKind,
    pub title: String,
    pub summary: Option<String>,
    /// EDTF.
    pub occurred: Option<String>,
    pub status: EventStatus,
    /// 0–100.
    pub confidence: Option<i32>,
    pub place: Option<PlaceInput>,
    #[serde(default)]
    pub actors: Vec<ActorRef>,
    #[serde(default)]
    pub assets: Vec<AssetRef>,
    #[serde(default)]
    pub bases: Vec<BaseRef>,
    /// At least one.
    pub attestations: Vec<AttestationItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TenureItem {
    pub key: String,
    pub actor: String,
    pub base: String,
    pub role: TenureRole,
    /// EDTF single date; absent when unknown.
    pub valid_from: Option<String>,
    /// EDTF single date; absent while the tenure still holds.
    pub valid_to: Option<String>,
    pub basis: Option<String>,
    #[serde(default)]
    pub attestations: Vec<AttestationItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeploymentItem {
    pub key: String,
    pub asset: String,
    pub base: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    #[serde(default)]
    pub attestations: Vec<AttestationItem>,
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
    /// Parses a bundle, naming the line and column of a syntax error.
    pub fn from_json(text: &str) -> Result<Self, GarrisonError> {
        serde_json::from_str(text).map_err(|e| GarrisonError::invalid("bundle", e.to_string()))
    }
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
    let mut session = Session::begin(db, author).await?;
    let unchanged = import_into(&mut session, bundle).await?;
    let entries = session.commit().await?;
    Ok(ImportSummary { entries, unchanged })
}

/// Upserts every item of `bundle` by its key: a new key creates a record, a known
/// one updates it (a record already equal to its item is left alone, so importing
/// the same bundle twice changes nothing). Returns how many items were unchanged.
pub async fn import_into(s: &mut Session, bundle: &Bundle) -> Result<usize, GarrisonError> {
    let mut importer = Importer { s, unchanged: 0 };
    let actors = parents_first(&bundle.actors)?;
    importer
        .section::<Actor, _>("actors", &actors, |a| a.key.as_str(), actor_changes)
        .await?;
    importer
        .section::<Source, _>(
            "sources",
            &indexed(&bundle.sources),
            |i| i.key.as_str(),
            source_changes,
        )
        .await?;
    importer
        .section::<Base, _>(
            "bases",
            &indexed(&bundle.bases),
            |i| i.key.as_str(),
            base_changes,
        )
        .await?;
    importer
        .section::<Asset, _>(
            "assets",
            &indexed(&bundle.assets),
            |i| i.key.as_str(),
            asset_changes,
        )
        .await?;
    importer
        .section::<Report, _>(
            "reports",
            &indexed(&bundle.reports),
            |i| i.key.as_str(),
            report_changes,
        )
        .await?;
    importer
        .section::<Event, _>(
            "events",
            &indexed(&bundle.events),
            |i| i.key.as_str(),
            event_changes,
        )
        .await?;
    importer
        .section::<Tenure, _>(
            "tenures",
            &indexed(&bundle.tenures),
            |i| i.key.as_str(),
            tenure_changes,
        )
        .await?;
    importer
        .section::<Deployment, _>(
            "deployments",
            &indexed(&bundle.deployments),
            |i| i.key.as_str(),
            deployment_changes,
        )
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
                .as_deref()
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

struct Importer<'s> {
    s: &'s mut Session,
    unchanged: usize,
}

impl Importer<'_> {
    async fn section<W: Writable, T>(
        &mut self,
        name: &str,
        items: &[(usize, &T)],
        key: impl Fn(&T) -> &str,
        changes: impl Fn(&T) -> W::Changes,
    ) -> Result<(), GarrisonError> {
        let mut seen = HashSet::new();
        for (i, item) in items {
            let path = format!("{name}[{i}]");
            let item_key = key(item);
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
            match self.s.id_by_key::<W>(item_key).await? {
                Some(id) => write::update::<W>(self.s, id, None, changes(item), &path).await?,
                None => write::create::<W>(self.s, changes(item), &path).await?,
            };
            if self.s.journal().len() == written {
                self.unchanged += 1;
            }
        }
        Ok(())
    }
}

fn key(k: &str) -> Reference {
    Reference::Key(k.to_owned())
}

fn attestation_changes(items: &[AttestationItem]) -> Vec<AttestationChanges> {
    items
        .iter()
        .map(|a| AttestationChanges {
            report: Some(key(&a.report)),
            excerpt: Some(a.excerpt.clone()),
            credibility: Some(a.credibility),
            stance: Some(Some(a.stance)),
            ..Default::default()
        })
        .collect()
}

fn actor_changes(a: &ActorItem) -> ActorChanges {
    ActorChanges {
        key: Some(Some(a.key.clone())),
        kind: Some(a.kind),
        name: Some(a.name.clone()),
        country: Some(a.country.clone()),
        description: Some(a.description.clone()),
        parent: Some(a.parent.as_deref().map(key)),
        aliases: Some(a.aliases.clone()),
    }
}

fn source_changes(i: &SourceItem) -> SourceChanges {
    SourceChanges {
        key: Some(Some(i.key.clone())),
        kind: Some(i.kind),
        name: Some(i.name.clone()),
        reliability: Some(i.reliability),
        url: Some(i.url.clone()),
        description: Some(i.description.clone()),
    }
}

fn base_changes(i: &BaseItem) -> BaseChanges {
    BaseChanges {
        key: Some(Some(i.key.clone())),
        kind: Some(i.kind),
        name: Some(i.name.clone()),
        country: Some(i.country.clone()),
        region: Some(i.region.clone()),
        location: Some(i.location.clone()),
        established: Some(i.established.clone().map(Into::into)),
        description: Some(i.description.clone()),
        aliases: Some(i.aliases.clone()),
    }
}

fn asset_changes(i: &AssetItem) -> AssetChanges {
    AssetChanges {
        key: Some(Some(i.key.clone())),
        kind: Some(i.kind),
        name: Some(i.name.clone()),
        model: Some(i.model.clone()),
        quantity: Some(i.quantity.clone()),
        description: Some(i.description.clone()),
        owner: Some(i.owner.as_deref().map(key)),
        aliases: Some(i.aliases.clone()),
    }
}

fn report_changes(i: &ReportItem) -> ReportChanges {
    ReportChanges {
        key: Some(Some(i.key.clone())),
        title: Some(i.title.clone()),
        url: Some(i.url.clone()),
        language: Some(i.language.clone()),
        published: Some(i.published.clone().map(Into::into)),
        retrieved: Some(i.retrieved),
        via: Some(i.via.clone()),
        source: Some(key(&i.source)),
    }
}

fn event_changes(i: &EventItem) -> EventChanges {
    EventChanges {
        key: Some(Some(i.key.clone())),
        kind: Some(i.kind),
        title: Some(i.title.clone()),
        status: Some(i.status),
        summary: Some(i.summary.clone()),
        occurred: Some(i.occurred.clone().map(Into::into)),
        confidence: Some(i.confidence),
        place: Some(i.place.clone()),
        attestations: Some(attestation_changes(&i.attestations)),
        actors: Some(
            i.actors
                .iter()
                .map(|p| EventActorChanges {
                    actor: Some(key(&p.actor)),
                    role: Some(p.role),
                    ..Default::default()
                })
                .collect(),
        ),
        assets: Some(
            i.assets
                .iter()
                .map(|p| EventAssetChanges {
                    asset: Some(key(&p.asset)),
                    role: Some(p.role),
                    ..Default::default()
                })
                .collect(),
        ),
        bases: Some(
            i.bases
                .iter()
                .map(|p| EventBaseChanges {
                    base: Some(key(&p.base)),
                    role: Some(p.role),
                    ..Default::default()
                })
                .collect(),
        ),
    }
}

fn tenure_changes(i: &TenureItem) -> TenureChanges {
    TenureChanges {
        key: Some(Some(i.key.clone())),
        role: Some(i.role),
        basis: Some(i.basis.clone()),
        valid_from: Some(i.valid_from.clone().map(Into::into)),
        valid_to: Some(i.valid_to.clone().map(Into::into)),
        actor: Some(key(&i.actor)),
        base: Some(key(&i.base)),
        attestations: Some(attestation_changes(&i.attestations)),
    }
}

fn deployment_changes(i: &DeploymentItem) -> DeploymentChanges {
    DeploymentChanges {
        key: Some(Some(i.key.clone())),
        valid_from: Some(i.valid_from.clone().map(Into::into)),
        valid_to: Some(i.valid_to.clone().map(Into::into)),
        asset: Some(key(&i.asset)),
        base: Some(key(&i.base)),
        attestations: Some(attestation_changes(&i.attestations)),
    }
}
