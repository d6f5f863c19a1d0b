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
    /// Other writes held the database for longer than this one could wait (a long
    /// import on SQLite, a lock on PostgreSQL): nothing was written; try again.
    #[error("the database is busy with other writes; nothing was written, try again")]
    Busy,
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
            Self::Timeout(_) | Self::Busy => code::TIMEOUT,
            Self::Internal(_) => code::INTERNAL,
        }
    }
}

/// The first `max` characters of a value a client sent, for an error message that
/// names it without echoing all of it.
pub fn clipped(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
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

/// Whether the database refused for want of time, not for a fault: no connection
/// free in time, SQLite busy or locked, PostgreSQL's deadlock, lock or serialization
/// failures.
fn is_busy(err: &DbErr) -> bool {
    let runtime = match err {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(e) | DbErr::Exec(e) | DbErr::Query(e) => e,
        _ => return false,
    };
    let sea_orm::RuntimeErr::SqlxError(sqlx) = runtime else {
        return false;
    };
    match sqlx.as_ref() {
        sea_orm::sqlx::Error::PoolTimedOut => true,
        sea_orm::sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("40P01" | "55P03" | "40001") => true,
            // SQLite's BUSY and LOCKED, with their extended codes (BUSY_SNAPSHOT …).
            Some(code) => code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6)),
            None => false,
        },
        _ => false,
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
            _ if is_busy(&err) => Self::Busy,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_that_is_busy_is_a_timeout_not_an_internal_error() {
        let busy = GarrisonError::from(DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout));
        assert!(matches!(busy, GarrisonError::Busy));
        assert_eq!(busy.code(), code::TIMEOUT);
        let other = GarrisonError::from(DbErr::Custom("disk on fire".into()));
        assert_eq!(other.code(), code::INTERNAL);
    }
}
