//! The HTTP client: configuration, authentication and the request plumbing every resource
//! module uses.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::Method;
use http::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::discovery::Discovered;
use crate::error::{Error, Result};
use crate::retry::{Outcome, RetryPolicy};

/// The header carrying the session (or agent) token.
pub(crate) const SESSION_TOKEN_HEADER: &str = "coder-session-token";

/// The default `User-Agent`.
pub(crate) const DEFAULT_USER_AGENT: &str = concat!("coder-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// A string that must never be printed.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A typed client for one Coder deployment.
///
/// Cheap to clone: clones share the connection pool. Dropping a future returned by a method
/// cancels its request.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    token: Option<Secret>,
    agent_token: Option<Secret>,
    headers: HeaderMap,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("url", &self.inner.base.as_str())
            .field("token", &self.inner.token.as_ref().map(|_| "[redacted]"))
            .field(
                "agent_token",
                &self.inner.agent_token.as_ref().map(|_| "[redacted]"),
            )
            .field("extra_headers", &self.inner.headers.len())
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// Which credential a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auth {
    /// The user's session token.
    Session,
    /// The workspace agent's token (agent-context endpoints such as app status).
    Agent,
}

/// A request body.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// No body.
    Empty,
    /// Bytes with a content type.
    Raw {
        content_type: &'static str,
        bytes: Bytes,
    },
}

impl Body {
    /// Serializes `value` as JSON.
    pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(value).map_err(|source| Error::Decode {
            path: "<request body>".to_owned(),
            source,
        })?;
        Ok(Self::Raw {
            content_type: "application/json",
            bytes: bytes.into(),
        })
    }
}

impl Client {
    /// A client for the deployment at `url` authenticated with a session token.
    ///
    /// ```no_run
    /// # fn main() -> coder_sdk::Result<()> {
    /// let client = coder_sdk::Client::new("https://coder.example.com", "session-token")?;
    /// # Ok(()) }
    /// ```
    pub fn new(url: impl AsRef<str>, token: impl Into<String>) -> Result<Self> {
        Self::builder().url(url)?.token(token).build()
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured the way the Coder CLI finds its credentials.
    ///
    /// See [`ClientBuilder::discover`] for the lookup order.
    pub fn from_env() -> Result<Self> {
        ClientBuilder::discover()?.build()
    }

    /// The deployment's base URL.
    pub fn url(&self) -> &Url {
        &self.inner.base
    }

    /// Whether a session token is configured.
    pub fn has_token(&self) -> bool {
        self.inner.token.is_some()
    }

    /// Whether an agent token is configured (needed for agent-context calls).
    pub fn has_agent_token(&self) -> bool {
        self.inner.agent_token.is_some()
    }

    /// The underlying HTTP client.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Builds the URL of an API path given as segments (each segment is escaped).
    pub(crate) fn endpoint(&self, segments: &[&str]) -> Result<Url> {
        let mut url = self.inner.base.clone();
        {
            let mut path = url.path_segments_mut().map_err(|()| Error::InvalidUrl {
                message: "the deployment URL cannot have a path".to_owned(),
            })?;
            path.pop_if_empty();
            path.extend(segments);
        }
        Ok(url)
    }

    /// Headers every request carries: extra headers, user agent and the chosen token.
    pub(crate) fn auth_headers(&self, auth: Auth) -> Result<HeaderMap> {
        let mut headers = self.inner.headers.clone();
        let token = match auth {
            Auth::Session => self.inner.token.as_ref(),
            Auth::Agent => Some(self.inner.agent_token.as_ref().ok_or_else(|| {
                Error::config("this call needs an agent token (CODER_AGENT_TOKEN)")
            })?),
        };
        if let Some(token) = token {
            let mut value = HeaderValue::from_str(token.expose()).map_err(|_| {
                Error::config("the token contains characters a header cannot carry")
            })?;
            value.set_sensitive(true);
            headers.insert(HeaderName::from_static(SESSION_TOKEN_HEADER), value);
        }
        Ok(headers)
    }

    /// Sends a request, retrying idempotent ones per the policy, and returns a response with a
    /// success status (any other status becomes [`Error::Api`]).
    pub(crate) async fn send(
        &self,
        method: Method,
        url: Url,
        body: Body,
        auth: Auth,
    ) -> Result<reqwest::Response> {
        let headers = self.auth_headers(auth)?;
        let mut attempt = 0u32;
        loop {
            let mut req = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .headers(headers.clone());
            if let Body::Raw {
                content_type,
                bytes,
            } = &body
            {
                req = req.header(CONTENT_TYPE, *content_type).body(bytes.clone());
            }
            let outcome = match req.send().await {
                Ok(resp) if resp.status().is_success() => return Ok(resp),
                Ok(resp) => {
                    let status = resp.status();
                    if self
                        .inner
                        .retry
                        .should_retry(&method, attempt, Outcome::Status(status))
                    {
                        Outcome::Status(status)
                    } else {
                        return Err(error_from_response(resp).await);
                    }
                }
                Err(err) => {
                    // No answer at all (refused, reset, closed before the response): safe to
                    // repeat for idempotent methods. Timeouts are not repeated.
                    let no_answer = err.is_connect() || (err.is_request() && !err.is_timeout());
                    let outcome = if no_answer {
                        Outcome::ConnectError
                    } else {
                        Outcome::OtherError
                    };
                    if !self.inner.retry.should_retry(&method, attempt, outcome) {
                        return Err(Error::from_reqwest(err));
                    }
                    outcome
                }
            };
            tracing::debug!(%method, path = url.path(), attempt, ?outcome, "retrying Coder request");
            tokio::time::sleep(self.inner.retry.backoff(attempt)).await;
            attempt += 1;
        }
    }

    /// Sends a request and decodes the JSON response.
    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: Body,
        auth: Auth,
    ) -> Result<T> {
        let resp = self.send(method, url, body, auth).await?;
        let bytes = resp.bytes().await.map_err(Error::from_reqwest)?;
        decode(&bytes)
    }

