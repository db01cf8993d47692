#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod annotations;
mod context;
mod dyn_tool;
mod error;
mod export;
mod fn_tool;
mod handler;
mod registry;
mod result;
pub mod schema;
mod tool;
pub mod tools;
pub mod toolset;
mod workspace_ref;

pub use context::ToolContext;
pub use dyn_tool::{DynTool, ToolDefinition, decode_arguments};
pub use error::{Error, Result, ToolError};
pub use fn_tool::FnTool;
pub use handler::ToolHandler;
pub use mcp_protocol::types::{StructuredContent, ToolAnnotations};
pub use registry::ToolRegistry;
pub use result::error_message;
pub use tool::Tool;
pub use tools::{CoderToolsConfig, coder_tools, coder_tools_with};
pub use toolset::Toolset;
pub use workspace_ref::WorkspaceRef;
