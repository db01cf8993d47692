//! Log tools: template version import logs, workspace build logs, agent startup logs.

use std::borrow::Cow;
use std::time::Duration;

use coder_sdk::{Client, LogsQuery, TemplateVersionId, WorkspaceAgentId, WorkspaceBuildId};
use futures::StreamExt;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::annotations;
use crate::context::ToolContext;
use crate::error::{Error, ToolError};
use crate::tool::Tool;
use crate::tools::common::{client_tool, coder_err, parse_id};
use crate::tools::templates::TemplateVersionIdArgs;

/// How long a log tool follows a running job before returning what it has.
const FOLLOW_LIMIT: Duration = Duration::from_secs(300);

/// Collects followed lines until the stream ends (the job finished) or the time is up.
async fn collect<S, T, F>(ctx: &ToolContext<'_>, stream: S, line: F) -> Result<Vec<String>, Error>
where
    S: futures::Stream<Item = coder_sdk::Result<T>> + Unpin,
    F: Fn(T) -> String,
{
    let mut stream = stream;
    let mut lines = Vec::new();
    let work = async {
        while let Some(item) = stream.next().await {
            let item = item.map_err(Error::Coder)?;
            lines.push(line(item));
        }
        Ok::<(), Error>(())
    };
    match ctx
        .run(async {
            tokio::time::timeout(FOLLOW_LIMIT, work)
                .await
                .map_err(|_| Error::Timeout(String::new()))
        })
        .await
    {
        Ok(Ok(())) | Err(Error::Timeout(_)) => Ok(lines),
        Ok(Err(e)) | Err(e) => Err(e),
    }
}

client_tool!(
    /// `coder_get_template_version_logs`.
    GetTemplateVersionLogs
);

impl Tool for GetTemplateVersionLogs {
    const NAME: &'static str = "coder_get_template_version_logs";
    type Input = TemplateVersionIdArgs;
    type Output = Vec<String>;

    fn description(&self) -> Cow<'static, str> {
        "Returns the import logs of a template version (Terraform init and plan output), \
         waiting for a running import to finish. Read them after \
         coder_create_template_version to see whether the template is valid."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        ctx: ToolContext<'_>,
        input: TemplateVersionIdArgs,
    ) -> Result<Self::Output, ToolError> {
        let id: TemplateVersionId = parse_id("template_version_id", &input.template_version_id)?;
        let not_found = coder_err(&format!("template version {id}"), "coder_get_template");
        match self.client.follow_template_version_logs(id, None).await {
            Ok(stream) => collect(&ctx, stream, |l| l.output).await,
            Err(e) if e.is_not_found() => Err(not_found(e)),
            Err(_) => {
                let logs = self
                    .client
                    .template_version_logs(id, &LogsQuery::new())
                    .await
                    .map_err(not_found)?;
                Ok(logs.into_iter().map(|l| l.output).collect())
            }
        }
    }
}

/// Arguments of `coder_get_workspace_build_logs`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct BuildLogsArgs {
    /// The build's UUID (latest_build.id of coder_get_workspace).
    pub workspace_build_id: String,
}

client_tool!(
    /// `coder_get_workspace_build_logs`.
    GetWorkspaceBuildLogs
);

impl Tool for GetWorkspaceBuildLogs {
    const NAME: &'static str = "coder_get_workspace_build_logs";
    type Input = BuildLogsArgs;
    type Output = Vec<String>;

    fn description(&self) -> Cow<'static, str> {
        "Returns the logs of a workspace build (Terraform apply output), waiting for a \
         running build to finish. Use it to see why a build failed."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        ctx: ToolContext<'_>,
        input: BuildLogsArgs,
    ) -> Result<Self::Output, ToolError> {
        let id: WorkspaceBuildId = parse_id("workspace_build_id", &input.workspace_build_id)?;
        let not_found = coder_err(&format!("workspace build {id}"), "coder_get_workspace");
        match self.client.follow_workspace_build_logs(id, None).await {
            Ok(stream) => collect(&ctx, stream, |l| l.output).await,
            Err(e) if e.is_not_found() => Err(not_found(e)),
            Err(_) => {
                let logs = self
                    .client
                    .workspace_build_logs(id, &LogsQuery::new())
                    .await
                    .map_err(not_found)?;
                Ok(logs.into_iter().map(|l| l.output).collect())
            }
        }
    }
}

/// Arguments of `coder_get_workspace_agent_logs`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct AgentLogsArgs {
    /// The agent's UUID (from latest_build.resources[].agents[] of coder_get_workspace).
    pub workspace_agent_id: String,
}

client_tool!(
    /// `coder_get_workspace_agent_logs`.
    GetWorkspaceAgentLogs
);

impl Tool for GetWorkspaceAgentLogs {
    const NAME: &'static str = "coder_get_workspace_agent_logs";
    type Input = AgentLogsArgs;
    type Output = Vec<String>;

    fn description(&self) -> Cow<'static, str> {
        "Returns the startup logs of a workspace agent so far (startup scripts output), \
         without waiting. Use it when a workspace is up but not ready."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: AgentLogsArgs,
    ) -> Result<Self::Output, ToolError> {
        let id: WorkspaceAgentId = parse_id("workspace_agent_id", &input.workspace_agent_id)?;
        let logs = self
            .client
            .workspace_agent_logs(id, &LogsQuery::new())
            .await
            .map_err(coder_err(
                &format!("workspace agent {id}"),
                "coder_get_workspace",
            ))?;
        Ok(logs.into_iter().map(|l| l.output).collect())
    }
}
