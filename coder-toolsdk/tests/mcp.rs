#![allow(clippy::unwrap_used, missing_docs)]
//! The registry served through mcp-protocol's engine, in both eras: listing with cursors,
//! protocol errors, tool errors, confirmation through elicitation, progress.

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use coder_toolsdk::{Error, Tool, ToolContext, ToolError, ToolRegistry, annotations};
use mcp_protocol::client::{ClientHandler, ClientOptions};
use mcp_protocol::memory::pair;
use mcp_protocol::method::ServerNotification;
use mcp_protocol::server::Server;
use mcp_protocol::types::{
    CallToolParams, ClientCapabilities, ElicitParams, ElicitResult, ElicitationCapability,
    PaginatedParams, ToolAnnotations,
};
use mcp_protocol::{ErrorCode, Meta, ProtocolVersion};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Deletes a (pretend) thing after asking.
struct Delete {
    deleted: Arc<Mutex<Vec<String>>>,
}

#[derive(Deserialize, JsonSchema)]
struct DeleteInput {
    /// What to delete.
    what: String,
}

#[derive(Serialize, JsonSchema)]
struct Done {
    /// What happened.
    message: String,
}

impl Tool for Delete {
    const NAME: &'static str = "delete";
    type Input = DeleteInput;
    type Output = Done;

    fn description(&self) -> Cow<'static, str> {
        "Deletes something.".into()
    }

    fn annotations(&self) -> ToolAnnotations {
        annotations::destructive()
    }

    async fn call(&self, ctx: ToolContext<'_>, input: DeleteInput) -> Result<Done, ToolError> {
        ctx.confirm(&format!("Delete {}?", input.what)).await?;
        ctx.progress(1.0, Some(2.0), Some("deleting")).await;
        self.deleted.lock().unwrap().push(input.what.clone());
        ctx.progress(2.0, Some(2.0), Some("deleted")).await;
        Ok(Done {
            message: format!("deleted {}", input.what),
        })
    }
}

struct Noop;

#[derive(Deserialize, JsonSchema)]
struct NoInput {}

impl Tool for Noop {
    const NAME: &'static str = "noop";
    type Input = NoInput;
    type Output = Done;

    fn description(&self) -> Cow<'static, str> {
        "Does nothing.".into()
    }

    async fn call(&self, _ctx: ToolContext<'_>, _input: NoInput) -> Result<Done, ToolError> {
        Err(Error::not_found("nothing to do; list things first"))
    }
}

/// A client that answers elicitation with a fixed choice and records notifications.
struct User {
    accept: bool,
    asked: Arc<Mutex<Vec<String>>>,
    progress: Arc<Mutex<Vec<f64>>>,
}

#[async_trait]
impl ClientHandler for User {
    async fn elicit(&self, params: ElicitParams) -> mcp_protocol::Result<ElicitResult> {
        self.asked.lock().unwrap().push(params.message().to_owned());
        Ok(if self.accept {
            ElicitResult::accept([("confirm".to_owned(), json!(true))].into_iter().collect())
        } else {
            ElicitResult::decline()
        })
    }

    async fn on_notification(&self, n: ServerNotification) {
        if let ServerNotification::Progress(p) = n {
            self.progress.lock().unwrap().push(p.progress);
        }
    }
}

struct Setup {
    server: Server,
    deleted: Arc<Mutex<Vec<String>>>,
}

fn setup(confirm: bool) -> Setup {
    let deleted = Arc::new(Mutex::new(Vec::new()));
    let registry = ToolRegistry::new()
        .with(Delete {
            deleted: Arc::clone(&deleted),
        })
        .with(Noop)
        .with(coder_toolsdk::FnTool::new(
            "echo",
            "Echoes.",
            json!({"type": "object", "properties": {}}),
            |args| async move { Ok(Value::Object(args)) },
        ))
        .page_size(2)
        .confirm_destructive(confirm);
    Setup {
        server: Server::new(registry.into_handler().with_instructions("Be careful.")),
        deleted,
    }
}

fn options(version: ProtocolVersion, user: User, elicitation: bool) -> ClientOptions {
    let mut caps = ClientCapabilities::default();
    if elicitation {
        caps.elicitation = Some(ElicitationCapability::default());
    }
    ClientOptions::default()
        .with_protocol_version(version)
        .with_capabilities(caps)
        .with_handler(user)
}

type Shared<T> = Arc<Mutex<Vec<T>>>;

fn user(accept: bool) -> (User, Shared<String>, Shared<f64>) {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let progress = Arc::new(Mutex::new(Vec::new()));
    (
        User {
            accept,
            asked: Arc::clone(&asked),
            progress: Arc::clone(&progress),
        },
        asked,
        progress,
    )
}

const ERAS: [ProtocolVersion; 2] = [ProtocolVersion::V2025_06_18, ProtocolVersion::V2026_07_28];

