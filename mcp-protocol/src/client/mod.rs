//! The client engine: request ids, the pending map, timeouts, version negotiation
//! (2026-07-28 first, then `initialize`), typed helpers, and answers to what the server asks.
//!
//! The engine does no I/O: [`Client::new`] returns the receiver of the messages to send,
//! and the transport feeds what arrives into [`Client::handle_incoming`].

mod handler;
pub(crate) mod pending;

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tokio::sync::mpsc;

pub use handler::{ClientHandler, NoopClientHandler};

use crate::error::{Error, Result};
use crate::jsonrpc::{
    ErrorCode, ErrorObject, ErrorResponse, JsonRpcVersion, Message, Notification, Request,
    RequestId, Response,
};
use crate::meta::keys;
use crate::method::{ServerNotification, names};
use crate::revision::ForRevision;
use crate::types::{
    CallToolParams, CallToolResult, ClientCapabilities, CompleteParams, CompleteResult,
    DiscoverResult, GetPromptParams, GetPromptResult, Implementation, InitializeParams,
    InitializeResult, ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult,
    ListToolsResult, LoggingLevel, PaginatedParams, ReadResourceParams, ReadResourceResult,
    ServerCapabilities, SubscriptionFilter, SubscriptionsListenResult,
};
use crate::version::ProtocolVersion;
use pending::Pending;

/// How a [`Client`] behaves.
#[derive(Clone)]
pub struct ClientOptions {
    /// Who this client is (`clientInfo`).
    pub info: Implementation,
    /// What this client can do for servers (elicitation, sampling, roots).
    pub capabilities: ClientCapabilities,
    /// The newest revision to try; [`Client::connect`] falls back from 2026-07-28 to the
    /// newest legacy revision when the server does not speak it.
    pub protocol_version: ProtocolVersion,
    /// How long a request may wait for its response.
    pub request_timeout: Duration,
    /// How many `input_required` rounds a request may take before the client gives up.
    pub max_input_rounds: u32,
    /// Answers server-to-client requests and receives notifications.
    pub handler: Arc<dyn ClientHandler>,
    /// Capacity of the outbound channel returned by [`Client::new`].
    pub outbound_capacity: usize,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            info: Implementation::new(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
            capabilities: ClientCapabilities::default(),
            protocol_version: ProtocolVersion::LATEST,
            request_timeout: Duration::from_secs(60),
            max_input_rounds: 8,
            handler: Arc::new(NoopClientHandler),
            outbound_capacity: 64,
        }
    }
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("info", &self.info)
            .field("protocol_version", &self.protocol_version)
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}

impl ClientOptions {
    /// Sets the handler for server requests and notifications.
    #[must_use]
    pub fn with_handler(mut self, handler: impl ClientHandler) -> Self {
        self.handler = Arc::new(handler);
        self
    }

    /// Sets the capabilities.
    #[must_use]
    pub fn with_capabilities(mut self, capabilities: ClientCapabilities) -> Self {
        self.capabilities = capabilities;
        self
    }

    /// Sets the newest revision to try.
    #[must_use]
    pub fn with_protocol_version(mut self, version: ProtocolVersion) -> Self {
        self.protocol_version = version;
        self
    }

    /// Sets the client's identity.
    #[must_use]
    pub fn with_info(mut self, info: Implementation) -> Self {
        self.info = info;
        self
    }

    /// Sets the per-request timeout.
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }
}

/// What [`Client::connect`] learned about the server.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerDetails {
    /// The revision both sides speak.
    pub version: ProtocolVersion,
    /// What the server offers.
    pub capabilities: ServerCapabilities,
    /// Who the server is, when it said.
    pub server_info: Option<Implementation>,
    /// The server's guidance for the model.
    pub instructions: Option<String>,
    /// Every revision the server listed (2026-07-28 discovery only).
    pub supported_versions: Vec<String>,
}

