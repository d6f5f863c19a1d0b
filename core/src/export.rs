//! Exporting the graph as a bundle that `import` reads back: every record with its
//! key, marking, aliases, fuzzy dates as written, participants and attestations.
//! Records are read a page at a time and written item by item, so memory stays flat
//! however large the graph; the output is the same file each time for the same
//! graph, and exporting what an empty database imported from it gives it again.
//!
//! The file says `"complete": true, "sync": true`: imported again into the database it
//! came from, it makes each record, and each record's lists, exactly as exported (the
//! sync needs the admin role). A record without a key is exported with `<type>-<id>`
//! (`event-17`), so that items can point at it; importing the file gives it that key.
use crate::acled::{CsvWriter, ToAcled};
use crate::bundle::{
    ActorItem, ActorRef, AssetItem, AssetRef, AttestationItem, BaseItem, BaseRef, DeploymentItem,
    EventItem, ReportItem, SourceItem, TenureItem,
};
use crate::entity::{
    Marked, Stamped, Stored, actor, alias, asset, attestation, base, deployment, event,
    event_participant, report, source, tenure,
};
use crate::error::GarrisonError;
use crate::fuzzy_date::FuzzyDate;
use crate::progress;
use crate::record::{
    Actor, Asset, Attestation, Base, Event, EventActor, EventAsset, EventBase, Record, Report,
    Source,
};
use crate::stix::{StixWriter, ToStix};
use crate::visibility::{Clearance, Visible};
use crate::write::records::{Location, Place, Quantity};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

type Result<T> = std::result::Result<T, GarrisonError>;

/// Records read per statement: large enough that statements stay few, small enough
/// that a page of events with their children is a few megabytes at most.
const PAGE: u64 = 500;

/// The formats the graph exports to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// garrison's own bundle, which `import` reads back losslessly.
    #[default]
    Bundle,
    /// A STIX 2.1 bundle (see [`crate::stix`]).
    Stix,
    /// Events as an ACLED-style table (see [`crate::acled`]).
    Csv,
}

/// Whether an export shows its progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A bar on stderr when it is a terminal (the command line).
    Terminal,
    /// None (the server's downloads).
    Silent,
}

/// Writes the whole graph, as a caller of `clearance` sees it, to `out` in `format`.
/// Returns how many records it wrote.
pub async fn to_writer(
    db: &DatabaseConnection,
    clearance: Clearance,
    format: Format,
    progress: Progress,
    mut out: impl Write,
) -> Result<u64> {
    let db = &Reading { db, clearance };
    match format {
        Format::Bundle => with_bar(db, &mut BundleWriter::new(&mut out, clearance), progress).await,
        Format::Stix => with_bar(db, &mut StixWriter::new(&mut out), progress).await,
        Format::Csv => with_bar(db, &mut CsvWriter::new(&mut out)?, progress).await,
    }
}

/// Writes the graph to `file`, with a progress bar if asked and on a terminal.
async fn with_bar(db: &Reading<'_>, file: &mut impl Output, progress: Progress) -> Result<u64> {
    let shown = progress == Progress::Terminal && progress::shown();
    let mut total = 0;
    if shown {
        for section in SECTIONS.into_iter().filter(|s| file.wants(s.name())) {
            total += section.count(db.db).await?;
        }
    }
    let bar = match shown {
        true => progress::bar(total, "exporting"),
        false => indicatif::ProgressBar::hidden(),
    };
    let written = export(db, file, |n| bar.inc(n)).await?;
    bar.finish_and_clear();
    Ok(written)
}

/// What an export reads: the database, as a caller of `clearance` sees it (records
/// hidden from it are left out, and references to them are null).
pub(crate) struct Reading<'a> {
    pub db: &'a DatabaseConnection,
    pub clearance: Clearance,
}

/// The record types in the order they are exported: each refers only to those before
/// it (events, tenures and deployments to the reports of their attestations).
const SECTIONS: [SectionName; 8] = [
    SectionName::Actors,
    SectionName::Bases,
    SectionName::Assets,
    SectionName::Sources,
    SectionName::Reports,
    SectionName::Events,
    SectionName::Tenures,
    SectionName::Deployments,
];

