//! Values adapted with `ForRevision` validate against each revision's official schema, and
//! each downgrade rule does what it says.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;

use mcp_protocol::meta::keys;
use mcp_protocol::method::{
    ClientNotification, ClientRequest, ClientResult, ServerNotification, ServerRequest,
    ServerResult, available_in,
};
use mcp_protocol::types::*;
use mcp_protocol::{ForRevision, Meta, ProgressToken, ProtocolVersion, RequestId};
use serde::Serialize;
use serde_json::{Value, json};
use support::schema::{
    definition_for_method, has_definition, undeclared, validate, validate_message,
};

fn obj(v: &Value) -> JsonObject {
    v.as_object().unwrap().clone()
}

fn to_json<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap()
}

/// `_meta` as a 2026-07-28 client sends it, plus a progress token and a custom key.
fn request_meta() -> Meta {
    let mut meta = Meta::new();
    meta.set_protocol_version("2026-07-28");
    meta.set_client_capabilities(&ClientCapabilities::default());
    meta.set_client_info(&Implementation::new("client", "1.0"));
    meta.set_log_level(LoggingLevel::Info);
    meta.set_progress_token("tok-1");
    meta.insert("example.com/trace", json!("abc"));
    meta
}

/// `_meta` as a 2026-07-28 server puts on results.
fn result_meta() -> Meta {
    let mut meta = Meta::new();
    meta.set_server_info(&Implementation::new("server", "1.0"));
    meta
}

fn annotations() -> Annotations {
    Annotations {
        audience: Some(vec![Role::User, Role::Assistant]),
        priority: Some(0.5),
        last_modified: Some("2025-01-01T00:00:00Z".into()),
    }
}

fn icons() -> Option<Vec<Icon>> {
    Some(vec![Icon {
        src: "https://example.com/icon.png".into(),
        mime_type: Some("image/png".into()),
        sizes: Some(vec!["48x48".into()]),
        theme: Some(IconTheme::Dark),
    }])
}

fn object_meta() -> Option<Meta> {
    let mut m = Meta::new();
    m.insert("example.com/k", json!(1));
    Some(m)
}

fn implementation() -> Implementation {
    Implementation {
        name: "srv".into(),
        version: "1.2.3".into(),
        title: Some("Server".into()),
        description: Some("A server".into()),
        icons: icons(),
        website_url: Some("https://example.com".into()),
    }
}

fn resource() -> Resource {
    Resource {
        uri: "file:///a.txt".into(),
        name: "a".into(),
        title: Some("A".into()),
        description: Some("a file".into()),
        mime_type: Some("text/plain".into()),
        size: Some(3),
        annotations: Some(annotations()),
        icons: icons(),
        meta: object_meta(),
    }
}

/// One block of every content type, every optional field set.
fn all_content() -> Vec<Content> {
    vec![
        Content::Text(TextContent {
            text: "hi".into(),
            annotations: Some(annotations()),
            meta: object_meta(),
        }),
        Content::Image(ImageContent {
            data: "aGk=".into(),
            mime_type: "image/png".into(),
            annotations: Some(annotations()),
            meta: object_meta(),
        }),
        Content::Audio(AudioContent {
            data: "aGk=".into(),
            mime_type: "audio/wav".into(),
            annotations: Some(annotations()),
            meta: object_meta(),
        }),
        Content::ResourceLink(resource()),
        Content::Resource(EmbeddedResource {
            resource: ResourceContents::blob("file:///b.bin", "aGk="),
            annotations: Some(annotations()),
            meta: object_meta(),
        }),
        Content::resource(ResourceContents::text("file:///a.txt", "abc")),
    ]
}

fn tool() -> Tool {
    Tool {
        name: "echo".into(),
        title: Some("Echo".into()),
        description: Some("Echoes".into()),
        input_schema: obj(&json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {"text": {"type": "string"}},
            "required": ["text"],
            "additionalProperties": false
        })),
        output_schema: Some(obj(&json!({
            "type": "object",
            "properties": {"text": {"type": "string"}}
        }))),
        annotations: Some(ToolAnnotations {
            title: Some("Echo".into()),
            read_only_hint: Some(true),
            destructive_hint: Some(false),
            idempotent_hint: Some(true),
            open_world_hint: Some(false),
        }),
        icons: icons(),
        execution: Some(obj(&json!({"taskSupport": "optional"}))),
        meta: object_meta(),
    }
}

fn server_capabilities() -> ServerCapabilities {
    ServerCapabilities {
        experimental: Some(BTreeMap::from([("x".into(), JsonObject::new())])),
        extensions: Some(BTreeMap::from([(
            "io.modelcontextprotocol/tasks".into(),
            JsonObject::new(),
        )])),
        logging: Some(JsonObject::new()),
        completions: Some(JsonObject::new()),
        prompts: Some(PromptsCapability {
            list_changed: Some(true),
        }),
        resources: Some(ResourcesCapability {
            subscribe: Some(true),
            list_changed: Some(true),
        }),
        tools: Some(ToolsCapability {
            list_changed: Some(true),
        }),
        tasks: Some(obj(&json!({"list": {}}))),
    }
}

