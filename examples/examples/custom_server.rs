//! A custom MCP server: your own tool beside the Coder tools, over stdio.
//!
//! ```sh
//! cargo run -p examples --example custom_server -- --demo   # against the simulated deployment
//! cargo run -p examples --example custom_server             # against `coder login`'s deployment
//! ```

use std::borrow::Cow;

use coder_sdk::testing::{Seed, SimulatedCoder};
use coder_toolsdk::{Tool, ToolContext, ToolError, annotations, coder_tools};
use mcp_protocol::server::Server;
use mcp_protocol::types::ToolAnnotations;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Your tool: counts the workspaces of a template, using the same Coder client as the
/// built-in tools.
struct CountWorkspaces {
    client: coder_sdk::Client,
}

#[derive(Deserialize, JsonSchema)]
struct CountInput {
    /// Template name, e.g. `docker`.
    template: String,
}

#[derive(Serialize, JsonSchema)]
struct CountOutput {
    /// How many workspaces use the template.
    count: usize,
}

impl Tool for CountWorkspaces {
    const NAME: &'static str = "count_template_workspaces";
    type Input = CountInput;
    type Output = CountOutput;

    fn description(&self) -> Cow<'static, str> {
        "Counts the workspaces built from a template.".into()
    }

    fn annotations(&self) -> ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        ctx: ToolContext<'_>,
        input: CountInput,
    ) -> Result<CountOutput, ToolError> {
        let filter =
            coder_sdk::WorkspaceFilter::new().with_q(format!("template:{}", input.template));
        // `run` drops the Coder request when the client cancels the call.
        let page = ctx
            .run(async { Ok(self.client.workspaces(&filter).await?) })
            .await?;
        Ok(CountOutput {
            count: page.workspaces.len(),
        })
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the simulator alive for the whole run in demo mode.
    let (client, _sim) = if std::env::args().any(|a| a == "--demo") {
        let sim = SimulatedCoder::builder().seed(Seed::demo()).start().await?;
        (
            coder_sdk::Client::new(sim.url(), sim.session_token())?,
            Some(sim),
        )
    } else {
        (coder_sdk::Client::from_env()?, None)
    };
    let registry = coder_tools(&client).with(CountWorkspaces {
        client: client.clone(),
    });
    mcp_transport_stdio::serve(Server::new(registry.into_handler())).await?;
    Ok(())
}
