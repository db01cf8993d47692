//! What a transport hands the engine with each message ([`TransportContext`]) and what the
//! engine hands a handler with each request ([`RequestContext`]).
//!
//! A tool that asks the user a question works unchanged for every revision: legacy clients
//! get an `elicitation/create` request, 2026-07-28 clients an `input_required` result that
//! the [`Client`](crate::Client) answers and retries by itself.
//!
//! ```
//! use mcp_protocol::types::{
//!     CallToolParams, CallToolResult, ClientCapabilities, ElicitParams, ElicitResult,
//!     ElicitationCapability, ServerCapabilities, ToolsCapability,
//! };
//! use mcp_protocol::{ClientHandler, ClientOptions, Handler, RequestContext, Result, Server};
//! use mcp_protocol::{async_trait, memory};
//! use serde_json::json;
//!
//! struct Asker;
//!
//! #[async_trait]
//! impl Handler for Asker {
//!     fn capabilities(&self) -> ServerCapabilities {
//!         ServerCapabilities { tools: Some(ToolsCapability::default()), ..Default::default() }
//!     }
//!
//!     async fn call_tool(&self, ctx: &RequestContext, _: CallToolParams) -> Result<CallToolResult> {
//!         let schema = json!({"type": "object", "properties": {"name": {"type": "string"}}});
//!         let form = ElicitParams::form("Your name?", schema.as_object().cloned().unwrap_or_default());
//!         // 2026-07-28: the first run ends here with `input_required`; the retry finds the
//!         // answer and goes on. Do side effects only after the last ask.
//!         let answer = ctx.elicit(form).await?;
//!         let name = answer.content.and_then(|c| c.get("name").cloned()).unwrap_or_default();
//!         Ok(CallToolResult::text(format!("Hello, {}!", name.as_str().unwrap_or("?"))))
//!     }
//! }
//!
//! struct User;
//!
//! #[async_trait]
//! impl ClientHandler for User {
//!     async fn elicit(&self, _: ElicitParams) -> Result<ElicitResult> {
//!         Ok(ElicitResult::accept([("name".to_owned(), json!("Ada"))].into()))
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<()> {
//! let caps = ClientCapabilities {
//!     elicitation: Some(ElicitationCapability::default()),
//!     ..Default::default()
//! };
//! let options = ClientOptions::default().with_capabilities(caps).with_handler(User);
//! let (client, _link) = memory::pair(&Server::new(Asker), options);
//! client.connect().await?;
//! let result = client.call_tool(CallToolParams::new("ask", Default::default())).await?;
//! assert_eq!(result.content[0].as_text(), Some("Hello, Ada!"));
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::client::pending::Pending;
use crate::error::{Error, Result};
use crate::extensions::Extensions;
use crate::jsonrpc::{ErrorCode, ErrorObject, Message, Notification, Request, RequestId};
use crate::meta::{Meta, ProgressToken};
use crate::method::names;
use crate::revision::ForRevision;
use crate::types::{
    ClientCapabilities, CreateMessageParams, CreateMessageResult, ElicitParams, ElicitResult,
    Implementation, ListRootsResult, LoggingLevel, LoggingMessageParams, ProgressParams,
};
use crate::version::ProtocolVersion;

/// The per-message context a transport passes to
/// [`Connection::handle`](crate::server::Connection::handle).
///
/// `related` receives the messages that belong to this request while it runs (progress,
/// log messages, and, for legacy revisions, server-to-client requests such as elicitation);
/// an HTTP transport writes them to the request's SSE stream, stdio to stdout. The channel is
/// unbounded so a handler never stalls on a slow reader; transports must drain it.
/// `cancellation` is cancelled by the transport when the peer goes away (an HTTP stream
/// closes), which aborts the handler.
#[derive(Debug, Clone, Default)]
pub struct TransportContext {
    /// Where messages related to this request go; `None` falls back to the connection's
    /// unsolicited channel.
    pub related: Option<mpsc::UnboundedSender<Message>>,
    /// Values the transport knows, such as the authenticated principal.
    pub extensions: Extensions,
    /// Cancelled by the transport when the request's stream is gone.
    pub cancellation: CancellationToken,
}

impl TransportContext {
    /// A context with no related sink, no extensions and a fresh cancellation token.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the sink for messages related to the request.
    #[must_use]
    pub fn with_related(mut self, related: mpsc::UnboundedSender<Message>) -> Self {
        self.related = Some(related);
        self
    }

    /// Sets the extensions.
    #[must_use]
    pub fn with_extensions(mut self, extensions: Extensions) -> Self {
        self.extensions = extensions;
        self
    }

    /// Sets the cancellation token.
    #[must_use]
    pub fn with_cancellation(mut self, cancellation: CancellationToken) -> Self {
        self.cancellation = cancellation;
        self
    }
}

/// How the handler may reach the client for legacy server-to-client requests.
#[derive(Clone)]
pub(crate) struct PeerLink {
    pub(crate) pending: Arc<Pending>,
    pub(crate) sink: mpsc::UnboundedSender<Message>,
    pub(crate) timeout: Duration,
}

/// 2026-07-28 multi-round-trip bookkeeping for one run of a handler.
#[derive(Debug, Default)]
pub(crate) struct InputState {
    /// Whether this request may ask for input at all (tools/call, prompts/get,
    /// resources/read).
    pub(crate) allowed: bool,
    /// Answers available in this run: sealed ones from earlier rounds, then the request's.
    pub(crate) answers: Map<String, Value>,
    /// Answers the handler read (and that the next state must carry).
    pub(crate) used: Map<String, Value>,
    /// Requests the handler made that have no answer yet.
    pub(crate) asks: Map<String, Value>,
    /// Per-kind counters for automatic keys.
    pub(crate) counters: BTreeMap<&'static str, u32>,
    /// True when the request carried a `requestState` that passed verification.
    pub(crate) state_verified: bool,
    /// The handler's own state from the previous round.
    pub(crate) previous_state: Option<Value>,
    /// The handler's own state for the next round.
    pub(crate) next_state: Option<Value>,
}

pub(crate) struct ContextInner {
    pub(crate) version: ProtocolVersion,
    pub(crate) request_id: RequestId,
    pub(crate) meta: Meta,
    pub(crate) client_capabilities: ClientCapabilities,
    pub(crate) client_info: Option<Implementation>,
    pub(crate) extensions: Extensions,
    pub(crate) cancellation: CancellationToken,
    pub(crate) sink: mpsc::UnboundedSender<Message>,
    pub(crate) progress_token: Option<ProgressToken>,
    pub(crate) last_progress: Mutex<Option<f64>>,
    /// `None`: never log for this request; `Some(None)`: log everything; `Some(Some(l))`:
    /// log at `l` and above.
    pub(crate) log_threshold: Option<Option<LoggingLevel>>,
    pub(crate) peer: Option<PeerLink>,
    pub(crate) input: Mutex<InputState>,
}

/// Everything a handler may know or do about the request it serves.
///
/// Cheap to clone. The client features ([`elicit`](Self::elicit), [`sample`](Self::sample),
/// [`list_roots`](Self::list_roots)) work in both eras: legacy revisions send a real
/// server-to-client request and wait for the answer; 2026-07-28 uses *replay*: the handler
/// runs again on each retry of the client, finds the answers it asked for in the request and
/// continues, or, when an answer is missing, returns [`Error::InputRequired`] (propagate it
/// with `?`) and the engine answers with an `input_required` result and a sealed
/// `requestState`. Handlers must therefore be deterministic up to their asks: ask in the same
/// order on every run, and do side effects only after the last ask.
#[derive(Clone)]
pub struct RequestContext {
    pub(crate) inner: Arc<ContextInner>,
}

impl fmt::Debug for RequestContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestContext")
            .field("version", &self.inner.version)
            .field("request_id", &self.inner.request_id)
            .finish_non_exhaustive()
    }
}