#[tokio::test]
async fn listing_pages_and_protocol_errors() {
    for v in ERAS {
        let s = setup(false);
        let (u, ..) = user(true);
        let (client, _link) = pair(&s.server, options(v, u, false));
        let details = client.connect().await.unwrap();
        assert!(details.capabilities.tools.is_some(), "{v:?}");
        assert_eq!(details.instructions.as_deref(), Some("Be careful."));
        let first = client.list_tools(PaginatedParams::default()).await.unwrap();
        assert_eq!(first.tools.len(), 2);
        let second = client
            .list_tools(PaginatedParams {
                cursor: first.next_cursor.clone(),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(second.tools.len(), 1);
        assert!(second.next_cursor.is_none());
        let bad = client
            .list_tools(PaginatedParams {
                cursor: Some("bogus".into()),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert!(bad.is_code(ErrorCode::INVALID_PARAMS), "{v:?}: {bad}");
        let unknown = client
            .call_tool(CallToolParams::new("missing", Default::default()))
            .await
            .unwrap_err();
        assert!(
            unknown.is_code(ErrorCode::INVALID_PARAMS),
            "{v:?}: {unknown}"
        );
        let failed = client
            .call_tool(CallToolParams::new("noop", Default::default()))
            .await
            .unwrap();
        assert!(failed.is_error());
        let mut args = serde_json::Map::new();
        args.insert("what".into(), json!(7));
        let invalid = client
            .call_tool(CallToolParams::new("delete", args))
            .await
            .unwrap();
        assert!(invalid.is_error());
        assert!(invalid.content[0].as_text().unwrap().contains("/what"));
    }
}

fn delete_args(what: &str) -> serde_json::Map<String, Value> {
    let mut args = serde_json::Map::new();
    args.insert("what".into(), json!(what));
    args
}

#[tokio::test]
async fn confirmation_asks_the_user_in_both_eras() {
    for v in ERAS {
        // Accepted.
        let s = setup(true);
        let (u, asked, _) = user(true);
        let (client, _link) = pair(&s.server, options(v, u, true));
        client.connect().await.unwrap();
        let r = client
            .call_tool(CallToolParams::new("delete", delete_args("a")))
            .await
            .unwrap();
        assert!(!r.is_error(), "{v:?}: {:?}", r.content);
        assert_eq!(asked.lock().unwrap().as_slice(), ["Delete a?"]);
        assert_eq!(s.deleted.lock().unwrap().as_slice(), ["a"]);

        // Declined: nothing happens, the model is told.
        let s = setup(true);
        let (u, asked, _) = user(false);
        let (client, _link) = pair(&s.server, options(v, u, true));
        client.connect().await.unwrap();
        let r = client
            .call_tool(CallToolParams::new("delete", delete_args("b")))
            .await
            .unwrap();
        assert!(r.is_error(), "{v:?}");
        assert!(r.content[0].as_text().unwrap().contains("did not confirm"));
        assert_eq!(asked.lock().unwrap().len(), 1);
        assert!(s.deleted.lock().unwrap().is_empty());

        // A client without elicitation is not asked.
        let s = setup(true);
        let (u, asked, _) = user(false);
        let (client, _link) = pair(&s.server, options(v, u, false));
        client.connect().await.unwrap();
        let r = client
            .call_tool(CallToolParams::new("delete", delete_args("c")))
            .await
            .unwrap();
        assert!(!r.is_error());
        assert!(asked.lock().unwrap().is_empty());
    }
}

#[tokio::test]
async fn progress_reaches_clients_that_asked() {
    let s = setup(false);
    let (u, _, progress) = user(true);
    let (client, _link) = pair(&s.server, options(ProtocolVersion::V2025_06_18, u, false));
    client.connect().await.unwrap();
    let mut params = CallToolParams::new("delete", delete_args("d"));
    let mut meta = Meta::new();
    meta.set_progress_token("p1");
    params.meta = Some(meta);
    let r = client.call_tool(params).await.unwrap();
    assert!(!r.is_error());
    // Notifications for a request are delivered before its response.
    assert_eq!(progress.lock().unwrap().as_slice(), [1.0, 2.0]);
}

#[tokio::test]
async fn tools_can_change_while_serving() {
    let handler = ToolRegistry::new().with(Noop).into_handler();
    let server = Server::new(handler.clone());
    let (u, ..) = user(true);
    let (client, _link) = pair(&server, options(ProtocolVersion::V2025_06_18, u, false));
    client.connect().await.unwrap();
    assert_eq!(
        client
            .list_tools(PaginatedParams::default())
            .await
            .unwrap()
            .tools
            .len(),
        1
    );
    handler.update(|r| {
        r.insert(coder_toolsdk::FnTool::new(
            "late",
            "Added later.",
            json!({}),
            |_| async { Ok(json!({})) },
        ))
        .unwrap();
    });
    server.notify_tools_list_changed();
    let names: Vec<String> = client
        .list_tools(PaginatedParams::default())
        .await
        .unwrap()
        .tools
        .into_iter()
        .map(|t| t.name)
        .collect();
    assert_eq!(names, ["noop", "late"]);
    let r = client
        .call_tool(CallToolParams::new("late", Default::default()))
        .await
        .unwrap();
    assert!(!r.is_error());
}
