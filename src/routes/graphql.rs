//! GraphQL over HTTP, after the GraphQL Foundation's specification: GET for queries,
//! POST with `application/json`, content negotiation between
//! `application/graphql-response+json` and `application/json` with the status codes
//! each implies, and every malformed request answered with a JSON error, never a 5xx.
use super::response_cache::{Lookup, ResponseCache};
use crate::auth;
use crate::error::{GarrisonError, code};
use crate::graphql::gateway::{Executed, Gateway, operation_type, server_error};
use crate::graphql::lexical;
use crate::metrics::{Metrics, Operation};
use actix_web::http::header;
use actix_web::http::{Method, StatusCode};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::ServerError;
use async_graphql::parser::types::OperationType;
use futures_util::StreamExt;
use garrison_core::vocabulary::Marking;
use sea_orm::DatabaseConnection;
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::SemaphorePermit;
use tokio::time::Instant;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// How `/graphql` treats requests.
#[derive(Clone, Debug)]
pub struct HttpPolicy {
    /// Whether reads need a token too.
    pub require_token: bool,
    /// What callers without a token may read.
    pub anonymous_clearance: Marking,
    pub max_body_bytes: usize,
    /// How long a body may take to arrive.
    pub body_timeout: Duration,
    /// One deadline for everything a request holds.
    pub request_timeout: Duration,
    /// Whether a POST body may be an array of requests.
    pub batching: bool,
    pub max_batch_size: usize,
    /// Most JSON values the bodies being handled may hold at once.
    pub max_json_values: usize,
}

/// The response media type the client accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Media {
    GraphqlResponseJson,
    Json,
}

impl Media {
    /// The status of an answer that refuses a request for a reason other than its
    /// HTTP form: `status` for `application/graphql-response+json`, 200 for the legacy
    /// `application/json`.
    fn status_of_refusal(self, status: StatusCode) -> StatusCode {
        match self {
            Self::GraphqlResponseJson => status,
            Self::Json => StatusCode::OK,
        }
    }

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

/// A serialised GraphQL response and how it is sent.
pub(super) struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
    /// The `extensions.code` of every error in the body.
    pub codes: Vec<String>,
    /// Whether an operation executed (or was answered from the cache), as opposed to
    /// a request refused before it ran.
    pub executed: bool,
}

impl Answer {
    /// A response that reports no execution: just `errors`.
    fn refusal(status: StatusCode, errors: &[ServerError]) -> Self {
        Self {
            status,
            body: serde_json::to_vec(&json!({ "errors": errors }))
                .unwrap_or_default()
                .into(),
            codes: codes_of(errors),
            executed: false,
        }
    }

    fn ok(body: Bytes) -> Self {
        Self {
            status: StatusCode::OK,
            body,
            codes: Vec::new(),
            executed: true,
        }
    }

    /// The answers to a batch, as one JSON array (always 200: each has its own errors).
    fn batch(answers: Vec<Answer>) -> Self {
        let mut body = b"[".to_vec();
        for (i, answer) in answers.iter().enumerate() {
            if i > 0 {
                body.push(b',');
            }
            body.extend_from_slice(&answer.body);
        }
        body.push(b']');
        Self {
            status: StatusCode::OK,
            body: body.into(),
            executed: answers.iter().any(|a| a.executed),
            codes: answers.into_iter().flat_map(|a| a.codes).collect(),
        }
    }

    /// The answer to an executed request. `application/graphql-response+json` answers
    /// a refused request (one that did not execute) with 400, and without `data`.
    fn of(executed: &Executed, media: Media) -> Self {
        let response = &executed.response;
        if executed.request_error {
            return Self::refusal(
                media.status_of_refusal(StatusCode::BAD_REQUEST),
                &response.errors,
            );
        }
        Self {
            status: StatusCode::OK,
            body: serde_json::to_vec(response).unwrap_or_default().into(),
            codes: codes_of(&response.errors),
            executed: true,
        }
    }
}

fn codes_of(errors: &[ServerError]) -> Vec<String> {
    errors
        .iter()
        .filter_map(|e| match e.extensions.as_ref()?.get("code")? {
            async_graphql::Value::String(code) => Some(code.clone()),
            _ => None,
        })
        .collect()
}

