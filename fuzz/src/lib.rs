//! Helpers shared by the fuzz targets: one Tokio runtime per process and a small MCP
//! handler (an `echo` tool), so the targets drive the real engine and transports.

use std::sync::OnceLock;
use std::time::Duration;

use mcp_protocol::types::{
    CallToolParams, CallToolResult, ListToolsResult, PaginatedParams, ServerCapabilities, Tool,
    ToolsCapability,
};
use mcp_protocol::{Handler, ProtocolVersion, RequestContext, Server, async_trait};
use serde_json::{Value, json};

/// How long one message may take before the target reports a hang.
pub const HANG: Duration = Duration::from_secs(5);

/// The process-wide runtime (current-thread: fuzzing is single-threaded anyway).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

/// One `echo {text}` tool.
pub struct Echo;

#[async_trait]
impl Handler for Echo {
    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            tools: Some(ToolsCapability::default()),
            ..ServerCapabilities::default()
        }
    }

    async fn list_tools(
        &self,
        _: &RequestContext,
        _: PaginatedParams,
    ) -> mcp_protocol::Result<ListToolsResult> {
        let Value::Object(schema) =
            json!({"type": "object", "properties": {"text": {"type": "string"}}})
        else {
            unreachable!()
        };
        Ok(ListToolsResult {
            tools: vec![Tool::new("echo", "Echoes its text", schema)],
            ..ListToolsResult::default()
        })
    }

    async fn call_tool(
        &self,
        _: &RequestContext,
        params: CallToolParams,
    ) -> mcp_protocol::Result<CallToolResult> {
        let text = params
            .arguments
            .as_ref()
            .and_then(|a| a.get("text"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        Ok(CallToolResult::text(text))
    }
}

/// A server on the echo handler.
pub fn server() -> Server {
    Server::new(Echo)
}

/// Every revision, oldest first.
pub fn revisions() -> [ProtocolVersion; 5] {
    ProtocolVersion::ALL
}

/// An `initialize` request for `version`.
pub fn initialize(version: ProtocolVersion) -> Vec<u8> {
    json!({"jsonrpc":"2.0","id":"init","method":"initialize","params":{
        "protocolVersion": version.as_str(),
        "capabilities": {},
        "clientInfo": {"name": "fuzz", "version": "1"}}})
    .to_string()
    .into_bytes()
}
