//! The [`Tool`] trait: what a typed tool is.

use std::borrow::Cow;
use std::future::Future;

use mcp_protocol::types::ToolAnnotations;
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::context::ToolContext;
use crate::error::ToolError;

/// A tool: a name, a description, typed input and output, annotations and an async `call`.
///
/// Implement it on a small struct that owns what the tool needs (a Coder client, a config),
/// then add it to a [`ToolRegistry`](crate::ToolRegistry). The registry derives the JSON
/// Schemas from `Input` and `Output`, validates arguments before `call`, and turns errors
/// into results the model can act on. Field doc comments on `Input` become the parameter
/// descriptions the model reads, so write them for the model.
///
/// `call` is written as `fn .. -> impl Future + Send` (rather than `async fn`) so the
/// future is known to be `Send` and tools can run on any multi-threaded transport.
pub trait Tool: Send + Sync + 'static {
    /// The tool's name, unique within a registry.
    const NAME: &'static str;

    /// The arguments. Fields with `#[serde(default)]` or of type `Option` are optional.
    type Input: DeserializeOwned + JsonSchema + Send;

    /// The result. When it does not serialize to a JSON object it is wrapped in
    /// `{"result": ...}` because MCP requires structured output to be an object.
    type Output: Serialize + JsonSchema;

    /// What the tool does, written for the model that decides when to call it.
    fn description(&self) -> Cow<'static, str>;

    /// Behaviour hints; defaults to [`mutation`](crate::annotations::mutation), the
    /// cautious choice for a tool that did not say.
    fn annotations(&self) -> ToolAnnotations {
        crate::annotations::mutation()
    }

    /// Runs the tool.
    fn call(
        &self,
        ctx: ToolContext<'_>,
        input: Self::Input,
    ) -> impl Future<Output = Result<Self::Output, ToolError>> + Send;
}
