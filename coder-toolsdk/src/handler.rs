//! [`ToolHandler`]: serves a [`ToolRegistry`] through `mcp-protocol`'s engine, so any
//! transport (stdio, Streamable HTTP) can offer the tools.

use std::sync::{Arc, PoisonError, RwLock};

use async_trait::async_trait;
use mcp_protocol::context::RequestContext;
use mcp_protocol::server::Handler;
use mcp_protocol::types::{
    CallToolParams, CallToolResult, Implementation, ListToolsResult, PaginatedParams,
    ServerCapabilities, ToolsCapability,
};
use serde_json::Value;

use crate::context::ToolContext;
use crate::error::Error;
use crate::registry::ToolRegistry;

/// An MCP server handler offering the tools of a registry, with the server's identity and
/// instructions.
///
/// Clones share the registry, so a clone kept aside can change the tools while the server
/// runs ([`update`](Self::update)); then tell clients with
/// `Server::notify_tools_list_changed`. Calls already running keep the registry they started
/// with.
#[derive(Debug, Clone)]
pub struct ToolHandler {
    registry: Arc<RwLock<Arc<ToolRegistry>>>,
    info: Implementation,
    instructions: Option<String>,
}

impl ToolHandler {
    /// A handler named after this crate.
    pub fn new(registry: ToolRegistry) -> Self {
        Self {
            registry: Arc::new(RwLock::new(Arc::new(registry))),
            info: Implementation::new(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION")),
            instructions: None,
        }
    }

    /// Sets the `serverInfo` clients see.
    #[must_use]
    pub fn with_info(mut self, info: Implementation) -> Self {
        self.info = info;
        self
    }

    /// Sets the instructions for the model.
    #[must_use]
    pub fn with_instructions(mut self, instructions: impl Into<String>) -> Self {
        self.instructions = Some(instructions.into());
        self
    }

    /// The registry served right now.
    pub fn registry(&self) -> Arc<ToolRegistry> {
        Arc::clone(&self.registry.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Changes the tools of a running server (add, remove, filter...). The change is made
    /// on a copy (cheap: tools are shared) and then swapped in.
    pub fn update(&self, change: impl FnOnce(&mut ToolRegistry)) {
        let mut guard = self
            .registry
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let mut next = ToolRegistry::clone(&guard);
        change(&mut next);
        *guard = Arc::new(next);
    }
}

impl ToolRegistry {
    /// This registry as an MCP handler (see [`ToolHandler`]).
    pub fn into_handler(self) -> ToolHandler {
        ToolHandler::new(self)
    }
}

/// Turns a registry error into the protocol error the engine sends.
fn protocol_error(e: Error) -> mcp_protocol::Error {
    match e {
        Error::Mcp(e) => e,
        Error::UnknownTool(_) | Error::InvalidCursor(_) => {
            mcp_protocol::Error::invalid_params(e.to_string())
        }
        other => mcp_protocol::Error::internal(other.to_string()),
    }
}

#[async_trait]
impl Handler for ToolHandler {
    fn info(&self) -> Implementation {
        self.info.clone()
    }

    fn instructions(&self) -> Option<String> {
        self.instructions.clone()
    }

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
        params: PaginatedParams,
    ) -> mcp_protocol::Result<ListToolsResult> {
        self.registry()
            .list(params.cursor.as_deref())
            .map_err(protocol_error)
    }

    async fn call_tool(
        &self,
        ctx: &RequestContext,
        params: CallToolParams,
    ) -> mcp_protocol::Result<CallToolResult> {
        let arguments = params.arguments.map_or(Value::Null, Value::Object);
        self.registry()
            .call_with(ToolContext::from_request(ctx), &params.name, arguments)
            .await
            .map_err(protocol_error)
    }
}
