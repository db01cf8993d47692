//! Lifecycle and negotiation in both eras, and what the engine does with bad input.
#![allow(clippy::unwrap_used)]

mod engine_common;
mod support;

use engine_common::{Fixture, Harness};
use mcp_protocol::server::Connection;
use mcp_protocol::types::{CacheScope, PaginatedParams};
use mcp_protocol::{
    ClientOptions, ErrorCode, Handler, Message, ProtocolVersion, Server, TransportContext,
};
use serde_json::{Value, json};
use std::time::Duration;

async fn raw(conn: &Connection, message: Value) -> Option<Value> {
    let m = Message::from_value(message).unwrap();
    conn.handle(m, TransportContext::new())
        .await
        .map(|r| serde_json::to_value(r).unwrap())
}

fn meta26() -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "1"},
    })
}

fn assert_valid(rev: &str, v: &Value) {
    support::schema::validate_message(rev, v).unwrap();
}

#[tokio::test]
async fn legacy_handshake_negotiates_2025_11_25() {
    let server = Server::new(Fixture::default());
    let mut h = Harness::new(&server, ProtocolVersion::V2025_11_25);
    let details = h.client.connect().await.unwrap();
    assert_eq!(details.version, ProtocolVersion::V2025_11_25);
    assert_eq!(details.instructions.as_deref(), Some("Use echo to test."));
    assert!(
        details.capabilities.logging.is_some(),
        "the engine adds logging"
    );
    assert!(details.capabilities.tools.is_some());
    assert_eq!(
        h.link.connection().protocol_version(),
        Some(ProtocolVersion::V2025_11_25)
    );
    h.client.ping().await.unwrap();
    h.validate();
    let methods: Vec<String> = h
        .seen
        .iter()
        .filter_map(|t| t.message.method().map(str::to_owned))
        .collect();
    assert_eq!(methods, ["initialize", "notifications/initialized", "ping"]);
}

#[tokio::test]
async fn a_2024_11_05_client_gets_its_own_revision() {
    let server = Server::new(Fixture::default());
    let mut h = Harness::new(&server, ProtocolVersion::V2024_11_05);
    let details = h.client.connect().await.unwrap();
    assert_eq!(details.version, ProtocolVersion::V2024_11_05);
    let tools = h
        .client
        .list_tools(PaginatedParams::default())
        .await
        .unwrap();
    assert!(tools.tools.iter().any(|t| t.name == "echo"));
    h.validate();
    // Nothing newer than 2024-11-05 leaks into the answers.
    let init = h
        .seen
        .iter()
        .find_map(|t| match &t.message {
            Message::Response(r) if r.id == mcp_protocol::RequestId::Number(1) => {
                Some(serde_json::from_str::<Value>(r.result.get()).unwrap())
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(init["protocolVersion"], "2024-11-05");
    assert!(init.get("resultType").is_none());
    assert!(init["serverInfo"].get("title").is_none());
}

#[tokio::test]
async fn unknown_legacy_version_gets_the_newest_legacy_one() {
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    let reply = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "1999-01-01",
            "capabilities": {},
            "clientInfo": {"name": "old", "version": "0"},
        }}),
    )
    .await
    .unwrap();
    assert_eq!(reply["result"]["protocolVersion"], "2025-11-25");
    assert_valid("2025-11-25", &reply);
    let again = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 2, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "old", "version": "0"},
        }}),
    )
    .await
    .unwrap();
    assert_eq!(again["error"]["code"], -32600);
}

#[tokio::test]
async fn a_request_before_initialize_gets_a_clear_error() {
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    let reply = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 7, "method": "tools/list"}),
    )
    .await
    .unwrap();
    assert_eq!(reply["id"], 7);
    assert_eq!(reply["error"]["code"], -32600);
    assert!(
        reply["error"]["message"]
            .as_str()
            .unwrap()
            .contains("initialize")
    );
    // ping is allowed before initialize.
    let pong = raw(&conn, json!({"jsonrpc": "2.0", "id": 8, "method": "ping"}))
        .await
        .unwrap();
    assert_eq!(pong["result"], json!({}));
    assert_valid("2025-11-25", &reply);
}

