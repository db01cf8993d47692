#![allow(clippy::unwrap_used, missing_docs)]
//! The Coder tools served over MCP: progress while a stopped workspace starts, and
//! confirmation before destructive Coder operations.

mod support;

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use coder_toolsdk::coder_tools;
use mcp_protocol::client::{ClientHandler, ClientOptions};
use mcp_protocol::memory::pair;
use mcp_protocol::method::ServerNotification;
use mcp_protocol::server::Server;
use mcp_protocol::types::{
    CallToolParams, ClientCapabilities, ElicitParams, ElicitResult, ElicitationCapability,
};
use mcp_protocol::{Meta, ProtocolVersion};
use serde_json::{Map, Value, json};
use support::env;

#[derive(Default)]
struct Recorder {
    progress: Mutex<Vec<String>>,
    asked: Mutex<Vec<String>>,
}

struct Client(Arc<Recorder>);

#[async_trait]
impl ClientHandler for Client {
    async fn elicit(&self, params: ElicitParams) -> mcp_protocol::Result<ElicitResult> {
        self.0
            .asked
            .lock()
            .unwrap()
            .push(params.message().to_owned());
        Ok(ElicitResult::decline())
    }

    async fn on_notification(&self, n: ServerNotification) {
        if let ServerNotification::Progress(p) = n {
            self.0
                .progress
                .lock()
                .unwrap()
                .push(p.message.unwrap_or_default());
        }
    }
}

fn args(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(o) => o,
        _ => Map::new(),
    }
}

#[tokio::test]
async fn starting_a_stopped_workspace_reports_progress() {
    let e = env().await;
    let server = Server::new(coder_tools(&e.client).into_handler());
    let rec = Arc::new(Recorder::default());
    let options = ClientOptions::default()
        .with_protocol_version(ProtocolVersion::V2025_06_18)
        .with_handler(Client(Arc::clone(&rec)));
    let (client, _link) = pair(&server, options);
    client.connect().await.unwrap();
    let mut params = CallToolParams::new(
        "coder_workspace_bash",
        args(json!({"workspace": "legacy", "command": "echo started"})),
    );
    let mut meta = Meta::new();
    meta.set_progress_token(7);
    params.meta = Some(meta);
    let r = client.call_tool(params).await.unwrap();
    assert!(!r.is_error(), "{:?}", r.content);
    let progress = rec.progress.lock().unwrap().clone();
    assert_eq!(
        progress.first().map(String::as_str),
        Some("starting the workspace"),
        "{progress:?}"
    );
}

#[tokio::test]
async fn destructive_coder_tools_ask_first_and_respect_a_no() {
    let e = env().await;
    let server = Server::new(
        coder_tools(&e.client)
            .confirm_destructive(true)
            .into_handler(),
    );
    for version in [ProtocolVersion::V2025_06_18, ProtocolVersion::V2026_07_28] {
        let rec = Arc::new(Recorder::default());
        let options = ClientOptions::default()
            .with_protocol_version(version)
            .with_capabilities(ClientCapabilities {
                elicitation: Some(ElicitationCapability::default()),
                ..ClientCapabilities::default()
            })
            .with_handler(Client(Arc::clone(&rec)));
        let (client, _link) = pair(&server, options);
        client.connect().await.unwrap();
        let template = e.sim.template_id("kubernetes").unwrap();
        let r = client
            .call_tool(CallToolParams::new(
                "coder_delete_template",
                args(json!({"template_id": template})),
            ))
            .await
            .unwrap();
        assert!(r.is_error(), "{version:?}");
        assert!(r.content[0].as_text().unwrap().contains("did not confirm"));
        assert!(rec.asked.lock().unwrap()[0].contains("kubernetes"));
        let r = client
            .call_tool(CallToolParams::new(
                "coder_create_workspace_build",
                args(json!({"workspace_id": "dev", "transition": "delete"})),
            ))
            .await
            .unwrap();
        assert!(r.is_error(), "{version:?}");
        assert!(rec.asked.lock().unwrap()[1].contains("dev"));
    }
    // Both still exist.
    let t = e.sim.template_id("kubernetes").unwrap();
    let r = e
        .call("coder_get_template", json!({"template_id": t}))
        .await;
    assert!(!r.is_error());
    let r = e
        .call("coder_get_workspace", json!({"workspace_id": "dev"}))
        .await;
    assert_eq!(
        r.structured_content.unwrap().into_value().unwrap()["latest_build"]["transition"],
        "start"
    );
}
