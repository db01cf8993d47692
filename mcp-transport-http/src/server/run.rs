//! Runs one request on a connection and frames its answer as JSON or as an SSE stream.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use axum::body::Body;
use axum::response::Response;
use http::{HeaderValue, StatusCode, header};
use mcp_protocol::context::TransportContext;
use mcp_protocol::server::{Connection, Outgoing};
use mcp_protocol::{ErrorCode, Extensions, Message};
use tokio_util::sync::CancellationToken;

use super::Shared;
use super::body::{BodyOptions, log_body, wait};
use super::control::StreamControl;
use super::reply;
use super::session::Session;
use crate::config::ResponseMode;
use crate::headers;
use crate::stream_log::StreamLog;

/// How one request is run.
pub(crate) struct Plan {
    /// The legacy session, which makes the stream resumable.
    pub(crate) session: Option<Arc<Session>>,
    /// Cancel the request when the client drops the response (2026-07-28, stateless).
    pub(crate) cancel_on_drop: bool,
    /// 2026-07-28: map protocol errors to HTTP statuses.
    pub(crate) modern: bool,
}

/// The HTTP status for a 2026-07-28 error answer.
pub(crate) fn modern_status(message: &Message) -> StatusCode {
    match message {
        Message::Error(e) => match e.error.code {
            ErrorCode::METHOD_NOT_FOUND => StatusCode::NOT_FOUND,
            ErrorCode::UNSUPPORTED_PROTOCOL_VERSION
            | ErrorCode::HEADER_MISMATCH
            | ErrorCode::MISSING_REQUIRED_CLIENT_CAPABILITY
            | ErrorCode::PARSE_ERROR
            | ErrorCode::INVALID_REQUEST => StatusCode::BAD_REQUEST,
            _ => StatusCode::OK,
        },
        _ => StatusCode::OK,
    }
}

/// Runs `message` (a request) and answers it.
pub(crate) async fn run_request(
    shared: &Shared,
    connection: Connection,
    message: Message,
    mut extensions: Extensions,
    plan: Plan,
) -> Response {
    let message_is_listen = message.method() == Some("subscriptions/listen");
    // The pool keeps `tx`; the request gets a clone.
    let (tx, mut rx) = shared.related.take();
    let cancel = CancellationToken::new();
    // Only a session's streams can be resumed, so only they can be closed early.
    let close = plan.session.is_some().then(CancellationToken::new);
    let resumable = close.is_some();
    extensions.insert(StreamControl::new(close.clone()));
    // Built whole: `TransportContext::new()` would make a token only to replace it.
    let ctx = TransportContext {
        related: Some(tx.clone()),
        extensions,
        cancellation: cancel.clone(),
    };
    let busy = plan.session.as_ref().map(Session::busy);
    // Dropping the answer before it is complete cancels the request where nobody could
    // pick it up later.
    let guard = plan.cancel_on_drop.then(|| cancel.clone().drop_guard());
    // A subscription stream stays open with nothing to say for a while: start it at once
    // so the client sees the stream (and keep-alives) instead of waiting for headers.
    let mode = if message_is_listen {
        ResponseMode::Sse
    } else {
        shared.config.response_mode
    };

    let mut early: Vec<Message> = Vec::new();
    let mut finished: Option<Option<Outgoing>> = None;
    let mut task = None;
    // Without a session the connection was made for this request alone.
    let one_shot = plan.session.is_none();
    let work = async move {
        if one_shot {
            connection.respond_once(message, ctx).await
        } else {
            connection.respond(message, ctx).await
        }
    };
    match run_ready(work) {
        // Answered without waiting (most calls): no task, no cross-thread wake-up.
        Ok(answer) => {
            while let Ok(m) = rx.try_recv() {
                early.push(m);
            }
            if mode != ResponseMode::Sse && (early.is_empty() || mode == ResponseMode::Json) {
                forward_related(plan.session.as_ref(), early);
                if let Some(g) = guard {
                    g.disarm();
                }
                shared.related.give_back((tx, rx));
                return json_answer(answer, plan.modern);
            }
            finished = Some(answer);
        }
        Err(pending) => task = Some(tokio::spawn(pending)),
    }
    // From here on the channel ends when the request's own senders are gone.
    drop(tx);
    if let (Some(running), ResponseMode::Auto | ResponseMode::Json) = (&mut task, mode) {
        tokio::select! {
            biased;
            res = &mut *running => {
                while let Ok(m) = rx.try_recv() {
                    early.push(m);
                }
                let answer = res.unwrap_or(None);
                if early.is_empty() || mode == ResponseMode::Json {
                    forward_related(plan.session.as_ref(), early);
                    if let Some(g) = guard {
                        g.disarm();
                    }
                    return json_answer(answer, plan.modern);
                }
                finished = Some(answer);
            }
            m = rx.recv(), if mode == ResponseMode::Auto => match m {
                Some(m) => early.push(m),
                // Every sender is gone: the request just finished (on another thread,
                // between two polls) without a related message, so its answer is JSON.
                None => {
                    let answer = running.await.unwrap_or(None);
                    if let Some(g) = guard {
                        g.disarm();
                    }
                    return json_answer(answer, plan.modern);
                }
            },
            () = wait(close.as_ref()), if mode == ResponseMode::Auto => {}
        }
        if mode == ResponseMode::Json {
            // Related messages of a JSON answer go to the GET stream (legacy) or nowhere.
            let session = plan.session.clone();
            tokio::spawn(async move {
                while let Some(m) = rx.recv().await {
                    forward_related(session.as_ref(), vec![m]);
                }
            });
            let answer = running.await.unwrap_or(None);
            if let Some(g) = guard {
                g.disarm();
            }
            return json_answer(answer, plan.modern);
        }
    }

    // SSE from here on.
    let log = match &plan.session {
        Some(s) => s.new_stream(),
        None => Arc::new(StreamLog::new(
            0,
            false,
            shared.config.replay_events.max(1024),
        )),
    };
    if resumable {
        log.push_priming(Some(retry_ms(shared)));
    }
    for m in early {
        log.push_message(&m.to_bytes());
    }
    let pump_log = Arc::clone(&log);
    tokio::spawn(async move {
        let answer = match (finished, task) {
            (Some(answer), _) => answer,
            (None, None) => None,
            (None, Some(mut task)) => loop {
                tokio::select! {
                    biased;
                    m = rx.recv() => match m {
                        Some(m) => pump_log.push_message(&m.to_bytes()),
                        None => break task.await.unwrap_or(None),
                    },
                    res = &mut task => {
                        while let Ok(m) = rx.try_recv() {
                            pump_log.push_message(&m.to_bytes());
                        }
                        break res.unwrap_or(None);
                    }
                }
            },
        };
        if let Some(answer) = answer {
            pump_log.push_message(&bytes_of(&answer));
        }
        pump_log.finish();
        drop(busy);
    });
    let end = plan.session.as_ref().map(|s| s.closed.clone());
    let body = log_body(
        log,
        BodyOptions {
            from: 0,
            keep_alive: shared.config.sse_keep_alive,
            close,
            retry_ms: retry_ms(shared),
            end,
            guard,
            hold: None,
        },
    );
    sse_response(body)
}

