//! Column shapes shared by many tables, so that every table spells them the same way.
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// What `ON DELETE` does to rows that reference a deleted row.
#[derive(Clone, Copy)]
pub enum OnDelete {
    /// The referencing row goes too (aliases, participants, attestations of a claim).
    Cascade,
    /// The delete is refused while references exist.
    Restrict,
    /// The reference is cleared (an actor's parent).
    SetNull,
}

/// A table with the columns every stored entity has: a surrogate id, an optional
/// stable external key (used by bundle imports), an optimistic-concurrency version and
/// the two system timestamps.
pub fn entity_table(name: &'static str) -> TableCreateStatement {
    Table::create()
        .table(Alias::new(name))
        .if_not_exists()
        .col(big_pk_auto(Alias::new("id")))
        .col(text_null(Alias::new("key")).unique_key())
        .col(integer(Alias::new("version")).default(1))
        .col(timestamp_with_time_zone(Alias::new("created_at")))
        .col(timestamp_with_time_zone(Alias::new("updated_at")))
        .to_owned()
}

/// A fuzzy (EDTF) date: its text plus the earliest and latest instant it can mean, in
/// seconds since the Unix epoch. An unknown or open end is NULL.
pub fn fuzzy_date(table: &mut TableCreateStatement, name: &str) {
    table
        .col(text_null(Alias::new(name)))
        .col(big_integer_null(Alias::new(format!("{name}_lo"))))
        .col(big_integer_null(Alias::new(format!("{name}_hi"))));
}

/// A displayed name with its folded matching key (see `garrison::names::fold`).
pub fn named(table: &mut TableCreateStatement, name: &str) {
    table
        .col(text(Alias::new(name)))
        .col(text(Alias::new(format!("{name}_key"))));
}

/// A column referencing `target.id`, with its foreign key.
pub fn reference(
    table: &mut TableCreateStatement,
    own: &'static str,
    column: &'static str,
    target: &'static str,
    nullable: bool,
    on_delete: OnDelete,
) {
    let col = if nullable {
        big_integer_null(Alias::new(column))
    } else {
        big_integer(Alias::new(column))
    };
    let action = match on_delete {
        OnDelete::Cascade => ForeignKeyAction::Cascade,
        OnDelete::Restrict => ForeignKeyAction::Restrict,
        OnDelete::SetNull => ForeignKeyAction::SetNull,
    };
    table.col(col).foreign_key(
        ForeignKey::create()
            .name(format!("fk-{own}-{column}"))
            .from(Alias::new(own), Alias::new(column))
            .to(Alias::new(target), Alias::new("id"))
            .on_delete(action)
            .on_update(ForeignKeyAction::Cascade),
    );
}

/// `CHECK` that exactly one of `columns` is set.
pub fn exactly_one_of(table: &mut TableCreateStatement, columns: &[&'static str]) {
    let set = columns
        .iter()
        .map(|c| format!("(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)"))
        .collect::<Vec<_>>()
        .join(" + ");
    table.check(Expr::cust(format!("{set} = 1")));
}

/// Creates a plain index on `columns` of `table`, named `idx-<table>-<columns>`.
pub async fn index(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&str],
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index
        .name(format!("idx-{table}-{}", columns.join("-")))
        .table(Alias::new(table))
        .if_not_exists();
    for column in columns {
        index.col(Alias::new(*column));
    }
    manager.create_index(index.to_owned()).await
}

/// Creates a unique index on `columns` of `table`, named `uq-<table>-<columns>`.
pub async fn unique(
    manager: &SchemaManager<'_>,
    table: &'static str,
    columns: &[&str],
) -> Result<(), DbErr> {
    let mut index = Index::create();
    index
        .name(format!("uq-{table}-{}", columns.join("-")))
        .table(Alias::new(table))
        .unique()
        .if_not_exists();
    for column in columns {
        index.col(Alias::new(*column));
    }
    manager.create_index(index.to_owned()).await
}

/// Drops `table` on the way down.
pub async fn drop(manager: &SchemaManager<'_>, table: &'static str) -> Result<(), DbErr> {
    manager
        .drop_table(Table::drop().table(Alias::new(table)).to_owned())
        .await
}