/// One of [`SECTIONS`].
#[derive(Clone, Copy)]
enum SectionName {
    Actors,
    Bases,
    Assets,
    Sources,
    Reports,
    Events,
    Tenures,
    Deployments,
}

impl SectionName {
    /// Its name in the bundle.
    fn name(self) -> &'static str {
        match self {
            Self::Actors => <actor::Entity as Section>::NAME,
            Self::Bases => <base::Entity as Section>::NAME,
            Self::Assets => <asset::Entity as Section>::NAME,
            Self::Sources => <source::Entity as Section>::NAME,
            Self::Reports => <report::Entity as Section>::NAME,
            Self::Events => <event::Entity as Section>::NAME,
            Self::Tenures => <tenure::Entity as Section>::NAME,
            Self::Deployments => <deployment::Entity as Section>::NAME,
        }
    }

    /// How many records the section holds.
    async fn count(self, db: &DatabaseConnection) -> Result<u64> {
        Ok(match self {
            Self::Actors => actor::Entity::find().count(db).await?,
            Self::Bases => base::Entity::find().count(db).await?,
            Self::Assets => asset::Entity::find().count(db).await?,
            Self::Sources => source::Entity::find().count(db).await?,
            Self::Reports => report::Entity::find().count(db).await?,
            Self::Events => event::Entity::find().count(db).await?,
            Self::Tenures => tenure::Entity::find().count(db).await?,
            Self::Deployments => deployment::Entity::find().count(db).await?,
        })
    }

    /// Writes the section to `file`.
    async fn write(
        self,
        file: &mut impl Output,
        db: &Reading<'_>,
        progress: &mut impl FnMut(u64),
    ) -> Result<()> {
        match self {
            Self::Actors => write_actors(file, db, progress).await,
            Self::Bases => write_section::<base::Entity>(file, db, progress).await,
            Self::Assets => write_section::<asset::Entity>(file, db, progress).await,
            Self::Sources => write_section::<source::Entity>(file, db, progress).await,
            Self::Reports => write_section::<report::Entity>(file, db, progress).await,
            Self::Events => write_section::<event::Entity>(file, db, progress).await,
            Self::Tenures => write_section::<tenure::Entity>(file, db, progress).await,
            Self::Deployments => write_section::<deployment::Entity>(file, db, progress).await,
        }
    }
}

/// Writes every section to `file`.
async fn export(
    db: &Reading<'_>,
    file: &mut impl Output,
    mut progress: impl FnMut(u64),
) -> Result<u64> {
    let sections: Vec<SectionName> = SECTIONS
        .into_iter()
        .filter(|s| file.wants(s.name()))
        .collect();
    file.begin()?;
    for section in sections {
        section.write(file, db, &mut progress).await?;
    }
    file.finish()
}

