//! Helpers shared by the Coder tools: pass-through outputs, id parsing, workspace and
//! organization resolution, and waiting for a workspace to be usable.

use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use coder_sdk::{
    Client, OrganizationId, Workspace, WorkspaceAgent, WorkspaceAgentLifecycle,
    WorkspaceAgentStatus, WorkspaceFilter, WorkspaceId, WorkspaceStatus, WorkspaceTransition,
};
use futures::StreamExt;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize, Serializer};
use uuid::Uuid;

use crate::context::ToolContext;
use crate::error::{Error, Result};
use crate::workspace_ref::WorkspaceRef;

/// Declares a tool struct that owns a Coder client, with its constructor.
macro_rules! client_tool {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone)]
        pub struct $name {
            client: Client,
        }

        impl $name {
            /// The tool, acting with this client.
            pub fn new(client: Client) -> Self {
                Self { client }
            }
        }
    };
}
pub(crate) use client_tool;

/// A Coder API object returned as is; its schema is an open object because Coder's models
/// grow with every release.
#[derive(Debug, Clone)]
pub struct CoderObject<T>(pub T);

impl<T: Serialize> Serialize for CoderObject<T> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<T> JsonSchema for CoderObject<T> {
    fn schema_name() -> Cow<'static, str> {
        "CoderObject".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let full = std::any::type_name::<T>();
        let short = full.rsplit("::").next().unwrap_or(full);
        json_schema!({
            "type": "object",
            "description": format!("A Coder {short} object, as Coder's REST API returns it."),
        })
    }
}

/// A result that is only a message.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct MessageOutput {
    /// What happened.
    pub message: String,
}

impl MessageOutput {
    /// A message result.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// Parses a UUID argument, with Coder's error wording.
pub(crate) fn parse_id<T: From<Uuid>>(field: &str, value: &str) -> Result<T> {
    Uuid::parse_str(value.trim())
        .map(T::from)
        .map_err(|_| Error::invalid_arguments(format!("{field} must be a valid UUID")))
}

/// Parses an optional UUID argument (empty counts as absent).
pub(crate) fn parse_opt_id<T: From<Uuid>>(field: &str, value: Option<&str>) -> Result<Option<T>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse_id(field, v).map(Some),
    }
}

/// Wraps a Coder error with what the tool was doing; a 404 becomes a not-found message that
/// says how to list what exists.
pub(crate) fn coder_err(
    what: &str,
    list_with: &str,
) -> impl FnOnce(coder_sdk::Error) -> Error + use<> {
    let what = what.to_owned();
    let list_with = list_with.to_owned();
    move |e| {
        if e.is_not_found() {
            Error::NotFound(format!(
                "{what} not found ({e}); use {list_with} to see what exists"
            ))
        } else {
            Error::Coder(e)
        }
    }
}

/// Finds a workspace from any identifier form; an unknown one gives an error listing the
/// workspaces that exist.
pub(crate) async fn resolve_workspace(client: &Client, r: &WorkspaceRef) -> Result<Workspace> {
    if let Some(id) = r.id {
        match client.workspace(WorkspaceId(id)).await {
            Ok(ws) => return Ok(ws),
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(Error::Coder(e)),
        }
    }
    match client.workspace_by_owner_and_name(&r.owner, &r.name).await {
        Ok(ws) => Ok(ws),
        Err(e) if e.is_not_found() => Err(unknown_workspace(client, r).await),
        Err(e) => Err(Error::Coder(e)),
    }
}

async fn unknown_workspace(client: &Client, r: &WorkspaceRef) -> Error {
    let names = match client.workspaces(&WorkspaceFilter::owner(&r.owner)).await {
        Ok(list) => list
            .workspaces
            .iter()
            .map(|w| {
                if r.owner == "me" {
                    w.name.clone()
                } else {
                    format!("{}/{}", w.owner_name, w.name)
                }
            })
            .collect::<Vec<_>>(),
        Err(_) => Vec::new(),
    };
    let existing = if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    };
    Error::NotFound(format!(
        "workspace {:?} not found (owner {}); existing workspaces: {existing}. \
         Use coder_list_workspaces to list them.",
        r.name, r.owner
    ))
}

