//! `/graphql` over WebSocket: the graphql-transport-ws protocol, to the letter of
//! <https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md> (async-graphql's
//! stock handler closes with the wrong codes and sends `next` where an `error` is due).
//!
//! Each connection has a bounded send queue: a client that leaves it full for longer
//! than a grace period is closed (1008) instead of slowing writers or growing the
//! server's memory; a burst that the client drains in time is fine.
//!
//! A connection's token is looked up again once it is older than
//! `--ws-token-recheck-ms`: before the next operation, and on a timer while the
//! connection lives, so that a revoked token closes its connections (4403). Queries
//! and mutations keep the request timeout and the execution budget of HTTP;
//! messages nested deeper than values may be are refused before they are parsed.
use crate::auth::{self, Principal};
use crate::configuration::LiveSettings;
use crate::error::GarrisonError;
use crate::graphql::gateway::{Executed, Gateway, server_error};
use crate::graphql::lexical;
use crate::live::{FilterQuota, TooSlow};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{CloseCode, CloseReason, Message, MessageStream, Session};
use futures_util::StreamExt;
use garrison_core::vocabulary::Marking;
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

/// The subprotocol this endpoint speaks.
pub const PROTOCOL: &str = "graphql-transport-ws";

/// Close codes: the protocol's, and the two standard ones used for load.
mod close {
    pub const BAD_REQUEST: u16 = 4400;
    pub const UNAUTHORIZED: u16 = 4401;
    pub const FORBIDDEN: u16 = 4403;
    pub const SUBPROTOCOL_NOT_ACCEPTABLE: u16 = 4406;
    pub const INIT_TIMEOUT: u16 = 4408;
    pub const DUPLICATE_SUBSCRIBER: u16 = 4409;
    pub const TOO_MANY_INITS: u16 = 4429;
    /// Policy violation: the client did not read fast enough.
    pub const TOO_SLOW: u16 = 1008;
    /// Try again later: too many connections.
    pub const BUSY: u16 = 1013;
    /// The server is shutting down.
    pub const GOING_AWAY: u16 = 1001;
}

/// Open connections, for the cap and for `/metrics`.
#[derive(Clone, Default)]
pub struct Connections(Arc<AtomicUsize>);

