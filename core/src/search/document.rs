//! Search documents: what each record type contributes, and writing them.
use crate::entity::{actor, asset, attestation, base, event, id_column, report, source};
use crate::error::GarrisonError;
use crate::names::search_terms;
use crate::record::Record;
use crate::record::{Actor, Asset, Attestation, Base, Event, Report, Source};
use crate::write::Entry;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityName, EntityTrait, QueryFilter, TransactionTrait,
};
use std::collections::{BTreeMap, HashMap};

type Result<T> = std::result::Result<T, GarrisonError>;

/// Records indexed per statement (well under SQLite's bound-parameter limit).
const CHUNK: usize = 400;
/// Which record has which fuzzy name term.
const NAME_TERM: &str = "search_name_term";
/// Each fuzzy name term under itself and its one-letter deletions.
const TERM_KEY: &str = "search_term_key";
/// Name terms shorter than this get no typo tolerance (too many neighbours).
const MIN_FUZZY_LEN: usize = 4;
/// Name terms longer than this get no typo tolerance either: a term's keys are its
/// length plus one, so a 500-letter name with 100 such aliases wrote 50,601 keys.
const MAX_FUZZY_LEN: usize = 32;
/// Distinct name terms of one record that get typo keys (its name's first).
const MAX_FUZZY_TERMS: usize = 256;

/// A record type that search finds (its documents carry its `Record::TYPE`) and the
/// texts it contributes.
trait Searchable: Record {
    /// The alias table's column pointing at this type, for types with aliases.
    const ALIAS_COLUMN: Option<&'static str> = None;
    /// Its names (weighted high; aliases join them) and its other text.
    fn texts(model: &Model<Self>) -> (Vec<&str>, Vec<&str>);
}

type Model<S> = <<S as Record>::Entity as EntityTrait>::Model;

fn some<'a>(texts: &[&'a Option<String>]) -> Vec<&'a str> {
    texts.iter().filter_map(|t| t.as_deref()).collect()
}

impl Searchable for Actor {
    const ALIAS_COLUMN: Option<&'static str> = Some("actor_id");
    fn texts(m: &actor::Model) -> (Vec<&str>, Vec<&str>) {
        (vec![&m.name], some(&[&m.description]))
    }
}

impl Searchable for Base {
    const ALIAS_COLUMN: Option<&'static str> = Some("base_id");
    fn texts(m: &base::Model) -> (Vec<&str>, Vec<&str>) {
        (vec![&m.name], some(&[&m.region, &m.description]))
    }
}

impl Searchable for Asset {
    const ALIAS_COLUMN: Option<&'static str> = Some("asset_id");
    fn texts(m: &asset::Model) -> (Vec<&str>, Vec<&str>) {
        let mut names = vec![m.name.as_str()];
        names.extend(m.model.as_deref());
        (names, some(&[&m.description]))
    }
}

impl Searchable for Source {
    const ALIAS_COLUMN: Option<&'static str> = Some("source_id");
    fn texts(m: &source::Model) -> (Vec<&str>, Vec<&str>) {
        (vec![&m.name], some(&[&m.description]))
    }
}

impl Searchable for Report {
    fn texts(m: &report::Model) -> (Vec<&str>, Vec<&str>) {
        let mut body = vec![m.title.as_str()];
        body.extend(m.via.as_deref());
        (vec![], body)
    }
}

impl Searchable for Event {
    fn texts(m: &event::Model) -> (Vec<&str>, Vec<&str>) {
        let mut body = vec![m.title.as_str()];
        body.extend(some(&[&m.summary, &m.place]));
        (vec![], body)
    }
}

impl Searchable for Attestation {
    fn texts(m: &attestation::Model) -> (Vec<&str>, Vec<&str>) {
        (vec![], vec![&m.excerpt])
    }
}

/// Brings the documents of the records `entries` wrote up to date (removing those
/// of deleted records), in the writing transaction.
pub async fn sync(db: &impl ConnectionTrait, entries: &[Entry]) -> Result<()> {
    let mut written: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for entry in entries {
        written.entry(entry.type_name).or_default().push(entry.id);
    }
    for (type_name, mut ids) in written {
        ids.sort_unstable();
        ids.dedup();
        index_type(db, type_name, &ids, true).await?;
    }
    Ok(())
}

/// Writes the documents of the records `ids` of the type named `type_name` (others are
/// not searched); with `replace`, their old documents go first.
async fn index_type(
    db: &impl ConnectionTrait,
    type_name: &str,
    ids: &[i64],
    replace: bool,
) -> Result<()> {
    match type_name {
        Actor::TYPE => index::<Actor>(db, ids, replace).await,
        Base::TYPE => index::<Base>(db, ids, replace).await,
        Asset::TYPE => index::<Asset>(db, ids, replace).await,
        Source::TYPE => index::<Source>(db, ids, replace).await,
        Report::TYPE => index::<Report>(db, ids, replace).await,
        Event::TYPE => index::<Event>(db, ids, replace).await,
        Attestation::TYPE => index::<Attestation>(db, ids, replace).await,
        _ => Ok(()),
    }
}

