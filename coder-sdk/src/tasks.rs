//! AI tasks: a prompt run by an AI agent inside a dedicated workspace.
//!
//! Coder has deprecated tasks in favour of Coder Agents, but deployments still serve them.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::agents::{WorkspaceAgentHealth, WorkspaceAgentLifecycle};
use crate::builds::WorkspaceStatus;
use crate::ids::{
    OrganizationId, PresetId, TaskId, TemplateId, TemplateVersionId, UserId, WorkspaceAgentId,
    WorkspaceAppId, WorkspaceId,
};
use crate::serde_util::null_default;

/// An AI task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// The task's id.
    pub id: TaskId,
    /// The task name (unique per owner).
    pub name: String,
    /// Human-readable name.
    #[serde(default)]
    pub display_name: String,
    /// The organization.
    #[serde(default)]
    pub organization_id: OrganizationId,
    /// The owner's id.
    #[serde(default)]
    pub owner_id: UserId,
    /// The owner's username.
    #[serde(default)]
    pub owner_name: String,
    /// The owner's avatar URL.
    #[serde(default)]
    pub owner_avatar_url: String,
    /// The template.
    #[serde(default)]
    pub template_id: TemplateId,
    /// The template version.
    #[serde(default)]
    pub template_version_id: TemplateVersionId,
    /// The template's name.
    #[serde(default)]
    pub template_name: String,
    /// The template's display name.
    #[serde(default)]
    pub template_display_name: String,
    /// The template's icon.
    #[serde(default)]
    pub template_icon: String,
    /// The workspace running the task, once created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<WorkspaceId>,
    /// That workspace's name.
    #[serde(default)]
    pub workspace_name: String,
    /// Its latest build number.
    #[serde(default)]
    pub workspace_build_number: i64,
    /// Its status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_status: Option<WorkspaceStatus>,
    /// The agent running the AI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_agent_id: Option<WorkspaceAgentId>,
    /// That agent's lifecycle state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_agent_lifecycle: Option<WorkspaceAgentLifecycle>,
    /// That agent's health.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_agent_health: Option<WorkspaceAgentHealth>,
    /// The app the AI reports through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_app_id: Option<WorkspaceAppId>,
    /// The prompt the task started with.
    #[serde(default)]
    pub initial_prompt: String,
    /// Overall status.
    #[serde(default)]
    pub status: TaskStatus,
    /// What the AI last reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_state: Option<TaskStateEntry>,
    /// When it was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last changed.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
}

impl Default for Task {
    fn default() -> Self {
        Self {
            id: TaskId::default(),
            name: String::new(),
            display_name: String::new(),
            organization_id: OrganizationId::default(),
            owner_id: UserId::default(),
            owner_name: String::new(),
            owner_avatar_url: String::new(),
            template_id: TemplateId::default(),
            template_version_id: TemplateVersionId::default(),
            template_name: String::new(),
            template_display_name: String::new(),
            template_icon: String::new(),
            workspace_id: None,
            workspace_name: String::new(),
            workspace_build_number: 0,
            workspace_status: None,
            workspace_agent_id: None,
            workspace_agent_lifecycle: None,
            workspace_agent_health: None,
            workspace_app_id: None,
            initial_prompt: String::new(),
            status: TaskStatus::default(),
            current_state: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: None,
        }
    }
}

/// Overall status of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Waiting for its workspace.
    #[default]
    Pending,
    /// The workspace is starting.
    Initializing,
    /// The AI is running.
    Active,
    /// The workspace is stopped.
    Paused,
    /// Something went wrong.
    Error,
    /// A status this client does not know (Coder itself also sends `unknown`).
    #[serde(other)]
    Unknown,
}

/// The state the AI last reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskStateEntry {
    /// When it reported.
    #[serde(with = "time::serde::rfc3339")]
    pub timestamp: OffsetDateTime,
    /// The reported state.
    pub state: TaskState,
    /// A short summary.
    #[serde(default)]
    pub message: String,
    /// A related link.
    #[serde(default)]
    pub uri: String,
}

/// State an AI reports for its task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    /// Busy.
    #[default]
    Working,
    /// Waiting for input.
    Idle,
    /// Done.
    Complete,
    /// Gave up or failed.
    Failed,
    /// A state this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// Result of `GET /api/v2/tasks`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TasksListResponse {
    /// The tasks.
    #[serde(default, deserialize_with = "null_default")]
    pub tasks: Vec<Task>,
    /// How many matched.
    #[serde(default)]
    pub count: i64,
}

/// Body of `POST /api/v2/tasks/{user}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTaskRequest {
    /// The prompt.
    pub input: String,
    /// The template version whose workspace runs the AI.
    pub template_version_id: TemplateVersionId,
    /// A preset of that version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_version_preset_id: Option<PresetId>,
    /// The task name (generated when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Human-readable name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub display_name: String,
}

impl CreateTaskRequest {
    /// A task running `input` on a workspace of `template_version_id`.
    pub fn new(input: impl Into<String>, template_version_id: TemplateVersionId) -> Self {
        Self {
            input: input.into(),
            template_version_id,
            ..Self::default()
        }
    }

    /// Uses a preset.
    #[must_use]
    pub fn with_template_version_preset_id(mut self, id: PresetId) -> Self {
        self.template_version_preset_id = Some(id);
        self
    }
}

