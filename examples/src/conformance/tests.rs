//! The fixture in memory, in both eras: the texts the suites check and the multi-round
//! tools end to end through the engine's client.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use mcp_protocol::memory::pair;
use mcp_protocol::types::{
    CallToolParams, CallToolResult, ClientCapabilities, CompleteParams, CompletionArgument,
    CompletionReference, ElicitParams, ElicitResult, ElicitationCapability, GetPromptParams,
    JsonObject, ListRootsResult, PaginatedParams, PromptReference, ReadResourceParams, Root,
    RootsCapability, SamplingCapability,
};
use mcp_protocol::{Client, ClientHandler, ClientOptions, ErrorCode, ProtocolVersion, async_trait};
use serde_json::{Value, json};

use super::client::ConformanceClientHandler;
use super::conformance_server;

/// Answers forms the way a user would: a name, a colour, a confirmation.
struct User;

#[async_trait]
impl ClientHandler for User {
    async fn elicit(&self, params: ElicitParams) -> mcp_protocol::Result<ElicitResult> {
        let ElicitParams::Form(form) = params else {
            return Ok(ElicitResult::decline());
        };
        let props = form.requested_schema["properties"].as_object().unwrap();
        let answers: BTreeMap<String, Value> = props
            .keys()
            .map(|k| {
                let v = match k.as_str() {
                    "name" | "username" => json!("Alice"),
                    "color" => json!("blue"),
                    "ok" => json!(true),
                    _ => json!("x"),
                };
                (k.clone(), v)
            })
            .collect();
        Ok(ElicitResult::accept(answers))
    }

    async fn create_message(
        &self,
        params: mcp_protocol::types::CreateMessageParams,
    ) -> mcp_protocol::Result<mcp_protocol::types::CreateMessageResult> {
        ConformanceClientHandler.create_message(params).await
    }

    async fn list_roots(&self) -> mcp_protocol::Result<ListRootsResult> {
        Ok(ListRootsResult {
            roots: vec![Root {
                uri: "file:///a".into(),
                name: None,
                meta: None,
            }],
            meta: None,
        })
    }
}

fn options(version: ProtocolVersion) -> ClientOptions {
    ClientOptions::default()
        .with_handler(User)
        .with_protocol_version(version)
        .with_capabilities(ClientCapabilities {
            elicitation: Some(ElicitationCapability {
                form: Some(JsonObject::new()),
                ..ElicitationCapability::default()
            }),
            sampling: Some(SamplingCapability::default()),
            roots: Some(RootsCapability::default()),
            ..ClientCapabilities::default()
        })
}

async fn connected(version: ProtocolVersion) -> (Client, mcp_protocol::memory::MemoryLink) {
    let (client, link) = pair(&conformance_server(), options(version));
    let details = client.connect().await.unwrap();
    assert_eq!(details.version, version);
    (client, link)
}

async fn call(client: &Client, name: &str, args: Value) -> CallToolResult {
    let Value::Object(args) = args else {
        panic!("arguments must be an object")
    };
    client
        .call_tool(CallToolParams::new(name, args))
        .await
        .unwrap()
}

fn text(result: &CallToolResult) -> &str {
    result.content[0].as_text().unwrap()
}

const ERAS: [ProtocolVersion; 2] = [ProtocolVersion::LATEST_LEGACY, ProtocolVersion::LATEST];

#[tokio::test]
async fn lists_carry_the_descriptions_the_suites_require() {
    for v in ERAS {
        let (client, _link) = connected(v).await;
        let tools = client.list_tools(PaginatedParams::default()).await.unwrap();
        assert!(tools.tools.iter().all(|t| t.description.is_some()));
        let schema = &tools
            .tools
            .iter()
            .find(|t| t.name == "json_schema_2020_12_tool")
            .unwrap()
            .input_schema;
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        assert_eq!(schema["additionalProperties"], false);
        let resources = client
            .list_resources(PaginatedParams::default())
            .await
            .unwrap();
        assert!(resources.resources.iter().all(|r| r.description.is_some()));
        let prompts = client
            .list_prompts(PaginatedParams::default())
            .await
            .unwrap();
        assert!(prompts.prompts.iter().all(|p| p.description.is_some()));
    }
}