fn client_capabilities() -> ClientCapabilities {
    ClientCapabilities {
        experimental: Some(BTreeMap::new()),
        extensions: Some(BTreeMap::new()),
        roots: Some(RootsCapability {
            list_changed: Some(true),
        }),
        sampling: Some(SamplingCapability {
            context: Some(JsonObject::new()),
            tools: Some(JsonObject::new()),
        }),
        elicitation: Some(ElicitationCapability {
            form: Some(JsonObject::new()),
            url: Some(JsonObject::new()),
        }),
        tasks: Some(JsonObject::new()),
    }
}

fn sampling_params() -> CreateMessageParams {
    CreateMessageParams {
        messages: vec![
            SamplingMessage::user_text("hello"),
            SamplingMessage {
                role: Role::Assistant,
                content: SamplingMessageContent::Many(vec![
                    SamplingContent::text("calling"),
                    SamplingContent::ToolUse(ToolUseContent {
                        id: "c1".into(),
                        name: "echo".into(),
                        input: obj(&json!({"text": "x"})),
                        meta: None,
                    }),
                ]),
                meta: object_meta(),
            },
            SamplingMessage {
                role: Role::User,
                content: SamplingContent::ToolResult(ToolResultContent {
                    tool_use_id: "c1".into(),
                    content: vec![Content::text("x")],
                    structured_content: None,
                    is_error: None,
                    meta: None,
                })
                .into(),
                meta: None,
            },
            SamplingMessage {
                role: Role::User,
                content: SamplingContent::Audio(AudioContent {
                    data: "aGk=".into(),
                    mime_type: "audio/wav".into(),
                    ..AudioContent::default()
                })
                .into(),
                meta: None,
            },
        ],
        model_preferences: Some(ModelPreferences {
            hints: Some(vec![ModelHint {
                name: Some("claude".into()),
            }]),
            cost_priority: Some(0.2),
            speed_priority: Some(0.3),
            intelligence_priority: Some(0.9),
        }),
        system_prompt: Some("be brief".into()),
        include_context: Some(IncludeContext::None),
        temperature: Some(0.1),
        max_tokens: 100,
        stop_sequences: Some(vec!["\n".into()]),
        metadata: Some(JsonObject::new()),
        tools: Some(vec![tool()]),
        tool_choice: Some(ToolChoice {
            mode: Some(ToolChoiceMode::Auto),
        }),
        task: Some(JsonObject::new()),
        meta: Some(request_meta()),
    }
}

fn elicit_form() -> ElicitParams {
    let ElicitParams::Form(mut f) = ElicitParams::form(
        "Your name?",
        obj(&json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {"name": {"type": "string", "title": "Name"}},
            "required": ["name"]
        })),
    ) else {
        unreachable!()
    };
    f.mode = Some("form".into());
    f.meta = Some(request_meta());
    ElicitParams::Form(f)
}

fn input_responses() -> InputResponses {
    BTreeMap::from([
        (
            "name".to_owned(),
            InputResponse::Elicit(ElicitResult::accept(BTreeMap::from([(
                "name".to_owned(),
                json!("octocat"),
            )]))),
        ),
        (
            "roots".to_owned(),
            InputResponse::ListRoots(ListRootsResult {
                roots: vec![Root {
                    uri: "file:///repo".into(),
                    name: Some("repo".into()),
                    meta: object_meta(),
                }],
                meta: object_meta(),
            }),
        ),
    ])
}

fn client_requests() -> Vec<ClientRequest> {
    let meta = Some(request_meta());
    let paginated = PaginatedParams {
        cursor: Some("c".into()),
        meta: meta.clone(),
    };
    vec![
        ClientRequest::Initialize(InitializeParams {
            protocol_version: "2025-11-25".into(),
            capabilities: client_capabilities(),
            client_info: implementation(),
            meta: meta.clone(),
        }),
        ClientRequest::Ping(RequestParams { meta: meta.clone() }),
        ClientRequest::Discover(RequestParams { meta: meta.clone() }),
        ClientRequest::ListTools(paginated.clone()),
        ClientRequest::CallTool(CallToolParams {
            name: "echo".into(),
            arguments: Some(obj(&json!({"text": "x"}))),
            input_responses: Some(input_responses()),
            request_state: Some("state".into()),
            task: Some(obj(&json!({"ttl": 1000}))),
            meta: meta.clone(),
        }),
        ClientRequest::ListResources(paginated.clone()),
        ClientRequest::ListResourceTemplates(paginated.clone()),
        ClientRequest::ReadResource(ReadResourceParams {
            uri: "file:///a.txt".into(),
            input_responses: Some(input_responses()),
            request_state: Some("s".into()),
            meta: meta.clone(),
        }),
        ClientRequest::Subscribe(SubscribeParams {
            uri: "file:///a.txt".into(),
            meta: meta.clone(),
        }),
        ClientRequest::Unsubscribe(SubscribeParams {
            uri: "file:///a.txt".into(),
            meta: meta.clone(),
        }),
        ClientRequest::ListPrompts(paginated),
        ClientRequest::GetPrompt(GetPromptParams {
            name: "p".into(),
            arguments: Some(BTreeMap::from([("a".into(), "b".into())])),
            input_responses: Some(input_responses()),
            request_state: Some("s".into()),
            meta: meta.clone(),
        }),
        ClientRequest::Complete(CompleteParams {
            reference: CompletionReference::Prompt(PromptReference {
                name: "p".into(),
                title: Some("P".into()),
            }),
            argument: CompletionArgument {
                name: "a".into(),
                value: "b".into(),
            },
            context: Some(CompletionContext {
                arguments: Some(BTreeMap::from([("x".into(), "y".into())])),
            }),
            meta: meta.clone(),
        }),
        ClientRequest::SetLevel(SetLevelParams {
            level: LoggingLevel::Debug,
            meta: meta.clone(),
        }),
        ClientRequest::SubscriptionsListen(SubscriptionsListenParams {
            notifications: SubscriptionFilter {
                tools_list_changed: Some(true),
                prompts_list_changed: Some(true),
                resources_list_changed: Some(true),
                resource_subscriptions: Some(vec!["file:///a.txt".into()]),
            },
            meta,
        }),
    ]
}