/// What `/graphql` answers, before it becomes an HTTP response.
pub(super) struct Reply {
    answer: Answer,
    media: Media,
    /// For 405: the methods that are allowed.
    allow: Option<&'static str>,
    operation: Option<String>,
}

impl Reply {
    fn new(answer: Answer, media: Media) -> Self {
        Self {
            answer,
            media,
            allow: None,
            operation: None,
        }
    }

    /// One error with `code`.
    fn refuse(status: StatusCode, media: Media, message: &str, error_code: &str) -> Self {
        let mut error = ServerError::new(message, None);
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", error_code);
        Self::new(Answer::refusal(status, &[error]), media)
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

    pub(super) fn into_response(self) -> HttpResponse {
        let mut response = HttpResponse::build(self.answer.status);
        response.content_type(self.media.content_type());
        if let Some(allow) = self.allow {
            response.insert_header((header::ALLOW, allow));
        }
        response.body(self.answer.body)
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

/// Everything a request needs from the application.
pub struct GraphqlContext {
    pub gateway: Arc<Gateway>,
    /// The JSON values of large bodies being handled (`--max-json-values`).
    pub json_values: tokio::sync::Semaphore,
    /// The bytes of large bodies being read (`--max-body-memory-mb`).
    pub body_bytes: tokio::sync::Semaphore,
    pub cache: ResponseCache,
    pub db: DatabaseConnection,
    pub policy: HttpPolicy,
    pub metrics: Arc<Metrics>,
}

/// Admits, executes and serialises one request. A mutation sent with GET (in full or
/// by a persisted query's hash) is refused once the document is known, never run.
async fn execute(
    context: &GraphqlContext,
    principal: Option<&auth::Principal>,
    media: Media,
    mut request: async_graphql::Request,
    method: &Method,
    deadline: Instant,
) -> Reply {
    let named = match context.gateway.admit(&mut request) {
        Ok(named) => named,
        Err(refused) => {
            let status = media.status_of_refusal(StatusCode::BAD_REQUEST);
            return Reply::new(Answer::refusal(status, &[refused]), media);
        }
    };
    if *method == Method::GET && operation_type(&mut request) == Some(OperationType::Mutation) {
        return Reply::not_allowed(media, "mutations must be sent with POST", "POST");
    }
    let operation = request.operation_name.clone().or(named);
    let answer = run(context, principal, media, request, deadline).await;
    Reply {
        operation: operation.filter(|_| answer.executed),
        ..Reply::new(answer, media)
    }
}

/// Answers an admitted request from the response cache, or runs it, before
/// `deadline`.
pub(super) async fn run(
    context: &GraphqlContext,
    principal: Option<&auth::Principal>,
    media: Media,
    mut request: async_graphql::Request,
    deadline: Instant,
) -> Answer {
    let operation = operation_type(&mut request);
    let clearance = auth::clearance(principal, context.policy.anonymous_clearance);
    if let Some(principal) = principal {
        request = request.data(principal.clone());
    }
    request = request.data(clearance);
    let work = async {
        let lookup = context
            .cache
            .lookup(&request, operation, principal, clearance)
            .await;
        let pending = match lookup {
            Lookup::Hit(body) => return Answer::ok(body),
            Lookup::Miss(pending) => Some(pending),
            Lookup::Uncached => None,
        };
        let executed = context.gateway.execute(request).await;
        let answer = Answer::of(&executed, media);
        if let Some(pending) = pending {
            context
                .cache
                .store(pending, &executed.response, &answer.body);
        }
        answer
    };
    match tokio::time::timeout_at(deadline, work).await {
        Ok(answer) => answer,
        Err(_) => {
            let millis = context.policy.request_timeout.as_millis() as u64;
            Answer::refusal(
                media.status_of_refusal(StatusCode::SERVICE_UNAVAILABLE),
                &[server_error(GarrisonError::Timeout(millis))],
            )
        }
    }
}

/// The deadline of a request that starts now.
pub(super) fn deadline(policy: &HttpPolicy) -> Instant {
    Instant::now() + policy.request_timeout
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
            let status = media.status_of_refusal(StatusCode::UNAUTHORIZED);
            Reply::new(Answer::refusal(status, &[server_error(e)]), media)
        })
}

/// Reads the body up to the limit.
/// The bytes of a body that take no share of `--max-body-memory-mb`: small requests
/// never wait for large ones.
const FREE_BODY_BYTES: usize = 256 * 1024;

/// Reads the body up to the limit. Past its first [`FREE_BODY_BYTES`], each chunk
/// takes its bytes from `budget`, held with the body: many large bodies arriving at
/// once (or stalled, until the body timeout) wait instead of filling the memory.
async fn read_body<'b>(
    mut payload: web::Payload,
    limit: usize,
    budget: &'b tokio::sync::Semaphore,
) -> Result<(web::BytesMut, Option<SemaphorePermit<'b>>), ()> {
    let mut body = web::BytesMut::new();
    let mut held: Option<SemaphorePermit<'b>> = None;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ())?;
        if body.len() + chunk.len() > limit {
            return Err(());
        }
        let beyond_free =
            (body.len() + chunk.len()).saturating_sub(FREE_BODY_BYTES.max(body.len()));
        if beyond_free > 0 {
            let share = budget
                .acquire_many(beyond_free.min(u32::MAX as usize) as u32)
                .await
                .map_err(|_| ())?;
            match &mut held {
                Some(permit) => permit.merge(share),
                None => held = Some(share),
            }
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, held))
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
    let codes = &reply.answer.codes;
    tracing::info!(
        operation = reply.operation.as_deref().unwrap_or("anonymous"),
        status = reply.answer.status.as_u16(),
        elapsed_ms = elapsed.as_secs_f64() * 1000.0,
        errors = ?codes,
        "graphql request"
    );
    context.metrics.observe(
        match reply.answer.executed {
            true => Operation::Ran(reply.operation.as_deref()),
            false => Operation::Refused,
        },
        reply.answer.status.as_u16(),
        elapsed.as_secs_f64(),
        codes.iter().map(String::as_str),
    );
    reply.into_response()
}

