//! The change journal in GraphQL: `history` on every record and the root `changes`
//! feed, whose DELETE entries (tombstones) let a client sync incrementally.
use super::filter::{self, apply};
use super::loader::{clearance, nested_connection, root_connection};
use super::node::{Node, Record, encode_id, load_typed};
use super::pagination::{Connection, Edge, Listed, PageArgs};
use crate::entity::change;
use crate::error::{ApiError, ApiResult};
use crate::write::{FieldChange, Operation};
use async_graphql::{Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use garrison_core::visibility::{self, Clearance};
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ColumnTrait, EntityTrait, QueryTrait};
use serde_json::Value;

/// The record types the journal names.
const TYPES: &[&str] = garrison_core::record::JOURNALED;

/// `types`, each checked to be a record type the journal names, without repeats
/// (so the list is never longer than the types are many).
pub fn known_types(mut types: Vec<String>, field: &str) -> ApiResult<Vec<String>> {
    match types.iter().find(|t| !TYPES.contains(&t.as_str())) {
        Some(unknown) => Err(ApiError::invalid(
            field,
            format!("unknown type \"{unknown}\"; one of {}", TYPES.join(", ")),
        )),
        None => {
            types.sort_unstable();
            types.dedup();
            Ok(types)
        }
    }
}

/// One write of one record: who, when, what, and each field's old and new value.
#[derive(Clone)]
pub struct Change(pub change::Model);

impl Record for Change {
    type Entity = change::Entity;
    type Kind = garrison_core::record::Change;
    fn from_model(model: change::Model) -> Self {
        Self(model)
    }
}

impl Listed for Change {
    type Edge = Edge<Self>;
}

/// One field's value before and after a write (null when it had none). References
/// to other records show as their global ids, under the relation's name (`owner`).
#[derive(SimpleObject)]
pub struct FieldValueChange {
    field: String,
    old_value: Json<Value>,
    new_value: Json<Value>,
}

/// The type a stored `…Id` column refers to, and the field it is shown as.
fn reference(column: &str) -> Option<(&'static str, String)> {
    let relation = column.strip_suffix("Id")?;
    let target = match relation {
        "parent" | "owner" | "actor" => "Actor",
        "base" => "Base",
        "asset" => "Asset",
        "source" => "Source",
        "report" => "Report",
        "event" => "Event",
        "tenure" => "Tenure",
        "deployment" => "Deployment",
        _ => return None,
    };
    Some((target, relation.to_owned()))
}

impl FieldValueChange {
    /// A journal field as the caller sees it: a reference as a global id, or as null
    /// when the caller may not see the record it names.
    async fn shown(ctx: &Context<'_>, c: FieldChange) -> ApiResult<Self> {
        let Some((target, field)) = reference(&c.field) else {
            return Ok(Self {
                field: c.field,
                old_value: Json(c.old),
                new_value: Json(c.new),
            });
        };
        let as_id = |v: Value| async move {
            let Some(id) = v.as_i64() else {
                return Ok(v);
            };
            Ok::<_, ApiError>(match load_typed(ctx, target, id).await? {
                Some(_) => Value::String(encode_id(target, id).0),
                None => Value::Null,
            })
        };
        let (old, new) = futures_util::try_join!(as_id(c.old), as_id(c.new))?;
        Ok(Self {
            field,
            old_value: Json(old),
            new_value: Json(new),
        })
    }
}

#[Object]
impl Change {
    async fn id(&self) -> ID {
        encode_id(Self::TYPE, self.0.id)
    }
    /// When the write committed (RFC 3339).
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The name of the token (or command) that wrote.
    async fn author(&self) -> &str {
        &self.0.author
    }
    async fn operation(&self) -> ApiResult<super::vocabulary::Operation> {
        Operation::parse(&self.0.operation)
            .map(Into::into)
            .ok_or_else(|| {
                ApiError::from(crate::error::GarrisonError::Internal(
                    "unknown operation".into(),
                ))
            })
    }
    /// The record's type.
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    /// The record's global id (also after it was deleted).
    async fn entity_id(&self) -> ID {
        encode_id(&self.0.entity_type, self.0.entity_id)
    }
    /// The record as it is now; null once deleted.
    async fn entity(&self, ctx: &Context<'_>) -> ApiResult<Option<Node>> {
        load_typed(ctx, &self.0.entity_type, self.0.entity_id).await
    }
    /// The record's version after this write (the deleted version for a delete).
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// The record's marking after this write (before it, for a delete).
    async fn marking(&self) -> super::vocabulary::Marking {
        self.0.marking.into()
    }
    /// The fields this write changed; a delete lists the record's last values.
    async fn fields(&self, ctx: &Context<'_>) -> ApiResult<Vec<FieldValueChange>> {
        let changes = serde_json::from_str::<Vec<FieldChange>>(&self.0.fields).unwrap_or_default();
        let shown = changes.into_iter().map(|c| FieldValueChange::shown(ctx, c));
        futures_util::future::try_join_all(shown).await
    }
}

/// The journal entries of one record, oldest first.
pub async fn history_of(
    ctx: &Context<'_>,
    type_name: &'static str,
    id: i64,
    args: PageArgs,
) -> ApiResult<Connection<Change>> {
    let mut select = change::Entity::find().into_query();
    select.and_where(change::Column::EntityType.into_expr().eq(type_name));
    // The record is visible (this is one of its fields); its entries written while it
    // was marked above the caller's clearance are not.
    select.and_where(change::Column::Marking.lte(clearance(ctx).0.rank()));
    let ordering = filter::by_id::<change::Entity>();
    nested_connection(
        ctx,
        select,
        change::Column::EntityId.into_expr(),
        id,
        ordering,
        args,
    )
    .await
}

#[derive(Default)]
pub struct ChangeQuery;

#[Object]
impl ChangeQuery {
    /// Every write in commit order, deletions included (tombstones), optionally since
    /// a time and of some types only. To sync, keep the last cursor and ask again
    /// with `after`.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::limits::page_cost(first, last, child_complexity)")]
    async fn changes(
        &self,
        ctx: &Context<'_>,
        since: Option<DateTime<Utc>>,
        types: Option<Vec<String>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Connection<Change>> {
        let mut select = change::Entity::find().into_query();
        let clearance = clearance(ctx);
        if clearance != Clearance::ALL {
            select.cond_where(visibility::journal_visible(clearance));
        }
        apply(
            &mut select,
            since.map(|t| change::Column::At.into_expr().gte(t)),
        );
        if let Some(types) = types {
            let types = known_types(types, "types")?;
            select.and_where(change::Column::EntityType.into_expr().is_in(types));
        }
        let args = PageArgs::new(first, after, last, before);
        Ok(root_connection(ctx, select, filter::by_id::<change::Entity>(), args).await?)
    }
}
