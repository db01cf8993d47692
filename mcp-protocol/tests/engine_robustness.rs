//! Malformed input of every kind: the engine answers each request with a response or a
//! JSON-RPC error, never panics, and keeps serving.
#![allow(clippy::unwrap_used)]

mod engine_common;
mod support;

use engine_common::Fixture;
use mcp_protocol::server::Connection;
use mcp_protocol::{Message, Server, TransportContext};
use serde_json::{Value, json};

const METHODS: [&str; 19] = [
    "initialize",
    "ping",
    "server/discover",
    "tools/list",
    "tools/call",
    "resources/list",
    "resources/templates/list",
    "resources/read",
    "resources/subscribe",
    "resources/unsubscribe",
    "prompts/list",
    "prompts/get",
    "completion/complete",
    "logging/setLevel",
    "subscriptions/listen",
    "sampling/createMessage",
    "notifications/cancelled",
    "",
    "no/such/method",
];

fn modern_meta() -> Value {
    json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}},
    })
}

fn bad_params() -> Vec<Value> {
    let m = modern_meta();
    vec![
        json!({}),
        json!([]),
        json!([1, "two"]),
        json!({"name": 1, "uri": null, "arguments": "x", "level": "loud"}),
        json!({"_meta": 5}),
        json!({"_meta": {"io.modelcontextprotocol/protocolVersion": 5}}),
        json!({"_meta": {"io.modelcontextprotocol/protocolVersion": "2025-11-25"}}),
        json!({"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                         "io.modelcontextprotocol/clientCapabilities": "none"}}),
        json!({"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
                         "io.modelcontextprotocol/clientCapabilities": {},
                         "io.modelcontextprotocol/logLevel": "loud",
                         "progressToken": {"x": 1}}}),
        json!({"_meta": m, "name": "ask_name", "inputResponses": "x"}),
        json!({"_meta": m, "name": "ask_name", "inputResponses": {"user_name": []}}),
        json!({"_meta": m, "name": "ask_name", "requestState": "a.b"}),
        json!({"_meta": m, "name": "ask_name", "requestState": "....."}),
        json!({"_meta": m, "name": "ask_name", "requestState": "é.é"}),
        json!({"_meta": m, "uri": "test://missing", "requestState": ""}),
        json!({"_meta": m, "notifications": "all"}),
        json!({"_meta": m, "ref": {"type": "ref/nothing"}, "argument": {}}),
        json!({"protocolVersion": 2025, "capabilities": [], "clientInfo": {}}),
    ]
}

async fn send(conn: &Connection, id: i64, method: &str, params: &Value) -> Option<Value> {
    let m = Message::from_value(json!({
        "jsonrpc": "2.0", "id": id, "method": method, "params": params,
    }))
    .ok()?;
    let reply = conn.handle(m, TransportContext::new()).await?;
    Some(serde_json::to_value(reply).unwrap())
}

async fn hammer(conn: &Connection) {
    let mut id = 0;
    for method in METHODS {
        for params in bad_params() {
            id += 1;
            if method == "subscriptions/listen" && params.get("_meta") == Some(&modern_meta()) {
                continue; // a valid listen stream stays open until cancelled
            }
            if let Some(reply) = send(conn, id, method, &params).await {
                assert_eq!(reply["id"], id, "{method} {params}: {reply}");
                assert!(
                    reply.get("result").is_some() || reply["error"]["code"].is_i64(),
                    "{method} {params}: {reply}"
                );
                // Once initialized, a connection speaks its legacy revision whatever the
                // request says.
                let modern = conn.protocol_version().is_none()
                    && params
                        .pointer("/_meta/io.modelcontextprotocol~1protocolVersion")
                        .is_some_and(|v| v == "2026-07-28");
                let rev = if modern { "2026-07-28" } else { "2025-11-25" };
                support::schema::validate(rev, "JSONRPCMessage", &reply)
                    .unwrap_or_else(|e| panic!("{method} {params}: {e}"));
            }
        }
    }
}

#[tokio::test]
async fn garbage_never_panics_before_or_after_initialize() {
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    hammer(&conn).await;
    let init = send(
        &conn,
        -1,
        "initialize",
        &json!({"protocolVersion": "2025-11-25", "capabilities": {},
                "clientInfo": {"name": "c", "version": "1"}}),
    )
    .await;
    // The garbage above may already have initialized the connection; either way it works.
    if let Some(init) = init {
        assert!(init.get("result").is_some() || init["error"]["code"] == -32600);
    }
    hammer(&conn).await;
    let pong = send(&conn, 10_000, "ping", &json!({})).await.unwrap();
    assert_eq!(pong["result"], json!({}));
    assert_eq!(conn.in_flight(), 0);
}

#[tokio::test]
async fn garbage_notifications_and_responses_are_ignored() {
    let server = Server::new(Fixture::default());
    let conn = server.connect();
    for raw in [
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": []}}),
        json!({"jsonrpc": "2.0", "method": "notifications/cancelled"}),
        json!({"jsonrpc": "2.0", "method": "notifications/unknown", "params": {"x": 1}}),
        json!({"jsonrpc": "2.0", "method": "notifications/roots/list_changed"}),
        json!({"jsonrpc": "2.0", "id": 99, "result": {"anything": true}}),
        json!({"jsonrpc": "2.0", "id": 98, "error": {"code": -1, "message": "no"}}),
        json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": "parse"}}),
    ] {
        let m = Message::from_value(raw.clone()).unwrap();
        assert!(
            conn.handle(m, TransportContext::new()).await.is_none(),
            "{raw}"
        );
    }
}