/// A record type's section of the export: how a page of its rows becomes items.
#[async_trait::async_trait]
pub(crate) trait Section: Marked<Model: Send + Sync> + Send + Sync {
    /// The section's name in the bundle.
    const NAME: &'static str;
    /// The record type of its rows, whose visibility rule the export applies.
    type Record: Visible<Entity = Self>;
    type Item: Serialize + ToStix + ToAcled + Send + Sync;
    /// The items of `rows`, in their order, with what they refer to by key.
    async fn items(db: &Reading<'_>, rows: Vec<Self::Model>) -> Result<Vec<Self::Item>>;
}

/// What an export writes to: a format that hears of each section and each page of
/// rows, and writes them as it goes.
#[async_trait::async_trait(?Send)]
pub(crate) trait Output {
    /// Whether the format writes the section of this name (all of them, unless it
    /// says otherwise).
    fn wants(&self, _section: &str) -> bool {
        true
    }
    /// Before the first section.
    fn begin(&mut self) -> Result<()>;
    /// A section of records begins.
    fn section(&mut self, name: &'static str) -> Result<()>;
    /// Writes a page of a section's rows; returns how many records it wrote.
    async fn page<E: Section>(&mut self, db: &Reading<'_>, rows: Vec<E::Model>) -> Result<u64>;
    /// The section ends.
    fn close_section(&mut self) -> Result<()>;
    /// After the last section; returns how many records were written in all.
    fn finish(&mut self) -> Result<u64>;
}

/// Writes the section of `E`, its rows a page at a time in id order.
async fn write_section<E: Section>(
    file: &mut impl Output,
    db: &Reading<'_>,
    progress: &mut impl FnMut(u64),
) -> Result<()> {
    file.section(E::NAME)?;
    let mut after = 0;
    while let Some(rows) = page::<E>(db, &mut after).await? {
        progress(file.page::<E>(db, rows).await?);
    }
    file.close_section()
}

/// Writes the actors' section: each actor's parent before it, otherwise in id order,
/// the order the importer writes them in, so that a file imported and exported again
/// is the same file.
async fn write_actors(
    file: &mut impl Output,
    db: &Reading<'_>,
    progress: &mut impl FnMut(u64),
) -> Result<()> {
    file.section(<actor::Entity as Section>::NAME)?;
    for ids in actors_parents_first(db).await?.chunks(PAGE as usize) {
        let mut rows = actor::Entity::find()
            .filter(actor::Column::Id.is_in(ids.to_vec()))
            .all(db.db)
            .await?;
        let position: HashMap<i64, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        rows.sort_by_key(|row| position[&row.id]);
        progress(file.page::<actor::Entity>(db, rows).await?);
    }
    file.close_section()
}

/// Actors, with their aliases (in parents-first order, see [`write_actors`]).
#[async_trait::async_trait]
impl Section for actor::Entity {
    const NAME: &'static str = "actors";
    type Record = Actor;
    type Item = ActorItem;
    async fn items(db: &Reading<'_>, rows: Vec<actor::Model>) -> Result<Vec<ActorItem>> {
        let parents = keys_of::<Actor>(db, rows.iter().filter_map(|r| r.parent_id)).await?;
        let mut aliases = aliases_of(db, alias::Column::ActorId, rows.iter().map(|r| r.id)).await?;
        Ok(rows
            .into_iter()
            .map(|row| ActorItem {
                key: key_or_id::<Actor>(row.key, row.id),
                marking: Some(row.marking),
                expected_version: None,
                kind: row.kind,
                name: row.name,
                aliases: Some(aliases.remove(&row.id).unwrap_or_default()),
                country: Some(row.country),
                parent: reference(row.parent_id, &parents),
                description: Some(row.description),
            })
            .collect())
    }
}

/// Bases, with their aliases.
#[async_trait::async_trait]
impl Section for base::Entity {
    const NAME: &'static str = "bases";
    type Record = Base;
    type Item = BaseItem;
    async fn items(db: &Reading<'_>, rows: Vec<base::Model>) -> Result<Vec<BaseItem>> {
        let mut aliases = aliases_of(db, alias::Column::BaseId, rows.iter().map(|r| r.id)).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let location =
                    Location::from_columns(row.latitude, row.longitude, row.location_precision);
                BaseItem {
                    key: key_or_id::<Base>(row.key, row.id),
                    marking: Some(row.marking),
                    expected_version: None,
                    kind: row.kind,
                    name: row.name,
                    aliases: Some(aliases.remove(&row.id).unwrap_or_default()),
                    country: Some(row.country),
                    region: Some(row.region),
                    location: Some(location),
                    established: Some(row.established),
                    description: Some(row.description),
                }
            })
            .collect())
    }
}

