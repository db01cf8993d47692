//! The shared malformed-input corpus (`fuzz/common/malformed_corpus.rs`, 500+ cases)
//! replayed as POST bodies on a legacy session, plus the HTTP-only malformations (content
//! types, `Accept`, session and version headers, methods, oversize bodies). Every case gets
//! the spec's status and JSON-RPC answer, the session keeps working, and memory stays
//! bounded over repeated replays.
#![allow(clippy::unwrap_used)]

#[path = "../../fuzz/common/malformed_corpus.rs"]
mod corpus;
mod support;

use axum::Router;
use axum::body::Body;
use corpus::Expect;
use http::{Request, StatusCode};
use mcp_transport_http::{HttpConfig, router};
use serde_json::{Value, json};
use support::*;

const LIMIT: usize = 1024 * 1024;

/// The one JSON-RPC message of an answer, JSON or SSE.
fn message_of(a: &Answer) -> Option<Value> {
    if a.content_type().starts_with("text/event-stream") {
        a.sse_messages().pop()
    } else {
        serde_json::from_slice(&a.body).ok()
    }
}

/// Why the answer does not meet the expectation, if it does not.
fn mismatch(expect: &Expect, a: &Answer) -> Option<String> {
    let id_of = |id: &Option<Value>| id.clone().unwrap_or(Value::Null);
    let m = message_of(a).unwrap_or(Value::Null);
    let ok = match expect {
        Expect::Silent => a.status == StatusCode::ACCEPTED && a.body.is_empty(),
        Expect::Error { code, id } => {
            // Unparseable messages are refused at the transport (400); errors of requests
            // the engine handled come back with 200, like any other answer.
            let status_ok = if *code == -32700 || (*code == -32600 && id.is_none()) {
                a.status == StatusCode::BAD_REQUEST
            } else {
                a.status == StatusCode::OK || a.status == StatusCode::BAD_REQUEST
            };
            status_ok && m["error"]["code"] == *code && m["id"] == id_of(id)
        }
        Expect::AnyError { id } => {
            (a.status == StatusCode::OK || a.status == StatusCode::BAD_REQUEST)
                && m["error"]["code"].is_i64()
                && m["id"] == id_of(id)
        }
        Expect::Result { id } => {
            a.status == StatusCode::OK && m.get("result").is_some() && m["id"] == *id
        }
        Expect::AnyErrorOrResult { id } => {
            (a.status == StatusCode::OK || a.status == StatusCode::BAD_REQUEST)
                && (m.get("result").is_some() || m["error"]["code"].is_i64())
                && m["id"] == *id
        }
    };
    let ok = ok && (m.is_null() || m["jsonrpc"] == "2.0");
    (!ok).then(|| {
        let mut shown = String::from_utf8_lossy(&a.body).into_owned();
        shown.truncate(300);
        format!("expected {expect:?}, got {} {shown}", a.status)
    })
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn alive(app: &Router, legacy: &[(&str, &str)], tag: &str) {
    let a = send(
        app,
        post(&json!({"jsonrpc":"2.0","id":tag,"method":"ping"}), legacy),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{tag}");
    assert_eq!(a.json()["id"], tag);
}

async fn replay(app: &Router, legacy: &[(&str, &str)], cases: &[corpus::Case]) -> Vec<String> {
    let mut wrong = Vec::new();
    for case in cases {
        let a = send(app, post_raw(case.bytes.clone(), legacy)).await;
        if let Some(why) = mismatch(&case.expect, &a) {
            wrong.push(format!("{}: {why}", case.name));
        }
    }
    wrong
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_corpus_case_gets_the_spec_answer_over_http_and_memory_stays_bounded() {
    let cases = corpus::corpus();
    assert!(cases.len() >= 500, "only {} cases", cases.len());
    let (server, _e, _r) = server();
    let app = router(server, HttpConfig::default().max_body_bytes(LIMIT));
    let session = open_session(&app, &[]).await;
    let legacy = [
        ("mcp-session-id", session.as_str()),
        ("mcp-protocol-version", LEGACY),
    ];

    let wrong = replay(&app, &legacy, &cases).await;
    assert!(
        wrong.is_empty(),
        "{} wrong answers:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    alive(&app, &legacy, "after-corpus").await;

    let warm = rss_kib();
    for _ in 0..3 {
        assert!(replay(&app, &legacy, &cases).await.is_empty());
    }
    if let (Some(warm), Some(after)) = (warm, rss_kib()) {
        let growth = after.saturating_sub(warm);
        assert!(
            growth < 32 * 1024,
            "three more replays grew RSS by {growth} KiB"
        );
    }
    alive(&app, &legacy, "after-replays").await;
}

fn set(mut r: Request<Body>, name: &'static str, value: &str) -> Request<Body> {
    r.headers_mut().insert(name, value.parse().unwrap());
    r
}

fn unset(mut r: Request<Body>, name: &'static str) -> Request<Body> {
    r.headers_mut().remove(name);
    r
}

#[tokio::test]
async fn http_malformations_get_their_status_and_the_session_survives() {
    let (server, _e, _r) = server();
    let app = router(server, HttpConfig::default().max_body_bytes(LIMIT));
    let session = open_session(&app, &[]).await;
    let s = session.as_str();
    let legacy = [("mcp-session-id", s), ("mcp-protocol-version", LEGACY)];
    let ping = json!({"jsonrpc":"2.0","id":1,"method":"ping"});
    let p = || post(&ping, &legacy);

    let mut cases: Vec<(String, Request<Body>, &[StatusCode])> = Vec::new();
    const UNSUPPORTED: &[StatusCode] = &[StatusCode::UNSUPPORTED_MEDIA_TYPE];
    const OK: &[StatusCode] = &[StatusCode::OK];
    for ct in [
        "text/plain",
        "text/html",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonx",
        "application/xml",
        "text/event-stream",
        "json",
        "",
        "application/",
        "*/*",
    ] {
        cases.push((
            format!("content-type {ct:?}"),
            set(p(), "content-type", ct),
            UNSUPPORTED,
        ));
    }
    cases.push((
        "no content-type".into(),
        unset(p(), "content-type"),
        UNSUPPORTED,
    ));
    for ct in [
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "application/json ; charset=utf-8",
    ] {
        cases.push((
            format!("content-type {ct:?}"),
            set(p(), "content-type", ct),
            OK,
        ));
    }
    const NOT_ACCEPTABLE: &[StatusCode] = &[StatusCode::NOT_ACCEPTABLE];
    for accept in [
        "application/json",
        "text/event-stream",
        "text/html",
        "",
        "application/xml, text/plain",
    ] {
        cases.push((
            format!("accept {accept:?}"),
            set(p(), "accept", accept),
            NOT_ACCEPTABLE,
        ));
    }
    cases.push(("no accept".into(), unset(p(), "accept"), NOT_ACCEPTABLE));
    for accept in [
        "application/json, text/event-stream",
        "text/event-stream, application/json",
        "application/json;q=0.9, text/event-stream;q=0.8",
    ] {
        cases.push((format!("accept {accept:?}"), set(p(), "accept", accept), OK));
    }
    const BAD: &[StatusCode] = &[StatusCode::BAD_REQUEST];
    const UNKNOWN_SESSION: &[StatusCode] = &[StatusCode::BAD_REQUEST, StatusCode::NOT_FOUND];
    cases.push(("no session".into(), unset(p(), "mcp-session-id"), BAD));
    for id in [
        "",
        "forged",
        "x".repeat(8192).as_str(),
        "a b",
        "%00",
        &format!("{s}x"),
        &s[1..],
    ] {
        cases.push((
            format!("session {id:.20?}"),
            set(p(), "mcp-session-id", id),
            UNKNOWN_SESSION,
        ));
    }
    for v in ["1999-01-01", "", "2025-11-25x", "latest", "2026-07-28"] {
        cases.push((
            format!("version {v:?}"),
            set(p(), "mcp-protocol-version", v),
            BAD,
        ));
    }
    const NOT_ALLOWED: &[StatusCode] = &[StatusCode::METHOD_NOT_ALLOWED];
    for method in ["PUT", "PATCH", "TRACE", "CONNECT"] {
        let mut r = p();
        *r.method_mut() = method.parse().unwrap();
        cases.push((format!("method {method}"), r, NOT_ALLOWED));
    }
    const TOO_LARGE: &[StatusCode] = &[StatusCode::PAYLOAD_TOO_LARGE];
    for size in [LIMIT + 1, 4 * LIMIT] {
        let body = format!(
            r#"{{"jsonrpc":"2.0","id":1,"method":"ping","params":{{"pad":"{}"}}}}"#,
            "x".repeat(size)
        );
        cases.push((
            format!("body of {size} bytes"),
            post_raw(body.into_bytes(), &legacy),
            TOO_LARGE,
        ));
    }
    let empty = post_raw(Vec::new(), &legacy);
    cases.push(("empty body".into(), empty, BAD));

    let total = cases.len();
    let mut wrong = Vec::new();
    for (name, request, statuses) in cases {
        let a = send(&app, request).await;
        if !statuses.contains(&a.status) {
            wrong.push(format!(
                "{name}: {} {}",
                a.status,
                String::from_utf8_lossy(&a.body)
            ));
        }
        if a.status == StatusCode::BAD_REQUEST && !a.body.is_empty() {
            let body: Value = serde_json::from_slice(&a.body).unwrap_or(Value::Null);
            if !body["error"]["code"].is_i64() {
                wrong.push(format!("{name}: a 400 body that is not a JSON-RPC error"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {total} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    alive(&app, &legacy, "after-http-cases").await;
}
