//! Writing sources.
use super::inputs::{created_names, optional, required, updated_names};
use super::{IntoChanges, create_or_merge_record, delete_record, update_record};
use crate::error::ApiResult;
use crate::graphql::Source;
use crate::graphql::vocabulary::{Marking, Reliability, SourceKind};
use crate::write::validate::at;
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use garrison_core::write::records::SourceChanges;

/// A new source.
#[derive(InputObject)]
pub struct CreateSourceInput {
    pub kind: SourceKind,
    pub name: String,
    /// Admiralty reliability of the source, A (reliable) to F (cannot be judged).
    pub reliability: Reliability,
    /// A stable external key, unique among sources.
    pub key: Option<String>,
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
    /// Home page (http or https).
    pub url: Option<String>,
    pub description: Option<String>,
    /// Other names; the whole list replaces the stored one.
    pub aliases: Option<Vec<String>>,
}

impl IntoChanges for CreateSourceInput {
    type Changes = SourceChanges;

    fn into_changes(self, _path: &str) -> ApiResult<SourceChanges> {
        Ok(SourceChanges {
            names: created_names(
                (self.kind, self.name, self.aliases),
                (self.key, self.marking),
            ),
            reliability: Some(self.reliability.into()),
            url: Some(self.url),
            description: Some(self.description),
        })
    }
}

/// Changes to a source.
#[derive(InputObject)]
pub struct UpdateSourceInput {
    pub kind: MaybeUndefined<SourceKind>,
    pub name: MaybeUndefined<String>,
    /// Admiralty reliability of the source, A (reliable) to F (cannot be judged).
    pub reliability: MaybeUndefined<Reliability>,
    /// A stable external key, unique among sources.
    pub key: MaybeUndefined<String>,
    /// Who may read it: at most your clearance.
    pub marking: MaybeUndefined<Marking>,
    /// Home page (http or https).
    pub url: MaybeUndefined<String>,
    pub description: MaybeUndefined<String>,
    /// Other names; the whole list replaces the stored one.
    pub aliases: MaybeUndefined<Vec<String>>,
}

impl IntoChanges for UpdateSourceInput {
    type Changes = SourceChanges;

    fn into_changes(self, path: &str) -> ApiResult<SourceChanges> {
        Ok(SourceChanges {
            names: updated_names(
                (self.kind, self.name, self.aliases),
                (self.key, self.marking),
                path,
            )?,
            reliability: required(self.reliability, &at(path, "reliability"))?.map(Into::into),
            url: optional(self.url),
            description: optional(self.description),
        })
    }
}

/// The result of writing a Source; after a delete, the record as it was.
#[derive(SimpleObject)]
pub struct SourcePayload {
    pub source: Source,
}

#[derive(Default)]
pub struct SourceMutation;

#[Object]
impl SourceMutation {
    /// Creates a record. For actors, bases and assets, a record of the same
    /// kind and place that already goes by the name or an alias is a CONFLICT
    /// naming it (for sources, any source that goes by it), unless `merge` is
    /// true: then the input merges into that record (its name stays, the new
    /// names join its aliases, the fields given overwrite).
    async fn create_source(
        &self,
        ctx: &Context<'_>,
        input: CreateSourceInput,
        #[graphql(default)] merge: bool,
    ) -> async_graphql::Result<SourcePayload> {
        let source = create_or_merge_record::<Source, _>(ctx, input, merge).await?;
        Ok(SourcePayload { source })
    }

    /// Changes the fields given; an omitted field stays, null clears a
    /// nullable one. `expectedVersion` must be the record's current version.
    async fn update_source(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateSourceInput,
    ) -> async_graphql::Result<SourcePayload> {
        let source = update_record::<Source, _>(ctx, &id, expected_version, input).await?;
        Ok(SourcePayload { source })
    }

    /// Deletes the record (role admin). `expectedVersion` must be its
    /// current version; see the README for what a delete takes with it.
    async fn delete_source(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<SourcePayload> {
        let source = delete_record::<Source>(ctx, &id, expected_version).await?;
        Ok(SourcePayload { source })
    }
}
