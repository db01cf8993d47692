//! The MCP messages of every revision, as one set of serde types.
//!
//! Field names follow the wire (camelCase); optional fields are `Option` and left out when
//! `None`; unknown fields are ignored on input. Types derive `Default` where that makes sense
//! so a value can be written as `Tool { name: "x".into(), ..Default::default() }`.

pub mod common;
pub mod lifecycle;
pub mod logging;

pub use common::{
    CacheScope, Cursor, EmptyResult, Icon, IconTheme, JsonObject, NotificationParams,
    PaginatedParams, RequestParams, ResultType, Role,
};
pub use lifecycle::{
    ClientCapabilities, DiscoverParams, DiscoverResult, ElicitationCapability, Implementation,
    InitializeParams, InitializeResult, PromptsCapability, ResourcesCapability, RootsCapability,
    SamplingCapability, ServerCapabilities, ToolsCapability,
};
pub use logging::{LoggingLevel, LoggingMessageParams, SetLevelParams};
