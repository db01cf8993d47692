//! `coder-mcp server`: MCP over stdin/stdout, as `coder exp mcp server` does it.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use coder_toolsdk::tools::{CoderToolsConfig, TaskReporter, coder_tools_with};
use coder_toolsdk::{ToolHandler, ToolRegistry};
use mcp_protocol::server::Server;
use tokio::io::{AsyncRead, ReadBuf};

use crate::app::agentapi;
use crate::app::cli::ServerArgs;
use crate::app::coder::{Deployment, LOGIN_HELP};
use crate::app::{DEFAULT_INSTRUCTIONS, server_info};

/// The tool that reports task status with the agent token and works without a user login.
const REPORT_TASK: &str = "coder_report_task";

/// Builds the tools this process will offer, printing Coder's status block to stderr.
///
/// Fails (with what to do) when there is neither a user login nor the agent-context setup.
pub async fn prepare(args: &ServerArgs) -> Result<(Deployment, ToolRegistry), String> {
    let deployment = Deployment::connect(&args.coder).await?;
    let client = &deployment.client;
    status("URL", client.url().as_str());
    if deployment.demo.is_some() {
        status("Deployment", "simulated (--demo)");
    }
    let logged_in = if client.has_token() {
        match client.me().await {
            Ok(user) => {
                status("Authentication", &format!("Successful ({})", user.username));
                true
            }
            Err(e) => {
                status("Authentication", &format!("Failed: {e}"));
                false
            }
        }
    } else {
        status("Authentication", "no session token");
        false
    };
    let reporter = args.app_status_slug.is_some() && client.has_agent_token();
    status(
        "Task reporter",
        if reporter {
            "Enabled"
        } else {
            "Disabled (needs --app-status-slug and an agent token)"
        },
    );
    let screen_events = args.ai_agentapi_url.clone().filter(|_| reporter);
    status(
        "Screen events",
        match (&args.ai_agentapi_url, &screen_events) {
            (None, _) => "Not configured".to_owned(),
            (Some(url), Some(_)) => format!("Enabled ({url})"),
            (Some(_), None) => "Disabled (needs the task reporter)".to_owned(),
        }
        .as_str(),
    );
    if !logged_in && !reporter {
        return Err(LOGIN_HELP.to_owned());
    }

    let mut config = CoderToolsConfig::new();
    if let Some(slug) = &args.app_status_slug {
        config = config.with_app_status_slug(slug.clone());
        if let Some(url) = screen_events {
            // The watcher and the tool share one reporter, so reports stay deduplicated.
            let shared = TaskReporter::screen_watched(client.clone(), slug.clone());
            config = config.with_task_reporter(shared.clone());
            agentapi::spawn(url, shared);
        }
    }
    let mut registry = coder_tools_with(client, &config).toolset(args.toolset);
    if !reporter {
        registry.remove(REPORT_TASK);
    }
    if !logged_in {
        // Only the agent-context tool works without a user session.
        let (only_agent, _) = registry.filter([REPORT_TASK]);
        registry = only_agent;
    }
    if !args.tools.allowed_tools.is_empty() {
        let (filtered, unknown) = registry.filter(&args.tools.allowed_tools);
        for name in unknown {
            tracing::warn!("--allowed-tools names {name:?}, which is not an available tool");
        }
        registry = filtered;
    }
    status("Tools", &registry.len().to_string());
    Ok((
        deployment,
        registry.confirm_destructive(args.tools.confirm_destructive),
    ))
}

/// Runs the stdio server until stdin closes.
pub async fn run(args: ServerArgs) -> Result<(), String> {
    let (_deployment, registry) = prepare(&args).await?;
    let handler = ToolHandler::new(registry)
        .with_info(server_info())
        .with_instructions(
            args.tools
                .instructions
                .clone()
                .unwrap_or_else(|| DEFAULT_INSTRUCTIONS.to_owned()),
        );
    mcp_transport_stdio::serve_io(
        Server::new(handler),
        StdinUntilShutdown::new(),
        mcp_transport_stdio::stdout(),
    )
    .await
    .map_err(|e| e.to_string())
}

/// Standard input that reads as end of input once SIGTERM or Ctrl-C arrives.
///
/// MCP clients stop a stdio server by closing its stdin and then, if it lingers, sending
/// SIGTERM. Treating the signal like the closed stdin lets the transport finish the calls
/// in flight (within its grace period), flush stdout and return, so the process exits 0
/// instead of being killed mid-answer. The process should exit right after serving: when
/// stdin is not a pipe, a blocking read of it may still be pending and cannot be cancelled.
pub struct StdinUntilShutdown {
    stdin: mcp_transport_stdio::Stdin,
    signal: Pin<Box<dyn Future<Output = ()> + Send>>,
    ended: bool,
}

impl StdinUntilShutdown {
    /// Stdin, ended by [`shutdown_signal`](crate::app::http::shutdown_signal).
    pub fn new() -> Self {
        Self {
            stdin: mcp_transport_stdio::stdin(),
            signal: Box::pin(crate::app::http::shutdown_signal()),
            ended: false,
        }
    }
}

impl Default for StdinUntilShutdown {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for StdinUntilShutdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StdinUntilShutdown")
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl AsyncRead for StdinUntilShutdown {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        if !this.ended && this.signal.as_mut().poll(cx).is_ready() {
            this.ended = true;
        }
        if this.ended {
            // Zero bytes read: end of input.
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stdin).poll_read(cx, buf)
    }
}

fn status(key: &str, value: &str) {
    eprintln!("{key:>15} : {value}");
}
