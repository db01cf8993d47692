//! `bench-server`: the server the benchmarks drive.
//!
//! Two tools with no work of their own, so a benchmark measures the SDK and nothing else:
//! `echo {text}` returns the text as one text block, and `blob {kb}` returns `kb * 1024`
//! `x` characters. Served over stdio (`--stdio`) or Streamable HTTP (`--http ADDR`).

use std::net::SocketAddr;
use std::sync::Arc;

use async_trait::async_trait;
use clap::Parser;
use examples::app::runtime::run_on;
use mcp_protocol::context::RequestContext;
use mcp_protocol::server::{Handler, Server};
use mcp_protocol::types::{
    CallToolParams, CallToolResult, Implementation, ListToolsResult, PaginatedParams,
    ServerCapabilities, Tool, ToolsCapability,
};
use mcp_protocol::{Error, Result};
use serde_json::{Value, json};

#[derive(Parser)]
#[command(about = "MCP server with `echo` and `blob` tools, for benchmarks")]
struct Args {
    /// Serve over stdin/stdout.
    #[arg(long, conflicts_with = "http")]
    stdio: bool,
    /// Serve Streamable HTTP on this address (at `/mcp`).
    #[arg(long, value_name = "ADDR")]
    http: Option<SocketAddr>,
    /// With `--http`: no sessions (every request stands alone).
    #[arg(long, requires = "http")]
    stateless: bool,
}

/// The two tools. Their list is built once: `tools/list` is on the measured path too.
struct Bench {
    tools: Arc<Vec<Tool>>,
}

impl Bench {
    fn new() -> Self {
        let object = |v: Value| match v {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        let echo = Tool::new(
            "echo",
            "Returns its text unchanged.",
            object(json!({
                "type": "object",
                "properties": {"text": {"type": "string", "description": "Text to return."}},
                "required": ["text"],
                "additionalProperties": false
            })),
        );
        let blob = Tool::new(
            "blob",
            "Returns kb * 1024 `x` characters.",
            object(json!({
                "type": "object",
                "properties": {"kb": {"type": "integer", "minimum": 0, "maximum": 65536,
                                      "description": "Size of the result in KiB."}},
                "required": ["kb"],
                "additionalProperties": false
            })),
        );
        Self {
            tools: Arc::new(vec![echo, blob]),
        }
    }
}

#[async_trait]
impl Handler for Bench {
    fn info(&self) -> Implementation {
        Implementation::new("bench-server", env!("CARGO_PKG_VERSION"))
    }

    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            tools: Some(ToolsCapability::default()),
            ..ServerCapabilities::default()
        }
    }

    async fn list_tools(&self, _: &RequestContext, _: PaginatedParams) -> Result<ListToolsResult> {
        Ok(ListToolsResult {
            tools: self.tools.as_ref().clone(),
            ..ListToolsResult::default()
        })
    }

    async fn call_tool(
        &self,
        _: &RequestContext,
        params: CallToolParams,
    ) -> Result<CallToolResult> {
        let arg = |name: &str| params.arguments.as_ref().and_then(|a| a.get(name));
        match params.name.as_str() {
            "echo" => match arg("text").and_then(Value::as_str) {
                Some(text) => Ok(CallToolResult::text(text)),
                None => Ok(CallToolResult::error("`text` must be a string")),
            },
            "blob" => match arg("kb").and_then(Value::as_u64).filter(|kb| *kb <= 65536) {
                Some(kb) => Ok(CallToolResult::text("x".repeat(kb as usize * 1024))),
                None => Ok(CallToolResult::error(
                    "`kb` must be an integer from 0 to 65536",
                )),
            },
            other => Err(Error::invalid_params(format!("unknown tool: {other}"))),
        }
    }
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let server = Server::new(Bench::new());
    // The same runtimes as `coder-mcp`.
    let outcome = match (args.stdio, args.http) {
        (_, Some(addr)) => run_on(true, serve_http(server, addr, args.stateless)),
        (true, None) => run_on(false, async {
            mcp_transport_stdio::serve_io(
                server,
                examples::app::stdio::StdinUntilShutdown::new(),
                mcp_transport_stdio::stdout(),
            )
            .await
            .map_err(|e| e.to_string())
        }),
        (false, None) => Err("choose --stdio or --http ADDR".to_owned()),
    };
    // Exit at once: a blocking read of stdin may still be pending on a runtime thread.
    match outcome {
        Ok(()) => std::process::exit(0),
        Err(e) => {
            eprintln!("bench-server: {e}");
            std::process::exit(1)
        }
    }
}

async fn serve_http(
    server: Server,
    addr: SocketAddr,
    stateless: bool,
) -> std::result::Result<(), String> {
    let config = mcp_transport_http::HttpConfig::new().stateless(stateless);
    let app = axum::Router::new().nest_service("/mcp", mcp_transport_http::router(server, config));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!("bench-server: listening on http://{local}/mcp");
    mcp_transport_http::serve_with(
        listener,
        app,
        mcp_transport_http::ServeOptions::default(),
        examples::app::http::shutdown_signal(),
    )
    .await
    .map_err(|e| e.to_string())
}
