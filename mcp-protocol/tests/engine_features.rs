//! Tools, resources, prompts, completion, logging, progress and list changes, each in both
//! eras, with every message validated against the schema of its revision.
#![allow(clippy::unwrap_used)]

mod engine_common;
mod support;

use engine_common::{Fixture, Harness};
use mcp_protocol::Message;
use mcp_protocol::method::ServerNotification;
use mcp_protocol::types::{
    CallToolParams, CompleteParams, GetPromptParams, LoggingLevel, PaginatedParams,
    ReadResourceParams, SubscriptionFilter,
};
use mcp_protocol::{ErrorCode, Meta, ProtocolVersion, Server};
use serde_json::{Value, json};

const ERAS: [ProtocolVersion; 2] = [ProtocolVersion::V2025_11_25, ProtocolVersion::V2026_07_28];

async fn connected(server: &Server, v: ProtocolVersion) -> Harness {
    let h = Harness::new(server, v);
    assert_eq!(h.client.connect().await.unwrap().version, v);
    h
}

fn call(name: &str, args: Value) -> CallToolParams {
    let Value::Object(args) = args else {
        panic!("tool arguments are an object")
    };
    CallToolParams::new(name, args)
}

fn last_result(h: &Harness) -> Value {
    h.seen
        .iter()
        .rev()
        .find_map(|t| match &t.message {
            Message::Response(r) => Some(serde_json::from_str(r.result.get()).unwrap()),
            _ => None,
        })
        .unwrap()
}

#[tokio::test]
async fn tools_list_and_call() {
    for v in ERAS {
        let server = Server::new(Fixture::default());
        let mut h = connected(&server, v).await;
        let tools = h
            .client
            .list_tools(PaginatedParams::default())
            .await
            .unwrap();
        assert_eq!(tools.tools[0].name, "echo");
        h.validate();
        let listed = last_result(&h);
        if v.is_legacy() {
            assert!(listed.get("ttlMs").is_none() && listed.get("resultType").is_none());
        } else {
            assert_eq!(listed["resultType"], "complete");
            assert_eq!(listed["cacheScope"], "private");
            assert_eq!(
                listed["_meta"]["io.modelcontextprotocol/serverInfo"]["name"],
                "mcp-protocol"
            );
        }
        let r = h
            .client
            .call_tool(call("echo", json!({"text": "hi"})))
            .await
            .unwrap();
        assert_eq!(r.content[0].as_text(), Some("hi"));
        let failed = h.client.call_tool(call("fail", json!({}))).await.unwrap();
        assert!(failed.is_error());
        h.validate();
    }
}

