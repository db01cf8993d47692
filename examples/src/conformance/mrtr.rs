//! The 2026-07-28 multi-round-trip tools (`input-required-result-*` scenarios).
//!
//! Each asks the client for input under the key the suite expects. The engine replays the
//! handler on every round: an ask whose answer is in the request (or in the sealed
//! `requestState`) returns it, a missing one makes the handler return
//! [`Error::input_required`], and the engine answers `input_required`. Legacy clients get
//! real server-to-client requests from the same code.

use mcp_protocol::types::{
    CallToolParams, CallToolResult, ElicitAction, ElicitParams, ElicitResult, Tool,
};
use mcp_protocol::{Error, PendingInput, RequestContext, Result};
use serde_json::{Map, Value, json};

use super::object;
use super::tools::sampled_text;

const ELICITATION: &str = "test_input_required_result_elicitation";
const SAMPLING: &str = "test_input_required_result_sampling";
const LIST_ROOTS: &str = "test_input_required_result_list_roots";
const REQUEST_STATE: &str = "test_input_required_result_request_state";
const MULTIPLE_INPUTS: &str = "test_input_required_result_multiple_inputs";
const MULTI_ROUND: &str = "test_input_required_result_multi_round";
const TAMPERED_STATE: &str = "test_input_required_result_tampered_state";
const CAPABILITIES: &str = "test_input_required_result_capabilities";
const MISSING_CAPABILITY: &str = "test_missing_capability";

/// The multi-round tools.
pub(super) fn definitions() -> Vec<Tool> {
    [
        (
            ELICITATION,
            "Asks the user for their name, then greets them",
        ),
        (
            SAMPLING,
            "Asks the client's model a question, then reports the answer",
        ),
        (
            LIST_ROOTS,
            "Asks the client for its roots, then counts them",
        ),
        (
            REQUEST_STATE,
            "Asks for a confirmation and keeps its own state between rounds",
        ),
        (
            MULTIPLE_INPUTS,
            "Asks for a name, a greeting and the roots in one round",
        ),
        (MULTI_ROUND, "Asks for a name, then a colour, in two rounds"),
        (
            TAMPERED_STATE,
            "Asks for a confirmation; a tampered requestState is rejected",
        ),
        (
            CAPABILITIES,
            "Asks only for input the client declared it can give",
        ),
        (MISSING_CAPABILITY, "Needs the client's sampling capability"),
    ]
    .into_iter()
    .map(|(name, description)| {
        Tool::new(
            name,
            description,
            object(json!({ "type": "object", "properties": {} })),
        )
    })
    .collect()
}

fn form(message: &str, field: &str, kind: &str) -> ElicitParams {
    ElicitParams::form(
        message,
        object(json!({
            "type": "object",
            "properties": { field: { "type": kind } },
            "required": [field],
        })),
    )
}

fn sampling(prompt: &str, max_tokens: u64) -> mcp_protocol::types::CreateMessageParams {
    mcp_protocol::types::CreateMessageParams {
        messages: vec![mcp_protocol::types::SamplingMessage::user_text(prompt)],
        max_tokens,
        ..Default::default()
    }
}

/// A field of an accepted form, as text.
fn field(answer: &ElicitResult, name: &str) -> Option<String> {
    if answer.action != ElicitAction::Accept {
        return None;
    }
    let value = answer.content.as_ref()?.get(name)?;
    Some(
        value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned),
    )
}

/// Stops this round when an answer is missing: the engine turns the asks recorded so far
/// into the `input_required` result.
fn need<T>(answer: Option<T>) -> Result<T> {
    answer.ok_or_else(Error::input_required)
}

/// The tool's own state from the previous round, when it is of `kind`.
fn state_is(ctx: &RequestContext, kind: &str) -> bool {
    ctx.request_state()
        .is_some_and(|s| s.get("kind").and_then(Value::as_str) == Some(kind))
}

