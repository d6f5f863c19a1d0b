//! Writing sources. A source is one source by its name: creating one whose name or an
//! alias names an existing source is a CONFLICT naming it, unless the write asks to
//! merge into it.
use crate::entity::{report, source};
use crate::error::GarrisonError;
use crate::record::{Report, Source};
use crate::vocabulary::{Marking, Reliability, SourceKind};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{
    Dependent, FieldChange, Named, Session, Writable, refuse_duplicate, sync_aliases,
};

/// What a write of a source may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct SourceChanges {
    pub kind: Option<SourceKind>,
    pub name: Option<String>,
    /// Admiralty reliability, A to F.
    pub reliability: Option<Reliability>,
    pub key: Option<Option<String>>,
    /// Who may read it; a new record without one gets the server's default.
    pub marking: Option<Marking>,
    /// Home page (http or https).
    pub url: Option<Option<String>>,
    pub description: Option<Option<String>>,
    pub aliases: Option<Vec<String>>,
}

#[async_trait::async_trait]
impl Writable for Source {
    type Changes = SourceChanges;
    type Children = Option<Vec<String>>;
    fn restricted_by() -> Vec<Dependent> {
        vec![Dependent::on::<Report>(report::Column::SourceId)]
    }

    async fn apply(
        s: &mut Session,
        c: SourceChanges,
        row: &mut source::ActiveModel,
        path: &str,
    ) -> Result<Self::Children, GarrisonError> {
        assign_key_and_marking(
            s,
            (&mut row.key, &mut row.marking),
            (c.key, c.marking),
            path,
        )?;
        assign(&mut row.kind, c.kind);
        assign_name(&mut row.name, &mut row.name_key, c.name, &at(path, "name"))?;
        assign(&mut row.reliability, c.reliability);
        assign_checked(&mut row.url, c.url, |v| validate::url(&at(path, "url"), v))?;
        assign_checked(&mut row.description, c.description, |v| {
            validate::text(&at(path, "description"), v, validate::MAX_TEXT)
        })?;
        checked_aliases(&row.name, c.aliases, path)
    }

    async fn write_children(
        s: &mut Session,
        aliases: Self::Children,
        id: i64,
        _path: &str,
    ) -> Result<Vec<FieldChange>, GarrisonError> {
        sync_aliases(s, Self::ALIAS_COLUMN, id, aliases).await
    }

    async fn check(s: &mut Session, m: &source::Model, path: &str) -> Result<(), GarrisonError> {
        refuse_duplicate::<Source>(s, m, path).await
    }
}

super::named!(Source, SourceChanges, source, SourceId, keep [key, url, description]);
