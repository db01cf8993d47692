//! `coder-mcp server`: MCP over stdin/stdout, as `coder exp mcp server` does it.

use coder_toolsdk::tools::{CoderToolsConfig, coder_tools_with};
use coder_toolsdk::{ToolHandler, ToolRegistry};
use mcp_protocol::server::Server;

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
    if let Some(url) = &args.ai_agentapi_url {
        status("Screen events", &format!("{url} (status hints only)"));
    }
    if !logged_in && !reporter {
        return Err(LOGIN_HELP.to_owned());
    }

    let mut config = CoderToolsConfig::new();
    if let Some(slug) = &args.app_status_slug {
        config = config.with_app_status_slug(slug.clone());
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
    mcp_transport_stdio::serve(Server::new(handler))
        .await
        .map_err(|e| e.to_string())
}

fn status(key: &str, value: &str) {
    eprintln!("{key:>15} : {value}");
}
