//! GraphQL over HTTP, after the GraphQL Foundation's specification: GET for queries,
//! POST with `application/json`, content negotiation between
//! `application/graphql-response+json` and `application/json` with the status codes
//! each implies, and every malformed request answered with a JSON error, never a 5xx.
use crate::auth;
use crate::error::{ApiError, GarrisonError, code};
use crate::graphql::AppSchema;
use crate::graphql::limits::Limits;
use crate::metrics::Metrics;
use actix_web::http::header::{self, ContentType};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use async_graphql::http::GraphiQLSource;
use async_graphql::parser::types::OperationType;
use futures_util::StreamExt;
use sea_orm::DatabaseConnection;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// How `/graphql` treats requests.
#[derive(Clone, Debug)]
pub struct HttpPolicy {
    /// Whether reads need a token too.
    pub require_token: bool,
    pub limits: Limits,
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    /// Whether a POST body may be an array of requests.
    pub batching: bool,
    /// Permits to execute (see `--max-concurrent-requests`).
    pub executions: Arc<tokio::sync::Semaphore>,
}

/// The response media type the client accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Media {
    GraphqlResponseJson,
    Json,
}

impl Media {
    fn content_type(self) -> &'static str {
        match self {
            Self::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the media type by `Accept` (with q-values). No header means
/// `application/json`; a wildcard gets `application/json`, the legacy default; `None`
/// when nothing acceptable is offered.
fn negotiate(accept: Option<&str>) -> Option<Media> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return Some(Media::Json);
    };
    let mut best: Option<(f32, u8, Media)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media_type = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let (specificity, media) = match media_type.as_str() {
            GRAPHQL_RESPONSE_JSON => (2, Media::GraphqlResponseJson),
            "application/json" => (1, Media::Json),
            "application/*" | "*/*" => (0, Media::Json),
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(bq, bs, _)| (q, specificity) > (bq, bs)) {
            best = Some((q, specificity, media));
        }
    }
    best.map(|(_, _, media)| media)
}

/// What `/graphql` answers, before it becomes an HTTP response.
pub(super) struct Reply {
    status: StatusCode,
    media: Media,
    body: Value,
    /// For 405: the methods that are allowed.
    allow: Option<&'static str>,
    operation: Option<String>,
}

impl Reply {
    fn new(status: StatusCode, media: Media, body: Value) -> Self {
        Self {
            status,
            media,
            body,
            allow: None,
            operation: None,
        }
    }

    /// One error with `code`.
    fn refuse(status: StatusCode, media: Media, message: &str, error_code: &str) -> Self {
        let body =
            json!({ "errors": [{ "message": message, "extensions": { "code": error_code } }] });
        Self::new(status, media, body)
    }

    fn bad_request(media: Media, message: &str) -> Self {
        Self::refuse(
            StatusCode::BAD_REQUEST,
            media,
            message,
            code::BAD_USER_INPUT,
        )
    }

    /// 405, with the methods that are allowed.
    fn not_allowed(media: Media, message: &str, allow: &'static str) -> Self {
        Self {
            allow: Some(allow),
            ..Self::refuse(
                StatusCode::METHOD_NOT_ALLOWED,
                media,
                message,
                code::BAD_USER_INPUT,
            )
        }
    }

    /// The `extensions.code` of every error in the body (of every response of a batch).
    fn codes(&self) -> Vec<&str> {
        let bodies = match &self.body {
            Value::Array(items) => items.iter().collect(),
            single => vec![single],
        };
        bodies
            .into_iter()
            .filter_map(|b| b.get("errors")?.as_array())
            .flatten()
            .filter_map(|e| e.pointer("/extensions/code")?.as_str())
            .collect()
    }

    pub(super) fn into_response(self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.content_type(self.media.content_type());
        if let Some(allow) = self.allow {
            response.insert_header((header::ALLOW, allow));
        }
        response.json(self.body)
    }
}

/// Marks, in a request's data, that execution began: a response without it is a
/// request error (unparseable, invalid, no operation), which
/// `application/graphql-response+json` answers with 400.
#[derive(Clone, Default)]
struct ExecutionStarted(Arc<AtomicBool>);

pub struct ExecutionMarker;

impl ExtensionFactory for ExecutionMarker {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ExecutionMarker)
    }
}

#[async_trait::async_trait]
impl Extension for ExecutionMarker {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> async_graphql::Response {
        if let Some(started) = ctx.data_opt::<ExecutionStarted>() {
            started.0.store(true, Ordering::Relaxed);
        }
        next.run(ctx, operation_name).await
    }
}

