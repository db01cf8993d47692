//! Workspaces: a user's development environment built from a template.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::apps::WorkspaceAppStatus;
use crate::builds::{WorkspaceBuild, WorkspaceBuildParameter};
use crate::ids::{
    OrganizationId, PresetId, TaskId, TemplateId, TemplateVersionId, UserId, WorkspaceId,
};
use crate::serde_util::null_default;

/// A workspace, with its latest build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    /// The workspace's id.
    pub id: WorkspaceId,
    /// The workspace name (unique per owner).
    pub name: String,
    /// When it was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last changed.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    /// The owner's id.
    pub owner_id: UserId,
    /// The owner's username.
    #[serde(default)]
    pub owner_name: String,
    /// The owner's avatar URL.
    #[serde(default)]
    pub owner_avatar_url: String,
    /// The organization.
    #[serde(default)]
    pub organization_id: OrganizationId,
    /// The organization's name.
    #[serde(default)]
    pub organization_name: String,
    /// The template.
    pub template_id: TemplateId,
    /// The template's name.
    #[serde(default)]
    pub template_name: String,
    /// The template's display name.
    #[serde(default)]
    pub template_display_name: String,
    /// The template's icon.
    #[serde(default)]
    pub template_icon: String,
    /// The template's active version (what an update would move to).
    #[serde(default)]
    pub template_active_version_id: TemplateVersionId,
    /// Whether starting requires the active version.
    #[serde(default)]
    pub template_require_active_version: bool,
    /// Whether users may cancel build jobs.
    #[serde(default)]
    pub template_allow_user_cancel_workspace_jobs: bool,
    /// The latest build; its status is the workspace's status.
    pub latest_build: WorkspaceBuild,
    /// The latest app status report, if any app reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_app_status: Option<WorkspaceAppStatus>,
    /// Whether the latest build is on an older template version than the active one.
    #[serde(default)]
    pub outdated: bool,
    /// Cron schedule for autostart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autostart_schedule: Option<String>,
    /// Autostop delay in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_ms: Option<i64>,
    /// When the workspace was last used.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
    /// When it became dormant.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub dormant_at: Option<OffsetDateTime>,
    /// When it will be deleted for dormancy.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub deleting_at: Option<OffsetDateTime>,
    /// Next scheduled autostart.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub next_start_at: Option<OffsetDateTime>,
    /// Health of the agents.
    #[serde(default)]
    pub health: WorkspaceHealth,
    /// `always` or `never`.
    #[serde(default)]
    pub automatic_updates: String,
    /// Whether the owner may rename it.
    #[serde(default)]
    pub allow_renames: bool,
    /// Whether the caller marked it as a favorite.
    #[serde(default)]
    pub favorite: bool,
    /// Whether it is a prebuilt workspace waiting to be claimed.
    #[serde(default)]
    pub is_prebuild: bool,
    /// The task this workspace runs, if it is a task workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<TaskId>,
}

impl Default for Workspace {
    fn default() -> Self {
        Self {
            id: WorkspaceId::default(),
            name: String::new(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: None,
            owner_id: UserId::default(),
            owner_name: String::new(),
            owner_avatar_url: String::new(),
            organization_id: OrganizationId::default(),
            organization_name: String::new(),
            template_id: TemplateId::default(),
            template_name: String::new(),
            template_display_name: String::new(),
            template_icon: String::new(),
            template_active_version_id: TemplateVersionId::default(),
            template_require_active_version: false,
            template_allow_user_cancel_workspace_jobs: false,
            latest_build: WorkspaceBuild::default(),
            latest_app_status: None,
            outdated: false,
            autostart_schedule: None,
            ttl_ms: None,
            last_used_at: None,
            dormant_at: None,
            deleting_at: None,
            next_start_at: None,
            health: WorkspaceHealth::default(),
            automatic_updates: String::new(),
            allow_renames: false,
            favorite: false,
            is_prebuild: false,
            task_id: None,
        }
    }
}

/// Health of a workspace's agents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceHealth {
    /// Whether every agent is healthy.
    #[serde(default)]
    pub healthy: bool,
    /// The unhealthy agents.
    #[serde(default, deserialize_with = "null_default")]
    pub failing_agents: Vec<crate::ids::WorkspaceAgentId>,
}

/// One page of `GET /api/v2/workspaces`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkspacesResponse {
    /// The workspaces on this page.
    #[serde(default, deserialize_with = "null_default")]
    pub workspaces: Vec<Workspace>,
    /// The total number matching the filter.
    #[serde(default)]
    pub count: i64,
}

