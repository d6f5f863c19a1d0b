//! Logging through `tracing`: human-readable lines, or JSON objects (`--log-json`).
//! Every HTTP request runs in a span with its `request_id` (also the `x-request-id`
//! response header). Tokens, request bodies, documents and query strings are never
//! logged.
use actix_web::Error;
use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder};
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

/// The root span of every HTTP request: its method, its path (never the query string,
/// which holds a GET's document and variables), its request id and, once known, its
/// status.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.target = %request.path(),
            request_id = %request_id,
            http.status_code = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        if let Ok(response) = outcome {
            span.record("http.status_code", response.status().as_u16());
        }
    }
}

/// Logs a panic by where it happened only: a panic's message can quote whatever it
/// was handling (a request's document, once), and no request content may reach a log.
pub fn log_panics_without_payload() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(%location, "a task panicked; its message is not logged");
    }));
}
