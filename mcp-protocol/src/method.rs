//! Method names, which revision has which, and the typed request/notification enums.
//!
//! ```
//! use mcp_protocol::method::{ClientRequest, available_in, names};
//! use mcp_protocol::{ErrorCode, ProtocolVersion};
//! use serde_json::value::RawValue;
//!
//! let params = RawValue::from_string(r#"{"name":"echo","arguments":{"text":"hi"}}"#.into())?;
//! match ClientRequest::parse(names::TOOLS_CALL, Some(&params)) {
//!     Ok(ClientRequest::CallTool(call)) => assert_eq!(call.name, "echo"),
//!     other => panic!("unexpected {other:?}"),
//! }
//!
//! // A bad field is -32602 and the message says where.
//! let bad = RawValue::from_string(r#"{"name":7}"#.into())?;
//! let err = ClientRequest::parse(names::TOOLS_CALL, Some(&bad)).unwrap_err();
//! assert_eq!(err.code, ErrorCode::INVALID_PARAMS);
//! assert!(err.message.contains("`name`"));
//!
//! assert!(!available_in(names::INITIALIZE, ProtocolVersion::V2026_07_28));
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use serde_json::value::RawValue;

use crate::jsonrpc::{ErrorObject, JsonRpcVersion, Notification, Request, RequestId};
use crate::meta::Meta;
use crate::revision::ForRevision;
use crate::types::{
    CallToolParams, CallToolResult, CancelledParams, CompleteParams, CompleteResult,
    CreateMessageParams, CreateMessageResult, DiscoverParams, DiscoverResult, ElicitParams,
    ElicitResult, ElicitationCompleteParams, EmptyResult, GetPromptParams, GetPromptResult,
    InitializeParams, InitializeResult, InputRequiredResult, ListPromptsResult,
    ListResourceTemplatesResult, ListResourcesResult, ListRootsResult, ListToolsResult,
    LoggingMessageParams, NotificationParams, PaginatedParams, ProgressParams, ReadResourceParams,
    ReadResourceResult, RequestParams, ResourceUpdatedParams, SetLevelParams, SubscribeParams,
    SubscriptionsAcknowledgedParams, SubscriptionsListenParams, SubscriptionsListenResult,
    UnsubscribeParams,
};
use crate::version::ProtocolVersion;

/// Every method name, as on the wire.
pub mod names {
    /// Legacy handshake request.
    pub const INITIALIZE: &str = "initialize";
    /// Liveness check (legacy revisions).
    pub const PING: &str = "ping";
    /// 2026-07-28: what the server supports.
    pub const DISCOVER: &str = "server/discover";
    /// List tools.
    pub const TOOLS_LIST: &str = "tools/list";
    /// Call a tool.
    pub const TOOLS_CALL: &str = "tools/call";
    /// List resources.
    pub const RESOURCES_LIST: &str = "resources/list";
    /// List resource templates.
    pub const RESOURCES_TEMPLATES_LIST: &str = "resources/templates/list";
    /// Read a resource.
    pub const RESOURCES_READ: &str = "resources/read";
    /// Subscribe to a resource (legacy revisions).
    pub const RESOURCES_SUBSCRIBE: &str = "resources/subscribe";
    /// Unsubscribe from a resource (legacy revisions).
    pub const RESOURCES_UNSUBSCRIBE: &str = "resources/unsubscribe";
    /// List prompts.
    pub const PROMPTS_LIST: &str = "prompts/list";
    /// Get a prompt.
    pub const PROMPTS_GET: &str = "prompts/get";
    /// Complete an argument.
    pub const COMPLETION_COMPLETE: &str = "completion/complete";
    /// Set the log level (legacy revisions).
    pub const LOGGING_SET_LEVEL: &str = "logging/setLevel";
    /// 2026-07-28: open the notification stream.
    pub const SUBSCRIPTIONS_LISTEN: &str = "subscriptions/listen";
    /// Ask the client to sample from a model.
    pub const SAMPLING_CREATE_MESSAGE: &str = "sampling/createMessage";
    /// Ask the client's user for input (2025-06-18+).
    pub const ELICITATION_CREATE: &str = "elicitation/create";
    /// Ask the client for its roots.
    pub const ROOTS_LIST: &str = "roots/list";

