//! HTTP request handling: method, headers and body from the input, through the router.
//!
//! Input layout: the first line is the method, then `name: value` header lines, an empty
//! line, then the body (like HTTP/1.1 on the wire). Lines that do not form a valid header
//! are dropped. Invariants: the router never panics or hangs, and every 4xx answer with a
//! JSON body is a JSON-RPC error.
#![no_main]

use std::time::Duration;

use axum::body::Body;
use coder_mcp_fuzz::{HANG, runtime, server};
use http::{HeaderName, HeaderValue, Method, Request};
use http_body_util::BodyExt as _;
use libfuzzer_sys::fuzz_target;
use mcp_transport_http::{HttpConfig, router};
use tower::ServiceExt as _;

fn split_head(data: &[u8]) -> (&[u8], &[u8]) {
    match data.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&data[..i], &data[i + 2..]),
        None => (data, &[]),
    }
}

fuzz_target!(|data: &[u8]| {
    let (head, body) = split_head(data);
    let mut lines = head.split(|b| *b == b'\n');
    let method = lines
        .next()
        .and_then(|m| Method::from_bytes(m).ok())
        .unwrap_or(Method::POST);
    let mut builder = Request::builder().method(method).uri("/mcp");
    for line in lines {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        if let (Ok(n), Ok(v)) = (HeaderName::from_bytes(name), HeaderValue::from_bytes(value)) {
            builder = builder.header(n, v);
        }
    }
    let Ok(request) = builder.body(Body::from(body.to_vec())) else {
        return;
    };
    runtime().block_on(async {
        let app = router(
            server(),
            HttpConfig::default()
                .max_body_bytes(64 * 1024)
                .body_timeout(Duration::from_secs(1))
                .sse_keep_alive(None),
        );
        let response = tokio::time::timeout(HANG, app.oneshot(request))
            .await
            .expect("the router answered in time")
            .expect("infallible");
        let status = response.status();
        let is_json = response
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
        if response
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"))
        {
            // An SSE answer may stay open for server messages; the status is enough.
            return;
        }
        let bytes = tokio::time::timeout(HANG, response.into_body().collect())
            .await
            .expect("the body ended in time")
            .expect("a body")
            .to_bytes();
        if status.is_client_error() && is_json && !bytes.is_empty() {
            let v: serde_json::Value = serde_json::from_slice(&bytes).expect("a JSON error body");
            assert!(v["error"]["code"].is_i64(), "{v}");
        }
    });
});