/// Body of `POST /api/v2/tasks/{user}/{task}/send`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSendRequest {
    /// The text to send to the AI.
    pub input: String,
}

/// Result of `GET /api/v2/tasks/{user}/{task}/logs`: the chat between user and AI.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskLogsResponse {
    /// The messages.
    #[serde(default, deserialize_with = "null_default")]
    pub logs: Vec<TaskLogEntry>,
    /// Whether these come from a snapshot taken when the task paused.
    #[serde(default)]
    pub snapshot: bool,
    /// When that snapshot was taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_at: Option<String>,
}

/// One message of a task's chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskLogEntry {
    /// Message id.
    pub id: i64,
    /// Who wrote it.
    #[serde(rename = "type")]
    pub log_type: TaskLogType,
    /// The text.
    #[serde(default)]
    pub content: String,
    /// When.
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
}

/// Direction of a task chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskLogType {
    /// From the user to the AI.
    Input,
    /// From the AI.
    #[default]
    Output,
    /// A type this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// Filter for [`Client::tasks`](crate::Client::tasks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TasksFilter {
    /// Only tasks of this owner (`me`, a username or an id).
    pub owner: Option<String>,
    /// Only tasks in this status.
    pub status: Option<String>,
    /// Extra Coder search terms.
    pub q: Option<String>,
}

impl TasksFilter {
    /// Every task the caller can see.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only tasks of one owner.
    #[must_use]
    pub fn with_owner(mut self, owner: impl Into<String>) -> Self {
        self.owner = Some(owner.into());
        self
    }

    /// Only tasks in one status.
    #[must_use]
    pub fn with_status(mut self, status: impl Into<String>) -> Self {
        self.status = Some(status.into());
        self
    }

    /// The `q` query value this filter stands for, if any.
    pub fn to_query(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(owner) = &self.owner {
            parts.push(format!("owner:{owner}"));
        }
        if let Some(status) = &self.status {
            parts.push(format!("status:{status}"));
        }
        if let Some(q) = &self.q {
            parts.push(q.clone());
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

impl crate::Client {
    /// Creates a task for a user (`POST /api/v2/tasks/{user}`).
    pub async fn create_task(
        &self,
        user: impl AsRef<str>,
        request: &CreateTaskRequest,
    ) -> crate::Result<Task> {
        let url = self.endpoint(&["api", "v2", "tasks", user.as_ref()])?;
        self.send_json(http::Method::POST, url, request).await
    }

    /// Tasks matching a filter (`GET /api/v2/tasks`).
    pub async fn tasks(&self, filter: &TasksFilter) -> crate::Result<TasksListResponse> {
        let mut url = self.endpoint(&["api", "v2", "tasks"])?;
        crate::client::push_query(&mut url, "q", filter.to_query());
        self.get(url).await
    }

    /// A task by owner and id or name (`GET /api/v2/tasks/{user}/{task}`).
    pub async fn task(&self, user: impl AsRef<str>, task: impl AsRef<str>) -> crate::Result<Task> {
        let url = self.endpoint(&["api", "v2", "tasks", user.as_ref(), task.as_ref()])?;
        self.get(url).await
    }

    /// Deletes a task and its workspace (`DELETE /api/v2/tasks/{user}/{task}`).
    pub async fn delete_task(
        &self,
        user: impl AsRef<str>,
        task: impl AsRef<str>,
    ) -> crate::Result<()> {
        let url = self.endpoint(&["api", "v2", "tasks", user.as_ref(), task.as_ref()])?;
        self.send_empty(http::Method::DELETE, url, crate::client::Body::Empty)
            .await
    }

    /// Sends input to a running task (`POST /api/v2/tasks/{user}/{task}/send`).
    pub async fn send_task_input(
        &self,
        user: impl AsRef<str>,
        task: impl AsRef<str>,
        input: impl Into<String>,
    ) -> crate::Result<()> {
        let url = self.endpoint(&["api", "v2", "tasks", user.as_ref(), task.as_ref(), "send"])?;
        let body = crate::client::Body::json(&TaskSendRequest {
            input: input.into(),
        })?;
        self.send_empty(http::Method::POST, url, body).await
    }

    /// Replaces the prompt of a task that has not started yet
    /// (`PATCH /api/v2/tasks/{user}/{task}/input`).
    pub async fn update_task_input(
        &self,
        user: impl AsRef<str>,
        task: impl AsRef<str>,
        input: impl Into<String>,
    ) -> crate::Result<()> {
        let url = self.endpoint(&["api", "v2", "tasks", user.as_ref(), task.as_ref(), "input"])?;
        let body = crate::client::Body::json(&TaskSendRequest {
            input: input.into(),
        })?;
        self.send_empty(http::Method::PATCH, url, body).await
    }

    /// The chat between user and AI (`GET /api/v2/tasks/{user}/{task}/logs`).
    pub async fn task_logs(
        &self,
        user: impl AsRef<str>,
        task: impl AsRef<str>,
    ) -> crate::Result<TaskLogsResponse> {
        let url = self.endpoint(&["api", "v2", "tasks", user.as_ref(), task.as_ref(), "logs"])?;
        self.get(url).await
    }
}