    /// Legacy handshake done.
    pub const INITIALIZED: &str = "notifications/initialized";
    /// A request was cancelled.
    pub const CANCELLED: &str = "notifications/cancelled";
    /// Progress of a request.
    pub const PROGRESS: &str = "notifications/progress";
    /// A log message.
    pub const MESSAGE: &str = "notifications/message";
    /// The client's roots changed (legacy revisions).
    pub const ROOTS_LIST_CHANGED: &str = "notifications/roots/list_changed";
    /// A subscribed resource changed.
    pub const RESOURCES_UPDATED: &str = "notifications/resources/updated";
    /// The resource list changed.
    pub const RESOURCES_LIST_CHANGED: &str = "notifications/resources/list_changed";
    /// The tool list changed.
    pub const TOOLS_LIST_CHANGED: &str = "notifications/tools/list_changed";
    /// The prompt list changed.
    pub const PROMPTS_LIST_CHANGED: &str = "notifications/prompts/list_changed";
    /// A URL-mode elicitation finished (2025-11-25 only).
    pub const ELICITATION_COMPLETE: &str = "notifications/elicitation/complete";
    /// 2026-07-28: the server accepted a `subscriptions/listen` filter.
    pub const SUBSCRIPTIONS_ACKNOWLEDGED: &str = "notifications/subscriptions/acknowledged";
}

/// Whether a method (request or notification, either direction) exists in a revision.
///
/// Unknown methods are never available.
pub fn available_in(method: &str, v: ProtocolVersion) -> bool {
    use ProtocolVersion as P;
    use names as n;
    match method {
        n::INITIALIZE
        | n::PING
        | n::LOGGING_SET_LEVEL
        | n::RESOURCES_SUBSCRIBE
        | n::RESOURCES_UNSUBSCRIBE
        | n::INITIALIZED
        | n::ROOTS_LIST_CHANGED => v.is_legacy(),
        n::DISCOVER | n::SUBSCRIPTIONS_LISTEN | n::SUBSCRIPTIONS_ACKNOWLEDGED => !v.is_legacy(),
        n::ELICITATION_CREATE => v >= P::V2025_06_18,
        n::ELICITATION_COMPLETE => v == P::V2025_11_25,
        n::TOOLS_LIST
        | n::TOOLS_CALL
        | n::RESOURCES_LIST
        | n::RESOURCES_TEMPLATES_LIST
        | n::RESOURCES_READ
        | n::PROMPTS_LIST
        | n::PROMPTS_GET
        | n::COMPLETION_COMPLETE
        | n::SAMPLING_CREATE_MESSAGE
        | n::ROOTS_LIST
        | n::CANCELLED
        | n::PROGRESS
        | n::MESSAGE
        | n::RESOURCES_UPDATED
        | n::RESOURCES_LIST_CHANGED
        | n::TOOLS_LIST_CHANGED
        | n::PROMPTS_LIST_CHANGED => true,
        _ => false,
    }
}

/// Reads params for a method: absent params are `{}`; a failure is -32602 naming the field.
///
/// Valid params (nearly all) are read once without tracking the path, which costs a string
/// per field; only a failure is read again to name where it went wrong.
fn parse_params<T: DeserializeOwned>(
    method: &str,
    params: Option<&RawValue>,
) -> Result<T, ErrorObject> {
    let text = params.map_or("{}", RawValue::get);
    if let Ok(parsed) = serde_json::from_str(text) {
        return Ok(parsed);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = if path == "." {
            format!("invalid params for {method}: {inner}")
        } else {
            format!("invalid params for {method} at `{path}`: {inner}")
        };
        ErrorObject::invalid_params(message).with_data(json!({ "path": path }))
    })
}

/// Serializes params; the crate's types always serialize.
fn raw<P: Serialize>(params: &P) -> serde_json::Result<Box<RawValue>> {
    serde_json::value::to_raw_value(params)
}

