//! Regression tests for the security advisories other MCP SDKs had (mcp-reference §5):
//! DNS rebinding through `Host` and `Origin`, session hijack across principals, data leaks
//! between concurrent clients, and denial of service through huge, slow or deeply nested
//! bodies. The router is driven in-process, without sockets.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::HashSet;
use std::convert::Infallible;
use std::time::Duration;

use async_trait::async_trait;
use axum::body::Body;
use bytes::Bytes;
use http::request::Parts;
use http::{Request, StatusCode};
use mcp_transport_http::{
    AuthRejection, Authenticator, HostPolicy, HttpConfig, Principal, bearer_token, router,
};
use serde_json::{Value, json};
use support::*;

/// Maps the bearer tokens `token-alice` and `token-bob` to principals; anything else is 401.
struct TwoUsers;

#[async_trait]
impl Authenticator for TwoUsers {
    async fn authenticate(&self, parts: &Parts) -> Result<Principal, AuthRejection> {
        match bearer_token(parts) {
            Some("token-alice") => Ok(Principal::new("alice")),
            Some("token-bob") => Ok(Principal::new("bob")),
            _ => Err(AuthRejection::Unauthorized),
        }
    }
}

const ALICE: (&str, &str) = ("authorization", "Bearer token-alice");
const BOB: (&str, &str) = ("authorization", "Bearer token-bob");

fn ping(id: i64) -> Value {
    json!({"jsonrpc":"2.0","id":id,"method":"ping"})
}

fn with_host(mut r: Request<Body>, host: &str) -> Request<Body> {
    r.headers_mut().insert("host", host.parse().unwrap());
    r
}

// ---------------------------------------------------------------------------------------
// DNS rebinding (TS GHSA-w48q-cv73-mx4w, python GHSA-9h52-p55h-vw2f, go GHSA-xw59-hvm2-8pj6,
// java GHSA-8jxr-pr72-r468, rmcp GHSA-89vp-x53w-74fx)
// ---------------------------------------------------------------------------------------

/// Names an attacker's page could reach the server through once its DNS record points at
/// 127.0.0.1, plus malformed authorities; none may be served.
const REBOUND_HOSTS: &[&str] = &[
    "evil.example.com",
    "evil.example.com:8080",
    "localhost.evil.example.com",
    "127.0.0.1.nip.io",
    "localhost.",
    "evil.example.com@localhost",
    "localhost@evil.example.com",
    "user@127.0.0.1:8080",
    "127.0.0.1:notaport",
    "[::1]x",
    "[::1",
    "0.0.0.0",
    "10.0.0.1",
    "",
    " ",
];

const REBOUND_ORIGINS: &[&str] = &[
    "http://evil.example.com",
    "https://evil.example.com:443",
    "http://localhost.evil.example.com",
    "http://127.0.0.1.nip.io:8080",
    "null",
    "file://",
    "javascript:alert(1)",
    "ftp://localhost",
    "http://evil.example.com@",
    "not a url",
];

#[tokio::test]
async fn rebinding_hosts_are_refused_on_every_method_and_in_both_eras() {
    let (server, _e, _r) = server();
    let app = router(server, HttpConfig::default());
    let session = open_session(&app, &[]).await;
    let legacy = [
        ("mcp-session-id", session.as_str()),
        ("mcp-protocol-version", LEGACY),
    ];
    let modern_list =
        json!({"jsonrpc":"2.0","id":9,"method":"tools/list","params":{"_meta": modern_meta()}});
    let modern_headers = [
        ("mcp-protocol-version", MODERN),
        ("mcp-method", "tools/list"),
    ];

    for host in REBOUND_HOSTS {
        let requests = [
            ("initialize", post(&initialize_body(LEGACY), &[])),
            ("legacy ping", post(&ping(2), &legacy)),
            ("modern list", post(&modern_list, &modern_headers)),
            ("GET", get(&legacy)),
            ("DELETE", delete(&legacy)),
        ];
        for (what, request) in requests {
            let mut request = request;
            if host.is_empty() {
                request.headers_mut().remove("host");
            } else {
                request = with_host(request, host);
            }
            let a = send(&app, request).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{what} with Host {host:?}");
            assert_eq!(
                a.json()["error"]["code"],
                -32000,
                "{what} with Host {host:?}"
            );
            assert!(
                a.headers.get("mcp-session-id").is_none(),
                "no session leaks out"
            );
        }
    }
    // The session was never touched by the refused DELETEs.
    let a = send(&app, post(&ping(3), &legacy)).await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn rebinding_origins_are_refused_but_loopback_origins_pass() {
    let (server, _e, _r) = server();
    let app = router(server, HttpConfig::default());
    for origin in REBOUND_ORIGINS {
        let a = send(&app, post(&initialize_body(LEGACY), &[("origin", origin)])).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "Origin {origin:?}");
        let a = send(&app, get(&[("origin", origin)])).await;
        assert_eq!(
            a.status,
            StatusCode::FORBIDDEN,
            "GET with Origin {origin:?}"
        );
    }
    for origin in [
        "http://localhost",
        "http://localhost:5173",
        "https://127.0.0.1:8443",
        "http://[::1]:3000",
        "HTTP://LOCALHOST:1",
    ] {
        let a = send(&app, post(&initialize_body(LEGACY), &[("origin", origin)])).await;
        assert_eq!(a.status, StatusCode::OK, "Origin {origin:?}");
    }
}

