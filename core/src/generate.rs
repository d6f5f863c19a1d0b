//! `garrison generate`: a realistic synthetic graph at scale, for benchmarks.
//!
//! Participation is skewed (a few actors and bases appear in most events), dates spread
//! over 2015–2025 with mixed precision (days, months, years, intervals, approximate),
//! names carry accents and aliases, every event has one to three attestations (two on
//! average), and tenures and deployments have open and closed intervals. Rows are
//! inserted in multi-row statements, a batch per transaction, with ids assigned here,
//! so the same `--seed` always yields the same graph. Generated rows are not written to
//! the change journal: they are benchmark data, not edits.
use crate::entity::{Marked, Stored};
use crate::entity::{
    actor, alias, asset, attestation, base, deployment, event, event_participant, report, source,
    tenure,
};
use crate::error::GarrisonError;
use crate::fuzzy_date::FuzzyDate;
use crate::names::fold;
use crate::record::*;
use crate::vocabulary::*;
use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityName,
    EntityTrait, QuerySelect, TransactionTrait,
};

/// How much to generate.
#[derive(Clone, Debug)]
pub struct Plan {
    pub actors: usize,
    pub bases: usize,
    pub assets: usize,
    pub events: usize,
    pub seed: u64,
}

/// Rows written, by table.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Written {
    pub rows: Vec<(&'static str, usize)>,
}

impl std::fmt::Display for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.rows.iter().map(|(t, n)| format!("{n} {t}")).collect();
        f.write_str(&parts.join(", "))
    }
}

/// Rows per INSERT (well under SQLite's bound-parameter limit).
const CHUNK: usize = 500;
/// Rows per transaction.
const BATCH: usize = 20_000;

const COUNTRIES: &[&str] = &[
    "SY", "RU", "LY", "IQ", "IR", "TR", "LB", "JO", "IL", "EG", "SD", "ML", "NE", "UA", "BY", "YE",
    "SA", "AE", "QA", "CY", "GR", "DZ", "TN", "MA", "AF", "PK", "AM", "AZ", "GE", "KZ",
];
const SYLLABLES: &[&str] = &[
    "ḥa", "mei", "mim", "tar", "tūs", "qa", "ra", "sha", "bal", "kha", "zu", "dā", "ré", "nō",
    "ya", "lat", "kia", "dor", "vos", "grad", "sk", "ov", "ʿa", "lī", "man", "bij", "sul", "té",
];

/// Picks an index in `0..n`, most often a small one: a few items take most picks.
fn skewed(rng: &mut impl Rng, n: usize) -> usize {
    ((rng.random::<f64>().powi(3)) * n as f64) as usize % n.max(1)
}

fn name(rng: &mut impl Rng, i: usize) -> String {
    let parts = rng.random_range(2..=3);
    let mut word: String = (0..parts)
        .map(|_| *SYLLABLES.choose(rng).unwrap())
        .collect();
    if let Some(first) = word.chars().next() {
        word = first.to_uppercase().chain(word.chars().skip(1)).collect();
    }
    format!("{word} {i}")
}

/// Other names: a longer form, or another one without accents (each distinct from
/// the name and the others after folding, as the write rules require: accents, case
/// and Arabic articles do not make a different name).
fn aliases(rng: &mut impl Rng, name: &str) -> Vec<String> {
    match rng.random_range(0..4) {
        0 => vec![format!("{name} Group")],
        1 => vec![format!("Jabhat {}", fold(name))],
        2 => vec![
            format!("Jabhat {}", fold(name)),
            format!("{} district", fold(name)),
        ],
        _ => Vec::new(),
    }
}

fn pick<T: Copy>(rng: &mut impl Rng, items: &[T]) -> T {
    *items.choose(rng).unwrap()
}

/// A date between 2015 and 2025 at day, month or year precision, sometimes approximate.
fn date_text(rng: &mut impl Rng) -> String {
    let day = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap()
        + chrono::Days::new(rng.random_range(0..4018));
    let text = match rng.random_range(0..20) {
        0..=9 => day.format("%Y-%m-%d").to_string(),
        10..=15 => day.format("%Y-%m").to_string(),
        _ => day.format("%Y").to_string(),
    };
    if rng.random_bool(0.2) {
        format!("{text}~")
    } else {
        text
    }
}

