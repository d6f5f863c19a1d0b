//! Pieces shared by the filters and orders of every list.
use super::pagination::{KeyKind, Ordering};
use crate::error::{ApiError, ApiResult};
use crate::fuzzy_date::FuzzyDate;
use crate::names::fold;
use async_graphql::{Enum, InputObject, InputType};
use garrison_core::entity::{DateColumns, Stored, actor, alias};
use garrison_core::record;
use garrison_core::visibility::{Clearance, Visible};
use garrison_core::write::{ColumnOf, Named};
use sea_orm::sea_query::{
    CommonTableExpression, Expr, ExprTrait, Func, LikeExpr, Query, SelectStatement, UnionType,
    WithClause,
};
use sea_orm::{ActiveEnum, ColumnTrait, DeriveIden};

/// Longest text a substring filter takes, in characters.
pub const MAX_FILTER_TEXT: usize = 200;
/// Most values a list filter takes (each becomes a bound parameter).
pub const MAX_FILTER_VALUES: usize = 100;

/// The values of the list filter `field`, refused beyond [`MAX_FILTER_VALUES`].
pub fn bounded<'v, T>(field: &str, values: &'v [T]) -> ApiResult<&'v [T]> {
    if values.len() > MAX_FILTER_VALUES {
        return Err(ApiError::invalid(
            field,
            format!("at most {MAX_FILTER_VALUES} values, got {}", values.len()),
        ));
    }
    Ok(values)
}

/// The character that escapes `%`, `_` and itself in the patterns below.
const LIKE_ESCAPE: char = '!';

/// The `LIKE` pattern of texts containing `needle` literally (its `%` and `_` match
/// only themselves), for the filter `field`; refused beyond [`MAX_FILTER_TEXT`].
pub fn containing(field: &str, needle: &str) -> ApiResult<LikeExpr> {
    let length = needle.chars().count();
    if length > MAX_FILTER_TEXT {
        return Err(ApiError::invalid(
            field,
            format!("at most {MAX_FILTER_TEXT} characters, got {length}"),
        ));
    }
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | LIKE_ESCAPE) {
            pattern.push(LIKE_ESCAPE);
        }
        pattern.push(c);
    }
    pattern.push('%');
    Ok(LikeExpr::new(pattern).escape(LIKE_ESCAPE))
}

/// Rows whose lower-cased `column` contains the lower-cased `needle` (the filter
/// `field`).
pub fn lower_contains(column: impl ColumnTrait, field: &str, needle: &str) -> ApiResult<Expr> {
    let pattern = containing(field, &needle.to_lowercase())?;
    Ok(Expr::expr(Func::lower(column.into_expr())).like(pattern))
}

/// Rows of `E` whose folded `key_column` contains the folded `needle` (the filter
/// `field`) or, for a type with aliases (the alias table's column `aliases` points at
/// it), one of whose aliases does.
pub fn name_matches<E: Stored>(
    key_column: E::Column,
    aliases: Option<alias::Column>,
    field: &str,
    needle: &str,
) -> ApiResult<Expr> {
    let folded = fold(needle);
    if folded.is_empty() && !needle.trim().is_empty() {
        // Only punctuation (`%`, `_`, `*`): nothing to match on, so nothing matches.
        containing(field, needle)?;
        return Ok(Expr::val(false));
    }
    let pattern = containing(field, &folded)?;
    let own = key_column.into_expr().like(pattern.clone());
    let Some(owner) = aliases else {
        return Ok(own);
    };
    let by_alias = Query::select()
        .column(owner)
        .from(alias::Entity)
        .and_where(owner.is_not_null())
        .and_where(alias::Column::NameKey.like(pattern))
        .to_owned();
    Ok(own.or(E::ID.into_expr().in_subquery(by_alias)))
}

/// How sure a dated claim must be to match an asked date.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default, Debug)]
pub enum Certainty {
    /// The claim may have held at some point of the asked date: the intervals overlap.
    #[default]
    Possible,
    /// The claim held for the whole of the asked date: its interval covers the asked one.
    /// An open end (`..`, "still so") covers anything; an unknown end covers nothing.
    Certain,
}

/// How a claim's date relates to the asked one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Relation {
    /// `at`: certain when the claim's interval covers the asked one.
    At,
    /// `during`: certain when the claim's interval lies within the asked one.
    During,
}

