//! Fault injection: latency, 5xx answers, dropped connections, malformed bodies, expiring
//! tokens.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Notify;

use super::api_error::ApiError;
use super::recorder::RecordIndex;
use super::shared::{Shared, lock};

/// Which fault the simulator injected into a recorded request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InjectedFault {
    /// The request was answered with a forced 5xx status.
    Status(u16),
    /// The connection was closed without an answer.
    Dropped,
    /// The answer's JSON body was cut short.
    Malformed,
}

#[derive(Debug, Default)]
struct FaultsInner {
    latency: Mutex<Duration>,
    fail: Mutex<(u32, u16)>,
    drop: Mutex<u32>,
    malformed: Mutex<u32>,
    expired: Mutex<HashSet<String>>,
    uses_left: Mutex<HashMap<String, u32>>,
}

/// A cloneable handle that makes the simulated deployment misbehave on purpose.
///
/// Client code has to survive slow, failing and lying servers; these knobs let a test
/// provoke each case deterministically (counts of requests, not timers). Get one from
/// [`SimulatedCoder::faults`](super::SimulatedCoder::faults). Its `Debug` output shows the
/// knobs but not which tokens were expired.
#[derive(Clone, Default)]
pub struct Faults {
    inner: Arc<FaultsInner>,
}

impl std::fmt::Debug for Faults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Faults")
            .field("latency", &*lock(&self.inner.latency))
            .field("fail_next", &*lock(&self.inner.fail))
            .field("drop_next", &*lock(&self.inner.drop))
            .field("malformed_next", &*lock(&self.inner.malformed))
            .field("expired_tokens", &lock(&self.inner.expired).len())
            .field("expiring_tokens", &lock(&self.inner.uses_left).len())
            .finish()
    }
}

impl Faults {
    /// Delays every request by `latency` before it is handled (zero turns it off).
    pub fn set_latency(&self, latency: Duration) {
        *lock(&self.inner.latency) = latency;
    }

    /// Answers the next `count` requests with `status` (meant for 5xx) and a Coder error body.
    pub fn fail_next(&self, count: u32, status: u16) {
        *lock(&self.inner.fail) = (count, status);
    }

    /// Closes the connection of the next `count` requests without sending any answer.
    pub fn drop_next(&self, count: u32) {
        *lock(&self.inner.drop) = count;
    }

    /// Cuts the JSON body of the next `count` JSON answers short, so they fail to parse.
    pub fn malformed_next(&self, count: u32) {
        *lock(&self.inner.malformed) = count;
    }

    /// Makes `token` expire now: every later request with it gets a 401.
    pub fn expire_token(&self, token: &str) {
        lock(&self.inner.expired).insert(token.to_owned());
    }

    /// Lets `token` authenticate `uses` more requests, then expire.
    pub fn expire_token_after(&self, token: &str, uses: u32) {
        if uses == 0 {
            self.expire_token(token);
        } else {
            lock(&self.inner.uses_left).insert(token.to_owned(), uses);
        }
    }

    /// Turns every fault off and revives expired tokens.
    pub fn clear(&self) {
        *lock(&self.inner.latency) = Duration::ZERO;
        *lock(&self.inner.fail) = (0, 0);
        *lock(&self.inner.drop) = 0;
        *lock(&self.inner.malformed) = 0;
        lock(&self.inner.expired).clear();
        lock(&self.inner.uses_left).clear();
    }

    /// Counts one authenticated use of `token`; returns `false` if it has expired.
    pub(crate) fn use_token(&self, token: &str) -> bool {
        if lock(&self.inner.expired).contains(token) {
            return false;
        }
        let mut uses = lock(&self.inner.uses_left);
        if let Some(left) = uses.get_mut(token) {
            *left -= 1;
            if *left == 0 {
                uses.remove(token);
                lock(&self.inner.expired).insert(token.to_owned());
            }
        }
        true
    }

    fn take(counter: &Mutex<u32>) -> bool {
        let mut n = lock(counter);
        if *n > 0 {
            *n -= 1;
            true
        } else {
            false
        }
    }

    fn take_fail(&self) -> Option<u16> {
        let mut fail = lock(&self.inner.fail);
        if fail.0 > 0 {
            fail.0 -= 1;
            Some(fail.1)
        } else {
            None
        }
    }
}

/// Lets a handler close its own connection without answering.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConnKill(pub(crate) Arc<Notify>);

/// The fault-injecting middleware (inside the recorder, outside auth).
pub(crate) async fn fault_layer(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    let faults = &shared.faults;
    let record = req.extensions().get::<RecordIndex>().copied();
    let latency = *lock(&faults.inner.latency);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if Faults::take(&faults.inner.drop) {
        if let Some(RecordIndex(i)) = record {
            shared.recorder.mark_fault(i, InjectedFault::Dropped);
        }
        if let Some(kill) = req.extensions().get::<ConnKill>() {
            kill.0.notify_one();
        }
        // The connection task drops this future together with the connection.
        return std::future::pending().await;
    }
    if let Some(status) = faults.take_fail() {
        if let Some(RecordIndex(i)) = record {
            shared.recorder.mark_fault(i, InjectedFault::Status(status));
        }
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return ApiError::new(status, "Simulated failure injected by the test.")
            .detail("fault injection")
            .into_response();
    }
    let resp = next.run(req).await;
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json && Faults::take(&faults.inner.malformed) {
        if let Some(RecordIndex(i)) = record {
            shared.recorder.mark_fault(i, InjectedFault::Malformed);
        }
        let (mut parts, _) = resp.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        return Response::from_parts(parts, Body::from("{\"message\": \"truncat"));
    }
    resp
}