struct Inner {
    options: ClientOptions,
    pending: Pending,
    outbound: mpsc::Sender<Message>,
    server: Mutex<Option<ServerDetails>>,
    log_level: Mutex<Option<LoggingLevel>>,
}

/// An MCP client. Cheap to clone; clones share the connection.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("version", &self.protocol_version())
            .finish_non_exhaustive()
    }
}

/// A handle to a [`Client`] that does not keep it alive.
///
/// The outbound channel [`Client::new`] returns closes when the last `Client` is dropped:
/// that is how a transport learns that nothing more will be sent and it can end the
/// session. A transport's background tasks (the one that drains that channel, a stream
/// that waits for server messages) hold one of these instead of a `Client`, so that they
/// do not hold the channel open themselves.
#[derive(Clone, Debug)]
pub struct WeakClient {
    inner: Weak<Inner>,
}

impl WeakClient {
    /// The client, unless every [`Client`] of it has been dropped.
    pub fn upgrade(&self) -> Option<Client> {
        self.inner.upgrade().map(|inner| Client { inner })
    }
}

/// Sends `notifications/cancelled` when a request future is dropped before its answer.
struct CancelOnDrop {
    outbound: mpsc::Sender<Message>,
    id: Option<RequestId>,
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(id) = self.id.take()
            && let Ok(n) = Notification::new(
                names::CANCELLED,
                &json!({ "requestId": id, "reason": "the caller stopped waiting" }),
            )
        {
            // Best effort: a full or closed channel means the peer will not see it, and it
            // will drop the late answer anyway.
            let _ = self.outbound.try_send(Message::Notification(n));
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Client {
    /// A client and the receiver of the messages the transport must deliver to the server.
    pub fn new(options: ClientOptions) -> (Self, mpsc::Receiver<Message>) {
        let (tx, rx) = mpsc::channel(options.outbound_capacity.max(1));
        let client = Self {
            inner: Arc::new(Inner {
                options,
                pending: Pending::default(),
                outbound: tx,
                server: Mutex::new(None),
                log_level: Mutex::new(None),
            }),
        };
        (client, rx)
    }

    /// A handle that does not keep this client alive (see [`WeakClient`]).
    pub fn downgrade(&self) -> WeakClient {
        WeakClient {
            inner: Arc::downgrade(&self.inner),
        }
    }

    /// The negotiated revision (after [`connect`](Self::connect)).
    pub fn protocol_version(&self) -> Option<ProtocolVersion> {
        lock(&self.inner.server).as_ref().map(|s| s.version)
    }

    /// What [`connect`](Self::connect) learned about the server.
    pub fn server(&self) -> Option<ServerDetails> {
        lock(&self.inner.server).clone()
    }

    fn is_modern(&self) -> bool {
        self.protocol_version().is_some_and(|v| !v.is_legacy())
    }

    /// Negotiates the revision: `server/discover` when 2026-07-28 is wanted, falling back to
    /// `initialize` (and `notifications/initialized`) when the server does not know the
    /// method or the revision.
    pub async fn connect(&self) -> Result<ServerDetails> {
        let wanted = self.inner.options.protocol_version;
        let mut legacy = wanted.min(ProtocolVersion::LATEST_LEGACY);
        if !wanted.is_legacy() {
            // One retry: a server may refuse the first request with -32022 and list the
            // versions it wants, ours among them.
            for attempt in 0..2 {
                let params = self.with_meta(json!({}), wanted);
                match self.round_trip(names::DISCOVER, params).await {
                    Ok(value) => {
                        let result: DiscoverResult = decode(value)?;
                        if result
                            .supported_versions
                            .iter()
                            .any(|v| v == wanted.as_str())
                        {
                            let details = ServerDetails {
                                version: wanted,
                                server_info: result
                                    .meta
                                    .as_ref()
                                    .and_then(|m| m.server_info().ok().flatten()),
                                capabilities: result.capabilities,
                                instructions: result.instructions,
                                supported_versions: result.supported_versions,
                            };
                            *lock(&self.inner.server) = Some(details.clone());
                            return Ok(details);
                        }
                        legacy = newest_legacy(&result.supported_versions).unwrap_or(legacy);
                        break;
                    }
                    Err(Error::Rpc(e)) => {
                        let supported: Vec<String> = e
                            .data
                            .as_ref()
                            .and_then(|d| d.get("supported"))
                            .and_then(|s| serde_json::from_value(s.clone()).ok())
                            .unwrap_or_default();
                        let retry = e.code == ErrorCode::UNSUPPORTED_PROTOCOL_VERSION
                            && supported.iter().any(|v| v == wanted.as_str());
                        legacy = newest_legacy(&supported).unwrap_or(legacy);
                        if !(retry && attempt == 0) {
                            break;
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        self.initialize(legacy).await
    }

    async fn initialize(&self, version: ProtocolVersion) -> Result<ServerDetails> {
        let params = InitializeParams {
            protocol_version: version.as_str().to_owned(),
            capabilities: self.inner.options.capabilities.clone(),
            client_info: self.inner.options.info.clone(),
            meta: None,
        }
        .for_revision(version);
        let value = self
            .round_trip(names::INITIALIZE, serde_json::to_value(params)?)
            .await?;
        let result: InitializeResult = decode(value)?;
        let negotiated = match result.protocol_version.parse::<ProtocolVersion>() {
            Ok(v) if v.is_legacy() => v,
            _ => {
                return Err(Error::Protocol(format!(
                    "the server chose protocol version {:?}, which this client does not speak",
                    result.protocol_version
                )));
            }
        };
        let details = ServerDetails {
            version: negotiated,
            capabilities: result.capabilities,
            server_info: Some(result.server_info),
            instructions: result.instructions,
            supported_versions: vec![negotiated.as_str().to_owned()],
        };
        *lock(&self.inner.server) = Some(details.clone());
        self.notify(names::INITIALIZED, None).await?;
        Ok(details)
    }

    /// Adds the 2026-07-28 `_meta` keys (version, capabilities, client info, log level).
    fn with_meta(&self, mut params: Value, v: ProtocolVersion) -> Value {
        if !params.is_object() {
            params = json!({});
        }
        let options = &self.inner.options;
        let level = *lock(&self.inner.log_level);
        if let Value::Object(map) = &mut params {
            let meta = map
                .entry("_meta")
                .or_insert_with(|| Value::Object(Map::new()));
            if !meta.is_object() {
                *meta = Value::Object(Map::new());
            }
            if let Value::Object(meta) = meta {
                meta.insert(keys::PROTOCOL_VERSION.into(), json!(v.as_str()));
                let caps = options.capabilities.clone().for_revision(v);
                meta.insert(
                    keys::CLIENT_CAPABILITIES.into(),
                    serde_json::to_value(caps).unwrap_or_else(|_| json!({})),
                );
                let info = options.info.clone().for_revision(v);
                if let Ok(info) = serde_json::to_value(info) {
                    meta.insert(keys::CLIENT_INFO.into(), info);
                }
                if let Some(level) = level {
                    meta.entry(keys::LOG_LEVEL).or_insert_with(|| json!(level));
                }
            }
        }
        params
    }

    /// Sends a request and waits for its answer, once (no `input_required` handling).
    async fn round_trip(&self, method: &str, params: Value) -> Result<Value> {
        let (id, rx, _guard) = self.inner.pending.register();
        let request = Request {
            jsonrpc: JsonRpcVersion,
            id: id.clone(),
            method: method.to_owned(),
            params: Some(serde_json::value::to_raw_value(&params)?),
        };
        self.inner
            .outbound
            .send(Message::Request(request))
            .await
            .map_err(|_| Error::Closed)?;
        let mut cancel = CancelOnDrop {
            outbound: self.inner.outbound.clone(),
            id: (method != names::INITIALIZE).then_some(id),
        };
        // A listen stream lasts as long as the caller wants it: no timeout.
        let limit = if method == names::SUBSCRIPTIONS_LISTEN {
            Duration::MAX
        } else {
            self.inner.options.request_timeout
        };
        let answer = tokio::select! {
            answer = rx => match answer {
                Ok(answer) => answer,
                Err(_) => {
                    cancel.id = None;
                    return Err(Error::Closed);
                }
            },
            () = sleep_for(limit) => return Err(Error::Timeout),
        };
        cancel.id = None;
        let raw = answer.map_err(Error::Rpc)?;
        Ok(serde_json::from_str(raw.get())?)
    }

    /// Fails every request still waiting with [`Error::Closed`]. Transports call it when the
    /// server is gone (the child exited, the HTTP stream broke for good).
    pub fn close(&self) {
        self.inner.pending.clear();
    }

    /// Sends any request and returns its raw result. Under 2026-07-28 it adds the `_meta`
    /// keys and answers `input_required` results through the [`ClientHandler`], retrying
    /// with `inputResponses` and the echoed `requestState` (at most
    /// [`ClientOptions::max_input_rounds`] times).
    pub async fn request_raw(&self, method: &str, params: Value) -> Result<Value> {
        let Some(v) = self.protocol_version() else {
            if method == names::PING {
                return self.round_trip(method, params).await;
            }
            return Err(Error::Protocol(
                "call connect() before sending requests".into(),
            ));
        };
        if v.is_legacy() {
            return self.round_trip(method, params).await;
        }
        let mut params = self.with_meta(params, v);
        let mut rounds = 0;
        loop {
            let result = self.round_trip(method, params.clone()).await?;
            if result.get("resultType").and_then(Value::as_str) != Some("input_required") {
                return Ok(result);
            }
            rounds += 1;
            if rounds > self.inner.options.max_input_rounds {
                return Err(Error::Protocol(format!(
                    "{method} still needed input after {} rounds",
                    self.inner.options.max_input_rounds
                )));
            }
            let mut responses = Map::new();
            if let Some(requests) = result.get("inputRequests").and_then(Value::as_object) {
                for (key, request) in requests {
                    let method = request.get("method").and_then(Value::as_str).unwrap_or("");
                    let params = request.get("params").cloned().unwrap_or_else(|| json!({}));
                    let answer = self.serve(method, params).await.map_err(Error::Rpc)?;
                    responses.insert(key.clone(), answer);
                }
            }
            if let Value::Object(map) = &mut params {
                map.insert("inputResponses".into(), Value::Object(responses));
                match result.get("requestState") {
                    Some(state) => map.insert("requestState".into(), state.clone()),
                    None => map.remove("requestState"),
                };
            }
        }
    }

    /// Sends a request with typed parameters and result.
    pub async fn request<P: Serialize, R: DeserializeOwned>(
        &self,
        method: &str,
        params: &P,
    ) -> Result<R> {
        let value = self
            .request_raw(method, serde_json::to_value(params)?)
            .await?;
        decode(value)
    }

    /// [`request`](Self::request) after shaping the parameters for the negotiated revision.
    async fn typed<P: ForRevision + Serialize, R: DeserializeOwned>(
        &self,
        method: &str,
        mut params: P,
    ) -> Result<R> {
        if let Some(v) = self.protocol_version() {
            params.adapt(v);
        }
        self.request(method, &params).await
    }

    /// Sends a notification.
    pub async fn notify(&self, method: &str, params: Option<Value>) -> Result<()> {
        let params = match params {
            Some(p) => Some(serde_json::value::to_raw_value(&p)?),
            None => None,
        };
        let n = Notification {
            jsonrpc: JsonRpcVersion,
            method: method.to_owned(),
            params,
        };
        self.inner
            .outbound
            .send(Message::Notification(n))
            .await
            .map_err(|_| Error::Closed)
    }

    /// Feeds one message that arrived from the server.
    ///
    /// Responses resolve the matching request (unknown ids are ignored); requests from the
    /// server are answered in a task of their own, so this never blocks on the handler;
    /// notifications go to [`ClientHandler::on_notification`].
    pub async fn handle_incoming(&self, message: Message) {
        match message {
            Message::Response(r) => {
                self.inner.pending.resolve(&r.id, Ok(r.result));
            }
            Message::Error(e) => {
                if let Some(id) = &e.id {
                    self.inner.pending.resolve(id, Err(e.error));
                }
            }
            Message::Request(req) => {
                let this = self.clone();
                tokio::spawn(async move {
                    let params = req
                        .params
                        .as_deref()
                        .and_then(|p| serde_json::from_str::<Value>(p.get()).ok())
                        .unwrap_or_else(|| json!({}));
                    let reply = match this.serve(&req.method, params).await {
                        Ok(result) => Response::new(req.id.clone(), &result)
                            .map(Message::Response)
                            .unwrap_or_else(|e| {
                                Message::Error(ErrorResponse::new(
                                    Some(req.id.clone()),
                                    ErrorObject::internal(e.to_string()),
                                ))
                            }),
                        Err(e) => Message::Error(ErrorResponse::new(Some(req.id), e)),
                    };
                    let _ = this.inner.outbound.send(reply).await;
                });
            }
            Message::Notification(n) => {
                if let Ok(parsed) = ServerNotification::parse(&n.method, n.params.as_deref()) {
                    self.inner.options.handler.on_notification(parsed).await;
                }
            }
        }
    }

    /// Answers one server-to-client request (or `input_required` ask) with the handler.
    async fn serve(&self, method: &str, params: Value) -> std::result::Result<Value, ErrorObject> {
        let handler = &self.inner.options.handler;
        let caps = &self.inner.options.capabilities;
        let v = self.protocol_version().unwrap_or(ProtocolVersion::LATEST);
        let missing = |what: &str| {
            ErrorObject::new(
                ErrorCode::METHOD_NOT_FOUND,
                format!("this client does not offer {what}"),
            )
        };
        let value = match method {
            names::PING => Ok(json!({})),
            names::ELICITATION_CREATE => {
                if caps.elicitation.is_none() {
                    return Err(missing("elicitation"));
                }
                let p = decode_params(method, params)?;
                handler.elicit(p).await.and_then(|r| to_value(r, v))
            }
            names::SAMPLING_CREATE_MESSAGE => {
                if caps.sampling.is_none() {
                    return Err(missing("sampling"));
                }
                let p = decode_params(method, params)?;
                handler.create_message(p).await.and_then(|r| to_value(r, v))
            }
            names::ROOTS_LIST => {
                if caps.roots.is_none() {
                    return Err(missing("roots"));
                }
                handler.list_roots().await.and_then(|r| to_value(r, v))
            }
            other => return Err(ErrorObject::method_not_found(other)),
        };
        value.map_err(ErrorObject::from)
    }

    /// Tells a legacy server the client's roots changed (`notifications/roots/list_changed`);
    /// a no-op under 2026-07-28, where servers ask for roots with each request.
    pub async fn notify_roots_list_changed(&self) -> Result<()> {
        if self.is_modern() {
            return Ok(());
        }
        self.notify(names::ROOTS_LIST_CHANGED, None).await
    }

    /// `ping`.
    pub async fn ping(&self) -> Result<()> {
        if self.is_modern() {
            return Err(Error::Protocol("ping does not exist in 2026-07-28".into()));
        }
        self.request_raw(names::PING, json!({})).await.map(drop)
    }

    /// `logging/setLevel` for legacy revisions; under 2026-07-28 the level is sent in the
    /// `_meta` of every later request instead.
    pub async fn set_level(&self, level: LoggingLevel) -> Result<()> {
        *lock(&self.inner.log_level) = Some(level);
        if self.is_modern() {
            return Ok(());
        }
        self.request_raw(names::LOGGING_SET_LEVEL, json!({ "level": level }))
            .await
            .map(drop)
    }

    /// `tools/list` (one page).
    pub async fn list_tools(&self, params: PaginatedParams) -> Result<ListToolsResult> {
        self.typed(names::TOOLS_LIST, params).await
    }

    /// `tools/call`.
    pub async fn call_tool(&self, params: CallToolParams) -> Result<CallToolResult> {
        self.typed(names::TOOLS_CALL, params).await
    }

    /// `resources/list` (one page).
    pub async fn list_resources(&self, params: PaginatedParams) -> Result<ListResourcesResult> {
        self.typed(names::RESOURCES_LIST, params).await
    }

    /// `resources/templates/list` (one page).
    pub async fn list_resource_templates(
        &self,
        params: PaginatedParams,
    ) -> Result<ListResourceTemplatesResult> {
        self.typed(names::RESOURCES_TEMPLATES_LIST, params).await
    }

    /// `resources/read`.
    pub async fn read_resource(&self, params: ReadResourceParams) -> Result<ReadResourceResult> {
        self.typed(names::RESOURCES_READ, params).await
    }

    /// `resources/subscribe` (legacy revisions).
    pub async fn subscribe(&self, uri: &str) -> Result<()> {
        self.request_raw(names::RESOURCES_SUBSCRIBE, json!({ "uri": uri }))
            .await
            .map(drop)
    }

    /// `resources/unsubscribe` (legacy revisions).
    pub async fn unsubscribe(&self, uri: &str) -> Result<()> {
        self.request_raw(names::RESOURCES_UNSUBSCRIBE, json!({ "uri": uri }))
            .await
            .map(drop)
    }

    /// `prompts/list` (one page).
    pub async fn list_prompts(&self, params: PaginatedParams) -> Result<ListPromptsResult> {
        self.typed(names::PROMPTS_LIST, params).await
    }

    /// `prompts/get`.
    pub async fn get_prompt(&self, params: GetPromptParams) -> Result<GetPromptResult> {
        self.typed(names::PROMPTS_GET, params).await
    }

    /// `completion/complete`.
    pub async fn complete(&self, params: CompleteParams) -> Result<CompleteResult> {
        self.typed(names::COMPLETION_COMPLETE, params).await
    }

    /// `subscriptions/listen` (2026-07-28): opens the stream of the notifications `filter`
    /// selects; they arrive at [`ClientHandler::on_notification`], the first being
    /// `notifications/subscriptions/acknowledged`. The future ends when the server ends the
    /// stream; drop it to stop listening.
    pub async fn listen(&self, filter: SubscriptionFilter) -> Result<SubscriptionsListenResult> {
        let params = json!({ "notifications": filter });
        let value = self
            .request_raw(names::SUBSCRIPTIONS_LISTEN, params)
            .await?;
        decode(value)
    }
}

/// The newest legacy revision in a server's list that this crate speaks.
fn newest_legacy(supported: &[String]) -> Option<ProtocolVersion> {
    supported
        .iter()
        .filter_map(|v| v.parse::<ProtocolVersion>().ok())
        .filter(|v| v.is_legacy())
        .max()
}

/// Sleeps for `limit`, or forever when it is too large for the timer.
async fn sleep_for(limit: Duration) {
    match tokio::time::Instant::now().checked_add(limit) {
        Some(deadline) if limit < Duration::from_secs(86_400 * 365) => {
            tokio::time::sleep_until(deadline).await;
        }
        _ => std::future::pending().await,
    }
}

fn decode<T: DeserializeOwned>(value: Value) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        Error::Protocol(format!(
            "unexpected result shape at {}: {}",
            e.path(),
            e.inner()
        ))
    })
}

fn decode_params<T: DeserializeOwned>(
    method: &str,
    params: Value,
) -> std::result::Result<T, ErrorObject> {
    serde_path_to_error::deserialize(params).map_err(|e| {
        ErrorObject::invalid_params(format!(
            "invalid {method} params at {}: {}",
            e.path(),
            e.inner()
        ))
    })
}

fn to_value<T: ForRevision + Serialize>(mut value: T, v: ProtocolVersion) -> Result<Value> {
    value.adapt(v);
    Ok(serde_json::to_value(value)?)
}