fn notification_params() -> ProgressParams {
    ProgressParams {
        progress_token: ProgressToken::from(1),
        progress: 0.5,
        total: Some(1.0),
        message: Some("half".into()),
        meta: Some(sub_meta()),
    }
}

/// Notification `_meta` of a `subscriptions/listen` stream.
fn sub_meta() -> Meta {
    let mut m = Meta::new();
    m.set_subscription_id(&RequestId::from("sub-1"));
    m
}

fn client_notifications() -> Vec<ClientNotification> {
    vec![
        ClientNotification::Initialized(RequestParams::default()),
        ClientNotification::Cancelled(CancelledParams::new(
            RequestId::from(3),
            Some("user".into()),
        )),
        ClientNotification::Progress(notification_params()),
        ClientNotification::RootsListChanged(RequestParams::default()),
    ]
}

fn server_notifications() -> Vec<ServerNotification> {
    let meta = Some(sub_meta());
    vec![
        ServerNotification::Cancelled(CancelledParams {
            request_id: RequestId::from("r"),
            reason: None,
            meta: meta.clone(),
        }),
        ServerNotification::Progress(notification_params()),
        ServerNotification::LoggingMessage(LoggingMessageParams {
            level: LoggingLevel::Error,
            logger: Some("db".into()),
            data: json!({"error": "x"}),
            meta: meta.clone(),
        }),
        ServerNotification::ResourceUpdated(ResourceUpdatedParams {
            uri: "file:///a.txt".into(),
            meta: meta.clone(),
        }),
        ServerNotification::ResourceListChanged(RequestParams { meta: meta.clone() }),
        ServerNotification::ToolListChanged(RequestParams { meta: meta.clone() }),
        ServerNotification::PromptListChanged(RequestParams { meta: meta.clone() }),
        ServerNotification::ElicitationComplete(ElicitationCompleteParams {
            elicitation_id: "e1".into(),
            meta: meta.clone(),
        }),
        ServerNotification::SubscriptionsAcknowledged(SubscriptionsAcknowledgedParams {
            notifications: SubscriptionFilter {
                tools_list_changed: Some(true),
                ..SubscriptionFilter::default()
            },
            meta,
        }),
    ]
}

fn server_requests() -> Vec<ServerRequest> {
    vec![
        ServerRequest::Ping(RequestParams::default()),
        ServerRequest::CreateMessage(sampling_params()),
        ServerRequest::Elicit(elicit_form()),
        ServerRequest::Elicit(ElicitParams::url(
            "Sign in",
            "https://example.com/login",
            Some("e1".into()),
        )),
        ServerRequest::ListRoots(RequestParams {
            meta: Some(request_meta()),
        }),
    ]
}