/// Filter and pagination for [`Client::workspaces`](crate::Client::workspaces).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkspaceFilter {
    /// Coder search syntax, for example `owner:me status:running`.
    pub q: Option<String>,
    /// Page size; `None` or 0 means no limit.
    pub limit: Option<u32>,
    /// Zero-based offset of the first result.
    pub offset: Option<u32>,
}

impl WorkspaceFilter {
    /// Every workspace the caller can see.
    pub fn new() -> Self {
        Self::default()
    }

    /// Workspaces of one owner (`me`, a username or an id).
    pub fn owner(owner: impl AsRef<str>) -> Self {
        Self::new().with_q(format!("owner:{}", owner.as_ref()))
    }

    /// Filters with Coder search syntax (replaces any previous filter).
    #[must_use]
    pub fn with_q(mut self, q: impl Into<String>) -> Self {
        self.q = Some(q.into());
        self
    }

    /// Limits the page size.
    #[must_use]
    pub fn with_limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Skips the first `offset` results.
    #[must_use]
    pub fn with_offset(mut self, offset: u32) -> Self {
        self.offset = Some(offset);
        self
    }
}

/// Body of `POST /api/v2/users/{user}/workspaces`.
///
/// Exactly one of `template_id` and `template_version_id` must be set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateWorkspaceRequest {
    /// The new workspace's name.
    pub name: String,
    /// Build the template's active version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_id: Option<TemplateId>,
    /// Build this exact version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_version_id: Option<TemplateVersionId>,
    /// Use this preset's parameter values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_version_preset_id: Option<PresetId>,
    /// Parameter values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rich_parameter_values: Vec<WorkspaceBuildParameter>,
    /// Cron schedule for autostart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autostart_schedule: Option<String>,
    /// Autostop delay in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_ms: Option<i64>,
    /// `always` or `never`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic_updates: Option<String>,
}

impl CreateWorkspaceRequest {
    /// A workspace named `name` from the template's active version.
    pub fn from_template(name: impl Into<String>, template_id: TemplateId) -> Self {
        Self {
            name: name.into(),
            template_id: Some(template_id),
            ..Self::default()
        }
    }

    /// A workspace named `name` from a specific template version.
    pub fn from_template_version(name: impl Into<String>, version_id: TemplateVersionId) -> Self {
        Self {
            name: name.into(),
            template_version_id: Some(version_id),
            ..Self::default()
        }
    }

    /// Uses a preset.
    #[must_use]
    pub fn with_template_version_preset_id(mut self, id: PresetId) -> Self {
        self.template_version_preset_id = Some(id);
        self
    }

    /// Sets parameter values.
    #[must_use]
    pub fn with_rich_parameter_values(mut self, values: Vec<WorkspaceBuildParameter>) -> Self {
        self.rich_parameter_values = values;
        self
    }
}

impl crate::Client {
    /// Workspaces matching a filter (`GET /api/v2/workspaces`).
    pub async fn workspaces(&self, filter: &WorkspaceFilter) -> crate::Result<WorkspacesResponse> {
        let mut url = self.endpoint(&["api", "v2", "workspaces"])?;
        crate::client::push_query(&mut url, "q", filter.q.as_deref());
        crate::client::push_query(&mut url, "limit", filter.limit);
        crate::client::push_query(&mut url, "offset", filter.offset);
        self.get(url).await
    }

    /// A workspace by id (`GET /api/v2/workspaces/{workspace}`).
    pub async fn workspace(&self, id: WorkspaceId) -> crate::Result<Workspace> {
        let url = self.endpoint(&["api", "v2", "workspaces", &id.to_string()])?;
        self.get(url).await
    }

    /// A workspace by owner (`me`, username or id) and name
    /// (`GET /api/v2/users/{owner}/workspace/{name}`).
    pub async fn workspace_by_owner_and_name(
        &self,
        owner: impl AsRef<str>,
        name: impl AsRef<str>,
    ) -> crate::Result<Workspace> {
        let url = self.endpoint(&[
            "api",
            "v2",
            "users",
            owner.as_ref(),
            "workspace",
            name.as_ref(),
        ])?;
        self.get(url).await
    }

    /// Creates a workspace for a user (`POST /api/v2/users/{user}/workspaces`).
    pub async fn create_user_workspace(
        &self,
        user: impl AsRef<str>,
        request: &CreateWorkspaceRequest,
    ) -> crate::Result<Workspace> {
        let url = self.endpoint(&["api", "v2", "users", user.as_ref(), "workspaces"])?;
        self.send_json(http::Method::POST, url, request).await
    }
}
