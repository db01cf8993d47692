//! POST: one JSON-RPC message (or a 2025-03-26 batch) in, a JSON or SSE answer out.

use std::str::FromStr;
use std::sync::Arc;

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use http::StatusCode;
use http::request::Parts;
use http_body_util::{BodyExt as _, Limited};
use mcp_protocol::context::TransportContext;
use mcp_protocol::jsonrpc::{Notification, Request};
use mcp_protocol::{ErrorObject, Extensions, Message, ProtocolVersion, RequestId};
use serde_json::{Value, json};

use super::reply;
use super::run::{self, Plan};
use super::session::{Full, Session};
use super::{Shared, modern};
use crate::auth::Principal;
use crate::headers;

/// The media types a POST must accept, and the one it must send.
const JSON: &str = "application/json";
const EVENT_STREAM: &str = "text/event-stream";

/// True when the `Accept` header allows `media` (exactly, or through a wildcard).
pub(crate) fn accepts(parts: &Parts, media: &str) -> bool {
    // Bytes, not `str`: every request checks this, and media types are ASCII.
    let media = media.as_bytes();
    let ty = media.split(|&b| b == b'/').next().unwrap_or(media);
    parts
        .headers
        .get_all(http::header::ACCEPT)
        .iter()
        .flat_map(|v| v.as_bytes().split(|&b| b == b','))
        .map(|item| {
            item.split(|&b| b == b';')
                .next()
                .unwrap_or_default()
                .trim_ascii()
        })
        .any(|m| {
            m.eq_ignore_ascii_case(media)
                || m == b"*/*"
                || m.strip_suffix(b"/*")
                    .is_some_and(|t| t.eq_ignore_ascii_case(ty))
        })
}

fn is_json_content(parts: &Parts) -> bool {
    parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(JSON))
}