#[tokio::test]
async fn tools_answer_the_checked_texts_in_both_eras() {
    for v in ERAS {
        let (client, _link) = connected(v).await;
        let r = call(&client, "test_simple_text", json!({})).await;
        assert_eq!(text(&r), "This is a simple text response for testing.");
        let r = call(&client, "test_error_handling", json!({})).await;
        assert!(r.is_error());
        let r = call(&client, "test_sampling", json!({ "prompt": "hi" })).await;
        assert!(text(&r).starts_with("LLM response: "), "{}", text(&r));
        let r = call(&client, "test_elicitation", json!({ "message": "who?" })).await;
        assert!(text(&r).contains("action=accept"), "{}", text(&r));
        assert!(text(&r).contains("Alice"), "{}", text(&r));
        let err = client
            .call_tool(CallToolParams::new("no_such_tool", JsonObject::new()))
            .await
            .unwrap_err();
        assert!(err.is_code(ErrorCode::INVALID_PARAMS));
    }
}

#[tokio::test]
async fn multi_round_tools_finish_through_the_client() {
    for v in ERAS {
        let (client, _link) = connected(v).await;
        let r = call(&client, "test_input_required_result_multi_round", json!({})).await;
        assert_eq!(text(&r), "Multi-round complete for Alice who likes blue");
        let r = call(
            &client,
            "test_input_required_result_request_state",
            json!({}),
        )
        .await;
        assert_eq!(text(&r), "state-ok: requestState validated");
        let r = call(
            &client,
            "test_input_required_result_multiple_inputs",
            json!({}),
        )
        .await;
        assert!(
            text(&r).starts_with("Name: Alice; Greeting: "),
            "{}",
            text(&r)
        );
        assert!(text(&r).ends_with("Roots: 1"), "{}", text(&r));
        let r = call(
            &client,
            "test_input_required_result_capabilities",
            json!({}),
        )
        .await;
        assert_eq!(
            text(&r),
            "capabilities-ok: received elicit_input,sample_input"
        );
    }
}

#[tokio::test]
async fn resources_prompts_and_completion() {
    for v in ERAS {
        let (client, _link) = connected(v).await;
        let read = |uri: &str| ReadResourceParams {
            uri: uri.into(),
            ..ReadResourceParams::default()
        };
        let r = client
            .read_resource(read("test://template/123/data"))
            .await
            .unwrap();
        let body = serde_json::to_value(&r.contents[0]).unwrap();
        let data: Value = serde_json::from_str(body["text"].as_str().unwrap()).unwrap();
        assert_eq!(data["id"], "123");
        let err = client.read_resource(read("test://nope")).await.unwrap_err();
        let expected = if v.is_legacy() {
            ErrorCode::RESOURCE_NOT_FOUND
        } else {
            ErrorCode::INVALID_PARAMS
        };
        assert!(err.is_code(expected), "{err}");

        let p = client
            .get_prompt(GetPromptParams {
                name: "test_prompt_with_arguments".into(),
                arguments: Some(BTreeMap::from([
                    ("arg1".into(), "hello".into()),
                    ("arg2".into(), "world".into()),
                ])),
                ..GetPromptParams::default()
            })
            .await
            .unwrap();
        let message = serde_json::to_value(&p.messages[0]).unwrap();
        assert_eq!(
            message["content"]["text"],
            "Prompt with arguments: arg1='hello', arg2='world'"
        );

        let c = client
            .complete(CompleteParams {
                reference: CompletionReference::Prompt(PromptReference {
                    name: "test_prompt_with_arguments".into(),
                    ..PromptReference::default()
                }),
                argument: CompletionArgument {
                    name: "arg1".into(),
                    value: "he".into(),
                },
                context: None,
                meta: None,
            })
            .await
            .unwrap();
        assert_eq!(c.completion.values, ["hello", "help"]);
    }
}
