//! Moves an `mcp_protocol` client's messages over Streamable HTTP, for every revision.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures::StreamExt as _;
use http::{HeaderValue, StatusCode, header};
use mcp_protocol::client::{Client, ClientOptions, WeakClient};
use mcp_protocol::jsonrpc::{ErrorResponse, Response};
use mcp_protocol::{ErrorCode, ErrorObject, Message, RequestId};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::options::HttpClientOptions;
use crate::error::{Error, Result};
use crate::headers::{self, ParamHeader};
use crate::sse::SseParser;

const VERSION_KEY: &str = "io.modelcontextprotocol/protocolVersion";
/// Code of the error responses the transport makes up when HTTP fails a request.
const TRANSPORT_FAILURE: ErrorCode = ErrorCode(-32000);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Drives an `mcp_protocol` [`Client`] over Streamable HTTP.
///
/// Every outbound message becomes a POST; JSON and SSE answers are both read; the legacy
/// session id and negotiated `MCP-Protocol-Version` are sent once known; a stream the
/// server closes early is resumed with GET and `Last-Event-ID` after the announced
/// `retry`; 2026-07-28 requests carry `Mcp-Method`, `Mcp-Name` and the `Mcp-Param-*`
/// headers their tool declares. [`close`](Self::close) ends the session with DELETE.
#[derive(Clone)]
pub struct HttpClientTransport {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for HttpClientTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClientTransport")
            .field("url", &self.inner.url.as_str())
            .field("has_session", &lock(&self.inner.session).is_some())
            .finish_non_exhaustive()
    }
}

struct Inner {
    http: reqwest::Client,
    url: reqwest::Url,
    options: HttpClientOptions,
    session: Mutex<Option<String>>,
    version: Mutex<Option<String>>,
    tools: Mutex<HashMap<String, Vec<ParamHeader>>>,
    /// 2026-07-28 requests in flight: cancelling one drops its stream, which is how that
    /// revision cancels over HTTP.
    in_flight: Mutex<HashMap<RequestId, CancellationToken>>,
    get_started: AtomicBool,
    stop: CancellationToken,
}

/// Connects to the MCP endpoint at `url` with default options and negotiates the revision
/// (2026-07-28 first, then the legacy handshake).
///
/// The transport's background tasks end, and a legacy session is deleted, when the last
/// clone of the returned client is dropped; [`HttpClientTransport::start`] also gives a
/// handle that can end the session earlier.
pub async fn connect(url: &str) -> Result<Client> {
    let (client, _transport) =
        HttpClientTransport::start(url, HttpClientOptions::default(), ClientOptions::default())?;
    client.connect().await?;
    Ok(client)
}

impl HttpClientTransport {
    /// Creates the engine client and starts moving its messages to `url`. Call
    /// `client.connect()` next.
    pub fn start(
        url: &str,
        options: HttpClientOptions,
        client_options: ClientOptions,
    ) -> Result<(Client, Self)> {
        let url =
            reqwest::Url::parse(url).map_err(|e| Error::Protocol(format!("invalid URL: {e}")))?;
        let http = match &options.http {
            Some(c) => c.clone(),
            None => reqwest::Client::builder()
                .connect_timeout(options.connect_timeout)
                .tcp_nodelay(true)
                .build()?,
        };
        let (client, rx) = Client::new(client_options);
        let inner = Arc::new(Inner {
            http,
            url,
            options,
            session: Mutex::new(None),
            version: Mutex::new(None),
            tools: Mutex::new(HashMap::new()),
            in_flight: Mutex::new(HashMap::new()),
            get_started: AtomicBool::new(false),
            stop: CancellationToken::new(),
        });
        tokio::spawn(dispatch(Arc::clone(&inner), client.downgrade(), rx));
        Ok((client, Self { inner }))
    }

    /// The legacy session id the server assigned, if any.
    pub fn session_id(&self) -> Option<String> {
        lock(&self.inner.session).clone()
    }

    /// Ends the session (DELETE, when there is one) and stops the background tasks.
    pub async fn close(&self) {
        self.inner.stop.cancel();
        self.inner.delete_session().await;
    }
}

/// Sends what the engine queues, until the transport is closed or the last `Client` is
/// dropped (which closes the queue: this task holds only a [`WeakClient`]).
async fn dispatch(inner: Arc<Inner>, client: WeakClient, mut rx: mpsc::Receiver<Message>) {
    loop {
        let message = tokio::select! {
            () = inner.stop.cancelled() => break,
            m = rx.recv() => match m {
                Some(m) => m,
                None => break,
            },
        };
        if inner.cancels_modern_request(&message) {
            continue;
        }
        let Some(client) = client.upgrade() else {
            break;
        };
        let inner = Arc::clone(&inner);
        tokio::spawn(async move { inner.send(&client, message).await });
    }
    // Ends the GET stream too.
    inner.stop.cancel();
    inner.delete_session().await;
}

