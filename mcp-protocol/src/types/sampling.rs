//! Sampling: the server asks the client's model for a completion (`sampling/createMessage`).

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::meta::Meta;
use crate::revision::{ForRevision, adapt_meta};
use crate::types::common::{JsonObject, Role, adapt_object_meta};
use crate::types::content::{
    AudioContent, Content, ImageContent, TextContent, describe_audio, fallback_text,
};
use crate::types::tools::Tool;
use crate::version::ProtocolVersion;

/// A model's request to call a tool, inside sampling (2025-11-25+).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ToolUseContent {
    /// An id the matching `tool_result` refers to.
    pub id: String,
    /// The tool's name.
    pub name: String,
    /// The arguments.
    pub input: JsonObject,
    /// Metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// The result of a tool call, fed back into sampling (2025-11-25+).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolResultContent {
    /// The `tool_use` id this answers.
    pub tool_use_id: String,
    /// What the tool produced.
    pub content: Vec<Content>,
    /// The same as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structured_content: Option<Value>,
    /// True when the tool failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_error: Option<bool>,
    /// Metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// A content block of a sampling message, tagged by `type`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SamplingContent {
    /// `text`.
    Text(TextContent),
    /// `image`.
    Image(ImageContent),
    /// `audio` (2025-03-26+).
    Audio(AudioContent),
    /// `tool_use` (2025-11-25+).
    ToolUse(ToolUseContent),
    /// `tool_result` (2025-11-25+).
    ToolResult(ToolResultContent),
    /// A type this crate does not know, kept as received.
    #[serde(untagged)]
    Unknown(Value),
}

impl SamplingContent {
    /// A text block.
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(TextContent {
            text: text.into(),
            ..TextContent::default()
        })
    }
}

impl<'de> Deserialize<'de> for SamplingContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| D::Error::missing_field("type"))?;
        let res = match kind {
            "text" => TextContent::deserialize(&value).map(Self::Text),
            "image" => ImageContent::deserialize(&value).map(Self::Image),
            "audio" => AudioContent::deserialize(&value).map(Self::Audio),
            "tool_use" => ToolUseContent::deserialize(&value).map(Self::ToolUse),
            "tool_result" => ToolResultContent::deserialize(&value).map(Self::ToolResult),
            _ => return Ok(Self::Unknown(value)),
        };
        res.map_err(|e| D::Error::custom(format!("{kind} content: {e}")))
    }
}

/// The content of a sampling message: one block, or (2025-11-25+) several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SamplingMessageContent {
    /// A single block.
    One(SamplingContent),
    /// Several blocks (2025-11-25+).
    Many(Vec<SamplingContent>),
}

impl Default for SamplingMessageContent {
    fn default() -> Self {
        Self::Many(Vec::new())
    }
}

impl SamplingMessageContent {
    /// The blocks, whatever the shape.
    pub fn blocks(&self) -> &[SamplingContent] {
        match self {
            Self::One(c) => std::slice::from_ref(c),
            Self::Many(v) => v,
        }
    }
}

impl From<SamplingContent> for SamplingMessageContent {
    fn from(c: SamplingContent) -> Self {
        Self::One(c)
    }
}

/// A message in a sampling conversation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SamplingMessage {
    /// Who speaks.
    pub role: Role,
    /// What is said.
    pub content: SamplingMessageContent,
    /// Metadata (2025-11-25+).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl SamplingMessage {
    /// A text message from the user.
    pub fn user_text(text: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: SamplingContent::text(text).into(),
            meta: None,
        }
    }
}

/// A model name hint; clients may map it to a model they have.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ModelHint {
    /// A full or partial model name, e.g. `claude-3-5-sonnet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The server's preferences for model choice; priorities run from 0 to 1.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelPreferences {
    /// Model names to consider, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hints: Option<Vec<ModelHint>>,
    /// How much cost matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_priority: Option<f64>,
    /// How much speed matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_priority: Option<f64>,
    /// How much capability matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intelligence_priority: Option<f64>,
}

/// Which servers' context the client should add (non-`none` values are deprecated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum IncludeContext {
    /// No context.
    None,
    /// Context from the requesting server.
    ThisServer,
    /// Context from every connected server.
    AllServers,
}

/// How the model may use tools during sampling (2025-11-25+).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ToolChoice {
    /// The mode; absent means `auto`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<ToolChoiceMode>,
}

/// A tool-choice mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolChoiceMode {
    /// The model decides.
    Auto,
    /// The model must not call tools.
    None,
    /// The model must call a tool.
    Required,
}

