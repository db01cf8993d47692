//! Shared fixtures of the engine tests: a server handler exercising every feature, a client
//! handler, and a harness that validates every message crossing the in-memory link against
//! the schema of the revision it belongs to.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use mcp_protocol::memory::{self, Direction, MemoryLink, Tapped};
use mcp_protocol::method::ServerNotification;
use mcp_protocol::types::{
    CallToolParams, CallToolResult, ClientCapabilities, CompleteParams, CompleteResult, Content,
    CreateMessageParams, CreateMessageResult, ElicitParams, ElicitResult, ElicitationCapability,
    GetPromptParams, GetPromptResult, ListPromptsResult, ListResourceTemplatesResult,
    ListResourcesResult, ListRootsResult, ListToolsResult, LoggingLevel, PaginatedParams, Prompt,
    PromptMessage, PromptsCapability, ReadResourceParams, ReadResourceResult, Resource,
    ResourceContents, ResourceTemplate, ResourcesCapability, Role, Root, RootsCapability,
    SamplingCapability, SamplingMessage, SamplingMessageContent, ServerCapabilities,
    SubscribeParams, Tool, ToolsCapability,
};
use mcp_protocol::{
    Client, ClientHandler, ClientOptions, Error, Handler, Message, RequestContext, Result, Server,
    async_trait, server,
};
use serde_json::{Map, Value, json};
use tokio::sync::{Notify, mpsc};

use crate::support::schema::{definition_for_method, validate, validate_message};

/// Signals the tests observe from inside handlers.
#[derive(Clone, Default)]
pub(crate) struct Probes {
    /// Notified when the `slow` tool started.
    pub(crate) slow_started: Arc<Notify>,
    /// Released to let the `slow` tool finish.
    pub(crate) slow_release: Arc<Notify>,
    /// Receives a message when the `slow` tool's future is dropped.
    pub(crate) dropped: Option<mpsc::UnboundedSender<&'static str>>,
    /// How many times the `ask_name` tool ran (replays included).
    pub(crate) runs: Arc<std::sync::atomic::AtomicUsize>,
}

