//! One scripted session per revision: every message of every feature validates against the
//! schema of the revision the client negotiated.
#![allow(clippy::unwrap_used)]

mod engine_common;
mod support;

use engine_common::{Fixture, Harness};
use mcp_protocol::method::ServerNotification;
use mcp_protocol::types::{
    CallToolParams, CompleteParams, GetPromptParams, LoggingLevel, PaginatedParams,
    ReadResourceParams,
};
use mcp_protocol::{Meta, ProtocolVersion, Server};
use serde_json::json;

#[tokio::test]
async fn every_revision_speaks_its_own_schema() {
    for v in ProtocolVersion::ALL {
        let server = Server::new(Fixture::default());
        let mut h = Harness::new(&server, v);
        assert_eq!(h.client.connect().await.unwrap().version, v, "{v}");
        h.client.set_level(LoggingLevel::Info).await.unwrap();
        h.client
            .list_tools(PaginatedParams::default())
            .await
            .unwrap();
        let mut params = CallToolParams::new("progress", Default::default());
        let mut meta = Meta::new();
        meta.set_progress_token(9);
        params.meta = Some(meta);
        h.client.call_tool(params).await.unwrap();
        h.client
            .call_tool(CallToolParams::new("log", Default::default()))
            .await
            .unwrap();
        h.client
            .call_tool(CallToolParams::new("fail", Default::default()))
            .await
            .unwrap();
        h.client
            .list_resources(PaginatedParams::default())
            .await
            .unwrap();
        h.client
            .list_resource_templates(PaginatedParams::default())
            .await
            .unwrap();
        h.client
            .read_resource(ReadResourceParams {
                uri: "test://static".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        h.client
            .read_resource(ReadResourceParams {
                uri: "test://missing".into(),
                ..Default::default()
            })
            .await
            .unwrap_err();
        h.client
            .list_prompts(PaginatedParams::default())
            .await
            .unwrap();
        h.client
            .get_prompt(GetPromptParams {
                name: "simple".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        let complete: CompleteParams = serde_json::from_value(json!({
            "ref": {"type": "ref/prompt", "name": "simple"},
            "argument": {"name": "a", "value": ""},
        }))
        .unwrap();
        h.client.complete(complete).await.unwrap();
        if v >= ProtocolVersion::V2025_06_18 {
            // Client input: real requests (legacy) or input_required rounds (2026).
            h.client
                .call_tool(CallToolParams::new("elicit", Default::default()))
                .await
                .unwrap();
        }
        h.client
            .call_tool(CallToolParams::new("sample", Default::default()))
            .await
            .unwrap();
        h.client
            .call_tool(CallToolParams::new("roots", Default::default()))
            .await
            .unwrap();
        if v.is_legacy() {
            h.client.subscribe("test://static").await.unwrap();
            server.notify_resource_updated("test://static");
            server.notify_prompts_list_changed();
            h.client.ping().await.unwrap();
            h.next_notification(|n| matches!(n, ServerNotification::PromptListChanged(_)))
                .await;
        }
        h.validate();
        assert!(h.seen.len() > 20, "{v}: {} messages", h.seen.len());
    }
}
