//! The ACLED-style table an export writes: a row per event, as its page arrives.
use super::{COLUMNS, FORMULA, SEPARATOR, TAG, event_type, geo_precision, inter};
use crate::bundle::{
    ActorItem, AssetItem, BaseItem, DeploymentItem, EventItem, ReportItem, SourceItem, TenureItem,
};
use crate::error::GarrisonError;
use crate::export::{Output, Reading, Section, written};
use crate::fuzzy_date::FuzzyDate;
use crate::vocabulary::{ActorKind, ActorRole};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::io::Write;

type Result<T> = std::result::Result<T, GarrisonError>;

/// What the rows need of the records before the events: actors' names and kinds,
/// sources' names, and each report's source. (Reports are the largest of these:
/// about 60 bytes each.)
#[derive(Default)]
pub(crate) struct Names {
    actors: HashMap<String, (String, ActorKind)>,
    sources: HashMap<String, String>,
    report_sources: HashMap<String, String>,
}

/// A bundle item as the table sees it.
pub(crate) trait ToAcled {
    /// Keeps what later rows need of this item.
    fn remember(&self, _names: &mut Names) {}
    /// The item's row, for an event.
    fn row(&self, _names: &Names, _modified: DateTime<Utc>) -> Option<Vec<String>> {
        None
    }
}

impl ToAcled for BaseItem {}
impl ToAcled for AssetItem {}
impl ToAcled for TenureItem {}
impl ToAcled for DeploymentItem {}

impl ToAcled for ActorItem {
    fn remember(&self, names: &mut Names) {
        names
            .actors
            .insert(self.key.clone(), (self.name.clone(), self.kind));
    }
}

impl ToAcled for SourceItem {
    fn remember(&self, names: &mut Names) {
        names.sources.insert(self.key.clone(), self.name.clone());
    }
}

impl ToAcled for ReportItem {
    fn remember(&self, names: &mut Names) {
        names
            .report_sources
            .insert(self.key.clone(), self.source.clone());
    }
}

impl ToAcled for EventItem {
    fn row(&self, names: &Names, modified: DateTime<Utc>) -> Option<Vec<String>> {
        let mut row: HashMap<&str, String> = HashMap::new();
        let mut put = |column: &'static str, value: String| {
            row.insert(column, value);
        };
        put("event_id_cnty", self.key.clone());
        let occurred = self.occurred.clone().flatten();
        let date = occurred.as_deref().and_then(|o| FuzzyDate::parse(o).ok());
        let earliest = date
            .as_ref()
            .and_then(FuzzyDate::earliest)
            .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0))
            .filter(|d| d.format("%Y").to_string().len() == 4);
        if let Some(day) = earliest {
            put("event_date", day.format("%Y-%m-%d").to_string());
            put("year", day.format("%Y").to_string());
            let span = date
                .as_ref()
                .and_then(FuzzyDate::latest)
                .map(|latest| latest + 1 - day.timestamp());
            let precision = match span {
                Some(s) if s <= 86_400 => "1",
                Some(s) if s <= 31 * 86_400 => "2",
                _ => "3",
            };
            put("time_precision", precision.to_owned());
        }
        let sub = self.kind.acled_sub_event_type().unwrap_or("Other");
        let (event, disorder) = event_type(sub);
        put("disorder_type", disorder.to_owned());
        put("event_type", event.to_owned());
        put("sub_event_type", sub.to_owned());

        let (mut first, mut second) = (Vec::new(), Vec::new());
        for part in self.actors.iter().flatten() {
            let Some(actor) = names.actors.get(&part.actor) else {
                continue;
            };
            match part.role {
                ActorRole::Target | ActorRole::Destination => second.push(actor),
                role => first.push((actor, role)),
            }
        }
        // The performers lead their side, as ACLED's actor 1 is the one acting.
        first.sort_by_key(|(_, role)| *role != ActorRole::Performer);
        let first: Vec<&(String, ActorKind)> = first.into_iter().map(|(a, _)| a).collect();
        let mut codes = Vec::new();
        for (side, actors) in [(1, &first), (2, &second)] {
            if let Some(((name, kind), associates)) = actors.split_first() {
                put(["actor1", "actor2"][side - 1], name.clone());
                let rest: Vec<&str> = associates.iter().map(|(n, _)| n.as_str()).collect();
                put(
                    ["assoc_actor_1", "assoc_actor_2"][side - 1],
                    rest.join(SEPARATOR),
                );
                put(["inter1", "inter2"][side - 1], inter(*kind).to_string());
                codes.push(inter(*kind));
            }
        }
        codes.sort_unstable();
        match codes[..] {
            [one] => put("interaction", format!("{one}0")),
            [a, b] => put("interaction", format!("{a}{b}")),
            _ => {}
        }

        let place = self.place.clone().flatten().unwrap_or_default();
        if let Some(country) = place
            .country
            .as_deref()
            .and_then(|c| celes::Country::from_alpha2(c).ok())
        {
            put("iso", country.value.to_string());
            let name = celes::LookupTable::iter(&country.aliases).next().copied();
            put("country", name.unwrap_or(country.long_name).to_owned());
        }
        put("location", place.name.unwrap_or_default());
        if let Some(at) = place.location {
            put("latitude", at.latitude.to_string());
            put("longitude", at.longitude.to_string());
            put("geo_precision", geo_precision(at.precision).to_string());
        }
        let mut sources: Vec<&str> = Vec::new();
        for attestation in self.attestations.iter().flatten() {
            let name = names
                .report_sources
                .get(&attestation.report)
                .and_then(|s| names.sources.get(s));
            if let Some(name) = name
                && !sources.contains(&name.as_str())
            {
                sources.push(name);
            }
        }
        put("source", sources.join(SEPARATOR));
        put(
            "notes",
            self.summary
                .clone()
                .flatten()
                .unwrap_or_else(|| self.title.clone()),
        );
        put("fatalities", "0".to_owned());
        let mut tags = vec![
            format!("{TAG}kind={}", vocabulary_word(&self.kind)),
            format!("{TAG}status={}", vocabulary_word(&self.status)),
        ];
        if let Some(marking) = self.marking {
            tags.push(format!("{TAG}marking={}", vocabulary_word(&marking)));
        }
        if let Some(confidence) = self.confidence.flatten() {
            tags.push(format!("{TAG}confidence={confidence}"));
        }
        if let Some(occurred) = occurred {
            tags.push(format!("{TAG}occurred={occurred}"));
        }
        put("tags", tags.join(SEPARATOR));
        put("timestamp", modified.timestamp().to_string());
        Some(
            COLUMNS
                .iter()
                .map(|c| text_cell(row.remove(c).unwrap_or_default()))
                .collect(),
        )
    }
}