/// Rows whose fuzzy date (its `columns`) matches `date` as `relation` with `certainty`. With `require_dated`, undated rows
/// never match.
///
/// A missing bound is open or unknown: both may overlap anything. For CERTAIN `at`
/// only an open end (the EDTF text starts `../` or ends `/..`) counts as covering; for
/// CERTAIN `during` a missing bound is never within.
pub fn dated(
    columns: DateColumns<impl ColumnTrait>,
    date: &FuzzyDate,
    (relation, certainty): (Relation, Certainty),
    require_dated: bool,
) -> Expr {
    let lo = columns.lo.into_expr();
    let hi = columns.hi.into_expr();
    let text = columns.text.into_expr();
    let mut cond = Expr::val(true).eq(true);
    match certainty {
        Certainty::Possible => {
            if let Some(asked_hi) = date.latest() {
                cond = cond.and(lo.clone().is_null().or(lo.clone().lte(asked_hi)));
            }
            if let Some(asked_lo) = date.earliest() {
                cond = cond.and(hi.clone().is_null().or(hi.clone().gte(asked_lo)));
            }
        }
        Certainty::Certain if relation == Relation::During => {
            if let Some(asked_lo) = date.earliest() {
                cond = cond.and(lo.clone().gte(asked_lo));
            }
            if let Some(asked_hi) = date.latest() {
                cond = cond.and(hi.clone().lte(asked_hi));
            }
        }
        Certainty::Certain => {
            let open_start = text.clone().like("../%");
            let open_end = text.like("%/..");
            cond = cond.and(match date.earliest() {
                Some(asked_lo) => lo.clone().lte(asked_lo).or(open_start),
                None => open_start,
            });
            cond = cond.and(match date.latest() {
                Some(asked_hi) => hi.clone().gte(asked_hi).or(open_end),
                None => open_end,
            });
        }
    }
    if require_dated {
        cond = cond.and(lo.is_not_null().or(hi.is_not_null()));
    }
    cond
}

/// Rows whose `column` holds one of `values` (GraphQL enums, stored as the core's `C`),
/// the list filter `field` (an empty list matches nothing).
pub fn one_of<T, C>(column: impl ColumnTrait, field: &str, values: &[T]) -> ApiResult<Expr>
where
    T: Copy + Into<C>,
    C: ActiveEnum,
    C::Value: Into<sea_orm::Value>,
{
    let values = bounded(field, values)?;
    Ok(column
        .into_expr()
        .is_in(values.iter().map(|v| Into::<C>::into(*v).to_value())))
}

/// Rows whose `column` equals one of `values`.
pub fn equals_any<V: Into<sea_orm::Value> + Clone>(column: impl ColumnTrait, values: &[V]) -> Expr {
    column.into_expr().is_in(values.iter().cloned())
}

/// Rows whose `column` holds `id`, when the caller may see the `R` record `id` names
/// (a filter by a hidden record's id matches nothing, as an unknown id does).
pub fn refers_to<R: Visible>(column: impl ColumnTrait, id: i64, clearance: Clearance) -> Expr {
    column
        .into_expr()
        .eq(id)
        .and(garrison_core::visibility::exists_visible::<R>(
            Expr::val(id),
            clearance,
        ))
}

/// The condition "`column` points at the record of `R` whose global id was given
/// for `field`", when one was; a record the caller may not see matches nothing.
pub fn reference<R: super::node::Record<Kind: Visible>>(
    ctx: &async_graphql::Context<'_>,
    column: impl ColumnTrait,
    id: Option<async_graphql::ID>,
    field: &str,
) -> ApiResult<Option<Expr>> {
    let Some(id) = id else {
        return Ok(None);
    };
    let id = super::node::record_id::<R>(&id, field)?;
    let clearance = super::loader::clearance(ctx);
    Ok(Some(refers_to::<R::Kind>(column, id, clearance)))
}

/// Country codes as stored (upper case), from the list filter `field`.
pub fn countries(field: &str, values: &[String]) -> ApiResult<Vec<String>> {
    let values = bounded(field, values)?;
    Ok(values.iter().map(|c| c.trim().to_uppercase()).collect())
}

/// The ids of `actor` and every actor below it in the hierarchy. They are read in a
/// statement of their own so that the query using them sees literal ids: planners
/// misjudge the size of a recursive CTE (PostgreSQL guessed 2,231 rows for 1 and sorted
/// every event instead of starting from the actor's participations).
///
/// Only actors a caller of `clearance` may see are walked: a hidden actor is as unknown
/// here as anywhere, and the tree does not pass through it.
pub async fn actor_and_subordinates(
    db: &sea_orm::DatabaseConnection,
    actor: i64,
    clearance: Clearance,
) -> ApiResult<Vec<i64>> {
    use sea_orm::ConnectionTrait;
    #[derive(DeriveIden)]
    enum Tree {
        Table,
        Id,
    }
    let start = Query::select()
        .column(actor::Column::Id.as_column_ref())
        .from(actor::Entity)
        .and_where(actor::Column::Id.eq(actor))
        .cond_where(record::Actor::visible(clearance))
        .to_owned();
    let below = Query::select()
        .column(actor::Column::Id.as_column_ref())
        .from(actor::Entity)
        .inner_join(
            Tree::Table,
            actor::Column::ParentId
                .into_expr()
                .equals((Tree::Table, Tree::Id)),
        )
        .cond_where(record::Actor::visible(clearance))
        .to_owned();
    let tree = CommonTableExpression::new()
        .query(start.clone().union(UnionType::Distinct, below).to_owned())
        .columns([Tree::Id])
        .table_name(Tree::Table)
        .to_owned();
    let query = Query::select()
        .column(Tree::Id)
        .from(Tree::Table)
        .to_owned()
        .with(WithClause::new().recursive(true).cte(tree).to_owned());
    let rows = db.query_all(&query).await?;
    let ids = rows
        .iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ids)
}

