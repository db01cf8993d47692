//! The server engine: dispatches incoming messages to a [`Handler`] for every revision.
//!
//! A transport creates one [`Connection`] per stdio pipe or legacy HTTP session (2026-07-28
//! requests are self-contained, so an HTTP server may use one connection for all of them),
//! calls [`Connection::handle`] for every incoming message, concurrently, and writes what it
//! returns, what arrives on the request's `related` sink, and what arrives on
//! [`Connection::unsolicited`]. Transports that write to a byte stream call
//! [`Connection::respond`] instead: its [`Outgoing`] answer keeps the result typed until
//! [`Outgoing::write_json`] serializes it straight into the transport's buffer.

mod broadcast;
mod connection;
mod dispatch;
mod handler;
mod modern;
mod outgoing;
mod reply;

use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use serde_json::Value;

pub use connection::Connection;
pub use handler::{Handler, resource_not_found};
pub use outgoing::Outgoing;

use crate::revision::ForRevision;
use crate::state::SealingKey;
use crate::types::CacheScope;
use crate::version::ProtocolVersion;

/// Tunables of a [`Server`]; see [`ServerBuilder`].
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Supported revisions, newest first.
    pub(crate) versions: Vec<ProtocolVersion>,
    pub(crate) sealing_key: SealingKey,
    pub(crate) request_timeout: Duration,
    pub(crate) state_ttl: Duration,
    pub(crate) cache_ttl: Duration,
    pub(crate) cache_scope: CacheScope,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            versions: ProtocolVersion::ALL.iter().rev().copied().collect(),
            sealing_key: SealingKey::random(),
            request_timeout: Duration::from_secs(60),
            state_ttl: Duration::from_secs(600),
            cache_ttl: Duration::ZERO,
            cache_scope: CacheScope::Private,
        }
    }
}

impl Options {
    pub(crate) fn supports(&self, v: ProtocolVersion) -> bool {
        self.versions.contains(&v)
    }

    pub(crate) fn newest_legacy(&self) -> Option<ProtocolVersion> {
        self.versions.iter().copied().find(|v| v.is_legacy())
    }

    pub(crate) fn version_strings(&self) -> Vec<String> {
        self.versions
            .iter()
            .map(|v| v.as_str().to_owned())
            .collect()
    }
}

pub(crate) struct Shared {
    pub(crate) handler: Arc<dyn Handler>,
    pub(crate) options: Options,
    pub(crate) hub: broadcast::Hub,
    /// `serverInfo` per protocol revision (see [`Shared::server_info`]).
    server_info: [OnceLock<ServerInfo>; ProtocolVersion::ALL.len()],
}

/// The handler's `serverInfo` for one revision, as a value and as JSON text.
pub(crate) struct ServerInfo {
    /// For results whose `_meta` is a map already.
    pub(crate) value: Value,
    /// For the rest (most results): written after the result's own members, shared
    /// rather than copied into each result.
    pub(crate) json: Arc<str>,
}

impl Shared {
    /// The handler's `serverInfo` for revision `v`. Every 2026-07-28 result carries it, so
    /// it is built once per revision instead of once per result.
    pub(crate) fn server_info(&self, v: ProtocolVersion) -> &ServerInfo {
        self.server_info[v as usize].get_or_init(|| {
            let value =
                serde_json::to_value(self.handler.info().for_revision(v)).unwrap_or(Value::Null);
            let json = value.to_string().into();
            ServerInfo { value, json }
        })
    }
}

/// An MCP server: a handler plus options. Cheap to clone; clones share live connections, so
/// `notify_*` reaches every client.
#[derive(Clone)]
pub struct Server {
    shared: Arc<Shared>,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("options", &self.shared.options)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// A server with default options: every revision, a random sealing key.
    pub fn new(handler: impl Handler) -> Self {
        Self::builder(handler).build()
    }

    /// A builder to set options.
    pub fn builder(handler: impl Handler) -> ServerBuilder {
        ServerBuilder {
            handler: Arc::new(handler),
            options: Options::default(),
        }
    }

    /// A new connection (one stdio pipe, one legacy HTTP session).
    pub fn connect(&self) -> Connection {
        Connection::new(Arc::clone(&self.shared))
    }

    /// The handler, for transports that want its `info()`.
    pub fn handler(&self) -> &Arc<dyn Handler> {
        &self.shared.handler
    }

    /// The revisions this server speaks, newest first.
    pub fn supported_versions(&self) -> &[ProtocolVersion] {
        &self.shared.options.versions
    }

    /// Tells clients the tool list changed (`notifications/tools/list_changed`).
    pub fn notify_tools_list_changed(&self) {
        self.shared.hub.list_changed(broadcast::Topic::Tools);
    }

    /// Tells clients the prompt list changed.
    pub fn notify_prompts_list_changed(&self) {
        self.shared.hub.list_changed(broadcast::Topic::Prompts);
    }

    /// Tells clients the resource list changed.
    pub fn notify_resources_list_changed(&self) {
        self.shared.hub.list_changed(broadcast::Topic::Resources);
    }

    /// Tells the clients subscribed to `uri` that the resource changed.
    pub fn notify_resource_updated(&self, uri: &str) {
        self.shared.hub.resource_updated(uri);
    }
}

/// Options of a [`Server`].
pub struct ServerBuilder {
    handler: Arc<dyn Handler>,
    options: Options,
}

impl fmt::Debug for ServerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerBuilder")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl ServerBuilder {
    /// Restricts the revisions the server accepts (default: all). Order does not matter.
    /// A list without 2026-07-28 makes a legacy-only server; without legacy revisions, a
    /// 2026-only one.
    #[must_use]
    pub fn versions(mut self, versions: impl IntoIterator<Item = ProtocolVersion>) -> Self {
        let mut v: Vec<ProtocolVersion> = versions.into_iter().collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v.dedup();
        if !v.is_empty() {
            self.options.versions = v;
        }
        self
    }

    /// The key that seals 2026-07-28 `requestState` (default: random per process). Give
    /// every instance behind a load balancer the same key.
    #[must_use]
    pub fn sealing_key(mut self, key: SealingKey) -> Self {
        self.options.sealing_key = key;
        self
    }

    /// How long a legacy server-to-client request (elicitation, sampling, roots) may take
    /// (default 60 s).
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.options.request_timeout = timeout;
        self
    }

    /// How long a sealed `requestState` stays valid (default 10 min).
    #[must_use]
    pub fn state_ttl(mut self, ttl: Duration) -> Self {
        self.options.state_ttl = ttl;
        self
    }

    /// The cache hint put on 2026-07-28 list and read results when the handler sets none
    /// (default: `ttlMs` 0, `private`).
    #[must_use]
    pub fn cache_hint(mut self, ttl: Duration, scope: CacheScope) -> Self {
        self.options.cache_ttl = ttl;
        self.options.cache_scope = scope;
        self
    }

    /// The server.
    pub fn build(self) -> Server {
        Server {
            shared: Arc::new(Shared {
                handler: self.handler,
                options: self.options,
                hub: broadcast::Hub::default(),
                server_info: Default::default(),
            }),
        }
    }
}

/// Locks a mutex, ignoring poisoning: our critical sections leave data consistent.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
