//! The bearer-token hook: 401/403 challenges, principals in handlers, sessions bound to
//! their principal, and the RFC 9728 metadata route.
#![allow(clippy::unwrap_used)]

mod support;

use http::StatusCode;
use http::request::Parts;
use mcp_transport_http::{
    AuthRejection, Authenticator, HttpConfig, Principal, ProtectedResourceMetadata, bearer_token,
    protected_resource_metadata_router, router,
};
use serde_json::json;
use support::*;

struct Tokens;

#[mcp_protocol::async_trait]
impl Authenticator for Tokens {
    async fn authenticate(&self, parts: &Parts) -> Result<Principal, AuthRejection> {
        match bearer_token(parts) {
            Some("alice-token") => Ok(Principal::new("alice")),
            Some("bob-token") => Ok(Principal::new("bob")),
            Some("read-only") => Err(AuthRejection::Forbidden {
                scope: "mcp:tools".to_owned(),
            }),
            _ => Err(AuthRejection::Unauthorized),
        }
    }
}

fn metadata() -> ProtectedResourceMetadata {
    ProtectedResourceMetadata::new("http://127.0.0.1:8080/mcp", ["https://auth.example.com"])
        .scopes(["mcp:tools"])
}

fn app() -> axum::Router {
    let (server, _events, _release) = server();
    let config = HttpConfig::default()
        .authenticator(Tokens)
        .resource_metadata(metadata());
    axum::Router::new()
        .nest_service("/mcp", router(server, config))
        .merge(protected_resource_metadata_router(metadata()))
}

const METADATA_URL: &str = "http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp";

#[tokio::test]
async fn rejections_carry_the_right_challenge() {
    let app = app();
    let no_token = send(&app, post(&initialize_body(LEGACY), &[])).await;
    assert_eq!(no_token.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        no_token.headers["www-authenticate"],
        format!("Bearer resource_metadata=\"{METADATA_URL}\"").as_str()
    );

    let bad = send(
        &app,
        post(
            &initialize_body(LEGACY),
            &[("authorization", "Bearer nope")],
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    let challenge = bad.headers["www-authenticate"].to_str().unwrap();
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert!(challenge.contains(METADATA_URL), "{challenge}");

    let weak = send(
        &app,
        post(
            &initialize_body(LEGACY),
            &[("authorization", "Bearer read-only")],
        ),
    )
    .await;
    assert_eq!(weak.status, StatusCode::FORBIDDEN);
    let challenge = weak.headers["www-authenticate"].to_str().unwrap();
    assert!(
        challenge.contains("error=\"insufficient_scope\""),
        "{challenge}"
    );
    assert!(challenge.contains("scope=\"mcp:tools\""), "{challenge}");

    // The token never shows up in an answer.
    assert!(!String::from_utf8_lossy(&bad.body).contains("nope"));

    let prm = send(
        &app,
        http::Request::builder()
            .uri("/.well-known/oauth-protected-resource/mcp")
            .header("host", "127.0.0.1:8080")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(prm.status, StatusCode::OK);
    let doc = prm.json();
    assert_eq!(doc["resource"], "http://127.0.0.1:8080/mcp");
    assert_eq!(
        doc["authorization_servers"],
        json!(["https://auth.example.com"])
    );
    assert_eq!(doc["bearer_methods_supported"], json!(["header"]));
    assert_eq!(doc["scopes_supported"], json!(["mcp:tools"]));
}

#[tokio::test]
async fn sessions_belong_to_their_principal() {
    let app = app();
    let alice = [("authorization", "Bearer alice-token")];
    let session = open_session(&app, &alice).await;
    let whoami = json!({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{}}});
    let mine = send(
        &app,
        post(
            &whoami,
            &[
                ("authorization", "Bearer alice-token"),
                ("mcp-session-id", &session),
                ("mcp-protocol-version", LEGACY),
            ],
        ),
    )
    .await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(
        mine.json()["result"]["content"][0]["text"],
        "alice",
        "the principal reaches the handler"
    );

    let stolen = send(
        &app,
        post(
            &whoami,
            &[
                ("authorization", "Bearer bob-token"),
                ("mcp-session-id", &session),
                ("mcp-protocol-version", LEGACY),
            ],
        ),
    )
    .await;
    assert_eq!(
        stolen.status,
        StatusCode::NOT_FOUND,
        "another principal cannot use the session"
    );
    let get_stolen = send(
        &app,
        get(&[
            ("authorization", "Bearer bob-token"),
            ("mcp-session-id", &session),
            ("mcp-protocol-version", LEGACY),
        ]),
    )
    .await;
    assert_eq!(get_stolen.status, StatusCode::NOT_FOUND);
    let delete_stolen = send(
        &app,
        delete(&[
            ("authorization", "Bearer bob-token"),
            ("mcp-session-id", &session),
            ("mcp-protocol-version", LEGACY),
        ]),
    )
    .await;
    assert_eq!(delete_stolen.status, StatusCode::NOT_FOUND);

    // Alice's session is untouched.
    let again = send(
        &app,
        post(
            &whoami,
            &[
                ("authorization", "Bearer alice-token"),
                ("mcp-session-id", &session),
                ("mcp-protocol-version", LEGACY),
            ],
        ),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK);
}

#[tokio::test]
async fn one_principal_cannot_take_every_session() {
    let (server, _events, _release) = server();
    // No explicit per-principal limit: a quarter of the 8 sessions, 2.
    let config = HttpConfig::default().authenticator(Tokens).max_sessions(8);
    let app = axum::Router::new().nest_service("/mcp", router(server, config));
    let alice = [("authorization", "Bearer alice-token")];
    let bob = [("authorization", "Bearer bob-token")];
    let first = open_session(&app, &alice).await;
    open_session(&app, &alice).await;
    let refused = send(&app, post(&initialize_body(LEGACY), &alice)).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        refused.json()["error"]["message"],
        "too many sessions for this principal"
    );

    open_session(&app, &bob).await;
    open_session(&app, &bob).await;

    let closed = send(
        &app,
        delete(&[
            ("authorization", "Bearer alice-token"),
            ("mcp-session-id", &first),
            ("mcp-protocol-version", LEGACY),
        ]),
    )
    .await;
    assert!(closed.status.is_success(), "{}", closed.status);
    open_session(&app, &alice).await;
}
