#![allow(clippy::unwrap_used, missing_docs)]
//! Coder misbehaving, through the simulator's fault knobs: 5xx answers, latency past the
//! client timeout, dropped connections, malformed JSON and a token that expires mid-session.
//! Every tool call ends within its timeout with a clear `isError` result (never a hang or a
//! panic), the next calls are served, and concurrent callers are unaffected. Cancellation
//! drops the tool's in-flight Coder request, which the simulator observes. Tokens never
//! appear in any message or `Debug` output.

use std::time::Duration;

use coder_sdk::Client;
use coder_sdk::testing::SimulatedCoder;
use coder_toolsdk::{CoderToolsConfig, ToolContext, ToolRegistry, coder_tools_with};
use mcp_protocol::types::CallToolResult;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// A safety net so a hang fails the test instead of CI; no assertion depends on it.
const HANG: Duration = Duration::from_secs(20);

struct Env {
    sim: SimulatedCoder,
    tools: ToolRegistry,
}

async fn env_with_timeout(timeout: Option<Duration>) -> Env {
    let sim = SimulatedCoder::start().await.unwrap();
    let mut builder = Client::builder()
        .url(sim.url())
        .unwrap()
        .token(sim.session_token())
        .agent_token(sim.agent_token().unwrap_or_default());
    if let Some(t) = timeout {
        builder = builder.timeout(t);
    }
    let client = builder.build().unwrap();
    let tools = coder_tools_with(&client, &CoderToolsConfig::new());
    Env { sim, tools }
}

async fn call(tools: &ToolRegistry, name: &str, args: Value) -> CallToolResult {
    tokio::time::timeout(HANG, tools.call(name, args))
        .await
        .unwrap_or_else(|_| panic!("{name} hung"))
        .unwrap()
}

