//! The client's model types against the contract: every simulator answer decodes into the
//! matching model, and the model serialized again still validates against swagger.
//!
//! This checks the models both ways: they accept what a Coder deployment sends (with every
//! field the simulator fills in), and what they send (in requests, or when a user stores
//! them) is what swagger describes.
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use coder_sdk::testing::{JobOutcome, SimulatedCoder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use support::swagger::swagger;

async fn fetch(sim: &SimulatedCoder, path: &str) -> Value {
    let resp = reqwest::Client::new()
        .get(format!("{}{path}", sim.url()))
        .header("Coder-Session-Token", sim.session_token())
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "GET {path}: {}", resp.status());
    resp.json().await.unwrap()
}

/// Decodes `body` as `T`, encodes it again and validates the result against the schema of
/// the operation's 200 answer.
fn round_trip<T: DeserializeOwned + Serialize>(path: &str, body: &Value) {
    let model: T = serde_path_to_error::deserialize(body)
        .unwrap_or_else(|e| panic!("{path}: decode into {}: {e}", std::any::type_name::<T>()));
    let again = serde_json::to_value(&model).unwrap();
    let contract = swagger();
    let op = contract
        .operation("GET", path.split('?').next().unwrap())
        .unwrap();
    let schema = &op.spec["responses"]["200"]["schema"];
    contract.validate(schema, &again).unwrap_or_else(|e| {
        panic!(
            "{path}: {} re-encoded breaks swagger: {e}\n{again}",
            std::any::type_name::<T>()
        )
    });
}

async fn check<T: DeserializeOwned + Serialize>(sim: &SimulatedCoder, path: &str) {
    let body = fetch(sim, path).await;
    round_trip::<T>(path, &body);
}

#[tokio::test]
async fn client_models_round_trip_through_the_contract() {
    let sim = SimulatedCoder::start().await.unwrap();
    let ws = sim.workspace_id("dev").unwrap();
    let agent = sim.agent_id("dev").unwrap();
    let version = sim.active_version_id("docker").unwrap();
    let template = sim.template_id("docker").unwrap();
    let task = sim.task_id("fix-readme").unwrap();
    let build = sim.latest_build_id(ws).unwrap();

    // An app status and a failed build give the optional parts something to carry.
    reqwest::Client::new()
        .patch(format!(
            "{}/api/v2/workspaceagents/me/app-status",
            sim.url()
        ))
        .header("Coder-Session-Token", sim.agent_token().unwrap())
        .json(
            &json!({"app_slug": "code-server", "state": "complete", "message": "Done", "uri": ""}),
        )
        .send()
        .await
        .unwrap();
    let legacy = sim.workspace_id("legacy").unwrap();
    let failed: Value = reqwest::Client::new()
        .post(format!("{}/api/v2/workspaces/{legacy}/builds", sim.url()))
        .header("Coder-Session-Token", sim.session_token())
        .json(&json!({"transition": "start", "rich_parameter_values": [{"name": "memory", "value": "fail"}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let failed_id = failed["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(sim.wait_for_build(failed_id).await, JobOutcome::Failed);

    check::<coder_sdk::BuildInfoResponse>(&sim, "/api/v2/buildinfo").await;
    check::<coder_sdk::User>(&sim, "/api/v2/users/me").await;
    check::<coder_sdk::GetUsersResponse>(&sim, "/api/v2/users").await;
    check::<Vec<coder_sdk::Organization>>(&sim, "/api/v2/users/me/organizations").await;
    check::<coder_sdk::Organization>(
        &sim,
        &format!("/api/v2/organizations/{}", sim.organization_id()),
    )
    .await;
    check::<Vec<coder_sdk::Template>>(&sim, "/api/v2/templates").await;
    check::<coder_sdk::Template>(&sim, &format!("/api/v2/templates/{template}")).await;
    check::<Vec<coder_sdk::TemplateVersion>>(
        &sim,
        &format!("/api/v2/templates/{template}/versions"),
    )
    .await;
    check::<coder_sdk::TemplateVersion>(&sim, &format!("/api/v2/templateversions/{version}")).await;
    check::<Vec<coder_sdk::TemplateVersionParameter>>(
        &sim,
        &format!("/api/v2/templateversions/{version}/rich-parameters"),
    )
    .await;
    check::<Vec<coder_sdk::Preset>>(&sim, &format!("/api/v2/templateversions/{version}/presets"))
        .await;
    check::<Vec<coder_sdk::ProvisionerJobLog>>(
        &sim,
        &format!("/api/v2/templateversions/{version}/logs"),
    )
    .await;
    check::<coder_sdk::WorkspacesResponse>(&sim, "/api/v2/workspaces").await;
    check::<coder_sdk::Workspace>(&sim, &format!("/api/v2/workspaces/{ws}")).await;
    check::<coder_sdk::Workspace>(&sim, &format!("/api/v2/workspaces/{legacy}")).await;
    check::<coder_sdk::Workspace>(&sim, "/api/v2/users/me/workspace/dev").await;
    check::<Vec<coder_sdk::WorkspaceBuild>>(&sim, &format!("/api/v2/workspaces/{ws}/builds")).await;
    check::<coder_sdk::WorkspaceBuild>(&sim, &format!("/api/v2/workspacebuilds/{build}")).await;
    check::<coder_sdk::WorkspaceBuild>(&sim, &format!("/api/v2/workspacebuilds/{failed_id}")).await;
    check::<Vec<coder_sdk::ProvisionerJobLog>>(
        &sim,
        &format!("/api/v2/workspacebuilds/{build}/logs"),
    )
    .await;
    check::<coder_sdk::WorkspaceAgent>(&sim, &format!("/api/v2/workspaceagents/{agent}")).await;
    check::<Vec<coder_sdk::WorkspaceAgentLog>>(
        &sim,
        &format!("/api/v2/workspaceagents/{agent}/logs"),
    )
    .await;
    check::<coder_sdk::WorkspaceAgentListeningPortsResponse>(
        &sim,
        &format!("/api/v2/workspaceagents/{agent}/listening-ports"),
    )
    .await;
    check::<coder_sdk::AppHostResponse>(&sim, "/api/v2/applications/host").await;
    check::<coder_sdk::TasksListResponse>(&sim, "/api/v2/tasks").await;
    check::<coder_sdk::Task>(&sim, &format!("/api/v2/tasks/me/{task}")).await;
    check::<coder_sdk::TaskLogsResponse>(&sim, &format!("/api/v2/tasks/me/{task}/logs")).await;
}

#[tokio::test]
async fn error_bodies_decode_into_the_client_error_model() {
    let sim = SimulatedCoder::start().await.unwrap();
    let body: Value = reqwest::Client::new()
        .post(format!("{}/api/v2/users/me/workspaces", sim.url()))
        .header("Coder-Session-Token", sim.session_token())
        .json(&json!({"name": "dev", "template_id": sim.template_id("docker").unwrap()}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let decoded: coder_sdk::ApiResponse = serde_json::from_value(body.clone()).unwrap();
    let again = serde_json::to_value(&decoded).unwrap();
    swagger()
        .validate_definition("codersdk.Response", &again)
        .unwrap();
    assert_eq!(again["message"], body["message"]);
    assert_eq!(again["validations"][0]["field"], "name");
}