/// Writes the documents of the records `ids` of `S`; with `replace`, their old ones go
/// first, so that gone records lose theirs.
async fn index<S: Searchable>(db: &impl ConnectionTrait, ids: &[i64], replace: bool) -> Result<()> {
    for chunk in ids.chunks(CHUNK) {
        let models = S::Entity::find()
            .filter(id_column::<S::Entity>().is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        let mut aliases = match S::ALIAS_COLUMN {
            Some(column) => aliases_of(db, column, chunk).await?,
            None => HashMap::new(),
        };
        // The terms the records had, whose keys may have to go once they are rewritten.
        let mut old = Vec::new();
        if replace {
            let delete = Query::delete()
                .from_table(Alias::new("search_document"))
                .and_where(Expr::col(Alias::new("entity_type")).eq(S::TYPE))
                .and_where(Expr::col(Alias::new("entity_id")).is_in(chunk.iter().copied()))
                .to_owned();
            db.execute(&delete).await?;
            old = forget_name_terms(db, S::TYPE, chunk).await?;
        }
        if models.is_empty() {
            drop_unused_keys(db, old).await?;
            continue;
        }
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("search_document"))
            .columns(["entity_type", "entity_id", "names", "body"].map(Alias::new));
        let mut fuzzy = Vec::new();
        for model in &models {
            let id = crate::entity::model_id::<S::Entity>(model);
            let (names, body) = S::texts(model);
            let mut names: Vec<String> = names.iter().flat_map(|n| search_terms(n)).collect();
            for alias in aliases.remove(&id).unwrap_or_default() {
                names.extend(search_terms(&alias));
            }
            let body: Vec<String> = body.iter().flat_map(|b| search_terms(b)).collect();
            insert.values_panic([
                S::TYPE.into(),
                id.into(),
                names.join(" ").into(),
                body.join(" ").into(),
            ]);
            fuzzy.extend(fuzzy_terms(&names).into_iter().map(|t| (t, id)));
        }
        db.execute(&insert).await?;
        remember_terms(db, S::TYPE, &fuzzy).await?;
        drop_unused_keys(db, old).await?;
    }
    Ok(())
}

/// The distinct terms of `names` that get typo keys, at most [`MAX_FUZZY_TERMS`].
fn fuzzy_terms(names: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names
        .iter()
        .filter(|t| (MIN_FUZZY_LEN..=MAX_FUZZY_LEN).contains(&t.chars().count()))
        .filter(|t| seen.insert(t.as_str()))
        .take(MAX_FUZZY_TERMS)
        .cloned()
        .collect()
}

/// Removes which name terms the records `ids` of `type_name` had; returns them.
async fn forget_name_terms(
    db: &impl ConnectionTrait,
    type_name: &str,
    ids: &[i64],
) -> Result<Vec<String>> {
    let of_records = || {
        Expr::col(Alias::new("entity_type"))
            .eq(type_name)
            .and(Expr::col(Alias::new("entity_id")).is_in(ids.iter().copied()))
    };
    let select = Query::select()
        .distinct()
        .column(Alias::new("term"))
        .from(Alias::new(NAME_TERM))
        .and_where(of_records())
        .to_owned();
    let terms = column_of::<String>(db, &select, "term").await?;
    let delete = Query::delete()
        .from_table(Alias::new(NAME_TERM))
        .and_where(of_records())
        .to_owned();
    db.execute(&delete).await?;
    Ok(terms)
}

/// The values of the column `name` in the rows `select` reads.
async fn column_of<T: sea_orm::TryGetable>(
    db: &impl ConnectionTrait,
    select: &sea_orm::sea_query::SelectStatement,
    name: &str,
) -> Result<Vec<T>> {
    let rows = db.query_all(select).await?;
    Ok(rows
        .iter()
        .map(|row| row.try_get::<T>("", name))
        .collect::<std::result::Result<Vec<_>, _>>()?)
}

/// Deletes the typo keys of those of `terms` that no record has any more.
async fn drop_unused_keys(db: &impl ConnectionTrait, mut terms: Vec<String>) -> Result<()> {
    terms.sort_unstable();
    terms.dedup();
    for chunk in terms.chunks(CHUNK) {
        let still_used = Query::select()
            .column(Alias::new("term"))
            .from(Alias::new(NAME_TERM))
            .and_where(Expr::col(Alias::new("term")).is_in(chunk.iter().cloned()))
            .to_owned();
        let delete = Query::delete()
            .from_table(Alias::new(TERM_KEY))
            .and_where(Expr::col(Alias::new("term")).is_in(chunk.iter().cloned()))
            .and_where(Expr::col(Alias::new("term")).not_in_subquery(still_used))
            .to_owned();
        db.execute(&delete).await?;
    }
    Ok(())
}

