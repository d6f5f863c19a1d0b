//! The domain's errors. Each has a code from the contract (`extensions.code` when it
//! reaches a GraphQL client); the API crate decides how it is shown, and an internal
//! cause is only ever logged.
use sea_orm::{DbErr, SqlErr};

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