/// A request from client to server, one variant per method.
// A request is parsed once and handled at once; boxing the larger params would only make
// matching on it clumsier.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum ClientRequest {
    /// `initialize` (legacy).
    Initialize(InitializeParams),
    /// `ping` (legacy).
    Ping(RequestParams),
    /// `server/discover` (2026-07-28).
    Discover(DiscoverParams),
    /// `tools/list`.
    ListTools(PaginatedParams),
    /// `tools/call`.
    CallTool(CallToolParams),
    /// `resources/list`.
    ListResources(PaginatedParams),
    /// `resources/templates/list`.
    ListResourceTemplates(PaginatedParams),
    /// `resources/read`.
    ReadResource(ReadResourceParams),
    /// `resources/subscribe` (legacy).
    Subscribe(SubscribeParams),
    /// `resources/unsubscribe` (legacy).
    Unsubscribe(UnsubscribeParams),
    /// `prompts/list`.
    ListPrompts(PaginatedParams),
    /// `prompts/get`.
    GetPrompt(GetPromptParams),
    /// `completion/complete`.
    Complete(CompleteParams),
    /// `logging/setLevel` (legacy).
    SetLevel(SetLevelParams),
    /// `subscriptions/listen` (2026-07-28).
    SubscriptionsListen(SubscriptionsListenParams),
}

impl ClientRequest {
    /// Reads a request from its method name and raw params.
    ///
    /// Unknown method: -32601. Params that do not fit: -32602 whose message (and
    /// `data.path`) names the failing field. Absent params read as `{}`. Whether the method
    /// exists in the negotiated revision is a separate check ([`available_in`]).
    pub fn parse(method: &str, params: Option<&RawValue>) -> Result<Self, ErrorObject> {
        use names as n;
        let p = params;
        Ok(match method {
            n::INITIALIZE => Self::Initialize(parse_params(method, p)?),
            n::PING => Self::Ping(parse_params(method, p)?),
            n::DISCOVER => Self::Discover(parse_params(method, p)?),
            n::TOOLS_LIST => Self::ListTools(parse_params(method, p)?),
            n::TOOLS_CALL => Self::CallTool(parse_params(method, p)?),
            n::RESOURCES_LIST => Self::ListResources(parse_params(method, p)?),
            n::RESOURCES_TEMPLATES_LIST => Self::ListResourceTemplates(parse_params(method, p)?),
            n::RESOURCES_READ => Self::ReadResource(parse_params(method, p)?),
            n::RESOURCES_SUBSCRIBE => Self::Subscribe(parse_params(method, p)?),
            n::RESOURCES_UNSUBSCRIBE => Self::Unsubscribe(parse_params(method, p)?),
            n::PROMPTS_LIST => Self::ListPrompts(parse_params(method, p)?),
            n::PROMPTS_GET => Self::GetPrompt(parse_params(method, p)?),
            n::COMPLETION_COMPLETE => Self::Complete(parse_params(method, p)?),
            n::LOGGING_SET_LEVEL => Self::SetLevel(parse_params(method, p)?),
            n::SUBSCRIPTIONS_LISTEN => Self::SubscriptionsListen(parse_params(method, p)?),
            _ => return Err(ErrorObject::method_not_found(method)),
        })
    }