/// The parameters of one request, each checked for its type.
fn request_from(params: Map<String, Value>) -> Result<async_graphql::Request, String> {
    fn object(params: &Map<String, Value>, key: &str) -> Result<Option<Value>, String> {
        match params.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(v.clone())),
            Some(_) => Err(format!("\"{key}\" must be a JSON object")),
        }
    }
    let extensions = object(&params, "extensions")?;
    let variables = object(&params, "variables")?;
    let persisted = extensions
        .as_ref()
        .is_some_and(|e| e.get("persistedQuery").is_some());
    let query = match params.get("query") {
        Some(Value::String(q)) => q.clone(),
        None | Some(Value::Null) if persisted => String::new(),
        None | Some(Value::Null) => return Err("\"query\" is required".into()),
        Some(_) => return Err("\"query\" must be a string".into()),
    };
    let mut request = async_graphql::Request::new(query);
    match params.get("operationName") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => request = request.operation_name(name.clone()),
        Some(_) => return Err("\"operationName\" must be a string".into()),
    }
    if let Some(variables) = variables {
        request = request.variables(async_graphql::Variables::from_json(variables));
    }
    if let Some(Value::Object(extensions)) = extensions {
        for (key, value) in extensions {
            let value = async_graphql::Value::from_json(value).map_err(|e| e.to_string())?;
            request.extensions.insert(key, value);
        }
    }
    Ok(request)
}

/// Whether the operation `request` would run is a mutation (refused over GET). The
/// parsed document stays in the request.
fn is_mutation(request: &mut async_graphql::Request) -> bool {
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    let operation = match &name {
        Some(name) => document
            .operations
            .iter()
            .find(|(n, _)| n.map(|n| n.as_str()) == Some(name.as_str())),
        None => document.operations.iter().next(),
    };
    operation.is_some_and(|(_, op)| op.node.ty == OperationType::Mutation)
}

/// Everything a request needs from the application.
pub struct GraphqlContext {
    pub schema: AppSchema,
    pub db: DatabaseConnection,
    pub policy: HttpPolicy,
    pub metrics: Arc<Metrics>,
}

/// Executes one request and serialises its response; the status follows the media type.
async fn execute(
    context: &GraphqlContext,
    principal: Option<&auth::Principal>,
    media: Media,
    mut request: async_graphql::Request,
) -> Reply {
    let (operation, checked) = match context.policy.limits.check_request(&mut request) {
        Ok(named) => (request.operation_name.clone().or(named), Ok(())),
        Err(e) => (request.operation_name.clone(), Err(e)),
    };
    let (status, body) = match checked {
        Ok(()) => run(context, principal, media, request).await,
        Err(e) => {
            let error =
                async_graphql::Error::from(ApiError::from(e)).into_server_error(Default::default());
            let status = match media {
                Media::GraphqlResponseJson => StatusCode::BAD_REQUEST,
                Media::Json => StatusCode::OK,
            };
            (status, json!({ "errors": [error] }))
        }
    };
    Reply {
        operation,
        ..Reply::new(status, media, body)
    }
}

/// Runs a request within the time limit.
pub(super) async fn run(
    context: &GraphqlContext,
    principal: Option<&auth::Principal>,
    media: Media,
    mut request: async_graphql::Request,
) -> (StatusCode, Value) {
    let policy = &context.policy;
    let started = ExecutionStarted::default();
    request = request.data(started.clone());
    if let Some(principal) = principal {
        request = request.data(principal.clone());
    }
    let execution = async {
        // The semaphore is never closed, so a permit always comes.
        let _permit = policy.executions.acquire().await;
        context.schema.execute(request).await
    };
    let response = match tokio::time::timeout(policy.request_timeout, execution).await {
        Ok(response) => response,
        Err(_) => {
            let millis = policy.request_timeout.as_millis() as u64;
            let error = async_graphql::Error::from(ApiError::from(GarrisonError::Timeout(millis)))
                .into_server_error(Default::default());
            let status = match media {
                Media::GraphqlResponseJson => StatusCode::SERVICE_UNAVAILABLE,
                Media::Json => StatusCode::OK,
            };
            return (status, json!({ "errors": [error] }));
        }
    };
    let executed = started.0.load(Ordering::Relaxed);
    let mut body = serde_json::to_value(&response).unwrap_or_else(|_| json!({}));
    if !executed && let Value::Object(map) = &mut body {
        map.remove("data");
    }
    let status = match media {
        Media::GraphqlResponseJson if !executed => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    (status, body)
}

/// The caller, or the response refusing it.
pub(super) async fn caller(
    context: &GraphqlContext,
    http: &HttpRequest,
    media: Media,
) -> Result<Option<auth::Principal>, Reply> {
    let header = http
        .headers()
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or_default());
    auth::caller(&context.db, header, context.policy.require_token)
        .await
        .map_err(|e| {
            let error =
                async_graphql::Error::from(ApiError::from(e)).into_server_error(Default::default());
            let status = match media {
                Media::GraphqlResponseJson => StatusCode::UNAUTHORIZED,
                Media::Json => StatusCode::OK,
            };
            Reply::new(status, media, json!({ "errors": [error] }))
        })
}

