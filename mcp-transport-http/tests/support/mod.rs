//! A tiny test handler (echo, slow, progress, reconnect, whoami tools) and helpers to drive
//! the router without sockets.
#![allow(dead_code, unreachable_pub, missing_docs, clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use bytes::Bytes;
use http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt as _;
use mcp_protocol::types::{
    CallToolParams, CallToolResult, ListToolsResult, PaginatedParams, ServerCapabilities, Tool,
    ToolsCapability,
};
use mcp_protocol::{Handler, RequestContext, Result, Server, async_trait};
use mcp_transport_http::sse::{SseEvent, SseParser};
use mcp_transport_http::{Principal, StreamControl};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tower::ServiceExt as _;

/// Events the handler reports so tests can wait for them instead of sleeping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    SlowStarted,
    SlowCancelled,
}

/// Reports `SlowCancelled` when the slow tool's future ends, however it ends.
struct ReportDrop(mpsc::UnboundedSender<Event>);

impl Drop for ReportDrop {
    fn drop(&mut self) {
        let _ = self.0.send(Event::SlowCancelled);
    }
}

/// The test handler.
#[derive(Clone)]
pub struct TestHandler {
    events: mpsc::UnboundedSender<Event>,
    /// Released by tests to let the `reconnect` tool finish after its stream closed.
    release: Arc<tokio::sync::Notify>,
}

impl TestHandler {
    pub fn new() -> (
        Self,
        mpsc::UnboundedReceiver<Event>,
        Arc<tokio::sync::Notify>,
    ) {
        let (tx, rx) = mpsc::unbounded_channel();
        let release = Arc::new(tokio::sync::Notify::new());
        (
            Self {
                events: tx,
                release: Arc::clone(&release),
            },
            rx,
            release,
        )
    }
}

fn schema(v: Value) -> serde_json::Map<String, Value> {
    match v {
        Value::Object(m) => m,
        other => panic!("not a schema object: {other}"),
    }
}

#[async_trait]
impl Handler for TestHandler {
    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            tools: Some(ToolsCapability {
                list_changed: Some(true),
            }),
            ..ServerCapabilities::default()
        }
    }

    async fn list_tools(
        &self,
        _ctx: &RequestContext,
        _p: PaginatedParams,
    ) -> Result<ListToolsResult> {
        Ok(ListToolsResult {
            tools: vec![
                Tool::new(
                    "echo",
                    "Returns its text.",
                    schema(json!({"type":"object","properties":{"text":{"type":"string"}}})),
                ),
                Tool::new(
                    "region_echo",
                    "Returns its region, mirrored in a header.",
                    schema(json!({"type":"object","properties":{
                        "region":{"type":"string","x-mcp-header":"Region"},
                        "count":{"type":"integer","x-mcp-header":"Count"}}})),
                ),
                Tool::new(
                    "slow",
                    "Runs until cancelled.",
                    schema(json!({"type":"object"})),
                ),
                Tool::new(
                    "progress",
                    "Reports progress three times.",
                    schema(json!({"type":"object"})),
                ),
                Tool::new(
                    "reconnect",
                    "Closes its own stream, then finishes when released.",
                    schema(json!({"type":"object"})),
                ),
                Tool::new(
                    "whoami",
                    "Returns the principal id.",
                    schema(json!({"type":"object"})),
                ),
                Tool::new(
                    "ask",
                    "Asks the user for a name.",
                    schema(json!({"type":"object"})),
                ),
                Tool::new(
                    "bad_header",
                    "Declares x-mcp-header on a number, which 2026-07-28 HTTP clients must drop.",
                    schema(json!({"type":"object","properties":{
                        "ratio":{"type":"number","x-mcp-header":"Ratio"}}})),
                ),
            ],
            ..ListToolsResult::default()
        })
    }

    async fn call_tool(
        &self,
        ctx: &RequestContext,
        params: CallToolParams,
    ) -> Result<CallToolResult> {
        let args = Value::Object(params.arguments.clone().unwrap_or_default());
        match params.name.as_str() {
            "echo" => Ok(CallToolResult::text(
                args.get("text").and_then(Value::as_str).unwrap_or_default(),
            )),
            "region_echo" => Ok(CallToolResult::text(
                args.get("region")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
            )),
            "slow" => {
                // The engine drops the handler future on cancellation; the guard sees it.
                let _guard = ReportDrop(self.events.clone());
                let _ = self.events.send(Event::SlowStarted);
                ctx.cancellation().cancelled().await;
                Ok(CallToolResult::text("cancelled"))
            }
            "progress" => {
                for i in 1..=3 {
                    ctx.progress(f64::from(i), Some(3.0), Some("step")).await;
                }
                Ok(CallToolResult::text("done"))
            }
            "reconnect" => {
                ctx.progress(1.0, Some(2.0), None).await;
                let closed = ctx
                    .extensions()
                    .get::<StreamControl>()
                    .is_some_and(StreamControl::close);
                self.release.notified().await;
                ctx.progress(2.0, Some(2.0), None).await;
                Ok(CallToolResult::text(format!("reconnected closed={closed}")))
            }
            "ask" => {
                let form = mcp_protocol::types::ElicitParams::form(
                    "Your name?",
                    schema(
                        json!({"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}),
                    ),
                );
                let answer = ctx.elicit(form).await?;
                let name = answer
                    .content
                    .as_ref()
                    .and_then(|c| c.get("name"))
                    .and_then(Value::as_str)
                    .unwrap_or("nobody")
                    .to_owned();
                Ok(CallToolResult::text(format!("hello {name}")))
            }
            "whoami" => Ok(CallToolResult::text(
                ctx.extensions()
                    .get::<Principal>()
                    .map_or("anonymous", Principal::id),
            )),
            other => Err(mcp_protocol::Error::invalid_params(format!(
                "unknown tool {other}"
            ))),
        }
    }
}

/// A server on the test handler.
pub fn server() -> (
    Server,
    mpsc::UnboundedReceiver<Event>,
    Arc<tokio::sync::Notify>,
) {
    let (h, rx, release) = TestHandler::new();
    (Server::new(h), rx, release)
}

pub const LEGACY: &str = "2025-11-25";
pub const MODERN: &str = "2026-07-28";

/// A POST with the headers a well-behaved client sends.
pub fn post(body: &Value, extra: &[(&str, &str)]) -> Request<Body> {
    post_raw(body.to_string().into_bytes(), extra)
}

pub fn post_raw(body: Vec<u8>, extra: &[(&str, &str)]) -> Request<Body> {
    let mut b = Request::builder()
        .method("POST")
        .uri("/mcp")
        .header("host", "127.0.0.1:8080")
        .header("accept", "application/json, text/event-stream")
        .header("content-type", "application/json");
    for (k, v) in extra {
        b = b.header(*k, *v);
    }
    b.body(Body::from(body)).unwrap()
}

pub fn get(extra: &[(&str, &str)]) -> Request<Body> {
    let mut b = Request::builder()
        .method("GET")
        .uri("/mcp")
        .header("host", "localhost:8080")
        .header("accept", "text/event-stream");
    for (k, v) in extra {
        b = b.header(*k, *v);
    }
    b.body(Body::empty()).unwrap()
}

pub fn delete(extra: &[(&str, &str)]) -> Request<Body> {
    let mut b = Request::builder()
        .method("DELETE")
        .uri("/mcp")
        .header("host", "localhost");
    for (k, v) in extra {
        b = b.header(*k, *v);
    }
    b.body(Body::empty()).unwrap()
}

/// A finished answer.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The JSON-RPC messages of an SSE body.
    pub fn sse_messages(&self) -> Vec<Value> {
        SseParser::new()
            .push(&self.body)
            .into_iter()
            .filter(|e| !e.data.is_empty())
            .map(|e| serde_json::from_str(&e.data).unwrap())
            .collect()
    }

    pub fn sse_events(&self) -> Vec<SseEvent> {
        SseParser::new().push(&self.body)
    }
}