fn text(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Read-only tools that each make at least one Coder request.
fn readers() -> Vec<(&'static str, Value)> {
    vec![
        ("coder_get_authenticated_user", json!({})),
        ("coder_list_workspaces", json!({})),
        ("coder_list_templates", json!({})),
        ("coder_get_workspace", json!({"workspace_id": "dev"})),
        ("coder_list_organizations", json!({})),
    ]
}

/// Checks the result is an error, with a message, free of the given secrets.
fn assert_tool_error(name: &str, r: &CallToolResult, secrets: &[&str]) -> String {
    assert!(
        r.is_error(),
        "{name}: expected isError, got {:?}",
        r.structured_content
    );
    let message = text(r);
    assert!(!message.trim().is_empty(), "{name}: empty error message");
    let debug = format!("{r:?}");
    for s in secrets {
        assert!(
            !message.contains(s) && !debug.contains(s),
            "{name}: leaked a token"
        );
    }
    message
}

#[tokio::test]
async fn server_errors_become_tool_errors_and_service_resumes() {
    let e = env_with_timeout(None).await;
    let secrets = [e.sim.session_token()];
    for status in [500_u16, 502, 503, 504] {
        for (name, args) in readers() {
            // Enough failures to outlast any retry policy.
            e.sim.faults().fail_next(50, status);
            let r = call(&e.tools, name, args.clone()).await;
            let message = assert_tool_error(name, &r, &secrets);
            assert!(
                message.contains(&status.to_string())
                    || message.to_lowercase().contains("unavailable")
                    || message.to_lowercase().contains("server"),
                "{name} {status}: {message}"
            );
            e.sim.faults().clear();
            let ok = call(&e.tools, name, args).await;
            assert!(!ok.is_error(), "{name} after {status}: {}", text(&ok));
        }
    }
}

#[tokio::test]
async fn latency_past_the_timeout_is_a_tool_error_within_the_timeout() {
    let e = env_with_timeout(Some(Duration::from_millis(300))).await;
    e.sim.faults().set_latency(Duration::from_secs(5));
    for (name, args) in readers().into_iter().take(3) {
        let r = call(&e.tools, name, args).await;
        let message = assert_tool_error(name, &r, &[e.sim.session_token()]);
        assert!(message.to_lowercase().contains("time"), "{name}: {message}");
    }
    e.sim.faults().set_latency(Duration::ZERO);
    let r = call(&e.tools, "coder_list_workspaces", json!({})).await;
    assert!(!r.is_error(), "{}", text(&r));
}

#[tokio::test]
async fn dropped_connections_are_retried_for_reads_and_reported_for_writes() {
    let e = env_with_timeout(Some(Duration::from_secs(10))).await;
    // One dropped connection: a read is retried and succeeds.
    e.sim.faults().drop_next(1);
    let r = call(&e.tools, "coder_list_workspaces", json!({})).await;
    assert!(!r.is_error(), "a read survives one reset: {}", text(&r));
    // Every connection dropped: a clear error, not a hang.
    e.sim.faults().drop_next(50);
    let r = call(&e.tools, "coder_get_authenticated_user", json!({})).await;
    assert_tool_error("coder_get_authenticated_user", &r, &[e.sim.session_token()]);
    e.sim.faults().clear();
    // A write is never repeated behind the caller's back, wherever the resets fall (the
    // lookups before it are reads and may be retried).
    for resets in 1..=6 {
        e.sim.faults().drop_next(resets);
        let before = e.sim.requests().len();
        let r = call(
            &e.tools,
            "coder_create_workspace_build",
            json!({"workspace_id": "dev", "transition": "start"}),
        )
        .await;
        if r.is_error() {
            assert_tool_error("coder_create_workspace_build", &r, &[e.sim.session_token()]);
        }
        let posts = e.sim.requests()[before..]
            .iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/builds"))
            .count();
        assert!(
            posts <= 1,
            "{resets} resets: the build was sent {posts} times"
        );
        e.sim.faults().clear();
    }
    let r = call(
        &e.tools,
        "coder_get_workspace",
        json!({"workspace_id": "dev"}),
    )
    .await;
    assert!(!r.is_error(), "{}", text(&r));
}

#[tokio::test]
async fn malformed_json_from_coder_is_a_tool_error() {
    let e = env_with_timeout(None).await;
    for (name, args) in readers() {
        e.sim.faults().malformed_next(50);
        let r = call(&e.tools, name, args.clone()).await;
        assert_tool_error(name, &r, &[e.sim.session_token()]);
        e.sim.faults().clear();
        assert!(!call(&e.tools, name, args).await.is_error());
    }
}

#[tokio::test]
async fn a_token_that_expires_mid_session_gives_clear_errors_without_the_token() {
    let e = env_with_timeout(None).await;
    let token = e.sim.session_token().to_owned();
    e.sim.faults().expire_token_after(&token, 2);
    let mut outcomes = Vec::new();
    for _ in 0..4 {
        let r = call(&e.tools, "coder_get_authenticated_user", json!({})).await;
        outcomes.push(r.is_error());
        if r.is_error() {
            let message = assert_tool_error("coder_get_authenticated_user", &r, &[&token]);
            assert!(
                message.contains("401")
                    || message.to_lowercase().contains("credentials")
                    || message.to_lowercase().contains("token"),
                "{message}"
            );
        }
    }
    assert_eq!(outcomes, [false, false, true, true]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_caller_does_not_hold_up_others() {
    // Two clients of one deployment: one with a short timeout stuck behind latency, the
    // other served normally once the latency is gone.
    let e = env_with_timeout(Some(Duration::from_millis(500))).await;
    let healthy_client = Client::builder()
        .url(e.sim.url())
        .unwrap()
        .token(e.sim.session_token())
        .build()
        .unwrap();
    let healthy = coder_tools_with(&healthy_client, &CoderToolsConfig::new());
    e.sim.faults().set_latency(Duration::from_secs(3));
    let mut slow = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let tools = e.tools.clone();
        slow.spawn(async move { call(&tools, "coder_list_workspaces", json!({})).await });
    }
    while let Some(r) = slow.join_next().await {
        assert!(r.unwrap().is_error(), "timed out callers get isError");
    }
    e.sim.faults().set_latency(Duration::ZERO);
    let mut fine = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let tools = healthy.clone();
        fine.spawn(async move { call(&tools, "coder_list_templates", json!({})).await });
    }
    while let Some(r) = fine.join_next().await {
        assert!(!r.unwrap().is_error());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancellation_drops_the_coder_request_before_coder_acts_on_it() {
    let e = env_with_timeout(None).await;
    let ws = e.sim.workspace_id("dev").unwrap();
    let build_before = e.sim.latest_build_id(ws).unwrap();
    let builds_before = e
        .sim
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    // Coder is slow: the stop request waits in the simulator before it is handled.
    e.sim.faults().set_latency(Duration::from_millis(1500));
    let token = CancellationToken::new();
    let tools = e.tools.clone();
    let ctx_token = token.clone();
    let call = tokio::spawn(async move {
        let ctx = ToolContext::detached().with_cancellation(ctx_token);
        tools
            .call_with(
                ctx,
                "coder_create_workspace_build",
                json!({"workspace_id": ws.to_string(), "transition": "stop"}),
            )
            .await
    });
    // Wait (bounded) until the simulator has received the request.
    let mut seen = false;
    for _ in 0..2000 {
        if e.sim
            .requests()
            .iter()
            .filter(|r| r.method == "POST")
            .count()
            > builds_before
        {
            seen = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(seen, "the build request reached the simulator");
    token.cancel();
    let r = tokio::time::timeout(HANG, call)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(r.is_error());
    assert!(text(&r).to_lowercase().contains("cancel"), "{}", text(&r));

    // A later request queues behind the same latency; once it is answered, the cancelled
    // one would have been handled too, had its connection not been dropped.
    let r = call_after_cancel(&e).await;
    assert!(!r.is_error(), "{}", text(&r));
    let post = e
        .sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .nth(builds_before)
        .unwrap();
    assert_eq!(
        post.status, None,
        "the cancelled request was never answered"
    );
    assert_eq!(
        e.sim.latest_build_id(ws).unwrap(),
        build_before,
        "no stop build was created"
    );
}

async fn call_after_cancel(e: &Env) -> CallToolResult {
    call(&e.tools, "coder_list_templates", json!({})).await
}

#[tokio::test]
async fn debug_output_of_clients_and_errors_hides_tokens() {
    let e = env_with_timeout(None).await;
    let token = e.sim.session_token().to_owned();
    let client = Client::builder()
        .url(e.sim.url())
        .unwrap()
        .token(&token)
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains(&token));
    assert!(!format!("{:?}", e.sim).contains(&token));
    e.sim.faults().expire_token(&token);
    let err = client.me().await.unwrap_err();
    assert!(!format!("{err}").contains(&token));
    assert!(!format!("{err:?}").contains(&token));
    for r in e.sim.requests() {
        for (_, v) in &r.headers {
            assert!(!v.contains(&token), "recorded headers are redacted");
        }
    }
}