/// Sends a message when dropped: proves a handler future was dropped, not finished.
struct DropSignal(Option<mpsc::UnboundedSender<&'static str>>, bool);

impl Drop for DropSignal {
    fn drop(&mut self) {
        if !self.1
            && let Some(tx) = &self.0
        {
            let _ = tx.send("dropped");
        }
    }
}

/// What a transport would put in the extensions after authenticating the caller.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Principal(pub(crate) &'static str);

/// A server handler with one of everything.
#[derive(Clone, Default)]
pub(crate) struct Fixture {
    pub(crate) probes: Probes,
}

fn form(message: &str, field: &str) -> ElicitParams {
    let schema = json!({
        "type": "object",
        "properties": { field: { "type": "string" } },
        "required": [field],
    });
    ElicitParams::form(message, schema.as_object().unwrap().clone())
}

fn sampling(text: &str) -> CreateMessageParams {
    CreateMessageParams {
        messages: vec![SamplingMessage::user_text(text)],
        max_tokens: 100,
        ..Default::default()
    }
}

fn answer(r: &ElicitResult, field: &str) -> String {
    r.content
        .as_ref()
        .and_then(|c| c.get(field))
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_owned()
}

fn sampled_text(r: &CreateMessageResult) -> String {
    match &r.content {
        SamplingMessageContent::One(c) => serde_json::to_value(c).unwrap()["text"]
            .as_str()
            .unwrap_or("")
            .to_owned(),
        SamplingMessageContent::Many(_) => String::new(),
    }
}

#[async_trait]
impl Handler for Fixture {
    fn instructions(&self) -> Option<String> {
        Some("Use echo to test.".into())
    }

    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            tools: Some(ToolsCapability {
                list_changed: Some(true),
            }),
            resources: Some(ResourcesCapability {
                subscribe: Some(true),
                list_changed: Some(true),
            }),
            prompts: Some(PromptsCapability {
                list_changed: Some(true),
            }),
            completions: Some(Map::new()),
            ..Default::default()
        }
    }

    async fn list_tools(&self, _: &RequestContext, _: PaginatedParams) -> Result<ListToolsResult> {
        let schema = json!({"type": "object", "properties": {"text": {"type": "string"}}});
        let tools = [
            "echo",
            "slow",
            "progress",
            "log",
            "ask_name",
            "multi_round",
            "fail",
        ]
        .into_iter()
        .map(|n| {
            Tool::new(
                n,
                format!("The {n} tool"),
                schema.as_object().unwrap().clone(),
            )
        })
        .collect();
        Ok(ListToolsResult {
            tools,
            ..Default::default()
        })
    }

    async fn call_tool(&self, ctx: &RequestContext, p: CallToolParams) -> Result<CallToolResult> {
        let arg = |k: &str| {
            p.arguments
                .as_ref()
                .and_then(|a| a.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        match p.name.as_str() {
            "echo" => Ok(CallToolResult::text(arg("text"))),
            "whoami" => Ok(CallToolResult::text(
                ctx.extensions()
                    .get::<Principal>()
                    .map_or("anonymous", |p| p.0),
            )),
            "meta_keys" => Ok(CallToolResult::text(
                ctx.meta().0.keys().cloned().collect::<Vec<_>>().join(","),
            )),
            "fail" => Ok(CallToolResult::error("the thing inside the tool broke")),
            "slow" => {
                let mut signal = DropSignal(self.probes.dropped.clone(), false);
                self.probes.slow_started.notify_one();
                self.probes.slow_release.notified().await;
                signal.1 = true;
                Ok(CallToolResult::text("slow done"))
            }
            "progress" => {
                ctx.progress(0.0, Some(100.0), Some("start")).await;
                ctx.progress(50.0, Some(100.0), None).await;
                ctx.progress(40.0, Some(100.0), Some("backwards: dropped"))
                    .await;
                ctx.progress(100.0, Some(100.0), Some("done")).await;
                Ok(CallToolResult::text("progressed"))
            }
            "log" => {
                ctx.log(LoggingLevel::Debug, Some("t"), "debug line").await;
                ctx.log(LoggingLevel::Info, Some("t"), "info line").await;
                ctx.log(LoggingLevel::Error, None, json!({"e": 1})).await;
                Ok(CallToolResult::text("logged"))
            }
            "ask_name" => {
                self.probes
                    .runs
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let r = ctx
                    .elicit_as("user_name", form("What is your name?", "name"))
                    .await?;
                let Some(r) = r else {
                    return Err(Error::input_required());
                };
                let verified = if ctx.has_verified_state() {
                    " state-ok"
                } else {
                    ""
                };
                Ok(CallToolResult::text(format!(
                    "Hello, {}!{verified}",
                    answer(&r, "name")
                )))
            }
            "multi_round" => {
                let name = ctx.elicit(form("Step 1: name?", "name")).await?;
                ctx.set_request_state(json!({"after": "step1"}));
                let color = ctx.elicit(form("Step 2: color?", "color")).await?;
                let state = ctx.request_state().unwrap_or(Value::Null);
                Ok(CallToolResult::text(format!(
                    "{} likes {} ({})",
                    answer(&name, "name"),
                    answer(&color, "color"),
                    state["after"].as_str().unwrap_or("-")
                )))
            }
            "everything" => {
                let name = ctx.elicit_as("user_name", form("Name?", "name")).await?;
                let greeting = ctx.sample_as("greeting", sampling("Say hi")).await?;
                let roots = ctx.list_roots_as("client_roots").await?;
                let (Some(name), Some(greeting), Some(roots)) = (name, greeting, roots) else {
                    return Err(Error::input_required());
                };
                Ok(CallToolResult::text(format!(
                    "{} / {} / {} root(s)",
                    answer(&name, "name"),
                    sampled_text(&greeting),
                    roots.roots.len()
                )))
            }
            "sample" => {
                let r = ctx
                    .sample(sampling("What is the capital of France?"))
                    .await?;
                Ok(CallToolResult::text(format!(
                    "LLM said: {}",
                    sampled_text(&r)
                )))
            }
            "roots" => {
                let r = ctx.list_roots().await?;
                Ok(CallToolResult::text(format!("{} root(s)", r.roots.len())))
            }
            "elicit" => {
                let r = ctx.elicit(form("Name?", "name")).await?;
                Ok(CallToolResult::text(format!("got {}", answer(&r, "name"))))
            }
            other => Err(Error::invalid_params(format!("unknown tool: {other}"))),
        }
    }

    async fn list_resources(
        &self,
        _: &RequestContext,
        _: PaginatedParams,
    ) -> Result<ListResourcesResult> {
        let mut r = Resource::new("test://static", "static");
        r.description = Some("A static text".into());
        Ok(ListResourcesResult {
            resources: vec![r],
            ..Default::default()
        })
    }

    async fn list_resource_templates(
        &self,
        _: &RequestContext,
        _: PaginatedParams,
    ) -> Result<ListResourceTemplatesResult> {
        Ok(ListResourceTemplatesResult {
            resource_templates: vec![ResourceTemplate {
                uri_template: "test://template/{id}".into(),
                name: "template".into(),
                ..Default::default()
            }],
            ..Default::default()
        })
    }

    async fn read_resource(
        &self,
        ctx: &RequestContext,
        p: ReadResourceParams,
    ) -> Result<ReadResourceResult> {
        if p.uri == "test://static" {
            Ok(ReadResourceResult {
                contents: vec![ResourceContents::text("test://static", "static text")],
                ..Default::default()
            })
        } else {
            Err(server::resource_not_found(ctx, &p.uri))
        }
    }

    async fn subscribe(&self, ctx: &RequestContext, p: SubscribeParams) -> Result<()> {
        if p.uri.starts_with("test://") {
            Ok(())
        } else {
            Err(server::resource_not_found(ctx, &p.uri))
        }
    }

    async fn list_prompts(
        &self,
        _: &RequestContext,
        _: PaginatedParams,
    ) -> Result<ListPromptsResult> {
        Ok(ListPromptsResult {
            prompts: vec![Prompt {
                name: "simple".into(),
                description: Some("A simple prompt".into()),
                ..Default::default()
            }],
            ..Default::default()
        })
    }

    async fn get_prompt(
        &self,
        ctx: &RequestContext,
        p: GetPromptParams,
    ) -> Result<GetPromptResult> {
        match p.name.as_str() {
            "simple" => Ok(GetPromptResult {
                messages: vec![PromptMessage::user(Content::text("a simple prompt"))],
                ..Default::default()
            }),
            "ask_context" => {
                let r = ctx.elicit(form("Which context?", "context")).await?;
                Ok(GetPromptResult {
                    messages: vec![PromptMessage::user(Content::text(format!(
                        "context: {}",
                        answer(&r, "context")
                    )))],
                    ..Default::default()
                })
            }
            other => Err(Error::invalid_params(format!("unknown prompt: {other}"))),
        }
    }

    async fn complete(&self, _: &RequestContext, p: CompleteParams) -> Result<CompleteResult> {
        let values = ["alpha", "beta", "gamma"]
            .into_iter()
            .filter(|v| v.starts_with(&p.argument.value))
            .map(str::to_owned)
            .collect();
        Ok(CompleteResult::new(values))
    }
}

/// A client handler that answers everything and records notifications.
#[derive(Clone)]
pub(crate) struct Answers {
    pub(crate) notifications: mpsc::UnboundedSender<ServerNotification>,
}

#[async_trait]
impl ClientHandler for Answers {
    async fn elicit(&self, params: ElicitParams) -> Result<ElicitResult> {
        let field = if params.message().contains("color") {
            "color"
        } else if params.message().contains("context") {
            "context"
        } else {
            "name"
        };
        let value = if field == "color" { "blue" } else { "Alice" };
        Ok(ElicitResult::accept(BTreeMap::from([(
            field.to_owned(),
            json!(value),
        )])))
    }

    async fn create_message(&self, _: CreateMessageParams) -> Result<CreateMessageResult> {
        Ok(CreateMessageResult {
            role: Role::Assistant,
            content: SamplingMessageContent::One(mcp_protocol::types::SamplingContent::text(
                "Paris",
            )),
            model: "test-model".into(),
            stop_reason: Some("endTurn".into()),
            meta: None,
        })
    }

    async fn list_roots(&self) -> Result<ListRootsResult> {
        Ok(ListRootsResult {
            roots: vec![Root {
                uri: "file:///work".into(),
                name: Some("work".into()),
                meta: None,
            }],
            meta: None,
        })
    }

    async fn on_notification(&self, n: ServerNotification) {
        let _ = self.notifications.send(n);
    }
}

/// Capabilities declaring elicitation, sampling and roots.
pub(crate) fn full_capabilities() -> ClientCapabilities {
    ClientCapabilities {
        elicitation: Some(ElicitationCapability::default()),
        sampling: Some(SamplingCapability::default()),
        roots: Some(RootsCapability::default()),
        ..Default::default()
    }
}

/// A client connected in memory with every message checked against the schemas.
pub(crate) struct Harness {
    pub(crate) client: Client,
    pub(crate) link: MemoryLink,
    pub(crate) notifications: mpsc::UnboundedReceiver<ServerNotification>,
    tap: mpsc::UnboundedReceiver<Tapped>,
    /// Request id -> (method, revision) per direction of the request.
    requests: HashMap<(bool, String), (String, String)>,
    /// Every message seen so far, in order.
    pub(crate) seen: Vec<Tapped>,
    checked: usize,
}

impl Harness {
    /// Connects a client with the given protocol version and full capabilities.
    pub(crate) fn new(server: &Server, version: mcp_protocol::ProtocolVersion) -> Self {
        Self::with_options(
            server,
            ClientOptions::default()
                .with_protocol_version(version)
                .with_capabilities(full_capabilities()),
        )
    }

    /// Connects a client with custom options (the handler is replaced by [`Answers`]).
    pub(crate) fn with_options(server: &Server, options: ClientOptions) -> Self {
        let (tx, notifications) = mpsc::unbounded_channel();
        let options = options.with_handler(Answers { notifications: tx });
        let (client, link, tap) = memory::pair_with_tap(server, options);
        Self {
            client,
            link,
            notifications,
            tap,
            requests: HashMap::new(),
            seen: Vec::new(),
            checked: 0,
        }
    }

    /// The revision a message belongs to.
    fn revision_of(&self, t: &Tapped, value: &Value) -> String {
        let current = self
            .client
            .protocol_version()
            .map_or("2026-07-28", |v| v.as_str())
            .to_owned();
        if let Some(v) = value
            .pointer("/params/_meta/io.modelcontextprotocol~1protocolVersion")
            .and_then(Value::as_str)
        {
            return v.to_owned();
        }
        if value.get("method").and_then(Value::as_str) == Some("initialize") {
            return value["params"]["protocolVersion"]
                .as_str()
                .unwrap_or(&current)
                .to_owned();
        }
        if value.get("method").is_none() {
            // A response: the revision of its request, sent the other way.
            let from_client = t.direction == Direction::ServerToClient;
            if let Some((_, rev)) = self.requests.get(&(from_client, value["id"].to_string())) {
                return rev.clone();
            }
        }
        current
    }

    /// Validates every message seen since the last call. Panics listing every violation.
    pub(crate) fn validate(&mut self) {
        let mut failures = Vec::new();
        while let Ok(t) = self.tap.try_recv() {
            self.seen.push(t);
        }
        for i in self.checked..self.seen.len() {
            let t = self.seen[i].clone();
            let value = serde_json::to_value(&t.message).unwrap();
            let rev = self.revision_of(&t, &value);
            if let Err(e) = self.check(&t, &value, &rev) {
                failures.push(format!("{:?} {value}\n  -> {e}", t.direction));
            }
        }
        self.checked = self.seen.len();
        assert!(
            failures.is_empty(),
            "schema violations:\n{}",
            failures.join("\n")
        );
    }

    fn check(&mut self, t: &Tapped, value: &Value, rev: &str) -> std::result::Result<(), String> {
        validate_message(rev, value)?;
        let from_client = t.direction == Direction::ClientToServer;
        match &t.message {
            Message::Request(r) => {
                self.requests.insert(
                    (from_client, value["id"].to_string()),
                    (r.method.clone(), rev.to_owned()),
                );
                Ok(())
            }
            Message::Response(_) => {
                let key = (!from_client, value["id"].to_string());
                let Some((method, _)) = self.requests.get(&key).cloned() else {
                    return Err("a response to no request".into());
                };
                let result = &value["result"];
                let def = result_definition(&method, rev, result)
                    .ok_or_else(|| format!("no result definition for {method} in {rev}"))?;
                validate(rev, &def, result)
            }
            Message::Error(_) => {
                if rev == "2026-07-28" {
                    // Two codes have whole-response definitions, the others error-object ones.
                    let (def, whole) = match value["error"]["code"].as_i64() {
                        Some(-32022) => ("UnsupportedProtocolVersionError", true),
                        Some(-32021) => ("MissingRequiredClientCapabilityError", true),
                        Some(-32601) => ("MethodNotFoundError", false),
                        Some(-32602) => ("InvalidParamsError", false),
                        Some(-32603) => ("InternalError", false),
                        Some(-32600) => ("InvalidRequestError", false),
                        _ => ("JSONRPCErrorResponse", true),
                    };
                    validate(rev, def, if whole { value } else { &value["error"] })
                } else {
                    let def = if super_legacy(rev) {
                        "JSONRPCError"
                    } else {
                        "JSONRPCErrorResponse"
                    };
                    validate(rev, def, value)
                }
            }
            Message::Notification(_) => Ok(()),
        }
    }

    /// Waits for the next notification matching `pred`, skipping others (bounded).
    pub(crate) async fn next_notification(
        &mut self,
        pred: impl Fn(&ServerNotification) -> bool,
    ) -> ServerNotification {
        for _ in 0..100 {
            let n = self
                .notifications
                .recv()
                .await
                .expect("the notification channel closed");
            if pred(&n) {
                return n;
            }
        }
        panic!("no matching notification among the next 100");
    }

    /// Notifications received so far, without waiting.
    pub(crate) fn drain_notifications(&mut self) -> Vec<ServerNotification> {
        let mut out = Vec::new();
        while let Ok(n) = self.notifications.try_recv() {
            out.push(n);
        }
        out
    }
}

fn super_legacy(rev: &str) -> bool {
    matches!(rev, "2024-11-05" | "2025-03-26" | "2025-06-18")
}

/// The definition a result of `method` must satisfy.
fn result_definition(method: &str, rev: &str, result: &Value) -> Option<String> {
    if result.get("resultType").and_then(Value::as_str) == Some("input_required") {
        return Some("InputRequiredResult".into());
    }
    let def = match method {
        "initialize" => "InitializeResult",
        "server/discover" => "DiscoverResult",
        "tools/list" => "ListToolsResult",
        "tools/call" => "CallToolResult",
        "resources/list" => "ListResourcesResult",
        "resources/templates/list" => "ListResourceTemplatesResult",
        "resources/read" => "ReadResourceResult",
        "prompts/list" => "ListPromptsResult",
        "prompts/get" => "GetPromptResult",
        "completion/complete" => "CompleteResult",
        "subscriptions/listen" => "SubscriptionsListenResult",
        "elicitation/create" => "ElicitResult",
        "sampling/createMessage" => "CreateMessageResult",
        "roots/list" => "ListRootsResult",
        "ping" | "logging/setLevel" | "resources/subscribe" | "resources/unsubscribe" => {
            "EmptyResult"
        }
        _ => return None,
    };
    let _ = definition_for_method(rev, method);
    Some(def.to_owned())
}