/// Assets, with their aliases and owners.
#[async_trait::async_trait]
impl Section for asset::Entity {
    const NAME: &'static str = "assets";
    type Record = Asset;
    type Item = AssetItem;
    async fn items(db: &Reading<'_>, rows: Vec<asset::Model>) -> Result<Vec<AssetItem>> {
        let owners = keys_of::<Actor>(db, rows.iter().filter_map(|r| r.owner_id)).await?;
        let mut aliases = aliases_of(db, alias::Column::AssetId, rows.iter().map(|r| r.id)).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let quantity = row.quantity.zip(row.quantity_qualifier);
                AssetItem {
                    key: key_or_id::<Asset>(row.key, row.id),
                    marking: Some(row.marking),
                    expected_version: None,
                    kind: row.kind,
                    name: row.name,
                    aliases: Some(aliases.remove(&row.id).unwrap_or_default()),
                    model: Some(row.model),
                    quantity: Some(
                        quantity.map(|(value, qualifier)| Quantity { value, qualifier }),
                    ),
                    owner: reference(row.owner_id, &owners),
                    description: Some(row.description),
                }
            })
            .collect())
    }
}

/// Sources, with their aliases.
#[async_trait::async_trait]
impl Section for source::Entity {
    const NAME: &'static str = "sources";
    type Record = Source;
    type Item = SourceItem;
    async fn items(db: &Reading<'_>, rows: Vec<source::Model>) -> Result<Vec<SourceItem>> {
        let mut aliases =
            aliases_of(db, alias::Column::SourceId, rows.iter().map(|r| r.id)).await?;
        Ok(rows
            .into_iter()
            .map(|row| SourceItem {
                key: key_or_id::<Source>(row.key, row.id),
                marking: Some(row.marking),
                expected_version: None,
                kind: row.kind,
                name: row.name,
                aliases: Some(aliases.remove(&row.id).unwrap_or_default()),
                reliability: row.reliability,
                url: Some(row.url),
                description: Some(row.description),
            })
            .collect())
    }
}

/// Reports, with their sources.
#[async_trait::async_trait]
impl Section for report::Entity {
    const NAME: &'static str = "reports";
    type Record = Report;
    type Item = ReportItem;
    async fn items(db: &Reading<'_>, rows: Vec<report::Model>) -> Result<Vec<ReportItem>> {
        let sources = keys_of::<Source>(db, rows.iter().map(|r| r.source_id)).await?;
        rows.into_iter()
            .map(|row| {
                Ok(ReportItem {
                    key: key_or_id::<Report>(row.key, row.id),
                    marking: Some(row.marking),
                    expected_version: None,
                    source: required(&sources, row.source_id)?,
                    url: Some(row.url),
                    title: row.title,
                    language: Some(row.language),
                    published: Some(row.published),
                    retrieved: Some(row.retrieved_at),
                    via: Some(row.via),
                })
            })
            .collect()
    }
}

/// Events, with their participants and attestations.
#[async_trait::async_trait]
impl Section for event::Entity {
    const NAME: &'static str = "events";
    type Record = Event;
    type Item = EventItem;
    async fn items(db: &Reading<'_>, rows: Vec<event::Model>) -> Result<Vec<EventItem>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut attestations = attestations_of(db, attestation::Column::EventId, &ids).await?;
        let mut participants = participants_of(db, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let location =
                    Location::from_columns(row.latitude, row.longitude, row.location_precision);
                let place = (row.place.is_some() || row.country.is_some() || location.is_some())
                    .then_some(Place {
                        name: row.place,
                        country: row.country,
                        location,
                    });
                let taking_part = participants.remove(&row.id).unwrap_or_default();
                EventItem {
                    key: key_or_id::<Event>(row.key, row.id),
                    marking: Some(row.marking),
                    expected_version: None,
                    kind: row.kind,
                    title: row.title,
                    summary: Some(row.summary),
                    occurred: Some(row.occurred),
                    status: row.status,
                    confidence: Some(row.confidence),
                    place: Some(place),
                    actors: Some(taking_part.actors),
                    assets: Some(taking_part.assets),
                    bases: Some(taking_part.bases),
                    attestations: Some(attestations.remove(&row.id).unwrap_or_default()),
                }
            })
            .collect())
    }
}

