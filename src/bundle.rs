//! The import bundle: a JSON document of actors, bases, assets, sources, reports,
//! events, tenures and deployments that refer to each other by stable keys. `data/`
//! holds the seed bundle; `garrison import FILE` loads any bundle in one transaction.
use crate::entity::{
    actor, alias, asset, attestation, base, deployment, event, event_participant, report, source,
    tenure,
};
use crate::error::GarrisonError;
use crate::fuzzy_date::FuzzyDate;
use crate::names::fold;
use crate::vocabulary::*;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, TransactionTrait,
};
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
pub struct LocationItem {
    pub latitude: f64,
    pub longitude: f64,
    pub precision: Option<LocationPrecision>,
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
    pub location: Option<LocationItem>,
    /// EDTF.
    pub established: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct QuantityItem {
    pub value: i32,
    pub qualifier: QuantityQualifier,
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
    pub quantity: Option<QuantityItem>,
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
    pub credibility: i16,
    #[serde(default = "asserts")]
    pub stance: Stance,
}

fn asserts() -> Stance {
    Stance::Asserts
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PlaceItem {
    pub name: Option<String>,
    pub country: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
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
    pub place: Option<PlaceItem>,
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

/// How many records of each kind an import wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub actors: usize,
    pub bases: usize,
    pub assets: usize,
    pub sources: usize,
    pub reports: usize,
    pub events: usize,
    pub tenures: usize,
    pub deployments: usize,
    pub attestations: usize,
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

/// Imports `bundle` in one transaction: everything or, on the first invalid item,
/// nothing. Errors name the item's path (`events[3].attestations[0].report`).
pub async fn import(
    db: &DatabaseConnection,
    bundle: &Bundle,
) -> Result<ImportSummary, GarrisonError> {
    let txn = db.begin().await?;
    let summary = Importer::new(&txn).run(bundle).await?;
    txn.commit().await?;
    Ok(summary)
}

/// Row ids by external key, per table, for items of this bundle and earlier imports.
struct Importer<'c, C> {
    db: &'c C,
    ids: HashMap<(&'static str, String), i64>,
    summary: ImportSummary,
}

fn check_name(path: &str, name: &str) -> Result<(), GarrisonError> {
    if name.trim().is_empty() {
        return Err(GarrisonError::invalid(path, "must not be empty"));
    }
    if name.chars().count() > 500 {
        return Err(GarrisonError::invalid(
            path,
            "must be at most 500 characters",
        ));
    }
    Ok(())
}

fn check_country(path: &str, country: &Option<String>) -> Result<Option<String>, GarrisonError> {
    match country {
        None => Ok(None),
        Some(c)
            if c.len() == 2
                && c.bytes().all(|b| b.is_ascii_uppercase())
                && celes::Country::from_alpha2(c).is_ok() =>
        {
            Ok(Some(c.clone()))
        }
        Some(c) => Err(GarrisonError::invalid(
            path,
            format!("\"{c}\" is not an ISO 3166-1 alpha-2 code"),
        )),
    }
}

fn check_coordinates(path: &str, latitude: f64, longitude: f64) -> Result<(), GarrisonError> {
    if !(-90.0..=90.0).contains(&latitude) {
        return Err(GarrisonError::invalid(
            format!("{path}.latitude"),
            "must be between -90 and 90",
        ));
    }
    if !(-180.0..=180.0).contains(&longitude) {
        return Err(GarrisonError::invalid(
            format!("{path}.longitude"),
            "must be between -180 and 180",
        ));
    }
    Ok(())
}

fn check_url(path: &str, url: &Option<String>) -> Result<(), GarrisonError> {
    match url {
        Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) => {
            Err(GarrisonError::invalid(path, "must be an http(s) URL"))
        }
        _ => Ok(()),
    }
}

fn date(path: &str, text: &Option<String>) -> Result<Option<FuzzyDate>, GarrisonError> {
    text.as_deref()
        .map(|t| FuzzyDate::parse(t).map_err(|e| GarrisonError::invalid(path, e.to_string())))
        .transpose()
}

/// The validity interval of a tenure or deployment from its two ends.
fn validity(
    path: &str,
    from: &Option<String>,
    to: &Option<String>,
) -> Result<Option<FuzzyDate>, GarrisonError> {
    let from = date(&format!("{path}.validFrom"), from)?;
    let to = date(&format!("{path}.validTo"), to)?;
    FuzzyDate::between(from.as_ref(), to.as_ref())
        .map_err(|e| GarrisonError::invalid(format!("{path}.validFrom"), e.reason))
}

fn date_columns(d: &Option<FuzzyDate>) -> (Option<String>, Option<i64>, Option<i64>) {
    match d {
        Some(d) => (Some(d.text().to_owned()), d.earliest(), d.latest()),
        None => (None, None, None),
    }
}

impl<'c, C: ConnectionTrait> Importer<'c, C> {
    fn new(db: &'c C) -> Self {
        Self {
            db,
            ids: HashMap::new(),
            summary: ImportSummary::default(),
        }
    }

    fn remember(
        &mut self,
        table: &'static str,
        path: &str,
        key: &str,
        id: i64,
    ) -> Result<(), GarrisonError> {
        if key.trim().is_empty() {
            return Err(GarrisonError::invalid(
                format!("{path}.key"),
                "must not be empty",
            ));
        }
        if self.ids.insert((table, key.to_owned()), id).is_some() {
            return Err(GarrisonError::invalid(
                format!("{path}.key"),
                format!("\"{key}\" is used twice in this bundle"),
            ));
        }
        Ok(())
    }

    /// The row id of the `table` record with external `key`, from this bundle or the
    /// database.
    async fn resolve(
        &mut self,
        table: &'static str,
        path: &str,
        key: &str,
    ) -> Result<i64, GarrisonError> {
        if let Some(id) = self.ids.get(&(table, key.to_owned())) {
            return Ok(*id);
        }
        let by_key = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("key")).eq(key))
            .to_owned();
        let found: Option<i64> = match self.db.query_one(&by_key).await? {
            Some(row) => Some(row.try_get("", "id")?),
            None => None,
        };
        let id =
            found.ok_or_else(|| GarrisonError::not_found(table, format!("{key} (at {path})")))?;
        self.ids.insert((table, key.to_owned()), id);
        Ok(id)
    }