/// A QUERY_TOO_COMPLEX refusal of JSON nested deeper than values may be.
fn too_deep(context: &GraphqlContext, media: Media, depth: usize) -> Option<Reply> {
    let refused = context.gateway.limits().check_json_depth(depth).err()?;
    let status = media.status_of_refusal(StatusCode::BAD_REQUEST);
    Some(Reply::new(
        Answer::refusal(status, &[server_error(refused)]),
        media,
    ))
}

/// The request in a GET's query string.
fn get_request(
    http: &HttpRequest,
    context: &GraphqlContext,
    media: Media,
) -> Result<async_graphql::Request, Reply> {
    let params: Vec<(String, String)> = serde_urlencoded::from_str(http.query_string())
        .map_err(|_| Reply::bad_request(media, "the query string is not valid"))?;
    let mut map = Map::new();
    for (key, value) in params {
        let value = match key.as_str() {
            "variables" | "extensions" => {
                if let Some(refused) =
                    too_deep(context, media, lexical::json_depth(value.as_bytes()))
                {
                    return Err(refused);
                }
                serde_json::from_str(&value)
                    .map_err(|_| Reply::bad_request(media, &format!("\"{key}\" must be JSON")))?
            }
            _ => Value::String(value),
        };
        map.insert(key, value);
    }
    request_from(map).map_err(|message| Reply::bad_request(media, &message))
}

/// The requests in a POST's body (more than one when it is a batch).
async fn post_requests<'c>(
    http: &HttpRequest,
    payload: web::Payload,
    context: &'c GraphqlContext,
    media: Media,
) -> Result<
    (
        Vec<async_graphql::Request>,
        bool,
        Option<SemaphorePermit<'c>>,
    ),
    Reply,