#[tokio::test]
async fn modern_client_discovers_and_sees_every_version() {
    let server = Server::new(Fixture::default());
    let mut h = Harness::new(&server, ProtocolVersion::V2026_07_28);
    let details = h.client.connect().await.unwrap();
    assert_eq!(details.version, ProtocolVersion::V2026_07_28);
    assert_eq!(
        details.supported_versions,
        [
            "2026-07-28",
            "2025-11-25",
            "2025-06-18",
            "2025-03-26",
            "2024-11-05"
        ]
    );
    assert_eq!(details.server_info.unwrap().name, "mcp-protocol");
    // No handshake: the connection stays unnegotiated.
    assert_eq!(h.link.connection().protocol_version(), None);
    h.validate();
    let discover = h
        .seen
        .iter()
        .find_map(|t| match &t.message {
            Message::Response(r) => Some(serde_json::from_str::<Value>(r.result.get()).unwrap()),
            _ => None,
        })
        .unwrap();
    assert_eq!(discover["resultType"], "complete");
    assert_eq!(discover["cacheScope"], "private");
    assert_eq!(discover["ttlMs"], 0);
}

#[tokio::test]
async fn the_server_cache_hint_fills_results_that_set_none() {
    let server = Server::builder(Fixture::default())
        .cache_hint(Duration::from_secs(90), CacheScope::Public)
        .build();
    let conn = server.connect();
    for method in ["server/discover", "tools/list"] {
        let reply = raw(
            &conn,
            json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": {"_meta": meta26()}}),
        )
        .await
        .unwrap();
        let result = &reply["result"];
        assert_eq!(result["ttlMs"], 90_000, "{method}");
        assert_eq!(result["cacheScope"], "public", "{method}");
        assert_eq!(result["resultType"], "complete", "{method}");
        assert_eq!(
            result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"], "mcp-protocol",
            "{method}"
        );
    }
    // Not cacheable: no hint, but the server's identity all the same.
    let reply = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
               "params": {"_meta": meta26(), "name": "echo", "arguments": {"text": "hi"}}}),
    )
    .await
    .unwrap();
    assert!(reply["result"].get("ttlMs").is_none());
    assert_eq!(reply["result"]["resultType"], "complete");
    assert!(reply["result"]["_meta"]["io.modelcontextprotocol/serverInfo"].is_object());
}

/// The keys the engine reads from a 2026-07-28 `_meta` (version, client info and
/// capabilities, log level) reach the handler through the context's getters, as in the
/// legacy era; every other key stays in `ctx.meta()`.
#[tokio::test]
async fn handlers_see_the_same_meta_in_both_eras() {
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    let mut meta = meta26();
    meta["io.modelcontextprotocol/logLevel"] = json!("debug");
    meta["progressToken"] = json!("p1");
    meta["com.example/trace"] = json!({"id": 7});
    let reply = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
               "params": {"_meta": meta, "name": "meta_keys", "arguments": {}}}),
    )
    .await
    .unwrap();
    assert_eq!(
        reply["result"]["content"][0]["text"],
        "com.example/trace,progressToken"
    );

    let legacy = server.connect();
    raw(
        &legacy,
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "raw", "version": "1"}}}),
    )
    .await
    .unwrap();
    raw(
        &legacy,
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
    )
    .await;
    let reply = raw(
        &legacy,
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "_meta": {"progressToken": "p1", "com.example/trace": {"id": 7}},
            "name": "meta_keys", "arguments": {}}}),
    )
    .await
    .unwrap();
    assert_eq!(
        reply["result"]["content"][0]["text"],
        "com.example/trace,progressToken"
    );
}

#[tokio::test]
async fn unsupported_modern_version_is_32022_with_the_supported_list() {
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    let mut meta = meta26();
    meta["io.modelcontextprotocol/protocolVersion"] = json!("v999.0.0");
    let reply = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 301, "method": "server/discover", "params": {"_meta": meta}}),
    )
    .await
    .unwrap();
    assert_eq!(reply["id"], 301);
    assert_eq!(reply["error"]["code"], -32022);
    assert_eq!(reply["error"]["data"]["requested"], "v999.0.0");
    assert_eq!(reply["error"]["data"]["supported"][0], "2026-07-28");
    support::schema::validate("2026-07-28", "UnsupportedProtocolVersionError", &reply).unwrap();
}