    async fn aliases(
        &self,
        path: &str,
        names: &[String],
        owner: fn(&mut alias::ActiveModel, i64),
        owner_id: i64,
    ) -> Result<(), GarrisonError> {
        let mut seen = HashSet::new();
        for (i, name) in names.iter().enumerate() {
            let path = format!("{path}.aliases[{i}]");
            check_name(&path, name)?;
            if !seen.insert(fold(name)) {
                return Err(GarrisonError::invalid(
                    path,
                    format!("duplicate alias \"{name}\""),
                ));
            }
            let mut row = alias::ActiveModel {
                name: Set(name.clone()),
                name_key: Set(fold(name)),
                ..Default::default()
            };
            owner(&mut row, owner_id);
            row.insert(self.db).await?;
        }
        Ok(())
    }

    async fn attestations(
        &mut self,
        path: &str,
        items: &[AttestationItem],
        claim: fn(&mut attestation::ActiveModel, i64),
        claim_id: i64,
    ) -> Result<(), GarrisonError> {
        for (i, item) in items.iter().enumerate() {
            let path = format!("{path}.attestations[{i}]");
            let report_id = self
                .resolve("report", &format!("{path}.report"), &item.report)
                .await?;
            if item.excerpt.trim().is_empty() {
                return Err(GarrisonError::invalid(
                    format!("{path}.excerpt"),
                    "must not be empty",
                ));
            }
            if !(1..=6).contains(&item.credibility) {
                return Err(GarrisonError::invalid(
                    format!("{path}.credibility"),
                    "must be between 1 and 6",
                ));
            }
            let mut row = attestation::ActiveModel {
                report_id: Set(report_id),
                excerpt: Set(item.excerpt.clone()),
                credibility: Set(item.credibility),
                stance: Set(item.stance),
                ..Default::default()
            };
            claim(&mut row, claim_id);
            row.insert(self.db).await?;
            self.summary.attestations += 1;
        }
        Ok(())
    }