/// The `name`, `kind` and `country` filters that the named types (actors, bases,
/// assets, sources) share; `kind` and `country` come with the column they read.
pub fn apply_named<R: Named, K, C>(
    select: &mut SelectStatement,
    name: Option<String>,
    kind: Option<(ColumnOf<R>, Vec<K>)>,
    country: Option<(ColumnOf<R>, Vec<String>)>,
) -> ApiResult<()>
where
    K: Copy + Into<C>,
    C: ActiveEnum,
    C::Value: Into<sea_orm::Value>,
{
    if let Some(name) = name {
        let aliases = Some(R::ALIAS_COLUMN);
        let matches = name_matches::<R::Entity>(R::NAME_KEY, aliases, "filter.name", &name)?;
        apply(select, Some(matches));
    }
    if let Some((column, kind)) = kind {
        apply(select, Some(one_of::<K, C>(column, "filter.kind", &kind)?));
    }
    if let Some((column, country)) = country {
        let codes = countries("filter.country", &country)?;
        apply(select, Some(equals_any(column, &codes)));
    }
    Ok(())
}

/// Applies `cond` to `select` when the filter field was given.
pub fn apply(select: &mut SelectStatement, cond: Option<Expr>) {
    if let Some(cond) = cond {
        select.and_where(cond);
    }
}

/// Sort direction.
#[derive(Enum, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Asc,
    Desc,
}

/// A field a list can be ordered by.
pub trait SortField: InputType + Copy + Default {
    /// The entity of the listed records (ties break by its id).
    type Entity: Stored;
    /// The field's name in cursors, the sort expression and its kind.
    fn key(self) -> (&'static str, Expr, KeyKind);
}

/// How to order a list: a field and a direction; ties break by id.
#[derive(InputObject)]
#[graphql(concrete(name = "ActorOrder", params(super::actor::ActorOrderField)))]
#[graphql(concrete(name = "BaseOrder", params(super::base::BaseOrderField)))]
#[graphql(concrete(name = "AssetOrder", params(super::asset::AssetOrderField)))]
#[graphql(concrete(name = "EventOrder", params(super::event::EventOrderField)))]
#[graphql(concrete(name = "SourceOrder", params(super::source::SourceOrderField)))]
#[graphql(concrete(name = "ReportOrder", params(super::report::ReportOrderField)))]
pub struct OrderBy<F: SortField> {
    pub field: F,
    #[graphql(default)]
    pub direction: Direction,
}

/// The ordering asked for, or the field's default ascending.
pub fn ordering<F: SortField>(order: Option<OrderBy<F>>) -> Ordering {
    let (field, direction) =
        order.map_or((F::default(), Direction::Asc), |o| (o.field, o.direction));
    let (name, key, kind) = field.key();
    let descending = direction == Direction::Desc;
    let name = format!("{name}{}", if descending { "-" } else { "+" });
    Ordering::new(name, key, kind, F::Entity::ID.into_expr(), descending)
}

/// An ordering by the id of `E`, for nested lists that have no `orderBy`.
pub fn by_id<E: Stored>() -> Ordering {
    let id = E::ID.into_expr();
    Ordering::new("id+", id.clone(), KeyKind::Int, id, false)
}

/// The sort key of a fuzzy date: its earliest instant, else its latest; undated last.
pub fn date_key(columns: DateColumns<impl ColumnTrait>) -> Expr {
    Func::coalesce([
        columns.lo.into_expr(),
        columns.hi.into_expr(),
        Expr::val(i64::MAX),
    ])
    .into()
}

/// An ordering of a nested list of `E` by the fuzzy date `columns`, then id; `name`
/// names the date in cursors.
pub fn by_date<E: Stored>(name: &str, columns: DateColumns<E::Column>) -> Ordering {
    let key = date_key(columns);
    Ordering::new(
        format!("{name}+"),
        key,
        KeyKind::Int,
        E::ID.into_expr(),
        false,
    )
}