    /// The method name.
    pub fn method(&self) -> &'static str {
        use names as n;
        match self {
            Self::Initialize(_) => n::INITIALIZE,
            Self::Ping(_) => n::PING,
            Self::Discover(_) => n::DISCOVER,
            Self::ListTools(_) => n::TOOLS_LIST,
            Self::CallTool(_) => n::TOOLS_CALL,
            Self::ListResources(_) => n::RESOURCES_LIST,
            Self::ListResourceTemplates(_) => n::RESOURCES_TEMPLATES_LIST,
            Self::ReadResource(_) => n::RESOURCES_READ,
            Self::Subscribe(_) => n::RESOURCES_SUBSCRIBE,
            Self::Unsubscribe(_) => n::RESOURCES_UNSUBSCRIBE,
            Self::ListPrompts(_) => n::PROMPTS_LIST,
            Self::GetPrompt(_) => n::PROMPTS_GET,
            Self::Complete(_) => n::COMPLETION_COMPLETE,
            Self::SetLevel(_) => n::LOGGING_SET_LEVEL,
            Self::SubscriptionsListen(_) => n::SUBSCRIPTIONS_LISTEN,
        }
    }

    /// The request's `_meta`, whatever the method.
    pub fn meta(&self) -> Option<&Meta> {
        match self {
            Self::Initialize(p) => p.meta.as_ref(),
            Self::Ping(p) | Self::Discover(p) => p.meta.as_ref(),
            Self::ListTools(p)
            | Self::ListResources(p)
            | Self::ListResourceTemplates(p)
            | Self::ListPrompts(p) => p.meta.as_ref(),
            Self::CallTool(p) => p.meta.as_ref(),
            Self::ReadResource(p) => p.meta.as_ref(),
            Self::Subscribe(p) | Self::Unsubscribe(p) => p.meta.as_ref(),
            Self::GetPrompt(p) => p.meta.as_ref(),
            Self::Complete(p) => p.meta.as_ref(),
            Self::SetLevel(p) => p.meta.as_ref(),
            Self::SubscriptionsListen(p) => p.meta.as_ref(),
        }
    }

    /// The params' `_meta`, to change or take.
    pub(crate) fn meta_mut(&mut self) -> &mut Option<Meta> {
        match self {
            Self::Initialize(p) => &mut p.meta,
            Self::Ping(p) | Self::Discover(p) => &mut p.meta,
            Self::ListTools(p)
            | Self::ListResources(p)
            | Self::ListResourceTemplates(p)
            | Self::ListPrompts(p) => &mut p.meta,
            Self::CallTool(p) => &mut p.meta,
            Self::ReadResource(p) => &mut p.meta,
            Self::Subscribe(p) | Self::Unsubscribe(p) => &mut p.meta,
            Self::GetPrompt(p) => &mut p.meta,
            Self::Complete(p) => &mut p.meta,
            Self::SetLevel(p) => &mut p.meta,
            Self::SubscriptionsListen(p) => &mut p.meta,
        }
    }

    /// The method name and the serialized params, for sending.
    pub fn into_parts(self) -> serde_json::Result<(&'static str, Box<RawValue>)> {
        let method = self.method();
        let params = match &self {
            Self::Initialize(p) => raw(p),
            Self::Ping(p) | Self::Discover(p) => raw(p),
            Self::ListTools(p)
            | Self::ListResources(p)
            | Self::ListResourceTemplates(p)
            | Self::ListPrompts(p) => raw(p),
            Self::CallTool(p) => raw(p),
            Self::ReadResource(p) => raw(p),
            Self::Subscribe(p) | Self::Unsubscribe(p) => raw(p),
            Self::GetPrompt(p) => raw(p),
            Self::Complete(p) => raw(p),
            Self::SetLevel(p) => raw(p),
            Self::SubscriptionsListen(p) => raw(p),
        }?;
        Ok((method, params))
    }

    /// A JSON-RPC request ready to send.
    pub fn into_request(self, id: RequestId) -> serde_json::Result<Request> {
        let (method, params) = self.into_parts()?;
        Ok(Request {
            jsonrpc: JsonRpcVersion,
            id,
            method: method.to_owned(),
            params: Some(params),
        })
    }
}

impl ForRevision for ClientRequest {
    fn adapt(&mut self, v: ProtocolVersion) {
        match self {
            Self::Initialize(p) => p.adapt(v),
            Self::Ping(p) | Self::Discover(p) => p.adapt(v),
            Self::ListTools(p)
            | Self::ListResources(p)
            | Self::ListResourceTemplates(p)
            | Self::ListPrompts(p) => p.adapt(v),
            Self::CallTool(p) => p.adapt(v),
            Self::ReadResource(p) => p.adapt(v),
            Self::Subscribe(p) | Self::Unsubscribe(p) => p.adapt(v),
            Self::GetPrompt(p) => p.adapt(v),
            Self::Complete(p) => p.adapt(v),
            Self::SetLevel(p) => p.adapt(v),
            Self::SubscriptionsListen(p) => p.adapt(v),
        }
    }
}

/// A notification from client to server.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientNotification {
    /// `notifications/initialized` (legacy).
    Initialized(NotificationParams),
    /// `notifications/cancelled`.
    Cancelled(CancelledParams),
    /// `notifications/progress`.
    Progress(ProgressParams),
    /// `notifications/roots/list_changed` (legacy).
    RootsListChanged(NotificationParams),
}

