//! Lifecycle: who the peers are, what they can do, `initialize` (legacy) and
//! `server/discover` (2026-07-28).

use serde::{Deserialize, Serialize};

use crate::meta::Meta;
use crate::revision::{ForRevision, adapt_cache_hints, adapt_meta, adapt_result_type};
use crate::types::common::{
    CacheScope, Icon, JsonObject, RequestParams, ResultType, adapt_icons, adapt_title,
};
use crate::version::ProtocolVersion;

/// The name and version of a client or server, plus display details.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Implementation {
    /// A programmatic name.
    pub name: String,
    /// The implementation's version.
    pub version: String,
    /// A name for people (2025-06-18+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What it is (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Icons (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icons: Option<Vec<Icon>>,
    /// Its home page (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website_url: Option<String>,
}

impl Implementation {
    /// A name and a version.
    pub fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            version: version.into(),
            ..Self::default()
        }
    }
}

/// What a client can do.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientCapabilities {
    /// Non-standard capabilities, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experimental: Option<std::collections::BTreeMap<String, JsonObject>>,
    /// Extensions the client supports, by id (2026-07-28).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<std::collections::BTreeMap<String, JsonObject>>,
    /// The client can list filesystem roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roots: Option<RootsCapability>,
    /// The client can sample from a model for the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sampling: Option<SamplingCapability>,
    /// The client can ask its user for input (2025-06-18+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elicitation: Option<ElicitationCapability>,
    /// Experimental tasks (2025-11-25 only), kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<JsonObject>,
}

/// The `roots` client capability.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RootsCapability {
    /// The client notifies when its roots change (legacy revisions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_changed: Option<bool>,
}

/// The `sampling` client capability.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SamplingCapability {
    /// The client honours `includeContext` other than `"none"` (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<JsonObject>,
    /// The client accepts `tools` and `toolChoice` (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<JsonObject>,
}

/// The `elicitation` client capability. An empty object means form mode only.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElicitationCapability {
    /// Form mode (2025-11-25+; implied by an empty capability).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<JsonObject>,
    /// URL mode (2025-11-25+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<JsonObject>,
}

impl ElicitationCapability {
    /// True when the client accepts form-mode elicitation.
    pub fn supports_form(&self) -> bool {
        self.form.is_some() || self.url.is_none()
    }

    /// True when the client accepts URL-mode elicitation.
    pub fn supports_url(&self) -> bool {
        self.url.is_some()
    }
}

/// What a server can do.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerCapabilities {
    /// Non-standard capabilities, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experimental: Option<std::collections::BTreeMap<String, JsonObject>>,
    /// Extensions the server supports, by id (2026-07-28).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<std::collections::BTreeMap<String, JsonObject>>,
    /// The server can send log messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logging: Option<JsonObject>,
    /// The server can complete arguments (2025-03-26+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completions: Option<JsonObject>,
    /// The server offers prompts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompts: Option<PromptsCapability>,
    /// The server offers resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourcesCapability>,
    /// The server offers tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<ToolsCapability>,
    /// Experimental tasks (2025-11-25 only), kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<JsonObject>,
}

/// The `prompts` server capability.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PromptsCapability {
    /// The server notifies when its prompt list changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_changed: Option<bool>,
}

/// The `resources` server capability.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourcesCapability {
    /// Clients may subscribe to changes of single resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribe: Option<bool>,
    /// The server notifies when its resource list changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_changed: Option<bool>,
}

/// The `tools` server capability.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolsCapability {
    /// The server notifies when its tool list changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_changed: Option<bool>,
}

/// Params of `initialize` (legacy revisions).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitializeParams {
    /// The newest revision the client speaks; kept as a string because it may be one this
    /// crate does not know (the server then answers with one it does).
    pub protocol_version: String,
    /// What the client can do.
    pub capabilities: ClientCapabilities,
    /// Who the client is.
    pub client_info: Implementation,
    /// Request metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl InitializeParams {
    /// The requested revision, when this crate knows it.
    pub fn version(&self) -> Option<ProtocolVersion> {
        self.protocol_version.parse().ok()
    }
}

/// Result of `initialize` (legacy revisions).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitializeResult {
    /// The revision the server chose.
    pub protocol_version: String,
    /// What the server can do.
    pub capabilities: ServerCapabilities,
    /// Who the server is.
    pub server_info: Implementation,
    /// Hints for the model on how to use this server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// Result metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl InitializeResult {
    /// The chosen revision, when this crate knows it.
    pub fn version(&self) -> Option<ProtocolVersion> {
        self.protocol_version.parse().ok()
    }
}

/// Params of `server/discover` (2026-07-28): only `_meta`.
pub type DiscoverParams = RequestParams;

/// Result of `server/discover` (2026-07-28): revisions, capabilities and instructions. The
/// server's identity travels in `_meta` (`io.modelcontextprotocol/serverInfo`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscoverResult {
    /// Every revision the server speaks, e.g. `["2026-07-28", "2025-11-25"]`.
    pub supported_versions: Vec<String>,
    /// What the server can do.
    pub capabilities: ServerCapabilities,
    /// Hints for the model on how to use this server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
    /// How long the result may be cached, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_ms: Option<u64>,
    /// Who may reuse a cached copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_scope: Option<CacheScope>,
    /// The kind of result (always `complete`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_type: Option<ResultType>,
    /// Result metadata (`io.modelcontextprotocol/serverInfo`).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl ForRevision for Implementation {
    fn adapt(&mut self, v: ProtocolVersion) {
        adapt_title(&mut self.title, v);
        adapt_icons(&mut self.icons, v);
        if v < ProtocolVersion::V2025_11_25 {
            self.description = None;
            self.website_url = None;
        }
    }
}

impl ForRevision for ClientCapabilities {
    fn adapt(&mut self, v: ProtocolVersion) {
        if v < ProtocolVersion::V2025_06_18 {
            self.elicitation = None;
        }
        if v < ProtocolVersion::V2025_11_25 {
            if let Some(e) = &mut self.elicitation {
                e.form = None;
                e.url = None;
            }
            if let Some(s) = &mut self.sampling {
                s.context = None;
                s.tools = None;
            }
        }
        if v != ProtocolVersion::V2025_11_25 {
            self.tasks = None;
        }
        if v < ProtocolVersion::V2026_07_28 {
            self.extensions = None;
        } else if let Some(r) = &mut self.roots {
            r.list_changed = None;
        }
    }
}

impl ForRevision for ServerCapabilities {
    fn adapt(&mut self, v: ProtocolVersion) {
        if v < ProtocolVersion::V2025_03_26 {
            self.completions = None;
        }
        if v != ProtocolVersion::V2025_11_25 {
            self.tasks = None;
        }
        if v < ProtocolVersion::V2026_07_28 {
            self.extensions = None;
        }
    }
}

impl ForRevision for InitializeParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.capabilities.adapt(v);
        self.client_info.adapt(v);
        adapt_meta(&mut self.meta, v);
    }
}

impl ForRevision for InitializeResult {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.capabilities.adapt(v);
        self.server_info.adapt(v);
        adapt_meta(&mut self.meta, v);
    }
}

impl ForRevision for DiscoverResult {
    fn adapt(&mut self, v: ProtocolVersion) {
        self.capabilities.adapt(v);
        adapt_meta(&mut self.meta, v);
        adapt_result_type(&mut self.result_type, v);
        adapt_cache_hints(&mut self.ttl_ms, &mut self.cache_scope, v);
    }
}
