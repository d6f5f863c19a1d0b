//! Search documents: what each record type contributes, and writing them.
use crate::entity::search::{document, name_term, term_key};
use crate::entity::{Stored, actor, alias, asset, attestation, base, event, report, source};
use crate::error::GarrisonError;
use crate::names::search_terms;
use crate::record::Record;
use crate::record::{Actor, Asset, Attestation, Base, Event, Report, Source};
use crate::write::Entry;
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use std::collections::{BTreeMap, HashMap};

type Result<T> = std::result::Result<T, GarrisonError>;

/// Records indexed per statement (well under SQLite's bound-parameter limit).
const CHUNK: usize = 400;
/// Name terms shorter than this get no typo tolerance (too many neighbours).
const MIN_FUZZY_LEN: usize = 4;
/// Name terms longer than this get no typo tolerance either: a term's keys are its
/// length plus one, so a 500-letter name with 100 such aliases wrote 50,601 keys.
const MAX_FUZZY_LEN: usize = 32;
/// Distinct name terms of one record that get typo keys (its name's first).
const MAX_FUZZY_TERMS: usize = 256;

/// A record type that search finds (its documents carry its `Record::TYPE`) and the
/// texts it contributes. The registry lists these types (`searched_records!`).
pub trait Searchable: Record {
    /// The alias table's column pointing at this type, for types with aliases.
    const ALIAS_COLUMN: Option<alias::Column> = None;
    /// Its names (weighted high; aliases join them) and its other text.
    fn texts(model: &Model<Self>) -> (Vec<&str>, Vec<&str>);
}

type Model<S> = <<S as Record>::Entity as EntityTrait>::Model;

fn some<'a>(texts: &[&'a Option<String>]) -> Vec<&'a str> {
    texts.iter().filter_map(|t| t.as_deref()).collect()
}

impl Searchable for Actor {
    const ALIAS_COLUMN: Option<alias::Column> = Some(alias::Column::ActorId);
    fn texts(m: &actor::Model) -> (Vec<&str>, Vec<&str>) {
        (vec![&m.name], some(&[&m.description]))
    }
}

impl Searchable for Base {
    const ALIAS_COLUMN: Option<alias::Column> = Some(alias::Column::BaseId);
    fn texts(m: &base::Model) -> (Vec<&str>, Vec<&str>) {
        (vec![&m.name], some(&[&m.region, &m.description]))
    }
}

impl Searchable for Asset {
    const ALIAS_COLUMN: Option<alias::Column> = Some(alias::Column::AssetId);
    fn texts(m: &asset::Model) -> (Vec<&str>, Vec<&str>) {
        let mut names = vec![m.name.as_str()];
        names.extend(m.model.as_deref());
        (names, some(&[&m.description]))
    }
}

impl Searchable for Source {
    const ALIAS_COLUMN: Option<alias::Column> = Some(alias::Column::SourceId);
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
    macro_rules! index_by_name {
        ($($record:ident),+) => {
            match type_name {
                $($record::TYPE => index::<$record>(db, ids, replace).await,)+
                _ => Ok(()),
            }
        };
    }
    crate::searched_records!(index_by_name)
}

