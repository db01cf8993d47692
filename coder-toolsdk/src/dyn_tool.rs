//! Type erasure: [`DynTool`], the object-safe face of every tool.

use async_trait::async_trait;
use mcp_protocol::types::{JsonObject, StructuredContent, Tool as ToolDef};
use serde_json::Value;

use crate::context::ToolContext;
use crate::error::{Error, Result};
use crate::schema::{input_schema_for, output_schema_for};
use crate::tool::Tool;

/// A tool's definition as the registry serves it, plus how to shape its output.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolDefinition {
    /// The MCP definition (`tools/list` entry) with input and output schemas.
    pub tool: ToolDef,
    /// True when outputs are wrapped in `{"result": ...}` to make them objects.
    pub wraps_output: bool,
}

/// A tool working on JSON, so tools of different types (and tools made at run time) can
/// live in one registry. Every [`Tool`] is a `DynTool` through a blanket impl; implement it
/// directly only for tools whose schema is not known at compile time (or use
/// [`FnTool`](crate::FnTool)).
#[async_trait]
pub trait DynTool: Send + Sync + 'static {
    /// The tool's name.
    fn name(&self) -> &str;

    /// The tool's definition; computed once, when the tool is added to a registry.
    ///
    /// # Errors
    /// [`Error::Schema`] when the tool's schema cannot be served.
    fn definition(&self) -> Result<ToolDefinition>;

    /// Runs the tool on arguments that already passed schema validation.
    ///
    /// The output is a [`StructuredContent`]: a `Value` (`json!(..).into()`) or JSON text
    /// already serialized. Typed tools return the text
    /// ([`StructuredContent::from_serialize`]), written once and copied into the text block,
    /// rather than a `Value` tree that would be built, written out twice and freed.
    ///
    /// # Errors
    /// What the tool reports; decode failures are [`Error::InvalidArguments`].
    async fn call_json(
        &self,
        ctx: ToolContext<'_>,
        arguments: JsonObject,
    ) -> Result<StructuredContent>;
}

#[async_trait]
impl<T: Tool> DynTool for T {
    fn name(&self) -> &str {
        T::NAME
    }

    fn definition(&self) -> Result<ToolDefinition> {
        let input = input_schema_for::<T::Input>(T::NAME)?;
        let (output, wraps_output) = output_schema_for::<T::Output>();
        let tool = ToolDef::new(T::NAME, self.description(), input)
            .with_output_schema(output)
            .with_annotations(self.annotations());
        Ok(ToolDefinition { tool, wraps_output })
    }

    async fn call_json(
        &self,
        ctx: ToolContext<'_>,
        arguments: JsonObject,
    ) -> Result<StructuredContent> {
        let input: T::Input = decode_arguments(arguments)?;
        let output = self.call(ctx, input).await?;
        StructuredContent::from_serialize(&output)
            .map_err(|e| Error::failed(format!("the tool's result cannot be encoded: {e}")))
    }
}

/// Decodes arguments, naming the JSON path of the first field that does not fit.
///
/// # Errors
/// [`Error::InvalidArguments`] with the path (for example `/edits/0/old_text: ...`).
pub fn decode_arguments<T: serde::de::DeserializeOwned>(arguments: JsonObject) -> Result<T> {
    let value = Value::Object(arguments);
    // Arguments have passed the schema, so they almost always decode: try without path
    // tracking (from a borrow, so the value is still there), and track only to explain a
    // failure.
    if let Ok(decoded) = T::deserialize(&value) {
        return Ok(decoded);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || path.is_empty() {
            Error::InvalidArguments(inner.to_string())
        } else {
            let pointer = format!("/{}", path.replace(['.', '['], "/").replace(']', ""));
            Error::InvalidArguments(format!("{pointer}: {inner}"))
        }
    })
}
