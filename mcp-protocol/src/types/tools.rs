//! Tools: definitions, `tools/list` and `tools/call`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::meta::Meta;
use crate::revision::{ForRevision, adapt_cache_hints, adapt_meta, adapt_result_type};
use crate::types::common::{
    CacheScope, Cursor, Icon, JsonObject, ResultType, adapt_icons, adapt_object_meta, adapt_title,
};
use crate::types::content::Content;
use crate::types::input_required::InputResponses;
use crate::types::structured::StructuredContent;
use crate::version::ProtocolVersion;

/// A tool the server offers.
///
/// The schemas stay JSON objects so every keyword (`$schema`, `$defs`,
/// `additionalProperties`...) reaches the client unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tool {
    /// The tool's name, unique within the server.
    pub name: String,
    /// A name for people (2025-06-18+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What the tool does, for the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// JSON Schema of the arguments; its `type` is `"object"`.
    pub input_schema: JsonObject,
    /// JSON Schema of `structuredContent` (2025-06-18+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_schema: Option<JsonObject>,
    /// Behaviour hints (2025-03-26+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<ToolAnnotations>,
    /// Icons (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icons: Option<Vec<Icon>>,
    /// Task support (2025-11-25 only), kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution: Option<JsonObject>,
    /// Metadata (2025-06-18+).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl Default for Tool {
    /// A nameless tool that takes an object of any shape.
    fn default() -> Self {
        let mut input_schema = JsonObject::new();
        input_schema.insert("type".to_owned(), Value::from("object"));
        Self {
            name: String::new(),
            title: None,
            description: None,
            input_schema,
            output_schema: None,
            annotations: None,
            icons: None,
            execution: None,
            meta: None,
        }
    }
}

impl Tool {
    /// A tool with a name, a description and an input schema. A schema without `type` gets
    /// `"type": "object"`, which every revision requires.
    pub fn new(
        name: impl Into<String>,
        description: impl Into<String>,
        mut input_schema: JsonObject,
    ) -> Self {
        input_schema
            .entry("type")
            .or_insert_with(|| Value::from("object"));
        Self {
            name: name.into(),
            description: Some(description.into()),
            input_schema,
            ..Self::default()
        }
    }

    /// Sets the output schema.
    #[must_use]
    pub fn with_output_schema(mut self, schema: JsonObject) -> Self {
        self.output_schema = Some(schema);
        self
    }

    /// Sets the annotations.
    #[must_use]
    pub fn with_annotations(mut self, annotations: ToolAnnotations) -> Self {
        self.annotations = Some(annotations);
        self
    }
}

/// Hints about a tool's behaviour. Clients must not trust them from untrusted servers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolAnnotations {
    /// A name for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The tool changes nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only_hint: Option<bool>,
    /// The tool may destroy data (meaningful when not read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destructive_hint: Option<bool>,
    /// Calling it twice with the same arguments has no further effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotent_hint: Option<bool>,
    /// The tool reaches outside systems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_world_hint: Option<bool>,
}

/// Params of `tools/list`.
pub type ListToolsParams = crate::types::common::PaginatedParams;

/// Result of `tools/list`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListToolsResult {
    /// One page of tools.
    pub tools: Vec<Tool>,
    /// Where the next page starts; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<Cursor>,
    /// How long the result may be cached, in milliseconds (2026-07-28).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_ms: Option<u64>,
    /// Who may reuse a cached copy (2026-07-28).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_scope: Option<CacheScope>,
    /// The kind of result (2026-07-28).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_type: Option<ResultType>,
    /// Result metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// Params of `tools/call`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallToolParams {
    /// The tool to call.
    pub name: String,
    /// The arguments, checked by the tool against its input schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<JsonObject>,
    /// 2026-07-28: answers to the server's earlier `input_required` result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_responses: Option<InputResponses>,
    /// 2026-07-28: the opaque state the server returned with `input_required`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_state: Option<String>,
    /// 2025-11-25 experimental tasks: run as a task, kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<JsonObject>,
    /// Request metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl CallToolParams {
    /// A call with a name and arguments.
    pub fn new(name: impl Into<String>, arguments: JsonObject) -> Self {
        Self {
            name: name.into(),
            arguments: Some(arguments),
            ..Self::default()
        }
    }
}

