//! The root mutation: create, update and delete for every type, `importBundle`, and
//! token management. Each part has its inputs (converted into the core's changes) and
//! its three mutations, which go through the generic [`create_record`],
//! [`update_record`] and [`delete_record`]; the work happens in `crate::write`.
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
use crate::error::{ApiError, ApiResult, GarrisonError};
use crate::graphql::node::{Record, record_id};
use crate::write::{self, Named, Session, Writable};
use async_graphql::ID;
use async_graphql::{Context, MergedObject};
use garrison_core::visibility::Clearance;
use garrison_core::vocabulary::Marking;

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

/// The marking of a new record whose write names none (`--default-marking`).
pub struct DefaultMarking(pub Marking);

/// A write session for the caller, who must hold at least `role`: it sees and writes
/// only what the caller's clearance allows.
pub async fn session(ctx: &Context<'_>, role: Role) -> ApiResult<Session> {
    let principal = require(ctx, role)?;
    let default = ctx
        .data_opt::<DefaultMarking>()
        .map_or(Marking::Clear, |d| d.0);
    let session = Session::begin(db(ctx), principal.name.clone()).await?;
    Ok(session.as_reader(Clearance(principal.clearance), default))
}

/// Commits a session and wakes the live feed.
pub async fn commit(ctx: &Context<'_>, session: Session) -> ApiResult<Vec<crate::write::Entry>> {
    let entries = session.commit().await?;
    ctx.data_unchecked::<crate::live::ChangeFeed>().committed();
    Ok(entries)
}

/// What a GraphQL input becomes in the core: the changes of its record type. `path`
/// names the input in errors.
pub trait IntoChanges {
    type Changes;
    fn into_changes(self, path: &str) -> ApiResult<Self::Changes>;
}

/// The changes a write of the GraphQL type `R` makes.
type ChangesOf<R> = <<R as Record>::Kind as Writable>::Changes;

/// `create<Type>`: an editor's create of `R` from `input`, committed.
pub async fn create_record<R, I>(ctx: &Context<'_>, input: I) -> async_graphql::Result<R>
where
    R: Record<Kind: Writable>,
    I: IntoChanges<Changes = ChangesOf<R>>,
{
    let mut s = session(ctx, Role::Editor).await?;
    let changes = input.into_changes("input")?;
    let model = write::create::<R::Kind>(&mut s, changes, "input")
        .await
        .map_err(ApiError::from)?;
    commit(ctx, s).await?;
    Ok(R::from_model(model))
}

/// `create<Type>(merge:)` of a named type: with `merge`, an input whose name the
/// record of the same identity already goes by merges into it.
pub async fn create_or_merge_record<R, I>(
    ctx: &Context<'_>,
    input: I,
    merge: bool,
) -> async_graphql::Result<R>
where
    R: Record<Kind: Named>,
    I: IntoChanges<Changes = ChangesOf<R>>,
{
    if !merge {
        return create_record::<R, I>(ctx, input).await;
    }
    let mut s = session(ctx, Role::Editor).await?;
    let changes = input.into_changes("input")?;
    let model = write::create_or_merge::<R::Kind>(&mut s, changes, "input")
        .await
        .map_err(ApiError::from)?;
    commit(ctx, s).await?;
    Ok(R::from_model(model))
}

/// `update<Type>`: an editor's patch of record `id` at `expected_version`.
pub async fn update_record<R, I>(
    ctx: &Context<'_>,
    id: &ID,
    expected_version: i32,
    input: I,
) -> async_graphql::Result<R>
where
    R: Record<Kind: Writable>,
    I: IntoChanges<Changes = ChangesOf<R>>,
{
    let mut s = session(ctx, Role::Editor).await?;
    let row = record_id::<R>(id, "id")?;
    let changes = input.into_changes("input")?;
    let model = write::update::<R::Kind>(&mut s, row, Some(expected_version), changes, "input")
        .await
        .map_err(ApiError::from)?;
    commit(ctx, s).await?;
    Ok(R::from_model(model))
}

/// `delete<Type>`: an admin's delete of record `id` at `expected_version`; returns
/// the record as it was.
pub async fn delete_record<R>(
    ctx: &Context<'_>,
    id: &ID,
    expected_version: i32,
) -> async_graphql::Result<R>
where
    R: Record<Kind: Writable>,
{
    let mut s = session(ctx, Role::Admin).await?;
    let row = record_id::<R>(id, "id")?;
    let model = write::delete::<R::Kind>(&mut s, row, Some(expected_version))
        .await
        .map_err(ApiError::from)?;
    commit(ctx, s).await?;
    Ok(R::from_model(model))
}
