//! The client engine against scripted servers: version retries, fallbacks, late answers and
//! protocol violations.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use mcp_protocol::jsonrpc::{ErrorResponse, Response};
use mcp_protocol::{
    Client, ClientOptions, Error, ErrorObject, Message, ProtocolVersion, RequestId,
};
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// Receives the client's next request, checks it against the schema of its revision, and
/// returns its id, method and params.
async fn next_request(rx: &mut mpsc::Receiver<Message>) -> (RequestId, String, Value) {
    loop {
        let m = rx.recv().await.expect("the client is gone");
        let value = serde_json::to_value(&m).unwrap();
        let rev = value
            .pointer("/params/_meta/io.modelcontextprotocol~1protocolVersion")
            .and_then(Value::as_str)
            .or_else(|| {
                value
                    .pointer("/params/protocolVersion")
                    .and_then(Value::as_str)
            })
            .unwrap_or("2025-11-25")
            .to_owned();
        support::schema::validate_message(&rev, &value).unwrap();
        if let Message::Request(r) = m {
            let params = serde_json::from_str(r.params.as_ref().unwrap().get()).unwrap();
            return (r.id, r.method, params);
        }
    }
}

#[allow(clippy::needless_pass_by_value)] // callers build the value inline
fn reply(id: RequestId, result: Value) -> Message {
    Message::Response(Response {
        jsonrpc: mcp_protocol::jsonrpc::JsonRpcVersion,
        id,
        result: serde_json::value::to_raw_value(&result).unwrap(),
    })
}

fn discover_result() -> Value {
    json!({
        "resultType": "complete",
        "supportedVersions": ["2026-07-28"],
        "capabilities": {"tools": {}},
        "ttlMs": 0,
        "cacheScope": "public",
        "_meta": {"io.modelcontextprotocol/serverInfo": {"name": "scripted", "version": "1"}},
    })
}

fn unsupported(id: RequestId, supported: &[&str]) -> Message {
    Message::Error(ErrorResponse::new(
        Some(id),
        ErrorObject::new(mcp_protocol::ErrorCode::UNSUPPORTED_PROTOCOL_VERSION, "no")
            .with_data(json!({"supported": supported, "requested": "x"})),
    ))
}

#[tokio::test]
async fn retries_discovery_when_32022_lists_our_version() {
    let (client, mut rx) = Client::new(ClientOptions::default());
    let connecting = tokio::spawn({
        let client = client.clone();
        async move { client.connect().await }
    });
    let (id, method, _) = next_request(&mut rx).await;
    assert_eq!(method, "server/discover");
    client
        .handle_incoming(unsupported(id, &["2026-07-28"]))
        .await;
    let (id, method, params) = next_request(&mut rx).await;
    assert_eq!(method, "server/discover");
    assert_eq!(
        params["_meta"]["io.modelcontextprotocol/protocolVersion"],
        "2026-07-28"
    );
    client.handle_incoming(reply(id, discover_result())).await;
    let details = connecting.await.unwrap().unwrap();
    assert_eq!(details.version, ProtocolVersion::V2026_07_28);
    assert_eq!(details.server_info.unwrap().name, "scripted");
}

#[tokio::test]
async fn falls_back_to_the_legacy_version_the_server_lists() {
    let (client, mut rx) = Client::new(ClientOptions::default());
    let connecting = tokio::spawn({
        let client = client.clone();
        async move { client.connect().await }
    });
    let (id, _, _) = next_request(&mut rx).await;
    client
        .handle_incoming(unsupported(id, &["2025-06-18", "2024-11-05"]))
        .await;
    let (id, method, params) = next_request(&mut rx).await;
    assert_eq!(method, "initialize");
    assert_eq!(params["protocolVersion"], "2025-06-18");
    client
        .handle_incoming(reply(
            id,
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "serverInfo": {"name": "old", "version": "1"},
            }),
        ))
        .await;
    let m = rx.recv().await.unwrap();
    assert_eq!(m.method(), Some("notifications/initialized"));
    let details = connecting.await.unwrap().unwrap();
    assert_eq!(details.version, ProtocolVersion::V2025_06_18);
    assert_eq!(
        client.protocol_version(),
        Some(ProtocolVersion::V2025_06_18)
    );
}