/// Result of `tools/call`.
///
/// A tool that failed returns this with `is_error: Some(true)` and a message the model can
/// act on; protocol errors are for protocol faults.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallToolResult {
    /// What the tool produced, for the model.
    pub content: Vec<Content>,
    /// The same result as JSON matching the tool's output schema (2025-06-18+); a tree or
    /// already serialized text (see [`StructuredContent`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structured_content: Option<StructuredContent>,
    /// True when the tool failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_error: Option<bool>,
    /// The kind of result (2026-07-28).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_type: Option<ResultType>,
    /// Result metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl CallToolResult {
    /// A successful result with one text block.
    pub fn text(text: impl Into<String>) -> Self {
        Self::content(vec![Content::text(text)])
    }

    /// A successful result with the given blocks.
    pub fn content(content: Vec<Content>) -> Self {
        Self {
            content,
            ..Self::default()
        }
    }

    /// A failed result with one text block saying what went wrong.
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            is_error: Some(true),
            ..Self::text(message)
        }
    }

    /// A successful structured result; the same JSON is also added as a text block for
    /// clients that do not read `structuredContent`.
    ///
    /// Takes a `Value` (`CallToolResult::structured(json!({..}))`) or JSON text already
    /// serialized ([`StructuredContent::from_serialize`]), which the text block copies
    /// instead of writing the JSON out again.
    pub fn structured(value: impl Into<StructuredContent>) -> Self {
        let value = value.into();
        Self {
            content: vec![Content::text(value.to_json_string())],
            structured_content: Some(value),
            ..Self::default()
        }
    }

    /// True when the tool reported a failure.
    pub fn is_error(&self) -> bool {
        self.is_error == Some(true)
    }
}

impl ForRevision for ToolAnnotations {
    fn adapt(&mut self, _v: ProtocolVersion) {}
}

impl ForRevision for Tool {
    fn adapt(&mut self, v: ProtocolVersion) {
        if v < ProtocolVersion::V2025_03_26 {
            self.annotations = None;
        }
        if v < ProtocolVersion::V2025_06_18 {
            self.output_schema = None;
        }
        if v != ProtocolVersion::V2025_11_25 {
            self.execution = None;
        }
        adapt_title(&mut self.title, v);
        adapt_icons(&mut self.icons, v);
        adapt_object_meta(&mut self.meta, v);
    }
}

impl ForRevision for ListToolsResult {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.tools.adapt(v);
        adapt_cache_hints(&mut self.ttl_ms, &mut self.cache_scope, v);
        adapt_result_type(&mut self.result_type, v);
        adapt_meta(&mut self.meta, v);
    }
}

impl ForRevision for CallToolParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        if v.is_legacy() {
            self.input_responses = None;
            self.request_state = None;
        }
        if v != ProtocolVersion::V2025_11_25 {
            self.task = None;
        }
        self.input_responses.adapt(v);
        adapt_meta(&mut self.meta, v);
    }
}

impl ForRevision for CallToolResult {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.content.adapt(v);
        // Before 2025-06-18 there is no structured output, and until 2026-07-28 it must be
        // an object: otherwise the JSON travels as text (added unless a block already
        // carries it).
        let keep = match &self.structured_content {
            None => true,
            Some(_) if v >= ProtocolVersion::V2026_07_28 => true,
            Some(s) => v >= ProtocolVersion::V2025_06_18 && s.is_object(),
        };
        if let (false, Some(s)) = (keep, self.structured_content.take_if(|_| !keep)) {
            let text = s.json();
            if !self.content.iter().any(|c| c.as_text() == Some(&*text)) {
                self.content.push(Content::text(text.into_owned()));
            }
        }
        adapt_result_type(&mut self.result_type, v);
        adapt_meta(&mut self.meta, v);
    }
}
