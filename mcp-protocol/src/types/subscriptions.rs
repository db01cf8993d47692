//! `subscriptions/listen` (2026-07-28): one long-lived stream for change notifications.

use serde::{Deserialize, Serialize};

use crate::jsonrpc::RequestId;
use crate::meta::Meta;
use crate::revision::{ForRevision, adapt_meta, adapt_result_type};
use crate::types::common::ResultType;
use crate::version::ProtocolVersion;

/// Which notifications the client wants on the stream.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionFilter {
    /// `notifications/tools/list_changed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools_list_changed: Option<bool>,
    /// `notifications/prompts/list_changed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompts_list_changed: Option<bool>,
    /// `notifications/resources/list_changed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources_list_changed: Option<bool>,
    /// `notifications/resources/updated` for these URIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_subscriptions: Option<Vec<String>>,
}

/// Params of `subscriptions/listen`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SubscriptionsListenParams {
    /// What to listen for.
    pub notifications: SubscriptionFilter,
    /// Request metadata.
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

/// Result of `subscriptions/listen`, sent when the stream ends. Its `_meta` carries the
/// subscription id.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionsListenResult {
    /// The kind of result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_type: Option<ResultType>,
    /// Result metadata (`io.modelcontextprotocol/subscriptionId`, required).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl SubscriptionsListenResult {
    /// The result for a subscription.
    pub fn new(subscription_id: &RequestId) -> Self {
        let mut meta = Meta::new();
        meta.set_subscription_id(subscription_id);
        Self {
            result_type: Some(ResultType::Complete),
            meta: Some(meta),
        }
    }
}

/// Params of `notifications/subscriptions/acknowledged`: the filter the server accepted.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SubscriptionsAcknowledgedParams {
    /// What the server will send.
    pub notifications: SubscriptionFilter,
    /// Notification metadata (the subscription id).
    #[serde(rename = "_meta", default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

impl ForRevision for SubscriptionsListenParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        adapt_meta(&mut self.meta, v);
    }
}

impl ForRevision for SubscriptionsListenResult {
    fn adapt(&mut self, v: ProtocolVersion) {
        adapt_result_type(&mut self.result_type, v);
        if v.is_legacy() {
            adapt_meta(&mut self.meta, v);
        }
    }
}

impl ForRevision for SubscriptionsAcknowledgedParams {
    fn adapt(&mut self, v: ProtocolVersion) {
        adapt_meta(&mut self.meta, v);
    }
}
