//! Server configuration: security limits, session policy and response style.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Authenticator, ProtectedResourceMetadata};

/// Which `Host` or `Origin` values the server accepts.
///
/// DNS rebinding lets a web page talk to a server on the user's machine through a name the
/// attacker controls; checking the name the browser used stops that. The default accepts
/// only loopback names, which is right for a server bound to 127.0.0.1.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HostPolicy {
    /// Only these host names (any port). Compared case-insensitively; IPv6 literals are
    /// written with brackets, as in `[::1]`.
    Allow(Vec<String>),
    /// Any value: for deployments behind a proxy that already checks the name.
    Any,
}

impl HostPolicy {
    /// The loopback names `localhost`, `127.0.0.1` and `[::1]`.
    pub fn loopback() -> Self {
        Self::Allow(vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            "[::1]".to_owned(),
        ])
    }

    /// True when `host` (a bare host name, without port) is accepted.
    pub fn allows(&self, host: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Allow(list) => list.iter().any(|h| h.eq_ignore_ascii_case(host)),
        }
    }
}

impl Default for HostPolicy {
    fn default() -> Self {
        Self::loopback()
    }
}

/// How answers to requests are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ResponseMode {
    /// A plain JSON body when the request produces nothing but its response, an SSE stream
    /// as soon as it produces a related message (progress, log, server-to-client request).
    /// Cheapest for clients and proxies while never delaying a notification.
    #[default]
    Auto,
    /// Always an SSE stream (with a priming event, so a dropped stream can be resumed).
    Sse,
    /// Always a JSON body; related messages of legacy requests then go to the session's GET
    /// stream, and under 2026-07-28 they are dropped.
    Json,
}

/// Configuration of the Streamable HTTP [`router`](crate::router).
///
/// The defaults are safe for a local server: loopback names only, 4 MiB bodies, at most
/// 1024 sessions (a quarter of them per authenticated principal) that expire after 30
/// idle minutes, no authentication.
#[derive(Clone)]
pub struct HttpConfig {
    pub(crate) hosts: HostPolicy,
    pub(crate) origins: HostPolicy,
    pub(crate) max_body_bytes: usize,
    pub(crate) body_timeout: Duration,
    pub(crate) session_idle_timeout: Duration,
    pub(crate) max_sessions: usize,
    pub(crate) max_sessions_per_principal: Option<usize>,
    pub(crate) stateless: bool,
    pub(crate) get_stream: bool,
    pub(crate) response_mode: ResponseMode,
    pub(crate) sse_retry: Duration,
    pub(crate) sse_keep_alive: Option<Duration>,
    pub(crate) replay_events: usize,
    pub(crate) authenticator: Option<Arc<dyn Authenticator>>,
    pub(crate) resource_metadata: Option<ProtectedResourceMetadata>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            hosts: HostPolicy::loopback(),
            origins: HostPolicy::loopback(),
            max_body_bytes: 4 * 1024 * 1024,
            body_timeout: Duration::from_secs(30),
            session_idle_timeout: Duration::from_secs(30 * 60),
            max_sessions: 1024,
            max_sessions_per_principal: None,
            stateless: false,
            get_stream: true,
            response_mode: ResponseMode::Auto,
            sse_retry: Duration::from_millis(1000),
            sse_keep_alive: Some(Duration::from_secs(15)),
            replay_events: 256,
            authenticator: None,
            resource_metadata: None,
        }
    }
}

impl fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpConfig")
            .field("hosts", &self.hosts)
            .field("origins", &self.origins)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("body_timeout", &self.body_timeout)
            .field("session_idle_timeout", &self.session_idle_timeout)
            .field("max_sessions", &self.max_sessions)
            .field("max_sessions_per_principal", &self.principal_session_cap())
            .field("stateless", &self.stateless)
            .field("get_stream", &self.get_stream)
            .field("response_mode", &self.response_mode)
            .field("sse_retry", &self.sse_retry)
            .field("sse_keep_alive", &self.sse_keep_alive)
            .field("replay_events", &self.replay_events)
            .field("authenticator", &self.authenticator.is_some())
            .field("resource_metadata", &self.resource_metadata)
            .finish()
    }
}

