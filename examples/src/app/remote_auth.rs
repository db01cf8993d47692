//! Who is calling the HTTP server: the caller's Coder token, checked against the deployment.
//!
//! The token is looked for where Coder's own MCP endpoint looks (the `Authorization: Bearer`
//! header, then `Coder-Session-Token`, then, only when enabled, the query parameters), and is
//! checked with `GET /api/v2/users/me`. Answers are cached briefly under a hash of the token
//! (never the token itself), so a burst of calls costs one check.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use coder_sdk::Client;
use coder_toolsdk::Toolset;
use http::request::Parts;
use mcp_transport_http::{AuthRejection, Authenticator, Principal, bearer_token};
use sha2::{Digest, Sha256};

/// How long a successful check is reused.
const CACHE_TTL: Duration = Duration::from_secs(30);
/// Entries kept at most; beyond this, expired ones are dropped, then all.
const CACHE_MAX: usize = 4096;

/// The caller's Coder token, carried in the principal so the tools act as the caller.
#[derive(Clone)]
pub struct CallerToken(pub String);

impl fmt::Debug for CallerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CallerToken(<redacted>)")
    }
}

impl CallerToken {
    /// A stable key for caches: the SHA-256 of the token.
    pub fn digest(&self) -> [u8; 32] {
        Sha256::digest(self.0.as_bytes()).into()
    }
}

/// The toolset the caller asked for with `?toolset=`.
pub fn requested_toolset(parts: &Parts) -> Result<Toolset, String> {
    let value = query_param(parts, "toolset").unwrap_or_default();
    match value.as_str() {
        "" | "standard" => Ok(Toolset::Standard),
        "chatgpt" => Ok(Toolset::Chatgpt),
        other => Err(format!("Invalid toolset: {other}")),
    }
}

fn query_param(parts: &Parts, name: &str) -> Option<String> {
    url::form_urlencoded::parse(parts.uri.query()?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Checks callers' tokens against a Coder deployment.
#[derive(Clone)]
pub struct CoderTokenAuth {
    inner: Arc<Inner>,
}

struct Inner {
    deployment: String,
    http: reqwest::Client,
    allow_query: bool,
    /// In demo mode: the one token accepted, and the simulator's token used in its place.
    demo: Option<(String, String)>,
    cache: Mutex<HashMap<[u8; 32], (String, Instant)>>,
}

impl fmt::Debug for CoderTokenAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CoderTokenAuth")
            .field("deployment", &self.inner.deployment)
            .field("allow_query", &self.inner.allow_query)
            .finish_non_exhaustive()
    }
}

impl CoderTokenAuth {
    /// Accepts tokens that `deployment` accepts.
    pub fn new(deployment: &str, http: reqwest::Client, allow_query: bool) -> Self {
        Self::build(deployment, http, allow_query, None)
    }

    /// Demo mode: accepts only `accepted`, and lets the tools act with `upstream` (the
    /// simulated deployment's own token).
    pub fn demo(
        deployment: &str,
        http: reqwest::Client,
        accepted: String,
        upstream: String,
    ) -> Self {
        Self::build(deployment, http, false, Some((accepted, upstream)))
    }

    fn build(
        deployment: &str,
        http: reqwest::Client,
        allow_query: bool,
        demo: Option<(String, String)>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                deployment: deployment.trim_end_matches('/').to_owned(),
                http,
                allow_query,
                demo,
                cache: Mutex::new(HashMap::new()),
            }),
        }
    }

    fn token_from(&self, parts: &Parts) -> Option<String> {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        bearer_token(parts)
            .map(str::to_owned)
            .or_else(|| header("coder-session-token"))
            .or_else(|| {
                self.inner.allow_query.then(|| {
                    query_param(parts, "coder_session_token")
                        .or_else(|| query_param(parts, "access_token"))
                })?
            })
    }

    /// The username behind `token`, from the cache or the deployment.
    async fn check(&self, token: &CallerToken) -> Result<String, AuthRejection> {
        let key = token.digest();
        {
            let cache = self
                .inner
                .cache
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if let Some((user, at)) = cache.get(&key)
                && at.elapsed() < CACHE_TTL
            {
                return Ok(user.clone());
            }
        }
        let client = Client::builder()
            .url(&self.inner.deployment)
            .and_then(|b| {
                b.token(token.0.clone())
                    .http_client(self.inner.http.clone())
                    .build()
            })
            .map_err(|e| {
                tracing::error!("cannot build a Coder client: {e}");
                AuthRejection::Unauthorized
            })?;
        let user = client.me().await.map_err(|e| {
            if e.is_unauthorized() {
                tracing::info!("rejected a token the deployment does not accept");
            } else {
                tracing::warn!("could not check a token with the deployment: {e}");
            }
            AuthRejection::Unauthorized
        })?;
        let mut cache = self
            .inner
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= CACHE_MAX {
            cache.retain(|_, (_, at)| at.elapsed() < CACHE_TTL);
            if cache.len() >= CACHE_MAX {
                cache.clear();
            }
        }
        cache.insert(key, (user.username.clone(), Instant::now()));
        Ok(user.username)
    }
}

#[async_trait]
impl Authenticator for CoderTokenAuth {
    async fn authenticate(&self, parts: &Parts) -> Result<Principal, AuthRejection> {
        let given = self.token_from(parts).ok_or(AuthRejection::Unauthorized)?;
        let token = match &self.inner.demo {
            Some((accepted, upstream)) => {
                if !constant_time_eq(given.as_bytes(), accepted.as_bytes()) {
                    return Err(AuthRejection::Unauthorized);
                }
                CallerToken(upstream.clone())
            }
            None => CallerToken(given),
        };
        let user = self.check(&token).await?;
        let toolset = requested_toolset(parts).unwrap_or_default();
        Ok(Principal::new(user).with(token).with(toolset))
    }
}

/// Compares secrets without leaking where they first differ through timing.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
