//! Bad input of every kind gets the spec's status and body, and the server keeps serving.
#![allow(clippy::unwrap_used)]

mod support;

use axum::body::Body;
use http::{Request, StatusCode};
use mcp_transport_http::{HttpConfig, router};
use serde_json::json;
use support::*;

struct Case {
    name: &'static str,
    request: Request<Body>,
    status: StatusCode,
    /// The JSON-RPC error code of the body, when the spec asks for one.
    code: Option<i64>,
}

fn with_method(method: &str, mut r: Request<Body>) -> Request<Body> {
    *r.method_mut() = method.parse().unwrap();
    r
}

#[tokio::test]
async fn malformed_requests_get_clear_errors_and_the_server_survives() {
    let (server, _events, _release) = server();
    let app = router(server, HttpConfig::default().max_body_bytes(4096));
    let session = open_session(&app, &[]).await;
    let s = session.as_str();
    let legacy = [("mcp-session-id", s), ("mcp-protocol-version", LEGACY)];
    let ping = json!({"jsonrpc":"2.0","id":1,"method":"ping"});
    let modern_list =
        json!({"jsonrpc":"2.0","id":5,"method":"tools/list","params":{"_meta": modern_meta()}});
    let echo = modern_call(6, "echo", json!({"text":"x"}));

    let cases = vec![
        Case {
            name: "bad JSON",
            request: post_raw(b"{\"jsonrpc\":".to_vec(), &legacy),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32700),
        },
        Case {
            name: "invalid UTF-8",
            request: post_raw(b"{\"a\":\"\xff\xfe\"}".to_vec(), &legacy),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32700),
        },
        Case {
            name: "not JSON-RPC",
            request: post(&json!({"hello":1}), &legacy),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32600),
        },
        Case {
            name: "null id",
            request: post(&json!({"jsonrpc":"2.0","id":null,"method":"ping"}), &legacy),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32600),
        },
        Case {
            name: "wrong content type",
            request: {
                let mut r = post(&ping, &legacy);
                r.headers_mut()
                    .insert("content-type", "text/plain".parse().unwrap());
                r
            },
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code: None,
        },
        Case {
            name: "missing Accept",
            request: {
                let mut r = post(&ping, &legacy);
                r.headers_mut().remove("accept");
                r
            },
            status: StatusCode::NOT_ACCEPTABLE,
            code: None,
        },
        Case {
            name: "Accept without SSE",
            request: {
                let mut r = post(&ping, &legacy);
                r.headers_mut()
                    .insert("accept", "application/json".parse().unwrap());
                r
            },
            status: StatusCode::NOT_ACCEPTABLE,
            code: None,
        },
        Case {
            name: "unknown protocol version",
            request: post(
                &ping,
                &[
                    ("mcp-session-id", s),
                    ("mcp-protocol-version", "1999-01-01"),
                ],
            ),
            status: StatusCode::BAD_REQUEST,
            code: None,
        },
        Case {
            name: "missing session",
            request: post(&ping, &[("mcp-protocol-version", LEGACY)]),
            status: StatusCode::BAD_REQUEST,
            code: None,
        },
        Case {
            name: "unknown session",
            request: post(
                &ping,
                &[
                    ("mcp-session-id", "forged"),
                    ("mcp-protocol-version", LEGACY),
                ],
            ),
            status: StatusCode::NOT_FOUND,
            code: None,
        },
        Case {
            name: "batch in 2025-11-25",
            request: post(&json!([ping.clone()]), &legacy),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32600),
        },
        Case {
            name: "oversize body",
            request: post(
                &json!({"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"x".repeat(8192)}}),
                &legacy,
            ),
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: None,
        },
        Case {
            name: "evil Host",
            request: {
                let mut r = post(&ping, &legacy);
                r.headers_mut()
                    .insert("host", "evil.example.com".parse().unwrap());
                r
            },
            status: StatusCode::FORBIDDEN,
            code: Some(-32000),
        },
        Case {
            name: "evil Origin",
            request: post(
                &ping,
                &[
                    ("mcp-session-id", s),
                    ("mcp-protocol-version", LEGACY),
                    ("origin", "http://evil.example.com"),
                ],
            ),
            status: StatusCode::FORBIDDEN,
            code: Some(-32000),
        },
        Case {
            name: "evil Host on GET",
            request: {
                let mut r = get(&legacy);
                r.headers_mut()
                    .insert("host", "evil.example.com:80".parse().unwrap());
                r
            },
            status: StatusCode::FORBIDDEN,
            code: Some(-32000),
        },
        Case {
            name: "evil Host on DELETE",
            request: {
                let mut r = delete(&legacy);
                r.headers_mut()
                    .insert("host", "rebind.attacker".parse().unwrap());
                r
            },
            status: StatusCode::FORBIDDEN,
            code: Some(-32000),
        },
        Case {
            name: "GET without SSE accept",
            request: {
                let mut r = get(&legacy);
                r.headers_mut()
                    .insert("accept", "application/json".parse().unwrap());
                r
            },
            status: StatusCode::NOT_ACCEPTABLE,
            code: None,
        },
        Case {
            name: "PUT",
            request: with_method("PUT", post(&ping, &legacy)),
            status: StatusCode::METHOD_NOT_ALLOWED,
            code: None,
        },
        Case {
            name: "2026 missing version header",
            request: post(&modern_list, &[("mcp-method", "tools/list")]),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32020),
        },
        Case {
            name: "2026 version header mismatch",
            request: post(
                &modern_list,
                &[
                    ("mcp-protocol-version", LEGACY),
                    ("mcp-method", "tools/list"),
                ],
            ),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32020),
        },
        Case {
            name: "2026 missing Mcp-Method",
            request: post(&modern_list, &[("mcp-protocol-version", MODERN)]),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32020),
        },
        Case {
            name: "2026 Mcp-Method mismatch",
            request: post(
                &modern_list,
                &[
                    ("mcp-protocol-version", MODERN),
                    ("mcp-method", "prompts/list"),
                ],
            ),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32020),
        },
        Case {
            name: "2026 missing Mcp-Name",
            request: post(
                &echo,
                &[
                    ("mcp-protocol-version", MODERN),
                    ("mcp-method", "tools/call"),
                ],
            ),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32020),
        },
        Case {
            name: "2026 Mcp-Name mismatch",
            request: post(
                &echo,
                &[
                    ("mcp-protocol-version", MODERN),
                    ("mcp-method", "tools/call"),
                    ("mcp-name", "slow"),
                ],
            ),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32020),
        },
        Case {
            name: "2026 bad Base64 Mcp-Name",
            request: post(
                &echo,
                &[
                    ("mcp-protocol-version", MODERN),
                    ("mcp-method", "tools/call"),
                    ("mcp-name", "=?base64?!!!?="),
                ],
            ),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32020),
        },
        Case {
            name: "2026 Mcp-Param mismatch",
            request: post(
                &modern_call(7, "region_echo", json!({"region":"us"})),
                &[
                    ("mcp-protocol-version", MODERN),
                    ("mcp-method", "tools/call"),
                    ("mcp-name", "region_echo"),
                    ("mcp-param-region", "eu"),
                ],
            ),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32020),
        },
        Case {
            name: "2026 response from client",
            request: post(
                &json!({"jsonrpc":"2.0","id":1,"result":{}}),
                &[("mcp-protocol-version", MODERN)],
            ),
            status: StatusCode::BAD_REQUEST,
            code: Some(-32600),
        },
    ];

    for case in cases {
        let a = send(&app, case.request).await;
        assert_eq!(
            a.status,
            case.status,
            "{}: {}",
            case.name,
            String::from_utf8_lossy(&a.body)
        );
        if let Some(code) = case.code {
            let body = a.json();
            assert_eq!(body["error"]["code"], code, "{}: {body}", case.name);
            assert_eq!(body["jsonrpc"], "2.0", "{}", case.name);
        }
        if a.status != StatusCode::NOT_ACCEPTABLE && a.status != StatusCode::METHOD_NOT_ALLOWED {
            assert!(!a.body.is_empty(), "{}: errors come with a body", case.name);
        }
        // The server still answers a normal request afterwards.
        let ok = send(&app, post(&ping, &legacy)).await;
        assert_eq!(ok.status, StatusCode::OK, "after {}", case.name);
        assert_eq!(ok.json()["result"], json!({}), "after {}", case.name);
    }
}

#[tokio::test]
async fn loopback_names_with_ports_are_accepted() {
    let (server, _events, _release) = server();
    let app = router(server, HttpConfig::default());
    for host in [
        "localhost",
        "localhost:3000",
        "127.0.0.1:1",
        "[::1]:8080",
        "LOCALHOST",
    ] {
        let mut r = post(
            &initialize_body(LEGACY),
            &[("origin", "http://localhost:3000")],
        );
        r.headers_mut().insert("host", host.parse().unwrap());
        let a = send(&app, r).await;
        assert_eq!(a.status, StatusCode::OK, "{host}");
    }
    let any = router(
        support::server().0,
        HttpConfig::default().allowed_hosts(mcp_transport_http::HostPolicy::Any),
    );
    let mut r = post(&initialize_body(LEGACY), &[]);
    r.headers_mut()
        .insert("host", "mcp.example.com".parse().unwrap());
    assert_eq!(
        send(&any, r).await.status,
        StatusCode::OK,
        "allow-any behind a proxy"
    );
}