pub(crate) fn retry_ms(shared: &Shared) -> u64 {
    u64::try_from(shared.config.sse_retry.as_millis()).unwrap_or(u64::MAX)
}

/// Sends related messages of a JSON-framed legacy answer to the session's GET stream.
fn forward_related(session: Option<&Arc<Session>>, messages: Vec<Message>) {
    if let Some(s) = session {
        for m in messages {
            s.get_log.push_message(&m.to_bytes());
        }
    }
}

/// Runs `work` here if it completes without waiting; returns it, to go on its own task, as
/// soon as it has to wait for anything.
fn run_ready<F: Future>(work: F) -> Result<F::Output, Pin<Box<F>>> {
    let mut work = Box::pin(work);
    // Whatever the first poll waits on is registered again with the task's own waker when
    // the task polls it next, so the no-op waker loses no wake-up.
    match work.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => Ok(out),
        Poll::Pending => Err(work),
    }
}

/// The JSON text of an answer.
fn bytes_of(answer: &Outgoing) -> Vec<u8> {
    // Room for a typical small answer: growing from empty took five allocations.
    let mut out = Vec::with_capacity(1024);
    // Only a plain message can fail here, and ours always serialize.
    let _ = answer.write_json(&mut out);
    out
}

/// A JSON answer; a cancelled request (no answer) gets an error the client will ignore.
pub(crate) fn json_answer(answer: Option<Outgoing>, modern: bool) -> Response {
    match answer {
        Some(m) => {
            let status = match (modern, m.as_message()) {
                (true, Some(m)) => modern_status(m),
                _ => StatusCode::OK,
            };
            reply::json(status, bytes_of(&m))
        }
        None => reply::error(
            StatusCode::OK,
            None,
            mcp_protocol::ErrorObject::new(ErrorCode::REQUEST_CANCELLED, "request cancelled"),
        ),
    }
}

/// A 200 SSE answer with the headers proxies need to stream it.
pub(crate) fn sse_response(body: Body) -> Response {
    let mut r = Response::new(body);
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    r
}

/// Adds the session id header to an answer.
pub(crate) fn with_session_header(mut r: Response, id: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(id) {
        r.headers_mut().insert(headers::SESSION_ID, v);
    }
    r
}