/// A safety net so a regression fails instead of hanging CI; no assertion depends on it.
const HANG: Duration = Duration::from_secs(20);

/// Sends a request and reads the whole answer.
pub async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = tokio::time::timeout(HANG, router.clone().oneshot(request))
        .await
        .expect("router hung")
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = tokio::time::timeout(HANG, body.collect())
        .await
        .expect("body hung")
        .unwrap()
        .to_bytes();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body,
    }
}

/// An answer whose body is read event by event (for streams that stay open).
pub struct Streaming {
    pub status: StatusCode,
    pub headers: HeaderMap,
    body: Body,
    parser: SseParser,
    queue: std::collections::VecDeque<SseEvent>,
}

impl Streaming {
    /// The next SSE event, or `None` at the end of the body.
    pub async fn next_event(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(e) = self.queue.pop_front() {
                return Some(e);
            }
            let frame = tokio::time::timeout(HANG, self.body.frame())
                .await
                .expect("stream hung")?
                .unwrap();
            if let Ok(data) = frame.into_data() {
                self.queue.extend(self.parser.push(&data));
            }
        }
    }

    /// The next event that carries a JSON-RPC message.
    pub async fn next_message(&mut self) -> Option<Value> {
        loop {
            let e = self.next_event().await?;
            if !e.data.is_empty() {
                return Some(serde_json::from_str(&e.data).unwrap());
            }
        }
    }
}

pub async fn open(router: &Router, request: Request<Body>) -> Streaming {
    let response = tokio::time::timeout(HANG, router.clone().oneshot(request))
        .await
        .expect("router hung")
        .unwrap();
    let (parts, body) = response.into_parts();
    Streaming {
        status: parts.status,
        headers: parts.headers,
        body,
        parser: SseParser::new(),
        queue: std::collections::VecDeque::new(),
    }
}

pub fn initialize_body(version: &str) -> Value {
    json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{
        "protocolVersion": version,
        "capabilities": {},
        "clientInfo": {"name":"test","version":"1"}}})
}

/// Initializes a legacy session and returns its id.
pub async fn open_session(router: &Router, extra: &[(&str, &str)]) -> String {
    let a = send(router, post(&initialize_body(LEGACY), extra)).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    let id = a
        .headers
        .get("mcp-session-id")
        .expect("a session id")
        .to_str()
        .unwrap()
        .to_owned();
    let mut headers = vec![
        ("mcp-session-id", id.as_str()),
        ("mcp-protocol-version", LEGACY),
    ];
    headers.extend_from_slice(extra);
    let n = send(
        router,
        post(
            &json!({"jsonrpc":"2.0","method":"notifications/initialized"}),
            &headers,
        ),
    )
    .await;
    assert_eq!(n.status, StatusCode::ACCEPTED);
    id
}

/// The `_meta` a 2026-07-28 request carries.
pub fn modern_meta() -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": MODERN,
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name":"test","version":"1"}
    })
}

#[allow(clippy::needless_pass_by_value)]
pub fn modern_call(id: i64, tool: &str, args: Value) -> Value {
    json!({"jsonrpc":"2.0","id":id,"method":"tools/call","params":{
        "name": tool, "arguments": args, "_meta": modern_meta()}})
}
