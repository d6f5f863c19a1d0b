//! API tokens and roles.
//!
//! A token reads `garrison_<id>_<secret>`. Only the SHA-256 of the secret is stored;
//! a presented token is found by its id and its secret's hash compared in constant
//! time. Tokens are printed once, when created, and never logged.
use crate::entity::api_token;
use crate::error::GarrisonError;
use crate::visibility::Clearance;
use crate::vocabulary::Marking;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::Utc;
use sea_orm::entity::prelude::*;
use sea_orm::{ActiveValue::Set, ConnectionTrait, QueryOrder};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const PREFIX: &str = "garrison_";
const MAX_NAME: usize = 100;

/// What a token may do. Each role can do everything the roles before it can.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")]
pub enum Role {
    /// Reads, when the server requires a token for reads.
    Reader,
    /// Creates and updates records, imports bundles.
    Editor,
    /// Also deletes records and manages tokens.
    Admin,
}

impl std::str::FromStr for Role {
    type Err = String;

    /// `reader`, `editor` or `admin` (as the command line takes them).
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "reader" => Ok(Self::Reader),
            "editor" => Ok(Self::Editor),
            "admin" => Ok(Self::Admin),
            other => Err(format!(
                "\"{other}\" is not a role: reader, editor or admin"
            )),
        }
    }
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Self::Reader => "reader",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }
}

/// The holder of a valid token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub role: Role,
    /// The highest marking it may read and write.
    pub clearance: Marking,
}

impl Principal {
    /// Refuses with FORBIDDEN unless this principal's role includes `needed`.
    pub fn require(&self, needed: Role) -> Result<(), GarrisonError> {
        if self.role >= needed {
            Ok(())
        } else {
            Err(GarrisonError::Forbidden(format!(
                "token \"{}\" has role {}; this needs role {}",
                self.name,
                self.role.name(),
                needed.name()
            )))
        }
    }
}

/// The clearance of a caller: its token's, or `anonymous` for a caller without one.
pub fn clearance(principal: Option<&Principal>, anonymous: Marking) -> Clearance {
    Clearance(principal.map_or(anonymous, |p| p.clearance))
}

/// A newly created token: the secret text (shown once) and its stored record.
pub struct IssuedToken {
    pub token: String,
    pub record: api_token::Model,
}

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Creates a token named `name` with `role` and `clearance`.
pub async fn create(
    db: &impl ConnectionTrait,
    name: &str,
    role: Role,
    clearance: Marking,
) -> Result<IssuedToken, GarrisonError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(GarrisonError::invalid(
            "name",
            format!("must be 1 to {MAX_NAME} characters"),
        ));
    }
    if find_by_name(db, name).await?.is_some() {
        return Err(GarrisonError::conflict(
            format!("a token named \"{name}\" already exists"),
            crate::error::ConflictDetail::None,
        ));
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| GarrisonError::Internal(format!("no randomness: {e}").into()))?;
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let record = api_token::ActiveModel {
        name: Set(name.to_owned()),
        role: Set(role),
        clearance: Set(clearance),
        secret_hash: Set(hash(&secret)),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(IssuedToken {
        token: format!("{PREFIX}{}_{secret}", record.id),
        record,
    })
}

async fn find_by_name(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<api_token::Model>, GarrisonError> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::Name.eq(name))
        .one(db)
        .await?)
}

/// Every token, revoked ones included, oldest first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<api_token::Model>, GarrisonError> {
    Ok(api_token::Entity::find()
        .order_by_asc(api_token::Column::Id)
        .all(db)
        .await?)
}

/// Revokes the token named `name`; it stops working at once.
pub async fn revoke(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<api_token::Model, GarrisonError> {
    let token = find_by_name(db, name)
        .await?
        .ok_or_else(|| GarrisonError::not_found("token", name))?;
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let mut row: api_token::ActiveModel = token.into();
    row.revoked_at = Set(Some(Utc::now()));
    Ok(row.update(db).await?)
}

/// The principal a bearer token stands for; UNAUTHENTICATED when it is malformed,
/// unknown or revoked (one message for all, so as not to help guessing).
pub async fn authenticate(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Principal, GarrisonError> {
    let invalid = || GarrisonError::Unauthenticated("invalid or revoked token".into());
    let (id, secret) = token
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once('_'))
        .ok_or_else(invalid)?;
    let id: i64 = id.parse().map_err(|_| invalid())?;
    let record = api_token::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(invalid)?;
    let matches: bool = hash(secret)
        .as_bytes()
        .ct_eq(record.secret_hash.as_bytes())
        .into();
    if !matches || record.revoked_at.is_some() {
        return Err(invalid());
    }
    Ok(Principal {
        name: record.name,
        role: record.role,
        clearance: record.clearance,
    })
}

/// The token of an `Authorization: Bearer <token>` header value.
pub fn bearer(header: &str) -> Result<&str, GarrisonError> {
    match header.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        _ => Err(GarrisonError::Unauthenticated(
            "the Authorization header must read \"Bearer <token>\"".into(),
        )),
    }
}

/// Who is calling, from the `Authorization` header's value: nobody (when reads are
/// open), or the token's principal. A malformed, unknown or revoked token is
/// UNAUTHENTICATED even for reads, so that a client learns at once that its token is bad.
pub async fn caller(
    db: &impl ConnectionTrait,
    authorization: Option<&str>,
    require_token: bool,
) -> Result<Option<Principal>, GarrisonError> {
    match authorization {
        Some(header) => Ok(Some(authenticate(db, bearer(header)?).await?)),
        None if require_token => Err(GarrisonError::Unauthenticated(
            "this server needs a token for every request: send \"Authorization: Bearer <token>\""
                .into(),
        )),
        None => Ok(None),
    }
}
