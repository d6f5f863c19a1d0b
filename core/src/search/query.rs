//! Turning what an analyst types into a full-text query of the database at hand.
use super::document::deletions;
use crate::entity::search::{DocumentTerms, SearchText, document, term_key};
use crate::error::GarrisonError;
use crate::list::{KeyKind, Ordering};
use crate::names::search_terms;
use crate::visibility::{self, Clearance};
use sea_orm::sea_query::{BinOper, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, DatabaseBackend, DatabaseConnection, EntityTrait, FromQueryResult,
    QueryFilter, QuerySelect,
};

type Result<T> = std::result::Result<T, GarrisonError>;

/// Longest query accepted, in characters.
const MAX_QUERY_CHARS: usize = 200;
/// Most words a query may have.
const MAX_QUERY_WORDS: usize = 12;
/// How much more a name counts than other text.
const NAME_WEIGHT: f64 = 10.0;

/// Declares [`SearchType`] with a variant per searched record type.
macro_rules! search_types {
    ($($record:ident),+) => {
        /// The kinds of record search finds.
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        pub enum SearchType {
            $($record),+
        }

        impl SearchType {
            fn type_name(self) -> &'static str {
                match self {
                    $(Self::$record => <crate::record::$record as crate::record::Record>::TYPE),+
                }
            }
        }
    };
}

crate::searched_records!(search_types);

/// One matching document: its record and its score (higher is better).
#[derive(Clone, Debug, FromQueryResult)]
pub struct Hit {
    pub entity_type: String,
    pub entity_id: i64,
    /// The ordering's key (`crate::list::SORT`; a test checks the two agree).
    #[sea_orm(alias = "_sort")]
    pub score: f64,
}

/// The alternatives of one query word: itself as a prefix, and the name terms one
/// edit away (a typo or a transliteration the skeleton does not fold).
struct Word {
    term: String,
    neighbours: Vec<String>,
}

/// The words of `text`, each with its neighbours among the stored name terms.
async fn words(db: &DatabaseConnection, text: &str) -> Result<Vec<Word>> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(GarrisonError::invalid(
            "query",
            format!("at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let mut terms = search_terms(text);
    terms.dedup();
    if terms.is_empty() {
        return Err(GarrisonError::invalid(
            "query",
            "has no words to search for",
        ));
    }
    if terms.len() > MAX_QUERY_WORDS {
        return Err(GarrisonError::invalid(
            "query",
            format!("at most {MAX_QUERY_WORDS} words, got {}", terms.len()),
        ));
    }
    let mut words = Vec::with_capacity(terms.len());
    for term in terms {
        let mut keys: Vec<String> = deletions(&term).collect();
        keys.push(term.clone());
        let near = term_key::Entity::find()
            .select_only()
            .distinct()
            .column(term_key::Column::Term)
            .filter(term_key::Column::Key.is_in(keys))
            .into_tuple::<String>()
            .all(db)
            .await?;
        let mut neighbours = Vec::new();
        for candidate in near {
            if candidate != term && strsim::damerau_levenshtein(&term, &candidate) <= 1 {
                neighbours.push(candidate);
            }
        }
        neighbours.sort_unstable();
        words.push(Word { term, neighbours });
    }
    Ok(words)
}

/// An FTS5 query: every word must match, as a prefix or as one of its neighbours.
fn fts5_query(words: &[Word]) -> String {
    let quote = |t: &str| format!("\"{}\"", t.replace('"', "\"\""));
    words
        .iter()
        .map(|w| {
            let mut alternatives = vec![format!("{}*", quote(&w.term))];
            alternatives.extend(w.neighbours.iter().map(|n| quote(n)));
            format!("({})", alternatives.join(" OR "))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// A PostgreSQL `tsquery` with the same meaning as [`fts5_query`].
fn tsquery(words: &[Word]) -> String {
    let quote = |t: &str| format!("'{}'", t.replace('\'', "''"));
    words
        .iter()
        .map(|w| {
            let mut alternatives = vec![format!("{}:*", quote(&w.term))];
            alternatives.extend(w.neighbours.iter().map(|n| quote(n)));
            format!("({})", alternatives.join(" | "))
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

/// The documents matching `text` (of `types`, when given), best first: the statement
/// and its ordering, ready for keyset pagination.
pub async fn search_select(
    db: &DatabaseConnection,
    text: &str,
    types: Option<&[SearchType]>,
    clearance: Clearance,
) -> Result<(SelectStatement, Ordering)> {
    let words = words(db, text).await?;
    let mut select = Query::select();
    select.columns([
        document::Column::EntityType.as_column_ref(),
        document::Column::EntityId.as_column_ref(),
        document::Column::Id.as_column_ref(),
    ]);
    let terms = Expr::col((document::Entity, DocumentTerms::Terms));
    let score: Expr = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let query: Expr = Func::cust("to_tsquery")
                .arg(Expr::cust("'simple'"))
                .arg(tsquery(&words))
                .into();
            select
                .from(document::Entity)
                .and_where(terms.clone().binary(BinOper::Custom("@@"), query.clone()));
            // Weights of D, C, B (other text) and A (names).
            let weights = format!("'{{0.1, 0.1, {}, 1.0}}'::float4[]", 1.0 / NAME_WEIGHT);
            Func::cust("ts_rank")
                .arg(Expr::cust(weights))
                .arg(terms)
                .arg(query)
                .into()
        }
        _ => {
            select
                .from(SearchText::Table)
                .inner_join(
                    document::Entity,
                    document::Column::Id
                        .into_expr()
                        .equals((SearchText::Table, SearchText::Rowid)),
                )
                .and_where(
                    Expr::col(SearchText::Table)
                        .binary(BinOper::Custom("MATCH"), fts5_query(&words)),
                );
            // bm25 is better when lower; negated, higher is better on both databases.
            Expr::from(
                Func::cust("bm25")
                    .arg(Expr::col(SearchText::Table))
                    .arg(NAME_WEIGHT)
                    .arg(1.0),
            )
            .mul(-1.0)
        }
    };
    if let Some(types) = types {
        let names: Vec<&str> = types.iter().map(|t| t.type_name()).collect();
        select.and_where(document::Column::EntityType.into_expr().is_in(names));
    }
    if clearance != Clearance::ALL {
        // Only documents of records the caller may see are matched, ranked and counted.
        macro_rules! seen {
            ($($record:ident),+) => {
                Condition::any()$(.add(visibility::names_visible::<crate::record::$record>(
                    document::Column::EntityType,
                    document::Column::EntityId.into_expr(),
                    clearance,
                )))+
            };
        }
        select.cond_where(crate::searched_records!(seen));
    }
    let id = document::Column::Id.into_expr();
    let ordering = Ordering::new("score-", score, KeyKind::Float, id, true);
    Ok((select, ordering))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_read_the_ordering_key() {
        assert_eq!(crate::list::SORT, "_sort");
    }

    #[test]
    fn queries_say_the_same_on_both_engines() {
        let words = [
            Word {
                term: "hmimim".into(),
                neighbours: vec!["humimim".into()],
            },
            Word {
                term: "air".into(),
                neighbours: vec![],
            },
        ];
        assert_eq!(
            fts5_query(&words),
            r#"("hmimim"* OR "humimim") AND ("air"*)"#
        );
        assert_eq!(tsquery(&words), "('hmimim':* | 'humimim') & ('air':*)");
    }
}
