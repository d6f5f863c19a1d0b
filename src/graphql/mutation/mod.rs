//! The root mutation: create, update and delete for every type, `importBundle`, and
//! token management. Each part declares its inputs once (`inputs!`) and its three
//! mutations once (`crud!`); the work happens in `crate::write`.
mod actor;
mod asset;
mod attestation;
mod base;
mod bundle;
mod deployment;
mod event;
pub mod inputs;
mod participant;
mod report;
mod source;
mod tenure;
mod token;

pub use token::TokenQuery;

use super::loader::db;
use crate::auth::{Principal, Role};
use crate::error::{ApiResult, GarrisonError};
use crate::write::Session;
use async_graphql::{Context, MergedObject};

/// The root mutation, merged from one part per type.
#[derive(MergedObject, Default)]
pub struct Mutation(
    actor::ActorMutation,
    base::BaseMutation,
    asset::AssetMutation,
    source::SourceMutation,
    report::ReportMutation,
    event::EventMutation,
    tenure::TenureMutation,
    deployment::DeploymentMutation,
    attestation::AttestationMutation,
    participant::EventActorMutation,
    participant::EventAssetMutation,
    participant::EventBaseMutation,
    bundle::BundleMutation,
    token::TokenMutation,
);

/// The caller, who must hold at least `role`: UNAUTHENTICATED without a token,
/// FORBIDDEN with too small a role.
pub fn require<'a>(ctx: &'a Context<'_>, role: Role) -> ApiResult<&'a Principal> {
    let principal = ctx.data_opt::<Principal>().ok_or_else(|| {
        GarrisonError::Unauthenticated(
            "this needs a token: send \"Authorization: Bearer <token>\"".into(),
        )
    })?;
    principal.require(role)?;
    Ok(principal)
}

/// A write session for the caller, who must hold at least `role`.
pub async fn session(ctx: &Context<'_>, role: Role) -> ApiResult<Session> {
    let principal = require(ctx, role)?;
    Ok(Session::begin(db(ctx), principal.name.clone()).await?)
}

/// Commits a session and wakes the live feed.
pub async fn commit(ctx: &Context<'_>, session: Session) -> ApiResult<Vec<crate::write::Entry>> {
    let entries = session.commit().await?;
    ctx.data_unchecked::<crate::live::ChangeFeed>().committed();
    Ok(entries)
}

/// Declares a type's payload and its create, update and delete mutations. `merge`
/// gives the create a `merge` argument (named types).
macro_rules! crud {
    (@write $s:ident, $changes:ident, $ty:ident, $merge:ident) => {
        if $merge {
            $crate::write::create_or_merge::<<$ty as $crate::graphql::node::Record>::Kind>(&mut $s, $changes, "input").await
        } else {
            $crate::write::create::<<$ty as $crate::graphql::node::Record>::Kind>(&mut $s, $changes, "input").await
        }
    };
    (@write $s:ident, $changes:ident, $ty:ident) => {
        $crate::write::create::<<$ty as $crate::graphql::node::Record>::Kind>(&mut $s, $changes, "input").await
    };
    (
        $object:ident, $ty:ident, $payload:ident { $field:ident },
        $create:ident($cin:ty $(, $merge:ident)?), $update:ident($uin:ty), $delete:ident
    ) => {
        #[doc = concat!("The result of writing a ", stringify!($ty), "; after a delete, the record as it was.")]
        #[derive(async_graphql::SimpleObject)]
        pub struct $payload {
            pub $field: $ty,
        }

        #[derive(Default)]
        pub struct $object;

        #[async_graphql::Object]
        impl $object {
            /// Creates a record. For actors, bases and assets, a record of the same
            /// kind and place that already goes by the name or an alias is a CONFLICT
            /// naming it (for sources, any source that goes by it), unless `merge` is
            /// true: then the input merges into that record (its name stays, the new
            /// names join its aliases, the fields given overwrite).
            async fn $create(
                &self,
                ctx: &async_graphql::Context<'_>,
                input: $cin,
                $( #[graphql(default)] $merge: bool, )?
            ) -> async_graphql::Result<$payload> {
                let mut s = $crate::graphql::mutation::session(ctx, $crate::auth::Role::Editor).await?;
                let changes = input.into_changes("input")?;
                let model = $crate::graphql::mutation::crud!(@write s, changes, $ty $(, $merge)?)
                    .map_err($crate::error::ApiError::from)?;
                $crate::graphql::mutation::commit(ctx, s).await?;
                Ok($payload { $field: <$ty as $crate::graphql::node::Record>::from_model(model) })
            }

            /// Changes the fields given; an omitted field stays, null clears a
            /// nullable one. `expectedVersion` must be the record's current version.
            async fn $update(
                &self,
                ctx: &async_graphql::Context<'_>,
                id: async_graphql::ID,
                expected_version: i32,
                input: $uin,
            ) -> async_graphql::Result<$payload> {
                let mut s = $crate::graphql::mutation::session(ctx, $crate::auth::Role::Editor).await?;
                let row = $crate::graphql::node::record_id::<$ty>(&id, "id")?;
                let changes = input.into_changes("input")?;
                let model = $crate::write::update::<<$ty as $crate::graphql::node::Record>::Kind>(&mut s, row, Some(expected_version), changes, "input")
                    .await
                    .map_err($crate::error::ApiError::from)?;
                $crate::graphql::mutation::commit(ctx, s).await?;
                Ok($payload { $field: <$ty as $crate::graphql::node::Record>::from_model(model) })
            }

            /// Deletes the record (role admin). `expectedVersion` must be its
            /// current version; see the README for what a delete takes with it.
            async fn $delete(
                &self,
                ctx: &async_graphql::Context<'_>,
                id: async_graphql::ID,
                expected_version: i32,
            ) -> async_graphql::Result<$payload> {
                let mut s = $crate::graphql::mutation::session(ctx, $crate::auth::Role::Admin).await?;
                let row = $crate::graphql::node::record_id::<$ty>(&id, "id")?;
                let model = $crate::write::delete::<<$ty as $crate::graphql::node::Record>::Kind>(&mut s, row, Some(expected_version))
                    .await
                    .map_err($crate::error::ApiError::from)?;
                $crate::graphql::mutation::commit(ctx, s).await?;
                Ok($payload { $field: <$ty as $crate::graphql::node::Record>::from_model(model) })
            }
        }
    };
}
pub(crate) use crud;
