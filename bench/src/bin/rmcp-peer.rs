//! The rmcp peer: the same `echo` and `blob` tools as `bench-server`, written against rmcp's
//! `ServerHandler` trait and served by rmcp's own stdio and Streamable HTTP transports.
//!
//! `--tools-file FILE` adds the tools of a `tools/list` result (name, description and input
//! schema) so the memory figure compares registries of the same size and schemas.

use std::sync::Arc;

use axum::serve::ListenerExt;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, JsonObject,
    ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData, ServerHandler, ServiceExt};
use serde_json::{Value, json};

#[derive(Clone)]
struct Bench {
    tools: Arc<Vec<Tool>>,
}

fn object(v: Value) -> JsonObject {
    match v {
        Value::Object(map) => map,
        _ => JsonObject::new(),
    }
}

impl Bench {
    fn new(extra: Vec<Tool>) -> Self {
        let mut tools = vec![
            Tool::new(
                "echo",
                "Returns its text unchanged.",
                object(json!({
                    "type": "object",
                    "properties": {"text": {"type": "string", "description": "Text to return."}},
                    "required": ["text"],
                    "additionalProperties": false
                })),
            ),
            Tool::new(
                "blob",
                "Returns kb * 1024 `x` characters.",
                object(json!({
                    "type": "object",
                    "properties": {"kb": {"type": "integer", "minimum": 0, "maximum": 65536,
                                          "description": "Size of the result in KiB."}},
                    "required": ["kb"],
                    "additionalProperties": false
                })),
            ),
        ];
        tools.extend(extra);
        Self {
            tools: Arc::new(tools),
        }
    }
}

impl ServerHandler for Bench {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
    }

    async fn list_tools(
        &self,
        _: Option<PaginatedRequestParams>,
        _: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.as_ref().clone()))
    }

    async fn call_tool(
        &self,
        params: CallToolRequestParams,
        _: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let arg = |name: &str| params.arguments.as_ref().and_then(|a| a.get(name));
        let result = match params.name.as_ref() {
            "echo" => match arg("text").and_then(Value::as_str) {
                Some(text) => CallToolResult::success(vec![ContentBlock::text(text)]),
                None => CallToolResult::error(vec![ContentBlock::text("`text` must be a string")]),
            },
            "blob" => match arg("kb").and_then(Value::as_u64).filter(|kb| *kb <= 65536) {
                Some(kb) => CallToolResult::success(vec![ContentBlock::text("x".repeat(kb as usize * 1024))]),
                None => CallToolResult::error(vec![ContentBlock::text("`kb` must be 0..=65536")]),
            },
            other => return Err(ErrorData::invalid_params(format!("unknown tool: {other}"), None)),
        };
        Ok(result.into())
    }
}

fn load_tools(path: &str) -> Vec<Tool> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let list: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let tools = list.get("tools").and_then(Value::as_array).cloned().unwrap_or_default();
    tools
        .into_iter()
        .map(|t| {
            Tool::new(
                t["name"].as_str().unwrap_or_default().to_owned(),
                t["description"].as_str().unwrap_or_default().to_owned(),
                object(t["inputSchema"].clone()),
            )
        })
        .collect()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut http = None;
    let mut stateless = false;
    let mut extra = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--stdio" => {}
            "--http" => http = args.next(),
            "--stateless" => stateless = true,
            "--tools-file" => extra = load_tools(&args.next().ok_or("--tools-file FILE")?),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let bench = Bench::new(extra);
    match http {
        None => {
            let running = bench.serve(rmcp::transport::stdio()).await?;
            running.waiting().await?;
        }
        Some(addr) => {
            let config = StreamableHttpServerConfig::default()
                .with_sse_keep_alive(None)
                .with_legacy_session_mode(!stateless)
                .with_json_response(stateless);
            let service: StreamableHttpService<Bench, LocalSessionManager> =
                StreamableHttpService::new(move || Ok(bench.clone()), Default::default(), config);
            let app = axum::Router::new().nest_service("/mcp", service);
            let listener = tokio::net::TcpListener::bind(&addr).await?;
            eprintln!("rmcp-peer: listening on http://{}/mcp", listener.local_addr()?);
            // Same socket options as the other servers: without TCP_NODELAY every SSE reply
            // waits ~40 ms for the delayed ACK, which would measure Nagle, not rmcp.
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            axum::serve(listener, app).await?;
        }
    }
    Ok(())
}
