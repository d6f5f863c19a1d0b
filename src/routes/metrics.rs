use super::Connections;
use crate::database::StatementCounter;
use actix_web::{HttpResponse, web};

/// `/metrics`, in the Prometheus text format.
pub async fn metrics(
    counter: web::Data<StatementCounter>,
    connections: web::Data<Connections>,
) -> HttpResponse {
    let body = format!(
        "# HELP garrison_sql_statements_total SQL statements run since start.\n\
         # TYPE garrison_sql_statements_total counter\n\
         garrison_sql_statements_total {}\n\
         # HELP garrison_websocket_connections Open WebSocket (subscription) connections.\n\
         # TYPE garrison_websocket_connections gauge\n\
         garrison_websocket_connections {}\n",
        counter.get(),
        connections.open()
    );
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}
