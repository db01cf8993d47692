//! The fixture server of the official MCP conformance suites
//! (`@modelcontextprotocol/conformance`).
//!
//! The suites call tools, resources and prompts by fixed names (`test_simple_text`,
//! `test://static-text`, `test_prompt_with_arguments`, ...) and check exact texts, so this
//! handler offers exactly those, for both eras: legacy clients get real server-to-client
//! requests for sampling and elicitation, 2026-07-28 clients get `input_required` results.
//! The `conformance-server` binary serves it over Streamable HTTP; tests can also run it in
//! memory with [`mcp_protocol::memory`].

pub mod client;
mod completion;
mod error;
mod media;
mod mrtr;
pub mod oauth;
mod prompts;
mod resources;
#[cfg(test)]
mod tests;
mod tools;

use std::sync::{Arc, OnceLock};

use mcp_protocol::types::{
    CallToolParams, CallToolResult, CompleteParams, CompleteResult, GetPromptParams,
    GetPromptResult, Implementation, JsonObject, ListPromptsResult, ListResourceTemplatesResult,
    ListResourcesResult, ListToolsResult, PaginatedParams, PromptsCapability, ReadResourceParams,
    ReadResourceResult, ResourcesCapability, ServerCapabilities, ToolsCapability,
};
use mcp_protocol::{Handler, RequestContext, Result, Server, async_trait};

pub use error::Error;
pub use media::{PNG_BASE64, PNG_MIME, WAV_BASE64, WAV_MIME};

/// The handler behind `conformance-server`: every fixture both conformance suites call.
///
/// Build it with [`conformance_server`], which also gives the handler a handle on its own
/// [`Server`] so the `test_trigger_*` tools can announce list changes.
#[derive(Debug, Default)]
pub struct ConformanceHandler {
    server: Arc<OnceLock<Server>>,
}

/// The conformance fixture as a ready [`Server`], for every protocol revision.
pub fn conformance_server() -> Server {
    let handler = ConformanceHandler::default();
    let slot = Arc::clone(&handler.server);
    let server = Server::new(handler);
    // The slot is fresh, so this cannot fail; the handler only reads it.
    let _ = slot.set(server.clone());
    server
}

impl ConformanceHandler {
    /// The server this handler runs in, once [`conformance_server`] wired it.
    fn server(&self) -> Option<&Server> {
        self.server.get()
    }
}

#[async_trait]
impl Handler for ConformanceHandler {
    fn info(&self) -> Implementation {
        let mut info =
            Implementation::new("coder-mcp-conformance-server", env!("CARGO_PKG_VERSION"));
        info.title = Some("Coder MCP SDK conformance fixture".into());
        info
    }

    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            completions: Some(JsonObject::new()),
            prompts: Some(PromptsCapability {
                list_changed: Some(true),
            }),
            resources: Some(ResourcesCapability {
                subscribe: Some(true),
                list_changed: Some(true),
            }),
            tools: Some(ToolsCapability {
                list_changed: Some(true),
            }),
            ..ServerCapabilities::default()
        }
    }

    async fn list_tools(
        &self,
        _ctx: &RequestContext,
        _params: PaginatedParams,
    ) -> Result<ListToolsResult> {
        Ok(ListToolsResult {
            tools: tools::definitions(),
            ..ListToolsResult::default()
        })
    }

    async fn call_tool(
        &self,
        ctx: &RequestContext,
        params: CallToolParams,
    ) -> Result<CallToolResult> {
        tools::call(ctx, self.server(), params).await
    }

    async fn list_resources(
        &self,
        _ctx: &RequestContext,
        _params: PaginatedParams,
    ) -> Result<ListResourcesResult> {
        Ok(ListResourcesResult {
            resources: resources::definitions(),
            ..ListResourcesResult::default()
        })
    }

    async fn list_resource_templates(
        &self,
        _ctx: &RequestContext,
        _params: PaginatedParams,
    ) -> Result<ListResourceTemplatesResult> {
        Ok(ListResourceTemplatesResult {
            resource_templates: resources::templates(),
            ..ListResourceTemplatesResult::default()
        })
    }

    async fn read_resource(
        &self,
        ctx: &RequestContext,
        params: ReadResourceParams,
    ) -> Result<ReadResourceResult> {
        resources::read(ctx, &params.uri)
    }

    async fn list_prompts(
        &self,
        _ctx: &RequestContext,
        _params: PaginatedParams,
    ) -> Result<ListPromptsResult> {
        Ok(ListPromptsResult {
            prompts: prompts::definitions(),
            ..ListPromptsResult::default()
        })
    }

    async fn get_prompt(
        &self,
        ctx: &RequestContext,
        params: GetPromptParams,
    ) -> Result<GetPromptResult> {
        prompts::get(ctx, params).await
    }

    async fn complete(
        &self,
        _ctx: &RequestContext,
        params: CompleteParams,
    ) -> Result<CompleteResult> {
        Ok(completion::complete(&params))
    }
}

/// A JSON object from a `json!` literal; anything else becomes an empty object.
fn object(value: serde_json::Value) -> JsonObject {
    match value {
        serde_json::Value::Object(map) => map,
        _ => JsonObject::new(),
    }
}
