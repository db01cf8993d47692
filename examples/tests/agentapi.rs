//! `--ai-agentapi-url`: screen events from a (fake) coder/agentapi server become task status
//! reports on the simulated deployment, sharing one reporter with `coder_report_task`.
#![allow(clippy::unwrap_used)]

use coder_sdk::WorkspaceAppStatusState;
use coder_sdk::testing::{Seed, SimulatedCoder};
use coder_toolsdk::tools::{TaskReport, TaskReporter};
use examples::app::agentapi::watch_once;

/// Serves `/events` once: these SSE events, then the end of the stream.
async fn fake_agentapi(events: &'static str) -> String {
    let app = axum::Router::new().route(
        "/events",
        axum::routing::get(
            move || async move { ([("content-type", "text/event-stream")], events) },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

#[tokio::test]
async fn screen_events_become_status_reports() {
    let sim = SimulatedCoder::builder()
        .seed(Seed::demo())
        .start()
        .await
        .unwrap();
    let client = coder_sdk::Client::builder()
        .url(sim.url())
        .unwrap()
        .agent_token(sim.agent_token().unwrap())
        .build()
        .unwrap();
    let reporter = TaskReporter::screen_watched(client, "code-server");
    // The agent's own report first (it says idle; with a watcher that means working).
    reporter
        .self_report(TaskReport {
            state: WorkspaceAppStatusState::Idle,
            summary: "Fixing the tests".into(),
            link: String::new(),
        })
        .await
        .unwrap();

    let url = fake_agentapi(concat!(
        "event: status_change\ndata: {\"status\":\"running\"}\n\n",
        "event: message_update\r\ndata: {\"id\":1,\"role\":\"agent\",\"message\":\"...\"}\r\n\r\n",
        "event: status_change\ndata: {\"status\":\"stable\"}\n\n",
        "event: message_update\ndata: {\"id\":2,\"role\":\"user\",\"message\":\"go on\"}\n\n",
    ))
    .await;
    watch_once(&reqwest::Client::new(), &url, &reporter)
        .await
        .unwrap();

    let seen: Vec<_> = sim
        .app_statuses()
        .into_iter()
        .map(|r| (r.state, r.message))
        .collect();
    let summary = "Fixing the tests".to_owned();
    assert_eq!(
        seen,
        [
            // self-report, then running (a repeat: not sent), stable, the user's message
            ("working".to_owned(), summary.clone()),
            ("idle".to_owned(), summary.clone()),
            ("working".to_owned(), summary),
        ]
    );
}

#[tokio::test]
async fn an_unreachable_agentapi_is_an_error_not_a_hang() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let sim = SimulatedCoder::start().await.unwrap();
    let client = coder_sdk::Client::new(sim.url(), "unused").unwrap();
    let reporter = TaskReporter::screen_watched(client, "code-server");
    assert!(
        watch_once(&reqwest::Client::new(), &url, &reporter)
            .await
            .is_err()
    );
}
