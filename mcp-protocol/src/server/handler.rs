//! The trait a server implements: one method per MCP request, each with a sensible default.

use async_trait::async_trait;

use crate::context::RequestContext;
use crate::error::{Error, Result};
use crate::jsonrpc::{ErrorCode, ErrorObject};
use crate::method::ClientNotification;
use crate::types::{
    CallToolParams, CallToolResult, CompleteParams, CompleteResult, GetPromptParams,
    GetPromptResult, Implementation, ListPromptsResult, ListResourceTemplatesResult,
    ListResourcesResult, ListToolsResult, PaginatedParams, ReadResourceParams, ReadResourceResult,
    ServerCapabilities, SubscribeParams, UnsubscribeParams,
};

/// A server's behaviour. Implement the methods for what you offer and declare it in
/// [`capabilities`](Handler::capabilities); the engine does the protocol (versions,
/// lifecycle, cancellation, progress, logging, multi-round input) for every revision.
///
/// Requests for a feature the capabilities do not declare (for example `tools/list` without
/// `tools`) are answered with -32601 by the engine and never reach the handler.
#[async_trait]
pub trait Handler: Send + Sync + 'static {
    /// Who this server is (`serverInfo`). The engine asks at every `initialize`, and once
    /// per protocol revision for the `serverInfo` every 2026-07-28 result carries.
    fn info(&self) -> Implementation {
        Implementation::new(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
    }

    /// Guidance for the model about using this server, sent at `initialize` and
    /// `server/discover`.
    fn instructions(&self) -> Option<String> {
        None
    }

    /// What this server implements: declare exactly the features whose methods you
    /// implemented. The engine adds `logging` itself (it implements logging for you).
    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities::default()
    }

    /// `tools/list`. Default: no tools.
    async fn list_tools(
        &self,
        _ctx: &RequestContext,
        _params: PaginatedParams,
    ) -> Result<ListToolsResult> {
        Ok(ListToolsResult::default())
    }

    /// `tools/call`. Default: the tool does not exist (-32602). A failure *inside* a known
    /// tool is a result with `isError: true` instead, so the model can react to it.
    async fn call_tool(
        &self,
        _ctx: &RequestContext,
        params: CallToolParams,
    ) -> Result<CallToolResult> {
        Err(unknown("tool", &params.name))
    }

    /// `resources/list`. Default: no resources.
    async fn list_resources(
        &self,
        _ctx: &RequestContext,
        _params: PaginatedParams,
    ) -> Result<ListResourcesResult> {
        Ok(ListResourcesResult::default())
    }

    /// `resources/templates/list`. Default: no templates.
    async fn list_resource_templates(
        &self,
        _ctx: &RequestContext,
        _params: PaginatedParams,
    ) -> Result<ListResourceTemplatesResult> {
        Ok(ListResourceTemplatesResult::default())
    }

    /// `resources/read`. Default: not found (see [`resource_not_found`]).
    async fn read_resource(
        &self,
        ctx: &RequestContext,
        params: ReadResourceParams,
    ) -> Result<ReadResourceResult> {
        Err(resource_not_found(ctx, &params.uri))
    }

    /// `resources/subscribe` (legacy revisions). The engine records the subscription and
    /// delivers [`Server::notify_resource_updated`](crate::server::Server::notify_resource_updated)
    /// to subscribed connections; override to reject unknown resources. Default: accept.
    async fn subscribe(&self, _ctx: &RequestContext, _params: SubscribeParams) -> Result<()> {
        Ok(())
    }

    /// `resources/unsubscribe` (legacy revisions). Default: accept.
    async fn unsubscribe(&self, _ctx: &RequestContext, _params: UnsubscribeParams) -> Result<()> {
        Ok(())
    }

    /// `prompts/list`. Default: no prompts.
    async fn list_prompts(
        &self,
        _ctx: &RequestContext,
        _params: PaginatedParams,
    ) -> Result<ListPromptsResult> {
        Ok(ListPromptsResult::default())
    }

    /// `prompts/get`. Default: the prompt does not exist (-32602).
    async fn get_prompt(
        &self,
        _ctx: &RequestContext,
        params: GetPromptParams,
    ) -> Result<GetPromptResult> {
        Err(unknown("prompt", &params.name))
    }

    /// `completion/complete`. Default: no suggestions.
    async fn complete(
        &self,
        _ctx: &RequestContext,
        _params: CompleteParams,
    ) -> Result<CompleteResult> {
        Ok(CompleteResult::default())
    }

    /// Client notifications other than the ones the engine consumes itself
    /// (`initialized`, `cancelled`). Default: ignored.
    async fn on_notification(&self, _notification: ClientNotification) {}
}