#[tokio::test]
async fn refuses_a_version_it_does_not_speak() {
    let options = ClientOptions::default().with_protocol_version(ProtocolVersion::V2025_11_25);
    let (client, mut rx) = Client::new(options);
    let connecting = tokio::spawn({
        let client = client.clone();
        async move { client.connect().await }
    });
    let (id, method, _) = next_request(&mut rx).await;
    assert_eq!(method, "initialize");
    client
        .handle_incoming(reply(
            id,
            json!({
                "protocolVersion": "2099-01-01",
                "capabilities": {},
                "serverInfo": {"name": "future", "version": "1"},
            }),
        ))
        .await;
    let err = connecting.await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Protocol(_)), "{err}");
    assert!(client.protocol_version().is_none());
}

#[tokio::test]
async fn bounds_input_rounds_and_ignores_late_answers() {
    let options = ClientOptions {
        max_input_rounds: 2,
        request_timeout: Duration::from_secs(30),
        ..ClientOptions::default()
    };
    let (client, mut rx) = Client::new(options);
    let connecting = tokio::spawn({
        let client = client.clone();
        async move { client.connect().await }
    });
    let (id, _, _) = next_request(&mut rx).await;
    client.handle_incoming(reply(id, discover_result())).await;
    connecting.await.unwrap().unwrap();

    // A server that always wants more input: the client stops after two rounds.
    let calling = tokio::spawn({
        let client = client.clone();
        async move {
            client
                .request_raw("tools/call", json!({"name": "loop"}))
                .await
        }
    });
    for round in 0..3 {
        let (id, method, params) = next_request(&mut rx).await;
        assert_eq!(method, "tools/call");
        if round > 0 {
            assert_eq!(params["requestState"], format!("s{}", round - 1));
            assert!(params["inputResponses"].is_object());
        }
        client
            .handle_incoming(reply(
                id,
                json!({"resultType": "input_required", "requestState": format!("s{round}")}),
            ))
            .await;
    }
    let err = calling.await.unwrap().unwrap_err();
    assert!(err.to_string().contains("rounds"), "{err}");
    // An answer to an id nobody waits for is ignored.
    client
        .handle_incoming(reply(RequestId::Number(999), json!({})))
        .await;
    // A closed client fails what waits.
    let waiting = tokio::spawn({
        let client = client.clone();
        async move { client.request_raw("tools/list", json!({})).await }
    });
    let _ = next_request(&mut rx).await;
    client.close();
    assert!(matches!(waiting.await.unwrap(), Err(Error::Closed)));
}

#[tokio::test]
async fn answers_server_requests_it_can_and_refuses_the_rest() {
    let options = ClientOptions::default().with_protocol_version(ProtocolVersion::V2025_11_25);
    let (client, mut rx) = Client::new(options);
    let ping = Message::from_value(json!({"jsonrpc": "2.0", "id": "p", "method": "ping"})).unwrap();
    client.handle_incoming(ping).await;
    let pong = serde_json::to_value(rx.recv().await.unwrap()).unwrap();
    assert_eq!(pong, json!({"jsonrpc": "2.0", "id": "p", "result": {}}));
    // No sampling capability declared: refused with -32601.
    let sample = Message::from_value(json!({
        "jsonrpc": "2.0", "id": "s", "method": "sampling/createMessage",
        "params": {"messages": [], "maxTokens": 5},
    }))
    .unwrap();
    client.handle_incoming(sample).await;
    let refused = serde_json::to_value(rx.recv().await.unwrap()).unwrap();
    assert_eq!(refused["id"], "s");
    assert_eq!(refused["error"]["code"], -32601);
    support::schema::validate_message("2025-11-25", &refused).unwrap();
}