> {
    let policy = &context.policy;
    let json_body = http
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json_body {
        return Err(Reply::refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "POST bodies must be application/json",
            code::BAD_USER_INPUT,
        ));
    }
    let (body, _body_share) = match tokio::time::timeout(
        policy.body_timeout,
        read_body(payload, policy.max_body_bytes, &context.body_bytes),
    )
    .await
    {
        Ok(Ok(read)) => read,
        Ok(Err(())) => {
            let message = format!(
                "the body is over the limit of {} bytes",
                policy.max_body_bytes
            );
            return Err(Reply::refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                media,
                &message,
                code::QUERY_TOO_COMPLEX,
            ));
        }
        Err(_) => {
            let message = format!(
                "the body did not arrive within {} ms",
                policy.body_timeout.as_millis()
            );
            return Err(Reply::refuse(
                StatusCode::REQUEST_TIMEOUT,
                media,
                &message,
                code::TIMEOUT,
            ));
        }
    };
    let figures = lexical::json_figures(&body);
    if let Some(refused) = too_deep(context, media, figures.depth) {
        return Err(refused);
    }
    // Long strings cost by their bytes: a value per 16 bytes counts too.
    let weight = figures.values + body.len() / BYTES_PER_VALUE;
    let held = hold_values(context, media, weight).await?;
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| Reply::bad_request(media, &format!("the body is not valid JSON: {e}")))?;
    let (items, batch) = match value {
        Value::Object(map) => (vec![map], false),
        Value::Array(items) if policy.batching => {
            if items.len() > policy.max_batch_size {
                let error = server_error(GarrisonError::TooComplex {
                    limit: "batch size",
                    actual: items.len(),
                    max: policy.max_batch_size,
                });
                let status = media.status_of_refusal(StatusCode::BAD_REQUEST);
                return Err(Reply::new(Answer::refusal(status, &[error]), media));
            }
            let mut maps = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::Object(map) => maps.push(map),
                    _ => {
                        return Err(Reply::bad_request(
                            media,
                            "each batched request must be an object",
                        ));
                    }
                }
            }
            (maps, true)
        }
        Value::Array(_) => {
            return Err(Reply::bad_request(
                media,
                "batched requests are not enabled",
            ));
        }
        _ => return Err(Reply::bad_request(media, "the body must be a JSON object")),
    };
    let requests = items
        .into_iter()
        .map(request_from)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|message| Reply::bad_request(media, &message))?;
    Ok((requests, batch, held))
}

/// Bytes of body that weigh as much as one JSON value in `--max-json-values` (long
/// strings are copied several times while a request is parsed and run).
const BYTES_PER_VALUE: usize = 16;

/// Bodies with fewer JSON values than this take no share of `--max-json-values`.
const FEW_VALUES: usize = 10_000;

/// The share of the JSON-values budget a body of `values` values holds while it is
/// parsed and executed (what parsing builds is tens of times the body's bytes): none
/// for a small body; a wait for a large one; a refusal for one larger than the budget.
async fn hold_values(
    context: &GraphqlContext,
    media: Media,
    values: usize,
) -> Result<Option<SemaphorePermit<'_>>, Reply> {
    if values < FEW_VALUES {
        return Ok(None);
    }
    let status = media.status_of_refusal(StatusCode::BAD_REQUEST);
    let refuse =
        |error: GarrisonError| Reply::new(Answer::refusal(status, &[server_error(error)]), media);
    let max = context.policy.max_json_values;
    if values > max {
        return Err(refuse(GarrisonError::TooComplex {
            limit: "JSON values",
            actual: values,
            max,
        }));
    }
    let share = values.min(u32::MAX as usize) as u32;
    match tokio::time::timeout(
        context.policy.request_timeout,
        context.json_values.acquire_many(share),
    )
    .await
    {
        Ok(Ok(permit)) => Ok(Some(permit)),
        _ => Err(refuse(GarrisonError::Timeout(
            context.policy.request_timeout.as_millis() as u64,
        ))),
    }
}

/// Negotiates, authenticates the caller from its headers (before any body is read,
/// so that a `--require-token` server refuses strangers without reading what they
/// send), reads the request(s), then admits and runs them under one deadline.
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
    let method = http.method();
    if *method != Method::GET && *method != Method::POST {
        return Reply::not_allowed(media, "use GET or POST", "GET, POST");
    }
    let principal = match caller(context, http, media).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    let read = if *method == Method::GET {
        get_request(http, context, media).map(|r| (vec![r], false, None))
    } else {
        post_requests(http, payload, context, media).await
    };
    // `_held`: the body's share of the JSON-values budget, until it is answered.
    let (requests, batch, _held) = match read {
        Ok(read) => read,
        Err(refused) => return refused,
    };
    let deadline = deadline(&context.policy);
    let principal = principal.as_ref();
    if !batch {
        let request = requests.into_iter().next().expect("one request");
        return execute(context, principal, media, request, method, deadline).await;
    }
    let mut answers = Vec::with_capacity(requests.len());
    for request in requests {
        let reply = execute(context, principal, media, request, method, deadline).await;
        answers.push(reply.answer);
    }
    Reply::new(Answer::batch(answers), media)
}
