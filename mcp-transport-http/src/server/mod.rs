//! The Streamable HTTP server: an axum [`Router`] serving one MCP endpoint.

// Early returns of ready-made HTTP answers are the idiom of this module; boxing them
// would only add noise.
#![allow(clippy::result_large_err)]

mod body;
mod control;
mod get_delete;
mod guard;
mod modern;
mod param_cache;
mod post;
mod related;
mod reply;
mod run;
mod session;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use http::{HeaderValue, Method, StatusCode, header};
use mcp_protocol::server::Server;

pub use control::StreamControl;

use crate::auth::{self, AuthRejection, Principal, bearer_token};
use crate::config::HttpConfig;
use session::SessionStore;

/// What every request handler of one router shares.
pub(crate) struct Shared {
    pub(crate) server: Server,
    pub(crate) config: HttpConfig,
    pub(crate) sessions: Arc<SessionStore>,
    pub(crate) metadata_url: Option<String>,
    pub(crate) param_headers: param_cache::ParamHeaderCache,
    pub(crate) related: related::RelatedPool,
}

/// The MCP endpoint as an axum [`Router`].
///
/// The router answers every path it is given, so mount it where the endpoint should live:
/// `Router::new().nest_service("/mcp", router(server, config))` (axum refuses a `Router`
/// in `route_service`; `route_service("/mcp", router(server, config).into_service())`
/// mounts it at that one exact path), and wrap it in your own layers. It speaks every
/// revision: legacy clients get sessions, the GET stream and resumable SSE; 2026-07-28
/// clients get the stateless protocol with header validation. See [`HttpConfig`] for the
/// security defaults.
pub fn router(server: Server, config: HttpConfig) -> Router {
    let sessions = SessionStore::new(
        config.session_idle_timeout,
        config.max_sessions,
        config.principal_session_cap(),
        config.replay_events,
    );
    sessions.spawn_sweeper();
    let metadata_url = config
        .resource_metadata
        .as_ref()
        .map(auth::ProtectedResourceMetadata::well_known_url);
    let shared = Arc::new(Shared {
        server,
        config,
        sessions,
        metadata_url,
        param_headers: param_cache::ParamHeaderCache::default(),
        related: related::RelatedPool::default(),
    });
    Router::new().fallback(endpoint).with_state(shared)
}

async fn endpoint(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    if let Err(r) = guard::check(&parts, &shared.config.hosts, &shared.config.origins) {
        return r;
    }
    let principal = match authenticate(&shared, &parts).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    if let Some(p) = &principal {
        parts.extensions.insert(p.clone());
    }
    match parts.method {
        Method::POST => post::post(&shared, parts, body, principal).await,
        Method::GET => get_delete::get(&shared, &parts, principal.as_ref()),
        Method::DELETE => get_delete::delete(&shared, &parts, principal.as_ref()),
        _ => reply::method_not_allowed("GET, POST, DELETE"),
    }
}

async fn authenticate(
    shared: &Shared,
    parts: &http::request::Parts,
) -> Result<Option<Principal>, Response> {
    let Some(authenticator) = &shared.config.authenticator else {
        return Ok(None);
    };
    match authenticator.authenticate(parts).await {
        Ok(p) => Ok(Some(p)),
        Err(rejection) => {
            let token_given = bearer_token(parts).is_some();
            let challenge =
                auth::challenge(&rejection, token_given, shared.metadata_url.as_deref());
            let (status, message) = match rejection {
                AuthRejection::Forbidden { .. } => (StatusCode::FORBIDDEN, "insufficient scope"),
                AuthRejection::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            };
            let mut r = reply::transport(status, message);
            if let Ok(v) = HeaderValue::from_str(&challenge) {
                r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
            }
            Err(r)
        }
    }
}

/// An empty 200 answer (DELETE).
pub(crate) fn ok_empty() -> Response {
    Response::new(Body::empty())
}
