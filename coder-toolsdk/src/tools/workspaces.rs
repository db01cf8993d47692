//! Workspace tools: list, get, create, build (start/stop/delete), readiness.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::time::Duration;

use coder_sdk::{
    Client, CreateWorkspaceBuildRequest, CreateWorkspaceRequest, PresetId, TemplateId,
    TemplateVersionId, Workspace, WorkspaceAgentLifecycle, WorkspaceAgentStatus, WorkspaceBuild,
    WorkspaceBuildParameter, WorkspaceFilter, WorkspaceStatus, WorkspaceTransition,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::annotations;
use crate::context::ToolContext;
use crate::error::{Error, ToolError};
use crate::tool::Tool;
use crate::tools::common::{CoderObject, coder_err, parse_opt_id, pick_agent, resolve_workspace};
use crate::workspace_ref::WorkspaceRef;

/// The short form of a workspace that list results use.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct MinimalWorkspace {
    /// The workspace id.
    pub id: String,
    /// The workspace name.
    pub name: String,
    /// The template it was created from.
    pub template_id: String,
    /// The template's name.
    pub template_name: String,
    /// The template's display name.
    pub template_display_name: String,
    /// The template's icon.
    pub template_icon: String,
    /// The template's active version.
    pub template_active_version_id: String,
    /// True when a newer template version is active than the one the workspace runs.
    pub outdated: bool,
    /// The organization the workspace belongs to.
    pub organization_id: String,
}

impl From<&Workspace> for MinimalWorkspace {
    fn from(w: &Workspace) -> Self {
        Self {
            id: w.id.to_string(),
            name: w.name.clone(),
            template_id: w.template_id.to_string(),
            template_name: w.template_name.clone(),
            template_display_name: w.template_display_name.clone(),
            template_icon: w.template_icon.clone(),
            template_active_version_id: w.template_active_version_id.to_string(),
            outdated: w.outdated,
            organization_id: w.organization_id.to_string(),
        }
    }
}

/// Arguments of `coder_list_workspaces`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ListWorkspacesArgs {
    /// Whose workspaces to list: a username, or "me" (the default).
    #[serde(default)]
    pub owner: Option<String>,
}

/// `coder_list_workspaces`.
#[derive(Debug, Clone)]
pub struct ListWorkspaces {
    client: Client,
}

impl ListWorkspaces {
    /// The tool, acting with this client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

impl Tool for ListWorkspaces {
    const NAME: &'static str = "coder_list_workspaces";
    type Input = ListWorkspacesArgs;
    type Output = Vec<MinimalWorkspace>;

    fn description(&self) -> Cow<'static, str> {
        "Lists the workspaces of a user (yours by default) with their templates. Use the \
         names with the other workspace tools."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: ListWorkspacesArgs,
    ) -> Result<Self::Output, ToolError> {
        let owner = input
            .owner
            .as_deref()
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .unwrap_or("me");
        let list = self
            .client
            .workspaces(&WorkspaceFilter::owner(owner))
            .await
            .map_err(Error::Coder)?;
        Ok(list.workspaces.iter().map(MinimalWorkspace::from).collect())
    }
}

/// Arguments of `coder_get_workspace`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct GetWorkspaceArgs {
    /// The workspace: its UUID, or its name as "name" or "owner/name".
    pub workspace_id: String,
}

/// `coder_get_workspace`.
#[derive(Debug, Clone)]
pub struct GetWorkspace {
    client: Client,
}

impl GetWorkspace {
    /// The tool, acting with this client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

impl Tool for GetWorkspace {
    const NAME: &'static str = "coder_get_workspace";
    type Input = GetWorkspaceArgs;
    type Output = CoderObject<Workspace>;

    fn description(&self) -> Cow<'static, str> {
        "Returns everything about one workspace: its latest build and status, resources, \
         agents and apps. Accepts a UUID or a name."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: GetWorkspaceArgs,
    ) -> Result<Self::Output, ToolError> {
        let r = WorkspaceRef::parse(&input.workspace_id).map_err(Error::InvalidArguments)?;
        resolve_workspace(&self.client, &r).await.map(CoderObject)
    }
}

fn parameters(map: BTreeMap<String, String>) -> Vec<WorkspaceBuildParameter> {
    map.into_iter()
        .map(|(k, v)| WorkspaceBuildParameter::new(k, v))
        .collect()
}

