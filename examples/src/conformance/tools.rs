//! The `test_*` tools of the conformance suites and `json_schema_2020_12_tool`.
//!
//! Texts and names are the ones the suites check. The 2026-07-28 multi-round tools live in
//! [`super::mrtr`]; this file routes every call.

use std::time::Duration;

use mcp_protocol::types::{
    CallToolParams, CallToolResult, Content, CreateMessageParams, CreateMessageResult,
    ElicitParams, ElicitResult, LoggingLevel, ResourceContents, SamplingMessage, Tool,
};
use mcp_protocol::{Error, RequestContext, Result, Server};
use mcp_transport_http::StreamControl;
use serde_json::{Value, json};

use super::media::{PNG_BASE64, PNG_MIME, WAV_BASE64, WAV_MIME};
use super::{mrtr, object};

/// The pause between the steps of the logging and progress tools: the suites expect the
/// notifications spread over the call, as a real long-running tool would send them.
const STEP: Duration = Duration::from_millis(50);

fn no_args() -> Value {
    json!({ "type": "object", "properties": {} })
}

fn tool(name: &str, description: &str, schema: Value) -> Tool {
    Tool::new(name, description, object(schema))
}

fn string_arg(name: &str, description: &str) -> Value {
    json!({
        "type": "object",
        "properties": { name: { "type": "string", "description": description } },
        "required": [name],
    })
}

/// The input schema of `json_schema_2020_12_tool`: every 2020-12 keyword the suite checks
/// survives `tools/list` (`$schema`, `$defs` with `$anchor`, `$ref`, composition,
/// conditionals, `additionalProperties`).
fn schema_2020_12() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "$defs": {
            "address": {
                "$anchor": "addressDef",
                "type": "object",
                "properties": {
                    "street": { "type": "string" },
                    "city": { "type": "string" },
                },
            },
        },
        "properties": {
            "name": { "type": "string" },
            "address": { "$ref": "#/$defs/address" },
            "contactMethod": { "type": "string", "enum": ["phone", "email"] },
            "phone": { "type": "string" },
            "email": { "type": "string" },
        },
        "allOf": [{ "anyOf": [{ "required": ["phone"] }, { "required": ["email"] }] }],
        "if": {
            "properties": { "contactMethod": { "const": "phone" } },
            "required": ["contactMethod"],
        },
        "then": { "required": ["phone"] },
        "else": { "required": ["email"] },
        "additionalProperties": false,
    })
}

/// Every tool, in a stable order, each with the description `tools-list` requires.
pub(super) fn definitions() -> Vec<Tool> {
    let mut tools = vec![
        tool("test_simple_text", "Returns a fixed text", no_args()),
        tool("test_image_content", "Returns a PNG image", no_args()),
        tool("test_audio_content", "Returns a WAV clip", no_args()),
        tool(
            "test_embedded_resource",
            "Returns an embedded text resource",
            no_args(),
        ),
        tool(
            "test_multiple_content_types",
            "Returns text, an image and an embedded resource together",
            no_args(),
        ),
        tool(
            "test_tool_with_logging",
            "Sends three log messages while it runs",
            no_args(),
        ),
        tool(
            "test_tool_with_progress",
            "Reports progress 0, 50 and 100 of 100 while it runs",
            no_args(),
        ),
        tool(
            "test_error_handling",
            "Always fails, as a tool result with isError",
            no_args(),
        ),
        tool(
            "test_reconnection",
            "Closes its SSE stream mid-call; the answer arrives after the client resumes",
            no_args(),
        ),
        tool(
            "test_sampling",
            "Asks the client's model to answer a prompt",
            string_arg("prompt", "The prompt to send to the model"),
        ),
        tool(
            "test_elicitation",
            "Asks the user for a username and an email address",
            string_arg("message", "The message to show the user"),
        ),
        tool(
            "test_elicitation_sep1034_defaults",
            "Asks the user for a form whose fields all have defaults (SEP-1034)",
            no_args(),
        ),
        tool(
            "test_elicitation_sep1330_enums",
            "Asks the user to choose from every kind of enum field (SEP-1330)",
            no_args(),
        ),
        tool(
            "json_schema_2020_12_tool",
            "Takes arguments described with JSON Schema 2020-12 keywords (SEP-1613, SEP-2106)",
            schema_2020_12(),
        ),
        tool(
            "test_custom_headers",
            "Echoes a region that the client also mirrors in the Mcp-Param-Region header",
            json!({
                "type": "object",
                "properties": {
                    "region": {
                        "type": "string",
                        "description": "A region name",
                        "x-mcp-header": "Region",
                    },
                },
                "required": ["region"],
            }),
        ),
        tool(
            "test_logging_tool",
            "Logs one message, which only clients that asked for a log level receive",
            no_args(),
        ),
        tool(
            "test_streaming_elicitation",
            "Streams progress before its result",
            no_args(),
        ),
        tool(
            "test_trigger_tool_change",
            "Announces that the tool list changed",
            no_args(),
        ),
        tool(
            "test_trigger_prompt_change",
            "Announces that the prompt list changed",
            no_args(),
        ),
    ];
    tools.extend(mrtr::definitions());
    tools
}

