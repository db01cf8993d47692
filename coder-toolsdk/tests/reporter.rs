//! Task status reports: `coder_report_task` and a shared `TaskReporter` against the
//! simulated deployment (reports arrive as app status, sent with the agent token).
#![allow(clippy::unwrap_used)]

use coder_sdk::WorkspaceAppStatusState;
use coder_sdk::testing::{Seed, SimulatedCoder};
use coder_toolsdk::tools::{CoderToolsConfig, TaskReport, TaskReporter, coder_tools_with};
use serde_json::json;

async fn agent_client(sim: &SimulatedCoder) -> coder_sdk::Client {
    coder_sdk::Client::builder()
        .url(sim.url())
        .unwrap()
        .agent_token(sim.agent_token().unwrap())
        .build()
        .unwrap()
}

fn states(sim: &SimulatedCoder) -> Vec<(String, String, String)> {
    sim.app_statuses()
        .into_iter()
        .map(|r| (r.state, r.message, r.uri))
        .collect()
}

#[tokio::test]
async fn the_tool_reports_once_per_change_and_validates_its_input() {
    let sim = SimulatedCoder::builder()
        .seed(Seed::demo())
        .start()
        .await
        .unwrap();
    let client = agent_client(&sim).await;
    let registry = coder_tools_with(
        &client,
        &CoderToolsConfig::new().with_app_status_slug("code-server"),
    );
    let report = json!({"summary": "Reading the code", "link": "", "state": "working"});
    for _ in 0..3 {
        let result = registry
            .call("coder_report_task", report.clone())
            .await
            .unwrap();
        assert!(!result.is_error(), "{result:?}");
    }
    let done =
        json!({"summary": "Opened a PR", "link": "https://example.com/pr/1", "state": "complete"});
    registry.call("coder_report_task", done).await.unwrap();
    assert_eq!(
        states(&sim),
        [
            ("working".into(), "Reading the code".into(), String::new()),
            (
                "complete".into(),
                "Opened a PR".into(),
                "https://example.com/pr/1".into()
            ),
        ]
    );
    let long = json!({"summary": "x".repeat(200), "link": "", "state": "idle"});
    assert!(
        registry
            .call("coder_report_task", long)
            .await
            .unwrap()
            .is_error()
    );
    let bad = json!({"summary": "hm", "link": "", "state": "sleeping"});
    assert!(
        registry
            .call("coder_report_task", bad)
            .await
            .unwrap()
            .is_error()
    );
}

#[tokio::test]
async fn a_screen_watched_agent_reports_working_and_the_watcher_reports_idle() {
    let sim = SimulatedCoder::builder()
        .seed(Seed::demo())
        .start()
        .await
        .unwrap();
    let reporter = TaskReporter::screen_watched(agent_client(&sim).await, "code-server");
    let registry = coder_tools_with(
        &agent_client(&sim).await,
        &CoderToolsConfig::new().with_task_reporter(reporter.clone()),
    );
    // The agent claims it is idle; with a screen watcher that only means "busy".
    let claim = json!({"summary": "Waiting for review", "link": "https://example.com/pr/2", "state": "idle"});
    registry.call("coder_report_task", claim).await.unwrap();
    // The watcher sees the screen settle: idle, keeping the agent's summary and link.
    let sent = reporter
        .report(TaskReport {
            state: WorkspaceAppStatusState::Idle,
            summary: String::new(),
            link: String::new(),
        })
        .await
        .unwrap();
    assert!(sent);
    assert_eq!(
        states(&sim),
        [
            (
                "working".into(),
                "Waiting for review".into(),
                "https://example.com/pr/2".into()
            ),
            (
                "idle".into(),
                "Waiting for review".into(),
                "https://example.com/pr/2".into()
            ),
        ]
    );
    assert_eq!(
        reporter.last().unwrap().state,
        WorkspaceAppStatusState::Idle
    );
}
