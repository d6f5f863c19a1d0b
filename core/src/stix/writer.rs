//! The STIX bundle an export writes, an object at a time.
use super::ids;
use super::objects::{Context, Dates, ToStix};
use crate::error::GarrisonError;
use crate::export::{Output, Reading, Section, written};
use serde_json::{Value, json};
use std::io::Write;

type Result<T> = std::result::Result<T, GarrisonError>;

/// Writes a STIX 2.1 bundle: garrison's extension definition and the TLP 2.0
/// markings first, then each record's objects as its section's pages arrive.
pub(crate) struct StixWriter<'w, W: Write> {
    out: &'w mut W,
    written: u64,
    first: bool,
    context: Context,
}

impl<'w, W: Write> StixWriter<'w, W> {
    pub(crate) fn new(out: &'w mut W) -> Self {
        Self {
            out,
            written: 0,
            first: true,
            context: Context::default(),
        }
    }

    fn object(&mut self, object: &Value) -> Result<()> {
        let separator: &[u8] = if self.first { b"\n" } else { b",\n" };
        self.first = false;
        self.out.write_all(separator).map_err(written)?;
        serde_json::to_writer(&mut *self.out, object).map_err(|e| written(e.into()))
    }
}

#[async_trait::async_trait(?Send)]
impl<W: Write> Output for StixWriter<'_, W> {
    fn begin(&mut self) -> Result<()> {
        let id = format!("bundle--{}", uuid::Uuid::new_v4());
        write!(
            self.out,
            "{{\"type\":\"bundle\",\"id\":\"{id}\",\"objects\":["
        )
        .map_err(written)?;
        for object in preamble() {
            self.object(&object)?;
        }
        Ok(())
    }

    fn section(&mut self, _: &'static str) -> Result<()> {
        Ok(())
    }

    async fn page<E: Section>(&mut self, db: &Reading<'_>, rows: Vec<E::Model>) -> Result<u64> {
        let ids: Vec<i64> = rows.iter().map(E::id).collect();
        let dates: Vec<Dates> = rows
            .iter()
            .map(|row| Dates {
                created: E::created_at(row),
                modified: E::updated_at(row),
            })
            .collect();
        let mut contents = E::Item::contents(db, &ids).await?;
        let items = E::items(db, rows).await?;
        let mut objects = Vec::new();
        for ((item, dates), id) in items.iter().zip(dates).zip(ids) {
            let held = contents.remove(&id).unwrap_or_default();
            item.objects(dates, held, &mut self.context, &mut objects);
            for object in objects.drain(..) {
                self.object(&object)?;
            }
        }
        self.written += items.len() as u64;
        Ok(items.len() as u64)
    }

    fn close_section(&mut self) -> Result<()> {
        Ok(())
    }

    fn finish(&mut self) -> Result<u64> {
        self.out.write_all(b"\n]}\n").map_err(written)?;
        self.out.flush().map_err(written)?;
        Ok(self.written)
    }
}

/// What every export begins with: the identity that publishes garrison's extension,
/// the extension's definition, and the five TLP 2.0 marking definitions as OASIS
/// publishes them.
fn preamble() -> Vec<Value> {
    const PUBLISHED: &str = "2026-12-01T00:00:00.000Z";
    let mut objects = vec![
        json!({
            "type": "identity", "spec_version": "2.1", "id": ids::PUBLISHER,
            "created": PUBLISHED, "modified": PUBLISHED,
            "name": "garrison", "identity_class": "system",
            "description": "The garrison server, which publishes the extension its exports use.",
        }),
        json!({
            "type": "extension-definition", "spec_version": "2.1", "id": ids::EXTENSION,
            "created": PUBLISHED, "modified": PUBLISHED, "created_by_ref": ids::PUBLISHER,
            "name": "garrison",
            "description": "garrison's records in STIX: assets (x-garrison-asset) and events \
                (event) as new objects, and garrison's own properties on identities, threat \
                actors, locations, reports, relationships and notes.",
            "schema": SCHEMA,
            "version": "1.0.0",
            "extension_types": ["new-sdo", "property-extension"],
        }),
    ];
    use crate::vocabulary::Marking::*;
    for marking in [Clear, Green, Amber, AmberStrict, Red] {
        let label = marking.label();
        objects.push(json!({
            "type": "marking-definition", "spec_version": "2.1", "id": ids::marking(marking),
            "created": "2022-10-01T00:00:00.000Z", "name": label,
            "extensions": { ids::TLP_2_0: {
                "extension_type": "property-extension",
                "tlp_2_0": label.trim_start_matches("TLP:").to_lowercase(),
            }},
        }));
    }
    objects
}

/// The extension's definition, in words (STIX allows a schema as plain text).
const SCHEMA: &str = "Every object garrison writes carries `key`, the record's stable key. \
identity/threat-actor (an actor): kind (STATE, ARMED_FORCES, ARMED_GROUP, COALITION, \
GOVERNMENT, ORGANISATION, PERSON), aliases, country (ISO 3166-1 alpha-2), parent_ref. \
identity (a source, with x_opencti_reliability): kind, aliases, reliability (Admiralty A-F). \
location (a base): kind, aliases, established (EDTF), location_precision (EXACT, APPROXIMATE, \
CITY, REGION). report: published (EDTF), retrieved (RFC 3339), via. x-garrison-asset (new SDO): \
name, description, kind, aliases, model, quantity {value, qualifier: EXACT, AT_LEAST, AT_MOST, \
ABOUT}, owner_ref. event (new SDO, OpenCTI's shape): title, kind, status, occurred (EDTF), \
stated_confidence, place {name, country, location {latitude, longitude, precision}}. \
relationship located-at (a tenure: actor at base; a deployment: asset at base): role, \
valid_from, valid_to (EDTF), basis. relationship related-to (a participant of an event): role. \
note (an attestation of object_refs[0] by the report object_refs[1]): credibility (Admiralty \
1-6), stance (ASSERTS, DISPUTES).";