/// Picks the agent: by name or id when given, the only one otherwise.
pub(crate) fn pick_agent(ws: &Workspace, name: Option<&str>) -> Result<WorkspaceAgent> {
    let agents: Vec<&WorkspaceAgent> = ws.latest_build.agents().collect();
    let names = || {
        agents
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(name) = name {
        return agents
            .iter()
            .find(|a| a.name == name || a.id.to_string() == name)
            .map(|a| (*a).clone())
            .ok_or_else(|| {
                Error::NotFound(format!(
                    "agent {name:?} not found in workspace {}; available agents: {}",
                    ws.name,
                    if agents.is_empty() {
                        "none".into()
                    } else {
                        names()
                    }
                ))
            });
    }
    match agents.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::bad_state(format!(
            "workspace {} has no agents (is it running? status: {})",
            ws.name,
            ws.latest_build.status.as_str()
        ))),
        _ => Err(Error::invalid_arguments(format!(
            "workspace {} has several agents; name one as {}.<agent>: {}",
            ws.name,
            ws.name,
            names()
        ))),
    }
}

/// Progress steps of one wait, always increasing (the engine drops a value that does not
/// grow).
#[derive(Debug, Default)]
struct Steps(AtomicU64);

impl Steps {
    #[allow(clippy::cast_precision_loss)]
    fn next(&self) -> f64 {
        (self.0.fetch_add(1, Ordering::Relaxed) + 1) as f64
    }
}

/// How long to wait for a build or an agent before giving up.
const BUILD_WAIT: Duration = Duration::from_secs(600);
const AGENT_WAIT: Duration = Duration::from_secs(600);
const POLL: Duration = Duration::from_millis(250);

/// Makes sure the workspace is running and its agent ready, starting a stopped workspace
/// and waiting (with progress) as Coder's tools do. Returns the fresh workspace and agent.
pub(crate) async fn ready_agent(
    client: &Client,
    ctx: &ToolContext<'_>,
    workspace: &str,
) -> Result<(Workspace, WorkspaceAgent)> {
    let r = WorkspaceRef::parse(workspace).map_err(Error::InvalidArguments)?;
    let steps = Steps::default();
    let mut ws = resolve_workspace(client, &r).await?;
    let build = &ws.latest_build;
    if build.transition != WorkspaceTransition::Start {
        if build.status == WorkspaceStatus::Deleted
            || build.transition == WorkspaceTransition::Delete
        {
            return Err(Error::bad_state(format!(
                "workspace {} was deleted",
                ws.name
            )));
        }
        if build.status == WorkspaceStatus::Failed || !build.job.error.is_empty() {
            return Err(Error::bad_state(format!(
                "the last build of workspace {} failed; inspect it with \
                 coder_get_workspace_build_logs (build {})",
                ws.name, build.id
            )));
        }
        if build.status != WorkspaceStatus::Stopped {
            return Err(Error::bad_state(format!(
                "workspace {} is {}; wait until it is stopped or running",
                ws.name,
                build.status.as_str()
            )));
        }
        ctx.progress(1.0, None, Some("starting the workspace"))
            .await;
        let request = coder_sdk::CreateWorkspaceBuildRequest::new(WorkspaceTransition::Start);
        client
            .create_workspace_build(ws.id, &request)
            .await
            .map_err(Error::Coder)?;
        ws = client.workspace(ws.id).await.map_err(Error::Coder)?;
    }
    if !ws.latest_build.job.is_completed() {
        wait_for_build(client, ctx, &ws, &steps).await?;
        ws = client.workspace(ws.id).await.map_err(Error::Coder)?;
    }
    if ws.latest_build.status == WorkspaceStatus::Failed {
        return Err(Error::bad_state(format!(
            "the build of workspace {} failed: {}; see coder_get_workspace_build_logs",
            ws.name, ws.latest_build.job.error
        )));
    }
    let agent = pick_agent(&ws, r.agent.as_deref())?;
    let agent = wait_for_agent(client, ctx, agent, &steps).await?;
    Ok((ws, agent))
}

