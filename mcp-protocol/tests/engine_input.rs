//! Client input: legacy server-to-client requests, and 2026-07-28 `input_required` results
//! with sealed `requestState` (replay, multi-round, tampering, capability checks).
#![allow(clippy::unwrap_used)]

mod engine_common;
mod support;

use std::sync::atomic::Ordering;

use engine_common::{Fixture, Harness, full_capabilities};
use mcp_protocol::server::Connection;
use mcp_protocol::types::{
    CallToolParams, ClientCapabilities, GetPromptParams, SamplingCapability,
};
use mcp_protocol::{ClientOptions, ErrorCode, Message, ProtocolVersion, Server, TransportContext};
use serde_json::{Value, json};

fn call(name: &str) -> CallToolParams {
    CallToolParams::new(name, Default::default())
}

fn text(r: &mcp_protocol::types::CallToolResult) -> String {
    r.content[0].as_text().unwrap().to_owned()
}

/// Sends a raw 2026-07-28 `tools/call` and returns the whole response, validated.
async fn raw_call(conn: &Connection, id: i64, caps: Value, extra: Value) -> Value {
    let mut params = json!({
        "name": "ask_name",
        "arguments": {},
        "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": caps,
        },
    });
    for (k, v) in extra.as_object().unwrap() {
        params[k] = v.clone();
    }
    let m = Message::from_value(
        json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params}),
    )
    .unwrap();
    let reply = conn.handle(m, TransportContext::new()).await.unwrap();
    let reply = serde_json::to_value(reply).unwrap();
    support::schema::validate_message("2026-07-28", &reply).unwrap();
    if let Some(result) = reply.get("result") {
        let def = if result["resultType"] == "input_required" {
            "InputRequiredResult"
        } else {
            "CallToolResult"
        };
        support::schema::validate("2026-07-28", def, result).unwrap();
    }
    reply
}

fn elicit_caps() -> Value {
    json!({"elicitation": {}})
}

fn alice() -> Value {
    json!({"action": "accept", "content": {"name": "Alice"}})
}

