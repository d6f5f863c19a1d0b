//! Writing reports.
use super::inputs::{optional, optional_into, reference, required, required_reference};
use super::{IntoChanges, create_record, delete_record, update_record};
use crate::error::ApiResult;
use crate::graphql::scalars::Edtf;
use crate::graphql::vocabulary::Marking;
use crate::graphql::{Report, Source};
use crate::write::validate::at;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use garrison_core::write::records::ReportChanges;

/// A new report.
#[derive(InputObject)]
pub struct CreateReportInput {
    pub title: String,
    /// A stable external key, unique among reports.
    pub key: Option<String>,
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
    /// Where it was published (http or https).
    pub url: Option<String>,
    /// BCP 47 language tag (en, ar, ru).
    pub language: Option<String>,
    /// When it was published (EDTF).
    pub published: Option<Edtf>,
    /// When it was retrieved (RFC 3339).
    pub retrieved: Option<DateTime<Utc>>,
    /// How the source learned it ("Syrian sources in contact with Moscow").
    pub via: Option<String>,
    /// The publishing source.
    pub source: ID,
}

impl IntoChanges for CreateReportInput {
    type Changes = ReportChanges;

    fn into_changes(self, path: &str) -> ApiResult<ReportChanges> {
        Ok(ReportChanges {
            title: Some(self.title),
            key: Some(self.key),
            marking: self.marking.map(Into::into),
            url: Some(self.url),
            language: Some(self.language),
            published: Some(self.published.map(Into::into)),
            retrieved: Some(self.retrieved),
            via: Some(self.via),
            source: Some(reference::<Source>(self.source, &at(path, "source"))?),
        })
    }
}

/// Changes to a report.
#[derive(InputObject)]
pub struct UpdateReportInput {
    pub title: MaybeUndefined<String>,
    /// A stable external key, unique among reports.
    pub key: MaybeUndefined<String>,
    /// Who may read it: at most your clearance.
    pub marking: MaybeUndefined<Marking>,
    /// Where it was published (http or https).
    pub url: MaybeUndefined<String>,
    /// BCP 47 language tag (en, ar, ru).
    pub language: MaybeUndefined<String>,
    /// When it was published (EDTF).
    pub published: MaybeUndefined<Edtf>,
    /// When it was retrieved (RFC 3339).
    pub retrieved: MaybeUndefined<DateTime<Utc>>,
    /// How the source learned it ("Syrian sources in contact with Moscow").
    pub via: MaybeUndefined<String>,
    /// The publishing source.
    pub source: MaybeUndefined<ID>,
}

impl IntoChanges for UpdateReportInput {
    type Changes = ReportChanges;

    fn into_changes(self, path: &str) -> ApiResult<ReportChanges> {
        Ok(ReportChanges {
            title: required(self.title, &at(path, "title"))?,
            key: optional(self.key),
            marking: required(self.marking, &at(path, "marking"))?.map(Into::into),
            url: optional(self.url),
            language: optional(self.language),
            published: optional_into(self.published),
            retrieved: optional(self.retrieved),
            via: optional(self.via),
            source: required_reference::<Source>(self.source, &at(path, "source"))?,
        })
    }
}

/// The result of writing a Report; after a delete, the record as it was.
#[derive(SimpleObject)]
pub struct ReportPayload {
    pub report: Report,
}

#[derive(Default)]
pub struct ReportMutation;

#[Object]
impl ReportMutation {
    /// Creates a record from the fields given.
    async fn create_report(
        &self,
        ctx: &Context<'_>,
        input: CreateReportInput,
    ) -> async_graphql::Result<ReportPayload> {
        let report = create_record::<Report, _>(ctx, input).await?;
        Ok(ReportPayload { report })
    }

    /// Changes the fields given; an omitted field stays, null clears a
    /// nullable one. `expectedVersion` must be the record's current version.
    async fn update_report(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateReportInput,
    ) -> async_graphql::Result<ReportPayload> {
        let report = update_record::<Report, _>(ctx, &id, expected_version, input).await?;
        Ok(ReportPayload { report })
    }

    /// Deletes the record (role admin). `expectedVersion` must be its
    /// current version; see the README for what a delete takes with it.
    async fn delete_report(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<ReportPayload> {
        let report = delete_record::<Report>(ctx, &id, expected_version).await?;
        Ok(ReportPayload { report })
    }
}
