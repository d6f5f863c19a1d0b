use super::{Connections, GraphqlContext};
use crate::database::StatementCounter;
use crate::live::ChangeFeed;
use crate::metrics::{Metrics, Snapshot};
use actix_web::{HttpResponse, web};
use sea_orm::{DatabaseBackend, DatabaseConnection};

/// The pool's size and idle connections.
fn pool_use(db: &DatabaseConnection) -> (u32, u32) {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle() as u32)
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle() as u32)
        }
    }
}

/// `/metrics`, in the Prometheus text format.
pub async fn metrics(
    metrics: web::Data<Metrics>,
    counter: web::Data<StatementCounter>,
    connections: web::Data<Connections>,
    feed: web::Data<ChangeFeed>,
    db: web::Data<DatabaseConnection>,
    http: web::Data<GraphqlContext>,
) -> HttpResponse {
    let (pool_size, pool_idle) = pool_use(&db);
    let body = metrics.render(Snapshot {
        sql_statements: counter.get(),
        pool_size,
        pool_idle,
        websockets: connections.open(),
        subscriptions: feed.subscriptions(),
        persisted_query_bytes: http.gateway.persisted_bytes(),
    });
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}