/// The kind of input a handler can ask the client for.
#[derive(Debug, Clone, Copy)]
enum InputKind {
    Elicitation,
    Sampling,
    Roots,
}

impl InputKind {
    fn method(self) -> &'static str {
        match self {
            Self::Elicitation => names::ELICITATION_CREATE,
            Self::Sampling => names::SAMPLING_CREATE_MESSAGE,
            Self::Roots => names::ROOTS_LIST,
        }
    }

    fn capability(self) -> &'static str {
        match self {
            Self::Elicitation => "elicitation",
            Self::Sampling => "sampling",
            Self::Roots => "roots",
        }
    }

    fn declared(self, caps: &ClientCapabilities) -> bool {
        match self {
            Self::Elicitation => caps.elicitation.is_some(),
            Self::Sampling => caps.sampling.is_some(),
            Self::Roots => caps.roots.is_some(),
        }
    }
}

impl RequestContext {
    /// The protocol revision this request speaks.
    pub fn version(&self) -> ProtocolVersion {
        self.inner.version
    }

    /// The client's capabilities (from `initialize`, or from this request's `_meta`).
    pub fn client_capabilities(&self) -> &ClientCapabilities {
        &self.inner.client_capabilities
    }

    /// The client's self-description, when it sent one. Not verified: use it for display
    /// and logs, never for security decisions.
    pub fn client_info(&self) -> Option<&Implementation> {
        self.inner.client_info.as_ref()
    }

