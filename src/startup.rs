//! Building and running the application: connect, migrate, seed, bind, serve, stop.
use crate::configuration::Settings;
use crate::database::StatementCounter;
use crate::graphql::gateway::Gateway;
use crate::graphql::persisted::PersistedQueries;
use crate::graphql::{SchemaOptions, build_schema};
use crate::live::ChangeFeed;
use crate::metrics::Metrics;
use crate::setup;
use crate::telemetry::RequestSpan;
use crate::{live, routes};
use actix_web::dev::{Server, ServerHandle, Service};
use actix_web::guard::{self, GuardContext};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{App, HttpMessage, HttpServer, web};
use sea_orm::DatabaseConnection;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tracing_actix_web::{RequestId, TracingLogger};

pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
    stopper: Stopper,
}

/// Stops a running application gracefully: WebSockets get a close frame (1001), the
/// listener stops accepting, and requests in flight (with their transactions) finish
/// and are answered.
#[derive(Clone)]
pub struct Stopper {
    server: ServerHandle,
    websockets: Arc<watch::Sender<bool>>,
}

impl Stopper {
    pub async fn stop(&self) {
        let _ = self.websockets.send(true);
        self.server.stop(true).await;
    }
}

impl Application {
    /// Connects, applies pending migrations, seeds an empty database (unless told not
    /// to) and binds the listener. The server starts with `run_until_stopped`.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let counter = StatementCounter::default();
        let db = settings.database.connect(&counter).await?;
        let prepared =
            setup::prepare(&db, &settings.database.url, !settings.server.no_seed).await?;
        if let Some(summary) = prepared.seeded {
            tracing::info!(%summary, "seeded an empty database");
        }
        if prepared.settled > 0 {
            tracing::info!(
                rows = prepared.settled,
                "worked out the visibility of records"
            );
        }
        if let Some(indexed) = prepared.indexed {
            tracing::info!(indexed, "built the search index");
        }
        let feed = live::start(
            db.clone(),
            Duration::from_millis(settings.live.poll_ms),
            settings.live.max_filters_total,
        );
        let limits = settings.limits.limits();
        let options = SchemaOptions {
            batch_window: Duration::from_millis(settings.server.batch_window_ms),
            introspection: !settings.limits.no_introspection,
            default_marking: settings.server.default_marking,
        };
        let schema = build_schema(db.clone(), feed.clone(), options);
        let persisted = PersistedQueries::new(
            settings.limits.apq_cache,
            settings.limits.apq_cache_kb * 1024,
        );
        let gateway = Arc::new(Gateway::new(
            schema,
            limits,
            persisted,
            settings.limits.max_concurrent_cost,
        ));
        let listener = TcpListener::bind(&settings.server.bind)?;
        let port = listener.local_addr()?.port();
        tracing::info!(address = %listener.local_addr()?, "listening");
        let metrics = Arc::new(Metrics::new());
        let http = routes::GraphqlContext {
            gateway: gateway.clone(),
            json_values: tokio::sync::Semaphore::new(settings.limits.max_json_values),
            body_bytes: tokio::sync::Semaphore::new(
                (settings.limits.max_body_memory_mb * 1024 * 1024)
                    .max(settings.limits.max_body_bytes),
            ),
            cache: routes::ResponseCache::new(
                db.clone(),
                settings.limits.response_cache_mb * 1024 * 1024,
            ),
            db: db.clone(),
            policy: routes::HttpPolicy {
                require_token: settings.server.require_token,
                anonymous_clearance: settings.server.anonymous_clearance,
                max_body_bytes: settings.limits.max_body_bytes,
                request_timeout: Duration::from_millis(settings.limits.request_timeout_ms),
                body_timeout: Duration::from_millis(settings.limits.body_timeout_ms),
                batching: settings.limits.batching,
                max_batch_size: settings.limits.max_batch_size,
                max_json_values: settings.limits.max_json_values,
            },
            metrics: metrics.clone(),
        };
        let (websockets, shutdown) = watch::channel(false);
        let websocket = routes::WsContext {
            gateway,
            db: db.clone(),
            require_token: settings.server.require_token,
            anonymous_clearance: settings.server.anonymous_clearance,
            request_timeout: Duration::from_millis(settings.limits.request_timeout_ms),
            settings: settings.live.clone(),
            connections: routes::Connections::default(),
            shutdown,
        };
        let parts = Parts {
            http,
            websocket,
            counter,
            metrics,
            feed,
        };
        let server = run(listener, parts, &settings)?;
        let stopper = Stopper {
            server: server.handle(),
            websockets: Arc::new(websockets),
        };
        Ok(Self {
            port,
            server,
            db,
            stopper,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// A handle that stops the server gracefully (what `main` calls on SIGTERM/SIGINT).
    pub fn stopper(&self) -> Stopper {
        self.stopper.clone()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Whether a request asks to upgrade to a WebSocket.
fn upgrade(ctx: &GuardContext<'_>) -> bool {
    ctx.head()
        .headers()
        .get(header::UPGRADE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"))
}

/// What the routes share.
struct Parts {
    http: routes::GraphqlContext,
    websocket: routes::WsContext,
    counter: StatementCounter,
    metrics: Arc<Metrics>,
    feed: ChangeFeed,
}

fn run(listener: TcpListener, parts: Parts, settings: &Settings) -> std::io::Result<Server> {
    let db = web::Data::new(parts.http.db.clone());
    let connections = web::Data::new(parts.websocket.connections.clone());
    let http = web::Data::new(parts.http);
    let websocket = web::Data::new(parts.websocket);
    let counter = web::Data::new(parts.counter);
    let metrics = web::Data::from(parts.metrics);
    let feed = web::Data::new(parts.feed);
    let exports = web::Data::new(routes::Exports::default());
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(http.clone())
            .app_data(exports.clone())
            .app_data(db.clone())
            .app_data(counter.clone())
            .app_data(websocket.clone())
            .app_data(connections.clone())
            .app_data(metrics.clone())
            .app_data(feed.clone())
            // Every response names its request, as the logs do.
            .wrap_fn(|req, srv| {
                let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
                let response = srv.call(req);
                async move {
                    let mut response = response.await?;
                    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                        response
                            .headers_mut()
                            .insert(header::HeaderName::from_static("x-request-id"), value);
                    }
                    Ok(response)
                }
            })
            .wrap(TracingLogger::<RequestSpan>::new())
            .route("/", web::get().to(routes::graphiql))
            .route("/map", web::get().to(routes::map))
            .route("/assets/{path:.*}", web::get().to(routes::asset))
            .route(
                "/graphql",
                web::get()
                    .guard(guard::fn_guard(upgrade))
                    .to(routes::graphql_ws),
            )
            .route("/graphql", web::to(routes::graphql_http))
            .route("/geojson/{collection}", web::get().to(routes::geojson))
            .route("/export/{format}", web::get().to(routes::download))
            .route("/healthz", web::get().to(routes::health_check))
            .route("/readyz", web::get().to(routes::readiness))
            .route("/metrics", web::get().to(routes::metrics))
            .default_service(web::to(routes::unknown))
    })
    .disable_signals()
    .shutdown_timeout(settings.server.shutdown_timeout_secs)
    .listen(listener)?;
    if let Some(workers) = settings.server.workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}