/// Tenures, with their attestations.
#[async_trait::async_trait]
impl Section for tenure::Entity {
    const NAME: &'static str = "tenures";
    type Record = crate::record::Tenure;
    type Item = TenureItem;
    async fn items(db: &Reading<'_>, rows: Vec<tenure::Model>) -> Result<Vec<TenureItem>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut attestations = attestations_of(db, attestation::Column::TenureId, &ids).await?;
        let actors = keys_of::<Actor>(db, rows.iter().map(|r| r.actor_id)).await?;
        let bases = keys_of::<Base>(db, rows.iter().map(|r| r.base_id)).await?;
        rows.into_iter()
            .map(|row| {
                let (valid_from, valid_to) = period(row.valid);
                Ok(TenureItem {
                    key: key_or_id::<crate::record::Tenure>(row.key, row.id),
                    marking: Some(row.marking),
                    expected_version: None,
                    actor: required(&actors, row.actor_id)?,
                    base: required(&bases, row.base_id)?,
                    role: row.role,
                    valid_from: Some(valid_from),
                    valid_to: Some(valid_to),
                    basis: Some(row.basis),
                    attestations: Some(attestations.remove(&row.id).unwrap_or_default()),
                })
            })
            .collect()
    }
}

/// Deployments, with their attestations.
#[async_trait::async_trait]
impl Section for deployment::Entity {
    const NAME: &'static str = "deployments";
    type Record = crate::record::Deployment;
    type Item = DeploymentItem;
    async fn items(db: &Reading<'_>, rows: Vec<deployment::Model>) -> Result<Vec<DeploymentItem>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut attestations = attestations_of(db, attestation::Column::DeploymentId, &ids).await?;
        let assets = keys_of::<Asset>(db, rows.iter().map(|r| r.asset_id)).await?;
        let bases = keys_of::<Base>(db, rows.iter().map(|r| r.base_id)).await?;
        rows.into_iter()
            .map(|row| {
                let (valid_from, valid_to) = period(row.valid);
                Ok(DeploymentItem {
                    key: key_or_id::<crate::record::Deployment>(row.key, row.id),
                    marking: Some(row.marking),
                    expected_version: None,
                    asset: required(&assets, row.asset_id)?,
                    base: required(&bases, row.base_id)?,
                    valid_from: Some(valid_from),
                    valid_to: Some(valid_to),
                    attestations: Some(attestations.remove(&row.id).unwrap_or_default()),
                })
            })
            .collect()
    }
}

/// The JSON of a bundle, written a piece at a time.
struct BundleWriter<'w, W: Write> {
    out: &'w mut W,
    /// Whose view it is: a whole one says `complete` and `sync`; a filtered one says
    /// neither, so that importing it never clears what its reader could not see.
    clearance: Clearance,
    written: u64,
    /// Whether the next item is its section's first.
    first: bool,
}

impl<'w, W: Write> BundleWriter<'w, W> {
    fn new(out: &'w mut W, clearance: Clearance) -> Self {
        Self {
            out,
            clearance,
            written: 0,
            first: true,
        }
    }
    fn raw(&mut self, text: &str) -> Result<()> {
        self.out.write_all(text.as_bytes()).map_err(written)
    }
}

#[async_trait::async_trait(?Send)]
impl<W: Write> Output for BundleWriter<'_, W> {
    fn begin(&mut self) -> Result<()> {
        if self.clearance == Clearance::ALL {
            return self.raw("{\"complete\":true,\"sync\":true");
        }
        let description = format!(
            "what a reader cleared for {} sees: records above it are left out, and so are \
             references to them",
            self.clearance.0.label()
        );
        self.raw(&format!(
            "{{\"description\":{}",
            serde_json::Value::from(description)
        ))
    }
    fn section(&mut self, name: &'static str) -> Result<()> {
        self.first = true;
        self.raw(&format!(",\n\"{name}\":["))
    }
    async fn page<E: Section>(&mut self, db: &Reading<'_>, rows: Vec<E::Model>) -> Result<u64> {
        let items = E::items(db, rows).await?;
        for item in &items {
            self.raw(if self.first { "\n" } else { ",\n" })?;
            self.first = false;
            serde_json::to_writer(&mut *self.out, item).map_err(|e| written(e.into()))?;
        }
        self.written += items.len() as u64;
        Ok(items.len() as u64)
    }
    fn close_section(&mut self) -> Result<()> {
        self.raw("]")
    }
    fn finish(&mut self) -> Result<u64> {
        self.raw("}\n")?;
        self.out.flush().map_err(written)?;
        Ok(self.written)
    }
}