#[tokio::test]
async fn legacy_handlers_send_real_requests_to_the_client() {
    let server = Server::new(Fixture::default());
    let mut h = Harness::new(&server, ProtocolVersion::V2025_11_25);
    h.client.connect().await.unwrap();
    let r = h.client.call_tool(call("elicit")).await.unwrap();
    assert_eq!(text(&r), "got Alice");
    let r = h.client.call_tool(call("sample")).await.unwrap();
    assert_eq!(text(&r), "LLM said: Paris");
    let r = h.client.call_tool(call("roots")).await.unwrap();
    assert_eq!(text(&r), "1 root(s)");
    h.validate();
    let server_requests: Vec<&str> = h
        .seen
        .iter()
        .filter(|t| t.direction == mcp_protocol::memory::Direction::ServerToClient)
        .filter_map(|t| match &t.message {
            Message::Request(r) => Some(r.method.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        server_requests,
        ["elicitation/create", "sampling/createMessage", "roots/list"]
    );
    assert_eq!(h.link.connection().in_flight(), 0);
}

#[tokio::test]
async fn legacy_asks_need_the_capability_and_the_revision() {
    let server = Server::new(Fixture::default());
    let mut h = Harness::with_options(
        &server,
        ClientOptions::default().with_protocol_version(ProtocolVersion::V2025_11_25),
    );
    h.client.connect().await.unwrap();
    let err = h.client.call_tool(call("elicit")).await.unwrap_err();
    assert!(err.to_string().contains("elicitation"), "{err}");
    h.validate();

    // 2025-03-26 has no elicitation at all: the capability does not even survive the
    // handshake, so the handler learns the client cannot answer.
    let mut old = Harness::new(&server, ProtocolVersion::V2025_03_26);
    old.client.connect().await.unwrap();
    let err = old.client.call_tool(call("elicit")).await.unwrap_err();
    assert!(err.to_string().contains("elicitation"), "{err}");
    old.validate();
}

#[tokio::test]
async fn modern_client_answers_input_required_and_the_handler_replays() {
    let fixture = Fixture::default();
    let runs = fixture.probes.runs.clone();
    let server = Server::new(fixture);
    let mut h = Harness::new(&server, ProtocolVersion::V2026_07_28);
    h.client.connect().await.unwrap();
    let r = h.client.call_tool(call("ask_name")).await.unwrap();
    assert_eq!(text(&r), "Hello, Alice! state-ok");
    assert_eq!(runs.load(Ordering::SeqCst), 2, "one run per round");
    h.validate();
    // The client itself never received a server-to-client request.
    assert!(!h.seen.iter().any(|t| {
        t.direction == mcp_protocol::memory::Direction::ServerToClient
            && matches!(t.message, Message::Request(_))
    }));
}

#[tokio::test]
async fn raw_rounds_seal_state_and_reject_tampering_and_reuse() {
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    let r1 = raw_call(&conn, 1, elicit_caps(), json!({})).await;
    let result = &r1["result"];
    assert_eq!(result["resultType"], "input_required");
    assert_eq!(
        result["inputRequests"]["user_name"]["method"],
        "elicitation/create"
    );
    let state = result["requestState"].as_str().unwrap().to_owned();

    let ok = raw_call(
        &conn,
        2,
        elicit_caps(),
        json!({"inputResponses": {"user_name": alice()}, "requestState": state}),
    )
    .await;
    assert_eq!(ok["result"]["resultType"], "complete");
    assert_eq!(ok["result"]["content"][0]["text"], "Hello, Alice! state-ok");

    let tampered = raw_call(
        &conn,
        3,
        elicit_caps(),
        json!({"inputResponses": {"user_name": alice()}, "requestState": format!("{state}-TAMPERED")}),
    )
    .await;
    assert_eq!(tampered["error"]["code"], -32602);
    assert!(
        tampered["error"]["message"]
            .as_str()
            .unwrap()
            .contains("requestState")
    );

    // The same state replayed with other arguments, or for another tool, is refused.
    let other_args = raw_call(
        &conn,
        4,
        elicit_caps(),
        json!({"arguments": {"x": 1}, "inputResponses": {"user_name": alice()}, "requestState": state}),
    )
    .await;
    assert_eq!(other_args["error"]["code"], -32602);
    let other_tool = raw_call(
        &conn,
        5,
        elicit_caps(),
        json!({"name": "multi_round", "inputResponses": {"user_name": alice()}, "requestState": state}),
    )
    .await;
    assert_eq!(other_tool["error"]["code"], -32602);
    assert!(
        other_tool["error"]["message"]
            .as_str()
            .unwrap()
            .contains("different request")
    );

    // A state from another server (another key) is refused too.
    let elsewhere = Server::new(Fixture::default()).connect();
    let foreign = raw_call(
        &elsewhere,
        6,
        elicit_caps(),
        json!({"inputResponses": {"user_name": alice()}, "requestState": state}),
    )
    .await;
    assert_eq!(foreign["error"]["code"], -32602);

    // A shared key lets another instance finish the request.
    let key = mcp_protocol::SealingKey::from_bytes(vec![7; 32]);
    let a = Server::builder(Fixture::default())
        .sealing_key(key.clone())
        .build()
        .connect();
    let b = Server::builder(Fixture::default())
        .sealing_key(key)
        .build()
        .connect();
    let first = raw_call(&a, 7, elicit_caps(), json!({})).await;
    let state = first["result"]["requestState"].clone();
    let done = raw_call(
        &b,
        8,
        elicit_caps(),
        json!({"inputResponses": {"user_name": alice()}, "requestState": state}),
    )
    .await;
    assert_eq!(
        done["result"]["content"][0]["text"],
        "Hello, Alice! state-ok"
    );
}

#[tokio::test]
async fn missing_wrong_extra_and_invalid_responses() {
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    // Wrong key: asked again, not an error.
    let wrong = raw_call(
        &conn,
        1,
        elicit_caps(),
        json!({"inputResponses": {"wrong_key": {"action": "accept", "content": {"data": "x"}}}}),
    )
    .await;
    assert_eq!(wrong["result"]["resultType"], "input_required");
    assert!(wrong["result"]["inputRequests"]["user_name"].is_object());
    // Extra keys beside the right one are ignored (and no requestState is needed).
    let extra = raw_call(
        &conn,
        2,
        elicit_caps(),
        json!({"inputResponses": {
            "user_name": alice(),
            "unknown_extra_key": {"action": "accept", "content": {"foo": "bar"}},
        }}),
    )
    .await;
    assert_eq!(extra["result"]["content"][0]["text"], "Hello, Alice!");
    // A number where a result belongs is a protocol error.
    let invalid = raw_call(
        &conn,
        3,
        elicit_caps(),
        json!({"inputResponses": {"user_name": 12345}}),
    )
    .await;
    assert_eq!(invalid["error"]["code"], -32602);
    let null = raw_call(&conn, 4, elicit_caps(), json!({"inputResponses": null})).await;
    assert_eq!(null["result"]["resultType"], "input_required");
    let not_object = raw_call(&conn, 5, elicit_caps(), json!({"requestState": 5})).await;
    assert_eq!(not_object["error"]["code"], -32602);
}

#[tokio::test]
async fn undeclared_capability_is_32021() {
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    let reply = raw_call(&conn, 401, json!({"sampling": {}}), json!({})).await;
    assert_eq!(reply["id"], 401);
    assert_eq!(reply["error"]["code"], -32021);
    assert_eq!(
        reply["error"]["data"]["requiredCapabilities"],
        json!({"elicitation": {}})
    );
    support::schema::validate("2026-07-28", "MissingRequiredClientCapabilityError", &reply)
        .unwrap();

    // Through the client: the error surfaces with its code.
    let mut h = Harness::with_options(
        &server,
        ClientOptions::default().with_capabilities(ClientCapabilities {
            sampling: Some(SamplingCapability::default()),
            ..Default::default()
        }),
    );
    h.client.connect().await.unwrap();
    let err = h.client.call_tool(call("ask_name")).await.unwrap_err();
    assert!(err.is_code(ErrorCode::MISSING_REQUIRED_CLIENT_CAPABILITY));
    h.validate();
}

#[tokio::test]
async fn multi_round_accumulates_answers_with_a_new_state_each_round() {
    let server = Server::new(Fixture::default());
    let mut h = Harness::new(&server, ProtocolVersion::V2026_07_28);
    h.client.connect().await.unwrap();
    let r = h.client.call_tool(call("multi_round")).await.unwrap();
    assert_eq!(text(&r), "Alice likes blue (step1)");
    h.validate();
    let states: Vec<String> = h
        .seen
        .iter()
        .filter_map(|t| match &t.message {
            Message::Response(r) => {
                let v: Value = serde_json::from_str(r.result.get()).unwrap();
                v["requestState"].as_str().map(str::to_owned)
            }
            _ => None,
        })
        .collect();
    assert_eq!(states.len(), 2, "two input_required rounds");
    assert_ne!(states[0], states[1]);
    // Round three sends only the step-2 answer: step 1 came back from the sealed state.
    let last_request = h
        .seen
        .iter()
        .rev()
        .find_map(|t| match &t.message {
            Message::Request(r) if r.method == "tools/call" => {
                Some(serde_json::from_str::<Value>(r.params.as_ref().unwrap().get()).unwrap())
            }
            _ => None,
        })
        .unwrap();
    let keys: Vec<&String> = last_request["inputResponses"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys, ["elicitation-2"]);
}

#[tokio::test]
async fn several_asks_in_one_round_and_on_prompts() {
    let server = Server::new(Fixture::default());
    let mut h = Harness::new(&server, ProtocolVersion::V2026_07_28);
    h.client.connect().await.unwrap();
    let r = h.client.call_tool(call("everything")).await.unwrap();
    assert_eq!(text(&r), "Alice / Paris / 1 root(s)");
    h.validate();
    let asked = h
        .seen
        .iter()
        .find_map(|t| match &t.message {
            Message::Response(r) => {
                let v: Value = serde_json::from_str(r.result.get()).unwrap();
                (v["resultType"] == "input_required").then_some(v)
            }
            _ => None,
        })
        .unwrap();
    let mut keys: Vec<&String> = asked["inputRequests"].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["client_roots", "greeting", "user_name"]);

    let prompt = h
        .client
        .get_prompt(GetPromptParams {
            name: "ask_context".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let text = serde_json::to_value(&prompt.messages[0].content).unwrap();
    assert_eq!(text["text"], "context: Alice");
    h.validate();
    let _ = full_capabilities();
}

#[tokio::test]
async fn input_is_refused_outside_the_three_methods() {
    let server = Server::new(Fixture::default());
    let mut h = Harness::new(&server, ProtocolVersion::V2026_07_28);
    h.client.connect().await.unwrap();
    // tools/list never answers input_required, whatever the client sends.
    let listed = h
        .client
        .request_raw(
            "tools/list",
            json!({"inputResponses": {"x": {"action": "decline"}}}),
        )
        .await
        .unwrap();
    assert_eq!(listed["resultType"], "complete");
    h.validate();
}

#[tokio::test]
async fn a_legacy_client_that_never_answers_times_the_ask_out() {
    struct Silent;
    #[mcp_protocol::async_trait]
    impl mcp_protocol::ClientHandler for Silent {
        async fn elicit(
            &self,
            _: mcp_protocol::types::ElicitParams,
        ) -> mcp_protocol::Result<mcp_protocol::types::ElicitResult> {
            std::future::pending().await
        }
    }
    let server = Server::builder(Fixture::default())
        .request_timeout(std::time::Duration::from_millis(50))
        .build();
    let (client, link) = mcp_protocol::memory::pair(
        &server,
        ClientOptions::default()
            .with_protocol_version(ProtocolVersion::V2025_11_25)
            .with_capabilities(full_capabilities())
            .with_handler(Silent),
    );
    client.connect().await.unwrap();
    let err = client.call_tool(call("elicit")).await.unwrap_err();
    assert!(err.is_code(ErrorCode::REQUEST_CANCELLED), "{err}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert_eq!(link.connection().in_flight(), 0);
}

#[tokio::test]
async fn states_bound_to_one_caller_are_refused_for_another() {
    use mcp_protocol::{Extensions, StateBinding};
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    let as_caller = |who: &str| {
        let mut ext = Extensions::new();
        ext.insert(StateBinding(who.to_owned()));
        TransportContext::new().with_extensions(ext)
    };
    let request = |id: i64, extra: Value| {
        let mut params = json!({
            "name": "ask_name",
            "_meta": {
                "io.modelcontextprotocol/protocolVersion": "2026-07-28",
                "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}},
            },
        });
        for (k, v) in extra.as_object().unwrap() {
            params[k] = v.clone();
        }
        Message::from_value(
            json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params}),
        )
        .unwrap()
    };
    let first = conn
        .handle(request(1, json!({})), as_caller("alice"))
        .await
        .unwrap();
    let first = serde_json::to_value(first).unwrap();
    let state = first["result"]["requestState"].clone();
    let retry = json!({"inputResponses": {"user_name": alice()}, "requestState": state});
    let stolen = conn
        .handle(request(2, retry.clone()), as_caller("bob"))
        .await
        .unwrap();
    let stolen = serde_json::to_value(stolen).unwrap();
    assert_eq!(stolen["error"]["code"], -32602, "{stolen}");
    let own = conn
        .handle(request(3, retry), as_caller("alice"))
        .await
        .unwrap();
    let own = serde_json::to_value(own).unwrap();
    assert_eq!(
        own["result"]["content"][0]["text"],
        "Hello, Alice! state-ok"
    );
    support::schema::validate_message("2026-07-28", &own).unwrap();
}
