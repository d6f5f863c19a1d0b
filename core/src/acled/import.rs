//! Reading an ACLED-style CSV file into a garrison bundle, which the bundle import then
//! writes in one transaction. Each row is an event keyed by its `event_id_cnty`;
//! its actors and sources are matched by name or alias (folded, as everywhere in
//! garrison) against the database and the rows before, and created when missing;
//! each of its sources becomes a report attesting the event.
use super::{COLUMNS, TAG, kind_of, kind_of_inter, precision_of};
use crate::bundle::{
    ActorItem, ActorRef, AttestationItem, Bundle, EventItem, Origins, ReportItem, SourceItem,
};
use crate::entity::{actor, alias, event, source};
use crate::error::{GarrisonError, clipped};
use crate::export::key_or_id;
use crate::names::fold;
use crate::record::{Actor, Source};
use crate::vocabulary::*;
use crate::write::records::{Location, Place};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

type Result<T> = std::result::Result<T, GarrisonError>;

/// The most characters of a cell an error message repeats.
const ECHOED: usize = 40;

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 2_000_000;

/// The columns a file must have; the others may be missing, and columns of other
/// names are ignored.
const REQUIRED: [&str; 2] = ["event_id_cnty", "event_date"];

/// A file read into a garrison bundle, with the row each item came from.
pub struct Translated {
    pub bundle: Bundle,
    pub origins: Origins,
    /// How many rows the file held.
    pub rows: usize,
}

/// The actors and sources the database holds, by folded name and alias: the keys
/// rows refer to them by.
#[derive(Default)]
pub struct KnownNames {
    actors: HashMap<String, String>,
    sources: HashMap<String, String>,
}

/// The names of the database's actors and sources.
pub async fn known_names(db: &DatabaseConnection) -> Result<KnownNames> {
    let mut known = KnownNames::default();
    let actors: Vec<(i64, Option<String>, String)> = actor::Entity::find()
        .select_only()
        .columns([actor::Column::Id, actor::Column::Key, actor::Column::Name])
        .into_tuple()
        .all(db)
        .await?;
    let sources: Vec<(i64, Option<String>, String)> = source::Entity::find()
        .select_only()
        .columns([
            source::Column::Id,
            source::Column::Key,
            source::Column::Name,
        ])
        .into_tuple()
        .all(db)
        .await?;
    let aliases: Vec<(Option<i64>, Option<i64>, String)> = alias::Entity::find()
        .select_only()
        .columns([
            alias::Column::ActorId,
            alias::Column::SourceId,
            alias::Column::Name,
        ])
        .into_tuple()
        .all(db)
        .await?;
    let mut actor_keys = HashMap::new();
    for (id, key, name) in actors {
        let key = key_or_id::<Actor>(key, id);
        known.actors.insert(fold(&name), key.clone());
        actor_keys.insert(id, key);
    }
    let mut source_keys = HashMap::new();
    for (id, key, name) in sources {
        let key = key_or_id::<Source>(key, id);
        known.sources.insert(fold(&name), key.clone());
        source_keys.insert(id, key);
    }
    for (actor, source, name) in aliases {
        if let Some(key) = actor.and_then(|id| actor_keys.get(&id)) {
            known
                .actors
                .entry(fold(&name))
                .or_insert_with(|| key.clone());
        }
        if let Some(key) = source.and_then(|id| source_keys.get(&id)) {
            known
                .sources
                .entry(fold(&name))
                .or_insert_with(|| key.clone());
        }
    }
    Ok(known)
}

/// Reads an ACLED-style CSV file against the names `known`.
pub fn translate(csv: impl std::io::Read, known: &KnownNames) -> Result<Translated> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(csv);
    let headers = reader
        .headers()
        .map_err(|e| GarrisonError::invalid("header", plain(&e)))?
        .clone();
    let index: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim(), i))
        .collect();
    for column in REQUIRED {
        if !index.contains_key(column) {
            return Err(GarrisonError::invalid(
                "header",
                format!(
                    "has no column {column} (ACLED's columns are {})",
                    COLUMNS.join(", ")
                ),
            ));
        }
    }
    let mut rows = Rows {
        known,
        out: Bundle::default(),
        origins: Origins::default(),
        actors: HashMap::new(),
        sources: HashMap::new(),
        events: HashMap::new(),
    };
    let mut record = csv::StringRecord::new();
    let mut number = 0;
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| GarrisonError::invalid(format!("row {}", number + 1), plain(&e)))?;
        if !more {
            break;
        }
        number += 1;
        if number > MAX_ROWS {
            return Err(GarrisonError::invalid(
                "rows",
                format!("a file holds at most {MAX_ROWS} rows"),
            ));
        }
        let row = Row {
            number,
            record: &record,
            index: &index,
        };
        rows.row(&row)?;
    }
    Ok(Translated {
        bundle: rows.out,
        origins: rows.origins,
        rows: number,
    })
}