/// A string argument, or a tool error naming it.
fn string_param<'a>(
    params: &'a CallToolParams,
    name: &str,
) -> std::result::Result<&'a str, CallToolResult> {
    params
        .arguments
        .as_ref()
        .and_then(|a| a.get(name))
        .and_then(Value::as_str)
        .ok_or_else(|| CallToolResult::error(format!("missing string argument: {name}")))
}

/// The text of a sampling answer (`content.text`, or the first text block).
pub(super) fn sampled_text(result: &CreateMessageResult) -> String {
    let content = serde_json::to_value(&result.content).unwrap_or(Value::Null);
    let block = match &content {
        Value::Array(blocks) => blocks
            .iter()
            .find(|b| b.get("text").is_some())
            .cloned()
            .unwrap_or(Value::Null),
        other => other.clone(),
    };
    block
        .get("text")
        .and_then(Value::as_str)
        .unwrap_or("no response")
        .to_owned()
}

/// What an elicitation answered, as the suites' fixtures report it.
fn describe_elicitation(prefix: &str, answer: &ElicitResult) -> String {
    let action = serde_json::to_value(answer.action).unwrap_or(Value::Null);
    let action = action.as_str().unwrap_or("unknown");
    let content = answer
        .content
        .as_ref()
        .map_or_else(|| "{}".to_owned(), |c| json!(c).to_string());
    format!("{prefix}: action={action}, content={content}")
}

/// A client-side failure of sampling or elicitation becomes a tool error the model can read;
/// the 2026-07-28 "input required" signal must reach the engine unchanged.
fn client_failure(what: &str, e: Error) -> Result<CallToolResult> {
    match e {
        Error::InputRequired(_) => Err(e),
        other => Ok(CallToolResult::error(format!("{what} failed: {other}"))),
    }
}

fn sampling_params(prompt: &str, max_tokens: u64) -> CreateMessageParams {
    CreateMessageParams {
        messages: vec![SamplingMessage::user_text(prompt)],
        max_tokens,
        ..CreateMessageParams::default()
    }
}

async fn elicit(
    ctx: &RequestContext,
    prefix: &str,
    message: &str,
    schema: Value,
) -> Result<CallToolResult> {
    match ctx
        .elicit(ElicitParams::form(message, object(schema)))
        .await
    {
        Ok(answer) => Ok(CallToolResult::text(describe_elicitation(prefix, &answer))),
        Err(e) => client_failure("elicitation", e),
    }
}

fn sep1034_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "name": { "type": "string", "description": "User name", "default": "John Doe" },
            "age": { "type": "integer", "description": "User age", "default": 30 },
            "score": { "type": "number", "description": "User score", "default": 95.5 },
            "status": {
                "type": "string",
                "description": "User status",
                "enum": ["active", "inactive", "pending"],
                "default": "active",
            },
            "verified": { "type": "boolean", "description": "Verification status", "default": true },
        },
        "required": [],
    })
}

fn sep1330_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "untitledSingle": {
                "type": "string",
                "description": "Select one option",
                "enum": ["option1", "option2", "option3"],
            },
            "titledSingle": {
                "type": "string",
                "description": "Select one option with titles",
                "oneOf": [
                    { "const": "value1", "title": "First Option" },
                    { "const": "value2", "title": "Second Option" },
                    { "const": "value3", "title": "Third Option" },
                ],
            },
            "legacyEnum": {
                "type": "string",
                "description": "Select one option (legacy)",
                "enum": ["opt1", "opt2", "opt3"],
                "enumNames": ["Option One", "Option Two", "Option Three"],
            },
            "untitledMulti": {
                "type": "array",
                "description": "Select multiple options",
                "minItems": 1,
                "maxItems": 3,
                "items": { "type": "string", "enum": ["option1", "option2", "option3"] },
            },
            "titledMulti": {
                "type": "array",
                "description": "Select multiple options with titles",
                "minItems": 1,
                "maxItems": 3,
                "items": {
                    "anyOf": [
                        { "const": "value1", "title": "First Choice" },
                        { "const": "value2", "title": "Second Choice" },
                        { "const": "value3", "title": "Third Choice" },
                    ],
                },
            },
        },
        "required": [],
    })
}

fn embedded(uri: &str, mime: &str, text: impl Into<String>) -> Content {
    let mut contents = ResourceContents::text(uri, text);
    if let ResourceContents::Text(t) = &mut contents {
        t.mime_type = Some(mime.into());
    }
    Content::resource(contents)
}

