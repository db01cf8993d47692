//! The command line of `coder-mcp`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use coder_toolsdk::Toolset;

use crate::app::coder::CoderArgs;
use crate::app::logging::LogFormat;
use crate::configure::Assistant;

/// Coder's MCP server: lets AI assistants manage and work inside Coder workspaces.
#[derive(Debug, Parser)]
#[command(name = "coder-mcp", version)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Log level (`error`, `warn`, `info`, `debug`, `trace`); `RUST_LOG` overrides it.
    #[arg(
        long,
        global = true,
        env = "CODER_MCP_LOG_LEVEL",
        default_value = "info"
    )]
    pub log_level: String,
    /// Log format.
    #[arg(
        long,
        global = true,
        value_enum,
        env = "CODER_MCP_LOG_FORMAT",
        default_value_t
    )]
    pub log_format: LogFormat,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve MCP over stdin/stdout (a drop-in for `coder exp mcp server`).
    Server(ServerArgs),
    /// Serve MCP over Streamable HTTP, acting as each caller with their own Coder token.
    ServeHttp(HttpArgs),
    /// Add this server to an assistant's MCP configuration.
    Configure(ConfigureArgs),
}

/// Options shared by both servers.
#[derive(Debug, Clone, clap::Args)]
pub struct ToolArgs {
    /// Instructions for the model, sent to the client when it connects.
    #[arg(long, env = "CODER_MCP_INSTRUCTIONS")]
    pub instructions: Option<String>,
    /// Comma-separated tool names to offer (default: all of the toolset).
    #[arg(long, env = "CODER_MCP_ALLOWED_TOOLS", value_delimiter = ',')]
    pub allowed_tools: Vec<String>,
    /// Ask the user to confirm destructive tools (deleting, writing files) through the
    /// client, when it supports elicitation.
    #[arg(long, env = "CODER_MCP_CONFIRM_DESTRUCTIVE")]
    pub confirm_destructive: bool,
}

/// `coder-mcp server`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerArgs {
    /// The deployment and credentials.
    #[command(flatten)]
    pub coder: CoderArgs,
    /// Tool options.
    #[command(flatten)]
    pub tools: ToolArgs,
    /// Which tools: `all` (default for stdio), `standard`, `chatgpt` or `agent`.
    #[arg(long, env = "CODER_MCP_TOOLSET", default_value = "all")]
    pub toolset: Toolset,
    /// The `coder_app` slug that `coder_report_task` reports status under (enables the
    /// tool; needs the agent token from `CODER_AGENT_TOKEN` or `CODER_AGENT_TOKEN_FILE`).
    #[arg(long, env = "CODER_MCP_APP_STATUS_SLUG")]
    pub app_status_slug: Option<String>,
    /// A coder/agentapi server whose screen status turns self-reported `idle` into
    /// `working` while the screen is busy (usually `http://localhost:3284`).
    #[arg(long, env = "CODER_MCP_AI_AGENTAPI_URL")]
    pub ai_agentapi_url: Option<String>,
}

/// `coder-mcp serve-http`.
#[derive(Debug, Clone, clap::Args)]
pub struct HttpArgs {
    /// The deployment whose tokens are accepted and whose API the tools call.
    #[command(flatten)]
    pub coder: CoderArgs,
    /// Tool options.
    #[command(flatten)]
    pub tools: ToolArgs,
    /// Address to listen on.
    #[arg(long, env = "CODER_MCP_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The public base URL clients use to reach this server (for OAuth metadata); default
    /// `http://<listen address>`.
    #[arg(long, env = "CODER_MCP_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Extra accepted `Host` values (behind a proxy); loopback names are always accepted.
    #[arg(
        long = "allowed-host",
        env = "CODER_MCP_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    pub allowed_hosts: Vec<String>,
    /// Extra accepted `Origin` values (browser clients); loopback origins are always
    /// accepted.
    #[arg(
        long = "allowed-origin",
        env = "CODER_MCP_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,
    /// Also accept the token in the `coder_session_token` or `access_token` query
    /// parameter (off by default: URLs end up in logs).
    #[arg(long)]
    pub allow_query_token: bool,
    /// Write one JSON line per tool call to this file (`-` for stderr).
    #[arg(long, env = "CODER_MCP_AUDIT_LOG", value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
}

/// `coder-mcp configure`.
#[derive(Debug, Clone, clap::Args)]
pub struct ConfigureArgs {
    /// The assistant to configure.
    #[arg(value_enum)]
    pub assistant: Assistant,
    /// Configure this project only (Cursor, VS Code, Claude Code).
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// Point the assistant at a remote `coder-mcp serve-http` (or Coder's own) MCP URL
    /// instead of starting this binary over stdio.
    #[arg(long, value_name = "URL")]
    pub remote: Option<String>,
    /// Print the resulting file instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// Extra arguments for `coder-mcp server` in the stdio entry (after `--`).
    #[arg(last = true)]
    pub server_args: Vec<String>,
}
