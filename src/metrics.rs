//! Prometheus metrics: requests and their latency by operation, errors by code, and,
//! read when scraped, SQL statements, database pool use and open subscriptions.
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use std::collections::HashSet;
use std::sync::Mutex;

pub struct Metrics {
    registry: Registry,
    labels: OperationLabels,
    requests: IntCounterVec,
    latency: HistogramVec,
    errors: IntCounterVec,
    sql_statements: IntGauge,
    pool: IntGaugeVec,
    websockets: IntGauge,
    subscriptions: IntGauge,
    persisted_query_bytes: IntGauge,
}

/// What is read off the running server when scraped.
pub struct Snapshot {
    pub sql_statements: u64,
    pub pool_size: u32,
    pub pool_idle: u32,
    pub websockets: usize,
    pub subscriptions: usize,
    /// The documents of automatic persisted queries held.
    pub persisted_query_bytes: usize,
}

/// Distinct operation names that get a label of their own; later ones count as
/// `other`, so that clients cannot grow the metrics without bound.
const MAX_OPERATION_LABELS: usize = 100;

/// What a request is counted under.
#[derive(Clone, Copy, Debug)]
pub enum Operation<'a> {
    /// Refused before any operation ran (unparseable, over a limit, unauthenticated).
    Refused,
    /// An operation ran (or was answered from the cache), named or not.
    Ran(Option<&'a str>),
}

/// The operation names seen so far that have labels of their own.
#[derive(Default)]
struct OperationLabels(Mutex<HashSet<String>>);

impl OperationLabels {
    /// The label of `operation`: at most 64 characters of `[A-Za-z0-9_]` of a name
    /// that ran, while fewer than [`MAX_OPERATION_LABELS`] names have one.
    fn of(&self, operation: Operation<'_>) -> String {
        let name = match operation {
            Operation::Refused => return "refused".to_owned(),
            Operation::Ran(None) => return "anonymous".to_owned(),
            Operation::Ran(Some(name)) => name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(64)
                .collect::<String>(),
        };
        if name.is_empty() {
            return "anonymous".to_owned();
        }
        let mut known = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if known.contains(&name) {
            return name;
        }
        if known.len() >= MAX_OPERATION_LABELS {
            return "other".to_owned();
        }
        known.insert(name.clone());
        name
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "garrison_graphql_requests_total",
                "GraphQL requests over HTTP.",
            ),
            &["operation", "status"],
        )
        .expect("metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "garrison_graphql_request_duration_seconds",
                "Time to answer a GraphQL request over HTTP.",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["operation"],
        )
        .expect("metric");
        let errors = IntCounterVec::new(
            Opts::new(
                "garrison_graphql_errors_total",
                "GraphQL errors sent, by extensions.code.",
            ),
            &["code"],
        )
        .expect("metric");
        let sql_statements = IntGauge::new(
            "garrison_sql_statements_total",
            "SQL statements run since start.",
        )
        .expect("metric");
        let pool = IntGaugeVec::new(
            Opts::new(
                "garrison_db_pool_connections",
                "Database pool connections by state.",
            ),
            &["state"],
        )
        .expect("metric");
        let websockets = IntGauge::new(
            "garrison_websocket_connections",
            "Open WebSocket connections.",
        )
        .expect("metric");
        let subscriptions =
            IntGauge::new("garrison_subscriptions", "Active subscriptions.").expect("metric");
        let persisted_query_bytes = IntGauge::new(
            "garrison_persisted_query_bytes",
            "Bytes of the automatic persisted queries held.",
        )
        .expect("metric");
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(errors.clone()),
            Box::new(sql_statements.clone()),
            Box::new(pool.clone()),
            Box::new(websockets.clone()),
            Box::new(subscriptions.clone()),
            Box::new(persisted_query_bytes.clone()),
        ] {
            registry.register(collector).expect("unique metric");
        }
        Self {
            registry,
            labels: OperationLabels::default(),
            requests,
            latency,
            errors,
            sql_statements,
            pool,
            websockets,
            subscriptions,
            persisted_query_bytes,
        }
    }

    /// Records one answered request.
    pub fn observe<'c>(
        &self,
        operation: Operation<'_>,
        status: u16,
        seconds: f64,
        codes: impl IntoIterator<Item = &'c str>,
    ) {
        let operation = self.labels.of(operation);
        self.requests
            .with_label_values(&[operation.as_str(), &status.to_string()])
            .inc();
        self.latency
            .with_label_values(&[operation.as_str()])
            .observe(seconds);
        for code in codes {
            self.errors.with_label_values(&[code]).inc();
        }
    }

    /// The text exposition format, with the gauges read off `now`.
    pub fn render(&self, now: Snapshot) -> String {
        self.sql_statements.set(now.sql_statements as i64);
        self.pool
            .with_label_values(&["idle"])
            .set(now.pool_idle as i64);
        self.pool
            .with_label_values(&["in_use"])
            .set(now.pool_size.saturating_sub(now.pool_idle) as i64);
        self.websockets.set(now.websockets as i64);
        self.subscriptions.set(now.subscriptions as i64);
        self.persisted_query_bytes
            .set(now.persisted_query_bytes as i64);
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_labels_are_bounded() {
        let labels = OperationLabels::default();
        for i in 0..1_000 {
            let name = format!("Op{i}");
            let label = labels.of(Operation::Ran(Some(&name)));
            assert_eq!(
                label,
                if i < MAX_OPERATION_LABELS {
                    name
                } else {
                    "other".into()
                }
            );
        }
        assert_eq!(labels.of(Operation::Ran(Some("Op5"))), "Op5");
        assert_eq!(labels.of(Operation::Refused), "refused");
        assert_eq!(labels.of(Operation::Ran(Some("!!"))), "anonymous");
    }
}