/// Reads the body within the size and time limits.
async fn read_body(shared: &Shared, parts: &Parts, body: Body) -> Result<Bytes, Response> {
    let limit = shared.config.max_body_bytes;
    let too_large = || reply::transport(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let read = Limited::new(body, limit).collect();
    match tokio::time::timeout(shared.config.body_timeout, read).await {
        Err(_) => Err(reply::transport(
            StatusCode::REQUEST_TIMEOUT,
            "request body read timed out",
        )),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Ok(Err(_)) => Err(reply::transport(
            StatusCode::BAD_REQUEST,
            "could not read the request body",
        )),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}

/// The legacy revision of a request: the header's, or 2025-03-26 when it is missing.
pub(crate) fn legacy_version(parts: &Parts) -> Result<ProtocolVersion, Response> {
    match parts.headers.get(headers::PROTOCOL_VERSION) {
        None => Ok(ProtocolVersion::HTTP_DEFAULT),
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| ProtocolVersion::from_str(s.trim()).ok())
            .ok_or_else(|| {
                reply::error(
                    StatusCode::BAD_REQUEST,
                    None,
                    ErrorObject::invalid_request(format!(
                        "unsupported MCP-Protocol-Version; supported: {}",
                        ProtocolVersion::supported_strings().join(", ")
                    )),
                )
            }),
    }
}

/// The session id header, if sent.
pub(crate) fn session_header(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(headers::SESSION_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
}

/// Looks up the session a legacy request names: 400 without the header, 404 when unknown,
/// expired or owned by another principal.
pub(crate) fn find_session(
    shared: &Shared,
    parts: &Parts,
    principal: Option<&Principal>,
) -> Result<Arc<Session>, Response> {
    let Some(id) = session_header(parts) else {
        return Err(reply::transport(
            StatusCode::BAD_REQUEST,
            "bad request: missing Mcp-Session-Id header",
        ));
    };
    shared
        .sessions
        .get(id, principal.map(Principal::id))
        .map_err(|_| reply::transport(StatusCode::NOT_FOUND, "session not found"))
}

/// What the handler learns about the caller: the principal, and a binding that ties any
/// sealed `requestState` to it, so one caller's collected answers cannot be replayed by
/// another.
fn extensions_for(principal: Option<&Principal>) -> Extensions {
    let mut ext = Extensions::new();
    if let Some(p) = principal {
        ext.insert(mcp_protocol::StateBinding(p.id().to_owned()));
        ext.insert(p.clone());
    }
    ext
}

pub(crate) async fn post(
    shared: &Shared,
    parts: Parts,
    body: Body,
    principal: Option<Principal>,
) -> Response {
    if !(accepts(&parts, JSON) && accepts(&parts, EVENT_STREAM)) {
        return reply::transport(
            StatusCode::NOT_ACCEPTABLE,
            "not acceptable: the client must accept both application/json and text/event-stream",
        );
    }
    if !is_json_content(&parts) {
        return reply::transport(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported media type: the body must be application/json",
        );
    }
    let bytes = match read_body(shared, &parts, body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    if std::str::from_utf8(&bytes).is_err() {
        return reply::error(
            StatusCode::BAD_REQUEST,
            None,
            ErrorObject::parse_error("the body is not valid UTF-8"),
        );
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'[') {
        return batch(shared, &parts, &bytes, principal.as_ref()).await;
    }
    let message = match Message::parse(&bytes) {
        Ok(m) => m,
        Err(e) => return reply::json(StatusCode::BAD_REQUEST, Message::Error(e).to_bytes()),
    };
    if modern::is_modern(&parts, &message) {
        return modern::post(shared, &parts, message, extensions_for(principal.as_ref())).await;
    }
    legacy(shared, &parts, message, principal.as_ref()).await
}

async fn legacy(
    shared: &Shared,
    parts: &Parts,
    message: Message,
    principal: Option<&Principal>,
) -> Response {
    let version = match legacy_version(parts) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let ext = extensions_for(principal);
    let is_initialize = message.method() == Some("initialize");
    if is_initialize {
        return initialize(shared, message, ext, principal).await;
    }
    if shared.config.stateless {
        let connection = shared.server.connect();
        prime(&connection, version, &ext).await;
        return match message {
            Message::Request(_) => {
                run::run_request(
                    shared,
                    connection,
                    message,
                    ext,
                    Plan {
                        session: None,
                        cancel_on_drop: true,
                        modern: false,
                    },
                )
                .await
            }
            other => {
                connection
                    .handle(other, TransportContext::new().with_extensions(ext))
                    .await;
                reply::accepted()
            }
        };
    }
    let session = match find_session(shared, parts, principal) {
        Ok(s) => s,
        Err(r) => return r,
    };
    match message {
        Message::Request(_) => {
            run::run_request(
                shared,
                session.connection.clone(),
                message,
                ext,
                Plan {
                    session: Some(session),
                    cancel_on_drop: false,
                    modern: false,
                },
            )
            .await
        }
        other => {
            let _busy = session.busy();
            session
                .connection
                .handle(other, TransportContext::new().with_extensions(ext))
                .await;
            reply::accepted()
        }
    }
}

/// The answer to an `initialize` that found no room for its session.
fn no_room(full: Full) -> Response {
    match full {
        Full::Store => reply::transport(StatusCode::SERVICE_UNAVAILABLE, "too many sessions"),
        Full::Principal => reply::transport(
            StatusCode::TOO_MANY_REQUESTS,
            "too many sessions for this principal",
        ),
    }
}

/// `initialize`: a new session (unless stateless) whose id goes back in the header.
async fn initialize(
    shared: &Shared,
    message: Message,
    ext: Extensions,
    principal: Option<&Principal>,
) -> Response {
    let connection = shared.server.connect();
    let ctx = TransportContext::new().with_extensions(ext);
    if shared.config.stateless {
        return run::json_answer(connection.respond(message, ctx).await, false);
    }
    let session = match shared
        .sessions
        .create(connection.clone(), principal.map(|p| p.id().to_owned()))
    {
        Ok(session) => session,
        Err(full) => {
            connection.close();
            return no_room(full);
        }
    };
    let answer = connection.respond(message, ctx).await;
    let ok = answer
        .as_ref()
        .is_some_and(|a| !matches!(a.as_message(), Some(Message::Error(_))));
    if ok && let Err(full) = shared.sessions.insert(&session) {
        session.close();
        return no_room(full);
    }
    if !ok {
        session.close();
        return run::json_answer(answer, false);
    }
    run::with_session_header(run::json_answer(answer, false), &session.id)
}

/// Stateless legacy mode: brings a fresh connection to the state `initialize` would have,
/// for the revision the request's header names.
async fn prime(
    connection: &mcp_protocol::server::Connection,
    version: ProtocolVersion,
    ext: &Extensions,
) {
    let params = json!({
        "protocolVersion": version.as_str(),
        "capabilities": {},
        "clientInfo": {"name": "stateless-http-client", "version": "0"},
    });
    if let Ok(init) = Request::new(
        RequestId::from("stateless-initialize"),
        "initialize",
        &params,
    ) {
        let ctx = TransportContext::new().with_extensions(ext.clone());
        connection.handle(init.into(), ctx).await;
    }
    if let Ok(n) = Notification::new("notifications/initialized", &json!({})) {
        let ctx = TransportContext::new().with_extensions(ext.clone());
        connection.handle(n.into(), ctx).await;
    }
}

/// A JSON-RPC batch: only 2025-03-26 allows them, and only inside a session.
async fn batch(
    shared: &Shared,
    parts: &Parts,
    bytes: &[u8],
    principal: Option<&Principal>,
) -> Response {
    // Text that only starts like an array is not JSON at all: -32700 comes first.
    let items: Vec<Value> = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => {
            return reply::error(
                StatusCode::BAD_REQUEST,
                None,
                ErrorObject::parse_error(format!("invalid JSON: {e}")),
            );
        }
    };
    let version = match legacy_version(parts) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if version != ProtocolVersion::V2025_03_26 {
        return reply::error(
            StatusCode::BAD_REQUEST,
            None,
            ErrorObject::invalid_request(format!(
                "JSON-RPC batches are not allowed in protocol revision {version}"
            )),
        );
    }
    if items
        .iter()
        .any(|i| i.get("method").and_then(Value::as_str) == Some("initialize"))
    {
        return reply::error(
            StatusCode::BAD_REQUEST,
            None,
            ErrorObject::invalid_request("initialize must not be part of a batch"),
        );
    }
    let connection = if shared.config.stateless {
        let c = shared.server.connect();
        prime(&c, version, &extensions_for(principal)).await;
        c
    } else {
        match find_session(shared, parts, principal) {
            Ok(s) => s.connection.clone(),
            Err(r) => return r,
        }
    };
    let ctx = TransportContext::new().with_extensions(extensions_for(principal));
    match connection.handle_batch(items, ctx).await {
        None => reply::accepted(),
        Some(answers) => {
            let values: Vec<Value> = answers
                .iter()
                .filter_map(|m| serde_json::from_slice(&m.to_bytes()).ok())
                .collect();
            reply::json(
                StatusCode::OK,
                serde_json::to_vec(&values).unwrap_or_default(),
            )
        }
    }
}
