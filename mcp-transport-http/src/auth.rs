//! Bearer-token authentication hook and RFC 9728 Protected Resource Metadata.

use std::fmt;

use async_trait::async_trait;
use axum::Router;
use axum::routing::get;
use http::request::Parts;
use mcp_protocol::Extensions;
use serde::{Deserialize, Serialize};

/// Who sent a request, as established by an [`Authenticator`].
///
/// The transport binds each legacy session to the principal that opened it (another
/// principal using the session id gets 404) and hands the principal to handlers through
/// the request's extensions, where they read it with `ctx.extensions().get::<Principal>()`.
#[derive(Clone)]
pub struct Principal {
    id: String,
    extensions: Extensions,
}

impl Principal {
    /// A principal with a stable id (a user or client id, never the token itself).
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            extensions: Extensions::new(),
        }
    }

    /// Attaches a value (claims, scopes, a tenant) that handlers can read back by type.
    #[must_use]
    pub fn with<T: std::any::Any + Send + Sync>(mut self, value: T) -> Self {
        self.extensions.insert(value);
        self
    }

    /// The id sessions are bound to.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Values attached by the authenticator.
    pub fn extensions(&self) -> &Extensions {
        &self.extensions
    }
}

impl fmt::Debug for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Principal")
            .field("id", &self.id)
            .field("extensions", &self.extensions)
            .finish()
    }
}

/// Why an [`Authenticator`] refused a request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthRejection {
    /// No credentials, or credentials that are invalid, expired or meant for another
    /// resource: 401, with `error="invalid_token"` when a token was sent.
    Unauthorized,
    /// Valid credentials without the needed scope: 403 `insufficient_scope`, naming the
    /// scope so the client can ask the user for more consent.
    Forbidden {
        /// The space-separated scopes the request needs.
        scope: String,
    },
}

/// Decides who a request comes from.
///
/// Called for every request before the MCP layer sees it. Implementations validate the
/// bearer token (see [`bearer_token`]) including its audience: a token issued for another
/// resource must be rejected, never passed on.
#[async_trait]
pub trait Authenticator: Send + Sync + 'static {
    /// The principal behind the request, or why it is refused.
    async fn authenticate(&self, parts: &Parts) -> Result<Principal, AuthRejection>;
}

/// The token of an `Authorization: Bearer <token>` header, if there is one.
pub fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts
        .headers
        .get(http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// RFC 9728 Protected Resource Metadata: where clients learn which authorization servers
/// issue tokens for this MCP endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProtectedResourceMetadata {
    /// The canonical URL of the MCP endpoint (what clients send as RFC 8707 `resource`).
    pub resource: String,
    /// Issuer URLs of the authorization servers (at least one).
    pub authorization_servers: Vec<String>,
    /// Scopes clients may request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes_supported: Vec<String>,
    /// How the token is sent; MCP uses the `Authorization` header.
    pub bearer_methods_supported: Vec<String>,
    /// A human-readable name of the resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
}

impl ProtectedResourceMetadata {
    /// Metadata for the MCP endpoint at `resource`, trusting `authorization_servers`.
    pub fn new(
        resource: impl Into<String>,
        authorization_servers: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            resource: resource.into(),
            authorization_servers: authorization_servers.into_iter().map(Into::into).collect(),
            scopes_supported: Vec::new(),
            bearer_methods_supported: vec!["header".to_owned()],
            resource_name: None,
        }
    }

    /// Declares the scopes clients may request.
    #[must_use]
    pub fn scopes(mut self, scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.scopes_supported = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Names the resource for consent screens.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.resource_name = Some(name.into());
        self
    }

    /// The path of the well-known document for this resource, with the resource's path
    /// inserted after `/.well-known/oauth-protected-resource` as RFC 9728 prescribes.
    pub fn well_known_path(&self) -> String {
        const BASE: &str = "/.well-known/oauth-protected-resource";
        let path = url::Url::parse(&self.resource)
            .map(|u| u.path().trim_end_matches('/').to_owned())
            .unwrap_or_default();
        if path.is_empty() {
            BASE.to_owned()
        } else {
            format!("{BASE}{path}")
        }
    }

    /// The absolute URL of the well-known document, as put in `resource_metadata=`.
    pub fn well_known_url(&self) -> String {
        match url::Url::parse(&self.resource) {
            Ok(mut u) => {
                u.set_path(&self.well_known_path());
                u.set_query(None);
                u.set_fragment(None);
                u.to_string()
            }
            Err(_) => self.well_known_path(),
        }
    }
}