#[tokio::test]
async fn resources_read_and_not_found_codes() {
    for v in ERAS {
        let server = Server::new(Fixture::default());
        let mut h = connected(&server, v).await;
        let list = h
            .client
            .list_resources(PaginatedParams::default())
            .await
            .unwrap();
        assert_eq!(list.resources[0].uri, "test://static");
        let templates = h
            .client
            .list_resource_templates(PaginatedParams::default())
            .await
            .unwrap();
        assert_eq!(templates.resource_templates.len(), 1);
        let read = h
            .client
            .read_resource(ReadResourceParams {
                uri: "test://static".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(read.contents.len(), 1);
        let missing = h
            .client
            .read_resource(ReadResourceParams {
                uri: "test://missing".into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        let expected = if v.is_legacy() {
            ErrorCode::RESOURCE_NOT_FOUND
        } else {
            ErrorCode::INVALID_PARAMS
        };
        assert!(missing.is_code(expected), "{v}: {missing}");
        h.validate();
    }
}

#[tokio::test]
async fn legacy_subscriptions_deliver_updates_to_subscribers_only() {
    let server = Server::new(Fixture::default());
    let mut a = connected(&server, ProtocolVersion::V2025_11_25).await;
    let mut b = connected(&server, ProtocolVersion::V2025_06_18).await;
    a.client.subscribe("test://static").await.unwrap();
    server.notify_resource_updated("test://static");
    let n = a
        .next_notification(|n| matches!(n, ServerNotification::ResourceUpdated(_)))
        .await;
    let ServerNotification::ResourceUpdated(p) = n else {
        unreachable!()
    };
    assert_eq!(p.uri, "test://static");
    a.client.unsubscribe("test://static").await.unwrap();
    server.notify_resource_updated("test://static");
    // A list change reaches both; an update after unsubscribing reaches no one.
    server.notify_tools_list_changed();
    for h in [&mut a, &mut b] {
        let n = h
            .next_notification(|n| {
                matches!(
                    n,
                    ServerNotification::ToolListChanged(_) | ServerNotification::ResourceUpdated(_)
                )
            })
            .await;
        assert!(matches!(n, ServerNotification::ToolListChanged(_)), "{n:?}");
    }
    assert!(
        b.client
            .subscribe("other://x")
            .await
            .unwrap_err()
            .is_code(ErrorCode::RESOURCE_NOT_FOUND)
    );
    a.validate();
    b.validate();
}

#[tokio::test]
async fn modern_listen_streams_filter_and_tag_notifications() {
    let server = Server::new(Fixture::default());
    let mut h = connected(&server, ProtocolVersion::V2026_07_28).await;
    let client = h.client.clone();
    let listen = tokio::spawn(async move {
        client
            .listen(SubscriptionFilter {
                tools_list_changed: Some(true),
                resource_subscriptions: Some(vec!["test://static".into()]),
                ..Default::default()
            })
            .await
    });
    let ack = h
        .next_notification(|n| matches!(n, ServerNotification::SubscriptionsAcknowledged(_)))
        .await;
    assert!(matches!(
        ack,
        ServerNotification::SubscriptionsAcknowledged(_)
    ));
    server.notify_prompts_list_changed(); // not opted into
    server.notify_resource_updated("test://other"); // not opted into
    server.notify_tools_list_changed();
    server.notify_resource_updated("test://static");
    let first = h.notifications.recv().await.unwrap();
    let ServerNotification::ToolListChanged(p) = first else {
        panic!("expected the tools list change first, got {first:?}")
    };
    let id = p.meta.as_ref().unwrap().subscription_id().unwrap().unwrap();
    let second = h.notifications.recv().await.unwrap();
    let ServerNotification::ResourceUpdated(u) = second else {
        panic!("expected the resource update, got {second:?}")
    };
    assert_eq!(u.uri, "test://static");
    assert_eq!(u.meta.unwrap().subscription_id().unwrap(), Some(id));
    listen.abort();
    h.validate();
    let first_from_server = h
        .seen
        .iter()
        .find(|t| matches!(&t.message, Message::Notification(_)))
        .unwrap();
    assert_eq!(
        first_from_server.message.method(),
        Some("notifications/subscriptions/acknowledged")
    );
}

#[tokio::test]
async fn prompts_and_completion() {
    for v in ERAS {
        let server = Server::new(Fixture::default());
        let mut h = connected(&server, v).await;
        let prompts = h
            .client
            .list_prompts(PaginatedParams::default())
            .await
            .unwrap();
        assert_eq!(prompts.prompts[0].name, "simple");
        let got = h
            .client
            .get_prompt(GetPromptParams {
                name: "simple".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(got.messages.len(), 1);
        let unknown = h
            .client
            .get_prompt(GetPromptParams {
                name: "nope".into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert!(unknown.is_code(ErrorCode::INVALID_PARAMS));
        let params: CompleteParams = serde_json::from_value(json!({
            "ref": {"type": "ref/prompt", "name": "simple"},
            "argument": {"name": "a", "value": "b"},
        }))
        .unwrap();
        let done = h.client.complete(params).await.unwrap();
        assert_eq!(done.completion.values, ["beta"]);
        h.validate();
    }
}

fn logs(h: &mut Harness) -> Vec<LoggingLevel> {
    h.drain_notifications()
        .into_iter()
        .filter_map(|n| match n {
            ServerNotification::LoggingMessage(m) => Some(m.level),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn legacy_logging_follows_set_level() {
    let server = Server::new(Fixture::default());
    let mut h = connected(&server, ProtocolVersion::V2025_11_25).await;
    h.client.call_tool(call("log", json!({}))).await.unwrap();
    assert_eq!(
        logs(&mut h),
        [LoggingLevel::Debug, LoggingLevel::Info, LoggingLevel::Error]
    );
    h.client.set_level(LoggingLevel::Info).await.unwrap();
    h.client.call_tool(call("log", json!({}))).await.unwrap();
    assert_eq!(logs(&mut h), [LoggingLevel::Info, LoggingLevel::Error]);
    h.validate();
}

#[tokio::test]
async fn modern_logging_needs_the_meta_level() {
    let server = Server::new(Fixture::default());
    let mut h = connected(&server, ProtocolVersion::V2026_07_28).await;
    h.client.call_tool(call("log", json!({}))).await.unwrap();
    assert_eq!(logs(&mut h), [], "no logLevel in _meta: no messages");
    h.client.set_level(LoggingLevel::Error).await.unwrap();
    h.client.call_tool(call("log", json!({}))).await.unwrap();
    assert_eq!(logs(&mut h), [LoggingLevel::Error]);
    h.validate();
    assert!(
        !h.seen
            .iter()
            .any(|t| t.message.method() == Some("logging/setLevel")),
        "2026 has no logging/setLevel"
    );
}

#[tokio::test]
async fn progress_only_with_a_token_and_only_increasing() {
    for v in ERAS {
        let server = Server::new(Fixture::default());
        let mut h = connected(&server, v).await;
        h.client
            .call_tool(call("progress", json!({})))
            .await
            .unwrap();
        let none: Vec<_> = h
            .drain_notifications()
            .into_iter()
            .filter(|n| matches!(n, ServerNotification::Progress(_)))
            .collect();
        assert!(none.is_empty(), "no token, no progress");
        let mut params = call("progress", json!({}));
        let mut meta = Meta::new();
        meta.set_progress_token("tok-1");
        params.meta = Some(meta);
        h.client.call_tool(params).await.unwrap();
        let progress: Vec<f64> = h
            .drain_notifications()
            .into_iter()
            .filter_map(|n| match n {
                ServerNotification::Progress(p) => {
                    assert_eq!(p.progress_token, "tok-1".into());
                    Some(p.progress)
                }
                _ => None,
            })
            .collect();
        assert_eq!(progress, [0.0, 50.0, 100.0]);
        h.validate();
    }
}

#[tokio::test]
async fn transport_extensions_reach_the_handler() {
    use mcp_protocol::Extensions;
    let server = Server::new(Fixture::default());
    let mut ext = Extensions::new();
    ext.insert(engine_common::Principal("alice"));
    let (client, _link) = mcp_protocol::memory::pair_with_extensions(
        &server,
        mcp_protocol::ClientOptions::default(),
        ext,
    );
    client.connect().await.unwrap();
    let r = client.call_tool(call("whoami", json!({}))).await.unwrap();
    assert_eq!(r.content[0].as_text(), Some("alice"));
    let (anonymous, _link) =
        mcp_protocol::memory::pair(&server, mcp_protocol::ClientOptions::default());
    anonymous.connect().await.unwrap();
    let r = anonymous
        .call_tool(call("whoami", json!({})))
        .await
        .unwrap();
    assert_eq!(r.content[0].as_text(), Some("anonymous"));
}

/// A server that counts how often the engine asks who it is.
#[derive(Default)]
struct CountsInfo(std::sync::atomic::AtomicUsize);

#[async_trait::async_trait]
impl mcp_protocol::server::Handler for CountsInfo {
    fn info(&self) -> mcp_protocol::types::Implementation {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        mcp_protocol::types::Implementation::new("counted", "7")
    }
}

#[tokio::test]
async fn every_modern_result_carries_server_info_built_once() {
    let handler = std::sync::Arc::new(CountsInfo::default());
    let server = Server::new(std::sync::Arc::clone(&handler));
    let mut h = connected(&server, ProtocolVersion::V2026_07_28).await;
    for _ in 0..3 {
        h.client
            .request_raw("server/discover", json!({}))
            .await
            .unwrap();
        h.validate();
        let info = &last_result(&h)["_meta"]["io.modelcontextprotocol/serverInfo"];
        assert_eq!(info, &json!({"name": "counted", "version": "7"}));
    }
    assert_eq!(handler.0.load(std::sync::atomic::Ordering::Relaxed), 1);
}