    /// `GET` a JSON document.
    pub(crate) async fn get<T: DeserializeOwned>(&self, url: Url) -> Result<T> {
        self.json(Method::GET, url, Body::Empty, Auth::Session)
            .await
    }

    /// Sends a JSON body and decodes the JSON answer.
    pub(crate) async fn send_json<B, T>(&self, method: Method, url: Url, body: &B) -> Result<T>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        self.json(method, url, Body::json(body)?, Auth::Session)
            .await
    }

    /// Sends a request whose answer has no useful body.
    pub(crate) async fn send_empty(&self, method: Method, url: Url, body: Body) -> Result<()> {
        let resp = self.send(method, url, body, Auth::Session).await?;
        // Drain so the connection can be reused; the content does not matter.
        let _ = resp.bytes().await;
        Ok(())
    }
}

/// Turns a non-success response into [`Error::Api`].
pub(crate) async fn error_from_response(resp: reqwest::Response) -> Error {
    let status = resp.status();
    match resp.bytes().await {
        Ok(body) => Error::from_response_body(status, &body),
        Err(_) => Error::from_response_body(status, b""),
    }
}

/// Decodes JSON, naming the path that failed.
///
/// Documents are decoded without path tracking first: tracking wraps every value's
/// deserializer and costs a few percent of a call against a nearby deployment, and answers
/// almost always decode. Only a failure is decoded again, with tracking, to name the path
/// (the same error the first pass hit, since decoding is deterministic).
pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T> {
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        Error::Decode {
            path,
            source: err.into_inner(),
        }
    })
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    url: Option<Url>,
    token: Option<Secret>,
    agent_token: Option<Secret>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent: Option<String>,
    headers: HeaderMap,
    retry: RetryPolicy,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("url", &self.url.as_ref().map(Url::as_str))
            .field("token", &self.token)
            .field("agent_token", &self.agent_token)
            .field("custom_http_client", &self.http.is_some())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("extra_headers", &self.headers.len())
            .field("retry", &self.retry)
            .finish()
    }
}

impl ClientBuilder {
    /// Settings found the way the Coder CLI finds them, from the real process environment.
    ///
    /// In order: `CODER_URL` and `CODER_SESSION_TOKEN`; otherwise the `url` and `session`
    /// files in `CODER_CONFIG_DIR`, or in `coderv2` under the OS user config directory
    /// (`$XDG_CONFIG_HOME` or `~/.config` on Linux, `~/Library/Application Support` on macOS,
    /// `%APPDATA%` on Windows). Extra headers come from `CODER_HEADER` (comma-separated
    /// `key=value`), an agent token from `CODER_AGENT_TOKEN` or the file named by
    /// `CODER_AGENT_TOKEN_FILE`.
    pub fn discover() -> Result<Self> {
        Self::discover_with(|name| std::env::var(name).ok())
    }