impl ClientNotification {
    /// Reads a notification (same error rules as [`ClientRequest::parse`]).
    pub fn parse(method: &str, params: Option<&RawValue>) -> Result<Self, ErrorObject> {
        use names as n;
        let p = params;
        Ok(match method {
            n::INITIALIZED => Self::Initialized(parse_params(method, p)?),
            n::CANCELLED => Self::Cancelled(parse_params(method, p)?),
            n::PROGRESS => Self::Progress(parse_params(method, p)?),
            n::ROOTS_LIST_CHANGED => Self::RootsListChanged(parse_params(method, p)?),
            _ => return Err(ErrorObject::method_not_found(method)),
        })
    }

    /// The method name.
    pub fn method(&self) -> &'static str {
        use names as n;
        match self {
            Self::Initialized(_) => n::INITIALIZED,
            Self::Cancelled(_) => n::CANCELLED,
            Self::Progress(_) => n::PROGRESS,
            Self::RootsListChanged(_) => n::ROOTS_LIST_CHANGED,
        }
    }

    /// The method name and the serialized params, for sending.
    pub fn into_parts(self) -> serde_json::Result<(&'static str, Box<RawValue>)> {
        let method = self.method();
        let params = match &self {
            Self::Initialized(p) | Self::RootsListChanged(p) => raw(p),
            Self::Cancelled(p) => raw(p),
            Self::Progress(p) => raw(p),
        }?;
        Ok((method, params))
    }

    /// A JSON-RPC notification ready to send.
    pub fn into_notification(self) -> serde_json::Result<Notification> {
        let (method, params) = self.into_parts()?;
        Ok(Notification {
            jsonrpc: JsonRpcVersion,
            method: method.to_owned(),
            params: Some(params),
        })
    }
}

impl ForRevision for ClientNotification {
    fn adapt(&mut self, v: ProtocolVersion) {
        match self {
            Self::Initialized(p) | Self::RootsListChanged(p) => p.adapt(v),
            Self::Cancelled(p) => p.adapt(v),
            Self::Progress(p) => p.adapt(v),
        }
    }
}

/// A request from server to client (legacy revisions; 2026-07-28 uses `input_required`).
#[derive(Debug, Clone, PartialEq)]
pub enum ServerRequest {
    /// `ping`.
    Ping(RequestParams),
    /// `sampling/createMessage`.
    CreateMessage(CreateMessageParams),
    /// `elicitation/create` (2025-06-18+).
    Elicit(ElicitParams),
    /// `roots/list`.
    ListRoots(RequestParams),
}

impl ServerRequest {
    /// Reads a request (same error rules as [`ClientRequest::parse`]).
    pub fn parse(method: &str, params: Option<&RawValue>) -> Result<Self, ErrorObject> {
        use names as n;
        let p = params;
        Ok(match method {
            n::PING => Self::Ping(parse_params(method, p)?),
            n::SAMPLING_CREATE_MESSAGE => Self::CreateMessage(parse_params(method, p)?),
            n::ELICITATION_CREATE => Self::Elicit(parse_params(method, p)?),
            n::ROOTS_LIST => Self::ListRoots(parse_params(method, p)?),
            _ => return Err(ErrorObject::method_not_found(method)),
        })
    }

    /// The method name.
    pub fn method(&self) -> &'static str {
        use names as n;
        match self {
            Self::Ping(_) => n::PING,
            Self::CreateMessage(_) => n::SAMPLING_CREATE_MESSAGE,
            Self::Elicit(_) => n::ELICITATION_CREATE,
            Self::ListRoots(_) => n::ROOTS_LIST,
        }
    }

    /// The method name and the serialized params, for sending.
    pub fn into_parts(self) -> serde_json::Result<(&'static str, Box<RawValue>)> {
        let method = self.method();
        let params = match &self {
            Self::Ping(p) | Self::ListRoots(p) => raw(p),
            Self::CreateMessage(p) => raw(p),
            Self::Elicit(p) => raw(p),
        }?;
        Ok((method, params))
    }

    /// A JSON-RPC request ready to send.
    pub fn into_request(self, id: RequestId) -> serde_json::Result<Request> {
        let (method, params) = self.into_parts()?;
        Ok(Request {
            jsonrpc: JsonRpcVersion,
            id,
            method: method.to_owned(),
            params: Some(params),
        })
    }
}

