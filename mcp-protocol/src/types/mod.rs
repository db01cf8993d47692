//! The MCP messages of every revision, as one set of serde types.
//!
//! Field names follow the wire (camelCase); optional fields are `Option` and left out when
//! `None`; unknown fields are ignored on input. Types derive `Default` where that makes sense
//! so a value can be written as `Tool { name: "x".into(), ..Default::default() }`.
//!
//! ```
//! use mcp_protocol::types::{CallToolResult, Content, Tool};
//! use serde_json::json;
//!
//! let schema = json!({"type": "object", "properties": {"text": {"type": "string"}}});
//! let tool = Tool::new("echo", "Repeats its input", schema.as_object().cloned().unwrap_or_default());
//! assert_eq!(tool.input_schema["type"], "object");
//!
//! let result = CallToolResult::structured(json!({"text": "hi"}));
//! assert_eq!(result.content[0].as_text(), Some(r#"{"text":"hi"}"#));
//! let wire = serde_json::to_value(&result)?;
//! assert_eq!(wire["structuredContent"]["text"], "hi");
//!
//! let parsed: Content = serde_json::from_value(json!({"type": "text", "text": "x"}))?;
//! assert_eq!(parsed, Content::text("x"));
//! # Ok::<(), serde_json::Error>(())
//! ```

pub mod common;
pub mod completion;
pub mod content;
pub mod elicitation;
pub mod input_required;
pub mod lifecycle;
pub mod logging;
pub mod progress;
pub mod prompts;
pub mod resources;
pub mod roots;
pub mod sampling;
pub mod structured;
pub mod subscriptions;
pub mod tools;

pub use common::{
    CacheScope, Cursor, EmptyResult, Icon, IconTheme, JsonObject, NotificationParams,
    PaginatedParams, RequestParams, ResultType, Role,
};
pub use completion::{
    CompleteParams, CompleteResult, Completion, CompletionArgument, CompletionContext,
    CompletionReference, PromptReference, ResourceTemplateReference,
};
pub use content::{
    Annotations, AudioContent, BlobResourceContents, Content, EmbeddedResource, ImageContent,
    ResourceContents, ResourceLink, TextContent, TextResourceContents,
};
pub use elicitation::{
    ElicitAction, ElicitFormParams, ElicitParams, ElicitResult, ElicitUrlParams,
    ElicitationCompleteParams, UrlMode,
};
pub use input_required::{
    InputRequest, InputRequests, InputRequiredResult, InputResponse, InputResponses,
    MaybeInputRequired,
};
pub use lifecycle::{
    ClientCapabilities, DiscoverParams, DiscoverResult, ElicitationCapability, Implementation,
    InitializeParams, InitializeResult, PromptsCapability, ResourcesCapability, RootsCapability,
    SamplingCapability, ServerCapabilities, ToolsCapability,
};
pub use logging::{LoggingLevel, LoggingMessageParams, SetLevelParams};
pub use progress::{CancelledParams, ProgressParams};
pub use prompts::{
    GetPromptParams, GetPromptResult, ListPromptsParams, ListPromptsResult, Prompt, PromptArgument,
    PromptMessage,
};
pub use resources::{
    ListResourceTemplatesResult, ListResourcesResult, ReadResourceParams, ReadResourceResult,
    Resource, ResourceTemplate, ResourceUpdatedParams, SubscribeParams, UnsubscribeParams,
};
pub use roots::{ListRootsParams, ListRootsResult, Root};
pub use sampling::{
    CreateMessageParams, CreateMessageResult, IncludeContext, ModelHint, ModelPreferences,
    SamplingContent, SamplingMessage, SamplingMessageContent, ToolChoice, ToolChoiceMode,
    ToolResultContent, ToolUseContent,
};
pub use structured::StructuredContent;
pub use subscriptions::{
    SubscriptionFilter, SubscriptionsAcknowledgedParams, SubscriptionsListenParams,
    SubscriptionsListenResult,
};
pub use tools::{
    CallToolParams, CallToolResult, ListToolsParams, ListToolsResult, Tool, ToolAnnotations,
};