/// An event's date: a single date, or now and then an interval.
fn occurred(rng: &mut impl Rng) -> FuzzyDate {
    let text = if rng.random_bool(0.05) {
        let (a, b) = (date_text(rng), date_text(rng));
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let ends = |t: &str| FuzzyDate::parse(t).unwrap();
        match FuzzyDate::between(Some(&ends(&a)), Some(&ends(&b))) {
            Ok(Some(d)) => return d,
            _ => a,
        }
    } else {
        date_text(rng)
    };
    FuzzyDate::parse(&text).expect("generated dates parse")
}

/// A validity interval: closed, open ("still so") or with an unknown start.
fn validity(rng: &mut impl Rng) -> FuzzyDate {
    let from = FuzzyDate::parse(&date_text(rng)).unwrap();
    let text = match rng.random_range(0..10) {
        0..=3 => format!("{}/..", from.text()),
        4 => format!("/{}", from.text()),
        _ => {
            let to = FuzzyDate::parse(&date_text(rng)).unwrap();
            if from.earliest() <= to.earliest() {
                format!("{}/{}", from.text(), to.text())
            } else {
                format!("{}/{}", to.text(), from.text())
            }
        }
    };
    FuzzyDate::parse(&text).unwrap_or(from)
}

fn date_columns(d: &FuzzyDate) -> (Option<String>, Option<i64>, Option<i64>) {
    (Some(d.text().to_owned()), d.earliest(), d.latest())
}

/// Inserts rows in chunks, a batch per transaction.
struct Inserter<'a> {
    db: &'a DatabaseConnection,
    bar: ProgressBar,
    written: Written,
}

impl Inserter<'_> {
    async fn insert<A>(&mut self, table: &'static str, rows: Vec<A>) -> Result<(), GarrisonError>
    where
        A: ActiveModelTrait + Send,
    {
        let count = rows.len();
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let txn = self.db.begin().await?;
            for _ in 0..BATCH / CHUNK {
                let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
                if chunk.is_empty() {
                    break;
                }
                let n = chunk.len() as u64;
                <A::Entity as EntityTrait>::insert_many(chunk)
                    .exec_without_returning(&txn)
                    .await?;
                self.bar.inc(n);
            }
            txn.commit().await?;
        }
        match self.written.rows.iter_mut().find(|(t, _)| *t == table) {
            Some((_, n)) => *n += count,
            None => self.written.rows.push((table, count)),
        }
        Ok(())
    }
}

/// The next free id of `E`'s table.
async fn next_id<E: Stored>(db: &DatabaseConnection) -> Result<i64, GarrisonError> {
    let max: Option<Option<i64>> = E::find()
        .select_only()
        .expr(Func::max(Expr::col(E::ID)))
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0) + 1)
}

/// Ids handed out for one table.
struct Ids {
    next: i64,
}

impl Ids {
    async fn of<E: Stored>(db: &DatabaseConnection) -> Result<Self, GarrisonError> {
        Ok(Self {
            next: next_id::<E>(db).await?,
        })
    }
    fn take(&mut self) -> i64 {
        self.next += 1;
        self.next - 1
    }
}