/// A failure to write the output (a full disk, a closed pipe).
pub(crate) fn written(err: std::io::Error) -> GarrisonError {
    GarrisonError::Internal(Box::new(err))
}

/// The next page of `E`'s rows after id `after` (which it moves on), or `None` once
/// they are all read.
async fn page<E: Section>(db: &Reading<'_>, after: &mut i64) -> Result<Option<Vec<E::Model>>> {
    let rows = E::find()
        .filter(E::ID.gt(*after))
        .filter(E::Record::seen(db.clearance))
        .order_by_asc(E::ID)
        .limit(PAGE)
        .all(db.db)
        .await?;
    match rows.last() {
        None => Ok(None),
        Some(last) => {
            *after = E::id(last);
            Ok(Some(rows))
        }
    }
}

/// An optional reference as an item gives it: the key, null when there is none, and
/// left out when it names a record the reader does not see (so that importing the
/// file does not clear it).
fn reference(id: Option<i64>, keys: &HashMap<i64, String>) -> Option<Option<String>> {
    match id {
        None => Some(None),
        Some(id) => keys.get(&id).cloned().map(Some),
    }
}

/// The key of the record `id` a visible record requires (which the visibility rule
/// makes visible too).
fn required(keys: &HashMap<i64, String>, id: i64) -> Result<String> {
    keys.get(&id).cloned().ok_or_else(|| {
        GarrisonError::Internal(
            format!("a visible record refers to record {id}, not visible").into(),
        )
    })
}

/// The key a record goes by in the file.
pub(crate) fn key_or_id<R: Record>(key: Option<String>, id: i64) -> String {
    key.unwrap_or_else(|| format!("{}-{id}", R::TYPE.to_lowercase()))
}

/// The keys (as [`key_or_id`] gives them) of the records of `R` with these ids that
/// the reader sees.
pub(crate) async fn keys_of<R: Visible<Entity: Stamped>>(
    db: &Reading<'_>,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, String>> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    let rows: Vec<(i64, Option<String>)> = R::Entity::find()
        .select_only()
        .column(R::Entity::ID)
        .column(<R::Entity as Stamped>::KEY)
        .filter(R::Entity::ID.is_in(ids))
        .filter(R::seen(db.clearance))
        .into_tuple()
        .all(db.db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, key)| (id, key_or_id::<R>(key, id)))
        .collect())
}

/// The ids of the actors the reader sees, each one's parent before it, otherwise in
/// id order.
async fn actors_parents_first(db: &Reading<'_>) -> Result<Vec<i64>> {
    let rows: Vec<(i64, Option<i64>)> = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .column(actor::Column::ParentId)
        .filter(Actor::seen(db.clearance))
        .order_by_asc(actor::Column::Id)
        .into_tuple()
        .all(db.db)
        .await?;
    let parent: HashMap<i64, Option<i64>> = rows.iter().copied().collect();
    let mut placed = std::collections::HashSet::with_capacity(rows.len());
    let mut order = Vec::with_capacity(rows.len());
    for (id, _) in &rows {
        // The chain of not yet placed ancestors, placed from the top down (the
        // database refuses cycles, so the chain ends).
        let mut chain = vec![*id];
        while let Some(Some(up)) = chain.last().and_then(|i| parent.get(i))
            && parent.contains_key(up)
            && !placed.contains(up)
            && !chain.contains(up)
        {
            chain.push(*up);
        }
        for id in chain.into_iter().rev() {
            if placed.insert(id) {
                order.push(id);
            }
        }
    }
    Ok(order)
}