/// A router serving `metadata` at its path-inserted well-known URL; merge it into the
/// application at the root (the path is absolute, not relative to the MCP endpoint).
pub fn protected_resource_metadata_router(metadata: ProtectedResourceMetadata) -> Router {
    let path = metadata.well_known_path();
    Router::new().route(
        &path,
        get(move || {
            let metadata = metadata.clone();
            async move { axum::Json(metadata) }
        }),
    )
}

/// The `WWW-Authenticate` value for a rejection.
pub(crate) fn challenge(
    rejection: &AuthRejection,
    token_given: bool,
    metadata_url: Option<&str>,
) -> String {
    let mut parts = Vec::new();
    if let Some(url) = metadata_url {
        parts.push(format!("resource_metadata=\"{}\"", quote_safe(url)));
    }
    match rejection {
        AuthRejection::Unauthorized => {
            if token_given {
                parts.push("error=\"invalid_token\"".to_owned());
            }
        }
        AuthRejection::Forbidden { scope } => {
            parts.push("error=\"insufficient_scope\"".to_owned());
            parts.push(format!("scope=\"{}\"", quote_safe(scope)));
        }
    }
    if parts.is_empty() {
        "Bearer".to_owned()
    } else {
        format!("Bearer {}", parts.join(", "))
    }
}

/// Drops characters that would break out of a quoted-string.
fn quote_safe(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '"' && *c != '\\' && !c.is_control())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn well_known_path_inserts_the_resource_path() {
        let m = ProtectedResourceMetadata::new("https://example.com/api/mcp", ["https://as"]);
        assert_eq!(
            m.well_known_path(),
            "/.well-known/oauth-protected-resource/api/mcp"
        );
        assert_eq!(
            m.well_known_url(),
            "https://example.com/.well-known/oauth-protected-resource/api/mcp"
        );
        let root = ProtectedResourceMetadata::new("https://example.com/", ["https://as"]);
        assert_eq!(
            root.well_known_path(),
            "/.well-known/oauth-protected-resource"
        );
    }

    #[test]
    fn challenges_follow_rfc_6750() {
        let url = Some("https://x/.well-known/oauth-protected-resource/mcp");
        assert_eq!(
            challenge(&AuthRejection::Unauthorized, false, url),
            "Bearer resource_metadata=\"https://x/.well-known/oauth-protected-resource/mcp\""
        );
        assert!(
            challenge(&AuthRejection::Unauthorized, true, url).ends_with("error=\"invalid_token\"")
        );
        let forbidden = AuthRejection::Forbidden {
            scope: "a b".to_owned(),
        };
        assert_eq!(
            challenge(&forbidden, true, None),
            "Bearer error=\"insufficient_scope\", scope=\"a b\""
        );
    }

    #[test]
    fn reads_bearer_tokens() {
        let (parts, ()) = http::Request::builder()
            .header("authorization", "bearer abc")
            .body(())
            .unwrap()
            .into_parts();
        assert_eq!(bearer_token(&parts), Some("abc"));
        let (parts, ()) = http::Request::builder()
            .header("authorization", "Basic abc")
            .body(())
            .unwrap()
            .into_parts();
        assert_eq!(bearer_token(&parts), None);
    }
}
