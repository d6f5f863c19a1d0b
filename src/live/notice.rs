//! One committed journal entry as subscribers receive it.
use crate::entity::{change, event, report};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// A journal entry, with the record it created when subscriptions show that record.
pub struct Notice {
    pub change: change::Model,
    pub event: Option<event::Model>,
    pub report: Option<report::Model>,
    /// Whether the record matches a subscription filter, by the filter's query: many
    /// subscribers with one filter cost one check.
    matches: Mutex<HashMap<String, Arc<OnceCell<bool>>>>,
}

impl Notice {
    pub fn new(
        change: change::Model,
        event: Option<event::Model>,
        report: Option<report::Model>,
    ) -> Self {
        Self {
            change,
            event,
            report,
            matches: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the filter known as `key` matches, running `check` once per key.
    pub async fn matches(&self, key: &str, check: impl Future<Output = bool>) -> bool {
        let cell = self
            .matches
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key.to_owned())
            .or_default()
            .clone();
        *cell.get_or_init(|| check).await
    }
}