/// Every server result with every optional field set, and the schema definition it must
/// match.
fn server_results() -> Vec<(&'static str, ServerResult)> {
    let meta = Some(result_meta());
    vec![
        (
            "EmptyResult",
            ServerResult::Empty(EmptyResult {
                meta: meta.clone(),
                result_type: None,
            }),
        ),
        (
            "InitializeResult",
            ServerResult::Initialize(InitializeResult {
                protocol_version: "2025-06-18".into(),
                capabilities: server_capabilities(),
                server_info: implementation(),
                instructions: Some("use it".into()),
                meta: meta.clone(),
            }),
        ),
        (
            "DiscoverResult",
            ServerResult::Discover(DiscoverResult {
                supported_versions: ProtocolVersion::supported_strings()
                    .into_iter()
                    .map(String::from)
                    .collect(),
                capabilities: server_capabilities(),
                instructions: Some("use it".into()),
                meta: meta.clone(),
                ..DiscoverResult::default()
            }),
        ),
        (
            "ListToolsResult",
            ServerResult::ListTools(ListToolsResult {
                tools: vec![tool(), Tool::new("bare", "no schema", JsonObject::new())],
                next_cursor: Some("n".into()),
                meta: meta.clone(),
                ..ListToolsResult::default()
            }),
        ),
        (
            "CallToolResult",
            ServerResult::CallTool(CallToolResult {
                content: all_content(),
                structured_content: Some(json!({"text": "hi"}).into()),
                is_error: Some(false),
                result_type: None,
                meta: meta.clone(),
            }),
        ),
        (
            "CallToolResult",
            ServerResult::CallTool(CallToolResult::structured(json!([1, 2]))),
        ),
        (
            "CallToolResult",
            ServerResult::CallTool(CallToolResult::structured(
                StructuredContent::from_serialize(&BTreeMap::from([("text", "hi")])).unwrap(),
            )),
        ),
        (
            "CallToolResult",
            ServerResult::CallTool(CallToolResult::structured(
                StructuredContent::from_serialize(&[1, 2]).unwrap(),
            )),
        ),
        (
            "ListResourcesResult",
            ServerResult::ListResources(ListResourcesResult {
                resources: vec![resource()],
                next_cursor: Some("n".into()),
                ttl_ms: Some(60_000),
                cache_scope: Some(CacheScope::Public),
                meta: meta.clone(),
                ..ListResourcesResult::default()
            }),
        ),
        (
            "ListResourceTemplatesResult",
            ServerResult::ListResourceTemplates(ListResourceTemplatesResult {
                resource_templates: vec![ResourceTemplate {
                    uri_template: "file:///{path}".into(),
                    name: "files".into(),
                    title: Some("Files".into()),
                    description: Some("d".into()),
                    mime_type: Some("text/plain".into()),
                    annotations: Some(annotations()),
                    icons: icons(),
                    meta: object_meta(),
                }],
                meta: meta.clone(),
                ..ListResourceTemplatesResult::default()
            }),
        ),
        (
            "ReadResourceResult",
            ServerResult::ReadResource(ReadResourceResult {
                contents: vec![
                    ResourceContents::text("file:///a.txt", "abc"),
                    ResourceContents::Blob(BlobResourceContents {
                        uri: "file:///b".into(),
                        mime_type: Some("application/octet-stream".into()),
                        blob: "aGk=".into(),
                        meta: object_meta(),
                    }),
                ],
                meta: meta.clone(),
                ..ReadResourceResult::default()
            }),
        ),
        (
            "ListPromptsResult",
            ServerResult::ListPrompts(ListPromptsResult {
                prompts: vec![Prompt {
                    name: "p".into(),
                    title: Some("P".into()),
                    description: Some("d".into()),
                    arguments: Some(vec![PromptArgument {
                        name: "a".into(),
                        title: Some("A".into()),
                        description: Some("d".into()),
                        required: Some(true),
                    }]),
                    icons: icons(),
                    meta: object_meta(),
                }],
                meta: meta.clone(),
                ..ListPromptsResult::default()
            }),
        ),
        (
            "GetPromptResult",
            ServerResult::GetPrompt(GetPromptResult {
                description: Some("d".into()),
                messages: all_content()
                    .into_iter()
                    .map(PromptMessage::assistant)
                    .collect(),
                result_type: None,
                meta: meta.clone(),
            }),
        ),
        (
            "CompleteResult",
            ServerResult::Complete(CompleteResult {
                meta,
                ..CompleteResult::new((0..150).map(|i| i.to_string()).collect())
            }),
        ),
        (
            "SubscriptionsListenResult",
            ServerResult::SubscriptionsListen(SubscriptionsListenResult::new(&RequestId::from(
                "sub-1",
            ))),
        ),
        (
            "InputRequiredResult",
            ServerResult::InputRequired(InputRequiredResult::new(
                BTreeMap::from([
                    (
                        "sample".to_owned(),
                        InputRequest::CreateMessage(sampling_params()),
                    ),
                    ("form".to_owned(), InputRequest::Elicit(elicit_form())),
                    (
                        "url".to_owned(),
                        InputRequest::Elicit(ElicitParams::url(
                            "Sign in",
                            "https://example.com",
                            Some("e1".into()),
                        )),
                    ),
                    (
                        "roots".to_owned(),
                        InputRequest::ListRoots(RequestParams::default()),
                    ),
                ]),
                Some("opaque".into()),
            )),
        ),
    ]
}

fn client_results() -> Vec<(&'static str, ClientResult)> {
    vec![
        ("EmptyResult", ClientResult::Empty(EmptyResult::default())),
        (
            "CreateMessageResult",
            ClientResult::CreateMessage(CreateMessageResult {
                role: Role::Assistant,
                content: SamplingMessageContent::Many(vec![
                    SamplingContent::text("a"),
                    SamplingContent::ToolUse(ToolUseContent {
                        id: "c".into(),
                        name: "echo".into(),
                        input: JsonObject::new(),
                        meta: None,
                    }),
                ]),
                model: "m".into(),
                stop_reason: Some("toolUse".into()),
                meta: object_meta(),
            }),
        ),
        (
            "ListRootsResult",
            ClientResult::ListRoots(ListRootsResult {
                roots: vec![Root {
                    uri: "file:///r".into(),
                    name: Some("r".into()),
                    meta: object_meta(),
                }],
                meta: object_meta(),
            }),
        ),
        (
            "ElicitResult",
            ClientResult::Elicit(ElicitResult {
                action: ElicitAction::Accept,
                content: Some(BTreeMap::from([
                    ("name".into(), json!("x")),
                    ("n".into(), json!(3)),
                    ("tags".into(), json!(["a", "b"])),
                ])),
                meta: object_meta(),
            }),
        ),
    ]
}

