//! The `test_*` prompts, including one that asks the client for input (2026-07-28
//! `input_required` on `prompts/get`).

use mcp_protocol::types::{
    Content, ElicitAction, ElicitParams, GetPromptParams, GetPromptResult, Prompt, PromptArgument,
    PromptMessage, ResourceContents,
};
use mcp_protocol::{Error, RequestContext, Result};
use serde_json::json;

use super::media::{PNG_BASE64, PNG_MIME};
use super::object;

fn prompt(name: &str, title: &str, description: &str, args: &[(&str, &str)]) -> Prompt {
    let arguments = (!args.is_empty()).then(|| {
        args.iter()
            .map(|(name, description)| PromptArgument {
                name: (*name).into(),
                description: Some((*description).into()),
                required: Some(true),
                ..PromptArgument::default()
            })
            .collect()
    });
    Prompt {
        name: name.into(),
        title: Some(title.into()),
        description: Some(description.into()),
        arguments,
        ..Prompt::default()
    }
}

/// Every prompt, each with the description `prompts-list` requires.
pub(super) fn definitions() -> Vec<Prompt> {
    vec![
        prompt(
            "test_simple_prompt",
            "Simple Test Prompt",
            "A prompt without arguments",
            &[],
        ),
        prompt(
            "test_prompt_with_arguments",
            "Prompt With Arguments",
            "A prompt that fills in two required arguments",
            &[
                ("arg1", "First test argument"),
                ("arg2", "Second test argument"),
            ],
        ),
        prompt(
            "test_prompt_with_embedded_resource",
            "Prompt With Embedded Resource",
            "A prompt that embeds the resource it is given",
            &[("resourceUri", "URI of the resource to embed")],
        ),
        prompt(
            "test_prompt_with_image",
            "Prompt With Image",
            "A prompt that carries an image",
            &[],
        ),
        prompt(
            "test_input_required_result_prompt",
            "Prompt Needing Input",
            "A prompt that asks the user for context before it is built",
            &[],
        ),
    ]
}

fn result(messages: Vec<PromptMessage>) -> GetPromptResult {
    GetPromptResult {
        messages,
        ..GetPromptResult::default()
    }
}

fn required_arg<'a>(params: &'a GetPromptParams, name: &str) -> Result<&'a str> {
    params
        .arguments
        .as_ref()
        .and_then(|a| a.get(name))
        .map(String::as_str)
        .ok_or_else(|| Error::invalid_params(format!("missing required argument: {name}")))
}

/// `prompts/get`.
pub(super) async fn get(ctx: &RequestContext, params: GetPromptParams) -> Result<GetPromptResult> {
    match params.name.as_str() {
        "test_simple_prompt" => Ok(result(vec![PromptMessage::user(Content::text(
            "This is a simple prompt for testing.",
        ))])),
        "test_prompt_with_arguments" => {
            let arg1 = required_arg(&params, "arg1")?;
            let arg2 = required_arg(&params, "arg2")?;
            Ok(result(vec![PromptMessage::user(Content::text(format!(
                "Prompt with arguments: arg1='{arg1}', arg2='{arg2}'"
            )))]))
        }
        "test_prompt_with_embedded_resource" => {
            let uri = required_arg(&params, "resourceUri")?;
            let mut contents =
                ResourceContents::text(uri, "Embedded resource content for testing.");
            if let ResourceContents::Text(t) = &mut contents {
                t.mime_type = Some("text/plain".into());
            }
            Ok(result(vec![
                PromptMessage::user(Content::resource(contents)),
                PromptMessage::user(Content::text("Please process the embedded resource above.")),
            ]))
        }
        "test_prompt_with_image" => Ok(result(vec![
            PromptMessage::user(Content::image(PNG_BASE64, PNG_MIME)),
            PromptMessage::user(Content::text("Please analyze the image above.")),
        ])),
        "test_input_required_result_prompt" => {
            let ask = ElicitParams::form(
                "What context should the prompt use?",
                object(json!({
                    "type": "object",
                    "properties": { "context": { "type": "string" } },
                    "required": ["context"],
                })),
            );
            let answer = ctx
                .elicit_as("user_context", ask)
                .await?
                .ok_or_else(Error::input_required)?;
            let context = match (&answer.action, &answer.content) {
                (ElicitAction::Accept, Some(content)) => content
                    .get("context")
                    .and_then(|v| v.as_str())
                    .unwrap_or("none")
                    .to_owned(),
                _ => "none".to_owned(),
            };
            Ok(result(vec![PromptMessage::user(Content::text(format!(
                "Prompt with context: {context}"
            )))]))
        }
        other => Err(Error::invalid_params(format!("unknown prompt: {other}"))),
    }
}