/// The aliases of the records `owner` points at, by record, in the order written.
async fn aliases_of(
    db: &Reading<'_>,
    owner: alias::Column,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, Vec<String>>> {
    let ids: Vec<i64> = ids.collect();
    let rows: Vec<(Option<i64>, String)> = alias::Entity::find()
        .select_only()
        .column(owner)
        .column(alias::Column::Name)
        .filter(owner.is_in(ids))
        .order_by_asc(alias::Column::Id)
        .into_tuple()
        .all(db.db)
        .await?;
    let mut by_owner: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, name) in rows {
        if let Some(id) = id {
            by_owner.entry(id).or_default().push(name);
        }
    }
    Ok(by_owner)
}

/// The attestations of the claims `claim` points at, by claim, in the order written.
async fn attestations_of(
    db: &Reading<'_>,
    claim: attestation::Column,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<AttestationItem>>> {
    let rows = attestation::Entity::find()
        .filter(claim.is_in(ids.to_vec()))
        .filter(Attestation::seen(db.clearance))
        .order_by_asc(attestation::Column::Id)
        .all(db.db)
        .await?;
    let reports = keys_of::<Report>(db, rows.iter().map(|r| r.report_id)).await?;
    let mut by_claim: HashMap<i64, Vec<AttestationItem>> = HashMap::new();
    for row in rows {
        let Some(owner) = row.event_id.or(row.tenure_id).or(row.deployment_id) else {
            continue;
        };
        by_claim.entry(owner).or_default().push(AttestationItem {
            report: required(&reports, row.report_id)?,
            excerpt: row.excerpt,
            credibility: row.credibility.into(),
            stance: row.stance,
            marking: Some(row.marking),
        });
    }
    Ok(by_claim)
}

/// Who and what take part in one event.
#[derive(Default)]
struct TakingPart {
    actors: Vec<ActorRef>,
    assets: Vec<AssetRef>,
    bases: Vec<BaseRef>,
}

/// The participants of these events, by event, in the order written.
async fn participants_of(db: &Reading<'_>, events: &[i64]) -> Result<HashMap<i64, TakingPart>> {
    let seen = Condition::any()
        .add(EventActor::seen(db.clearance))
        .add(EventAsset::seen(db.clearance))
        .add(EventBase::seen(db.clearance));
    let rows = event_participant::Entity::find()
        .filter(event_participant::Column::EventId.is_in(events.to_vec()))
        .filter(seen)
        .order_by_asc(event_participant::Column::Id)
        .all(db.db)
        .await?;
    let actors = keys_of::<Actor>(db, rows.iter().filter_map(|r| r.actor_id)).await?;
    let assets = keys_of::<Asset>(db, rows.iter().filter_map(|r| r.asset_id)).await?;
    let bases = keys_of::<Base>(db, rows.iter().filter_map(|r| r.base_id)).await?;
    let mut by_event: HashMap<i64, TakingPart> = HashMap::new();
    for row in rows {
        let part = by_event.entry(row.event_id).or_default();
        let marking = Some(row.marking);
        if let Some(id) = row.actor_id {
            let actor = required(&actors, id)?;
            let role = role_of(&row.role)?;
            part.actors.push(ActorRef {
                actor,
                role,
                marking,
            });
        } else if let Some(id) = row.asset_id {
            let asset = required(&assets, id)?;
            let role = role_of(&row.role)?;
            part.assets.push(AssetRef {
                asset,
                role,
                marking,
            });
        } else if let Some(id) = row.base_id {
            let base = required(&bases, id)?;
            let role = role_of(&row.role)?;
            part.bases.push(BaseRef {
                base,
                role,
                marking,
            });
        }
    }
    Ok(by_event)
}

/// A participant's role as stored (the role vocabulary of its kind).
fn role_of<T: sea_orm::ActiveEnum<Value = String>>(stored: &str) -> Result<T> {
    Ok(T::try_from_value(&stored.to_owned())?)
}

/// The two ends of a stored period as a bundle writes them.
fn period(valid: Option<String>) -> (Option<String>, Option<String>) {
    let (from, to) = FuzzyDate::from_stored(valid).map_or((None, None), |d| d.ends());
    (
        from.map(|d| d.text().to_owned()),
        to.map(|d| d.text().to_owned()),
    )
}
