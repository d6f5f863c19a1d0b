//! Errors, and how they reach clients.
//!
//! `GarrisonError` is the domain's error. Inside the GraphQL layer it travels as
//! [`ApiError`], which deliberately does not implement `Display`: async-graphql turns
//! any `Display` error into a client message, so a stray `?` on a database error would
//! leak SQL. `ApiError` converts only through [`From<ApiError> for async_graphql::Error`],
//! which sets `extensions.code` and hides internal causes behind "internal error".
use async_graphql::ErrorExtensions;
use sea_orm::{DbErr, SqlErr};
use std::sync::Arc;

/// The contract's error codes, as sent in `extensions.code`.
pub mod code {
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const CONFLICT: &str = "CONFLICT";
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    pub const FORBIDDEN: &str = "FORBIDDEN";
    pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";
    /// The request ran out of time (`--request-timeout-ms`, `--body-timeout-ms`).
    pub const TIMEOUT: &str = "TIMEOUT";
    /// Apollo's automatic persisted queries: the hash is not registered (yet).
    pub const PERSISTED_QUERY_NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";
    pub const INTERNAL: &str = "INTERNAL";
}

#[derive(Debug, thiserror::Error)]
pub enum GarrisonError {
    #[error("{entity} {id} not found")]
    NotFound { entity: String, id: String },
    #[error("{field}: {reason}")]
    InvalidInput { field: String, reason: String },
    #[error("{reason}")]
    Conflict {
        reason: String,
        detail: ConflictDetail,
    },
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("query too complex: {limit} is {actual}, over the limit of {max} by {}", actual - max)]
    TooComplex {
        limit: &'static str,
        actual: usize,
        max: usize,
    },
    /// A persisted query's hash that is not registered; the message is the one Apollo
    /// clients look for before they resend the document.
    #[error("PersistedQueryNotFound")]
    PersistedQueryNotFound,
    /// The request ran out of time (`--request-timeout-ms`).
    #[error("the request took longer than the limit of {0} ms")]
    Timeout(u64),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl GarrisonError {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub fn not_found(entity: impl Into<String>, id: impl Into<String>) -> Self {
        Self::NotFound {
            entity: entity.into(),
            id: id.into(),
        }
    }

    pub fn conflict(reason: impl Into<String>, detail: ConflictDetail) -> Self {
        Self::Conflict {
            reason: reason.into(),
            detail,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => code::NOT_FOUND,
            Self::InvalidInput { .. } => code::BAD_USER_INPUT,
            Self::Conflict { .. } => code::CONFLICT,
            Self::Unauthenticated(_) => code::UNAUTHENTICATED,
            Self::Forbidden(_) => code::FORBIDDEN,
            Self::PersistedQueryNotFound => code::PERSISTED_QUERY_NOT_FOUND,
            Self::TooComplex { .. } => code::QUERY_TOO_COMPLEX,
            Self::Timeout(_) => code::TIMEOUT,
            Self::Internal(_) => code::INTERNAL,
        }
    }
}

/// What a CONFLICT is about, sent in its extensions so that clients can act on it.
#[derive(Debug, Clone, PartialEq)]
pub enum ConflictDetail {
    None,
    /// `expectedVersion` was stale: `extensions.currentVersion`.
    StaleVersion {
        current: i32,
    },
    /// A record of the same kind already goes by this name: `extensions.existingId`.
    Duplicate {
        existing: String,
        id: i64,
    },
    /// Other records still refer to this one: `extensions.referencedBy`.
    Referenced {
        by: Vec<String>,
    },
}

impl ConflictDetail {
    fn extend(&self, e: &mut async_graphql::ErrorExtensionValues) {
        match self {
            Self::None => {}
            Self::StaleVersion { current } => e.set("currentVersion", *current),
            Self::Duplicate { existing, .. } => e.set("existingId", existing.as_str()),
            Self::Referenced { by } => e.set("referencedBy", by.clone()),
        }
    }
}

impl From<DbErr> for GarrisonError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::conflict(
                "a record with the same unique value already exists",
                ConflictDetail::None,
            ),
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => Self::conflict(
                "the change would break a reference between records",
                ConflictDetail::None,
            ),
            _ => Self::Internal(Box::new(err)),
        }
    }
}

impl ErrorExtensions for GarrisonError {
    fn extend(&self) -> async_graphql::Error {
        if let Self::Internal(cause) = self {
            tracing::error!(error = %error_chain(cause.as_ref()), "internal error");
        }
        async_graphql::Error::new(self.to_string()).extend_with(|_, e| {
            e.set("code", self.code());
            match self {
                Self::InvalidInput { field, .. } => e.set("field", field.as_str()),
                Self::Conflict { detail, .. } => detail.extend(e),
                Self::TooComplex { limit, actual, max } => {
                    e.set("limit", *limit);
                    e.set("actual", *actual);
                    e.set("max", *max);
                }
                _ => {}
            }
        })
    }
}

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
        err.0.extend()
    }
}

/// Results inside the GraphQL layer.
pub type ApiResult<T> = Result<T, ApiError>;

/// Formats an error with its chain of causes, for logs only.
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}