impl ForRevision for ServerRequest {
    fn adapt(&mut self, v: ProtocolVersion) {
        match self {
            Self::Ping(p) | Self::ListRoots(p) => p.adapt(v),
            Self::CreateMessage(p) => p.adapt(v),
            Self::Elicit(p) => p.adapt(v),
        }
    }
}

/// A notification from server to client.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerNotification {
    /// `notifications/cancelled`.
    Cancelled(CancelledParams),
    /// `notifications/progress`.
    Progress(ProgressParams),
    /// `notifications/message`.
    LoggingMessage(LoggingMessageParams),
    /// `notifications/resources/updated`.
    ResourceUpdated(ResourceUpdatedParams),
    /// `notifications/resources/list_changed`.
    ResourceListChanged(NotificationParams),
    /// `notifications/tools/list_changed`.
    ToolListChanged(NotificationParams),
    /// `notifications/prompts/list_changed`.
    PromptListChanged(NotificationParams),
    /// `notifications/elicitation/complete` (2025-11-25).
    ElicitationComplete(ElicitationCompleteParams),
    /// `notifications/subscriptions/acknowledged` (2026-07-28).
    SubscriptionsAcknowledged(SubscriptionsAcknowledgedParams),
}

impl ServerNotification {
    /// Reads a notification (same error rules as [`ClientRequest::parse`]).
    pub fn parse(method: &str, params: Option<&RawValue>) -> Result<Self, ErrorObject> {
        use names as n;
        let p = params;
        Ok(match method {
            n::CANCELLED => Self::Cancelled(parse_params(method, p)?),
            n::PROGRESS => Self::Progress(parse_params(method, p)?),
            n::MESSAGE => Self::LoggingMessage(parse_params(method, p)?),
            n::RESOURCES_UPDATED => Self::ResourceUpdated(parse_params(method, p)?),
            n::RESOURCES_LIST_CHANGED => Self::ResourceListChanged(parse_params(method, p)?),
            n::TOOLS_LIST_CHANGED => Self::ToolListChanged(parse_params(method, p)?),
            n::PROMPTS_LIST_CHANGED => Self::PromptListChanged(parse_params(method, p)?),
            n::ELICITATION_COMPLETE => Self::ElicitationComplete(parse_params(method, p)?),
            n::SUBSCRIPTIONS_ACKNOWLEDGED => {
                Self::SubscriptionsAcknowledged(parse_params(method, p)?)
            }
            _ => return Err(ErrorObject::method_not_found(method)),
        })
    }

    /// The method name.
    pub fn method(&self) -> &'static str {
        use names as n;
        match self {
            Self::Cancelled(_) => n::CANCELLED,
            Self::Progress(_) => n::PROGRESS,
            Self::LoggingMessage(_) => n::MESSAGE,
            Self::ResourceUpdated(_) => n::RESOURCES_UPDATED,
            Self::ResourceListChanged(_) => n::RESOURCES_LIST_CHANGED,
            Self::ToolListChanged(_) => n::TOOLS_LIST_CHANGED,
            Self::PromptListChanged(_) => n::PROMPTS_LIST_CHANGED,
            Self::ElicitationComplete(_) => n::ELICITATION_COMPLETE,
            Self::SubscriptionsAcknowledged(_) => n::SUBSCRIPTIONS_ACKNOWLEDGED,
        }
    }

    /// The method name and the serialized params, for sending.
    pub fn into_parts(self) -> serde_json::Result<(&'static str, Box<RawValue>)> {
        let method = self.method();
        let params = match &self {
            Self::Cancelled(p) => raw(p),
            Self::Progress(p) => raw(p),
            Self::LoggingMessage(p) => raw(p),
            Self::ResourceUpdated(p) => raw(p),
            Self::ResourceListChanged(p)
            | Self::ToolListChanged(p)
            | Self::PromptListChanged(p) => raw(p),
            Self::ElicitationComplete(p) => raw(p),
            Self::SubscriptionsAcknowledged(p) => raw(p),
        }?;
        Ok((method, params))
    }

    /// A JSON-RPC notification ready to send.
    pub fn into_notification(self) -> serde_json::Result<Notification> {
        let (method, params) = self.into_parts()?;
        Ok(Notification {
            jsonrpc: JsonRpcVersion,
            method: method.to_owned(),
            params: Some(params),
        })
    }
}