#[tokio::test]
async fn missing_meta_fields_are_32602() {
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    let no_meta = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 101, "method": "server/discover", "params": {}}),
    )
    .await
    .unwrap();
    assert_eq!(no_meta["error"]["code"], -32602);
    let mut meta = meta26();
    meta.as_object_mut()
        .unwrap()
        .remove("io.modelcontextprotocol/clientCapabilities");
    let no_caps = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 104, "method": "server/discover", "params": {"_meta": meta}}),
    )
    .await
    .unwrap();
    assert_eq!(no_caps["error"]["code"], -32602);
    assert!(
        no_caps["error"]["message"]
            .as_str()
            .unwrap()
            .contains("clientCapabilities")
    );
    // clientInfo is optional.
    let mut meta = meta26();
    meta.as_object_mut()
        .unwrap()
        .remove("io.modelcontextprotocol/clientInfo");
    let ok = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 105, "method": "server/discover", "params": {"_meta": meta}}),
    )
    .await
    .unwrap();
    assert!(ok.get("result").is_some(), "{ok}");
    for v in [&no_meta, &no_caps, &ok] {
        assert_valid("2026-07-28", v);
    }
}

#[tokio::test]
async fn removed_and_unknown_methods_are_32601_in_2026() {
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    for (id, method) in [
        (500, "initialize"),
        (501, "ping"),
        (502, "logging/setLevel"),
        (503, "resources/subscribe"),
        (504, "resources/unsubscribe"),
        (601, "unknown/method"),
    ] {
        let reply = raw(
            &conn,
            json!({"jsonrpc": "2.0", "id": id, "method": method, "params": {"_meta": meta26()}}),
        )
        .await
        .unwrap();
        assert_eq!(reply["id"], id);
        assert_eq!(reply["error"]["code"], -32601, "{method}: {reply}");
        support::schema::validate("2026-07-28", "MethodNotFoundError", &reply["error"]).unwrap();
    }
}

#[tokio::test]
async fn a_2026_client_falls_back_to_a_legacy_only_server() {
    let server = Server::builder(Fixture::default())
        .versions([ProtocolVersion::V2025_11_25, ProtocolVersion::V2025_06_18])
        .build();
    let mut h = Harness::new(&server, ProtocolVersion::V2026_07_28);
    let details = h.client.connect().await.unwrap();
    assert_eq!(details.version, ProtocolVersion::V2025_11_25);
    let r = h
        .client
        .call_tool(mcp_protocol::types::CallToolParams::new(
            "echo",
            json!({"text": "hi"}).as_object().unwrap().clone(),
        ))
        .await
        .unwrap();
    assert_eq!(r.content[0].as_text(), Some("hi"));
    h.validate();
    let methods: Vec<&str> = h.seen.iter().filter_map(|t| t.message.method()).collect();
    assert_eq!(
        methods,
        [
            "server/discover",
            "initialize",
            "notifications/initialized",
            "tools/call"
        ]
    );
}

#[tokio::test]
async fn a_2026_only_server_refuses_initialize() {
    let server = Server::builder(Fixture::default())
        .versions([ProtocolVersion::V2026_07_28])
        .build();
    let conn = server.connect();
    let reply = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "old", "version": "0"},
        }}),
    )
    .await
    .unwrap();
    assert_eq!(reply["error"]["code"], -32600);
    assert_eq!(reply["error"]["data"]["supported"], json!(["2026-07-28"]));
}

#[tokio::test]
async fn bad_params_name_the_field_and_unknown_methods_are_32601() {
    let server = Server::new(Fixture::default());
    let mut h = Harness::new(&server, ProtocolVersion::V2025_11_25);
    h.client.connect().await.unwrap();
    let conn = h.link.connection().clone();
    let bad = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 90, "method": "tools/call", "params": {"name": 5}}),
    )
    .await
    .unwrap();
    assert_eq!(bad["error"]["code"], -32602);
    assert!(
        bad["error"]["message"].as_str().unwrap().contains("name"),
        "{bad}"
    );
    let unknown = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 91, "method": "nope/nothing"}),
    )
    .await
    .unwrap();
    assert_eq!(unknown["error"]["code"], -32601);
    let modern_only = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 92, "method": "server/discover"}),
    )
    .await
    .unwrap();
    assert_eq!(modern_only["error"]["code"], -32601);
    let not_object = raw(
        &conn,
        json!({"jsonrpc": "2.0", "id": 93, "method": "tools/list", "params": [1, 2]}),
    )
    .await
    .unwrap();
    assert_eq!(not_object["error"]["code"], -32602);
    let unknown_tool = h
        .client
        .call_tool(mcp_protocol::types::CallToolParams::new(
            "nope",
            Default::default(),
        ))
        .await
        .unwrap_err();
    assert!(unknown_tool.is_code(ErrorCode::INVALID_PARAMS));
    // A response to nothing is ignored.
    assert!(
        raw(&conn, json!({"jsonrpc": "2.0", "id": 12345, "result": {}}))
            .await
            .is_none()
    );
    for v in [&bad, &unknown, &modern_only, &not_object] {
        assert_valid("2025-11-25", v);
    }
    h.validate();
}

