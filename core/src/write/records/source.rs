//! Writing sources.
use crate::entity::source;
use crate::error::GarrisonError;
use crate::record::Source;
use crate::vocabulary::{Reliability, SourceKind};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{Dependent, Session, Writable};

/// What a write of a source may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct SourceChanges {
    pub kind: Option<SourceKind>,
    pub name: Option<String>,
    /// Admiralty reliability, A to F.
    pub reliability: Option<Reliability>,
    pub key: Option<Option<String>>,
    /// Home page (http or https).
    pub url: Option<Option<String>>,
    pub description: Option<Option<String>>,
}

#[async_trait::async_trait]
impl Writable for Source {
    type Changes = SourceChanges;
    type Children = ();
    const RESTRICTED_BY: &'static [Dependent] = &[Dependent::new("report", "source_id", "Report")];

    async fn apply(
        _s: &mut Session,
        c: SourceChanges,
        row: &mut source::ActiveModel,
        path: &str,
    ) -> Result<(), GarrisonError> {
        assign_checked(&mut row.key, c.key, |k| validate::key(&at(path, "key"), k))?;
        assign(&mut row.kind, c.kind);
        assign_name(&mut row.name, &mut row.name_key, c.name, &at(path, "name"))?;
        assign(&mut row.reliability, c.reliability);
        assign_checked(&mut row.url, c.url, |v| validate::url(&at(path, "url"), v))?;
        assign_checked(&mut row.description, c.description, |v| {
            validate::text(&at(path, "description"), v, validate::MAX_TEXT)
        })
    }
}