impl ForRevision for ServerNotification {
    fn adapt(&mut self, v: ProtocolVersion) {
        match self {
            Self::Cancelled(p) => p.adapt(v),
            Self::Progress(p) => p.adapt(v),
            Self::LoggingMessage(p) => p.adapt(v),
            Self::ResourceUpdated(p) => p.adapt(v),
            Self::ResourceListChanged(p)
            | Self::ToolListChanged(p)
            | Self::PromptListChanged(p) => p.adapt(v),
            Self::ElicitationComplete(p) => p.adapt(v),
            Self::SubscriptionsAcknowledged(p) => p.adapt(v),
        }
    }
}

/// Any result a server sends, so the engine can adapt and serialize it in one place.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ServerResult {
    /// `{}` (ping, setLevel, subscribe...).
    Empty(EmptyResult),
    /// `initialize`.
    Initialize(InitializeResult),
    /// `server/discover`.
    Discover(DiscoverResult),
    /// `tools/list`.
    ListTools(ListToolsResult),
    /// `tools/call`.
    CallTool(CallToolResult),
    /// `resources/list`.
    ListResources(ListResourcesResult),
    /// `resources/templates/list`.
    ListResourceTemplates(ListResourceTemplatesResult),
    /// `resources/read`.
    ReadResource(ReadResourceResult),
    /// `prompts/list`.
    ListPrompts(ListPromptsResult),
    /// `prompts/get`.
    GetPrompt(GetPromptResult),
    /// `completion/complete`.
    Complete(CompleteResult),
    /// `subscriptions/listen`.
    SubscriptionsListen(SubscriptionsListenResult),
    /// 2026-07-28: more input needed.
    InputRequired(InputRequiredResult),
}

impl ServerResult {
    /// Adapts the result to `v` and serializes it.
    pub fn to_raw(mut self, v: ProtocolVersion) -> serde_json::Result<Box<RawValue>> {
        self.adapt(v);
        raw(&self)
    }
}

impl ForRevision for ServerResult {
    fn adapt(&mut self, v: ProtocolVersion) {
        match self {
            Self::Empty(r) => r.adapt(v),
            Self::Initialize(r) => r.adapt(v),
            Self::Discover(r) => r.adapt(v),
            Self::ListTools(r) => r.adapt(v),
            Self::CallTool(r) => r.adapt(v),
            Self::ListResources(r) => r.adapt(v),
            Self::ListResourceTemplates(r) => r.adapt(v),
            Self::ReadResource(r) => r.adapt(v),
            Self::ListPrompts(r) => r.adapt(v),
            Self::GetPrompt(r) => r.adapt(v),
            Self::Complete(r) => r.adapt(v),
            Self::SubscriptionsListen(r) => r.adapt(v),
            Self::InputRequired(r) => r.adapt(v),
        }
    }
}

/// Any result a client sends back to a server request (legacy revisions).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ClientResult {
    /// `{}` (ping).
    Empty(EmptyResult),
    /// `sampling/createMessage`.
    CreateMessage(CreateMessageResult),
    /// `roots/list`.
    ListRoots(ListRootsResult),
    /// `elicitation/create`.
    Elicit(ElicitResult),
}

impl ClientResult {
    /// Adapts the result to `v` and serializes it.
    pub fn to_raw(mut self, v: ProtocolVersion) -> serde_json::Result<Box<RawValue>> {
        self.adapt(v);
        raw(&self)
    }
}

impl ForRevision for ClientResult {
    fn adapt(&mut self, v: ProtocolVersion) {
        match self {
            Self::Empty(r) => r.adapt(v),
            Self::CreateMessage(r) => r.adapt(v),
            Self::ListRoots(r) => r.adapt(v),
            Self::Elicit(r) => r.adapt(v),
        }
    }
}
