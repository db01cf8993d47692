//! Workspace builds: each start, stop or delete of a workspace is a build.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::agents::WorkspaceAgent;
use crate::ids::{
    PresetId, ProvisionerJobId, TemplateVersionId, UserId, WorkspaceBuildId, WorkspaceId,
    WorkspaceResourceId,
};
use crate::jobs::ProvisionerJob;
use crate::serde_util::null_default;

/// One build of a workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceBuild {
    /// The build's id.
    pub id: WorkspaceBuildId,
    /// Sequence number within the workspace, starting at 1.
    #[serde(default)]
    pub build_number: i64,
    /// When the build was created.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// When it was last changed.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub updated_at: Option<OffsetDateTime>,
    /// The workspace being built.
    pub workspace_id: WorkspaceId,
    /// The workspace's name.
    #[serde(default)]
    pub workspace_name: String,
    /// The workspace owner's id.
    #[serde(default)]
    pub workspace_owner_id: UserId,
    /// The workspace owner's username.
    #[serde(default)]
    pub workspace_owner_name: String,
    /// The workspace owner's avatar URL.
    #[serde(default)]
    pub workspace_owner_avatar_url: String,
    /// The template version the build runs.
    #[serde(default)]
    pub template_version_id: TemplateVersionId,
    /// That version's name.
    #[serde(default)]
    pub template_version_name: String,
    /// The preset the build used, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_version_preset_id: Option<PresetId>,
    /// Who started the build.
    #[serde(default)]
    pub initiator_id: UserId,
    /// That user's username.
    #[serde(default)]
    pub initiator_name: String,
    /// What the build does.
    pub transition: WorkspaceTransition,
    /// The workspace status this build leads to, as Coder derives it from the job.
    #[serde(default)]
    pub status: WorkspaceStatus,
    /// Why the build was started.
    #[serde(default)]
    pub reason: BuildReason,
    /// The provisioner job running the build.
    pub job: ProvisionerJob,
    /// The resources (and agents) the build produced.
    #[serde(default, deserialize_with = "null_default")]
    pub resources: Vec<WorkspaceResource>,
    /// When the workspace will stop automatically, if scheduled.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub deadline: Option<OffsetDateTime>,
    /// The latest the deadline may be pushed to.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub max_deadline: Option<OffsetDateTime>,
    /// Quota cost per day.
    #[serde(default)]
    pub daily_cost: i64,
    /// Whether the build defines an AI task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_ai_task: Option<bool>,
    /// Whether the build uses an external agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_external_agent: Option<bool>,
}

impl Default for WorkspaceBuild {
    fn default() -> Self {
        Self {
            id: WorkspaceBuildId::default(),
            build_number: 0,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: None,
            workspace_id: WorkspaceId::default(),
            workspace_name: String::new(),
            workspace_owner_id: UserId::default(),
            workspace_owner_name: String::new(),
            workspace_owner_avatar_url: String::new(),
            template_version_id: TemplateVersionId::default(),
            template_version_name: String::new(),
            template_version_preset_id: None,
            initiator_id: UserId::default(),
            initiator_name: String::new(),
            transition: WorkspaceTransition::default(),
            status: WorkspaceStatus::default(),
            reason: BuildReason::default(),
            job: ProvisionerJob::default(),
            resources: Vec::new(),
            deadline: None,
            max_deadline: None,
            daily_cost: 0,
            has_ai_task: None,
            has_external_agent: None,
        }
    }
}

impl WorkspaceBuild {
    /// Every agent of every resource of this build, in order.
    pub fn agents(&self) -> impl Iterator<Item = &WorkspaceAgent> {
        self.resources.iter().flat_map(|r| r.agents.iter())
    }
}

/// What a build does to a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceTransition {
    /// Create or start the workspace's resources.
    #[default]
    Start,
    /// Stop them (persistent resources stay).
    Stop,
    /// Destroy everything.
    Delete,
    /// A transition this client does not know yet.
    #[serde(other)]
    Unknown,
}

impl WorkspaceTransition {
    /// The wire name (`start`, `stop`, `delete`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Stop => "stop",
            Self::Delete => "delete",
            Self::Unknown => "unknown",
        }
    }
}

/// The status of a workspace, derived from its latest build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceStatus {
    /// The build is queued.
    #[default]
    Pending,
    /// A start build is running.
    Starting,
    /// Started.
    Running,
    /// A stop build is running.
    Stopping,
    /// Stopped.
    Stopped,
    /// The latest build failed.
    Failed,
    /// The latest build is being canceled.
    Canceling,
    /// The latest build was canceled.
    Canceled,
    /// A delete build is running.
    Deleting,
    /// Deleted.
    Deleted,
    /// A status this client does not know yet.
    #[serde(other)]
    Unknown,
}

impl WorkspaceStatus {
    /// The wire name (`running`, `stopped`...).
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Starting => "starting",
            Self::Running => "running",
            Self::Stopping => "stopping",
            Self::Stopped => "stopped",
            Self::Failed => "failed",
            Self::Canceling => "canceling",
            Self::Canceled => "canceled",
            Self::Deleting => "deleting",
            Self::Deleted => "deleted",
            Self::Unknown => "unknown",
        }
    }
}

