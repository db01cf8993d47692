//! Following build, template-version and agent logs over WebSocket.
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use coder_sdk::testing::SimulatedCoder;
use coder_sdk::{
    Client, CreateWorkspaceBuildRequest, LogsQuery, TemplateVersionId, WorkspaceAgentId,
    WorkspaceBuildId, WorkspaceId, WorkspaceTransition,
};
use futures::StreamExt;
use support::swagger::assert_requests_match_swagger;

async fn setup() -> (SimulatedCoder, Client) {
    let sim = SimulatedCoder::start().await.unwrap();
    let client = Client::new(sim.url(), sim.session_token()).unwrap();
    (sim, client)
}

#[tokio::test]
async fn follow_build_logs_until_the_job_ends() {
    let (sim, client) = setup().await;
    let ws = WorkspaceId::new(sim.workspace_id("dev").unwrap());
    let build = client
        .create_workspace_build(
            ws,
            &CreateWorkspaceBuildRequest::new(WorkspaceTransition::Stop),
        )
        .await
        .unwrap();
    let mut stream = client
        .follow_workspace_build_logs(build.id, None)
        .await
        .unwrap();
    let mut lines = Vec::new();
    while let Some(line) = stream.next().await {
        lines.push(line.unwrap());
    }
    assert!(!lines.is_empty());
    assert!(lines.windows(2).all(|w| w[0].id < w[1].id), "ids increase");
    // The stream ended because the job finished: the snapshot now holds the same lines.
    let snapshot = client
        .workspace_build_logs(build.id, &LogsQuery::new())
        .await
        .unwrap();
    assert_eq!(snapshot.len(), lines.len());
    assert!(
        client
            .workspace_build(build.id)
            .await
            .unwrap()
            .job
            .is_completed()
    );
}

#[tokio::test]
async fn follow_with_after_skips_seen_lines() {
    let (sim, client) = setup().await;
    let ws = WorkspaceId::new(sim.workspace_id("dev").unwrap());
    let build = client
        .create_workspace_build(
            ws,
            &CreateWorkspaceBuildRequest::new(WorkspaceTransition::Stop),
        )
        .await
        .unwrap();
    sim.wait_for_build(build.id.as_uuid()).await;
    let all = client
        .workspace_build_logs(build.id, &LogsQuery::new())
        .await
        .unwrap();
    let first = all[0].id;
    let rest: Vec<_> = client
        .follow_workspace_build_logs(build.id, Some(first))
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(rest.len(), all.len() - 1);
    assert!(rest.iter().all(|l| l.id > first));
}

#[tokio::test]
async fn follow_template_version_logs_of_finished_import() {
    let (sim, client) = setup().await;
    let version = TemplateVersionId::new(sim.active_version_id("docker").unwrap());
    let lines: Vec<_> = client
        .follow_template_version_logs(version, None)
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    assert!(!lines.is_empty());
}

#[tokio::test]
async fn follow_agent_logs_yields_lines_from_batches() {
    let (sim, client) = setup().await;
    let agent = WorkspaceAgentId::new(sim.agent_id("dev").unwrap());
    let snapshot = client
        .workspace_agent_logs(agent, &LogsQuery::new())
        .await
        .unwrap();
    assert!(!snapshot.is_empty());
    let mut stream = client
        .follow_workspace_agent_logs(agent, None)
        .await
        .unwrap();
    // Agent logs stay open while the agent lives: read what exists, then drop the stream.
    for expected in &snapshot {
        let line = stream.next().await.unwrap().unwrap();
        assert_eq!(line.id, expected.id);
        assert_eq!(line.output, expected.output);
    }
    drop(stream);
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn follow_errors_come_back_as_api_errors() {
    let (_sim, client) = setup().await;
    let err = client
        .follow_workspace_build_logs(WorkspaceBuildId::random(), None)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    let err = client
        .follow_workspace_agent_logs(WorkspaceAgentId::random(), None)
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}
