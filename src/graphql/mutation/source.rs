//! Writing sources.
use super::inputs::inputs;
use crate::graphql::Source;
use crate::graphql::vocabulary::{Reliability, SourceKind};
use garrison_core::write::records::SourceChanges;

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
    lists {
        /// Other names; the whole list replaces the stored one.
        aliases: String,
    }
    references {}
    required_references {}
    fixed {}
}

super::crud!(
    SourceMutation,
    Source,
    SourcePayload { source },
    create_source(CreateSourceInput, merge),
    update_source(UpdateSourceInput),
    delete_source
);