/// Lets one handler value be shared (for example with a transport that needs it too).
#[async_trait]
impl<H: Handler> Handler for std::sync::Arc<H> {
    fn info(&self) -> Implementation {
        (**self).info()
    }
    fn instructions(&self) -> Option<String> {
        (**self).instructions()
    }
    fn capabilities(&self) -> ServerCapabilities {
        (**self).capabilities()
    }
    async fn list_tools(
        &self,
        ctx: &RequestContext,
        p: PaginatedParams,
    ) -> Result<ListToolsResult> {
        (**self).list_tools(ctx, p).await
    }
    async fn call_tool(&self, ctx: &RequestContext, p: CallToolParams) -> Result<CallToolResult> {
        (**self).call_tool(ctx, p).await
    }
    async fn list_resources(
        &self,
        ctx: &RequestContext,
        p: PaginatedParams,
    ) -> Result<ListResourcesResult> {
        (**self).list_resources(ctx, p).await
    }
    async fn list_resource_templates(
        &self,
        ctx: &RequestContext,
        p: PaginatedParams,
    ) -> Result<ListResourceTemplatesResult> {
        (**self).list_resource_templates(ctx, p).await
    }
    async fn read_resource(
        &self,
        ctx: &RequestContext,
        p: ReadResourceParams,
    ) -> Result<ReadResourceResult> {
        (**self).read_resource(ctx, p).await
    }
    async fn subscribe(&self, ctx: &RequestContext, p: SubscribeParams) -> Result<()> {
        (**self).subscribe(ctx, p).await
    }
    async fn unsubscribe(&self, ctx: &RequestContext, p: UnsubscribeParams) -> Result<()> {
        (**self).unsubscribe(ctx, p).await
    }
    async fn list_prompts(
        &self,
        ctx: &RequestContext,
        p: PaginatedParams,
    ) -> Result<ListPromptsResult> {
        (**self).list_prompts(ctx, p).await
    }
    async fn get_prompt(
        &self,
        ctx: &RequestContext,
        p: GetPromptParams,
    ) -> Result<GetPromptResult> {
        (**self).get_prompt(ctx, p).await
    }
    async fn complete(&self, ctx: &RequestContext, p: CompleteParams) -> Result<CompleteResult> {
        (**self).complete(ctx, p).await
    }
    async fn on_notification(&self, n: ClientNotification) {
        (**self).on_notification(n).await;
    }
}

fn unknown(what: &str, name: &str) -> Error {
    Error::Rpc(ErrorObject::invalid_params(format!(
        "unknown {what}: {name}"
    )))
}

/// The error for a resource that does not exist, with the code of the request's revision:
/// -32002 for legacy revisions, -32602 since 2026-07-28.
pub fn resource_not_found(ctx: &RequestContext, uri: &str) -> Error {
    let code = if ctx.version().is_legacy() {
        ErrorCode::RESOURCE_NOT_FOUND
    } else {
        ErrorCode::INVALID_PARAMS
    };
    Error::Rpc(
        ErrorObject::new(code, format!("resource not found: {uri}"))
            .with_data(serde_json::json!({ "uri": uri })),
    )
}