/// What the transport needs to know about an outbound message.
struct Outbound {
    id: Option<RequestId>,
    method: Option<String>,
    params: Value,
    modern_version: Option<String>,
}

impl Outbound {
    fn of(message: &Message) -> Self {
        let (id, method, raw) = match message {
            Message::Request(r) => (
                Some(r.id.clone()),
                Some(r.method.clone()),
                r.params.as_deref(),
            ),
            Message::Notification(n) => (None, Some(n.method.clone()), n.params.as_deref()),
            Message::Response(_) | Message::Error(_) => (None, None, None),
        };
        let params: Value = raw
            .and_then(|p| serde_json::from_str(p.get()).ok())
            .unwrap_or(Value::Null);
        let modern_version = params
            .get("_meta")
            .and_then(|m| m.get(VERSION_KEY))
            .and_then(Value::as_str)
            .map(str::to_owned);
        Self {
            id,
            method,
            params,
            modern_version,
        }
    }
}

impl Inner {
    /// Under 2026-07-28 a cancelled request is cancelled by dropping its stream, not with a
    /// notification: returns true when `message` was such a cancellation and was applied.
    fn cancels_modern_request(&self, message: &Message) -> bool {
        let Message::Notification(n) = message else {
            return false;
        };
        if n.method != "notifications/cancelled" {
            return false;
        }
        let id = n
            .params
            .as_deref()
            .and_then(|p| serde_json::from_str::<Value>(p.get()).ok())
            .and_then(|v| v.get("requestId").cloned())
            .and_then(|v| serde_json::from_value::<RequestId>(v).ok());
        match id.and_then(|id| lock(&self.in_flight).remove(&id)) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    fn base_request(&self, method: reqwest::Method) -> reqwest::RequestBuilder {
        let mut req = self.http.request(method, self.url.clone());
        for (name, value) in &self.options.headers {
            req = req.header(name, value);
        }
        if let Some(token) = &self.options.bearer
            && let Ok(mut v) = HeaderValue::from_str(&format!("Bearer {token}"))
        {
            v.set_sensitive(true);
            req = req.header(header::AUTHORIZATION, v);
        }
        if let Some(id) = lock(&self.session).as_deref() {
            req = req.header(headers::SESSION_ID, id);
        }
        req
    }

    fn post_request(&self, message: &Message, out: &Outbound) -> reqwest::RequestBuilder {
        let mut req = self
            .base_request(reqwest::Method::POST)
            .header(header::ACCEPT, "application/json, text/event-stream")
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(v) = &out.modern_version {
            req = req.header(headers::PROTOCOL_VERSION, v.as_str());
            if let (Some(method), Some(_)) = (&out.method, &out.id) {
                req = req.header(headers::METHOD, method.as_str());
                let name = match method.as_str() {
                    "tools/call" | "prompts/get" => out.params.get("name"),
                    "resources/read" => out.params.get("uri"),
                    _ => None,
                };
                if let Some(name) = name.and_then(Value::as_str) {
                    req = req.header(headers::NAME, headers::encode_header_value(name));
                }
                if method == "tools/call" {
                    for (h, v) in self.param_headers(&out.params) {
                        req = req.header(h, v);
                    }
                }
            }
        } else if out.method.as_deref() != Some("initialize")
            && let Some(v) = lock(&self.version).as_deref()
        {
            req = req.header(headers::PROTOCOL_VERSION, v);
        }
        req.body(message.to_bytes())
    }

    /// `Mcp-Param-*` headers for a tools/call, from the tool's learned schema.
    fn param_headers(&self, params: &Value) -> Vec<(String, String)> {
        let Some(tool) = params.get("name").and_then(Value::as_str) else {
            return Vec::new();
        };
        let tools = lock(&self.tools);
        let Some(declared) = tools.get(tool) else {
            return Vec::new();
        };
        let args = params.get("arguments").unwrap_or(&Value::Null);
        declared
            .iter()
            .filter_map(|d| {
                let text = headers::header_text(headers::value_at(args, &d.path)?)?;
                Some((
                    format!("{}{}", headers::PARAM_PREFIX, d.name),
                    headers::encode_header_value(&text),
                ))
            })
            .collect()
    }

    async fn send(self: Arc<Self>, client: &Client, message: Message) {
        let out = Outbound::of(&message);
        let cancel = CancellationToken::new();
        if let (Some(id), Some(_)) = (&out.id, &out.modern_version) {
            lock(&self.in_flight).insert(id.clone(), cancel.clone());
        }
        let work = self.exchange(client, &message, &out);
        tokio::select! {
            () = cancel.cancelled() => {}
            () = self.stop.cancelled() => {}
            () = work => {}
        }
        if let Some(id) = &out.id {
            lock(&self.in_flight).remove(id);
        }
    }

    async fn exchange(self: &Arc<Self>, client: &Client, message: &Message, out: &Outbound) {
        let had_session = lock(&self.session).is_some();
        let mut response = match self.post_request(message, out).send().await {
            Ok(r) => r,
            Err(e) => {
                let e = e.without_url();
                return self
                    .fail(client, out, format!("HTTP request failed: {e}"))
                    .await;
            }
        };
        if response.status() == StatusCode::BAD_REQUEST
            && out.modern_version.is_some()
            && out.method.as_deref() == Some("tools/call")
        {
            // A HeaderMismatch on a call usually means our copy of the tool's schema is
            // stale (or was never fetched): refresh it and retry once, as the spec advises.
            let body = response.bytes().await.unwrap_or_default();
            let mismatch = matches!(Message::parse(&body),
                Ok(Message::Error(e)) if e.error.code == ErrorCode::HEADER_MISMATCH);
            if mismatch && self.refresh_tools(out).await {
                response = match self.post_request(message, out).send().await {
                    Ok(r) => r,
                    Err(e) => {
                        let e = e.without_url();
                        return self
                            .fail(client, out, format!("HTTP request failed: {e}"))
                            .await;
                    }
                };
            } else {
                return self
                    .feed_error_body(client, out, StatusCode::BAD_REQUEST, &body)
                    .await;
            }
        }
        let status = response.status();
        if status == StatusCode::ACCEPTED {
            return;
        }
        if status.is_success() {
            if out.method.as_deref() == Some("initialize")
                && let Some(id) = response
                    .headers()
                    .get(headers::SESSION_ID)
                    .and_then(|v| v.to_str().ok())
            {
                *lock(&self.session) = Some(id.to_owned());
            }
            let is_sse = response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/event-stream"));
            if is_sse {
                return self.read_sse(client, response, out).await;
            }
            return match response.bytes().await {
                Ok(body) => self.feed_body(client, &body, out).await,
                Err(e) => {
                    let e = e.without_url();
                    self.fail(client, out, format!("reading the answer failed: {e}"))
                        .await;
                }
            };
        }
        if status == StatusCode::NOT_FOUND && had_session && out.modern_version.is_none() {
            *lock(&self.session) = None;
            return self
                .fail(
                    client,
                    out,
                    "the server no longer knows this session (404)".to_owned(),
                )
                .await;
        }
        let body = response.bytes().await.unwrap_or_default();
        self.feed_error_body(client, out, status, &body).await;
    }

    /// Feeds the JSON-RPC error of a failed answer, or makes one up from the status.
    async fn feed_error_body(
        self: &Arc<Self>,
        client: &Client,
        out: &Outbound,
        status: StatusCode,
        body: &[u8],
    ) {
        match Message::parse(body) {
            Ok(Message::Error(mut e)) => {
                if e.id.is_none() {
                    e.id.clone_from(&out.id);
                }
                if e.id.is_some() {
                    self.feed(client, Message::Error(e), out).await;
                }
            }
            _ => {
                let text = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
                self.fail(client, out, format!("the server answered {status}: {text}"))
                    .await;
            }
        }
    }

    /// Fetches `tools/list` (all pages) with the `_meta` of `out` and learns the tools'
    /// header declarations; false when that failed.
    async fn refresh_tools(self: &Arc<Self>, out: &Outbound) -> bool {
        let meta = out.params.get("_meta").cloned().unwrap_or(Value::Null);
        let mut cursor: Option<String> = None;
        for page in 0..16 {
            let mut params = serde_json::json!({ "_meta": meta });
            if let Some(c) = &cursor {
                params["cursor"] = Value::from(c.as_str());
            }
            let id = RequestId::from(format!("mcp-transport-http-tools-{page}"));
            let Ok(req) = mcp_protocol::jsonrpc::Request::new(id.clone(), "tools/list", &params)
            else {
                return false;
            };
            let message = Message::Request(req);
            let list_out = Outbound::of(&message);
            let Ok(response) = self.post_request(&message, &list_out).send().await else {
                return false;
            };
            if !response.status().is_success() {
                return false;
            }
            let Ok(body) = response.bytes().await else {
                return false;
            };
            // JSON, or the last message of an SSE body.
            let answer = match Message::parse(&body) {
                Ok(m) => Some(m),
                Err(_) => SseParser::new()
                    .push(&body)
                    .into_iter()
                    .filter_map(|e| Message::parse(e.data.as_bytes()).ok())
                    .find(|m| matches!(m, Message::Response(r) if r.id == id)),
            };
            let Some(Message::Response(r)) = answer else {
                return false;
            };
            self.learn_tools(&r, true);
            cursor = serde_json::from_str::<Value>(r.result.get())
                .ok()
                .and_then(|v| {
                    v.get("nextCursor")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                });
            if cursor.is_none() {
                return true;
            }
        }
        true
    }

    /// Feeds a JSON body: one message, or an array (batch answers).
    async fn feed_body(self: &Arc<Self>, client: &Client, body: &[u8], out: &Outbound) {
        if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
            let items: Vec<Value> = serde_json::from_slice(body).unwrap_or_default();
            for item in items {
                if let Ok(m) = Message::from_value(item) {
                    self.feed(client, m, out).await;
                }
            }
            return;
        }
        match Message::parse(body) {
            Ok(m) => self.feed(client, m, out).await,
            Err(e) => {
                self.fail(
                    client,
                    out,
                    format!("the answer is not JSON-RPC: {}", e.error.message),
                )
                .await;
            }
        }
    }