/// Params of `sampling/createMessage`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateMessageParams {
    /// The conversation.
    pub messages: Vec<SamplingMessage>,
    /// Model preferences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_preferences: Option<ModelPreferences>,
    /// A system prompt the client may use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_prompt: Option<String>,
    /// Context to include.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_context: Option<IncludeContext>,
    /// Sampling temperature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// The most tokens to sample.
    pub max_tokens: u64,
    /// Sequences that stop sampling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_sequences: Option<Vec<String>>,
    /// Provider-specific metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<JsonObject>,
    /// Tools the model may call (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// How the model may use them (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// 2025-11-25 experimental tasks, kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<JsonObject>,
    /// Request metadata (legacy revisions only).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// Result of `sampling/createMessage`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateMessageResult {
    /// Who speaks (normally the assistant).
    pub role: Role,
    /// What the model produced.
    pub content: SamplingMessageContent,
    /// The model that produced it.
    pub model: String,
    /// Why sampling stopped, e.g. `endTurn`, `maxTokens`, `toolUse`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_reason: Option<String>,
    /// Result metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// Describes a sampling block in words, for a revision that cannot carry it.
fn describe(c: &SamplingContent) -> String {
    match c {
        SamplingContent::Text(t) => t.text.clone(),
        SamplingContent::Image(i) => format!("[image content: {}]", i.mime_type),
        SamplingContent::Audio(a) => describe_audio(a),
        SamplingContent::ToolUse(t) => {
            format!(
                "[tool call {} ({}): {}]",
                t.name,
                t.id,
                Value::Object(t.input.clone())
            )
        }
        SamplingContent::ToolResult(r) => {
            let text: Vec<&str> = r.content.iter().filter_map(Content::as_text).collect();
            format!("[tool result for {}: {}]", r.tool_use_id, text.join("\n"))
        }
        SamplingContent::Unknown(v) => {
            let kind = v.get("type").and_then(Value::as_str).unwrap_or("unknown");
            format!("[{kind} content omitted]")
        }
    }
}

impl ForRevision for SamplingContent {
    fn adapt(&mut self, v: ProtocolVersion) {
        let lacks = match self {
            Self::Audio(_) => v < ProtocolVersion::V2025_03_26,
            Self::ToolUse(_) | Self::ToolResult(_) => v < ProtocolVersion::V2025_11_25,
            Self::Unknown(_) => true,
            Self::Text(_) | Self::Image(_) => false,
        };
        if lacks {
            *self = Self::Text(fallback_text(describe(self), None));
        }
        match self {
            Self::Text(t) => t.adapt(v),
            Self::Image(i) => i.adapt(v),
            Self::Audio(a) => a.adapt(v),
            Self::ToolUse(t) => adapt_object_meta(&mut t.meta, v),
            Self::ToolResult(r) => {
                r.content.adapt(v);
                adapt_object_meta(&mut r.meta, v);
            }
            Self::Unknown(_) => {}
        }
    }
}

impl ForRevision for SamplingMessageContent {
    fn adapt(&mut self, v: ProtocolVersion) {
        match self {
            Self::One(c) => c.adapt(v),
            Self::Many(list) => {
                list.adapt(v);
                if v < ProtocolVersion::V2025_11_25 {
                    // Older revisions carry exactly one block: keep a lone block, merge
                    // several into one text.
                    *self = if list.len() == 1 {
                        Self::One(list.remove(0))
                    } else {
                        let text: Vec<String> = list.iter().map(describe).collect();
                        Self::One(SamplingContent::text(text.join("\n")))
                    };
                }
            }
        }
    }
}

impl ForRevision for SamplingMessage {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.content.adapt(v);
        if v < ProtocolVersion::V2025_11_25 {
            self.meta = None;
        } else {
            adapt_meta(&mut self.meta, v);
        }
    }
}

impl ForRevision for CreateMessageParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.messages.adapt(v);
        if v < ProtocolVersion::V2025_11_25 {
            self.tools = None;
            self.tool_choice = None;
        } else {
            self.tools.adapt(v);
        }
        if v != ProtocolVersion::V2025_11_25 {
            self.task = None;
        }
        if v.is_legacy() {
            adapt_meta(&mut self.meta, v);
        } else {
            self.meta = None;
        }
    }
}

impl ForRevision for CreateMessageResult {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.content.adapt(v);
        adapt_meta(&mut self.meta, v);
    }
}