    /// The JSON-RPC id of the request.
    pub fn request_id(&self) -> &RequestId {
        &self.inner.request_id
    }

    /// The request's `_meta`, without the 2026-07-28 keys the engine reads itself
    /// (protocol version, client capabilities, client info, log level): those are
    /// [`version`](Self::version), [`client_capabilities`](Self::client_capabilities),
    /// [`client_info`](Self::client_info) and the log threshold, the same in both eras.
    pub fn meta(&self) -> &Meta {
        &self.inner.meta
    }

    /// Values the transport attached (for example the authenticated principal).
    pub fn extensions(&self) -> &Extensions {
        &self.inner.extensions
    }

    /// Cancelled when the client cancels the request or the transport loses it; long work
    /// can poll it or `select!` on it to stop early.
    pub fn cancellation(&self) -> &CancellationToken {
        &self.inner.cancellation
    }

    /// The progress token of the request, if the client asked for progress.
    pub fn progress_token(&self) -> Option<&ProgressToken> {
        self.inner.progress_token.as_ref()
    }

    /// Reports progress, when the client asked for it (sent nothing otherwise).
    ///
    /// Progress must increase: a value not above the previous one is dropped, because the
    /// spec forbids sending it.
    pub async fn progress(&self, progress: f64, total: Option<f64>, message: Option<&str>) {
        let Some(token) = &self.inner.progress_token else {
            return;
        };
        {
            let mut last = self
                .inner
                .last_progress
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if last.is_some_and(|l| progress <= l) || !progress.is_finite() {
                return;
            }
            *last = Some(progress);
        }
        let mut params = ProgressParams::new(token.clone(), progress, total);
        params.message = message.map(str::to_owned);
        params.adapt(self.inner.version);
        self.send_notification(names::PROGRESS, &params);
    }

    /// Sends a log message to the client, when the client wants messages of this level.
    ///
    /// Legacy revisions: sent at or above the level set with `logging/setLevel` (everything
    /// until the client sets one). 2026-07-28: sent only when the request's `_meta` carries
    /// `io.modelcontextprotocol/logLevel`, at or above that level.
    pub async fn log(&self, level: LoggingLevel, logger: Option<&str>, data: impl Serialize) {
        if !self.log_enabled(level) {
            return;
        }
        let Ok(data) = serde_json::to_value(data) else {
            return;
        };
        let mut params = LoggingMessageParams::new(level, data);
        params.logger = logger.map(str::to_owned);
        params.adapt(self.inner.version);
        self.send_notification(names::MESSAGE, &params);
    }

