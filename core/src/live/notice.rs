//! One committed journal entry as subscribers receive it.
use super::filters::{FilterHold, FilterRegistry};
use crate::entity::{change, event, report};
use crate::error::error_chain;
use sea_orm::DatabaseConnection;
use std::collections::HashSet;
use tokio::sync::OnceCell;

/// A journal entry, with the record it created when subscriptions show that record.
pub struct Notice {
    pub change: change::Model,
    pub event: Option<event::Model>,
    pub report: Option<report::Model>,
    /// The registered filters the event passes, found in one go the first time a
    /// subscriber asks.
    matched: OnceCell<HashSet<String>>,
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
            matched: OnceCell::new(),
        }
    }

    /// Whether the event created passes the filter `hold` stands for. Every filter
    /// registered is checked at once, the first time any subscriber asks; a filter
    /// is registered before its subscription receives anything, so it is among them.
    pub async fn passes(
        &self,
        hold: &FilterHold,
        filters: &FilterRegistry,
        db: &DatabaseConnection,
    ) -> bool {
        let Some(event) = &self.event else {
            return false;
        };
        let matched = self
            .matched
            .get_or_init(|| async {
                filters.matching(db, event.id).await.unwrap_or_else(|e| {
                    tracing::warn!(error = %error_chain(&e), "cannot check subscription filters");
                    HashSet::new()
                })
            })
            .await;
        matched.contains(hold.key())
    }
}