/// Arguments of `coder_create_workspace`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct CreateWorkspaceArgs {
    /// The owner of the new workspace: a username, or "me".
    pub user: String,
    /// The name of the new workspace (letters, digits and dashes).
    pub name: String,
    /// Values of the template's rich parameters, by parameter name (see coder_get_template).
    pub rich_parameters: BTreeMap<String, String>,
    /// The template to use (its active version). Give this or template_version_id.
    #[serde(default)]
    pub template_id: Option<String>,
    /// A specific template version to use. Give this or template_id.
    #[serde(default)]
    pub template_version_id: Option<String>,
    /// A preset of the template version that fills in parameters.
    #[serde(default)]
    pub template_version_preset_id: Option<String>,
}

/// `coder_create_workspace`.
#[derive(Debug, Clone)]
pub struct CreateWorkspace {
    client: Client,
}

impl CreateWorkspace {
    /// The tool, acting with this client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

impl Tool for CreateWorkspace {
    const NAME: &'static str = "coder_create_workspace";
    type Input = CreateWorkspaceArgs;
    type Output = CoderObject<Workspace>;

    fn description(&self) -> Cow<'static, str> {
        "Creates a workspace from a template and starts its first build. Confirm the \
         template and parameter values with the user first (coder_list_templates, \
         coder_get_template). The build runs in the background: follow it with \
         coder_get_workspace_build_logs or coder_workspace_readiness."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::mutation()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: CreateWorkspaceArgs,
    ) -> Result<Self::Output, ToolError> {
        let template: Option<TemplateId> =
            parse_opt_id("template_id", input.template_id.as_deref())?;
        let version: Option<TemplateVersionId> =
            parse_opt_id("template_version_id", input.template_version_id.as_deref())?;
        let preset: Option<PresetId> = parse_opt_id(
            "template_version_preset_id",
            input.template_version_preset_id.as_deref(),
        )?;
        let mut request = match (template, version) {
            (Some(t), None) => CreateWorkspaceRequest::from_template(&input.name, t),
            (None, Some(v)) => CreateWorkspaceRequest::from_template_version(&input.name, v),
            _ => {
                return Err(Error::invalid_arguments(
                    "give exactly one of template_id and template_version_id",
                ));
            }
        };
        if let Some(p) = preset {
            request = request.with_template_version_preset_id(p);
        }
        request = request.with_rich_parameter_values(parameters(input.rich_parameters));
        let user = if input.user.trim().is_empty() {
            "me"
        } else {
            input.user.trim()
        };
        self.client
            .create_user_workspace(user, &request)
            .await
            .map(CoderObject)
            .map_err(coder_err(
                &format!("user or template for {user}"),
                "coder_list_templates",
            ))
    }
}

/// Arguments of `coder_create_workspace_build`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct CreateWorkspaceBuildArgs {
    /// The workspace: its UUID, or its name as "name" or "owner/name".
    pub workspace_id: String,
    /// What to do: "start", "stop" or "delete" (delete cannot be undone).
    #[schemars(extend("enum" = ["start", "stop", "delete"]))]
    pub transition: String,
    /// Build with this template version (start only; default: the current one).
    #[serde(default)]
    pub template_version_id: Option<String>,
    /// A preset of the template version (start only).
    #[serde(default)]
    pub template_version_preset_id: Option<String>,
    /// New values of rich parameters, by name (start only).
    #[serde(default)]
    pub rich_parameters: Option<BTreeMap<String, String>>,
}

/// `coder_create_workspace_build`: start, stop or delete a workspace.
#[derive(Debug, Clone)]
pub struct CreateWorkspaceBuild {
    client: Client,
}

impl CreateWorkspaceBuild {
    /// The tool, acting with this client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

impl Tool for CreateWorkspaceBuild {
    const NAME: &'static str = "coder_create_workspace_build";
    type Input = CreateWorkspaceBuildArgs;
    type Output = CoderObject<WorkspaceBuild>;

    fn description(&self) -> Cow<'static, str> {
        "Starts, stops or deletes a workspace by queuing a build. Deleting destroys the \
         workspace and its data: ask the user first. The build runs in the background; \
         follow it with coder_get_workspace_build_logs."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::destructive()
    }

