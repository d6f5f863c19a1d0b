//! Writing reports.
use super::inputs::inputs;
use crate::entity::report;
use crate::error::GarrisonError;
use crate::graphql::scalars::Edtf;
use crate::graphql::{Report, Source};
use crate::write::fields::*;
use crate::write::validate::{self, at};
use crate::write::{Dependent, Session, Writable};
use chrono::{DateTime, Utc};

inputs! {
    /// A new report.
    create CreateReportInput;
    /// Changes to a report.
    update UpdateReportInput;
    changes ReportChanges;
    required {
        title: String,
    }
    optional {
        /// A stable external key, unique among reports.
        key: String,
        /// Where it was published (http or https).
        url: String,
        /// BCP 47 language tag (en, ar, ru).
        language: String,
        /// When it was published (EDTF).
        published: Edtf,
        /// When it was retrieved (RFC 3339).
        retrieved: DateTime<Utc>,
        /// How the source learned it ("Syrian sources in contact with Moscow").
        via: String,
    }
    lists {}
    references {}
    required_references {
        /// The publishing source.
        source: Source,
    }
    fixed {}
}

#[async_trait::async_trait]
impl Writable for Report {
    type Changes = ReportChanges;
    type Children = ();
    const RESTRICTED_BY: &'static [Dependent] =
        &[Dependent::new("attestation", "report_id", "Attestation")];

    async fn apply(
        s: &mut Session,
        c: ReportChanges,
        row: &mut report::ActiveModel,
        path: &str,
    ) -> Result<(), GarrisonError> {
        assign_checked(&mut row.key, c.key, |k| validate::key(&at(path, "key"), k))?;
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
            c.published.map(|d| d.map(Edtf::into_inner)),
            &at(path, "published"),
        )?;
        assign_reference::<Source>(s, &mut row.source_id, c.source, &at(path, "source")).await?;
        Ok(())
    }
}

super::crud!(
    ReportMutation,
    Report,
    ReportPayload { report },
    create_report(CreateReportInput),
    update_report(UpdateReportInput),
    delete_report
);
