//! Building and running the application: connect, migrate, seed, bind, serve.
use crate::bundle::{self, Bundle};
use crate::configuration::Settings;
use crate::database::{self, StatementCounter};
use crate::graphql::{SchemaOptions, build_schema};
use crate::{live, routes};
use actix_web::dev::Server;
use actix_web::guard::{self, GuardContext};
use actix_web::http::header;
use actix_web::{App, HttpServer, web};
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;
use std::net::TcpListener;
use std::time::Duration;

pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
}

impl Application {
    /// Connects, applies pending migrations, seeds an empty database (unless told not
    /// to) and binds the listener. The server starts with `run_until_stopped`.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let counter = StatementCounter::default();
        let db = database::connect(&settings.database, &counter).await?;
        Migrator::up(&db, None).await?;
        if !settings.server.no_seed && bundle::is_empty(&db).await? {
            let summary = bundle::import(&db, &Bundle::from_json(bundle::SEED)?, "seed").await?;
            tracing::info!(%summary, "seeded an empty database");
        }
        let feed = live::start(db.clone(), Duration::from_millis(settings.live.poll_ms));
        let limits = settings.limits.limits();
        let options = SchemaOptions {
            batch_window: Duration::from_millis(settings.server.batch_window_ms),
            limits,
            introspection: !settings.limits.no_introspection,
            apq_cache: settings.limits.apq_cache,
        };
        let schema = build_schema(db.clone(), feed, options);
        let listener = TcpListener::bind(&settings.server.bind)?;
        let port = listener.local_addr()?.port();
        tracing::info!(address = %listener.local_addr()?, "listening");
        let http = routes::GraphqlContext {
            schema: schema.clone(),
            db: db.clone(),
            policy: routes::HttpPolicy {
                require_token: settings.server.require_token,
                limits,
                max_body_bytes: settings.limits.max_body_bytes,
                request_timeout: Duration::from_millis(settings.limits.request_timeout_ms),
                batching: settings.limits.batching,
            },
        };
        let websocket = routes::WsContext {
            schema: schema.clone(),
            db: db.clone(),
            require_token: settings.server.require_token,
            limits,
            settings: settings.live.clone(),
            connections: routes::Connections::default(),
        };
        let server = run(listener, http, websocket, counter, settings.server.workers)?;
        Ok(Self { port, server, db })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
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

fn run(
    listener: TcpListener,
    http: routes::GraphqlContext,
    websocket: routes::WsContext,
    counter: StatementCounter,
    workers: Option<usize>,
) -> std::io::Result<Server> {
    let connections = web::Data::new(websocket.connections.clone());
    let http = web::Data::new(http);
    let websocket = web::Data::new(websocket);
    let counter = web::Data::new(counter);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(http.clone())
            .app_data(counter.clone())
            .app_data(websocket.clone())
            .app_data(connections.clone())
            .route("/", web::get().to(routes::graphiql))
            .route(
                "/graphql",
                web::get()
                    .guard(guard::fn_guard(upgrade))
                    .to(routes::graphql_ws),
            )
            .route("/graphql", web::to(routes::graphql_http))
            .route("/healthz", web::get().to(routes::health_check))
            .route("/metrics", web::get().to(routes::metrics))
    })
    .listen(listener)?;
    if let Some(workers) = workers {
        server = server.workers(workers);
    }
    Ok(server.run())
}