/// `tools/call`: unknown tools are a protocol error (-32602), failures inside a tool are
/// results with `isError`.
pub(super) async fn call(
    ctx: &RequestContext,
    server: Option<&Server>,
    params: CallToolParams,
) -> Result<CallToolResult> {
    match params.name.as_str() {
        "test_simple_text" => Ok(CallToolResult::text(
            "This is a simple text response for testing.",
        )),
        "test_image_content" => Ok(CallToolResult::content(vec![Content::image(
            PNG_BASE64, PNG_MIME,
        )])),
        "test_audio_content" => Ok(CallToolResult::content(vec![Content::audio(
            WAV_BASE64, WAV_MIME,
        )])),
        "test_embedded_resource" => Ok(CallToolResult::content(vec![embedded(
            "test://embedded-resource",
            "text/plain",
            "This is an embedded resource content.",
        )])),
        "test_multiple_content_types" => Ok(CallToolResult::content(vec![
            Content::text("Multiple content types test:"),
            Content::image(PNG_BASE64, PNG_MIME),
            embedded(
                "test://mixed-content-resource",
                "application/json",
                json!({ "test": "data", "value": 123 }).to_string(),
            ),
        ])),
        "test_tool_with_logging" => {
            for (i, message) in [
                "Tool execution started",
                "Tool processing data",
                "Tool execution completed",
            ]
            .into_iter()
            .enumerate()
            {
                if i > 0 {
                    tokio::time::sleep(STEP).await;
                }
                ctx.log(LoggingLevel::Info, None, message).await;
            }
            Ok(CallToolResult::text(
                "Tool with logging executed successfully",
            ))
        }
        "test_tool_with_progress" => {
            for (i, step) in [0.0, 50.0, 100.0].into_iter().enumerate() {
                if i > 0 {
                    tokio::time::sleep(STEP).await;
                }
                let message = format!("Completed step {step} of 100");
                ctx.progress(step, Some(100.0), Some(&message)).await;
            }
            let token = ctx
                .progress_token()
                .and_then(|t| serde_json::to_value(t).ok())
                .map_or_else(|| "no progress token".to_owned(), |t| t.to_string());
            Ok(CallToolResult::text(token))
        }
        "test_error_handling" => Ok(CallToolResult::error(
            "This tool intentionally returns an error for testing",
        )),
        "test_reconnection" => {
            let closed = ctx
                .extensions()
                .get::<StreamControl>()
                .is_some_and(StreamControl::close);
            if closed {
                // Give the client time to see the stream end and come back with GET and
                // Last-Event-ID; the answer is kept for it either way.
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Ok(CallToolResult::text(
                "Reconnection test completed successfully. If you received this, the client \
                 properly reconnected after stream closure.",
            ))
        }
        "test_sampling" => {
            let prompt = match string_param(&params, "prompt") {
                Ok(p) => p,
                Err(r) => return Ok(r),
            };
            match ctx.sample(sampling_params(prompt, 100)).await {
                Ok(answer) => Ok(CallToolResult::text(format!(
                    "LLM response: {}",
                    sampled_text(&answer)
                ))),
                Err(e) => client_failure("sampling", e),
            }
        }
        "test_elicitation" => {
            let message = match string_param(&params, "message") {
                Ok(m) => m,
                Err(r) => return Ok(r),
            };
            let schema = json!({
                "type": "object",
                "properties": {
                    "username": { "type": "string", "description": "User's response" },
                    "email": { "type": "string", "description": "User's email address" },
                },
                "required": ["username", "email"],
            });
            elicit(ctx, "User response", message, schema).await
        }
        "test_elicitation_sep1034_defaults" => {
            elicit(
                ctx,
                "Elicitation completed",
                "Please review and update the form fields with defaults",
                sep1034_schema(),
            )
            .await
        }
        "test_elicitation_sep1330_enums" => {
            elicit(
                ctx,
                "Elicitation completed",
                "Please select options from the enum fields",
                sep1330_schema(),
            )
            .await
        }
        "json_schema_2020_12_tool" => {
            let args = params.arguments.clone().unwrap_or_default();
            Ok(CallToolResult::text(format!(
                "JSON Schema 2020-12 tool called with: {}",
                Value::Object(args)
            )))
        }
        "test_custom_headers" => {
            let region = params
                .arguments
                .as_ref()
                .and_then(|a| a.get("region"))
                .map_or_else(|| "null".to_owned(), Value::to_string);
            Ok(CallToolResult::text(format!("region={region}")))
        }
        "test_logging_tool" => {
            ctx.log(
                LoggingLevel::Info,
                None,
                "Diagnostic trace logging activated",
            )
            .await;
            Ok(CallToolResult::text("Logging evaluated"))
        }
        "test_streaming_elicitation" => {
            ctx.progress(50.0, Some(100.0), Some("halfway")).await;
            Ok(CallToolResult::text("Streaming complete"))
        }
        "test_trigger_tool_change" | "test_trigger_prompt_change" => {
            if let Some(server) = server {
                if params.name == "test_trigger_tool_change" {
                    server.notify_tools_list_changed();
                } else {
                    server.notify_prompts_list_changed();
                }
            }
            Ok(CallToolResult::text("Mutation triggered"))
        }
        _ => mrtr::call(ctx, params).await,
    }
}
