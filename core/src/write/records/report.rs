//! Writing reports.
use crate::entity::{attestation, report};
use crate::error::GarrisonError;
use crate::record::{Attestation, Report, Source};
use crate::vocabulary::Marking;
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{Dependent, Reference, Session, Writable};
use chrono::{DateTime, Utc};

/// What a write of a report may change; a field left `None` stays as it is.
#[derive(Clone, Default, Debug)]
pub struct ReportChanges {
    pub title: Option<String>,
    pub key: Option<Option<String>>,
    /// Who may read it; a new record without one gets the server's default.
    pub marking: Option<Marking>,
    /// Where it was published (http or https).
    pub url: Option<Option<String>>,
    /// BCP 47 language tag.
    pub language: Option<Option<String>>,
    /// When it was published (EDTF).
    pub published: Option<Option<String>>,
    pub retrieved: Option<Option<DateTime<Utc>>>,
    /// How the source learned it.
    pub via: Option<Option<String>>,
    /// The publishing source.
    pub source: Option<Reference>,
}

#[async_trait::async_trait]
impl Writable for Report {
    type Changes = ReportChanges;
    type Children = ();
    fn restricted_by() -> Vec<Dependent> {
        vec![Dependent::on::<Attestation>(attestation::Column::ReportId)]
    }

    async fn apply(
        s: &mut Session,
        c: ReportChanges,
        row: &mut report::ActiveModel,
        path: &str,
    ) -> Result<(), GarrisonError> {
        assign_key_and_marking(
            s,
            (&mut row.key, &mut row.marking),
            (c.key, c.marking),
            path,
        )?;
        assign_name(
            &mut row.title,
            &mut row.title_key,
            c.title,
            &at(path, "title"),
        )?;
        assign_checked(&mut row.url, c.url, |v| validate::url(&at(path, "url"), v))?;
        assign_checked(&mut row.language, c.language, |v| {
            validate::language(&at(path, "language"), v)
        })?;
        assign(&mut row.retrieved_at, c.retrieved);
        assign_text(&mut row.via, c.via, path, "via", validate::MAX_LABEL)?;
        assign_fuzzy_date(
            &mut row.published,
            &mut row.published_lo,
            &mut row.published_hi,
            c.published,
            &at(path, "published"),
        )?;
        assign_reference::<Source>(s, &mut row.source_id, c.source, &at(path, "source")).await?;
        Ok(())
    }
}
