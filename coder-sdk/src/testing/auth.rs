//! Authentication: finds the token where Coder looks for it and answers 401 like Coder.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;

use super::api_error::ApiError;
use super::shared::Shared;
use super::state::Subject;

/// The cookie and query parameter that carry a session token.
const SESSION_COOKIE: &str = "coder_session_token";
/// Coder's session token header.
const SESSION_HEADER: &str = "coder-session-token";
/// Coder's message for every 401.
const SIGNED_OUT: &str =
    "You are signed out or your session has expired. Please sign in again to continue.";

/// The authenticated caller, put into request extensions by [`auth_layer`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Principal {
    User(Uuid),
    Agent(Uuid),
}

/// Finds the token in Coder's order: cookie, query `coder_session_token`, the
/// `Coder-Session-Token` header, `Authorization: Bearer`, query `access_token`.
pub(crate) fn token_from(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    let query_param = |name: &str| {
        query.and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        })
    };
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_owned());
    let header_token = headers
        .get(SESSION_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|v| v.trim().to_owned());
    [
        cookie,
        query_param(SESSION_COOKIE),
        header_token,
        bearer,
        query_param("access_token"),
    ]
    .into_iter()
    .flatten()
    .find(|t| !t.is_empty())
}

fn unauthorized(shared: &Shared, detail: &str, error: Option<&str>) -> Response {
    let mut challenge = String::from("Bearer realm=\"coder\"");
    if let Some(error) = error {
        challenge.push_str(&format!(
            ", error=\"{error}\", error_description=\"{detail}\""
        ));
    }
    challenge.push_str(&format!(
        ", resource_metadata=\"{}/.well-known/oauth-protected-resource\"",
        shared.config.access_url
    ));
    let mut err = ApiError::new(StatusCode::UNAUTHORIZED, SIGNED_OUT).detail(detail);
    err.www_authenticate = Some(challenge);
    err.into_response()
}

/// Paths anyone may call.
fn is_public(path: &str) -> bool {
    path == "/api/v2/buildinfo"
}

/// Paths that take a workspace agent token instead of a user session.
fn is_agent_path(path: &str) -> bool {
    path.starts_with("/api/v2/workspaceagents/me/")
}

/// Authenticates every request except the public ones.
pub(crate) async fn auth_layer(
    State(shared): State<Arc<Shared>>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    if is_public(&path) {
        return next.run(req).await;
    }
    let Some(token) = token_from(req.headers(), req.uri().query()) else {
        return unauthorized(
            &shared,
            "Cookie \"coder_session_token\" or query parameter must be provided.",
            None,
        );
    };
    let subject = shared.read(|s| s.tokens.get(&token).copied());
    let principal = match (subject, is_agent_path(&path)) {
        (Some(Subject::User(id)), false) => Principal::User(id),
        (Some(Subject::Agent(id)), true) => Principal::Agent(id),
        _ => return unauthorized(&shared, "API key is invalid.", Some("invalid_token")),
    };
    if !shared.faults.use_token(&token) {
        return unauthorized(&shared, "API key expired.", Some("invalid_token"));
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}
