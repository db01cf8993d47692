//! One client's connection: lifecycle, per-request dispatch, cancellation, and the channel
//! of messages that belong to no request.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::modern::{RequestHead, has_modern_keys};
use super::outgoing::{Encode, Outgoing};
use super::{Shared, lock};
use crate::client::pending::Pending;
use crate::context::TransportContext;
use crate::jsonrpc::{
    ErrorCode, ErrorObject, ErrorResponse, Message, Notification, Request, RequestId,
};
use crate::meta::keys;
use crate::method::{ClientNotification, names};
use crate::types::{ClientCapabilities, EmptyResult, Implementation, LoggingLevel};
use crate::version::ProtocolVersion;

/// What a legacy connection learned at `initialize`.
#[derive(Debug, Default)]
pub(crate) struct Session {
    pub(crate) version: Option<ProtocolVersion>,
    pub(crate) client_capabilities: ClientCapabilities,
    pub(crate) client_info: Option<Implementation>,
    pub(crate) log_level: Option<LoggingLevel>,
    pub(crate) subscriptions: HashSet<String>,
}

pub(crate) struct Inner {
    pub(crate) shared: Arc<Shared>,
    pub(crate) session: Mutex<Session>,
    in_flight: Mutex<HashMap<RequestId, (u64, CancellationToken)>>,
    next_seq: std::sync::atomic::AtomicU64,
    pub(crate) pending: Arc<Pending>,
    /// Made on first use: a 2026-07-28 connection, often one per request, never needs it.
    unsolicited: OnceLock<Unsolicited>,
    /// Set by [`Connection::close`]; nothing waits on it, so a flag is enough.
    closed: AtomicBool,
}

impl Inner {
    pub(crate) fn is_initialized(&self) -> bool {
        lock(&self.session).version.is_some()
    }

    pub(crate) fn is_subscribed(&self, uri: &str) -> bool {
        lock(&self.session).subscriptions.contains(uri)
    }

    pub(crate) fn send_unsolicited(&self, m: Message) {
        // Nobody draining the channel means the transport is gone; dropping is correct.
        let _ = self.unsolicited_channel().tx.send(m);
    }

    pub(crate) fn unsolicited_sender(&self) -> mpsc::UnboundedSender<Message> {
        self.unsolicited_channel().tx.clone()
    }

    fn unsolicited_channel(&self) -> &Unsolicited {
        self.unsolicited.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            Unsolicited {
                tx,
                rx: Mutex::new(Some(rx)),
            }
        })
    }
}

/// The channel of messages that belong to no request.
struct Unsolicited {
    tx: mpsc::UnboundedSender<Message>,
    rx: Mutex<Option<mpsc::UnboundedReceiver<Message>>>,
}

/// One client's connection to a [`Server`](super::Server). Cheap to clone.
///
/// Call [`handle`](Self::handle) for every incoming message, from as many tasks as you like:
/// requests complete independently, so a slow tool never delays a `ping`.
#[derive(Clone)]
pub struct Connection {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("protocol_version", &self.protocol_version())
            .finish_non_exhaustive()
    }
}

/// Removes a request from the in-flight map when its handling ends, however it ends.
///
/// The sequence number keeps a finished request from removing a newer request that reused
/// its id (2026-07-28 clients sharing one connection may pick the same ids).
struct InFlight<'a> {
    map: &'a Mutex<HashMap<RequestId, (u64, CancellationToken)>>,
    id: RequestId,
    seq: u64,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut map = lock(self.map);
        if map.get(&self.id).is_some_and(|(seq, _)| *seq == self.seq) {
            map.remove(&self.id);
        }
    }
}

/// Either a reply for the peer, or nothing (cancelled requests are not answered).
pub(crate) enum Outcome {
    Reply(Result<Box<dyn Encode>, ErrorObject>),
    Silent,
}

