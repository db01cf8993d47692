//! Method names, which revision has which, and the typed request/notification enums.

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