async fn wait_for_build(
    client: &Client,
    ctx: &ToolContext<'_>,
    ws: &Workspace,
    steps: &Steps,
) -> Result<()> {
    let build_id = ws.latest_build.id;
    let work = async {
        match client.follow_workspace_build_logs(build_id, None).await {
            Ok(mut stream) => {
                while let Some(line) = stream.next().await {
                    if let Ok(line) = line {
                        ctx.progress(steps.next(), None, Some(&line.output)).await;
                    }
                }
            }
            Err(_) => {
                // Fall back to polling when the log stream is unavailable.
                loop {
                    let b = client
                        .workspace_build(build_id)
                        .await
                        .map_err(Error::Coder)?;
                    if b.job.is_completed() {
                        break;
                    }
                    tokio::time::sleep(POLL).await;
                }
            }
        }
        // The stream closes when the job ends; make sure it really did.
        for _ in 0..(BUILD_WAIT.as_millis() / POLL.as_millis()) {
            let b = client
                .workspace_build(build_id)
                .await
                .map_err(Error::Coder)?;
            if b.job.is_completed() {
                return Ok(());
            }
            tokio::time::sleep(POLL).await;
        }
        Err(Error::Timeout(format!(
            "waiting for the build of workspace {}",
            ws.name
        )))
    };
    ctx.run(async {
        tokio::time::timeout(BUILD_WAIT, work).await.map_err(|_| {
            Error::Timeout(format!("waiting for the build of workspace {}", ws.name))
        })?
    })
    .await
}

async fn wait_for_agent(
    client: &Client,
    ctx: &ToolContext<'_>,
    agent: WorkspaceAgent,
    steps: &Steps,
) -> Result<WorkspaceAgent> {
    let id = agent.id;
    let work = async {
        let mut current = agent;
        loop {
            match (current.status, current.lifecycle_state) {
                (WorkspaceAgentStatus::Connected, WorkspaceAgentLifecycle::Ready) => {
                    return Ok(current);
                }
                (_, WorkspaceAgentLifecycle::StartError) => {
                    return Err(Error::bad_state(format!(
                        "the startup scripts of agent {} failed; see coder_get_workspace_agent_logs \
                         (agent {})",
                        current.name, current.id
                    )));
                }
                (WorkspaceAgentStatus::Timeout, _) => {
                    return Err(Error::bad_state(format!(
                        "agent {} did not connect in time",
                        current.name
                    )));
                }
                (
                    _,
                    WorkspaceAgentLifecycle::ShuttingDown
                    | WorkspaceAgentLifecycle::ShutdownTimeout
                    | WorkspaceAgentLifecycle::ShutdownError
                    | WorkspaceAgentLifecycle::Off,
                ) => {
                    return Err(Error::bad_state(format!(
                        "agent {} is shutting down or off; start the workspace again",
                        current.name
                    )));
                }
                // Coder's own tools also proceed after a startup timeout.
                (WorkspaceAgentStatus::Connected, WorkspaceAgentLifecycle::StartTimeout) => {
                    return Ok(current);
                }
                _ => {}
            }
            ctx.progress(steps.next(), None, Some("waiting for the workspace agent"))
                .await;
            tokio::time::sleep(POLL).await;
            current = client.workspace_agent(id).await.map_err(Error::Coder)?;
        }
    };
    ctx.run(async {
        tokio::time::timeout(AGENT_WAIT, work)
            .await
            .map_err(|_| Error::Timeout("waiting for the workspace agent".into()))?
    })
    .await
}

/// The organization for template tools: the given one, else the user's only one.
pub(crate) async fn resolve_organization(
    client: &Client,
    organization_id: Option<&str>,
) -> Result<OrganizationId> {
    if let Some(id) = parse_opt_id::<OrganizationId>("organization_id", organization_id)? {
        return Ok(id);
    }
    let orgs = client
        .organizations_by_user("me")
        .await
        .map_err(Error::Coder)?;
    match orgs.as_slice() {
        [one] => Ok(one.id),
        [] => Err(Error::bad_state(
            "you belong to no organization; ask an administrator to add you to one",
        )),
        many => Err(Error::invalid_arguments(format!(
            "you belong to {} organizations ({}); pass organization_id (see \
             coder_list_organizations)",
            many.len(),
            many.iter()
                .map(|o| format!("{} = {}", o.name, o.id))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}