impl Connection {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        let inner = Arc::new(Inner {
            shared,
            session: Mutex::new(Session::default()),
            in_flight: Mutex::new(HashMap::new()),
            next_seq: std::sync::atomic::AtomicU64::new(0),
            pending: Arc::new(Pending::default()),
            unsolicited: OnceLock::new(),
            closed: AtomicBool::new(false),
        });
        Self { inner }
    }

    /// The revision negotiated by `initialize`, or `None` before it (and for connections
    /// that only carry 2026-07-28 requests, whose version travels in each request).
    pub fn protocol_version(&self) -> Option<ProtocolVersion> {
        lock(&self.inner.session).version
    }

    /// The receiver of messages unrelated to any request (list changes, resource updates,
    /// and server-to-client requests of requests whose transport gave no `related` sink).
    /// Returns it once; later calls return `None`.
    pub fn unsolicited(&self) -> Option<mpsc::UnboundedReceiver<Message>> {
        lock(&self.inner.unsolicited_channel().rx).take()
    }

    /// Cancels every request in flight and fails pending server-to-client requests. Call it
    /// when the peer is gone (stdin EOF, session deleted).
    pub fn close(&self) {
        self.inner.closed.store(true, Ordering::Release);
        for (_, token) in lock(&self.inner.in_flight).values() {
            token.cancel();
        }
        self.inner.pending.clear();
    }

    /// True after [`close`](Self::close).
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::Acquire)
    }

    /// How many requests are being handled right now.
    pub fn in_flight(&self) -> usize {
        lock(&self.inner.in_flight).len()
    }

    /// Handles one incoming message and returns the response to send, if any.
    ///
    /// Requests get `Some(response)` (or `None` when they were cancelled: the spec says not
    /// to answer those); notifications and responses to our own requests get `None`.
    pub async fn handle(&self, message: Message, ctx: TransportContext) -> Option<Message> {
        self.respond(message, ctx).await.map(Outgoing::into_message)
    }

    /// [`handle`](Self::handle) for transports that write to a byte stream: the reply's
    /// result is not serialized yet, so [`Outgoing::write_json`] can write it straight into
    /// the transport's buffer, once.
    pub async fn respond(&self, message: Message, ctx: TransportContext) -> Option<Outgoing> {
        match message {
            Message::Request(req) => self.handle_request(req, ctx).await,
            Message::Notification(n) => {
                self.handle_notification(n).await;
                None
            }
            Message::Response(r) => {
                self.inner.pending.resolve(&r.id, Ok(r.result));
                None
            }
            Message::Error(e) => {
                if let Some(id) = &e.id {
                    self.inner.pending.resolve(id, Err(e.error));
                }
                None
            }
        }
    }

    /// [`respond`](Self::respond) for a connection that carries this one message and no
    /// other, as a stateless HTTP request's does.
    ///
    /// A request is not registered for `notifications/cancelled` and [`close`](Self::close),
    /// which can never reach it on such a connection: it runs on the transport's own
    /// cancellation token (`ctx.cancellation`), which is how it is cancelled. That spares
    /// a map entry and a child token per request.
    pub async fn respond_once(&self, message: Message, ctx: TransportContext) -> Option<Outgoing> {
        match message {
            Message::Request(req) => {
                let token = ctx.cancellation.clone();
                self.answer(req, ctx, token).await
            }
            other => self.respond(other, ctx).await,
        }
    }

    /// Handles a JSON-RPC batch (a 2025-03-26 feature): every element is handled
    /// concurrently and the responses come back in one array; `None` when nothing needs an
    /// answer. Invalid elements get their own error responses.
    pub async fn handle_batch(
        &self,
        batch: Vec<Value>,
        ctx: TransportContext,
    ) -> Option<Vec<Message>> {
        if batch.is_empty() {
            return Some(vec![Message::Error(ErrorResponse::new(
                None,
                ErrorObject::invalid_request("an empty batch is not a valid request"),
            ))]);
        }
        let futures = batch.into_iter().map(|v| {
            let ctx = ctx.clone();
            async move {
                match Message::from_value(v) {
                    Ok(m) => self.handle(m, ctx).await,
                    Err(e) => Some(Message::Error(e)),
                }
            }
        });
        let out: Vec<Message> = futures::future::join_all(futures)
            .await
            .into_iter()
            .flatten()
            .collect();
        (!out.is_empty()).then_some(out)
    }

    async fn handle_request(&self, req: Request, ctx: TransportContext) -> Option<Outgoing> {
        let id = req.id.clone();
        let token = ctx.cancellation.child_token();
        let seq = self
            .inner
            .next_seq
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        lock(&self.inner.in_flight).insert(id.clone(), (seq, token.clone()));
        let _guard = InFlight {
            map: &self.inner.in_flight,
            id,
            seq,
        };
        self.answer(req, ctx, token).await
    }

    /// Runs a request until it is answered or `token` is cancelled (at once on a closed
    /// connection).
    async fn answer(
        &self,
        req: Request,
        ctx: TransportContext,
        token: CancellationToken,
    ) -> Option<Outgoing> {
        if self.is_closed() {
            token.cancel();
        }
        let id = req.id.clone();
        // Kept for the log lines below, when they are wanted.
        let method = tracing::enabled!(tracing::Level::DEBUG).then(|| req.method.clone());
        let method = method.as_deref().unwrap_or_default();
        let work = self.request(req, ctx, token.clone());
        let outcome = tokio::select! {
            biased;
            () = token.cancelled() => Outcome::Silent,
            outcome = work => outcome,
        };
        // Only the method, id and error code are logged: params and results may hold
        // user data.
        match &outcome {
            Outcome::Silent => tracing::debug!(%method, %id, "request ended without a response"),
            Outcome::Reply(Err(e)) => {
                tracing::debug!(%method, %id, code = e.code.0, "request failed");
            }
            Outcome::Reply(Ok(_)) => tracing::trace!(%method, %id, "request answered"),
        }
        match outcome {
            Outcome::Silent => None,
            Outcome::Reply(Ok(result)) => Some(Outgoing::result(id, result)),
            Outcome::Reply(Err(e)) => Some(error(id, e).into()),
        }
    }

    async fn request(
        &self,
        req: Request,
        tctx: TransportContext,
        token: CancellationToken,
    ) -> Outcome {
        // Fast path: an initialized (legacy) connection needs only the request's `_meta`
        // from the params, which the typed parse reads anyway.
        let session_version = lock(&self.inner.session).version;
        // MCP params are always named: an array (by-position params) would otherwise be
        // read into the typed params by serde's sequence form.
        if req
            .params
            .as_deref()
            .is_some_and(|p| !p.get().trim_start().starts_with('{'))
        {
            return Outcome::Reply(Err(ErrorObject::invalid_params(
                "params must be a JSON object",
            )));
        }
        if let Some(v) = session_version {
            if req.method == names::INITIALIZE {
                return Outcome::Reply(Err(ErrorObject::invalid_request(
                    "the connection is already initialized",
                )));
            }
            return Box::pin(self.legacy(req, v, tctx, token)).await;
        }
        if let Some((request, v)) = self.plain_modern(&req) {
            let head = RequestHead::default();
            return Box::pin(self.modern(req, Some(request), head, v, tctx, token)).await;
        }
        let head = match RequestHead::read(&req) {
            Ok(head) => head,
            Err(e) => return Outcome::Reply(Err(e)),
        };
        let mode = match self.classify(&req, &head) {
            Ok(mode) => mode,
            Err(e) => return Outcome::Reply(Err(e)),
        };
        match mode {
            Mode::Initialize => Outcome::Reply(self.initialize(&req)),
            Mode::Ping => Outcome::Reply(Ok(Box::new(EmptyResult::default()))),
            // The two eras' futures are kilobytes each: boxed, they stay out of every
            // enclosing future, which would otherwise be copied whole at each level.
            Mode::Legacy(v) => Box::pin(self.legacy(req, v, tctx, token)).await,
            Mode::Modern(v) => Box::pin(self.modern(req, None, head, v, tctx, token)).await,
        }
    }

    /// Decides which era a request belongs to.
    fn classify(&self, req: &Request, head: &RequestHead) -> Result<Mode, ErrorObject> {
        let method = req.method.as_str();
        let session_version = lock(&self.inner.session).version;
        if let Some(v) = session_version {
            if method == names::INITIALIZE {
                return Err(ErrorObject::invalid_request(
                    "the connection is already initialized",
                ));
            }
            return Ok(Mode::Legacy(v));
        }
        let options = &self.inner.shared.options;
        match head.protocol_version() {
            Some(Value::String(requested)) => match self.modern_version(requested) {
                Some(v) => Ok(Mode::Modern(v)),
                None => Err(unsupported_version(requested, &options.version_strings())),
            },
            Some(_) => Err(ErrorObject::invalid_params(format!(
                "_meta.{} must be a string",
                keys::PROTOCOL_VERSION
            ))),
            None if method == names::INITIALIZE => Ok(Mode::Initialize),
            None if method == names::PING => Ok(Mode::Ping),
            None => {
                let modern_hint = method == names::DISCOVER
                    || method == names::SUBSCRIPTIONS_LISTEN
                    || has_modern_keys(req)
                    || options.newest_legacy().is_none();
                if modern_hint {
                    Err(ErrorObject::invalid_params(format!(
                        "missing _meta.{}: 2026-07-28 requests carry the protocol version, \
                         client capabilities and client info in _meta",
                        keys::PROTOCOL_VERSION
                    )))
                } else {
                    Err(ErrorObject::invalid_request(format!(
                        "the connection is not initialized: send initialize before {method} \
                         (or, for protocol 2026-07-28, put the version in _meta.{})",
                        keys::PROTOCOL_VERSION
                    )))
                }
            }
        }
    }

    async fn handle_notification(&self, n: Notification) {
        match n.method.as_str() {
            names::CANCELLED => {
                let id = n
                    .params
                    .as_deref()
                    .and_then(|p| serde_json::from_str::<Value>(p.get()).ok())
                    .and_then(|v| v.get("requestId").cloned())
                    .and_then(|v| serde_json::from_value::<RequestId>(v).ok());
                if let Some(id) = id
                    && let Some((_, token)) = lock(&self.inner.in_flight).get(&id)
                {
                    token.cancel();
                }
            }
            names::INITIALIZED => {}
            _ => {
                if let Ok(parsed) = ClientNotification::parse(&n.method, n.params.as_deref()) {
                    self.inner.shared.handler.on_notification(parsed).await;
                }
            }
        }
    }
}

/// The era a request belongs to.
pub(crate) enum Mode {
    Initialize,
    Ping,
    Legacy(ProtocolVersion),
    Modern(ProtocolVersion),
}

pub(crate) fn error(id: RequestId, e: ErrorObject) -> Message {
    Message::Error(ErrorResponse::new(Some(id), e))
}

pub(crate) fn unsupported_version(requested: &str, supported: &[String]) -> ErrorObject {
    ErrorObject::new(
        ErrorCode::UNSUPPORTED_PROTOCOL_VERSION,
        format!("unsupported protocol version {requested:?}"),
    )
    .with_data(json!({ "supported": supported, "requested": requested }))
}
