//! A small OAuth 2.1 client for the conformance suites' `auth/*` client scenarios.
//!
//! It does what the MCP authorization spec asks of a client: reads the `WWW-Authenticate`
//! challenge, finds the protected resource metadata (RFC 9728) and the authorization
//! server metadata (RFC 8414 / OpenID discovery, checking the issuer), registers (a
//! pre-registered client, a Client ID Metadata Document URL, or dynamic registration),
//! runs the authorization code flow with PKCE S256 and the `resource` parameter
//! (RFC 8707), checks the `iss` of the authorization response (RFC 9207), and
//! authenticates at the token endpoint the way the server supports. The suites' mock
//! authorization server approves at once and redirects, so the "browser" step is one GET
//! whose `Location` carries the code.

use std::collections::BTreeSet;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use url::Url;

use super::error::Error;

/// The client id used where the server accepts Client ID Metadata Documents: the suites'
/// mock accepts this URL without fetching it.
pub const CLIENT_METADATA_URL: &str = "https://conformance-test.local/client-metadata.json";

/// Where the authorization server "redirects the browser"; never contacted.
const REDIRECT_URI: &str = "http://127.0.0.1:3000/callback";

fn fail<T>(why: impl Into<String>) -> Result<T, Error> {
    Err(Error::Auth(why.into()))
}

/// What a `WWW-Authenticate: Bearer ...` challenge said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Challenge {
    /// `resource_metadata`: where the protected resource metadata is.
    pub resource_metadata: Option<String>,
    /// `scope`: what the resource wants.
    pub scope: Option<String>,
}

impl Challenge {
    /// Parses the parameters of a Bearer challenge (`key="value"` or `key=token`).
    pub fn parse(header: &str) -> Self {
        let rest = header
            .trim()
            .strip_prefix("Bearer")
            .or_else(|| header.trim().strip_prefix("bearer"))
            .unwrap_or(header);
        let mut out = Self::default();
        let mut chars = rest.chars().peekable();
        loop {
            while chars.peek().is_some_and(|c| *c == ',' || c.is_whitespace()) {
                chars.next();
            }
            let key: String = chars
                .by_ref()
                .take_while(|c| *c != '=')
                .collect::<String>()
                .trim()
                .to_ascii_lowercase();
            if key.is_empty() {
                break;
            }
            let value = if chars.peek() == Some(&'"') {
                chars.next();
                let mut v = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(n) = chars.next() {
                                v.push(n);
                            }
                        }
                        '"' => break,
                        c => v.push(c),
                    }
                }
                v
            } else {
                chars
                    .by_ref()
                    .take_while(|c| *c != ',')
                    .collect::<String>()
                    .trim()
                    .to_owned()
            };
            match key.as_str() {
                "resource_metadata" => out.resource_metadata = Some(value),
                "scope" => out.scope = Some(value),
                _ => {}
            }
        }
        out
    }
}

/// The client credentials one authorization server gave (or accepted).
#[derive(Debug, Clone)]
struct Registration {
    issuer: String,
    client_id: String,
    client_secret: Option<String>,
    method: String,
}

/// Runs authorizations for one MCP endpoint, remembering the registration and the scopes
/// asked so far (a step-up asks for the union).
pub struct OAuthClient {
    http: reqwest::Client,
    mcp_url: Url,
    context: Value,
    registration: Option<Registration>,
    scopes: BTreeSet<String>,
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("mcp_url", &self.mcp_url.as_str())
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// The URL without a trailing slash or fragment, for comparing resource identifiers.
fn canonical(url: &str) -> String {
    let no_fragment = url.split('#').next().unwrap_or(url);
    no_fragment.trim_end_matches('/').to_owned()
}

/// True when the resource identifier `resource` covers the MCP endpoint `mcp`: the same
/// origin, and a path equal to or a parent of the endpoint's (a server may protect its
/// whole origin with one identifier).
fn covers(resource: &str, mcp: &str) -> bool {
    let resource = canonical(resource);
    mcp == resource
        || mcp
            .strip_prefix(&resource)
            .is_some_and(|rest| rest.starts_with('/'))
}

impl OAuthClient {
    /// A client for the MCP endpoint `mcp_url`; `context` is the scenario's
    /// `MCP_CONFORMANCE_CONTEXT` (pre-registered `client_id`/`client_secret`).
    pub fn new(mcp_url: &str, context: Value) -> Result<Self, Error> {
        let mcp_url = Url::parse(mcp_url).map_err(|e| Error::Auth(format!("bad URL: {e}")))?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self {
            http,
            mcp_url,
            context,
            registration: None,
            scopes: BTreeSet::new(),
        })
    }

