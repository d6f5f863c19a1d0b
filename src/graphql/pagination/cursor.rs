//! Cursors and the Relay arguments that carry them: what a client may send as
//! `first/after/last/before`, checked against the list's ordering.
use crate::error::{ApiError, ApiResult};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use garrison_core::list::{KeyKind, Ordering};
use serde::{Deserialize, Serialize};

/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// Largest `first` or `last` accepted.
pub const MAX_PAGE_SIZE: u64 = 100;
/// Longest cursor accepted (ours are well under: an order name, a key and an id).
const MAX_CURSOR_BYTES: usize = 1_024;

/// The value a row is sorted by, kept in its cursor.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SortValue {
    Int(i64),
    Float(FloatKey),
    Text(String),
}

/// A float sort value (a distance, a search score), equal and hashed by its bits. It
/// survives the JSON of a cursor exactly because serde_json parses floats with
/// `float_roundtrip`; a last-digit error would skip or repeat rows at a page edge.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FloatKey(pub f64);

impl PartialEq for FloatKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_bits() == other.0.to_bits()
    }
}
impl Eq for FloatKey {}
impl std::hash::Hash for FloatKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state)
    }
}

/// Where a page starts: the sort value and id of the row before it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "o")]
    pub(super) order: String,
    #[serde(rename = "k")]
    pub(super) key: SortValue,
    #[serde(rename = "i")]
    pub(super) id: i64,
}

impl Cursor {
    pub(super) fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).expect("cursor serializes"))
    }

    /// The cursor `text` of the list ordered as `ordering`: refused when it is not
    /// one of ours, belongs to another ordering, or holds a key of another type than
    /// the ordering's (which SQLite would compare without complaint and PostgreSQL
    /// refuse at run time).
    fn decode(text: &str, field: &str, ordering: &Ordering) -> ApiResult<Self> {
        if text.len() > MAX_CURSOR_BYTES {
            return Err(ApiError::invalid(field, "is not a valid cursor"));
        }
        let invalid = || ApiError::invalid(field, format!("\"{text}\" is not a valid cursor"));
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
        let mut cursor: Self = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if cursor.order != ordering.name {
            return Err(ApiError::invalid(
                field,
                "the cursor belongs to another ordering of this list",
            ));
        }
        cursor.key = match (ordering.kind, cursor.key) {
            (KeyKind::Int, key @ SortValue::Int(_))
            | (KeyKind::Float, key @ SortValue::Float(_))
            | (KeyKind::Text, key @ SortValue::Text(_)) => key,
            // A whole float (a distance of exactly 0) reads back as an integer.
            (KeyKind::Float, SortValue::Int(n)) => SortValue::Float(FloatKey(n as f64)),
            _ => return Err(invalid()),
        };
        Ok(cursor)
    }
}

/// A validated `first/after/last/before`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PageRequest {
    pub(super) size: u64,
    pub(super) from_end: bool,
    pub(super) after: Option<Cursor>,
    pub(super) before: Option<Cursor>,
}

/// The Relay connection arguments as a field receives them.
#[derive(Clone, Debug, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            first,
            after,
            last,
            before,
        }
    }

    /// Checks the arguments against `ordering` and the page-size limits.
    pub fn validate(&self, ordering: &Ordering) -> ApiResult<PageRequest> {
        let size = |value: i32, field: &str| -> ApiResult<u64> {
            match u64::try_from(value) {
                Ok(n) if n <= MAX_PAGE_SIZE => Ok(n),
                Ok(_) => Err(ApiError::invalid(
                    field,
                    format!("{value} is above the maximum page size of {MAX_PAGE_SIZE}"),
                )),
                Err(_) => Err(ApiError::invalid(field, "must not be negative")),
            }
        };
        let (size, from_end) = match (self.first, self.last) {
            (Some(_), Some(_)) => {
                return Err(ApiError::invalid(
                    "last",
                    "pass either first or last, not both",
                ));
            }
            (Some(first), None) => (size(first, "first")?, false),
            (None, Some(last)) => (size(last, "last")?, true),
            (None, None) => (DEFAULT_PAGE_SIZE, false),
        };
        let cursor = |text: &Option<String>, field| {
            text.as_deref()
                .map(|t| Cursor::decode(t, field, ordering))
                .transpose()
        };
        Ok(PageRequest {
            size,
            from_end,
            after: cursor(&self.after, "after")?,
            before: cursor(&self.before, "before")?,
        })
    }
}