/// The alias names of the owners `ids`, by owner.
async fn aliases_of(
    db: &impl ConnectionTrait,
    column: &str,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>> {
    let query = Query::select()
        .expr_as(Expr::col(Alias::new(column)), Alias::new("owner"))
        .column(Alias::new("name"))
        .from(Alias::new("alias"))
        .and_where(Expr::col(Alias::new(column)).is_in(ids.iter().copied()))
        .to_owned();
    let mut by_owner: HashMap<i64, Vec<String>> = HashMap::new();
    for row in db.query_all(&query).await? {
        let owner: i64 = row.try_get("", "owner")?;
        by_owner
            .entry(owner)
            .or_default()
            .push(row.try_get("", "name")?);
    }
    Ok(by_owner)
}

/// Every way of writing `term` with one letter left out.
pub(super) fn deletions(term: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = term.chars().collect();
    (0..chars.len()).map(move |skip| {
        chars
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, c)| c)
            .collect()
    })
}

/// Records which record has each fuzzy name term, and stores each term under itself
/// and its deletions (existing pairs stay).
async fn remember_terms(
    db: &impl ConnectionTrait,
    type_name: &str,
    terms: &[(String, i64)],
) -> Result<()> {
    for chunk in terms.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(NAME_TERM))
            .columns(["term", "entity_type", "entity_id"].map(Alias::new));
        for (term, id) in chunk {
            insert.values_panic([term.clone().into(), type_name.into(), (*id).into()]);
        }
        db.execute(&insert).await?;
    }
    let mut distinct: Vec<&str> = terms.iter().map(|(t, _)| t.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for term in distinct {
        pairs.extend(deletions(term).map(|key| (key, term.to_owned())));
        pairs.push((term.to_owned(), term.to_owned()));
    }
    pairs.sort_unstable();
    pairs.dedup();
    for chunk in pairs.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new(TERM_KEY))
            .columns([Alias::new("key"), Alias::new("term")])
            .on_conflict(
                OnConflict::columns([Alias::new("key"), Alias::new("term")])
                    .do_nothing()
                    .to_owned(),
            );
        for (key, term) in chunk {
            insert.values_panic([key.clone().into(), term.clone().into()]);
        }
        db.execute(&insert).await?;
    }
    Ok(())
}

/// Rebuilds every document from the records, a few thousand per transaction; used
/// after bulk loads that bypass the write path, and when a database predates search.
/// The old documents go in one statement first, so the rebuild only inserts.
pub async fn rebuild(db: &sea_orm::DatabaseConnection) -> Result<u64> {
    for table in ["search_document", NAME_TERM, TERM_KEY] {
        db.execute(&Query::delete().from_table(Alias::new(table)).to_owned())
            .await?;
    }
    Ok(rebuild_type::<Actor>(db).await?
        + rebuild_type::<Base>(db).await?
        + rebuild_type::<Asset>(db).await?
        + rebuild_type::<Source>(db).await?
        + rebuild_type::<Report>(db).await?
        + rebuild_type::<Event>(db).await?
        + rebuild_type::<Attestation>(db).await?)
}

/// Writes the documents of every record of `S`, in order of id, a transaction per
/// batch; returns how many.
async fn rebuild_type<S: Searchable>(db: &sea_orm::DatabaseConnection) -> Result<u64> {
    let (mut indexed, mut after) = (0, i64::MIN);
    loop {
        let query = Query::select()
            .column(Alias::new("id"))
            .from(Alias::new(S::Entity::default().table_name()))
            .and_where(Expr::col(Alias::new("id")).gt(after))
            .order_by(Alias::new("id"), sea_orm::Order::Asc)
            .limit(10 * CHUNK as u64)
            .to_owned();
        let ids = column_of::<i64>(db, &query, "id").await?;
        let Some(last) = ids.last() else {
            return Ok(indexed);
        };
        after = *last;
        let txn = db.begin().await?;
        index::<S>(&txn, &ids, false).await?;
        txn.commit().await?;
        indexed += ids.len() as u64;
    }
}

/// Whether the index is empty while there are records to find (a database that
/// predates search, or one filled by a bulk load).
pub async fn needs_rebuild(db: &sea_orm::DatabaseConnection) -> Result<bool> {
    let any = |table: &str| {
        Query::select()
            .expr(Expr::val(1))
            .from(Alias::new(table))
            .limit(1)
            .to_owned()
    };
    if db.query_one(&any("search_document")).await?.is_some() {
        return Ok(false);
    }
    for table in ["actor", "base", "asset", "source", "report", "event"] {
        if db.query_one(&any(table)).await?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}