    /// Sends `body` to the MCP endpoint (with `token` if any) and returns the challenge
    /// when the server refuses it with 401 or 403.
    pub async fn probe(
        &self,
        body: &Value,
        headers: &[(&str, String)],
        token: Option<&str>,
    ) -> Result<Option<Challenge>, Error> {
        let mut request = self
            .http
            .post(self.mcp_url.clone())
            .header("accept", "application/json, text/event-stream")
            .json(body);
        for (k, v) in headers {
            request = request.header(*k, v);
        }
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let response = request.send().await?;
        let status = response.status();
        if status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN {
            return Ok(None);
        }
        let header = response
            .headers()
            .get(reqwest::header::WWW_AUTHENTICATE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        Ok(Some(Challenge::parse(header)))
    }

    async fn get_json(&self, url: &str) -> Option<Value> {
        let response = self.http.get(url).send().await.ok()?;
        if !response.status().is_success() {
            return None;
        }
        response.json().await.ok()
    }

    /// The protected resource metadata: from the challenge, else the well-known URLs
    /// (path-aware first, then the root).
    async fn resource_metadata(&self, challenge: &Challenge) -> Option<Value> {
        let mut candidates = Vec::new();
        if let Some(url) = &challenge.resource_metadata {
            candidates.push(url.clone());
        }
        let base = origin(&self.mcp_url);
        let path = self.mcp_url.path().trim_end_matches('/');
        if !path.is_empty() {
            candidates.push(format!("{base}/.well-known/oauth-protected-resource{path}"));
        }
        candidates.push(format!("{base}/.well-known/oauth-protected-resource"));
        for url in candidates {
            if let Some(v) = self.get_json(&url).await {
                return Some(v);
            }
        }
        None
    }

    /// The authorization server metadata for `issuer`, whose `issuer` must be exactly it.
    /// `legacy`: a 2025-03-26 server without resource metadata, whose missing metadata
    /// means the default endpoints at its origin.
    async fn server_metadata(&self, issuer: &str, legacy: bool) -> Result<Value, Error> {
        let url = Url::parse(issuer).map_err(|e| Error::Auth(format!("bad issuer: {e}")))?;
        let base = origin(&url);
        let path = url.path().trim_end_matches('/');
        let candidates = if path.is_empty() {
            vec![
                format!("{base}/.well-known/oauth-authorization-server"),
                format!("{base}/.well-known/openid-configuration"),
            ]
        } else {
            vec![
                format!("{base}/.well-known/oauth-authorization-server{path}"),
                format!("{base}/.well-known/openid-configuration{path}"),
                format!("{base}{path}/.well-known/openid-configuration"),
            ]
        };
        for candidate in candidates {
            if let Some(v) = self.get_json(&candidate).await {
                // A 2025-03-26 client finds the metadata from the MCP server's origin and
                // knows no issuer identifier to compare with.
                if !legacy && v.get("issuer").and_then(Value::as_str) != Some(issuer) {
                    return fail(format!(
                        "the metadata at {candidate} names another issuer than {issuer}"
                    ));
                }
                return Ok(v);
            }
        }
        if legacy {
            return Ok(json!({
                "issuer": issuer,
                "authorization_endpoint": format!("{base}/authorize"),
                "token_endpoint": format!("{base}/token"),
                "registration_endpoint": format!("{base}/register"),
            }));
        }
        fail(format!("no authorization server metadata for {issuer}"))
    }

    /// Pre-registered credentials, a metadata-document client id, or a dynamic
    /// registration, in that order of preference; reused while the issuer stays the same.
    async fn register(&mut self, issuer: &str, meta: &Value) -> Result<Registration, Error> {
        if let Some(r) = &self.registration
            && r.issuer == issuer
        {
            return Ok(r.clone());
        }
        let supported: Vec<&str> = meta
            .get("token_endpoint_auth_methods_supported")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_else(|| vec!["client_secret_basic"]);
        let secret_method = if supported.contains(&"client_secret_basic") {
            "client_secret_basic"
        } else if supported.contains(&"client_secret_post") {
            "client_secret_post"
        } else {
            "none"
        };
        let registration = if let Some(id) = self.context.get("client_id").and_then(Value::as_str) {
            let secret = self
                .context
                .get("client_secret")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let method = if secret.is_some() {
                secret_method
            } else {
                "none"
            };
            Registration {
                issuer: issuer.to_owned(),
                client_id: id.to_owned(),
                client_secret: secret,
                method: method.to_owned(),
            }
        } else if meta
            .get("client_id_metadata_document_supported")
            .and_then(Value::as_bool)
            == Some(true)
        {
            Registration {
                issuer: issuer.to_owned(),
                client_id: CLIENT_METADATA_URL.to_owned(),
                client_secret: None,
                method: "none".to_owned(),
            }
        } else if let Some(endpoint) = meta.get("registration_endpoint").and_then(Value::as_str) {
            let wanted = if supported.contains(&"none") {
                "none"
            } else {
                secret_method
            };
            let body = json!({
                "client_name": "coder-mcp conformance client",
                "redirect_uris": [REDIRECT_URI],
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
                "token_endpoint_auth_method": wanted,
                "application_type": "native",
            });
            let response = self.http.post(endpoint).json(&body).send().await?;
            if !response.status().is_success() {
                return fail(format!("registration answered {}", response.status()));
            }
            let info: Value = response.json().await?;
            let Some(client_id) = info.get("client_id").and_then(Value::as_str) else {
                return fail("the registration answer has no client_id");
            };
            let secret = info
                .get("client_secret")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let method = info
                .get("token_endpoint_auth_method")
                .and_then(Value::as_str)
                .unwrap_or(if secret.is_some() {
                    secret_method
                } else {
                    "none"
                });
            Registration {
                issuer: issuer.to_owned(),
                client_id: client_id.to_owned(),
                client_secret: secret,
                method: method.to_owned(),
            }
        } else {
            return fail("the authorization server offers no way to register");
        };
        self.registration = Some(registration.clone());
        Ok(registration)
    }

    /// The scopes to ask for: the challenge's, else everything the resource lists, plus
    /// what was asked before (a step-up keeps earlier grants) and `offline_access` when the
    /// authorization server offers it (this client wants a refresh token).
    fn scope(&mut self, challenge: &Challenge, prm: &Value, as_meta: &Value) -> Option<String> {
        let fresh: Vec<String> = match &challenge.scope {
            Some(s) => s.split_whitespace().map(str::to_owned).collect(),
            None => prm
                .get("scopes_supported")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
        };
        self.scopes.extend(fresh);
        let offers_offline = as_meta
            .get("scopes_supported")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|s| s == "offline_access"));
        if offers_offline && !self.scopes.is_empty() {
            self.scopes.insert("offline_access".to_owned());
        }
        (!self.scopes.is_empty()).then(|| self.scopes.iter().cloned().collect::<Vec<_>>().join(" "))
    }

    /// Runs one authorization for `challenge` and returns the access token.
    pub async fn authorize(&mut self, challenge: &Challenge) -> Result<String, Error> {
        // No resource metadata: a 2025-03-26 server, which is its own authorization
        // server.
        let (prm, legacy) = match self.resource_metadata(challenge).await {
            Some(prm) => (prm, false),
            None => (
                json!({ "authorization_servers": [origin(&self.mcp_url)] }),
                true,
            ),
        };
        let mcp = canonical(self.mcp_url.as_str());
        let resource = match prm.get("resource").and_then(Value::as_str) {
            Some(r) if !covers(r, &mcp) => {
                return fail(format!(
                    "the protected resource metadata is for {r}, not for {mcp}"
                ));
            }
            Some(r) => r.to_owned(),
            None => mcp.clone(),
        };
        let Some(issuer) = prm
            .get("authorization_servers")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            return fail("the protected resource names no authorization server");
        };
        let meta = self.server_metadata(&issuer, legacy).await?;
        let issuer = if legacy {
            meta.get("issuer")
                .and_then(Value::as_str)
                .map_or(issuer, str::to_owned)
        } else {
            issuer
        };
        let registration = self.register(&issuer, &meta).await?;
        let scope = self.scope(challenge, &prm, &meta);
        let endpoint = |name: &str| -> Result<String, Error> {
            meta.get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| Error::Auth(format!("the metadata has no {name}")))
        };

        // A server that only grants client credentials: a machine client, no user.
        let grants: Vec<&str> = meta
            .get("grant_types_supported")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if grants.contains(&"client_credentials") && !grants.contains(&"authorization_code") {
            let mut form = vec![
                ("grant_type", "client_credentials".to_owned()),
                ("resource", resource),
            ];
            if let Some(s) = scope {
                form.push(("scope", s));
            }
            return self
                .token(&endpoint("token_endpoint")?, &registration, form)
                .await;
        }

        let verifier = random_token();
        let state = random_token();
        let mut authorize = Url::parse(&endpoint("authorization_endpoint")?)
            .map_err(|e| Error::Auth(format!("bad authorization_endpoint: {e}")))?;
        {
            let mut q = authorize.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", &registration.client_id)
                .append_pair("redirect_uri", REDIRECT_URI)
                .append_pair("code_challenge", &pkce_challenge(&verifier))
                .append_pair("code_challenge_method", "S256")
                .append_pair("state", &state)
                .append_pair("resource", &resource);
            if let Some(s) = &scope {
                q.append_pair("scope", s);
            }
        }
        let response = self.http.get(authorize).send().await?;
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| Error::Auth("the authorization endpoint did not redirect".into()))?;
        let redirect =
            Url::parse(location).map_err(|e| Error::Auth(format!("bad redirect location: {e}")))?;
        let param = |name: &str| {
            redirect
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        if let Some(error) = param("error") {
            return fail(format!("the authorization server refused: {error}"));
        }
        if param("state").as_deref() != Some(state.as_str()) {
            return fail("the authorization response carries another state");
        }
        let iss_advertised = meta
            .get("authorization_response_iss_parameter_supported")
            .and_then(Value::as_bool)
            == Some(true);
        match param("iss") {
            Some(iss) if iss != issuer => {
                return fail(format!(
                    "the authorization response comes from {iss}, not {issuer}"
                ));
            }
            None if iss_advertised => {
                return fail("the authorization response lacks the iss the server promised");
            }
            _ => {}
        }
        let Some(code) = param("code") else {
            return fail("the authorization response has no code");
        };

        let form = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code),
            ("redirect_uri", REDIRECT_URI.to_owned()),
            ("code_verifier", verifier),
            ("resource", resource),
        ];
        self.token(&endpoint("token_endpoint")?, &registration, form)
            .await
    }

    /// A token request, with the client authentication the registration uses.
    async fn token(
        &self,
        endpoint: &str,
        registration: &Registration,
        mut form: Vec<(&'static str, String)>,
    ) -> Result<String, Error> {
        let mut request = self.http.post(endpoint);
        match (registration.method.as_str(), &registration.client_secret) {
            ("client_secret_basic", Some(secret)) => {
                let enc = |s: &str| {
                    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
                };
                let pair = format!("{}:{}", enc(&registration.client_id), enc(secret));
                request = request.header(
                    reqwest::header::AUTHORIZATION,
                    format!("Basic {}", STANDARD.encode(pair)),
                );
            }
            ("client_secret_post", Some(secret)) => {
                form.push(("client_id", registration.client_id.clone()));
                form.push(("client_secret", secret.clone()));
            }
            _ => form.push(("client_id", registration.client_id.clone())),
        }
        let response = request.form(&form).send().await?;
        if !response.status().is_success() {
            return fail(format!("the token endpoint answered {}", response.status()));
        }
        let tokens: Value = response.json().await?;
        tokens
            .get("access_token")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| Error::Auth("the token answer has no access_token".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bearer_challenges() {
        let c = Challenge::parse(
            r#"Bearer error="insufficient_scope", scope="a b", resource_metadata="http://x/.well-known/oauth-protected-resource/mcp""#,
        );
        assert_eq!(c.scope.as_deref(), Some("a b"));
        assert_eq!(
            c.resource_metadata.as_deref(),
            Some("http://x/.well-known/oauth-protected-resource/mcp")
        );
        assert_eq!(Challenge::parse("Bearer"), Challenge::default());
        assert_eq!(
            Challenge::parse("Bearer scope=read").scope.as_deref(),
            Some("read")
        );
    }

    #[test]
    fn pkce_matches_rfc_7636_example() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(canonical("http://a/mcp/#x"), "http://a/mcp");
        assert!(covers("http://a:1", "http://a:1/mcp"));
        assert!(covers("http://a:1/mcp/", "http://a:1/mcp"));
        assert!(!covers("http://a:1/mc", "http://a:1/mcp"));
        assert!(!covers("http://a:12", "http://a:1/mcp"));
        assert!(!covers("https://evil.example.com/mcp", "http://a:1/mcp"));
    }
}
