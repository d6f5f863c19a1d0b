//! Writing bases.
use super::inputs::{created_names, optional, optional_into, updated_names};
use super::{IntoChanges, create_or_merge_record, delete_record, update_record};
use crate::error::ApiResult;
use crate::graphql::Base;
use crate::graphql::scalars::Edtf;
use crate::graphql::vocabulary::{BaseKind, LocationPrecision, Marking};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use garrison_core::write::records::{BaseChanges, Location};

/// Coordinates (WGS 84) and how precise they are.
#[derive(async_graphql::InputObject, Clone, Debug)]
pub struct LocationInput {
    /// -90 to 90.
    pub latitude: f64,
    /// -180 to 180.
    pub longitude: f64,
    pub precision: Option<LocationPrecision>,
}

impl From<LocationInput> for Location {
    fn from(l: LocationInput) -> Self {
        Self {
            latitude: l.latitude,
            longitude: l.longitude,
            precision: l.precision.map(Into::into),
        }
    }
}

/// A new base.
#[derive(InputObject)]
pub struct CreateBaseInput {
    pub kind: BaseKind,
    pub name: String,
    /// A stable external key, unique among bases.
    pub key: Option<String>,
    /// Who may read it: at most your clearance; the server's default when left out.
    pub marking: Option<Marking>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    pub region: Option<String>,
    pub location: Option<LocationInput>,
    /// When it was established (EDTF).
    pub established: Option<Edtf>,
    pub description: Option<String>,
    /// Other names; the whole list replaces the stored one.
    pub aliases: Option<Vec<String>>,
}

impl IntoChanges for CreateBaseInput {
    type Changes = BaseChanges;

    fn into_changes(self, _path: &str) -> ApiResult<BaseChanges> {
        Ok(BaseChanges {
            names: created_names(
                (self.kind, self.name, self.aliases),
                (self.key, self.marking),
            ),
            country: Some(self.country),
            region: Some(self.region),
            location: Some(self.location.map(Into::into)),
            established: Some(self.established.map(Into::into)),
            description: Some(self.description),
        })
    }
}

/// Changes to a base.
#[derive(InputObject)]
pub struct UpdateBaseInput {
    pub kind: MaybeUndefined<BaseKind>,
    pub name: MaybeUndefined<String>,
    /// A stable external key, unique among bases.
    pub key: MaybeUndefined<String>,
    /// Who may read it: at most your clearance.
    pub marking: MaybeUndefined<Marking>,
    /// ISO 3166-1 alpha-2 code.
    pub country: MaybeUndefined<String>,
    pub region: MaybeUndefined<String>,
    pub location: MaybeUndefined<LocationInput>,
    /// When it was established (EDTF).
    pub established: MaybeUndefined<Edtf>,
    pub description: MaybeUndefined<String>,
    /// Other names; the whole list replaces the stored one.
    pub aliases: MaybeUndefined<Vec<String>>,
}

impl IntoChanges for UpdateBaseInput {
    type Changes = BaseChanges;

    fn into_changes(self, path: &str) -> ApiResult<BaseChanges> {
        Ok(BaseChanges {
            names: updated_names(
                (self.kind, self.name, self.aliases),
                (self.key, self.marking),
                path,
            )?,
            country: optional(self.country),
            region: optional(self.region),
            location: optional_into(self.location),
            established: optional_into(self.established),
            description: optional(self.description),
        })
    }
}

/// The result of writing a Base; after a delete, the record as it was.
#[derive(SimpleObject)]
pub struct BasePayload {
    pub base: Base,
}

#[derive(Default)]
pub struct BaseMutation;

#[Object]
impl BaseMutation {
    /// Creates a record. For actors, bases and assets, a record of the same
    /// kind and place that already goes by the name or an alias is a CONFLICT
    /// naming it (for sources, any source that goes by it), unless `merge` is
    /// true: then the input merges into that record (its name stays, the new
    /// names join its aliases, the fields given overwrite).
    async fn create_base(
        &self,
        ctx: &Context<'_>,
        input: CreateBaseInput,
        #[graphql(default)] merge: bool,
    ) -> async_graphql::Result<BasePayload> {
        let base = create_or_merge_record::<Base, _>(ctx, input, merge).await?;
        Ok(BasePayload { base })
    }

    /// Changes the fields given; an omitted field stays, null clears a
    /// nullable one. `expectedVersion` must be the record's current version.
    async fn update_base(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
        input: UpdateBaseInput,
    ) -> async_graphql::Result<BasePayload> {
        let base = update_record::<Base, _>(ctx, &id, expected_version, input).await?;
        Ok(BasePayload { base })
    }

    /// Deletes the record (role admin). `expectedVersion` must be its
    /// current version; see the README for what a delete takes with it.
    async fn delete_base(
        &self,
        ctx: &Context<'_>,
        id: ID,
        expected_version: i32,
    ) -> async_graphql::Result<BasePayload> {
        let base = delete_record::<Base>(ctx, &id, expected_version).await?;
        Ok(BasePayload { base })
    }
}