    async fn participant(
        &self,
        event_id: i64,
        role: String,
        set: impl FnOnce(&mut event_participant::ActiveModel),
    ) -> Result<(), GarrisonError> {
        let mut row = event_participant::ActiveModel {
            event_id: Set(event_id),
            role: Set(role),
            ..Default::default()
        };
        set(&mut row);
        row.insert(self.db).await?;
        Ok(())
    }

    async fn run(mut self, bundle: &Bundle) -> Result<ImportSummary, GarrisonError> {
        self.actors(bundle).await?;
        self.sources(bundle).await?;
        self.bases(bundle).await?;
        self.assets(bundle).await?;
        self.reports(bundle).await?;
        self.events(bundle).await?;
        self.tenures(bundle).await?;
        self.deployments(bundle).await?;
        Ok(self.summary)
    }

    async fn actors(&mut self, bundle: &Bundle) -> Result<(), GarrisonError> {
        let mut inserted = Vec::new();
        for (i, item) in bundle.actors.iter().enumerate() {
            let path = format!("actors[{i}]");
            check_name(&format!("{path}.name"), &item.name)?;
            let row = actor::ActiveModel {
                key: Set(Some(item.key.clone())),
                kind: Set(item.kind),
                name: Set(item.name.clone()),
                name_key: Set(fold(&item.name)),
                country: Set(check_country(&format!("{path}.country"), &item.country)?),
                description: Set(item.description.clone()),
                parent_id: Set(None),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
            self.remember("actor", &path, &item.key, row.id)?;
            self.aliases(
                &path,
                &item.aliases,
                |a, id| a.actor_id = Set(Some(id)),
                row.id,
            )
            .await?;
            inserted.push(row);
        }
        // Parents may come later in the bundle than their subordinates.
        for ((i, item), row) in bundle.actors.iter().enumerate().zip(inserted) {
            if let Some(parent) = &item.parent {
                let path = format!("actors[{i}].parent");
                let parent_id = self.resolve("actor", &path, parent).await?;
                if parent_id == row.id {
                    return Err(GarrisonError::invalid(
                        path,
                        "an actor cannot be its own parent",
                    ));
                }
                let mut row: actor::ActiveModel = row.into();
                row.parent_id = Set(Some(parent_id));
                row.update(self.db).await?;
            }
            self.summary.actors += 1;
        }
        Ok(())
    }

    async fn sources(&mut self, bundle: &Bundle) -> Result<(), GarrisonError> {
        for (i, item) in bundle.sources.iter().enumerate() {
            let path = format!("sources[{i}]");
            check_name(&format!("{path}.name"), &item.name)?;
            check_url(&format!("{path}.url"), &item.url)?;
            let row = source::ActiveModel {
                key: Set(Some(item.key.clone())),
                kind: Set(item.kind),
                name: Set(item.name.clone()),
                name_key: Set(fold(&item.name)),
                reliability: Set(item.reliability),
                url: Set(item.url.clone()),
                description: Set(item.description.clone()),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
            self.remember("source", &path, &item.key, row.id)?;
            self.summary.sources += 1;
        }
        Ok(())
    }

    async fn bases(&mut self, bundle: &Bundle) -> Result<(), GarrisonError> {
        for (i, item) in bundle.bases.iter().enumerate() {
            let path = format!("bases[{i}]");
            check_name(&format!("{path}.name"), &item.name)?;
            if let Some(l) = &item.location {
                check_coordinates(&format!("{path}.location"), l.latitude, l.longitude)?;
            }
            let (established, established_lo, established_hi) =
                date_columns(&date(&format!("{path}.established"), &item.established)?);
            let row = base::ActiveModel {
                key: Set(Some(item.key.clone())),
                kind: Set(item.kind),
                name: Set(item.name.clone()),
                name_key: Set(fold(&item.name)),
                country: Set(check_country(&format!("{path}.country"), &item.country)?),
                region: Set(item.region.clone()),
                latitude: Set(item.location.as_ref().map(|l| l.latitude)),
                longitude: Set(item.location.as_ref().map(|l| l.longitude)),
                location_precision: Set(item.location.as_ref().and_then(|l| l.precision)),
                description: Set(item.description.clone()),
                established: Set(established),
                established_lo: Set(established_lo),
                established_hi: Set(established_hi),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
            self.remember("base", &path, &item.key, row.id)?;
            self.aliases(
                &path,
                &item.aliases,
                |a, id| a.base_id = Set(Some(id)),
                row.id,
            )
            .await?;
            self.summary.bases += 1;
        }
        Ok(())
    }

    async fn assets(&mut self, bundle: &Bundle) -> Result<(), GarrisonError> {
        for (i, item) in bundle.assets.iter().enumerate() {
            let path = format!("assets[{i}]");
            check_name(&format!("{path}.name"), &item.name)?;
            let owner_id = match &item.owner {
                Some(owner) => Some(
                    self.resolve("actor", &format!("{path}.owner"), owner)
                        .await?,
                ),
                None => None,
            };
            if let Some(q) = &item.quantity
                && q.value < 0
            {
                return Err(GarrisonError::invalid(
                    format!("{path}.quantity.value"),
                    "must not be negative",
                ));
            }
            let row = asset::ActiveModel {
                key: Set(Some(item.key.clone())),
                kind: Set(item.kind),
                name: Set(item.name.clone()),
                name_key: Set(fold(&item.name)),
                model: Set(item.model.clone()),
                quantity: Set(item.quantity.as_ref().map(|q| q.value)),
                quantity_qualifier: Set(item.quantity.as_ref().map(|q| q.qualifier)),
                description: Set(item.description.clone()),
                owner_id: Set(owner_id),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
            self.remember("asset", &path, &item.key, row.id)?;
            self.aliases(
                &path,
                &item.aliases,
                |a, id| a.asset_id = Set(Some(id)),
                row.id,
            )
            .await?;
            self.summary.assets += 1;
        }
        Ok(())
    }

    async fn reports(&mut self, bundle: &Bundle) -> Result<(), GarrisonError> {
        for (i, item) in bundle.reports.iter().enumerate() {
            let path = format!("reports[{i}]");
            check_name(&format!("{path}.title"), &item.title)?;
            check_url(&format!("{path}.url"), &item.url)?;
            let source_id = self
                .resolve("source", &format!("{path}.source"), &item.source)
                .await?;
            let (published, published_lo, published_hi) =
                date_columns(&date(&format!("{path}.published"), &item.published)?);
            let row = report::ActiveModel {
                key: Set(Some(item.key.clone())),
                source_id: Set(source_id),
                url: Set(item.url.clone()),
                title: Set(item.title.clone()),
                title_key: Set(fold(&item.title)),
                language: Set(item.language.clone()),
                retrieved_at: Set(item.retrieved),
                via: Set(item.via.clone()),
                published: Set(published),
                published_lo: Set(published_lo),
                published_hi: Set(published_hi),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
            self.remember("report", &path, &item.key, row.id)?;
            self.summary.reports += 1;
        }
        Ok(())
    }

    async fn events(&mut self, bundle: &Bundle) -> Result<(), GarrisonError> {
        for (i, item) in bundle.events.iter().enumerate() {
            let path = format!("events[{i}]");
            check_name(&format!("{path}.title"), &item.title)?;
            if item.attestations.is_empty() {
                return Err(GarrisonError::invalid(
                    format!("{path}.attestations"),
                    "an event needs at least one attestation",
                ));
            }
            if let Some(c) = item.confidence
                && !(0..=100).contains(&c)
            {
                return Err(GarrisonError::invalid(
                    format!("{path}.confidence"),
                    "must be between 0 and 100",
                ));
            }
            let place = item.place.as_ref();
            if let Some((lat, lon)) = place.and_then(|p| p.latitude.zip(p.longitude)) {
                check_coordinates(&format!("{path}.place"), lat, lon)?;
            }
            let (occurred, occurred_lo, occurred_hi) =
                date_columns(&date(&format!("{path}.occurred"), &item.occurred)?);
            let row = event::ActiveModel {
                key: Set(Some(item.key.clone())),
                kind: Set(item.kind),
                title: Set(item.title.clone()),
                title_key: Set(fold(&item.title)),
                summary: Set(item.summary.clone()),
                status: Set(item.status),
                confidence: Set(item.confidence),
                place: Set(place.and_then(|p| p.name.clone())),
                country: Set(check_country(
                    &format!("{path}.place.country"),
                    &place.and_then(|p| p.country.clone()),
                )?),
                latitude: Set(place.and_then(|p| p.latitude)),
                longitude: Set(place.and_then(|p| p.longitude)),
                occurred: Set(occurred),
                occurred_lo: Set(occurred_lo),
                occurred_hi: Set(occurred_hi),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
            self.remember("event", &path, &item.key, row.id)?;
            for (j, p) in item.actors.iter().enumerate() {
                let id = self
                    .resolve("actor", &format!("{path}.actors[{j}].actor"), &p.actor)
                    .await?;
                self.participant(row.id, p.role.to_value(), |r| r.actor_id = Set(Some(id)))
                    .await?;
            }
            for (j, p) in item.assets.iter().enumerate() {
                let id = self
                    .resolve("asset", &format!("{path}.assets[{j}].asset"), &p.asset)
                    .await?;
                self.participant(row.id, p.role.to_value(), |r| r.asset_id = Set(Some(id)))
                    .await?;
            }
            for (j, p) in item.bases.iter().enumerate() {
                let id = self
                    .resolve("base", &format!("{path}.bases[{j}].base"), &p.base)
                    .await?;
                self.participant(row.id, p.role.to_value(), |r| r.base_id = Set(Some(id)))
                    .await?;
            }
            self.attestations(
                &path,
                &item.attestations,
                |a, id| a.event_id = Set(Some(id)),
                row.id,
            )
            .await?;
            self.summary.events += 1;
        }
        Ok(())
    }

    async fn tenures(&mut self, bundle: &Bundle) -> Result<(), GarrisonError> {
        for (i, item) in bundle.tenures.iter().enumerate() {
            let path = format!("tenures[{i}]");
            let actor_id = self
                .resolve("actor", &format!("{path}.actor"), &item.actor)
                .await?;
            let base_id = self
                .resolve("base", &format!("{path}.base"), &item.base)
                .await?;
            let (valid, valid_lo, valid_hi) =
                date_columns(&validity(&path, &item.valid_from, &item.valid_to)?);
            let row = tenure::ActiveModel {
                key: Set(Some(item.key.clone())),
                actor_id: Set(actor_id),
                base_id: Set(base_id),
                role: Set(item.role),
                basis: Set(item.basis.clone()),
                valid: Set(valid),
                valid_lo: Set(valid_lo),
                valid_hi: Set(valid_hi),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
            self.remember("tenure", &path, &item.key, row.id)?;
            self.attestations(
                &path,
                &item.attestations,
                |a, id| a.tenure_id = Set(Some(id)),
                row.id,
            )
            .await?;
            self.summary.tenures += 1;
        }
        Ok(())
    }

    async fn deployments(&mut self, bundle: &Bundle) -> Result<(), GarrisonError> {
        for (i, item) in bundle.deployments.iter().enumerate() {
            let path = format!("deployments[{i}]");
            let asset_id = self
                .resolve("asset", &format!("{path}.asset"), &item.asset)
                .await?;
            let base_id = self
                .resolve("base", &format!("{path}.base"), &item.base)
                .await?;
            let (valid, valid_lo, valid_hi) =
                date_columns(&validity(&path, &item.valid_from, &item.valid_to)?);
            let row = deployment::ActiveModel {
                key: Set(Some(item.key.clone())),
                asset_id: Set(asset_id),
                base_id: Set(base_id),
                valid: Set(valid),
                valid_lo: Set(valid_lo),
                valid_hi: Set(valid_hi),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
            self.remember("deployment", &path, &item.key, row.id)?;
            self.attestations(
                &path,
                &item.attestations,
                |a, id| a.deployment_id = Set(Some(id)),
                row.id,
            )
            .await?;
            self.summary.deployments += 1;
        }
        Ok(())
    }
}