    /// True when a message at `level` would be sent to the client.
    pub fn log_enabled(&self, level: LoggingLevel) -> bool {
        match self.inner.log_threshold {
            None => false,
            Some(None) => true,
            Some(Some(min)) => level >= min,
        }
    }

    fn send_notification<P: Serialize>(&self, method: &str, params: &P) {
        if let Ok(n) = Notification::new(method, params) {
            // A closed sink means the client is gone; the handler learns it through
            // cancellation, so the send error itself carries no extra information.
            let _ = self.inner.sink.send(Message::Notification(n));
        }
    }

    /// Asks the client to fill in a form (or visit a URL); see the type docs for how this
    /// works in each era. The key of the input request is chosen automatically
    /// (`elicitation-1`, `elicitation-2`, ... in order of asking).
    pub async fn elicit(&self, params: ElicitParams) -> Result<ElicitResult> {
        let key = self.next_key(InputKind::Elicitation);
        self.ask_required(
            InputKind::Elicitation,
            key,
            params.for_revision(self.inner.version),
        )
        .await
    }

    /// Like [`elicit`](Self::elicit), under a key the handler chooses; returns `Ok(None)`
    /// (2026-07-28) when the answer is not there yet, so a handler can make several asks in
    /// one round before returning [`Error::input_required`].
    pub async fn elicit_as(&self, key: &str, params: ElicitParams) -> Result<Option<ElicitResult>> {
        self.ask(
            InputKind::Elicitation,
            key.to_owned(),
            params.for_revision(self.inner.version),
        )
        .await
    }

    /// Asks the client's model for a completion (`sampling/createMessage`).
    pub async fn sample(&self, params: CreateMessageParams) -> Result<CreateMessageResult> {
        let key = self.next_key(InputKind::Sampling);
        self.ask_required(
            InputKind::Sampling,
            key,
            params.for_revision(self.inner.version),
        )
        .await
    }

    /// Like [`sample`](Self::sample), under a key the handler chooses; `Ok(None)` when the
    /// answer is not there yet.
    pub async fn sample_as(
        &self,
        key: &str,
        params: CreateMessageParams,
    ) -> Result<Option<CreateMessageResult>> {
        self.ask(
            InputKind::Sampling,
            key.to_owned(),
            params.for_revision(self.inner.version),
        )
        .await
    }

    /// Asks the client for its roots (`roots/list`).
    pub async fn list_roots(&self) -> Result<ListRootsResult> {
        let key = self.next_key(InputKind::Roots);
        self.ask_required(InputKind::Roots, key, json!({})).await
    }

    /// Like [`list_roots`](Self::list_roots), under a key the handler chooses; `Ok(None)`
    /// when the answer is not there yet.
    pub async fn list_roots_as(&self, key: &str) -> Result<Option<ListRootsResult>> {
        self.ask(InputKind::Roots, key.to_owned(), json!({})).await
    }

    /// The handler's own state from the previous round (2026-07-28), after the engine
    /// verified it was sealed by this server for this very request.
    pub fn request_state(&self) -> Option<Value> {
        self.input().previous_state.clone()
    }

    /// Stores state for the next round (2026-07-28): it travels sealed in `requestState`.
    ///
    /// Sealed means authenticated, not encrypted: the client can read it (it is base64
    /// JSON), so never put secrets in it.
    pub fn set_request_state(&self, state: Value) {
        self.input().next_state = Some(state);
    }

    /// True when a previous round's `requestState` came back and passed verification.
    pub fn has_verified_state(&self) -> bool {
        self.input().state_verified
    }

