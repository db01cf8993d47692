//! Every tool of Coder's MCP server, built on `coder-sdk`.
//!
//! Names and parameter names match Coder's own (`coder exp mcp server`), so prompts and
//! allow-lists keep working; descriptions are our own. [`coder_tools`] builds the whole
//! registry in Coder's order; pick a [`Toolset`](crate::Toolset) or filter it as needed.

mod agent;
mod chatgpt;
mod common;
mod edit;
mod logs;
mod reporter;
mod tasks;
mod templates;
mod users;
mod workspaces;

use coder_sdk::Client;

use crate::registry::ToolRegistry;

pub use agent::{
    AppEntry, AppsOutput, BashArgs, BashOutput, DEFAULT_BASH_TIMEOUT_MS, EditFileArgs,
    EditFilesArgs, EditOutput, FileEdit, FileEditResult, FileEdits, ListAppsArgs, LsArgs, LsEntry,
    LsOutput, MAX_BASH_OUTPUT, MAX_BASH_TIMEOUT_MS, MAX_READ_BYTES, PortForwardArgs, ReadFileArgs,
    ReadFileOutput, UrlOutput, WorkspaceBash, WorkspaceEditFile, WorkspaceEditFiles,
    WorkspaceListApps, WorkspaceLs, WorkspacePortForward, WorkspaceReadFile, WorkspaceWriteFile,
    WriteFileArgs,
};
pub use chatgpt::{Fetch, FetchArgs, FetchOutput, Search, SearchArgs, SearchOutput, SearchResult};
pub use common::{CoderObject, MessageOutput};
pub use logs::{
    AgentLogsArgs, BuildLogsArgs, GetTemplateVersionLogs, GetWorkspaceAgentLogs,
    GetWorkspaceBuildLogs,
};
pub use reporter::{TaskReport, TaskReporter};
pub use tasks::{
    CreateTaskArgs, CreateTaskTool, DeleteTaskTool, GetTaskLogsTool, GetTaskStatusTool,
    ListTasksArgs, ListTasksTool, ReportTask, ReportTaskArgs, SendTaskInputArgs, SendTaskInputTool,
    TaskIdArgs, TaskList, TaskStatusOutput,
};
pub use templates::{
    CreateTemplate, CreateTemplateArgs, CreateTemplateVersion, CreateTemplateVersionArgs,
    DeleteTemplate, GetTemplate, ListTemplates, MinimalTemplate, PresetValue, TemplateDetail,
    TemplateIdArgs, TemplatePreset, TemplateVersionIdArgs, TemplateVersionParameters,
    UpdateActiveVersionArgs, UpdateTemplateActiveVersion, UploadOutput, UploadTarFile,
    UploadTarFileArgs,
};
pub use users::{GetAuthenticatedUser, ListOrganizations, NoArgs};
pub use workspaces::{
    CreateWorkspace, CreateWorkspaceArgs, CreateWorkspaceBuild, CreateWorkspaceBuildArgs,
    GetWorkspace, GetWorkspaceArgs, ListWorkspaces, ListWorkspacesArgs, MinimalWorkspace,
    WorkspaceReadiness, WorkspaceReadinessArgs, WorkspaceReadinessTool,
};

/// Settings of the Coder tools.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CoderToolsConfig {
    /// The `coder_app` slug `coder_report_task` reports under
    /// (`CODER_MCP_APP_STATUS_SLUG`); without it the tool reports an error.
    pub app_status_slug: Option<String>,
    /// A reporter shared with other sources of task status (for example a screen watcher);
    /// when set, `coder_report_task` sends through it and `app_status_slug` is not used.
    pub task_reporter: Option<TaskReporter>,
}

impl CoderToolsConfig {
    /// Default settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the app slug for `coder_report_task`.
    #[must_use]
    pub fn with_app_status_slug(mut self, slug: impl Into<String>) -> Self {
        self.app_status_slug = Some(slug.into());
        self
    }

    /// Sends `coder_report_task` reports through a shared [`TaskReporter`].
    #[must_use]
    pub fn with_task_reporter(mut self, reporter: TaskReporter) -> Self {
        self.task_reporter = Some(reporter);
        self
    }
}

/// Every Coder tool acting with `client`, in Coder's order.
pub fn coder_tools(client: &Client) -> ToolRegistry {
    coder_tools_with(client, &CoderToolsConfig::default())
}

/// Every Coder tool acting with `client`, with settings.
pub fn coder_tools_with(client: &Client, config: &CoderToolsConfig) -> ToolRegistry {
    let c = || client.clone();
    ToolRegistry::new()
        .with(CreateTemplate::new(c()))
        .with(CreateTemplateVersion::new(c()))
        .with(CreateWorkspace::new(c()))
        .with(CreateWorkspaceBuild::new(c()))
        .with(DeleteTemplate::new(c()))
        .with(ListTemplates::new(c()))
        .with(TemplateVersionParameters::new(c()))
        .with(GetTemplate::new(c()))
        .with(ListWorkspaces::new(c()))
        .with(GetAuthenticatedUser::new(c()))
        .with(GetTemplateVersionLogs::new(c()))
        .with(GetWorkspace::new(c()))
        .with(GetWorkspaceAgentLogs::new(c()))
        .with(GetWorkspaceBuildLogs::new(c()))
        .with(match &config.task_reporter {
            Some(reporter) => ReportTask::with_reporter(reporter.clone()),
            None => ReportTask::new(c(), config.app_status_slug.clone()),
        })
        .with(UploadTarFile::new(c()))
        .with(UpdateTemplateActiveVersion::new(c()))
        .with(WorkspaceBash::new(c()))
        .with(Search::new(c()))
        .with(Fetch::new(c()))
        .with(WorkspaceLs::new(c()))
        .with(WorkspaceReadFile::new(c()))
        .with(WorkspaceWriteFile::new(c()))
        .with(WorkspaceEditFile::new(c()))
        .with(WorkspaceEditFiles::new(c()))
        .with(WorkspacePortForward::new(c()))
        .with(WorkspaceListApps::new(c()))
        .with(CreateTaskTool::new(c()))
        .with(DeleteTaskTool::new(c()))
        .with(ListTasksTool::new(c()))
        .with(GetTaskStatusTool::new(c()))
        .with(SendTaskInputTool::new(c()))
        .with(GetTaskLogsTool::new(c()))
        .with(ListOrganizations::new(c()))
        .with(WorkspaceReadinessTool::new(c()))
}
