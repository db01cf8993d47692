//! GET (the session's server-initiated stream, and resumption) and DELETE (end a session).

use axum::response::Response;
use http::StatusCode;
use http::request::Parts;
use mcp_protocol::ProtocolVersion;
use tokio_util::sync::CancellationToken;

use super::body::{BodyOptions, log_body};
use super::post::{accepts, find_session, legacy_version};
use super::run::{retry_ms, sse_response};
use super::{Shared, ok_empty, reply};
use crate::auth::Principal;
use crate::headers;
use crate::stream_log::parse_event_id;

/// 2026-07-28 has neither GET nor DELETE.
fn is_modern(parts: &Parts) -> bool {
    parts
        .headers
        .get(headers::PROTOCOL_VERSION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<ProtocolVersion>().ok())
        .is_some_and(|v| !v.is_legacy())
}

pub(crate) fn get(shared: &Shared, parts: &Parts, principal: Option<&Principal>) -> Response {
    if shared.config.stateless || !shared.config.get_stream || is_modern(parts) {
        return reply::method_not_allowed("POST");
    }
    if !accepts(parts, "text/event-stream") {
        return reply::transport(
            StatusCode::NOT_ACCEPTABLE,
            "not acceptable: the client must accept text/event-stream",
        );
    }
    if let Err(r) = legacy_version(parts) {
        return r;
    }
    let session = match find_session(shared, parts, principal) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let resume = parts
        .headers
        .get(headers::LAST_EVENT_ID)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_event_id);
    let busy = Some(session.busy());
    if let Some((stream, seq)) = resume
        && stream != 0
        && let Some(log) = session.stream(stream)
    {
        let body = log_body(
            log,
            BodyOptions {
                from: seq.saturating_add(1),
                keep_alive: shared.config.sse_keep_alive,
                close: None,
                retry_ms: retry_ms(shared),
                end: Some(session.closed.clone()),
                guard: None,
                hold: busy,
            },
        );
        return sse_response(body);
    }
    // The session's own stream: a newer reader replaces an older one, so each message
    // goes to exactly one stream.
    let reader = CancellationToken::new();
    if let Some(old) = session
        .get_reader
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .replace(reader.clone())
    {
        old.cancel();
    }
    let from = match resume {
        Some((0, seq)) => seq.saturating_add(1),
        _ => session.get_log.undelivered(),
    };
    let body = log_body(
        std::sync::Arc::clone(&session.get_log),
        BodyOptions {
            from,
            keep_alive: shared.config.sse_keep_alive,
            close: None,
            retry_ms: retry_ms(shared),
            end: Some(reader),
            guard: None,
            hold: busy,
        },
    );
    sse_response(body)
}

pub(crate) fn delete(shared: &Shared, parts: &Parts, principal: Option<&Principal>) -> Response {
    if shared.config.stateless || is_modern(parts) {
        return reply::method_not_allowed("POST");
    }
    let session = match find_session(shared, parts, principal) {
        Ok(s) => s,
        Err(r) => return r,
    };
    shared.sessions.remove(&session.id);
    ok_empty()
}
