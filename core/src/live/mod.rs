//! Live updates: committed writes fanned out to subscribers.
//!
//! The change journal is the source of truth. After a write commits, the fan-out task
//! reads the journal entries it has not yet seen and broadcasts them to every
//! subscription of this process. It wakes when this process commits, when PostgreSQL
//! NOTIFYs that any replica committed (the NOTIFY is part of the writing transaction,
//! so a rolled-back write never wakes anyone), and, while anyone is subscribed, on a
//! slow poll that also catches writes of other processes on SQLite. A write that was
//! rolled back has no journal entries, so it is never emitted.
mod fanout;
mod filters;
mod notice;

pub use fanout::{idle, start};
pub use filters::{FilterHold, FilterQuota, FilterRegistry};
pub use notice::Notice;

use std::sync::Arc;
use tokio::sync::{Notify, broadcast};

/// The channel PostgreSQL NOTIFYs on after every write.
pub const CHANNEL: &str = "garrison_changes";

/// The handle subscriptions receive from and writers wake.
#[derive(Clone)]
pub struct ChangeFeed {
    sender: broadcast::Sender<Arc<Notice>>,
    wake: Arc<Notify>,
    /// The filters of event subscriptions.
    pub filters: Arc<FilterRegistry>,
}

impl ChangeFeed {
    /// Journal entries committed from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Notice>> {
        let receiver = self.sender.subscribe();
        // The fan-out may be idle; from now on it has someone to serve.
        self.wake.notify_one();
        receiver
    }

    /// Live subscription streams.
    pub fn subscriptions(&self) -> usize {
        self.sender.receiver_count()
    }

    /// Tells the fan-out that this process has committed a write.
    pub fn committed(&self) {
        self.wake.notify_one();
    }
}

/// Raised by a subscription that fell too far behind; its connection closes.
#[derive(Clone, Default)]
pub struct TooSlow(Arc<Notify>);

impl TooSlow {
    pub fn raise(&self) {
        self.0.notify_one();
    }

    /// Waits until a subscription raises it.
    pub async fn raised(&self) {
        self.0.notified().await
    }
}
