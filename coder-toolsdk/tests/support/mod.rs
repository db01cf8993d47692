#![allow(
    dead_code,
    clippy::unwrap_used,
    missing_docs,
    missing_debug_implementations
)]
//! Shared helpers: a simulated Coder with the tool registry on top.

use coder_sdk::testing::SimulatedCoder;
use coder_sdk::{Client, RetryPolicy};
use coder_toolsdk::{CoderToolsConfig, ToolRegistry, coder_tools_with};
use mcp_protocol::types::CallToolResult;
use serde_json::Value;

pub(crate) struct Env {
    pub(crate) sim: SimulatedCoder,
    pub(crate) client: Client,
    pub(crate) tools: ToolRegistry,
}

pub(crate) async fn env() -> Env {
    env_with(RetryPolicy::default()).await
}

/// An environment whose client does not retry (for fault tests, so they stay fast).
pub(crate) async fn env_without_retries() -> Env {
    env_with(RetryPolicy::none()).await
}

async fn env_with(retry: RetryPolicy) -> Env {
    let sim = SimulatedCoder::start().await.unwrap();
    let client = Client::builder()
        .url(sim.url())
        .unwrap()
        .token(sim.session_token())
        .agent_token(sim.agent_token().unwrap_or_default())
        .retry_policy(retry)
        .build()
        .unwrap();
    let tools = coder_tools_with(
        &client,
        &CoderToolsConfig::new().with_app_status_slug("code-server"),
    );
    Env { sim, client, tools }
}

/// The structured result of a successful call.
pub(crate) fn ok(r: &CallToolResult) -> Value {
    assert!(!r.is_error(), "unexpected error: {:?}", r.content);
    r.structured_content.as_ref().unwrap().to_value().unwrap()
}

/// The message of a failed call.
pub(crate) fn err(r: &CallToolResult) -> String {
    assert!(
        r.is_error(),
        "expected an error, got {:?}",
        r.structured_content
    );
    r.content[0].as_text().unwrap().to_owned()
}

impl Env {
    /// Calls a tool like a client would, and checks a successful result against the tool's
    /// output schema (strict clients reject results that do not match).
    pub(crate) async fn call(&self, name: &str, args: Value) -> CallToolResult {
        let r = self.tools.call(name, args).await.unwrap();
        if !r.is_error() {
            let schema = Value::Object(
                self.tools
                    .definition(name)
                    .unwrap()
                    .output_schema
                    .clone()
                    .unwrap(),
            );
            let validator = jsonschema::validator_for(&schema).unwrap();
            let value = r.structured_content.as_ref().unwrap().to_value().unwrap();
            // The text block is the same JSON, so text-only clients see the same result.
            assert_eq!(
                r.content[0]
                    .as_text()
                    .map(serde_json::from_str::<Value>)
                    .unwrap()
                    .unwrap(),
                value,
                "{name}: the text block differs from structuredContent"
            );
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| format!("{}: {e}", e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{name}: output does not match its schema: {errors:?}"
            );
        }
        r
    }
}