    /// Reads an SSE answer, resuming with GET + `Last-Event-ID` when the server ends the
    /// stream before the response.
    async fn read_sse(
        self: &Arc<Self>,
        client: &Client,
        response: reqwest::Response,
        out: &Outbound,
    ) {
        let mut parser = SseParser::new();
        let mut response = response;
        let mut resumptions = 0;
        loop {
            let answered = self
                .drain_stream(&client.downgrade(), response, &mut parser, out)
                .await;
            if answered || out.id.is_none() {
                return;
            }
            let can_resume = out.modern_version.is_none()
                && parser.last_event_id.is_some()
                && resumptions < self.options.max_resumptions;
            if !can_resume {
                return self
                    .fail(
                        client,
                        out,
                        "the answer stream ended before the response".to_owned(),
                    )
                    .await;
            }
            resumptions += 1;
            let delay = parser
                .retry
                .map_or(self.options.default_retry, Duration::from_millis);
            tokio::time::sleep(delay).await;
            match self.open_get(parser.last_event_id.as_deref()).await {
                Ok(r) => response = r,
                Err(e) => {
                    return self
                        .fail(
                            client,
                            out,
                            format!("resuming the answer stream failed: {e}"),
                        )
                        .await;
                }
            }
        }
    }

    /// Reads events until the stream ends; true when the response to `out.id` arrived.
    async fn drain_stream(
        self: &Arc<Self>,
        client: &WeakClient,
        response: reqwest::Response,
        parser: &mut SseParser,
        out: &Outbound,
    ) -> bool {
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let Ok(chunk) = chunk else {
                return false;
            };
            for event in parser.push(&chunk) {
                if event.data.trim().is_empty() {
                    continue;
                }
                let Ok(m) = Message::parse(event.data.as_bytes()) else {
                    continue;
                };
                let answers = match (&m, &out.id) {
                    (Message::Response(r), Some(id)) => r.id == *id,
                    (Message::Error(e), Some(id)) => e.id.as_ref() == Some(id),
                    _ => false,
                };
                // Nobody is left to hand it to once the last `Client` is gone.
                let Some(client) = client.upgrade() else {
                    return false;
                };
                self.feed(&client, m, out).await;
                if answers {
                    return true;
                }
            }
        }
        false
    }

    async fn open_get(&self, last_event_id: Option<&str>) -> Result<reqwest::Response> {
        let mut req = self
            .base_request(reqwest::Method::GET)
            .header(header::ACCEPT, "text/event-stream");
        if let Some(v) = lock(&self.version).as_deref() {
            req = req.header(headers::PROTOCOL_VERSION, v);
        }
        if let Some(id) = last_event_id {
            req = req.header(headers::LAST_EVENT_ID, id);
        }
        let r = req.send().await.map_err(reqwest::Error::without_url)?;
        if !r.status().is_success() {
            let status = r.status();
            let body = r.text().await.unwrap_or_default();
            return Err(Error::Status {
                status,
                body: body.chars().take(200).collect(),
            });
        }
        Ok(r)
    }

    /// Hands a message to the engine, learning what the transport needs on the way.
    async fn feed(self: &Arc<Self>, client: &Client, message: Message, out: &Outbound) {
        let mut message = message;
        if let Message::Response(r) = &message
            && out.id.as_ref() == Some(&r.id)
        {
            match out.method.as_deref() {
                Some("initialize") => self.learn_version(r, client),
                Some("tools/list") => {
                    if let Some(filtered) = self.learn_tools(r, out.modern_version.is_some()) {
                        message = Message::Response(filtered);
                    }
                }
                _ => {}
            }
        }
        client.handle_incoming(message).await;
    }

    fn learn_version(self: &Arc<Self>, r: &Response, client: &Client) {
        let version = serde_json::from_str::<Value>(r.result.get())
            .ok()
            .and_then(|v| {
                v.get("protocolVersion")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
        *lock(&self.version) = version;
        if self.options.get_stream
            && lock(&self.session).is_some()
            && !self.get_started.swap(true, Ordering::AcqRel)
        {
            // The GET stream carries what the server sends outside requests.
            tokio::spawn(listen(Arc::clone(self), client.downgrade()));
        }
    }

    /// Remembers the `x-mcp-header` declarations of listed tools; under 2026-07-28 drops
    /// tools whose declarations are invalid, as the spec requires of HTTP clients.
    fn learn_tools(&self, r: &Response, modern: bool) -> Option<Response> {
        let mut result: Value = serde_json::from_str(r.result.get()).ok()?;
        let tools = result.get_mut("tools")?.as_array_mut()?;
        let mut learned = lock(&self.tools);
        let before = tools.len();
        tools.retain(|t| {
            let name = t.get("name").and_then(Value::as_str).unwrap_or_default();
            let schema = t.get("inputSchema").unwrap_or(&Value::Null);
            match headers::param_headers(schema) {
                Ok(found) => {
                    learned.insert(name.to_owned(), found);
                    true
                }
                Err(reason) => {
                    tracing::warn!(tool = name, %reason, "dropping a tool with an invalid x-mcp-header");
                    learned.remove(name);
                    !modern
                }
            }
        });
        if tools.len() == before {
            return None;
        }
        drop(learned);
        Response::new(r.id.clone(), &result).ok()
    }

    /// Makes the engine fail the request (instead of waiting for its timeout).
    async fn fail(&self, client: &Client, out: &Outbound, message: String) {
        tracing::debug!(method = out.method.as_deref().unwrap_or(""), %message, "request failed");
        if let Some(id) = &out.id {
            let e = ErrorResponse::new(
                Some(id.clone()),
                ErrorObject::new(TRANSPORT_FAILURE, message),
            );
            client.handle_incoming(Message::Error(e)).await;
        }
    }

    async fn delete_session(&self) {
        let Some(id) = lock(&self.session).take() else {
            return;
        };
        let mut req = self
            .base_request(reqwest::Method::DELETE)
            .header(headers::SESSION_ID, id);
        if let Some(v) = lock(&self.version).as_deref() {
            req = req.header(headers::PROTOCOL_VERSION, v);
        }
        if let Err(e) = req.send().await {
            tracing::debug!("DELETE of the session failed: {}", e.without_url());
        }
    }
}

/// Follows the legacy GET stream for server-initiated messages, reconnecting with
/// `Last-Event-ID` after the announced delay. Stops on 405 (the server offers no stream),
/// on 404 (the session ended), after repeated failures, or when the transport stops.
async fn listen(inner: Arc<Inner>, client: WeakClient) {
    let mut parser = SseParser::new();
    let mut failures = 0_u32;
    let out = Outbound {
        id: None,
        method: None,
        params: Value::Null,
        modern_version: None,
    };
    loop {
        if inner.stop.is_cancelled() || lock(&inner.session).is_none() {
            return;
        }
        let opened = tokio::select! {
            () = inner.stop.cancelled() => return,
            r = inner.open_get(parser.last_event_id.as_deref()) => r,
        };
        match opened {
            Ok(response) => {
                failures = 0;
                tokio::select! {
                    () = inner.stop.cancelled() => return,
                    _ = inner.drain_stream(&client, response, &mut parser, &out) => {}
                }
            }
            Err(Error::Status { status, .. })
                if status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::NOT_FOUND =>
            {
                return;
            }
            Err(e) => {
                failures += 1;
                tracing::debug!("GET stream failed: {e}");
                if failures > inner.options.max_resumptions {
                    return;
                }
            }
        }
        let delay = parser
            .retry
            .map_or(inner.options.default_retry, Duration::from_millis);
        tokio::select! {
            () = inner.stop.cancelled() => return,
            () = tokio::time::sleep(delay) => {}
        }
    }
}