impl Connections {
    pub fn open(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// Counts one connection while it lives.
struct Counted(Connections);

impl Drop for Counted {
    fn drop(&mut self) {
        (self.0).0.fetch_sub(1, Ordering::Relaxed);
    }
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientMessage {
    ConnectionInit {
        payload: Option<Value>,
    },
    Ping {
        #[allow(dead_code)]
        payload: Option<Value>,
    },
    Pong {
        #[allow(dead_code)]
        payload: Option<Value>,
    },
    Subscribe {
        id: String,
        payload: SubscribePayload,
    },
    Complete {
        id: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubscribePayload {
    query: String,
    operation_name: Option<String>,
    variables: Option<Value>,
    extensions: Option<Value>,
}

/// Everything a connection needs from the application.
pub struct WsContext {
    pub gateway: Arc<Gateway>,
    pub db: DatabaseConnection,
    /// Whether reads need a token too.
    pub require_token: bool,
    /// What callers without a token may read.
    pub anonymous_clearance: Marking,
    /// How long a query or mutation may run.
    pub request_timeout: Duration,
    pub settings: LiveSettings,
    pub connections: Connections,
    /// Becomes true when the server shuts down: every connection closes with 1001.
    pub shutdown: tokio::sync::watch::Receiver<bool>,
}

/// `GET /graphql` with `Upgrade: websocket`.
pub async fn graphql_ws(
    req: HttpRequest,
    body: web::Payload,
    context: web::Data<WsContext>,
) -> actix_web::Result<HttpResponse> {
    let (mut response, session, stream) = actix_ws::handle(&req, body)?;
    let speaks_protocol = req
        .headers()
        .get(header::SEC_WEBSOCKET_PROTOCOL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|p| p.trim() == PROTOCOL));
    if speaks_protocol {
        response.headers_mut().insert(
            header::SEC_WEBSOCKET_PROTOCOL,
            HeaderValue::from_static(PROTOCOL),
        );
    }
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let context = context.into_inner();
    actix_web::rt::spawn(async move {
        if !speaks_protocol {
            return close_with(
                session,
                close::SUBPROTOCOL_NOT_ACCEPTABLE,
                "Subprotocol not acceptable",
            )
            .await;
        }
        let open = context.connections.0.fetch_add(1, Ordering::Relaxed) + 1;
        let counted = Counted(context.connections.clone());
        if open > context.settings.max_connections {
            return close_with(session, close::BUSY, "Too many connections").await;
        }
        Connection::new(context, session, authorization)
            .run(stream)
            .await;
        drop(counted);
    });
    Ok(response)
}

async fn close_with(session: Session, code: u16, reason: &str) {
    // A close frame carries at most 123 bytes of reason.
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    let reason = &reason[..end];
    let _ = session
        .close(Some(CloseReason {
            code: CloseCode::Other(code),
            description: Some(reason.to_owned()),
        }))
        .await;
}

/// Why the connection loop stops.
enum Stop {
    /// The client went away.
    Gone,
    /// Close with this code and reason.
    Close(u16, String),
}

fn bad_request(reason: impl Into<String>) -> Stop {
    Stop::Close(close::BAD_REQUEST, reason.into())
}

type Subscriptions = Arc<Mutex<HashMap<String, Option<AbortHandle>>>>;

struct Connection {
    context: Arc<WsContext>,
    authorization: Option<String>,
    out: mpsc::Sender<String>,
    /// Sends what `out` queues, at the pace the client reads.
    writer: tokio::task::JoinHandle<()>,
    session: Session,
    subscriptions: Subscriptions,
    initialised: bool,
    principal: Option<Principal>,
    /// The `Authorization` value the principal was found by, and when it last was.
    credentials: Option<(String, tokio::time::Instant)>,
    acknowledged: bool,
    too_slow: TooSlow,
    filters: FilterQuota,
}

impl Connection {
    fn new(context: Arc<WsContext>, session: Session, authorization: Option<String>) -> Self {
        let (out, queue) = mpsc::channel(context.settings.send_queue.max(1));
        Self {
            authorization,
            out,
            writer: tokio::spawn(write(session.clone(), queue)),
            session,
            subscriptions: Arc::default(),
            initialised: false,
            principal: None,
            credentials: None,
            acknowledged: false,
            too_slow: TooSlow::default(),
            filters: FilterQuota::new(context.settings.max_filters),
            context,
        }
    }

    async fn run(mut self, mut stream: MessageStream) {
        let init_timeout =
            tokio::time::sleep(Duration::from_millis(self.context.settings.init_timeout_ms));
        tokio::pin!(init_timeout);
        let keepalive_every = Duration::from_secs(self.context.settings.keepalive_secs.max(1));
        let mut keepalive = tokio::time::interval_at(
            tokio::time::Instant::now() + keepalive_every,
            keepalive_every,
        );
        let keepalive_on = self.context.settings.keepalive_secs > 0;
        let mut recheck = tokio::time::interval(self.recheck_after());
        recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let too_slow = self.too_slow.clone();
        let mut shutdown = self.context.shutdown.clone();
        let stop = loop {
            tokio::select! {
                message = stream.next() => {
                    let stop = match message {
                        None | Some(Ok(Message::Close(_))) => Some(Stop::Gone),
                        Some(Err(e)) => Some(bad_request(format!("Invalid frame: {e}"))),
                        Some(Ok(Message::Text(text))) => self.on_text(&text).await.err(),
                        Some(Ok(Message::Binary(_))) => Some(bad_request("Binary messages are not part of the protocol")),
                        Some(Ok(Message::Ping(bytes))) => {
                            let _ = self.session.pong(&bytes).await;
                            None
                        }
                        Some(Ok(_)) => None,
                    };
                    if let Some(stop) = stop {
                        break stop;
                    }
                }
                _ = &mut init_timeout, if !self.acknowledged => {
                    break Stop::Close(close::INIT_TIMEOUT, "Connection initialisation timeout".into());
                }
                _ = keepalive.tick(), if keepalive_on => {
                    if self.send(json!({ "type": "ping" })).is_err() {
                        break too_slow_stop();
                    }
                }
                _ = too_slow.raised() => break too_slow_stop(),
                _ = recheck.tick(), if self.credentials.is_some() => {
                    if let Err(stop) = self.recheck_token(true).await {
                        break stop;
                    }
                }
                Ok(_) = shutdown.wait_for(|stopping| *stopping) => {
                    break Stop::Close(close::GOING_AWAY, "The server is shutting down".into());
                }
            }
        };
        for handle in self
            .subscriptions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain()
        {
            if let (_, Some(handle)) = handle {
                handle.abort();
            }
        }
        self.writer.abort();
        if let Stop::Close(code, reason) = stop {
            close_with(self.session, code, &reason).await;
        }
    }

    /// Queues a message; an error means the queue is full (the client is too slow).
    fn send(&self, message: Value) -> Result<(), ()> {
        self.out.try_send(message.to_string()).map_err(|_| ())
    }

    fn recheck_after(&self) -> Duration {
        Duration::from_millis(self.context.settings.token_recheck_ms.max(1))
    }

    /// Looks the connection's token up again: on the timer (`now`), or before an
    /// operation once the last lookup is older than the recheck time. A token revoked
    /// (or deleted) since closes the connection with 4403.
    async fn recheck_token(&mut self, now: bool) -> Result<(), Stop> {
        let Some((authorization, checked)) = &self.credentials else {
            return Ok(());
        };
        if !now && checked.elapsed() < self.recheck_after() {
            return Ok(());
        }
        let context = &self.context;
        match auth::caller(&context.db, Some(authorization), context.require_token).await {
            Ok(principal) => {
                self.principal = principal;
                self.credentials = Some((authorization.clone(), tokio::time::Instant::now()));
                Ok(())
            }
            Err(e) => Err(Stop::Close(close::FORBIDDEN, format!("Forbidden: {e}"))),
        }
    }

    /// A message nested deeper than values may be: an `error` for the subscription
    /// it names, or the connection closed when it names none. Its envelope is read
    /// without recursion (serde_json skips ignored values iteratively).
    fn refuse_deep(&self, text: &str, refused: GarrisonError) -> Result<(), Stop> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(rename = "type")]
            kind: String,
            id: Option<String>,
        }
        let reason = format!("Invalid message received: {refused}");
        let error = server_error(refused);
        match serde_json::from_str::<Envelope>(text) {
            Ok(Envelope { kind, id: Some(id) }) if kind == "subscribe" && !id.is_empty() => self
                .send(json!({ "id": id, "type": "error", "payload": [error] }))
                .map_err(|_| too_slow_stop()),
            _ => Err(bad_request(reason)),
        }
    }

    async fn on_text(&mut self, text: &str) -> Result<(), Stop> {
        let depth = lexical::json_depth(text.as_bytes());
        if let Err(refused) = self.context.gateway.limits().check_json_depth(depth) {
            return self.refuse_deep(text, refused);
        }
        let message: ClientMessage = serde_json::from_str(text)
            .map_err(|e| bad_request(format!("Invalid message received: {e}")))?;
        match message {
            ClientMessage::ConnectionInit { payload } => self.on_init(payload).await,
            ClientMessage::Ping { .. } => self
                .send(json!({ "type": "pong" }))
                .map_err(|_| too_slow_stop()),
            ClientMessage::Pong { .. } => Ok(()),
            ClientMessage::Subscribe { id, payload } => {
                self.recheck_token(false).await?;
                self.on_subscribe(id, payload)
            }
            ClientMessage::Complete { id } => {
                let removed = self
                    .subscriptions
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&id);
                if let Some(Some(handle)) = removed {
                    handle.abort();
                }
                Ok(())
            }
        }
    }

