//! Cancellation (the handler future is dropped), concurrency (a slow tool never delays other
//! requests), timeouts and closing.
#![allow(clippy::unwrap_used)]

mod engine_common;
mod support;

use std::time::Duration;

use engine_common::{Fixture, Harness, Probes};
use mcp_protocol::memory::Direction;
use mcp_protocol::types::{CallToolParams, PaginatedParams};
use mcp_protocol::{ClientOptions, Error, Message, ProtocolVersion, Server, TransportContext};
use serde_json::json;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const ERAS: [ProtocolVersion; 2] = [ProtocolVersion::V2025_11_25, ProtocolVersion::V2026_07_28];

fn fixture() -> (Fixture, mpsc::UnboundedReceiver<&'static str>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let fixture = Fixture {
        probes: Probes {
            dropped: Some(tx),
            ..Probes::default()
        },
    };
    (fixture, rx)
}

fn slow() -> CallToolParams {
    CallToolParams::new("slow", Default::default())
}

/// A 2026-07-28 `tools/call` as it arrives from a transport.
fn raw_call(id: u64, tool: &str) -> Message {
    Message::from_value(json!({
        "jsonrpc": "2.0", "id": id, "method": "tools/call",
        "params": {"name": tool, "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientCapabilities": {},
        }},
    }))
    .unwrap()
}

/// Waits until the connection has no request in flight (bounded).
async fn settle(h: &Harness) {
    for _ in 0..1000 {
        if h.link.connection().in_flight() == 0 {
            return;
        }
        tokio::task::yield_now().await;
    }
    panic!("requests still in flight");
}

#[tokio::test]
async fn cancelling_drops_the_handler_future_and_sends_no_response() {
    for v in ERAS {
        let (fixture, mut dropped) = fixture();
        let probes = fixture.probes.clone();
        let server = Server::new(fixture);
        let mut h = Harness::new(&server, v);
        h.client.connect().await.unwrap();
        let client = h.client.clone();
        let call = tokio::spawn(async move { client.call_tool(slow()).await });
        probes.slow_started.notified().await;
        assert_eq!(h.link.connection().in_flight(), 1);
        call.abort(); // the caller gives up: the client sends notifications/cancelled
        assert_eq!(dropped.recv().await, Some("dropped"));
        settle(&h).await;
        h.validate();
        let cancelled = h.seen.iter().any(|t| {
            t.direction == Direction::ClientToServer
                && t.message.method() == Some("notifications/cancelled")
        });
        assert!(cancelled, "{v}: the client told the server");
        let answered = h.seen.iter().any(|t| {
            t.direction == Direction::ServerToClient
                && matches!(&t.message, Message::Response(r) if r.result.get().contains("slow done"))
        });
        assert!(!answered, "a cancelled request gets no response");
    }
}

#[tokio::test]
async fn a_slow_tool_never_delays_other_requests() {
    for v in ERAS {
        let (fixture, _dropped) = fixture();
        let probes = fixture.probes.clone();
        let server = Server::new(fixture);
        let mut h = Harness::new(&server, v);
        h.client.connect().await.unwrap();
        let client = h.client.clone();
        let call = tokio::spawn(async move { client.call_tool(slow()).await });
        probes.slow_started.notified().await;
        if v.is_legacy() {
            h.client.ping().await.unwrap();
        }
        let tools = h
            .client
            .list_tools(PaginatedParams::default())
            .await
            .unwrap();
        assert!(!tools.tools.is_empty());
        probes.slow_release.notify_one();
        let done = call.await.unwrap().unwrap();
        assert_eq!(done.content[0].as_text(), Some("slow done"));
        h.validate();
    }
}

#[tokio::test]
async fn client_timeouts_cancel_the_server_side() {
    let (fixture, mut dropped) = fixture();
    let server = Server::new(fixture);
    let mut h = Harness::with_options(
        &server,
        ClientOptions::default().with_request_timeout(Duration::from_millis(50)),
    );
    h.client.connect().await.unwrap();
    let err = h.client.call_tool(slow()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err}");
    assert_eq!(dropped.recv().await, Some("dropped"));
    settle(&h).await;
    h.validate();
}

#[tokio::test]
async fn closing_the_link_cancels_everything_in_flight() {
    let (fixture, mut dropped) = fixture();
    let probes = fixture.probes.clone();
    let server = Server::new(fixture);
    let h = Harness::new(&server, ProtocolVersion::V2025_11_25);
    h.client.connect().await.unwrap();
    let client = h.client.clone();
    let call = tokio::spawn(async move { client.call_tool(slow()).await });
    probes.slow_started.notified().await;
    h.link.close();
    assert_eq!(dropped.recv().await, Some("dropped"));
    assert!(h.link.connection().is_closed());
    let err = call.await.unwrap().unwrap_err();
    assert!(matches!(err, Error::Closed), "{err}");
}

#[tokio::test]
async fn the_transport_token_cancels_a_raw_request() {
    let (fixture, mut dropped) = fixture();
    let probes = fixture.probes.clone();
    let server = Server::new(fixture);
    let conn = server.connect();
    let token = CancellationToken::new();
    let request = raw_call(1, "slow");
    let ctx = TransportContext::new().with_cancellation(token.clone());
    let handling = tokio::spawn({
        let conn = conn.clone();
        async move { conn.handle(request, ctx).await }
    });
    probes.slow_started.notified().await;
    token.cancel();
    assert!(
        handling.await.unwrap().is_none(),
        "no response after cancellation"
    );
    assert_eq!(dropped.recv().await, Some("dropped"));
    assert_eq!(conn.in_flight(), 0);
}

#[tokio::test]
async fn a_one_shot_request_is_untracked_and_ends_with_the_transport_token() {
    let (fixture, mut dropped) = fixture();
    let probes = fixture.probes.clone();
    let server = Server::new(fixture);
    let conn = server.connect();
    let token = CancellationToken::new();
    let ctx = TransportContext::new().with_cancellation(token.clone());
    let handling = tokio::spawn({
        let conn = conn.clone();
        let request = raw_call(1, "slow");
        async move { conn.respond_once(request, ctx).await }
    });
    probes.slow_started.notified().await;
    // Nothing to find for `notifications/cancelled` or `close`: the transport's token is
    // what ends it.
    assert_eq!(conn.in_flight(), 0);
    token.cancel();
    assert!(
        handling.await.unwrap().is_none(),
        "no response after cancellation"
    );
    assert_eq!(dropped.recv().await, Some("dropped"));

    // A request that completes is answered as `respond` would answer it.
    let conn = server.connect();
    let once = conn
        .respond_once(raw_call(2, "nope"), TransportContext::new())
        .await
        .unwrap()
        .into_message();
    let tracked = server
        .connect()
        .respond(raw_call(2, "nope"), TransportContext::new())
        .await
        .unwrap()
        .into_message();
    assert_eq!(
        serde_json::to_value(once).unwrap(),
        serde_json::to_value(tracked).unwrap()
    );
}