/// Whether a result definition applies to a revision.
fn result_available(def: &str, v: ProtocolVersion) -> bool {
    match def {
        "InitializeResult" => v.is_legacy(),
        "DiscoverResult" | "SubscriptionsListenResult" | "InputRequiredResult" => !v.is_legacy(),
        "ElicitResult" => v >= ProtocolVersion::V2025_06_18,
        _ => true,
    }
}

fn request_message(id: i64, method: &str, params: &serde_json::value::RawValue) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "method": method,
        "params": serde_json::from_str::<Value>(params.get()).unwrap(),
    })
}

fn notification_message(method: &str, params: &serde_json::value::RawValue) -> Value {
    json!({
        "jsonrpc": "2.0",
        "method": method,
        "params": serde_json::from_str::<Value>(params.get()).unwrap(),
    })
}

#[test]
fn adapted_results_validate_against_every_revision() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for v in ProtocolVersion::ALL {
        let rev = v.as_str();
        for (def, result) in server_results()
            .into_iter()
            .map(|(d, r)| (d, to_json(&r.for_revision(v))))
            .chain(
                client_results()
                    .into_iter()
                    .map(|(d, r)| (d, to_json(&r.for_revision(v)))),
            )
        {
            if !result_available(def, v) {
                continue;
            }
            assert!(has_definition(rev, def), "{rev} lacks {def}");
            checked += 1;
            if let Err(e) = validate(rev, def, &result) {
                failures.push(format!("{e}\n{result:#}"));
            }
            let extra = undeclared(rev, def, &result);
            if !extra.is_empty() {
                failures.push(format!(
                    "{rev} {def}: not in the schema: {extra:?}\n{result:#}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(checked > 60, "{checked}");
}

#[test]
fn adapted_requests_and_notifications_validate_against_every_revision() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for v in ProtocolVersion::ALL {
        let rev = v.as_str();
        let mut messages = Vec::new();
        for r in client_requests() {
            if available_in(r.method(), v) {
                let (m, p) = r.for_revision(v).into_parts().unwrap();
                messages.push(request_message(1, m, &p));
            }
        }
        for n in client_notifications() {
            if available_in(n.method(), v) {
                let (m, p) = n.for_revision(v).into_parts().unwrap();
                messages.push(notification_message(m, &p));
            }
        }
        for n in server_notifications() {
            if available_in(n.method(), v) {
                let (m, p) = n.for_revision(v).into_parts().unwrap();
                messages.push(notification_message(m, &p));
            }
        }
        // 2026-07-28 has no server-to-client requests: they travel in `input_required`.
        if v.is_legacy() {
            for r in server_requests() {
                let is_url = matches!(&r, ServerRequest::Elicit(ElicitParams::Url(_)));
                if available_in(r.method(), v) && (!is_url || v >= ProtocolVersion::V2025_11_25) {
                    let (m, p) = r.for_revision(v).into_parts().unwrap();
                    messages.push(request_message(2, m, &p));
                }
            }
        }
        for message in messages {
            checked += 1;
            if let Err(e) = validate_message(rev, &message) {
                failures.push(format!("{e}\n{message:#}"));
            }
            let def = definition_for_method(rev, message["method"].as_str().unwrap()).unwrap();
            // The envelope members are not declared by the older per-method definitions.
            let body = json!({"method": message["method"], "params": message["params"]});
            let extra = undeclared(rev, def, &body);
            if !extra.is_empty() {
                failures.push(format!(
                    "{rev} {def}: not in the schema: {extra:?}\n{message:#}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(checked > 80, "{checked}");
}

// ---- One test per downgrade rule ----

#[test]
fn result_type_only_for_2026() {
    for v in ProtocolVersion::ALL {
        let r = to_json(&CallToolResult::text("x").for_revision(v));
        if v.is_legacy() {
            assert!(r.get("resultType").is_none(), "{v}: {r}");
        } else {
            assert_eq!(r["resultType"], "complete", "{v}");
        }
    }
    // An `input_required` result keeps its kind.
    let r = to_json(&InputRequiredResult::default().for_revision(ProtocolVersion::LATEST));
    assert_eq!(r["resultType"], "input_required");
}

#[test]
fn cache_hints_only_for_2026_and_default_to_uncached() {
    let legacy = to_json(
        &ListToolsResult {
            ttl_ms: Some(5),
            cache_scope: Some(CacheScope::Public),
            ..Default::default()
        }
        .for_revision(ProtocolVersion::V2025_11_25),
    );
    assert!(legacy.get("ttlMs").is_none() && legacy.get("cacheScope").is_none());
    let modern = to_json(&ListToolsResult::default().for_revision(ProtocolVersion::LATEST));
    assert_eq!(modern["ttlMs"], 0);
    assert_eq!(modern["cacheScope"], "private");
    let kept = to_json(
        &ReadResourceResult {
            ttl_ms: Some(5),
            cache_scope: Some(CacheScope::Public),
            ..Default::default()
        }
        .for_revision(ProtocolVersion::LATEST),
    );
    assert_eq!(
        (kept["ttlMs"].clone(), kept["cacheScope"].clone()),
        (json!(5), json!("public"))
    );
}

#[test]
fn modern_meta_keys_never_reach_legacy_peers() {
    let mut meta = result_meta();
    meta.insert("example.com/keep", json!(true));
    let result = CallToolResult {
        meta: Some(meta),
        ..CallToolResult::text("x")
    };
    let legacy = to_json(&result.clone().for_revision(ProtocolVersion::V2025_11_25));
    assert_eq!(legacy["_meta"], json!({"example.com/keep": true}));
    let modern = to_json(&result.for_revision(ProtocolVersion::LATEST));
    assert!(modern["_meta"].get(keys::SERVER_INFO).is_some());

    // A map left empty is not sent at all.
    let params = CallToolParams {
        meta: Some({
            let mut m = Meta::new();
            m.set_protocol_version("2026-07-28");
            m
        }),
        ..CallToolParams::new("t", JsonObject::new())
    };
    let legacy = to_json(&params.for_revision(ProtocolVersion::V2025_06_18));
    assert!(legacy.get("_meta").is_none(), "{legacy}");
}

#[test]
fn audio_becomes_text_for_2024_11_05() {
    let r = CallToolResult::content(vec![Content::audio("AAAA", "audio/wav")])
        .for_revision(ProtocolVersion::V2024_11_05);
    let text = r.content[0].as_text().expect("audio turned into text");
    assert!(
        text.contains("audio") && text.contains("audio/wav"),
        "{text}"
    );
    let kept = CallToolResult::content(vec![Content::audio("AAAA", "audio/wav")])
        .for_revision(ProtocolVersion::V2025_03_26);
    assert!(matches!(kept.content[0], Content::Audio(_)));
}

#[test]
fn resource_link_becomes_text_before_2025_06_18() {
    let link = Content::ResourceLink(Resource {
        mime_type: Some("text/plain".into()),
        ..Resource::new("file:///a.txt", "a")
    });
    for v in [ProtocolVersion::V2024_11_05, ProtocolVersion::V2025_03_26] {
        let r = CallToolResult::content(vec![link.clone()]).for_revision(v);
        let text = r.content[0].as_text().expect("link turned into text");
        assert!(
            text.contains("file:///a.txt") && text.contains("resource link"),
            "{text}"
        );
    }
    let r = CallToolResult::content(vec![link]).for_revision(ProtocolVersion::V2025_06_18);
    assert!(matches!(r.content[0], Content::ResourceLink(_)));
}

#[test]
fn structured_content_falls_back_to_text() {
    // Before 2025-06-18: no structuredContent; its JSON is already a text block.
    let r = CallToolResult::structured(json!({"a": 1})).for_revision(ProtocolVersion::V2025_03_26);
    assert!(r.structured_content.is_none());
    assert_eq!(r.content.len(), 1);
    assert_eq!(r.content[0].as_text(), Some(r#"{"a":1}"#));
    // A result without the text block gets one rather than losing the data.
    let bare = CallToolResult {
        structured_content: Some(json!({"a": 1}).into()),
        ..CallToolResult::default()
    }
    .for_revision(ProtocolVersion::V2024_11_05);
    assert_eq!(bare.content[0].as_text(), Some(r#"{"a":1}"#));
    // 2025-06-18 and 2025-11-25 only allow objects; 2026-07-28 any JSON value.
    let array = CallToolResult::structured(json!([1]));
    assert!(
        array
            .clone()
            .for_revision(ProtocolVersion::V2025_11_25)
            .structured_content
            .is_none()
    );
    assert!(
        array
            .for_revision(ProtocolVersion::LATEST)
            .structured_content
            .is_some()
    );
}

#[test]
fn tool_fields_follow_their_revisions() {
    let t = |v| to_json(&tool().for_revision(v));
    let old = t(ProtocolVersion::V2024_11_05);
    for key in [
        "annotations",
        "title",
        "outputSchema",
        "icons",
        "execution",
        "_meta",
    ] {
        assert!(old.get(key).is_none(), "2024-11-05 got {key}");
    }
    assert!(t(ProtocolVersion::V2025_03_26).get("annotations").is_some());
    let mid = t(ProtocolVersion::V2025_06_18);
    assert!(mid.get("title").is_some() && mid.get("outputSchema").is_some());
    assert!(mid.get("icons").is_none());
    assert!(t(ProtocolVersion::V2025_11_25).get("execution").is_some());
    let new = t(ProtocolVersion::LATEST);
    assert!(new.get("execution").is_none() && new.get("icons").is_some());
}

#[test]
fn implementation_fields_follow_their_revisions() {
    let i = |v| to_json(&implementation().for_revision(v));
    assert_eq!(
        i(ProtocolVersion::V2024_11_05),
        json!({"name": "srv", "version": "1.2.3"})
    );
    let mid = i(ProtocolVersion::V2025_06_18);
    assert!(mid.get("title").is_some() && mid.get("description").is_none());
    let new = i(ProtocolVersion::V2025_11_25);
    for key in ["description", "icons", "websiteUrl"] {
        assert!(new.get(key).is_some(), "{key}");
    }
}

#[test]
fn capabilities_follow_their_revisions() {
    let s = |v| to_json(&server_capabilities().for_revision(v));
    assert!(s(ProtocolVersion::V2024_11_05).get("completions").is_none());
    assert!(s(ProtocolVersion::V2025_03_26).get("completions").is_some());
    assert!(s(ProtocolVersion::V2025_06_18).get("tasks").is_none());
    assert!(s(ProtocolVersion::V2025_11_25).get("tasks").is_some());
    assert!(s(ProtocolVersion::V2025_11_25).get("extensions").is_none());
    let new = s(ProtocolVersion::LATEST);
    assert!(new.get("extensions").is_some() && new.get("tasks").is_none());

    let c = |v| to_json(&client_capabilities().for_revision(v));
    assert!(c(ProtocolVersion::V2025_03_26).get("elicitation").is_none());
    assert_eq!(c(ProtocolVersion::V2025_06_18)["elicitation"], json!({}));
    assert_eq!(c(ProtocolVersion::V2025_06_18)["sampling"], json!({}));
    assert_eq!(c(ProtocolVersion::LATEST)["roots"], json!({}));
}

#[test]
fn annotations_last_modified_from_2025_06_18() {
    let a = |v| to_json(&annotations().for_revision(v));
    assert!(
        a(ProtocolVersion::V2025_03_26)
            .get("lastModified")
            .is_none()
    );
    assert!(a(ProtocolVersion::V2025_03_26).get("priority").is_some());
    assert!(
        a(ProtocolVersion::V2025_06_18)
            .get("lastModified")
            .is_some()
    );
}

#[test]
fn progress_message_from_2025_03_26() {
    let p = |v| to_json(&notification_params().for_revision(v));
    assert!(p(ProtocolVersion::V2024_11_05).get("message").is_none());
    assert_eq!(p(ProtocolVersion::V2025_03_26)["message"], "half");
}

#[test]
fn sampling_downgrades_keep_the_conversation() {
    let old = sampling_params().for_revision(ProtocolVersion::V2024_11_05);
    assert!(old.tools.is_none() && old.tool_choice.is_none() && old.task.is_none());
    // Several blocks become one text block; tool use and audio are described in words.
    let SamplingMessageContent::One(SamplingContent::Text(t)) = &old.messages[1].content else {
        panic!("{:?}", old.messages[1].content);
    };
    assert!(
        t.text.contains("calling") && t.text.contains("tool call echo"),
        "{}",
        t.text
    );
    let SamplingMessageContent::One(SamplingContent::Text(t)) = &old.messages[3].content else {
        panic!("{:?}", old.messages[3].content);
    };
    assert!(t.text.contains("audio"), "{}", t.text);
    let new = sampling_params().for_revision(ProtocolVersion::V2025_11_25);
    assert!(
        new.tools.is_some() && matches!(new.messages[1].content, SamplingMessageContent::Many(_))
    );
    // Inside 2026 input requests, params carry no `_meta`.
    assert!(
        sampling_params()
            .for_revision(ProtocolVersion::LATEST)
            .meta
            .is_none()
    );
}

#[test]
fn url_elicitation_id_only_in_2025_11_25() {
    let url = ElicitParams::url("m", "https://example.com", Some("e1".into()));
    let legacy = to_json(&url.clone().for_revision(ProtocolVersion::V2025_11_25));
    assert_eq!(legacy["elicitationId"], "e1");
    assert_eq!(legacy["mode"], "url");
    let modern = to_json(&url.for_revision(ProtocolVersion::LATEST));
    assert!(modern.get("elicitationId").is_none());
    let form = to_json(&elicit_form().for_revision(ProtocolVersion::V2025_06_18));
    assert!(form.get("mode").is_none());
    // `$schema` in the requested schema survives.
    assert!(form["requestedSchema"].get("$schema").is_some());
}

#[test]
fn mrtr_fields_never_reach_legacy_servers() {
    let p = CallToolParams {
        input_responses: Some(input_responses()),
        request_state: Some("s".into()),
        ..CallToolParams::new("t", JsonObject::new())
    };
    let legacy = to_json(&p.clone().for_revision(ProtocolVersion::V2025_11_25));
    assert!(legacy.get("inputResponses").is_none() && legacy.get("requestState").is_none());
    let modern = to_json(&p.for_revision(ProtocolVersion::LATEST));
    assert!(modern["inputResponses"]["roots"].get("_meta").is_none());
    assert_eq!(modern["requestState"], "s");
}

#[test]
fn completion_values_are_capped_at_100() {
    let r = CompleteResult::new((0..150).map(|i| i.to_string()).collect());
    assert_eq!(r.completion.values.len(), 100);
    assert_eq!(r.completion.total, Some(150));
    assert_eq!(r.completion.has_more, Some(true));
    let p = CompleteParams {
        reference: CompletionReference::Resource(ResourceTemplateReference {
            uri: "file:///{p}".into(),
        }),
        argument: CompletionArgument::default(),
        context: Some(CompletionContext::default()),
        meta: None,
    };
    assert!(
        p.for_revision(ProtocolVersion::V2025_03_26)
            .context
            .is_none()
    );
}

#[test]
fn unknown_content_is_kept_on_input_and_described_on_output() {
    let c: Content = serde_json::from_value(json!({"type": "video", "url": "x"})).unwrap();
    assert!(matches!(c, Content::Unknown(_)));
    let r = CallToolResult::content(vec![c]).for_revision(ProtocolVersion::LATEST);
    assert!(r.content[0].as_text().unwrap().contains("video"));
    // A known type with a bad body is an error, not an unknown block.
    let err = serde_json::from_value::<Content>(json!({"type": "text"})).unwrap_err();
    assert!(err.to_string().contains("text"), "{err}");
}

#[test]
fn multi_select_answers_become_a_string_before_2025_11_25() {
    let answer = ElicitResult::accept(BTreeMap::from([("tags".into(), json!(["a", "b"]))]));
    let old = to_json(&answer.clone().for_revision(ProtocolVersion::V2025_06_18));
    assert_eq!(old["content"]["tags"], "a, b");
    let new = to_json(&answer.for_revision(ProtocolVersion::V2025_11_25));
    assert_eq!(new["content"]["tags"], json!(["a", "b"]));
}

#[test]
fn elicitation_answers_fit_the_schema() {
    // The schemas allow strings, integers, booleans and arrays of strings.
    let answer = ElicitResult::accept(BTreeMap::from([
        ("count".into(), json!(3)),
        ("none".into(), Value::Null),
        ("mixed".into(), json!(["a", 2])),
    ]));
    for v in [ProtocolVersion::V2025_06_18, ProtocolVersion::LATEST] {
        let out = to_json(&answer.clone().for_revision(v));
        validate(v.as_str(), "ElicitResult", &out).unwrap();
        assert_eq!(out["content"]["count"], 3);
        assert_eq!(out["content"]["none"], "null");
    }
    let out = to_json(&answer.for_revision(ProtocolVersion::LATEST));
    assert_eq!(out["content"]["mixed"], json!(["a", "2"]));
}

#[test]
fn fractional_answers_to_number_fields_stay_numbers() {
    // A form may ask for a `number` field; the generated schemas say `integer` for answers,
    // but the conformance suite (and every server that asked) expects the number itself.
    let answer = ElicitResult::accept(BTreeMap::from([("score".into(), json!(95.5))]));
    for v in [ProtocolVersion::V2025_06_18, ProtocolVersion::LATEST] {
        let out = to_json(&answer.clone().for_revision(v));
        assert_eq!(out["content"]["score"], 95.5);
    }
}

#[test]
fn the_undeclared_field_check_sees_leaks() {
    // Not adapted: fields of newer revisions must be reported.
    let raw = to_json(&CallToolResult {
        result_type: Some(ResultType::Complete),
        ..CallToolResult::structured(json!({"a": 1}))
    });
    let extra = undeclared("2024-11-05", "CallToolResult", &raw);
    assert_eq!(extra, ["/resultType", "/structuredContent"]);
    let tools = to_json(&ListToolsResult {
        tools: vec![tool()],
        ..ListToolsResult::default()
    });
    let extra = undeclared("2025-03-26", "ListToolsResult", &tools);
    for leak in ["/tools/0/title", "/tools/0/icons", "/tools/0/execution"] {
        assert!(extra.iter().any(|e| e == leak), "{leak} not in {extra:?}");
    }
}

#[test]
fn clients_read_input_required_or_the_final_result() {
    let asked: MaybeInputRequired<CallToolResult> = serde_json::from_value(json!({
        "resultType": "input_required",
        "inputRequests": {"roots": {"method": "roots/list"}},
        "requestState": "s"
    }))
    .unwrap();
    let MaybeInputRequired::InputRequired(r) = asked else {
        panic!("{asked:?}");
    };
    assert!(matches!(
        r.input_requests.unwrap()["roots"],
        InputRequest::ListRoots(_)
    ));
    let done: MaybeInputRequired<CallToolResult> =
        serde_json::from_value(json!({"content": [{"type": "text", "text": "ok"}]})).unwrap();
    assert_eq!(
        done,
        MaybeInputRequired::Complete(CallToolResult::text("ok"))
    );
    // A roots/list input request with no params writes no params.
    let out = to_json(&InputRequest::ListRoots(RequestParams::default()));
    assert_eq!(out, json!({"method": "roots/list"}));
}