/// Why a build was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuildReason {
    /// A user asked for it.
    #[default]
    Initiator,
    /// The autostart schedule.
    Autostart,
    /// The autostop deadline.
    Autostop,
    /// The workspace became dormant.
    Dormancy,
    /// Started from the dashboard.
    Dashboard,
    /// Started from the CLI.
    Cli,
    /// Started by an SSH connection.
    SshConnection,
    /// Started by VS Code.
    VscodeConnection,
    /// Started by a JetBrains IDE.
    JetbrainsConnection,
    /// An idle task was paused automatically.
    TaskAutoPause,
    /// A task was paused by a user.
    TaskManualPause,
    /// A task was resumed.
    TaskResume,
    /// A reason this client does not know yet.
    #[serde(other)]
    Unknown,
}

/// A Terraform resource a build produced; agents hang off resources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkspaceResource {
    /// The resource's id.
    pub id: WorkspaceResourceId,
    /// When it was recorded.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The provisioner job that produced it.
    #[serde(default)]
    pub job_id: ProvisionerJobId,
    /// The transition it belongs to.
    #[serde(default)]
    pub workspace_transition: WorkspaceTransition,
    /// Terraform resource type (for example `docker_container`).
    #[serde(default, rename = "type")]
    pub resource_type: String,
    /// Terraform resource name.
    #[serde(default)]
    pub name: String,
    /// Whether the dashboard hides it.
    #[serde(default)]
    pub hide: bool,
    /// Icon URL or path.
    #[serde(default)]
    pub icon: String,
    /// Quota cost per day.
    #[serde(default)]
    pub daily_cost: i64,
    /// The agents running on this resource.
    #[serde(default, deserialize_with = "null_default")]
    pub agents: Vec<WorkspaceAgent>,
    /// Key/value metadata shown in the dashboard.
    #[serde(default, deserialize_with = "null_default")]
    pub metadata: Vec<WorkspaceResourceMetadata>,
}

impl Default for WorkspaceResource {
    fn default() -> Self {
        Self {
            id: WorkspaceResourceId::default(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            job_id: ProvisionerJobId::default(),
            workspace_transition: WorkspaceTransition::default(),
            resource_type: String::new(),
            name: String::new(),
            hide: false,
            icon: String::new(),
            daily_cost: 0,
            agents: Vec::new(),
            metadata: Vec::new(),
        }
    }
}

/// A metadata entry of a resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceResourceMetadata {
    /// The key.
    pub key: String,
    /// The value (empty when sensitive).
    #[serde(default)]
    pub value: String,
    /// Whether the value is hidden.
    #[serde(default)]
    pub sensitive: bool,
}

/// A rich parameter value given to a build.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceBuildParameter {
    /// The parameter name, as declared by the template.
    pub name: String,
    /// The value, always as a string.
    pub value: String,
}

impl WorkspaceBuildParameter {
    /// A name/value pair.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// Body of `POST /api/v2/workspaces/{workspace}/builds`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateWorkspaceBuildRequest {
    /// What to do.
    pub transition: WorkspaceTransition,
    /// Build this version instead of the current one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_version_id: Option<TemplateVersionId>,
    /// Use this preset's parameter values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_version_preset_id: Option<PresetId>,
    /// Parameter values to change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rich_parameter_values: Vec<WorkspaceBuildParameter>,
    /// Only plan, do not apply.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
    /// Delete the workspace record without destroying resources (delete only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub orphan: bool,
    /// Why the build is started (`cli`, `dashboard`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl CreateWorkspaceBuildRequest {
    /// A build doing `transition` with the current version.
    pub fn new(transition: WorkspaceTransition) -> Self {
        Self {
            transition,
            ..Self::default()
        }
    }

    /// Builds a specific template version.
    #[must_use]
    pub fn with_template_version_id(mut self, id: TemplateVersionId) -> Self {
        self.template_version_id = Some(id);
        self
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
    /// Starts, stops or deletes a workspace (`POST /api/v2/workspaces/{workspace}/builds`).
    pub async fn create_workspace_build(
        &self,
        workspace: WorkspaceId,
        request: &CreateWorkspaceBuildRequest,
    ) -> crate::Result<WorkspaceBuild> {
        let url = self.endpoint(&["api", "v2", "workspaces", &workspace.to_string(), "builds"])?;
        self.send_json(http::Method::POST, url, request).await
    }

    /// A build by id (`GET /api/v2/workspacebuilds/{workspacebuild}`).
    pub async fn workspace_build(&self, id: WorkspaceBuildId) -> crate::Result<WorkspaceBuild> {
        let url = self.endpoint(&["api", "v2", "workspacebuilds", &id.to_string()])?;
        self.get(url).await
    }

    /// A workspace's builds, newest first (`GET /api/v2/workspaces/{workspace}/builds`).
    pub async fn workspace_builds(
        &self,
        workspace: WorkspaceId,
        page: &crate::Pagination,
    ) -> crate::Result<Vec<WorkspaceBuild>> {
        let mut url =
            self.endpoint(&["api", "v2", "workspaces", &workspace.to_string(), "builds"])?;
        crate::client::push_query(&mut url, "limit", page.limit);
        crate::client::push_query(&mut url, "offset", page.offset);
        self.get(url).await
    }
}
