//! The `coder-mcp` application: its command line, the stdio and HTTP servers, and what they
//! share (the Coder client, demo mode, logging).

pub mod agentapi;
pub mod audit;
pub mod cli;
pub mod coder;
pub mod http;
pub mod logging;
pub mod remote_auth;
pub mod runtime;
pub mod stdio;

/// The identity `coder-mcp` announces to MCP clients.
pub fn server_info() -> mcp_protocol::types::Implementation {
    mcp_protocol::types::Implementation::new("coder-mcp", env!("CARGO_PKG_VERSION"))
}

/// Instructions for the model when none are configured.
pub const DEFAULT_INSTRUCTIONS: &str = "Coder MCP server: manage Coder workspaces and \
templates, and run commands and edit files inside workspaces. Workspaces are named \
`owner/name` or just `name` for your own; tools that work inside a workspace start it when \
it is stopped.";
