//! `garrison explain`: runs one GraphQL query and shows the database's plan for each
//! SQL statement it ran — how to check that a query uses its indexes (the tests do it
//! for `near` and `during`; `bench/` keeps the plans of its queries).
use crate::configuration::DatabaseSettings;
use crate::graphql::{SchemaOptions, build_schema};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One statement a query ran, and its plan, a line per step.
pub struct Explained {
    pub sql: String,
    /// The statement with its values written in (for pgbench scripts and the like).
    pub inlined: String,
    pub plan: Vec<String>,
}

/// Runs `query` against the database of `settings` and explains its statements.
pub async fn explain(settings: &DatabaseSettings, query: &str) -> anyhow::Result<Vec<Explained>> {
    let mut db = settings.connect(&Default::default()).await?;
    let ran: Arc<Mutex<Option<Vec<Statement>>>> = Arc::new(Mutex::new(Some(Vec::new())));
    let sink = ran.clone();
    db.set_metric_callback(move |info| {
        if let Ok(mut guard) = sink.lock()
            && let Some(statements) = guard.as_mut()
        {
            statements.push(info.statement.clone());
        }
    });
    let options = SchemaOptions {
        batch_window: Duration::from_millis(2),
        introspection: true,
        default_marking: Default::default(),
    };
    let response = build_schema(db.clone(), crate::live::idle(), options)
        .execute(query)
        .await;
    if !response.errors.is_empty() {
        let messages: Vec<String> = response.errors.iter().map(|e| e.message.clone()).collect();
        anyhow::bail!("the query failed: {}", messages.join("; "));
    }
    // Stop recording before the plans are asked for.
    let statements = ran
        .lock()
        .map(|mut g| g.take())
        .ok()
        .flatten()
        .unwrap_or_default();
    let backend = db.get_database_backend();
    let mut explained = Vec::new();
    for statement in statements {
        if !statement
            .sql
            .trim_start()
            .to_uppercase()
            .starts_with("SELECT")
        {
            continue;
        }
        let (prefix, column) = match backend {
            DatabaseBackend::Postgres => ("EXPLAIN", "QUERY PLAN"),
            _ => ("EXPLAIN QUERY PLAN", "detail"),
        };
        let sql = format!("{prefix} {}", statement.sql);
        let rows = db
            .query_all_raw(Statement {
                sql,
                ..statement.clone()
            })
            .await?;
        let plan = rows
            .iter()
            .map(|row| row.try_get::<String>("", column))
            .collect::<Result<Vec<_>, _>>()?;
        explained.push(Explained {
            inlined: statement.to_string(),
            sql: statement.sql,
            plan,
        });
    }
    Ok(explained)
}