/// Writes the documents of the records `ids` of `S`; with `replace`, their old ones go
/// first, so that gone records lose theirs.
async fn index<S: Searchable>(db: &impl ConnectionTrait, ids: &[i64], replace: bool) -> Result<()> {
    for chunk in ids.chunks(CHUNK) {
        let models = S::Entity::find()
            .filter(S::Entity::ID.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        let mut aliases = match S::ALIAS_COLUMN {
            Some(column) => aliases_of(db, column, chunk).await?,
            None => HashMap::new(),
        };
        // The terms the records had, whose keys may have to go once they are rewritten.
        let mut old = Vec::new();
        if replace {
            document::Entity::delete_many()
                .filter(document::Column::EntityType.eq(S::TYPE))
                .filter(document::Column::EntityId.is_in(chunk.iter().copied()))
                .exec(db)
                .await?;
            old = forget_name_terms(db, S::TYPE, chunk).await?;
        }
        if models.is_empty() {
            drop_unused_keys(db, old).await?;
            continue;
        }
        let mut insert = Query::insert();
        insert.into_table(document::Entity).columns([
            document::Column::EntityType,
            document::Column::EntityId,
            document::Column::Names,
            document::Column::Body,
        ]);
        let mut fuzzy = Vec::new();
        for model in &models {
            let id = S::Entity::id(model);
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
        Condition::all()
            .add(name_term::Column::EntityType.eq(type_name))
            .add(name_term::Column::EntityId.is_in(ids.iter().copied()))
    };
    let terms = name_term::Entity::find()
        .select_only()
        .distinct()
        .column(name_term::Column::Term)
        .filter(of_records())
        .into_tuple()
        .all(db)
        .await?;
    name_term::Entity::delete_many()
        .filter(of_records())
        .exec(db)
        .await?;
    Ok(terms)
}

/// Deletes the typo keys of those of `terms` that no record has any more.
async fn drop_unused_keys(db: &impl ConnectionTrait, mut terms: Vec<String>) -> Result<()> {
    terms.sort_unstable();
    terms.dedup();
    for chunk in terms.chunks(CHUNK) {
        let still_used = Query::select()
            .column(name_term::Column::Term)
            .from(name_term::Entity)
            .and_where(name_term::Column::Term.is_in(chunk.iter().cloned()))
            .to_owned();
        term_key::Entity::delete_many()
            .filter(term_key::Column::Term.is_in(chunk.iter().cloned()))
            .filter(term_key::Column::Term.not_in_subquery(still_used))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The alias names of the owners `ids` (whose alias column is `owner`), by owner.
async fn aliases_of(
    db: &impl ConnectionTrait,
    owner: alias::Column,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>> {
    let rows: Vec<(i64, String)> = alias::Entity::find()
        .select_only()
        .column(owner)
        .column(alias::Column::Name)
        .filter(owner.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_owner: HashMap<i64, Vec<String>> = HashMap::new();
    for (id, name) in rows {
        by_owner.entry(id).or_default().push(name);
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
        insert.into_table(name_term::Entity).columns([
            name_term::Column::Term,
            name_term::Column::EntityType,
            name_term::Column::EntityId,
        ]);
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
            .into_table(term_key::Entity)
            .columns([term_key::Column::Key, term_key::Column::Term])
            .on_conflict(
                OnConflict::columns([term_key::Column::Key, term_key::Column::Term])
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
    document::Entity::delete_many().exec(db).await?;
    name_term::Entity::delete_many().exec(db).await?;
    term_key::Entity::delete_many().exec(db).await?;
    macro_rules! rebuild_all {
        ($($record:ident),+) => {
            Ok(0 $(+ rebuild_type::<$record>(db).await?)+)
        };
    }
    crate::searched_records!(rebuild_all)
}

/// Writes the documents of every record of `S`, in order of id, a transaction per
/// batch; returns how many.
async fn rebuild_type<S: Searchable>(db: &sea_orm::DatabaseConnection) -> Result<u64> {
    let (mut indexed, mut after) = (0, i64::MIN);
    loop {
        let ids: Vec<i64> = S::Entity::find()
            .select_only()
            .column(S::Entity::ID)
            .filter(S::Entity::ID.gt(after))
            .order_by_asc(S::Entity::ID)
            .limit(10 * CHUNK as u64)
            .into_tuple()
            .all(db)
            .await?;
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
    if document::Entity::find().one(db).await?.is_some() {
        return Ok(false);
    }
    macro_rules! any_searched {
        ($($record:ident),+) => {
            Ok(false $(|| any::<$record>(db).await?)+)
        };
    }
    crate::searched_records!(any_searched)
}

/// Whether there is a record of `S`.
async fn any<S: Searchable>(db: &sea_orm::DatabaseConnection) -> Result<bool> {
    let first: Option<i64> = S::Entity::find()
        .select_only()
        .column(S::Entity::ID)
        .limit(1)
        .into_tuple()
        .one(db)
        .await?;
    Ok(first.is_some())
}