    async fn on_init(&mut self, payload: Option<Value>) -> Result<(), Stop> {
        if self.initialised {
            return Err(Stop::Close(
                close::TOO_MANY_INITS,
                "Too many initialisation requests".into(),
            ));
        }
        self.initialised = true;
        let payload = match payload {
            None | Some(Value::Null) => serde_json::Map::new(),
            Some(Value::Object(map)) => map,
            Some(_) => return Err(bad_request("The connection_init payload must be an object")),
        };
        let from_payload = ["Authorization", "authorization"]
            .iter()
            .find_map(|k| payload.get(*k).and_then(Value::as_str).map(str::to_owned))
            .or_else(|| {
                payload
                    .get("token")
                    .and_then(Value::as_str)
                    .map(|t| format!("Bearer {t}"))
            });
        let authorization = from_payload.or_else(|| self.authorization.clone());
        let context = &self.context;
        match auth::caller(&context.db, authorization.as_deref(), context.require_token).await {
            Ok(principal) => {
                if principal.is_some() {
                    self.credentials = authorization.map(|a| (a, tokio::time::Instant::now()));
                }
                self.principal = principal;
                self.acknowledged = true;
                self.send(json!({ "type": "connection_ack" }))
                    .map_err(|_| too_slow_stop())
            }
            Err(e) => Err(Stop::Close(close::FORBIDDEN, format!("Forbidden: {e}"))),
        }
    }

