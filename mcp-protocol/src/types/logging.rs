//! Logging: levels, `logging/setLevel` and `notifications/message`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::meta::Meta;
use crate::revision::{ForRevision, adapt_meta};
use crate::version::ProtocolVersion;

/// A log severity (RFC 5424), ordered from least to most severe so that
/// `level >= threshold` decides whether a message is sent.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum LoggingLevel {
    /// Detailed debugging information.
    Debug,
    /// Normal operational messages.
    #[default]
    Info,
    /// Normal but significant events.
    Notice,
    /// Warning conditions.
    Warning,
    /// Error conditions.
    Error,
    /// Critical conditions.
    Critical,
    /// Action must be taken immediately.
    Alert,
    /// The system is unusable.
    Emergency,
}

/// Params of `logging/setLevel` (legacy revisions; 2026-07-28 uses `_meta` instead).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SetLevelParams {
    /// The least severe level the client wants to receive.
    pub level: LoggingLevel,
    /// Request metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// Params of `notifications/message`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LoggingMessageParams {
    /// The severity.
    pub level: LoggingLevel,
    /// The name of the logger that emitted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logger: Option<String>,
    /// The payload: a string or any JSON value.
    pub data: Value,
    /// Notification metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl LoggingMessageParams {
    /// A message with a level and a payload.
    pub fn new(level: LoggingLevel, data: impl Into<Value>) -> Self {
        Self {
            level,
            data: data.into(),
            ..Self::default()
        }
    }
}

impl ForRevision for SetLevelParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        adapt_meta(&mut self.meta, v);
    }
}

impl ForRevision for LoggingMessageParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        adapt_meta(&mut self.meta, v);
    }
}
