//! Log snapshots and `?follow` WebSockets for builds, template versions and agents.
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::Duration;

use coder_sdk::testing::{JobOutcome, SimulatedCoder};
use futures::StreamExt;
use serde_json::{Value, json};
use support::swagger::{assert_requests_match_swagger, swagger};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// Follows a log WebSocket to its end; returns the text frames, parsed.
async fn follow(sim: &SimulatedCoder, path: &str) -> Vec<Value> {
    let mut req = format!("ws://{}{path}", sim.addr())
        .into_client_request()
        .unwrap();
    req.headers_mut()
        .insert("Coder-Session-Token", sim.session_token().parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(req).await.unwrap();
    let mut frames = Vec::new();
    while let Some(msg) = socket.next().await {
        match msg.unwrap() {
            Message::Text(text) => frames.push(serde_json::from_str(text.as_str()).unwrap()),
            Message::Close(_) => break,
            _ => {}
        }
    }
    frames
}

async fn start_build(sim: &SimulatedCoder, workspace: &str, transition: &str) -> uuid::Uuid {
    let ws = sim.workspace_id(workspace).unwrap();
    let build: Value = reqwest::Client::new()
        .post(format!("{}/api/v2/workspaces/{ws}/builds", sim.url()))
        .header("Coder-Session-Token", sim.session_token())
        .json(&json!({ "transition": transition }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    build["id"].as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn following_build_logs_streams_every_line_and_closes_when_the_job_ends() {
    let sim = SimulatedCoder::builder()
        .step_delay(Duration::from_millis(20))
        .start()
        .await
        .unwrap();
    let build = start_build(&sim, "legacy", "start").await;
    let frames = follow(
        &sim,
        &format!("/api/v2/workspacebuilds/{build}/logs?follow"),
    )
    .await;
    // The socket closed, so the job is over already.
    assert_eq!(sim.wait_for_build(build).await, JobOutcome::Succeeded);
    assert!(frames.len() >= 4, "{frames:?}");
    for frame in &frames {
        swagger()
            .validate_definition("codersdk.ProvisionerJobLog", frame)
            .unwrap();
    }
    let ids: Vec<i64> = frames.iter().map(|f| f["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    assert_eq!(frames.last().unwrap()["stage"], "Cleaning Up");
    // The snapshot holds the same lines; `after` skips the first ones.
    let snapshot: Vec<Value> = reqwest::Client::new()
        .get(format!(
            "{}/api/v2/workspacebuilds/{build}/logs?after={}",
            sim.url(),
            ids[1]
        ))
        .header("Coder-Session-Token", sim.session_token())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(snapshot.len(), frames.len() - 2);
    // The request log keeps the frames, so the contract check covers them too.
    let followed = sim
        .requests()
        .into_iter()
        .find(|r| r.status == Some(101))
        .unwrap();
    assert_eq!(followed.frames, frames);
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn following_a_finished_job_replays_its_logs_and_closes() {
    let sim = SimulatedCoder::start().await.unwrap();
    let version = sim.active_version_id("docker").unwrap();
    let frames = follow(
        &sim,
        &format!("/api/v2/templateversions/{version}/logs?follow=true"),
    )
    .await;
    assert!(frames.len() >= 3);
    assert_eq!(frames[0]["stage"], "Setting up");
    let after = frames[0]["id"].as_i64().unwrap();
    let rest = follow(
        &sim,
        &format!("/api/v2/templateversions/{version}/logs?follow&after={after}"),
    )
    .await;
    assert_eq!(rest.len(), frames.len() - 1);
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn following_agent_logs_sends_arrays_until_the_agent_is_ready() {
    let sim = SimulatedCoder::builder()
        .step_delay(Duration::from_millis(20))
        .start()
        .await
        .unwrap();
    let agent = sim.agent_id("legacy").unwrap();
    let build = start_build(&sim, "legacy", "start").await;
    assert_eq!(sim.wait_for_build(build).await, JobOutcome::Succeeded);
    let frames = follow(
        &sim,
        &format!("/api/v2/workspaceagents/{agent}/logs?follow"),
    )
    .await;
    let lines: Vec<&Value> = frames
        .iter()
        .flat_map(|f| f.as_array().expect("agent log frames are arrays"))
        .collect();
    for frame in &frames {
        swagger()
            .validate(&json!({ "type": "array", "items": { "$ref": "#/definitions/codersdk.WorkspaceAgentLog" } }), frame)
            .unwrap();
    }
    assert_eq!(lines.last().unwrap()["output"], "Startup script completed");
    assert!(sim.wait_for_agent_ready(agent).await);
    assert_requests_match_swagger(&sim);
}

#[tokio::test]
async fn follow_without_a_websocket_and_text_with_follow_are_rejected() {
    let sim = SimulatedCoder::start().await.unwrap();
    let version = sim.active_version_id("docker").unwrap();
    let http = reqwest::Client::new();
    let resp = http
        .get(format!(
            "{}/api/v2/templateversions/{version}/logs?follow",
            sim.url()
        ))
        .header("Coder-Session-Token", sim.session_token())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let resp = http
        .get(format!(
            "{}/api/v2/templateversions/{version}/logs?follow&format=text",
            sim.url()
        ))
        .header("Coder-Session-Token", sim.session_token())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let text = http
        .get(format!(
            "{}/api/v2/templateversions/{version}/logs?format=text",
            sim.url()
        ))
        .header("Coder-Session-Token", sim.session_token())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.lines().count() >= 3, "{text}");
    assert_requests_match_swagger(&sim);
}
