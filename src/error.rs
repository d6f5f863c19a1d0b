//! How the domain's errors reach GraphQL clients.
//!
//! Inside the GraphQL layer a `GarrisonError` travels as [`ApiError`], which
//! deliberately does not implement `Display`: async-graphql turns any `Display` error
//! into a client message, so a stray `?` on a database error would leak SQL.
//! `ApiError` converts only through [`From<ApiError> for async_graphql::Error`], which
//! sets `extensions.code` and hides internal causes behind "internal error".
use async_graphql::ErrorExtensions;
pub use garrison_core::error::{ConflictDetail, GarrisonError, code, error_chain};
use std::sync::Arc;

/// A `GarrisonError` on its way to a GraphQL client; see the module documentation.
#[derive(Debug, Clone)]
pub struct ApiError(Arc<GarrisonError>);

impl ApiError {
    /// A BAD_USER_INPUT error naming the offending field.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        GarrisonError::invalid(field, reason).into()
    }

    pub fn inner(&self) -> &GarrisonError {
        &self.0
    }
}

impl<E: Into<GarrisonError>> From<E> for ApiError {
    fn from(err: E) -> Self {
        Self(Arc::new(err.into()))
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(err: ApiError) -> Self {
        graphql_error(&err.0)
    }
}

/// The GraphQL error a client sees: the message, `extensions.code` and what the code
/// carries (the field of bad input, the limit exceeded, the record in conflict). An
/// internal cause is logged here and never sent.
pub fn graphql_error(error: &GarrisonError) -> async_graphql::Error {
    if let GarrisonError::Internal(cause) = error {
        tracing::error!(error = %error_chain(cause.as_ref()), "internal error");
    }
    async_graphql::Error::new(error.to_string()).extend_with(|_, e| {
        e.set("code", error.code());
        match error {
            GarrisonError::InvalidInput { field, .. } => e.set("field", field.as_str()),
            GarrisonError::Conflict { detail, .. } => match detail {
                ConflictDetail::None => {}
                ConflictDetail::StaleVersion { current } => e.set("currentVersion", *current),
                ConflictDetail::Duplicate { existing, .. } => {
                    e.set("existingId", existing.as_str())
                }
                ConflictDetail::Referenced { by } => e.set("referencedBy", by.clone()),
            },
            GarrisonError::TooComplex { limit, actual, max } => {
                e.set("limit", *limit);
                e.set("actual", *actual);
                e.set("max", *max);
            }
            _ => {}
        }
    })
}

/// Results inside the GraphQL layer.
pub type ApiResult<T> = Result<T, ApiError>;
