//! The `_meta` object that params, results and many nested objects may carry.
//!
//! `_meta` is an open map: peers put their own keys in it, and MCP reserves keys whose prefix
//! has `modelcontextprotocol` or `mcp` as its second label. In 2026-07-28 it is also where
//! the protocol version, the client's capabilities and identity travel with each request, so
//! the engine reads it on every call. The map is kept as JSON (unknown keys survive a round
//! trip) and the reserved keys get typed accessors.
//!
//! ```
//! use mcp_protocol::Meta;
//! use mcp_protocol::meta::keys;
//! use mcp_protocol::types::ClientCapabilities;
//!
//! let mut meta = Meta::new();
//! meta.set_protocol_version("2026-07-28");
//! meta.set_client_capabilities(&ClientCapabilities::default());
//! meta.set_progress_token(1);
//! assert_eq!(meta.protocol_version(), Some("2026-07-28"));
//! assert!(meta.get(keys::CLIENT_CAPABILITIES).is_some());
//!
//! // Legacy peers never see the 2026 keys.
//! meta.remove_modern_keys();
//! assert_eq!(meta.0.len(), 1);
//! ```

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::jsonrpc::{ErrorObject, RequestId};
use crate::types::{ClientCapabilities, Implementation, LoggingLevel};

/// The reserved `_meta` keys, spelled as on the wire.
pub mod keys {
    /// Asks for progress notifications tagged with this token (every revision).
    pub const PROGRESS_TOKEN: &str = "progressToken";
    /// 2026-07-28 requests: the revision the request is written in (required).
    pub const PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
    /// 2026-07-28 requests: what the client can do (required).
    pub const CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";
    /// 2026-07-28 requests: who the client is.
    pub const CLIENT_INFO: &str = "io.modelcontextprotocol/clientInfo";
    /// 2026-07-28 requests: the least severe log level the client wants for this request.
    pub const LOG_LEVEL: &str = "io.modelcontextprotocol/logLevel";
    /// 2026-07-28 results: who the server is.
    pub const SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";
    /// 2026-07-28: ties a notification to the `subscriptions/listen` stream it belongs to.
    pub const SUBSCRIPTION_ID: &str = "io.modelcontextprotocol/subscriptionId";
    /// 2025-11-25 (experimental tasks): the task a message belongs to.
    pub const RELATED_TASK: &str = "io.modelcontextprotocol/related-task";
    /// OpenTelemetry trace context (W3C `traceparent`).
    pub const TRACEPARENT: &str = "traceparent";
    /// OpenTelemetry trace context (W3C `tracestate`).
    pub const TRACESTATE: &str = "tracestate";
    /// OpenTelemetry baggage.
    pub const BAGGAGE: &str = "baggage";

    /// The reserved keys that only exist in the 2026-07-28 revision; they are removed when
    /// writing for a legacy peer.
    pub const MODERN_ONLY: [&str; 6] = [
        PROTOCOL_VERSION,
        CLIENT_CAPABILITIES,
        CLIENT_INFO,
        LOG_LEVEL,
        SERVER_INFO,
        SUBSCRIPTION_ID,
    ];
}

/// A progress token: the spec allows a string or an integer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ProgressToken {
    /// An integer token.
    Number(i64),
    /// A string token.
    String(String),
}

impl From<i64> for ProgressToken {
    fn from(n: i64) -> Self {
        Self::Number(n)
    }
}

impl From<&str> for ProgressToken {
    fn from(s: &str) -> Self {
        Self::String(s.to_owned())
    }
}

impl From<String> for ProgressToken {
    fn from(s: String) -> Self {
        Self::String(s)
    }
}

/// The `_meta` map, with typed access to the keys MCP reserves.
///
/// Getters of structured keys return `Err` (a ready -32602 error naming the key) when the key
/// is present but malformed, and `Ok(None)` when it is absent, so the engine can use `?`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Meta(pub Map<String, Value>);