#[tokio::test]
async fn an_allow_list_admits_only_the_names_on_it() {
    let (server, _e, _r) = server();
    let app = router(
        server,
        HttpConfig::default()
            .allowed_hosts(HostPolicy::Allow(vec!["mcp.example.com".into()]))
            .allowed_origins(HostPolicy::Allow(vec!["app.example.com".into()])),
    );
    let ok = with_host(
        post(
            &initialize_body(LEGACY),
            &[("origin", "https://app.example.com")],
        ),
        "mcp.example.com:443",
    );
    assert_eq!(send(&app, ok).await.status, StatusCode::OK);
    for (host, origin) in [
        ("localhost", "https://app.example.com"),
        (
            "mcp.example.com.evil.example.com",
            "https://app.example.com",
        ),
        (
            "mcp.example.com",
            "https://app.example.com.evil.example.com",
        ),
        ("mcp.example.com", "https://mcp.example.com"),
    ] {
        let r = with_host(post(&initialize_body(LEGACY), &[("origin", origin)]), host);
        assert_eq!(
            send(&app, r).await.status,
            StatusCode::FORBIDDEN,
            "{host} / {origin}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Session hijack across principals (python GHSA-jpw9-pfvf-9f58)
// ---------------------------------------------------------------------------------------

#[tokio::test]
async fn another_principals_session_id_gets_404_on_every_method() {
    let (server, _e, _r) = server();
    let app = router(server, HttpConfig::default().authenticator(TwoUsers));
    let session = open_session(&app, &[ALICE]).await;
    let as_bob = [
        ("mcp-session-id", session.as_str()),
        ("mcp-protocol-version", LEGACY),
        BOB,
    ];
    let call = json!({"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"whoami","arguments":{}}});
    for (what, request) in [
        ("ping", post(&ping(4), &as_bob)),
        ("call", post(&call, &as_bob)),
        (
            "notification",
            post(
                &json!({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}),
                &as_bob,
            ),
        ),
        (
            "response",
            post(&json!({"jsonrpc":"2.0","id":1,"result":{}}), &as_bob),
        ),
        ("GET", get(&as_bob)),
        ("DELETE", delete(&as_bob)),
    ] {
        let a = send(&app, request).await;
        assert_eq!(
            a.status,
            StatusCode::NOT_FOUND,
            "bob's {what} on alice's session"
        );
    }
    // Without any token: 401, never the session.
    let anonymous = [
        ("mcp-session-id", session.as_str()),
        ("mcp-protocol-version", LEGACY),
    ];
    assert_eq!(
        send(&app, post(&ping(6), &anonymous)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Alice's session survived bob's DELETE and still answers as alice.
    let as_alice = [
        ("mcp-session-id", session.as_str()),
        ("mcp-protocol-version", LEGACY),
        ALICE,
    ];
    let a = send(&app, post(&call, &as_alice)).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["result"]["content"][0]["text"], "alice");
}

#[tokio::test]
async fn session_ids_are_unpredictable_and_unique() {
    let (server, _e, _r) = server();
    let app = router(server, HttpConfig::default());
    let mut seen = HashSet::new();
    for _ in 0..200 {
        let a = send(&app, post(&initialize_body(LEGACY), &[])).await;
        let id = a.headers["mcp-session-id"].to_str().unwrap().to_owned();
        assert!(id.len() >= 22, "at least 128 bits: {id}");
        assert!(id.bytes().all(|b| (0x21..=0x7e).contains(&b)));
        assert!(seen.insert(id), "duplicate session id");
    }
    // No two ids share a long common prefix (a counter or a timestamp would).
    let ids: Vec<&String> = seen.iter().collect();
    let longest_prefix = ids
        .iter()
        .flat_map(|a| ids.iter().map(move |b| (a, b)))
        .filter(|(a, b)| a != b)
        .map(|(a, b)| a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count())
        .max()
        .unwrap();
    assert!(longest_prefix < 8, "ids look sequential: {longest_prefix}");
    // A guessed id (one character changed) is unknown.
    let mut guess = ids[0].clone().into_bytes();
    guess[0] = if guess[0] == b'A' { b'B' } else { b'A' };
    let guess = String::from_utf8(guess).unwrap();
    let a = send(
        &app,
        post(
            &ping(1),
            &[("mcp-session-id", &guess), ("mcp-protocol-version", LEGACY)],
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

// ---------------------------------------------------------------------------------------
// Cross-client leaks (TS GHSA-345p-7cg4-v4c7): one server, many concurrent clients
// ---------------------------------------------------------------------------------------

/// Every client sends the same request ids with its own payload and progress token; each
/// must see exactly its own answers and notifications.
async fn run_client(app: axum::Router, n: usize, principal: Option<(&'static str, &'static str)>) {
    let mut extra = Vec::new();
    if let Some(p) = principal {
        extra.push(p);
    }
    let session = open_session(&app, &extra).await;
    let mut h = vec![
        ("mcp-session-id", session.as_str()),
        ("mcp-protocol-version", LEGACY),
    ];
    h.extend(extra.iter().copied());
    let mine = format!("client-{n}");
    for round in 0..5 {
        let echo = json!({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{
            "name":"echo","arguments":{"text": format!("{mine}-{round}")}}});
        let a = send(&app, post(&echo, &h)).await;
        assert_eq!(a.status, StatusCode::OK);
        let body = a.json();
        assert_eq!(body["id"], 1);
        assert_eq!(
            body["result"]["content"][0]["text"],
            format!("{mine}-{round}")
        );

        let progress = json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{
            "name":"progress","arguments":{},"_meta":{"progressToken": mine}}});
        let a = send(&app, post(&progress, &h)).await;
        let messages = a.sse_messages();
        assert_eq!(messages.len(), 4, "three progress notes and the result");
        for m in &messages[..3] {
            assert_eq!(m["params"]["progressToken"], mine.as_str(), "leaked: {m}");
        }
        assert_eq!(messages[3]["id"], 2);
        if let Some((_, token)) = principal {
            let who = json!({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"whoami","arguments":{}}});
            let a = send(&app, post(&who, &h)).await;
            let expected = token.trim_start_matches("Bearer token-");
            assert_eq!(a.json()["result"]["content"][0]["text"], expected);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clients_never_see_each_others_messages() {
    let (server, _e, _r) = server();
    let app = router(server, HttpConfig::default());
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..24 {
        tasks.spawn(run_client(app.clone(), n, None));
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_principals_each_see_only_their_identity() {
    let (server, _e, _r) = server();
    let app = router(server, HttpConfig::default().authenticator(TwoUsers));
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..16 {
        let p = if n % 2 == 0 { ALICE } else { BOB };
        tasks.spawn(run_client(app.clone(), n, Some(p)));
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_stateless_modern_calls_get_their_own_answers() {
    let (server, _e, _r) = server();
    let app = router(server, HttpConfig::default());
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..32_i64 {
        let app = app.clone();
        tasks.spawn(async move {
            let text = format!("modern-{n}");
            let body = modern_call(1, "echo", json!({"text": text}));
            let h = [
                ("mcp-protocol-version", MODERN),
                ("mcp-method", "tools/call"),
                ("mcp-name", "echo"),
            ];
            let a = send(&app, post(&body, &h)).await;
            assert_eq!(a.status, StatusCode::OK);
            assert_eq!(a.json()["result"]["content"][0]["text"], text);
        });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
}

// ---------------------------------------------------------------------------------------
// Denial of service (python GHSA-3qhf-m339-9g5v, GHSA-j975-95f5-7wqh)
// ---------------------------------------------------------------------------------------

fn streamed_post(body: Body, extra: &[(&str, &str)]) -> Request<Body> {
    let mut r = post_raw(Vec::new(), extra);
    *r.body_mut() = body;
    r
}

#[tokio::test]
async fn huge_bodies_get_413_without_being_read_to_the_end() {
    let (server, _e, _r) = server();
    let app = router(server, HttpConfig::default().max_body_bytes(64 * 1024));
    // Declared length over the limit.
    let mut r = post_raw(vec![b' '; 70 * 1024], &[]);
    r.headers_mut()
        .insert("content-length", (70 * 1024).to_string().parse().unwrap());
    assert_eq!(send(&app, r).await.status, StatusCode::PAYLOAD_TOO_LARGE);

    // An endless chunked body: the server must stop reading and answer.
    let chunk = Bytes::from(vec![b'['; 16 * 1024]);
    let endless = futures::stream::repeat_with(move || Ok::<_, Infallible>(chunk.clone()));
    let a = send(&app, streamed_post(Body::from_stream(endless), &[])).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);

    // A lying Content-Length (small) with a larger body is still capped.
    let mut r = post_raw(vec![b'x'; 200 * 1024], &[]);
    r.headers_mut()
        .insert("content-length", "10".parse().unwrap());
    let a = send(&app, r).await;
    assert!(a.status.is_client_error(), "{}", a.status);

    // Still serving.
    let a = send(&app, post(&initialize_body(LEGACY), &[])).await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn a_slow_body_times_out_and_the_server_keeps_serving() {
    let (server, _e, _r) = server();
    let app = router(
        server,
        HttpConfig::default().body_timeout(Duration::from_millis(200)),
    );
    // Sends the first bytes of a request, then nothing more, ever.
    let first = futures::stream::once(async {
        Ok::<_, Infallible>(Bytes::from_static(b"{\"jsonrpc\":\"2.0\","))
    });
    let stalled = futures::StreamExt::chain(first, futures::stream::pending());
    let a = send(&app, streamed_post(Body::from_stream(stalled), &[])).await;
    assert_eq!(a.status, StatusCode::REQUEST_TIMEOUT);
    let a = send(&app, post(&initialize_body(LEGACY), &[])).await;
    assert_eq!(a.status, StatusCode::OK);
}

/// `depth` nested arrays or objects around `inner`.
fn nested(depth: usize, object: bool) -> String {
    let (open, close) = if object { ("{\"a\":", "}") } else { ("[", "]") };
    let mut s = String::with_capacity(depth * 6);
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push('1');
    for _ in 0..depth {
        s.push_str(close);
    }
    s
}

#[tokio::test]
async fn deeply_nested_json_is_answered_without_stack_overflow() {
    let (server, _e, _r) = server();
    let app = router(
        server,
        HttpConfig::default().max_body_bytes(8 * 1024 * 1024),
    );
    let session = open_session(&app, &[]).await;
    let legacy = [
        ("mcp-session-id", session.as_str()),
        ("mcp-protocol-version", LEGACY),
    ];
    for depth in [200, 10_000, 500_000] {
        for object in [false, true] {
            let deep = nested(depth, object);
            // The whole body nested.
            let a = send(&app, post_raw(deep.clone().into_bytes(), &legacy)).await;
            assert_eq!(a.status, StatusCode::BAD_REQUEST, "depth {depth}");
            assert!(a.json()["error"]["code"].is_i64());
            // Nested inside params and inside tool arguments.
            let body = format!(
                "{{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{{\"name\":\"echo\",\"arguments\":{{\"text\":\"x\",\"deep\":{deep}}}}}}}"
            );
            let a = send(&app, post_raw(body.into_bytes(), &legacy)).await;
            assert!(
                a.status == StatusCode::OK || a.status == StatusCode::BAD_REQUEST,
                "depth {depth}: {}",
                a.status
            );
            let reply = a.json();
            assert!(
                reply.get("error").is_some() || reply.get("result").is_some(),
                "{reply}"
            );
            // Nested in the 2026-07-28 `_meta`.
            let body = format!(
                "{{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\",\"params\":{{\"_meta\":{{\"io.modelcontextprotocol/protocolVersion\":\"{MODERN}\",\"x\":{deep}}}}}}}"
            );
            let a = send(
                &app,
                post_raw(
                    body.into_bytes(),
                    &[
                        ("mcp-protocol-version", MODERN),
                        ("mcp-method", "tools/list"),
                    ],
                ),
            )
            .await;
            assert!(
                a.status.is_client_error() || a.status.is_success(),
                "{}",
                a.status
            );
        }
    }
    let a = send(&app, post(&ping(99), &legacy)).await;
    assert_eq!(a.json()["result"], json!({}));
}