#[tokio::test]
async fn undeclared_features_are_32601() {
    struct Bare;
    impl Handler for Bare {}
    let server = Server::new(Bare);
    let mut h = Harness::new(&server, ProtocolVersion::V2026_07_28);
    let details = h.client.connect().await.unwrap();
    assert!(details.capabilities.tools.is_none());
    let err = h
        .client
        .list_tools(PaginatedParams::default())
        .await
        .unwrap_err();
    assert!(err.is_code(ErrorCode::METHOD_NOT_FOUND), "{err}");
    let err = h
        .client
        .list_prompts(PaginatedParams::default())
        .await
        .unwrap_err();
    assert!(err.is_code(ErrorCode::METHOD_NOT_FOUND), "{err}");
    h.validate();
}

#[tokio::test]
async fn batches_answer_each_request() {
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    let replies = conn
        .handle_batch(
            vec![
                json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}),
                json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
                json!({"jsonrpc": "1.0", "id": 3, "method": "ping"}),
            ],
            TransportContext::new(),
        )
        .await
        .unwrap();
    assert_eq!(replies.len(), 2);
    let values: Vec<Value> = replies
        .iter()
        .map(|m| serde_json::to_value(m).unwrap())
        .collect();
    assert_eq!(values[0]["result"], json!({}));
    assert_eq!(values[1]["error"]["code"], -32600);
    assert!(
        conn.handle_batch(vec![], TransportContext::new())
            .await
            .is_some()
    );
    let _ = ClientOptions::default();
}

#[tokio::test]
async fn handler_defaults_are_empty_lists_and_not_found_errors() {
    use mcp_protocol::types::{
        CallToolParams, GetPromptParams, PromptsCapability, ReadResourceParams,
        ResourcesCapability, ServerCapabilities, ToolsCapability,
    };
    struct Declared;
    impl Handler for Declared {
        fn capabilities(&self) -> ServerCapabilities {
            ServerCapabilities {
                tools: Some(ToolsCapability::default()),
                resources: Some(ResourcesCapability::default()),
                prompts: Some(PromptsCapability::default()),
                ..Default::default()
            }
        }
    }
    for v in [ProtocolVersion::V2025_11_25, ProtocolVersion::V2026_07_28] {
        let server = Server::new(Declared);
        let mut h = Harness::new(&server, v);
        h.client.connect().await.unwrap();
        assert!(
            h.client
                .list_tools(PaginatedParams::default())
                .await
                .unwrap()
                .tools
                .is_empty()
        );
        assert!(
            h.client
                .list_resources(PaginatedParams::default())
                .await
                .unwrap()
                .resources
                .is_empty()
        );
        let err = h
            .client
            .call_tool(CallToolParams::new("x", Default::default()))
            .await
            .unwrap_err();
        assert!(err.is_code(ErrorCode::INVALID_PARAMS), "{err}");
        let err = h
            .client
            .get_prompt(GetPromptParams {
                name: "x".into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert!(err.is_code(ErrorCode::INVALID_PARAMS), "{err}");
        let err = h
            .client
            .read_resource(ReadResourceParams {
                uri: "x://y".into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        let code = if v.is_legacy() {
            ErrorCode::RESOURCE_NOT_FOUND
        } else {
            ErrorCode::INVALID_PARAMS
        };
        assert!(err.is_code(code), "{v}: {err}");
        // Subscribing was not declared.
        if v.is_legacy() {
            let err = h.client.subscribe("x://y").await.unwrap_err();
            assert!(err.is_code(ErrorCode::METHOD_NOT_FOUND), "{err}");
        }
        h.validate();
    }
}