/// A csv error in words, without the Rust types.
fn plain(err: &csv::Error) -> String {
    match err.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("has {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not UTF-8".to_owned(),
        _ => err.to_string(),
    }
}

/// One row of the file.
struct Row<'r> {
    number: usize,
    record: &'r csv::StringRecord,
    index: &'r HashMap<&'r str, usize>,
}

impl Row<'_> {
    /// The cell of `column`, trimmed, or `None` when it is empty or missing; without
    /// the apostrophe an export puts before a text that a spreadsheet would take for
    /// a formula.
    fn get(&self, column: &str) -> Option<&str> {
        self.index
            .get(column)
            .and_then(|i| self.record.get(*i))
            .map(str::trim)
            .map(|v| match v.strip_prefix('\'') {
                Some(rest) if rest.starts_with(super::FORMULA) => rest,
                _ => v,
            })
            .filter(|v| !v.is_empty())
    }

    fn invalid(&self, column: &str, reason: impl Into<String>) -> GarrisonError {
        GarrisonError::invalid(format!("row {}.{column}", self.number), reason)
    }

    /// The cell of `column` read as a `T`.
    fn parse<T: std::str::FromStr>(&self, column: &str, what: &str) -> Result<Option<T>> {
        self.get(column)
            .map(|v| {
                v.parse().map_err(|_| {
                    self.invalid(column, format!("\"{}\" is not {what}", clipped(v, ECHOED)))
                })
            })
            .transpose()
    }

    /// The names in the cell of `column` (`A; B`).
    fn names(&self, column: &str) -> Vec<&str> {
        self.get(column)
            .map(|v| {
                v.split(';')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// garrison's tag `name` (`garrison:kind=FLIGHT`), if the row carries it.
    fn tag(&self, name: &str) -> Option<&str> {
        self.get("tags")?.split(';').find_map(|tag| {
            tag.trim()
                .strip_prefix(TAG)
                .and_then(|t| t.strip_prefix(name))
                .and_then(|t| t.strip_prefix('='))
        })
    }
}

/// The translation under way.
struct Rows<'k> {
    known: &'k KnownNames,
    out: Bundle,
    origins: Origins,
    /// The actors and sources the rows so far created, by folded name: their index
    /// in the bundle.
    actors: HashMap<String, usize>,
    sources: HashMap<String, usize>,
    /// The row of each event so far, by key (a key twice is an error).
    events: HashMap<String, usize>,
}

impl Rows<'_> {
    fn row(&mut self, row: &Row) -> Result<()> {
        let key = row
            .get("event_id_cnty")
            .ok_or_else(|| row.invalid("event_id_cnty", "is required"))?
            .to_owned();
        if let Some(first) = self.events.insert(key.clone(), row.number) {
            return Err(row.invalid(
                "event_id_cnty",
                format!(
                    "\"{}\" is also the id of row {first}",
                    clipped(&key, ECHOED)
                ),
            ));
        }
        let marking: Option<Marking> = row
            .tag("marking")
            .map(|word| word_of(row, "tags", word))
            .transpose()?;
        let occurred = match row.tag("occurred") {
            Some(edtf) => Some(edtf.to_owned()),
            None => date(row)?,
        };
        let kind = match row.tag("kind") {
            Some(word) => word_of(row, "tags", word)?,
            None => row
                .get("sub_event_type")
                .and_then(kind_of)
                .unwrap_or(EventKind::Statement),
        };
        let status = match row.tag("status") {
            Some(word) => word_of(row, "tags", word)?,
            None => EventStatus::Reported,
        };
        let confidence = row
            .tag("confidence")
            .map(|c| {
                c.parse()
                    .map_err(|_| row.invalid("tags", "garrison:confidence is not an integer"))
            })
            .transpose()?;
        let notes = row.get("notes").map(str::to_owned);
        let title = notes
            .as_deref()
            .map_or_else(|| format!("ACLED event {key}"), first_sentence);

        let mut actors = Vec::new();
        for (column, inter, role) in [
            ("actor1", "inter1", ActorRole::Performer),
            ("assoc_actor_1", "inter1", ActorRole::Participant),
            ("actor2", "inter2", ActorRole::Target),
            ("assoc_actor_2", "inter2", ActorRole::Target),
        ] {
            let code: Option<u8> = row.parse(inter, "an ACLED interaction code")?;
            for name in row.names(column) {
                let kind = kind_of_inter(code.unwrap_or(0));
                let actor = self.actor(row, column, name, kind, marking);
                actors.push(ActorRef {
                    actor,
                    role,
                    marking,
                });
            }
        }
        let mut attestations = Vec::new();
        for (n, name) in row.names("source").into_iter().enumerate() {
            let source = self.source(row, name, marking);
            let report = format!("acled:{key}:{}", n + 1);
            self.origins.note(
                "reports",
                self.out.reports.len(),
                format!("row {}.source", row.number),
            );
            self.out.reports.push(ReportItem {
                key: report.clone(),
                marking,
                expected_version: None,
                source,
                url: None,
                title: format!("{name} on ACLED event {}", clipped(&key, ECHOED)),
                language: None,
                published: Some(occurred.clone()),
                retrieved: None,
                via: Some(Some("ACLED-style table".to_owned())),
            });
            attestations.push(AttestationItem {
                report,
                excerpt: notes.clone().unwrap_or_else(|| title.clone()),
                credibility: 6,
                stance: Stance::Asserts,
                marking,
            });
        }
        let place = self.place(row)?;
        self.origins.note(
            "events",
            self.out.events.len(),
            format!("row {}", row.number),
        );
        self.out.events.push(EventItem {
            key,
            marking,
            expected_version: None,
            kind,
            title,
            summary: Some(notes),
            occurred: Some(occurred),
            status,
            confidence: Some(confidence),
            place: Some(place),
            actors: Some(actors),
            assets: None,
            bases: None,
            attestations: Some(attestations),
        });
        Ok(())
    }

    /// The key of the actor named `name`: a known one, one an earlier row created
    /// (marked at least `marking`), or a new one of `kind`.
    fn actor(
        &mut self,
        row: &Row,
        column: &str,
        name: &str,
        kind: ActorKind,
        marking: Option<Marking>,
    ) -> String {
        let folded = fold(name);
        if let Some(key) = self.known.actors.get(&folded) {
            return key.clone();
        }
        if let Some(&i) = self.actors.get(&folded) {
            let created = &mut self.out.actors[i];
            created.marking = created.marking.max(marking);
            return created.key.clone();
        }
        let key = format!("acled-actor:{folded}");
        self.actors.insert(folded, self.out.actors.len());
        self.origins.note(
            "actors",
            self.out.actors.len(),
            format!("row {}.{column}", row.number),
        );
        self.out.actors.push(ActorItem {
            key: key.clone(),
            marking,
            expected_version: None,
            kind,
            name: name.to_owned(),
            aliases: None,
            country: None,
            parent: None,
            description: None,
        });
        key
    }

    /// The key of the source named `name`, created (reliability F, cannot be judged,
    /// marked at least `marking`) when missing.
    fn source(&mut self, row: &Row, name: &str, marking: Option<Marking>) -> String {
        let folded = fold(name);
        if let Some(key) = self.known.sources.get(&folded) {
            return key.clone();
        }
        if let Some(&i) = self.sources.get(&folded) {
            let created = &mut self.out.sources[i];
            created.marking = created.marking.max(marking);
            return created.key.clone();
        }
        let key = format!("acled-source:{folded}");
        self.sources.insert(folded, self.out.sources.len());
        self.origins.note(
            "sources",
            self.out.sources.len(),
            format!("row {}.source", row.number),
        );
        self.out.sources.push(SourceItem {
            key: key.clone(),
            marking,
            expected_version: None,
            kind: SourceKind::Other,
            name: name.to_owned(),
            aliases: None,
            reliability: Reliability::F,
            url: None,
            description: None,
        });
        key
    }

    /// Where the row's event happened.
    fn place(&self, row: &Row) -> Result<Option<Place>> {
        let country = match (
            row.parse::<usize>("iso", "an ISO 3166 numeric code")?,
            row.get("country"),
        ) {
            (Some(iso), _) => Some(
                celes::Country::from_value(iso)
                    .map_err(|_| row.invalid("iso", format!("{iso} is no ISO 3166 country")))?,
            ),
            (None, Some(name)) => Some(
                celes::Country::from_name(name)
                    .or_else(|_| celes::Country::from_alias(name))
                    .map_err(|_| {
                        row.invalid(
                            "country",
                            format!("\"{}\" is no country garrison knows", clipped(name, ECHOED)),
                        )
                    })?,
            ),
            (None, None) => None,
        };
        let latitude: Option<f64> = row.parse("latitude", "a number")?;
        let longitude: Option<f64> = row.parse("longitude", "a number")?;
        let precision: Option<u8> = row.parse("geo_precision", "1, 2 or 3")?;
        let location = match (latitude, longitude) {
            (Some(latitude), Some(longitude)) => Some(Location {
                latitude,
                longitude,
                precision: precision.and_then(precision_of),
            }),
            (None, None) => None,
            _ => return Err(row.invalid("longitude", "latitude and longitude come together")),
        };
        let name = row.get("location").map(str::to_owned);
        Ok(
            (name.is_some() || country.is_some() || location.is_some()).then(|| Place {
                name,
                country: country.map(|c| c.alpha2.to_owned()),
                location,
            }),
        )
    }
}