impl HttpConfig {
    /// The safe defaults (see the type's documentation).
    pub fn new() -> Self {
        Self::default()
    }

    /// Which `Host` header values are accepted (default: loopback names).
    #[must_use]
    pub fn allowed_hosts(mut self, policy: HostPolicy) -> Self {
        self.hosts = policy;
        self
    }

    /// Which `Origin` header hosts are accepted when the header is present (default:
    /// loopback names). Requests without `Origin` (non-browser clients) are not affected.
    #[must_use]
    pub fn allowed_origins(mut self, policy: HostPolicy) -> Self {
        self.origins = policy;
        self
    }

    /// Largest accepted request body in bytes (default 4 MiB); larger bodies get 413.
    #[must_use]
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// How long reading a request body may take (default 30 s); slower bodies get 408.
    /// Header read timeouts belong to the connection: see [`serve_with`](crate::serve_with).
    #[must_use]
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// How long a legacy session may stay unused before it is closed (default 30 min).
    #[must_use]
    pub fn session_idle_timeout(mut self, timeout: Duration) -> Self {
        self.session_idle_timeout = timeout;
        self
    }

    /// Most live legacy sessions (default 1024); `initialize` beyond that gets 503.
    #[must_use]
    pub fn max_sessions(mut self, max: usize) -> Self {
        self.max_sessions = max;
        self
    }

    /// Most live legacy sessions of one authenticated principal (default: a quarter of
    /// [`max_sessions`](Self::max_sessions)), so that one token cannot take every session
    /// from the others; `initialize` beyond that gets 429. Without an
    /// [`authenticator`](Self::authenticator) only the overall limit applies.
    #[must_use]
    pub fn max_sessions_per_principal(mut self, max: usize) -> Self {
        self.max_sessions_per_principal = Some(max);
        self
    }

    /// The per-principal session limit in force.
    pub(crate) fn principal_session_cap(&self) -> usize {
        self.max_sessions_per_principal
            .unwrap_or_else(|| self.max_sessions.div_ceil(4))
    }

    /// Serve legacy clients without sessions: no `Mcp-Session-Id`, every POST runs on a
    /// fresh connection, GET and DELETE get 405. For replicas behind a load balancer; the
    /// price is no server-to-client requests outside a request and no resumption.
    #[must_use]
    pub fn stateless(mut self, stateless: bool) -> Self {
        self.stateless = stateless;
        self
    }

    /// Whether legacy clients may open the GET stream (default yes); if not, GET gets 405.
    #[must_use]
    pub fn get_stream(mut self, enabled: bool) -> Self {
        self.get_stream = enabled;
        self
    }

    /// How answers are framed (default [`ResponseMode::Auto`]).
    #[must_use]
    pub fn response_mode(mut self, mode: ResponseMode) -> Self {
        self.response_mode = mode;
        self
    }

    /// The reconnection delay announced (SSE `retry:`) before the server closes a stream
    /// it wants the client to resume (default 1 s).
    #[must_use]
    pub fn sse_retry(mut self, retry: Duration) -> Self {
        self.sse_retry = retry;
        self
    }

    /// Interval of SSE comment lines that keep idle streams alive through proxies
    /// (default 15 s; `None` disables them).
    #[must_use]
    pub fn sse_keep_alive(mut self, interval: Option<Duration>) -> Self {
        self.sse_keep_alive = interval;
        self
    }

    /// How many events of each SSE stream are kept for replay after a reconnect
    /// (default 256). Older events are dropped; the bound caps memory per stream.
    #[must_use]
    pub fn replay_events(mut self, events: usize) -> Self {
        self.replay_events = events.max(1);
        self
    }

    /// Requires every request to authenticate through `authenticator`.
    #[must_use]
    pub fn authenticator(mut self, authenticator: impl Authenticator) -> Self {
        self.authenticator = Some(Arc::new(authenticator));
        self
    }

    /// The RFC 9728 metadata the `WWW-Authenticate` challenges point to; serve it with
    /// [`protected_resource_metadata_router`](crate::protected_resource_metadata_router).
    #[must_use]
    pub fn resource_metadata(mut self, metadata: ProtectedResourceMetadata) -> Self {
        self.resource_metadata = Some(metadata);
        self
    }
}
