//! Events as ACLED-style tables, both ways: `garrison export --format csv` writes
//! each event as a row of ACLED's 31 columns, in their order; `garrison import
//! --format csv` reads such a file, upserting each row's event by `event_id_cnty`,
//! all or nothing (see the README's table of the columns).
//!
//! An event's kind maps to ACLED's sub-event type as [`EventKind::acled_sub_event_type`]
//! says (STRATEGIC DEVELOPMENTS / Other where it has none); its actors in the
//! performing roles are actor 1 and its associates, its targets and destinations
//! actor 2; its reports' sources are the `source` column. What ACLED has no column
//! for (garrison's kind, status, confidence and the EDTF date as written) goes in
//! `tags` as `garrison:kind=…`, so that garrison's own files come back as they were.
mod import;
mod writer;

pub use import::{KnownNames, MAX_ROWS, Translated, known_names, translate};
pub(crate) use writer::{CsvWriter, ToAcled};

use crate::bundle::{self, ImportSummary};
use crate::error::GarrisonError;
use crate::vocabulary::{ActorKind, EventKind, LocationPrecision};
use indicatif::ProgressBar;
use sea_orm::DatabaseConnection;

/// ACLED's columns, in ACLED's order.
pub const COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// How ACLED separates the names in one cell (associated actors, sources, tags).
const SEPARATOR: &str = "; ";

/// What a text cell may not begin with, lest a spreadsheet run it as a formula
/// (CSV injection): such a text is written after an apostrophe, which the import
/// takes off again.
const FORMULA: [char; 4] = ['=', '+', '-', '@'];

/// The prefix of garrison's own tags.
const TAG: &str = "garrison:";

/// Imports an ACLED-style CSV file in one transaction as `author`, with `bar`
/// counting the records written. An error names the row (the first after the header
/// is row 1) and the column.
pub async fn import(
    db: &DatabaseConnection,
    csv: impl std::io::Read,
    author: &str,
    bar: &ProgressBar,
) -> Result<(ImportSummary, Translated), GarrisonError> {
    let known = known_names(db).await?;
    let mut translated = translate(csv, &known)?;
    import::inherit_markings(db, &mut translated.bundle).await?;
    let summary = bundle::import_with_progress(db, &translated.bundle, author, bar)
        .await
        .map_err(|e| translated.origins.locate(e))?;
    Ok((summary, translated))
}

/// ACLED's event type and disorder type of a sub-event type.
fn event_type(sub_event_type: &str) -> (&'static str, &'static str) {
    match sub_event_type {
        "Armed clash" | "Non-state actor overtakes territory" => ("Battles", "Political violence"),
        _ => ("Strategic developments", "Strategic developments"),
    }
}

/// The kind of an ACLED sub-event type: the first of garrison's kinds that maps to
/// it (the sub-event type `Change to group/activity` covers five of them).
fn kind_of(sub_event_type: &str) -> Option<EventKind> {
    use sea_orm::Iterable;
    EventKind::iter().find(|k| k.acled_sub_event_type() == Some(sub_event_type))
}

/// ACLED's interaction code of an actor of `kind` (1 state forces, 2 rebel groups,
/// 7 civilians, 8 external or other forces).
fn inter(kind: ActorKind) -> u8 {
    match kind {
        ActorKind::State | ActorKind::ArmedForces | ActorKind::Government => 1,
        ActorKind::ArmedGroup => 2,
        ActorKind::Person => 7,
        ActorKind::Coalition | ActorKind::Organisation => 8,
    }
}

/// The kind of an actor with ACLED's interaction code `code`.
fn kind_of_inter(code: u8) -> ActorKind {
    match code {
        1 => ActorKind::ArmedForces,
        8 => ActorKind::Coalition,
        2..=4 => ActorKind::ArmedGroup,
        7 => ActorKind::Person,
        _ => ActorKind::Organisation,
    }
}

/// ACLED's `geo_precision` of a location precision (1 the place itself, 2 near it or
/// part of a region, 3 a larger region).
fn geo_precision(precision: Option<LocationPrecision>) -> u8 {
    match precision {
        Some(LocationPrecision::Exact | LocationPrecision::Approximate) | None => 1,
        Some(LocationPrecision::City) => 2,
        Some(LocationPrecision::Region) => 3,
    }
}

/// The location precision of an ACLED `geo_precision`.
fn precision_of(geo_precision: u8) -> Option<LocationPrecision> {
    match geo_precision {
        1 => Some(LocationPrecision::Approximate),
        2 => Some(LocationPrecision::City),
        3 => Some(LocationPrecision::Region),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::Iterable;

    #[test]
    fn every_kind_with_a_sub_event_type_comes_back_to_a_kind_of_that_type() {
        for kind in EventKind::iter() {
            if let Some(sub) = kind.acled_sub_event_type() {
                assert_eq!(
                    kind_of(sub).and_then(|k| k.acled_sub_event_type()),
                    Some(sub)
                );
            }
        }
        assert_eq!(event_type("Armed clash"), ("Battles", "Political violence"));
        for code in [1, 2, 7, 8] {
            assert_eq!(inter(kind_of_inter(code)), code);
        }
        for p in 1..=3 {
            assert_eq!(geo_precision(precision_of(p)), p);
        }
    }
}