/// The EDTF date of a row's `event_date` at its `time_precision`: the day (1), the
/// day, approximately (2: a few days around it), or its month (3).
fn date(row: &Row) -> Result<Option<String>> {
    let Some(text) = row.get("event_date") else {
        return Ok(None);
    };
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d %B %Y"))
        .map_err(|_| {
            row.invalid(
                "event_date",
                format!("\"{}\" is not a date (YYYY-MM-DD)", clipped(text, ECHOED)),
            )
        })?;
    let precision: Option<u8> = row.parse("time_precision", "1, 2 or 3")?;
    Ok(Some(match precision {
        None | Some(1) => day.format("%Y-%m-%d").to_string(),
        Some(2) => day.format("%Y-%m-%d~").to_string(),
        Some(3) => day.format("%Y-%m").to_string(),
        Some(other) => {
            return Err(row.invalid("time_precision", format!("{other} is not 1, 2 or 3")));
        }
    }))
}

/// A vocabulary word of garrison's tags.
fn word_of<T: serde::de::DeserializeOwned>(row: &Row, column: &str, word: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(word.to_owned())).map_err(|_| {
        row.invalid(
            column,
            format!(
                "\"{}\" is not one of garrison's values",
                clipped(word, ECHOED)
            ),
        )
    })
}