    fn input(&self) -> std::sync::MutexGuard<'_, InputState> {
        self.inner
            .input
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn next_key(&self, kind: InputKind) -> String {
        let mut input = self.input();
        let n = input.counters.entry(kind.capability()).or_insert(0);
        *n += 1;
        format!("{}-{n}", kind.capability())
    }

    async fn ask_required<P: Serialize, R: DeserializeOwned>(
        &self,
        kind: InputKind,
        key: String,
        params: P,
    ) -> Result<R> {
        match self.ask(kind, key, params).await? {
            Some(r) => Ok(r),
            None => Err(Error::input_required()),
        }
    }

    async fn ask<P: Serialize, R: DeserializeOwned>(
        &self,
        kind: InputKind,
        key: String,
        params: P,
    ) -> Result<Option<R>> {
        let mut params = serde_json::to_value(params)?;
        if !kind.declared(&self.inner.client_capabilities) {
            return Err(self.missing_capability(kind));
        }
        if let Some(peer) = &self.inner.peer {
            return self.legacy_request(peer, kind, params).await.map(Some);
        }
        if let Value::Object(map) = &mut params
            && map
                .get("_meta")
                .is_some_and(|m| m.as_object().is_some_and(Map::is_empty))
        {
            map.remove("_meta");
        }
        let mut input = self.input();
        if !input.allowed {
            return Err(Error::Rpc(ErrorObject::internal(format!(
                "this request cannot ask the client for input ({} is only possible from \
                 tools/call, prompts/get and resources/read)",
                kind.method()
            ))));
        }
        if let Some(answer) = input.answers.get(&key).cloned() {
            let parsed = R::deserialize(&answer).map_err(|e| {
                Error::invalid_params(format!(
                    "inputResponses.{key} is not a valid {} result: {e}",
                    kind.method()
                ))
            })?;
            input.used.insert(key, answer);
            return Ok(Some(parsed));
        }
        let mut request = Map::new();
        request.insert("method".into(), Value::String(kind.method().into()));
        request.insert("params".into(), params);
        input.asks.insert(key, Value::Object(request));
        Ok(None)
    }

    fn missing_capability(&self, kind: InputKind) -> Error {
        let message = format!(
            "this request needs the client's {} capability, which the client did not declare",
            kind.capability()
        );
        if self.inner.version.is_legacy() {
            Error::Rpc(ErrorObject::invalid_request(message))
        } else {
            Error::Rpc(
                ErrorObject::new(ErrorCode::MISSING_REQUIRED_CLIENT_CAPABILITY, message)
                    .with_data(json!({ "requiredCapabilities": { kind.capability(): {} } })),
            )
        }
    }

    async fn legacy_request<R: DeserializeOwned>(
        &self,
        peer: &PeerLink,
        kind: InputKind,
        params: Value,
    ) -> Result<R> {
        if !crate::method::available_in(kind.method(), self.inner.version) {
            return Err(Error::Rpc(ErrorObject::invalid_request(format!(
                "{} does not exist in protocol revision {}",
                kind.method(),
                self.inner.version
            ))));
        }
        let (id, rx, _guard) = peer.pending.register();
        let request = Request::new(id, kind.method(), &params)?;
        peer.sink
            .send(Message::Request(request))
            .map_err(|_| Error::Closed)?;
        let answer = tokio::select! {
            answer = rx => answer.map_err(|_| Error::Closed)?,
            () = self.inner.cancellation.cancelled() => return Err(Error::Cancelled),
            () = tokio::time::sleep(peer.timeout) => return Err(Error::Timeout),
        };
        let raw = answer.map_err(Error::Rpc)?;
        serde_json::from_str(raw.get()).map_err(|e| {
            Error::Protocol(format!(
                "the client's {} result is invalid: {e}",
                kind.method()
            ))
        })
    }
}