    async fn call(
        &self,
        ctx: ToolContext<'_>,
        input: CreateWorkspaceBuildArgs,
    ) -> Result<Self::Output, ToolError> {
        let transition = match input.transition.as_str() {
            "start" => WorkspaceTransition::Start,
            "stop" => WorkspaceTransition::Stop,
            "delete" => WorkspaceTransition::Delete,
            other => {
                return Err(Error::invalid_arguments(format!(
                    "/transition: {other:?} is not one of start, stop, delete"
                )));
            }
        };
        let version: Option<TemplateVersionId> =
            parse_opt_id("template_version_id", input.template_version_id.as_deref())?;
        let preset: Option<PresetId> = parse_opt_id(
            "template_version_preset_id",
            input.template_version_preset_id.as_deref(),
        )?;
        if transition != WorkspaceTransition::Start {
            let mut problems = Vec::new();
            if preset.is_some() {
                problems.push("template_version_preset_id can only be used with start");
            }
            if input
                .rich_parameters
                .as_ref()
                .is_some_and(|p| !p.is_empty())
            {
                problems.push("rich_parameters can only be used with start");
            }
            if !problems.is_empty() {
                return Err(Error::invalid_arguments(problems.join("; ")));
            }
        }
        let r = WorkspaceRef::parse(&input.workspace_id).map_err(Error::InvalidArguments)?;
        let ws = resolve_workspace(&self.client, &r).await?;
        if transition == WorkspaceTransition::Delete {
            ctx.confirm(&format!(
                "Delete workspace {}/{}? Its data cannot be recovered.",
                ws.owner_name, ws.name
            ))
            .await?;
        }
        let mut request = CreateWorkspaceBuildRequest::new(transition);
        if let Some(v) = version {
            request = request.with_template_version_id(v);
        }
        if let Some(p) = preset {
            request = request.with_template_version_preset_id(p);
        }
        if let Some(params) = input.rich_parameters {
            request = request.with_rich_parameter_values(parameters(params));
        }
        self.client
            .create_workspace_build(ws.id, &request)
            .await
            .map(CoderObject)
            .map_err(Error::Coder)
    }
}

/// Arguments of `coder_workspace_readiness`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct WorkspaceReadinessArgs {
    /// The workspace, as "name", "name.agent", "owner/name[.agent]" or a UUID.
    pub workspace: String,
    /// How long to keep observing, in milliseconds (0 to 30000); 0 returns one snapshot.
    #[serde(default)]
    #[schemars(range(min = 0, max = 30000))]
    pub wait_ms: u32,
}

/// A snapshot of how close a workspace is to being usable.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct WorkspaceReadiness {
    /// The workspace id.
    pub workspace_id: String,
    /// The latest build id.
    pub build_id: String,
    /// The latest build's status.
    pub build_status: String,
    /// The latest build's transition.
    pub build_transition: String,
    /// The build job's error, if any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub build_error: String,
    /// The agent observed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// The agent's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_name: Option<String>,
    /// The agent's connection status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_status: Option<String>,
    /// The agent's lifecycle state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_state: Option<String>,
    /// One word: ready, pending, stopped, build_failed, start_error, disconnected...
    pub state: String,
    /// What the state means and what to do next.
    pub reason: String,
    /// True when the build runs and the agent is connected and done starting.
    pub ready: bool,
    /// True when `wait_ms` ran out before a final state.
    pub wait_expired: bool,
}

/// `coder_workspace_readiness`: observe (never start) a workspace's readiness.
#[derive(Debug, Clone)]
pub struct WorkspaceReadinessTool {
    client: Client,
}

