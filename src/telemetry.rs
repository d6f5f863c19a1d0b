//! Logging through `tracing`: human-readable lines, or JSON objects (`--log-json`).
//! Every HTTP request runs in a span with its `request_id` (also the `x-request-id`
//! response header). Tokens and request bodies are never logged.
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Installs a subscriber that writes to `sink`, filtered by `RUST_LOG` or else
/// `default_filter`. Safe to call more than once (later calls do nothing).
pub fn init<W>(default_filter: &str, json: bool, sink: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(sink);
    let _ = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .try_init()
    } else {
        builder.try_init()
    };
}
