//! Task tools (Coder Tasks API) and `coder_report_task` (status reports from an AI agent
//! running inside a workspace).

use std::borrow::Cow;

use coder_sdk::{
    Client, CreateTaskRequest, PresetId, Task, TaskLogsResponse, TaskStateEntry, TasksFilter,
    TemplateVersionId, WorkspaceAppStatusState,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::annotations;
use crate::context::ToolContext;
use crate::error::{Error, ToolError};
use crate::tool::Tool;
use crate::tools::common::{CoderObject, MessageOutput, client_tool, parse_id, parse_opt_id};
use crate::tools::reporter::{TaskReport, TaskReporter};

fn user_or_me(user: Option<&str>) -> &str {
    user.map(str::trim)
        .filter(|u| !u.is_empty())
        .unwrap_or("me")
}

/// Finds a task by UUID or `[owner/]name`.
async fn resolve_task(client: &Client, task_id: &str) -> Result<Task, Error> {
    let task_id = task_id.trim();
    if task_id.is_empty() {
        return Err(Error::invalid_arguments("/task_id: must not be empty"));
    }
    let (owner, ident) = task_id.split_once('/').unwrap_or(("me", task_id));
    client.task(owner, ident).await.map_err(|e| {
        if e.is_not_found() {
            Error::NotFound(format!(
                "task {task_id:?} not found; use coder_list_tasks to see your tasks"
            ))
        } else {
            Error::Coder(e)
        }
    })
}

/// Arguments of `coder_create_task`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct CreateTaskArgs {
    /// What the AI should do (the task prompt).
    pub input: String,
    /// The template version to run the task in (a template with AI support).
    pub template_version_id: String,
    /// A preset of that template version.
    #[serde(default)]
    pub template_version_preset_id: Option<String>,
    /// Who owns the task: a username, or "me" (the default).
    #[serde(default)]
    pub user: Option<String>,
}

client_tool!(
    /// `coder_create_task`.
    CreateTaskTool
);

impl Tool for CreateTaskTool {
    const NAME: &'static str = "coder_create_task";
    type Input = CreateTaskArgs;
    type Output = CoderObject<Task>;

    fn description(&self) -> Cow<'static, str> {
        "Starts an AI task: Coder creates a workspace from the template version and gives the \
         input to the AI agent in it. Follow it with coder_get_task_status."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::mutation()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: CreateTaskArgs,
    ) -> Result<Self::Output, ToolError> {
        if input.input.trim().is_empty() {
            return Err(Error::invalid_arguments("/input: must not be empty"));
        }
        let version: TemplateVersionId =
            parse_id("template_version_id", &input.template_version_id)?;
        let preset: Option<PresetId> = parse_opt_id(
            "template_version_preset_id",
            input.template_version_preset_id.as_deref(),
        )?;
        let mut request = CreateTaskRequest::new(&input.input, version);
        if let Some(p) = preset {
            request = request.with_template_version_preset_id(p);
        }
        self.client
            .create_task(user_or_me(input.user.as_deref()), &request)
            .await
            .map(CoderObject)
            .map_err(Error::Coder)
    }
}

/// Arguments of tools that take one task.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct TaskIdArgs {
    /// The task: its UUID, or its name as "name" or "owner/name".
    pub task_id: String,
}

client_tool!(
    /// `coder_delete_task`.
    DeleteTaskTool
);

impl Tool for DeleteTaskTool {
    const NAME: &'static str = "coder_delete_task";
    type Input = TaskIdArgs;
    type Output = MessageOutput;

    fn description(&self) -> Cow<'static, str> {
        "Deletes a task and its workspace. Ask the user first.".into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::destructive()
    }

    async fn call(
        &self,
        ctx: ToolContext<'_>,
        input: TaskIdArgs,
    ) -> Result<Self::Output, ToolError> {
        let task = resolve_task(&self.client, &input.task_id).await?;
        ctx.confirm(&format!("Delete task {} and its workspace?", task.name))
            .await?;
        self.client
            .delete_task(&task.owner_name, task.id.to_string())
            .await
            .map_err(Error::Coder)?;
        Ok(MessageOutput::new(format!(
            "Task {} deleted successfully.",
            task.name
        )))
    }
}

/// Arguments of `coder_list_tasks`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ListTasksArgs {
    /// Only tasks in this status (pending, initializing, active, paused, error).
    #[serde(default)]
    pub status: Option<String>,
    /// Whose tasks: a username, or "me" (the default).
    #[serde(default)]
    pub user: Option<String>,
}

/// The tasks found.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TaskList {
    /// The tasks.
    pub tasks: Vec<CoderObject<Task>>,
}

client_tool!(
    /// `coder_list_tasks`.
    ListTasksTool
);

impl Tool for ListTasksTool {
    const NAME: &'static str = "coder_list_tasks";
    type Input = ListTasksArgs;
    type Output = TaskList;

    fn description(&self) -> Cow<'static, str> {
        "Lists AI tasks, yours by default, optionally only those in one status.".into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: ListTasksArgs,
    ) -> Result<Self::Output, ToolError> {
        let mut filter = TasksFilter::new().with_owner(user_or_me(input.user.as_deref()));
        if let Some(s) = input
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            filter = filter.with_status(s);
        }
        let list = self.client.tasks(&filter).await.map_err(Error::Coder)?;
        Ok(TaskList {
            tasks: list.tasks.into_iter().map(CoderObject).collect(),
        })
    }
}

/// A task's status.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TaskStatusOutput {
    /// The overall status: pending, initializing, active, paused, error.
    pub status: String,
    /// What the AI last reported (state, message, link), or null.
    pub state: Option<CoderObject<TaskStateEntry>>,
}

