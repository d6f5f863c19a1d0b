//! Pieces shared by the filters and orders of every list.
use super::pagination::{KeyKind, Ordering};
use crate::error::{ApiError, ApiResult};
use crate::fuzzy_date::FuzzyDate;
use crate::names::fold;
use async_graphql::{Enum, InputObject, InputType};
use sea_orm::ActiveEnum;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, LikeExpr, Query, SelectStatement};

/// `table.column`.
pub fn col(table: &'static str, column: &str) -> Expr {
    Expr::col((Alias::new(table), Alias::new(column)))
}

/// `table.id`.
pub fn id(table: &'static str) -> Expr {
    col(table, "id")
}

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
pub fn lower_contains(
    table: &'static str,
    column: &str,
    field: &str,
    needle: &str,
) -> ApiResult<Expr> {
    let pattern = containing(field, &needle.to_lowercase())?;
    Ok(Expr::expr(Func::lower(col(table, column))).like(pattern))
}

/// Rows whose folded `key_column` contains the folded `needle` (the filter `field`)
/// or, when the table has aliases, one of whose aliases does.
pub fn name_matches(
    table: &'static str,
    key_column: &str,
    aliases: bool,
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
    let own = col(table, key_column).like(pattern.clone());
    if !aliases {
        return Ok(own);
    }
    let owner = format!("{table}_id");
    let by_alias = Query::select()
        .column(Alias::new(owner.clone()))
        .from(Alias::new("alias"))
        .and_where(Expr::col(Alias::new(owner)).is_not_null())
        .and_where(Expr::col(Alias::new("name_key")).like(pattern))
        .to_owned();
    Ok(own.or(id(table).in_subquery(by_alias)))
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

/// Rows whose fuzzy date (`<prefix>` with its bounds `<prefix>_lo`, `<prefix>_hi`)
/// matches `date` as `relation` with `certainty`. With `require_dated`, undated rows
/// never match.
///
/// A missing bound is open or unknown: both may overlap anything. For CERTAIN `at`
/// only an open end (the EDTF text starts `../` or ends `/..`) counts as covering; for
/// CERTAIN `during` a missing bound is never within.
pub fn dated(
    table: &'static str,
    prefix: &str,
    date: &FuzzyDate,
    (relation, certainty): (Relation, Certainty),
    require_dated: bool,
) -> Expr {
    let lo = col(table, &format!("{prefix}_lo"));
    let hi = col(table, &format!("{prefix}_hi"));
    let text = col(table, prefix);
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
pub fn one_of<T, C>(table: &'static str, column: &str, field: &str, values: &[T]) -> ApiResult<Expr>
where
    T: Copy + Into<C>,
    C: ActiveEnum,
    C::Value: Into<sea_orm::Value>,
{
    let values = bounded(field, values)?;
    Ok(col(table, column).is_in(values.iter().map(|v| Into::<C>::into(*v).to_value())))
}

/// Rows whose `column` equals one of `values`.
pub fn equals_any<V: Into<sea_orm::Value> + Clone>(
    table: &'static str,
    column: &str,
    values: &[V],
) -> Expr {
    col(table, column).is_in(values.iter().cloned())
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
pub async fn actor_and_subordinates(
    db: &sea_orm::DatabaseConnection,
    actor: i64,
) -> ApiResult<Vec<i64>> {
    use sea_orm::{ConnectionTrait, Statement};
    // The id is an integer, so inlining it is safe; the SQL works on both databases.
    let sql = format!(
        "WITH RECURSIVE tree(id) AS (SELECT CAST({actor} AS BIGINT) UNION SELECT actor.id \
         FROM actor JOIN tree ON actor.parent_id = tree.id) SELECT id FROM tree"
    );
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let ids = rows
        .iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ids)
}

/// The `name`, `kind` and `country` filters that actors and bases share (assets and
/// sources pass `None` for what they lack); `aliases` says whether the table has them.
pub fn apply_named<K, C>(
    select: &mut SelectStatement,
    table: &'static str,
    aliases: bool,
    name: Option<String>,
    kind: Option<Vec<K>>,
    country: Option<Vec<String>>,
) -> ApiResult<()>
where
    K: Copy + Into<C>,
    C: ActiveEnum,
    C::Value: Into<sea_orm::Value>,
{
    if let Some(name) = name {
        apply(
            select,
            Some(name_matches(
                table,
                "name_key",
                aliases,
                "filter.name",
                &name,
            )?),
        );
    }
    if let Some(kind) = kind {
        apply(
            select,
            Some(one_of::<K, C>(table, "kind", "filter.kind", &kind)?),
        );
    }
    if let Some(country) = country {
        let codes = countries("filter.country", &country)?;
        apply(select, Some(equals_any(table, "country", &codes)));
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
    const TABLE: &'static str;
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
    Ordering::new(name, key, kind, id(F::TABLE), descending)
}

/// An ordering by `table.id`, for nested lists that have no `orderBy`.
pub fn by_id(table: &'static str) -> Ordering {
    Ordering::new("id+", id(table), KeyKind::Int, id(table), false)
}

/// The sort key of a fuzzy date: its earliest instant, else its latest; undated last.
pub fn date_key(table: &'static str, prefix: &str) -> Expr {
    Func::coalesce([
        col(table, &format!("{prefix}_lo")),
        col(table, &format!("{prefix}_hi")),
        Expr::val(i64::MAX),
    ])
    .into()
}

/// An ordering of a nested list by a fuzzy date, then id.
pub fn by_date(table: &'static str, prefix: &str) -> Ordering {
    Ordering::new(
        format!("{prefix}+"),
        date_key(table, prefix),
        KeyKind::Int,
        id(table),
        false,
    )
}
