//! Every example message of the 2026-07-28 schema reads into its Rust type and writes back
//! to an equivalent JSON value.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use mcp_protocol::ErrorObject;
use mcp_protocol::method::{ClientNotification, ClientRequest, ServerNotification};
use mcp_protocol::types::{
    CallToolParams, CallToolResult, CancelledParams, ClientCapabilities, CompleteParams,
    CompleteResult, Content, CreateMessageParams, CreateMessageResult, DiscoverResult,
    ElicitParams, ElicitResult, GetPromptParams, GetPromptResult, InputRequest, InputRequests,
    InputRequiredResult, InputResponses, JsonObject, ListPromptsResult,
    ListResourceTemplatesResult, ListResourcesResult, ListRootsResult, ListToolsResult,
    LoggingMessageParams, ModelPreferences, PaginatedParams, ProgressParams, ReadResourceResult,
    Resource, ResourceContents, ResourceUpdatedParams, Root, SamplingContent, SamplingMessage,
    ServerCapabilities, SubscriptionsListenResult, Tool,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;
use support::schema::{equivalent, schema_dir};

/// Reads `value` as `T` and writes it back.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// Checks a round trip of `value` through `T`.
fn check<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), String> {
    let back = round_trip::<T>(value)?;
    if equivalent(&back, value) {
        Ok(())
    } else {
        Err(format!("round trip changed the value:\n{back:#}"))
    }
}

fn raw_params(message: &Value) -> Option<Box<RawValue>> {
    message
        .get("params")
        .map(|p| serde_json::value::to_raw_value(p).unwrap())
}

/// The params as the example has them; absent params are `{}` once read.
fn expected_params(message: &Value) -> Value {
    message
        .get("params")
        .cloned()
        .unwrap_or_else(|| Value::Object(JsonObject::new()))
}

fn compare_params(message: &Value, params: &RawValue) -> Result<(), String> {
    let back: Value = serde_json::from_str(params.get()).unwrap();
    if equivalent(&back, &expected_params(message)) {
        Ok(())
    } else {
        Err(format!("params changed in the round trip:\n{back:#}"))
    }
}

/// A request message (any envelope) through [`ClientRequest`].
fn check_client_request(message: &Value) -> Result<(), String> {
    let method = message["method"].as_str().ok_or("no method")?;
    let params = raw_params(message);
    let request = ClientRequest::parse(method, params.as_deref()).map_err(|e| e.message)?;
    let (name, out) = request.into_parts().map_err(|e| e.to_string())?;
    if name != method {
        return Err(format!("method {name} != {method}"));
    }
    compare_params(message, &out)
}

/// A request the server embeds in `input_required` (method + params, no envelope).
fn check_input_request(message: &Value) -> Result<(), String> {
    let mut value = message.clone();
    if let Some(obj) = value.as_object_mut() {
        obj.remove("id");
        obj.remove("jsonrpc");
    }
    check::<InputRequest>(&value)
}

/// A notification through the server or client notification enum.
fn check_notification(message: &Value) -> Result<(), String> {
    let method = message["method"].as_str().ok_or("no method")?;
    let params = raw_params(message);
    let out = match ServerNotification::parse(method, params.as_deref()) {
        Ok(n) => n.into_parts().map_err(|e| e.to_string())?.1,
        Err(_) => {
            ClientNotification::parse(method, params.as_deref())
                .map_err(|e| e.message)?
                .into_parts()
                .map_err(|e| e.to_string())?
                .1
        }
    };
    compare_params(message, &out)
}

/// A response envelope whose result reads as `T`.
fn check_response<T: DeserializeOwned + Serialize>(message: &Value) -> Result<(), String> {
    check::<T>(message.get("result").ok_or("no result")?)
}

/// An error response envelope, or a bare error object.
fn check_error(value: &Value) -> Result<(), String> {
    match value.get("error") {
        Some(error) => check::<ErrorObject>(error),
        None => check::<ErrorObject>(value),
    }
}

