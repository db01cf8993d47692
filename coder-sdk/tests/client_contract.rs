//! The requests the client sends (paths, query parameters, bodies) and the answers it gets
//! all match Coder's swagger contract.
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use coder_sdk::testing::SimulatedCoder;
use coder_sdk::{
    Client, CreateTaskRequest, CreateTemplateRequest, CreateTemplateVersionRequest,
    CreateWorkspaceBuildRequest, CreateWorkspaceRequest, LogsQuery, OrganizationId, Pagination,
    PatchAppStatus, TasksFilter, TemplateFilter, TemplateId, TemplateVersionId, UsersQuery,
    WorkspaceAgentId, WorkspaceAppStatusState, WorkspaceBuildParameter, WorkspaceFilter,
    WorkspaceId, WorkspaceTransition,
};
use support::swagger::assert_requests_match_swagger;

#[tokio::test]
async fn every_client_request_matches_swagger() {
    let sim = SimulatedCoder::start().await.unwrap();
    let client = Client::builder()
        .url(sim.url())
        .unwrap()
        .token(sim.session_token())
        .agent_token(sim.agent_token().unwrap())
        .build()
        .unwrap();
    let org = OrganizationId::new(sim.organization_id());
    let template = TemplateId::new(sim.template_id("docker").unwrap());
    let version = TemplateVersionId::new(sim.active_version_id("docker").unwrap());
    let dev = WorkspaceId::new(sim.workspace_id("dev").unwrap());
    let agent = WorkspaceAgentId::new(sim.agent_id("dev").unwrap());

    client.build_info().await.unwrap();
    client.me().await.unwrap();
    client.user("alice").await.unwrap();
    client
        .users(
            &UsersQuery::new()
                .with_q("status:active")
                .with_limit(5)
                .with_offset(0),
        )
        .await
        .unwrap();
    client.organizations().await.unwrap();
    client.organization(org).await.unwrap();
    client.organizations_by_user("me").await.unwrap();

    client
        .workspaces(&WorkspaceFilter::owner("me").with_limit(10).with_offset(0))
        .await
        .unwrap();
    client.workspace(dev).await.unwrap();
    client
        .workspace_by_owner_and_name("me", "dev")
        .await
        .unwrap();
    let created = client
        .create_user_workspace(
            "me",
            &CreateWorkspaceRequest::from_template("contract", template)
                .with_rich_parameter_values(vec![WorkspaceBuildParameter::new("cpu", "4")]),
        )
        .await
        .unwrap();
    sim.wait_for_build(created.latest_build.id.as_uuid()).await;
    let stop = client
        .create_workspace_build(
            created.id,
            &CreateWorkspaceBuildRequest::new(WorkspaceTransition::Stop),
        )
        .await
        .unwrap();
    sim.wait_for_build(stop.id.as_uuid()).await;
    client.workspace_build(stop.id).await.unwrap();
    client
        .workspace_builds(created.id, &Pagination::new().with_limit(5))
        .await
        .unwrap();
    client
        .workspace_build_logs(stop.id, &LogsQuery::new().with_after(0))
        .await
        .unwrap();

    client
        .templates(&TemplateFilter::new().with_q("name:docker"))
        .await
        .unwrap();
    client.template(template).await.unwrap();
    client.template_version(version).await.unwrap();
    client
        .template_version_rich_parameters(version)
        .await
        .unwrap();
    client.template_version_presets(version).await.unwrap();
    client
        .template_version_logs(version, &LogsQuery::new())
        .await
        .unwrap();
    client
        .template_versions_by_template(template, &Pagination::new())
        .await
        .unwrap();
    let file = client
        .upload_files([("main.tf", "# empty\n")])
        .await
        .unwrap();
    let new_version = client
        .create_template_version(
            org,
            &CreateTemplateVersionRequest::from_file(file).with_message("Created by AI"),
        )
        .await
        .unwrap();
    sim.wait_for_template_version(new_version.id.as_uuid())
        .await;
    let new_template = client
        .create_template(
            org,
            &CreateTemplateRequest::new("contract-template", new_version.id)
                .with_display_name("Contract")
                .with_description("from the contract test"),
        )
        .await
        .unwrap();
    client
        .update_active_template_version(new_template.id, new_version.id)
        .await
        .unwrap();
    client.delete_template(new_template.id).await.unwrap();

    client.workspace_agent(agent).await.unwrap();
    client
        .workspace_agent_logs(agent, &LogsQuery::new())
        .await
        .unwrap();
    client.workspace_agent_listening_ports(agent).await.unwrap();
    client.app_host().await.unwrap();
    client
        .patch_app_status(&PatchAppStatus {
            app_slug: "code-server".into(),
            state: WorkspaceAppStatusState::Idle,
            message: "Waiting".into(),
            uri: String::new(),
        })
        .await
        .unwrap();

    let tasks = client
        .tasks(&TasksFilter::new().with_owner("me").with_status("active"))
        .await
        .unwrap();
    let task = client
        .create_task("me", &CreateTaskRequest::new("Do something", version))
        .await
        .unwrap();
    client.task("me", task.id.to_string()).await.unwrap();
    client.task_logs("me", task.id.to_string()).await.unwrap();
    if let Some(active) = tasks.tasks.first() {
        client
            .send_task_input("me", active.id.to_string(), "more please")
            .await
            .unwrap();
    }
    client.delete_task("me", task.id.to_string()).await.unwrap();

    assert!(sim.requests().len() > 30);
    assert_requests_match_swagger(&sim);
}