/// The first sentence of `notes`, at most 200 characters: the event's title.
fn first_sentence(notes: &str) -> String {
    let end = notes.find(". ").map_or(notes.len(), |i| i + 1);
    notes[..end].chars().take(200).collect()
}

/// Gives the reports and attestations of each row that says no marking the marking
/// of the event it updates, so that a row's text never shows wider than its event.
pub(super) async fn inherit_markings(db: &DatabaseConnection, bundle: &mut Bundle) -> Result<()> {
    let unmarked: Vec<String> = bundle
        .events
        .iter()
        .filter(|e| e.marking.is_none())
        .map(|e| e.key.clone())
        .collect();
    let mut stored: HashMap<String, Marking> = HashMap::new();
    for keys in unmarked.chunks(500) {
        let rows: Vec<(Option<String>, Marking)> = event::Entity::find()
            .select_only()
            .columns([event::Column::Key, event::Column::Marking])
            .filter(event::Column::Key.is_in(keys.to_vec()))
            .into_tuple()
            .all(db)
            .await?;
        stored.extend(rows.into_iter().filter_map(|(k, m)| Some((k?, m))));
    }
    let mut reports: HashMap<String, Marking> = HashMap::new();
    for event in &mut bundle.events {
        let Some(&marking) = stored.get(&event.key) else {
            continue;
        };
        for attestation in event.attestations.iter_mut().flatten() {
            attestation.marking = Some(marking);
            reports.insert(attestation.report.clone(), marking);
        }
        for part in event.actors.iter_mut().flatten() {
            part.marking = Some(marking);
        }
    }
    let mut sources: HashMap<String, Marking> = HashMap::new();
    for report in &mut bundle.reports {
        if let Some(&marking) = reports.get(&report.key) {
            report.marking = Some(marking);
            let source = sources.entry(report.source.clone()).or_insert(marking);
            *source = (*source).max(marking);
        }
    }
    // A source or actor the file creates is marked as the strictest row naming it.
    for source in &mut bundle.sources {
        source.marking = source.marking.max(sources.get(&source.key).copied());
    }
    let mut actors: HashMap<String, Marking> = HashMap::new();
    for event in &bundle.events {
        for part in event.actors.iter().flatten() {
            if let Some(marking) = part.marking {
                let actor = actors.entry(part.actor.clone()).or_insert(marking);
                *actor = (*actor).max(marking);
            }
        }
    }
    for actor in &mut bundle.actors {
        actor.marking = actor.marking.max(actors.get(&actor.key).copied());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_the_first_sentence_of_the_notes() {
        assert_eq!(
            first_sentence("Troops withdrew. Later they came back."),
            "Troops withdrew."
        );
        assert_eq!(first_sentence("No full stop"), "No full stop");
        assert_eq!(first_sentence(&"x".repeat(500)).len(), 200);
    }
}