/// Maps an example folder to the Rust type it holds.
fn check_folder(folder: &str, value: &Value) -> Option<Result<(), String>> {
    Some(match folder {
        "AudioContent" | "EmbeddedResource" | "ImageContent" | "ResourceLink" | "TextContent" => {
            check::<Content>(value)
        }
        "ToolUseContent" | "ToolResultContent" => check::<SamplingContent>(value),
        "BlobResourceContents" | "TextResourceContents" => check::<ResourceContents>(value),
        // Elicitation schemas stay JSON so every keyword survives.
        "BooleanSchema"
        | "NumberSchema"
        | "StringSchema"
        | "TitledMultiSelectEnumSchema"
        | "TitledSingleSelectEnumSchema"
        | "UntitledMultiSelectEnumSchema"
        | "UntitledSingleSelectEnumSchema" => check::<JsonObject>(value),
        "CallToolRequest"
        | "CompleteRequest"
        | "DiscoverRequest"
        | "GetPromptRequest"
        | "ListPromptsRequest"
        | "ListResourceTemplatesRequest"
        | "ListResourcesRequest"
        | "ListToolsRequest"
        | "ReadResourceRequest"
        | "SubscriptionsListenRequest" => check_client_request(value),
        "CreateMessageRequest" | "ElicitRequest" | "ListRootsRequest" => check_input_request(value),
        "CancelledNotification"
        | "LoggingMessageNotification"
        | "ProgressNotification"
        | "PromptListChangedNotification"
        | "ResourceListChangedNotification"
        | "ResourceUpdatedNotification"
        | "SubscriptionsAcknowledgedNotification"
        | "ToolListChangedNotification" => check_notification(value),
        "CallToolRequestParams" => check::<CallToolParams>(value),
        "CancelledNotificationParams" => check::<CancelledParams>(value),
        "CompleteRequestParams" => check::<CompleteParams>(value),
        "CreateMessageRequestParams" => check::<CreateMessageParams>(value),
        "ElicitRequestFormParams" | "ElicitRequestURLParams" => check::<ElicitParams>(value),
        "GetPromptRequestParams" => check::<GetPromptParams>(value),
        "LoggingMessageNotificationParams" => check::<LoggingMessageParams>(value),
        "PaginatedRequestParams" => check::<PaginatedParams>(value),
        "ProgressNotificationParams" => check::<ProgressParams>(value),
        "ResourceUpdatedNotificationParams" => check::<ResourceUpdatedParams>(value),
        "CallToolResult" => check::<CallToolResult>(value),
        "CompleteResult" => check::<CompleteResult>(value),
        "CreateMessageResult" => check::<CreateMessageResult>(value),
        "DiscoverResult" => check::<DiscoverResult>(value),
        "ElicitResult" => check::<ElicitResult>(value),
        "GetPromptResult" => check::<GetPromptResult>(value),
        "InputRequiredResult" => check::<InputRequiredResult>(value),
        "ListPromptsResult" => check::<ListPromptsResult>(value),
        "ListResourceTemplatesResult" => check::<ListResourceTemplatesResult>(value),
        "ListResourcesResult" => check::<ListResourcesResult>(value),
        "ListRootsResult" => check::<ListRootsResult>(value),
        "ListToolsResult" => check::<ListToolsResult>(value),
        "ReadResourceResult" => check::<ReadResourceResult>(value),
        "SubscriptionsListenResult" => check::<SubscriptionsListenResult>(value),
        "CallToolResultResponse" => check_response::<CallToolResult>(value),
        "CompleteResultResponse" => check_response::<CompleteResult>(value),
        "DiscoverResultResponse" => check_response::<DiscoverResult>(value),
        "GetPromptResultResponse" => check_response::<GetPromptResult>(value),
        "ListPromptsResultResponse" => check_response::<ListPromptsResult>(value),
        "ListResourceTemplatesResultResponse" => {
            check_response::<ListResourceTemplatesResult>(value)
        }
        "ListResourcesResultResponse" => check_response::<ListResourcesResult>(value),
        "ListToolsResultResponse" => check_response::<ListToolsResult>(value),
        "ReadResourceResultResponse" => check_response::<ReadResourceResult>(value),
        "SubscriptionsListenResultResponse" => check_response::<SubscriptionsListenResult>(value),
        "HeaderMismatchError"
        | "InternalError"
        | "InvalidParamsError"
        | "MethodNotFoundError"
        | "MissingRequiredClientCapabilityError"
        | "ParseError"
        | "UnsupportedProtocolVersionError" => check_error(value),
        "ClientCapabilities" => check::<ClientCapabilities>(value),
        "ServerCapabilities" => check::<ServerCapabilities>(value),
        "InputRequests" => check::<InputRequests>(value),
        "InputResponses" => check::<InputResponses>(value),
        "ModelPreferences" => check::<ModelPreferences>(value),
        "Resource" => check::<Resource>(value),
        "Root" => check::<Root>(value),
        "SamplingMessage" => check::<SamplingMessage>(value),
        "Tool" => check::<Tool>(value),
        _ => return None,
    })
}

#[test]
fn every_2026_example_round_trips_through_its_type() {
    let dir = schema_dir().join("2026-07-28/examples");
    let mut folders: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    assert!(!folders.is_empty(), "no examples under {}", dir.display());
    let mut uncovered = Vec::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for file in files {
            let value: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
            match check_folder(&name, &value) {
                None => {
                    uncovered.push(name.clone());
                    break;
                }
                Some(Ok(())) => checked += 1,
                Some(Err(e)) => failures.push(format!("{}: {e}", file.display())),
            }
        }
    }
    assert!(
        uncovered.is_empty(),
        "example folders with no Rust type: {uncovered:?}"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(checked > 88, "only {checked} examples checked");
}