impl Meta {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// True when the map has no keys (an empty `_meta` is not worth sending).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A raw value.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Sets a raw value, replacing any previous one.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.0.insert(key.into(), value)
    }

    /// Removes a key.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.0.remove(key)
    }

    /// Reads a key as a typed value; a present but malformed value is a -32602 error.
    pub fn get_typed<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, ErrorObject> {
        match self.0.get(key) {
            None => Ok(None),
            Some(v) => T::deserialize(v)
                .map(Some)
                .map_err(|e| ErrorObject::invalid_params(format!("invalid _meta.{key}: {e}"))),
        }
    }

    /// Writes a typed value under a key. Values that cannot be JSON (never the case for the
    /// types of this crate) are skipped.
    pub fn set_typed<T: Serialize>(&mut self, key: &str, value: &T) {
        if let Ok(v) = serde_json::to_value(value) {
            self.0.insert(key.to_owned(), v);
        }
    }

    /// The progress token the sender asked progress notifications to carry.
    pub fn progress_token(&self) -> Option<ProgressToken> {
        self.get_typed(keys::PROGRESS_TOKEN).ok().flatten()
    }

    /// Asks for progress notifications.
    pub fn set_progress_token(&mut self, token: impl Into<ProgressToken>) {
        self.set_typed(keys::PROGRESS_TOKEN, &token.into());
    }

    /// The revision string a 2026-07-28 request says it is written in (not parsed, so an
    /// unknown revision can be reported back as such).
    pub fn protocol_version(&self) -> Option<&str> {
        self.0.get(keys::PROTOCOL_VERSION).and_then(Value::as_str)
    }

    /// Sets the revision of a 2026-07-28 request.
    pub fn set_protocol_version(&mut self, version: &str) {
        self.0.insert(
            keys::PROTOCOL_VERSION.to_owned(),
            Value::String(version.to_owned()),
        );
    }

    /// The client capabilities a 2026-07-28 request carries.
    pub fn client_capabilities(&self) -> Result<Option<ClientCapabilities>, ErrorObject> {
        self.get_typed(keys::CLIENT_CAPABILITIES)
    }

    /// Sets the client capabilities of a 2026-07-28 request.
    pub fn set_client_capabilities(&mut self, caps: &ClientCapabilities) {
        self.set_typed(keys::CLIENT_CAPABILITIES, caps);
    }

    /// The client identity a 2026-07-28 request carries.
    pub fn client_info(&self) -> Result<Option<Implementation>, ErrorObject> {
        self.get_typed(keys::CLIENT_INFO)
    }

    /// Sets the client identity of a 2026-07-28 request.
    pub fn set_client_info(&mut self, info: &Implementation) {
        self.set_typed(keys::CLIENT_INFO, info);
    }

    /// The log level a 2026-07-28 request asks for (no key: no log notifications at all).
    pub fn log_level(&self) -> Result<Option<LoggingLevel>, ErrorObject> {
        self.get_typed(keys::LOG_LEVEL)
    }

    /// Sets the log level of a 2026-07-28 request.
    pub fn set_log_level(&mut self, level: LoggingLevel) {
        self.set_typed(keys::LOG_LEVEL, &level);
    }

    /// The server identity a 2026-07-28 result carries.
    pub fn server_info(&self) -> Result<Option<Implementation>, ErrorObject> {
        self.get_typed(keys::SERVER_INFO)
    }

    /// Sets the server identity of a 2026-07-28 result.
    pub fn set_server_info(&mut self, info: &Implementation) {
        self.set_typed(keys::SERVER_INFO, info);
    }

    /// The `subscriptions/listen` stream a notification belongs to.
    pub fn subscription_id(&self) -> Result<Option<RequestId>, ErrorObject> {
        self.get_typed(keys::SUBSCRIPTION_ID)
    }

    /// Tags a notification with its `subscriptions/listen` stream.
    pub fn set_subscription_id(&mut self, id: &RequestId) {
        self.set_typed(keys::SUBSCRIPTION_ID, id);
    }

    /// Removes the keys that only exist in 2026-07-28 (for a legacy peer).
    pub fn remove_modern_keys(&mut self) {
        for key in keys::MODERN_ONLY {
            self.0.remove(key);
        }
    }

    /// Removes a key and reads it as a typed value, taking its parts rather than copying
    /// them; a present but malformed value is a -32602 error.
    pub(crate) fn take_typed<T: DeserializeOwned>(
        &mut self,
        key: &str,
    ) -> Result<Option<T>, ErrorObject> {
        match self.0.remove(key) {
            None => Ok(None),
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|e| ErrorObject::invalid_params(format!("invalid _meta.{key}: {e}"))),
        }
    }
}

impl From<Map<String, Value>> for Meta {
    fn from(map: Map<String, Value>) -> Self {
        Self(map)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_keys_round_trip() {
        let mut meta = Meta::new();
        meta.set_progress_token(7);
        meta.set_protocol_version("2026-07-28");
        meta.set_log_level(LoggingLevel::Warning);
        meta.set_subscription_id(&RequestId::from("s1"));
        assert_eq!(meta.progress_token(), Some(ProgressToken::Number(7)));
        assert_eq!(meta.protocol_version(), Some("2026-07-28"));
        assert_eq!(meta.log_level().unwrap(), Some(LoggingLevel::Warning));
        assert_eq!(meta.subscription_id().unwrap(), Some(RequestId::from("s1")));
        meta.remove_modern_keys();
        assert_eq!(
            serde_json::to_value(&meta).unwrap(),
            json!({"progressToken": 7})
        );
    }

    #[test]
    fn malformed_key_names_the_key() {
        let meta: Meta = serde_json::from_value(json!({keys::LOG_LEVEL: "loud"})).unwrap();
        let err = meta.log_level().unwrap_err();
        assert!(err.message.contains(keys::LOG_LEVEL), "{}", err.message);
    }
}
