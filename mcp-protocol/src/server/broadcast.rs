//! Delivery of notifications that belong to no request: list changes and resource updates,
//! to legacy connections (their unsolicited channel) and to 2026-07-28
//! `subscriptions/listen` streams.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Weak};

use serde_json::{Map, Value, json};
use tokio::sync::mpsc;

use super::connection::Inner;
use super::lock;
use crate::jsonrpc::{Message, Notification, RequestId};
use crate::meta::keys;
use crate::method::names;

/// Which list changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Topic {
    Tools,
    Prompts,
    Resources,
}

impl Topic {
    fn method(self) -> &'static str {
        match self {
            Self::Tools => names::TOOLS_LIST_CHANGED,
            Self::Prompts => names::PROMPTS_LIST_CHANGED,
            Self::Resources => names::RESOURCES_LIST_CHANGED,
        }
    }
}

/// What a `subscriptions/listen` stream opted into.
#[derive(Debug, Clone, Default)]
pub(crate) struct Filter {
    pub(crate) tools: bool,
    pub(crate) prompts: bool,
    pub(crate) resources: bool,
    pub(crate) resource_uris: Vec<String>,
}

impl Filter {
    pub(crate) fn from_value(v: &Value) -> Self {
        let flag = |k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
        Self {
            tools: flag("toolsListChanged"),
            prompts: flag("promptsListChanged"),
            resources: flag("resourcesListChanged"),
            resource_uris: v
                .get("resourceSubscriptions")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|u| u.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    fn wants(&self, topic: Topic) -> bool {
        match topic {
            Topic::Tools => self.tools,
            Topic::Prompts => self.prompts,
            Topic::Resources => self.resources,
        }
    }
}

struct Listener {
    subscription_id: RequestId,
    filter: Filter,
    sink: mpsc::UnboundedSender<Message>,
}

/// The registry of live connections and listen streams.
#[derive(Default)]
pub(crate) struct Hub {
    connections: Mutex<Vec<Weak<Inner>>>,
    listeners: Mutex<HashMap<u64, Listener>>,
    next: AtomicU64,
}

/// Unregisters a listen stream when dropped.
pub(crate) struct ListenGuard<'a> {
    hub: &'a Hub,
    key: u64,
}

impl Drop for ListenGuard<'_> {
    fn drop(&mut self) {
        lock(&self.hub.listeners).remove(&self.key);
    }
}

fn notification(method: &str, params: &Map<String, Value>) -> Option<Message> {
    let n = if params.is_empty() {
        Notification {
            jsonrpc: crate::jsonrpc::JsonRpcVersion,
            method: method.to_owned(),
            params: None,
        }
    } else {
        Notification::new(method, params).ok()?
    };
    Some(Message::Notification(n))
}

fn tagged(id: &RequestId) -> Map<String, Value> {
    let mut meta = Map::new();
    meta.insert(keys::SUBSCRIPTION_ID.into(), json!(id));
    let mut params = Map::new();
    params.insert("_meta".into(), Value::Object(meta));
    params
}

impl Hub {
    pub(crate) fn add_connection(&self, conn: Weak<Inner>) {
        let mut conns = lock(&self.connections);
        conns.retain(|c| c.strong_count() > 0);
        conns.push(conn);
    }

    pub(crate) fn listen(
        &self,
        subscription_id: RequestId,
        filter: Filter,
        sink: mpsc::UnboundedSender<Message>,
    ) -> ListenGuard<'_> {
        let key = self.next.fetch_add(1, Ordering::Relaxed);
        lock(&self.listeners).insert(
            key,
            Listener {
                subscription_id,
                filter,
                sink,
            },
        );
        ListenGuard { hub: self, key }
    }

    fn live_connections(&self) -> Vec<std::sync::Arc<Inner>> {
        let mut conns = lock(&self.connections);
        conns.retain(|c| c.strong_count() > 0);
        conns.iter().filter_map(Weak::upgrade).collect()
    }

    pub(crate) fn list_changed(&self, topic: Topic) {
        for conn in self.live_connections() {
            if conn.is_initialized()
                && let Some(m) = notification(topic.method(), &Map::new())
            {
                conn.send_unsolicited(m);
            }
        }
        for l in lock(&self.listeners).values() {
            if l.filter.wants(topic)
                && let Some(m) = notification(topic.method(), &tagged(&l.subscription_id))
            {
                let _ = l.sink.send(m);
            }
        }
    }

    pub(crate) fn resource_updated(&self, uri: &str) {
        for conn in self.live_connections() {
            if conn.is_subscribed(uri) {
                let mut params = Map::new();
                params.insert("uri".into(), json!(uri));
                if let Some(m) = notification(names::RESOURCES_UPDATED, &params) {
                    conn.send_unsolicited(m);
                }
            }
        }
        for l in lock(&self.listeners).values() {
            if l.filter.resource_uris.iter().any(|u| u == uri) {
                let mut params = tagged(&l.subscription_id);
                params.insert("uri".into(), json!(uri));
                if let Some(m) = notification(names::RESOURCES_UPDATED, &params) {
                    let _ = l.sink.send(m);
                }
            }
        }
    }
}
