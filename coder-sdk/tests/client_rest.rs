//! Every REST endpoint of the client against the simulated deployment: one success and one
//! error case per resource.
#![cfg(feature = "testing")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use coder_sdk::testing::{JobOutcome, SimulatedCoder};
use coder_sdk::{
    Client, CreateTaskRequest, CreateTemplateRequest, CreateTemplateVersionRequest,
    CreateWorkspaceBuildRequest, CreateWorkspaceRequest, Error, LogsQuery, OrganizationId,
    Pagination, PatchAppStatus, ProvisionerJobStatus, TaskId, TasksFilter, TemplateFilter,
    TemplateId, TemplateVersionId, UserId, UsersQuery, WorkspaceAgentId, WorkspaceAppStatusState,
    WorkspaceBuildId, WorkspaceFilter, WorkspaceId, WorkspaceStatus, WorkspaceTransition,
};

async fn setup() -> (SimulatedCoder, Client) {
    let sim = SimulatedCoder::start().await.unwrap();
    let client = Client::new(sim.url(), sim.session_token()).unwrap();
    (sim, client)
}

/// Asserts an API error with a status and a non-empty message from Coder's body.
fn assert_api(err: &Error, status: u16) {
    match err {
        Error::Api {
            status: s, message, ..
        } => {
            assert_eq!(s.as_u16(), status, "{err}");
            assert!(!message.is_empty());
            assert!(
                !message.starts_with("unexpected status code"),
                "expected Coder's own message: {err}"
            );
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn build_info_and_users() {
    let (sim, client) = setup().await;
    let info = client.build_info().await.unwrap();
    assert!(!info.version.is_empty());

    let me = client.me().await.unwrap();
    assert_eq!(me.username, "admin");
    assert_eq!(me.id.as_uuid(), sim.owner_id());
    let by_id = client.user_by_id(me.id).await.unwrap();
    assert_eq!(by_id.username, "admin");
    let alice = client.user("alice").await.unwrap();
    assert_eq!(alice.username, "alice");
    let users = client.users(&UsersQuery::new()).await.unwrap();
    assert!(users.users.iter().any(|u| u.username == "alice"));
    assert!(users.count >= 2);
    let page = client
        .users(&UsersQuery::new().with_limit(1))
        .await
        .unwrap();
    assert_eq!(page.users.len(), 1);

    let err = client.user("nobody-here").await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_api(&err, 404);
    let err = client.user_by_id(UserId::random()).await.unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
async fn organizations() {
    let (sim, client) = setup().await;
    let orgs = client.organizations().await.unwrap();
    assert!(orgs.iter().any(|o| o.name == "coder" && o.is_default));
    let org = client.organization_by_name("coder").await.unwrap();
    assert_eq!(org.id.as_uuid(), sim.organization_id());
    let by_id = client.organization(org.id).await.unwrap();
    assert_eq!(by_id.name, "coder");
    let mine = client.organizations_by_user("me").await.unwrap();
    assert_eq!(mine.len(), 1);
    let err = client
        .organization(OrganizationId::random())
        .await
        .unwrap_err();
    assert_api(&err, 404);
}

#[tokio::test]
async fn workspaces_list_get_and_by_name() {
    let (sim, client) = setup().await;
    let list = client
        .workspaces(&WorkspaceFilter::owner("me"))
        .await
        .unwrap();
    assert!(list.workspaces.iter().any(|w| w.name == "dev"));
    assert_eq!(list.count as usize, list.workspaces.len());
    let page = client
        .workspaces(&WorkspaceFilter::new().with_limit(1))
        .await
        .unwrap();
    assert_eq!(page.workspaces.len(), 1);
    let running = client
        .workspaces(&WorkspaceFilter::new().with_q("status:running"))
        .await
        .unwrap();
    assert!(
        running
            .workspaces
            .iter()
            .all(|w| w.latest_build.status == WorkspaceStatus::Running)
    );

    let id = WorkspaceId::new(sim.workspace_id("dev").unwrap());
    let ws = client.workspace(id).await.unwrap();
    assert_eq!(ws.name, "dev");
    assert_eq!(ws.latest_build.status, WorkspaceStatus::Running);
    let agent = ws.latest_build.agents().next().unwrap();
    assert_eq!(agent.id.as_uuid(), sim.agent_id("dev").unwrap());
    let by_name = client
        .workspace_by_owner_and_name("me", "dev")
        .await
        .unwrap();
    assert_eq!(by_name.id, id);

    let err = client.workspace(WorkspaceId::random()).await.unwrap_err();
    assert_api(&err, 404);
    let err = client
        .workspace_by_owner_and_name("me", "does-not-exist")
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
async fn create_workspace_and_builds() {
    let (sim, client) = setup().await;
    let template = TemplateId::new(sim.template_id("docker").unwrap());
    let ws = client
        .create_user_workspace(
            "me",
            &CreateWorkspaceRequest::from_template("new-one", template),
        )
        .await
        .unwrap();
    assert_eq!(ws.name, "new-one");
    assert_eq!(ws.latest_build.transition, WorkspaceTransition::Start);
    let outcome = sim.wait_for_build(ws.latest_build.id.as_uuid()).await;
    assert_eq!(outcome, JobOutcome::Succeeded);
    let build = client.workspace_build(ws.latest_build.id).await.unwrap();
    assert_eq!(build.job.status, ProvisionerJobStatus::Succeeded);
    assert!(build.job.is_completed());

    // Same name again: Coder refuses with a validation error.
    let err = client
        .create_user_workspace(
            "me",
            &CreateWorkspaceRequest::from_template("new-one", template),
        )
        .await
        .unwrap_err();
    assert!(err.status().is_some_and(|s| s.is_client_error()), "{err}");

    let stop = client
        .create_workspace_build(
            ws.id,
            &CreateWorkspaceBuildRequest::new(WorkspaceTransition::Stop),
        )
        .await
        .unwrap();
    assert_eq!(stop.transition, WorkspaceTransition::Stop);
    assert_eq!(
        sim.wait_for_build(stop.id.as_uuid()).await,
        JobOutcome::Succeeded
    );
    let builds = client
        .workspace_builds(ws.id, &Pagination::new())
        .await
        .unwrap();
    assert_eq!(builds.len(), 2);
    let one = client
        .workspace_builds(ws.id, &Pagination::new().with_limit(1))
        .await
        .unwrap();
    assert_eq!(one.len(), 1);

    let logs = client
        .workspace_build_logs(stop.id, &LogsQuery::new())
        .await
        .unwrap();
    assert!(!logs.is_empty());
    let last = logs.last().unwrap().id;
    let after = client
        .workspace_build_logs(stop.id, &LogsQuery::new().with_after(last))
        .await
        .unwrap();
    assert!(after.is_empty());

    let err = client
        .create_workspace_build(
            WorkspaceId::random(),
            &CreateWorkspaceBuildRequest::new(WorkspaceTransition::Start),
        )
        .await
        .unwrap_err();
    assert_api(&err, 404);
    let err = client
        .workspace_build(WorkspaceBuildId::random())
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let err = client
        .workspace_build_logs(WorkspaceBuildId::random(), &LogsQuery::new())
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
async fn templates_versions_parameters_presets() {
    let (sim, client) = setup().await;
    let templates = client.templates(&TemplateFilter::new()).await.unwrap();
    assert!(templates.iter().any(|t| t.name == "docker"));
    let id = TemplateId::new(sim.template_id("docker").unwrap());
    let t = client.template(id).await.unwrap();
    assert_eq!(t.name, "docker");
    let version = client.template_version(t.active_version_id).await.unwrap();
    assert_eq!(version.id, t.active_version_id);
    let params = client
        .template_version_rich_parameters(t.active_version_id)
        .await
        .unwrap();
    assert!(
        params
            .iter()
            .any(|p| p.name == "cpu" && !p.options.is_empty())
    );
    let presets = client
        .template_version_presets(t.active_version_id)
        .await
        .unwrap();
    assert!(presets.iter().any(|p| p.name == "Small"));
    let versions = client
        .template_versions_by_template(id, &Pagination::new())
        .await
        .unwrap();
    assert!(versions.iter().any(|v| v.id == t.active_version_id));
    let logs = client
        .template_version_logs(t.active_version_id, &LogsQuery::new())
        .await
        .unwrap();
    assert!(!logs.is_empty());

    let err = client.template(TemplateId::random()).await.unwrap_err();
    assert_api(&err, 404);
    let err = client
        .template_version(TemplateVersionId::random())
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let err = client
        .template_version_rich_parameters(TemplateVersionId::random())
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let err = client
        .template_version_presets(TemplateVersionId::random())
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
async fn upload_create_version_and_template_lifecycle() {
    let (sim, client) = setup().await;
    let file = client
        .upload_files([("main.tf", "terraform {}\n"), ("README.md", "# hi\n")])
        .await
        .unwrap();
    let stored = sim.file(file.as_uuid()).unwrap();
    let mut archive = tar::Archive::new(stored.as_slice());
    let names: Vec<String> = archive
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["main.tf", "README.md"]);

    let org = OrganizationId::new(sim.organization_id());
    let version = client
        .create_template_version(
            org,
            &CreateTemplateVersionRequest::from_file(file).with_message("Created by a test"),
        )
        .await
        .unwrap();
    assert_eq!(
        sim.wait_for_template_version(version.id.as_uuid()).await,
        JobOutcome::Succeeded
    );
    let template = client
        .create_template(
            org,
            &CreateTemplateRequest::new("from-test", version.id)
                .with_display_name("From test")
                .with_description("made by client_rest"),
        )
        .await
        .unwrap();
    assert_eq!(template.name, "from-test");
    assert_eq!(template.active_version_id, version.id);

    // A second version, promoted.
    let v2 = client
        .create_template_version(
            org,
            &CreateTemplateVersionRequest::from_file(file).with_template_id(template.id),
        )
        .await
        .unwrap();
    sim.wait_for_template_version(v2.id.as_uuid()).await;
    client
        .update_active_template_version(template.id, v2.id)
        .await
        .unwrap();
    assert_eq!(
        client
            .template(template.id)
            .await
            .unwrap()
            .active_version_id,
        v2.id
    );

    client.delete_template(template.id).await.unwrap();
    let err = client.template(template.id).await.unwrap_err();
    assert!(err.is_not_found());

    let err = client
        .create_template_version(
            org,
            &CreateTemplateVersionRequest::from_file(coder_sdk::FileId::random()),
        )
        .await
        .unwrap_err();
    assert!(err.status().is_some_and(|s| s.is_client_error()), "{err}");
    let err = client
        .delete_template(TemplateId::random())
        .await
        .unwrap_err();
    assert_api(&err, 404);
    let err = client
        .update_active_template_version(TemplateId::random(), v2.id)
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
async fn agents_ports_and_app_host() {
    let (sim, client) = setup().await;
    let agent_id = WorkspaceAgentId::new(sim.agent_id("dev").unwrap());
    let agent = client.workspace_agent(agent_id).await.unwrap();
    assert_eq!(agent.name, "main");
    assert!(agent.lifecycle_state.is_startup_finished());
    let logs = client
        .workspace_agent_logs(agent_id, &LogsQuery::new())
        .await
        .unwrap();
    assert!(!logs.is_empty());
    let ports = client
        .workspace_agent_listening_ports(agent_id)
        .await
        .unwrap();
    assert!(ports.ports.iter().all(|p| p.port > 0));
    let host = client.app_host().await.unwrap();
    assert_eq!(host.host, "*.apps.coder.test");

    let err = client
        .workspace_agent(WorkspaceAgentId::random())
        .await
        .unwrap_err();
    assert_api(&err, 404);
    let err = client
        .workspace_agent_logs(WorkspaceAgentId::random(), &LogsQuery::new())
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let err = client
        .workspace_agent_listening_ports(WorkspaceAgentId::random())
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

#[tokio::test]
async fn app_status_uses_the_agent_token() {
    let sim = SimulatedCoder::start().await.unwrap();
    let client = Client::builder()
        .url(sim.url())
        .unwrap()
        .token(sim.session_token())
        .agent_token(sim.agent_token().unwrap())
        .build()
        .unwrap();
    let report = PatchAppStatus {
        app_slug: "code-server".into(),
        state: WorkspaceAppStatusState::Working,
        message: "Reading the code".into(),
        uri: "https://example.com/pr/1".into(),
    };
    client.patch_app_status(&report).await.unwrap();
    let seen = sim.app_statuses();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].message, "Reading the code");
    assert_eq!(seen[0].state, "working");

    // Without an agent token the call is refused before any request.
    let plain = Client::new(sim.url(), sim.session_token()).unwrap();
    let err = plain.patch_app_status(&report).await.unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    // With a wrong agent token Coder says 401.
    let wrong = Client::builder()
        .url(sim.url())
        .unwrap()
        .agent_token("not-a-real-agent-token")
        .build()
        .unwrap();
    let err = wrong.patch_app_status(&report).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
}

#[tokio::test]
async fn tasks_lifecycle() {
    let (sim, client) = setup().await;
    let list = client
        .tasks(&TasksFilter::new().with_owner("me"))
        .await
        .unwrap();
    let seeded = list.tasks.iter().find(|t| t.name == "fix-readme").unwrap();
    assert_eq!(seeded.id.as_uuid(), sim.task_id("fix-readme").unwrap());
    let task = client.task("me", seeded.id.to_string()).await.unwrap();
    assert_eq!(task.name, "fix-readme");
    let logs = client.task_logs("me", task.id.to_string()).await.unwrap();
    assert!(!logs.logs.is_empty());
    client
        .send_task_input("me", task.id.to_string(), "Please also fix the typo")
        .await
        .unwrap();

    let version = TemplateVersionId::new(sim.active_version_id("docker").unwrap());
    let created = client
        .create_task("me", &CreateTaskRequest::new("Write tests", version))
        .await
        .unwrap();
    assert_eq!(created.initial_prompt, "Write tests");
    client
        .delete_task("me", created.id.to_string())
        .await
        .unwrap();

    let missing = TaskId::random().to_string();
    let err = client.task("me", &missing).await.unwrap_err();
    assert_api(&err, 404);
    let err = client.task_logs("me", &missing).await.unwrap_err();
    assert!(err.is_not_found());
    let err = client
        .send_task_input("me", &missing, "x")
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let err = client.delete_task("me", &missing).await.unwrap_err();
    assert!(err.is_not_found());
    let err = client
        .create_task(
            "me",
            &CreateTaskRequest::new("x", TemplateVersionId::random()),
        )
        .await
        .unwrap_err();
    assert!(err.status().is_some_and(|s| s.is_client_error()), "{err}");
}
