//! The simulator's build state machine, workspace creation and queries.
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use coder_sdk::testing::{JobOutcome, SimulatedCoder};
use serde_json::{Value, json};

async fn get(sim: &SimulatedCoder, path: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .get(format!("{}{path}", sim.url()))
        .header("Coder-Session-Token", sim.session_token())
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn post(sim: &SimulatedCoder, path: &str, body: Value) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{}{path}", sim.url()))
        .header("Coder-Session-Token", sim.session_token())
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn seeded_workspace_is_running_with_a_ready_agent() {
    let sim = SimulatedCoder::start().await.unwrap();
    let (status, ws) = get(&sim, "/api/v2/users/me/workspace/dev").await;
    assert_eq!(status, 200);
    assert_eq!(ws["latest_build"]["status"], "running");
    let agent = &ws["latest_build"]["resources"][0]["agents"][0];
    assert_eq!(agent["name"], "main");
    assert_eq!(agent["status"], "connected");
    assert_eq!(agent["lifecycle_state"], "ready");
    let slugs: Vec<&str> = agent["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["slug"].as_str().unwrap())
        .collect();
    assert!(slugs.contains(&"code-server"));
    assert!(
        agent["apps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["subdomain"] == true)
    );
    let (_, legacy) = get(&sim, "/api/v2/users/admin/workspace/legacy").await;
    assert_eq!(legacy["latest_build"]["status"], "stopped");
    assert_eq!(legacy["latest_build"]["resources"], json!([]));
}

#[tokio::test]
async fn start_build_moves_through_states_and_brings_the_agent_up() {
    let sim = SimulatedCoder::start().await.unwrap();
    let ws = sim.workspace_id("legacy").unwrap();
    let (status, build) = post(
        &sim,
        &format!("/api/v2/workspaces/{ws}/builds"),
        json!({"transition": "start"}),
    )
    .await;
    assert_eq!(status, 200, "{build}");
    assert_eq!(build["status"], "pending");
    assert_eq!(build["build_number"], 3);
    let id = build["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(sim.wait_for_build(id).await, JobOutcome::Succeeded);
    let (_, ws_json) = get(&sim, &format!("/api/v2/workspaces/{ws}")).await;
    assert_eq!(ws_json["latest_build"]["id"], build["id"]);
    assert_eq!(ws_json["latest_build"]["status"], "running");
    let agent = sim.agent_id("legacy").unwrap();
    assert!(sim.wait_for_agent_ready(agent).await);
    let (_, agent_json) = get(&sim, &format!("/api/v2/workspaceagents/{agent}")).await;
    assert_eq!(agent_json["lifecycle_state"], "ready");
    let (_, logs) = get(&sim, &format!("/api/v2/workspacebuilds/{id}/logs")).await;
    let stages: Vec<&str> = logs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages.first(), Some(&"Setting up"));
    assert_eq!(stages.last(), Some(&"Cleaning Up"));
    let (_, agent_logs) = get(&sim, &format!("/api/v2/workspaceagents/{agent}/logs")).await;
    assert!(!agent_logs.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_parameter_value_fail_fails_the_build() {
    let sim = SimulatedCoder::start().await.unwrap();
    let ws = sim.workspace_id("dev").unwrap();
    let (_, stop) = post(
        &sim,
        &format!("/api/v2/workspaces/{ws}/builds"),
        json!({"transition": "stop"}),
    )
    .await;
    let stop_id = stop["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(sim.wait_for_build(stop_id).await, JobOutcome::Succeeded);
    let (status, build) = post(
        &sim,
        &format!("/api/v2/workspaces/{ws}/builds"),
        json!({"transition": "start", "rich_parameter_values": [{"name": "dotfiles_uri", "value": "fail"}]}),
    )
    .await;
    assert_eq!(status, 200, "{build}");
    let id = build["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(sim.wait_for_build(id).await, JobOutcome::Failed);
    let (_, ws_json) = get(&sim, &format!("/api/v2/workspaces/{ws}")).await;
    assert_eq!(ws_json["latest_build"]["status"], "failed");
    assert!(
        ws_json["latest_build"]["job"]["error"]
            .as_str()
            .unwrap()
            .contains("dotfiles_uri")
    );
}

#[tokio::test]
async fn a_second_build_while_one_is_active_conflicts() {
    let sim = SimulatedCoder::builder()
        .step_delay(std::time::Duration::from_secs(30))
        .start()
        .await
        .unwrap();
    let ws = sim.workspace_id("dev").unwrap();
    let (status, _) = post(
        &sim,
        &format!("/api/v2/workspaces/{ws}/builds"),
        json!({"transition": "stop"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = post(
        &sim,
        &format!("/api/v2/workspaces/{ws}/builds"),
        json!({"transition": "start"}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(body["message"], "A workspace build is already active.");
}

#[tokio::test]
async fn create_workspace_validates_and_builds() {
    let sim = SimulatedCoder::start().await.unwrap();
    let template = sim.template_id("docker").unwrap();
    let (status, ws) = post(
        &sim,
        "/api/v2/users/me/workspaces",
        json!({"name": "fresh", "template_id": template, "rich_parameter_values": [{"name": "cpu", "value": "8"}]}),
    )
    .await;
    assert_eq!(status, 200, "{ws}");
    assert_eq!(ws["name"], "fresh");
    let build = ws["latest_build"]["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(sim.wait_for_build(build).await, JobOutcome::Succeeded);

    let (status, body) = post(
        &sim,
        "/api/v2/users/me/workspaces",
        json!({"name": "dev", "template_id": template}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(body["validations"][0]["field"], "name");

    let (status, body) = post(
        &sim,
        "/api/v2/users/me/workspaces",
        json!({"name": "Bad Name!", "template_id": template}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["validations"][0]["field"], "name");

    let (status, body) = post(
        &sim,
        "/api/v2/users/me/workspaces",
        json!({"name": "cpu16", "template_id": template, "rich_parameter_values": [{"name": "cpu", "value": "16"}]}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["validations"][0]["field"], "cpu");

    let k8s = sim.template_id("kubernetes").unwrap();
    let (status, body) = post(
        &sim,
        "/api/v2/users/me/workspaces",
        json!({"name": "pod", "template_id": k8s}),
    )
    .await;
    assert_eq!(status, 400, "namespace is required: {body}");
    assert_eq!(body["validations"][0]["field"], "namespace");
}

#[tokio::test]
async fn workspace_query_filters_and_paginates() {
    let sim = SimulatedCoder::start().await.unwrap();
    let (_, all) = get(&sim, "/api/v2/workspaces?q=owner:me").await;
    assert_eq!(all["count"], 3);
    let (_, running) = get(&sim, "/api/v2/workspaces?q=owner:admin%20status:running").await;
    let names: Vec<&str> = running["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["dev", "fix-readme"]);
    let (_, k8s) = get(&sim, "/api/v2/workspaces?q=template:kubernetes").await;
    assert_eq!(k8s["count"], 1);
    assert_eq!(k8s["workspaces"][0]["name"], "legacy");
    let (_, page) = get(&sim, "/api/v2/workspaces?limit=1&offset=1").await;
    assert_eq!(page["count"], 3);
    assert_eq!(page["workspaces"].as_array().unwrap().len(), 1);
    assert_eq!(page["workspaces"][0]["name"], "fix-readme");
    let (status, bad) = get(&sim, "/api/v2/workspaces?q=color:red").await;
    assert_eq!(status, 400);
    assert!(bad["validations"].is_array());
}

#[tokio::test]
async fn template_query_filters() {
    let sim = SimulatedCoder::start().await.unwrap();
    let (_, found) = get(&sim, "/api/v2/templates?q=name:dock").await;
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["name"], "docker");
    let (_, exact) = get(
        &sim,
        "/api/v2/templates?q=exact_name:kubernetes%20organization:coder",
    )
    .await;
    assert_eq!(exact[0]["name"], "kubernetes");
    let (_, none) = get(&sim, "/api/v2/templates?q=exact_name:kube").await;
    assert_eq!(none, json!([]));
    let (status, _) = get(&sim, "/api/v2/templates?q=color:red").await;
    assert_eq!(status, 400);
    let (_, has_agent) = get(&sim, "/api/v2/workspaces?q=has-agent:connected").await;
    assert_eq!(has_agent["count"], 2);
}

#[tokio::test]
async fn debug_output_never_shows_tokens() {
    let sim = SimulatedCoder::start().await.unwrap();
    sim.faults().expire_token(sim.member_token());
    let shown = format!("{sim:?} {:?}", sim.faults());
    assert!(shown.contains(sim.url()));
    assert!(!shown.contains(sim.session_token()));
    assert!(!shown.contains(sim.member_token()));
    assert!(!shown.contains(&sim.agent_token().unwrap()));
}

#[tokio::test]
async fn user_query_filters() {
    let sim = SimulatedCoder::start().await.unwrap();
    let (_, owners) = get(&sim, "/api/v2/users?q=role:owner").await;
    assert_eq!(owners["count"], 1);
    assert_eq!(owners["users"][0]["username"], "admin");
    let (_, alice) = get(&sim, "/api/v2/users?q=ali%20status:active").await;
    assert_eq!(alice["count"], 1);
    assert_eq!(alice["users"][0]["username"], "alice");
    let (_, none) = get(&sim, "/api/v2/users?q=status:suspended").await;
    assert_eq!(none["count"], 0);
}
