//! The router driven without sockets by a 2026-07-28 client.
#![allow(clippy::unwrap_used)]

mod support;

use http::StatusCode;
use mcp_transport_http::{HttpConfig, router};
use serde_json::json;
use support::*;

fn modern_headers<'a>(method: &'a str, name: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut h = vec![("mcp-protocol-version", MODERN), ("mcp-method", method)];
    if let Some(n) = name {
        h.push(("mcp-name", n));
    }
    h
}

#[tokio::test]
async fn discover_then_call_with_headers() {
    let (server, _events, _release) = server();
    let app = router(server, HttpConfig::default());

    let discover = json!({"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta": modern_meta()}});
    let a = send(
        &app,
        post(&discover, &modern_headers("server/discover", None)),
    )
    .await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    assert!(
        a.headers.get("mcp-session-id").is_none(),
        "no sessions in 2026-07-28"
    );
    let supported = a.json()["result"]["supportedVersions"].clone();
    assert!(
        supported.as_array().unwrap().iter().any(|v| v == MODERN),
        "{supported}"
    );

    let call = modern_call(2, "echo", json!({"text":"modern"}));
    let a = send(
        &app,
        post(&call, &modern_headers("tools/call", Some("echo"))),
    )
    .await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    assert_eq!(a.json()["result"]["content"][0]["text"], "modern");

    // Progress goes on the request's own SSE stream.
    let mut call = modern_call(3, "progress", json!({}));
    call["params"]["_meta"]["progressToken"] = json!("t");
    let a = send(
        &app,
        post(&call, &modern_headers("tools/call", Some("progress"))),
    )
    .await;
    assert!(a.content_type().starts_with("text/event-stream"));
    let msgs = a.sse_messages();
    assert_eq!(
        msgs.iter()
            .filter(|m| m["method"] == "notifications/progress")
            .count(),
        3
    );
    assert_eq!(msgs.last().unwrap()["id"], 3);
    assert!(
        a.sse_events().iter().all(|e| e.id.is_none()),
        "2026-07-28 streams are not resumable"
    );
}

#[tokio::test]
async fn param_headers_are_checked_against_the_body() {
    let (server, _events, _release) = server();
    let app = router(server, HttpConfig::default());
    let call = modern_call(1, "region_echo", json!({"region":"us-west1","count":42}));
    let mut h = modern_headers("tools/call", Some("region_echo"));
    h.push(("mcp-param-region", "us-west1"));
    h.push(("mcp-param-count", "42"));
    let ok = send(&app, post(&call, &h)).await;
    assert_eq!(
        ok.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&ok.body)
    );
    assert_eq!(ok.json()["result"]["content"][0]["text"], "us-west1");

    // Base64 sentinel values are decoded before comparing.
    let call = modern_call(2, "region_echo", json!({"region":"Hello, 世界"}));
    let mut h = modern_headers("tools/call", Some("region_echo"));
    h.push(("mcp-param-region", "=?base64?SGVsbG8sIOS4lueVjA==?="));
    let ok = send(&app, post(&call, &h)).await;
    assert_eq!(
        ok.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&ok.body)
    );

    // The argument is in the body but its header is missing.
    let call = modern_call(3, "region_echo", json!({"region":"eu"}));
    let bad = send(
        &app,
        post(&call, &modern_headers("tools/call", Some("region_echo"))),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.json()["error"]["code"], -32020);
    assert_eq!(bad.json()["id"], 3);
}

#[tokio::test]
async fn dropping_the_response_cancels_the_request() {
    let (server, mut events, _release) = server();
    let app = router(server, HttpConfig::default());
    let call = modern_call(1, "slow", json!({}));
    let pending = {
        let app = app.clone();
        tokio::spawn(async move {
            send(
                &app,
                post(&call, &modern_headers("tools/call", Some("slow"))),
            )
            .await
        })
    };
    assert_eq!(events.recv().await, Some(Event::SlowStarted));
    pending.abort();
    assert_eq!(events.recv().await, Some(Event::SlowCancelled));
}

#[tokio::test]
async fn get_and_delete_are_not_allowed() {
    let (server, _events, _release) = server();
    let app = router(server, HttpConfig::default());
    let g = send(&app, get(&[("mcp-protocol-version", MODERN)])).await;
    assert_eq!(g.status, StatusCode::METHOD_NOT_ALLOWED);
    let d = send(&app, delete(&[("mcp-protocol-version", MODERN)])).await;
    assert_eq!(d.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn version_and_method_errors_map_to_statuses() {
    let (server, _events, _release) = server();
    let app = router(server, HttpConfig::default());
    let mut meta = modern_meta();
    meta["io.modelcontextprotocol/protocolVersion"] = json!("2099-01-01");
    let req = json!({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta": meta}});
    let a = send(
        &app,
        post(
            &req,
            &[
                ("mcp-protocol-version", "2099-01-01"),
                ("mcp-method", "tools/list"),
            ],
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.json()["error"]["code"], -32022);

    let req = json!({"jsonrpc":"2.0","id":2,"method":"no/such","params":{"_meta": modern_meta()}});
    let a = send(&app, post(&req, &modern_headers("no/such", None))).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.json()["error"]["code"], -32601);
}

#[tokio::test]
async fn subscriptions_listen_is_a_long_lived_stream() {
    let (server, _events, _release) = server();
    let app = router(server.clone(), HttpConfig::default());
    let listen = json!({"jsonrpc":"2.0","id":"l1","method":"subscriptions/listen","params":{
        "notifications": {"toolsListChanged": true}, "_meta": modern_meta()}});
    let mut stream = open(
        &app,
        post(&listen, &modern_headers("subscriptions/listen", None)),
    )
    .await;
    assert_eq!(stream.status, StatusCode::OK);
    assert_eq!(stream.headers["content-type"], "text/event-stream");
    let ack = stream.next_message().await.unwrap();
    assert_eq!(ack["method"], "notifications/subscriptions/acknowledged");
    server.notify_tools_list_changed();
    let change = stream.next_message().await.expect("the stream stays open");
    assert_eq!(change["method"], "notifications/tools/list_changed");
}

/// The mounting the router's docs give for one exact path works (axum refuses a plain
/// `Router` in `route_service`).
#[tokio::test]
async fn mounts_at_one_exact_path_with_route_service() {
    let (server, _events, _release) = server();
    let app = axum::Router::new().route_service(
        "/mcp",
        router(server, HttpConfig::default()).into_service::<axum::body::Body>(),
    );
    let call = modern_call(1, "echo", json!({"text": "hi"}));
    let a = send(
        &app,
        post(&call, &modern_headers("tools/call", Some("echo"))),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    assert_eq!(a.json()["result"]["content"][0]["text"], "hi");
}

#[tokio::test]
async fn a_meta_without_its_required_members_is_a_bad_request() {
    let (server, _events, _release) = server();
    let app = router(server, HttpConfig::default());
    let headers = modern_headers("tools/call", Some("echo"));
    let mut no_capabilities = modern_meta();
    no_capabilities
        .as_object_mut()
        .unwrap()
        .remove("io.modelcontextprotocol/clientCapabilities");
    for (meta, missing) in [
        (no_capabilities, "clientCapabilities"),
        (json!("not an object"), "protocolVersion"),
        (json!(null), "protocolVersion"),
    ] {
        let req = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "echo", "arguments": {"text": "hi"}, "_meta": meta}});
        let a = send(&app, post(&req, &headers)).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{meta}");
        let message = a.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.contains(missing), "{meta}: {message}");
    }
}