/// `tools/call` for the multi-round tools; anything else is an unknown tool.
pub(super) async fn call(ctx: &RequestContext, params: CallToolParams) -> Result<CallToolResult> {
    match params.name.as_str() {
        ELICITATION => {
            let answer = ctx
                .elicit_as("user_name", form("What is your name?", "name", "string"))
                .await?;
            let name = field(&need(answer)?, "name").unwrap_or_else(|| "stranger".into());
            Ok(CallToolResult::text(format!("Hello, {name}!")))
        }
        SAMPLING => {
            let answer = ctx
                .sample_as(
                    "sample_request",
                    sampling("What is the capital of France?", 100),
                )
                .await?;
            Ok(CallToolResult::text(format!(
                "Sampling result: {}",
                sampled_text(&need(answer)?)
            )))
        }
        LIST_ROOTS => {
            let roots = need(ctx.list_roots_as("roots_request").await?)?;
            Ok(CallToolResult::text(format!(
                "Found {} root(s)",
                roots.roots.len()
            )))
        }
        REQUEST_STATE => request_state(ctx).await,
        MULTIPLE_INPUTS => {
            let name = ctx
                .elicit_as("user_name", form("What is your name?", "name", "string"))
                .await?;
            let greeting = ctx
                .sample_as("greeting", sampling("Generate a greeting", 50))
                .await?;
            let roots = ctx.list_roots_as("client_roots").await?;
            let (name, greeting, roots) = (need(name)?, need(greeting)?, need(roots)?);
            Ok(CallToolResult::text(format!(
                "Name: {}; Greeting: {}; Roots: {}",
                field(&name, "name").unwrap_or_else(|| "stranger".into()),
                sampled_text(&greeting),
                roots.roots.len()
            )))
        }
        MULTI_ROUND => {
            let first = ctx
                .elicit_as(
                    "step1",
                    form("Step 1: What is your name?", "name", "string"),
                )
                .await?;
            let name = field(&need(first)?, "name").unwrap_or_else(|| "friend".into());
            let second = ctx
                .elicit_as(
                    "step2",
                    form("Step 2: What is your favorite color?", "color", "string"),
                )
                .await?;
            let color = field(&need(second)?, "color").unwrap_or_else(|| "no colour".into());
            Ok(CallToolResult::text(format!(
                "Multi-round complete for {name} who likes {color}"
            )))
        }
        TAMPERED_STATE => {
            ctx.set_request_state(json!({ "kind": "tamper-test" }));
            let answer = ctx
                .elicit_as("confirm", form("Please confirm", "ok", "boolean"))
                .await?;
            need(answer)?;
            Ok(CallToolResult::text("integrity-ok: state verified"))
        }
        CAPABILITIES => capabilities(ctx).await,
        MISSING_CAPABILITY => {
            if ctx.client_capabilities().sampling.is_none() {
                // Asking without the capability yields the engine's error for the
                // revision (-32021 with `requiredCapabilities` since 2026-07-28).
                ctx.sample_as("sample", sampling("Say hello", 10)).await?;
            }
            Ok(CallToolResult::text("Success"))
        }
        other => Err(Error::invalid_params(format!("unknown tool: {other}"))),
    }
}

/// Asks for a confirmation and proves, in the final round, that its own state came back
/// verified. A round that brings an answer but no state asks again.
async fn request_state(ctx: &RequestContext) -> Result<CallToolResult> {
    const KIND: &str = "request-state";
    let verified = state_is(ctx, KIND);
    ctx.set_request_state(json!({ "kind": KIND }));
    let ask = form("Please confirm", "ok", "boolean");
    if !verified && !ctx.version().is_legacy() {
        let request = json!({ "method": "elicitation/create", "params": ask });
        let mut requests = Map::new();
        requests.insert("confirm".into(), request);
        return Err(Error::InputRequired(PendingInput { requests }));
    }
    let answer = need(ctx.elicit_as("confirm", ask).await?)?;
    let ok = answer.action == ElicitAction::Accept
        && answer
            .content
            .as_ref()
            .and_then(|c| c.get("ok"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
    Ok(CallToolResult::text(if ok {
        "state-ok: requestState validated"
    } else {
        "state-ok: requestState validated, but the user did not confirm"
    }))
}

/// Asks for elicitation and sampling input only when the client declared them.
async fn capabilities(ctx: &RequestContext) -> Result<CallToolResult> {
    let caps = ctx.client_capabilities().clone();
    let mut received = Vec::new();
    let mut missing = false;
    if caps.elicitation.is_some() {
        match ctx
            .elicit_as("elicit_input", form("Elicitation input", "value", "string"))
            .await?
        {
            Some(_) => received.push("elicit_input"),
            None => missing = true,
        }
    }
    if caps.sampling.is_some() {
        match ctx
            .sample_as("sample_input", sampling("Sample request", 50))
            .await?
        {
            Some(_) => received.push("sample_input"),
            None => missing = true,
        }
    }
    if missing {
        return Err(Error::input_required());
    }
    if received.is_empty() {
        return Ok(CallToolResult::text("No supported capabilities declared"));
    }
    Ok(CallToolResult::text(format!(
        "capabilities-ok: received {}",
        received.join(",")
    )))
}