/// Reads the body up to the limit.
async fn read_body(mut payload: web::Payload, limit: usize) -> Result<web::BytesMut, ()> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ())?;
        if body.len() + chunk.len() > limit {
            return Err(());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `POST /graphql` and `GET /graphql?query=…`; any other method is 405.
pub async fn graphql_http(
    http: HttpRequest,
    payload: web::Payload,
    context: web::Data<GraphqlContext>,
) -> HttpResponse {
    let started = std::time::Instant::now();
    let reply = handle(&http, payload, &context).await;
    let elapsed = started.elapsed();
    let codes = reply.codes();
    tracing::info!(
        operation = reply.operation.as_deref().unwrap_or("anonymous"),
        status = reply.status.as_u16(),
        elapsed_ms = elapsed.as_secs_f64() * 1000.0,
        errors = ?codes,
        "graphql request"
    );
    context.metrics.observe(
        reply.operation.as_deref(),
        reply.status.as_u16(),
        elapsed.as_secs_f64(),
        codes,
    );
    reply.into_response()
}

async fn handle(http: &HttpRequest, payload: web::Payload, context: &GraphqlContext) -> Reply {
    let accept = http
        .headers()
        .get(header::ACCEPT)
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    let Some(media) = negotiate(accept) else {
        return Reply::refuse(
            StatusCode::NOT_ACCEPTABLE,
            Media::Json,
            "acceptable media types: application/graphql-response+json, application/json",
            code::BAD_USER_INPUT,
        );
    };
    let requests = match *http.method() {
        Method::GET => {
            let params: Vec<(String, String)> =
                match serde_urlencoded::from_str(http.query_string()) {
                    Ok(p) => p,
                    Err(_) => return Reply::bad_request(media, "the query string is not valid"),
                };
            let mut map = Map::new();
            for (key, value) in params {
                let value = match key.as_str() {
                    "variables" | "extensions" => match serde_json::from_str(&value) {
                        Ok(v) => v,
                        Err(_) => {
                            return Reply::bad_request(media, &format!("\"{key}\" must be JSON"));
                        }
                    },
                    _ => Value::String(value),
                };
                map.insert(key, value);
            }
            let mut request = match request_from(map) {
                Ok(r) => r,
                Err(message) => return Reply::bad_request(media, &message),
            };
            if is_mutation(&mut request) {
                return Reply::not_allowed(media, "mutations must be sent with POST", "POST");
            }
            vec![request]
        }
        Method::POST => {
            let json_body = http
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').next())
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
            if !json_body {
                return Reply::refuse(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    media,
                    "POST bodies must be application/json",
                    code::BAD_USER_INPUT,
                );
            }
            let body = match read_body(payload, context.policy.max_body_bytes).await {
                Ok(b) => b,
                Err(()) => {
                    let message = format!(
                        "the body is over the limit of {} bytes",
                        context.policy.max_body_bytes
                    );
                    return Reply::refuse(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        media,
                        &message,
                        code::QUERY_TOO_COMPLEX,
                    );
                }
            };
            let value: Value = match serde_json::from_slice(&body) {
                Ok(v) => v,
                Err(e) => {
                    return Reply::bad_request(media, &format!("the body is not valid JSON: {e}"));
                }
            };
            let (items, batch) = match value {
                Value::Object(map) => (vec![map], false),
                Value::Array(items) if context.policy.batching => {
                    let mut maps = Vec::with_capacity(items.len());
                    for item in items {
                        match item {
                            Value::Object(map) => maps.push(map),
                            _ => {
                                return Reply::bad_request(
                                    media,
                                    "each batched request must be an object",
                                );
                            }
                        }
                    }
                    (maps, true)
                }
                Value::Array(_) => {
                    return Reply::bad_request(media, "batched requests are not enabled");
                }
                _ => return Reply::bad_request(media, "the body must be a JSON object"),
            };
            let mut requests = Vec::with_capacity(items.len());
            for map in items {
                match request_from(map) {
                    Ok(r) => requests.push(r),
                    Err(message) => return Reply::bad_request(media, &message),
                }
            }
            if batch {
                let principal = match caller(context, http, media).await {
                    Ok(p) => p,
                    Err(refused) => return refused,
                };
                let mut bodies = Vec::with_capacity(requests.len());
                for request in requests {
                    bodies.push(
                        execute(context, principal.as_ref(), media, request)
                            .await
                            .body,
                    );
                }
                return Reply::new(StatusCode::OK, media, Value::Array(bodies));
            }
            requests
        }
        _ => {
            return Reply::not_allowed(media, "use GET or POST", "GET, POST");
        }
    };
    let principal = match caller(context, http, media).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let request = requests.into_iter().next().expect("one request");
    execute(context, principal.as_ref(), media, request).await
}

/// GraphiQL at `/`.
pub async fn graphiql() -> HttpResponse {
    HttpResponse::Ok().content_type(ContentType::html()).body(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql")
            .title("garrison")
            .finish(),
    )
}
