//! [`ToolContext`]: what a running tool may know and do about its request.

use std::borrow::Cow;
use std::future::Future;

use mcp_protocol::context::RequestContext;
use mcp_protocol::types::{ClientCapabilities, ElicitAction, ElicitParams, LoggingLevel};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use crate::error::{Error, Result};

/// The context a tool runs in: progress, cancellation, logging, the client's capabilities,
/// and user confirmation.
///
/// Inside an MCP server it wraps the engine's [`RequestContext`]; outside MCP (a program that
/// calls [`ToolRegistry::call`](crate::ToolRegistry::call) directly) it is *detached*: progress
/// and log messages go nowhere (logs still reach `tracing`), confirmation proceeds, and
/// cancellation is whatever token the caller gives.
#[derive(Debug, Clone)]
pub struct ToolContext<'a> {
    request: Option<&'a RequestContext>,
    /// Borrowed from the request (or from the registry's own context for the duration of a
    /// call), so handing a context to a tool does not clone the token: a clone and its drop
    /// each lock the token's mutex.
    cancellation: Cow<'a, CancellationToken>,
    confirm: bool,
}

impl ToolContext<'static> {
    /// A context without an MCP request, for direct calls.
    pub fn detached() -> Self {
        Self {
            request: None,
            cancellation: Cow::Owned(CancellationToken::new()),
            confirm: false,
        }
    }
}

impl<'a> ToolContext<'a> {
    /// The context of an MCP request.
    pub fn from_request(request: &'a RequestContext) -> Self {
        Self {
            request: Some(request),
            cancellation: Cow::Borrowed(request.cancellation()),
            confirm: false,
        }
    }

    /// Uses this cancellation token (for example one the caller cancels on Ctrl-C).
    #[must_use]
    pub fn with_cancellation(mut self, token: CancellationToken) -> Self {
        self.cancellation = Cow::Owned(token);
        self
    }

    /// The same context, borrowing this one's cancellation token: what the registry hands
    /// to a tool while it keeps its own context for [`run`](Self::run).
    pub(crate) fn reborrow(&self) -> ToolContext<'_> {
        ToolContext {
            request: self.request,
            cancellation: Cow::Borrowed(&*self.cancellation),
            confirm: self.confirm,
        }
    }

    /// Switches confirmation of destructive operations on or off (default off).
    #[must_use]
    pub fn with_confirmation(mut self, enabled: bool) -> Self {
        self.confirm = enabled;
        self
    }

    /// The engine's request context, when the tool runs inside an MCP server.
    pub fn request(&self) -> Option<&'a RequestContext> {
        self.request
    }

    /// Cancelled when the client cancels the request (or the caller cancels the token).
    pub fn cancellation(&self) -> &CancellationToken {
        &self.cancellation
    }

    /// True once the request was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.cancellation.is_cancelled()
    }

    /// Runs `work` until it finishes or the request is cancelled, whichever comes first;
    /// on cancellation the work (and any Coder request inside it) is dropped.
    ///
    /// # Errors
    /// [`Error::Cancelled`] when cancelled, otherwise what `work` returns.
    pub async fn run<T>(&self, work: impl Future<Output = Result<T>>) -> Result<T> {
        tokio::select! {
            biased;
            () = self.cancellation.cancelled() => Err(Error::Cancelled),
            r = work => r,
        }
    }

    /// Reports progress, when the client asked for it.
    pub async fn progress(&self, progress: f64, total: Option<f64>, message: Option<&str>) {
        if let Some(r) = self.request {
            r.progress(progress, total, message).await;
        }
    }

    /// True when the client asked for progress notifications.
    pub fn wants_progress(&self) -> bool {
        self.request.is_some_and(|r| r.progress_token().is_some())
    }

    /// Sends a log message to the client (when it wants this level) and to `tracing`.
    pub async fn log(&self, level: LoggingLevel, message: &str) {
        tracing::debug!(?level, message, "tool log");
        if let Some(r) = self.request {
            r.log(level, Some("coder-toolsdk"), message).await;
        }
    }

    /// The client's capabilities, inside an MCP server.
    pub fn client_capabilities(&self) -> Option<&'a ClientCapabilities> {
        self.request.map(RequestContext::client_capabilities)
    }

    /// True when confirmation of destructive operations is switched on.
    pub fn confirmation_enabled(&self) -> bool {
        self.confirm
    }

    /// Asks the user to confirm a destructive operation, before doing it.
    ///
    /// Proceeds without asking when confirmation is off, when there is no MCP request, or
    /// when the client cannot show a form (no form-mode elicitation). Otherwise it asks
    /// through elicitation: a server-to-client request for legacy clients, an
    /// `input_required` round trip for 2026-07-28 clients (the error that carries it must be
    /// propagated with `?` so the engine can answer; the tool then runs again with the
    /// answer, so call this before any side effect).
    ///
    /// # Errors
    /// [`Error::Declined`] when the user declines or cancels; [`Error::Mcp`] for the
    /// engine's signals.
    pub async fn confirm(&self, message: &str) -> Result<()> {
        if !self.confirm {
            return Ok(());
        }
        let Some(request) = self.request else {
            return Ok(());
        };
        let supports_form = request
            .client_capabilities()
            .elicitation
            .as_ref()
            .is_some_and(|e| e.supports_form());
        if !supports_form {
            return Ok(());
        }
        let schema = json!({
            "type": "object",
            "properties": {
                "confirm": {
                    "type": "boolean",
                    "title": "Confirm",
                    "description": "Check to let the operation go ahead.",
                    "default": false
                }
            },
            "required": ["confirm"]
        });
        let Value::Object(schema) = schema else {
            return Err(Error::failed("confirmation schema is not an object"));
        };
        let answer = request.elicit(ElicitParams::form(message, schema)).await?;
        let confirmed = answer.action == ElicitAction::Accept
            && answer
                .content
                .as_ref()
                .and_then(|c| c.get("confirm"))
                .and_then(Value::as_bool)
                .unwrap_or(true);
        if confirmed {
            Ok(())
        } else {
            Err(Error::Declined(message.to_owned()))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn detached_context_proceeds_and_cancels() {
        let ctx = ToolContext::detached().with_confirmation(true);
        ctx.confirm("delete everything").await.unwrap();
        ctx.progress(1.0, None, None).await;
        assert!(ctx.client_capabilities().is_none());
        assert!(!ctx.wants_progress());
        ctx.cancellation().cancel();
        let r = ctx.run(std::future::pending::<Result<()>>()).await;
        assert!(matches!(r, Err(Error::Cancelled)));
    }
}