impl WorkspaceReadinessTool {
    /// The tool, acting with this client.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

fn snapshot(ws: &Workspace, agent: Option<&str>) -> Result<(WorkspaceReadiness, bool), Error> {
    let b = &ws.latest_build;
    let mut out = WorkspaceReadiness {
        workspace_id: ws.id.to_string(),
        build_id: b.id.to_string(),
        build_status: b.status.as_str().to_owned(),
        build_transition: b.transition.as_str().to_owned(),
        build_error: b.job.error.clone(),
        agent_id: None,
        agent_name: None,
        connection_status: None,
        lifecycle_state: None,
        state: String::new(),
        reason: String::new(),
        ready: false,
        wait_expired: false,
    };
    let set = |state: &str, reason: &str, pending: bool, out: &mut WorkspaceReadiness| {
        out.state = state.to_owned();
        out.reason = reason.to_owned();
        pending
    };
    let failed =
        "Read the build logs (coder_get_workspace_build_logs), fix the cause, then build again.";
    let pending = match b.status {
        WorkspaceStatus::Failed => set("build_failed", failed, false, &mut out),
        WorkspaceStatus::Canceled | WorkspaceStatus::Canceling => set(
            "build_canceled",
            "The build was canceled; inspect it before starting another.",
            false,
            &mut out,
        ),
        WorkspaceStatus::Pending | WorkspaceStatus::Starting => set(
            "pending",
            "The build is still running; observe again or read the build logs.",
            true,
            &mut out,
        ),
        WorkspaceStatus::Stopped => set(
            "stopped",
            "Start the workspace with coder_create_workspace_build, then observe again.",
            false,
            &mut out,
        ),
        WorkspaceStatus::Stopping | WorkspaceStatus::Deleting | WorkspaceStatus::Deleted => set(
            b.status.as_str(),
            "The workspace is stopping or being deleted.",
            false,
            &mut out,
        ),
        WorkspaceStatus::Running if b.transition != WorkspaceTransition::Start => set(
            "unavailable",
            "The latest build is not a start build.",
            false,
            &mut out,
        ),
        WorkspaceStatus::Running => {
            let a = pick_agent(ws, agent)?;
            out.agent_id = Some(a.id.to_string());
            out.agent_name = Some(a.name.clone());
            out.connection_status = serde_json::to_value(a.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned));
            out.lifecycle_state = serde_json::to_value(a.lifecycle_state)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned));
            match (a.status, a.lifecycle_state) {
                (_, WorkspaceAgentLifecycle::StartError) => set(
                    "start_error",
                    "The startup scripts failed; read coder_get_workspace_agent_logs.",
                    false,
                    &mut out,
                ),
                (_, WorkspaceAgentLifecycle::StartTimeout) => set(
                    "start_timeout",
                    "The startup scripts ran out of time; read coder_get_workspace_agent_logs.",
                    false,
                    &mut out,
                ),
                (WorkspaceAgentStatus::Connected, WorkspaceAgentLifecycle::Ready) => {
                    out.ready = true;
                    set(
                        "ready",
                        "The agent is connected and finished starting.",
                        false,
                        &mut out,
                    )
                }
                (
                    WorkspaceAgentStatus::Connected,
                    WorkspaceAgentLifecycle::Created | WorkspaceAgentLifecycle::Starting,
                )
                | (WorkspaceAgentStatus::Connecting, _) => set(
                    "pending",
                    "The agent is connecting or starting; observe again.",
                    true,
                    &mut out,
                ),
                (WorkspaceAgentStatus::Disconnected, _) => set(
                    "disconnected",
                    "The agent is disconnected; observe again or read the logs.",
                    true,
                    &mut out,
                ),
                (WorkspaceAgentStatus::Timeout, _) => set(
                    "connection_timeout",
                    "The agent did not connect in time; read the agent and build logs.",
                    false,
                    &mut out,
                ),
                _ => set(
                    "unavailable",
                    "The agent is shutting down or in an unknown state.",
                    false,
                    &mut out,
                ),
            }
        }
        WorkspaceStatus::Unknown => set(
            "unavailable",
            "The build state is unknown.",
            false,
            &mut out,
        ),
    };
    Ok((out, pending))
}

impl Tool for WorkspaceReadinessTool {
    const NAME: &'static str = "coder_workspace_readiness";
    type Input = WorkspaceReadinessArgs;
    type Output = WorkspaceReadiness;

    fn description(&self) -> Cow<'static, str> {
        "Reports whether a workspace is ready for commands (build running, agent connected, \
         startup finished) without starting it. With wait_ms it keeps observing until ready, \
         a state that needs action, or the time runs out (wait_expired)."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        ctx: ToolContext<'_>,
        input: WorkspaceReadinessArgs,
    ) -> Result<Self::Output, ToolError> {
        if input.wait_ms > 30_000 {
            return Err(Error::invalid_arguments(
                "/wait_ms: must be between 0 and 30000",
            ));
        }
        let r = WorkspaceRef::parse(&input.workspace).map_err(Error::InvalidArguments)?;
        let mut ws = resolve_workspace(&self.client, &r).await?;
        let deadline = tokio::time::Instant::now() + Duration::from_millis(input.wait_ms.into());
        loop {
            let (mut snap, pending) = snapshot(&ws, r.agent.as_deref())?;
            if !pending || input.wait_ms == 0 {
                return Ok(snap);
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                snap.wait_expired = true;
                return Ok(snap);
            }
            let pause = (deadline - now).min(Duration::from_millis(500));
            ctx.run(async {
                tokio::time::sleep(pause).await;
                Ok(())
            })
            .await?;
            ws = self.client.workspace(ws.id).await.map_err(Error::Coder)?;
        }
    }
}
