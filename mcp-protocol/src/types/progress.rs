//! Progress and cancellation notifications.

use serde::{Deserialize, Serialize};

use crate::jsonrpc::RequestId;
use crate::meta::{Meta, ProgressToken};
use crate::revision::{ForRevision, adapt_meta};
use crate::version::ProtocolVersion;

/// Params of `notifications/progress`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressParams {
    /// The token from the request's `_meta.progressToken`.
    pub progress_token: ProgressToken,
    /// Progress so far; must increase with each notification.
    pub progress: f64,
    /// The total, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<f64>,
    /// A line for people (2025-03-26+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Notification metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl ProgressParams {
    /// Progress with an optional total.
    pub fn new(token: ProgressToken, progress: f64, total: Option<f64>) -> Self {
        Self {
            progress_token: token,
            progress,
            total,
            message: None,
            meta: None,
        }
    }
}

/// Params of `notifications/cancelled`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelledParams {
    /// The request to stop.
    pub request_id: RequestId,
    /// Why, for logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Notification metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl CancelledParams {
    /// Cancels a request.
    pub fn new(request_id: RequestId, reason: Option<String>) -> Self {
        Self {
            request_id,
            reason,
            meta: None,
        }
    }
}

impl ForRevision for ProgressParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        if v < ProtocolVersion::V2025_03_26 {
            self.message = None;
        }
        adapt_meta(&mut self.meta, v);
    }
}

impl ForRevision for CancelledParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        adapt_meta(&mut self.meta, v);
    }
}
