//! `Mcp-Param-*` declarations are remembered between stateless calls, and forgotten when
//! the server announces that its tool list changed.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use http::StatusCode;
use mcp_protocol::types::{
    CallToolParams, CallToolResult, ListToolsResult, PaginatedParams, ServerCapabilities, Tool,
    ToolsCapability,
};
use mcp_protocol::{Handler, RequestContext, Result, Server, async_trait};
use mcp_transport_http::{
    AuthRejection, Authenticator, HttpConfig, Principal, bearer_token, router,
};
use serde_json::{Value, json};
use support::{MODERN, modern_call, post, send};

/// One tool, `lookup`, whose `key` argument gains an `x-mcp-header` when `mirrored` is set.
#[derive(Default)]
struct Changing {
    mirrored: AtomicBool,
    lists: AtomicUsize,
    /// Declares the header to this principal only.
    mirrored_for: Option<&'static str>,
}

#[async_trait]
impl Handler for Changing {
    fn capabilities(&self) -> ServerCapabilities {
        ServerCapabilities {
            tools: Some(ToolsCapability::default()),
            ..ServerCapabilities::default()
        }
    }

    async fn list_tools(
        &self,
        ctx: &RequestContext,
        _: PaginatedParams,
    ) -> Result<ListToolsResult> {
        self.lists.fetch_add(1, Ordering::SeqCst);
        let mut key = json!({"type": "string"});
        let caller = ctx.extensions().get::<Principal>().map(Principal::id);
        if self.mirrored.load(Ordering::SeqCst)
            || self.mirrored_for.is_some_and(|p| caller == Some(p))
        {
            key["x-mcp-header"] = json!("Key");
        }
        let Value::Object(schema) = json!({"type": "object", "properties": {"key": key}}) else {
            unreachable!()
        };
        Ok(ListToolsResult {
            tools: vec![Tool::new("lookup", "Returns its key.", schema)],
            ..ListToolsResult::default()
        })
    }

    async fn call_tool(&self, _: &RequestContext, p: CallToolParams) -> Result<CallToolResult> {
        let key = p
            .arguments
            .as_ref()
            .and_then(|a| a.get("key"))
            .and_then(Value::as_str);
        Ok(CallToolResult::text(key.unwrap_or_default()))
    }
}

/// Fails with the body when the answer's status is not `status`.
fn expect_status(a: &support::Answer, status: StatusCode) {
    assert_eq!(a.status, status, "{}", String::from_utf8_lossy(&a.body));
}

fn headers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("mcp-protocol-version", MODERN),
        ("mcp-method", "tools/call"),
        ("mcp-name", "lookup"),
    ]
}

#[tokio::test]
async fn declarations_are_cached_until_the_tool_list_changes() {
    let handler = Arc::new(Changing::default());
    let server = Server::new(Arc::clone(&handler));
    let app = router(server.clone(), HttpConfig::default());

    // No declaration: calls without headers pass, and the list is read once for all of them.
    for id in 1..=5 {
        let a = send(
            &app,
            post(&modern_call(id, "lookup", json!({"key": "k"})), &headers()),
        )
        .await;
        expect_status(&a, StatusCode::OK);
        assert_eq!(a.json()["result"]["content"][0]["text"], "k");
    }
    assert_eq!(
        handler.lists.load(Ordering::SeqCst),
        1,
        "declarations were not remembered"
    );

    // The schema changes and the server says so: the header is now required.
    handler.mirrored.store(true, Ordering::SeqCst);
    server.notify_tools_list_changed();
    let a = send(
        &app,
        post(&modern_call(6, "lookup", json!({"key": "k"})), &headers()),
    )
    .await;
    expect_status(&a, StatusCode::BAD_REQUEST);
    assert_eq!(a.json()["error"]["code"], -32020);

    let mut with_header = headers();
    with_header.push(("mcp-param-key", "k"));
    let a = send(
        &app,
        post(&modern_call(7, "lookup", json!({"key": "k"})), &with_header),
    )
    .await;
    expect_status(&a, StatusCode::OK);
    assert_eq!(handler.lists.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn unknown_tools_are_not_remembered() {
    let handler = Arc::new(Changing::default());
    let app = router(Server::new(Arc::clone(&handler)), HttpConfig::default());
    let mut h = headers();
    h[2] = ("mcp-name", "missing");
    for id in 1..=3 {
        let a = send(&app, post(&modern_call(id, "missing", json!({})), &h)).await;
        assert_ne!(
            a.status,
            StatusCode::BAD_REQUEST,
            "{}",
            String::from_utf8_lossy(&a.body)
        );
    }
    assert_eq!(handler.lists.load(Ordering::SeqCst), 3);
}

/// Alice's and Bob's bearer tokens.
struct Tokens;

#[async_trait]
impl Authenticator for Tokens {
    async fn authenticate(
        &self,
        parts: &http::request::Parts,
    ) -> std::result::Result<Principal, AuthRejection> {
        match bearer_token(parts) {
            Some("alice-token") => Ok(Principal::new("alice")),
            Some("bob-token") => Ok(Principal::new("bob")),
            _ => Err(AuthRejection::Unauthorized),
        }
    }
}

#[tokio::test]
async fn each_principal_is_held_to_the_tools_it_was_shown() {
    let handler = Arc::new(Changing {
        mirrored_for: Some("alice"),
        ..Changing::default()
    });
    let app = router(
        Server::new(Arc::clone(&handler)),
        HttpConfig::default().authenticator(Tokens),
    );
    let as_user = |token: &'static str| {
        let mut h = headers();
        h.push(("authorization", token));
        h
    };
    let call = |id| modern_call(id, "lookup", json!({"key": "k"}));

    // Bob's list declares no header, so his call without one passes; that must not
    // excuse Alice, whose list declares it.
    let a = send(&app, post(&call(1), &as_user("Bearer bob-token"))).await;
    expect_status(&a, StatusCode::OK);
    let a = send(&app, post(&call(2), &as_user("Bearer alice-token"))).await;
    expect_status(&a, StatusCode::BAD_REQUEST);
    assert_eq!(a.json()["error"]["code"], -32020);

    // Alice's declaration does not bind Bob either, and both stay cached.
    let a = send(&app, post(&call(3), &as_user("Bearer bob-token"))).await;
    expect_status(&a, StatusCode::OK);
    let mut alice = as_user("Bearer alice-token");
    alice.push(("mcp-param-key", "k"));
    let a = send(&app, post(&call(4), &alice)).await;
    expect_status(&a, StatusCode::OK);
    assert_eq!(
        handler.lists.load(Ordering::SeqCst),
        2,
        "one list per principal"
    );
}
