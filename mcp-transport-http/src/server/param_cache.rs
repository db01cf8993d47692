//! The `x-mcp-header` declarations of tools, remembered between 2026-07-28 requests.
//!
//! Checking `Mcp-Param-*` headers needs the called tool's input schema. Asking the engine
//! for `tools/list` on every `tools/call` doubled the work of a stateless call (and grows
//! with the size of the registry), so declarations are kept by principal and tool name
//! (a server may list different tools to different callers) and forgotten as soon as the
//! server announces `notifications/tools/list_changed`. The announcement reaches an
//! internal legacy connection that exists only to hear it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use mcp_protocol::context::TransportContext;
use mcp_protocol::jsonrpc::{Notification, Request};
use mcp_protocol::server::{Connection, Server};
use mcp_protocol::{Message, RequestId};
use serde_json::json;
use tokio::sync::OnceCell;
use tokio::sync::mpsc::UnboundedReceiver;

use crate::headers::ParamHeader;

/// More entries than real registries and callers need: past it the cache starts over.
const MAX_TOOLS: usize = 4096;

const TOOLS_LIST_CHANGED: &str = "notifications/tools/list_changed";

/// Declarations by principal and tool name, valid until the next tool-list change.
#[derive(Default)]
pub(crate) struct ParamHeaderCache {
    watch: OnceCell<Option<Watch>>,
    tools: Mutex<Tools>,
}

type ByName = HashMap<String, Arc<[ParamHeader]>>;

/// The declarations each caller was shown: two maps, so a lookup builds no key.
#[derive(Default)]
struct Tools {
    anonymous: ByName,
    by_principal: HashMap<String, ByName>,
    len: usize,
}

impl Tools {
    fn get(&self, principal: Option<&str>, tool: &str) -> Option<Arc<[ParamHeader]>> {
        match principal {
            None => self.anonymous.get(tool),
            Some(p) => self.by_principal.get(p)?.get(tool),
        }
        .cloned()
    }

    fn insert(&mut self, principal: Option<&str>, tool: &str, declared: Arc<[ParamHeader]>) {
        if self.len >= MAX_TOOLS {
            self.clear();
        }
        let names = match principal {
            None => &mut self.anonymous,
            Some(p) => self.by_principal.entry(p.to_owned()).or_default(),
        };
        if names.insert(tool.to_owned(), declared).is_none() {
            self.len += 1;
        }
    }

    fn clear(&mut self) {
        *self = Self::default();
    }
}

/// The internal connection and the receiver of its unsolicited messages.
struct Watch {
    _connection: Connection,
    changes: Mutex<UnboundedReceiver<Message>>,
}

impl ParamHeaderCache {
    /// The declarations of `tool`, as `principal` was shown it, if they are known and
    /// still valid. `None` also when the cache cannot hear list changes (then nothing is
    /// ever cached).
    pub(crate) async fn get(
        &self,
        server: &Server,
        principal: Option<&str>,
        tool: &str,
    ) -> Option<Arc<[ParamHeader]>> {
        let watch = self.watch(server).await?;
        let mut tools = self.tools.lock().unwrap_or_else(PoisonError::into_inner);
        if watch.changed() {
            tools.clear();
        }
        tools.get(principal, tool)
    }

    /// Remembers the declarations of a tool found in the `tools/list` `principal` gets.
    pub(crate) async fn put(
        &self,
        server: &Server,
        principal: Option<&str>,
        tool: &str,
        declared: Arc<[ParamHeader]>,
    ) {
        let Some(watch) = self.watch(server).await else {
            return;
        };
        let mut tools = self.tools.lock().unwrap_or_else(PoisonError::into_inner);
        // A change announced while the list was being read makes this entry stale too.
        if watch.changed() {
            tools.clear();
            return;
        }
        tools.insert(principal, tool, declared);
    }

    async fn watch(&self, server: &Server) -> Option<&Watch> {
        self.watch
            .get_or_init(|| Watch::start(server))
            .await
            .as_ref()
    }
}

impl Watch {
    /// Opens the internal connection with a legacy handshake: only initialized
    /// connections are told about list changes.
    async fn start(server: &Server) -> Option<Self> {
        let connection = server.connect();
        let changes = connection.unsolicited()?;
        let params = json!({
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "mcp-transport-http (tool-list watch)", "version": env!("CARGO_PKG_VERSION")},
        });
        let init = Request::new(RequestId::from("tool-list-watch"), "initialize", &params).ok()?;
        match connection
            .handle(init.into(), TransportContext::new())
            .await
        {
            Some(Message::Response(_)) => {}
            _ => return None,
        }
        let done = Notification::new("notifications/initialized", &json!({})).ok()?;
        connection
            .handle(Message::Notification(done), TransportContext::new())
            .await;
        connection.protocol_version()?;
        Some(Self {
            _connection: connection,
            changes: Mutex::new(changes),
        })
    }

    /// True when the tool list changed since the last call.
    fn changed(&self) -> bool {
        let mut rx = self.changes.lock().unwrap_or_else(PoisonError::into_inner);
        let mut changed = false;
        while let Ok(m) = rx.try_recv() {
            if matches!(&m, Message::Notification(n) if n.method == TOOLS_LIST_CHANGED) {
                changed = true;
            }
        }
        changed
    }
}