    /// Like [`discover`](Self::discover), reading variables through `lookup` instead of the
    /// process environment (so it can be tested).
    pub fn discover_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let found = Discovered::from_lookup(&lookup)?;
        Self::default().apply(found)
    }

    fn apply(mut self, found: Discovered) -> Result<Self> {
        if let Some(url) = found.url {
            self = self.url(url)?;
        }
        self.token = found.token.map(Secret::new);
        self.agent_token = found.agent_token.map(Secret::new);
        for (name, value) in found.headers {
            self = self.header(&name, &value)?;
        }
        Ok(self)
    }

    /// The deployment URL (for example `https://coder.example.com`).
    pub fn url(mut self, url: impl AsRef<str>) -> Result<Self> {
        let parsed = Url::parse(url.as_ref().trim()).map_err(|e| Error::InvalidUrl {
            message: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
            return Err(Error::InvalidUrl {
                message: format!("expected an http(s) URL, got scheme `{}`", parsed.scheme()),
            });
        }
        self.url = Some(parsed);
        Ok(self)
    }

    /// The session token (sent as `Coder-Session-Token`).
    #[must_use]
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret::new(token));
        self
    }

    /// The workspace agent token, for agent-context calls such as app status reports.
    #[must_use]
    pub fn agent_token(mut self, token: impl Into<String>) -> Self {
        self.agent_token = Some(Secret::new(token));
        self
    }

    /// Uses your own `reqwest::Client` (proxies, TLS roots, timeouts). `timeout`,
    /// `connect_timeout` and `user_agent` are then ignored: configure them on that client.
    #[must_use]
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Total time allowed for one request (not for WebSocket streams).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to open a connection.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Replaces the `User-Agent` (default `coder-sdk-rust/<version>`).
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Adds a header to every request (as `CODER_HEADER` does for the CLI).
    pub fn header(mut self, name: &str, value: &str) -> Result<Self> {
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| Error::config(format!("invalid header name `{}`", name.trim())))?;
        let mut value = HeaderValue::from_str(value)
            .map_err(|_| Error::config(format!("invalid value for header `{name}`")))?;
        value.set_sensitive(true);
        self.headers.append(name, value);
        Ok(self)
    }

    /// How failed idempotent requests are retried.
    #[must_use]
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Builds the client. Fails when no URL was given.
    pub fn build(self) -> Result<Client> {
        let base = self
            .url
            .ok_or_else(|| Error::config("no Coder URL: set CODER_URL or run `coder login`"))?;
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut b = reqwest::Client::builder()
                    .user_agent(self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT));
                if let Some(t) = self.timeout {
                    b = b.timeout(t);
                }
                if let Some(t) = self.connect_timeout {
                    b = b.connect_timeout(t);
                }
                b.build().map_err(Error::from_reqwest)?
            }
        };
        let mut headers = self.headers;
        if let Some(ua) = self
            .user_agent
            .as_ref()
            .filter(|_| !headers.contains_key(USER_AGENT))
        {
            let value =
                HeaderValue::from_str(ua).map_err(|_| Error::config("invalid user agent"))?;
            headers.insert(USER_AGENT, value);
        }
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                token: self.token,
                agent_token: self.agent_token,
                headers,
                retry: self.retry,
            }),
        })
    }
}

/// Appends `key=value` to the URL's query when `value` is set.
pub(crate) fn push_query(url: &mut Url, key: &str, value: Option<impl ToString>) {
    if let Some(value) = value {
        url.query_pairs_mut().append_pair(key, &value.to_string());
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn debug_never_shows_tokens() {
        let client = Client::builder()
            .url("https://coder.example.com")
            .unwrap()
            .token("super-secret-session")
            .agent_token("super-secret-agent")
            .header("X-Custom", "secret-header-value")
            .unwrap()
            .build()
            .unwrap();
        let dbg = format!("{client:?}");
        assert!(!dbg.contains("super-secret"), "{dbg}");
        assert!(!dbg.contains("secret-header-value"), "{dbg}");
        assert!(dbg.contains("coder.example.com"), "{dbg}");
        let builder = Client::builder().token("super-secret-session");
        let dbg = format!("{builder:?}");
        assert!(!dbg.contains("super-secret"), "{dbg}");
    }

    #[test]
    fn endpoint_escapes_segments_and_keeps_base_path() {
        let client = Client::new("https://coder.example.com/prefix/", "t").unwrap();
        let url = client
            .endpoint(&["api", "v2", "users", "a b/c", "workspace", "x"])
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://coder.example.com/prefix/api/v2/users/a%20b%2Fc/workspace/x"
        );
    }

    #[test]
    fn rejects_non_http_urls() {
        assert!(Client::new("ftp://example.com", "t").is_err());
        assert!(Client::new("not a url", "t").is_err());
        assert!(Client::builder().build().is_err());
    }

    #[test]
    fn agent_calls_need_agent_token() {
        let client = Client::new("https://coder.example.com", "t").unwrap();
        assert!(client.auth_headers(Auth::Agent).is_err());
        let h = client.auth_headers(Auth::Session).unwrap();
        assert_eq!(h.get(SESSION_TOKEN_HEADER).unwrap(), "t");
    }

    #[test]
    fn decode_error_names_the_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner2>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner2 {
            id: crate::WorkspaceId,
        }
        let err = decode::<Outer>(
            br#"{"items":[{"id":"6d6e0b8c-8d0e-4c4a-9d3b-1c3f7a0e2b11"},{"id":"nope"}]}"#,
        )
        .unwrap_err();
        match &err {
            Error::Decode { path, .. } => assert_eq!(path, "items[1].id"),
            other => panic!("unexpected {other:?}"),
        }
        assert!(err.is_decode());
        assert!(err.to_string().contains("items[1].id"));
    }
}
