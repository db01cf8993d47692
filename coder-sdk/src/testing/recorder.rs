//! The request log: what the simulator received and answered, secrets removed.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::faults::InjectedFault;
use super::shared::{Shared, lock};

/// The largest request body accepted (Coder's own limit for file uploads is 10 MiB).
const MAX_REQUEST_BODY: usize = 10 * 1024 * 1024;
/// The largest JSON answer buffered for the log.
const MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// Headers whose values are secrets; their values are replaced in the log.
const SECRET_HEADERS: [&str; 4] = [
    "coder-session-token",
    "authorization",
    "cookie",
    "set-cookie",
];

/// Query parameters whose values are secrets.
const SECRET_QUERY: [&str; 2] = ["coder_session_token", "access_token"];

/// What stands in for a secret in the log.
pub const REDACTED: &str = "[redacted]";

/// One request the simulator received, with its answer, for assertions in tests.
///
/// Secrets never reach the log: token headers, cookies and token query parameters keep
/// their names but carry [`REDACTED`] as the value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// HTTP method, upper case.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The raw query string (secrets redacted), if any.
    pub query: Option<String>,
    /// Request headers as (lower-case name, value) pairs, secrets redacted.
    pub headers: Vec<(String, String)>,
    /// The request body, when it was JSON.
    pub body: Option<Value>,
    /// The answer's status; `None` when the connection was dropped.
    pub status: Option<u16>,
    /// The answer's body, when it was JSON.
    pub response: Option<Value>,
    /// The fault injected into this request, if any.
    pub fault: Option<InjectedFault>,
    /// For a followed log stream (a WebSocket), the JSON text frames sent so far.
    pub frames: Vec<Value>,
}

impl RecordedRequest {
    /// The value of a request header (lower-case name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The (decoded) query parameters.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query
            .as_deref()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Where a request's log entry lives, so inner layers can annotate it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RecordIndex(pub(crate) usize);

/// How many requests the log keeps. A long-running demo (`coder-mcp --demo`) answers
/// requests indefinitely; without a bound the log grew by gigabytes (a soak run of 200,000
/// calls reached 3.6 GiB). Tests look at far fewer.
const MAX_RECORDED: usize = 1_000;

/// The recorded requests and how many older ones were forgotten.
#[derive(Debug, Default)]
struct Log {
    entries: VecDeque<RecordedRequest>,
    /// Absolute index of `entries[0]`.
    first: usize,
}

/// The shared request log (the most recent [`MAX_RECORDED`] requests).
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    entries: Arc<Mutex<Log>>,
}

impl Recorder {
    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        lock(&self.entries).entries.iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        let mut log = lock(&self.entries);
        log.first += log.entries.len();
        log.entries.clear();
    }

    /// Records a request; returns its absolute index (stable while older ones are dropped).
    fn push(&self, entry: RecordedRequest) -> usize {
        let mut log = lock(&self.entries);
        if log.entries.len() == MAX_RECORDED {
            log.entries.pop_front();
            log.first += 1;
        }
        log.entries.push_back(entry);
        log.first + log.entries.len() - 1
    }

    fn with(&self, i: usize, f: impl FnOnce(&mut RecordedRequest)) {
        let mut log = lock(&self.entries);
        let Some(at) = i.checked_sub(log.first) else {
            return;
        };
        if let Some(entry) = log.entries.get_mut(at) {
            f(entry);
        }
    }

    pub(crate) fn push_frame(&self, i: usize, frame: Value) {
        self.with(i, |e| e.frames.push(frame));
    }

    pub(crate) fn mark_fault(&self, i: usize, fault: InjectedFault) {
        self.with(i, |e| e.fault = Some(fault));
    }
}

fn redact_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_str().to_ascii_lowercase();
            let value = if SECRET_HEADERS.contains(&name.as_str()) {
                REDACTED.to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name, value)
        })
        .collect()
}

fn redact_query(query: &str) -> String {
    url::form_urlencoded::parse(query.as_bytes())
        .fold(
            url::form_urlencoded::Serializer::new(String::new()),
            |mut out, (k, v)| {
                if SECRET_QUERY.contains(&k.as_ref()) {
                    out.append_pair(&k, REDACTED);
                } else {
                    out.append_pair(&k, &v);
                }
                out
            },
        )
        .finish()
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
}

/// The outermost middleware: logs each request and its answer.
pub(crate) async fn record_layer(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_REQUEST_BODY).await else {
        return super::api_error::ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "Request body is too large.",
        )
        .into_response();
    };
    let index = shared.recorder.push(RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(redact_query),
        headers: redact_headers(&parts.headers),
        body: serde_json::from_slice(&bytes).ok(),
        status: None,
        response: None,
        fault: None,
        frames: Vec::new(),
    });
    parts.extensions.insert(RecordIndex(index));
    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let status = resp.status().as_u16();
    if status == 101 || !is_json(resp.headers()) {
        shared.recorder.with(index, |e| e.status = Some(status));
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let bytes = to_bytes(body, MAX_RESPONSE_BODY).await.unwrap_or_default();
    let json = serde_json::from_slice(&bytes).ok();
    shared.recorder.with(index, |e| {
        e.status = Some(status);
        e.response = json;
    });
    Response::from_parts(parts, Body::from(bytes))
}
