//! HTTP routes.
mod console;
mod download;
mod geojson;
mod graphql;
mod health_check;
mod metrics;
mod response_cache;
mod websocket;

pub use console::{asset, graphiql, map, unknown};
pub use download::{Exports, download};
pub use geojson::geojson;
pub use graphql::{GraphqlContext, HttpPolicy, graphql_http};
pub use health_check::{health_check, readiness};
pub use metrics::metrics;
pub use response_cache::ResponseCache;
pub use websocket::{Connections, PROTOCOL, WsContext, graphql_ws};