/// A cell as written: a text a spreadsheet would take for a formula gets an
/// apostrophe first (numbers, which may begin with a minus, are left alone).
fn text_cell(value: String) -> String {
    if value.starts_with(FORMULA) && value.parse::<f64>().is_err() {
        format!("'{value}")
    } else {
        value
    }
}

/// A vocabulary value as the bundle writes it (`PORT_CALL`).
fn vocabulary_word(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Writes the events as CSV rows under ACLED's header.
pub(crate) struct CsvWriter<'w, W: Write> {
    csv: csv::Writer<&'w mut W>,
    names: Names,
    written: u64,
}

impl<'w, W: Write> CsvWriter<'w, W> {
    pub(crate) fn new(out: &'w mut W) -> Result<Self> {
        Ok(Self {
            csv: csv::Writer::from_writer(out),
            names: Names::default(),
            written: 0,
        })
    }
}

/// A failure to write a row.
fn unwritten(err: csv::Error) -> GarrisonError {
    written(std::io::Error::other(err))
}

#[async_trait::async_trait(?Send)]
impl<W: Write> Output for CsvWriter<'_, W> {
    fn wants(&self, section: &str) -> bool {
        matches!(section, "actors" | "sources" | "reports" | "events")
    }

    fn begin(&mut self) -> Result<()> {
        self.csv.write_record(COLUMNS).map_err(unwritten)
    }

    fn section(&mut self, _: &'static str) -> Result<()> {
        Ok(())
    }

    async fn page<E: Section>(&mut self, db: &Reading<'_>, rows: Vec<E::Model>) -> Result<u64> {
        let modified: Vec<DateTime<Utc>> = rows.iter().map(E::updated_at).collect();
        let items = E::items(db, rows).await?;
        for (item, modified) in items.iter().zip(modified) {
            item.remember(&mut self.names);
            if let Some(row) = item.row(&self.names, modified) {
                self.csv.write_record(&row).map_err(unwritten)?;
                self.written += 1;
            }
        }
        Ok(items.len() as u64)
    }

    fn close_section(&mut self) -> Result<()> {
        Ok(())
    }

    fn finish(&mut self) -> Result<u64> {
        self.csv.flush().map_err(written)?;
        Ok(self.written)
    }
}
