//! Writing sources.
use super::inputs::inputs;
use crate::entity::source;
use crate::error::GarrisonError;
use crate::graphql::Source;
use crate::vocabulary::{Reliability, SourceKind};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{Dependent, Session, Writable};

inputs! {
    /// A new source.
    create CreateSourceInput;
    /// Changes to a source.
    update UpdateSourceInput;
    changes SourceChanges;
    required {
        kind: SourceKind,
        name: String,
        /// Admiralty reliability of the source, A (reliable) to F (cannot be judged).
        reliability: Reliability,
    }
    optional {
        /// A stable external key, unique among sources.
        key: String,
        /// Home page (http or https).
        url: String,
        description: String,
    }
    lists {}
    references {}
    required_references {}
    fixed {}
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

super::crud!(
    SourceMutation,
    Source,
    SourcePayload { source },
    create_source(CreateSourceInput),
    update_source(UpdateSourceInput),
    delete_source
);
