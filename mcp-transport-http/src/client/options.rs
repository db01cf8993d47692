//! Options of the HTTP client transport.

use std::fmt;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{Error, Result};

/// How an [`HttpClientTransport`](super::HttpClientTransport) talks to the server.
#[derive(Clone)]
pub struct HttpClientOptions {
    pub(crate) headers: HeaderMap,
    pub(crate) bearer: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_resumptions: u32,
    pub(crate) default_retry: Duration,
    pub(crate) get_stream: bool,
    pub(crate) http: Option<reqwest::Client>,
}

impl Default for HttpClientOptions {
    fn default() -> Self {
        Self {
            headers: HeaderMap::new(),
            bearer: None,
            connect_timeout: Duration::from_secs(10),
            max_resumptions: 5,
            default_retry: Duration::from_millis(1000),
            get_stream: true,
            http: None,
        }
    }
}

impl fmt::Debug for HttpClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values and the token may be credentials: show names only.
        f.debug_struct("HttpClientOptions")
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("bearer", &self.bearer.as_ref().map(|_| "<redacted>"))
            .field("connect_timeout", &self.connect_timeout)
            .field("max_resumptions", &self.max_resumptions)
            .field("default_retry", &self.default_retry)
            .field("get_stream", &self.get_stream)
            .finish_non_exhaustive()
    }
}

impl HttpClientOptions {
    /// The defaults: no credentials, 10 s connect timeout, up to 5 stream resumptions.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends `Authorization: Bearer <token>` with every request. The token never appears
    /// in `Debug` output or errors.
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    /// Adds a header to every request.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self> {
        let name = HeaderName::try_from(name).map_err(|e| Error::InvalidHeader(e.to_string()))?;
        let mut value =
            HeaderValue::try_from(value).map_err(|e| Error::InvalidHeader(e.to_string()))?;
        value.set_sensitive(true);
        self.headers.append(name, value);
        Ok(self)
    }

    /// How long connecting may take. Requests themselves are bounded by the engine's
    /// per-request timeout, since SSE answers may legitimately stream for long.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How many times one answer stream may be resumed after the server closed it.
    #[must_use]
    pub fn max_resumptions(mut self, n: u32) -> Self {
        self.max_resumptions = n;
        self
    }

    /// The delay before resuming when the server sent no `retry:` (default 1 s).
    #[must_use]
    pub fn default_retry(mut self, delay: Duration) -> Self {
        self.default_retry = delay;
        self
    }

    /// Whether to open the legacy GET stream for server-initiated messages (default yes).
    #[must_use]
    pub fn get_stream(mut self, enabled: bool) -> Self {
        self.get_stream = enabled;
        self
    }

    /// Uses a preconfigured reqwest client (proxies, TLS roots, connection pools).
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }
}
