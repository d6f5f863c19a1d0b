//! STIX 2.1, both ways: `garrison export --format stix` writes the graph as a STIX
//! bundle, and `garrison import --format stix` reads one (garrison's own, or
//! OpenCTI's exports of the types below) into the graph, idempotently and all or
//! nothing.
//!
//! | garrison | STIX |
//! |---|---|
//! | actor (armed group) | `threat-actor` |
//! | actor (other kinds) | `identity` (`individual` for a person, `group` for a coalition, else `organization`) |
//! | base | `location`: latitude, longitude, precision in metres, country, region as `administrative_area` |
//! | asset | `x-garrison-asset`, a new SDO of garrison's extension |
//! | source | `identity` with OpenCTI's `x_opencti_reliability` |
//! | report | `report`, `created_by_ref` its source, `object_refs` the claims it attests |
//! | event | `event` (OpenCTI's shape): `start_time`/`stop_time` from the fuzzy bounds |
//! | participant | `relationship` `related-to`, from the participant to the event |
//! | tenure, deployment | `relationship` `located-at`, from the actor or asset to the base |
//! | attestation | `note` on the claim and the report: the excerpt, `confidence` from the credibility |
//! | marking | `object_marking_refs`: the TLP 2.0 `marking-definition`s |
//!
//! What STIX has no property for (keys, kinds, EDTF dates as written, aliases of
//! identities, quantities, roles, credibility, stance) goes in garrison's extension
//! (an `extension-definition` at the head of every export), so that bundle → STIX →
//! import → bundle loses nothing. Ids are UUIDv5 of the record's type and key: the
//! same record always gets the same id.
mod ids;
mod import;
mod objects;
mod writer;

pub use import::{MAX_OBJECTS, Translated, translate};
pub(crate) use objects::ToStix;
pub(crate) use writer::StixWriter;

use crate::bundle::{self, ImportSummary};
use crate::error::GarrisonError;
use indicatif::ProgressBar;
use sea_orm::DatabaseConnection;

/// Imports a STIX bundle (its JSON text) in one transaction as `author`, with `bar`
/// counting the records written. An error names the object it is about by its id
/// (`event--….name`).
pub async fn import(
    db: &DatabaseConnection,
    text: &str,
    author: &str,
    bar: &ProgressBar,
) -> Result<(ImportSummary, Translated), GarrisonError> {
    let translated = translate(text)?;
    let summary = bundle::import_with_progress(db, &translated.bundle, author, bar)
        .await
        .map_err(|e| translated.origins.locate(e))?;
    Ok((summary, translated))
}
