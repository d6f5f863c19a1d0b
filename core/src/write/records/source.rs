//! Writing sources. A source is one source by its name: creating one whose name or an
//! alias names an existing source is a CONFLICT naming it, unless the write asks to
//! merge into it.
use crate::entity::{report, source};
use crate::error::GarrisonError;
use crate::record::{Report, Source};
use crate::vocabulary::{Reliability, SourceKind};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{Aliases, Dependent, Named, NamedChanges, Session, Writable, refuse_duplicate};

/// What a write of a source may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct SourceChanges {
    pub names: NamedChanges<SourceKind>,
    /// Admiralty reliability, A to F.
    pub reliability: Option<Reliability>,
    /// Home page (http or https).
    pub url: Option<Option<String>>,
    pub description: Option<Option<String>>,
}

#[async_trait::async_trait]
impl Writable for Source {
    type Changes = SourceChanges;
    type Children = Aliases;
    fn restricted_by() -> Vec<Dependent> {
        vec![Dependent::on::<Report>(report::Column::SourceId)]
    }

    async fn apply(
        s: &mut Session,
        c: SourceChanges,
        row: &mut source::ActiveModel,
        path: &str,
    ) -> Result<Self::Children, GarrisonError> {
        let aliases = Self::assign_identity(s, c.names, row, path)?;
        assign(&mut row.reliability, c.reliability);
        assign_checked(&mut row.url, c.url, |v| validate::url(&at(path, "url"), v))?;
        assign_description(&mut row.description, c.description, path)?;
        Aliases::checked::<Self>(&row.name, aliases, path)
    }

    async fn check(s: &mut Session, m: &source::Model, path: &str) -> Result<(), GarrisonError> {
        refuse_duplicate::<Source>(s, m, path).await
    }
}

super::named!(
    Source,
    SourceChanges,
    source,
    SourceKind, SourceId, keep [url, description]);