client_tool!(
    /// `coder_get_task_status`.
    GetTaskStatusTool
);

impl Tool for GetTaskStatusTool {
    const NAME: &'static str = "coder_get_task_status";
    type Input = TaskIdArgs;
    type Output = TaskStatusOutput;

    fn description(&self) -> Cow<'static, str> {
        "Returns a task's status and the last state its AI reported.".into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: TaskIdArgs,
    ) -> Result<Self::Output, ToolError> {
        let task = resolve_task(&self.client, &input.task_id).await?;
        let status = serde_json::to_value(task.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        Ok(TaskStatusOutput {
            status,
            state: task.current_state.map(CoderObject),
        })
    }
}

/// Arguments of `coder_send_task_input`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct SendTaskInputArgs {
    /// The task: its UUID, or its name as "name" or "owner/name".
    pub task_id: String,
    /// The message to send to the task's AI.
    pub input: String,
}

client_tool!(
    /// `coder_send_task_input`.
    SendTaskInputTool
);

impl Tool for SendTaskInputTool {
    const NAME: &'static str = "coder_send_task_input";
    type Input = SendTaskInputArgs;
    type Output = MessageOutput;

    fn description(&self) -> Cow<'static, str> {
        "Sends a message to the AI of a running task.".into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::mutation()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: SendTaskInputArgs,
    ) -> Result<Self::Output, ToolError> {
        if input.input.trim().is_empty() {
            return Err(Error::invalid_arguments("/input: must not be empty"));
        }
        let task = resolve_task(&self.client, &input.task_id).await?;
        self.client
            .send_task_input(&task.owner_name, task.id.to_string(), input.input)
            .await
            .map_err(Error::Coder)?;
        Ok(MessageOutput::new(format!(
            "Input sent to task {}.",
            task.name
        )))
    }
}

client_tool!(
    /// `coder_get_task_logs`.
    GetTaskLogsTool
);

impl Tool for GetTaskLogsTool {
    const NAME: &'static str = "coder_get_task_logs";
    type Input = TaskIdArgs;
    type Output = CoderObject<TaskLogsResponse>;

    fn description(&self) -> Cow<'static, str> {
        "Returns the conversation between the user and a task's AI.".into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::read_only()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: TaskIdArgs,
    ) -> Result<Self::Output, ToolError> {
        let task = resolve_task(&self.client, &input.task_id).await?;
        self.client
            .task_logs(&task.owner_name, task.id.to_string())
            .await
            .map(CoderObject)
            .map_err(Error::Coder)
    }
}

/// Arguments of `coder_report_task`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ReportTaskArgs {
    /// What you are doing or did, under 160 characters, one line.
    pub summary: String,
    /// A link to the result (a pull request, a file), or an empty string.
    pub link: String,
    /// working (busy), idle (waiting for the user), complete (done) or failure (gave up).
    #[schemars(extend("enum" = ["working", "idle", "complete", "failure"]))]
    pub state: String,
}

/// `coder_report_task`: reports an AI agent's progress to the Coder dashboard as the status
/// of a workspace app, with the agent token.
#[derive(Debug, Clone)]
pub struct ReportTask {
    reporter: Option<TaskReporter>,
}

impl ReportTask {
    /// The tool, reporting with the agent token of `client` under the app `app_slug`.
    pub fn new(client: Client, app_slug: Option<String>) -> Self {
        Self {
            reporter: app_slug
                .filter(|s| !s.is_empty())
                .map(|slug| TaskReporter::new(client, slug)),
        }
    }

    /// The tool, sending through a reporter shared with others (a screen watcher).
    pub fn with_reporter(reporter: TaskReporter) -> Self {
        Self {
            reporter: Some(reporter),
        }
    }
}

impl Tool for ReportTask {
    const NAME: &'static str = "coder_report_task";
    type Input = ReportTaskArgs;
    type Output = MessageOutput;

    fn description(&self) -> Cow<'static, str> {
        "Reports your progress to the user's Coder dashboard. Call it when you start \
         working on a request (working), when you need the user (idle), and when you finish \
         (complete) or give up (failure). Keep the summary short and specific."
            .into()
    }

    fn annotations(&self) -> mcp_protocol::types::ToolAnnotations {
        annotations::mutation()
    }

    async fn call(
        &self,
        _ctx: ToolContext<'_>,
        input: ReportTaskArgs,
    ) -> Result<Self::Output, ToolError> {
        let summary = input.summary.trim().to_owned();
        if summary.chars().count() >= 160 {
            return Err(Error::invalid_arguments(
                "/summary: must be under 160 characters",
            ));
        }
        if summary.chars().any(char::is_control) {
            return Err(Error::invalid_arguments(
                "/summary: must be one line without control characters",
            ));
        }
        let state = match input.state.as_str() {
            "working" => WorkspaceAppStatusState::Working,
            "idle" => WorkspaceAppStatusState::Idle,
            "complete" => WorkspaceAppStatusState::Complete,
            "failure" => WorkspaceAppStatusState::Failure,
            other => {
                return Err(Error::invalid_arguments(format!(
                    "/state: {other:?} is not one of working, idle, complete, failure"
                )));
            }
        };
        let Some(reporter) = &self.reporter else {
            return Err(Error::bad_state(
                "task reporting is not configured: set the app status slug \
                 (CODER_MCP_APP_STATUS_SLUG)",
            ));
        };
        reporter
            .self_report(TaskReport {
                state,
                summary,
                link: input.link,
            })
            .await?;
        Ok(MessageOutput::new("Thanks for reporting!"))
    }
}