    fn on_subscribe(&mut self, id: String, payload: SubscribePayload) -> Result<(), Stop> {
        if !self.acknowledged {
            return Err(Stop::Close(close::UNAUTHORIZED, "Unauthorized".into()));
        }
        if id.is_empty() {
            return Err(bad_request("A subscribe message needs a non-empty id"));
        }
        let variables = match payload.variables {
            None | Some(Value::Null) => Value::Object(Default::default()),
            Some(v @ Value::Object(_)) => v,
            Some(_) => return Err(bad_request("variables must be an object")),
        };
        if !matches!(
            payload.extensions,
            None | Some(Value::Null) | Some(Value::Object(_))
        ) {
            return Err(bad_request("extensions must be an object"));
        }
        {
            let mut subscriptions = self.subscriptions.lock().unwrap_or_else(|e| e.into_inner());
            if subscriptions.contains_key(&id) {
                return Err(Stop::Close(
                    close::DUPLICATE_SUBSCRIBER,
                    format!("Subscriber for {id} already exists"),
                ));
            }
            if subscriptions.len() >= self.context.settings.max_subscriptions {
                let message = format!(
                    "at most {} subscriptions per connection",
                    self.context.settings.max_subscriptions
                );
                let error =
                    json!({ "message": message, "extensions": { "code": "BAD_USER_INPUT" } });
                return self
                    .send(json!({ "id": id, "type": "error", "payload": [error] }))
                    .map_err(|_| too_slow_stop());
            }
            subscriptions.insert(id.clone(), None);
        }
        let mut request = async_graphql::Request::new(payload.query)
            .variables(async_graphql::Variables::from_json(variables))
            .data(self.too_slow.clone())
            .data(self.filters.clone());
        if let Some(name) = payload.operation_name {
            request = request.operation_name(name);
        }
        let anonymous = self.context.anonymous_clearance;
        request = request.data(auth::clearance(self.principal.as_ref(), anonymous));
        if let Some(principal) = self.principal.clone() {
            request = request.data(principal);
        }
        if let Err(error) = self.context.gateway.admit(&mut request) {
            self.subscriptions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&id);
            return self
                .send(json!({ "id": id, "type": "error", "payload": [error] }))
                .map_err(|_| too_slow_stop());
        }
        let task = tokio::spawn(operate(
            self.context.gateway.clone(),
            request,
            self.context.request_timeout,
            id.clone(),
            Outbox {
                queue: self.out.clone(),
                grace: Duration::from_millis(self.context.settings.slow_after_ms),
                too_slow: self.too_slow.clone(),
            },
            self.subscriptions.clone(),
        ));
        if let Some(slot) = self
            .subscriptions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_mut(&id)
        {
            *slot = Some(task.abort_handle());
        }
        Ok(())
    }
}

fn too_slow_stop() -> Stop {
    Stop::Close(close::TOO_SLOW, "Too slow: the send queue is full".into())
}

/// Where an operation's messages go.
struct Outbox {
    queue: mpsc::Sender<String>,
    /// How long the queue may stay full before the client counts as too slow.
    grace: Duration,
    too_slow: TooSlow,
}

impl Outbox {
    /// Queues a message, waiting up to the grace period for room; false (and the
    /// connection told to close) when there was none.
    async fn deliver(&self, message: Value) -> bool {
        let sent = self
            .queue
            .send_timeout(message.to_string(), self.grace)
            .await;
        if sent.is_err() {
            self.too_slow.raise();
        }
        sent.is_ok()
    }
}

/// Runs one operation and queues its results: `next` for each, then `complete`; or
/// one `error` when the document is not a valid request.
async fn operate(
    gateway: Arc<Gateway>,
    request: async_graphql::Request,
    timeout: Duration,
    id: String,
    outbox: Outbox,
    subscriptions: Subscriptions,
) {
    let mut responses = gateway.execute_stream(request, timeout);
    let mut first = true;
    let mut last = json!({ "id": id, "type": "complete" });
    while let Some(Executed {
        response,
        request_error,
    }) = responses.next().await
    {
        if first && request_error {
            last = json!({ "id": id, "type": "error", "payload": response.errors });
            break;
        }
        first = false;
        if !outbox
            .deliver(json!({ "id": id, "type": "next", "payload": response }))
            .await
        {
            return;
        }
    }
    // Forget the id before the client can learn that it is free again.
    subscriptions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&id);
    outbox.deliver(last).await;
}

/// Sends queued messages in order, at the pace the client reads them.
async fn write(mut session: Session, mut queue: mpsc::Receiver<String>) {
    while let Some(text) = queue.recv().await {
        if session.text(text).await.is_err() {
            return;
        }
    }
}
