//! [`FnTool`]: a tool made at run time from a closure and a hand-written schema.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;
use futures::future::BoxFuture;
use mcp_protocol::types::{JsonObject, StructuredContent, Tool as ToolDef, ToolAnnotations};
use serde_json::{Value, json};

use crate::context::ToolContext;
use crate::dyn_tool::{DynTool, ToolDefinition};
use crate::error::Result;
use crate::schema::wrap_output_schema;

type Handler = dyn Fn(JsonObject) -> BoxFuture<'static, Result<Value>> + Send + Sync;

/// A tool whose name, schema and behaviour are only known at run time (loaded from a
/// config file, proxied from another server...).
///
/// ```
/// use coder_toolsdk::{FnTool, ToolRegistry};
/// use serde_json::json;
///
/// let echo = FnTool::new(
///     "echo",
///     "Returns its text argument.",
///     json!({"type": "object", "properties": {"text": {"type": "string", "description": "What to echo."}},
///            "required": ["text"], "additionalProperties": false}),
///     |args| async move { Ok(json!({ "text": args.get("text").cloned() })) },
/// );
/// let registry = ToolRegistry::new().with(echo);
/// assert_eq!(registry.names(), ["echo"]);
/// ```
#[derive(Clone)]
pub struct FnTool {
    name: String,
    description: Cow<'static, str>,
    input_schema: JsonObject,
    output_schema: Option<Value>,
    annotations: ToolAnnotations,
    handler: Arc<Handler>,
}

impl fmt::Debug for FnTool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FnTool")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl FnTool {
    /// A tool from a name, a description, a JSON Schema of its arguments (a non-object
    /// value is replaced by an empty object schema) and an async function of the arguments.
    pub fn new<F, Fut>(
        name: impl Into<String>,
        description: impl Into<Cow<'static, str>>,
        input_schema: Value,
        f: F,
    ) -> Self
    where
        F: Fn(JsonObject) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value>> + Send + 'static,
    {
        let input_schema = match input_schema {
            Value::Object(o) => o,
            _ => JsonObject::new(),
        };
        Self {
            name: name.into(),
            description: description.into(),
            input_schema,
            output_schema: None,
            annotations: crate::annotations::mutation(),
            handler: Arc::new(move |args| Box::pin(f(args))),
        }
    }

    /// Sets the JSON Schema of the result (non-object schemas are wrapped in
    /// `{"result": ...}`, and so are the results).
    #[must_use]
    pub fn with_output_schema(mut self, schema: Value) -> Self {
        self.output_schema = Some(schema);
        self
    }

    /// Sets the annotations (default: [`mutation`](crate::annotations::mutation)).
    #[must_use]
    pub fn with_annotations(mut self, annotations: ToolAnnotations) -> Self {
        self.annotations = annotations;
        self
    }
}

#[async_trait]
impl DynTool for FnTool {
    fn name(&self) -> &str {
        &self.name
    }

    fn definition(&self) -> Result<ToolDefinition> {
        let mut input = self.input_schema.clone();
        input.entry("type").or_insert_with(|| json!("object"));
        input
            .entry("properties")
            .or_insert_with(|| Value::Object(JsonObject::new()));
        let (output, wraps_output) = match &self.output_schema {
            Some(s) => wrap_output_schema(s.clone()),
            None => {
                let mut o = JsonObject::new();
                o.insert("type".into(), json!("object"));
                (o, false)
            }
        };
        let tool = ToolDef::new(self.name.clone(), self.description.clone(), input)
            .with_output_schema(output)
            .with_annotations(self.annotations.clone());
        Ok(ToolDefinition { tool, wraps_output })
    }

    async fn call_json(
        &self,
        _ctx: ToolContext<'_>,
        arguments: JsonObject,
    ) -> Result<StructuredContent> {
        (self.handler)(arguments).await.map(StructuredContent::from)
    }
}
