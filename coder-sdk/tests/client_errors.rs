//! Error handling against the simulated deployment: authentication, retries, decode paths,
//! connection failures, and tokens never leaking into messages.
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use coder_sdk::testing::SimulatedCoder;
use coder_sdk::{
    Client, CreateWorkspaceBuildRequest, Error, RetryPolicy, WorkspaceId, WorkspaceTransition,
};

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
    }
}

fn client(sim: &SimulatedCoder, token: &str) -> Client {
    Client::builder()
        .url(sim.url())
        .unwrap()
        .token(token)
        .retry_policy(fast_retries())
        .build()
        .unwrap()
}

#[tokio::test]
async fn bad_token_is_unauthorized_and_never_printed() {
    let sim = SimulatedCoder::start().await.unwrap();
    let secret = "this-token-must-not-leak-0123456789";
    let c = client(&sim, secret);
    let err = c.me().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert!(!err.to_string().contains(secret));
    assert!(!format!("{err:?}").contains(secret));
    assert!(!format!("{c:?}").contains(secret));
}

#[tokio::test]
async fn session_token_header_is_sent() {
    let sim = SimulatedCoder::start().await.unwrap();
    let c = client(&sim, sim.session_token());
    c.me().await.unwrap();
    let reqs = sim.requests();
    let last = reqs.last().unwrap();
    assert_eq!(
        last.header("user-agent")
            .map(|ua| ua.starts_with("coder-sdk-rust/")),
        Some(true)
    );
    assert!(last.header("coder-session-token").is_some());
}

#[tokio::test]
async fn extra_headers_are_sent() {
    let sim = SimulatedCoder::start().await.unwrap();
    let c = coder_sdk::ClientBuilder::discover_with(|name| match name {
        "CODER_URL" => Some(sim.url().to_owned()),
        "CODER_SESSION_TOKEN" => Some(sim.session_token().to_owned()),
        "CODER_HEADER" => Some("X-Team=platform,X-Trace=abc".to_owned()),
        "CODER_CONFIG_DIR" => Some("/nonexistent-coder-config".to_owned()),
        _ => None,
    })
    .unwrap()
    .build()
    .unwrap();
    assert_eq!(c.me().await.unwrap().username, "admin");
    let reqs = sim.requests();
    let last = reqs.last().unwrap();
    assert_eq!(last.header("x-team"), Some("platform"));
    assert_eq!(last.header("x-trace"), Some("abc"));
}

#[tokio::test]
async fn get_is_retried_on_503_and_dropped_connections() {
    let sim = SimulatedCoder::start().await.unwrap();
    let c = client(&sim, sim.session_token());
    sim.faults().fail_next(2, 503);
    assert_eq!(c.me().await.unwrap().username, "admin");
    assert_eq!(sim.requests().len(), 3);

    sim.clear_requests();
    sim.faults().drop_next(1);
    assert_eq!(c.me().await.unwrap().username, "admin");
    assert_eq!(sim.requests().len(), 2);
}

#[tokio::test]
async fn retries_are_bounded() {
    let sim = SimulatedCoder::start().await.unwrap();
    let c = client(&sim, sim.session_token());
    sim.faults().fail_next(5, 502);
    let err = c.me().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(sim.requests().len(), 3);
}

#[tokio::test]
async fn post_is_never_retried() {
    let sim = SimulatedCoder::start().await.unwrap();
    let c = client(&sim, sim.session_token());
    let ws = WorkspaceId::new(sim.workspace_id("dev").unwrap());
    sim.faults().fail_next(1, 503);
    let err = c
        .create_workspace_build(
            ws,
            &CreateWorkspaceBuildRequest::new(WorkspaceTransition::Stop),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(sim.requests().len(), 1);
}

#[tokio::test]
async fn other_statuses_are_not_retried() {
    let sim = SimulatedCoder::start().await.unwrap();
    let c = client(&sim, sim.session_token());
    sim.faults().fail_next(1, 500);
    let err = c.me().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(sim.requests().len(), 1);
}

#[tokio::test]
async fn malformed_json_names_the_path() {
    let sim = SimulatedCoder::start().await.unwrap();
    let c = client(&sim, sim.session_token());
    sim.faults().malformed_next(1);
    let err = c.me().await.unwrap_err();
    assert!(err.is_decode(), "{err:?}");
}

#[tokio::test]
async fn expired_token_turns_unauthorized() {
    let sim = SimulatedCoder::start().await.unwrap();
    let c = client(&sim, sim.session_token());
    c.me().await.unwrap();
    sim.faults().expire_token(sim.session_token());
    assert!(c.me().await.unwrap_err().is_unauthorized());
}

#[tokio::test]
async fn connect_error_is_classified_and_retried() {
    // Bind a port, then free it: nothing listens there any more.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let c = Client::builder()
        .url(format!("http://{addr}/?coder_session_token=secret-in-url"))
        .unwrap()
        .token("secret-token")
        .retry_policy(fast_retries())
        .build()
        .unwrap();
    let err = c.me().await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("secret"), "{shown}");
}

#[tokio::test]
async fn timeout_is_classified() {
    let sim = SimulatedCoder::start().await.unwrap();
    let c = Client::builder()
        .url(sim.url())
        .unwrap()
        .token(sim.session_token())
        .timeout(Duration::from_millis(50))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    sim.faults().set_latency(Duration::from_secs(5));
    let err = c.me().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(matches!(err, Error::Timeout { .. }));
}
