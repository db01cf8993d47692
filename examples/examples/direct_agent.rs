//! An agent that uses the Coder tools without MCP: it hands their definitions to an LLM API
//! (Anthropic's or OpenAI's tool format) and executes the calls the model asks for directly.
//!
//! ```sh
//! cargo run -p examples --example direct_agent
//! ```
//!
//! The model is played by a fixed list of calls here, so the example runs offline; a real
//! agent sends `definitions` with its messages and executes each `tool_use` the same way.

use coder_sdk::testing::{Seed, SimulatedCoder};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sim = SimulatedCoder::builder().seed(Seed::demo()).start().await?;
    let client = coder_sdk::Client::new(sim.url(), sim.session_token())?;
    let registry = coder_toolsdk::coder_tools(&client).toolset(coder_toolsdk::Toolset::Standard);

    // What goes into the LLM request's `tools` field.
    let anthropic = registry.to_anthropic();
    let openai = registry.to_openai();
    eprintln!(
        "{} tools; first for Anthropic: {}",
        anthropic.len(),
        serde_json::to_string_pretty(&anthropic[0])?
    );
    eprintln!("first for OpenAI: {}", serde_json::to_string(&openai[0])?);

    // What the model might ask for; each call is validated against the tool's schema.
    let calls = [
        ("coder_list_workspaces", json!({})),
        (
            "coder_workspace_bash",
            json!({"workspace": "dev", "command": "uname -s"}),
        ),
        (
            "coder_get_workspace",
            json!({"workspace_id": "no-such-workspace"}),
        ),
    ];
    for (name, arguments) in calls {
        let result = registry.call(name, arguments).await?;
        // Hand this back to the model as the tool result; `is_error` tells it to adjust.
        let text = serde_json::to_string(&result.content)?;
        eprintln!(
            "{name} (error: {}): {}",
            result.is_error(),
            &text[..text.len().min(200)]
        );
    }
    Ok(())
}