/// Generates `plan` into `db`; `progress` shows a bar on the terminal.
pub async fn generate(
    db: &DatabaseConnection,
    plan: &Plan,
    progress: bool,
) -> Result<Written, GarrisonError> {
    let mut rng = ChaCha8Rng::seed_from_u64(plan.seed);
    let now: DateTime<Utc> = DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_else(Utc::now);
    let bar = if progress {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} rows ({per_sec}, {eta})")
            .expect("template")
            .progress_chars("=> "),
    );
    let mut out = Inserter {
        db,
        bar: bar.clone(),
        written: Written::default(),
    };
    let (actors, bases, assets) = (plan.actors.max(1), plan.bases.max(1), plan.assets.max(1));
    let sources = (plan.events / 1_000).max(10);
    let reports = (plan.events / 2).max(10);

    let mut alias_ids = Ids::of::<alias::Entity>(db).await?;
    let mut alias_rows = Vec::new();
    let mut alias_row =
        |rng: &mut ChaCha8Rng, name: &str, owner: &dyn Fn(&mut alias::ActiveModel)| {
            for a in aliases(rng, name) {
                let mut row = alias::ActiveModel {
                    id: Set(alias_ids.take()),
                    name_key: Set(fold(&a)),
                    name: Set(a),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                };
                owner(&mut row);
                alias_rows.push(row);
            }
        };

    bar.set_message("actors");
    bar.set_length(actors as u64);
    let first_actor = next_id::<actor::Entity>(db).await?;
    let top_level = (actors / 100).max(1);
    let mut rows = Vec::with_capacity(actors);
    for i in 0..actors {
        let n = name(&mut rng, i);
        let id = first_actor + i as i64;
        let parent = (i >= top_level.max(CHUNK) && rng.random_bool(0.3))
            .then(|| first_actor + skewed(&mut rng, top_level) as i64);
        alias_row(&mut rng, &n, &|a| a.actor_id = Set(Some(id)));
        rows.push(actor::ActiveModel {
            id: Set(id),
            key: Set(None),
            marking: Set(Marking::Clear),
            kind: Set(pick(
                &mut rng,
                &[
                    ActorKind::State,
                    ActorKind::ArmedForces,
                    ActorKind::ArmedGroup,
                    ActorKind::Government,
                    ActorKind::Organisation,
                    ActorKind::Person,
                ],
            )),
            name_key: Set(fold(&n)),
            name: Set(n),
            country: Set(Some(pick(&mut rng, COUNTRIES).to_owned())),
            description: Set(None),
            parent_id: Set(parent),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    out.insert("actors", rows).await?;

    bar.set_message("bases");
    bar.set_length(bases as u64);
    bar.set_position(0);
    let first_base = next_id::<base::Entity>(db).await?;
    let mut rows = Vec::with_capacity(bases);
    for i in 0..bases {
        let n = format!("{} Air Base", name(&mut rng, i));
        let id = first_base + i as i64;
        alias_row(&mut rng, &n, &|a| a.base_id = Set(Some(id)));
        let established = FuzzyDate::parse(&date_text(&mut rng)).unwrap();
        let (e, e_lo, e_hi) = date_columns(&established);
        rows.push(base::ActiveModel {
            id: Set(id),
            key: Set(None),
            marking: Set(Marking::Clear),
            kind: Set(pick(
                &mut rng,
                &[
                    BaseKind::AirBase,
                    BaseKind::NavalBase,
                    BaseKind::ArmyBase,
                    BaseKind::Outpost,
                    BaseKind::LogisticsHub,
                ],
            )),
            name_key: Set(fold(&n)),
            name: Set(n),
            country: Set(Some(pick(&mut rng, COUNTRIES).to_owned())),
            region: Set(None),
            latitude: Set(Some(rng.random_range(10.0..55.0))),
            longitude: Set(Some(rng.random_range(-10.0..75.0))),
            location_precision: Set(Some(LocationPrecision::Approximate)),
            description: Set(None),
            established: Set(e),
            established_lo: Set(e_lo),
            established_hi: Set(e_hi),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    out.insert("bases", rows).await?;

    bar.set_message("assets");
    bar.set_length(assets as u64);
    bar.set_position(0);
    let first_asset = next_id::<asset::Entity>(db).await?;
    let mut rows = Vec::with_capacity(assets);
    for i in 0..assets {
        let n = name(&mut rng, i);
        let id = first_asset + i as i64;
        alias_row(&mut rng, &n, &|a| a.asset_id = Set(Some(id)));
        let counted = rng.random_bool(0.4);
        rows.push(asset::ActiveModel {
            id: Set(id),
            key: Set(None),
            marking: Set(Marking::Clear),
            kind: Set(pick(
                &mut rng,
                &[
                    AssetKind::Aircraft,
                    AssetKind::Vessel,
                    AssetKind::Vehicle,
                    AssetKind::Unit,
                    AssetKind::Equipment,
                ],
            )),
            name_key: Set(fold(&n)),
            name: Set(n),
            model: Set(Some(
                pick(
                    &mut rng,
                    &[
                        "An-124 Ruslan",
                        "Il-76",
                        "Su-34",
                        "Project 22350",
                        "T-90",
                        "S-400",
                    ],
                )
                .to_owned(),
            )),
            quantity: Set(counted.then(|| rng.random_range(1..40))),
            quantity_qualifier: Set(counted.then_some(QuantityQualifier::AtLeast)),
            description: Set(None),
            owner_id: Set(Some(first_actor + skewed(&mut rng, actors) as i64)),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    out.insert("assets", rows).await?;
    bar.set_message("aliases");
    bar.set_length(alias_rows.len() as u64);
    bar.set_position(0);
    out.insert("aliases", std::mem::take(&mut alias_rows))
        .await?;

    bar.set_message("sources");
    bar.set_length((sources + reports) as u64);
    bar.set_position(0);
    let first_source = next_id::<source::Entity>(db).await?;
    let rows = (0..sources)
        .map(|i| {
            let n = format!("{} News", name(&mut rng, i));
            source::ActiveModel {
                id: Set(first_source + i as i64),
                key: Set(None),
                marking: Set(Marking::Clear),
                kind: Set(pick(
                    &mut rng,
                    &[
                        SourceKind::NewsAgency,
                        SourceKind::Broadcaster,
                        SourceKind::Newspaper,
                        SourceKind::Official,
                        SourceKind::SocialMedia,
                        SourceKind::Imagery,
                    ],
                )),
                name_key: Set(fold(&n)),
                name: Set(n),
                reliability: Set(pick(
                    &mut rng,
                    &[
                        Reliability::A,
                        Reliability::B,
                        Reliability::C,
                        Reliability::D,
                        Reliability::E,
                        Reliability::F,
                    ],
                )),
                url: Set(Some(format!("https://source-{i}.example"))),
                description: Set(None),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            }
        })
        .collect();
    out.insert("sources", rows).await?;
    bar.set_message("reports");
    let first_report = next_id::<report::Entity>(db).await?;
    let rows = (0..reports)
        .map(|i| {
            let title = format!("Report {i}: {} reports movement", name(&mut rng, i));
            let (p, p_lo, p_hi) = date_columns(&FuzzyDate::parse(&date_text(&mut rng)).unwrap());
            report::ActiveModel {
                id: Set(first_report + i as i64),
                key: Set(None),
                marking: Set(Marking::Clear),
                source_id: Set(first_source + skewed(&mut rng, sources) as i64),
                url: Set(Some(format!("https://reports.example/{i}"))),
                title_key: Set(fold(&title)),
                title: Set(title),
                language: Set(Some(
                    pick(&mut rng, &["en", "ar", "ru", "fr", "tr"]).to_owned(),
                )),
                published: Set(p),
                published_lo: Set(p_lo),
                published_hi: Set(p_hi),
                retrieved_at: Set(Some(now)),
                via: Set(None),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            }
        })
        .collect();
    out.insert("reports", rows).await?;

    let mut attestation_ids = Ids::of::<attestation::Entity>(db).await?;
    let mut attestation = |rng: &mut ChaCha8Rng, claim: &dyn Fn(&mut attestation::ActiveModel)| {
        let mut row = attestation::ActiveModel {
            id: Set(attestation_ids.take()),
            key: Set(None),
            marking: Set(Marking::Clear),
            report_id: Set(first_report + rng.random_range(0..reports) as i64),
            event_id: Set(None),
            tenure_id: Set(None),
            deployment_id: Set(None),
            excerpt: Set("sources said so".to_owned()),
            credibility: Set(rng.random_range(1..=6)),
            stance: Set(pick(
                rng,
                &[
                    Stance::Asserts,
                    Stance::Asserts,
                    Stance::Asserts,
                    Stance::Disputes,
                ],
            )),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        };
        claim(&mut row);
        row
    };

    bar.set_message("tenures");
    let mut tenure_ids = Ids::of::<tenure::Entity>(db).await?;
    let mut deployment_ids = Ids::of::<deployment::Entity>(db).await?;
    let (mut tenures, mut deployments, mut claims) = (Vec::new(), Vec::new(), Vec::new());
    for b in 0..bases {
        for _ in 0..rng.random_range(1..=3) {
            let id = tenure_ids.take();
            let (v, v_lo, v_hi) = date_columns(&validity(&mut rng));
            tenures.push(tenure::ActiveModel {
                id: Set(id),
                key: Set(None),
                marking: Set(Marking::Clear),
                actor_id: Set(first_actor + skewed(&mut rng, actors) as i64),
                base_id: Set(first_base + b as i64),
                role: Set(pick(
                    &mut rng,
                    &[
                        TenureRole::Operator,
                        TenureRole::Host,
                        TenureRole::Controller,
                        TenureRole::Tenant,
                    ],
                )),
                basis: Set(None),
                valid: Set(v),
                valid_lo: Set(v_lo),
                valid_hi: Set(v_hi),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            });
            if rng.random_bool(0.5) {
                claims.push(attestation(&mut rng, &|a| a.tenure_id = Set(Some(id))));
            }
        }
    }
    for a in 0..assets {
        for _ in 0..rng.random_range(1..=2) {
            let id = deployment_ids.take();
            let (v, v_lo, v_hi) = date_columns(&validity(&mut rng));
            deployments.push(deployment::ActiveModel {
                id: Set(id),
                key: Set(None),
                marking: Set(Marking::Clear),
                asset_id: Set(first_asset + a as i64),
                base_id: Set(first_base + skewed(&mut rng, bases) as i64),
                valid: Set(v),
                valid_lo: Set(v_lo),
                valid_hi: Set(v_hi),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            });
            if rng.random_bool(0.5) {
                claims.push(attestation(&mut rng, &|a| a.deployment_id = Set(Some(id))));
            }
        }
    }
    bar.set_length((tenures.len() + deployments.len() + claims.len()) as u64);
    bar.set_position(0);
    out.insert("tenures", tenures).await?;
    out.insert("deployments", deployments).await?;
    out.insert("attestations", claims).await?;

    bar.set_message("events");
    bar.set_length(plan.events as u64 * 5);
    bar.set_position(0);
    let first_event = next_id::<event::Entity>(db).await?;
    let mut participant_ids = Ids::of::<event_participant::Entity>(db).await?;
    let mut done = 0;
    while done < plan.events {
        let n = (plan.events - done).min(BATCH / 5);
        let (mut events, mut participants, mut claims) = (Vec::new(), Vec::new(), Vec::new());
        for i in done..done + n {
            let id = first_event + i as i64;
            let (o, o_lo, o_hi) = date_columns(&occurred(&mut rng));
            let title = format!(
                "{} {}",
                pick(
                    &mut rng,
                    &[
                        "Convoy seen near",
                        "Aircraft land at",
                        "Ships leave",
                        "Troops withdraw from",
                        "Talks held on"
                    ]
                ),
                name(&mut rng, i)
            );
            let placed = rng.random_bool(0.6);
            events.push(event::ActiveModel {
                id: Set(id),
                key: Set(None),
                marking: Set(Marking::Clear),
                kind: Set(pick(
                    &mut rng,
                    &[
                        EventKind::Movement,
                        EventKind::Flight,
                        EventKind::Withdrawal,
                        EventKind::Deployment,
                        EventKind::Statement,
                        EventKind::Attack,
                        EventKind::Negotiation,
                    ],
                )),
                title_key: Set(fold(&title)),
                title: Set(title),
                summary: Set(Some("Generated for benchmarks.".to_owned())),
                status: Set(pick(
                    &mut rng,
                    &[
                        EventStatus::Reported,
                        EventStatus::Reported,
                        EventStatus::Confirmed,
                        EventStatus::Disputed,
                    ],
                )),
                confidence: Set(Some(rng.random_range(10..=100))),
                place: Set(None),
                country: Set(Some(pick(&mut rng, COUNTRIES).to_owned())),
                latitude: Set(placed.then(|| rng.random_range(10.0..55.0))),
                longitude: Set(placed.then(|| rng.random_range(-10.0..75.0))),
                location_precision: Set(placed.then_some(LocationPrecision::Approximate)),
                occurred: Set(o),
                occurred_lo: Set(o_lo),
                occurred_hi: Set(o_hi),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            });
            let mut participant = |set: &dyn Fn(&mut event_participant::ActiveModel),
                                   role: String| {
                let mut row = event_participant::ActiveModel {
                    id: Set(participant_ids.take()),
                    key: Set(None),
                    marking: Set(Marking::Clear),
                    event_id: Set(id),
                    actor_id: Set(None),
                    asset_id: Set(None),
                    base_id: Set(None),
                    role: Set(role),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                };
                set(&mut row);
                participants.push(row);
            };
            let mut chosen = Vec::new();
            for _ in 0..rng.random_range(1..=2) {
                let actor = first_actor + skewed(&mut rng, actors) as i64;
                if !chosen.contains(&actor) {
                    chosen.push(actor);
                    let role = pick(
                        &mut rng,
                        &[
                            ActorRole::Performer,
                            ActorRole::Target,
                            ActorRole::StatementBy,
                        ],
                    )
                    .to_value();
                    participant(&|p| p.actor_id = Set(Some(actor)), role);
                }
            }
            if rng.random_bool(0.5) {
                let asset = first_asset + skewed(&mut rng, assets) as i64;
                participant(
                    &|p| p.asset_id = Set(Some(asset)),
                    AssetRole::Subject.to_value(),
                );
            }
            if rng.random_bool(0.7) {
                let base = first_base + skewed(&mut rng, bases) as i64;
                let role = pick(
                    &mut rng,
                    &[BaseRole::Location, BaseRole::Origin, BaseRole::Destination],
                )
                .to_value();
                participant(&|p| p.base_id = Set(Some(base)), role);
            }
            for _ in 0..rng.random_range(1..=3) {
                claims.push(attestation(&mut rng, &|a| a.event_id = Set(Some(id))));
            }
        }
        out.insert("events", events).await?;
        out.insert("participants", participants).await?;
        out.insert("attestations", claims).await?;
        done += n;
    }
    bar.finish_and_clear();
    advance_sequences(db).await?;
    bar.set_message("markings");
    spread_markings(db).await?;
    bar.set_message("visibility");
    crate::visibility::settle::settle_all(db).await?;
    // The rows went in without the write path, so their search documents did too.
    bar.set_message("search");
    crate::search::rebuild(db).await?;
    // Fresh statistics, so that the planner knows the new shape of the data; on
    // PostgreSQL also the space of the rows that marking and settling rewrote, which
    // autovacuum would otherwise reclaim while the data is first read.
    let statistics = match db.get_database_backend() {
        DatabaseBackend::Postgres => "VACUUM ANALYZE",
        _ => "ANALYZE",
    };
    db.execute_unprepared(statistics).await?;
    Ok(out.written)
}

/// Marks the generated records as a team's data might be: 90 % CLEAR, 5 % GREEN, 3 %
/// AMBER, 1 % AMBER+STRICT and 1 % RED, by id (one statement per table), so that
/// what each clearance sees differs and the benchmark pays for the rule. Their
/// visibility is worked out again afterwards.
async fn spread_markings(db: &DatabaseConnection) -> Result<(), GarrisonError> {
    macro_rules! each {
        ($($record:ident),+) => {$(
            spread::<<$record as Record>::Entity>(db).await?;
            crate::visibility::settle::unsettle_every::<$record>(db).await?;
        )+};
    }
    crate::journaled_records!(each);
    Ok(())
}

/// The markings of one table's generated rows (participants' table is visited once
/// per kind; the result is the same).
async fn spread<E: Marked>(db: &DatabaseConnection) -> Result<(), GarrisonError> {
    let bucket = Expr::col(E::ID).modulo(100);
    let rank = Expr::case(bucket.clone().lt(90), Marking::Clear.rank())
        .case(bucket.clone().lt(95), Marking::Green.rank())
        .case(bucket.clone().lt(98), Marking::Amber.rank())
        .case(bucket.lt(99), Marking::AmberStrict.rank())
        .finally(Marking::Red.rank());
    E::update_many()
        .col_expr(E::MARKING, rank.into())
        .exec(db)
        .await?;
    Ok(())
}

/// On PostgreSQL, moves each id sequence past the ids assigned here.
async fn advance_sequences(db: &DatabaseConnection) -> Result<(), GarrisonError> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    macro_rules! tables {
        ($($record:ident),+) => {
            [$(<$record as Record>::Entity::default().table_name()),+]
        };
    }
    let mut tables = Vec::from(crate::journaled_records!(tables));
    tables.push(alias::Entity.table_name());
    tables.sort_unstable();
    tables.dedup();
    for table in tables {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             GREATEST((SELECT MAX(id) FROM {table}), 1))"
        ))
        .await?;
    }
    Ok(())
}
