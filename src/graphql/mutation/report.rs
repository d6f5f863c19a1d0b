//! Writing reports.
use super::inputs::inputs;
use crate::graphql::scalars::Edtf;
use crate::graphql::{Report, Source};
use chrono::{DateTime, Utc};
use garrison_core::write::records::ReportChanges;

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

super::crud!(
    ReportMutation,
    Report,
    ReportPayload { report },
    create_report(CreateReportInput),
    update_report(UpdateReportInput),
    delete_report
);
